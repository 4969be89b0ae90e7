// Shared by fill/unary/binary/where: parameters and strided indexing for up to 4 operands
// (out, a, b, c) of up to 8 dims. Shapes live in the uniform so one pipeline serves all shapes.
struct Params {
  n: u32,
  ndim: u32,
  _pad0: u32,
  _pad1: u32,
  p0f: f32,
  p1f: f32,
  p0i: i32,
  p1i: i32,
  shape: array<vec4<u32>, 2>,
  offs: vec4<u32>,
  st_o: array<vec4<u32>, 2>,
  st_a: array<vec4<u32>, 2>,
  st_b: array<vec4<u32>, 2>,
  st_c: array<vec4<u32>, 2>,
}

@group(0) @binding(0) var<uniform> P: Params;

// Linear invocation index over a 2-D grid (x ≤ 65535 workgroups), so huge tensors need one
// dispatch.
fn linear_index(wid: vec3<u32>, lid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return (wid.y * nwg.x + wid.x) * 256u + lid.x;
}

// Element offsets of logical element i in out, a, b and c.
fn strided_offsets(i: u32) -> vec4<u32> {
  var rem = i;
  var o = P.offs;
  for (var d = i32(P.ndim) - 1; d >= 0; d--) {
    let q = u32(d) >> 2u;
    let r = u32(d) & 3u;
    let s = P.shape[q][r];
    let c = rem % s;
    rem = rem / s;
    o += c * vec4<u32>(P.st_o[q][r], P.st_a[q][r], P.st_b[q][r], P.st_c[q][r]);
  }
  return o;
}

const MODE: u32 = {{MODE}}u; // 0 contiguous, 1 strided (div/mod per dim), 2 rows x cols grid

struct Elem { ok: bool, o: vec4<u32> }

// Offsets of this invocation's element in out, a, b, c. MODE 2 maps workgroup rows to the outer
// dim of a 2-D layout so no integer division is needed (llvmpipe scalarises vector division).
fn element(wid: vec3<u32>, lid: vec3<u32>, nwg: vec3<u32>) -> Elem {
  if (MODE == 2u) {
    let col = wid.x * 256u + lid.x;
    let row = wid.y;
    if (col >= P.shape[0][1] || row >= P.shape[0][0]) { return Elem(false, vec4<u32>(0u)); }
    let o = P.offs + row * vec4<u32>(P.st_o[0][0], P.st_a[0][0], P.st_b[0][0], P.st_c[0][0]) +
      col * vec4<u32>(P.st_o[0][1], P.st_a[0][1], P.st_b[0][1], P.st_c[0][1]);
    return Elem(true, o);
  }
  let i = linear_index(wid, lid, nwg);
  if (i >= P.n) { return Elem(false, vec4<u32>(0u)); }
  if (MODE == 0u) { return Elem(true, P.offs + vec4<u32>(i)); }
  return Elem(true, strided_offsets(i));
}

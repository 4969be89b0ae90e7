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

// Loads (storage type → compute type) and stores (compute type → storage type). bool is stored
// as u32 0/1 and computed as i32.
fn ld_f(v: f32) -> f32 { return v; }
fn ld_i(v: i32) -> i32 { return v; }
fn ld_b(v: u32) -> i32 { return i32(v); }
fn ld_i2f(v: i32) -> f32 { return f32(v); }
fn ld_b2f(v: u32) -> f32 { return f32(v); }
fn st_f32_f(v: f32) -> f32 { return v; }
fn st_f32_i(v: i32) -> f32 { return f32(v); }
fn st_f32_b(v: bool) -> f32 { return select(0.0, 1.0, v); }
fn st_i32_f(v: f32) -> i32 { return i32(v); }
fn st_i32_i(v: i32) -> i32 { return v; }
fn st_i32_b(v: bool) -> i32 { return select(0, 1, v); }
fn st_u32_f(v: f32) -> u32 { return select(0u, 1u, v != 0.0); }
fn st_u32_i(v: i32) -> u32 { return select(0u, 1u, v != 0); }
fn st_u32_b(v: bool) -> u32 { return select(0u, 1u, v); }

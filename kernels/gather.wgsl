// torch.gather into a contiguous out shaped like index. An out-of-range index sets the error
// flag (code 1) instead of reading out of bounds; the host throws at the next readback.
struct Params {
  n: u32, ndim: u32, dim: u32, size: u32,
  xoff: u32, ioff: u32, _p0: u32, _p1: u32,
  shape: array<vec4<u32>, 2>,
  xst: array<vec4<u32>, 2>,
  ist: array<vec4<u32>, 2>,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> O: array<{{T}}>;
@group(0) @binding(2) var<storage, read_write> X: array<{{T}}>;
@group(0) @binding(3) var<storage, read_write> I: array<i32>;
@group(0) @binding(4) var<storage, read_write> F: array<i32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * 256u + lid.x;
  if (i >= P.n) { return; }
  var rem = i;
  var xo = P.xoff;
  var io = P.ioff;
  for (var d = i32(P.ndim) - 1; d >= 0; d--) {
    let q = u32(d) >> 2u;
    let r = u32(d) & 3u;
    let c = rem % P.shape[q][r];
    rem = rem / P.shape[q][r];
    if (u32(d) != P.dim) { xo += c * P.xst[q][r]; }
    io += c * P.ist[q][r];
  }
  let k = I[io];
  if (k < 0 || u32(k) >= P.size) {
    F[0] = 1;
    F[1] = k;
    F[2] = i32(P.dim);
    F[3] = i32(P.size);
    return;
  }
  O[i] = X[xo + u32(k) * P.xst[P.dim >> 2u][P.dim & 3u]];
}

// torch.scatter / scatter_add in place on a strided out. The element store `put` comes from
// scatter_set.wgsl, scatter_add_f32.wgsl or scatter_add_i32.wgsl (binding 1 is declared there,
// as atomics when accumulating). Bad indices set the error flag (code 2).
struct Params {
  n: u32, ndim: u32, dim: u32, size: u32,
  ooff: u32, ioff: u32, soff: u32, _p0: u32,
  shape: array<vec4<u32>, 2>,
  ost: array<vec4<u32>, 2>,
  ist: array<vec4<u32>, 2>,
  sst: array<vec4<u32>, 2>,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(2) var<storage, read_write> S: array<{{T}}>;
@group(0) @binding(3) var<storage, read_write> I: array<i32>;
@group(0) @binding(4) var<storage, read_write> F: array<i32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * 256u + lid.x;
  if (i >= P.n) { return; }
  var rem = i;
  var oo = P.ooff;
  var io = P.ioff;
  var so = P.soff;
  for (var d = i32(P.ndim) - 1; d >= 0; d--) {
    let q = u32(d) >> 2u;
    let r = u32(d) & 3u;
    let c = rem % P.shape[q][r];
    rem = rem / P.shape[q][r];
    if (u32(d) != P.dim) { oo += c * P.ost[q][r]; }
    io += c * P.ist[q][r];
    so += c * P.sst[q][r];
  }
  let k = I[io];
  if (k < 0 || u32(k) >= P.size) {
    F[0] = 2;
    F[1] = k;
    F[2] = i32(P.dim);
    F[3] = i32(P.size);
    return;
  }
  put(oo + u32(k) * P.ost[P.dim >> 2u][P.dim & 3u], S[so]);
}

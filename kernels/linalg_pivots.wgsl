// Applies LU's row interchanges to contiguous X [B, n, K] in place: one invocation per column of
// each matrix swaps rows i and pivots[i] − 1 for i = 0 .. n−1 (or n−1 .. 0 with `reverse`,
// which undoes them). Pivots [B, n] are read through their strides.
struct Params {
  B: u32,
  n: u32,
  K: u32,
  reverse: u32,
  poff: u32,
  ps0: u32,
  ps1: u32,
  _p: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> X: array<f32>;
@group(0) @binding(2) var<storage, read_write> piv: array<i32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = (wid.y * nwg.x + wid.x) * 64u + lid.x;
  let b = t / P.K;
  if (b >= P.B) { return; }
  let c = t % P.K;
  let xb = b * P.n * P.K;
  for (var s = 0u; s < P.n; s++) {
    let i = select(s, P.n - 1u - s, P.reverse != 0u);
    let p = u32(piv[P.poff + b * P.ps0 + i * P.ps1] - 1);
    if (p != i && p < P.n) {
      let v = X[xb + i * P.K + c];
      X[xb + i * P.K + c] = X[xb + p * P.K + c];
      X[xb + p * P.K + c] = v;
    }
  }
}

// Triangular solve T X = X in place on contiguous X [B, n, K], one pivot row kk per dispatch.
// T is read through its strides (a transposed LU factor is a free view).
// tri_step: every row i beyond kk (below for lower, above for upper) subtracts
//   (T[i, kk] / T[kk, kk]) · X[kk, :]; row kk itself is only read, so one dispatch has no race.
//   X[kk] then holds T[kk, kk]·x[kk], the unscaled solution.
// tri_scale: divides each row by its diagonal element (skipped for a unit diagonal).
struct Params {
  B: u32,
  n: u32,
  K: u32,
  kk: u32,
  upper: u32,
  unit: u32,
  toff: u32,
  ts0: u32,
  ts1: u32,
  ts2: u32,
  _p0: u32,
  _p1: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> T: array<f32>;
@group(0) @binding(2) var<storage, read_write> X: array<f32>;

fn tval(b: u32, i: u32, j: u32) -> f32 {
  return T[P.toff + b * P.ts0 + i * P.ts1 + j * P.ts2];
}

fn tri_step(t: u32) {
  let kk = P.kk;
  let rows = select(P.n - kk - 1u, kk, P.upper != 0u);
  let per = rows * P.K;
  let b = t / per;
  if (b >= P.B) { return; }
  let e = t % per;
  let i = select(kk + 1u + e / P.K, e / P.K, P.upper != 0u);
  let c = e % P.K;
  var coef = tval(b, i, kk);
  if (P.unit == 0u) { coef = coef / tval(b, kk, kk); }
  let xb = b * P.n * P.K;
  X[xb + i * P.K + c] = X[xb + i * P.K + c] - coef * X[xb + kk * P.K + c];
}

fn tri_scale(t: u32) {
  let per = P.n * P.K;
  let b = t / per;
  if (b >= P.B) { return; }
  let i = (t % per) / P.K;
  X[t] = X[t] / tval(b, i, i);
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  {{MAIN}}((wid.y * nwg.x + wid.x) * 64u + lid.x);
}

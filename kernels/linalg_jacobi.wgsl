// Parallel Jacobi rotations on contiguous working copies, one round of the round-robin
// ("circle") ordering per dispatch (or pair of dispatches): in round r the pairs are
// (N−1, r) and ((r + i) mod (N−1), (r − i) mod (N−1)) for i = 1 .. N/2 − 1, N = n rounded up to
// even (a pair with the padding index N−1 = n is skipped), so every pair of a sweep meets once
// and the pairs of one round touch disjoint rows and columns.
// eig_rows: symmetric A [B, n, n]: each pair computes the rotation that zeroes A[p, q] (kept in
//   CS as (c, s); (1, 0) when the coupling is already negligible) and rotates rows p, q.
// eig_cols: rotates columns p, q of A and of the eigenvectors V [B, n, n], and sets A[p, q] = 0.
//   Rows and columns need two dispatches: another pair's rows cross these columns.
// svd_round: one-sided Jacobi on W [B, m, n]: rotates columns p, q of W (and V) so that they
//   become orthogonal. Columns of different pairs are disjoint: one dispatch per round.
// eye_init: V = I. diag_extract: w[b, i] = A[b, i, i].
// Loops run at most 2·max(m, n) + m times per invocation.
struct Params {
  B: u32,
  n: u32,
  m: u32,
  N: u32,
  r: u32,
  npairs: u32,
  tol: f32,
  _p: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> A: array<f32>;
@group(0) @binding(2) var<storage, read_write> V: array<f32>;
@group(0) @binding(3) var<storage, read_write> CS: array<f32>;

// The pair (p, q), p < q, of slot i in round r; q >= n means skip.
fn pair_of(i: u32) -> vec2<u32> {
  let M = P.N - 1u;
  var a = P.N - 1u;
  var c = P.r;
  if (i > 0u) {
    a = (P.r + i) % M;
    c = (P.r + M - i) % M;
  }
  return vec2<u32>(min(a, c), max(a, c));
}

// tan of the rotation angle that decouples a 2×2 block with diagonal (x, y) and coupling g.
fn tangent(x: f32, y: f32, g: f32) -> f32 {
  let z = (y - x) / (2.0 * g);
  let az = abs(z);
  // NOTE: z² overflows f32 near 1.8e19; t ≈ 1/(2z) there.
  var d = az + sqrt(1.0 + az * az);
  if (az > 1e18) { d = 2.0 * az; }
  return select(-1.0, 1.0, z >= 0.0) / d;
}

fn eig_rows(t: u32) {
  let b = t / P.npairs;
  if (b >= P.B) { return; }
  let slot = t;
  let pq = pair_of(t % P.npairs);
  CS[2u * slot] = 1.0;
  CS[2u * slot + 1u] = 0.0;
  if (pq.y >= P.n) { return; }
  let n = P.n;
  let base = b * n * n;
  let p = pq.x;
  let q = pq.y;
  let app = A[base + p * n + p];
  let aqq = A[base + q * n + q];
  let g = A[base + p * n + q];
  if (g == 0.0 || abs(g) <= P.tol * sqrt(abs(app)) * sqrt(abs(aqq))) { return; }
  let tn = tangent(app, aqq, g);
  let c = 1.0 / sqrt(1.0 + tn * tn);
  let s = c * tn;
  CS[2u * slot] = c;
  CS[2u * slot + 1u] = s;
  for (var j = 0u; j < n; j++) {
    let x = A[base + p * n + j];
    let y = A[base + q * n + j];
    A[base + p * n + j] = c * x - s * y;
    A[base + q * n + j] = s * x + c * y;
  }
}

fn eig_cols(t: u32) {
  let b = t / P.npairs;
  if (b >= P.B) { return; }
  let c = CS[2u * t];
  let s = CS[2u * t + 1u];
  if (s == 0.0) { return; }
  let pq = pair_of(t % P.npairs);
  let n = P.n;
  let base = b * n * n;
  let p = pq.x;
  let q = pq.y;
  for (var i = 0u; i < n; i++) {
    let x = A[base + i * n + p];
    let y = A[base + i * n + q];
    A[base + i * n + p] = c * x - s * y;
    A[base + i * n + q] = s * x + c * y;
    let vx = V[base + i * n + p];
    let vy = V[base + i * n + q];
    V[base + i * n + p] = c * vx - s * vy;
    V[base + i * n + q] = s * vx + c * vy;
  }
  A[base + p * n + q] = 0.0;
  A[base + q * n + p] = 0.0;
}

fn svd_round(t: u32) {
  let b = t / P.npairs;
  if (b >= P.B) { return; }
  let pq = pair_of(t % P.npairs);
  if (pq.y >= P.n) { return; }
  let m = P.m;
  let n = P.n;
  let wb = b * m * n;
  let p = pq.x;
  let q = pq.y;
  var alpha = 0.0;
  var beta = 0.0;
  var gamma = 0.0;
  for (var i = 0u; i < m; i++) {
    let x = A[wb + i * n + p];
    let y = A[wb + i * n + q];
    alpha += x * x;
    beta += y * y;
    gamma += x * y;
  }
  if (gamma == 0.0 || abs(gamma) <= P.tol * sqrt(alpha) * sqrt(beta)) { return; }
  let tn = tangent(alpha, beta, gamma);
  let c = 1.0 / sqrt(1.0 + tn * tn);
  let s = c * tn;
  for (var i = 0u; i < m; i++) {
    let x = A[wb + i * n + p];
    let y = A[wb + i * n + q];
    A[wb + i * n + p] = c * x - s * y;
    A[wb + i * n + q] = s * x + c * y;
  }
  let vb = b * n * n;
  for (var i = 0u; i < n; i++) {
    let x = V[vb + i * n + p];
    let y = V[vb + i * n + q];
    V[vb + i * n + p] = c * x - s * y;
    V[vb + i * n + q] = s * x + c * y;
  }
}

fn eye_init(t: u32) {
  let per = P.n * P.n;
  if (t >= P.B * per) { return; }
  let e = t % per;
  V[t] = select(0.0, 1.0, e / P.n == e % P.n);
}

fn diag_extract(t: u32) {
  if (t >= P.B * P.n) { return; }
  let b = t / P.n;
  let i = t % P.n;
  CS[t] = A[b * P.n * P.n + i * P.n + i];
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  {{MAIN}}((wid.y * nwg.x + wid.x) * 64u + lid.x);
}

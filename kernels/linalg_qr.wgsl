// Householder QR with LAPACK's conventions (dlarfg: beta = −sign(alpha)·‖x‖, tau = 0 when the
// column below the diagonal is zero) on a contiguous working copy W [B, m, n]; reflector k's
// vector is stored below W's diagonal (its leading 1 implied) and tau[b·K + k] beside it.
// house: one invocation per matrix builds reflector k (norms scaled against overflow).
// house_apply: one invocation per trailing column j > k applies it.
// q_init / q_apply: Q [B, m, rk] starts as I and takes the reflectors last to first, one
//   invocation per column j >= k.
// r_extract: R [B, rk, n] is W's upper triangle (zero rows past min(m, n)).
// Loops run at most 2m times per invocation.
struct Params {
  B: u32,
  m: u32,
  n: u32,
  k: u32,
  rk: u32,
  K: u32,
  _p0: u32,
  _p1: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> W: array<f32>;
@group(0) @binding(2) var<storage, read_write> Q: array<f32>;
@group(0) @binding(3) var<storage, read_write> tau: array<f32>;
@group(0) @binding(4) var<storage, read_write> R: array<f32>;

fn house(b: u32) {
  if (b >= P.B) { return; }
  let m = P.m;
  let n = P.n;
  let k = P.k;
  let base = b * m * n;
  let alpha = W[base + k * n + k];
  var scale = 0.0;
  for (var i = k + 1u; i < m; i++) { scale = max(scale, abs(W[base + i * n + k])); }
  var tail = 0.0;
  if (scale > 0.0) {
    var ss = 0.0;
    for (var i = k + 1u; i < m; i++) {
      let x = W[base + i * n + k] / scale;
      ss += x * x;
    }
    tail = scale * sqrt(ss);
  }
  if (tail == 0.0) {
    tau[b * P.K + k] = 0.0;
    return;
  }
  let big = max(abs(alpha), tail);
  let h = big * sqrt((alpha / big) * (alpha / big) + (tail / big) * (tail / big));
  let beta = select(h, -h, alpha >= 0.0);
  tau[b * P.K + k] = (beta - alpha) / beta;
  let sc = 1.0 / (alpha - beta);
  for (var i = k + 1u; i < m; i++) { W[base + i * n + k] = W[base + i * n + k] * sc; }
  W[base + k * n + k] = beta;
}

fn house_apply(t: u32) {
  let m = P.m;
  let n = P.n;
  let k = P.k;
  let cols = n - k - 1u;
  let b = t / cols;
  if (b >= P.B) { return; }
  let j = k + 1u + t % cols;
  let tk = tau[b * P.K + k];
  if (tk == 0.0) { return; }
  let base = b * m * n;
  var s = W[base + k * n + j];
  for (var i = k + 1u; i < m; i++) { s += W[base + i * n + k] * W[base + i * n + j]; }
  s = s * tk;
  W[base + k * n + j] = W[base + k * n + j] - s;
  for (var i = k + 1u; i < m; i++) {
    W[base + i * n + j] = W[base + i * n + j] - s * W[base + i * n + k];
  }
}

fn q_init(t: u32) {
  let per = P.m * P.rk;
  if (t >= P.B * per) { return; }
  let e = t % per;
  Q[t] = select(0.0, 1.0, e / P.rk == e % P.rk);
}

fn q_apply(t: u32) {
  let m = P.m;
  let n = P.n;
  let k = P.k;
  let rk = P.rk;
  let cols = rk - k;
  let b = t / cols;
  if (b >= P.B) { return; }
  let j = k + t % cols;
  let tk = tau[b * P.K + k];
  if (tk == 0.0) { return; }
  let wb = b * m * n;
  let qb = b * m * rk;
  var s = Q[qb + k * rk + j];
  for (var i = k + 1u; i < m; i++) { s += W[wb + i * n + k] * Q[qb + i * rk + j]; }
  s = s * tk;
  Q[qb + k * rk + j] = Q[qb + k * rk + j] - s;
  for (var i = k + 1u; i < m; i++) {
    Q[qb + i * rk + j] = Q[qb + i * rk + j] - s * W[wb + i * n + k];
  }
}

fn r_extract(t: u32) {
  let n = P.n;
  let per = P.rk * n;
  if (t >= P.B * per) { return; }
  let b = t / per;
  let e = t % per;
  let i = e / n;
  let j = e % n;
  R[t] = select(0.0, W[b * P.m * n + i * n + j], i <= j && i < P.m);
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  {{MAIN}}((wid.y * nwg.x + wid.x) * 64u + lid.x);
}

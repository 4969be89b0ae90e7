// Right-looking Cholesky (lower) in place on contiguous [B, n, n] matrices, one column k per
// pair of dispatches; only the lower triangle is read.
// chol_pivot: one invocation per matrix takes the square root of the diagonal element and
//   divides the column below by it. A diagonal that is not positive (or NaN) sets info to k + 1
//   once, as LAPACK's potrf reports it, and makes the rest of the factor NaN.
// chol_update: one invocation per element of the trailing block (lower half) subtracts
//   L[i, k]·L[j, k].
// zero_upper: clears the strict upper triangle at the end.
struct Params {
  B: u32,
  n: u32,
  k: u32,
  _p: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> A: array<f32>;
@group(0) @binding(2) var<storage, read_write> info: array<i32>;

fn is_nan(v: f32) -> bool {
  // Bit test: fast-math compilers may fold v != v to false.
  return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;
}

fn chol_pivot(b: u32) {
  if (b >= P.B) { return; }
  let n = P.n;
  let k = P.k;
  let base = b * n * n;
  let d = A[base + k * n + k];
  var l = 0.0;
  if (d <= 0.0 || is_nan(d)) {
    if (info[b] == 0) { info[b] = i32(k + 1u); }
    l = bitcast<f32>(0x7fc00000u);
  } else {
    l = sqrt(d);
  }
  A[base + k * n + k] = l;
  for (var i = k + 1u; i < n; i++) {
    A[base + i * n + k] = A[base + i * n + k] / l;
  }
}

fn chol_update(t: u32) {
  let n = P.n;
  let k = P.k;
  let r = n - k - 1u;
  let b = t / (r * r);
  if (b >= P.B) { return; }
  let e = t % (r * r);
  let i = k + 1u + e / r;
  let j = k + 1u + e % r;
  if (j > i) { return; }
  let base = b * n * n;
  A[base + i * n + j] = A[base + i * n + j] - A[base + i * n + k] * A[base + j * n + k];
}

fn zero_upper(t: u32) {
  let n = P.n;
  if (t >= P.B * n * n) { return; }
  let e = t % (n * n);
  if (e % n > e / n) { A[t] = 0.0; }
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  {{MAIN}}((wid.y * nwg.x + wid.x) * 64u + lid.x);
}

// LU with partial pivoting (LAPACK getf2), in place on contiguous [B, n, n] matrices, one pivot
// column k per pair of dispatches:
// lu_pivot: one invocation per matrix finds the pivot row, swaps it into row k, records the
//   1-based pivot and divides the column below the diagonal by the pivot (a zero pivot instead
//   sets info to k + 1 once, as LAPACK does, and leaves the column alone).
// lu_update: one invocation per element of the trailing (n−k−1)² block subtracts the rank-1
//   update. Every loop runs at most n times, far below llvmpipe's per-invocation budget.
struct Params {
  B: u32,
  n: u32,
  k: u32,
  _p: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> A: array<f32>;
@group(0) @binding(2) var<storage, read_write> piv: array<i32>;
@group(0) @binding(3) var<storage, read_write> info: array<i32>;

fn lu_pivot(b: u32) {
  if (b >= P.B) { return; }
  let n = P.n;
  let k = P.k;
  let base = b * n * n;
  var p = k;
  var best = abs(A[base + k * n + k]);
  for (var i = k + 1u; i < n; i++) {
    let v = abs(A[base + i * n + k]);
    if (v > best) {
      p = i;
      best = v;
    }
  }
  piv[b * n + k] = i32(p + 1u);
  let d = A[base + p * n + k];
  if (d != 0.0) {
    if (p != k) {
      for (var j = 0u; j < n; j++) {
        let t = A[base + k * n + j];
        A[base + k * n + j] = A[base + p * n + j];
        A[base + p * n + j] = t;
      }
    }
    for (var i = k + 1u; i < n; i++) {
      A[base + i * n + k] = A[base + i * n + k] / d;
    }
  } else if (info[b] == 0) {
    info[b] = i32(k + 1u);
  }
}

fn lu_update(t: u32) {
  let n = P.n;
  let k = P.k;
  let r = n - k - 1u;
  let b = t / (r * r);
  if (b >= P.B) { return; }
  let e = t % (r * r);
  let i = k + 1u + e / r;
  let j = k + 1u + e % r;
  let base = b * n * n;
  A[base + i * n + j] = A[base + i * n + j] - A[base + i * n + k] * A[base + k * n + j];
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  {{MAIN}}((wid.y * nwg.x + wid.x) * 64u + lid.x);
}

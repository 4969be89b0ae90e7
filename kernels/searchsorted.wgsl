// torch.searchsorted: one invocation per value, binary search over its row of the sorted
// sequence (at most 32 loop iterations). The negated comparisons are PyTorch's, so NaN values
// and NaN entries give the same positions.
struct Params {
  B: u32,
  M: u32,
  Q: u32,
  right: u32,
  soff: u32,
  sb: u32,
  sm: u32,
  voff: u32,
  vb: u32,
  vq: u32,
}

@group(0) @binding(0) var<uniform> U: Params;
@group(0) @binding(1) var<storage, read_write> S: array<{{T}}>;
@group(0) @binding(2) var<storage, read_write> V: array<{{T}}>;
@group(0) @binding(3) var<storage, read_write> O: array<i32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let o = (wid.y * nwg.x + wid.x) * 256u + lid.x;
  if (o >= U.B * U.Q) { return; }
  let b = o / U.Q;
  let q = o % U.Q;
  let v = V[U.voff + b * U.vb + q * U.vq];
  let s0 = U.soff + b * U.sb;
  var lo = 0u;
  var hi = U.M;
  while (lo < hi) {
    let mid = (lo + hi) >> 1u;
    let m = S[s0 + mid * U.sm];
    var go_right: bool;
    if (U.right != 0u) { go_right = !(m > v); } else { go_right = !(m >= v); }
    if (go_right) { lo = mid + 1u; } else { hi = mid; }
  }
  O[o] = i32(lo);
}

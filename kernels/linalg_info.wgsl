// Scans factorization info codes [B] (strided) for the first non-zero one in [start, end) and
// reports it through the error flag as [code, batch index, info, 0], unless a flag is already
// set. One invocation; the host splits long batches into several dispatches, in order.
struct Params {
  start: u32,
  end: u32,
  code: i32,
  off: u32,
  stride: u32,
  _p0: u32,
  _p1: u32,
  _p2: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> info: array<i32>;
@group(0) @binding(2) var<storage, read_write> F: array<i32>;

@compute @workgroup_size(1)
fn main() {
  if (F[0] != 0) { return; }
  for (var b = P.start; b < P.end; b++) {
    let v = info[P.off + b * P.stride];
    if (v != 0) {
      F[0] = P.code;
      F[1] = i32(b);
      F[2] = v;
      F[3] = 0;
      return;
    }
  }
}

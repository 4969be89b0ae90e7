// Integer division by zero: sets the error flag to [code, 0, 0, 0] when the dense range
// X[off, off + n) of an integer divisor holds a zero; the host throws PyTorch's
// ZeroDivisionError at the next readback. Concurrent writers all store the same code.
struct Params {
  n: u32, off: u32, code: i32, _p0: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> X: array<{{T}}>;
@group(0) @binding(2) var<storage, read_write> F: array<i32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * 256u + lid.x;
  if (i >= P.n) { return; }
  if (X[P.off + i] == {{T}}(0) && F[0] == 0) { F[0] = P.code; }
}

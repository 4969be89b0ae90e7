// out = op(a, b); a and b arrive broadcast to out's shape (stride 0 on expanded dims).
@group(0) @binding(1) var<storage, read_write> O: array<{{TO}}>;
@group(0) @binding(2) var<storage, read_write> A: array<{{TA}}>;
@group(0) @binding(3) var<storage, read_write> B: array<{{TA}}>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = element(wid, lid, nwg);
  if (!e.ok) { return; }
  O[e.o.x] = {{ST}}({{OP}}({{LD}}(A[e.o.y]), {{LD}}(B[e.o.z])));
}

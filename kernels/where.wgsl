// out = cond ? a : b; cond is bool (u32 0/1), a, b and out share one storage type.
@group(0) @binding(1) var<storage, read_write> O: array<{{TO}}>;
@group(0) @binding(2) var<storage, read_write> A: array<{{TO}}>;
@group(0) @binding(3) var<storage, read_write> B: array<{{TO}}>;
@group(0) @binding(4) var<storage, read_write> C: array<u32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = element(wid, lid, nwg);
  if (!e.ok) { return; }
  O[e.o.x] = select(B[e.o.z], A[e.o.y], C[e.o.w] != 0u);
}

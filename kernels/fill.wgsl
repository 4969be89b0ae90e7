// out[i] = value. The value arrives as raw bits (p0i) so int32 fills are exact.
@group(0) @binding(1) var<storage, read_write> O: array<{{TO}}>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = element(wid, lid, nwg);
  if (!e.ok) { return; }
  O[e.o.x] = bitcast<{{TO}}>(P.p0i);
}

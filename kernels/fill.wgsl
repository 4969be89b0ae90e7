// out[i] = value. The value arrives as raw bits (p0i) so int32 fills are exact.
@group(0) @binding(1) var<storage, read_write> O: array<{{TO}}>;

const CONTIG: bool = {{CONTIG}};

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = linear_index(wid, lid, nwg);
  if (i >= P.n) { return; }
  var io: u32;
  if (CONTIG) { io = P.offs.x + i; } else { io = strided_offsets(i).x; }
  O[io] = bitcast<{{TO}}>(P.p0i);
}

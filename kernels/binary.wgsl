// out = op(a, b); a and b arrive broadcast to out's shape (stride 0 on expanded dims).
@group(0) @binding(1) var<storage, read_write> O: array<{{TO}}>;
@group(0) @binding(2) var<storage, read_write> A: array<{{TA}}>;
@group(0) @binding(3) var<storage, read_write> B: array<{{TA}}>;

const CONTIG: bool = {{CONTIG}};

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = linear_index(wid, lid, nwg);
  if (i >= P.n) { return; }
  var o: vec4<u32>;
  if (CONTIG) { o = P.offs + vec4<u32>(i); } else { o = strided_offsets(i); }
  O[o.x] = {{ST}}({{OP}}({{LD}}(A[o.y]), {{LD}}(B[o.z])));
}

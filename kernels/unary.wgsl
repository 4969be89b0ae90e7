// out = op(x, p0, p1) over a strided view; specialised by op and dtypes via placeholders.
@group(0) @binding(1) var<storage, read_write> O: array<{{TO}}>;
@group(0) @binding(2) var<storage, read_write> A: array<{{TA}}>;

const CONTIG: bool = {{CONTIG}};

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = linear_index(wid, lid, nwg);
  if (i >= P.n) { return; }
  var io: u32;
  var ia: u32;
  if (CONTIG) {
    io = P.offs.x + i;
    ia = P.offs.y + i;
  } else {
    let o = strided_offsets(i);
    io = o.x;
    ia = o.y;
  }
  O[io] = {{ST}}({{OP}}({{LD}}(A[ia]), {{P0}}, {{P1}}));
}

// Barrier-free sums over a view whose reduced part is [R1, R0] with a contiguous inner dim
// (full and row sums of contiguous data; NCHW sums over dims [0, 2, 3]). Pass 1 (main_part):
// workgroup (o, g) owns chunk g of output o; each of its 64 invocations walks every 64th block
// of W elements (W = 4: vec4 loads) with incremental (r1, r0) indices and writes one partial.
// Pass 2 (main_comb): one invocation per output adds its G * 64 partials in order. Both
// entry bodies compile in each specialisation, so the combine load is a placeholder.
struct Params {
  M: u32,
  R0: u32, // inner reduced length, in blocks of W
  R1: u32,
  G: u32,
  chunk: u32, // blocks per chunk
  s1: u32, // stride of r1, in blocks
  os: u32, // stride of the output index, in blocks
  off: u32, // offset, in blocks
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> X: array<{{TV}}>;
@group(0) @binding(2) var<storage, read_write> O: array<{{TO}}>;

alias TC = {{TC}};

fn main_part(wg: u32, t: u32) {
  let o = wg / P.G;
  if (o >= P.M) { return; }
  let g = wg % P.G;
  let V = P.R0 * P.R1;
  let q1 = min(V, (g + 1u) * P.chunk);
  var q = g * P.chunk + t;
  var r1 = q / P.R0;
  var r0 = q - r1 * P.R0;
  let base = P.off + o * P.os;
  var acc = {{ACC}}(0);
  for (; q < q1; q += 64u) {
    acc += {{ACC}}(X[base + r1 * P.s1 + r0]);
    r0 += 64u;
    while (r0 >= P.R0) {
      r0 -= P.R0;
      r1 += 1u;
    }
  }
  O[wg * 64u + t] = {{TO}}({{HSUM}});
}

fn main_comb(wg: u32, t: u32) {
  let o = wg * 64u + t;
  if (o >= P.M) { return; }
  let n = P.G * 64u;
  var acc = TC(0);
  for (var k = 0u; k < n; k++) {
    acc += {{COMB_LOAD}};
  }
  O[o] = {{TO}}(acc);
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  {{MAIN}}(wid.y * nwg.x + wid.x, lid.x);
}

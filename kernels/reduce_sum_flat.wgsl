// Sums of few long contiguous runs (full sums of contiguous data; a handful of row sums).
// Pass 1 (main_part, L invocations per workgroup): workgroup (o, g) sums chunk g of the run of
// output o, lane t reading blocks t, t + L, ... (adjacent lanes read adjacent vec4s); four
// independent accumulators, no index wrap-around. Pass 2 (main_comb): one invocation per output
// adds its G * PL partials in order. Both entry bodies compile in each specialisation, so the
// combine load is a placeholder.
struct Params {
  M: u32,
  R: u32, // run length per output, in blocks of W
  G: u32, // chunks per output
  chunk: u32, // blocks per chunk
  os: u32, // stride of the output index, in blocks
  off: u32, // offset, in blocks
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> X: array<{{TV}}>;
@group(0) @binding(2) var<storage, read_write> O: array<{{TO}}>;

alias TC = {{TC}};
const L = {{WG}}u; // invocations per workgroup

fn main_part(wg: u32, t: u32) {
  let o = wg / P.G;
  if (o >= P.M) { return; }
  let g = wg % P.G;
  let end = min(P.R, (g + 1u) * P.chunk);
  let base = P.off + o * P.os;
  var q = g * P.chunk + t;
  var a0 = {{ACC}}(0);
  var a1 = {{ACC}}(0);
  var a2 = {{ACC}}(0);
  var a3 = {{ACC}}(0);
  for (; q + 3u * L < end; q += 4u * L) {
    let p = base + q;
    a0 += {{ACC}}(X[p]);
    a1 += {{ACC}}(X[p + L]);
    a2 += {{ACC}}(X[p + 2u * L]);
    a3 += {{ACC}}(X[p + 3u * L]);
  }
  for (; q < end; q += L) {
    a0 += {{ACC}}(X[base + q]);
  }
  let acc = (a0 + a1) + (a2 + a3);
  O[wg * L + t] = {{TO}}({{HSUM}});
}

fn main_comb(wg: u32, t: u32) {
  let o = wg * 64u + t;
  if (o >= P.M) { return; }
  var acc = TC(0);
  let n = P.G * {{PL}}u;
  for (var k = 0u; k < n; k++) {
    acc += {{COMB_LOAD}};
  }
  O[o] = {{TO}}(acc);
}

@compute @workgroup_size(L)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  {{MAIN}}(wid.y * nwg.x + wid.x, lid.x);
}

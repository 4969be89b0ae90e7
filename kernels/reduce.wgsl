// Reductions over the trailing dims of a strided view. One workgroup reduces one chunk of one
// output row with a shared-memory tree (SERIAL = false), or one invocation reduces a whole short
// row (SERIAL = true). With G > 1 chunks per row the kernel writes (value, index) partials that a
// second dispatch (SRC_PARTIAL = true) combines. Every op carries an index so argmax/argmin and
// NaN/tie rules (first index wins) hold whatever the combine order.
struct Params {
  M: u32,
  R: u32,
  G: u32,
  chunk: u32,
  n_out: u32,
  n_red: u32,
  offset: u32,
  _pad: u32,
  oshape: array<vec4<u32>, 2>,
  ostride: array<vec4<u32>, 2>,
  rshape: array<vec4<u32>, 2>,
  rstride: array<vec4<u32>, 2>,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> X: array<{{TX}}>;
@group(0) @binding(2) var<storage, read_write> XI: array<i32>;
@group(0) @binding(3) var<storage, read_write> O: array<{{TO}}>;
@group(0) @binding(4) var<storage, read_write> OI: array<i32>;

alias TC = {{TC}};
const OP: u32 = {{OP}}u; // 0 sum, 1 prod, 2 max, 3 min (argmax/argmin use 2/3 + ARG)
const ARG: bool = {{ARG}};
const SRC_PARTIAL: bool = {{SRC_PARTIAL}};
const DST_PARTIAL: bool = {{DST_PARTIAL}};

var<workgroup> sv: array<TC, 256>;
var<workgroup> si: array<i32, 256>;

fn nan_of(v: TC) -> bool {
  // Bit test (fast-math compilers may fold v != v); int compute types are never NaN.
  return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u && {{FLOAT}};
}

// Whether candidate (vb, ib) replaces the running (va, ia); ia < 0 marks "nothing yet".
fn better(va: TC, ia: i32, vb: TC, ib: i32) -> bool {
  if (ib < 0) { return false; }
  if (ia < 0) { return true; }
  let na = nan_of(va);
  let nb = nan_of(vb);
  if (na || nb) { return nb && (!na || ib < ia); }
  if (OP == 2u) { return vb > va || (vb == va && ib < ia); }
  return vb < va || (vb == va && ib < ia);
}

fn outer_offset(o: u32) -> u32 {
  var rem = o;
  var off = P.offset;
  for (var d = i32(P.n_out) - 1; d >= 0; d--) {
    let s = P.oshape[u32(d) >> 2u][u32(d) & 3u];
    off += (rem % s) * P.ostride[u32(d) >> 2u][u32(d) & 3u];
    rem = rem / s;
  }
  return off;
}

fn red_offset(k: u32) -> u32 {
  if (P.n_red == 1u) { return k * P.rstride[0][0]; }
  var rem = k;
  var off = 0u;
  for (var d = i32(P.n_red) - 1; d >= 0; d--) {
    let s = P.rshape[u32(d) >> 2u][u32(d) & 3u];
    off += (rem % s) * P.rstride[u32(d) >> 2u][u32(d) & 3u];
    rem = rem / s;
  }
  return off;
}

struct Acc { v: TC, i: i32 }

fn init() -> Acc {
  if (OP == 1u) { return Acc(TC(1), -1); }
  return Acc(TC(0), -1);
}

fn step(a: Acc, v: TC, k: i32) -> Acc {
  if (OP == 0u) { return Acc(a.v + v, k); }
  if (OP == 1u) { return Acc(a.v * v, k); }
  if (better(a.v, a.i, v, k)) { return Acc(v, k); }
  return a;
}

fn merge(a: Acc, b: Acc) -> Acc {
  if (OP == 0u) { return Acc(a.v + b.v, max(a.i, b.i)); }
  if (OP == 1u) { return Acc(a.v * b.v, max(a.i, b.i)); }
  if (better(a.v, a.i, b.v, b.i)) { return b; }
  return a;
}

fn load(o: u32, base: u32, k: u32) -> Acc {
  if (SRC_PARTIAL) {
    let at = o * P.R + k;
    return Acc(TC(X[at]), XI[at]);
  }
  return Acc(TC(X[base + red_offset(k)]), i32(k));
}

fn store(o: u32, g: u32, a: Acc) {
  if (DST_PARTIAL) {
    let at = o * P.G + g;
    O[at] = {{TO}}(a.v);
    OI[at] = a.i;
    return;
  }
  if (ARG) {
    O[o] = {{TO}}(a.i);
  } else {
    O[o] = {{TO}}(a.v);
  }
}

fn main_serial(wg: u32, lid: vec3<u32>) {
  let o = wg * 256u + lid.x;
  if (o >= P.M) { return; }
  var base = 0u;
  if (!SRC_PARTIAL) { base = outer_offset(o); }
  var a = init();
  for (var k = 0u; k < P.R; k++) {
    let c = load(o, base, k);
    a = step(a, c.v, c.i);
  }
  store(o, 0u, a);
}

fn main_tree(wg: u32, lid: vec3<u32>) {
  let o = wg / P.G;
  let g = wg % P.G;
  if (o >= P.M) { return; }
  var base = 0u;
  if (!SRC_PARTIAL) { base = outer_offset(o); }
  var a = init();
  let k0 = g * P.chunk;
  let k1 = min(P.R, k0 + P.chunk);
  for (var k = k0 + lid.x; k < k1; k += 256u) {
    let c = load(o, base, k);
    a = step(a, c.v, c.i);
  }
  sv[lid.x] = a.v;
  si[lid.x] = a.i;
  for (var s = 128u; s > 0u; s >>= 1u) {
    workgroupBarrier();
    if (lid.x < s) {
      let m = merge(Acc(sv[lid.x], si[lid.x]), Acc(sv[lid.x + s], si[lid.x + s]));
      sv[lid.x] = m.v;
      si[lid.x] = m.i;
    }
  }
  if (lid.x == 0u) { store(o, g, Acc(sv[0], si[0])); }
}

// SERIAL and tree bodies live in separate functions: the serial one returns per invocation,
// which must not precede a barrier in the same function (WGSL uniformity rules).
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  {{MAIN}}(wid.y * nwg.x + wid.x, lid);
}

// Bitonic sort of rows padded to P = 2^m elements, in (key, index) pairs. Index tie-breaks make
// the order total, so the network's result equals a stable sort. Padding elements carry an
// index >= n and sort after everything.
//
// main_local: one workgroup sorts (or finishes merging) a tile of T <= 2048 elements in shared
// memory: for every stage k in [k0, k1] (doubling) it runs the steps j = min(k, T) / 2 .. 1.
// A tile holds T / P whole rows when P <= T, else one slice of a long row whose earlier steps
// (j >= T) ran as main_global dispatches. Directions come from the element's position in its
// padded row, so tiles and dispatches compose into one bitonic network per row.
// main_global: one compare-exchange per invocation for a step j >= T (no loops at all: llvmpipe
// allows each invocation 65,535 loop iterations in total).
struct Params {
  rows: u32,
  n: u32,
  P: u32,
  T: u32,
  k0: u32,
  k1: u32,
  j: u32,
  desc: u32,
  n_out: u32,
  offset: u32,
  stride: u32,
  _pad: u32,
  oshape: array<vec4<u32>, 2>,
  ostride: array<vec4<u32>, 2>,
}

@group(0) @binding(0) var<uniform> U: Params;
@group(0) @binding(1) var<storage, read_write> X: array<{{TX}}>;
@group(0) @binding(2) var<storage, read_write> K: array<{{TC}}>;
@group(0) @binding(3) var<storage, read_write> I: array<i32>;
@group(0) @binding(4) var<storage, read_write> OV: array<{{TX}}>;
@group(0) @binding(5) var<storage, read_write> OI: array<i32>;

alias TC = {{TC}};
const FROM_X: bool = {{FROM_X}};
const TO_OUT: bool = {{TO_OUT}};
const L: u32 = 2048u;
const WG: u32 = 256u;

var<workgroup> sk: array<TC, 2048>;
var<workgroup> si: array<i32, 2048>;

fn nan_of(v: TC) -> bool {
  // Bit test (fast-math compilers may fold v != v); integer keys are never NaN.
  return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u && {{FLOAT}};
}

// Whether (ka, ia) belongs before (kb, ib) in the final order.
fn before(ka: TC, ia: i32, kb: TC, ib: i32) -> bool {
  let n = i32(U.n);
  let pa = ia >= n;
  let pb = ib >= n;
  if (pa || pb) { return !pa || (pb && ia < ib); }
  let na = nan_of(ka);
  let nb = nan_of(kb);
  if (na || nb) {
    if (na && nb) { return ia < ib; }
    if (U.desc != 0u) { return na; }
    return nb;
  }
  if (ka == kb) { return ia < ib; }
  if (U.desc != 0u) { return ka > kb; }
  return ka < kb;
}

fn row_offset(row: u32) -> u32 {
  var rem = row;
  var off = U.offset;
  for (var d = i32(U.n_out) - 1; d >= 0; d--) {
    let s = U.oshape[u32(d) >> 2u][u32(d) & 3u];
    off += (rem % s) * U.ostride[u32(d) >> 2u][u32(d) & 3u];
    rem = rem / s;
  }
  return off;
}

// Pair p of a step of width j: the lower element of the pair, p with a zero bit inserted at j.
fn lower(p: u32, j: u32) -> u32 {
  return ((p & ~(j - 1u)) << 1u) | (p & (j - 1u));
}

fn main_local(wg: u32, lid: u32) {
  let base = wg * U.T;
  let total = U.rows * U.P;
  for (var e = lid; e < U.T; e += WG) {
    let g = base + e;
    let pos = g % U.P;
    let row = g / U.P;
    var key = TC(0);
    var idx = i32(pos);
    if (g < total) {
      if (FROM_X) {
        if (pos < U.n) { key = TC(X[row_offset(row) + pos * U.stride]); }
      } else {
        key = K[g];
        idx = I[g];
      }
    }
    sk[e] = key;
    si[e] = idx;
  }
  for (var k = U.k0; k <= U.k1; k <<= 1u) {
    for (var j = min(k, U.T) >> 1u; j > 0u; j >>= 1u) {
      workgroupBarrier();
      for (var p = lid; p < (U.T >> 1u); p += WG) {
        let i = lower(p, j);
        let l = i + j;
        let asc = (((base + i) % U.P) & k) == 0u;
        let ka = sk[i];
        let ia = si[i];
        let kb = sk[l];
        let ib = si[l];
        if (before(kb, ib, ka, ia) == asc) {
          sk[i] = kb;
          si[i] = ib;
          sk[l] = ka;
          si[l] = ia;
        }
      }
    }
  }
  workgroupBarrier();
  for (var e = lid; e < U.T; e += WG) {
    let g = base + e;
    if (g >= total) { break; }
    if (TO_OUT) {
      let pos = g % U.P;
      if (pos < U.n) {
        let at = (g / U.P) * U.n + pos;
        OV[at] = {{TX}}(sk[e]);
        OI[at] = si[e];
      }
    } else {
      K[g] = sk[e];
      I[g] = si[e];
    }
  }
}

fn main_global(wg: u32, lid: u32) {
  let p = wg * WG + lid;
  if (p >= (U.rows * U.P) >> 1u) { return; }
  let i = lower(p, U.j);
  let l = i + U.j;
  let asc = ((i % U.P) & U.k1) == 0u;
  let ka = K[i];
  let ia = I[i];
  let kb = K[l];
  let ib = I[l];
  if (before(kb, ib, ka, ia) == asc) {
    K[i] = kb;
    I[i] = ib;
    K[l] = ka;
    I[l] = ia;
  }
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  {{MAIN}}(wid.y * nwg.x + wid.x, lid.x);
}

// Philox4x32-10, bit-identical to src/tensor/philox.ts: each invocation computes one block of
// four words for counter (counter0 + block) under key, and writes up to four outputs.
struct Params {
  n: u32, blocks: u32, c_lo: u32, c_hi: u32,
  k0: u32, k1: u32, _p0: u32, _p1: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> O: array<f32>;

const NORMAL: bool = {{NORMAL}};

// High word of a 32x32 product from 16-bit halves (WGSL has no 64-bit integers); the sums
// cannot overflow (max (2^16-1)^2 + 2(2^16-1) = 2^32-1).
fn mulhi(a: u32, b: u32) -> u32 {
  let al = a & 0xffffu;
  let ah = a >> 16u;
  let bl = b & 0xffffu;
  let bh = b >> 16u;
  let lolo = al * bl;
  let hilo = ah * bl;
  let lohi = al * bh;
  let hihi = ah * bh;
  let cross = (lolo >> 16u) + (hilo & 0xffffu) + lohi;
  return hihi + (hilo >> 16u) + (cross >> 16u);
}

fn philox(ctr: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
  var c = ctr;
  var k = key;
  for (var r = 0; r < 10; r++) {
    let hi0 = mulhi(0xD2511F53u, c.x);
    let lo0 = 0xD2511F53u * c.x;
    let hi1 = mulhi(0xCD9E8D57u, c.z);
    let lo1 = 0xCD9E8D57u * c.z;
    c = vec4<u32>(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
    k = k + vec2<u32>(0x9E3779B9u, 0xBB67AE85u);
  }
  return c;
}

fn uniform01(u: u32) -> f32 { return f32(u >> 8u) * 5.9604644775390625e-8; }

fn normal(u0: u32, u1: u32, second: bool) -> f32 {
  let r = sqrt(-2.0 * log(f32((u0 >> 8u) + 1u) * 5.9604644775390625e-8));
  let theta = 6.283185307179586 * uniform01(u1);
  return select(r * cos(theta), r * sin(theta), second);
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let j = (wid.y * nwg.x + wid.x) * 256u + lid.x;
  if (j >= P.blocks) { return; }
  let lo = P.c_lo + j;
  let hi = P.c_hi + select(0u, 1u, lo < j);
  let w = philox(vec4<u32>(lo, hi, 0u, 0u), vec2<u32>(P.k0, P.k1));
  for (var l = 0u; l < 4u; l++) {
    let i = j * 4u + l;
    if (i >= P.n) { return; }
    if (NORMAL) {
      let p = l & 2u;
      O[i] = normal(w[p], w[p + 1u], (l & 1u) == 1u);
    } else {
      O[i] = uniform01(w[l]);
    }
  }
}

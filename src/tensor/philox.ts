/**
 * Philox4x32-10, the counter-based generator every backend uses, so a seed gives the same
 * numbers on every device. Each counter value yields four 32-bit words.
 */

const M0 = 0xD2511F53;
const M1 = 0xCD9E8D57;
const W0 = 0x9E3779B9;
const W1 = 0xBB67AE85;

function mulhi(a: number, b: number): number {
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const lolo = al * bl, hilo = ah * bl, lohi = al * bh, hihi = ah * bh;
  const cross = (lolo >>> 16) + (hilo & 0xffff) + lohi;
  return (hihi + (hilo >>> 16) + Math.floor(cross / 65536)) >>> 0;
}

/** The four words of block `counter` (a non-negative integer < 2^53) under `key`. */
export function philoxBlock(
  key: readonly [number, number],
  counter: number,
  out: Uint32Array,
): void {
  let c0 = counter >>> 0;
  let c1 = Math.floor(counter / 4294967296) >>> 0;
  let c2 = 0, c3 = 0;
  let k0 = key[0] >>> 0, k1 = key[1] >>> 0;
  for (let r = 0; r < 10; r++) {
    const hi0 = mulhi(M0, c0), lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2), lo1 = Math.imul(M1, c2) >>> 0;
    const n0 = (hi1 ^ c1 ^ k0) >>> 0;
    const n2 = (hi0 ^ c3 ^ k1) >>> 0;
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

/** A uniform in [0, 1) with 24 random bits (exact in float32) from a 32-bit word. */
export function toUniform(u: number): number {
  return (u >>> 8) * 5.9604644775390625e-8;
}

/** Box–Muller normal from two words; `second` picks the sine branch. */
export function toNormal(u0: number, u1: number, second: boolean): number {
  const r = Math.sqrt(-2 * Math.log(((u0 >>> 8) + 1) * 5.9604644775390625e-8));
  const theta = 2 * Math.PI * toUniform(u1);
  return second ? r * Math.sin(theta) : r * Math.cos(theta);
}

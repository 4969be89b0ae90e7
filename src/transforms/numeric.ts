/**
 * Float helpers that reproduce Python's and PyTorch's arithmetic where a
 * transform's numbers depend on it: Python's `%` and `round(x, 15)`, and
 * PyTorch's CPU `linspace` and float32 `sum`. PyTorch's CPU kernels are
 * built with FMA for AVX2, so fused multiply-adds appear where its C++
 * writes `a * b + c` inside one kernel; {@link fma32} and {@link fma64}
 * emulate them.
 *
 * @module
 */

/** Python's float `%`: the result takes the sign of the divisor. */
export function pyMod(x: number, m: number): number {
  const r = x % m;
  return r !== 0 && (r < 0) !== (m < 0) ? r + m : r === 0 ? 0 * m : r;
}

/** Python's `round(x, 15)` (decimal rounding, then the nearest double). */
export function round15(x: number): number {
  return Number(x.toFixed(15));
}

/**
 * `fmaf(a, b, c)` for float32 values: the product of two float32 numbers is
 * exact in double, so one double addition and one rounding to float32 give
 * the fused result (barring double-rounding ties).
 */
export function fma32(a: number, b: number, c: number): number {
  return Math.fround(a * b + c);
}

const SPLIT = 134217729; // 2^27 + 1, Veltkamp's splitter for doubles

/** `fma(a, b, c)` in double: the exact product (Dekker) plus `c`, rounded once in practice. */
export function fma64(a: number, b: number, c: number): number {
  const p = a * b;
  if (!Number.isFinite(p) || p === 0) return p + c;
  let t = SPLIT * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b), bl = b - bh;
  const e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  const s = p + c;
  const v = s - p;
  const err = (p - (s - v)) + (c - v);
  return s + (err + e);
}

/**
 * `torch.linspace(start, end, steps)` in float32 on the CPU, element for
 * element: blocks of 16 are filled by vectorised `base + i * step`, the rest
 * from whichever end is nearer, all with fused multiply-adds.
 */
export function linspaceF32(start: number, end: number, steps: number): Float32Array {
  const fr = Math.fround;
  const out = new Float32Array(steps);
  if (steps === 1) {
    out[0] = start;
    return out;
  }
  const s = fr(start), e = fr(end);
  const step = fr(fr(e - s) / (steps - 1));
  const half = Math.floor(steps / 2);
  const at = (i: number): number => i < half ? fma32(step, i, s) : fma32(-step, steps - i - 1, e);
  // NOTE: the vectorised loop (AVX2: 8 floats per vector, two vectors per
  // iteration) only runs while 16 elements remain; the tail is scalar.
  let i = 0;
  for (; i + 16 <= steps; i += 16) {
    for (const v of [i, i + 8]) {
      const base = at(v);
      for (let k = 0; k < 8; k++) out[v + k] = fma32(k, step, base);
    }
  }
  for (; i < steps; i++) out[i] = at(i);
  return out;
}

/**
 * PyTorch's `row_sum` over `count` elements of `width` lanes each
 * (`get(e, lane)`): four interleaved rows summed with cascading level
 * accumulators, the leftover elements into row 0, then rows 1–3 into row 0.
 */
function rowSum(
  count: number,
  width: number,
  get: (e: number, lane: number) => number,
  round: (v: number) => number,
): Float64Array {
  const rows = Math.floor(count / 4);
  const levels = 4;
  const ceilLog2 = rows <= 1 ? 0 : Math.ceil(Math.log2(rows));
  const power = Math.max(4, Math.floor(ceilLog2 / levels));
  const stepL = 1 << power, mask = stepL - 1;
  const acc = Array.from(
    { length: levels },
    () => Array.from({ length: 4 }, () => new Float64Array(width)),
  );
  const add = (dst: Float64Array, e: number): void => {
    for (let k = 0; k < width; k++) dst[k] = round(dst[k] + get(e, k));
  };
  const fold = (dst: Float64Array, src: Float64Array): void => {
    for (let k = 0; k < width; k++) dst[k] = round(dst[k] + src[k]);
  };
  let i = 0;
  while (i + stepL <= rows) {
    for (let j = 0; j < stepL; j++, i++) for (let r = 0; r < 4; r++) add(acc[0][r], i * 4 + r);
    for (let j = 1; j < levels; j++) {
      for (let r = 0; r < 4; r++) {
        fold(acc[j][r], acc[j - 1][r]);
        acc[j - 1][r].fill(0);
      }
      if ((i & (mask << (j * power))) !== 0) break;
    }
  }
  for (; i < rows; i++) for (let r = 0; r < 4; r++) add(acc[0][r], i * 4 + r);
  for (let j = 1; j < levels; j++) for (let r = 0; r < 4; r++) fold(acc[0][r], acc[j][r]);
  const partial = acc[0];
  for (let e = rows * 4; e < count; e++) add(partial[0], e);
  for (let r = 1; r < 4; r++) fold(partial[0], partial[r]);
  return partial[0];
}

/**
 * PyTorch's CPU `sum` of a contiguous run (`cascade_sum`), float32 or
 * (`double`) float64: below one vector (8 floats, 4 doubles on AVX2) a
 * scalar {@link rowSum}; otherwise a row sum of vectors, then the scalar
 * tail, then the vector's lanes, in that order.
 */
export function torchSum(x: ArrayLike<number>, double = false): number {
  const round = double ? (v: number) => v : Math.fround;
  const width = double ? 4 : 8;
  const n = x.length;
  if (n < width) return rowSum(n, 1, (e) => x[e], round)[0];
  const vecs = Math.floor(n / width);
  const lanes = rowSum(vecs, width, (e, k) => x[e * width + k], round);
  let total = 0;
  for (let t = vecs * width; t < n; t++) total = round(total + x[t]);
  for (let k = 0; k < width; k++) total = round(total + lanes[k]);
  return total;
}

const fr = Math.fround;
const R_LN2F = fr(1.442695040888963407359924681001892137426645954152985934135449406931);
const L2UF = fr(0.693145751953125), L2LF = fr(1.428606765330187045e-06);
const EXP_POLY = [
  0.00139304355252534151077271,
  0.00833336077630519866943359,
  0.0416664853692054748535156,
  0.166666671633720397949219,
  0.5,
].map(fr);

/**
 * `torch.exp` on float32 CPU tensors: SLEEF's `expf_u10` (AVX2, with FMA),
 * which is not always correctly rounded, so `Math.exp` alone can miss by a bit.
 */
export function expF32(d: number): number {
  const t = fr(d * R_LN2F);
  const r = Math.round(t);
  const q = Math.abs(t % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  let s = fma32(q, -L2UF, d);
  s = fma32(q, -L2LF, s);
  let u = fr(0.000198527617612853646278381);
  for (const c of EXP_POLY) u = fma32(u, s, c);
  u = fr(1 + fma32(fr(s * s), u, s));
  const h = q >> 1;
  u = fr(fr(u * 2 ** h) * 2 ** (q - h));
  if (d < -104) return 0;
  return d > 100 ? Infinity : u;
}

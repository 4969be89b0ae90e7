/**
 * Bilinear resampling that reproduces Pillow's `Image.resize(..., BILINEAR)`
 * bit for bit (Pillow's Resample.c): a separable, antialiased triangle
 * filter whose support widens with the downscale factor, with weights in
 * 22-bit fixed point and a horizontal pass followed by a vertical pass.
 * torchvision 0.14's `Resize` on PIL images calls exactly this.
 *
 * @module
 */

import { Image } from "./image.ts";

const PRECISION_BITS = 32 - 8 - 2;
const ROUND_HALF = 1 << (PRECISION_BITS - 1);
const MAX_IN = (1 << PRECISION_BITS) * 256;

/** Filter taps for one axis: for output i, taps start at `bounds[2i]`, count `bounds[2i+1]`. */
interface Coeffs {
  ksize: number;
  bounds: Int32Array;
  weights: Int32Array;
}

function bilinear(x: number): number {
  if (x < 0) x = -x;
  return x < 1 ? 1 - x : 0;
}

/** Pillow's `precompute_coeffs` + `normalize_coeffs_8bpc` for box [in0, in1). */
function coeffs(inSize: number, in0: number, in1: number, outSize: number): Coeffs {
  const scale = (in1 - in0) / outSize;
  const filterscale = scale < 1 ? 1 : scale;
  const support = 1.0 * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const weights = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  const ss = 1 / filterscale;
  for (let xx = 0; xx < outSize; xx++) {
    const center = in0 + (xx + 0.5) * scale;
    // C's (int) cast truncates toward zero; clamping follows.
    let xmin = Math.trunc(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = Math.trunc(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      const w = bilinear((x + xmin - center + 0.5) * ss);
      k[x] = w;
      ww += w;
    }
    for (let x = 0; x < xmax; x++) {
      const w = ww !== 0 ? k[x] / ww : k[x];
      weights[xx * ksize + x] = w < 0
        ? Math.trunc(-0.5 + w * (1 << PRECISION_BITS))
        : Math.trunc(0.5 + w * (1 << PRECISION_BITS));
    }
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { ksize, bounds, weights };
}

function clip8(v: number): number {
  if (v >= MAX_IN) return 255;
  if (v <= 0) return 0;
  return v >> PRECISION_BITS;
}

/** Horizontal pass over rows [y0, y0 + rows) of `src` (width `inW`) into `dst` (width `outW`). */
function horizontal(
  src: Uint8Array,
  inW: number,
  c: number,
  y0: number,
  rows: number,
  outW: number,
  co: Coeffs,
): Uint8Array {
  const dst = new Uint8Array(rows * outW * c);
  const { ksize, bounds, weights } = co;
  for (let y = 0; y < rows; y++) {
    const rowIn = (y + y0) * inW * c;
    const rowOut = y * outW * c;
    for (let xx = 0; xx < outW; xx++) {
      const xmin = bounds[xx * 2];
      const xmax = bounds[xx * 2 + 1];
      const kOff = xx * ksize;
      if (c === 3) {
        // RGB: all three channels in one pass over the taps.
        let s0 = ROUND_HALF, s1 = ROUND_HALF, s2 = ROUND_HALF;
        for (let x = 0, p = rowIn + xmin * 3; x < xmax; x++, p += 3) {
          const k = weights[kOff + x];
          s0 += src[p] * k;
          s1 += src[p + 1] * k;
          s2 += src[p + 2] * k;
        }
        const o = rowOut + xx * 3;
        dst[o] = clip8(s0);
        dst[o + 1] = clip8(s1);
        dst[o + 2] = clip8(s2);
        continue;
      }
      for (let ch = 0; ch < c; ch++) {
        let ss = ROUND_HALF;
        let p = rowIn + xmin * c + ch;
        for (let x = 0; x < xmax; x++, p += c) ss += src[p] * weights[kOff + x];
        dst[rowOut + xx * c + ch] = clip8(ss);
      }
    }
  }
  return dst;
}

/** Vertical pass: `src` has width `w`; output has `outH` rows. */
function vertical(
  src: Uint8Array,
  w: number,
  c: number,
  outH: number,
  co: Coeffs,
  shift: number,
): Uint8Array {
  const dst = new Uint8Array(outH * w * c);
  const { ksize, bounds, weights } = co;
  const rowLen = w * c;
  // Whole-row accumulation keeps memory access sequential (tap-major, not column-major).
  const acc = new Float64Array(rowLen);
  for (let yy = 0; yy < outH; yy++) {
    const ymin = bounds[yy * 2] - shift;
    const ymax = bounds[yy * 2 + 1];
    const kOff = yy * ksize;
    acc.fill(ROUND_HALF);
    for (let y = 0; y < ymax; y++) {
      const k = weights[kOff + y];
      const r = (ymin + y) * rowLen;
      for (let i = 0; i < rowLen; i++) acc[i] += src[r + i] * k;
    }
    const rowOut = yy * rowLen;
    for (let i = 0; i < rowLen; i++) dst[rowOut + i] = clip8(acc[i]);
  }
  return dst;
}

/**
 * Resizes `img` to `height` × `width` with Pillow-exact bilinear filtering.
 * Returns `img` itself when the size is unchanged (Pillow copies; the pixels
 * are identical).
 */
export function resizeBilinear(img: Image, height: number, width: number): Image {
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
    throw new RangeError(`resize: output size must be positive integers, got ${height}x${width}`);
  }
  const { height: inH, width: inW, channels: c } = img;
  if (inH === 0 || inW === 0) throw new RangeError(`resize: cannot resize an empty ${img}`);
  const needH = width !== inW;
  const needV = height !== inH;
  if (!needH && !needV) return img;
  const cv = coeffs(inH, 0, inH, height);
  let data = img.data;
  let shift = 0;
  if (needH) {
    const ch = coeffs(inW, 0, inW, width);
    // Only rows the vertical pass will read are filtered horizontally.
    const first = needV ? cv.bounds[0] : 0;
    const last = needV ? cv.bounds[height * 2 - 2] + cv.bounds[height * 2 - 1] : inH;
    data = horizontal(data, inW, c, first, last - first, width, ch);
    shift = first;
  }
  if (needV) data = vertical(data, width, c, height, cv, shift);
  return new Image(data, height, width, c);
}

/**
 * Resampling that reproduces Pillow's `Image.resize` bit for bit (Pillow's
 * Resample.c): a separable, antialiased convolution whose support widens
 * with the downscale factor, with weights in 22-bit fixed point and a
 * horizontal pass followed by a vertical pass, for the bilinear, bicubic,
 * box, hamming and lanczos filters; nearest neighbour goes through Pillow's
 * scaling affine transform instead. torchvision 0.14's `Resize` on PIL
 * images calls exactly this.
 *
 * @module
 */

import { Image } from "./image.ts";
import type { InterpolationMode } from "./interpolation.ts";
import { premultiplied, scaleAffine, unpremultiplied } from "./warp.ts";

const PRECISION_BITS = 32 - 8 - 2;
const ROUND_HALF = 1 << (PRECISION_BITS - 1);
const MAX_IN = (1 << PRECISION_BITS) * 256;

/** Filter taps for one axis: for output i, taps start at `bounds[2i]`, count `bounds[2i+1]`. */
interface Coeffs {
  ksize: number;
  bounds: Int32Array;
  weights: Int32Array;
}

/** A Pillow resampling filter: its kernel and its support at scale 1. */
interface Filter {
  fn: (x: number) => number;
  support: number;
}

function sinc(x: number): number {
  if (x === 0) return 1;
  x *= Math.PI;
  return Math.sin(x) / x;
}

// NOTE: Pillow's hamming window uses the float literals 0.54f and 0.46f.
const H054 = Math.fround(0.54), H046 = Math.fround(0.46);

const FILTERS: Record<Exclude<InterpolationMode, "nearest">, Filter> = {
  box: { fn: (x) => (x > -0.5 && x <= 0.5 ? 1 : 0), support: 0.5 },
  bilinear: {
    fn: (x) => {
      if (x < 0) x = -x;
      return x < 1 ? 1 - x : 0;
    },
    support: 1,
  },
  hamming: {
    fn: (x) => {
      if (x < 0) x = -x;
      if (x === 0) return 1;
      if (x >= 1) return 0;
      x *= Math.PI;
      return Math.sin(x) / x * (H054 + H046 * Math.cos(x));
    },
    support: 1,
  },
  bicubic: {
    fn: (x) => {
      const a = -0.5;
      if (x < 0) x = -x;
      if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
      if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
      return 0;
    },
    support: 2,
  },
  lanczos: { fn: (x) => (-3 <= x && x < 3 ? sinc(x) * sinc(x / 3) : 0), support: 3 },
};

/** Pillow's `precompute_coeffs` + `normalize_coeffs_8bpc` for box [in0, in1). */
function coeffs(
  inSize: number,
  in0: number,
  in1: number,
  outSize: number,
  filter: Filter,
): Coeffs {
  const scale = (in1 - in0) / outSize;
  const filterscale = scale < 1 ? 1 : scale;
  const support = filter.support * filterscale;
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
      const w = filter.fn((x + xmin - center + 0.5) * ss);
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
 * Resizes `img` to `height` × `width` like Pillow's `Image.resize` with the
 * given filter (default bilinear). Returns `img` itself when the size is
 * unchanged (Pillow copies; the pixels are identical). Images with alpha are
 * resampled premultiplied, as Pillow does.
 */
export function resizeImage(
  img: Image,
  height: number,
  width: number,
  interpolation: InterpolationMode = "bilinear",
): Image {
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
    throw new RangeError(`resize: output size must be positive integers, got ${height}x${width}`);
  }
  const { height: inH, width: inW, channels: c } = img;
  if (inH === 0 || inW === 0) throw new RangeError(`resize: cannot resize an empty ${img}`);
  if (height === inH && width === inW) return img;
  if (interpolation === "nearest") return resizeNearest(img, height, width);
  const filter = FILTERS[interpolation];
  if (filter === undefined) {
    throw new RangeError(`resize: unknown interpolation ${JSON.stringify(interpolation)}`);
  }
  if (c === 2 || c === 4) {
    return unpremultiplied(resampleSeparable(premultiplied(img), height, width, filter));
  }
  return resampleSeparable(img, height, width, filter);
}

/** Pillow-exact bilinear resize (see {@link resizeImage}). */
export function resizeBilinear(img: Image, height: number, width: number): Image {
  return resizeImage(img, height, width, "bilinear");
}

function resampleSeparable(img: Image, height: number, width: number, filter: Filter): Image {
  const { height: inH, width: inW, channels: c } = img;
  const needH = width !== inW;
  const needV = height !== inH;
  const cv = coeffs(inH, 0, inH, height, filter);
  let data = img.data;
  let shift = 0;
  if (needH) {
    const ch = coeffs(inW, 0, inW, width, filter);
    // Only rows the vertical pass will read are filtered horizontally.
    const first = needV ? cv.bounds[0] : 0;
    const last = needV ? cv.bounds[height * 2 - 2] + cv.bounds[height * 2 - 1] : inH;
    data = horizontal(data, inW, c, first, last - first, width, ch);
    shift = first;
  }
  if (needV) data = vertical(data, width, c, height, cv, shift);
  return new Image(data, height, width, c);
}

/** Pillow's nearest-neighbour resize: its scaling affine transform with step `in / out`. */
function resizeNearest(img: Image, height: number, width: number): Image {
  const out = new Uint8Array(height * width * img.channels);
  scaleAffine(img, out, width, height, [img.width / width, 0, 0, 0, img.height / height, 0]);
  return new Image(out, height, width, img.channels);
}

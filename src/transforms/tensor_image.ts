/**
 * torchvision's tensor-image kernels (`functional_tensor`) for CPU tensors of
 * shape `[..., C, H, W]` (or `[H, W]`): flips, crops and pads, greyscale and
 * colour adjustments, tone ops, blur, erasing and dtype conversion. Each
 * reproduces PyTorch's arithmetic: float32 inputs are rounded to float32
 * after every tensor op, float64 stays double, int32 images go through
 * float32 and back like torchvision does for integer images.
 *
 * @module
 */

import { Tensor } from "../tensor/tensor.ts";
import { tensor } from "../tensor/creation.ts";
import type { DType } from "../tensor/dtype.ts";
import { Image } from "./image.ts";
import { blurPlanes, convUsesFma } from "./blur.ts";
import { mapIndex, type PaddingMode } from "./geometry.ts";
import { roundHalfEven } from "./size.ts";
import { fma32, torchSum } from "./numeric.ts";

/** Tensor dtypes that can hold an image. */
export type ImageDType = "float32" | "float64" | "int32";

/** A tensor image read back to the host, with its layout. */
export interface HostImage {
  /** Contiguous values. */
  data: Float32Array | Float64Array | Int32Array;
  /** Element type. */
  dtype: ImageDType;
  /** The tensor's shape. */
  shape: number[];
  /** Number of images (product of the dims before C). */
  batch: number;
  /** Channels (1 for a `[H, W]` tensor). */
  c: number;
  /** Rows. */
  h: number;
  /** Columns. */
  w: number;
}

/** Reads a CPU image tensor; `minDims` is 3 where torchvision needs a channel dim. */
export function hostImage(who: string, t: Tensor, minDims = 2): HostImage {
  if (t.device !== "cpu") {
    throw new TypeError(
      `${who}: tensor images must be on the cpu (got ${t.device}); transform before moving batches to the device`,
    );
  }
  if (t.dtype === "bool") {
    throw new TypeError(`${who}: expected a float32, float64 or int32 image tensor, got bool`);
  }
  if (t.ndim < minDims) {
    throw new RangeError(
      `${who}: expected a tensor image of shape [..., ${minDims >= 3 ? "C, " : ""}H, W], got [${
        t.shape.join(", ")
      }]`,
    );
  }
  const shape = [...t.shape];
  const n = shape.length;
  const c = n === 2 ? 1 : shape[n - 3];
  const batch = n <= 3 ? 1 : shape.slice(0, n - 3).reduce((a, b) => a * b, 1);
  return {
    data: t.dataSync() as Float32Array | Float64Array | Int32Array,
    dtype: t.dtype as ImageDType,
    shape,
    batch,
    c,
    h: shape[n - 2],
    w: shape[n - 1],
  };
}

/** Builds a CPU tensor of `dtype` from computed values (float→int truncates, like `.to()`). */
export function fromHost(values: ArrayLike<number>, shape: number[], dtype: DType): Tensor {
  const data = dtype === "float32"
    ? Float32Array.from(values)
    : dtype === "float64"
    ? Float64Array.from(values)
    : Int32Array.from(values, (v) => Math.trunc(v));
  return tensor(data, { shape, dtype, device: "cpu" });
}

/** Rounding of one tensor op's result in the dtype it computes in. */
export function opRound(dtype: ImageDType): (v: number) => number {
  return dtype === "float64" ? (v) => v : Math.fround;
}

/** torchvision's `_assert_channels`. */
export function checkChannels(who: string, img: HostImage, permitted: readonly number[]): void {
  if (!permitted.includes(img.c)) {
    throw new TypeError(
      `${who}: expected an image tensor with ${
        permitted.join(" or ")
      } channels, got ${img.c} (shape [${img.shape.join(", ")}])`,
    );
  }
}

/** Flips the last (`horizontal`) or second-to-last dim. */
export function flipTensor(t: Tensor, horizontal: boolean, who: string): Tensor {
  const img = hostImage(who, t);
  const { data, h, w } = img;
  const out = new Float64Array(data.length);
  for (let p = 0; p < data.length; p += h * w) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const sy = horizontal ? y : h - 1 - y, sx = horizontal ? w - 1 - x : x;
        out[p + y * w + x] = data[p + sy * w + sx];
      }
    }
  }
  return fromHost(out, img.shape, img.dtype);
}

/**
 * Pads (and, for a crop window beyond the image, zero-fills) a tensor image:
 * the output is `outH`×`outW` and its (0, 0) sits at (`-top`, `-left`) of
 * the input. torch's rules apply: reflect padding must be smaller than the
 * dim, symmetric padding at most the dim.
 */
export function padTensor(
  t: Tensor,
  padding: { left: number; top: number; right: number; bottom: number },
  mode: PaddingMode,
  fill: number,
  who: string,
): Tensor {
  const img = hostImage(who, t);
  const { h, w } = img;
  const limit = mode === "reflect" ? 1 : 0;
  if (mode === "reflect" || mode === "symmetric") {
    const big = [padding.left, padding.right].some((p) => p > w - limit) ||
      [padding.top, padding.bottom].some((p) => p > h - limit);
    if (big) {
      throw new RangeError(
        `${who}: ${mode} padding ${JSON.stringify(padding)} must be ${
          mode === "reflect" ? "smaller than" : "at most"
        } the image size ${h}×${w} for tensors`,
      );
    }
  }
  return windowTensor(
    img,
    -padding.top,
    -padding.left,
    h + padding.top + padding.bottom,
    w + padding.left + padding.right,
    mode,
    fill,
  );
}

function windowTensor(
  img: HostImage,
  top: number,
  left: number,
  outH: number,
  outW: number,
  mode: PaddingMode,
  fill: number,
): Tensor {
  const { data, h, w, batch, c } = img;
  // torch casts the fill value to the tensor's dtype.
  const f = img.dtype === "int32"
    ? Math.trunc(fill)
    : img.dtype === "float32"
    ? Math.fround(fill)
    : fill;
  const planes = batch * c;
  const out = new Float64Array(planes * outH * outW);
  const cols = Int32Array.from({ length: outW }, (_, x) => mapIndex(x + left, w, mode));
  for (let p = 0; p < planes; p++) {
    for (let y = 0; y < outH; y++) {
      const sy = mapIndex(y + top, h, mode);
      const o = (p * outH + y) * outW;
      for (let x = 0; x < outW; x++) {
        out[o + x] = sy < 0 || cols[x] < 0 ? f : data[(p * h + sy) * w + cols[x]];
      }
    }
  }
  const shape = [...img.shape];
  shape[shape.length - 2] = outH;
  shape[shape.length - 1] = outW;
  return fromHost(out, shape, img.dtype);
}

/** torchvision's tensor `crop`: regions outside the image are zeros. */
export function cropTensor(
  t: Tensor,
  top: number,
  left: number,
  height: number,
  width: number,
  who = "crop",
): Tensor {
  if (!(height >= 0 && width >= 0)) {
    throw new RangeError(`${who}: negative crop size ${height}x${width}`);
  }
  return windowTensor(hostImage(who, t), top, left, height, width, "constant", 0);
}

/** Luma per pixel, as torchvision computes it (`0.2989 r + 0.587 g + 0.114 b`, cast back). */
function grayPlane(img: HostImage, index: number): Float64Array {
  const { data, h, w } = img;
  const hw = h * w;
  const r = opRound(img.dtype === "float64" ? "float64" : "float32");
  const [kr, kg, kb] = [0.2989, 0.587, 0.114].map(r);
  const out = new Float64Array(hw);
  const base = index * 3 * hw;
  for (let i = 0; i < hw; i++) {
    const v = r(
      r(r(kr * data[base + i]) + r(kg * data[base + hw + i])) + r(kb * data[base + 2 * hw + i]),
    );
    out[i] = img.dtype === "int32" ? Math.trunc(v) : v;
  }
  return out;
}

/** torchvision's tensor `rgb_to_grayscale`. */
export function grayscaleTensor(t: Tensor, numOutputChannels: number, who: string): Tensor {
  const img = hostImage(who, t, 3);
  checkChannels(who, img, [1, 3]);
  if (numOutputChannels !== 1 && numOutputChannels !== 3) {
    throw new RangeError(`${who}: numOutputChannels must be 1 or 3, got ${numOutputChannels}`);
  }
  const { batch, h, w, c } = img;
  const hw = h * w;
  const out = new Float64Array(batch * numOutputChannels * hw);
  for (let b = 0; b < batch; b++) {
    const g = c === 3 ? grayPlane(img, b) : img.data.subarray(b * hw, (b + 1) * hw);
    for (let k = 0; k < numOutputChannels; k++) out.set(g, (b * numOutputChannels + k) * hw);
  }
  const shape = [...img.shape];
  shape[shape.length - 3] = numOutputChannels;
  return fromHost(out, shape, img.dtype);
}

/**
 * torchvision's `_blend`: `ratio * img + (1 - ratio) * other`, clamped to
 * [0, 1] (float) or [0, 255] (integer), cast back. `other(i)` gives the
 * second image's value for flat index `i`.
 */
function blend(img: HostImage, ratio: number, other: (i: number) => number): Tensor {
  const r = opRound(img.dtype === "float64" ? "float64" : "float32");
  const bound = img.dtype === "int32" ? 255 : 1;
  const a = r(ratio), b = r(1.0 - ratio);
  const { data } = img;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = r(r(a * data[i]) + r(b * other(i)));
    out[i] = v < 0 ? 0 : v > bound ? bound : v;
  }
  return fromHost(out, img.shape, img.dtype);
}

function checkFactor(who: string, name: string, v: number): void {
  if (!(v >= 0)) throw new RangeError(`${who}: ${name} must be non-negative, got ${v}`);
}

/** torchvision's tensor `adjust_brightness`. */
export function adjustBrightnessTensor(t: Tensor, factor: number): Tensor {
  const who = "adjustBrightness";
  checkFactor(who, "brightnessFactor", factor);
  const img = hostImage(who, t);
  checkChannels(who, img, [1, 3]);
  return blend(img, factor, () => 0);
}

/** torchvision's tensor `adjust_contrast`: blend with the mean grey level of each image. */
export function adjustContrastTensor(t: Tensor, factor: number): Tensor {
  const who = "adjustContrast";
  checkFactor(who, "contrastFactor", factor);
  const img = hostImage(who, t, 3);
  checkChannels(who, img, [1, 3]);
  const r = opRound(img.dtype === "float64" ? "float64" : "float32");
  const per = img.c * img.h * img.w, hw = img.h * img.w;
  const means = new Float64Array(img.batch);
  for (let b = 0; b < img.batch; b++) {
    const g = img.c === 3 ? grayPlane(img, b) : img.data.subarray(b * hw, (b + 1) * hw);
    // torch.mean on the CPU is its cascade sum divided by the count.
    means[b] = r(torchSum(g, img.dtype === "float64") / hw);
  }
  return blend(img, factor, (i) => means[Math.floor(i / per)]);
}

/** torchvision's tensor `adjust_saturation`: blend with the greyscale image. */
export function adjustSaturationTensor(t: Tensor, factor: number): Tensor {
  const who = "adjustSaturation";
  checkFactor(who, "saturationFactor", factor);
  const img = hostImage(who, t, 3);
  checkChannels(who, img, [1, 3]);
  if (img.c === 1) return t;
  const hw = img.h * img.w;
  const grays = Array.from({ length: img.batch }, (_, b) => grayPlane(img, b));
  return blend(img, factor, (i) => grays[Math.floor(i / (3 * hw))][i % hw]);
}

/** torchvision's tensor `adjust_sharpness`: blend with the 3×3 smoothed image (borders kept). */
export function adjustSharpnessTensor(t: Tensor, factor: number): Tensor {
  const who = "adjustSharpness";
  checkFactor(who, "sharpnessFactor", factor);
  const img = hostImage(who, t);
  checkChannels(who, img, [1, 3]);
  const { data, h, w } = img;
  if (w <= 2 || h <= 2) return t;
  const r = opRound(img.dtype === "float64" ? "float64" : "float32");
  const k1 = r(1 / 13), k5 = r(5 / 13);
  const fused = convUsesFma(img.dtype === "float64", img.batch, img.c, h, w, 3, 3);
  const mac = fused ? fma32 : (x: number, k: number, acc: number) => r(acc + r(x * k));
  const degenerate = Float64Array.from(data);
  for (let p = 0; p < data.length; p += h * w) {
    for (let y = 1; y < h - 1; y++) {
      for (let x = 1; x < w - 1; x++) {
        let v = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            v = mac(data[p + (y + dy) * w + x + dx], dx || dy ? k1 : k5, v);
          }
        }
        degenerate[p + y * w + x] = img.dtype === "int32" ? roundHalfEven(v) : v;
      }
    }
  }
  return blend(img, factor, (i) => degenerate[i]);
}

/** torchvision's `_rgb2hsv` → hue shift → `_hsv2rgb`, in the tensor's float type. */
export function adjustHueTensor(t: Tensor, hueFactor: number): Tensor {
  const who = "adjustHue";
  if (!(hueFactor >= -0.5 && hueFactor <= 0.5)) {
    throw new RangeError(`${who}: hueFactor ${hueFactor} is not in [-0.5, 0.5]`);
  }
  const img = hostImage(who, t);
  checkChannels(who, img, [1, 3]);
  if (img.c === 1) return t;
  if (img.dtype === "int32") {
    throw new TypeError(
      `${who}: int32 image tensors are not supported (torchvision only rescales uint8); convert to float first`,
    );
  }
  const r = opRound(img.dtype);
  const { data, h, w, batch } = img;
  const hw = h * w;
  const out = new Float64Array(data.length);
  const hf = r(hueFactor);
  const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);
  for (let b = 0; b < batch; b++) {
    const o = b * 3 * hw;
    for (let i = 0; i < hw; i++) {
      const R = data[o + i], G = data[o + hw + i], B = data[o + 2 * hw + i];
      const maxc = Math.max(R, G, B), minc = Math.min(R, G, B);
      const eq = maxc === minc;
      const cr = r(maxc - minc);
      const s = r(cr / (eq ? 1 : maxc));
      const div = eq ? 1 : cr;
      const rc = r(r(maxc - R) / div), gc = r(r(maxc - G) / div), bc = r(r(maxc - B) / div);
      const hr = maxc === R ? r(bc - gc) : 0;
      const hg = maxc === G && maxc !== R ? r(r(2.0 + rc) - bc) : 0;
      const hb = maxc !== G && maxc !== R ? r(r(4.0 + gc) - rc) : 0;
      let hue = r(r(hr + hg) + hb);
      hue = r(r(r(hue / 6.0) + 1.0) % 1.0);
      hue = r(r(hue + hf) % 1.0);
      if (hue < 0) hue = r(hue + 1.0);
      const v = maxc;
      const h6 = r(hue * 6.0);
      const fi = Math.floor(h6);
      const f = r(h6 - fi);
      const p = clamp01(r(v * r(1.0 - s)));
      const q = clamp01(r(v * r(1.0 - r(s * f))));
      const tt = clamp01(r(v * r(1.0 - r(s * r(1.0 - f)))));
      const k = ((fi % 6) + 6) % 6;
      const rgb = [[v, tt, p], [q, v, p], [p, v, tt], [p, q, v], [tt, p, v], [v, p, q]][k];
      out[o + i] = rgb[0];
      out[o + hw + i] = rgb[1];
      out[o + 2 * hw + i] = rgb[2];
    }
  }
  return fromHost(out, img.shape, img.dtype);
}

/** PyTorch's `pow(tensor, scalar)` on float tensors, with its exact fast paths. */
function powScalar(x: number, e: number, r: (v: number) => number): number {
  if (e === 1) return x;
  if (e === 0.5) return r(Math.sqrt(x));
  if (e === 2) return r(x * x);
  if (e === 3) return r(r(x * x) * x);
  if (e === -0.5) return r(1 / r(Math.sqrt(x)));
  if (e === -1) return r(1 / x);
  if (e === -2) return r(1 / r(x * x));
  return r(Math.pow(x, r(e)));
}

/** torchvision's tensor `adjust_gamma` on float tensors: `clamp(gain * x ** gamma, 0, 1)`. */
export function adjustGammaTensor(t: Tensor, gamma: number, gain = 1): Tensor {
  const who = "adjustGamma";
  const img = hostImage(who, t);
  checkChannels(who, img, [1, 3]);
  if (!(gamma >= 0)) throw new RangeError(`${who}: gamma must be non-negative, got ${gamma}`);
  if (img.dtype === "int32") {
    throw new TypeError(
      `${who}: int32 image tensors are not supported (torchvision's float32 → int32 conversion back is unsafe)`,
    );
  }
  const r = opRound(img.dtype);
  const g = r(gain);
  const out = Float64Array.from(img.data, (x) => {
    const v = r(g * powScalar(x, gamma, r));
    return v < 0 ? 0 : v > 1 ? 1 : v;
  });
  return fromHost(out, img.shape, img.dtype);
}

/** torchvision's tensor `invert`: `bound - x` (1 for float, 255 for integers). */
export function invertTensor(t: Tensor): Tensor {
  const img = hostImage("invert", t, 3);
  checkChannels("invert", img, [1, 3]);
  const r = opRound(img.dtype === "float64" ? "float64" : "float32");
  const bound = img.dtype === "int32" ? 255 : 1;
  return fromHost(Float64Array.from(img.data, (x) => r(bound - x)), img.shape, img.dtype);
}

/** torchvision's tensor `solarize`: invert values at or above `threshold`. */
export function solarizeTensor(t: Tensor, threshold: number): Tensor {
  const img = hostImage("solarize", t, 3);
  checkChannels("solarize", img, [1, 3]);
  const bound = img.dtype === "int32" ? 255 : 1;
  if (threshold > bound) {
    throw new RangeError(
      `solarize: threshold ${threshold} is above the image's bound ${bound} (${img.dtype})`,
    );
  }
  const r = opRound(img.dtype === "float64" ? "float64" : "float32");
  const th = r(threshold);
  const out = Float64Array.from(img.data, (x) => (r(x) >= th ? r(bound - x) : x));
  return fromHost(out, img.shape, img.dtype);
}

/** torchvision's tensor `autocontrast`: per channel, `(x - min) * bound / (max - min)`. */
export function autocontrastTensor(t: Tensor): Tensor {
  const img = hostImage("autocontrast", t, 3);
  checkChannels("autocontrast", img, [1, 3]);
  const isInt = img.dtype === "int32";
  const r = opRound(img.dtype === "float64" ? "float64" : "float32");
  const bound = isInt ? 255 : 1;
  const { data, h, w } = img;
  const hw = h * w;
  const out = new Float64Array(data.length);
  for (let p = 0; p < data.length; p += hw) {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < hw; i++) {
      lo = Math.min(lo, data[p + i]);
      hi = Math.max(hi, data[p + i]);
    }
    // NOTE: `bound / t` is `t.reciprocal() * bound` in PyTorch: two roundings.
    let scale = r(r(1 / r(hi - lo)) * bound);
    if (!Number.isFinite(scale)) {
      lo = 0;
      scale = 1;
    }
    for (let i = 0; i < hw; i++) {
      const v = r(r(data[p + i] - lo) * scale);
      out[p + i] = v < 0 ? 0 : v > bound ? bound : v;
    }
  }
  return fromHost(out, img.shape, img.dtype);
}

/** torchvision's tensor `gaussian_blur` (integer images are blurred in float32 and rounded). */
export function gaussianBlurTensor(
  t: Tensor,
  kernelSize: readonly [number, number],
  sigma: readonly [number, number],
): Tensor {
  const img = hostImage("gaussianBlur", t);
  const out = blurPlanes(
    img.data,
    img.batch,
    img.c,
    img.h,
    img.w,
    kernelSize,
    sigma,
    img.dtype === "float64",
    "gaussianBlur",
  );
  if (img.dtype === "int32") out.forEach((v, i) => (out[i] = roundHalfEven(v)));
  return fromHost(out, img.shape, img.dtype);
}

/**
 * torchvision's `erase`: sets rows [i, i+h) × columns [j, j+w) to `v`
 * (one value, one per channel, or a `[C, h, w]` block of values).
 */
export function eraseTensor(
  t: Tensor,
  i: number,
  j: number,
  h: number,
  w: number,
  v: ArrayLike<number>,
  vShape: readonly number[],
): Tensor {
  const img = hostImage("erase", t);
  const { c, h: H, w: W } = img;
  const out = Float64Array.from(img.data);
  // Python slice semantics: img[..., i:i+h, j:j+w] (negative bounds count from the end).
  const bound = (v: number, n: number): number => (v < 0 ? Math.max(0, n + v) : Math.min(v, n));
  const y0 = bound(i, H), x0 = bound(j, W);
  const y1 = Math.max(y0, bound(i + h, H)), x1 = Math.max(x0, bound(j + w, W));
  const [vc, vh, vw] = vShape.length === 3 ? vShape : [v.length, 1, 1];
  if ((vc !== 1 && vc !== c) || (vh !== 1 && vh !== y1 - y0) || (vw !== 1 && vw !== x1 - x0)) {
    throw new RangeError(
      `erase: value of shape [${vc}, ${vh}, ${vw}] does not broadcast to the region [${c}, ${
        y1 - y0
      }, ${x1 - x0}]`,
    );
  }
  const cast = img.dtype === "float32" ? Math.fround : (x: number) => x;
  for (let p = 0; p < out.length; p += H * W) {
    const ch = (p / (H * W)) % c;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const idx = (vc === 1 ? 0 : ch) * vh * vw + (vh === 1 ? 0 : y - y0) * vw +
          (vw === 1 ? 0 : x - x0);
        out[p + y * W + x] = cast(v[idx]);
      }
    }
  }
  return fromHost(out, img.shape, img.dtype);
}

const INT32_MAX = 2147483647;

/** torchvision's `convert_image_dtype` between float32, float64 and int32 (max 2³¹ − 1). */
export function convertImageDtypeTensor(t: Tensor, dtype: ImageDType): Tensor {
  const who = "convertImageDtype";
  if (!(t instanceof Tensor)) {
    throw new TypeError(`${who}: expected a Tensor, got ${typeof t}`);
  }
  if (!["float32", "float64", "int32"].includes(dtype)) {
    throw new TypeError(`${who}: dtype must be float32, float64 or int32, got ${dtype}`);
  }
  if (t.dtype === dtype) return t;
  const img = hostImage(who, t, 0);
  if (img.dtype !== "int32") {
    if (dtype !== "int32") return fromHost(img.data, img.shape, dtype);
    if (img.dtype === "float32") {
      throw new TypeError(`${who}: the cast from float32 to int32 cannot be performed safely`);
    }
    const f = INT32_MAX + 1.0 - 1e-3;
    return fromHost(Float64Array.from(img.data, (x) => x * f), img.shape, dtype);
  }
  const r = dtype === "float32" ? Math.fround : (v: number) => v;
  const m = r(INT32_MAX);
  return fromHost(Float64Array.from(img.data, (x) => r(r(x) / m)), img.shape, dtype);
}

/**
 * torchvision's `to_pil_image` for a `[C, H, W]` or `[H, W]` float tensor:
 * `x * 255` truncated to a byte (as `.byte()` does) and laid out HWC.
 */
export function tensorToImage(t: Tensor): Image {
  const who = "toPILImage";
  const img = hostImage(who, t);
  if (img.shape.length > 3) {
    throw new RangeError(
      `${who}: expected a [C, H, W] or [H, W] tensor, got [${img.shape.join(", ")}]`,
    );
  }
  if (img.c > 4) throw new RangeError(`${who}: an image has at most 4 channels, got ${img.c}`);
  if (img.dtype === "int32") {
    throw new TypeError(
      `${who}: int32 tensors are not supported (an Image holds 8-bit values); convert to float`,
    );
  }
  const { data, c, h, w } = img;
  const hw = h * w;
  const r = opRound(img.dtype);
  const out = new Uint8Array(hw * c);
  for (let ch = 0; ch < c; ch++) {
    for (let i = 0; i < hw; i++) out[i * c + ch] = Math.trunc(r(data[ch * hw + i] * 255)) & 255;
  }
  return new Image(out, h, w, c);
}

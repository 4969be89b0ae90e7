/**
 * Typed-array kernels behind `ToTensor` and `Normalize` (no tensor
 * dependency, so DataLoader workers and tests can use them directly).
 *
 * @module
 */

import type { Image } from "./image.ts";

/** HWC uint8 → CHW float32 scaled to [0, 1] (`x / 255` in float32). */
export function imageToChw(img: Image, out?: Float32Array): Float32Array {
  const { height: h, width: w, channels: c, data } = img;
  const plane = h * w;
  const dst = out ?? new Float32Array(plane * c);
  if (dst.length < plane * c) {
    throw new RangeError(`imageToChw: output has ${dst.length} < ${plane * c} elements`);
  }
  if (c === 3) {
    // One sequential pass over the pixels, writing the three planes.
    for (let i = 0, s = 0; i < plane; i++, s += 3) {
      dst[i] = data[s] / 255;
      dst[plane + i] = data[s + 1] / 255;
      dst[2 * plane + i] = data[s + 2] / 255;
    }
    return dst;
  }
  for (let ch = 0; ch < c; ch++) {
    const o = ch * plane;
    for (let i = 0, s = ch; i < plane; i++, s += c) dst[o + i] = data[s] / 255;
  }
  return dst;
}

/**
 * In-place per-channel normalisation of CHW data (any leading dims):
 * `x = (x - mean[c]) / std[c]`, each step rounded to float32 like PyTorch's
 * `sub_` then `div_`.
 */
export function normalizeChw(
  data: Float32Array,
  channels: number,
  plane: number,
  mean: Float32Array,
  std: Float32Array,
): Float32Array {
  const fr = Math.fround;
  const per = channels * plane;
  for (let base = 0; base < data.length; base += per) {
    for (let ch = 0; ch < channels; ch++) {
      const m = mean[mean.length === 1 ? 0 : ch];
      const s = std[std.length === 1 ? 0 : ch];
      const o = base + ch * plane;
      for (let i = 0; i < plane; i++) data[o + i] = fr(data[o + i] - m) / s;
    }
  }
  return data;
}

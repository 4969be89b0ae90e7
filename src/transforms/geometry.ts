/**
 * Pixel-moving kernels on {@link Image}: padding, cropping (fused, so a
 * padded crop never materialises the padded image) and flips. Plain
 * typed-array loops; no per-pixel allocation.
 *
 * @module
 */

import { Image } from "./image.ts";

/** How pixels outside the image are filled (torchvision's `padding_mode`). */
export type PaddingMode = "constant" | "edge" | "reflect" | "symmetric";

/** Padding per side, in pixels. */
export interface Padding {
  /** Columns added on the left. */
  left: number;
  /** Rows added on top. */
  top: number;
  /** Columns added on the right. */
  right: number;
  /** Rows added at the bottom. */
  bottom: number;
}

/**
 * torchvision's padding argument: `p` (all sides), `[lr, tb]` or
 * `[left, top, right, bottom]`.
 */
export type PaddingSpec = number | [number, number] | [number, number, number, number];

/** Expands a {@link PaddingSpec} to four sides. */
export function parsePadding(p: PaddingSpec, who: string): Padding {
  const a = typeof p === "number" ? [p, p, p, p] : p.length === 2 ? [p[0], p[1], p[0], p[1]] : p;
  if (!Array.isArray(a) || a.length !== 4 || a.some((v) => !Number.isInteger(v) || v < 0)) {
    throw new RangeError(
      `${who}: padding must be a non-negative integer or an array of 2 or 4 of them, got ${
        JSON.stringify(p)
      }`,
    );
  }
  return { left: a[0], top: a[1], right: a[2], bottom: a[3] };
}

/** Source index for padded coordinate `i` (already shifted by the pad), or -1 for fill. */
export function mapIndex(i: number, n: number, mode: PaddingMode): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case "constant":
      return -1;
    case "edge":
      return i < 0 ? 0 : n - 1;
    case "reflect": {
      // numpy 'reflect': mirror without repeating the edge; period 2(n-1).
      if (n === 1) return 0;
      const period = 2 * (n - 1);
      let m = i % period;
      if (m < 0) m += period;
      return m < n ? m : period - m;
    }
    case "symmetric": {
      // numpy 'symmetric': mirror repeating the edge; period 2n.
      const period = 2 * n;
      let m = i % period;
      if (m < 0) m += period;
      return m < n ? m : period - 1 - m;
    }
  }
}

/** Per-channel fill bytes from a scalar or per-channel array. */
function fillBytes(fill: number | readonly number[], channels: number, who: string): Uint8Array {
  const f = new Uint8Array(channels);
  if (typeof fill === "number") {
    f.fill(fill);
  } else if (fill.length === channels || fill.length === 1) {
    for (let c = 0; c < channels; c++) f[c] = fill[fill.length === 1 ? 0 : c];
  } else {
    throw new RangeError(`${who}: fill has ${fill.length} values for a ${channels}-channel image`);
  }
  return f;
}

/**
 * Crops an `outH`×`outW` window at (`top`, `left`) of `img` padded by `pad`,
 * without building the padded image. Window coordinates are in the padded
 * frame, so (0, 0) with zero padding is the image's top-left pixel.
 */
export function padCrop(
  img: Image,
  pad: Padding,
  top: number,
  left: number,
  outH: number,
  outW: number,
  mode: PaddingMode = "constant",
  fill: number | readonly number[] = 0,
  who = "crop",
): Image {
  const { height: h, width: w, channels: c, data: src } = img;
  if (outH < 0 || outW < 0) throw new RangeError(`${who}: negative crop size ${outH}x${outW}`);
  if (mode !== "constant" && (h === 0 || w === 0)) {
    throw new RangeError(`${who}: cannot pad an empty ${img} in mode "${mode}"`);
  }
  const out = new Uint8Array(outH * outW * c);
  const fb = fillBytes(fill, c, who);
  const cols = new Int32Array(outW);
  // The run of output columns whose sources are consecutive in-image columns.
  let runStart = -1, runEnd = -1;
  for (let x = 0; x < outW; x++) {
    const sx = mapIndex(x + left - pad.left, w, mode);
    cols[x] = sx;
    if (sx >= 0 && x + left - pad.left === sx) {
      if (runStart < 0) runStart = x;
      runEnd = x + 1;
    }
  }
  const rowLen = w * c;
  for (let y = 0; y < outH; y++) {
    const sy = mapIndex(y + top - pad.top, h, mode);
    const o = y * outW * c;
    if (sy < 0) {
      for (let x = 0; x < outW; x++) out.set(fb, o + x * c);
      continue;
    }
    const r = sy * rowLen;
    for (let x = 0; x < outW; x++) {
      if (x === runStart) {
        // Contiguous interior: one memcpy-like copy for the row segment.
        out.set(src.subarray(r + cols[x] * c, r + (cols[x] + runEnd - runStart) * c), o + x * c);
        x = runEnd - 1;
        continue;
      }
      const sx = cols[x];
      if (sx < 0) {
        out.set(fb, o + x * c);
      } else {
        for (let ch = 0; ch < c; ch++) out[o + x * c + ch] = src[r + sx * c + ch];
      }
    }
  }
  return new Image(out, outH, outW, c);
}

/** Crops rows [top, top+height) and columns [left, left+width); outside pixels are 0 (like PIL). */
export function crop(img: Image, top: number, left: number, height: number, width: number): Image {
  return padCrop(img, { left: 0, top: 0, right: 0, bottom: 0 }, top, left, height, width);
}

/** Pads every side, like `torchvision.transforms.functional.pad`. */
export function pad(
  img: Image,
  padding: Padding,
  mode: PaddingMode = "constant",
  fill: number | readonly number[] = 0,
): Image {
  return padCrop(
    img,
    padding,
    0,
    0,
    img.height + padding.top + padding.bottom,
    img.width + padding.left + padding.right,
    mode,
    fill,
    "pad",
  );
}

/** Mirrors left↔right. */
export function hflip(img: Image): Image {
  const { height: h, width: w, channels: c, data: src } = img;
  const out = new Uint8Array(src.length);
  for (let y = 0; y < h; y++) {
    const r = y * w * c;
    for (let x = 0; x < w; x++) {
      const s = r + x * c;
      const d = r + (w - 1 - x) * c;
      for (let ch = 0; ch < c; ch++) out[d + ch] = src[s + ch];
    }
  }
  return new Image(out, h, w, c);
}

/** Mirrors top↔bottom. */
export function vflip(img: Image): Image {
  const { height: h, width: w, channels: c, data: src } = img;
  const out = new Uint8Array(src.length);
  const rowLen = w * c;
  for (let y = 0; y < h; y++) {
    out.set(src.subarray(y * rowLen, (y + 1) * rowLen), (h - 1 - y) * rowLen);
  }
  return new Image(out, h, w, c);
}

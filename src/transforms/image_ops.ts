/**
 * Tone operations on an {@link Image} reproducing Pillow's `ImageOps`
 * lookup tables (invert, posterize, solarize, equalize, autocontrast),
 * torchvision's PIL `adjust_gamma` and `to_grayscale`.
 *
 * @module
 */

import { convertMode, Image } from "./image.ts";

/** Pillow's `ImageOps` only handles L and RGB images; say so instead of guessing for alpha. */
function checkLutMode(img: Image, who: string): void {
  if (img.channels !== 1 && img.channels !== 3) {
    throw new TypeError(
      `${who}: not supported for ${img.channels}-channel images (Pillow's ImageOps takes L or RGB); ` +
        `convert the Image to RGB first`,
    );
  }
}

/** Applies one 256-entry table per channel (`Image.point`). */
function applyLuts(img: Image, luts: readonly Uint8Array[]): Image {
  const { data, channels: c } = img;
  const out = new Uint8Array(data.length);
  for (let s = 0; s < data.length; s += c) {
    for (let ch = 0; ch < c; ch++) out[s + ch] = luts[ch][data[s + ch]];
  }
  return new Image(out, img.height, img.width, c);
}

function sameLut(img: Image, f: (v: number) => number): Image {
  const lut = Uint8Array.from({ length: 256 }, (_, i) => f(i));
  return applyLuts(img, new Array<Uint8Array>(img.channels).fill(lut));
}

/** Per-channel 256-bin histograms. */
function histograms(img: Image): Float64Array[] {
  const { data, channels: c } = img;
  const h = Array.from({ length: c }, () => new Float64Array(256));
  for (let s = 0; s < data.length; s += c) for (let ch = 0; ch < c; ch++) h[ch][data[s + ch]]++;
  return h;
}

/** `ImageOps.invert`: `255 - v`. */
export function invertImage(img: Image): Image {
  checkLutMode(img, "invert");
  return sameLut(img, (v) => 255 - v);
}

/** `ImageOps.posterize`: keeps the top `bits` bits of every channel. */
export function posterizeImage(img: Image, bits: number): Image {
  checkLutMode(img, "posterize");
  if (!Number.isInteger(bits) || bits < 0 || bits > 8) {
    throw new RangeError(`posterize: bits must be an integer in [0, 8], got ${bits}`);
  }
  const mask = ~(2 ** (8 - bits) - 1);
  return sameLut(img, (v) => v & mask);
}

/** `ImageOps.solarize`: inverts every value at or above `threshold`. */
export function solarizeImage(img: Image, threshold: number): Image {
  checkLutMode(img, "solarize");
  return sameLut(img, (v) => (v < threshold ? v : 255 - v));
}

/** `ImageOps.autocontrast` (no cutoff): stretches each channel's range to [0, 255]. */
export function autocontrastImage(img: Image): Image {
  checkLutMode(img, "autocontrast");
  const luts = histograms(img).map((h) => {
    let lo = 0, hi = 255;
    while (lo < 255 && !h[lo]) lo++;
    while (hi > 0 && !h[hi]) hi--;
    if (hi <= lo) return Uint8Array.from({ length: 256 }, (_, i) => i);
    const scale = 255.0 / (hi - lo);
    const offset = -lo * scale;
    return Uint8Array.from({ length: 256 }, (_, i) => {
      const v = Math.trunc(i * scale + offset);
      return v < 0 ? 0 : v > 255 ? 255 : v;
    });
  });
  return applyLuts(img, luts);
}

/** `ImageOps.equalize`: per-channel histogram equalisation with Pillow's integer steps. */
export function equalizeImage(img: Image): Image {
  checkLutMode(img, "equalize");
  const luts = histograms(img).map((h) => {
    const identity = Uint8Array.from({ length: 256 }, (_, i) => i);
    const used = Array.from(h).filter((v) => v !== 0);
    if (used.length <= 1) return identity;
    const step = Math.floor((used.reduce((a, b) => a + b, 0) - used[used.length - 1]) / 255);
    if (!step) return identity;
    const lut = new Uint8Array(256);
    let n = Math.floor(step / 2);
    for (let i = 0; i < 256; i++) {
      // Pillow's table holds n // step unclipped; Image.point clips it to 255.
      lut[i] = Math.min(255, Math.floor(n / step));
      n += h[i];
    }
    return lut;
  });
  return applyLuts(img, luts);
}

/**
 * torchvision's PIL `adjust_gamma`: `int(255.999 * gain * (v / 255) ** gamma)`
 * clipped to [0, 255]. It round-trips through RGB, so an alpha channel comes
 * back opaque, as in torchvision.
 */
export function adjustGammaImage(img: Image, gamma: number, gain = 1): Image {
  if (!(gamma >= 0)) {
    throw new RangeError(`adjustGamma: gamma must be a non-negative number, got ${gamma}`);
  }
  const lut = Uint8Array.from({ length: 256 }, (_, i) => {
    const v = Math.trunc((255 + 1 - 1e-3) * gain * Math.pow(i / 255.0, gamma));
    return v < 0 ? 0 : v > 255 ? 255 : v;
  });
  const c = img.channels;
  const colour = c >= 3 ? 3 : 1;
  const { data } = img;
  const out = new Uint8Array(data.length);
  for (let s = 0; s < data.length; s += c) {
    for (let ch = 0; ch < colour; ch++) out[s + ch] = lut[data[s + ch]];
    for (let ch = colour; ch < c; ch++) out[s + ch] = 255;
  }
  return new Image(out, img.height, img.width, c);
}

/**
 * torchvision's PIL `to_grayscale`: Pillow's `convert("L")` (ITU-R 601-2
 * luma), replicated to three channels when `numOutputChannels` is 3.
 */
export function grayscaleImage(img: Image, numOutputChannels: number): Image {
  if (numOutputChannels !== 1 && numOutputChannels !== 3) {
    throw new RangeError(
      `rgbToGrayscale: numOutputChannels must be 1 or 3, got ${numOutputChannels}`,
    );
  }
  const l = convertMode(img, "L");
  if (numOutputChannels === 1) return l;
  const out = new Uint8Array(l.data.length * 3);
  for (let i = 0; i < l.data.length; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = l.data[i];
  return new Image(out, img.height, img.width, 3);
}

/**
 * Colour kernels reproducing Pillow's `ImageEnhance` (brightness, contrast,
 * saturation via `Image.blend`) and torchvision's PIL `adjust_hue` (HSV
 * round trip with Pillow's 8-bit HSV), including Pillow's float32 arithmetic.
 * They operate on the first three channels; alpha is kept.
 *
 * @module
 */

import { Image } from "./image.ts";

const fr = Math.fround;

/**
 * Pillow's `Image.blend(degenerate, img, factor)` where the degenerate image
 * is given per pixel by `degen(pixelIndex, channel)`; in-place into `out`.
 */
function blendInto(
  img: Image,
  factor: number,
  degen: (p: number, ch: number) => number,
): Image {
  const { data, channels: c } = img;
  const n = img.height * img.width;
  const out = new Uint8Array(data.length);
  const a = fr(factor);
  const colour = Math.min(c, 3);
  const clip = a < 0 || a > 1;
  for (let p = 0, s = 0; p < n; p++, s += c) {
    for (let ch = 0; ch < colour; ch++) {
      const d = degen(p, ch);
      const v = fr(d + fr(a * (data[s + ch] - d)));
      // Pillow only clips when extrapolating; both cases truncate toward zero.
      out[s + ch] = clip ? (v <= 0 ? 0 : v >= 255 ? 255 : v | 0) : v | 0;
    }
    for (let ch = colour; ch < c; ch++) out[s + ch] = data[s + ch];
  }
  return new Image(out, img.height, img.width, c);
}

/** ITU-R 601-2 luma per pixel, as Pillow's `convert("L")`. */
export function luma(img: Image): Uint8Array {
  const { data, channels: c } = img;
  const n = img.height * img.width;
  const out = new Uint8Array(n);
  if (c < 3) {
    for (let i = 0; i < n; i++) out[i] = data[i * c];
  } else {
    for (let i = 0, s = 0; i < n; i++, s += c) {
      out[i] = (data[s] * 19595 + data[s + 1] * 38470 + data[s + 2] * 7471 + 0x8000) >>> 16;
    }
  }
  return out;
}

/** `ImageEnhance.Brightness(img).enhance(factor)`: blend with black. */
export function adjustBrightness(img: Image, factor: number): Image {
  return blendInto(img, factor, () => 0);
}

/** `ImageEnhance.Contrast(img).enhance(factor)`: blend with the rounded mean grey level. */
export function adjustContrast(img: Image, factor: number): Image {
  const l = luma(img);
  let sum = 0;
  for (let i = 0; i < l.length; i++) sum += l[i];
  const mean = l.length ? Math.trunc(sum / l.length + 0.5) : 0;
  return blendInto(img, factor, () => mean);
}

/** `ImageEnhance.Color(img).enhance(factor)`: blend with the greyscale image. */
export function adjustSaturation(img: Image, factor: number): Image {
  if (img.channels < 3) return img;
  const l = luma(img);
  return blendInto(img, factor, (p) => l[p]);
}

/**
 * torchvision's PIL `adjust_hue`: to HSV, add `round-toward-zero(hue * 255)`
 * (mod 256) to H, back to RGB. `hue` in [-0.5, 0.5]. Greyscale images are
 * returned unchanged, like torchvision.
 */
export function adjustHue(img: Image, hue: number): Image {
  if (!(hue >= -0.5 && hue <= 0.5)) {
    throw new RangeError(`adjustHue: hue ${hue} is not in [-0.5, 0.5]`);
  }
  if (img.channels < 3) return img;
  const { data, channels: c } = img;
  const n = img.height * img.width;
  const out = new Uint8Array(data.length);
  // np.uint8(hue * 255): truncation then wrap modulo 256.
  const shift = ((Math.trunc(hue * 255) % 256) + 256) % 256;
  for (let p = 0, s = 0; p < n; p++, s += c) {
    const r = data[s], g = data[s + 1], b = data[s + 2];
    const maxc = r > g ? (r > b ? r : b) : (g > b ? g : b);
    const minc = r < g ? (r < b ? r : b) : (g < b ? g : b);
    let h = 0, sat = 0;
    const v = maxc;
    if (maxc !== minc) {
      const cr = maxc - minc;
      const sf = fr(cr / maxc);
      const rc = fr((maxc - r) / cr), gc = fr((maxc - g) / cr), bc = fr((maxc - b) / cr);
      let hf: number;
      if (r === maxc) hf = fr(bc - gc);
      else if (g === maxc) hf = fr(2.0 + rc - bc);
      else hf = fr(4.0 + gc - rc);
      hf = fr((hf / 6.0 + 1.0) % 1.0);
      h = clip8(Math.trunc(hf * 255.0));
      sat = clip8(Math.trunc(sf * 255.0));
    }
    h = (h + shift) & 255;
    if (sat === 0) {
      out[s] = out[s + 1] = out[s + 2] = v;
    } else {
      const i = Math.floor(fr(h) * 6.0 / 255.0);
      const f = fr(fr(h) * 6.0 / 255.0 - i);
      const fs = fr(sat / 255.0);
      const pp = clip8(roundHalfAway(v * (1.0 - fs)));
      const q = clip8(roundHalfAway(v * (1.0 - fr(fs * f))));
      const t = clip8(roundHalfAway(v * (1.0 - fs * (1.0 - f))));
      let R: number, G: number, B: number;
      switch (i % 6) {
        case 0:
          R = v, G = t, B = pp;
          break;
        case 1:
          R = q, G = v, B = pp;
          break;
        case 2:
          R = pp, G = v, B = t;
          break;
        case 3:
          R = pp, G = q, B = v;
          break;
        case 4:
          R = t, G = pp, B = v;
          break;
        default:
          R = v, G = pp, B = q;
      }
      out[s] = R;
      out[s + 1] = G;
      out[s + 2] = B;
    }
    for (let ch = 3; ch < c; ch++) out[s + ch] = data[s + ch];
  }
  return new Image(out, img.height, img.width, c);
}

function clip8(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : v;
}

/** C's `round()`: halves away from zero. */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * Pillow's `ImageFilter.SMOOTH` (3×3, centre 5, all others 1, divided by 13)
 * in its float32 arithmetic; border pixels are copied, and images smaller
 * than 3×3 come back unchanged.
 */
function smooth(img: Image): Image {
  const { data, height: h, width: w, channels: c } = img;
  if (h < 3 || w < 3) return img;
  const k1 = fr(1 / 13), k5 = fr(5 / 13);
  const out = data.slice();
  const row = w * c;
  const line = (p: number, k: number): number =>
    fr(fr(fr(data[p - c] * k1) + fr(data[p] * k)) + fr(data[p + c] * k1));
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      for (let ch = 0; ch < c; ch++) {
        const p = y * row + x * c + ch;
        let ss = fr(0.5);
        ss = fr(ss + line(p + row, k1));
        ss = fr(ss + line(p, k5));
        ss = fr(ss + line(p - row, k1));
        out[p] = ss <= 0 ? 0 : ss >= 255 ? 255 : Math.trunc(ss);
      }
    }
  }
  return new Image(out, h, w, c);
}

/** `ImageEnhance.Sharpness(img).enhance(factor)`: blend with the SMOOTH-filtered image. */
export function adjustSharpness(img: Image, factor: number): Image {
  const degenerate = smooth(img).data;
  const c = img.channels;
  return blendInto(img, factor, (p, ch) => degenerate[p * c + ch]);
}

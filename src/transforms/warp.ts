/**
 * Geometric warps of an {@link Image} that reproduce Pillow's
 * `Image.transform` (AFFINE and PERSPECTIVE) and `Image.rotate` bit for bit
 * (Pillow's Geometry.c): nearest neighbour through Pillow's scaling,
 * 16.16 fixed-point and float affine loops, bilinear and bicubic through its
 * generic per-pixel engine, alpha premultiplied for non-nearest filters. Also
 * torchvision's inverse affine matrix and perspective coefficients.
 *
 * @module
 */

import { Image } from "./image.ts";
import { pyMod, round15 } from "./numeric.ts";

/** The filters Pillow's `Image.transform` accepts. */
export type WarpInterpolation = "nearest" | "bilinear" | "bicubic";

/** Pillow's `MULDIV255`: `a * b / 255` rounded, in integers. */
function muldiv255(a: number, b: number): number {
  const t = a * b + 128;
  return ((t >> 8) + t) >> 8;
}

/** RGBA → RGBa (LA → La): colour channels multiplied by alpha, as Pillow's `convert`. */
export function premultiplied(img: Image): Image {
  const { data, channels: c } = img;
  const out = data.slice();
  for (let s = 0; s < data.length; s += c) {
    const a = data[s + c - 1];
    for (let ch = 0; ch < c - 1; ch++) out[s + ch] = muldiv255(data[s + ch], a);
  }
  return new Image(out, img.height, img.width, c);
}

/** RGBa → RGBA: undoes {@link premultiplied} with Pillow's integer division and clipping. */
export function unpremultiplied(img: Image): Image {
  const { data, channels: c } = img;
  const out = data.slice();
  for (let s = 0; s < data.length; s += c) {
    const a = data[s + c - 1];
    if (a === 0 || a === 255) continue;
    for (let ch = 0; ch < c - 1; ch++) {
      out[s + ch] = Math.min(255, Math.floor(255 * data[s + ch] / a));
    }
  }
  return new Image(out, img.height, img.width, c);
}

/**
 * torchvision's `_parse_fill` + Pillow's `Image.new` colour: a number fills
 * every channel, a sequence must have one value per channel; values are
 * truncated to integers and clipped to [0, 255].
 */
export function parseFill(
  fill: number | readonly number[] | null | undefined,
  channels: number,
  who: string,
): Uint8Array {
  const f = fill ?? 0;
  const values = typeof f === "number" ? new Array<number>(channels).fill(f) : f;
  if (!Array.isArray(values) || values.some((v) => typeof v !== "number" || Number.isNaN(v))) {
    throw new TypeError(`${who}: fill must be a number or an array of numbers, got ${String(f)}`);
  }
  if (values.length !== channels) {
    throw new RangeError(
      `${who}: fill has ${values.length} values but the image has ${channels} channels`,
    );
  }
  return Uint8Array.from(values, (v) => Math.min(255, Math.max(0, Math.trunc(v))));
}

function background(w: number, h: number, c: number, fill: Uint8Array): Uint8Array {
  const out = new Uint8Array(w * h * c);
  if (fill.some((v) => v !== 0)) { for (let i = 0; i < out.length; i += c) out.set(fill, i); }
  return out;
}

/** Pillow's `COORD`: truncation, with every negative position mapping to -1. */
function coord(v: number): number {
  return v < 0 ? -1 : Math.trunc(v);
}

/**
 * Pillow's `ImagingScaleAffine` (nearest, no rotation or shear): source
 * columns tabulated once, positions accumulated in double precision.
 * Writes into `out`; pixels that map outside the source keep their value.
 */
export function scaleAffine(
  img: Image,
  out: Uint8Array,
  outW: number,
  outH: number,
  a: readonly number[],
): void {
  const { width: inW, height: inH, channels: c, data: src } = img;
  const xintab = new Int32Array(outW);
  let xo = a[2] + a[0] * 0.5;
  let yo = a[5] + a[4] * 0.5;
  let xmin = outW, xmax = 0;
  for (let x = 0; x < outW; x++, xo += a[0]) {
    const xin = coord(xo);
    if (xin >= 0 && xin < inW) {
      xmax = x + 1;
      if (x < xmin) xmin = x;
      xintab[x] = xin;
    }
  }
  for (let y = 0; y < outH; y++, yo += a[4]) {
    const yi = coord(yo);
    if (yi < 0 || yi >= inH) continue;
    const r = yi * inW * c, o = y * outW * c;
    for (let x = xmin; x < xmax; x++) {
      for (let ch = 0; ch < c; ch++) out[o + x * c + ch] = src[r + xintab[x] * c + ch];
    }
  }
}

/** Pillow's `affine_fixed`: nearest neighbour in 16.16 fixed point with int32 wrap-around. */
function affineFixed(
  img: Image,
  out: Uint8Array,
  outW: number,
  outH: number,
  a: readonly number[],
) {
  const { width: inW, height: inH, channels: c, data: src } = img;
  const fix = (v: number): number => Math.floor(v * 65536.0 + 0.5) | 0;
  const a0 = fix(a[0]), a1 = fix(a[1]), a3 = fix(a[3]), a4 = fix(a[4]);
  let a2 = fix(a[2] + a[0] * 0.5 + a[1] * 0.5);
  let a5 = fix(a[5] + a[3] * 0.5 + a[4] * 0.5);
  for (let y = 0; y < outH; y++) {
    let xx = a2, yy = a5;
    const o = y * outW * c;
    for (let x = 0; x < outW; x++) {
      const xin = xx >> 16;
      if (xin >= 0 && xin < inW) {
        const yin = yy >> 16;
        if (yin >= 0 && yin < inH) {
          const s = (yin * inW + xin) * c;
          for (let ch = 0; ch < c; ch++) out[o + x * c + ch] = src[s + ch];
        }
      }
      xx = (xx + a0) | 0;
      yy = (yy + a3) | 0;
    }
    a2 = (a2 + a1) | 0;
    a5 = (a5 + a4) | 0;
  }
}

/** Pillow's floating-point nearest affine loop (used when fixed point could overflow). */
function affineFloat(
  img: Image,
  out: Uint8Array,
  outW: number,
  outH: number,
  a: readonly number[],
) {
  const { width: inW, height: inH, channels: c, data: src } = img;
  let xo = a[2] + a[1] * 0.5 + a[0] * 0.5;
  let yo = a[5] + a[4] * 0.5 + a[3] * 0.5;
  for (let y = 0; y < outH; y++, xo += a[1], yo += a[4]) {
    let xx = xo, yy = yo;
    const o = y * outW * c;
    for (let x = 0; x < outW; x++, xx += a[0], yy += a[3]) {
      const xin = coord(xx);
      if (xin < 0 || xin >= inW) continue;
      const yin = coord(yy);
      if (yin < 0 || yin >= inH) continue;
      const s = (yin * inW + xin) * c;
      for (let ch = 0; ch < c; ch++) out[o + x * c + ch] = src[s + ch];
    }
  }
}

/** Writes the sample at source position (xin, yin) to `out[o..o+c)`; false when outside. */
type Sampler = (xin: number, yin: number, out: Uint8Array, o: number) => boolean;

function nearestSampler(img: Image): Sampler {
  const { width: w, height: h, channels: c, data: src } = img;
  return (xin, yin, out, o) => {
    const x = coord(xin), y = coord(yin);
    if (x < 0 || x >= w || y < 0 || y >= h) return false;
    const s = (y * w + x) * c;
    for (let ch = 0; ch < c; ch++) out[o + ch] = src[s + ch];
    return true;
  };
}

function bilinearSampler(img: Image): Sampler {
  const { width: w, height: h, channels: c, data: src } = img;
  const xclip = (x: number): number => (x < 0 ? 0 : x < w ? x : w - 1);
  return (xin, yin, out, o) => {
    if (xin < 0 || xin >= w || yin < 0 || yin >= h) return false;
    xin -= 0.5;
    yin -= 0.5;
    const x = Math.floor(xin), y = Math.floor(yin);
    const dx = xin - x, dy = yin - y;
    const x0 = xclip(x) * c, x1 = xclip(x + 1) * c;
    const r0 = (y < 0 ? 0 : y < h ? y : h - 1) * w * c;
    const hasNext = y + 1 >= 0 && y + 1 < h;
    const r1 = (y + 1) * w * c;
    for (let ch = 0; ch < c; ch++) {
      let a = src[r0 + x0 + ch], b = src[r0 + x1 + ch];
      const v1 = a + (b - a) * dx;
      let v2 = v1;
      if (hasNext) {
        a = src[r1 + x0 + ch];
        b = src[r1 + x1 + ch];
        v2 = a + (b - a) * dx;
      }
      out[o + ch] = Math.trunc(v1 + (v2 - v1) * dy);
    }
    return true;
  };
}

function cubic(v1: number, v2: number, v3: number, v4: number, d: number): number {
  const p2 = -v1 + v3;
  const p3 = 2 * (v1 - v2) + v3 - v4;
  const p4 = -v1 + v2 - v3 + v4;
  return v2 + d * (p2 + d * (p3 + d * p4));
}

function bicubicSampler(img: Image): Sampler {
  const { width: w, height: h, channels: c, data: src } = img;
  const xclip = (x: number): number => (x < 0 ? 0 : x < w ? x : w - 1);
  return (xin, yin, out, o) => {
    if (xin < 0 || xin >= w || yin < 0 || yin >= h) return false;
    xin -= 0.5;
    yin -= 0.5;
    let x = Math.floor(xin), y = Math.floor(yin);
    const dx = xin - x, dy = yin - y;
    x--;
    y--;
    const xs = [xclip(x) * c, xclip(x + 1) * c, xclip(x + 2) * c, xclip(x + 3) * c];
    const row = (r: number, ch: number): number => {
      const b = r * w * c + ch;
      return cubic(src[b + xs[0]], src[b + xs[1]], src[b + xs[2]], src[b + xs[3]], dx);
    };
    const inside = (r: number): boolean => r >= 0 && r < h;
    for (let ch = 0; ch < c; ch++) {
      const v1 = row(y < 0 ? 0 : y < h ? y : h - 1, ch);
      const v2 = inside(y + 1) ? row(y + 1, ch) : v1;
      const v3 = inside(y + 2) ? row(y + 2, ch) : v2;
      const v4 = inside(y + 3) ? row(y + 3, ch) : v3;
      const v = cubic(v1, v2, v3, v4, dy);
      out[o + ch] = v <= 0 ? 0 : v >= 255 ? 255 : Math.trunc(v);
    }
    return true;
  };
}

const SAMPLERS: Record<WarpInterpolation, (img: Image) => Sampler> = {
  nearest: nearestSampler,
  bilinear: bilinearSampler,
  bicubic: bicubicSampler,
};

/** Pillow's `ImagingGenericTransform`: one mapped source position per output pixel. */
function genericTransform(
  img: Image,
  out: Uint8Array,
  outW: number,
  outH: number,
  map: (x: number, y: number, pos: Float64Array) => void,
  interpolation: WarpInterpolation,
): void {
  const c = img.channels;
  const sample = SAMPLERS[interpolation](img);
  const pos = new Float64Array(2);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      map(x, y, pos);
      sample(pos[0], pos[1], out, (y * outW + x) * c);
    }
  }
}

/** Runs `body` on the premultiplied image when Pillow would (alpha, non-nearest). */
function withAlpha(
  img: Image,
  interpolation: WarpInterpolation,
  body: (im: Image) => Image,
): Image {
  if (interpolation !== "nearest" && (img.channels === 2 || img.channels === 4)) {
    return unpremultiplied(body(premultiplied(img)));
  }
  return body(img);
}

/**
 * Pillow's `img.transform((outW, outH), Image.AFFINE, a, interpolation,
 * fillcolor=fill)`: output pixel (x, y) samples the source at
 * `(a0 x' + a1 y' + a2, a3 x' + a4 y' + a5)` with `x' = x + 0.5`.
 */
export function affineTransform(
  img: Image,
  outW: number,
  outH: number,
  a: readonly number[],
  interpolation: WarpInterpolation,
  fill: Uint8Array,
): Image {
  return withAlpha(img, interpolation, (im) => {
    const c = im.channels;
    const out = background(outW, outH, c, fill);
    if (interpolation !== "nearest") {
      genericTransform(im, out, outW, outH, (x, y, pos) => {
        const xi = x + 0.5, yi = y + 0.5;
        pos[0] = a[0] * xi + a[1] * yi + a[2];
        pos[1] = a[3] * xi + a[4] * yi + a[5];
      }, interpolation);
    } else if (a[1] === 0 && a[3] === 0) {
      scaleAffine(im, out, outW, outH, a);
    } else {
      const fits = (x: number, y: number): boolean =>
        Math.abs(x * a[0] + y * a[1] + a[2]) < 32768 &&
        Math.abs(x * a[3] + y * a[4] + a[5]) < 32768;
      if (fits(0, 0) && fits(outW, outH) && fits(0, outH) && fits(outW, 0)) {
        affineFixed(im, out, outW, outH, a);
      } else {
        affineFloat(im, out, outW, outH, a);
      }
    }
    return new Image(out, outH, outW, c);
  });
}

/**
 * Pillow's `img.transform(img.size, Image.PERSPECTIVE, a, interpolation,
 * fillcolor=fill)`: `x = (a0 x' + a1 y' + a2) / (a6 x' + a7 y' + 1)`, same
 * denominator for y.
 */
export function perspectiveTransform(
  img: Image,
  a: readonly number[],
  interpolation: WarpInterpolation,
  fill: Uint8Array,
): Image {
  return withAlpha(img, interpolation, (im) => {
    const { width: w, height: h, channels: c } = im;
    const out = background(w, h, c, fill);
    genericTransform(im, out, w, h, (x, y, pos) => {
      const xi = x + 0.5, yi = y + 0.5;
      pos[0] = (a[0] * xi + a[1] * yi + a[2]) / (a[6] * xi + a[7] * yi + 1);
      pos[1] = (a[3] * xi + a[4] * yi + a[5]) / (a[6] * xi + a[7] * yi + 1);
    }, interpolation);
    return new Image(out, h, w, c);
  });
}

/** Pillow's `Transpose.ROTATE_90/180/270` (counter-clockwise quarter turns). */
export function rotateQuarter(img: Image, turns: 1 | 2 | 3): Image {
  const { height: h, width: w, channels: c, data: src } = img;
  const [oh, ow] = turns === 2 ? [h, w] : [w, h];
  const out = new Uint8Array(src.length);
  for (let r = 0; r < oh; r++) {
    for (let q = 0; q < ow; q++) {
      const [sr, sq] = turns === 1
        ? [q, w - 1 - r]
        : turns === 2
        ? [h - 1 - r, w - 1 - q]
        : [h - 1 - q, r];
      const s = (sr * w + sq) * c, d = (r * ow + q) * c;
      for (let ch = 0; ch < c; ch++) out[d + ch] = src[s + ch];
    }
  }
  return new Image(out, oh, ow, c);
}

/**
 * Pillow's `Image.rotate(angle, resample, expand, center, fillcolor=fill)`
 * (counter-clockwise degrees; `center` in pixels, default the image centre).
 * Quarter turns about the default centre are exact transposes, as in Pillow.
 */
export function rotateImage(
  img: Image,
  angle: number,
  interpolation: WarpInterpolation,
  expand: boolean,
  center: readonly [number, number] | null,
  fill: Uint8Array,
): Image {
  angle = pyMod(angle, 360);
  let { width: w, height: h } = img;
  if (center === null) {
    if (angle === 0) return img.clone();
    if (angle === 180) return rotateQuarter(img, 2);
    if ((angle === 90 || angle === 270) && (expand || w === h)) {
      return rotateQuarter(img, angle === 90 ? 1 : 3);
    }
  }
  const [cx, cy] = center ?? [w / 2, h / 2];
  const rad = -(angle * (Math.PI / 180));
  const m = [
    round15(Math.cos(rad)),
    round15(Math.sin(rad)),
    0,
    round15(-Math.sin(rad)),
    round15(Math.cos(rad)),
    0,
  ];
  const apply = (x: number, y: number): [number, number] => [
    m[0] * x + m[1] * y + m[2],
    m[3] * x + m[4] * y + m[5],
  ];
  [m[2], m[5]] = apply(-cx - 0, -cy - 0);
  m[2] += cx;
  m[5] += cy;
  if (expand) {
    const xs: number[] = [], ys: number[] = [];
    for (const [x, y] of [[0, 0], [w, 0], [w, h], [0, h]]) {
      const [px, py] = apply(x, y);
      xs.push(px);
      ys.push(py);
    }
    const nw = Math.ceil(Math.max(...xs)) - Math.floor(Math.min(...xs));
    const nh = Math.ceil(Math.max(...ys)) - Math.floor(Math.min(...ys));
    [m[2], m[5]] = apply(-(nw - w) / 2, -(nh - h) / 2);
    w = nw;
    h = nh;
  }
  return affineTransform(img, w, h, m, interpolation, fill);
}

/**
 * torchvision's `_get_inverse_affine_matrix`: the output→input map of a
 * rotation by `angle` degrees (clockwise in image coordinates), scale,
 * shear `[sx, sy]` degrees and translation about `center`.
 */
export function inverseAffineMatrix(
  center: readonly [number, number],
  angle: number,
  translate: readonly [number, number],
  scale: number,
  shear: readonly [number, number],
): number[] {
  const rad = (d: number): number => d * (Math.PI / 180);
  const rot = rad(angle), sx = rad(shear[0]), sy = rad(shear[1]);
  const [cx, cy] = center;
  const [tx, ty] = translate;
  const a = Math.cos(rot - sy) / Math.cos(sy);
  const b = -Math.cos(rot - sy) * Math.tan(sx) / Math.cos(sy) - Math.sin(rot);
  const c = Math.sin(rot - sy) / Math.cos(sy);
  const d = -Math.sin(rot - sy) * Math.tan(sx) / Math.cos(sy) + Math.cos(rot);
  const m = [d, -b, 0.0, -c, a, 0.0].map((v) => v / scale);
  m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty);
  m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty);
  m[2] += cx;
  m[5] += cy;
  return m;
}

/**
 * torchvision's `_get_perspective_coeffs`: the 8 coefficients mapping output
 * (end) points to input (start) points. Solved in double precision and
 * rounded to float32 (torchvision solves in float32 by least squares, so the
 * last bits can differ).
 */
export function perspectiveCoeffs(
  startpoints: readonly (readonly [number, number])[],
  endpoints: readonly (readonly [number, number])[],
): number[] {
  if (startpoints.length !== 4 || endpoints.length !== 4) {
    throw new RangeError(
      `perspective: startpoints and endpoints must have 4 points each, got ${startpoints.length} and ${endpoints.length}`,
    );
  }
  const A: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = endpoints[i], [u, v] = startpoints[i];
    A.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    A.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  // Gauss–Jordan elimination with partial pivoting on the augmented 8×9 system.
  for (let col = 0; col < 8; col++) {
    let p = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(A[r][col]) > Math.abs(A[p][col])) p = r;
    if (Math.abs(A[p][col]) < 1e-12) {
      throw new RangeError("perspective: the points do not define a perspective transform");
    }
    [A[col], A[p]] = [A[p], A[col]];
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const f = A[r][col] / A[col][col];
      for (let k = col; k < 9; k++) A[r][k] -= f * A[col][k];
    }
  }
  return A.map((row, i) => Math.fround(row[8] / row[i]));
}

/**
 * The functional transforms, like `torchvision.transforms.functional` 0.14:
 * each function takes an {@link Image} (computed as torchvision does on PIL
 * images, bit for bit) or a CPU tensor image `[..., C, H, W]` (computed as
 * torchvision's tensor kernels do), and returns the same kind.
 *
 * ```ts
 * import { functional as F } from "./mod.ts";
 * const rotated = F.rotate(img, 30, { interpolation: "bilinear", expand: true });
 * ```
 *
 * @module
 */

import { Tensor } from "../tensor/tensor.ts";
import { Image } from "./image.ts";
import { wrongType } from "./errors.ts";
import {
  adjustBrightness as brightnessImage,
  adjustContrast as contrastImage,
  adjustHue as hueImage,
  adjustSaturation as saturationImage,
  adjustSharpness as sharpnessImage,
} from "./color.ts";
import {
  crop as cropImage,
  hflip as hflipImage,
  pad as padImage,
  type PaddingMode,
  type PaddingSpec,
  parsePadding,
  vflip as vflipImage,
} from "./geometry.ts";
import {
  adjustGammaImage,
  autocontrastImage,
  equalizeImage,
  grayscaleImage,
  invertImage,
  posterizeImage,
  solarizeImage,
} from "./image_ops.ts";
import { checkInterpolation, type InterpolationMode } from "./interpolation.ts";
import { centerCrop as centerCropImage, RESIZE_MODES, resizedSize } from "./resize.ts";
import { resizeImage } from "./resample.ts";
import { parseSize, roundHalfEven, type Size } from "./size.ts";
import { blurPlanes, parseBlurArgs } from "./blur.ts";
import {
  adjustBrightnessTensor,
  adjustContrastTensor,
  adjustGammaTensor,
  adjustHueTensor,
  adjustSaturationTensor,
  adjustSharpnessTensor,
  autocontrastTensor,
  convertImageDtypeTensor,
  cropTensor,
  eraseTensor,
  flipTensor,
  gaussianBlurTensor,
  grayscaleTensor,
  hostImage,
  type ImageDType,
  invertTensor,
  padTensor,
  solarizeTensor,
  tensorToImage,
} from "./tensor_image.ts";
import {
  affineGrid,
  affineOutputSize,
  gridSampleImage,
  perspectiveGrid,
  warpInput,
} from "./tensor_warp.ts";
import {
  affineTransform,
  inverseAffineMatrix,
  parseFill,
  perspectiveCoeffs,
  perspectiveTransform,
  rotateImage,
  type WarpInterpolation,
} from "./warp.ts";
import { imageToChw } from "./chw.ts";
import { tensor } from "../tensor/creation.ts";
import { Normalize } from "./to_tensor.ts";

export type { ImageDType } from "./tensor_image.ts";

/** What the functional transforms accept: an {@link Image} or a tensor image. */
export type ImageOrTensor = Image | Tensor;

/** A fill colour for warps and padding: one value for every channel, or one per channel. */
export type Fill = number | readonly number[];

function isImage(x: unknown): x is Image {
  return x instanceof Image;
}

function asTensor(x: unknown, who: string): Tensor {
  if (!(x instanceof Tensor)) wrongType(who, "an Image or a Tensor", x);
  return x;
}

function checkNumber(who: string, name: string, v: unknown): number {
  if (typeof v !== "number" || Number.isNaN(v)) {
    throw new TypeError(`${who}: ${name} must be a number, got ${String(v)}`);
  }
  return v;
}

/** `[channels, height, width]` of an image or tensor image. */
export function getDimensions(img: ImageOrTensor): [number, number, number] {
  if (isImage(img)) return [img.channels, img.height, img.width];
  const t = asTensor(img, "getDimensions");
  if (t.ndim < 2) {
    throw new RangeError(`getDimensions: a tensor image needs at least 2 dims, got ${t.ndim}`);
  }
  const s = t.shape;
  return [t.ndim === 2 ? 1 : s[s.length - 3], s[s.length - 2], s[s.length - 1]];
}

/** `[width, height]`, like torchvision's `get_image_size`. */
export function getImageSize(img: ImageOrTensor): [number, number] {
  const [, h, w] = getDimensions(img);
  return [w, h];
}

/** Number of channels. */
export function getImageNumChannels(img: ImageOrTensor): number {
  return getDimensions(img)[0];
}

/** `ToTensor` as a function: HWC uint8 {@link Image} → CHW float32 tensor in [0, 1]. */
export function toTensor(img: Image): Tensor {
  if (!isImage(img)) wrongType("toTensor", "an Image", img);
  return tensor(imageToChw(img), {
    shape: [img.channels, img.height, img.width],
    dtype: "float32",
    device: "cpu",
  });
}

/** `Normalize` as a function: `(x - mean[c]) / std[c]` on a float tensor `[..., C, H, W]`. */
export function normalize(t: Tensor, mean: readonly number[], std: readonly number[]): Tensor {
  return new Normalize(mean, std).call(t);
}

/**
 * Converts a tensor image between float32, float64 and int32, rescaling the
 * value range like torchvision's `convert_image_dtype` (floats in [0, 1],
 * int32 in [0, 2³¹ − 1]).
 */
export function convertImageDtype(t: Tensor, dtype: ImageDType = "float32"): Tensor {
  return convertImageDtypeTensor(t, dtype);
}

/**
 * `to_pil_image`: a float tensor `[C, H, W]` or `[H, W]` in [0, 1] → an
 * {@link Image}, each value `x * 255` truncated to a byte like torchvision.
 * `mode`, when given, must agree with the channel count.
 */
export function toPILImage(t: Tensor, mode?: "L" | "LA" | "RGB" | "RGBA"): Image {
  const img = tensorToImage(asTensor(t, "toPILImage"));
  if (mode !== undefined) {
    const want = { L: 1, LA: 2, RGB: 3, RGBA: 4 }[mode];
    if (want !== img.channels) {
      throw new RangeError(
        `toPILImage: mode ${JSON.stringify(mode)} needs ${
          want ?? "?"
        } channels, the tensor has ${img.channels}`,
      );
    }
  }
  return img;
}

/** Mirrors left↔right. */
export function hflip<T extends ImageOrTensor>(img: T): T {
  if (isImage(img)) return hflipImage(img) as T;
  return flipTensor(asTensor(img, "hflip"), true, "hflip") as T;
}

/** Mirrors top↔bottom. */
export function vflip<T extends ImageOrTensor>(img: T): T {
  if (isImage(img)) return vflipImage(img) as T;
  return flipTensor(asTensor(img, "vflip"), false, "vflip") as T;
}

/** Crops rows [top, top+height) and columns [left, left+width); outside the image is 0. */
export function crop<T extends ImageOrTensor>(
  img: T,
  top: number,
  left: number,
  height: number,
  width: number,
): T {
  for (
    const [k, v] of [["top", top], ["left", left], ["height", height], ["width", width]] as const
  ) {
    if (!Number.isInteger(v)) throw new TypeError(`crop: ${k} must be an integer, got ${v}`);
  }
  if (isImage(img)) return cropImage(img, top, left, height, width) as T;
  return cropTensor(asTensor(img, "crop"), top, left, height, width) as T;
}

/** Crops the centre (zero-padding first when the image is smaller), like `center_crop`. */
export function centerCrop<T extends ImageOrTensor>(img: T, outputSize: Size): T {
  const [ch, cw] = parseSize(outputSize, "centerCrop");
  if (isImage(img)) return centerCropImage(img, ch, cw) as T;
  const t = asTensor(img, "centerCrop");
  const [, ih, iw] = getDimensions(t);
  const padTop = ch > ih ? (ch - ih) >> 1 : 0, padLeft = cw > iw ? (cw - iw) >> 1 : 0;
  const ph = ch > ih ? ch : ih, pw = cw > iw ? cw : iw;
  const top = roundHalfEven((ph - ch) / 2) - padTop;
  const left = roundHalfEven((pw - cw) / 2) - padLeft;
  return cropTensor(t, top, left, ch, cw, "centerCrop") as T;
}

/** Options of {@link resize} and {@link resizedCrop}. */
export interface ResizeFnOptions {
  /** Filter; default "bilinear". Images accept every {@link InterpolationMode}. */
  interpolation?: InterpolationMode;
  /** With an integer size: cap on the longer edge. */
  maxSize?: number;
}

/** Resizes an {@link Image} like torchvision's `resize` on PIL images (Pillow-exact). */
export function resize(img: Image, size: Size, options: ResizeFnOptions = {}): Image {
  if (!isImage(img)) wrongType("resize", "an Image (tensor resizing is not implemented)", img);
  parseSize(size, "resize");
  const mode = checkInterpolation(options.interpolation ?? "bilinear", "resize", RESIZE_MODES);
  const [h, w] = resizedSize(img.height, img.width, size, options.maxSize);
  return resizeImage(img, h, w, mode);
}

/** Crops then resizes an {@link Image}, like `resized_crop`. */
export function resizedCrop(
  img: Image,
  top: number,
  left: number,
  height: number,
  width: number,
  size: Size,
  options: Omit<ResizeFnOptions, "maxSize"> = {},
): Image {
  if (!isImage(img)) wrongType("resizedCrop", "an Image", img);
  return resize(crop(img, top, left, height, width), size, options);
}

/** Options of {@link pad}. */
export interface PadFnOptions {
  /** Value for "constant" padding (tensors: one number). Default 0. */
  fill?: Fill;
  /** How to pad. Default "constant". */
  paddingMode?: PaddingMode;
}

const PADDING_MODES: readonly PaddingMode[] = ["constant", "edge", "reflect", "symmetric"];

/** Pads every side: `p`, `[left/right, top/bottom]` or `[left, top, right, bottom]`. */
export function pad<T extends ImageOrTensor>(
  img: T,
  padding: PaddingSpec | readonly [number],
  options: PadFnOptions = {},
): T {
  const mode = options.paddingMode ?? "constant";
  if (!PADDING_MODES.includes(mode)) {
    throw new RangeError(
      `pad: paddingMode must be one of ${PADDING_MODES.join(", ")}, got ${JSON.stringify(mode)}`,
    );
  }
  const list = padding as readonly number[];
  const spec = typeof padding !== "number" && list.length === 1 ? list[0] : padding;
  const p = parsePadding(spec as PaddingSpec, "pad");
  const fill = options.fill ?? 0;
  if (isImage(img)) {
    const bytes = mode === "constant" ? Array.from(parseFill(fill, img.channels, "pad")) : 0;
    return padImage(img, p, mode, bytes) as T;
  }
  if (typeof fill !== "number") {
    throw new TypeError(`pad: tensors take a single number as fill, got ${JSON.stringify(fill)}`);
  }
  return padTensor(asTensor(img, "pad"), p, mode, fill, "pad") as T;
}

/**
 * The four corner crops and the centre crop, like `five_crop`:
 * `[topLeft, topRight, bottomLeft, bottomRight, center]`.
 */
export function fiveCrop<T extends ImageOrTensor>(img: T, size: Size): [T, T, T, T, T] {
  const [ch, cw] = parseSize(size, "fiveCrop");
  const [, ih, iw] = getDimensions(img);
  if (cw > iw || ch > ih) {
    throw new RangeError(`fiveCrop: crop size ${ch}×${cw} is bigger than the image ${ih}×${iw}`);
  }
  return [
    crop(img, 0, 0, ch, cw),
    crop(img, 0, iw - cw, ch, cw),
    crop(img, ih - ch, 0, ch, cw),
    crop(img, ih - ch, iw - cw, ch, cw),
    centerCrop(img, [ch, cw]),
  ];
}

/** {@link fiveCrop} of the image and of its mirror (horizontal, or vertical), like `ten_crop`. */
export function tenCrop<T extends ImageOrTensor>(img: T, size: Size, verticalFlip = false): T[] {
  return [...fiveCrop(img, size), ...fiveCrop(verticalFlip ? vflip(img) : hflip(img), size)];
}

const WARP_IMAGE: readonly WarpInterpolation[] = ["nearest", "bilinear", "bicubic"];
const WARP_TENSOR: readonly ("nearest" | "bilinear")[] = ["nearest", "bilinear"];

function tensorFill(fill: Fill | null | undefined, who: string): number[] | null {
  if (fill === null || fill === undefined) return null;
  const f = typeof fill === "number" ? [fill] : [...fill];
  if (f.some((v) => typeof v !== "number" || Number.isNaN(v))) {
    throw new TypeError(`${who}: fill must be a number or an array of numbers`);
  }
  return f;
}

function checkCenter(center: unknown, who: string): [number, number] | null {
  if (center === null || center === undefined) return null;
  if (!Array.isArray(center) || center.length !== 2 || center.some((v) => typeof v !== "number")) {
    throw new TypeError(`${who}: center must be [x, y], got ${JSON.stringify(center)}`);
  }
  return [center[0], center[1]];
}

/** Options of {@link rotate}. */
export interface RotateFnOptions {
  /** Default "nearest"; images also take "bicubic". */
  interpolation?: InterpolationMode;
  /** Grow the output to hold the whole rotated image. Default false. */
  expand?: boolean;
  /** Centre of rotation `[x, y]` in pixels; default the image centre. */
  center?: readonly [number, number] | null;
  /** Colour outside the rotated image; default 0 (tensors: zeros without the fill blend). */
  fill?: Fill | null;
}

/** Rotates counter-clockwise by `angle` degrees, like torchvision's `rotate`. */
export function rotate<T extends ImageOrTensor>(
  img: T,
  angle: number,
  options: RotateFnOptions = {},
): T {
  const who = "rotate";
  checkNumber(who, "angle", angle);
  const center = checkCenter(options.center, who);
  const expand = options.expand ?? false;
  if (isImage(img)) {
    const mode = checkInterpolation(options.interpolation ?? "nearest", who, WARP_IMAGE);
    return rotateImage(
      img,
      angle,
      mode,
      expand,
      center,
      parseFill(options.fill, img.channels, who),
    ) as T;
  }
  const mode = checkInterpolation(options.interpolation ?? "nearest", who, WARP_TENSOR);
  const fill = tensorFill(options.fill, who);
  const src = warpInput(asTensor(img, who), fill, who);
  const c: [number, number] = center === null
    ? [0, 0]
    : [center[0] - src.w * 0.5, center[1] - src.h * 0.5];
  const matrix = inverseAffineMatrix(c, -angle, [0, 0], 1.0, [0, 0]);
  const [ow, oh] = expand ? affineOutputSize(matrix, src.w, src.h) : [src.w, src.h];
  const grid = affineGrid(matrix, src.w, src.h, ow, oh, src.dtype === "float64");
  return gridSampleImage(src, grid, mode, fill) as T;
}

/** Options of {@link affine}. */
export interface AffineFnOptions {
  /** Default "nearest"; images also take "bicubic". */
  interpolation?: InterpolationMode;
  /** Colour outside the transformed image; default 0 (tensors: zeros without the fill blend). */
  fill?: Fill | null;
  /** Centre `[x, y]` in pixels; default the image centre. */
  center?: readonly [number, number] | null;
}

/**
 * Rotation (`angle` degrees, clockwise), translation `[tx, ty]` pixels,
 * scale and shear (degrees; a number shears along x) about the centre, like
 * torchvision's `affine`.
 */
export function affine<T extends ImageOrTensor>(
  img: T,
  angle: number,
  translate: readonly [number, number],
  scale: number,
  shear: number | readonly number[],
  options: AffineFnOptions = {},
): T {
  const who = "affine";
  checkNumber(who, "angle", angle);
  if (!Array.isArray(translate) || translate.length !== 2) {
    throw new TypeError(`${who}: translate must be [tx, ty], got ${JSON.stringify(translate)}`);
  }
  if (!(scale > 0)) throw new RangeError(`${who}: scale must be positive, got ${scale}`);
  const sh = typeof shear === "number"
    ? [shear, 0]
    : shear.length === 1
    ? [shear[0], shear[0]]
    : [...shear];
  if (sh.length !== 2 || sh.some((v) => typeof v !== "number")) {
    throw new TypeError(`${who}: shear must be a number or [sx, sy], got ${JSON.stringify(shear)}`);
  }
  const center = checkCenter(options.center, who);
  const [, h, w] = getDimensions(img);
  if (isImage(img)) {
    const mode = checkInterpolation(options.interpolation ?? "nearest", who, WARP_IMAGE);
    const m = inverseAffineMatrix(center ?? [w * 0.5, h * 0.5], angle, translate, scale, [
      sh[0],
      sh[1],
    ]);
    return affineTransform(img, w, h, m, mode, parseFill(options.fill, img.channels, who)) as T;
  }
  const mode = checkInterpolation(options.interpolation ?? "nearest", who, WARP_TENSOR);
  const fill = tensorFill(options.fill, who);
  const src = warpInput(asTensor(img, who), fill, who);
  const c: [number, number] = center === null ? [0, 0] : [center[0] - w * 0.5, center[1] - h * 0.5];
  const m = inverseAffineMatrix(c, angle, [translate[0], translate[1]], scale, [sh[0], sh[1]]);
  return gridSampleImage(src, affineGrid(m, w, h, w, h, src.dtype === "float64"), mode, fill) as T;
}

/** Options of {@link perspective}. */
export interface PerspectiveFnOptions {
  /** Default "bilinear"; images also take "bicubic". */
  interpolation?: InterpolationMode;
  /** Colour outside the transformed image; default 0 (tensors: zeros without the fill blend). */
  fill?: Fill | null;
}

/**
 * Perspective warp mapping the 4 `startpoints` `[x, y]` (top-left,
 * top-right, bottom-right, bottom-left) onto `endpoints`, like torchvision's
 * `perspective`.
 */
export function perspective<T extends ImageOrTensor>(
  img: T,
  startpoints: readonly (readonly [number, number])[],
  endpoints: readonly (readonly [number, number])[],
  options: PerspectiveFnOptions = {},
): T {
  const who = "perspective";
  const coeffs = perspectiveCoeffs(startpoints, endpoints);
  if (isImage(img)) {
    const mode = checkInterpolation(options.interpolation ?? "bilinear", who, WARP_IMAGE);
    return perspectiveTransform(img, coeffs, mode, parseFill(options.fill, img.channels, who)) as T;
  }
  const mode = checkInterpolation(options.interpolation ?? "bilinear", who, WARP_TENSOR);
  const fill = tensorFill(options.fill, who);
  const src = warpInput(asTensor(img, who), fill, who);
  const grid = perspectiveGrid(coeffs, src.w, src.h, src.dtype === "float64");
  return gridSampleImage(src, grid, mode, fill) as T;
}

/**
 * Converts to greyscale with 1 or 3 output channels: Pillow's luma for
 * Images, torchvision's `0.2989 r + 0.587 g + 0.114 b` for tensors.
 */
export function rgbToGrayscale<T extends ImageOrTensor>(img: T, numOutputChannels = 1): T {
  if (isImage(img)) return grayscaleImage(img, numOutputChannels) as T;
  return grayscaleTensor(asTensor(img, "rgbToGrayscale"), numOutputChannels, "rgbToGrayscale") as T;
}

/** torchvision's PIL-only name for {@link rgbToGrayscale}. */
export function toGrayscale(img: Image, numOutputChannels = 1): Image {
  if (!isImage(img)) wrongType("toGrayscale", "an Image", img);
  return grayscaleImage(img, numOutputChannels);
}

/** Scales brightness: 0 gives black, 1 the original. */
export function adjustBrightness<T extends ImageOrTensor>(img: T, brightnessFactor: number): T {
  checkNumber("adjustBrightness", "brightnessFactor", brightnessFactor);
  if (isImage(img)) return brightnessImage(img, brightnessFactor) as T;
  return adjustBrightnessTensor(asTensor(img, "adjustBrightness"), brightnessFactor) as T;
}

/** Scales contrast around the mean grey level: 0 gives solid grey, 1 the original. */
export function adjustContrast<T extends ImageOrTensor>(img: T, contrastFactor: number): T {
  checkNumber("adjustContrast", "contrastFactor", contrastFactor);
  if (isImage(img)) return contrastImage(img, contrastFactor) as T;
  return adjustContrastTensor(asTensor(img, "adjustContrast"), contrastFactor) as T;
}

/** Scales saturation: 0 gives greyscale, 1 the original. */
export function adjustSaturation<T extends ImageOrTensor>(img: T, saturationFactor: number): T {
  checkNumber("adjustSaturation", "saturationFactor", saturationFactor);
  if (isImage(img)) return saturationImage(img, saturationFactor) as T;
  return adjustSaturationTensor(asTensor(img, "adjustSaturation"), saturationFactor) as T;
}

/** Shifts hue by `hueFactor` turns, in [-0.5, 0.5]. */
export function adjustHue<T extends ImageOrTensor>(img: T, hueFactor: number): T {
  checkNumber("adjustHue", "hueFactor", hueFactor);
  if (isImage(img)) return hueImage(img, hueFactor) as T;
  return adjustHueTensor(asTensor(img, "adjustHue"), hueFactor) as T;
}

/** Gamma correction `gain * x ** gamma` (on [0, 1] values). */
export function adjustGamma<T extends ImageOrTensor>(img: T, gamma: number, gain = 1): T {
  checkNumber("adjustGamma", "gamma", gamma);
  if (isImage(img)) return adjustGammaImage(img, gamma, gain) as T;
  return adjustGammaTensor(asTensor(img, "adjustGamma"), gamma, gain) as T;
}

/** Sharpens (factor > 1) or blurs (< 1) against a 3×3 smoothing filter. */
export function adjustSharpness<T extends ImageOrTensor>(img: T, sharpnessFactor: number): T {
  checkNumber("adjustSharpness", "sharpnessFactor", sharpnessFactor);
  if (isImage(img)) return sharpnessImage(img, sharpnessFactor) as T;
  return adjustSharpnessTensor(asTensor(img, "adjustSharpness"), sharpnessFactor) as T;
}

/**
 * Gaussian blur with an odd `kernelSize` (or `[kx, ky]`) and `sigma` (or
 * `[sx, sy]`; default `0.3 * ((k - 1) * 0.5 - 1) + 0.8` per axis), reflect
 * padding. Images are blurred in float32 and rounded, as torchvision does.
 */
export function gaussianBlur<T extends ImageOrTensor>(
  img: T,
  kernelSize: number | readonly number[],
  sigma?: number | readonly number[],
): T {
  const [ks, sg] = parseBlurArgs(kernelSize, sigma, "gaussianBlur");
  if (!isImage(img)) return gaussianBlurTensor(asTensor(img, "gaussianBlur"), ks, sg) as T;
  const { data, height: h, width: w, channels: c } = img;
  const planes = new Float32Array(data.length);
  for (let i = 0; i < h * w; i++) {
    for (let ch = 0; ch < c; ch++) planes[ch * h * w + i] = data[i * c + ch];
  }
  const blurred = blurPlanes(planes, 1, c, h, w, ks, sg, false, "gaussianBlur");
  const out = new Uint8Array(data.length);
  for (let i = 0; i < h * w; i++) {
    for (let ch = 0; ch < c; ch++) out[i * c + ch] = roundHalfEven(blurred[ch * h * w + i]);
  }
  return new Image(out, h, w, c) as T;
}

/** Inverts colours: `255 - v` (Images, int32), `1 - v` (float tensors). */
export function invert<T extends ImageOrTensor>(img: T): T {
  if (isImage(img)) return invertImage(img) as T;
  return invertTensor(asTensor(img, "invert")) as T;
}

function uint8Only(who: string, img: unknown): never {
  if (img instanceof Tensor) {
    throw new TypeError(
      `${who}: torchvision only supports uint8 image tensors here, and denotorch has no uint8 dtype; apply ${who} to the Image before ToTensor`,
    );
  }
  wrongType(who, "an Image", img);
}

/** Keeps the top `bits` bits of each channel (Images only: torchvision needs uint8 tensors). */
export function posterize(img: Image, bits: number): Image {
  if (!isImage(img)) uint8Only("posterize", img);
  return posterizeImage(img, bits);
}

/** Inverts every value at or above `threshold`. */
export function solarize<T extends ImageOrTensor>(img: T, threshold: number): T {
  checkNumber("solarize", "threshold", threshold);
  if (isImage(img)) return solarizeImage(img, threshold) as T;
  return solarizeTensor(asTensor(img, "solarize"), threshold) as T;
}

/** Stretches each channel to the full range. */
export function autocontrast<T extends ImageOrTensor>(img: T): T {
  if (isImage(img)) return autocontrastImage(img) as T;
  return autocontrastTensor(asTensor(img, "autocontrast")) as T;
}

/** Histogram equalisation per channel (Images only: torchvision needs uint8 tensors). */
export function equalize(img: Image): Image {
  if (!isImage(img)) uint8Only("equalize", img);
  return equalizeImage(img);
}

/**
 * Sets rows [i, i+h) × columns [j, j+w) of a tensor image to `v`: a number,
 * one number per channel, or a tensor broadcastable to `[C, h, w]`, like
 * torchvision's `erase`. Returns a new tensor.
 */
export function erase(
  img: Tensor,
  i: number,
  j: number,
  h: number,
  w: number,
  v: number | readonly number[] | Tensor,
): Tensor {
  const t = asTensor(img, "erase");
  for (const [k, x] of [["i", i], ["j", j], ["h", h], ["w", w]] as const) {
    if (!Number.isInteger(x)) throw new TypeError(`erase: ${k} must be an integer, got ${x}`);
  }
  if (v instanceof Tensor) {
    // NumPy broadcasting: missing leading dims are 1.
    const shape = v.shape.slice(-3);
    while (shape.length < 3) shape.unshift(1);
    return eraseTensor(t, i, j, h, w, hostImage("erase", v, 0).data, shape);
  }
  const values = typeof v === "number" ? [v] : [...v];
  // torch.tensor(list of floats) is float32; all-integer lists stay exact.
  const asF32 = values.some((x) => !Number.isInteger(x));
  return eraseTensor(t, i, j, h, w, values.map((x) => (asF32 ? Math.fround(x) : x)), [
    values.length,
    1,
    1,
  ]);
}

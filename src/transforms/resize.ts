/**
 * `Resize` and `CenterCrop`, matching torchvision 0.14 on PIL images.
 *
 * @module
 */

import type { WorkerSpec } from "../data/spec.ts";
import type { Transform } from "./compose.ts";
import { wrongType } from "./errors.ts";
import { padCrop } from "./geometry.ts";
import { Image } from "./image.ts";
import { checkInterpolation, type InterpolationMode } from "./interpolation.ts";
import { resizeImage } from "./resample.ts";
import { formatSize, parseSize, roundHalfEven, type Size } from "./size.ts";

/** Options of {@link Resize}. */
export interface ResizeOptions {
  /** Pillow filter: "bilinear" (default), "nearest", "bicubic", "box", "hamming" or "lanczos". */
  interpolation?: InterpolationMode;
  /** With an integer size: cap on the longer edge after resizing. */
  maxSize?: number;
}

/**
 * The output `[height, width]` of torchvision's resize: an integer resizes the
 * smaller edge to `size` keeping the aspect ratio (the long edge truncated).
 */
export function resizedSize(
  height: number,
  width: number,
  size: Size,
  maxSize?: number,
): [number, number] {
  if (typeof size !== "number" && size.length === 2) return [size[0], size[1]];
  const s = typeof size === "number" ? size : size[0];
  const [short, long] = width <= height ? [width, height] : [height, width];
  let newShort = s, newLong = Math.trunc(s * long / short);
  if (maxSize !== undefined) {
    if (maxSize <= s) {
      throw new RangeError(
        `Resize: maxSize (${maxSize}) must be greater than the requested size (${s})`,
      );
    }
    if (newLong > maxSize) {
      [newShort, newLong] = [Math.trunc(maxSize * newShort / newLong), maxSize];
    }
  }
  return width <= height ? [newLong, newShort] : [newShort, newLong];
}

/** All of Pillow's resampling filters. */
export const RESIZE_MODES: readonly InterpolationMode[] = [
  "nearest",
  "bilinear",
  "bicubic",
  "box",
  "hamming",
  "lanczos",
];

/** Resizes an {@link Image} with Pillow-exact filtering, like `torchvision.transforms.Resize`. */
export class Resize implements Transform<Image, Image> {
  /** Target size (integer: smaller edge; pair: `[height, width]`). */
  readonly size: Size;
  /** Longest-edge cap for integer sizes. */
  readonly maxSize?: number;
  /** Resampling filter. */
  readonly interpolation: InterpolationMode;

  /**
   * Creates the object.
   * @param size Integer (smaller edge) or `[height, width]`.
   */
  constructor(size: Size, options: ResizeOptions = {}) {
    parseSize(size, "Resize");
    this.interpolation = checkInterpolation(
      options.interpolation ?? "bilinear",
      "Resize",
      RESIZE_MODES,
    );
    if (options.maxSize !== undefined && typeof size !== "number" && size.length === 2) {
      throw new RangeError("Resize: maxSize is only allowed when size is a single integer");
    }
    this.size = size;
    this.maxSize = options.maxSize;
  }

  /** Resizes one image. */
  call(img: Image): Image {
    if (!(img instanceof Image)) wrongType("Resize", "an Image", img);
    const [h, w] = resizedSize(img.height, img.width, this.size, this.maxSize);
    return resizeImage(img, h, w, this.interpolation);
  }

  /** `Resize(size=..., interpolation=bilinear, max_size=...)`. */
  toString(): string {
    return `Resize(size=${formatSize(this.size)}, interpolation=${this.interpolation}, max_size=${
      this.maxSize ?? "None"
    })`;
  }

  /** Rebuild recipe for DataLoader workers. */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "Resize",
      construct: true,
      args: [this.size, { maxSize: this.maxSize, interpolation: this.interpolation }],
    };
  }
}

/**
 * Crops the centre `[height, width]`; pads with zeros first when the image is
 * smaller, like `torchvision.transforms.functional.center_crop`.
 */
export function centerCrop(img: Image, height: number, width: number): Image {
  let { height: ih, width: iw } = img;
  const pad = { left: 0, top: 0, right: 0, bottom: 0 };
  if (width > iw || height > ih) {
    pad.left = width > iw ? (width - iw) >> 1 : 0;
    pad.top = height > ih ? (height - ih) >> 1 : 0;
    pad.right = width > iw ? (width - iw + 1) >> 1 : 0;
    pad.bottom = height > ih ? (height - ih + 1) >> 1 : 0;
    ih += pad.top + pad.bottom;
    iw += pad.left + pad.right;
  }
  const top = roundHalfEven((ih - height) / 2);
  const left = roundHalfEven((iw - width) / 2);
  return padCrop(img, pad, top, left, height, width, "constant", 0, "CenterCrop");
}

/** Crops the centre of an {@link Image}, like `torchvision.transforms.CenterCrop`. */
export class CenterCrop implements Transform<Image, Image> {
  /** Output size (integer: square). */
  readonly size: Size;
  #hw: [number, number];

  /**
   * Creates the object.
   * @param size Integer (square) or `[height, width]`.
   */
  constructor(size: Size) {
    this.#hw = parseSize(size, "CenterCrop");
    this.size = size;
  }

  /** Crops one image. */
  call(img: Image): Image {
    if (!(img instanceof Image)) wrongType("CenterCrop", "an Image", img);
    return centerCrop(img, this.#hw[0], this.#hw[1]);
  }

  /** `CenterCrop(size=(h, w))`. */
  toString(): string {
    return `CenterCrop(size=(${this.#hw.join(", ")}))`;
  }

  /** Rebuild recipe for DataLoader workers. */
  workerSpec(): WorkerSpec {
    return { module: import.meta.url, export: "CenterCrop", construct: true, args: [this.size] };
  }
}

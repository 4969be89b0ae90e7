/**
 * `RandomCrop` and `RandomResizedCrop`, following torchvision 0.14's
 * parameter sampling (the random stream differs from PyTorch's; the
 * geometry for given parameters is identical).
 *
 * @module
 */

import type { WorkerSpec } from "../data/spec.ts";
import type { Transform } from "./compose.ts";
import { wrongType } from "./errors.ts";
import {
  padCrop,
  type Padding,
  type PaddingMode,
  type PaddingSpec,
  parsePadding,
} from "./geometry.ts";
import { Image } from "./image.ts";
import {
  type GeneratorLike,
  randInt,
  randomBoxSides,
  type RandomSource,
  resolveRandom,
} from "./random.ts";
import { checkInterpolation, type InterpolationMode } from "./interpolation.ts";
import { resizeImage } from "./resample.ts";
import { RESIZE_MODES } from "./resize.ts";
import { parseSize, roundHalfEven, type Size } from "./size.ts";

/** Options of {@link RandomCrop}. */
export interface RandomCropOptions {
  /** Padding added before cropping: all sides, `[lr, tb]` or `[l, t, r, b]`. */
  padding?: PaddingSpec;
  /** Pad (both sides, like torchvision) when the image is smaller than the crop. */
  padIfNeeded?: boolean;
  /** Fill for constant padding: one value or one per channel. Default 0. */
  fill?: number | readonly number[];
  /** Padding mode. Default "constant". */
  paddingMode?: PaddingMode;
  /** Random source; default the module-level seeded generator (not sent to workers, which reseed). */
  generator?: GeneratorLike;
}

const PADDING_MODES: readonly PaddingMode[] = ["constant", "edge", "reflect", "symmetric"];

/** Crops a random window (after optional padding), like `torchvision.transforms.RandomCrop`. */
export class RandomCrop implements Transform<Image, Image> {
  /** Output size. */
  readonly size: Size;
  /** The options given (minus the generator). */
  readonly options: Omit<RandomCropOptions, "generator">;
  #hw: [number, number];
  #pad: Padding;
  #mode: PaddingMode;
  #rng: RandomSource;

  /**
   * Creates the object.
   * @param size Integer (square) or `[height, width]`.
   */
  constructor(size: Size, options: RandomCropOptions = {}) {
    this.#hw = parseSize(size, "RandomCrop");
    this.size = size;
    const { generator, ...rest } = options;
    this.options = rest;
    this.#pad = parsePadding(options.padding ?? 0, "RandomCrop");
    this.#mode = options.paddingMode ?? "constant";
    if (!PADDING_MODES.includes(this.#mode)) {
      throw new RangeError(
        `RandomCrop: paddingMode must be one of ${PADDING_MODES.join(", ")}, got "${this.#mode}"`,
      );
    }
    this.#rng = resolveRandom(generator);
  }

  /** Crops one image at a random position. */
  call(img: Image): Image {
    if (!(img instanceof Image)) wrongType("RandomCrop", "an Image", img);
    const [th, tw] = this.#hw;
    const fill = this.options.fill ?? 0;
    let pad = this.#pad;
    let h = img.height + pad.top + pad.bottom;
    let w = img.width + pad.left + pad.right;
    if (this.options.padIfNeeded && (w < tw || h < th)) {
      const extraW = w < tw ? tw - w : 0;
      const extraH = h < th ? th - h : 0;
      if (this.#mode === "reflect" || this.#mode === "symmetric") {
        // Mirroring an already padded image differs from one wider mirror: materialise step one.
        img = padCrop(img, pad, 0, 0, h, w, this.#mode, fill, "RandomCrop");
        pad = { left: 0, top: 0, right: 0, bottom: 0 };
      }
      pad = {
        left: pad.left + extraW,
        right: pad.right + extraW,
        top: pad.top + extraH,
        bottom: pad.bottom + extraH,
      };
      h += 2 * extraH;
      w += 2 * extraW;
    }
    if (h < th || w < tw) {
      throw new RangeError(
        `RandomCrop: required crop size (${th}, ${tw}) is larger than the (padded) input size (${h}, ${w}) of ${img}`,
      );
    }
    const top = h === th ? 0 : randInt(this.#rng, 0, h - th + 1);
    const left = w === tw ? 0 : randInt(this.#rng, 0, w - tw + 1);
    return padCrop(img, pad, top, left, th, tw, this.#mode, fill, "RandomCrop");
  }

  /** `RandomCrop(size=(h, w), padding=...)`. */
  toString(): string {
    return `RandomCrop(size=(${this.#hw.join(", ")}), padding=${
      JSON.stringify(this.options.padding ?? null)
    })`;
  }

  /** Rebuild recipe for DataLoader workers (they use their own per-worker seeded generator). */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "RandomCrop",
      construct: true,
      args: [this.size, this.options],
    };
  }
}

/** Options of {@link RandomResizedCrop}. */
export interface RandomResizedCropOptions {
  /** Range of the crop's area as a fraction of the image. Default [0.08, 1]. */
  scale?: readonly [number, number];
  /** Range of the crop's aspect ratio w/h. Default [3/4, 4/3]. */
  ratio?: readonly [number, number];
  /** Resampling filter, as for `Resize`. Default "bilinear". */
  interpolation?: InterpolationMode;
  /** Random source; default the module-level seeded generator. */
  generator?: GeneratorLike;
}

/**
 * torchvision's `RandomResizedCrop.get_params`: up to 10 tries of random area
 * and log-uniform aspect ratio, then a centre crop clamped to `ratio`.
 * @returns `[top, left, height, width]` of the crop.
 */
export function randomResizedCropParams(
  rng: RandomSource,
  height: number,
  width: number,
  scale: readonly [number, number],
  ratio: readonly [number, number],
): [number, number, number, number] {
  for (let attempt = 0; attempt < 10; attempt++) {
    const [w, h] = randomBoxSides(rng, height * width, scale, ratio);
    if (w > 0 && w <= width && h > 0 && h <= height) {
      return [randInt(rng, 0, height - h + 1), randInt(rng, 0, width - w + 1), h, w];
    }
  }
  const inRatio = width / height;
  let w = width, h = height;
  if (inRatio < Math.min(ratio[0], ratio[1])) {
    h = roundHalfEven(w / Math.min(ratio[0], ratio[1]));
  } else if (inRatio > Math.max(ratio[0], ratio[1])) {
    w = roundHalfEven(h * Math.max(ratio[0], ratio[1]));
  }
  return [(height - h) >> 1, (width - w) >> 1, h, w];
}

/** Random crop of random area and aspect, resized to `size` (bilinear), like torchvision's. */
export class RandomResizedCrop implements Transform<Image, Image> {
  /** Output size. */
  readonly size: Size;
  /** Area fraction range. */
  readonly scale: readonly [number, number];
  /** Aspect ratio range. */
  readonly ratio: readonly [number, number];
  /** Resampling filter. */
  readonly interpolation: InterpolationMode;
  #hw: [number, number];
  #rng: RandomSource;

  /**
   * Creates the object.
   * @param size Integer (square) or `[height, width]`.
   */
  constructor(size: Size, options: RandomResizedCropOptions = {}) {
    this.#hw = parseSize(size, "RandomResizedCrop");
    this.size = size;
    this.scale = options.scale ?? [0.08, 1.0];
    this.ratio = options.ratio ?? [3 / 4, 4 / 3];
    for (const [k, v] of [["scale", this.scale], ["ratio", this.ratio]] as const) {
      if (!Array.isArray(v) || v.length !== 2 || !(v[0] > 0) || !(v[1] > 0)) {
        throw new RangeError(
          `RandomResizedCrop: ${k} must be two positive numbers, got ${JSON.stringify(v)}`,
        );
      }
    }
    this.interpolation = checkInterpolation(
      options.interpolation ?? "bilinear",
      "RandomResizedCrop",
      RESIZE_MODES,
    );
    this.#rng = resolveRandom(options.generator);
  }

  /** Crops and resizes one image. */
  call(img: Image): Image {
    if (!(img instanceof Image)) wrongType("RandomResizedCrop", "an Image", img);
    const [top, left, h, w] = randomResizedCropParams(
      this.#rng,
      img.height,
      img.width,
      this.scale,
      this.ratio,
    );
    const cropped = padCrop(img, { left: 0, top: 0, right: 0, bottom: 0 }, top, left, h, w);
    return resizeImage(cropped, this.#hw[0], this.#hw[1], this.interpolation);
  }

  /** `RandomResizedCrop(size=(h, w), scale=(...), ratio=(...))`. */
  toString(): string {
    const f = (v: readonly number[]): string =>
      `(${v.map((x) => Number(x.toFixed(4))).join(", ")})`;
    return `RandomResizedCrop(size=(${this.#hw.join(", ")}), scale=${f(this.scale)}, ratio=${
      f(this.ratio)
    }, interpolation=${this.interpolation})`;
  }

  /** Rebuild recipe for DataLoader workers. */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "RandomResizedCrop",
      construct: true,
      args: [this.size, {
        scale: this.scale,
        ratio: this.ratio,
        interpolation: this.interpolation,
      }],
    };
  }
}

/**
 * Colour and tone transforms of torchvision 0.14 on an {@link Image} or a
 * tensor image: `Grayscale`, `RandomGrayscale`, `GaussianBlur` and the
 * probability-`p` ones (`RandomInvert`, `RandomPosterize`, `RandomSolarize`,
 * `RandomAdjustSharpness`, `RandomAutocontrast`, `RandomEqualize`).
 *
 * @module
 */

import type { WorkerSpec } from "../data/spec.ts";
import { Tensor } from "../tensor/tensor.ts";
import { parseBlurArgs } from "./blur.ts";
import type { Transform } from "./compose.ts";
import { checkProbability, pyFloat, wrongType } from "./errors.ts";
import {
  adjustSharpness,
  autocontrast,
  equalize,
  gaussianBlur,
  getImageNumChannels,
  invert,
  posterize,
  rgbToGrayscale,
  solarize,
} from "./functional.ts";
import { Image } from "./image.ts";
import { type GeneratorLike, type RandomSource, resolveRandom, uniform } from "./random.ts";

function checkInput(img: unknown, who: string): void {
  if (!(img instanceof Image) && !(img instanceof Tensor)) {
    wrongType(who, "an Image or a Tensor", img);
  }
}

/** Converts to greyscale, like `torchvision.transforms.Grayscale`. */
export class Grayscale implements Transform<Image | Tensor, Image | Tensor> {
  /** 1 or 3. */
  readonly numOutputChannels: number;

  /**
   * Creates the object.
   * @param numOutputChannels 1 (default) or 3.
   */
  constructor(numOutputChannels = 1) {
    if (numOutputChannels !== 1 && numOutputChannels !== 3) {
      throw new RangeError(`Grayscale: numOutputChannels must be 1 or 3, got ${numOutputChannels}`);
    }
    this.numOutputChannels = numOutputChannels;
  }

  /** Converts one image. */
  call<T extends Image | Tensor>(img: T): T {
    checkInput(img, "Grayscale");
    return rgbToGrayscale(img, this.numOutputChannels);
  }

  /** `Grayscale(num_output_channels=1)`. */
  toString(): string {
    return `Grayscale(num_output_channels=${this.numOutputChannels})`;
  }

  /** Rebuild recipe for DataLoader workers. */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "Grayscale",
      construct: true,
      args: [this.numOutputChannels],
    };
  }
}

/** Options of the probability-`p` transforms. */
export interface RandomOptions {
  /** Random source; default the module-level seeded generator. */
  generator?: GeneratorLike;
}

/** Base of the probability-`p` transforms: applies its operation when a uniform draw falls below `p`, as torchvision. */
export abstract class RandomOp implements Transform<Image | Tensor, Image | Tensor> {
  /** Probability of applying the operation. */
  readonly p: number;
  #rng: RandomSource;

  /**
   * Creates the transform.
   * @param p Probability in [0, 1].
   */
  constructor(p: number, options: RandomOptions) {
    this.p = checkProbability(p, this.constructor.name);
    this.#rng = resolveRandom(options.generator);
  }

  /** The operation. */
  protected abstract apply<T extends Image | Tensor>(img: T): T;

  /** The constructor arguments before the options, for workers. */
  protected abstract args(): unknown[];

  /** Applies the operation with probability `p`. */
  call<T extends Image | Tensor>(img: T): T {
    checkInput(img, this.constructor.name);
    return this.#rng.random() < this.p ? this.apply(img) : img;
  }

  /** `RandomInvert(p=0.5)`. */
  toString(): string {
    return `${this.constructor.name}(p=${this.p})`;
  }

  /** Rebuild recipe for DataLoader workers. */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: this.constructor.name,
      construct: true,
      args: this.args(),
    };
  }
}

/**
 * Converts to greyscale with probability `p` (default 0.1), keeping the
 * channel count, like `torchvision.transforms.RandomGrayscale`.
 */
export class RandomGrayscale extends RandomOp {
  /**
   * Creates the object.
   * @param p Probability (default 0.1).
   */
  constructor(p = 0.1, options: RandomOptions = {}) {
    super(p, options);
  }

  /** Greyscale with as many channels as the input. */
  protected apply<T extends Image | Tensor>(img: T): T {
    return rgbToGrayscale(img, getImageNumChannels(img));
  }

  /** Constructor arguments. */
  protected args(): unknown[] {
    return [this.p];
  }
}

/** Inverts colours with probability `p`, like `torchvision.transforms.RandomInvert`. */
export class RandomInvert extends RandomOp {
  /**
   * Creates the object.
   * @param p Probability (default 0.5).
   */
  constructor(p = 0.5, options: RandomOptions = {}) {
    super(p, options);
  }

  /** Inverts. */
  protected apply<T extends Image | Tensor>(img: T): T {
    return invert(img);
  }

  /** Constructor arguments. */
  protected args(): unknown[] {
    return [this.p];
  }
}

/** Posterizes to `bits` bits with probability `p` (Images), like `RandomPosterize`. */
export class RandomPosterize extends RandomOp {
  /** Bits kept per channel, 0–8. */
  readonly bits: number;

  /**
   * Creates the object.
   * @param bits Bits kept per channel, 0–8.
   * @param p Probability (default 0.5).
   */
  constructor(bits: number, p = 0.5, options: RandomOptions = {}) {
    super(p, options);
    if (!Number.isInteger(bits) || bits < 0 || bits > 8) {
      throw new RangeError(`RandomPosterize: bits must be an integer in [0, 8], got ${bits}`);
    }
    this.bits = bits;
  }

  /** Posterizes. */
  protected apply<T extends Image | Tensor>(img: T): T {
    return posterize(img as Image, this.bits) as T;
  }

  /** Constructor arguments. */
  protected args(): unknown[] {
    return [this.bits, this.p];
  }

  /** `RandomPosterize(bits=4,p=0.5)` (torchvision prints no space). */
  override toString(): string {
    return `RandomPosterize(bits=${this.bits},p=${this.p})`;
  }
}

/** Solarizes above `threshold` with probability `p`, like `torchvision.transforms.RandomSolarize`. */
export class RandomSolarize extends RandomOp {
  /** Values at or above it are inverted. */
  readonly threshold: number;

  /**
   * Creates the object.
   * @param threshold In the image's range (0–255 for Images, 0–1 for float tensors).
   * @param p Probability (default 0.5).
   */
  constructor(threshold: number, p = 0.5, options: RandomOptions = {}) {
    super(p, options);
    if (typeof threshold !== "number" || Number.isNaN(threshold)) {
      throw new TypeError(`RandomSolarize: threshold must be a number, got ${String(threshold)}`);
    }
    this.threshold = threshold;
  }

  /** Solarizes. */
  protected apply<T extends Image | Tensor>(img: T): T {
    return solarize(img, this.threshold);
  }

  /** Constructor arguments. */
  protected args(): unknown[] {
    return [this.threshold, this.p];
  }

  /** `RandomSolarize(threshold=128,p=0.5)`. */
  override toString(): string {
    return `RandomSolarize(threshold=${this.threshold},p=${this.p})`;
  }
}

/** Adjusts sharpness by a fixed factor with probability `p`, like `RandomAdjustSharpness`. */
export class RandomAdjustSharpness extends RandomOp {
  /** Sharpness factor (0 blurs, 1 keeps, 2 sharpens). */
  readonly sharpnessFactor: number;

  /**
   * Creates the object.
   * @param sharpnessFactor Non-negative factor.
   * @param p Probability (default 0.5).
   */
  constructor(sharpnessFactor: number, p = 0.5, options: RandomOptions = {}) {
    super(p, options);
    if (!(sharpnessFactor >= 0)) {
      throw new RangeError(
        `RandomAdjustSharpness: sharpnessFactor must be non-negative, got ${sharpnessFactor}`,
      );
    }
    this.sharpnessFactor = sharpnessFactor;
  }

  /** Adjusts sharpness. */
  protected apply<T extends Image | Tensor>(img: T): T {
    return adjustSharpness(img, this.sharpnessFactor);
  }

  /** Constructor arguments. */
  protected args(): unknown[] {
    return [this.sharpnessFactor, this.p];
  }

  /** `RandomAdjustSharpness(sharpness_factor=2,p=0.5)`. */
  override toString(): string {
    return `RandomAdjustSharpness(sharpness_factor=${this.sharpnessFactor},p=${this.p})`;
  }
}

/** Autocontrasts with probability `p`, like `torchvision.transforms.RandomAutocontrast`. */
export class RandomAutocontrast extends RandomOp {
  /**
   * Creates the object.
   * @param p Probability (default 0.5).
   */
  constructor(p = 0.5, options: RandomOptions = {}) {
    super(p, options);
  }

  /** Autocontrasts. */
  protected apply<T extends Image | Tensor>(img: T): T {
    return autocontrast(img);
  }

  /** Constructor arguments. */
  protected args(): unknown[] {
    return [this.p];
  }
}

/** Equalizes the histogram with probability `p` (Images), like `RandomEqualize`. */
export class RandomEqualize extends RandomOp {
  /**
   * Creates the object.
   * @param p Probability (default 0.5).
   */
  constructor(p = 0.5, options: RandomOptions = {}) {
    super(p, options);
  }

  /** Equalizes. */
  protected apply<T extends Image | Tensor>(img: T): T {
    return equalize(img as Image) as T;
  }

  /** Constructor arguments. */
  protected args(): unknown[] {
    return [this.p];
  }
}

/**
 * Gaussian blur with a random sigma, like `torchvision.transforms.GaussianBlur`:
 * `sigma` drawn uniformly from `[min, max]` per image.
 */
export class GaussianBlur implements Transform<Image | Tensor, Image | Tensor> {
  /** `[kx, ky]`, odd and positive. */
  readonly kernelSize: [number, number];
  /** Sigma range `[min, max]`. */
  readonly sigma: [number, number];
  #rng: RandomSource;

  /**
   * Creates the object.
   * @param kernelSize Odd size, or `[kx, ky]`.
   * @param sigma Fixed sigma, or `[min, max]` (default [0.1, 2.0]).
   */
  constructor(
    kernelSize: number | readonly [number, number],
    sigma: number | readonly [number, number] = [0.1, 2.0],
    options: RandomOptions = {},
  ) {
    this.kernelSize = parseBlurArgs(kernelSize, 1, "GaussianBlur")[0];
    if (typeof sigma === "number") {
      if (!(sigma > 0)) {
        throw new RangeError(
          `GaussianBlur: if sigma is a single number, it must be positive, got ${sigma}`,
        );
      }
      this.sigma = [sigma, sigma];
    } else if (Array.isArray(sigma) && sigma.length === 2 && 0 < sigma[0] && sigma[0] <= sigma[1]) {
      this.sigma = [sigma[0], sigma[1]];
    } else {
      throw new RangeError(
        `GaussianBlur: sigma must be a positive number or [min, max] with 0 < min <= max, got ${
          JSON.stringify(sigma)
        }`,
      );
    }
    this.#rng = resolveRandom(options.generator);
  }

  /** torchvision's `get_params`: sigma uniform in `[sigmaMin, sigmaMax]`. */
  static getParams(sigmaMin: number, sigmaMax: number, generator?: GeneratorLike): number {
    return uniform(resolveRandom(generator), sigmaMin, sigmaMax);
  }

  /** Blurs one image with a freshly drawn sigma. */
  call<T extends Image | Tensor>(img: T): T {
    checkInput(img, "GaussianBlur");
    const s = uniform(this.#rng, this.sigma[0], this.sigma[1]);
    return gaussianBlur(img, this.kernelSize, [s, s]);
  }

  /** `GaussianBlur(kernel_size=(3, 3), sigma=(0.1, 2.0))`. */
  toString(): string {
    return `GaussianBlur(kernel_size=(${this.kernelSize.join(", ")}), sigma=(${
      this.sigma.map(pyFloat).join(", ")
    }))`;
  }

  /** Rebuild recipe for DataLoader workers. */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "GaussianBlur",
      construct: true,
      args: [this.kernelSize, this.sigma],
    };
  }
}

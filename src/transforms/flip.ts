/**
 * `RandomHorizontalFlip` and `RandomVerticalFlip`.
 *
 * @module
 */

import type { WorkerSpec } from "../data/spec.ts";
import type { Transform } from "./compose.ts";
import { wrongType } from "./errors.ts";
import { hflip, vflip } from "./geometry.ts";
import { Image } from "./image.ts";
import { type GeneratorLike, type RandomSource, resolveRandom } from "./random.ts";

/** Options of the random flips. */
export interface FlipOptions {
  /** Random source; default the module-level seeded generator. */
  generator?: GeneratorLike;
}

/** Shared logic of the random flips: flip with probability `p`. */
export abstract class RandomFlip implements Transform<Image, Image> {
  /** Flip probability. */
  readonly p: number;
  #rng: RandomSource;

  /**
   * Creates the transform.
   * @param p Flip probability in [0, 1].
   */
  constructor(p: number, options: FlipOptions) {
    if (!(p >= 0 && p <= 1)) {
      throw new RangeError(`${this.constructor.name}: p must be in [0, 1], got ${p}`);
    }
    this.p = p;
    this.#rng = resolveRandom(options.generator);
  }

  /** The flip itself. */
  protected abstract flip(img: Image): Image;

  /** Flips `img` with probability `p` (same test as torchvision: a uniform draw below p). */
  call(img: Image): Image {
    if (!(img instanceof Image)) wrongType(this.constructor.name, "an Image", img);
    return this.#rng.random() < this.p ? this.flip(img) : img;
  }

  /** `RandomHorizontalFlip(p=0.5)`. */
  toString(): string {
    return `${this.constructor.name}(p=${this.p})`;
  }

  /** Rebuild recipe for DataLoader workers. */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: this.constructor.name,
      construct: true,
      args: [this.p],
    };
  }
}

/** Mirrors an {@link Image} left↔right with probability `p`, like torchvision's. */
export class RandomHorizontalFlip extends RandomFlip {
  /**
   * Creates the object.
   * @param p Flip probability (default 0.5).
   */
  constructor(p = 0.5, options: FlipOptions = {}) {
    super(p, options);
  }

  /** Mirrors left↔right. */
  protected flip(img: Image): Image {
    return hflip(img);
  }
}

/** Mirrors an {@link Image} top↔bottom with probability `p`, like torchvision's. */
export class RandomVerticalFlip extends RandomFlip {
  /**
   * Creates the object.
   * @param p Flip probability (default 0.5).
   */
  constructor(p = 0.5, options: FlipOptions = {}) {
    super(p, options);
  }

  /** Mirrors top↔bottom. */
  protected flip(img: Image): Image {
    return vflip(img);
  }
}

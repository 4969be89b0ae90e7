/**
 * `RandomErasing` (Zhong et al.) on tensor images, drawing the rectangle the
 * way torchvision 0.14 does: up to 10 tries of random area and log-uniform
 * aspect ratio, then a uniform position.
 *
 * @module
 */

import type { WorkerSpec } from "../data/spec.ts";
import { noGrad } from "../autograd/grad_mode.ts";
import { Tensor } from "../tensor/tensor.ts";
import { tensor } from "../tensor/creation.ts";
import type { Transform } from "./compose.ts";
import { checkProbability, pyRepr, wrongType } from "./errors.ts";
import { erase } from "./functional.ts";
import {
  type GeneratorLike,
  randInt,
  randomBoxSides,
  type RandomSource,
  resolveRandom,
} from "./random.ts";

/** The erasing value: a number, one per channel, or "random" (standard normal noise). */
export type ErasingValue = number | readonly number[] | "random";

/** Options of {@link RandomErasing}. */
export interface RandomErasingOptions {
  /** Range of the erased area as a fraction of the image. Default [0.02, 0.33]. */
  scale?: readonly [number, number];
  /** Range of the erased region's aspect ratio. Default [0.3, 3.3]. */
  ratio?: readonly [number, number];
  /** Fill value. Default 0. */
  value?: ErasingValue;
  /** Write into the input tensor instead of returning a new one. Default false. */
  inplace?: boolean;
  /** Random source; default the module-level seeded generator. */
  generator?: GeneratorLike;
}

/** Standard normal float32 values by Box–Muller from a uniform source. */
function normals(rng: RandomSource, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rng.random()));
    const a = 2 * Math.PI * rng.random();
    out[i] = r * Math.cos(a);
    if (i + 1 < n) out[i + 1] = r * Math.sin(a);
  }
  return out;
}

/** One erasing draw: region `[i, j, h, w]` and its value (null: leave the image as is). */
export type ErasingParams = [number, number, number, number, Tensor | number[] | null];

/** Erases a random rectangle of a tensor image, like `torchvision.transforms.RandomErasing`. */
export class RandomErasing implements Transform<Tensor, Tensor> {
  /** Probability of erasing. */
  readonly p: number;
  /** Area fraction range. */
  readonly scale: readonly [number, number];
  /** Aspect ratio range. */
  readonly ratio: readonly [number, number];
  /** Fill value. */
  readonly value: ErasingValue;
  /** Whether the input is modified in place. */
  readonly inplace: boolean;
  #rng: RandomSource;

  /**
   * Creates the object.
   * @param p Probability of erasing (default 0.5).
   */
  constructor(p = 0.5, options: RandomErasingOptions = {}) {
    const who = "RandomErasing";
    this.p = checkProbability(p, who);
    this.scale = options.scale ?? [0.02, 0.33];
    this.ratio = options.ratio ?? [0.3, 3.3];
    for (const [k, v] of [["scale", this.scale], ["ratio", this.ratio]] as const) {
      if (!Array.isArray(v) || v.length !== 2 || v.some((x) => typeof x !== "number")) {
        throw new TypeError(`${who}: ${k} must be [min, max], got ${JSON.stringify(v)}`);
      }
      if (v[0] > v[1]) {
        throw new RangeError(`${who}: ${k} must be [min, max], got ${JSON.stringify(v)}`);
      }
    }
    if (this.scale[0] < 0 || this.scale[1] > 1) {
      throw new RangeError(
        `${who}: scale must be between 0 and 1, got ${JSON.stringify(this.scale)}`,
      );
    }
    if (!(this.ratio[0] > 0)) {
      throw new RangeError(`${who}: ratio must be positive, got ${JSON.stringify(this.ratio)}`);
    }
    const value = options.value ?? 0;
    const okValue = value === "random" || typeof value === "number" ||
      (Array.isArray(value) && value.every((v) => typeof v === "number"));
    if (!okValue) {
      throw new TypeError(
        `${who}: value must be a number, an array of numbers or "random", got ${
          JSON.stringify(value)
        }`,
      );
    }
    this.value = value;
    this.inplace = options.inplace ?? false;
    this.#rng = resolveRandom(options.generator);
  }

  /**
   * torchvision's `get_params` for a `[..., C, H, W]` image: up to 10 tries;
   * when none fits the whole image is returned with a null value (no change).
   * @param value One value per channel (or one), or null for random normal values.
   */
  static getParams(
    shape: readonly number[],
    scale: readonly [number, number],
    ratio: readonly [number, number],
    value: readonly number[] | null,
    generator?: GeneratorLike,
  ): ErasingParams {
    const rng = resolveRandom(generator);
    const [c, h, w] = shape.slice(-3);
    for (let attempt = 0; attempt < 10; attempt++) {
      const [eh, ew] = randomBoxSides(rng, h * w, scale, ratio);
      if (!(eh < h && ew < w)) continue;
      const v = value === null
        ? tensor(normals(rng, c * eh * ew), { shape: [c, eh, ew], device: "cpu" })
        : [...value];
      return [randInt(rng, 0, h - eh + 1), randInt(rng, 0, w - ew + 1), eh, ew, v];
    }
    return [0, 0, h, w, null];
  }

  /** Erases one rectangle with probability `p`. */
  call(img: Tensor): Tensor {
    const who = "RandomErasing";
    if (!(img instanceof Tensor)) wrongType(who, "a Tensor (apply ToTensor first)", img);
    if (img.ndim < 3) {
      throw new RangeError(
        `${who}: expected a tensor of shape [..., C, H, W], got [${img.shape.join(", ")}]`,
      );
    }
    if (!(this.#rng.random() < this.p)) return img;
    const c = img.shape[img.ndim - 3];
    const value = this.value === "random"
      ? null
      : typeof this.value === "number"
      ? [this.value]
      : this.value;
    if (value !== null && value.length !== 1 && value.length !== c) {
      throw new RangeError(
        `${who}: value must have one value or ${c} (the number of channels), got ${value.length}`,
      );
    }
    const [i, j, h, w, v] = RandomErasing.getParams(
      img.shape,
      this.scale,
      this.ratio,
      value,
      this.#rng,
    );
    if (v === null) return img;
    const out = erase(img, i, j, h, w, v);
    if (!this.inplace) return out;
    noGrad(() => img.copy_(out));
    out.dispose();
    return img;
  }

  /** `RandomErasing(p=0.5, scale=(0.02, 0.33), ratio=(0.3, 3.3), value=0, inplace=False)`. */
  toString(): string {
    const pair = (v: readonly number[]): string => `(${v.join(", ")})`;
    return `RandomErasing(p=${this.p}, scale=${pair(this.scale)}, ratio=${
      pair(this.ratio)
    }, value=${pyRepr(this.value)}, inplace=${pyRepr(this.inplace)})`;
  }

  /** Rebuild recipe for DataLoader workers. */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "RandomErasing",
      construct: true,
      args: [this.p, {
        scale: this.scale,
        ratio: this.ratio,
        value: this.value,
        inplace: this.inplace,
      }],
    };
  }
}

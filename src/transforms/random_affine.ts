/**
 * `RandomRotation`, `RandomAffine` and `RandomPerspective`, drawing their
 * parameters the way torchvision 0.14 does (same ranges, same order of
 * draws; the random stream is this library's) and warping through the
 * functional `rotate` / `affine` / `perspective`.
 *
 * @module
 */

import type { WorkerSpec } from "../data/spec.ts";
import { Tensor } from "../tensor/tensor.ts";
import type { Transform } from "./compose.ts";
import { checkProbability, pyFloat, pyRepr, wrongType } from "./errors.ts";
import { affine, type Fill, getDimensions, perspective, rotate } from "./functional.ts";
import { Image } from "./image.ts";
import { checkInterpolation, type InterpolationMode } from "./interpolation.ts";
import {
  type GeneratorLike,
  randInt,
  type RandomSource,
  resolveRandom,
  uniform,
} from "./random.ts";
import { roundHalfEven } from "./size.ts";

const WARP_MODES: readonly InterpolationMode[] = ["nearest", "bilinear", "bicubic"];

/** torchvision's `_setup_angle`: `d` means [-d, d]; a pair (or, for shear, 2 or 4 values) as given. */
function setupAngle(x: unknown, name: string, who: string, sizes: readonly number[]): number[] {
  if (typeof x === "number") {
    if (!(x >= 0)) {
      throw new RangeError(
        `${who}: if ${name} is a single number, it must be non-negative, got ${x}`,
      );
    }
    return [-x, x];
  }
  if (!Array.isArray(x) || !sizes.includes(x.length) || x.some((v) => typeof v !== "number")) {
    throw new RangeError(
      `${who}: ${name} must be a number or a sequence of ${sizes.join(" or ")} numbers, got ${
        JSON.stringify(x)
      }`,
    );
  }
  return [...x];
}

function checkPair(x: unknown, name: string, who: string): [number, number] {
  if (!Array.isArray(x) || x.length !== 2 || x.some((v) => typeof v !== "number")) {
    throw new TypeError(
      `${who}: ${name} must be a sequence of 2 numbers, got ${JSON.stringify(x)}`,
    );
  }
  return [x[0], x[1]];
}

function checkFill(fill: unknown, who: string): Fill {
  const ok = typeof fill === "number" ||
    (Array.isArray(fill) && fill.every((v) => typeof v === "number"));
  if (!ok) {
    throw new TypeError(
      `${who}: fill must be a number or an array of numbers, got ${String(fill)}`,
    );
  }
  return fill as Fill;
}

/** torchvision's forward: tensors get the fill as one float per channel (so the fill blend applies). */
function fillFor(img: Image | Tensor, fill: Fill, who: string): Fill {
  if (!(img instanceof Image) && !(img instanceof Tensor)) {
    wrongType(who, "an Image or a Tensor", img);
  }
  if (img instanceof Image || typeof fill !== "number") return fill;
  return new Array<number>(getDimensions(img)[0]).fill(fill);
}

/** Options of {@link RandomRotation}. */
export interface RandomRotationOptions {
  /** Default "nearest"; Images also take "bilinear" and "bicubic", tensors "bilinear". */
  interpolation?: InterpolationMode;
  /** Grow the output to hold the whole rotated image. Default false. */
  expand?: boolean;
  /** Centre `[x, y]` in pixels; default the image centre. */
  center?: readonly [number, number] | null;
  /** Fill outside the rotated image. Default 0. */
  fill?: Fill;
  /** Random source; default the module-level seeded generator. */
  generator?: GeneratorLike;
}

/** Rotates by a random angle, like `torchvision.transforms.RandomRotation`. */
export class RandomRotation implements Transform<Image | Tensor, Image | Tensor> {
  /** Angle range `[min, max]` in degrees (counter-clockwise). */
  readonly degrees: [number, number];
  /** Interpolation. */
  readonly interpolation: InterpolationMode;
  /** Whether the output grows to fit. */
  readonly expand: boolean;
  /** Centre of rotation, or null for the image centre. */
  readonly center: readonly [number, number] | null;
  /** Fill outside the rotated image. */
  readonly fill: Fill;
  #rng: RandomSource;

  /**
   * Creates the object.
   * @param degrees `d` for [-d, d], or `[min, max]`.
   */
  constructor(degrees: number | readonly [number, number], options: RandomRotationOptions = {}) {
    const who = "RandomRotation";
    const d = setupAngle(degrees, "degrees", who, [2]);
    this.degrees = [d[0], d[1]];
    this.interpolation = checkInterpolation(options.interpolation ?? "nearest", who, WARP_MODES);
    this.expand = options.expand ?? false;
    this.center = options.center == null ? null : checkPair(options.center, "center", who);
    this.fill = checkFill(options.fill ?? 0, who);
    this.#rng = resolveRandom(options.generator);
  }

  /** torchvision's `get_params`: the angle, uniform in `degrees`. */
  static getParams(degrees: readonly [number, number], generator?: GeneratorLike): number {
    return uniform(resolveRandom(generator), degrees[0], degrees[1]);
  }

  /** Rotates one image by a freshly drawn angle. */
  call<T extends Image | Tensor>(img: T): T {
    const fill = fillFor(img, this.fill, "RandomRotation");
    const angle = uniform(this.#rng, this.degrees[0], this.degrees[1]);
    return rotate(img, angle, {
      interpolation: this.interpolation,
      expand: this.expand,
      center: this.center,
      fill,
    });
  }

  /** `RandomRotation(degrees=[-30.0, 30.0], interpolation=nearest, expand=False, fill=0)`. */
  toString(): string {
    const center = this.center === null ? "" : `, center=${pyRepr(this.center)}`;
    return `RandomRotation(degrees=[${
      this.degrees.map(pyFloat).join(", ")
    }], interpolation=${this.interpolation}, expand=${pyRepr(this.expand)}${center}, fill=${
      pyRepr(this.fill)
    })`;
  }

  /** Rebuild recipe for DataLoader workers. */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "RandomRotation",
      construct: true,
      args: [this.degrees, {
        interpolation: this.interpolation,
        expand: this.expand,
        center: this.center,
        fill: this.fill,
      }],
    };
  }
}

/** Options of {@link RandomAffine}. */
export interface RandomAffineOptions {
  /** Maximum shift as fractions `[a, b]` of width and height (each in [0, 1]). Default none. */
  translate?: readonly [number, number] | null;
  /** Scale range `[min, max]` (positive). Default none (1). */
  scale?: readonly [number, number] | null;
  /** x-shear `s` for [-s, s], `[min, max]`, or `[xmin, xmax, ymin, ymax]` degrees. Default none. */
  shear?: number | readonly number[] | null;
  /** Default "nearest". */
  interpolation?: InterpolationMode;
  /** Fill outside the transformed image. Default 0. */
  fill?: Fill;
  /** Centre `[x, y]` in pixels; default the image centre. */
  center?: readonly [number, number] | null;
  /** Random source; default the module-level seeded generator. */
  generator?: GeneratorLike;
}

/** The parameters of one affine draw: angle, `[tx, ty]`, scale, `[shearX, shearY]`. */
export type AffineParams = [number, [number, number], number, [number, number]];

/** Random rotation, translation, scale and shear, like `torchvision.transforms.RandomAffine`. */
export class RandomAffine implements Transform<Image | Tensor, Image | Tensor> {
  /** Angle range in degrees. */
  readonly degrees: [number, number];
  /** Translation fractions, or null. */
  readonly translate: readonly [number, number] | null;
  /** Scale range, or null. */
  readonly scale: readonly [number, number] | null;
  /** Shear ranges (2 or 4 values), or null. */
  readonly shear: readonly number[] | null;
  /** Interpolation. */
  readonly interpolation: InterpolationMode;
  /** Fill. */
  readonly fill: Fill;
  /** Centre, or null for the image centre. */
  readonly center: readonly [number, number] | null;
  #rng: RandomSource;

  /**
   * Creates the object.
   * @param degrees `d` for [-d, d] (0 disables rotation), or `[min, max]`.
   */
  constructor(degrees: number | readonly [number, number], options: RandomAffineOptions = {}) {
    const who = "RandomAffine";
    const d = setupAngle(degrees, "degrees", who, [2]);
    this.degrees = [d[0], d[1]];
    this.translate = options.translate == null
      ? null
      : checkPair(options.translate, "translate", who);
    if (this.translate?.some((t) => !(t >= 0 && t <= 1))) {
      throw new RangeError(
        `${who}: translate values must be between 0 and 1, got ${JSON.stringify(this.translate)}`,
      );
    }
    this.scale = options.scale == null ? null : checkPair(options.scale, "scale", who);
    if (this.scale?.some((s) => !(s > 0))) {
      throw new RangeError(
        `${who}: scale values must be positive, got ${JSON.stringify(this.scale)}`,
      );
    }
    this.shear = options.shear == null ? null : setupAngle(options.shear, "shear", who, [2, 4]);
    this.interpolation = checkInterpolation(options.interpolation ?? "nearest", who, WARP_MODES);
    this.fill = checkFill(options.fill ?? 0, who);
    this.center = options.center == null ? null : checkPair(options.center, "center", who);
    this.#rng = resolveRandom(options.generator);
  }

  /**
   * torchvision's `get_params`: angle; then, when given, the translation
   * (rounded to whole pixels), the scale and the shears, in that order.
   * @param imgSize `[width, height]`.
   */
  static getParams(
    degrees: readonly [number, number],
    translate: readonly [number, number] | null,
    scaleRanges: readonly [number, number] | null,
    shears: readonly number[] | null,
    imgSize: readonly [number, number],
    generator?: GeneratorLike,
  ): AffineParams {
    const rng = resolveRandom(generator);
    const angle = uniform(rng, degrees[0], degrees[1]);
    let tx = 0, ty = 0;
    if (translate !== null) {
      const dx = translate[0] * imgSize[0], dy = translate[1] * imgSize[1];
      tx = roundHalfEven(uniform(rng, -dx, dx));
      ty = roundHalfEven(uniform(rng, -dy, dy));
    }
    const scale = scaleRanges === null ? 1.0 : uniform(rng, scaleRanges[0], scaleRanges[1]);
    let sx = 0, sy = 0;
    if (shears !== null) {
      sx = uniform(rng, shears[0], shears[1]);
      if (shears.length === 4) sy = uniform(rng, shears[2], shears[3]);
    }
    return [angle, [tx, ty], scale, [sx, sy]];
  }

  /** Applies one freshly drawn affine transform. */
  call<T extends Image | Tensor>(img: T): T {
    const fill = fillFor(img, this.fill, "RandomAffine");
    const [, h, w] = getDimensions(img);
    const [angle, t, s, sh] = RandomAffine.getParams(
      this.degrees,
      this.translate,
      this.scale,
      this.shear,
      [w, h],
      this.#rng,
    );
    return affine(img, angle, t, s, sh, {
      interpolation: this.interpolation,
      fill,
      center: this.center,
    });
  }

  /** torchvision's repr: only the options that differ from the defaults. */
  toString(): string {
    let s = `RandomAffine(degrees=[${this.degrees.map(pyFloat).join(", ")}]`;
    if (this.translate !== null) s += `, translate=${pyRepr(this.translate)}`;
    if (this.scale !== null) s += `, scale=${pyRepr(this.scale)}`;
    if (this.shear !== null) s += `, shear=[${this.shear.map(pyFloat).join(", ")}]`;
    if (this.interpolation !== "nearest") s += `, interpolation=${this.interpolation}`;
    if (this.fill !== 0) s += `, fill=${pyRepr(this.fill)}`;
    if (this.center !== null) s += `, center=${pyRepr(this.center)}`;
    return s + ")";
  }

  /** Rebuild recipe for DataLoader workers. */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "RandomAffine",
      construct: true,
      args: [this.degrees, {
        translate: this.translate,
        scale: this.scale,
        shear: this.shear,
        interpolation: this.interpolation,
        fill: this.fill,
        center: this.center,
      }],
    };
  }
}

/** Options of {@link RandomPerspective}. */
export interface RandomPerspectiveOptions {
  /** Default "bilinear". */
  interpolation?: InterpolationMode;
  /** Fill outside the warped image. Default 0. */
  fill?: Fill;
  /** Random source; default the module-level seeded generator. */
  generator?: GeneratorLike;
}

/** Corner points `[x, y]`: top-left, top-right, bottom-right, bottom-left. */
export type Corners = [[number, number], [number, number], [number, number], [number, number]];

/**
 * A random perspective warp with probability `p`, like
 * `torchvision.transforms.RandomPerspective`.
 */
export class RandomPerspective implements Transform<Image | Tensor, Image | Tensor> {
  /** How far corners may move, as a fraction of half the size, in [0, 1]. */
  readonly distortionScale: number;
  /** Probability of warping. */
  readonly p: number;
  /** Interpolation. */
  readonly interpolation: InterpolationMode;
  /** Fill. */
  readonly fill: Fill;
  #rng: RandomSource;

  /**
   * Creates the object.
   * @param distortionScale In [0, 1] (default 0.5).
   * @param p Probability (default 0.5).
   */
  constructor(distortionScale = 0.5, p = 0.5, options: RandomPerspectiveOptions = {}) {
    const who = "RandomPerspective";
    checkProbability(distortionScale, who, "distortionScale");
    this.distortionScale = distortionScale;
    this.p = checkProbability(p, who);
    this.interpolation = checkInterpolation(options.interpolation ?? "bilinear", who, WARP_MODES);
    this.fill = checkFill(options.fill ?? 0, who);
    this.#rng = resolveRandom(options.generator);
  }

  /**
   * torchvision's `get_params`: each corner moves inward by a uniform whole
   * number of pixels, at most `distortionScale` × half the size.
   * @returns `[startpoints, endpoints]`.
   */
  static getParams(
    width: number,
    height: number,
    distortionScale: number,
    generator?: GeneratorLike,
  ): [Corners, Corners] {
    const rng = resolveRandom(generator);
    const dw = Math.trunc(distortionScale * Math.floor(width / 2));
    const dh = Math.trunc(distortionScale * Math.floor(height / 2));
    const topleft: [number, number] = [randInt(rng, 0, dw + 1), randInt(rng, 0, dh + 1)];
    const topright: [number, number] = [
      randInt(rng, width - dw - 1, width),
      randInt(rng, 0, dh + 1),
    ];
    const botright: [number, number] = [
      randInt(rng, width - dw - 1, width),
      randInt(rng, height - dh - 1, height),
    ];
    const botleft: [number, number] = [
      randInt(rng, 0, dw + 1),
      randInt(rng, height - dh - 1, height),
    ];
    const start: Corners = [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]];
    return [start, [topleft, topright, botright, botleft]];
  }

  /** Warps one image with probability `p`. */
  call<T extends Image | Tensor>(img: T): T {
    const fill = fillFor(img, this.fill, "RandomPerspective");
    if (!(this.#rng.random() < this.p)) return img;
    const [, h, w] = getDimensions(img);
    const [start, end] = RandomPerspective.getParams(w, h, this.distortionScale, this.#rng);
    return perspective(img, start, end, { interpolation: this.interpolation, fill });
  }

  /** `RandomPerspective(p=0.5)`. */
  toString(): string {
    return `RandomPerspective(p=${this.p})`;
  }

  /** Rebuild recipe for DataLoader workers. */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "RandomPerspective",
      construct: true,
      args: [this.distortionScale, this.p, { interpolation: this.interpolation, fill: this.fill }],
    };
  }
}

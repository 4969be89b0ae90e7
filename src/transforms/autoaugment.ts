/**
 * `AutoAugment`, `RandAugment` and `TrivialAugmentWide` as in torchvision
 * 0.14: the same policies, magnitude tables (float32 `linspace` values, bit
 * for bit) and draw order, applied through the functional transforms.
 *
 * @module
 */

import type { WorkerSpec } from "../data/spec.ts";
import { Tensor } from "../tensor/tensor.ts";
import type { Transform } from "./compose.ts";
import { wrongType } from "./errors.ts";
import * as F from "./functional.ts";
import { Image } from "./image.ts";
import { checkInterpolation, type InterpolationMode } from "./interpolation.ts";
import { linspaceF32 } from "./numeric.ts";
import { type GeneratorLike, randInt, type RandomSource, resolveRandom } from "./random.ts";
import { roundHalfEven } from "./size.ts";

/** The operations the automatic augmentation policies draw from. */
export type AugmentOp =
  | "Identity"
  | "ShearX"
  | "ShearY"
  | "TranslateX"
  | "TranslateY"
  | "Rotate"
  | "Brightness"
  | "Color"
  | "Contrast"
  | "Sharpness"
  | "Posterize"
  | "Solarize"
  | "AutoContrast"
  | "Equalize"
  | "Invert";

/**
 * torchvision's `_apply_op`: one augmentation at a signed magnitude (shears
 * are `atan`-mapped to degrees about the top-left corner, translations are
 * truncated to whole pixels).
 */
export function applyAugmentOp<T extends Image | Tensor>(
  img: T,
  op: AugmentOp,
  magnitude: number,
  interpolation: InterpolationMode,
  fill: number | readonly number[] | null,
): T {
  const opts = { interpolation, fill };
  const deg = (m: number): number => Math.atan(m) * (180 / Math.PI);
  switch (op) {
    case "ShearX":
      return F.affine(img, 0, [0, 0], 1, [deg(magnitude), 0], { ...opts, center: [0, 0] });
    case "ShearY":
      return F.affine(img, 0, [0, 0], 1, [0, deg(magnitude)], { ...opts, center: [0, 0] });
    case "TranslateX":
      return F.affine(img, 0, [Math.trunc(magnitude), 0], 1, [0, 0], opts);
    case "TranslateY":
      return F.affine(img, 0, [0, Math.trunc(magnitude)], 1, [0, 0], opts);
    case "Rotate":
      return F.rotate(img, magnitude, opts);
    case "Brightness":
      return F.adjustBrightness(img, 1 + magnitude);
    case "Color":
      return F.adjustSaturation(img, 1 + magnitude);
    case "Contrast":
      return F.adjustContrast(img, 1 + magnitude);
    case "Sharpness":
      return F.adjustSharpness(img, 1 + magnitude);
    case "Posterize":
      return F.posterize(img as Image, Math.trunc(magnitude)) as T;
    case "Solarize":
      return F.solarize(img, magnitude);
    case "AutoContrast":
      return F.autocontrast(img);
    case "Equalize":
      return F.equalize(img as Image) as T;
    case "Invert":
      return F.invert(img);
    case "Identity":
      return img;
  }
  throw new RangeError(`applyAugmentOp: unknown operation ${JSON.stringify(op)}`);
}

/** `8 - (arange(n) / ((n - 1) / k)).round().int()` in float32: the posterize bits table. */
export function posterizeBits(numBins: number, k: number): number[] {
  const d = Math.fround((numBins - 1) / k);
  return Array.from({ length: numBins }, (_, i) => 8 - roundHalfEven(Math.fround(i / d)));
}

/** Magnitudes of one op (null: the op takes none) and whether a random sign applies. */
type Space = [AugmentOp, number[] | null, boolean][];

function lin(end: number, bins: number): number[] {
  return Array.from(linspaceF32(0, end, bins));
}

/** torchvision's `_augmentation_space` of AutoAugment / RandAugment (`wide` = TrivialAugmentWide). */
function augmentationSpace(bins: number, height: number, width: number, wide: boolean): Space {
  const big = wide ? 0.99 : 0.9;
  return [
    ["ShearX", lin(wide ? 0.99 : 0.3, bins), true],
    ["ShearY", lin(wide ? 0.99 : 0.3, bins), true],
    ["TranslateX", lin(wide ? 32 : 150.0 / 331.0 * width, bins), true],
    ["TranslateY", lin(wide ? 32 : 150.0 / 331.0 * height, bins), true],
    ["Rotate", lin(wide ? 135 : 30, bins), true],
    ["Brightness", lin(big, bins), true],
    ["Color", lin(big, bins), true],
    ["Contrast", lin(big, bins), true],
    ["Sharpness", lin(big, bins), true],
    ["Posterize", posterizeBits(bins, wide ? 6 : 4), false],
    ["Solarize", Array.from(linspaceF32(255, 0, bins)), false],
    ["AutoContrast", null, false],
    ["Equalize", null, false],
  ];
}

/** AutoAugment's learned policies. */
export type AutoAugmentPolicy = "imagenet" | "cifar10" | "svhn";

/** torchvision's `AutoAugmentPolicy` enum: `AutoAugmentPolicy.IMAGENET === "imagenet"`. */
export const AutoAugmentPolicy: {
  readonly IMAGENET: "imagenet";
  readonly CIFAR10: "cifar10";
  readonly SVHN: "svhn";
} = Object.freeze({ IMAGENET: "imagenet", CIFAR10: "cifar10", SVHN: "svhn" });

type Step = [AugmentOp, number, number | null];
type SubPolicy = [Step, Step];

const POLICIES: Record<AutoAugmentPolicy, SubPolicy[]> = {
  imagenet: [
    [["Posterize", 0.4, 8], ["Rotate", 0.6, 9]],
    [["Solarize", 0.6, 5], ["AutoContrast", 0.6, null]],
    [["Equalize", 0.8, null], ["Equalize", 0.6, null]],
    [["Posterize", 0.6, 7], ["Posterize", 0.6, 6]],
    [["Equalize", 0.4, null], ["Solarize", 0.2, 4]],
    [["Equalize", 0.4, null], ["Rotate", 0.8, 8]],
    [["Solarize", 0.6, 3], ["Equalize", 0.6, null]],
    [["Posterize", 0.8, 5], ["Equalize", 1.0, null]],
    [["Rotate", 0.2, 3], ["Solarize", 0.6, 8]],
    [["Equalize", 0.6, null], ["Posterize", 0.4, 6]],
    [["Rotate", 0.8, 8], ["Color", 0.4, 0]],
    [["Rotate", 0.4, 9], ["Equalize", 0.6, null]],
    [["Equalize", 0.0, null], ["Equalize", 0.8, null]],
    [["Invert", 0.6, null], ["Equalize", 1.0, null]],
    [["Color", 0.6, 4], ["Contrast", 1.0, 8]],
    [["Rotate", 0.8, 8], ["Color", 1.0, 2]],
    [["Color", 0.8, 8], ["Solarize", 0.8, 7]],
    [["Sharpness", 0.4, 7], ["Invert", 0.6, null]],
    [["ShearX", 0.6, 5], ["Equalize", 1.0, null]],
    [["Color", 0.4, 0], ["Equalize", 0.6, null]],
    [["Equalize", 0.4, null], ["Solarize", 0.2, 4]],
    [["Solarize", 0.6, 5], ["AutoContrast", 0.6, null]],
    [["Invert", 0.6, null], ["Equalize", 1.0, null]],
    [["Color", 0.6, 4], ["Contrast", 1.0, 8]],
    [["Equalize", 0.8, null], ["Equalize", 0.6, null]],
  ],
  cifar10: [
    [["Invert", 0.1, null], ["Contrast", 0.2, 6]],
    [["Rotate", 0.7, 2], ["TranslateX", 0.3, 9]],
    [["Sharpness", 0.8, 1], ["Sharpness", 0.9, 3]],
    [["ShearY", 0.5, 8], ["TranslateY", 0.7, 9]],
    [["AutoContrast", 0.5, null], ["Equalize", 0.9, null]],
    [["ShearY", 0.2, 7], ["Posterize", 0.3, 7]],
    [["Color", 0.4, 3], ["Brightness", 0.6, 7]],
    [["Sharpness", 0.3, 9], ["Brightness", 0.7, 9]],
    [["Equalize", 0.6, null], ["Equalize", 0.5, null]],
    [["Contrast", 0.6, 7], ["Sharpness", 0.6, 5]],
    [["Color", 0.7, 7], ["TranslateX", 0.5, 8]],
    [["Equalize", 0.3, null], ["AutoContrast", 0.4, null]],
    [["TranslateY", 0.4, 3], ["Sharpness", 0.2, 6]],
    [["Brightness", 0.9, 6], ["Color", 0.2, 8]],
    [["Solarize", 0.5, 2], ["Invert", 0.0, null]],
    [["Equalize", 0.2, null], ["AutoContrast", 0.6, null]],
    [["Equalize", 0.2, null], ["Equalize", 0.6, null]],
    [["Color", 0.9, 9], ["Equalize", 0.6, null]],
    [["AutoContrast", 0.8, null], ["Solarize", 0.2, 8]],
    [["Brightness", 0.1, 3], ["Color", 0.7, 0]],
    [["Solarize", 0.4, 5], ["AutoContrast", 0.9, null]],
    [["TranslateY", 0.9, 9], ["TranslateY", 0.7, 9]],
    [["AutoContrast", 0.9, null], ["Solarize", 0.8, 3]],
    [["Equalize", 0.8, null], ["Invert", 0.1, null]],
    [["TranslateY", 0.7, 9], ["AutoContrast", 0.9, null]],
  ],
  svhn: [
    [["ShearX", 0.9, 4], ["Invert", 0.2, null]],
    [["ShearY", 0.9, 8], ["Invert", 0.7, null]],
    [["Equalize", 0.6, null], ["Solarize", 0.6, 6]],
    [["Invert", 0.9, null], ["Equalize", 0.6, null]],
    [["Equalize", 0.6, null], ["Rotate", 0.9, 3]],
    [["ShearX", 0.9, 4], ["AutoContrast", 0.8, null]],
    [["ShearY", 0.9, 8], ["Invert", 0.4, null]],
    [["ShearY", 0.9, 5], ["Solarize", 0.2, 6]],
    [["Invert", 0.9, null], ["AutoContrast", 0.8, null]],
    [["Equalize", 0.6, null], ["Rotate", 0.9, 3]],
    [["ShearX", 0.9, 4], ["Solarize", 0.3, 3]],
    [["ShearY", 0.8, 8], ["Invert", 0.7, null]],
    [["Equalize", 0.9, null], ["TranslateY", 0.6, 6]],
    [["Invert", 0.9, null], ["Equalize", 0.6, null]],
    [["Contrast", 0.3, 3], ["Rotate", 0.8, 4]],
    [["Invert", 0.8, null], ["TranslateY", 0.0, 2]],
    [["ShearY", 0.7, 6], ["Solarize", 0.4, 8]],
    [["Invert", 0.6, null], ["Rotate", 0.8, 4]],
    [["ShearY", 0.3, 7], ["TranslateX", 0.9, 3]],
    [["ShearX", 0.1, 6], ["Invert", 0.6, null]],
    [["Solarize", 0.7, 2], ["TranslateY", 0.6, 7]],
    [["ShearY", 0.8, 4], ["Invert", 0.8, null]],
    [["ShearX", 0.7, 9], ["TranslateY", 0.8, 3]],
    [["ShearY", 0.8, 5], ["AutoContrast", 0.7, null]],
    [["ShearX", 0.7, 2], ["Invert", 0.1, null]],
  ],
};

/** Options shared by the automatic augmentations. */
export interface AutoAugmentOptions {
  /** Interpolation of the geometric ops. Default "nearest". */
  interpolation?: InterpolationMode;
  /** Fill for the geometric ops (number or per channel). Default none (0). */
  fill?: number | readonly number[] | null;
  /** Random source; default the module-level seeded generator. */
  generator?: GeneratorLike;
}

const WARP_MODES: readonly InterpolationMode[] = ["nearest", "bilinear", "bicubic"];

function fmtFill(f: number | readonly number[] | null): string {
  return f === null ? "None" : typeof f === "number" ? String(f) : `[${f.join(", ")}]`;
}

/** Base of the automatic augmentations: options, input checks, fill for tensors. */
export abstract class AugmentBase implements Transform<Image | Tensor, Image | Tensor> {
  /** Interpolation of the geometric ops. */
  readonly interpolation: InterpolationMode;
  /** Fill for the geometric ops. */
  readonly fill: number | readonly number[] | null;
  /** The random source draws come from. */
  protected readonly rng: RandomSource;

  /**
   * Creates the transform.
   * @param who The transform's name, for error messages.
   */
  constructor(options: AutoAugmentOptions, who: string) {
    this.interpolation = checkInterpolation(options.interpolation ?? "nearest", who, WARP_MODES);
    this.fill = options.fill ?? null;
    this.rng = resolveRandom(options.generator);
  }

  /** Applies the augmentation. */
  abstract call(img: Image | Tensor): Image | Tensor;
  /** torchvision's repr. */
  abstract toString(): string;

  /** Validates the input; returns its fill the way torchvision normalises it for tensors. */
  protected prepare(img: Image | Tensor, who: string): number | readonly number[] | null {
    if (!(img instanceof Image) && !(img instanceof Tensor)) {
      wrongType(who, "an Image or a Tensor", img);
    }
    if (img instanceof Image || this.fill === null) return this.fill;
    const c = F.getImageNumChannels(img);
    return typeof this.fill === "number" ? new Array<number>(c).fill(this.fill) : this.fill;
  }

  /** The options a worker needs to rebuild this transform. */
  protected specOptions(): AutoAugmentOptions {
    return { interpolation: this.interpolation, fill: this.fill };
  }
}

/** AutoAugment (Cubuk et al.) with one of the learned policies, like torchvision's. */
export class AutoAugment extends AugmentBase {
  /** The policy. */
  readonly policy: AutoAugmentPolicy;

  /**
   * Creates the object.
   * @param policy "imagenet" (default), "cifar10" or "svhn".
   */
  constructor(policy: AutoAugmentPolicy = "imagenet", options: AutoAugmentOptions = {}) {
    super(options, "AutoAugment");
    if (!(policy in POLICIES)) {
      throw new RangeError(
        `AutoAugment: policy must be "imagenet", "cifar10" or "svhn", got ${
          JSON.stringify(policy)
        }`,
      );
    }
    this.policy = policy;
  }

  /** Draws a sub-policy, then applies each of its two steps with its probability. */
  call(img: Image | Tensor): Image | Tensor {
    const fill = this.prepare(img, "AutoAugment");
    const [, h, w] = F.getDimensions(img);
    const subs = POLICIES[this.policy];
    const id = randInt(this.rng, 0, subs.length);
    const probs = [this.rng.random(), this.rng.random()];
    const signs = [randInt(this.rng, 0, 2), randInt(this.rng, 0, 2)];
    const entries: Space = [...augmentationSpace(10, h, w, false), ["Invert", null, false]];
    const space = new Map(entries.map((e) => [e[0], e]));
    subs[id].forEach(([op, p, magId], i) => {
      if (!(probs[i] <= p)) return;
      const [, mags, signed] = space.get(op)!;
      let m = mags !== null && magId !== null ? mags[magId] : 0;
      if (signed && signs[i] === 0) m = -m;
      img = applyAugmentOp(img, op, m, this.interpolation, fill);
    });
    return img;
  }

  /** `AutoAugment(policy=AutoAugmentPolicy.IMAGENET, fill=None)`. */
  toString(): string {
    return `AutoAugment(policy=AutoAugmentPolicy.${this.policy.toUpperCase()}, fill=${
      fmtFill(this.fill)
    })`;
  }

  /** Rebuild recipe for DataLoader workers. */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "AutoAugment",
      construct: true,
      args: [this.policy, this.specOptions()],
    };
  }
}

function checkBins(who: string, name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) {
    throw new RangeError(`${who}: ${name} must be an integer ≥ ${min}, got ${v}`);
  }
}

/** RandAugment (Cubuk et al. 2019): `numOps` random ops at one fixed magnitude. */
export class RandAugment extends AugmentBase {
  /** Ops applied per image. */
  readonly numOps: number;
  /** Magnitude bin used for every op. */
  readonly magnitude: number;
  /** Number of magnitude bins. */
  readonly numMagnitudeBins: number;

  /**
   * Creates the object.
   * @param numOps Ops per image (default 2).
   * @param magnitude Bin index in [0, numMagnitudeBins) (default 9).
   * @param numMagnitudeBins Default 31.
   */
  constructor(
    numOps = 2,
    magnitude = 9,
    numMagnitudeBins = 31,
    options: AutoAugmentOptions = {},
  ) {
    super(options, "RandAugment");
    checkBins("RandAugment", "numOps", numOps, 0);
    checkBins("RandAugment", "numMagnitudeBins", numMagnitudeBins, 2);
    if (!Number.isInteger(magnitude) || magnitude < 0 || magnitude >= numMagnitudeBins) {
      throw new RangeError(
        `RandAugment: magnitude must be an integer in [0, ${numMagnitudeBins}), got ${magnitude}`,
      );
    }
    this.numOps = numOps;
    this.magnitude = magnitude;
    this.numMagnitudeBins = numMagnitudeBins;
  }

  /** Applies `numOps` uniformly drawn ops, each with a random sign where it has one. */
  call(img: Image | Tensor): Image | Tensor {
    const fill = this.prepare(img, "RandAugment");
    const [, h, w] = F.getDimensions(img);
    const space: Space = [
      ["Identity", null, false],
      ...augmentationSpace(this.numMagnitudeBins, h, w, false),
    ];
    for (let k = 0; k < this.numOps; k++) {
      const [op, mags, signed] = space[randInt(this.rng, 0, space.length)];
      let m = mags !== null ? mags[this.magnitude] : 0;
      if (signed && randInt(this.rng, 0, 2)) m = -m;
      img = applyAugmentOp(img, op, m, this.interpolation, fill);
    }
    return img;
  }

  /** `RandAugment(num_ops=2, magnitude=9, ...)`. */
  toString(): string {
    return `RandAugment(num_ops=${this.numOps}, magnitude=${this.magnitude}, num_magnitude_bins=${this.numMagnitudeBins}, interpolation=InterpolationMode.${this.interpolation.toUpperCase()}, fill=${
      fmtFill(this.fill)
    })`;
  }

  /** Rebuild recipe for DataLoader workers. */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "RandAugment",
      construct: true,
      args: [this.numOps, this.magnitude, this.numMagnitudeBins, this.specOptions()],
    };
  }
}

/** TrivialAugment Wide (Müller & Hutter 2021): one random op at a random magnitude. */
export class TrivialAugmentWide extends AugmentBase {
  /** Number of magnitude bins. */
  readonly numMagnitudeBins: number;

  /**
   * Creates the object.
   * @param numMagnitudeBins Default 31.
   */
  constructor(numMagnitudeBins = 31, options: AutoAugmentOptions = {}) {
    super(options, "TrivialAugmentWide");
    checkBins("TrivialAugmentWide", "numMagnitudeBins", numMagnitudeBins, 2);
    this.numMagnitudeBins = numMagnitudeBins;
  }

  /** Applies one uniformly drawn op at a uniformly drawn magnitude bin. */
  call(img: Image | Tensor): Image | Tensor {
    const fill = this.prepare(img, "TrivialAugmentWide");
    const space: Space = [
      ["Identity", null, false],
      ...augmentationSpace(this.numMagnitudeBins, 0, 0, true),
    ];
    const [op, mags, signed] = space[randInt(this.rng, 0, space.length)];
    let m = mags !== null ? mags[randInt(this.rng, 0, mags.length)] : 0;
    if (signed && randInt(this.rng, 0, 2)) m = -m;
    return applyAugmentOp(img, op, m, this.interpolation, fill);
  }

  /** `TrivialAugmentWide(num_magnitude_bins=31, ...)`. */
  toString(): string {
    return `TrivialAugmentWide(num_magnitude_bins=${this.numMagnitudeBins}, interpolation=InterpolationMode.${this.interpolation.toUpperCase()}, fill=${
      fmtFill(this.fill)
    })`;
  }

  /** Rebuild recipe for DataLoader workers. */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "TrivialAugmentWide",
      construct: true,
      args: [this.numMagnitudeBins, this.specOptions()],
    };
  }
}

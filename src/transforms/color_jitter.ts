/**
 * `ColorJitter`: random brightness, contrast, saturation and hue in a random
 * order, like torchvision 0.14 (on PIL images).
 *
 * @module
 */

import type { WorkerSpec } from "../data/spec.ts";
import { adjustBrightness, adjustContrast, adjustHue, adjustSaturation } from "./color.ts";
import type { Transform } from "./compose.ts";
import { wrongType } from "./errors.ts";
import { Image } from "./image.ts";
import {
  type GeneratorLike,
  type RandomSource,
  randperm,
  resolveRandom,
  uniform,
} from "./random.ts";

/** A jitter amount: `v` means [max(0, 1 - v), 1 + v] (hue: [-v, v]), or an explicit [min, max]. */
export type JitterRange = number | readonly [number, number];

/** Options of {@link ColorJitter}. */
export interface ColorJitterOptions {
  /** Random source; default the module-level seeded generator. */
  generator?: GeneratorLike;
}

function checkRange(
  name: string,
  value: JitterRange,
  center: number,
  bound: [number, number],
  clipFirst: boolean,
): [number, number] | null {
  let r: [number, number];
  if (typeof value === "number") {
    if (value < 0) {
      throw new RangeError(
        `ColorJitter: if ${name} is a single number, it must be non-negative, got ${value}`,
      );
    }
    r = [center - value, center + value];
    if (clipFirst) r[0] = Math.max(r[0], 0);
  } else if (Array.isArray(value) && value.length === 2) {
    r = [value[0], value[1]];
  } else {
    throw new TypeError(
      `ColorJitter: ${name} must be a number or [min, max], got ${JSON.stringify(value)}`,
    );
  }
  if (!(bound[0] <= r[0] && r[0] <= r[1] && r[1] <= bound[1])) {
    throw new RangeError(`ColorJitter: ${name} values should be between [${bound}], got [${r}]`);
  }
  // torchvision skips a jitter whose range is exactly the identity.
  return r[0] === center && r[1] === center ? null : r;
}

/** Randomly changes brightness, contrast, saturation and hue of an {@link Image}. */
export class ColorJitter implements Transform<Image, Image> {
  /** Brightness factor range, or null (off). */
  readonly brightness: [number, number] | null;
  /** Contrast factor range, or null (off). */
  readonly contrast: [number, number] | null;
  /** Saturation factor range, or null (off). */
  readonly saturation: [number, number] | null;
  /** Hue shift range within [-0.5, 0.5], or null (off). */
  readonly hue: [number, number] | null;
  #rng: RandomSource;

  /** Each amount `v` draws a factor from [max(0, 1 - v), 1 + v] (hue: [-v, v], v ≤ 0.5). */
  constructor(
    brightness: JitterRange = 0,
    contrast: JitterRange = 0,
    saturation: JitterRange = 0,
    hue: JitterRange = 0,
    options: ColorJitterOptions = {},
  ) {
    this.brightness = checkRange("brightness", brightness, 1, [0, Infinity], true);
    this.contrast = checkRange("contrast", contrast, 1, [0, Infinity], true);
    this.saturation = checkRange("saturation", saturation, 1, [0, Infinity], true);
    this.hue = checkRange("hue", hue, 0, [-0.5, 0.5], false);
    this.#rng = resolveRandom(options.generator);
  }

  /** Applies the four adjustments in a random order with random factors. */
  call(img: Image): Image {
    if (!(img instanceof Image)) wrongType("ColorJitter", "an Image", img);
    const order = randperm(this.#rng, 4);
    const draw = (r: [number, number] | null): number | null =>
      r === null ? null : uniform(this.#rng, r[0], r[1]);
    const factors = [
      draw(this.brightness),
      draw(this.contrast),
      draw(this.saturation),
      draw(this.hue),
    ];
    for (const fn of order) {
      const f = factors[fn];
      if (f === null) continue;
      if (fn === 0) img = adjustBrightness(img, f);
      else if (fn === 1) img = adjustContrast(img, f);
      else if (fn === 2) img = adjustSaturation(img, f);
      else img = adjustHue(img, f);
    }
    return img;
  }

  /** `ColorJitter(brightness=..., contrast=..., saturation=..., hue=...)`. */
  toString(): string {
    const f = (r: [number, number] | null): string => (r ? `(${r.join(", ")})` : "None");
    return `ColorJitter(brightness=${f(this.brightness)}, contrast=${
      f(this.contrast)
    }, saturation=${f(this.saturation)}, hue=${f(this.hue)})`;
  }

  /** Rebuild recipe for DataLoader workers. */
  workerSpec(): WorkerSpec {
    const a = (r: [number, number] | null, center: number): JitterRange => r ?? [center, center];
    return {
      module: import.meta.url,
      export: "ColorJitter",
      construct: true,
      args: [a(this.brightness, 1), a(this.contrast, 1), a(this.saturation, 1), a(this.hue, 0)],
    };
  }
}

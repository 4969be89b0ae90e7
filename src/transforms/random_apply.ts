/**
 * `RandomApply`, `RandomChoice` and `RandomOrder`: combinators that apply a
 * list of transforms randomly, like torchvision 0.14's (which draw with
 * Python's `random`; here the draws come from the given generator).
 *
 * @module
 */

import { specArg, type WorkerSpec } from "../data/spec.ts";
import { applyTransform, type Transform, type TransformLike } from "./compose.ts";
import { checkProbability } from "./errors.ts";
import { type GeneratorLike, type RandomSource, resolveRandom, shuffleInPlace } from "./random.ts";

/** Options of the random combinators. */
export interface RandomTransformsOptions {
  /** Random source; default the module-level seeded generator. */
  generator?: GeneratorLike;
}

function checkList<I, O>(transforms: unknown, who: string): TransformLike<I, O>[] {
  if (!Array.isArray(transforms)) {
    throw new TypeError(`${who}: expected an array of transforms, got ${typeof transforms}`);
  }
  transforms.forEach((t, i) => {
    const ok = typeof t === "function" ||
      (typeof t === "object" && t !== null && typeof (t as Transform).call === "function");
    if (!ok) throw new TypeError(`${who}: transforms[${i}] is not a transform or a function`);
  });
  return [...transforms];
}

function listing(transforms: readonly TransformLike<never, unknown>[]): string {
  return transforms.map((t) => `\n    ${typeof t === "function" ? "Lambda()" : t}`).join("");
}

/** Applies all its transforms, in order, with probability `p`, like `torchvision.transforms.RandomApply`. */
export class RandomApply<I = unknown, O = unknown> implements Transform<I, O | I> {
  /** The transforms. */
  readonly transforms: readonly TransformLike[];
  /** Probability of applying them. */
  readonly p: number;
  #rng: RandomSource;

  /**
   * Creates the object.
   * @param transforms Applied in order when the draw succeeds.
   * @param p Probability (default 0.5).
   */
  constructor(
    transforms: readonly TransformLike[],
    p = 0.5,
    options: RandomTransformsOptions = {},
  ) {
    this.transforms = checkList(transforms, "RandomApply");
    this.p = checkProbability(p, "RandomApply");
    this.#rng = resolveRandom(options.generator);
  }

  /** Applies every transform when a uniform draw is at most `p` (as torchvision: skip if `p < draw`). */
  call(x: I): O | I {
    if (this.p < this.#rng.random()) return x;
    let v: unknown = x;
    for (const t of this.transforms) v = applyTransform(t, v);
    return v as O;
  }

  /** Multi-line listing like torchvision's. */
  toString(): string {
    return `RandomApply(\n    p=${this.p}${listing(this.transforms)}\n)`;
  }

  /** Rebuild recipe for DataLoader workers (fails if any member is a function). */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "RandomApply",
      construct: true,
      args: [specArg(this.transforms, "RandomApply.transforms"), this.p],
    };
  }
}

/** Options of {@link RandomChoice}. */
export interface RandomChoiceOptions extends RandomTransformsOptions {
  /** Relative weights, one per transform (like `random.choices(weights=...)`). Default equal. */
  p?: readonly number[] | null;
}

/** Applies one transform picked at random, like `torchvision.transforms.RandomChoice`. */
export class RandomChoice<I = unknown, O = unknown> implements Transform<I, O> {
  /** The candidates. */
  readonly transforms: readonly TransformLike<I, O>[];
  /** Relative weights, or null for equal weights. */
  readonly p: readonly number[] | null;
  #rng: RandomSource;
  #cum: number[] | null;

  /**
   * Creates the object.
   * @param transforms The candidates.
   */
  constructor(transforms: readonly TransformLike<I, O>[], options: RandomChoiceOptions = {}) {
    this.transforms = checkList<I, O>(transforms, "RandomChoice");
    if (this.transforms.length === 0) {
      throw new RangeError("RandomChoice: needs at least one transform");
    }
    const p = options.p ?? null;
    if (p !== null) {
      if (!Array.isArray(p) || p.length !== this.transforms.length || p.some((w) => !(w >= 0))) {
        throw new RangeError(
          `RandomChoice: p must be ${this.transforms.length} non-negative weights, got ${
            JSON.stringify(p)
          }`,
        );
      }
      if (!(p.reduce((a, b) => a + b, 0) > 0)) {
        throw new RangeError("RandomChoice: the weights in p sum to zero");
      }
    }
    this.p = p === null ? null : [...p];
    let acc = 0;
    this.#cum = p === null ? null : p.map((w) => (acc += w));
    this.#rng = resolveRandom(options.generator);
  }

  /** Python's `random.choices`: index by `floor(r * n)`, or bisect the cumulative weights. */
  #pick(): number {
    const r = this.#rng.random();
    const n = this.transforms.length;
    if (this.#cum === null) return Math.floor(r * n);
    const x = r * this.#cum[n - 1];
    let lo = 0, hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x < this.#cum[mid]) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Applies the picked transform. */
  call(x: I): O {
    return applyTransform(this.transforms[this.#pick()], x);
  }

  /** torchvision's repr, quirk included: `RandomChoice(\n    ...\n)(p=None)`. */
  toString(): string {
    const p = this.p === null ? "None" : `[${this.p.join(", ")}]`;
    return `RandomChoice(${listing(this.transforms)}\n)(p=${p})`;
  }

  /** Rebuild recipe for DataLoader workers (fails if any member is a function). */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "RandomChoice",
      construct: true,
      args: [specArg(this.transforms, "RandomChoice.transforms"), { p: this.p }],
    };
  }
}

/** Applies all its transforms in a random order, like `torchvision.transforms.RandomOrder`. */
export class RandomOrder<T = unknown> implements Transform<T, T> {
  /** The transforms. */
  readonly transforms: readonly TransformLike<T, T>[];
  #rng: RandomSource;

  /**
   * Creates the object.
   * @param transforms Applied in a fresh random order per call.
   */
  constructor(transforms: readonly TransformLike<T, T>[], options: RandomTransformsOptions = {}) {
    this.transforms = checkList<T, T>(transforms, "RandomOrder");
    this.#rng = resolveRandom(options.generator);
  }

  /** Shuffles the order (Fisher–Yates from the end, like `random.shuffle`) and applies all. */
  call(x: T): T {
    const order = shuffleInPlace(this.#rng, Array.from(this.transforms.keys()));
    for (const i of order) x = applyTransform(this.transforms[i], x);
    return x;
  }

  /** Multi-line listing like torchvision's. */
  toString(): string {
    return `RandomOrder(${listing(this.transforms)}\n)`;
  }

  /** Rebuild recipe for DataLoader workers (fails if any member is a function). */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "RandomOrder",
      construct: true,
      args: [specArg(this.transforms, "RandomOrder.transforms")],
    };
  }
}

/**
 * Random numbers for the random transforms and samplers.
 *
 * Every random draw in `transforms/` and `data/` goes through
 * {@link resolveRandom}, so the source of randomness is decided in one place.
 * By default that is the tensor core's default `Generator`, so one
 * `manualSeed(n)` fixes shuffles and augmentations, as in PyTorch.
 *
 * @module
 */

import { defaultGenerator, Generator, manualSeed as coreManualSeed } from "../tensor/random.ts";
import { randomWords } from "../tensor/host_random.ts";
import { describeType } from "./errors.ts";
import { roundHalfEven } from "./size.ts";

/** Anything that yields uniform doubles in [0, 1). */
export interface RandomSource {
  /** A uniform double in [0, 1). */
  random(): number;
}

/**
 * A small, fast, seedable PRNG (sfc32 seeded through splitmix32).
 *
 * Not cryptographic; chosen because it is a few integer ops per draw, which
 * matters when augmentations run for thousands of images per second.
 */
export class SeededRandom implements RandomSource {
  #a = 0;
  #b = 0;
  #c = 0;
  #d = 0;

  /** Creates a generator seeded with `seed` (any integer; only its low 53 bits matter). */
  constructor(seed = 0) {
    this.manualSeed(seed);
  }

  /** Re-seeds the generator; the same seed always gives the same stream. */
  manualSeed(seed: number | bigint): this {
    let s = Number(BigInt.asUintN(53, BigInt(seed)));
    // Split the 53-bit seed into two 32-bit words so seeds > 2^32 still differ.
    let x = (s >>> 0) ^ Math.floor(s / 4294967296);
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = next();
    this.#b = next();
    this.#c = next();
    this.#d = next();
    s = 0;
    // Discard the first outputs: sfc32 mixes poorly right after seeding.
    for (let i = 0; i < 12; i++) this.nextUint32();
    return this;
  }

  /** The next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** The internal state, for checkpointing. */
  getState(): Uint32Array {
    return Uint32Array.of(this.#a, this.#b, this.#c, this.#d);
  }

  /** Restores a state returned by {@link SeededRandom.getState}. */
  setState(state: Uint32Array): this {
    [this.#a, this.#b, this.#c, this.#d] = state;
    return this;
  }
}

/**
 * What a random transform or sampler accepts as `generator`: the tensor
 * core's `Generator` (so `torch.manualSeed`-style seeding covers
 * augmentations and shuffles too), a {@link SeededRandom}, or anything with
 * `random()`.
 */
export type GeneratorLike = RandomSource | Generator;

/** Adapts a core `Generator`: two Philox words per double (53 bits). */
function fromCoreGenerator(gen: Generator): RandomSource {
  return {
    random(): number {
      const w = randomWords(2, gen);
      return ((w[0] >>> 5) * 67108864 + (w[1] >>> 6)) / 9007199254740992;
    },
  };
}

const defaultSource = fromCoreGenerator(defaultGenerator);

/**
 * Seeds the generator used by random transforms and samplers that were not
 * given their own: the tensor core's default generator, like
 * `torch.manual_seed`. DataLoader workers call this with
 * `baseSeed + workerId`, like PyTorch.
 */
export function manualSeed(seed: number): void {
  coreManualSeed(seed);
}

/** The source used when no generator is given (the core's default generator). */
export function defaultRandom(): RandomSource {
  return defaultSource;
}

/**
 * The one place that decides where random numbers come from: the given
 * generator, or the core's default generator.
 */
export function resolveRandom(generator?: GeneratorLike): RandomSource {
  if (generator === undefined) return defaultSource;
  if (generator instanceof Generator) return fromCoreGenerator(generator);
  if (typeof (generator as RandomSource).random === "function") return generator as RandomSource;
  throw new TypeError(
    `generator: expected a Generator or an object with random(), got ${describeType(generator)}`,
  );
}

/** A uniform integer in [low, high) (like `torch.randint(low, high)`). */
export function randInt(rng: RandomSource, low: number, high: number): number {
  return low + Math.floor(rng.random() * (high - low));
}

/** A uniform double in [low, high) (like `torch.empty(1).uniform_(low, high)`). */
export function uniform(rng: RandomSource, low: number, high: number): number {
  return low + rng.random() * (high - low);
}

/**
 * One of torchvision's tries at a random box (RandomResizedCrop, RandomErasing): an area
 * uniform in `scale`·`area` and an aspect log-uniform in `ratio`; returns
 * [√(area·aspect), √(area/aspect)] rounded half to even.
 */
export function randomBoxSides(
  rng: RandomSource,
  area: number,
  scale: readonly [number, number],
  ratio: readonly [number, number],
): [number, number] {
  const target = area * uniform(rng, scale[0], scale[1]);
  const aspect = Math.exp(uniform(rng, Math.log(ratio[0]), Math.log(ratio[1])));
  return [roundHalfEven(Math.sqrt(target * aspect)), roundHalfEven(Math.sqrt(target / aspect))];
}

/** In-place Fisher–Yates shuffle of `a`, drawing from `rng`. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(
  rng: RandomSource,
  a: T,
): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.random() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/** A random permutation of 0..n-1 (like `torch.randperm(n)`). */
export function randperm(rng: RandomSource, n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return shuffleInPlace(rng, a);
}

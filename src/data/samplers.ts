/**
 * Samplers: which dataset indices an epoch visits, and in what order
 * (`torch.utils.data` samplers).
 *
 * @module
 */

import {
  type GeneratorLike,
  randInt,
  type RandomSource,
  randperm,
  resolveRandom,
} from "../transforms/random.ts";

/** An iterable of dataset indices with a known length. */
export interface Sampler extends Iterable<number> {
  /** Number of indices one pass yields. */
  readonly length: number;
}

/** Yields 0, 1, …, n-1. */
export class SequentialSampler implements Sampler {
  /** Number of indices. */
  readonly length: number;

  /**
   * Creates the object.
   * @param dataSource Anything with a `length` (usually the dataset).
   */
  constructor(dataSource: { length: number }) {
    this.length = dataSource.length;
  }

  /** Indices in order. */
  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.length; i++) yield i;
  }
}

/** Options of {@link RandomSampler}. */
export interface RandomSamplerOptions {
  /** Draw with replacement (then `numSamples` may exceed the dataset size). */
  replacement?: boolean;
  /** Indices per pass; default the dataset length. */
  numSamples?: number;
  /** Random source; each pass continues its stream, so a seed fixes every epoch's order. */
  generator?: GeneratorLike;
}

/** Yields a random permutation (or draws with replacement) each pass. */
export class RandomSampler implements Sampler {
  /** Number of indices per pass. */
  readonly length: number;
  /** Whether indices are drawn with replacement. */
  readonly replacement: boolean;
  #n: number;
  #rng: RandomSource;

  /**
   * Creates the object.
   * @param dataSource Anything with a `length` (usually the dataset).
   */
  constructor(dataSource: { length: number }, options: RandomSamplerOptions = {}) {
    this.#n = dataSource.length;
    this.replacement = options.replacement ?? false;
    this.length = options.numSamples ?? this.#n;
    if (!Number.isInteger(this.length) || this.length < 0) {
      throw new RangeError(
        `RandomSampler: numSamples must be a non-negative integer, got ${this.length}`,
      );
    }
    this.#rng = resolveRandom(options.generator);
  }

  /** A fresh random order (a new draw every pass). */
  *[Symbol.iterator](): Iterator<number> {
    const n = this.#n;
    if (this.replacement) {
      for (let i = 0; i < this.length; i++) yield randInt(this.#rng, 0, n);
      return;
    }
    // Like PyTorch: whole permutations, then a partial one for the remainder.
    let left = this.length;
    while (left > 0) {
      const perm = randperm(this.#rng, n);
      const take = Math.min(left, n);
      for (let i = 0; i < take; i++) yield perm[i];
      left -= take;
      if (n === 0) break;
    }
  }
}

/** Yields the given indices in a random order each pass. */
export class SubsetRandomSampler implements Sampler {
  /** The indices sampled from. */
  readonly indices: readonly number[];
  #rng: RandomSource;

  /**
   * Creates the object.
   * @param indices Dataset indices to sample (each once per pass).
   */
  constructor(indices: readonly number[], options: { generator?: GeneratorLike } = {}) {
    this.indices = [...indices];
    this.#rng = resolveRandom(options.generator);
  }

  /** Number of indices. */
  get length(): number {
    return this.indices.length;
  }

  /** The indices in a fresh random order. */
  *[Symbol.iterator](): Iterator<number> {
    const perm = randperm(this.#rng, this.indices.length);
    for (let i = 0; i < perm.length; i++) yield this.indices[perm[i]];
  }
}

/** Groups another sampler's indices into batches. */
export class BatchSampler implements Iterable<number[]> {
  /** The index source. */
  readonly sampler: Iterable<number> & { length: number };
  /** Indices per batch. */
  readonly batchSize: number;
  /** Drop the last batch when it is smaller than `batchSize`. */
  readonly dropLast: boolean;

  /**
   * Creates the object.
   * @param sampler Index source with a `length`.
   * @param batchSize Positive batch size.
   * @param dropLast Drop an incomplete last batch.
   */
  constructor(
    sampler: Iterable<number> & { length: number },
    batchSize: number,
    dropLast: boolean,
  ) {
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new RangeError(
        `BatchSampler: batchSize should be a positive integer, got ${batchSize}`,
      );
    }
    this.sampler = sampler;
    this.batchSize = batchSize;
    this.dropLast = dropLast;
  }

  /** Number of batches per pass. */
  get length(): number {
    const n = this.sampler.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** Batches of indices. */
  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const i of this.sampler) {
      batch.push(i);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }
}

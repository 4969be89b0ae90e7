/** Seeded random state: a Philox key plus a counter, as torch.Generator. */

/** The seed PyTorch's default generator starts from. */
const DEFAULT_SEED = 67280421310721;

/** Serialisable generator state (for checkpoints). */
export interface GeneratorState {
  /** The seed the key derives from. */
  seed: number;
  /** How many 4-word Philox blocks have been consumed. */
  offset: number;
}

/** A source of reproducible random numbers; the same seed gives the same draws on every device. */
export class Generator {
  #seed = DEFAULT_SEED;
  #offset = 0;

  /** Creates a generator, optionally seeded. */
  constructor(seed?: number) {
    if (seed !== undefined) this.manualSeed(seed);
  }

  /** Re-seeds and resets the counter. */
  manualSeed(seed: number): this {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`manualSeed: seed must be a non-negative safe integer (got ${seed})`);
    }
    this.#seed = seed;
    this.#offset = 0;
    return this;
  }

  /** The current seed. */
  initialSeed(): number {
    return this.#seed;
  }

  /** Philox key and first block for `n` draws; advances the counter past them. */
  reserve(n: number): { key: [number, number]; counter: number } {
    const counter = this.#offset;
    this.#offset += Math.ceil(n / 4);
    return { key: [this.#seed >>> 0, Math.floor(this.#seed / 4294967296) >>> 0], counter };
  }

  /** Snapshot of the state. */
  getState(): GeneratorState {
    return { seed: this.#seed, offset: this.#offset };
  }

  /** Restores a snapshot. */
  setState(s: GeneratorState): this {
    this.manualSeed(s.seed);
    this.#offset = s.offset;
    return this;
  }
}

/** The generator used when none is passed. */
export const defaultGenerator: Generator = new Generator();

/** Seeds the default generator, like torch.manual_seed. */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}

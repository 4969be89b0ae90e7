/**
 * `DataLoader`: batches from a dataset, optionally shuffled, loaded on the
 * main thread or by Web Workers, optionally moved to a device one batch
 * ahead. Iterate with `for await`.
 *
 * @module
 */

import type { Device } from "../tensor/dtype.ts";
import { Tensor } from "../tensor/tensor.ts";
import { type GeneratorLike, resolveRandom } from "../transforms/random.ts";
import { defaultCollate, unpackBatch } from "./collate.ts";
import { isIterableDataset, loadAll, type MapDataset, openIterator } from "./dataset.ts";
import { iterateIterableWorkers, iterateMapWorkers } from "./multiprocess.ts";
import { BatchSampler, RandomSampler, SequentialSampler } from "./samplers.ts";
import { isWorkerSerializable, type WorkerSpec } from "./spec.ts";
import { WorkerPool } from "./worker_pool.ts";

/** A sampler as the DataLoader sees it: dataset indices with a length. */
export type IndexSampler = Iterable<number> & { readonly length: number };

/** Options of {@link DataLoader}; defaults equal PyTorch's. */
export interface DataLoaderOptions<B = unknown> {
  /** Samples per batch (default 1); `null` yields single samples without collation. */
  batchSize?: number | null;
  /** Reshuffle every epoch (from `generator`, so a seed reproduces every epoch's order). */
  shuffle?: boolean;
  /** Custom index order; excludes `shuffle`. */
  sampler?: IndexSampler;
  /** Yields whole batches of indices; excludes batchSize, shuffle, sampler and dropLast. */
  batchSampler?: Iterable<number[]> & { readonly length: number };
  /** Web Workers that load batches in parallel (default 0: main thread). */
  numWorkers?: number;
  /**
   * Merges samples into a batch (default {@link defaultCollate}). With
   * workers it runs on the main thread over the samples the workers loaded.
   */
  collateFn?: (samples: unknown[]) => B;
  /** Drop the last incomplete batch. */
  dropLast?: boolean;
  /** Batches in flight per worker (default 2). */
  prefetchFactor?: number;
  /**
   * Keep workers alive across epochs. They then live until
   * {@link DataLoader.close} (or `await using`): an idle worker keeps the
   * process from exiting.
   */
  persistentWorkers?: boolean;
  /** Random source for shuffling and worker seeds (default: the core's default generator). */
  generator?: GeneratorLike;
  /** Accepted for PyTorch compatibility; has no effect (see `device`). */
  pinMemory?: boolean;
  /**
   * Move every batch's tensors to this device; the next batch is uploaded
   * while the current one is in use.
   */
  device?: Device;
  /**
   * How workers rebuild the dataset when it has no `workerSpec()` method:
   * `{ module: import.meta.url, export: "makeDataset", args: [...] }`, where
   * the export is a (possibly async) function returning the dataset, a class
   * (with `construct: true`), or the dataset value itself. Args must be
   * structured-cloneable.
   */
  workerDataset?: WorkerSpec;
}

/**
 * Combines a dataset and a sampler and iterates over batches, like
 * `torch.utils.data.DataLoader`.
 *
 * ```ts
 * const loader = new DataLoader<[Tensor, Tensor]>(trainSet, { batchSize: 128, shuffle: true, numWorkers: 2 });
 * for await (const [x, y] of loader) { ... }
 * ```
 *
 * With `numWorkers > 0` each worker builds its own copy of the dataset:
 * built-in datasets, transforms, `Subset`, `ConcatDataset` and
 * `TensorDataset` describe themselves through `workerSpec()`; for a dataset
 * of your own, implement `workerSpec()` or pass the `workerDataset` option.
 * Worker `i` seeds its generator with `baseSeed + i`, where `baseSeed` is drawn
 * from `generator` each epoch, so random augmentations differ between workers
 * and are reproducible. Batches come back in the same order as without
 * workers. An error in a worker is rethrown in the loop as a `WorkerError`
 * naming the dataset index and carrying the worker's stack; workers are
 * terminated when the loop ends, breaks or throws.
 *
 * The batch type defaults to `Tensor[]`, what default collation makes of
 * `[input, label]` samples; pass `B` for other sample shapes.
 */
export class DataLoader<B = Tensor[]> implements AsyncIterable<B> {
  /** The dataset (map-style or iterable). */
  readonly dataset: MapDataset | AsyncIterable<unknown> | Iterable<unknown>;
  /** Samples per batch, or null for unbatched loading. */
  readonly batchSize: number | null;
  /** Whether the last incomplete batch is dropped. */
  readonly dropLast: boolean;
  /** Number of loading workers. */
  readonly numWorkers: number;
  /** Batches in flight per worker. */
  readonly prefetchFactor: number;
  /** Whether workers survive between epochs. */
  readonly persistentWorkers: boolean;
  /** Target device for batches, if any. */
  readonly device?: Device;
  /** The index sampler (map-style datasets). */
  readonly sampler: IndexSampler | null;
  /** The batch sampler (map-style datasets with batching). */
  readonly batchSampler: (Iterable<number[]> & { readonly length: number }) | null;
  #collate: ((samples: unknown[], indices?: number[]) => unknown) | null;
  #generator?: GeneratorLike;
  #workerDataset?: WorkerSpec;
  #pool: WorkerPool | null = null;
  #iterable: boolean;

  /**
   * Creates the object.
   * @param dataset A map-style dataset (`length` + `getItem`) or an iterable dataset.
   */
  constructor(
    dataset: MapDataset | AsyncIterable<unknown> | Iterable<unknown>,
    options: DataLoaderOptions<B> = {},
  ) {
    this.dataset = dataset;
    this.#iterable = isIterableDataset(dataset);
    if (!this.#iterable && typeof (dataset as MapDataset)?.getItem !== "function") {
      throw new TypeError(
        "DataLoader: dataset must have length and getItem(i), or be an (async) iterable",
      );
    }
    const o = options;
    this.numWorkers = o.numWorkers ?? 0;
    if (!Number.isInteger(this.numWorkers) || this.numWorkers < 0) {
      throw new RangeError(
        `DataLoader: numWorkers must be a non-negative integer, got ${o.numWorkers}`,
      );
    }
    this.prefetchFactor = o.prefetchFactor ?? 2;
    if (!Number.isInteger(this.prefetchFactor) || this.prefetchFactor < 1) {
      throw new RangeError(
        `DataLoader: prefetchFactor must be a positive integer, got ${o.prefetchFactor}`,
      );
    }
    this.persistentWorkers = o.persistentWorkers ?? false;
    if (this.persistentWorkers && this.numWorkers === 0) {
      throw new RangeError("DataLoader: persistentWorkers requires numWorkers > 0");
    }
    this.dropLast = o.dropLast ?? false;
    this.device = o.device;
    this.#generator = o.generator;
    this.#workerDataset = o.workerDataset;
    this.#collate = o.collateFn ? (s) => o.collateFn!(s) : null;
    let batchSize = o.batchSize === undefined ? 1 : o.batchSize;
    if (this.#iterable) {
      if (o.shuffle || o.sampler || o.batchSampler) {
        throw new TypeError(
          "DataLoader: an iterable dataset takes no shuffle, sampler or batchSampler (it defines its own order)",
        );
      }
      this.sampler = null;
      this.batchSampler = null;
    } else {
      const ds = dataset as MapDataset;
      if (o.batchSampler) {
        if (
          o.batchSize !== undefined && o.batchSize !== 1 || o.shuffle || o.sampler || o.dropLast
        ) {
          throw new TypeError(
            "DataLoader: batchSampler option is mutually exclusive with batchSize, shuffle, sampler, and dropLast",
          );
        }
        batchSize = null;
      }
      if (o.sampler && o.shuffle) {
        throw new TypeError("DataLoader: sampler option is mutually exclusive with shuffle");
      }
      this.sampler = o.sampler ??
        (o.shuffle ? new RandomSampler(ds, { generator: o.generator }) : new SequentialSampler(ds));
      this.batchSampler = o.batchSampler ??
        (batchSize === null ? null : new BatchSampler(this.sampler, batchSize, this.dropLast));
    }
    if (batchSize !== null && (!Number.isInteger(batchSize) || batchSize <= 0)) {
      throw new RangeError(
        `DataLoader: batchSize should be a positive integer or null, got ${batchSize}`,
      );
    }
    this.batchSize = o.batchSampler ? null : batchSize;
  }

  /** Number of batches per epoch (map-style datasets, or iterables with a `length`). */
  get length(): number {
    if (this.batchSampler) return this.batchSampler.length;
    if (this.sampler) return this.sampler.length;
    const n = (this.dataset as { length?: unknown }).length;
    if (typeof n !== "number") {
      throw new TypeError("DataLoader: this iterable dataset has no length");
    }
    if (this.batchSize === null) return n;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** One epoch of batches. */
  [Symbol.asyncIterator](): AsyncIterator<B> {
    // Drawn every epoch, workers or not (like PyTorch), so the shuffle order
    // for a given seed does not depend on numWorkers.
    const baseSeed = Math.floor(resolveRandom(this.#generator).random() * 2 ** 32);
    const batches = this.numWorkers > 0 ? this.#workerBatches(baseSeed) : this.#mainBatches();
    return (this.device ? toDeviceAhead(batches, this.device) : batches) as AsyncIterator<B>;
  }

  /** Terminates persistent workers (no-op otherwise). Safe to call more than once. */
  close(): Promise<void> {
    this.#pool?.close();
    this.#pool = null;
    return Promise.resolve();
  }

  /** `await using loader = new DataLoader(...)` closes persistent workers at scope end. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #collateBatch(samples: unknown[], indices?: number[]): unknown {
    if (this.#collate) return this.#collate(samples, indices);
    return defaultCollate(samples, indices);
  }

  async *#mainBatches(): AsyncGenerator<unknown> {
    if (this.#iterable) {
      yield* this.#mainIterable();
      return;
    }
    const ds = this.dataset as MapDataset;
    const load = async (i: number): Promise<unknown> => {
      try {
        return await ds.getItem(i);
      } catch (e) {
        throw new Error(
          `DataLoader: loading dataset index ${i} failed: ${(e as Error)?.message ?? e}`,
          { cause: e },
        );
      }
    };
    if (this.batchSampler === null) {
      for (const i of this.sampler!) yield await load(i);
      return;
    }
    for (const indices of this.batchSampler) {
      // Concurrent getItem calls let async decoders (sharp) use their thread pool.
      const samples = await loadAll(indices, load);
      yield this.#collateBatch(samples, indices);
    }
  }

  async *#mainIterable(): AsyncGenerator<unknown> {
    const it = openIterator(this.dataset as AsyncIterable<unknown> | Iterable<unknown>);
    let buf: unknown[] = [];
    try {
      while (true) {
        const r = await it.next();
        if (r.done) break;
        if (this.batchSize === null) {
          yield r.value;
          continue;
        }
        buf.push(r.value);
        if (buf.length === this.batchSize) {
          const b = buf;
          buf = [];
          yield this.#collateBatch(b);
        }
      }
      if (buf.length > 0 && !this.dropLast) yield this.#collateBatch(buf);
    } finally {
      await it.return?.();
    }
  }

  #spec(): WorkerSpec {
    if (this.#workerDataset) return this.#workerDataset;
    if (isWorkerSerializable(this.dataset)) return this.dataset.workerSpec();
    const name = (this.dataset as { constructor?: { name?: string } }).constructor?.name ??
      "dataset";
    throw new TypeError(
      `DataLoader: numWorkers > 0 needs to rebuild the ${name} in each worker; give it a workerSpec() method ` +
        `or pass { workerDataset: { module: import.meta.url, export: "makeDataset", args: [...] } }`,
    );
  }

  #startPool(baseSeed: number): WorkerPool {
    const spec = this.#spec();
    const collate = this.#collate ? "none" : "default";
    return new WorkerPool(this.numWorkers, (id) => ({
      type: "init",
      workerId: id,
      numWorkers: this.numWorkers,
      seed: baseSeed + id,
      dataset: spec,
      collate,
      batchSize: this.batchSize,
      dropLast: this.dropLast,
    }));
  }

  async *#workerBatches(baseSeed: number): AsyncGenerator<unknown> {
    let pool = this.#pool;
    if (pool && this.#iterable) {
      for (let id = 0; id < pool.size; id++) pool.notify(id, { type: "reset" });
    }
    if (!pool) pool = this.#startPool(baseSeed);
    if (this.persistentWorkers) this.#pool = pool;
    let finished = false;
    try {
      const raw = this.#iterable
        ? iterateIterableWorkers(pool, this.prefetchFactor)
        : iterateMapWorkers(
          pool,
          (this.batchSampler ?? mapIter(this.sampler!, (i) => [i]))[Symbol.iterator](),
          this.prefetchFactor,
          this.batchSampler === null,
        );
      for await (const data of raw) {
        if (this.#collate && this.batchSize !== null) {
          yield this.#collateBatch(unpackBatch(data) as unknown[]);
        } else {
          yield unpackBatch(data);
        }
      }
      finished = true;
    } finally {
      // Persistent workers survive a completed epoch; after a break or an
      // error their queues hold stale work, so they are replaced.
      if (!this.persistentWorkers || !finished) {
        pool.close();
        if (this.#pool === pool) this.#pool = null;
      }
    }
  }
}

function mapIter<T, U>(src: Iterable<T>, f: (x: T) => U): Iterable<U> {
  return {
    *[Symbol.iterator](): Iterator<U> {
      for (const x of src) yield f(x);
    },
  };
}

/** Moves every tensor in a batch to `device` (disposing the host copies). */
export function batchToDevice(batch: unknown, device: Device): unknown {
  if (batch instanceof Tensor) {
    if (batch.device === device) return batch;
    const moved = batch.to(device);
    batch.dispose();
    return moved;
  }
  if (Array.isArray(batch)) return batch.map((b) => batchToDevice(b, device));
  if (
    typeof batch === "object" && batch !== null && Object.getPrototypeOf(batch) === Object.prototype
  ) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(batch)) out[k] = batchToDevice(v, device);
    return out;
  }
  return batch;
}

/** Yields `src`'s batches on `device`, uploading batch k+1 before handing out batch k. */
async function* toDeviceAhead(
  src: AsyncGenerator<unknown>,
  device: Device,
): AsyncGenerator<unknown> {
  try {
    let r = await src.next();
    if (r.done) return;
    let current = batchToDevice(r.value, device);
    while (true) {
      r = await src.next();
      const next = r.done ? null : batchToDevice(r.value, device);
      yield current;
      if (r.done) return;
      current = next;
    }
  } finally {
    await src.return(undefined);
  }
}

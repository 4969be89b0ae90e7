/**
 * Dataset protocols (`torch.utils.data.Dataset` / `IterableDataset`) and
 * the index-remapping datasets `Subset` and `ConcatDataset`.
 *
 * @module
 */

import { specArg, type WorkerSpec } from "./spec.ts";

/**
 * A map-style dataset: `length` samples, fetched by index. `getItem` may be
 * async (image decoding is). This is the shape the DataLoader accepts; the
 * {@link Dataset} class is a convenient base.
 */
export interface MapDataset<T = unknown> {
  /** Number of samples. */
  readonly length: number;
  /** Sample `index` (0 ≤ index < length). */
  getItem(index: number): T | Promise<T>;
}

/**
 * Base class for map-style datasets. Subclass it and implement `length` and
 * `getItem`. To load with `numWorkers > 0`, also implement `workerSpec()`
 * (see `spec.ts`) or pass `workerDataset` to the DataLoader.
 */
export abstract class Dataset<T = unknown> implements MapDataset<T> {
  /** Number of samples. */
  abstract get length(): number;
  /** Sample `index`. */
  abstract getItem(index: number): T | Promise<T>;
}

/**
 * Base class for iterable-style datasets (streams). With `numWorkers > 0`
 * every worker builds and iterates its own copy; use `getWorkerInfo()` inside
 * the iterator to give each worker a distinct shard, as in PyTorch.
 */
export abstract class IterableDataset<T = unknown> implements AsyncIterable<T> {
  /** The samples. */
  abstract [Symbol.asyncIterator](): AsyncIterator<T>;
}

/** True when `ds` is iterable-style (has an async or sync iterator and no `getItem`). */
export function isIterableDataset(ds: unknown): ds is AsyncIterable<unknown> | Iterable<unknown> {
  if (typeof ds !== "object" || ds === null) return false;
  if (typeof (ds as { getItem?: unknown }).getItem === "function") return false;
  return Symbol.asyncIterator in ds || Symbol.iterator in ds;
}

/** Checks an index against a dataset length, with a message naming both. */
export function checkIndex(who: string, index: number, length: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new RangeError(
      `${who}: index ${index} is out of range for a dataset of length ${length}`,
    );
  }
}

/** The samples of `dataset` at `indices`, in that order. */
export class Subset<T = unknown> extends Dataset<T> {
  /** The underlying dataset. */
  readonly dataset: MapDataset<T>;
  /** Indices into `dataset`. */
  readonly indices: readonly number[];

  /**
   * Creates the object.
   * @param dataset Underlying dataset.
   * @param indices Indices into it (validated).
   */
  constructor(dataset: MapDataset<T>, indices: ArrayLike<number>) {
    super();
    this.dataset = dataset;
    this.indices = Array.from(indices);
    for (const i of this.indices) checkIndex("Subset", i, dataset.length);
  }

  /** Number of indices. */
  get length(): number {
    return this.indices.length;
  }

  /** Sample `indices[index]` of the underlying dataset. */
  getItem(index: number): T | Promise<T> {
    checkIndex("Subset", index, this.indices.length);
    return this.dataset.getItem(this.indices[index]);
  }

  /** Rebuild recipe for DataLoader workers (the underlying dataset must be serialisable). */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "Subset",
      construct: true,
      args: [specArg(this.dataset, "Subset.dataset"), this.indices],
    };
  }
}

/** Several datasets end to end. */
export class ConcatDataset<T = unknown> extends Dataset<T> {
  /** The parts, in order. */
  readonly datasets: readonly MapDataset<T>[];
  /** Running totals: `cumulativeSizes[k]` = samples in parts 0..k. */
  readonly cumulativeSizes: readonly number[];

  /**
   * Creates the object.
   * @param datasets Non-empty list of map-style datasets.
   */
  constructor(datasets: readonly MapDataset<T>[]) {
    super();
    if (!Array.isArray(datasets) || datasets.length === 0) {
      throw new RangeError("ConcatDataset: datasets should not be an empty array");
    }
    for (const [k, d] of datasets.entries()) {
      if (isIterableDataset(d)) {
        throw new TypeError(`ConcatDataset: datasets[${k}] is an IterableDataset`);
      }
    }
    this.datasets = [...datasets];
    let total = 0;
    this.cumulativeSizes = this.datasets.map((d) => (total += d.length));
  }

  /** Total number of samples. */
  get length(): number {
    return this.cumulativeSizes.at(-1) ?? 0;
  }

  /** Sample `index` of the concatenation (negative indices count from the end). */
  getItem(index: number): T | Promise<T> {
    if (index < 0 && -index <= this.length) index += this.length;
    checkIndex("ConcatDataset", index, this.length);
    // Binary search for the part holding `index`.
    let lo = 0, hi = this.cumulativeSizes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulativeSizes[mid] > index) hi = mid;
      else lo = mid + 1;
    }
    const start = lo === 0 ? 0 : this.cumulativeSizes[lo - 1];
    return this.datasets[lo].getItem(index - start);
  }

  /** Rebuild recipe for DataLoader workers (every part must be serialisable). */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "ConcatDataset",
      construct: true,
      args: [specArg(this.datasets, "ConcatDataset.datasets")],
    };
  }
}

/** Starts iterating an iterable-style dataset (async iterators preferred). */
export function openIterator(
  ds: AsyncIterable<unknown> | Iterable<unknown>,
): AsyncIterator<unknown> | Iterator<unknown> {
  if (Symbol.asyncIterator in ds) return (ds as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  return (ds as Iterable<unknown>)[Symbol.iterator]();
}

/**
 * Loads `indices` concurrently (so async decoders overlap) and, when several
 * fail, rethrows the failure of the earliest sample in the batch, so the
 * reported index does not depend on timing.
 */
export async function loadAll<T>(
  indices: readonly number[],
  load: (i: number) => Promise<T>,
): Promise<T[]> {
  const settled = await Promise.allSettled(indices.map(load));
  const out: T[] = [];
  for (const s of settled) {
    if (s.status === "rejected") throw s.reason;
    out.push(s.value);
  }
  return out;
}

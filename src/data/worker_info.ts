/**
 * `getWorkerInfo()`: inside a DataLoader worker, which worker this is.
 *
 * @module
 */

/** Facts about the current DataLoader worker (like `torch.utils.data.get_worker_info()`). */
export interface WorkerInfo {
  /** This worker's id, 0 ≤ id < numWorkers. */
  readonly id: number;
  /** Number of workers of the loader. */
  readonly numWorkers: number;
  /** This worker's seed (base seed + id). */
  readonly seed: number;
  /** The dataset copy this worker loads from. */
  readonly dataset: unknown;
}

let current: WorkerInfo | null = null;

/** The current worker's info, or null on the main thread. */
export function getWorkerInfo(): WorkerInfo | null {
  return current;
}

/** Set by the worker entry point; not part of the public API. */
export function setWorkerInfo(info: WorkerInfo | null): void {
  current = info;
}

/**
 * Messages between the DataLoader (main thread) and its workers.
 *
 * @module
 */

import type { WorkerSpec } from "./spec.ts";

/** Sent once when a worker starts. */
export interface InitMessage {
  /** Message kind. */
  type: "init";
  /** Worker id, 0 ≤ id < numWorkers. */
  workerId: number;
  /** Number of workers. */
  numWorkers: number;
  /** Seed for this worker's random generator (base seed + id). */
  seed: number;
  /** How to build the dataset. */
  dataset: WorkerSpec;
  /** "default": collate in the worker; "none": send samples for a main-thread collateFn. */
  collate: "default" | "none";
  /** Iterable datasets: samples per batch (null: unbatched). */
  batchSize: number | null;
  /** Iterable datasets: drop an incomplete last batch. */
  dropLast: boolean;
}

/** Load the samples of one batch (map-style datasets). */
export interface FetchMessage {
  /** Message kind. */
  type: "fetch";
  /** Position of the batch in the epoch. */
  batch: number;
  /** Dataset indices of the batch (one index when unbatched). */
  indices: number[];
  /** Unbatched: return the single sample without collation. */
  unbatched: boolean;
}

/** Produce the next batch from the worker's own iterator (iterable datasets). */
export interface NextMessage {
  /** Message kind. */
  type: "next";
  /** Position of the batch in the epoch. */
  batch: number;
}

/** Restart the iterable dataset's iterator for a new epoch (persistent workers). */
export interface ResetMessage {
  /** Message kind. */
  type: "reset";
}

/** Main → worker. */
export type ToWorker = InitMessage | FetchMessage | NextMessage | ResetMessage;

/** A loaded batch; its typed arrays arrive as transferred buffers. */
export interface BatchResult {
  /** Message kind. */
  type: "batch";
  /** Position of the batch in the epoch. */
  batch: number;
  /** Collated (packed) batch, or packed samples when collate is "none". */
  data: unknown;
}

/** The worker's iterable dataset is exhausted. */
export interface EndResult {
  /** Message kind. */
  type: "end";
  /** Position of the batch that could not be produced. */
  batch: number;
}

/** A failure while building the dataset or loading a batch. */
export interface ErrorResult {
  /** Message kind. */
  type: "error";
  /** Batch that failed, or -1 for a failure at start-up. */
  batch: number;
  /** Dataset index of the failing sample, when known. */
  index: number | null;
  /** Error class name. */
  name: string;
  /** Error message. */
  message: string;
  /** Stack trace inside the worker. */
  stack: string;
}

/** Worker → main. */
export type FromWorker = BatchResult | EndResult | ErrorResult;

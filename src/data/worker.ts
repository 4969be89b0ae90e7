/**
 * DataLoader worker entry point. Builds the dataset from its spec, seeds its
 * random generator with `baseSeed + workerId`, then serves requests one at a
 * time: load samples, collate them into typed arrays, and post them back
 * with their buffers transferred (no copies).
 *
 * @module
 */

import { manualSeed } from "../transforms/random.ts";
import { collatePacked, packSample, transferables } from "./collate.ts";
import { loadAll, type MapDataset, openIterator } from "./dataset.ts";
import type { ErrorResult, FromWorker, InitMessage, ToWorker } from "./protocol.ts";
import { buildFromSpec } from "./spec.ts";
import { setWorkerInfo } from "./worker_info.ts";

interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
}

const scope = globalThis as unknown as WorkerScope;

let init: InitMessage | null = null;
let datasetPromise: Promise<unknown> | null = null;
let iterator: AsyncIterator<unknown> | Iterator<unknown> | null = null;
let exhausted = false;
// Requests are handled strictly in arrival order (async getItem could interleave).
let chain: Promise<void> = Promise.resolve();

/** Thrown to attach the failing dataset index to an error. */
class SampleError extends Error {
  constructor(readonly index: number, readonly inner: unknown) {
    super(inner instanceof Error ? inner.message : String(inner));
  }
}

function post(msg: FromWorker): void {
  if (msg.type === "batch") scope.postMessage(msg, transferables(msg.data));
  else scope.postMessage(msg);
}

function errorResult(batch: number, e: unknown): ErrorResult {
  const index = e instanceof SampleError ? e.index : null;
  const inner = e instanceof SampleError ? e.inner : e;
  const err = inner instanceof Error ? inner : new Error(String(inner));
  return {
    type: "error",
    batch,
    index,
    name: err.name,
    message: err.message,
    stack: err.stack ?? "",
  };
}

async function loadSample(ds: MapDataset, index: number): Promise<unknown> {
  try {
    return await ds.getItem(index);
  } catch (e) {
    throw new SampleError(index, e);
  }
}

async function nextSample(ds: unknown): Promise<{ done: boolean; value: unknown }> {
  iterator ??= openIterator(ds as AsyncIterable<unknown> | Iterable<unknown>);
  const r = await iterator.next();
  return { done: r.done === true, value: r.value };
}

async function handle(msg: ToWorker): Promise<void> {
  if (msg.type === "init") {
    init = msg;
    manualSeed(msg.seed);
    datasetPromise = buildFromSpec(msg.dataset).then((ds) => {
      setWorkerInfo({ id: msg.workerId, numWorkers: msg.numWorkers, seed: msg.seed, dataset: ds });
      return ds;
    });
    // A failure here is reported with the first request.
    datasetPromise.catch(() => {});
    return;
  }
  if (msg.type === "reset") {
    iterator = null;
    exhausted = false;
    return;
  }
  const batch = msg.batch;
  try {
    if (!init || !datasetPromise) throw new Error("DataLoader worker: request before init");
    const ds = await datasetPromise;
    const collate = init.collate === "default";
    let samples: unknown[];
    let indices: number[] | undefined;
    if (msg.type === "fetch") {
      indices = msg.indices;
      samples = await loadAll(msg.indices, (i) => loadSample(ds as MapDataset, i));
      if (msg.unbatched) return post({ type: "batch", batch, data: packSample(samples[0]) });
    } else {
      samples = [];
      const want = init.batchSize ?? 1;
      while (!exhausted && samples.length < want) {
        const r = await nextSample(ds);
        if (r.done) exhausted = true;
        else samples.push(r.value);
      }
      if (samples.length === 0 || (init.dropLast && samples.length < want)) {
        return post({ type: "end", batch });
      }
      if (init.batchSize === null) {
        return post({ type: "batch", batch, data: packSample(samples[0]) });
      }
    }
    const data = collate ? collatePacked(samples, { indices }) : samples.map(packSample);
    post({ type: "batch", batch, data });
  } catch (e) {
    post(errorResult(batch, e));
  }
}

scope.onmessage = (e: MessageEvent<ToWorker>): void => {
  chain = chain.then(() => handle(e.data));
};

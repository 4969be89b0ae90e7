/**
 * Batch iteration through worker threads, in the same order as the
 * single-threaded loader: batch k goes to worker k mod numWorkers, at most
 * `prefetchFactor` batches are in flight per worker, and results are yielded
 * strictly in batch order.
 *
 * @module
 */

import type { Reply, WorkerPool } from "./worker_pool.ts";

/** Loads map-style batches (`batches` yields the index lists) through `pool`. */
export async function* iterateMapWorkers(
  pool: WorkerPool,
  batches: Iterator<number[]>,
  prefetchFactor: number,
  unbatched: boolean,
): AsyncGenerator<unknown> {
  const pending = new Map<number, Promise<Reply>>();
  const W = pool.size;
  let sent = 0;
  let exhausted = false;
  const fill = (): void => {
    while (!exhausted && pending.size < W * prefetchFactor) {
      const r = batches.next();
      if (r.done) {
        exhausted = true;
        return;
      }
      const id = sent % W;
      pending.set(
        sent,
        pool.request(id, sent, { type: "fetch", batch: sent, indices: r.value, unbatched }),
      );
      sent++;
    }
  };
  fill();
  for (let k = 0; pending.has(k); k++) {
    const reply = await pending.get(k)!;
    pending.delete(k);
    fill();
    if (reply.type === "batch") yield reply.data;
  }
}

/**
 * Loads batches from iterable datasets, where every worker streams its own
 * copy: requests go round-robin over workers still producing; a worker that
 * reports the end of its stream leaves the rotation.
 */
export async function* iterateIterableWorkers(
  pool: WorkerPool,
  prefetchFactor: number,
): AsyncGenerator<unknown> {
  const W = pool.size;
  const active = new Set<number>(Array.from({ length: W }, (_, i) => i));
  const queue: { id: number; reply: Promise<Reply> }[] = [];
  const perWorker = new Array<number>(W).fill(0);
  let batch = 0;
  let rr = 0;
  const fill = (): void => {
    // Round-robin over active workers, each up to prefetchFactor outstanding.
    for (let tries = 0; tries < W && active.size > 0; tries++) {
      const id = rr % W;
      rr++;
      if (!active.has(id) || perWorker[id] >= prefetchFactor) continue;
      perWorker[id]++;
      queue.push({ id, reply: pool.request(id, batch, { type: "next", batch }) });
      batch++;
      tries = -1; // sent one: keep going until nobody has room
      if (queue.length >= W * prefetchFactor) return;
    }
  };
  fill();
  while (queue.length > 0) {
    const { id, reply } = queue.shift()!;
    const r = await reply;
    perWorker[id]--;
    if (r.type === "end") active.delete(id);
    fill();
    if (r.type === "batch") yield r.data;
  }
}

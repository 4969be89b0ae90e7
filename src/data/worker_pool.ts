/**
 * Main-thread side of the DataLoader workers: starts Web Workers, sends
 * requests, matches replies to requests, turns worker failures into errors
 * that name the worker, the sample and the worker's stack, and terminates
 * everything on close.
 *
 * @module
 */

import type { FromWorker, InitMessage, ToWorker } from "./protocol.ts";

/** A reply that carries data. */
export type Reply = { type: "batch"; data: unknown } | { type: "end" };

interface Pending {
  resolve: (r: Reply) => void;
  reject: (e: Error) => void;
}

/** Error raised in the training loop for a failure inside a DataLoader worker. */
export class WorkerError extends Error {
  /** The worker that failed. */
  readonly workerId: number;
  /** Dataset index of the failing sample, or null when not sample-specific. */
  readonly index: number | null;
  /** Stack trace from inside the worker. */
  readonly workerStack: string;

  /** Builds the error from the worker's report. */
  constructor(
    workerId: number,
    index: number | null,
    batch: number,
    message: string,
    workerStack: string,
  ) {
    const where = index !== null
      ? `loading dataset index ${index} (batch ${batch})`
      : batch >= 0
      ? `producing batch ${batch}`
      : "starting";
    super(
      `DataLoader worker ${workerId} failed ${where}: ${message}\n--- stack in worker ${workerId} ---\n${workerStack}`,
    );
    this.name = "WorkerError";
    this.workerId = workerId;
    this.index = index;
    this.workerStack = workerStack;
  }
}

/** A fixed set of DataLoader workers. */
export class WorkerPool {
  /** Number of workers. */
  readonly size: number;
  #workers: Worker[] = [];
  #pending: Map<number, Pending>[] = [];
  #dead: (Error | null)[] = [];
  #closed = false;

  /**
   * Starts `size` workers and sends each its init message.
   * @param makeInit Init message for worker `id`.
   */
  constructor(size: number, makeInit: (id: number) => InitMessage) {
    this.size = size;
    const url = new URL("./worker.ts", import.meta.url).href;
    for (let id = 0; id < size; id++) {
      const w = new Worker(url, { type: "module", name: `DataLoader worker ${id}` });
      this.#pending.push(new Map());
      this.#dead.push(null);
      w.onmessage = (e: MessageEvent<FromWorker>) => this.#onMessage(id, e.data);
      w.onerror = (e: ErrorEvent) => {
        // Keep the error from also being rethrown on the main thread as uncaught.
        e.preventDefault();
        this.#kill(
          id,
          new WorkerError(id, null, -1, e.message, `${e.filename}:${e.lineno}:${e.colno}`),
        );
      };
      w.onmessageerror = () =>
        this.#kill(id, new WorkerError(id, null, -1, "a message could not be deserialised", ""));
      w.postMessage(makeInit(id));
      this.#workers.push(w);
    }
  }

  /** Whether {@link WorkerPool.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Sends a request for batch `batch` to worker `id`; resolves with its reply.
   * The returned promise has a no-op rejection handler attached, so a
   * prefetched batch that is never awaited (loop ended early) is not an
   * unhandled rejection.
   */
  request(id: number, batch: number, msg: ToWorker): Promise<Reply> {
    const p = new Promise<Reply>((resolve, reject) => {
      if (this.#closed) return reject(new Error("DataLoader: workers were shut down"));
      const dead = this.#dead[id];
      if (dead) return reject(dead);
      this.#pending[id].set(batch, { resolve, reject });
      this.#workers[id].postMessage(msg);
    });
    p.catch(() => {});
    return p;
  }

  /** Sends a message that has no reply (e.g. reset). */
  notify(id: number, msg: ToWorker): void {
    if (!this.#closed && !this.#dead[id]) this.#workers[id].postMessage(msg);
  }

  /** Number of requests awaiting a reply. */
  get inFlight(): number {
    return this.#pending.reduce((n, m) => n + m.size, 0);
  }

  #onMessage(id: number, msg: FromWorker): void {
    const p = this.#pending[id].get(msg.batch);
    if (msg.type === "error") {
      const err = new WorkerError(
        id,
        msg.index,
        msg.batch,
        `${msg.name}: ${msg.message}`,
        msg.stack,
      );
      if (p) {
        this.#pending[id].delete(msg.batch);
        p.reject(err);
      } else {
        this.#kill(id, err);
      }
      return;
    }
    if (!p) return;
    this.#pending[id].delete(msg.batch);
    p.resolve(msg.type === "batch" ? { type: "batch", data: msg.data } : { type: "end" });
  }

  #kill(id: number, err: Error): void {
    this.#dead[id] = err;
    for (const p of this.#pending[id].values()) p.reject(err);
    this.#pending[id].clear();
  }

  /** Terminates every worker now; pending requests reject. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const err = new Error("DataLoader: workers were shut down");
    for (let id = 0; id < this.size; id++) {
      this.#workers[id].terminate();
      for (const p of this.#pending[id].values()) p.reject(err);
      this.#pending[id].clear();
    }
  }
}

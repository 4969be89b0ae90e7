/**
 * The writer's pending-event queue. Entries may hold tensors whose values are needed to build
 * the event; a flush reads all of them back in one batch, builds the events in order and
 * appends them to their files. Flushes run one at a time; a failed background flush (maxQueue
 * or timer) is reported by the next `push`.
 */
import type { Tensor } from "../tensor/tensor.ts";
import type { TypedArray } from "../tensor/dtype.ts";
import type { EventFileWriter } from "./event_file.ts";
import type { EventMessage } from "./protos.ts";
import { readBatch } from "./readback.ts";

/** One queued event. */
export interface PendingEvent {
  /** The file it goes to. */
  file: EventFileWriter;
  /** Tensors to read back before building it (owned by the queue: disposed after reading). */
  tensors: Tensor[];
  /** Global step, if any. */
  step?: number;
  /** Seconds since the epoch. */
  wallTime: number;
  /** Builds the event body from the tensors' values. */
  make: (values: TypedArray[]) => Promise<Partial<EventMessage>> | Partial<EventMessage>;
}

/** Batches events and writes them on demand, when full, and periodically. */
export class EventQueue {
  #items: PendingEvent[] = [];
  #chain: Promise<void> = Promise.resolve();
  #error: unknown = null;
  #timer: ReturnType<typeof setInterval> | undefined;

  /** @param maxQueue flush when this many events are pending; @param flushSecs timer period */
  constructor(readonly maxQueue: number, flushSecs: number) {
    if (flushSecs > 0 && Number.isFinite(flushSecs)) {
      const timer = setInterval(() => this.#background(), flushSecs * 1000);
      // The periodic flush must not keep the process alive on its own.
      Deno.unrefTimer(timer as unknown as number);
      this.#timer = timer;
    }
  }

  #background(): void {
    this.flush().catch((e) => (this.#error ??= e));
  }

  /** Queues an event; rethrows the error of a failed background flush, if any. */
  push(p: PendingEvent): void {
    if (this.#error) {
      const e = this.#error;
      this.#error = null;
      p.tensors.forEach((t) => t.dispose());
      throw e;
    }
    this.#items.push(p);
    if (this.#items.length >= this.maxQueue) this.#background();
  }

  /** Writes everything pending (one batched readback of all queued tensors). */
  flush(): Promise<void> {
    const run = this.#chain.then(() => this.#drain());
    this.#chain = run.catch(() => {});
    return run;
  }

  /** Stops the timer and flushes what is left. */
  async close(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }

  async #drain(): Promise<void> {
    const batch = this.#items;
    this.#items = [];
    if (!batch.length) return;
    const tensors = batch.flatMap((p) => p.tensors);
    let arrays: TypedArray[];
    try {
      arrays = await readBatch(tensors);
    } finally {
      tensors.forEach((t) => t.dispose());
    }
    const perFile = new Map<EventFileWriter, EventMessage[]>();
    let k = 0;
    let firstError: unknown = null;
    for (const p of batch) {
      const mine = arrays.slice(k, k + p.tensors.length);
      k += p.tensors.length;
      let body: Partial<EventMessage>;
      try {
        body = await p.make(mine);
      } catch (e) {
        // One bad entry (e.g. an all-NaN histogram) must not drop the others.
        firstError ??= e;
        continue;
      }
      const ev: EventMessage = { wallTime: p.wallTime, ...body };
      if (p.step !== undefined) ev.step = p.step;
      const list = perFile.get(p.file) ?? [];
      list.push(ev);
      perFile.set(p.file, list);
    }
    for (const [file, events] of perFile) file.write(events);
    if (firstError) throw firstError;
  }
}

/**
 * One TensorBoard event file: created (with its directory) eagerly so an unwritable log dir
 * fails at construction, starts with the `brain.Event:2` file-version record, and is then
 * appended to one batch of framed records per flush.
 */
import { hostname } from "node:os";
import { join } from "node:path";
import { encodeEvent, type EventMessage } from "./protos.ts";
import { frameRecord, frameRecords } from "./record.ts";

let globalUid = 0;

/** An append-only event file. */
export class EventFileWriter {
  /** Path of the file. */
  readonly path: string;
  #file: Deno.FsFile | null;

  /** Creates `dir` if needed and the event file inside it. */
  constructor(readonly dir: string, filenameSuffix = "") {
    const name = `events.out.tfevents.${Math.floor(Date.now() / 1000)}.${hostname()}.` +
      `${Deno.pid}.${globalUid++}${filenameSuffix}`;
    this.path = join(dir, name);
    try {
      Deno.mkdirSync(dir, { recursive: true });
      this.#file = Deno.openSync(this.path, { createNew: true, append: true });
    } catch (e) {
      throw new Error(
        `SummaryWriter: cannot create an event file in log dir "${dir}": ${(e as Error).message}`,
        { cause: e },
      );
    }
    this.#writeAll(
      frameRecord(encodeEvent({ wallTime: Date.now() / 1000, fileVersion: "brain.Event:2" })),
    );
  }

  #writeAll(bytes: Uint8Array): void {
    if (!this.#file) throw new Error(`SummaryWriter: event file "${this.path}" is closed`);
    let off = 0;
    while (off < bytes.length) off += this.#file.writeSync(bytes.subarray(off));
  }

  /** Appends events (one write). */
  write(events: EventMessage[]): void {
    if (events.length) this.#writeAll(frameRecords(events.map(encodeEvent)));
  }

  /** Flushes to disk and closes the file (idempotent). */
  close(): void {
    if (!this.#file) return;
    try {
      this.#file.syncSync();
    } finally {
      this.#file.close();
      this.#file = null;
    }
  }
}

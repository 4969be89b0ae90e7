/**
 * Deterministic memory release: tensor handles own storage references; scopes dispose the
 * handles created inside them; a FinalizationRegistry releases what user code drops.
 */
import type { Storage } from "../backend/backend.ts";
import type { Device } from "./dtype.ts";
import { itemSize } from "./dtype.ts";

/** Anything with a storage reference that a scope can release. */
export interface Disposable {
  /** Releases the handle's storage reference (idempotent). */
  dispose(): void;
  /** Whether dispose() already ran. */
  readonly isDisposed: boolean;
}

type Freer = (s: Storage) => void;
const freers = new Map<Device, Freer>();
const allocated: Record<Device, number> = { cpu: 0, webgpu: 0 };
const peak: Record<Device, number> = { cpu: 0, webgpu: 0 };
let debugLeaks = false;

/** Registers how a device returns a storage's memory (called by each backend once). */
export function registerFreer(device: Device, free: Freer): void {
  freers.set(device, free);
}

/** Accounts a new storage (called by backends on every allocation). */
export function trackAlloc(s: Storage): void {
  allocated[s.device] += s.length * itemSize(s.dtype);
  if (allocated[s.device] > peak[s.device]) peak[s.device] = allocated[s.device];
}

/** Adds a reference to a storage. */
export function retain(s: Storage): void {
  if (s.refs <= 0) throw new Error("internal: retain of a freed storage");
  s.refs++;
}

/** Drops a reference; frees the memory when none remain. */
export function release(s: Storage): void {
  if (s.refs <= 0) return;
  if (--s.refs === 0) {
    allocated[s.device] -= s.length * itemSize(s.dtype);
    freers.get(s.device)?.(s);
  }
}

const finalizer = new FinalizationRegistry<{ storage: Storage; where?: string }>((held) => {
  if (debugLeaks) {
    console.warn(
      `denotorch: a ${held.storage.device} tensor was garbage-collected without dispose()` +
        (held.where ? `; created at\n${held.where}` : ""),
    );
  }
  release(held.storage);
});

/** Makes the garbage collector release `s` if `handle` is dropped without dispose(). */
export function watch(handle: object, s: Storage): void {
  finalizer.register(
    handle,
    { storage: s, where: debugLeaks ? new Error().stack : undefined },
    handle,
  );
}

/** Stops watching a handle that was disposed explicitly. */
export function unwatch(handle: object): void {
  finalizer.unregister(handle);
}

/** Warn about tensors that are garbage-collected without being disposed (debug aid). */
export function setLeakWarnings(on: boolean): void {
  debugLeaks = on;
}

/** Bytes held by live tensors on `device`, like torch.cuda.memory_allocated. */
export function memoryAllocated(device: Device = "webgpu"): number {
  return allocated[device];
}

/** Peak of memoryAllocated since start or the last reset, like torch.cuda.max_memory_allocated. */
export function maxMemoryAllocated(device: Device = "webgpu"): number {
  return peak[device];
}

/** Resets the peak counter to the current allocation. */
export function resetPeakMemoryStats(device: Device = "webgpu"): void {
  peak[device] = allocated[device];
}

const scopes: Disposable[][] = [];

/** Records a newly created handle in the innermost scope, if any. */
export function trackInScope(t: Disposable): void {
  if (scopes.length) scopes[scopes.length - 1].push(t);
}

/** Moves `t` out of every scope so it survives them (like tf.keep). */
export function keep<T extends Disposable>(t: T): T {
  for (const s of scopes) {
    const i = s.lastIndexOf(t);
    if (i >= 0) s.splice(i, 1);
  }
  return t;
}

/**
 * A method key for objects that hold tensors but are not arrays, Maps or plain objects (e.g.
 * `nn.utils.rnn.PackedSequence`): a scope that returns such an object keeps what the method
 * returns.
 */
export const heldTensors: unique symbol = Symbol("denotorch.heldTensors");

function collect(value: unknown, out: Set<Disposable>, seen: Set<unknown>): void {
  if (value === null || typeof value !== "object" || seen.has(value)) return;
  seen.add(value);
  if ("dispose" in value && "isDisposed" in value) {
    out.add(value as Disposable);
    return;
  }
  if (Array.isArray(value)) { for (const v of value) collect(v, out, seen); }
  else if (value instanceof Map) { for (const v of value.values()) collect(v, out, seen); }
  else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collect(v, out, seen);
  } else if (heldTensors in value) {
    collect((value as { [heldTensors](): unknown })[heldTensors](), out, seen);
  }
}

function closeScope(list: Disposable[], result: unknown): void {
  const keepSet = new Set<Disposable>();
  collect(result, keepSet, new Set());
  const parent = scopes.length ? scopes[scopes.length - 1] : null;
  for (const t of list) {
    if (keepSet.has(t)) parent?.push(t);
    else t.dispose();
  }
}

/**
 * Runs `fn` and disposes every tensor created inside it except those it returns (in arrays,
 * plain objects or Maps) and those passed to `keep`. Works with sync and async bodies.
 * Tensors the autograd graph saved stay alive until backward has used them.
 */
export function scope<T>(fn: () => T): T {
  const list: Disposable[] = [];
  scopes.push(list);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.splice(scopes.lastIndexOf(list), 1);
    closeScope(list, undefined);
    throw e;
  }
  if (result instanceof Promise) {
    // NOTE: an async body's scope stays open across awaits; concurrent async scopes interleave.
    return result.then(
      (v) => {
        scopes.splice(scopes.lastIndexOf(list), 1);
        closeScope(list, v);
        return v;
      },
      (e) => {
        scopes.splice(scopes.lastIndexOf(list), 1);
        closeScope(list, undefined);
        throw e;
      },
    ) as T;
  }
  scopes.splice(scopes.lastIndexOf(list), 1);
  closeScope(list, result);
  return result;
}

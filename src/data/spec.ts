/**
 * Worker specs: how a dataset (with its transforms) is rebuilt inside a
 * DataLoader worker. Functions and class instances cannot cross a worker
 * boundary, so what crosses is a *recipe*: "import `module`, take its export
 * `export`, call (or `new`) it with `args`".
 *
 * - Built-in datasets and transforms describe themselves through a
 *   `workerSpec()` method ({@link WorkerSerializable}).
 * - A user dataset either implements `workerSpec()` itself or is named via the
 *   DataLoader's `workerDataset` option, e.g.
 *   `{ module: import.meta.url, export: "makeDataset", args: [root] }`.
 *
 * Arguments must be structured-cloneable. Inside `args`, a value
 * `{ $spec: WorkerSpec }` is rebuilt recursively first, so a spec can nest
 * other specs (a `Subset` of a `CIFAR10` with a `Compose` of transforms).
 *
 * @module
 */

/** A recipe for building a value inside a worker. */
export interface WorkerSpec {
  /** Absolute URL of the module to import (usually the caller's `import.meta.url`). */
  module: string;
  /** Name of the export: a factory function, a class (with `construct: true`) or a value. */
  export: string;
  /** Arguments (structured-cloneable; `{ $spec }` values are rebuilt first). */
  args?: unknown[];
  /** Call the export with `new` (for classes). Default false: plain call, or the value itself. */
  construct?: boolean;
}

/** An object that can describe how to rebuild itself in a worker. */
export interface WorkerSerializable {
  /** Returns the recipe that rebuilds an equivalent object in a worker. */
  workerSpec(): WorkerSpec;
}

/** Nested spec marker inside `args`. */
export interface NestedSpec {
  /** The spec to rebuild in place of this object. */
  $spec: WorkerSpec;
}

/** True when `x` has a `workerSpec()` method. */
export function isWorkerSerializable(x: unknown): x is WorkerSerializable {
  return typeof x === "object" && x !== null &&
    typeof (x as { workerSpec?: unknown }).workerSpec === "function";
}

/**
 * Converts `value` for a spec's `args`: serialisable objects become
 * `{ $spec }`, arrays and plain objects are converted element-wise, cloneable
 * leaves pass through, and functions (or other non-serialisable objects) throw
 * an error that says what to do instead.
 * @param path Where the value sits (for error messages), e.g. "CIFAR10.transform".
 */
export function specArg(value: unknown, path: string): unknown {
  if (value === undefined || value === null) return value;
  if (typeof value === "function") {
    throw new TypeError(
      `${path}: a function cannot be sent to a DataLoader worker; ` +
        `pass { workerDataset: { module, export, args } } to the DataLoader, or use numWorkers: 0`,
    );
  }
  if (typeof value !== "object") return value;
  if (isWorkerSerializable(value)) return { $spec: value.workerSpec() } satisfies NestedSpec;
  if (Array.isArray(value)) return value.map((v, i) => specArg(v, `${path}[${i}]`));
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = specArg(v, `${path}.${k}`);
    return out;
  }
  const name = (value as { constructor?: { name?: string } }).constructor?.name ?? "object";
  throw new TypeError(
    `${path}: ${name} has no workerSpec() and cannot be sent to a DataLoader worker; ` +
      `implement workerSpec() or pass { workerDataset: { module, export, args } } to the DataLoader`,
  );
}

/** Rebuilds the value a spec describes (runs inside the worker). */
export async function buildFromSpec(spec: WorkerSpec): Promise<unknown> {
  if (typeof spec?.module !== "string" || typeof spec?.export !== "string") {
    throw new TypeError(
      `worker spec: expected { module: string, export: string, args? }, got ${
        JSON.stringify(spec)
      }`,
    );
  }
  const mod = await import(spec.module);
  if (!(spec.export in mod)) {
    throw new Error(`worker spec: module ${spec.module} has no export "${spec.export}"`);
  }
  const target = mod[spec.export];
  const args = await Promise.all((spec.args ?? []).map(reviveArg));
  if (spec.construct) return new target(...args);
  if (typeof target === "function") return await target(...args);
  return target;
}

async function reviveArg(value: unknown): Promise<unknown> {
  if (typeof value !== "object" || value === null || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return await Promise.all(value.map(reviveArg));
  if ("$spec" in value) return await buildFromSpec((value as NestedSpec).$spec);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = await reviveArg(v);
  return out;
}

/**
 * Default collation: a list of samples becomes one batch, like PyTorch's
 * `default_collate`. Tensors (and typed arrays) of equal shape are stacked
 * along a new first dim, numbers become a 1-D tensor (int32 when all are
 * integers, else float32), booleans a bool tensor, strings a string array;
 * arrays (tuples) and plain objects are collated position- / key-wise.
 *
 * Collation first produces {@link PackedTensor} leaves (a typed array plus
 * shape and dtype) so the same code runs inside workers, whose batches cross
 * to the main thread as transferred buffers; {@link unpackBatch} then wraps
 * the leaves into tensors.
 *
 * @module
 */

import { Tensor } from "../tensor/tensor.ts";
import { tensor } from "../tensor/creation.ts";
import { stack } from "../ops/join.ts";
import { allocArray, type DType, type TypedArray } from "../tensor/dtype.ts";
import { Image } from "../transforms/image.ts";
import { describeType } from "../transforms/errors.ts";

/** A tensor in transit: values (row-major, contiguous), shape and dtype. */
export interface PackedTensor {
  /** Marker distinguishing this from user objects. */
  readonly $tensor: true;
  /** Contiguous values; owns its whole ArrayBuffer so it can be transferred. */
  readonly data: TypedArray;
  /** Shape. */
  readonly shape: number[];
  /** Element type. */
  readonly dtype: DType;
}

/** True when `x` is a {@link PackedTensor}. */
export function isPacked(x: unknown): x is PackedTensor {
  return typeof x === "object" && x !== null && (x as { $tensor?: unknown }).$tensor === true;
}

/** Where a value sits in a sample, for error messages (e.g. `[0].image`). */
type Path = string;

class CollateError extends TypeError {}

function fail(
  path: Path,
  batchPos: number,
  indices: readonly number[] | undefined,
  msg: string,
): never {
  const where = indices
    ? `sample ${batchPos} of the batch (dataset index ${indices[batchPos]})`
    : `sample ${batchPos}`;
  throw new CollateError(`defaultCollate: ${where}${path ? ` at ${path}` : ""}: ${msg}`);
}

function typedDtype(a: ArrayBufferView): DType | null {
  if (a instanceof Float32Array) return "float32";
  if (a instanceof Float64Array) return "float64";
  if (a instanceof Int32Array || a instanceof Int16Array || a instanceof Int8Array) return "int32";
  if (a instanceof Uint8Array || a instanceof Uint16Array || a instanceof Uint8ClampedArray) {
    return "int32";
  }
  return null;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Options of {@link collatePacked}. */
export interface CollateOptions {
  /** Dataset index of each sample (for error messages). */
  indices?: readonly number[];
  /**
   * Called with tensors that are not on the CPU (main thread only): returns
   * the stacked tensor. When absent, such tensors are an error (in workers).
   */
  stackDevice?: (ts: Tensor[]) => Tensor;
}

/**
 * Collates `samples` into a tree whose tensor leaves are {@link PackedTensor}s
 * (or, for non-CPU tensors with `stackDevice`, Tensors).
 * @throws TypeError naming the sample, its dataset index and path on any mismatch.
 */
export function collatePacked(samples: readonly unknown[], options: CollateOptions = {}): unknown {
  if (samples.length === 0) throw new RangeError("defaultCollate: empty batch");
  return collateAt(samples, "", options);
}

function collateAt(samples: readonly unknown[], path: Path, o: CollateOptions): unknown {
  const first = samples[0];
  const B = samples.length;
  const check = (pred: (x: unknown) => boolean, what: string): void => {
    for (let b = 1; b < B; b++) {
      if (!pred(samples[b])) {
        fail(path, b, o.indices, `expected ${what} like sample 0, got ${describeType(samples[b])}`);
      }
    }
  };
  if (first instanceof Tensor) {
    check((x) => x instanceof Tensor, "a Tensor");
    const ts = samples as Tensor[];
    for (let b = 0; b < B; b++) {
      if (!sameShape(ts[b].shape, first.shape) || ts[b].dtype !== first.dtype) {
        fail(
          path,
          b,
          o.indices,
          `stack expects each tensor to be equal size and dtype, but sample 0 is [${first.shape}] ${first.dtype} and this one is [${
            ts[b].shape
          }] ${ts[b].dtype}`,
        );
      }
    }
    if (ts.some((t) => t.device !== "cpu")) {
      if (o.stackDevice) return o.stackDevice(ts);
      fail(
        path,
        0,
        o.indices,
        `tensors in DataLoader workers must be on the cpu, got ${first.device}`,
      );
    }
    const n = first.numel;
    const out = allocArray(first.dtype, n * B);
    for (let b = 0; b < B; b++) out.set(ts[b].dataSync(), b * n);
    return packed(out, [B, ...first.shape], first.dtype);
  }
  if (typeof first === "number") {
    check((x) => typeof x === "number", "a number");
    const nums = samples as number[];
    const ints = nums.every((v) => Number.isInteger(v) && v >= -2147483648 && v <= 2147483647);
    return packed(
      ints ? Int32Array.from(nums) : Float32Array.from(nums),
      [B],
      ints ? "int32" : "float32",
    );
  }
  if (typeof first === "boolean") {
    check((x) => typeof x === "boolean", "a boolean");
    return packed(Uint8Array.from(samples as boolean[], (v) => (v ? 1 : 0)), [B], "bool");
  }
  if (typeof first === "string") {
    check((x) => typeof x === "string", "a string");
    return [...samples];
  }
  if (ArrayBuffer.isView(first) && !(first instanceof DataView)) {
    const dtype = typedDtype(first);
    if (dtype === null) {
      fail(
        path,
        0,
        o.indices,
        `cannot collate ${
          describeType(first)
        } (use Float32Array, Float64Array or an integer array)`,
      );
    }
    const len = (first as unknown as ArrayLike<number>).length;
    check(
      (x) =>
        ArrayBuffer.isView(x) && x.constructor === first.constructor &&
        (x as unknown as ArrayLike<number>).length === len,
      `a ${describeType(first)} of length ${len}`,
    );
    const out = allocArray(dtype, len * B);
    for (let b = 0; b < B; b++) out.set(samples[b] as ArrayLike<number>, b * len);
    return packed(out, [B, len], dtype);
  }
  if (Array.isArray(first)) {
    check(
      (x) => Array.isArray(x) && x.length === first.length,
      `an array of length ${first.length} (each element in list of batch should be of equal size)`,
    );
    return first.map((_, k) =>
      collateAt(samples.map((s) => (s as unknown[])[k]), `${path}[${k}]`, o)
    );
  }
  if (first instanceof Image) {
    fail(
      path,
      0,
      o.indices,
      `cannot collate an Image; add transforms.ToTensor() to the dataset's transform`,
    );
  }
  if (typeof first === "object" && first !== null && isPlain(first)) {
    check((x) => typeof x === "object" && x !== null && isPlain(x), "an object");
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(first)) {
      for (let b = 1; b < B; b++) {
        if (!(k in (samples[b] as object))) {
          fail(path, b, o.indices, `missing key "${k}" present in sample 0`);
        }
      }
      out[k] = collateAt(samples.map((s) => (s as Record<string, unknown>)[k]), `${path}.${k}`, o);
    }
    return out;
  }
  return fail(
    path,
    0,
    o.indices,
    `default collate found ${
      describeType(first)
    }; samples must contain tensors, typed arrays, numbers, booleans, strings, arrays or plain objects`,
  );
}

function isPlain(x: object): boolean {
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

function packed(data: TypedArray, shape: number[], dtype: DType): PackedTensor {
  return { $tensor: true, data, shape, dtype };
}

/**
 * Packs one sample for transfer (tensors → {@link PackedTensor} with copied
 * data, everything else as is). Used when a custom `collateFn` runs on the
 * main thread.
 */
export function packSample(sample: unknown): unknown {
  if (sample instanceof Tensor) {
    if (sample.device !== "cpu") {
      throw new TypeError(
        `DataLoader worker: samples must hold cpu tensors, got one on ${sample.device}`,
      );
    }
    return packed(sample.dataSync().slice(), [...sample.shape], sample.dtype);
  }
  if (sample instanceof Image) {
    return {
      $image: true,
      data: sample.data,
      height: sample.height,
      width: sample.width,
      channels: sample.channels,
    };
  }
  if (Array.isArray(sample)) return sample.map(packSample);
  if (typeof sample === "object" && sample !== null && isPlain(sample)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(sample)) out[k] = packSample(v);
    return out;
  }
  return sample;
}

/** Wraps every {@link PackedTensor} leaf of a tree into a Tensor (and packed images into Images). */
export function unpackBatch(tree: unknown): unknown {
  if (isPacked(tree)) {
    return tensor(tree.data, { shape: tree.shape, dtype: tree.dtype, device: "cpu" });
  }
  if (
    tree instanceof Tensor || typeof tree !== "object" || tree === null || ArrayBuffer.isView(tree)
  ) {
    return tree;
  }
  if (Array.isArray(tree)) return tree.map(unpackBatch);
  const t = tree as Record<string, unknown>;
  if (t.$image === true) {
    return new Image(
      t.data as Uint8Array,
      t.height as number,
      t.width as number,
      t.channels as number,
    );
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(t)) out[k] = unpackBatch(v);
  return out;
}

/** The ArrayBuffers of every packed leaf in `tree`, for `postMessage`'s transfer list. */
export function transferables(tree: unknown, out: ArrayBuffer[] = []): ArrayBuffer[] {
  if (isPacked(tree)) {
    const buf = tree.data.buffer;
    if (buf instanceof ArrayBuffer && !out.includes(buf)) out.push(buf);
  } else if (typeof tree === "object" && tree !== null && !ArrayBuffer.isView(tree)) {
    for (const v of Array.isArray(tree) ? tree : Object.values(tree)) transferables(v, out);
  }
  return out;
}

/**
 * PyTorch's `default_collate` on the main thread: stacks samples into
 * batched tensors (see the module docs for the rules).
 */
export function defaultCollate(samples: readonly unknown[], indices?: readonly number[]): unknown {
  return unpackBatch(collatePacked(samples, { indices, stackDevice: (ts) => stack(ts) }));
}

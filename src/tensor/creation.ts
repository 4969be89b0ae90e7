/** Creation ops: tensor(), zeros, ones, full, arange, linspace, eye, random tensors. */
import type { RandomKind } from "../backend/backend.ts";
import { backendFor, getDefaultDevice } from "../backend/registry.ts";
import { emptyTensor, filledTensor } from "../ops/dispatch.ts";
import { add, floor, mul } from "../ops/elementwise.ts";
import { to } from "../ops/convert.ts";
import { noGrad } from "../autograd/grad_mode.ts";
import { checkDType, type Device, type DType, dtypeOfArray, type TypedArray } from "./dtype.ts";
import { contiguousStrides, fmtShape, numelOf } from "./shape.ts";
import { defaultGenerator, type Generator } from "./random.ts";
import { permutation } from "./host_random.ts";
import { type NestedArray, Tensor } from "./tensor.ts";
import { scope } from "./memory.ts";

/** Options shared by creation functions. */
export interface TensorOptions {
  /** Element type (float32 unless the data says otherwise). */
  dtype?: DType;
  /** Target device (the default device when omitted). */
  device?: Device;
  /** Make the result a leaf that requires grad. */
  requiresGrad?: boolean;
}

/** Options of random creation functions. */
export interface RandomOptions extends TensorOptions {
  /** The generator to draw from (the default generator when omitted). */
  generator?: Generator;
}

/** Data accepted by `tensor()`. */
export type TensorData = NestedArray | TypedArray;

function finish(t: Tensor, opts: TensorOptions): Tensor {
  if (opts.requiresGrad) t.requiresGrad_(true);
  return t;
}

function flattenNested(
  op: string,
  data: NestedArray,
): { values: number[]; shape: number[]; isBool: boolean } {
  const shape: number[] = [];
  let probe: NestedArray = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (!probe.length) break;
    probe = probe[0];
  }
  const values: number[] = [];
  let isBool = typeof probe === "boolean";
  const walk = (x: NestedArray, d: number, path: number[]) => {
    if (d === shape.length) {
      if (Array.isArray(x)) {
        throw new TypeError(`${op}: ragged nested array at index [${path.join(", ")}]`);
      }
      if (typeof x === "boolean") values.push(x ? 1 : 0);
      else if (typeof x === "number") {
        values.push(x);
        isBool = false;
      } else {throw new TypeError(
          `${op}: expected numbers or booleans, got ${typeof x} at [${path.join(", ")}]`,
        );}
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[d]) {
      throw new TypeError(
        `${op}: expected a sequence of length ${shape[d]} at dim ${d} (index [${
          path.join(", ")
        }]), ` +
          `got ${Array.isArray(x) ? `length ${x.length}` : typeof x}`,
      );
    }
    x.forEach((v, i) => walk(v, d + 1, [...path, i]));
  };
  walk(data, 0, []);
  return { values, shape, isBool };
}

/** Builds a tensor from nested arrays or a typed array, like torch.tensor. */
export function tensor(data: TensorData, opts: TensorOptions & { shape?: number[] } = {}): Tensor {
  const device = opts.device ?? getDefaultDevice();
  let dtype: DType;
  let flat: TypedArray | number[];
  let shape: number[];
  if (ArrayBuffer.isView(data)) {
    dtype = opts.dtype ? checkDType("tensor", opts.dtype) : dtypeOfArray(data);
    flat = data;
    shape = opts.shape ?? [data.length];
    if (numelOf(shape) !== data.length) {
      throw new RangeError(`tensor: shape ${fmtShape(shape)} does not match ${data.length} values`);
    }
  } else {
    const r = flattenNested("tensor", data);
    dtype = opts.dtype ? checkDType("tensor", opts.dtype) : r.isBool ? "bool" : "float32";
    flat = r.values;
    shape = opts.shape ?? r.shape;
    if (numelOf(shape) !== r.values.length) {
      throw new RangeError(
        `tensor: shape ${fmtShape(shape)} does not match ${r.values.length} values`,
      );
    }
  }
  if (device === "webgpu" && dtype === "float64") {
    throw new TypeError(
      "tensor: float64 is not supported on webgpu (WGSL has no f64); use float32",
    );
  }
  const b = backendFor(device);
  const arr = ArrayBuffer.isView(flat) && dtypeOfArray(flat) === dtype
    ? flat
    : fromNumbers(flat, dtype);
  const t = new Tensor(b.fromArray(arr, dtype), shape, contiguousStrides(shape), 0);
  return finish(t, opts);
}

function fromNumbers(v: ArrayLike<number>, dtype: DType): TypedArray {
  switch (dtype) {
    case "float32":
      return Float32Array.from(v);
    case "float64":
      return Float64Array.from(v);
    case "int32":
      return Int32Array.from(v);
    case "bool":
      return Uint8Array.from(v, (x) => (x ? 1 : 0));
  }
}

function shapeOf(op: string, shape: number[] | number): number[] {
  const s = typeof shape === "number" ? [shape] : shape;
  for (const d of s) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`${op}: invalid shape ${fmtShape(s)}`);
  }
  return s;
}

/** A tensor filled with `value`. */
export function full(shape: number[] | number, value: number, opts: TensorOptions = {}): Tensor {
  const dtype = opts.dtype ?? "float32";
  return finish(
    filledTensor(shapeOf("full", shape), value, dtype, opts.device ?? getDefaultDevice()),
    opts,
  );
}

/** Zeros. */
export function zeros(shape: number[] | number, opts: TensorOptions = {}): Tensor {
  return full(shape, 0, opts);
}

/** Ones. */
export function ones(shape: number[] | number, opts: TensorOptions = {}): Tensor {
  return full(shape, 1, opts);
}

/** Uninitialised memory (zeros on the CPU; whatever the pool held on the GPU). */
export function empty(shape: number[] | number, opts: TensorOptions = {}): Tensor {
  const t = emptyTensor(
    shapeOf("empty", shape),
    opts.dtype ?? "float32",
    opts.device ?? getDefaultDevice(),
  );
  return finish(t, opts);
}

function likeOpts(t: Tensor, opts: TensorOptions): TensorOptions {
  return { dtype: t.dtype, device: t.device, ...opts };
}

/** Zeros shaped like `t`. */
export function zerosLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return zeros(t.shape, likeOpts(t, opts));
}
/** Ones shaped like `t`. */
export function onesLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return ones(t.shape, likeOpts(t, opts));
}
/** `value` shaped like `t`. */
export function fullLike(t: Tensor, value: number, opts: TensorOptions = {}): Tensor {
  return full(t.shape, value, likeOpts(t, opts));
}
/** Uninitialised, shaped like `t`. */
export function emptyLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return empty(t.shape, likeOpts(t, opts));
}

/** Values start, start+step, ... below end; integer arguments give int32 (PyTorch: int64). */
export function arange(start: number, end?: number, step = 1, opts: TensorOptions = {}): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (opts.dtype === "bool") {
    throw new TypeError("arange: not implemented for bool (as in PyTorch)");
  }
  if (opts.dtype === "int32") {
    // NOTE: with an integer dtype PyTorch truncates start, end and step first, so
    // arange(0, 5, 1.5, int) is [0, 1, 2, 3, 4] and a step below 1 is a zero step.
    [start, end, step] = [Math.trunc(start), Math.trunc(end), Math.trunc(step)];
  }
  if (step === 0) throw new RangeError("arange: step must be nonzero");
  if ((end - start) / step < 0) {
    throw new RangeError(
      `arange: upper bound and larger bound inconsistent with step sign (${start}, ${end}, ${step})`,
    );
  }
  const n = Math.ceil((end - start) / step);
  const ints = [start, end, step].every(Number.isInteger);
  const dtype = opts.dtype ?? (ints ? "int32" : "float32");
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = start + i * step;
  return tensor(fromNumbers(v, dtype), { ...opts, dtype, shape: [n] });
}

/** `steps` evenly spaced values from start to end inclusive. */
export function linspace(
  start: number,
  end: number,
  steps: number,
  opts: TensorOptions = {},
): Tensor {
  if (!Number.isInteger(steps) || steps < 0) {
    throw new RangeError(`linspace: number of steps must be non-negative (got ${steps})`);
  }
  if (opts.dtype === "bool") {
    throw new TypeError("linspace: not implemented for bool (as in PyTorch)");
  }
  const v = new Float64Array(steps);
  const dtype = opts.dtype ?? "float32";
  // NOTE: PyTorch computes in the output dtype; rounding each step to float32 gives its exact
  // float32 values (computing in float64 and rounding once differs by an ulp).
  const r = dtype === "float32" ? Math.fround : (x: number) => x;
  const step = steps > 1 ? r(r(r(end) - r(start)) / (steps - 1)) : 0;
  // Symmetric fill as PyTorch does, so both ends are exact.
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) {
    v[i] = i < half ? r(start + r(step * i)) : r(end - r(step * (steps - 1 - i)));
  }
  if (steps === 1) v[0] = start; // torch.linspace(a, b, 1) is [a]
  return tensor(fromNumbers(v, dtype), { ...opts, dtype, shape: [steps] });
}

/**
 * `steps` values spaced evenly on a log scale: base ** linspace(start, end, steps), like
 * `torch.logspace` (base defaults to 10).
 */
export function logspace(
  start: number,
  end: number,
  steps: number,
  base = 10,
  opts: TensorOptions = {},
): Tensor {
  if (!Number.isInteger(steps) || steps < 0) {
    throw new RangeError(`logspace: number of steps must be non-negative (got ${steps})`);
  }
  const dtype = opts.dtype ?? "float32";
  // NOTE: as PyTorch's kernel: the ends in the output dtype, the exponent step in double, and a
  // symmetric fill so that both ends are exact.
  const r = dtype === "float32" ? Math.fround : (x: number) => x;
  const a = r(start), b = r(end);
  const v = new Float64Array(steps);
  if (steps === 1) v[0] = Math.pow(base, start);
  else {
    const step = (b - a) / (steps - 1);
    const half = Math.floor(steps / 2);
    for (let i = 0; i < steps; i++) {
      v[i] = Math.pow(base, i < half ? a + step * i : b - step * (steps - i - 1));
    }
  }
  return tensor(fromNumbers(v, dtype), { ...opts, dtype, shape: [steps] });
}

/** Identity matrix n×m. */
export function eye(n: number, m = n, opts: TensorOptions = {}): Tensor {
  const dtype = opts.dtype ?? "float32";
  const v = new Float64Array(n * m);
  for (let i = 0; i < Math.min(n, m); i++) v[i * m + i] = 1;
  return tensor(fromNumbers(v, dtype), { ...opts, dtype, shape: [n, m] });
}

function randomTensor(
  op: string,
  kind: RandomKind,
  shape: number[] | number,
  opts: RandomOptions,
): Tensor {
  const s = shapeOf(op, shape);
  const dtype = opts.dtype ?? "float32";
  if (dtype !== "float32" && dtype !== "float64") {
    throw new TypeError(`${op}: expected a floating point dtype, got ${dtype}`);
  }
  const device = opts.device ?? getDefaultDevice();
  const t = emptyTensor(s, dtype, device);
  const n = numelOf(s);
  if (n) {
    const { key, counter } = (opts.generator ?? defaultGenerator).reserve(n);
    backendFor(device).random(kind, key, counter, t.storage);
  }
  return finish(t, opts);
}

/** Uniform [0, 1). */
export function rand(shape: number[] | number, opts: RandomOptions = {}): Tensor {
  return randomTensor("rand", "uniform", shape, opts);
}

/** Standard normal. */
export function randn(shape: number[] | number, opts: RandomOptions = {}): Tensor {
  return randomTensor("randn", "normal", shape, opts);
}

/** Uniform integers in [low, high). */
export function randint(
  low: number,
  high: number,
  shape: number[] | number,
  opts: RandomOptions = {},
): Tensor {
  if (!(high > low)) throw new RangeError(`randint: expected low < high (got ${low} >= ${high})`);
  const { dtype = "int32", requiresGrad: _r, ...rest } = opts;
  return noGrad(() =>
    scope(() =>
      to(floor(add(mul(rand(shape, { ...rest, dtype: "float32" }), high - low), low)), dtype)
    )
  );
}

/** A random permutation of 0..n-1 (int32). */
export function randperm(n: number, opts: RandomOptions = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`randperm: n must be a non-negative integer (got ${n})`);
  }
  const p = permutation(n, opts.generator ?? defaultGenerator);
  return tensor(p, { device: opts.device, dtype: opts.dtype ?? "int32", shape: [n] });
}

/** Uniform [0, 1) shaped like `t`. */
export function randLike(t: Tensor, opts: RandomOptions = {}): Tensor {
  return rand(t.shape, { dtype: t.dtype, device: t.device, ...opts });
}

/** Standard normal shaped like `t`. */
export function randnLike(t: Tensor, opts: RandomOptions = {}): Tensor {
  return randn(t.shape, { dtype: t.dtype, device: t.device, ...opts });
}

/** View ops: new shapes and strides over the same storage, no copies where PyTorch makes none. */
import type { Strided } from "../backend/backend.ts";
import { record } from "../autograd/function.ts";
import { retain } from "../tensor/memory.ts";
import { fmtShape, inferShape, normDim, normDims, numelOf, viewStrides } from "../tensor/shape.ts";
import { Tensor } from "../tensor/tensor.ts";
import { backendOf, filledTensor } from "./dispatch.ts";
import { contiguous } from "./convert.ts";
import { sumTo } from "./reduce.ts";

/** Normalises a dim argument (re-exported for Tensor.size). */
export function dimArg(op: string, dim: number, ndim: number): number {
  return normDim(op, dim, ndim);
}

/** Accepts both `f(2, 3)` and `f([2, 3])`. */
export function shapeArgs(args: number[] | [number[]]): number[] {
  return Array.isArray(args[0]) ? [...(args[0] as number[])] : (args as number[]);
}

/** A new handle viewing x's storage with another geometry. */
function makeView(
  x: Tensor,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): Tensor {
  x.check("view");
  retain(x.storage);
  return new Tensor(x.storage, shape, strides, offset, x.base ?? x);
}

/** Writes g into the region `region(z)` of a zero tensor of `shape`: the backward of slicing. */
function embed(g: Tensor, shape: readonly number[], region: (z: Strided) => Strided): Tensor {
  const z = filledTensor(shape, 0, g.dtype, g.device);
  if (g.numel) backendOf("slice", g).unary("copy", g, region(z));
  return z;
}

/** `view`: throws when the strides do not allow a view (use reshape). */
export function view(x: Tensor, shape: number[]): Tensor {
  const target = inferShape("view", shape, x.check("view").numel);
  const strides = viewStrides(x.shape, x.strides, target);
  if (!strides) {
    throw new Error(
      `view: size ${fmtShape(target)} is not compatible with input of size ${fmtShape(x.shape)} ` +
        `and strides ${fmtShape(x.strides)} (at least one dim spans across two contiguous ` +
        "subspaces); use reshape() instead",
    );
  }
  const out = makeView(x, target, strides, x.offset);
  const src = x.shape;
  return record(out, "ViewBackward", [x], [], (g) => [reshape(g, src)]);
}

/** `reshape`: a view when possible, else a contiguous copy. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape("reshape", shape, x.check("reshape").numel);
  if (viewStrides(x.shape, x.strides, target)) return view(x, target);
  const c = contiguous(x);
  const out = view(c, target);
  c.dispose();
  return out;
}

/** Flattens dims start..end into one. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normDim("flatten", startDim, x.ndim), e = normDim("flatten", endDim, x.ndim);
  if (s > e) {
    throw new RangeError(`flatten: startDim ${startDim} cannot come after endDim ${endDim}`);
  }
  const shape = [...x.shape.slice(0, s), -1, ...x.shape.slice(e + 1)];
  if (x.numel === 0) shape[s] = numelOf(x.shape.slice(s, e + 1));
  return reshape(x, shape);
}

/** Splits one dim into several. */
export function unflatten(x: Tensor, dim: number, sizes: number[]): Tensor {
  const d = normDim("unflatten", dim, x.ndim);
  return reshape(x, [...x.shape.slice(0, d), ...sizes, ...x.shape.slice(d + 1)]);
}

/** Drops size-1 dims. */
export function squeeze(x: Tensor, dim?: number | number[]): Tensor {
  const dims = dim === undefined ? x.shape.map((_, i) => i) : normDims("squeeze", dim, x.ndim);
  const keep = x.shape.map((_, i) => i).filter((i) => !(dims.includes(i) && x.shape[i] === 1));
  const out = makeView(x, keep.map((i) => x.shape[i]), keep.map((i) => x.strides[i]), x.offset);
  const src = x.shape;
  return record(out, "SqueezeBackward", [x], [], (g) => [reshape(g, src)]);
}

/** Inserts a size-1 dim at `dim`. */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normDim("unsqueeze", dim, x.ndim + 1);
  const shape = [...x.shape], strides = [...x.strides];
  const st = d < x.ndim ? x.strides[d] * x.shape[d] : 1;
  shape.splice(d, 0, 1);
  strides.splice(d, 0, st);
  const out = makeView(x, shape, strides, x.offset);
  const src = x.shape;
  return record(out, "UnsqueezeBackward", [x], [], (g) => [reshape(g, src)]);
}

/** Reorders dims. */
export function permute(x: Tensor, dims: number[]): Tensor {
  if (dims.length !== x.ndim) {
    throw new RangeError(
      `permute: number of dims don't match (input has ${x.ndim} dims, got ${dims.length}: ${
        fmtShape(dims)
      })`,
    );
  }
  const p = dims.map((d) => normDim("permute", d, x.ndim));
  if (new Set(p).size !== p.length) {
    throw new RangeError(`permute: repeated dim in ${fmtShape(dims)}`);
  }
  const out = makeView(x, p.map((d) => x.shape[d]), p.map((d) => x.strides[d]), x.offset);
  const inv = new Array<number>(p.length);
  p.forEach((d, i) => (inv[d] = i));
  return record(out, "PermuteBackward", [x], [], (g) => [permute(g, inv)]);
}

/** Swaps two dims. */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  if (x.ndim === 0) return view(x, []);
  const a = normDim("transpose", dim0, x.ndim), b = normDim("transpose", dim1, x.ndim);
  const p = x.shape.map((_, i) => i);
  p[a] = b;
  p[b] = a;
  return permute(x, p);
}

/** Matrix transpose for tensors of at most 2 dims. */
export function t(x: Tensor): Tensor {
  if (x.ndim > 2) throw new RangeError(`t: expects a tensor with <= 2 dims, but got ${x.ndim}`);
  return x.ndim < 2 ? view(x, x.shape) : transpose(x, 0, 1);
}

/** Broadcasts to `shape` without copying. */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  x.check("expand");
  if (shape.length < x.ndim) {
    throw new RangeError(
      `expand: the number of sizes provided (${shape.length}) must be greater or equal to the ` +
        `number of dims in the tensor (${x.ndim})`,
    );
  }
  const off = shape.length - x.ndim;
  const strides: number[] = [];
  const target = shape.map((s, i) => {
    if (i < off) {
      if (s < 0) throw new RangeError(`expand: -1 is not allowed in a leading, non-existing dim`);
      strides.push(0);
      return s;
    }
    const d = x.shape[i - off];
    const want = s === -1 ? d : s;
    if (d !== want && d !== 1) {
      throw new RangeError(
        `expand: the expanded size of the tensor (${want}) must match the existing size (${d}) ` +
          `at non-singleton dim ${i}; target sizes ${fmtShape(shape)}, tensor sizes ${
            fmtShape(x.shape)
          }`,
      );
    }
    strides.push(d === want ? x.strides[i - off] : 0);
    return want;
  });
  const out = makeView(x, target, strides, x.offset);
  const src = x.shape;
  return record(out, "ExpandBackward", [x], [], (g) => [sumTo(g, src)]);
}

/** Python-style slice `start:end:step` along `dim` (step > 0). */
export function slice(x: Tensor, dim: number, start?: number, end?: number, step = 1): Tensor {
  const d = normDim("slice", dim, x.ndim);
  if (!Number.isInteger(step) || step <= 0) {
    throw new RangeError(`slice: step must be a positive integer (got ${step})`);
  }
  const n = x.shape[d];
  const clampIdx = (v: number | undefined, dflt: number) => {
    if (v === undefined) return dflt;
    const r = v < 0 ? v + n : v;
    return Math.min(Math.max(r, 0), n);
  };
  const s = clampIdx(start, 0);
  const e = Math.max(clampIdx(end, n), s);
  const len = Math.ceil((e - s) / step);
  const shape = [...x.shape], strides = [...x.strides];
  shape[d] = len;
  strides[d] = x.strides[d] * step;
  const out = makeView(x, shape, strides, x.offset + s * x.strides[d]);
  const src = x.shape;
  return record(out, "SliceBackward", [x], [], (g) => {
    const z = embed(g, src, (z) => ({
      storage: z.storage,
      shape,
      strides: z.strides.map((st, i) => (i === d ? st * step : st)),
      offset: s * z.strides[d],
    }));
    // Recorded for double backward: the adjoint of embedding is taking the same slice.
    return [record(z, "SliceBackwardBackward", [g], [], (gg) => [slice(gg, d, s, e, step)])];
  });
}

/** `length` elements of `dim` from `start`. */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  if (x.ndim === 0) throw new RangeError("narrow: cannot be applied to a 0-dim tensor");
  const d = normDim("narrow", dim, x.ndim);
  const n = x.shape[d];
  const s = start < 0 ? start + n : start;
  if (s < 0 || length < 0 || s + length > n) {
    throw new RangeError(
      `narrow: start (${start}) + length (${length}) exceeds dimension size (${n}) of dim ${dim}`,
    );
  }
  return slice(x, d, s, s + length);
}

/** Indexes one position of `dim`, removing it. */
export function select(x: Tensor, dim: number, index: number): Tensor {
  if (x.ndim === 0) throw new RangeError("select: cannot be applied to a 0-dim tensor");
  const d = normDim("select", dim, x.ndim);
  const n = x.shape[d];
  if (!Number.isInteger(index) || index < -n || index >= n) {
    throw new RangeError(`select: index ${index} is out of range for dim ${dim} with size ${n}`);
  }
  const i = index < 0 ? index + n : index;
  const sl = narrow(x, d, i, 1);
  const out = squeeze(sl, d);
  sl.dispose();
  return out;
}

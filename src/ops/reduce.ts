/** Reductions over any dims with keepdim, and their gradients. */
import type { ReduceOp, Strided } from "../backend/backend.ts";
import { record } from "../autograd/function.ts";
import { type DType, isFloating } from "../tensor/dtype.ts";
import { fmtShape, normDim, normDims, numelOf, reductionDims } from "../tensor/shape.ts";
import type { Tensor, ValuesIndices } from "../tensor/tensor.ts";
import { emptyTensor, filledTensor, kernelBackend } from "./dispatch.ts";
import { abs, compare, div, mul, pow, sign, sub, where } from "./elementwise.ts";
import { expand, reshape } from "./view.ts";
import { scatterGrad } from "./index.ts";
import { to } from "./convert.ts";
import { noGrad } from "../autograd/grad_mode.ts";
import { scope } from "../tensor/memory.ts";

/** Output shape of a reduction over `dims`. */
export function keptShape(shape: readonly number[], dims: number[], keepdim: boolean): number[] {
  return keepdim
    ? shape.map((s, i) => (dims.includes(i) ? 1 : s))
    : shape.filter((_, i) => !dims.includes(i));
}

/** Runs a reduction kernel over `dims` of x (no autograd). */
export function reduceRaw(
  op: ReduceOp,
  x: Tensor,
  dims: number[],
  keepdim: boolean,
  outDtype: DType = x.dtype,
): Tensor {
  const b = kernelBackend(op, outDtype, x);
  const kept = x.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const perm = [...kept, ...dims];
  const view: Strided = {
    storage: x.storage,
    shape: perm.map((d) => x.shape[d]),
    strides: perm.map((d) => x.strides[d]),
    offset: x.offset,
  };
  const out = emptyTensor(keptShape(x.shape, dims, keepdim), outDtype, x.device);
  if (out.numel === 0) return out;
  const r = numelOf(dims.map((d) => x.shape[d]));
  if (r === 0) {
    if (op === "sum" || op === "prod") b.fill(out, op === "sum" ? 0 : 1);
    else {
      throw new RangeError(
        `${op}: cannot reduce over a zero-size dim of a tensor of shape ${fmtShape(x.shape)} ` +
          "(the operation has no identity)",
      );
    }
    return out;
  }
  b.reduce(op, view, dims.length, out.storage);
  return out;
}

/** Gradient of a reduction: g reshaped to keepdim form and broadcast back over x's shape. */
function expandBack(g: Tensor, shape: readonly number[], dims: number[]): Tensor {
  return expand(reshape(g, keptShape(shape, dims, true)), shape);
}

/** Sum over dims; integer and bool inputs sum to int32 as PyTorch sums them to int64. */
export function sum(x: Tensor, dim?: number | number[], keepdim = false): Tensor {
  const dims = reductionDims("sum", dim, x.ndim);
  const src = x.dtype === "bool" ? to(x, "int32") : x;
  const out = reduceRaw("sum", src, dims, keepdim);
  if (src !== x) src.dispose();
  const shape = x.shape;
  return record(out, "SumBackward", [x], [], (g) => [expandBack(g, shape, dims)]);
}

/** Mean over dims (floating inputs only, as in PyTorch). */
export function mean(x: Tensor, dim?: number | number[], keepdim = false): Tensor {
  if (!isFloating(x.dtype)) {
    throw new TypeError(
      `mean: could not infer output dtype; input dtype ${x.dtype} is not floating point`,
    );
  }
  const dims = reductionDims("mean", dim, x.ndim);
  const n = numelOf(dims.map((d) => x.shape[d]));
  const s = sum(x, dims, keepdim);
  const out = mul(s, 1 / n);
  s.dispose();
  return out;
}

/** Product over dims (no gradient). */
export function prod(x: Tensor, dim?: number | number[], keepdim = false): Tensor {
  const dims = reductionDims("prod", dim, x.ndim);
  if (x.dtype !== "bool") return reduceRaw("prod", x, dims, keepdim);
  // bool multiplies to int32, as PyTorch's bool prod gives int64.
  const src = to(x, "int32");
  const out = reduceRaw("prod", src, dims, keepdim);
  src.dispose();
  return out;
}

function extremum(op: "max" | "min", x: Tensor, dim?: number | number[], keepdim = false): Tensor {
  const name = op === "max" ? "amax" : "amin";
  const dims = reductionDims(name, dim, x.ndim);
  const out = reduceRaw(op, x, dims, keepdim);
  const shape = x.shape;
  return record(
    out,
    op === "max" ? "AmaxBackward" : "AminBackward",
    [x],
    [x, out],
    (g, [xv, o]) => {
      // Ties share the gradient evenly, as PyTorch's amax/amin do.
      const mask = to(compare("eq", xv, expandBack(o, shape, dims)), xv.dtype);
      const count = expandBack(sum(mask, dims, keepdim), shape, dims);
      return [div(mul(expandBack(g, shape, dims), mask), count)];
    },
  );
}

/** Max over dims (values only). */
export function amax(x: Tensor, dim?: number | number[], keepdim = false): Tensor {
  return extremum("max", x, dim, keepdim);
}

/** Min over dims (values only). */
export function amin(x: Tensor, dim?: number | number[], keepdim = false): Tensor {
  return extremum("min", x, dim, keepdim);
}

/** max/min along one dim with the indices of the first extreme. */
export function maxDim(x: Tensor, dim: number, keepdim: boolean, op: "max" | "min"): ValuesIndices {
  const d = normDim(op, dim, x.ndim);
  if (x.ndim === 0) {
    // A zero-dim input is its own extreme, at index 0 (as in PyTorch).
    const values = reshape(x, []);
    const indices = filledTensor([], 0, "int32", x.device);
    return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
  }
  const values = reduceRaw(op, x, [d], keepdim);
  const indices = reduceRaw(op === "max" ? "argmax" : "argmin", x, [d], keepdim, "int32");
  const shape = x.shape;
  const name = op === "max" ? "MaxBackward" : "MinBackward";
  record(values, name, [x], [indices], (g, [idx]) => {
    const gk = keepdim ? g : reshape(g, keptShape(shape, [d], true));
    const ik = keepdim ? idx : reshape(idx, keptShape(shape, [d], true));
    return [scatterGrad(name, shape, d, ik, gk, false)];
  });
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

/** argmax/argmin along a dim, or over the flattened tensor. */
export function argReduce(
  x: Tensor,
  op: "argmax" | "argmin",
  dim?: number,
  keepdim = false,
): Tensor {
  if (x.dtype === "bool") {
    throw new TypeError(`${op}: not implemented for bool tensors (as in PyTorch); convert first`);
  }
  if (dim === undefined) {
    const flat = reshape(x, [-1]);
    const out = reduceRaw(op, flat, [0], false, "int32");
    flat.dispose();
    if (!keepdim) return out;
    const r = reshape(out, x.shape.map(() => 1));
    out.dispose();
    return r;
  }
  const d = normDim(op, dim, x.ndim);
  if (x.ndim === 0) return filledTensor([], 0, "int32", x.device); // a scalar is at index 0
  return reduceRaw(op, x, [d], keepdim, "int32");
}

/** Variance with `correction` (Bessel's when 1), composed so autograd derives it. */
export function variance(
  x: Tensor,
  dim: number | number[] | undefined,
  correction: number,
  keepdim: boolean,
): Tensor {
  const dims = reductionDims("var", dim, x.ndim);
  const n = numelOf(dims.map((d) => x.shape[d]));
  const mu = mean(x, dims, true);
  const d = sub(x, mu);
  const sq = mul(d, d);
  const s = sum(sq, dims, keepdim);
  const out = div(s, Math.max(0, n - correction));
  for (const t of [mu, d, sq, s]) t.dispose();
  return out;
}

/** p-norm over dims; the gradient at a zero norm is 0 (PyTorch's convention). */
export function norm(x: Tensor, p: number, dim?: number | number[], keepdim = false): Tensor {
  const dims = reductionDims("norm", dim, x.ndim);
  if (p === Infinity || p === -Infinity) {
    const a = abs(x);
    const out = p > 0 ? amax(a, dims, keepdim) : amin(a, dims, keepdim);
    a.dispose();
    return out;
  }
  if (p === 0) {
    const nz = to(compare("ne", x, 0), x.dtype);
    const out = reduceRaw("sum", nz, dims, keepdim);
    nz.dispose();
    return out;
  }
  // NOTE: untracked forward: NormBackward below is the whole graph (tracked abs/pow would leave
  // orphan nodes holding saved tensors).
  const out = noGrad(() =>
    scope(() => {
      const a = abs(x);
      return reduceRaw("sum", p === 1 ? a : pow(a, p), dims, keepdim);
    })
  );
  if (p !== 1) {
    const r = noGrad(() => pow(out, 1 / p));
    out.dispose();
    return recordNorm(r, x, p, dims);
  }
  return recordNorm(out, x, p, dims);
}

function recordNorm(out: Tensor, x: Tensor, p: number, dims: number[]): Tensor {
  const shape = x.shape;
  return record(out, "NormBackward", [x], [x, out], (g, [xv, o]) => {
    const ob = expandBack(o, shape, dims);
    const gb = expandBack(g, shape, dims);
    const scaled = p === 1
      ? sign(xv)
      : p === 2
      ? div(xv, ob)
      : div(mul(sign(xv), pow(abs(xv), p - 1)), pow(ob, p - 1));
    return [where(compare("eq", ob, 0), 0, mul(gb, scaled))];
  });
}

/** Whether every element is non-zero (bool scalar). */
export function all(x: Tensor): Tensor {
  const b = to(x, "bool");
  const out = reduceRaw("min", b, normDims("all", undefined, x.ndim), false);
  b.dispose();
  return out;
}

/** Whether any element is non-zero (bool scalar). */
export function any(x: Tensor): Tensor {
  const b = to(x, "bool");
  const out = reduceRaw("max", b, normDims("any", undefined, x.ndim), false);
  b.dispose();
  return out;
}

/** Sums a broadcast gradient back down to `shape`. */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (g.shape.length === shape.length && g.shape.every((s, i) => s === shape[i])) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  }
  const s = dims.length ? sum(g, dims, true) : g;
  const out = reshape(s, shape);
  if (s !== g) s.dispose();
  return out;
}

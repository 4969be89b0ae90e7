/** Index ops: gather, scatter, scatterAdd, indexSelect, flip. */
import { record } from "../autograd/function.ts";
import { retain } from "../tensor/memory.ts";
import { fmtShape, normDim, normDims } from "../tensor/shape.ts";
import { Tensor } from "../tensor/tensor.ts";
import { backendOf, emptyTensor, filledTensor } from "./dispatch.ts";
import { contiguousCopy } from "./convert.ts";
import { expand, narrow, reshape } from "./view.ts";

function checkIndex(op: string, x: Tensor, dim: number, index: Tensor, src?: Tensor): number {
  index.check(op);
  if (index.dtype !== "int32") {
    throw new TypeError(`${op}: expected index of dtype int32, got ${index.dtype}`);
  }
  const d = normDim(op, dim, x.ndim);
  if (index.ndim !== Math.max(x.ndim, 1) && !(x.ndim === 0 && index.ndim === 0)) {
    throw new RangeError(
      `${op}: index tensor must have the same number of dims as the input ` +
        `(input ${fmtShape(x.shape)}, index ${fmtShape(index.shape)})`,
    );
  }
  for (let i = 0; i < index.ndim; i++) {
    if (i !== d && index.shape[i] > x.shape[i]) {
      throw new RangeError(
        `${op}: size of index ${fmtShape(index.shape)} exceeds the input ${
          fmtShape(x.shape)
        } at dim ${i}`,
      );
    }
    if (src && index.shape[i] > src.shape[i]) {
      throw new RangeError(
        `${op}: size of index ${fmtShape(index.shape)} exceeds src ${
          fmtShape(src.shape)
        } at dim ${i}`,
      );
    }
  }
  return d;
}

/** Runs a kernel that checks index bounds; its error is restated with the op and shapes. */
function withShapes(op: string, x: Tensor, index: Tensor, run: () => void): void {
  try {
    run();
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new RangeError(
      `${op}: ${e.message.replace(/^\w+: /, "")} (input ${fmtShape(x.shape)}, index ` +
        `${fmtShape(index.shape)})`,
    );
  }
}

/** Scatters src into `out` in place (no autograd); shared by scatter ops and max backward. */
export function scatterRaw(
  out: Tensor,
  dim: number,
  index: Tensor,
  src: Tensor,
  accumulate: boolean,
): void {
  const d = checkIndex(accumulate ? "scatterAdd" : "scatter", out, dim, index, src);
  const b = backendOf("scatter", out, index, src);
  if (index.numel) {
    withShapes(
      accumulate ? "scatterAdd" : "scatter",
      out,
      index,
      () => b.scatter(out, d, index, src, accumulate),
    );
  }
  out.storage.version++;
}

/** torch.gather: picks x's elements along `dim` at `index`. */
export function gather(x: Tensor, dim: number, index: Tensor, op = "gather"): Tensor {
  const d = checkIndex(op, x, dim, index);
  if (x.ndim === 0) {
    // A zero-dim input is gathered as a 1-element vector (the kernels need a dim to index).
    const x1 = reshape(x, [1]), i1 = reshape(index, [index.numel]);
    const g = gather(x1, 0, i1, op);
    const out = reshape(g, index.shape);
    for (const t of [x1, i1, g]) t.dispose();
    return out;
  }
  const b = backendOf(op, x, index);
  const out = emptyTensor(index.shape, x.dtype, x.device);
  if (out.numel) withShapes(op, x, index, () => b.gather(x, d, index, out.storage));
  const shape = x.shape;
  return record(out, "GatherBackward", [x], [index], (g, [idx]) => [
    scatterGrad("GatherBackward", shape, d, idx, g, true),
  ]);
}

/**
 * The gradient of picking elements at `index` along `dim` (gather; the values of max, sort or
 * topk along a dim): `g` added into zeros of `shape` at those positions (`accumulate` false
 * when no position repeats). Recorded, so that double backward works: its own gradient
 * gathers the same positions back.
 */
export function scatterGrad(
  name: string,
  shape: readonly number[],
  dim: number,
  index: Tensor,
  g: Tensor,
  accumulate: boolean,
): Tensor {
  const z = filledTensor(shape, 0, g.dtype, g.device);
  scatterRaw(z, dim, index, g, accumulate);
  return record(z, `${name}Backward`, [g], [index], (gg, [idx]) => [gather(gg, dim, idx)]);
}

/** `g` with zeros at the positions `index` names along `dim`: self-adjoint, so recorded. */
function zeroAt(g: Tensor, dim: number, index: Tensor): Tensor {
  const out = contiguousCopy(g);
  const zeros = filledTensor(index.shape, 0, g.dtype, g.device);
  scatterRaw(out, dim, index, zeros, false);
  zeros.dispose();
  return record(out, "ScatterBackwardBackward", [g], [index], (gg, [idx]) => [
    zeroAt(gg, dim, idx),
  ]);
}

function scatterOp(
  x: Tensor,
  dim: number,
  index: Tensor,
  src: Tensor | number,
  accumulate: boolean,
): Tensor {
  const op = accumulate ? "scatterAdd" : "scatter";
  const srcT = src instanceof Tensor ? src : null;
  const out = contiguousCopy(x);
  const sv = srcT ?? filledTensor(index.shape, src as number, x.dtype, x.device);
  scatterRaw(out, dim, index, sv, accumulate);
  if (!srcT) sv.dispose();
  const d = normDim(op, dim, x.ndim);
  const srcShape = srcT?.shape ?? [];
  return record(out, accumulate ? "ScatterAddBackward" : "ScatterBackward", [x, srcT], [index], (
    g,
    [idx],
  ) => {
    const gx = accumulate ? g : zeroAt(g, d, idx);
    return [gx, srcT?.requiresGrad ? srcGrad(gather(g, d, idx), srcShape) : null];
  });
}

/** src may be larger than index (only its leading corner is read): zero-pad the gradient. */
function srcGrad(g: Tensor, shape: readonly number[]): Tensor {
  if (g.shape.every((s, i) => s === shape[i])) return g;
  const z = filledTensor(shape, 0, g.dtype, g.device);
  if (g.numel) backendOf("scatter", g, z).unary("copy", g, { ...z, shape: g.shape });
  const corner = g.shape;
  return record(z, "ScatterSrcBackward", [g], [], (gg) => [
    corner.reduce((t, n, i) => narrow(t, i, 0, n), gg),
  ]);
}

/** Out-of-place torch.scatter (src may be a number). */
export function scatter(x: Tensor, dim: number, index: Tensor, src: Tensor | number): Tensor {
  return scatterOp(x, dim, index, src, false);
}

/** Out-of-place torch.scatter_add. */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  return scatterOp(x, dim, index, src, true);
}

/** Slices along `dim` at the positions of a 1-D int32 index. */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  x.check("indexSelect");
  index.check("indexSelect");
  if (index.ndim > 1) {
    throw new RangeError(`indexSelect: index must be 1-D (got ${fmtShape(index.shape)})`);
  }
  const d = normDim("indexSelect", dim, x.ndim);
  const n = index.numel;
  const viewShape = x.shape.map((_, i) => (i === d ? n : 1));
  const outShape = x.shape.map((s, i) => (i === d ? n : s));
  if (x.ndim === 0) {
    // As in PyTorch, a zero-dim input gives a zero-dim result (one index, 0 or -1).
    if (n !== 1) {
      throw new RangeError(`indexSelect: a zero-dim input takes one index (got ${n})`);
    }
    const i0 = reshape(index, []);
    const out = gather(x, 0, i0, "indexSelect");
    i0.dispose();
    return out;
  }
  const iv = reshape(index, viewShape);
  const ie = expand(iv, outShape);
  const out = gather(x, d, ie, "indexSelect");
  iv.dispose();
  ie.dispose();
  return out;
}

/** Reverses the order of elements along `dims` (a copy, as in PyTorch). */
export function flip(x: Tensor, dims: number | number[]): Tensor {
  const ds = normDims("flip", dims, x.ndim);
  let offset = x.offset;
  const strides = x.strides.map((s, i) => {
    if (!ds.includes(i) || x.shape[i] === 0) return s;
    offset += (x.shape[i] - 1) * s;
    return -s;
  });
  retain(x.storage);
  const v = new Tensor(x.storage, x.shape, strides, offset, x.base ?? x);
  const out = contiguousCopy(v);
  v.dispose();
  return record(out, "FlipBackward", [x], [], (g) => [flip(g, ds)]);
}

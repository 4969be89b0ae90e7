/** Matrix products with PyTorch's 1-D, 2-D and broadcast-batched rules. */
import type { Strided } from "../backend/backend.ts";
import { record } from "../autograd/function.ts";
import { noGrad } from "../autograd/grad_mode.ts";
import { scope } from "../tensor/memory.ts";
import { broadcastShapes, fmtShape, numelOf, viewStrides } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { backendOf, emptyTensor } from "./dispatch.ts";
import { contiguousCopy } from "./convert.ts";
import { expand, reshape, squeeze, transpose, unsqueeze } from "./view.ts";
import { sumTo } from "./reduce.ts";

/** Views `t` as [B, R, C] (collapsing leading dims), copying only when strides forbid it. */
function as3d(t: Tensor, b: number, r: number, c: number): [Strided, Tensor | null] {
  const strides = viewStrides(t.shape, t.strides, [b, r, c]);
  if (strides) return [{ storage: t.storage, shape: [b, r, c], strides, offset: t.offset }, null];
  const copy = contiguousCopy(t);
  return [{ storage: copy.storage, shape: [b, r, c], strides: [r * c, c, 1], offset: 0 }, copy];
}

/** a @ b for a: [...batch, M, K], b: [...batch, K, N] (both at least 2-D), no autograd. */
function matmulRaw(a: Tensor, b: Tensor): Tensor {
  const be = backendOf("matmul", a, b);
  if (a.dtype !== b.dtype) {
    throw new TypeError(
      `matmul: expected both operands to have the same dtype, but got ${a.dtype} and ${b.dtype}`,
    );
  }
  const M = a.shape[a.ndim - 2], K = a.shape[a.ndim - 1];
  const K2 = b.shape[b.ndim - 2], N = b.shape[b.ndim - 1];
  if (K !== K2) {
    throw new RangeError(
      `matmul: shapes ${fmtShape(a.shape)} and ${
        fmtShape(b.shape)
      } cannot be multiplied (${M}x${K} and ${K2}x${N})`,
    );
  }
  let batch: number[];
  try {
    batch = broadcastShapes("matmul", a.shape.slice(0, -2), b.shape.slice(0, -2));
  } catch (e) {
    throw new RangeError(
      `matmul: batch dims of ${fmtShape(a.shape)} and ${fmtShape(b.shape)} cannot be ` +
        `broadcast together (${(e as Error).message.replace(/^matmul: /, "")})`,
    );
  }
  const B = numelOf(batch);
  const out = emptyTensor([...batch, M, N], a.dtype, a.device);
  if (out.numel === 0) return out;
  if (K === 0) {
    be.fill(out, 0);
    return out;
  }
  const temps: Tensor[] = [];
  let a3: Strided, b3: Strided;
  if (b.ndim === 2) {
    // Fold the batch into rows: one big 2-D product instead of B small ones.
    const [v, c] = as3d(a, 1, B * M, K);
    a3 = v;
    if (c) temps.push(c);
    const [w, d] = as3d(b, 1, K, N);
    b3 = w;
    if (d) temps.push(d);
  } else {
    const ae = noGrad(() => expand(a, [...batch, M, K]));
    const bE = noGrad(() => expand(b, [...batch, K, N]));
    temps.push(ae, bE);
    const [v, c] = as3d(ae, B, M, K);
    const [w, d] = as3d(bE, B, K, N);
    a3 = v;
    b3 = w;
    if (c) temps.push(c);
    if (d) temps.push(d);
  }
  be.matmul(a3, b3, out.storage);
  for (const t of temps) t.dispose();
  return out;
}

function matmulNd(a: Tensor, b: Tensor): Tensor {
  const out = matmulRaw(a, b);
  const as = a.shape, bs = b.shape;
  return record(out, "MmBackward", [a, b], [a, b], (g, [av, bv]) => [
    a.requiresGrad ? sumTo(matmul(g, transpose(bv, -1, -2)), as) : null,
    b.requiresGrad ? sumTo(matmul(transpose(av, -1, -2), g), bs) : null,
  ]);
}

/** torch.matmul. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  a.check("matmul");
  b.check("matmul");
  if (a.ndim === 0 || b.ndim === 0) {
    throw new RangeError(
      `matmul: both arguments need at least 1 dim (got ${fmtShape(a.shape)} and ${
        fmtShape(b.shape)
      })`,
    );
  }
  if (a.ndim === 1 && b.ndim === 1) {
    if (a.shape[0] !== b.shape[0]) {
      throw new RangeError(
        `matmul: 1-D tensors must have the same size (got ${a.shape[0]} and ${b.shape[0]})`,
      );
    }
    return scope(() => reshape(matmulNd(reshape(a, [1, -1]), reshape(b, [-1, 1])), []));
  }
  if (a.ndim === 1) return scope(() => squeeze(matmulNd(unsqueeze(a, 0), b), -2));
  if (b.ndim === 1) return scope(() => squeeze(matmulNd(a, unsqueeze(b, -1)), -1));
  return matmulNd(a, b);
}

/** 2-D matrix product. */
export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 2 || b.ndim !== 2) {
    throw new RangeError(
      `mm: expected 2-D tensors, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
    );
  }
  return matmulNd(a, b);
}

/** Batched product of 3-D tensors with equal batch sizes. */
export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 3 || b.ndim !== 3 || a.shape[0] !== b.shape[0]) {
    throw new RangeError(
      `bmm: expected 3-D tensors with the same batch size, got ${fmtShape(a.shape)} and ${
        fmtShape(b.shape)
      }`,
    );
  }
  return matmulNd(a, b);
}

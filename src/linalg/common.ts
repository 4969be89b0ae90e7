/**
 * What every `linalg` function shares: input checks worded like PyTorch's, access to the
 * device's factorization kernels, batch flattening to the kernels' 3-D views, and small
 * matrix helpers used by forward and backward formulas alike.
 */
import type { LinalgKernels } from "../backend/linalg_kernels.ts";
import { type DType, isFloating } from "../tensor/dtype.ts";
import { eye } from "../tensor/creation.ts";
import { fmtShape, numelOf } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { backendOf, emptyTensor } from "../ops/dispatch.ts";
import { add, compare, mul } from "../ops/elementwise.ts";
import { diagEmbed, diagonal, tril } from "../ops/linalg.ts";
import { matmul } from "../ops/matmul.ts";
import { expand, reshape, transpose } from "../ops/view.ts";

/** The device's factorization kernels, or an error naming the op and the device. */
export function kernelsFor(op: string, t: Tensor): LinalgKernels {
  const k = backendOf(op, t).linalg;
  if (!k) {
    throw new Error(
      `${op}: the ${t.device} backend has no linalg kernels; move the input to "cpu" first`,
    );
  }
  return k;
}

/** Throws unless `x` is a float tensor (`what` names it in the message). */
export function checkFloat(op: string, x: Tensor, what = "input"): void {
  x.check(op);
  if (!isFloating(x.dtype)) {
    throw new TypeError(
      `${op}: Expected a floating point tensor as ${what}. Got ${x.dtype} (shape ${
        fmtShape(x.shape)
      })`,
    );
  }
}

/** Throws unless `x` is a float tensor of matrices [..., m, n] (square ones with `square`). */
export function checkMatrix(op: string, x: Tensor, square = false, what = "A"): void {
  x.check(op);
  if (x.ndim < 2) {
    throw new RangeError(
      `${op}: The input tensor ${what} must have at least 2 dimensions (got shape ${
        fmtShape(x.shape)
      })`,
    );
  }
  checkFloat(op, x, what === "A" ? "input" : what);
  const [m, n] = x.shape.slice(-2);
  if (square && m !== n) {
    throw new RangeError(
      `${op}: ${what} must be batches of square matrices, but they are ${m} by ${n} matrices ` +
        `(shape ${fmtShape(x.shape)})`,
    );
  }
}

/** Throws unless `a` and `b` share a dtype. */
export function checkSameDType(op: string, a: Tensor, b: Tensor, names = ["A", "B"]): void {
  if (a.dtype !== b.dtype) {
    throw new TypeError(
      `${op}: Expected ${names[0]} and ${names[1]} to have the same dtype, but found ` +
        `${names[0]} of type ${a.dtype} and ${names[1]} of type ${b.dtype} instead`,
    );
  }
}

/** `x` [..., r, c] as [B, r, c] (a view when the batch dims merge, else a copy). */
export function as3d(x: Tensor): Tensor {
  const [r, c] = x.shape.slice(-2);
  return reshape(x, [numelOf(x.shape.slice(0, -2)), r, c]);
}

/** `x` [..., n] as [B, n]. */
export function as2d(x: Tensor): Tensor {
  return reshape(x, [numelOf(x.shape.slice(0, -1)), x.shape[x.ndim - 1]]);
}

/** `x` [...] as [B]. */
export function as1d(x: Tensor): Tensor {
  return reshape(x, [x.numel]);
}

/** A new contiguous tensor for a kernel to fill. */
export function output(shape: readonly number[], dtype: DType, like: Tensor): Tensor {
  return emptyTensor(shape, dtype, like.device);
}

/** The transpose of the last two dims (PyTorch's `mT`), a view. */
export function mT(x: Tensor): Tensor {
  return transpose(x, -2, -1);
}

/** Identity matrices n×n broadcast to `batch` (a stride-0 view of one identity). */
export function eyeBatch(n: number, batch: readonly number[], like: Tensor): Tensor {
  const i = eye(n, n, { dtype: like.dtype, device: like.device });
  const e = expand(i, [...batch, n, n]);
  i.dispose();
  return e;
}

/**
 * E[i, j] = x[j] − x[i] off the diagonal and 1 on it: the divisor of the eigenvector and
 * singular vector gradients, whose numerators are zero on the diagonal.
 */
export function pairGaps(x: Tensor): Tensor {
  const n = x.shape[x.ndim - 1];
  return add(add(x.unsqueeze(-2), mul(x.unsqueeze(-1), -1)), eyeBatch(n, [], x));
}

/** Machine epsilon of a float dtype (PyTorch's `finfo(dtype).eps`). */
export function epsOf(dtype: DType): number {
  return dtype === "float64" ? 2 ** -52 : 2 ** -23;
}

/** X − Xᵀ. */
export function skew(x: Tensor): Tensor {
  return add(x, mul(mT(x), -1));
}

/** The symmetric matrix whose lower triangle is tril(X): tril(X) + tril(X, −1)ᵀ. */
export function copyLowerToUpper(x: Tensor): Tensor {
  return add(tril(x), mT(tril(x, -1)));
}

/** Diagonal of the last two dims, as [..., n]. */
export function diag(x: Tensor): Tensor {
  return diagonal(x, 0, -2, -1);
}

/** Matrices with `v` [..., n] on their diagonal. */
export function diagMat(v: Tensor): Tensor {
  return diagEmbed(v, 0, -2, -1);
}

/** V · diag(d) · Vᵀ for V [..., n, n] and d [..., n]. */
export function congruence(v: Tensor, d: Tensor, vt: Tensor = mT(v)): Tensor {
  return matmul(mul(v, d.unsqueeze(-2)), vt);
}

/** ±1 with the sign of `x`, 1 at zero (the sign a gauge fix multiplies by). */
export function signOrOne(x: Tensor): Tensor {
  return add(mul(compare("lt", x, 0).to(x.dtype), -2), 1);
}

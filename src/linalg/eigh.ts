/**
 * `eigh` and `eigvalsh`: symmetric eigen-decomposition read from one triangle (Jacobi
 * rotations on every backend), eigenvalues ascending as in PyTorch, with PyTorch 1.13's
 * gradients: V·diag(ḡλ)·Vᵀ for the eigenvalues and V·(skew(VᵀḠ)/2 ⊘ (λⱼ − λᵢ))·Vᵀ for the
 * eigenvectors.
 */
import { record } from "../autograd/function.ts";
import { noGrad } from "../autograd/grad_mode.ts";
import { scope } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { abs, div, mul } from "../ops/elementwise.ts";
import { gather } from "../ops/index.ts";
import { matmul } from "../ops/matmul.ts";
import { sort } from "../ops/sort.ts";
import { reshape } from "../ops/view.ts";
import {
  as3d,
  checkMatrix,
  congruence,
  copyLowerToUpper,
  kernelsFor,
  mT,
  output,
  pairGaps,
  signOrOne,
  skew,
} from "./common.ts";

/** `eigh`'s result: ascending eigenvalues and the eigenvectors as columns. */
export type EighResult = [Tensor, Tensor] & { eigenvalues: Tensor; eigenvectors: Tensor };

/** Which triangle of the input is read: "L" (lower, default) or "U" (upper). */
export type UPLO = "L" | "U";

/** Options of `eigh` and `eigvalsh`. */
export interface EighOptions {
  /** The triangle read (default "L"). */
  UPLO?: UPLO;
}

/**
 * Each column of `v` [..., r, c] multiplied by ±1 so its largest-magnitude entry is positive.
 * Eigen- and singular vectors are only defined up to sign; fixing it this way makes every
 * device return the same vectors (LAPACK's choice, PyTorch's, is not reproducible).
 */
export function fixSigns(v: Tensor): Tensor {
  return scope(() => {
    const at = abs(v).argmax(-2, true);
    return mul(v, signOrOne(gather(v, -2, at)));
  });
}

/** Eigenvalues ascending and eigenvectors of A's chosen triangle (no autograd). */
function eighRaw(op: string, a: Tensor, uplo: UPLO): [Tensor, Tensor] {
  if (uplo !== "L" && uplo !== "U") {
    throw new RangeError(`${op}: Expected UPLO argument to be 'L' or 'U', but got ${uplo}`);
  }
  checkMatrix(op, a, true);
  const k = kernelsFor(op, a);
  const n = a.shape[a.ndim - 1], batch = a.shape.slice(0, -2);
  return noGrad(() =>
    scope(() => {
      const sym = as3d(copyLowerToUpper(uplo === "L" ? a : mT(a)));
      const w = output([sym.shape[0], n], a.dtype, a);
      const v = output(sym.shape, a.dtype, a);
      k.eigh(sym, w.storage, v.storage);
      const [ws, idx] = sort(w, -1);
      const vs = fixSigns(gather(v, -1, idx.unsqueeze(-2).expand(v.shape)));
      return [reshape(ws, [...batch, n]), reshape(vs, a.shape)];
    })
  );
}

/** Records the eigenvalues' node: Ā = V·diag(ḡ)·Vᵀ. */
function recordValues(w: Tensor, a: Tensor, v: Tensor): Tensor {
  return record(w, "LinalgEighBackward", [a], [v], (g, [vs]) => [congruence(vs, g)]);
}

/**
 * The eigenvalues (ascending) and orthonormal eigenvectors (columns) of symmetric matrices
 * A [..., n, n], like `torch.linalg.eigh`; only the `UPLO` triangle is read. The signs of the
 * eigenvectors are fixed so that each one's largest-magnitude entry is positive (PyTorch's
 * signs come from LAPACK and are arbitrary). Repeated eigenvalues make the eigenvectors'
 * gradient infinite or NaN, as in PyTorch.
 */
export function eigh(a: Tensor, opts: EighOptions = {}): EighResult {
  const [w, v] = eighRaw("linalg.eigh", a, opts.UPLO ?? "L");
  recordValues(w, a, v);
  record(v, "LinalgEighBackward", [a], [w, v], (g, [ws, vs]) => {
    const inner = div(mul(skew(matmul(mT(vs), g)), 0.5), pairGaps(ws));
    return [matmul(matmul(vs, inner), mT(vs))];
  });
  return Object.assign([w, v] as [Tensor, Tensor], { eigenvalues: w, eigenvectors: v });
}

/** The eigenvalues (ascending) of symmetric matrices A [..., n, n], like `torch.linalg.eigvalsh`. */
export function eigvalsh(a: Tensor, opts: EighOptions = {}): Tensor {
  const [w, v] = eighRaw("linalg.eigvalsh", a, opts.UPLO ?? "L");
  recordValues(w, a, v);
  v.dispose();
  return w;
}

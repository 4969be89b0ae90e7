/**
 * The batched dense-factorization kernels behind `linalg`, the error they raise on singular or
 * non-positive-definite inputs, and its PyTorch-worded messages. Each device implements the
 * kernels once; everything else in `linalg` (inverses, determinants, norms, SVD ordering,
 * gradients) is composed above them.
 */
import type { Storage, Strided } from "./backend.ts";

/** What a failed factorization means for the op that needed it. */
export type LinalgFailure =
  /** LU found a zero pivot while inverting (`info` = 1-based index of U's zero diagonal). */
  | "inverse"
  /** LU found a zero pivot while solving a system. */
  | "solve"
  /** Cholesky met a leading minor that is not positive-definite (`info` = its order). */
  | "cholesky"
  /** The SVD's input holds NaN (PyTorch's LAPACK driver then fails to converge). */
  | "svd";

/** A data-dependent check of factorization `info` codes. */
export interface InfoCheck {
  /** The public op named in the message, as PyTorch names it (`linalg.inv`). */
  op: string;
  /** What failed. */
  failure: LinalgFailure;
  /** Whether the input had batch dims (PyTorch then names the first failing batch element). */
  batched: boolean;
}

/** Raised when a factorization fails on the data, like `torch.linalg.LinAlgError`. */
export class LinAlgError extends Error {
  /** Builds the error with its message. */
  constructor(message: string) {
    super(message);
    this.name = "LinAlgError";
  }
}

/** PyTorch 1.13's message for the first non-zero `info` (at batch element `batch`). */
export function infoMessage(check: InfoCheck, batch: number, info: number): string {
  const where = check.batched ? `(Batch element ${batch}): ` : "";
  const why = check.failure === "inverse"
    ? `The diagonal element ${info} is zero, the inversion could not be completed because the ` +
      "input matrix is singular."
    : check.failure === "solve"
    ? "The solver failed because the input matrix is singular."
    : check.failure === "svd"
    ? "The algorithm failed to converge because the input matrix contained non-finite values."
    : "The factorization could not be completed because the input is not positive-definite " +
      `(the leading minor of order ${info} is not positive-definite).`;
  return `${check.op}: ${where}${why}`;
}

/**
 * Batched factorizations over float tensors. Matrix arguments are 3-D views [batch, rows, cols]
 * with any strides; `pivots` and `info` are int32; outputs are contiguous and fully overwritten.
 * Results may be computed in higher precision than the dtype.
 */
export interface LinalgKernels {
  /**
   * LU with partial pivoting, like LAPACK getrf: `lu` [B, n, n] holds unit-lower L below the
   * diagonal and U on and above it, `pivots` [B, n] the 1-based row swapped with row i at step
   * i, `info` [B] the 1-based index of U's first zero diagonal element (0: none).
   */
  luFactor(a: Strided, lu: Storage, pivots: Storage, info: Storage): void;
  /**
   * Solves A X = B (or Aᵀ X = B with `adjoint`) from `luFactor`'s output: `lu` [B, n, n],
   * `pivots` [B, n], `b` [B, n, k] → `out` [B, n, k].
   */
  luSolve(lu: Strided, pivots: Strided, b: Strided, adjoint: boolean, out: Storage): void;
  /**
   * Solves A X = B for triangular A [B, n, n] (only the `upper` or lower triangle is read; a
   * `unitDiagonal` is not read either) and b [B, n, k] → out [B, n, k]. Zero diagonals give
   * infinities and NaNs, as LAPACK's trsm does.
   */
  triangularSolve(
    a: Strided,
    b: Strided,
    upper: boolean,
    unitDiagonal: boolean,
    out: Storage,
  ): void;
  /**
   * Cholesky factor L (zeros above the diagonal) of the matrix whose lower triangle `a` [B, n, n]
   * holds; `info` [B] as LAPACK potrf (0, or the order of the first minor that is not
   * positive-definite).
   */
  cholesky(a: Strided, out: Storage, info: Storage): void;
  /**
   * Householder QR of a [B, m, n] with LAPACK geqrf's signs (R's diagonal is −sign(a_kk)·‖x‖):
   * `r` [B, k, n] and, when not null, `q` [B, m, k], where k = m if `complete` else min(m, n).
   */
  qr(a: Strided, q: Storage | null, r: Storage, complete: boolean): void;
  /**
   * Eigen-decomposition of the symmetric a [B, n, n] (both triangles are read): eigenvalues
   * `w` [B, n] in any order, orthonormal eigenvectors as the matching columns of `v` [B, n, n].
   */
  eigh(a: Strided, w: Storage, v: Storage): void;
  /**
   * Right singular vectors of a [B, m, n] with m >= n: an orthogonal `v` [B, n, n] (columns in
   * any order) such that the columns of `av` = A·V [B, m, n] are mutually orthogonal; their
   * norms are the singular values.
   */
  svdRight(a: Strided, av: Storage, v: Storage): void;
  /**
   * Raises `LinAlgError` for the first batch element whose `info` [B] is non-zero. The CPU
   * throws at once; a GPU may report it at the next readback.
   */
  checkInfo(info: Strided, check: InfoCheck): void;
}

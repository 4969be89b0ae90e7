/**
 * `torch.linalg`: decompositions (LU-based inverse, solve and determinants, Cholesky, QR,
 * symmetric eigen-decomposition, SVD), what is built on them (pseudo-inverse, least squares,
 * rank, condition numbers, matrix powers) and norms, batched over leading dims, for float32
 * and float64 on every device, with PyTorch 1.13's gradients.
 *
 * @example
 * ```ts
 * import { linalg, randn } from "./mod.ts";
 * const a = randn([4, 3, 3]);
 * const [q, r] = linalg.qr(a);
 * const { eigenvalues } = linalg.eigh(a.matmul(a.transpose(-2, -1)));
 * ```
 * @module
 */
export { LinAlgError } from "../backend/linalg_kernels.ts";
export {
  det,
  inv,
  invEx,
  type InvExResult,
  matrixPower,
  slogdet,
  type SlogdetResult,
  solve,
  type SolveOptions,
} from "./lu.ts";
export {
  cholesky,
  choleskyEx,
  type CholeskyExResult,
  type CholeskyOptions,
  solveTriangular,
  type SolveTriangularOptions,
} from "./cholesky.ts";
export { qr, type QRMode, type QROptions, type QRResult } from "./qr.ts";
export { eigh, type EighOptions, type EighResult, eigvalsh, type UPLO } from "./eigh.ts";
export {
  lstsq,
  type LstsqOptions,
  type LstsqResult,
  matrixRank,
  pinv,
  type RankTolerances,
  svd,
  type SVDOptions,
  type SVDResult,
  svdvals,
  type Tolerance,
} from "./svd.ts";
export {
  cond,
  matrixNorm,
  type MatrixNormOptions,
  type MatrixOrd,
  norm,
  type NormOptions,
  vectorNorm,
  type VectorNormOptions,
} from "./norms.ts";
export {
  cross,
  diagonal,
  type DiagonalOptions,
  type DimOptions,
  matmul,
  multiDot,
  vecdot,
} from "./aliases.ts";

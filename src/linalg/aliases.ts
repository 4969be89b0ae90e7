/**
 * The `torch.linalg` names of ops that live elsewhere (`matmul`, `multiDot`) or whose
 * `linalg` form has other defaults (`cross` and `diagonal` work on the last dims).
 */
import { scope } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { mul } from "../ops/elementwise.ts";
import { cross as torchCross, diagonal as torchDiagonal } from "../ops/linalg.ts";
import { sum } from "../ops/reduce.ts";

export { matmul } from "../ops/matmul.ts";
export { multiDot } from "../ops/linalg.ts";

/** Options of `linalg.cross` and `linalg.vecdot`. */
export interface DimOptions {
  /** The dim (default -1). */
  dim?: number;
}

/** Options of `linalg.diagonal`. */
export interface DiagonalOptions {
  /** Offset from the main diagonal (default 0). */
  offset?: number;
  /** First matrix dim (default -2). */
  dim1?: number;
  /** Second matrix dim (default -1). */
  dim2?: number;
}

/** Cross product of 3-vectors along `dim` (default -1), like `torch.linalg.cross`. */
export function cross(a: Tensor, b: Tensor, opts: DimOptions = {}): Tensor {
  return torchCross(a, b, opts.dim ?? -1);
}

/** The diagonals of the matrices over dims -2, -1 as a view, like `torch.linalg.diagonal`. */
export function diagonal(a: Tensor, opts: DiagonalOptions = {}): Tensor {
  return torchDiagonal(a, opts.offset ?? 0, opts.dim1 ?? -2, opts.dim2 ?? -1);
}

/** Dot products of x and y along `dim` (default -1), broadcasting, like `torch.linalg.vecdot`. */
export function vecdot(x: Tensor, y: Tensor, opts: DimOptions = {}): Tensor {
  return scope(() => sum(mul(x, y), opts.dim ?? -1));
}

/**
 * Norms: `vectorNorm`, `matrixNorm` ("fro", "nuc", ±1, ±2, ±inf), `norm` (which picks between
 * them as `torch.linalg.norm` does) and `cond`. Vector norms reuse the reduction kernels and
 * their gradients; the spectral and nuclear norms go through `svdvals`.
 */
import { scope } from "../tensor/memory.ts";
import { type DType, isFloating } from "../tensor/dtype.ts";
import { fmtShape, normDim } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { to } from "../ops/convert.ts";
import { abs, compare, div, mul, where } from "../ops/elementwise.ts";
import { amax, amin, norm as pnorm, sum } from "../ops/reduce.ts";
import { movedim } from "../ops/shape_extra.ts";
import { narrow, squeeze, unsqueeze } from "../ops/view.ts";
import { checkFloat, checkMatrix } from "./common.ts";
import { invEx } from "./lu.ts";
import { svdvals } from "./svd.ts";

/** A matrix norm's order: "fro", "nuc", or ±1, ±2, ±Infinity. */
export type MatrixOrd = "fro" | "nuc" | number;

/** Options of `vectorNorm`. */
export interface VectorNormOptions {
  /** The order p (default 2; Infinity, -Infinity and 0 included). */
  ord?: number;
  /** Dims to reduce (default: all). */
  dim?: number | number[] | null;
  /** Keep reduced dims with size 1 (default false). */
  keepdim?: boolean;
  /** Convert the input to this float dtype first. */
  dtype?: DType | null;
}

/** Options of `matrixNorm`. */
export interface MatrixNormOptions {
  /** The order (default "fro"). */
  ord?: MatrixOrd;
  /** The two matrix dims (default [-2, -1]). */
  dim?: [number, number];
  /** Keep reduced dims with size 1 (default false). */
  keepdim?: boolean;
}

/** Options of `norm`. */
export interface NormOptions {
  /** The order: a number (vector or matrix norm) or "fro" / "nuc" (matrix norm). */
  ord?: MatrixOrd | null;
  /** One dim (vector norm) or two (matrix norm); default: see `norm`. */
  dim?: number | number[] | null;
  /** Keep reduced dims with size 1 (default false). */
  keepdim?: boolean;
}

/**
 * The vector p-norm of x over `dim` (default: all elements), like
 * `torch.linalg.vector_norm`: (Σ|x|^p)^(1/p), max|x| for Infinity, min|x| for -Infinity, the
 * count of non-zeros for 0. Float inputs only.
 */
export function vectorNorm(x: Tensor, opts: VectorNormOptions = {}): Tensor {
  const op = "linalg.vector_norm";
  const { ord = 2, dim = null, keepdim = false, dtype = null } = opts;
  if (typeof ord !== "number") {
    throw new TypeError(`${op}: ord must be a number, got ${JSON.stringify(ord)}`);
  }
  checkFloat(op, x);
  if (dtype && !isFloating(dtype)) {
    throw new TypeError(`${op}: dtype should be a floating point type (got ${dtype})`);
  }
  return scope(() => {
    const xx = dtype && dtype !== x.dtype ? to(x, dtype) : x;
    return pnorm(xx, ord, dim ?? undefined, keepdim);
  });
}

/**
 * The matrix norm of A over the dims `dim` (default the last two), like
 * `torch.linalg.matrix_norm`: "fro" (Frobenius), "nuc" (sum of singular values), 2 / −2 (largest
 * / smallest singular value), 1 / −1 (max / min column sum of |a|), Infinity / −Infinity (max /
 * min row sum of |a|).
 */
export function matrixNorm(a: Tensor, opts: MatrixNormOptions = {}): Tensor {
  const op = "linalg.matrix_norm";
  const { ord = "fro", dim = [-2, -1], keepdim = false } = opts;
  checkMatrix(op, a);
  if (!Array.isArray(dim) || dim.length !== 2) {
    throw new RangeError(`${op}: dim must be a 2-tuple of ints, got ${JSON.stringify(dim)}`);
  }
  const d0 = normDim(op, dim[0], a.ndim), d1 = normDim(op, dim[1], a.ndim);
  if (d0 === d1) {
    throw new RangeError(`${op}: dims must be different. Got (${dim[0]}, ${dim[1]})`);
  }
  if (ord === "fro") return vectorNorm(a, { ord: 2, dim: [d0, d1], keepdim });
  const spectral = ord === "nuc" || ord === 2 || ord === -2;
  if (!spectral && ord !== 1 && ord !== -1 && ord !== Infinity && ord !== -Infinity) {
    throw new RangeError(`${op}: Order ${ord} not supported.`);
  }
  return scope(() => {
    if (spectral) {
      const s = svdvals(movedim(a, [d0, d1], [-2, -1]));
      let r = ord === "nuc" ? sum(s, -1) : ord === 2 ? amax(s, -1) : amin(s, -1);
      if (keepdim) { for (const d of [d0, d1].sort((x, y) => x - y)) r = unsqueeze(r, d); }
      return r;
    }
    // Order ±1 sums over rows (d0) and picks among columns; ±inf the other way round.
    const [inner, outer] = ord === 1 || ord === -1 ? [d0, d1] : [d1, d0];
    const sums = sum(abs(a), inner, true);
    const r = (ord as number) > 0 ? amax(sums, outer, true) : amin(sums, outer, true);
    return keepdim ? r : squeeze(r, [d0, d1]);
  });
}

/**
 * `torch.linalg.norm`: with `dim` a number or one dim, a vector norm (ord default 2); with two
 * dims, a matrix norm (ord default "fro"). Without `dim`: the 2-norm of all elements when `ord`
 * is not given, else a vector norm of a 1-D input or a matrix norm of a 2-D one.
 */
export function norm(a: Tensor, opts: NormOptions = {}): Tensor {
  const op = "linalg.norm";
  const { ord = null, dim = null, keepdim = false } = opts;
  a.check(op);
  const dims = dim === null ? null : typeof dim === "number" ? [dim] : dim;
  if (dims !== null && dims.length !== 1 && dims.length !== 2) {
    throw new RangeError(
      `${op}: If dim is specified, it must be of length 1 or 2. Got ${JSON.stringify(dim)}`,
    );
  }
  const matrix = dims ? dims.length === 2 : ord !== null && a.ndim === 2;
  if (dims === null && ord !== null && a.ndim !== 1 && a.ndim !== 2) {
    throw new RangeError(
      `${op}: If dim is not specified but ord is, the input must be 1D or 2D. Got ${a.ndim}D ` +
        `(shape ${fmtShape(a.shape)}).`,
    );
  }
  if (matrix) {
    return matrixNorm(a, {
      ord: ord ?? "fro",
      dim: (dims ?? [-2, -1]) as [number, number],
      keepdim,
    });
  }
  if (typeof ord === "string") {
    throw new RangeError(
      `${op}: order "${ord}" is a matrix norm; it needs a 2-D input or two dims (shape ` +
        `${fmtShape(a.shape)})`,
    );
  }
  return vectorNorm(a, { ord: ord ?? 2, dim: dims, keepdim });
}

/**
 * The condition number of A [..., m, n] in the norm `p`, like `torch.linalg.cond`: σmax/σmin
 * for p = 2 (default) and σmin/σmax for −2 (any shape); otherwise ‖A‖·‖A⁻¹‖ for square A
 * ("fro", "nuc", ±1, ±inf), infinite where A is singular.
 */
export function cond(a: Tensor, p: MatrixOrd | null = null): Tensor {
  const op = "linalg.cond";
  checkMatrix(op, a);
  if (p === null || p === 2 || p === -2) {
    return scope(() => {
      const s = svdvals(a);
      const k = s.shape[s.ndim - 1];
      const first = squeeze(narrow(s, -1, 0, 1), -1), last = squeeze(narrow(s, -1, k - 1, 1), -1);
      return p === -2 ? div(last, first) : div(first, last);
    });
  }
  checkMatrix(`${op}(ord=${p})`, a, true);
  return scope(() => {
    const [inverse, info] = invEx(a);
    const r = mul(matrixNorm(a, { ord: p }), matrixNorm(inverse, { ord: p }));
    return where(compare("gt", info, 0), Infinity, r);
  });
}

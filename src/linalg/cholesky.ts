/**
 * Triangular systems and the Cholesky family: `solveTriangular`, `cholesky`, `choleskyEx`,
 * `choleskySolve` and `choleskyInverse`, with PyTorch 1.13's gradients (the triangular solve's
 * projected −A⁻ᵀ G Xᵀ, Iain Murray's symmetrized Cholesky backward, and PyTorch's formulas for
 * cholesky_solve and cholesky_inverse, which treat L as a full matrix).
 */
import { record } from "../autograd/function.ts";
import { noGrad } from "../autograd/grad_mode.ts";
import { scope } from "../tensor/memory.ts";
import { broadcastShapes, fmtShape } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { contiguous } from "../ops/convert.ts";
import { add, mul, neg } from "../ops/elementwise.ts";
import { tril, triu } from "../ops/linalg.ts";
import { matmul } from "../ops/matmul.ts";
import { expand } from "../ops/view.ts";
import { checkInfo } from "./lu.ts";
import { as3d, checkMatrix, checkSameDType, eyeBatch, kernelsFor, mT, output } from "./common.ts";

/** `cholesky_ex`'s result: the factor and LAPACK's int32 `info` per matrix. */
export type CholeskyExResult = [Tensor, Tensor] & { L: Tensor; info: Tensor };

/** Options of `solveTriangular` (PyTorch's keyword arguments). */
export interface SolveTriangularOptions {
  /** A is upper triangular (required, as in PyTorch). */
  upper: boolean;
  /** Solve A X = B (default true) or X A = B. */
  left?: boolean;
  /** A's diagonal is taken to be ones and not read (default false). */
  unitriangular?: boolean;
}

/** Options of `cholesky` and `choleskyEx`. */
export interface CholeskyOptions {
  /** Return the upper factor U = Lᵀ (default false); it is computed from A's upper triangle. */
  upper?: boolean;
}

/** Left-side triangular solve on equal batch shapes (no autograd). */
function trsmRaw(a: Tensor, b: Tensor, upper: boolean, unit: boolean): Tensor {
  const k = kernelsFor("linalg.solve_triangular", a);
  return scope(() => {
    const out = output(b.shape, b.dtype, b);
    k.triangularSolve(as3d(a), as3d(b), upper, unit, out.storage);
    return out;
  });
}

/** X with A X = B (`left`) or X A = B, equal batch shapes (no autograd). */
export function trsm(a: Tensor, b: Tensor, upper: boolean, left: boolean, unit: boolean): Tensor {
  if (left) return trsmRaw(a, b, upper, unit);
  return scope(() => contiguous(mT(trsmRaw(mT(a), mT(b), !upper, unit))));
}

/**
 * Solves the triangular system A X = B (or X A = B with `left: false`) for A [..., n, n] and
 * B [..., n, k] ([..., k, n] on the right), broadcasting batch dims, like
 * `torch.linalg.solve_triangular`. Only A's `upper` or lower triangle is read (not its diagonal
 * with `unitriangular`); a zero diagonal gives infinities, not an error, as in PyTorch.
 */
export function solveTriangular(a: Tensor, b: Tensor, opts: SolveTriangularOptions): Tensor {
  const op = "linalg.solve_triangular";
  const { upper, left = true, unitriangular = false } = opts;
  if (typeof upper !== "boolean") {
    throw new TypeError(`${op}: the keyword argument upper (a boolean) is required`);
  }
  checkMatrix(op, a, true);
  checkMatrix(op, b, false, "B");
  checkSameDType(op, a, b);
  const n = a.shape[a.ndim - 1];
  const [r, c] = b.shape.slice(-2);
  if ((left ? r : c) !== n) {
    throw new RangeError(
      `${op}: Incompatible shapes of A and B for the equation ${left ? "AX = B" : "XA = B"} ` +
        `(${n}x${n} and ${r}x${c}; shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)})`,
    );
  }
  return scope(() => {
    const batch = broadcastShapes(op, a.shape.slice(0, -2), b.shape.slice(0, -2));
    const ae = expand(a, [...batch, n, n]), be = expand(b, [...batch, r, c]);
    const x = noGrad(() => trsm(ae, be, upper, left, unitriangular));
    const needA = ae.requiresGrad, needB = be.requiresGrad;
    return record(x, "LinalgSolveTriangularBackward", [ae, be], [ae, x], (g, [as, xs]) => {
      const gb = trsm(mT(as), g, !upper, left, unitriangular);
      if (!needA) return [null, gb];
      const ga = left ? neg(matmul(gb, mT(xs))) : neg(matmul(mT(xs), gb));
      const u = unitriangular ? 1 : 0;
      return [upper ? triu(ga, u) : tril(ga, -u), needB ? gb : null];
    });
  });
}

/** The lower Cholesky factor of A's lower triangle (no autograd), with its info. */
function potrf(op: string, a: Tensor): [Tensor, Tensor] {
  const k = kernelsFor(op, a);
  return scope(() => {
    const l = output(a.shape, a.dtype, a);
    const info = output(a.shape.slice(0, -2), "int32", a);
    k.cholesky(as3d(a), l.storage, info.storage);
    return [l, info];
  });
}

/**
 * Shared by `cholesky`, `choleskyEx` and `torch.cholesky`: the factor (upper = Lᵀ, computed
 * from A's upper triangle) and info; `check` raises on a non-positive-definite matrix.
 */
export function choleskyImpl(op: string, a: Tensor, upper: boolean, check: boolean): [
  Tensor,
  Tensor,
] {
  checkMatrix(op, a, true);
  const [l, info] = noGrad(() =>
    scope(() => {
      const [l, info] = potrf(op, upper ? mT(a) : a);
      if (check) checkInfo(info, { op, failure: "cholesky", batched: a.ndim > 2 });
      return [l, info];
    })
  );
  const out = upper ? noGrad(() => contiguous(mT(l))) : l;
  record(out, "LinalgCholeskyExBackward", [a], [l], (g, [ls]) => {
    // Φ(Lᵀ Ḡ) symmetrized and halved, then L⁻ᵀ Φ L⁻¹ (PyTorch 1.13's cholesky_backward).
    const gl = upper ? mT(g) : g;
    let phi = tril(matmul(mT(ls), gl));
    phi = mul(add(phi, mT(tril(phi, -1))), 0.5);
    const left = trsm(mT(ls), phi, true, true, false);
    return [trsm(ls, left, false, false, false)];
  });
  if (out !== l) l.dispose();
  return [out, info];
}

/**
 * The Cholesky factor of each symmetric positive-definite matrix of A [..., n, n], like
 * `torch.linalg.cholesky`: lower L with A = L Lᵀ (only A's lower triangle is read), or with
 * `upper` U = Lᵀ (read from A's upper triangle). A matrix that is not positive-definite raises
 * `LinAlgError` naming the order of the failing leading minor (at the next readback on webgpu).
 */
export function cholesky(a: Tensor, opts: CholeskyOptions = {}): Tensor {
  const [l, info] = choleskyImpl("linalg.cholesky", a, opts.upper ?? false, true);
  info.dispose();
  return l;
}

/**
 * The Cholesky factor without the positive-definiteness check, plus LAPACK's int32 `info`
 * (0: ok; k > 0: the leading minor of order k is not positive-definite and the factor is
 * incomplete), like `torch.linalg.cholesky_ex`.
 */
export function choleskyEx(a: Tensor, opts: CholeskyOptions = {}): CholeskyExResult {
  const [l, info] = choleskyImpl("linalg.cholesky_ex", a, opts.upper ?? false, false);
  return Object.assign([l, info] as [Tensor, Tensor], { L: l, info });
}

/** (L Lᵀ)⁻¹ B, or (Uᵀ U)⁻¹ B with `upper`, on equal batch shapes (no autograd). */
function potrs(b: Tensor, l: Tensor, upper: boolean): Tensor {
  return scope(() => {
    const y = trsmRaw(upper ? mT(l) : l, b, false, false);
    return trsmRaw(upper ? l : mT(l), y, true, false);
  });
}

/**
 * Solves A X = B given A's Cholesky factor, like `torch.cholesky_solve(B, L, upper)`: A = L Lᵀ
 * (only L's lower triangle is read) or A = Uᵀ U with `upper`. B [..., n, k] and L [..., n, n]
 * broadcast over batch dims. The gradient with respect to L is PyTorch's (a full matrix).
 */
export function choleskySolve(b: Tensor, l: Tensor, upper = false): Tensor {
  const op = "cholesky_solve";
  checkMatrix(op, l, true, "input2");
  checkMatrix(op, b, false, "input");
  checkSameDType(op, b, l, ["input", "input2"]);
  const n = l.shape[l.ndim - 1], [r, c] = b.shape.slice(-2);
  if (r !== n) {
    throw new RangeError(
      `${op}: Incompatible matrix sizes for cholesky_solve: each input2 matrix is ${n} by ${n} ` +
        `but each input matrix is ${r} by ${c} (shapes ${fmtShape(b.shape)} and ` +
        `${fmtShape(l.shape)})`,
    );
  }
  return scope(() => {
    const batch = broadcastShapes(op, b.shape.slice(0, -2), l.shape.slice(0, -2));
    const be = expand(b, [...batch, r, c]), le = expand(l, [...batch, n, n]);
    const x = noGrad(() => potrs(be, le, upper));
    const needL = le.requiresGrad;
    return record(x, "CholeskySolveBackward", [be, le], [le, x], (g, [ls, xs]) => {
      const gb = potrs(g, ls, upper);
      if (!needL) return [gb, null];
      const common = add(matmul(gb, mT(xs)), matmul(xs, mT(gb)));
      return [gb, neg(upper ? matmul(ls, common) : matmul(common, ls))];
    });
  });
}

/**
 * The inverse of A = L Lᵀ (A = Uᵀ U with `upper`) from its Cholesky factor [..., n, n], like
 * `torch.cholesky_inverse`, with PyTorch's gradient for L.
 */
export function choleskyInverse(l: Tensor, upper = false): Tensor {
  const op = "cholesky_inverse";
  checkMatrix(op, l, true, "input");
  const n = l.shape[l.ndim - 1];
  const x = noGrad(() => scope(() => potrs(eyeBatch(n, l.shape.slice(0, -2), l), l, upper)));
  return record(x, "CholeskyInverseBackward", [l], [l, x], (g, [ls, xs]) => {
    const common = matmul(xs, matmul(add(g, mT(g)), xs));
    return [neg(upper ? matmul(ls, common) : matmul(common, ls))];
  });
}

/**
 * Everything built on the LU factorization with partial pivoting: `inv`, `invEx`, `solve`,
 * `det`, `slogdet`, `logdet` and `matrixPower`, with PyTorch 1.13's gradients (the inverse's
 * −A⁻ᵀ G A⁻ᵀ, solve's A⁻ᵀ G and −A⁻ᵀ G Xᵀ, det's det·A⁻ᵀ with zero pivots nudged by eps as
 * PyTorch does, slogdet's A⁻ᵀ).
 */
import { record } from "../autograd/function.ts";
import { noGrad } from "../autograd/grad_mode.ts";
import type { InfoCheck } from "../backend/linalg_kernels.ts";
import { arange } from "../tensor/creation.ts";
import { scope } from "../tensor/memory.ts";
import { broadcastShapes, fmtShape } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { abs, add, compare, log, mul, neg, sign, where } from "../ops/elementwise.ts";
import { remainder } from "../ops/math.ts";
import { matmul } from "../ops/matmul.ts";
import { prod, sum } from "../ops/reduce.ts";
import { expand, squeeze, unsqueeze } from "../ops/view.ts";
import { clone, contiguous } from "../ops/convert.ts";
import {
  as1d,
  as2d,
  as3d,
  checkFloat,
  checkMatrix,
  checkSameDType,
  diag,
  diagMat,
  epsOf,
  eyeBatch,
  kernelsFor,
  mT,
  output,
} from "./common.ts";

/** `inv_ex`'s result: the inverse and LAPACK's int32 `info` per matrix. */
export type InvExResult = [Tensor, Tensor] & { inverse: Tensor; info: Tensor };
/** `slogdet`'s result: the determinant's sign and the log of its absolute value. */
export type SlogdetResult = [Tensor, Tensor] & { sign: Tensor; logabsdet: Tensor };

/** Options of `solve`. */
export interface SolveOptions {
  /** Solve A X = B (default true) or X A = B. */
  left?: boolean;
}

interface LU {
  lu: Tensor;
  pivots: Tensor;
  info: Tensor;
}

/** LU of A [..., n, n] (no autograd): factors, 1-based pivots [..., n], info [...]. */
export function luFactorRaw(op: string, a: Tensor): LU {
  const k = kernelsFor(op, a);
  const n = a.shape[a.ndim - 1], batch = a.shape.slice(0, -2);
  return scope(() => {
    const lu = output(a.shape, a.dtype, a);
    const pivots = output([...batch, n], "int32", a);
    const info = output(batch, "int32", a);
    k.luFactor(as3d(a), lu.storage, pivots.storage, info.storage);
    return { lu, pivots, info };
  });
}

/** Raises the LinAlgError of the first failed factorization in `info`. */
export function checkInfo(info: Tensor, check: InfoCheck): void {
  scope(() => kernelsFor(check.op, info).checkInfo(as1d(info), check));
}

/** Solves A X = B (Aᵀ X = B with `adjoint`) from LU factors; b [..., n, k] (no autograd). */
export function luSolveRaw(lu: Tensor, pivots: Tensor, b: Tensor, adjoint: boolean): Tensor {
  const k = kernelsFor("linalg.lu_solve", lu);
  return scope(() => {
    const out = output(b.shape, b.dtype, b);
    k.luSolve(as3d(lu), as2d(pivots), as3d(b), adjoint, out.storage);
    return out;
  });
}

/** (−1)^(number of row swaps) for 1-based LAPACK pivots [..., n], in `dtype`. */
function pivotSign(pivots: Tensor, dtype: Tensor["dtype"]): Tensor {
  return scope(() => {
    const n = pivots.shape[pivots.ndim - 1];
    const rows = arange(1, n + 1, 1, { dtype: "int32", device: pivots.device });
    const swaps = sum(compare("ne", pivots, rows).to(dtype), -1);
    return add(mul(remainder(swaps, 2), -2), 1);
  });
}

/** inv and invEx: the inverse (checked when `check`) and the LU info. */
function invImpl(op: string, a: Tensor, check: boolean): [Tensor, Tensor] {
  checkMatrix(op, a, true);
  const n = a.shape[a.ndim - 1], batch = a.shape.slice(0, -2);
  const [x, info] = noGrad(() =>
    scope(() => {
      const f = luFactorRaw(op, a);
      if (check) checkInfo(f.info, { op, failure: "inverse", batched: batch.length > 0 });
      return [luSolveRaw(f.lu, f.pivots, eyeBatch(n, batch, a), false), f.info];
    })
  );
  record(x, "LinalgInvExBackward", [a], [x], (g, [xs]) => {
    const xt = mT(xs);
    return [neg(matmul(matmul(xt, g), xt))];
  });
  return [x, info];
}

/**
 * The inverse of each square matrix of A [..., n, n], like `torch.linalg.inv`. A singular
 * matrix raises `LinAlgError` ("The diagonal element k is zero…", at the next readback on
 * webgpu). Gradient −A⁻ᵀ G A⁻ᵀ.
 *
 * @example
 * ```ts
 * const ai = linalg.inv(tensor([[4, 7], [2, 6]])); // [[0.6, -0.7], [-0.2, 0.4]]
 * ```
 */
export function inv(a: Tensor): Tensor {
  const [x, info] = invImpl("linalg.inv", a, true);
  info.dispose();
  return x;
}

/**
 * The inverse without the singularity check, plus LAPACK's int32 `info` per matrix (0: ok;
 * k > 0: U's k-th diagonal element is zero), like `torch.linalg.inv_ex`.
 */
export function invEx(a: Tensor): InvExResult {
  const [inverse_, info] = invImpl("linalg.inv_ex", a, false);
  return Object.assign([inverse_, info] as [Tensor, Tensor], { inverse: inverse_, info });
}

/** X = A⁻¹B for A [..., n, n] and B [..., n, k] with equal batch shapes. */
function solveCore(a: Tensor, b: Tensor, batched: boolean): Tensor {
  const [x, lu, pivots] = noGrad(() =>
    scope(() => {
      const f = luFactorRaw("linalg.solve", a);
      checkInfo(f.info, { op: "torch.linalg.solve", failure: "solve", batched });
      return [luSolveRaw(f.lu, f.pivots, b, false), f.lu, f.pivots];
    })
  );
  const needA = a.requiresGrad;
  record(x, "LinalgSolveBackward", [a, b], [lu, pivots, x], (g, [luS, piv, xs]) => {
    const gb = luSolveRaw(luS, piv, g, true);
    return [needA ? neg(matmul(gb, mT(xs))) : null, gb];
  });
  lu.dispose();
  pivots.dispose();
  return x;
}

/**
 * Solves A X = B (or X A = B with `left: false`) for square A [..., n, n], like
 * `torch.linalg.solve`: B is a batch of matrices [..., n, k], or of vectors [..., n] when it is
 * 1-D or has A's shape without its last dim; batch dims broadcast. A singular A raises
 * `LinAlgError`.
 *
 * @example
 * ```ts
 * const x = linalg.solve(tensor([[3, 1], [1, 2]]), tensor([9, 8])); // [2, 3]
 * ```
 */
export function solve(a: Tensor, b: Tensor, opts: SolveOptions = {}): Tensor {
  const op = "linalg.solve";
  const { left = true } = opts;
  checkMatrix(op, a, true);
  checkFloat(op, b, "B");
  checkSameDType(op, a, b);
  const n = a.shape[a.ndim - 1];
  const vector = left &&
    (b.ndim === 1 || (b.ndim === a.ndim - 1 && b.shape.every((s, i) => s === a.shape[i])));
  const bm = vector ? unsqueeze(b, -1) : b;
  const rows = bm.ndim >= 2 ? bm.shape[bm.ndim - (left ? 2 : 1)] : -1;
  if (rows !== n) {
    const [r, c] = bm.ndim >= 2 ? bm.shape.slice(-2) : [bm.shape[0], 1];
    if (bm !== b) bm.dispose();
    throw new RangeError(
      `${op}: Incompatible shapes of A and B for the equation ${left ? "AX = B" : "XA = B"} ` +
        `(${n}x${n} and ${r}x${c}; shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)})`,
    );
  }
  return scope(() => {
    const batch = broadcastShapes(op, a.shape.slice(0, -2), bm.shape.slice(0, -2));
    const ae = expand(a, [...batch, n, n]);
    if (!left) {
      const k = bm.shape[bm.ndim - 2];
      const be = expand(bm, [...batch, k, n]);
      return contiguous(mT(solveCore(mT(ae), mT(be), batch.length > 0)));
    }
    const be = expand(bm, [...batch, ...bm.shape.slice(-2)]);
    const x = solveCore(ae, be, batch.length > 0);
    return vector ? squeeze(x, -1) : x;
  });
}

/** det and slogdet share the LU; `n = 0` gives det 1 (an empty product). */
function factorForDet(op: string, a: Tensor): LU {
  checkMatrix(op, a, true);
  return noGrad(() => luFactorRaw(op, a));
}

/**
 * The determinant of each square matrix of A [..., n, n], like `torch.linalg.det` (from the
 * LU's diagonal and pivot parity). Its gradient is det·A⁻ᵀ, computed as PyTorch 1.13 does (an
 * exactly zero pivot is replaced by eps, so a singular matrix gets a zero gradient).
 */
export function det(a: Tensor): Tensor {
  const f = factorForDet("linalg.det", a);
  const d = noGrad(() => scope(() => mul(prod(diag(f.lu), -1), pivotSign(f.pivots, a.dtype))));
  const eps = epsOf(a.dtype);
  record(d, "LinalgDetBackward", [a], [f.lu, f.pivots, d], (g, [lu, piv, dv]) => {
    const luEps = add(lu, diagMat(mul(compare("eq", diag(lu), 0).to(lu.dtype), eps)));
    const n = lu.shape[lu.ndim - 1];
    const rhs = mul(eyeBatch(n, lu.shape.slice(0, -2), lu), mul(g, dv).unsqueeze(-1).unsqueeze(-1));
    return [luSolveRaw(luEps, piv, rhs, true)];
  });
  for (const t of [f.lu, f.pivots, f.info]) t.dispose();
  return d;
}

/**
 * The sign and the natural log of the absolute value of each determinant of A [..., n, n],
 * like `torch.linalg.slogdet` (sign 0 and logabsdet −inf for a singular matrix). Only
 * `logabsdet` has a gradient (A⁻ᵀ), as in PyTorch for real inputs.
 */
export function slogdet(a: Tensor): SlogdetResult {
  const f = factorForDet("linalg.slogdet", a);
  const [sgn, logabs] = noGrad(() =>
    scope(() => {
      const u = diag(f.lu);
      return [mul(prod(sign(u), -1), pivotSign(f.pivots, a.dtype)), sum(log(abs(u)), -1)];
    })
  );
  record(logabs, "LinalgSlogdetBackward", [a], [f.lu, f.pivots], (g, [lu, piv]) => {
    const n = lu.shape[lu.ndim - 1];
    return [luSolveRaw(lu, piv, diagMat(expand(g.unsqueeze(-1), [...g.shape, n])), true)];
  });
  for (const t of [f.lu, f.pivots, f.info]) t.dispose();
  return Object.assign([sgn, logabs] as [Tensor, Tensor], { sign: sgn, logabsdet: logabs });
}

/**
 * log(det(A)) for real A [..., n, n], like `torch.logdet`: NaN where the determinant is
 * negative, −inf where it is zero.
 */
export function logdet(a: Tensor): Tensor {
  checkMatrix("logdet", a, true);
  return scope(() => {
    const [sgn, logabs] = slogdet(a);
    return where(compare("eq", sgn, -1), NaN, logabs);
  });
}

/**
 * The integer power A^n of square matrices A [..., m, m], like `torch.linalg.matrix_power`:
 * identities for n = 0, powers of the inverse for n < 0 (which raises on a singular A).
 */
export function matrixPower(a: Tensor, n: number): Tensor {
  const op = "linalg.matrix_power";
  checkMatrix(op, a, true);
  if (!Number.isInteger(n)) throw new RangeError(`${op}: n must be an integer (got ${n})`);
  const m = a.shape[a.ndim - 1];
  if (n === 0) return scope(() => contiguous(eyeBatch(m, a.shape.slice(0, -2), a)));
  return scope(() => {
    const base = n < 0 ? inv(a) : a;
    let e = Math.abs(n);
    if (e === 1) return base === a ? clone(a) : base;
    // Square-and-multiply in PyTorch's order, so float rounding matches.
    let result: Tensor | null = null;
    let z: Tensor | null = null;
    while (e > 0) {
      const bit = e % 2;
      e = Math.floor(e / 2);
      z = z ? matmul(z, z) : base;
      if (bit) result = result ? matmul(result, z) : z;
    }
    return result!;
  });
}

/**
 * The singular value decomposition and what is built on it: `svd`, `svdvals`, `pinv`, `lstsq`
 * and `matrixRank`. Every backend runs one-sided Jacobi (`svdRight`: V and A·V with orthogonal
 * columns); the singular values are the column norms, sorted descending, and U comes from a
 * Householder QR of the sorted A·V, which keeps U orthonormal (and completes it for
 * `fullMatrices`) even where singular values vanish. Gradients are PyTorch 1.13's svd_backward,
 * split per output.
 */
import { record } from "../autograd/function.ts";
import { noGrad } from "../autograd/grad_mode.ts";
import { scope } from "../tensor/memory.ts";
import { fmtShape, numelOf } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { contiguous } from "../ops/convert.ts";
import { filledTensor } from "../ops/dispatch.ts";
import {
  abs,
  add,
  compare,
  div,
  maximum,
  mul,
  reciprocal,
  sqrt,
  where,
} from "../ops/elementwise.ts";
import { gather } from "../ops/index.ts";
import { isnan } from "../ops/math.ts";
import { cat } from "../ops/join.ts";
import { matmul } from "../ops/matmul.ts";
import { amax, sum } from "../ops/reduce.ts";
import { sort } from "../ops/sort.ts";
import { narrow, reshape, squeeze, unsqueeze } from "../ops/view.ts";
import { eigh, eigvalsh } from "./eigh.ts";
import { checkInfo } from "./lu.ts";
import {
  as3d,
  checkFloat,
  checkMatrix,
  checkSameDType,
  diag,
  epsOf,
  eyeBatch,
  kernelsFor,
  mT,
  output,
  pairGaps,
  signOrOne,
  skew,
} from "./common.ts";

/** `svd`'s result: U, the singular values S (descending) and Vᵀ. */
export type SVDResult = [Tensor, Tensor, Tensor] & { U: Tensor; S: Tensor; Vh: Tensor };

/** Options of `svd`. */
export interface SVDOptions {
  /** Full square U [m, m] and Vh [n, n] (default true) instead of [m, k] and [k, n]. */
  fullMatrices?: boolean;
}

/** A tolerance: a number, or a tensor broadcasting against the batch dims. */
export type Tolerance = number | Tensor;

/** Singular-value cut-offs of `pinv` and `matrixRank`: σ is kept when σ > max(atol, rtol·σmax). */
export interface RankTolerances {
  /** Absolute tolerance (default 0). */
  atol?: Tolerance | null;
  /**
   * Relative tolerance (default eps·max(m, n) of the dtype, or 0 when only a positive `atol`
   * is given).
   */
  rtol?: Tolerance | null;
  /** A is symmetric: use `eigh` of its lower triangle instead of the SVD (default false). */
  hermitian?: boolean;
}

/** Options of `lstsq`. */
export interface LstsqOptions {
  /** Singular values σ <= rcond·σmax count as zero (default eps·max(m, n) of the dtype). */
  rcond?: number | null;
}

/** `lstsq`'s result (only the solution is computed). */
export interface LstsqResult {
  /** The least-squares (minimum-norm) solution [..., n, k] (or [..., n] for a vector B). */
  solution: Tensor;
}

/** U [.., m, m|k], S [.., k], Vh [.., k|n, n] of A (no autograd); see the module comment. */
function svdRaw(op: string, a: Tensor, full: boolean): [Tensor, Tensor, Tensor] {
  checkMatrix(op, a);
  const kern = kernelsFor(op, a);
  const [m, n] = a.shape.slice(-2), batch = a.shape.slice(0, -2), b = numelOf(batch);
  const tall = m >= n;
  // T = A or Aᵀ is M×N with M >= N; A = U S Vᵀ is read back from T's factors.
  const [bigM, k] = tall ? [m, n] : [n, m];
  return noGrad(() =>
    scope(() => {
      // PyTorch's LAPACK driver fails on NaN (not on infinities); so does this SVD.
      if (m * n > 0) {
        const nan = amax(isnan(a).to("int32"), [-2, -1]);
        checkInfo(nan, { op: "linalg.svd", failure: "svd", batched: batch.length > 0 });
      }
      const t = as3d(tall ? a : mT(a));
      let ut: Tensor, s: Tensor, vt: Tensor;
      if (k === 0) {
        ut = full ? eyeBatch(bigM, [b], a) : output([b, bigM, 0], a.dtype, a);
        s = output([b, 0], a.dtype, a);
        vt = output([b, 0, 0], a.dtype, a);
      } else {
        const w = output(t.shape, a.dtype, a), v = output([b, k, k], a.dtype, a);
        kern.svdRight(t, w.storage, v.storage);
        let idx: Tensor;
        [s, idx] = sort(sqrt(sum(mul(w, w), -2)), -1, true);
        const ws = gather(w, -1, idx.unsqueeze(-2).expand(w.shape));
        const vs = gather(v, -1, idx.unsqueeze(-2).expand(v.shape));
        const gauge = signOrOne(gather(vs, -2, abs(vs).argmax(-2, true)));
        vt = mul(vs, gauge);
        const complete = full && bigM > k;
        const q = output([b, bigM, complete ? bigM : k], a.dtype, a);
        const r = output([b, complete ? bigM : k, k], a.dtype, a);
        kern.qr(ws, q.storage, r.storage, complete);
        // U's columns point along A·V's (flipped where R's diagonal came out negative) and
        // follow V's sign fix.
        const lead = mul(mul(narrow(q, -1, 0, k), signOrOne(diag(r)).unsqueeze(-2)), gauge);
        ut = complete ? cat([lead, narrow(q, -1, k, bigM - k)], -1) : lead;
      }
      const [u, vh] = tall ? [ut, mT(vt)] : [vt, mT(ut)];
      return [
        contiguous(reshape(u, [...batch, ...u.shape.slice(-2)])),
        reshape(s, [...batch, k]),
        contiguous(reshape(vh, [...batch, ...vh.shape.slice(-2)])),
      ];
    })
  );
}

/** Ā from S̄ alone: U·diag(S̄)·Vh. */
function recordS(s: Tensor, a: Tensor, u: Tensor, vh: Tensor): Tensor {
  return record(s, "LinalgSvdBackward", [a], [u, vh], (g, [us, vhs]) => [
    matmul(mul(us, g.unsqueeze(-2)), vhs),
  ]);
}

/** E[i, j] = S[j]² − S[i]² off the diagonal, 1 on it. */
function gaps(s: Tensor): Tensor {
  return pairGaps(mul(s, s));
}

/**
 * The singular value decomposition A = U·diag(S)·Vh of A [..., m, n], like
 * `torch.linalg.svd`: S descending, U [..., m, m] and Vh [..., n, n] (or [..., m, k] and
 * [..., k, n], k = min(m, n), without `fullMatrices`). Signs are fixed so that each right
 * singular vector's (for m < n: each left one's) largest-magnitude entry is positive. Gradients
 * follow PyTorch (only the first k columns of a full U or rows of a full Vh carry gradient;
 * repeated singular values give infinite or NaN gradients for U and Vh).
 */
export function svd(a: Tensor, opts: SVDOptions = {}): SVDResult {
  const full = opts.fullMatrices ?? true;
  const [u, s, vh] = svdRaw("linalg.svd", a, full);
  const [m, n] = a.shape.slice(-2), k = Math.min(m, n);
  const [u0, v0] = [narrow(u, -1, 0, k), narrow(vh, -2, 0, k)];
  recordS(s, a, u0, v0);
  u0.dispose();
  v0.dispose();
  record(u, "LinalgSvdBackward", [a], [u, s, vh], (g, [us, ss, vhs]) => {
    const [u0, v0, gu] = [narrow(us, -1, 0, k), narrow(vhs, -2, 0, k), narrow(g, -1, 0, k)];
    const inner = mul(div(skew(matmul(mT(u0), gu)), gaps(ss)), ss.unsqueeze(-2));
    let left = matmul(u0, inner);
    if (m > n) {
      // The component of Ḡ outside U's span: (I − U Uᵀ)·Ḡ·S⁻¹.
      const gus = div(gu, ss.unsqueeze(-2));
      left = add(left, add(gus, mul(matmul(u0, matmul(mT(u0), gus)), -1)));
    }
    return [matmul(left, v0)];
  });
  record(vh, "LinalgSvdBackward", [a], [u, s, vh], (g, [us, ss, vhs]) => {
    const [u0, v0, gv] = [narrow(us, -1, 0, k), narrow(vhs, -2, 0, k), narrow(g, -2, 0, k)];
    const inner = mul(ss.unsqueeze(-1), div(skew(matmul(v0, mT(gv))), gaps(ss)));
    let right = matmul(inner, v0);
    if (m < n) {
      const sgv = div(gv, ss.unsqueeze(-1));
      right = add(right, add(sgv, mul(matmul(matmul(sgv, mT(v0)), v0), -1)));
    }
    return [matmul(u0, right)];
  });
  return Object.assign([u, s, vh] as [Tensor, Tensor, Tensor], { U: u, S: s, Vh: vh });
}

/** The singular values (descending) of A [..., m, n], like `torch.linalg.svdvals`. */
export function svdvals(a: Tensor): Tensor {
  const [u, s, vh] = svdRaw("linalg.svdvals", a, false);
  recordS(s, a, u, vh);
  u.dispose();
  vh.dispose();
  return s;
}

/** PyTorch's default tolerances: rtol = eps·max(m, n) unless only a positive atol is given. */
function cutoff(a: Tensor, top: Tensor, o: RankTolerances): Tensor {
  const [m, n] = a.shape.slice(-2);
  const atol = o.atol ?? 0;
  let rtol: Tolerance;
  if (o.rtol !== undefined && o.rtol !== null) rtol = o.rtol;
  else {
    const dflt = epsOf(a.dtype) * Math.max(m, n);
    if (o.atol === undefined || o.atol === null) rtol = dflt;
    else if (typeof atol === "number") rtol = atol > 0 ? 0 : dflt;
    else rtol = where(compare("gt", atol, 0), 0, filledTensor([], dflt, a.dtype, a.device));
  }
  const col = (t: Tolerance) => (typeof t === "number" ? t : unsqueeze(t, -1));
  const rel = mul(top, col(rtol));
  return typeof atol === "number" ? maximum(rel, atol) : maximum(rel, col(atol));
}

/** Singular values (or |eigenvalues| when hermitian) and the cut-off for them. */
function keptSpectrum(op: string, a: Tensor, o: RankTolerances): [Tensor, Tensor] {
  checkMatrix(op, a);
  const s = o.hermitian ? abs(eigvalsh(a)) : svdvals(a);
  return [s, cutoff(a, amax(s, -1, true), o)];
}

/**
 * The Moore–Penrose pseudo-inverse of A [..., m, n] → [..., n, m], like `torch.linalg.pinv`:
 * singular values σ <= max(atol, rtol·σmax) are dropped; with `hermitian`, the eigen-
 * decomposition of A's lower triangle is used. Differentiable through the decomposition.
 */
export function pinv(a: Tensor, opts: RankTolerances = {}): Tensor {
  const op = "linalg.pinv";
  checkMatrix(op, a);
  const [m, n] = a.shape.slice(-2);
  if (Math.min(m, n) === 0) {
    return filledTensor([...a.shape.slice(0, -2), n, m], 0, a.dtype, a.device);
  }
  return scope(() => {
    if (opts.hermitian) {
      const [w, v] = eigh(a);
      const tol = cutoff(a, amax(abs(w), -1, true), opts);
      const inv = where(compare("gt", abs(w), tol), reciprocal(w), 0);
      return matmul(mul(v, inv.unsqueeze(-2)), mT(v));
    }
    const [u, s, vh] = svd(a, { fullMatrices: false });
    const tol = cutoff(a, narrow(s, -1, 0, 1), opts);
    const inv = where(compare("gt", s, tol), reciprocal(s), 0);
    return matmul(mul(mT(vh), inv.unsqueeze(-2)), mT(u));
  });
}

/**
 * The numerical rank of A [..., m, n] (int32; PyTorch: int64), like `torch.linalg.matrix_rank`:
 * the number of singular values (|eigenvalues| with `hermitian`) above max(atol, rtol·σmax).
 */
export function matrixRank(a: Tensor, opts: RankTolerances = {}): Tensor {
  const op = "linalg.matrix_rank";
  checkMatrix(op, a);
  if (Math.min(...a.shape.slice(-2)) === 0) {
    return filledTensor(a.shape.slice(0, -2), 0, "int32", a.device);
  }
  return scope(() => {
    const [s, tol] = noGrad(() => keptSpectrum(op, a, opts));
    return sum(compare("gt", s, tol).to("int32"), -1).to("int32");
  });
}

/**
 * The least-squares solution of A X ≈ B for A [..., m, n] and B [..., m, k] (or a vector
 * [..., m] when B is 1-D or has A's shape without its last dim), like
 * `torch.linalg.lstsq(A, B).solution`: the minimum-norm solution pinv(A)·B, with singular
 * values below rcond·σmax treated as zero (what LAPACK's gelsy computes). Only `solution` is
 * returned; differentiable in A and B.
 */
export function lstsq(a: Tensor, b: Tensor, opts: LstsqOptions = {}): LstsqResult {
  const op = "linalg.lstsq";
  checkMatrix(op, a);
  checkFloat(op, b, "B");
  checkSameDType(op, a, b);
  const m = a.shape[a.ndim - 2];
  const vector = b.ndim === 1 ||
    (b.ndim === a.ndim - 1 && b.shape.every((s, i) => s === a.shape[i]));
  const rows = vector ? b.shape[b.ndim - 1] : b.ndim >= 2 ? b.shape[b.ndim - 2] : -1;
  if (rows !== m) {
    throw new RangeError(
      `${op}: input.size(-2) should match other.size(-2) (shapes ${fmtShape(a.shape)} and ` +
        `${fmtShape(b.shape)})`,
    );
  }
  return scope(() => {
    const p = pinv(a, { rtol: opts.rcond ?? null });
    const x = vector ? squeeze(matmul(p, unsqueeze(b, -1)), -1) : matmul(p, b);
    return { solution: x };
  });
}

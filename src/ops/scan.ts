/**
 * Scans along a dim: cumsum, cumprod, cummax/cummin and logcumsumexp.
 *
 * Every scan is a Hillis–Steele prefix scan built from existing ops: ceil(log2 n) rounds, each
 * combining every element with the one 2^k positions before it (two views of the previous
 * round, one elementwise kernel, one cat). That is O(n log n) work in O(log n) dispatches, runs
 * unchanged on every backend and never reads data back to the host, unlike a serial loop; an
 * n×n triangular matmul would cost O(n²) memory. Forwards run untracked and each scan records
 * one node whose backward is written in terms of scans again (so it is differentiable too).
 */
import { record } from "../autograd/function.ts";
import { isGradEnabled, noGrad } from "../autograd/grad_mode.ts";
import { arange } from "../tensor/creation.ts";
import { type DType, isFloating } from "../tensor/dtype.ts";
import { scope } from "../tensor/memory.ts";
import { normDim } from "../tensor/shape.ts";
import type { Tensor, ValuesIndices } from "../tensor/tensor.ts";
import { contiguousCopy, to } from "./convert.ts";
import {
  abs,
  add,
  compare,
  div,
  exp,
  log,
  log1p,
  maximum,
  minimum,
  mul,
  sub,
  where,
} from "./elementwise.ts";
import { flip, scatterGrad } from "./index.ts";
import { cat } from "./join.ts";
import { pad } from "./pad.ts";
import { expand, narrow, permute, reshape, unsqueeze } from "./view.ts";
import { sum } from "./reduce.ts";

/** Options of `cumsum` and `cumprod`. */
export interface CumOptions {
  /** Cast the input to this dtype before the scan (PyTorch's `dtype=`). */
  dtype?: DType;
}

/** Combines the later element of each pair with the earlier one (the scan's operator). */
type Combine = (later: Tensor, earlier: Tensor) => Tensor;

/** The scan dim of x; a 0-d tensor scans as if it had one dim of size 1, as in PyTorch. */
function scanDim(op: string, x: Tensor, dim: number): number {
  x.check(op);
  return normDim(op, dim, Math.max(x.ndim, 1));
}

/** Runs `fn` on x viewed with at least one dim and gives the results x's shape back. */
function atLeast1d<T extends Tensor | Tensor[]>(x: Tensor, fn: (x1: Tensor) => T): T {
  if (x.ndim > 0) return fn(x);
  return scope(() => {
    const r = fn(reshape(x, [1]));
    return (Array.isArray(r) ? r.map((t) => reshape(t, [])) : reshape(r as Tensor, [])) as T;
  });
}

/**
 * Inclusive Hillis–Steele scan of `states` (tensors of one shape scanned together, e.g.
 * values and their indices) along d; no autograd.
 */
function hillisSteele(
  states: Tensor[],
  d: number,
  combine: (l: Tensor[], e: Tensor[]) => Tensor[],
): Tensor[] {
  const n = states[0].shape[d];
  return noGrad(() =>
    scope(() => {
      let cur = states.map((s) => contiguousCopy(s));
      for (let s = 1; s < n; s *= 2) {
        const later = cur.map((t) => narrow(t, d, s, n - s));
        const earlier = cur.map((t) => narrow(t, d, 0, n - s));
        const merged = combine(later, earlier);
        cur = cur.map((t, i) => cat([narrow(t, d, 0, s), merged[i]], d));
      }
      return cur;
    })
  );
}

function scan1(x: Tensor, d: number, combine: Combine): Tensor {
  return hillisSteele([x], d, ([l], [e]) => [combine(l, e)])[0];
}

/** Sum of g over positions >= i along d: the adjoint of an inclusive cumsum. */
function reverseCumsum(g: Tensor, d: number): Tensor {
  if (g.ndim === 0) return g;
  return scope(() => flip(cumsum(flip(g, d), d), d));
}

/**
 * Cumulative sum along `dim`, like `torch.cumsum`. Integer and bool inputs sum to int32
 * (PyTorch: int64) unless `dtype` says otherwise.
 *
 * @example
 * ```ts
 * cumsum(tensor([1, 2, 3]), 0); // [1, 3, 6]
 * ```
 */
export function cumsum(x: Tensor, dim: number, opts: CumOptions = {}): Tensor {
  const d = scanDim("cumsum", x, dim);
  const outDtype = opts.dtype ?? (isFloating(x.dtype) ? x.dtype : "int32");
  const out = atLeast1d(x, (x1) => {
    const src = x1.dtype === outDtype ? x1 : noGrad(() => to(x1, outDtype));
    const r = scan1(src, d, (l, e) => add(l, e));
    if (src !== x1) src.dispose();
    return r;
  });
  const inDtype = x.dtype;
  return record(out, "CumsumBackward", [x], [], (g) => {
    const gx = reverseCumsum(g, d);
    return [gx.dtype === inDtype ? gx : to(gx, inDtype)];
  });
}

/**
 * Cumulative product along `dim`, like `torch.cumprod`; integer and bool inputs give int32
 * (PyTorch: int64). The gradient is exact when the input holds zeros.
 */
export function cumprod(x: Tensor, dim: number, opts: CumOptions = {}): Tensor {
  const d = scanDim("cumprod", x, dim);
  const outDtype = opts.dtype ?? (isFloating(x.dtype) ? x.dtype : "int32");
  const out = atLeast1d(x, (x1) => {
    const src = x1.dtype === outDtype ? x1 : noGrad(() => to(x1, outDtype));
    const r = scan1(src, d, (l, e) => mul(l, e));
    if (src !== x1) src.dispose();
    return r;
  });
  const inDtype = x.dtype;
  return record(out, "CumprodBackward", [x], [x], (g, [xv]) => {
    // NOTE: grad mode is on only when backward records itself (createGraph): the masked
    // formula's derivative is not cumprod's second derivative where x has zeros, so double
    // backward takes the O(n²) one, as PyTorch's cumprod_backward does.
    const backward = isGradEnabled() ? cumprodBackwardDifferentiable : cumprodBackward;
    const gx = xv.ndim === 0 ? g : backward(g, xv.dtype === g.dtype ? xv : to(xv, g.dtype), d);
    return [gx.dtype === inDtype ? gx : to(gx, inDtype)];
  });
}

/**
 * d/dx_i of Σ_j g_j·Π_{k<=j} x_k. NOTE: the usual revcumsum(g·out)/x divides by zero; it is
 * only used before the first zero of each slice. At that first zero z the gradient is
 * Π_{k<z} x_k · Σ_{j>=z} g_j·Π_{z<k<=j} x_k (a second scan with x_k = 1 up to z), and after
 * it every product contains x_z = 0, so the gradient is 0 (PyTorch's cumprod_backward).
 */
function cumprodBackward(g: Tensor, x: Tensor, d: number): Tensor {
  return scope(() => {
    const n = x.shape[d];
    const isZero = compare("eq", x, 0);
    const zerosSoFar = cumsum(isZero, d);
    const before = compare("eq", zerosSoFar, 0);
    const first = compare("and", isZero, compare("eq", zerosSoFar, 1));
    const out = cumprod(x, d);
    const gBefore = div(reverseCumsum(mul(g, out), d), where(before, x, 1));
    const pads = new Array<number>(2 * (x.ndim - d)).fill(0);
    pads[pads.length - 2] = 1;
    const exclusive = pad(narrow(out, d, 0, n - 1), pads, "constant", 1);
    const afterZero = cumprod(where(compare("or", before, first), 1, x), d);
    const gFirst = mul(exclusive, reverseCumsum(mul(g, afterZero), d));
    return where(before, gBefore, where(first, gFirst, 0));
  });
}

/**
 * cumprod's gradient as a differentiable expression: d/dx_k = Σ_{j>=k} g_j·Π_{i<=j, i≠k} x_i,
 * one scan per k over x with x_k set to 1, all k at once along a new dim (O(n) times the memory).
 */
function cumprodBackwardDifferentiable(g: Tensor, x: Tensor, d: number): Tensor {
  return scope(() => {
    const n = x.shape[d];
    const last = x.ndim - 1;
    const toLast = x.shape.map((_, i) => i).filter((i) => i !== d).concat(d);
    const fromLast = toLast.map((_, i) => toLast.indexOf(i));
    const xl = permute(x, toLast), gl = permute(g, toLast);
    const pairs = [...xl.shape.slice(0, last), n, n]; // [..., k, j]
    const kj = reshape(arange(n, undefined, 1, { dtype: "int32", device: x.device }), [n, 1]);
    const jk = reshape(kj, [1, n]);
    const omitted = cumprod(where(compare("eq", kj, jk), 1, expand(unsqueeze(xl, -2), pairs)), -1);
    const terms = where(compare("ge", jk, kj), mul(omitted, unsqueeze(gl, -2)), 0);
    return permute(sum(terms, last + 1), fromLast);
  });
}

function cumExtreme(op: "cummax" | "cummin", x: Tensor, dim: number): ValuesIndices {
  const d = scanDim(op, x, dim);
  const cmp = op === "cummax" ? "ge" : "le";
  const [values, indices] = atLeast1d(x, (x1) => {
    const n = x1.shape[d];
    const idx = noGrad(() =>
      scope(() => {
        const a = arange(n, undefined, 1, { dtype: "int32", device: x1.device });
        return expand(reshape(a, x1.shape.map((_, i) => (i === d ? n : 1))), x1.shape);
      })
    );
    // NOTE: the later element wins ties (PyTorch's >= / <=) and NaN wins everything, as in
    // PyTorch; both rules are associative, which a prefix scan needs.
    const r = hillisSteele([x1, idx], d, ([lv, li], [ev, ei]) => {
      const take = compare("or", compare("ne", lv, lv), compare(cmp, lv, ev));
      return [where(take, lv, ev), where(take, li, ei)];
    });
    idx.dispose();
    return r;
  });
  const shape = x.shape;
  record(values, op === "cummax" ? "CummaxBackward" : "CumminBackward", [x], [indices], (
    g,
    [idx],
  ) => {
    if (shape.length === 0) return [g];
    return [
      scatterGrad(op === "cummax" ? "CummaxBackward" : "CumminBackward", shape, d, idx, g, true),
    ];
  });
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

/**
 * Running maximum along `dim` and the index of each (the latest position on ties), like
 * `torch.cummax`; indices are int32 (PyTorch: int64).
 */
export function cummax(x: Tensor, dim: number): ValuesIndices {
  return cumExtreme("cummax", x, dim);
}

/** Running minimum along `dim` and its indices, like `torch.cummin`. */
export function cummin(x: Tensor, dim: number): ValuesIndices {
  return cumExtreme("cummin", x, dim);
}

/** log(exp(a) + exp(b)) without overflow; equal infinities pass through (PyTorch's helper). */
function logAddExp(a: Tensor, b: Tensor): Tensor {
  const mx = maximum(a, b), mn = minimum(a, b);
  const r = add(mx, log1p(exp(sub(mn, mx))));
  const passThrough = compare("and", compare("eq", mn, mx), compare("eq", abs(mx), Infinity));
  return where(passThrough, mx, r);
}

/** logcumsumexp scanned from the end of dim d. */
function reverseLogcumsumexp(x: Tensor, d: number): Tensor {
  return scope(() => flip(logcumsumexp(flip(x, d), d), d));
}

/**
 * log Σ_{j<=i} exp(x_j) along `dim`, like `torch.logcumsumexp`; stable for inputs of any
 * magnitude (each scan step is a log-add-exp, not a shift by one global maximum).
 */
export function logcumsumexp(x: Tensor, dim: number): Tensor {
  const d = scanDim("logcumsumexp", x, dim);
  if (!isFloating(x.dtype)) {
    throw new TypeError(`logcumsumexp: expected a floating point input, got ${x.dtype}`);
  }
  const out = atLeast1d(x, (x1) => scan1(x1, d, logAddExp));
  return record(out, "LogcumsumexpBackward", [x], [x, out], (g, [xv, o]) => {
    if (xv.ndim === 0) return [g];
    // NOTE: PyTorch's formula: split g by sign and work in log space, so that no
    // exp(x_i - out_j) overflows. The empty side holds the lowest finite value, not -inf:
    // -inf - -inf would put NaN into the gradient of this formula (double backward).
    const lowest = g.dtype === "float64" ? -Number.MAX_VALUE : -3.4028234663852886e38;
    return [scope(() => {
      const logAbs = log(abs(g));
      const lp = where(compare("gt", g, 0), logAbs, lowest);
      const ln = where(compare("lt", g, 0), logAbs, lowest);
      const pos = exp(add(reverseLogcumsumexp(sub(lp, o), d), xv));
      const neg = exp(add(reverseLogcumsumexp(sub(ln, o), d), xv));
      return sub(pos, neg);
    })];
  });
}

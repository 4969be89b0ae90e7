/** softmax, logSoftmax and logsumexp: stable forwards with closed-form backwards. */
import { record } from "../autograd/function.ts";
import { noGrad } from "../autograd/grad_mode.ts";
import { scope } from "../tensor/memory.ts";
import { normDim, reductionDims } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { exp, log, mul, sub } from "./elementwise.ts";
import { amax, keptShape, sum } from "./reduce.ts";
import { expand, reshape } from "./view.ts";
import { full } from "../tensor/creation.ts";
import { to } from "./convert.ts";
import { isFloating } from "../tensor/dtype.ts";
import { backendOf, emptyTensor } from "./dispatch.ts";

/**
 * The backend's fused row (log)softmax when it has one, x is a contiguous float32 tensor
 * reduced over its last dim and the kernel takes the shape; null otherwise (the caller uses the
 * composite path).
 */
function fused(x: Tensor, d: number, log: boolean): Tensor | null {
  const b = backendOf(log ? "logSoftmax" : "softmax", x);
  if (!b.softmax || x.dtype !== "float32" || x.ndim === 0 || d !== x.ndim - 1) return null;
  if (!x.isContiguous()) return null;
  const out = emptyTensor(x.shape, x.dtype, x.device);
  if (out.numel && !b.softmax(x, log, out.storage)) {
    out.dispose();
    return null;
  }
  return out;
}

/** Evaluates `fn` without recording and disposes its temporaries. */
function untracked(fn: () => Tensor): Tensor {
  return noGrad(() => scope(fn));
}

function floatIn(op: string, x: Tensor): Tensor {
  x.check(op);
  if (!isFloating(x.dtype)) {
    throw new TypeError(`${op}: expected a floating point input, got ${x.dtype}`);
  }
  return x;
}

/** Softmax along `dim`. */
export function softmax(x: Tensor, dim: number): Tensor {
  floatIn("softmax", x);
  const d = normDim("softmax", dim, x.ndim);
  const out = fused(x, d, false) ?? untracked(() => {
    if (x.numel === 0) return x.clone(); // nothing to normalise (amax of an empty dim throws)
    const e = exp(sub(x, amax(x, d, true)));
    return mul(e, sum(e, d, true).reciprocal());
  });
  return record(out, "SoftmaxBackward", [x], [out], (g, [o]) => {
    const dot = sum(mul(g, o), d, true);
    return [mul(o, sub(g, dot))];
  });
}

/** log(softmax(x)) computed stably. */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  floatIn("logSoftmax", x);
  const d = normDim("logSoftmax", dim, x.ndim);
  const out = fused(x, d, true) ?? untracked(() => {
    if (x.numel === 0) return x.clone();
    const shifted = sub(x, amax(x, d, true));
    return sub(shifted, log(sum(exp(shifted), d, true)));
  });
  return record(out, "LogSoftmaxBackward", [x], [out], (g, [o]) => [
    sub(g, mul(exp(o), sum(g, d, true))),
  ]);
}

/** log(sum(exp(x))) over dims, stable for large inputs. */
export function logsumexp(x: Tensor, dim: number | number[], keepdim = false): Tensor {
  const xf = floatIn("logsumexp", x).dtype === x.dtype ? x : to(x, "float32");
  const dims = reductionDims("logsumexp", dim, xf.ndim);
  const shape = xf.shape;
  const out = untracked(() => {
    // The log of an empty sum is -inf (and amax of an empty dim throws).
    if (dims.some((d) => shape[d] === 0)) {
      return full(keptShape(shape, dims, keepdim), -Infinity, {
        dtype: xf.dtype,
        device: xf.device,
      });
    }
    const m = amax(xf, dims, true);
    // NOTE: an all -inf slice would give -inf - -inf = NaN; shifting by 0 there keeps -inf.
    const safe = m.where(m.abs().lt(Infinity), 0);
    const r = safe.add(log(sum(exp(sub(xf, safe)), dims, true)));
    return keepdim ? r : reshape(r, keptShape(shape, dims, false));
  });
  return record(out, "LogsumexpBackward", [xf], [xf, out], (g, [xv, o]) => {
    const ok = keptShape(shape, dims, true);
    const ob = expand(reshape(o, ok), shape);
    const gb = expand(reshape(g, ok), shape);
    return [mul(gb, exp(sub(xv, ob)))];
  });
}

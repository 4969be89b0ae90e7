/**
 * Batch and layer normalisation, composed from tensor ops so autograd derives the backward
 * pass (checked in float64 by gradcheck); running statistics are updated in place untracked.
 */
import { noGrad } from "../autograd/grad_mode.ts";
import { needsGrad, record } from "../autograd/function.ts";
import type { Backend } from "../backend/backend.ts";
import { backendOf, emptyTensor } from "./dispatch.ts";
import { scope } from "../tensor/memory.ts";
import { fmtShape } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { add, mul, rsqrt, sub } from "./elementwise.ts";
import { mean } from "./reduce.ts";
import { reshape } from "./view.ts";

/** Options of `batchNorm` (torch.nn.functional.batch_norm's keywords). */
export interface BatchNormOptions {
  /** Per-channel scale γ [C]. */
  weight?: Tensor | null;
  /** Per-channel shift β [C]. */
  bias?: Tensor | null;
  /** Use batch statistics and update the running ones (default false). */
  training?: boolean;
  /** Weight of the new batch in the running averages (default 0.1). */
  momentum?: number;
  /** Added to the variance for stability (default 1e-5). */
  eps?: number;
}

/**
 * torch.nn.functional.batch_norm over dim 1 of an [N, C, ...] input. In training the batch
 * statistics normalise the input and, when given, `runningMean`/`runningVar` move towards them
 * by `momentum` (the variance with Bessel's correction, as PyTorch stores it).
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  opts: BatchNormOptions = {},
): Tensor {
  x.check("batchNorm");
  const { weight = null, bias = null, training = false, momentum = 0.1, eps = 1e-5 } = opts;
  if (x.ndim < 2) {
    throw new RangeError(
      `batchNorm: expected an input with at least 2 dims, got ${fmtShape(x.shape)}`,
    );
  }
  const C = x.shape[1];
  for (
    const [name, t] of [["weight", weight], ["bias", bias], ["runningMean", runningMean], [
      "runningVar",
      runningVar,
    ]] as const
  ) {
    if (t && (t.ndim !== 1 || t.shape[0] !== C)) {
      throw new RangeError(
        `batchNorm: expected ${name} of shape [${C}] for input ${fmtShape(x.shape)}, got ${
          fmtShape(t.shape)
        }`,
      );
    }
  }
  const dims = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const bc = x.shape.map((s, i) => (i === 1 ? s : 1));
  const n = x.numel / Math.max(C, 1);
  if (!training && (!runningMean || !runningVar)) {
    throw new Error("batchNorm: running statistics are required when training is false");
  }
  if (training && n <= 1) {
    throw new RangeError(
      `batchNorm: expected more than 1 value per channel when training, got input size ${
        fmtShape(x.shape)
      }`,
    );
  }
  const be = backendOf("batchNorm", x);
  if (
    be.batchNormStats && be.batchNormGradStats && be.batchNormApply && x.dtype === "float32" &&
    x.numel > 0 && [weight, bias, runningMean, runningVar].every((t) => !t || t.dtype === x.dtype)
  ) {
    if (training) {
      const y = batchNormFused(be, x, runningMean, runningVar, weight, bias, momentum, eps, n);
      if (y) return y;
    } else if (!needsGrad(x, weight, bias)) {
      return noGrad(() =>
        scope(() => {
          const scale = rsqrt(add(runningVar!, eps));
          const xv = mergeable(x) ? x : x.contiguous();
          const out = emptyTensor(x.shape, x.dtype, x.device);
          be.batchNormApply!(xv, {
            mean: runningMean!,
            scale: weight ? mul(scale, weight) : scale,
            shift: bias,
          }, out.storage);
          return out;
        })
      );
    }
  }
  if (!training) {
    return scope(() => {
      // Eval: fold the statistics into one scale and one shift per channel.
      const scale = rsqrt(add(reshape(runningVar!, bc), eps));
      const s = weight ? mul(scale, reshape(weight, bc)) : scale;
      const shift = mul(reshape(runningMean!, bc), s);
      const y = sub(mul(x, s), shift);
      return bias ? add(y, reshape(bias, bc)) : y;
    });
  }
  const [out, xhat, invstd] = noGrad(() =>
    scope(() => {
      const mu = mean(x, dims, true);
      const xc = sub(x, mu);
      const v = mean(mul(xc, xc), dims, true); // biased: what normalises the batch
      const istd = rsqrt(add(v, eps));
      const xh = mul(xc, istd);
      if (runningMean && runningVar) {
        runningMean.mul_(1 - momentum).add_(reshape(mu, [C]), momentum);
        runningVar.mul_(1 - momentum).add_(reshape(v, [C]), (momentum * n) / (n - 1));
      }
      const yw = weight ? mul(xh, reshape(weight, bc)) : xh;
      return [bias ? add(yw, reshape(bias, bc)) : yw, xh, istd];
    })
  );
  const saved = weight ? [xhat, invstd, weight] : [xhat, invstd];
  const result = record(
    out,
    "NativeBatchNormBackward",
    [x, weight, bias],
    saved,
    (g, [xh, istd, w]) => {
      // Closed form: dx = γ·invstd·(g − mean(g) − x̂·mean(g·x̂)); dγ = Σ g·x̂; dβ = Σ g.
      const gm = mean(g, dims, true);
      const gxm = mean(mul(g, xh), dims, true);
      const scale = w ? mul(istd, reshape(w, bc)) : istd;
      const dx = mul(sub(sub(g, gm), mul(xh, gxm)), scale);
      return [
        dx,
        weight ? mul(reshape(gxm, [C]), n) : null,
        bias ? mul(reshape(gm, [C]), n) : null,
      ];
    },
  );
  if (xhat !== out) xhat.dispose();
  invstd.dispose();
  return result;
}

/** Whether the dims after C merge into one stride (what the fused kernels read). */
function mergeable(x: Tensor): boolean {
  let prev = -1;
  for (let d = 2; d < x.ndim; d++) {
    if (x.shape[d] === 1) continue;
    if (prev >= 0 && x.strides[prev] !== x.strides[d] * x.shape[d]) return false;
    prev = d;
  }
  return true;
}

/**
 * Training batch norm on a backend with the fused kernels: one statistics pass, [C]-sized
 * coefficient math, one normalise+affine pass; the backward is one pass for Σg and Σg·(x − μ)
 * and one for dx (the closed form of `batchNorm`'s recorded node, with x̂ recomputed from x).
 * Null, with nothing updated, when the backend declines the statistics of this shape.
 */
function batchNormFused(
  be: Backend,
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight: Tensor | null,
  bias: Tensor | null,
  momentum: number,
  eps: number,
  n: number,
): Tensor | null {
  const C = x.shape[1];
  const xv = mergeable(x) ? x.alias() : noGrad(() => x.contiguous());
  const stats = emptyTensor([2, C], "float32", x.device);
  if (!be.batchNormStats!(xv, stats.storage)) {
    xv.dispose();
    stats.dispose();
    return null;
  }
  const [out, mu, invstd] = noGrad(() =>
    scope(() => {
      const mu = stats.narrow(0, 0, 1).reshape([C]);
      const v = stats.narrow(0, 1, 1).reshape([C]);
      const istd = rsqrt(add(v, eps));
      if (runningMean && runningVar) {
        runningMean.mul_(1 - momentum).add_(mu, momentum);
        runningVar.mul_(1 - momentum).add_(v, (momentum * n) / (n - 1));
      }
      const out = emptyTensor(x.shape, x.dtype, x.device);
      be.batchNormApply!(xv, {
        mean: mu,
        scale: weight ? mul(istd, weight) : istd,
        shift: bias,
      }, out.storage);
      return [out, mu, istd];
    })
  );
  stats.dispose();
  const saved = weight ? [xv, mu, invstd, weight] : [xv, mu, invstd];
  const result = record(
    out,
    "NativeBatchNormBackward",
    [x, weight, bias],
    saved,
    (g, [xs, m, istd, w]) => {
      const b = backendOf("batchNorm", g);
      const gv = mergeable(g) ? g : g.contiguous();
      const sums = emptyTensor([2, C], "float32", g.device);
      b.batchNormGradStats!(gv, xs, m, sums.storage);
      const sg = sums.narrow(0, 0, 1).reshape([C]); // Σ g
      const sgx = mul(sums.narrow(0, 1, 1).reshape([C]), istd); // Σ g·x̂
      // dx = a·(g − Σg/n − x̂·Σg·x̂/n) with a = γ·invstd, as a·g + b·(x − μ) + d.
      const a = w ? mul(w, istd) : istd;
      const bx = mul(mul(a, istd), mul(sgx, -1 / n));
      const d = mul(a, mul(sg, -1 / n));
      const dx = emptyTensor(xs.shape, g.dtype, g.device);
      b.batchNormApply!(xs, { mean: m, scale: bx, shift: d, y: gv, yScale: a }, dx.storage);
      return [dx, weight ? sgx : null, bias ? sg.contiguous() : null];
    },
  );
  xv.dispose();
  mu.dispose();
  invstd.dispose();
  return result;
}

/** Options of `layerNorm`. */
export interface LayerNormOptions {
  /** Elementwise scale over the normalised shape. */
  weight?: Tensor | null;
  /** Elementwise shift over the normalised shape. */
  bias?: Tensor | null;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/** torch.nn.functional.layer_norm over the trailing `normalizedShape` dims. */
export function layerNorm(
  x: Tensor,
  normalizedShape: number | number[],
  opts: LayerNormOptions = {},
): Tensor {
  x.check("layerNorm");
  const ns = typeof normalizedShape === "number" ? [normalizedShape] : normalizedShape;
  const { weight = null, bias = null, eps = 1e-5 } = opts;
  const tail = x.shape.slice(x.ndim - ns.length);
  if (ns.length > x.ndim || tail.join() !== ns.join()) {
    throw new RangeError(
      `layerNorm: given normalizedShape ${fmtShape(ns)}, expected input with shape ` +
        `[*, ${ns.join(", ")}], but got input of size ${fmtShape(x.shape)}`,
    );
  }
  for (const [name, t] of [["weight", weight], ["bias", bias]] as const) {
    if (t && t.shape.join() !== ns.join()) {
      throw new RangeError(
        `layerNorm: expected ${name} of shape ${fmtShape(ns)}, got ${fmtShape(t.shape)}`,
      );
    }
  }
  const dims = ns.map((_, i) => x.ndim - ns.length + i);
  return scope(() => {
    const xc = sub(x, mean(x, dims, true));
    const y = mul(xc, rsqrt(add(mean(mul(xc, xc), dims, true), eps)));
    const yw = weight ? mul(y, weight) : y;
    return bias ? add(yw, bias) : yw;
  });
}

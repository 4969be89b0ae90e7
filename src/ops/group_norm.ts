/**
 * Group and instance normalisation, composed from tensor ops (like `layerNorm`) so autograd
 * derives the backward pass on every backend; running statistics move in place, untracked.
 */
import { noGrad } from "../autograd/grad_mode.ts";
import { scope } from "../tensor/memory.ts";
import { fmtShape } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";

/** Options of `groupNorm` (torch.nn.functional.group_norm's keywords). */
export interface GroupNormOptions {
  /** Per-channel scale γ [C]. */
  weight?: Tensor | null;
  /** Per-channel shift β [C]. */
  bias?: Tensor | null;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/** [1, C, 1, ...] so a per-channel [C] tensor broadcasts over an [N, C, *] input. */
function channelShape(x: Tensor): number[] {
  return x.shape.map((s, i) => (i === 1 ? s : 1));
}

function checkChannelParam(op: string, name: string, t: Tensor | null, c: number): void {
  if (t && (t.ndim !== 1 || t.shape[0] !== c)) {
    throw new RangeError(`${op}: expected ${name} of shape [${c}], got ${fmtShape(t.shape)}`);
  }
}

function affine(y: Tensor, weight: Tensor | null, bias: Tensor | null, x: Tensor): Tensor {
  const bc = channelShape(x);
  const yw = weight ? y.mul(weight.reshape(bc)) : y;
  return bias ? yw.add(bias.reshape(bc)) : yw;
}

/**
 * torch.nn.functional.group_norm: splits the C channels of an [N, C, *] input into
 * `numGroups` groups and normalises each (sample, group) over its channels and positions with
 * the biased variance, then applies the per-channel affine.
 *
 * @example
 * ```ts
 * const y = groupNorm(randn([2, 6, 4, 4]), 3); // each of 3 groups of 2 channels normalised
 * ```
 */
export function groupNorm(x: Tensor, numGroups: number, opts: GroupNormOptions = {}): Tensor {
  x.check("groupNorm");
  const { weight = null, bias = null, eps = 1e-5 } = opts;
  if (x.ndim < 2) {
    throw new RangeError(
      `groupNorm: expected an input with at least 2 dims, got ${fmtShape(x.shape)}`,
    );
  }
  const [N, C] = x.shape;
  if (!Number.isInteger(numGroups) || numGroups < 1 || C % numGroups !== 0) {
    throw new RangeError(
      `groupNorm: expected the number of channels (${C}) of input ${
        fmtShape(x.shape)
      } to be divisible by numGroups (${numGroups})`,
    );
  }
  checkChannelParam("groupNorm", "weight", weight, C);
  checkChannelParam("groupNorm", "bias", bias, C);
  return scope(() => {
    const g = x.reshape([N, numGroups, -1]);
    const xc = g.sub(g.mean(2, true));
    const y = xc.mul(xc.mul(xc).mean(2, true).add(eps).rsqrt()).reshape(x.shape);
    return affine(y, weight, bias, x);
  });
}

/** Options of `instanceNorm` (torch.nn.functional.instance_norm's keywords). */
export interface InstanceNormOptions {
  /** Per-channel scale γ [C]. */
  weight?: Tensor | null;
  /** Per-channel shift β [C]. */
  bias?: Tensor | null;
  /** Normalise with each instance's own statistics (default true); false uses the running ones. */
  useInputStats?: boolean;
  /** Weight of the new statistics in the running averages (default 0.1). */
  momentum?: number;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/**
 * torch.nn.functional.instance_norm: normalises each (sample, channel) of an [N, C, *] input
 * over its positions. With `useInputStats` and running statistics given, they move towards the
 * batch average of the per-instance mean and unbiased variance, as PyTorch's instance norm
 * (a batch norm over [1, N·C, *] whose repeated running stats are averaged back) does.
 *
 * @example
 * ```ts
 * const y = instanceNorm(randn([2, 3, 8, 8]), null, null);
 * ```
 */
export function instanceNorm(
  x: Tensor,
  runningMean: Tensor | null = null,
  runningVar: Tensor | null = null,
  opts: InstanceNormOptions = {},
): Tensor {
  x.check("instanceNorm");
  const { weight = null, bias = null, useInputStats = true, momentum = 0.1, eps = 1e-5 } = opts;
  if (x.ndim < 3) {
    throw new RangeError(
      `instanceNorm: expected an [N, C, *] input with at least 3 dims, got ${fmtShape(x.shape)}`,
    );
  }
  const C = x.shape[1];
  checkChannelParam("instanceNorm", "weight", weight, C);
  checkChannelParam("instanceNorm", "bias", bias, C);
  checkChannelParam("instanceNorm", "runningMean", runningMean, C);
  checkChannelParam("instanceNorm", "runningVar", runningVar, C);
  const dims = x.shape.slice(2).map((_, i) => i + 2);
  const n = x.numel / Math.max(x.shape[0] * C, 1);
  if (!useInputStats) {
    if (!runningMean || !runningVar) {
      throw new Error("instanceNorm: running statistics are required when useInputStats is false");
    }
    return scope(() => {
      const bc = channelShape(x);
      const y = x.sub(runningMean.reshape(bc)).mul(runningVar.reshape(bc).add(eps).rsqrt());
      return affine(y, weight, bias, x);
    });
  }
  if (n <= 1) {
    throw new RangeError(
      `instanceNorm: expected more than 1 spatial element when training, got input size ${
        fmtShape(x.shape)
      }`,
    );
  }
  return scope(() => {
    const mu = x.mean(dims, true);
    const xc = x.sub(mu);
    const v = xc.mul(xc).mean(dims, true);
    if (runningMean && runningVar) {
      noGrad(() =>
        scope(() => {
          const bm = mu.detach().reshape([-1, C]).mean(0);
          const bv = v.detach().reshape([-1, C]).mean(0).mul(n / (n - 1));
          runningMean.mul_(1 - momentum).add_(bm, momentum);
          runningVar.mul_(1 - momentum).add_(bv, momentum);
        })
      );
    }
    return affine(xc.mul(v.add(eps).rsqrt()), weight, bias, x);
  });
}

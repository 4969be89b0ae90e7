/** Group and instance normalisation layers: GroupNorm and InstanceNorm1d/2d/3d. */
import { ones, zeros } from "../tensor/creation.ts";
import { noGrad } from "../autograd/grad_mode.ts";
import { fmtShape } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { groupNorm, instanceNorm } from "../ops/group_norm.ts";
import { ones_, zeros_ } from "./init.ts";
import { Module } from "./module.ts";
import { emptyParameter, type FactoryOptions, type Parameter } from "./parameter.ts";

/** Options of `GroupNorm`. */
export interface GroupNormLayerOptions extends FactoryOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn a per-channel scale and shift (default true). */
  affine?: boolean;
}

/**
 * Group normalisation over an [N, C, *] input, like `torch.nn.GroupNorm`: the C channels
 * are split into `numGroups` groups, each (sample, group) is normalised over its channels and
 * positions, then a per-channel `weight` (ones) and `bias` (zeros) apply.
 *
 * @example
 * ```ts
 * const gn = new GroupNorm(4, 16);
 * const y = gn.call(randn([8, 16, 5, 5]));
 * ```
 */
export class GroupNorm extends Module {
  /** Number of channel groups. */
  readonly numGroups: number;
  /** Number of channels C. */
  readonly numChannels: number;
  /** Variance epsilon. */
  readonly eps: number;
  /** Whether weight and bias exist. */
  readonly affine: boolean;
  /** Per-channel scale [C], or null. */
  weight: Parameter | null;
  /** Per-channel shift [C], or null. */
  bias: Parameter | null;

  /** Creates the layer. */
  constructor(numGroups: number, numChannels: number, opts: GroupNormLayerOptions = {}) {
    super();
    if (!Number.isInteger(numGroups) || numGroups < 1 || numChannels % numGroups !== 0) {
      throw new RangeError(
        `GroupNorm: numChannels (${numChannels}) must be divisible by numGroups (${numGroups})`,
      );
    }
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    this.eps = opts.eps ?? 1e-5;
    this.affine = opts.affine ?? true;
    this.weight = this.affine ? emptyParameter([numChannels], opts) : null;
    this.bias = this.affine ? emptyParameter([numChannels], opts) : null;
    this.resetParameters();
  }

  /** γ = 1, β = 0. */
  resetParameters(): void {
    if (this.weight) ones_(this.weight);
    if (this.bias) zeros_(this.bias);
  }

  /** Normalises `x`. */
  override forward(x: Tensor): Tensor {
    if (x.ndim < 2 || x.shape[1] !== this.numChannels) {
      throw new RangeError(
        `expected input [N, ${this.numChannels}, *], got input of shape ${fmtShape(x.shape)}`,
      );
    }
    return groupNorm(x, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  /** Configuration. */
  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.eps}, affine=${this.affine}`;
  }
}

/** Options of the instance norm layers. */
export interface InstanceNormLayerOptions extends FactoryOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Running-average factor (default 0.1). */
  momentum?: number;
  /** Learn a per-channel scale and shift (default false, unlike batch norm). */
  affine?: boolean;
  /** Keep running statistics and use them in eval (default false, unlike batch norm). */
  trackRunningStats?: boolean;
}

/** Shared implementation of InstanceNorm1d/2d/3d (PyTorch's `_InstanceNorm`). */
export abstract class InstanceNormBase extends Module {
  /** Number of channels C. */
  readonly numFeatures: number;
  /** Variance epsilon. */
  readonly eps: number;
  /** Running-average factor. */
  momentum: number;
  /** Whether weight and bias exist. */
  readonly affine: boolean;
  /** Whether running statistics are kept. */
  readonly trackRunningStats: boolean;
  /** Per-channel scale γ (ones), or null. */
  weight: Parameter | null;
  /** Per-channel shift β (zeros), or null. */
  bias: Parameter | null;
  /** Running mean buffer [C] (PyTorch's name, so state dicts interchange). */
  declare running_mean: Tensor | null;
  /** Running (unbiased) variance buffer [C]. */
  declare running_var: Tensor | null;
  /**
   * Kept for state-dict compatibility with PyTorch, which registers it for every `_NormBase`
   * but never advances it in instance norm.
   */
  declare num_batches_tracked: Tensor | null;
  /** Spatial dims of a batched input (1, 2 or 3 for InstanceNorm1d/2d/3d). */
  protected abstract readonly spatialDims: number;

  /** Creates the layer. */
  constructor(numFeatures: number, opts: InstanceNormLayerOptions = {}) {
    super();
    this.numFeatures = numFeatures;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum ?? 0.1;
    this.affine = opts.affine ?? false;
    this.trackRunningStats = opts.trackRunningStats ?? false;
    this.weight = this.affine ? emptyParameter([numFeatures], opts) : null;
    this.bias = this.affine ? emptyParameter([numFeatures], opts) : null;
    const f = { dtype: opts.dtype ?? "float32", device: opts.device };
    const track = this.trackRunningStats;
    this.registerBuffer("running_mean", track ? zeros([numFeatures], f) : null);
    this.registerBuffer("running_var", track ? ones([numFeatures], f) : null);
    this.registerBuffer(
      "num_batches_tracked",
      track ? zeros([], { dtype: "int32", device: opts.device }) : null,
    );
    this.resetParameters();
  }

  /** Resets running statistics to mean 0 and variance 1. */
  resetRunningStats(): void {
    if (!this.running_mean) return;
    noGrad(() => {
      this.running_mean!.zero_();
      this.running_var!.fill_(1);
      this.num_batches_tracked!.zero_();
    });
  }

  /** Resets statistics and sets γ = 1, β = 0. */
  resetParameters(): void {
    this.resetRunningStats();
    if (this.weight) ones_(this.weight);
    if (this.bias) zeros_(this.bias);
  }

  /** Normalises each instance (batch statistics in training or without tracking). */
  override forward(x: Tensor): Tensor {
    const nd = this.spatialDims;
    if (x.ndim !== nd + 1 && x.ndim !== nd + 2) {
      throw new RangeError(
        `expected ${nd + 1}D (unbatched) or ${nd + 2}D input, got ${x.ndim}D input of shape ${
          fmtShape(x.shape)
        }`,
      );
    }
    const unbatched = x.ndim === nd + 1;
    const xb = unbatched ? x.unsqueeze(0) : x;
    // PyTorch only warns when an affine-free, untracked layer sees another channel count.
    if (xb.shape[1] !== this.numFeatures && (this.affine || this.trackRunningStats)) {
      throw new RangeError(
        `expected input with ${this.numFeatures} channels, got ${xb.shape[1]} (input ${
          fmtShape(x.shape)
        })`,
      );
    }
    const y = instanceNorm(xb, this.running_mean, this.running_var, {
      weight: this.weight,
      bias: this.bias,
      useInputStats: this.training || !this.trackRunningStats,
      momentum: this.momentum,
      eps: this.eps,
    });
    return unbatched ? y.squeeze(0) : y;
  }

  /** Configuration. */
  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, ` +
      `trackRunningStats=${this.trackRunningStats}`;
  }
}

/**
 * Instance normalisation over [N, C, L] or unbatched [C, L], like `torch.nn.InstanceNorm1d`.
 *
 * @example
 * ```ts
 * const norm = new InstanceNorm1d(16, { affine: true });
 * const y = norm.call(randn([4, 16, 50]));
 * ```
 */
export class InstanceNorm1d extends InstanceNormBase {
  /** One spatial dim. */
  protected readonly spatialDims = 1;
}

/**
 * Instance normalisation over [N, C, H, W] or unbatched [C, H, W], like
 * `torch.nn.InstanceNorm2d`.
 *
 * @example
 * ```ts
 * const norm = new InstanceNorm2d(3);
 * const y = norm.call(randn([2, 3, 32, 32]));
 * ```
 */
export class InstanceNorm2d extends InstanceNormBase {
  /** Two spatial dims. */
  protected readonly spatialDims = 2;
}

/**
 * Instance normalisation over [N, C, D, H, W] or unbatched [C, D, H, W], like
 * `torch.nn.InstanceNorm3d`.
 *
 * @example
 * ```ts
 * const norm = new InstanceNorm3d(4, { affine: true });
 * const y = norm.call(randn([2, 4, 5, 8, 8]));
 * ```
 */
export class InstanceNorm3d extends InstanceNormBase {
  /** Three spatial dims. */
  protected readonly spatialDims = 3;
}

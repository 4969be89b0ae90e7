/** Batch normalisation layers: BatchNorm1d, BatchNorm2d and BatchNorm3d. */
import { noGrad } from "../autograd/grad_mode.ts";
import { ones, zeros } from "../tensor/creation.ts";
import { fmtShape } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { batchNorm } from "../ops/norm.ts";
import { ones_, zeros_ } from "./init.ts";
import { Module } from "./module.ts";
import { emptyParameter, type FactoryOptions, type Parameter } from "./parameter.ts";

/** Options of the batch norm layers. */
export interface BatchNormLayerOptions extends FactoryOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Running-average factor; null for a cumulative average (default 0.1). */
  momentum?: number | null;
  /** Learn a per-channel scale and shift (default true). */
  affine?: boolean;
  /** Keep running statistics for eval (default true). */
  trackRunningStats?: boolean;
}

/** Shared implementation of BatchNorm1d/2d/3d (PyTorch's `_BatchNorm`). */
export abstract class BatchNormBase extends Module {
  /** Number of channels C. */
  readonly numFeatures: number;
  /** Variance epsilon. */
  readonly eps: number;
  /** Running-average factor, or null for the cumulative average. */
  momentum: number | null;
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
  /** Training batches seen, an int32 scalar buffer (int64 in PyTorch). */
  declare num_batches_tracked: Tensor | null;
  #batches = 0;

  /** Creates the layer with ones/zeros affine parameters and fresh running statistics. */
  constructor(numFeatures: number, opts: BatchNormLayerOptions = {}) {
    super();
    this.numFeatures = numFeatures;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum === undefined ? 0.1 : opts.momentum;
    this.affine = opts.affine ?? true;
    this.trackRunningStats = opts.trackRunningStats ?? true;
    this.weight = this.affine ? emptyParameter([numFeatures], opts) : null;
    this.bias = this.affine ? emptyParameter([numFeatures], opts) : null;
    const f = { dtype: opts.dtype ?? "float32", device: opts.device };
    if (this.trackRunningStats) {
      this.registerBuffer("running_mean", zeros([numFeatures], f));
      this.registerBuffer("running_var", ones([numFeatures], f));
      this.registerBuffer(
        "num_batches_tracked",
        zeros([], { dtype: "int32", device: opts.device }),
      );
    } else {
      this.registerBuffer("running_mean", null);
      this.registerBuffer("running_var", null);
      this.registerBuffer("num_batches_tracked", null);
    }
    this.resetParameters();
  }

  /** Resets running statistics to mean 0, variance 1 and no batches. */
  resetRunningStats(): void {
    if (!this.running_mean) return;
    noGrad(() => {
      this.running_mean!.zero_();
      this.running_var!.fill_(1);
      this.num_batches_tracked!.zero_();
    });
    this.#batches = 0;
  }

  /** Resets statistics and sets γ = 1, β = 0. */
  resetParameters(): void {
    this.resetRunningStats();
    if (this.weight) ones_(this.weight);
    if (this.bias) zeros_(this.bias);
  }

  /** Keeps the host mirror of `num_batches_tracked` in step with a loaded state dict. */
  protected override stateLoaded(own: Map<string, Tensor>): void {
    const n = own.get("num_batches_tracked");
    if (n && n.device === "cpu") this.#batches = n.dataSync()[0];
  }

  /** The input ranks this layer accepts. */
  protected abstract checkInputDim(x: Tensor): void;

  /** Normalises `x` with batch statistics (training) or running statistics (eval). */
  override forward(x: Tensor): Tensor {
    this.checkInputDim(x);
    if (x.shape[1] !== this.numFeatures) {
      throw new RangeError(
        `expected input with ${this.numFeatures} channels, got ${x.shape[1]} (input ${
          fmtShape(x.shape)
        })`,
      );
    }
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats && this.num_batches_tracked) {
      const nbt = this.num_batches_tracked;
      noGrad(() => nbt.add_(1));
      // NOTE: the cumulative average needs the count on the host; CPU reads it (so a loaded
      // state dict counts), other devices use a host mirror of the batches seen here.
      this.#batches = nbt.device === "cpu" ? nbt.dataSync()[0] : this.#batches + 1;
      if (this.momentum === null) factor = 1 / this.#batches;
    }
    const useBatch = this.training || !this.running_mean;
    const track = !this.training || this.trackRunningStats;
    return batchNorm(x, track ? this.running_mean : null, track ? this.running_var : null, {
      weight: this.weight,
      bias: this.bias,
      training: useBatch,
      momentum: factor,
      eps: this.eps,
    });
  }

  /** Configuration. */
  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, ` +
      `trackRunningStats=${this.trackRunningStats}`;
  }
}

/**
 * Batch normalisation over [N, C] or [N, C, L], like `torch.nn.BatchNorm1d`.
 *
 * @example
 * ```ts
 * const bn = new BatchNorm1d(16);
 * const y = bn.call(randn([32, 16]));
 * ```
 */
export class BatchNorm1d extends BatchNormBase {
  /** Accepts 2-D and 3-D inputs. */
  protected checkInputDim(x: Tensor): void {
    if (x.ndim !== 2 && x.ndim !== 3) {
      throw new RangeError(
        `expected 2D or 3D input, got ${x.ndim}D input of shape ${fmtShape(x.shape)}`,
      );
    }
  }
}

/**
 * Batch normalisation over [N, C, H, W], like `torch.nn.BatchNorm2d`. In training, batch
 * statistics normalise and `running_mean`/`running_var` (unbiased) are updated; in eval the
 * running statistics are used.
 *
 * @example
 * ```ts
 * const bn = new BatchNorm2d(16);
 * bn.call(randn([8, 16, 4, 4])); // updates running_mean, running_var, num_batches_tracked
 * bn.eval();
 * ```
 */
export class BatchNorm2d extends BatchNormBase {
  /** Accepts 4-D inputs. */
  protected checkInputDim(x: Tensor): void {
    if (x.ndim !== 4) {
      throw new RangeError(`expected 4D input, got ${x.ndim}D input of shape ${fmtShape(x.shape)}`);
    }
  }
}

/**
 * Batch normalisation over [N, C, D, H, W], like `torch.nn.BatchNorm3d`: per-channel batch
 * statistics over the batch and the volume in training (updating `running_mean` and the
 * unbiased `running_var`), the running statistics in eval.
 *
 * @example
 * ```ts
 * const bn = new BatchNorm3d(8);
 * const y = bn.call(randn([2, 8, 4, 6, 6]));
 * ```
 */
export class BatchNorm3d extends BatchNormBase {
  /** Accepts 5-D inputs. */
  protected checkInputDim(x: Tensor): void {
    if (x.ndim !== 5) {
      throw new RangeError(`expected 5D input, got ${x.ndim}D input of shape ${fmtShape(x.shape)}`);
    }
  }
}

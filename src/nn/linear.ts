/** Linear (fully connected) layer and the Identity placeholder. */
import type { Tensor } from "../tensor/tensor.ts";
import { fmtShape } from "../tensor/shape.ts";
import { linear } from "./functional/linear.ts";
import { kaimingUniform_, uniform_ } from "./init.ts";
import { Module } from "./module.ts";
import { emptyParameter, type FactoryOptions, type Parameter } from "./parameter.ts";

/** Options of `Linear`. */
export interface LinearOptions extends FactoryOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

/**
 * Applies y = x Wᵀ + b, like `torch.nn.Linear`.
 *
 * Input `[..., inFeatures]`, output `[..., outFeatures]`. `weight` is `[outFeatures,
 * inFeatures]` and `bias` `[outFeatures]`, both initialised from U(-1/√inFeatures,
 * 1/√inFeatures) (Kaiming uniform with a = √5 for the weight).
 *
 * @example
 * ```ts
 * const fc = new Linear(20, 30);
 * const y = fc.call(randn([128, 20])); // [128, 30]
 * ```
 */
export class Linear extends Module {
  /** Size of each input sample. */
  readonly inFeatures: number;
  /** Size of each output sample. */
  readonly outFeatures: number;
  /** The learnable weight [outFeatures, inFeatures]. */
  weight: Parameter;
  /** The learnable bias [outFeatures], or null. */
  bias: Parameter | null;

  /** Creates the layer and initialises it with PyTorch's defaults. */
  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = emptyParameter([outFeatures, inFeatures], opts);
    this.bias = (opts.bias ?? true) ? emptyParameter([outFeatures], opts) : null;
    this.resetParameters();
  }

  /** Re-initialises weight and bias as PyTorch does. */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const bound = this.inFeatures > 0 ? 1 / Math.sqrt(this.inFeatures) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }

  /** x Wᵀ + b. */
  override forward(x: Tensor): Tensor {
    if (x.ndim < 1 || x.shape[x.ndim - 1] !== this.inFeatures) {
      throw new RangeError(
        `expected input with last dim ${this.inFeatures} (inFeatures), got input of shape ${
          fmtShape(x.shape)
        }`,
      );
    }
    return linear(x, this.weight, this.bias);
  }

  /** `inFeatures=.., outFeatures=.., bias=..`. */
  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${
      this.bias !== null
    }`;
  }
}

/** Returns its input unchanged, like `torch.nn.Identity` (a placeholder in architectures). */
export class Identity extends Module {
  /** The input itself. */
  override forward(x: Tensor): Tensor {
    return x;
  }
}

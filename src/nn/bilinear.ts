/** The bilinear layer. */
import type { Tensor } from "../tensor/tensor.ts";
import { bilinear } from "../ops/interpolate.ts";
import { uniform_ } from "./init.ts";
import { Module } from "./module.ts";
import { emptyParameter, type FactoryOptions, type Parameter } from "./parameter.ts";

/** Options of `Bilinear`. */
export interface BilinearOptions extends FactoryOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

/**
 * Applies y = x1ᵀ A x2 + b, like `torch.nn.Bilinear`.
 *
 * Inputs `[*, in1Features]` and `[*, in2Features]`, output `[*, outFeatures]`. `weight` is
 * `[outFeatures, in1Features, in2Features]` and `bias` `[outFeatures]`, both drawn from
 * U(-1/√in1Features, 1/√in1Features) as PyTorch does.
 *
 * @example
 * ```ts
 * const m = new Bilinear(20, 30, 40);
 * const y = m.call(randn([128, 20]), randn([128, 30])); // [128, 40]
 * ```
 */
export class Bilinear extends Module<[Tensor, Tensor], Tensor> {
  /** Size of each first input sample. */
  readonly in1Features: number;
  /** Size of each second input sample. */
  readonly in2Features: number;
  /** Size of each output sample. */
  readonly outFeatures: number;
  /** The learnable weight [outFeatures, in1Features, in2Features]. */
  weight: Parameter;
  /** The learnable bias [outFeatures], or null. */
  bias: Parameter | null;

  /** Creates the layer and initialises it with PyTorch's defaults. */
  constructor(
    in1Features: number,
    in2Features: number,
    outFeatures: number,
    opts: BilinearOptions = {},
  ) {
    super();
    this.in1Features = in1Features;
    this.in2Features = in2Features;
    this.outFeatures = outFeatures;
    this.weight = emptyParameter([outFeatures, in1Features, in2Features], opts);
    this.bias = (opts.bias ?? true) ? emptyParameter([outFeatures], opts) : null;
    this.resetParameters();
  }

  /** U(-1/√in1Features, 1/√in1Features) for weight and bias (PyTorch uses weight.size(1)). */
  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.in1Features);
    uniform_(this.weight, -bound, bound);
    if (this.bias) uniform_(this.bias, -bound, bound);
  }

  /** x1ᵀ A x2 + b. */
  override forward(x1: Tensor, x2: Tensor): Tensor {
    return bilinear(x1, x2, this.weight, this.bias);
  }

  /** Configuration. */
  override extraRepr(): string {
    return `in1Features=${this.in1Features}, in2Features=${this.in2Features}, ` +
      `outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}

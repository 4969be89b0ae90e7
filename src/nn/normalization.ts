/** Layer normalisation and local response normalisation. */
import type { Tensor } from "../tensor/tensor.ts";
import { fmtShape } from "../tensor/shape.ts";
import { layerNorm } from "../ops/norm.ts";
import { localResponseNorm, type LocalResponseNormOptions } from "../ops/local_response_norm.ts";
import { ones_, zeros_ } from "./init.ts";
import { Module } from "./module.ts";
import { emptyParameter, type FactoryOptions, type Parameter } from "./parameter.ts";

/** Options of `LayerNorm`. */
export interface LayerNormLayerOptions extends FactoryOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn an elementwise scale and shift (default true). */
  elementwiseAffine?: boolean;
  /** With elementwiseAffine, learn the shift too (default true). */
  bias?: boolean;
}

/**
 * Normalises over the trailing `normalizedShape` dims, like `torch.nn.LayerNorm`; weight is
 * initialised to ones and bias to zeros.
 *
 * @example
 * ```ts
 * const ln = new LayerNorm(64);
 * const y = ln.call(randn([8, 10, 64]));
 * ```
 */
export class LayerNorm extends Module {
  /** The normalised trailing shape. */
  readonly normalizedShape: number[];
  /** Variance epsilon. */
  readonly eps: number;
  /** Whether weight (and bias) exist. */
  readonly elementwiseAffine: boolean;
  /** Scale over normalizedShape, or null. */
  weight: Parameter | null;
  /** Shift over normalizedShape, or null. */
  bias: Parameter | null;

  /** Creates the layer. */
  constructor(normalizedShape: number | number[], opts: LayerNormLayerOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === "number"
      ? [normalizedShape]
      : [...normalizedShape];
    this.eps = opts.eps ?? 1e-5;
    this.elementwiseAffine = opts.elementwiseAffine ?? true;
    this.weight = this.elementwiseAffine ? emptyParameter(this.normalizedShape, opts) : null;
    this.bias = this.elementwiseAffine && (opts.bias ?? true)
      ? emptyParameter(this.normalizedShape, opts)
      : null;
    this.resetParameters();
  }

  /** γ = 1, β = 0. */
  resetParameters(): void {
    if (this.weight) ones_(this.weight);
    if (this.bias) zeros_(this.bias);
  }

  /** Normalises `x`. */
  override forward(x: Tensor): Tensor {
    const ns = this.normalizedShape;
    if (x.ndim < ns.length || x.shape.slice(x.ndim - ns.length).join() !== ns.join()) {
      throw new RangeError(
        `expected input with shape [*, ${ns.join(", ")}], got input of shape ${fmtShape(x.shape)}`,
      );
    }
    return layerNorm(x, ns, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  /** Configuration. */
  override extraRepr(): string {
    return `${
      fmtShape(this.normalizedShape)
    }, eps=${this.eps}, elementwiseAffine=${this.elementwiseAffine}`;
  }
}

/**
 * Local response normalisation across channels, like `torch.nn.LocalResponseNorm`:
 * x / (k + α·mean(x² over `size` neighbouring channels))^β for an [N, C, *] input.
 *
 * @example
 * ```ts
 * const lrn = new LocalResponseNorm(5, { alpha: 1e-4, beta: 0.75, k: 2 }); // AlexNet's
 * const y = lrn.call(randn([2, 96, 27, 27]));
 * ```
 */
export class LocalResponseNorm extends Module {
  /** Number of neighbouring channels in the window. */
  readonly size: number;
  /** Multiplicative factor α. */
  readonly alpha: number;
  /** Exponent β. */
  readonly beta: number;
  /** Additive constant k. */
  readonly k: number;

  /** Creates the layer. */
  constructor(size: number, opts: LocalResponseNormOptions = {}) {
    super();
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`LocalResponseNorm: size must be a positive integer (got ${size})`);
    }
    this.size = size;
    this.alpha = opts.alpha ?? 1e-4;
    this.beta = opts.beta ?? 0.75;
    this.k = opts.k ?? 1;
  }

  /** Normalises `x`. */
  override forward(x: Tensor): Tensor {
    if (x.ndim < 3) {
      throw new RangeError(
        `expected an input [N, C, *] with 3 or more dims, got input of shape ${fmtShape(x.shape)}`,
      );
    }
    return localResponseNorm(x, this.size, { alpha: this.alpha, beta: this.beta, k: this.k });
  }

  /** Configuration. */
  override extraRepr(): string {
    return `${this.size}, alpha=${this.alpha}, beta=${this.beta}, k=${this.k}`;
  }
}

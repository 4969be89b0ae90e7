/** Activation layers: thin modules over the elementwise and softmax ops. */
import type { Tensor } from "../tensor/tensor.ts";
import { fmtShape } from "../tensor/shape.ts";
import { gelu, leakyRelu, relu, sigmoid, tanh } from "../ops/elementwise.ts";
import { logSoftmax, softmax } from "../ops/softmax.ts";
import * as A from "./functional/activation.ts";
import { constant_ } from "./init.ts";
import { Module } from "./module.ts";
import { emptyParameter, type FactoryOptions, type Parameter } from "./parameter.ts";

/**
 * max(x, 0), like `torch.nn.ReLU`.
 *
 * @example
 * ```ts
 * const y = new ReLU().call(tensor([-1, 2])); // [0, 2]
 * ```
 */
export class ReLU extends Module {
  /** max(x, 0). */
  override forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/** x for x > 0, else negativeSlope·x, like `torch.nn.LeakyReLU`. */
export class LeakyReLU extends Module {
  /** Slope for negative inputs. */
  readonly negativeSlope: number;
  /** Creates the layer (slope 0.01 by default). */
  constructor(negativeSlope = 0.01) {
    super();
    this.negativeSlope = negativeSlope;
  }
  /** Leaky ReLU. */
  override forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
  /** Configuration. */
  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

/** 1 / (1 + e^-x), like `torch.nn.Sigmoid`. */
export class Sigmoid extends Module {
  /** Logistic sigmoid. */
  override forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/** Hyperbolic tangent, like `torch.nn.Tanh`. */
export class Tanh extends Module {
  /** tanh. */
  override forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

/** x·Φ(x) (or its tanh approximation), like `torch.nn.GELU`. */
export class GELU extends Module {
  /** "none" (exact erf form) or "tanh". */
  readonly approximate: "none" | "tanh";
  /** Creates the layer. */
  constructor(opts: { approximate?: "none" | "tanh" } = {}) {
    super();
    this.approximate = opts.approximate ?? "none";
  }
  /** GELU. */
  override forward(x: Tensor): Tensor {
    return gelu(x, this.approximate);
  }
  /** Configuration. */
  override extraRepr(): string {
    return `approximate="${this.approximate}"`;
  }
}

/** Softmax along `dim`, like `torch.nn.Softmax`. */
export class Softmax extends Module {
  /** The dim that sums to 1. */
  readonly dim: number;
  /** Creates the layer. */
  constructor(dim: number) {
    super();
    this.dim = dim;
  }
  /** Softmax. */
  override forward(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }
  /** Configuration. */
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** log(softmax(x)) along `dim`, like `torch.nn.LogSoftmax`. */
export class LogSoftmax extends Module {
  /** The normalised dim. */
  readonly dim: number;
  /** Creates the layer. */
  constructor(dim: number) {
    super();
    this.dim = dim;
  }
  /** Log-softmax. */
  override forward(x: Tensor): Tensor {
    return logSoftmax(x, this.dim);
  }
  /** Configuration. */
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** x · sigmoid(x), like `torch.nn.SiLU`. */
export class SiLU extends Module {
  /** SiLU. */
  override forward(x: Tensor): Tensor {
    return A.silu(x);
  }
}

/** x · tanh(softplus(x)), like `torch.nn.Mish`. */
export class Mish extends Module {
  /** Mish. */
  override forward(x: Tensor): Tensor {
    return A.mish(x);
  }
}

/** x for x > 0, else alpha·(eˣ - 1), like `torch.nn.ELU`. */
export class ELU extends Module {
  /** Scale of the negative part. */
  readonly alpha: number;
  /** Creates the layer (alpha 1 by default). */
  constructor(alpha = 1) {
    super();
    this.alpha = alpha;
  }
  /** ELU. */
  override forward(x: Tensor): Tensor {
    return A.elu(x, this.alpha);
  }
  /** Configuration. */
  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/** max(0, x) + min(0, alpha·(exp(x / alpha) - 1)), like `torch.nn.CELU`. */
export class CELU extends Module {
  /** Scale of the negative part. */
  readonly alpha: number;
  /** Creates the layer (alpha 1 by default). */
  constructor(alpha = 1) {
    super();
    this.alpha = alpha;
  }
  /** CELU. */
  override forward(x: Tensor): Tensor {
    return A.celu(x, this.alpha);
  }
  /** Configuration. */
  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/** Self-normalising ELU with PyTorch's fixed alpha and scale, like `torch.nn.SELU`. */
export class SELU extends Module {
  /** SELU. */
  override forward(x: Tensor): Tensor {
    return A.selu(x);
  }
}

/** log(1 + exp(beta·x)) / beta, linear above `threshold`, like `torch.nn.Softplus`. */
export class Softplus extends Module {
  /** Sharpness. */
  readonly beta: number;
  /** beta·x above which the layer is the identity. */
  readonly threshold: number;
  /** Creates the layer (beta 1, threshold 20 by default). */
  constructor(beta = 1, threshold = 20) {
    super();
    this.beta = beta;
    this.threshold = threshold;
  }
  /** Softplus. */
  override forward(x: Tensor): Tensor {
    return A.softplus(x, this.beta, this.threshold);
  }
  /** Configuration. */
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/** x / (1 + |x|), like `torch.nn.Softsign`. */
export class Softsign extends Module {
  /** Softsign. */
  override forward(x: Tensor): Tensor {
    return A.softsign(x);
  }
}

/** Clamps into [minVal, maxVal] (gradient 0 at the bounds), like `torch.nn.Hardtanh`. */
export class Hardtanh extends Module {
  /** Lower bound. */
  readonly minVal: number;
  /** Upper bound. */
  readonly maxVal: number;
  /** Creates the layer ([-1, 1] by default). */
  constructor(minVal = -1, maxVal = 1) {
    super();
    if (!(maxVal > minVal)) {
      throw new RangeError(`Hardtanh: maxVal (${maxVal}) must be greater than minVal (${minVal})`);
    }
    this.minVal = minVal;
    this.maxVal = maxVal;
  }
  /** Hardtanh. */
  override forward(x: Tensor): Tensor {
    return A.hardtanh(x, this.minVal, this.maxVal);
  }
  /** Configuration. */
  override extraRepr(): string {
    return `minVal=${this.minVal}, maxVal=${this.maxVal}`;
  }
}

/** min(max(x, 0), 6), like `torch.nn.ReLU6`. */
export class ReLU6 extends Hardtanh {
  /** Creates the layer. */
  constructor() {
    super(0, 6);
  }
}

/** relu6(x + 3) / 6, like `torch.nn.Hardsigmoid`. */
export class Hardsigmoid extends Module {
  /** Hardsigmoid. */
  override forward(x: Tensor): Tensor {
    return A.hardsigmoid(x);
  }
}

/** x · relu6(x + 3) / 6, like `torch.nn.Hardswish`. */
export class Hardswish extends Module {
  /** Hardswish. */
  override forward(x: Tensor): Tensor {
    return A.hardswish(x);
  }
}

/** log(sigmoid(x)), computed stably, like `torch.nn.LogSigmoid`. */
export class LogSigmoid extends Module {
  /** LogSigmoid. */
  override forward(x: Tensor): Tensor {
    return A.logsigmoid(x);
  }
}

/** x - tanh(x), like `torch.nn.Tanhshrink`. */
export class Tanhshrink extends Module {
  /** Tanhshrink. */
  override forward(x: Tensor): Tensor {
    return A.tanhshrink(x);
  }
}

/** Shrinks toward 0 by `lambd` (0 inside [-lambd, lambd]), like `torch.nn.Softshrink`. */
export class Softshrink extends Module {
  /** Half-width of the dead zone. */
  readonly lambd: number;
  /** Creates the layer (lambd 0.5 by default). */
  constructor(lambd = 0.5) {
    super();
    this.lambd = lambd;
  }
  /** Softshrink. */
  override forward(x: Tensor): Tensor {
    return A.softshrink(x, this.lambd);
  }
  /** Configuration. */
  override extraRepr(): string {
    return `lambd=${this.lambd}`;
  }
}

/** 0 inside [-lambd, lambd], else x, like `torch.nn.Hardshrink`. */
export class Hardshrink extends Module {
  /** Half-width of the dead zone. */
  readonly lambd: number;
  /** Creates the layer (lambd 0.5 by default). */
  constructor(lambd = 0.5) {
    super();
    this.lambd = lambd;
  }
  /** Hardshrink. */
  override forward(x: Tensor): Tensor {
    return A.hardshrink(x, this.lambd);
  }
  /** Configuration. */
  override extraRepr(): string {
    return `lambd=${this.lambd}`;
  }
}

/** `value` where x <= threshold, else x, like `torch.nn.Threshold`. */
export class Threshold extends Module {
  /** The cut-off. */
  readonly threshold: number;
  /** The replacement at or below the cut-off. */
  readonly value: number;
  /** Creates the layer. */
  constructor(threshold: number, value: number) {
    super();
    this.threshold = threshold;
    this.value = value;
  }
  /** Threshold. */
  override forward(x: Tensor): Tensor {
    return A.threshold(x, this.threshold, this.value);
  }
  /** Configuration. */
  override extraRepr(): string {
    return `threshold=${this.threshold}, value=${this.value}`;
  }
}

/** Options of `PReLU`: PyTorch's `num_parameters`, `init` and factory arguments. */
export interface PReLUOptions extends FactoryOptions {
  /** Number of learnable slopes: 1, or the number of input channels (default 1). */
  numParameters?: number;
  /** Initial slope (default 0.25). */
  init?: number;
}

/**
 * x for x > 0, else a·x with a learnable slope a, like `torch.nn.PReLU`.
 *
 * Input `[N, C, ...]` (any shape when `numParameters` is 1); `weight` is `[numParameters]`,
 * initialised to `init` (state-dict key `weight`).
 *
 * @example
 * ```ts
 * const act = new PReLU({ numParameters: 16 });
 * const y = act.call(randn([8, 16, 4, 4]));
 * ```
 */
export class PReLU extends Module {
  /**
   * Number of slopes: PyTorch's `num_parameters`, renamed because `Module.numParameters()`
   * already counts a module's parameter elements.
   */
  readonly numSlopes: number;
  /** Initial slope. */
  readonly init: number;
  /** The learnable slopes [numParameters]. */
  weight: Parameter;
  /** Creates the layer and initialises the slopes to `init`. */
  constructor(opts: PReLUOptions = {}) {
    super();
    this.numSlopes = opts.numParameters ?? 1;
    this.init = opts.init ?? 0.25;
    if (!Number.isInteger(this.numSlopes) || this.numSlopes < 1) {
      throw new RangeError(
        `PReLU: numParameters must be a positive integer (got ${this.numSlopes})`,
      );
    }
    this.weight = emptyParameter([this.numSlopes], opts);
    this.resetParameters();
  }
  /** Sets every slope to `init`, as PyTorch does. */
  resetParameters(): void {
    constant_(this.weight, this.init);
  }
  /** PReLU. */
  override forward(x: Tensor): Tensor {
    return A.prelu(x, this.weight);
  }
  /** Configuration. */
  override extraRepr(): string {
    return `numParameters=${this.numSlopes}`;
  }
}

/** a · sigmoid(b) over the two halves of `dim`, like `torch.nn.GLU`. */
export class GLU extends Module {
  /** The halved dim. */
  readonly dim: number;
  /** Creates the layer (dim -1 by default). */
  constructor(dim = -1) {
    super();
    this.dim = dim;
  }
  /** GLU. */
  override forward(x: Tensor): Tensor {
    return A.glu(x, this.dim);
  }
  /** Configuration. */
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** softmax(-x) along `dim`, like `torch.nn.Softmin`. */
export class Softmin extends Module {
  /** The dim that sums to 1. */
  readonly dim: number;
  /** Creates the layer. */
  constructor(dim: number) {
    super();
    this.dim = dim;
  }
  /** Softmin. */
  override forward(x: Tensor): Tensor {
    return A.softmin(x, this.dim);
  }
  /** Configuration. */
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Softmax over the channels of every pixel (dim -3 of [C, H, W] or [N, C, H, W]), like `torch.nn.Softmax2d`. */
export class Softmax2d extends Module {
  /** Softmax along dim -3. */
  override forward(x: Tensor): Tensor {
    if (x.ndim !== 3 && x.ndim !== 4) {
      throw new RangeError(
        `Softmax2d: expected a 3-D or 4-D input (got ${fmtShape(x.shape)})`,
      );
    }
    return softmax(x, -3);
  }
}

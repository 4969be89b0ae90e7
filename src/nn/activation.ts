/** Activation layers: thin modules over the elementwise and softmax ops. */
import type { Tensor } from "../tensor/tensor.ts";
import { gelu, leakyRelu, relu, sigmoid, tanh } from "../ops/elementwise.ts";
import { logSoftmax, softmax } from "../ops/softmax.ts";
import { Module } from "./module.ts";

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

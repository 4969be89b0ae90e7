/** Stochastic gradient descent with momentum, dampening, Nesterov and weight decay. */
import { keep } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import {
  checkLr,
  checkOption,
  Optimizer,
  type OptimizerOptions,
  type ParamsInput,
  type ParamState,
} from "./optimizer.ts";

/** Options of SGD (PyTorch's names in camelCase; `lr` is required, as in PyTorch). */
export interface SGDOptions extends OptimizerOptions {
  /** Momentum factor (default 0). */
  momentum: number;
  /** Dampening of the momentum (default 0). */
  dampening: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov: boolean;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/**
 * One SGD update of `param` (PyTorch 1.13's `_single_tensor_sgd`). Kept as one function so a
 * fused GPU kernel can replace it (`SGD.update = ...`). `state.momentum_buffer` holds the buffer.
 */
export function sgdUpdate(param: Tensor, grad: Tensor, state: ParamState, o: SGDOptions): void {
  let d = o.maximize ? grad.neg() : grad;
  if (o.weightDecay !== 0) d = d.add(param, o.weightDecay);
  if (o.momentum !== 0) {
    const buf = state.momentum_buffer as Tensor | null | undefined;
    if (!buf) {
      // NOTE: PyTorch's first step uses buf = clone(d), without dampening.
      state.momentum_buffer = keep(d.clone());
    } else buf.mul_(o.momentum).add_(d, 1 - o.dampening);
    const b = state.momentum_buffer as Tensor;
    d = o.nesterov ? d.add(b, o.momentum) : b;
  } else state.momentum_buffer = null;
  param.add_(d, -o.lr);
}

/**
 * Implements stochastic gradient descent (optionally with momentum), like `torch.optim.SGD`.
 *
 * @example
 * ```ts
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * ```
 */
export class SGD extends Optimizer<SGDOptions> {
  /** The per-parameter update (swappable for a fused kernel). */
  static update: typeof sgdUpdate = sgdUpdate;

  /** `lr` is required; other options default to PyTorch's. */
  constructor(
    params: ParamsInput<SGDOptions>,
    options: Partial<SGDOptions> & OptimizerOptions,
  ) {
    super(params, {
      momentum: 0,
      dampening: 0,
      nesterov: false,
      weightDecay: 0,
      maximize: false,
      ...options,
    }, "SGD");
  }

  /** Checks lr, momentum, weightDecay and the Nesterov conditions. */
  protected validate(o: SGDOptions): void {
    checkLr("SGD", o.lr);
    checkOption(o.momentum >= 0, "SGD", "momentum value", o.momentum);
    checkOption(o.weightDecay >= 0, "SGD", "weightDecay value", o.weightDecay);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new RangeError("SGD: Nesterov momentum requires a momentum and zero dampening");
    }
  }

  /** Applies `SGD.update`. */
  protected updateParam(param: Tensor, grad: Tensor, state: ParamState, group: SGDOptions): void {
    SGD.update(param, grad, state, group);
  }
}

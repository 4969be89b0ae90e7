/** RMSprop (Hinton) with momentum, centering and weight decay. */
import { zerosLike } from "../tensor/creation.ts";
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

/** Options of RMSprop. */
export interface RMSpropOptions extends OptimizerOptions {
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha: number;
  /** Added to the denominator for stability (default 1e-8). */
  eps: number;
  /** L2 penalty (default 0). */
  weightDecay: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Normalize by an estimate of the gradient's variance (default false). */
  centered: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/**
 * One RMSprop update (PyTorch 1.13's `_single_tensor_rmsprop`). Kept as one function so a
 * fused GPU kernel can replace it (`RMSprop.update = ...`).
 */
export function rmspropUpdate(
  param: Tensor,
  grad: Tensor,
  state: ParamState,
  o: RMSpropOptions,
): void {
  if (state.step === undefined) {
    state.step = 0;
    state.square_avg = keep(zerosLike(param));
    if (o.momentum > 0) state.momentum_buffer = keep(zerosLike(param));
    if (o.centered) state.grad_avg = keep(zerosLike(param));
  }
  state.step = (state.step as number) + 1;
  let g = o.maximize ? grad.neg() : grad;
  if (o.weightDecay !== 0) g = g.add(param, o.weightDecay);
  const sq = (state.square_avg as Tensor).mul_(o.alpha).addcmul_(g, g, 1 - o.alpha);
  let avg: Tensor;
  if (o.centered) {
    const ga = (state.grad_avg ??= keep(zerosLike(param))) as Tensor;
    ga.mul_(o.alpha).add_(g, 1 - o.alpha);
    avg = sq.sub(ga.mul(ga)).sqrt();
  } else avg = sq.sqrt();
  avg = avg.add(o.eps);
  if (o.momentum > 0) {
    const buf = (state.momentum_buffer ??= keep(zerosLike(param))) as Tensor;
    buf.mul_(o.momentum).addcdiv_(g, avg);
    param.add_(buf, -o.lr);
  } else param.addcdiv_(g, avg, -o.lr);
}

/**
 * Implements RMSprop, like `torch.optim.RMSprop`. State per parameter: `step`, `square_avg`,
 * `momentum_buffer` (momentum > 0) and `grad_avg` (centered).
 *
 * @example
 * ```ts
 * const opt = new RMSprop(model.parameters(), { lr: 1e-2, momentum: 0.9 });
 * ```
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  /** The per-parameter update (swappable for a fused kernel). */
  static update: typeof rmspropUpdate = rmspropUpdate;

  /** Options default to PyTorch's (lr 1e-2, alpha 0.99, eps 1e-8). */
  constructor(params: ParamsInput<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super(params, {
      lr: 1e-2,
      alpha: 0.99,
      eps: 1e-8,
      weightDecay: 0,
      momentum: 0,
      centered: false,
      maximize: false,
      ...options,
    }, "RMSprop");
  }

  /** Checks lr, eps, momentum, weightDecay and alpha. */
  protected validate(o: RMSpropOptions): void {
    checkLr("RMSprop", o.lr);
    checkOption(o.eps >= 0, "RMSprop", "epsilon value", o.eps);
    checkOption(o.momentum >= 0, "RMSprop", "momentum value", o.momentum);
    checkOption(o.weightDecay >= 0, "RMSprop", "weightDecay value", o.weightDecay);
    checkOption(o.alpha >= 0, "RMSprop", "alpha value", o.alpha);
  }

  /** Applies `RMSprop.update`. */
  protected updateParam(
    param: Tensor,
    grad: Tensor,
    state: ParamState,
    group: RMSpropOptions,
  ): void {
    RMSprop.update(param, grad, state, group);
  }
}

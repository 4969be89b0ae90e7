/** AdamW: Adam with decoupled weight decay (Loshchilov & Hutter). */
import type { Tensor } from "../tensor/tensor.ts";
import { adamFused, adamMoments, type AdamOptions, validateAdam } from "./adam.ts";
import { Optimizer, type ParamsInput, type ParamState } from "./optimizer.ts";

/**
 * One AdamW update (PyTorch 1.13's `_single_tensor_adamw`): the parameter shrinks by
 * `lr * weightDecay` before the Adam step; the gradient carries no L2 term.
 */
export function adamwUpdate(param: Tensor, grad: Tensor, state: ParamState, o: AdamOptions): void {
  if (adamFused(param, grad, state, o, true)) return;
  const g = o.maximize ? grad.neg() : grad;
  if (o.weightDecay !== 0) param.mul_(1 - o.lr * o.weightDecay);
  adamMoments(param, g, state, o);
}

/**
 * Implements AdamW, like `torch.optim.AdamW` (weightDecay defaults to 1e-2).
 *
 * @example
 * ```ts
 * const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 * ```
 */
export class AdamW extends Optimizer<AdamOptions> {
  /** The per-parameter update (swappable for a fused kernel). */
  static update: typeof adamwUpdate = adamwUpdate;

  /** Options default to PyTorch's (lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 1e-2). */
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, {
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 1e-2,
      amsgrad: false,
      maximize: false,
      ...options,
    }, "AdamW");
  }

  /** Checks lr, eps, betas and weightDecay. */
  protected validate(o: AdamOptions): void {
    validateAdam("AdamW", o);
  }

  /** Applies `AdamW.update`. */
  protected updateParam(param: Tensor, grad: Tensor, state: ParamState, group: AdamOptions): void {
    AdamW.update(param, grad, state, group);
  }
}

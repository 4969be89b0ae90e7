/** Adagrad (Duchi et al.) with lr decay, weight decay and an initial accumulator value. */
import { fullLike } from "../tensor/creation.ts";
import { keep } from "../tensor/memory.ts";
import { noGrad } from "../autograd/grad_mode.ts";
import type { Tensor } from "../tensor/tensor.ts";
import {
  checkLr,
  checkOption,
  Optimizer,
  type OptimizerOptions,
  type ParamsInput,
  type ParamState,
} from "./optimizer.ts";

/** Options of Adagrad (PyTorch's names in camelCase). */
export interface AdagradOptions extends OptimizerOptions {
  /** lr decay: step t uses lr / (1 + (t - 1) lrDecay) (default 0). */
  lrDecay: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Starting value of the squared-gradient sum (default 0). */
  initialAccumulatorValue: number;
  /** Added to the denominator for stability (default 1e-10). */
  eps: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/**
 * One Adagrad update (PyTorch 1.13's `_single_tensor_adagrad`, dense gradients). Kept as one
 * function so a fused GPU kernel can replace it (`Adagrad.update = ...`).
 */
export function adagradUpdate(
  param: Tensor,
  grad: Tensor,
  state: ParamState,
  o: AdagradOptions,
): void {
  if (state.step === undefined) {
    state.step = 0;
    state.sum = keep(fullLike(param, o.initialAccumulatorValue));
  }
  const step = (state.step as number) + 1;
  state.step = step;
  let g = o.maximize ? grad.neg() : grad;
  if (o.weightDecay !== 0) g = g.add(param, o.weightDecay);
  const clr = o.lr / (1 + (step - 1) * o.lrDecay);
  const sum = (state.sum as Tensor).addcmul_(g, g, 1);
  param.addcdiv_(g, sum.sqrt().add(o.eps), -clr);
}

/**
 * Implements Adagrad, like `torch.optim.Adagrad`. State per parameter: `step` and `sum`,
 * created for every parameter when the optimizer is built (as in PyTorch, so the state dict
 * lists parameters that never had a gradient).
 *
 * @example
 * ```ts
 * const opt = new Adagrad(model.parameters(), { lr: 0.01, lrDecay: 1e-4 });
 * ```
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  /** The per-parameter update (swappable for a fused kernel). */
  static update: typeof adagradUpdate = adagradUpdate;

  /** Options default to PyTorch's (lr 1e-2, eps 1e-10, everything else 0 / false). */
  constructor(params: ParamsInput<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super(params, {
      lr: 1e-2,
      lrDecay: 0,
      weightDecay: 0,
      initialAccumulatorValue: 0,
      eps: 1e-10,
      maximize: false,
      ...options,
    }, "Adagrad");
    // NOTE: PyTorch fills every sum with the constructor's initial_accumulator_value, even
    // where a group overrides it.
    const init = this.defaults.initialAccumulatorValue;
    noGrad(() => {
      for (const g of this.paramGroups) {
        for (const p of g.params) this.state.set(p, { step: 0, sum: keep(fullLike(p, init)) });
      }
    });
  }

  /** Checks lr, lrDecay, weightDecay, initialAccumulatorValue and eps. */
  protected validate(o: AdagradOptions): void {
    checkLr("Adagrad", o.lr);
    checkOption(o.lrDecay >= 0, "Adagrad", "lrDecay value", o.lrDecay);
    checkOption(o.weightDecay >= 0, "Adagrad", "weightDecay value", o.weightDecay);
    checkOption(
      o.initialAccumulatorValue >= 0,
      "Adagrad",
      "initialAccumulatorValue value",
      o.initialAccumulatorValue,
    );
    checkOption(o.eps >= 0, "Adagrad", "epsilon value", o.eps);
  }

  /** Applies `Adagrad.update`. */
  protected updateParam(
    param: Tensor,
    grad: Tensor,
    state: ParamState,
    group: AdagradOptions,
  ): void {
    Adagrad.update(param, grad, state, group);
  }
}

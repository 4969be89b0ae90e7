/** RAdam (Liu et al.): Adam with the variance of the adaptive step rectified early on. */
import { zerosLike } from "../tensor/creation.ts";
import { keep } from "../tensor/memory.ts";
import { div } from "../ops/elementwise.ts";
import type { Tensor } from "../tensor/tensor.ts";
import {
  Optimizer,
  type OptimizerOptions,
  type ParamsInput,
  type ParamState,
} from "./optimizer.ts";
import { validateAdam } from "./adam.ts";

/** Options of RAdam (PyTorch's names in camelCase). */
export interface RAdamOptions extends OptimizerOptions {
  /** Coefficients of the running averages of the gradient and its square (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
}

/**
 * One RAdam update (PyTorch 1.13's `_single_tensor_radam`): an SGD-with-momentum step while
 * the approximated SMA length ρ_t is at most 5, the rectified adaptive step after. Kept as one
 * function so a fused GPU kernel can replace it (`RAdam.update = ...`).
 */
export function radamUpdate(
  param: Tensor,
  grad: Tensor,
  state: ParamState,
  o: RAdamOptions,
): void {
  const [b1, b2] = o.betas;
  if (state.step === undefined) {
    state.step = 0;
    state.exp_avg = keep(zerosLike(param));
    state.exp_avg_sq = keep(zerosLike(param));
  }
  const step = (state.step as number) + 1;
  state.step = step;
  const g = o.weightDecay !== 0 ? grad.add(param, o.weightDecay) : grad;
  const expAvg = (state.exp_avg as Tensor).mul_(b1).add_(g, 1 - b1);
  const expAvgSq = (state.exp_avg_sq as Tensor).mul_(b2).addcmul_(g, g, 1 - b2);
  // ρ and the rectification are host numbers: the branch never needs a GPU readback.
  const bc1 = 1 - b1 ** step, bc2 = 1 - b2 ** step;
  const corrected = expAvg.div(bc1);
  const rhoInf = 2 / (1 - b2) - 1;
  const rhoT = rhoInf - 2 * step * b2 ** step / bc2;
  if (rhoT > 5) {
    const rect = Math.sqrt(
      (rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT),
    );
    const adaptiveLr = div(Math.sqrt(bc2), expAvgSq.sqrt().add(o.eps));
    param.sub_(corrected.mul(o.lr).mul(adaptiveLr).mul(rect));
  } else {
    param.sub_(corrected.mul(o.lr));
  }
}

/**
 * Implements RAdam, like `torch.optim.RAdam`. State per parameter: `step`, `exp_avg` and
 * `exp_avg_sq`. Schedulers that cycle momentum cycle `betas[0]`.
 *
 * @example
 * ```ts
 * const opt = new RAdam(model.parameters(), { lr: 1e-3 });
 * ```
 */
export class RAdam extends Optimizer<RAdamOptions> {
  /** The per-parameter update (swappable for a fused kernel). */
  static update: typeof radamUpdate = radamUpdate;

  /** Options default to PyTorch's (lr 1e-3, betas [0.9, 0.999], eps 1e-8). */
  constructor(params: ParamsInput<RAdamOptions>, options: Partial<RAdamOptions> = {}) {
    super(params, {
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      ...options,
    }, "RAdam");
  }

  /** Checks lr, eps, betas and weightDecay. */
  protected validate(o: RAdamOptions): void {
    validateAdam("RAdam", o);
  }

  /** Applies `RAdam.update`. */
  protected updateParam(param: Tensor, grad: Tensor, state: ParamState, group: RAdamOptions): void {
    RAdam.update(param, grad, state, group);
  }
}

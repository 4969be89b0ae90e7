/** Adamax (Kingma & Ba): Adam with the infinity norm in place of the second moment. */
import { zerosLike } from "../tensor/creation.ts";
import { keep } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { validateAdam } from "./adam.ts";
import {
  Optimizer,
  type OptimizerOptions,
  type ParamsInput,
  type ParamState,
} from "./optimizer.ts";

/** Options of Adamax (PyTorch's names in camelCase). */
export interface AdamaxOptions extends OptimizerOptions {
  /** Decay of the first moment and of the infinity norm (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to |grad| before the max, for stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/**
 * One Adamax update (PyTorch 1.13's `_single_tensor_adamax`). Kept as one function so a
 * fused GPU kernel can replace it (`Adamax.update = ...`).
 */
export function adamaxUpdate(
  param: Tensor,
  grad: Tensor,
  state: ParamState,
  o: AdamaxOptions,
): void {
  const [b1, b2] = o.betas;
  if (state.step === undefined) {
    state.step = 0;
    state.exp_avg = keep(zerosLike(param));
    state.exp_inf = keep(zerosLike(param));
  }
  const step = (state.step as number) + 1;
  state.step = step;
  let g = o.maximize ? grad.neg() : grad;
  if (o.weightDecay !== 0) g = g.add(param, o.weightDecay);
  const expAvg = (state.exp_avg as Tensor).mul_(b1).add_(g, 1 - b1);
  const expInf = (state.exp_inf as Tensor).mul_(b2);
  expInf.copy_(expInf.maximum(g.abs().add(o.eps)));
  // The bias correction is a host number: the step count never needs a GPU readback.
  param.addcdiv_(expAvg, expInf, -o.lr / (1 - b1 ** step));
}

/**
 * Implements Adamax, like `torch.optim.Adamax`. State per parameter: `step`, `exp_avg` and
 * `exp_inf`. Schedulers that cycle momentum (OneCycleLR, CyclicLR) cycle `betas[0]`.
 *
 * @example
 * ```ts
 * const opt = new Adamax(model.parameters(), { lr: 2e-3 });
 * ```
 */
export class Adamax extends Optimizer<AdamaxOptions> {
  /** The per-parameter update (swappable for a fused kernel). */
  static update: typeof adamaxUpdate = adamaxUpdate;

  /** Options default to PyTorch's (lr 2e-3, betas [0.9, 0.999], eps 1e-8). */
  constructor(params: ParamsInput<AdamaxOptions>, options: Partial<AdamaxOptions> = {}) {
    super(params, {
      lr: 2e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      maximize: false,
      ...options,
    }, "Adamax");
  }

  /** Checks lr, eps, betas and weightDecay. */
  protected validate(o: AdamaxOptions): void {
    validateAdam("Adamax", o);
  }

  /** Applies `Adamax.update`. */
  protected updateParam(
    param: Tensor,
    grad: Tensor,
    state: ParamState,
    group: AdamaxOptions,
  ): void {
    Adamax.update(param, grad, state, group);
  }
}

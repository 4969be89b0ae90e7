/** Adam (Kingma & Ba) with L2 weight decay, AMSGrad and maximize. */
import { zerosLike } from "../tensor/creation.ts";
import { keep } from "../tensor/memory.ts";
import { backendOf } from "../ops/dispatch.ts";
import { fusable } from "./sgd.ts";
import { Tensor } from "../tensor/tensor.ts";
import {
  checkLr,
  checkOption,
  Optimizer,
  type OptimizerOptions,
  type ParamsInput,
  type ParamState,
} from "./optimizer.ts";

/** Options of Adam and AdamW. */
export interface AdamOptions extends OptimizerOptions {
  /** Coefficients of the running averages of the gradient and its square (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for stability (default 1e-8). */
  eps: number;
  /** Weight decay (Adam: L2 penalty, default 0; AdamW: decoupled, default 1e-2). */
  weightDecay: number;
  /** Use the AMSGrad variant (default false). */
  amsgrad: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** Checks Adam/AdamW options (and the same ones of Adamax, NAdam, RAdam) with PyTorch's rules. */
export function validateAdam(
  name: string,
  o: Pick<AdamOptions, "lr" | "eps" | "betas" | "weightDecay">,
): void {
  checkLr(name, o.lr);
  checkOption(o.eps >= 0, name, "epsilon value", o.eps);
  const [b1, b2] = o.betas ?? [];
  checkOption(b1 >= 0 && b1 < 1, name, "beta parameter at index 0", b1);
  checkOption(b2 >= 0 && b2 < 1, name, "beta parameter at index 1", b2);
  checkOption(o.weightDecay >= 0, name, "weightDecay value", o.weightDecay);
}

/**
 * The moment updates and the step shared by Adam and AdamW (PyTorch 1.13's
 * `_single_tensor_adam` after weight decay). `grad` already includes any L2 term.
 */
export function adamMoments(param: Tensor, grad: Tensor, state: ParamState, o: AdamOptions): void {
  const [b1, b2] = o.betas;
  if (state.step === undefined) {
    state.step = 0;
    state.exp_avg = keep(zerosLike(param));
    state.exp_avg_sq = keep(zerosLike(param));
    if (o.amsgrad) state.max_exp_avg_sq = keep(zerosLike(param));
  }
  const step = (state.step as number) + 1;
  state.step = step;
  const expAvg = state.exp_avg as Tensor, expAvgSq = state.exp_avg_sq as Tensor;
  expAvg.mul_(b1).add_(grad, 1 - b1);
  expAvgSq.mul_(b2).addcmul_(grad, grad, 1 - b2);
  // Bias corrections are host numbers: the step count never needs a GPU readback.
  const stepSize = o.lr / (1 - b1 ** step);
  const bc2Sqrt = Math.sqrt(1 - b2 ** step);
  let second = expAvgSq;
  if (o.amsgrad) {
    const m = (state.max_exp_avg_sq ??= keep(zerosLike(param))) as Tensor;
    second = m.copy_(m.maximum(expAvgSq));
  }
  const denom = second.sqrt().div(bc2Sqrt).add(o.eps);
  param.addcdiv_(expAvg, denom, -stepSize);
}

/**
 * The whole Adam / AdamW (`decoupled`) update as one kernel dispatch on backends with
 * `adamStep` (float32, contiguous same-shape param, grad and state); false when the tensor-op
 * path must run.
 */
export function adamFused(
  param: Tensor,
  grad: Tensor,
  state: ParamState,
  o: AdamOptions,
  decoupled: boolean,
): boolean {
  const b = backendOf(decoupled ? "AdamW" : "Adam", param, grad);
  if (!b.adamStep || !fusable(param, grad)) return false;
  const buffers = ["exp_avg", "exp_avg_sq", ...(o.amsgrad ? ["max_exp_avg_sq"] : [])];
  if (state.step === undefined) {
    state.step = 0;
    state.exp_avg = keep(zerosLike(param));
    state.exp_avg_sq = keep(zerosLike(param));
  }
  if (o.amsgrad && !state.max_exp_avg_sq) state.max_exp_avg_sq = keep(zerosLike(param));
  for (const k of buffers) {
    const t = state[k];
    if (!(t instanceof Tensor) || !fusable(param, t)) return false;
  }
  const step = (state.step as number) + 1;
  state.step = step;
  const [b1, b2] = o.betas;
  const m = state.exp_avg as Tensor, v = state.exp_avg_sq as Tensor;
  const mx = o.amsgrad ? state.max_exp_avg_sq as Tensor : null;
  b.adamStep(param, grad, m, v, mx, {
    lr: o.lr,
    beta1: b1,
    beta2: b2,
    eps: o.eps,
    weightDecay: o.weightDecay,
    decoupled,
    maximize: o.maximize,
    stepSize: o.lr / (1 - b1 ** step),
    bc2Sqrt: Math.sqrt(1 - b2 ** step),
  });
  for (const t of [param, m, v, mx]) if (t) t.storage.version++;
  return true;
}

/**
 * One Adam update of `param` (L2 weight decay folded into the gradient). Kept as one
 * function so a fused GPU kernel can replace it (`Adam.update = ...`).
 */
export function adamUpdate(param: Tensor, grad: Tensor, state: ParamState, o: AdamOptions): void {
  if (adamFused(param, grad, state, o, false)) return;
  let g = o.maximize ? grad.neg() : grad;
  if (o.weightDecay !== 0) g = g.add(param, o.weightDecay);
  adamMoments(param, g, state, o);
}

/**
 * Implements Adam, like `torch.optim.Adam`. State per parameter: `step`, `exp_avg`,
 * `exp_avg_sq` and (AMSGrad) `max_exp_avg_sq`.
 *
 * @example
 * ```ts
 * const opt = new Adam(model.parameters(), { lr: 1e-3 });
 * ```
 */
export class Adam extends Optimizer<AdamOptions> {
  /** The per-parameter update (swappable for a fused kernel). */
  static update: typeof adamUpdate = adamUpdate;

  /** Options default to PyTorch's (lr 1e-3, betas [0.9, 0.999], eps 1e-8). */
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, {
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      amsgrad: false,
      maximize: false,
      ...options,
    }, "Adam");
  }

  /** Checks lr, eps, betas and weightDecay. */
  protected validate(o: AdamOptions): void {
    validateAdam("Adam", o);
  }

  /** Applies `Adam.update`. */
  protected updateParam(param: Tensor, grad: Tensor, state: ParamState, group: AdamOptions): void {
    Adam.update(param, grad, state, group);
  }
}

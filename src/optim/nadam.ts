/** NAdam (Dozat): Adam with Nesterov momentum and a momentum-decay schedule. */
import { zerosLike } from "../tensor/creation.ts";
import { keep } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { validateAdam } from "./adam.ts";
import {
  checkOption,
  Optimizer,
  type OptimizerOptions,
  type ParamsInput,
  type ParamState,
} from "./optimizer.ts";

/** Options of NAdam (PyTorch's names in camelCase). */
export interface NAdamOptions extends OptimizerOptions {
  /** Coefficients of the running averages of the gradient and its square (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** ψ of the momentum schedule μ_t = β1 (1 - 0.96^(tψ) / 2) (default 4e-3). */
  momentumDecay: number;
}

/**
 * One NAdam update (PyTorch 1.13's `_single_tensor_nadam`). Kept as one function so a fused
 * GPU kernel can replace it (`NAdam.update = ...`).
 */
export function nadamUpdate(
  param: Tensor,
  grad: Tensor,
  state: ParamState,
  o: NAdamOptions,
): void {
  const [b1, b2] = o.betas;
  if (state.step === undefined) {
    state.step = 0;
    state.mu_product = 1;
    state.exp_avg = keep(zerosLike(param));
    state.exp_avg_sq = keep(zerosLike(param));
  }
  const step = (state.step as number) + 1;
  state.step = step;
  const g = o.weightDecay !== 0 ? grad.add(param, o.weightDecay) : grad;
  // The momentum schedule and bias corrections are host numbers: no GPU readback.
  const mu = b1 * (1 - 0.5 * 0.96 ** (step * o.momentumDecay));
  const muNext = b1 * (1 - 0.5 * 0.96 ** ((step + 1) * o.momentumDecay));
  // NOTE: PyTorch keeps mu_product in a float32 0-d tensor whatever the parameters' dtype,
  // so every product is rounded to float32 (scalar operand included), as here.
  const f32 = Math.fround;
  const muProduct = f32((state.mu_product as number) * f32(mu));
  const muProductNext = f32(f32(muProduct * f32(mu)) * f32(muNext));
  state.mu_product = muProduct;
  const expAvg = (state.exp_avg as Tensor).mul_(b1).add_(g, 1 - b1);
  const expAvgSq = (state.exp_avg_sq as Tensor).mul_(b2).addcmul_(g, g, 1 - b2);
  const denom = expAvgSq.div(1 - b2 ** step).sqrt().add(o.eps);
  param.addcdiv_(g, denom, -o.lr * (1 - mu) / (1 - muProduct));
  param.addcdiv_(expAvg, denom, -o.lr * muNext / (1 - muProductNext));
}

/**
 * Implements NAdam, like `torch.optim.NAdam`. State per parameter: `step`, `mu_product` (host
 * numbers), `exp_avg` and `exp_avg_sq`. Schedulers that cycle momentum cycle `betas[0]`.
 *
 * @example
 * ```ts
 * const opt = new NAdam(model.parameters(), { lr: 2e-3, momentumDecay: 4e-3 });
 * ```
 */
export class NAdam extends Optimizer<NAdamOptions> {
  /** The per-parameter update (swappable for a fused kernel). */
  static update: typeof nadamUpdate = nadamUpdate;

  /** Options default to PyTorch's (lr 2e-3, betas [0.9, 0.999], eps 1e-8, momentumDecay 4e-3). */
  constructor(params: ParamsInput<NAdamOptions>, options: Partial<NAdamOptions> = {}) {
    super(params, {
      lr: 2e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      momentumDecay: 4e-3,
      ...options,
    }, "NAdam");
  }

  /** Checks lr, eps, betas, weightDecay and momentumDecay. */
  protected validate(o: NAdamOptions): void {
    validateAdam("NAdam", o);
    checkOption(o.momentumDecay >= 0, "NAdam", "momentumDecay value", o.momentumDecay);
  }

  /** `mu_product` is a host number too (a float32 0-d tensor in PyTorch). */
  protected override isHostScalar(key: string): boolean {
    return key === "mu_product" || super.isHostScalar(key);
  }

  /** Applies `NAdam.update`. */
  protected updateParam(param: Tensor, grad: Tensor, state: ParamState, group: NAdamOptions): void {
    NAdam.update(param, grad, state, group);
  }
}

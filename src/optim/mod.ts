/**
 * Optimizers, learning-rate schedulers and gradient clipping, like `torch.optim` (plus
 * `torch.nn.utils.clip_grad_norm_` / `clip_grad_value_`).
 *
 * @example
 * ```ts
 * import { optim } from "@denotorch/core";
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * const sched = new optim.lrScheduler.StepLR(opt, 30);
 * ```
 * @module
 */
export { checkLr, disposeState, Optimizer } from "./optimizer.ts";
export type {
  OptimizerOptions,
  OptimizerStateDict,
  ParamGroup,
  ParamGroupInput,
  ParamsInput,
  ParamState,
  SchedulerGroupKeys,
  ZeroGradOptions,
} from "./optimizer.ts";
export { SGD, sgdUpdate } from "./sgd.ts";
export type { SGDOptions } from "./sgd.ts";
export { Adam, adamMoments, adamUpdate } from "./adam.ts";
export type { AdamOptions } from "./adam.ts";
export { AdamW, adamwUpdate } from "./adamw.ts";
export { RMSprop, rmspropUpdate } from "./rmsprop.ts";
export type { RMSpropOptions } from "./rmsprop.ts";
export { clipGradNorm_, clipGradNormChecked_, clipGradValue_ } from "./clip_grad.ts";
export type { ClipGradNormOptions } from "./clip_grad.ts";
export * as lrScheduler from "./lr_scheduler/mod.ts";
export { Adagrad, adagradUpdate } from "./adagrad.ts";
export type { AdagradOptions } from "./adagrad.ts";
export { Adamax, adamaxUpdate } from "./adamax.ts";
export type { AdamaxOptions } from "./adamax.ts";
export type { ParamStateValue } from "./optimizer.ts";
export { NAdam, nadamUpdate } from "./nadam.ts";
export type { NAdamOptions } from "./nadam.ts";
export { RAdam, radamUpdate } from "./radam.ts";
export type { RAdamOptions } from "./radam.ts";
export { LBFGS } from "./lbfgs.ts";
export type { LBFGSOptions } from "./lbfgs.ts";

/**
 * Learning-rate schedulers, like `torch.optim.lr_scheduler`.
 * @module
 */
export { LRScheduler } from "./scheduler.ts";
export type { AnyOptimizer, Scheduler, SchedulerStateDict } from "./scheduler.ts";
export { StepLR } from "./step_lr.ts";
export type { StepLROptions } from "./step_lr.ts";
export { MultiStepLR } from "./multistep_lr.ts";
export type { MultiStepLROptions } from "./multistep_lr.ts";
export { ExponentialLR } from "./exponential_lr.ts";
export { CosineAnnealingLR } from "./cosine_annealing_lr.ts";
export type { CosineAnnealingLROptions } from "./cosine_annealing_lr.ts";
export { LinearLR } from "./linear_lr.ts";
export type { LinearLROptions } from "./linear_lr.ts";
export { OneCycleLR } from "./one_cycle_lr.ts";
export type { OneCycleLROptions } from "./one_cycle_lr.ts";
export { SequentialLR } from "./sequential_lr.ts";
export { ReduceLROnPlateau } from "./reduce_lr_on_plateau.ts";
export type { ReduceLROnPlateauOptions } from "./reduce_lr_on_plateau.ts";
export { LambdaLR } from "./lambda_lr.ts";
export type { LambdaLROptions, LrLambda } from "./lambda_lr.ts";
export { MultiplicativeLR } from "./multiplicative_lr.ts";
export { ConstantLR } from "./constant_lr.ts";
export type { ConstantLROptions } from "./constant_lr.ts";
export { PolynomialLR } from "./polynomial_lr.ts";
export type { PolynomialLROptions } from "./polynomial_lr.ts";
export { CosineAnnealingWarmRestarts } from "./cosine_annealing_warm_restarts.ts";
export type { CosineAnnealingWarmRestartsOptions } from "./cosine_annealing_warm_restarts.ts";
export { CyclicLR } from "./cyclic_lr.ts";
export type { CyclicLRMode, CyclicLROptions } from "./cyclic_lr.ts";
export { ChainedScheduler } from "./chained_scheduler.ts";

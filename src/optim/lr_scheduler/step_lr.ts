/** StepLR: decays each group's lr by `gamma` every `stepSize` epochs. */
import { type AnyOptimizer, LRScheduler } from "./scheduler.ts";

/** Options of StepLR. */
export interface StepLROptions {
  /** Multiplicative decay (default 0.1). */
  gamma?: number;
  /** Index of the last epoch when resuming (default -1). */
  lastEpoch?: number;
}

/**
 * Decays the lr by `gamma` every `stepSize` epochs, like `torch.optim.lr_scheduler.StepLR`.
 *
 * @example
 * ```ts
 * const sched = new StepLR(opt, 30, { gamma: 0.1 });
 * for (let epoch = 0; epoch < 100; epoch++) { train(); sched.step(); }
 * ```
 */
export class StepLR extends LRScheduler {
  /** Period of the decay, in epochs. */
  stepSize: number;
  /** Multiplicative decay. */
  gamma: number;

  /** Wraps `optimizer`; takes the initial step. */
  constructor(optimizer: AnyOptimizer, stepSize: number, opts: StepLROptions = {}) {
    super(optimizer, opts.lastEpoch ?? -1, "StepLR");
    if (!(Number.isInteger(stepSize) && stepSize > 0)) {
      throw new RangeError(`StepLR: stepSize must be a positive integer (got ${stepSize})`);
    }
    this.stepSize = stepSize;
    this.gamma = opts.gamma ?? 0.1;
    this.initialStep();
  }

  /** Recursive form: multiply by gamma at multiples of stepSize. */
  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) {
      return groups.map((g) => g.lr);
    }
    return groups.map((g) => g.lr * this.gamma);
  }

  /** base * gamma ** floor(epoch / stepSize). */
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }

  /** step_size and gamma. */
  protected fields(): Record<string, string> {
    return { step_size: "stepSize", gamma: "gamma" };
  }
}

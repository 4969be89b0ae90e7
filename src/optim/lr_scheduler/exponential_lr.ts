/** ExponentialLR: multiplies each group's lr by `gamma` every epoch. */
import { type AnyOptimizer, LRScheduler } from "./scheduler.ts";

/**
 * Decays the lr by `gamma` every epoch, like `torch.optim.lr_scheduler.ExponentialLR`.
 *
 * @example
 * ```ts
 * const sched = new ExponentialLR(opt, 0.95);
 * ```
 */
export class ExponentialLR extends LRScheduler {
  /** Multiplicative decay per epoch. */
  gamma: number;

  /** Wraps `optimizer`; takes the initial step. */
  constructor(optimizer: AnyOptimizer, gamma: number, opts: { lastEpoch?: number } = {}) {
    super(optimizer, opts.lastEpoch ?? -1, "ExponentialLR");
    this.gamma = gamma;
    this.initialStep();
  }

  /** Recursive form: lr * gamma after the first epoch. */
  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  /** base * gamma ** epoch. */
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }

  /** gamma. */
  protected fields(): Record<string, string> {
    return { gamma: "gamma" };
  }
}

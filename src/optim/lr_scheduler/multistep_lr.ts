/** MultiStepLR: decays each group's lr by `gamma` at each milestone epoch. */
import { type AnyOptimizer, LRScheduler } from "./scheduler.ts";

/** Options of MultiStepLR. */
export interface MultiStepLROptions {
  /** Multiplicative decay (default 0.1). */
  gamma?: number;
  /** Index of the last epoch when resuming (default -1). */
  lastEpoch?: number;
}

function bisectRight(sorted: number[], x: number): number {
  let i = 0;
  while (i < sorted.length && sorted[i] <= x) i++;
  return i;
}

/**
 * Decays the lr by `gamma` once the epoch reaches each milestone, like
 * `torch.optim.lr_scheduler.MultiStepLR` (a milestone listed twice decays twice).
 *
 * @example
 * ```ts
 * const sched = new MultiStepLR(opt, [30, 80], { gamma: 0.1 });
 * ```
 */
export class MultiStepLR extends LRScheduler {
  /** Epochs at which to decay (sorted; repeats allowed). */
  milestones: number[];
  /** Multiplicative decay. */
  gamma: number;

  /** Wraps `optimizer`; takes the initial step. */
  constructor(optimizer: AnyOptimizer, milestones: number[], opts: MultiStepLROptions = {}) {
    super(optimizer, opts.lastEpoch ?? -1, "MultiStepLR");
    if (!Array.isArray(milestones) || !milestones.every(Number.isInteger)) {
      throw new TypeError(`MultiStepLR: milestones must be a list of integers`);
    }
    this.milestones = [...milestones].sort((a, b) => a - b);
    this.gamma = opts.gamma ?? 0.1;
    this.initialStep();
  }

  /** Recursive form: multiply by gamma ** (times lastEpoch is a milestone). */
  protected getLr(): number[] {
    const count = this.milestones.filter((m) => m === this.lastEpoch).length;
    const groups = this.optimizer.paramGroups;
    if (count === 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma ** count);
  }

  /** base * gamma ** (milestones passed). */
  protected override closedFormLr(): number[] {
    const k = bisectRight(this.milestones, this.lastEpoch);
    return this.baseLrs.map((b) => b * this.gamma ** k);
  }

  /** milestones and gamma. */
  protected fields(): Record<string, string> {
    return { milestones: "milestones", gamma: "gamma" };
  }
}

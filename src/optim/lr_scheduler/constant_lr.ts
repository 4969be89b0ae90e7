/** ConstantLR: scales the lr by a constant factor until totalIters, then restores it. */
import { type AnyOptimizer, LRScheduler } from "./scheduler.ts";

/** Options of ConstantLR. */
export interface ConstantLROptions {
  /** Factor applied until totalIters, in [0, 1] (default 1/3). */
  factor?: number;
  /** Epochs the factor applies (default 5). */
  totalIters?: number;
  /** Index of the last epoch when resuming (default -1). */
  lastEpoch?: number;
}

/**
 * Multiplies each group's lr by `factor` until epoch `totalIters`, like
 * `torch.optim.lr_scheduler.ConstantLR` (a simple warm-up).
 *
 * @example
 * ```ts
 * const sched = new ConstantLR(opt, { factor: 0.5, totalIters: 4 });
 * ```
 */
export class ConstantLR extends LRScheduler {
  /** Factor applied until totalIters. */
  factor: number;
  /** Epochs the factor applies. */
  totalIters: number;

  /** Wraps `optimizer`; takes the initial step. */
  constructor(optimizer: AnyOptimizer, opts: ConstantLROptions = {}) {
    const { factor = 1 / 3, totalIters = 5 } = opts;
    if (!(factor >= 0 && factor <= 1)) {
      throw new RangeError(
        `ConstantLR: constant multiplicative factor expected to be between 0 and 1 (got ${factor})`,
      );
    }
    super(optimizer, opts.lastEpoch ?? -1, "ConstantLR");
    this.factor = factor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  /** PyTorch 1.13's recursive formula. */
  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return groups.map((g) => g.lr);
    if (this.factor === 0) {
      // NOTE: PyTorch divides by the factor here too and raises ZeroDivisionError.
      throw new RangeError("ConstantLR: cannot restore the lr after factor 0 (division by zero)");
    }
    return groups.map((g) => g.lr * (1 / this.factor));
  }

  /** base * (factor, or 1 from totalIters on). */
  protected override closedFormLr(): number[] {
    const done = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((b) => b * (this.factor + done * (1 - this.factor)));
  }

  /** factor and total_iters. */
  protected fields(): Record<string, string> {
    return { factor: "factor", total_iters: "totalIters" };
  }
}

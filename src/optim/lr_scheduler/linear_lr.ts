/** LinearLR: scales the lr linearly from startFactor to endFactor over totalIters. */
import { type AnyOptimizer, LRScheduler } from "./scheduler.ts";

/** Options of LinearLR. */
export interface LinearLROptions {
  /** Factor at the first epoch, in (0, 1] (default 1/3). */
  startFactor?: number;
  /** Factor after totalIters epochs, in [0, 1] (default 1). */
  endFactor?: number;
  /** Epochs of the ramp (default 5). */
  totalIters?: number;
  /** Index of the last epoch when resuming (default -1). */
  lastEpoch?: number;
}

/**
 * Ramps each group's lr by a linearly changing factor, like
 * `torch.optim.lr_scheduler.LinearLR` (a common warm-up).
 *
 * @example
 * ```ts
 * const warmup = new LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 * ```
 */
export class LinearLR extends LRScheduler {
  /** Factor at the first epoch. */
  startFactor: number;
  /** Final factor. */
  endFactor: number;
  /** Epochs of the ramp. */
  totalIters: number;

  /** Wraps `optimizer`; takes the initial step. */
  constructor(optimizer: AnyOptimizer, opts: LinearLROptions = {}) {
    super(optimizer, opts.lastEpoch ?? -1, "LinearLR");
    const { startFactor = 1 / 3, endFactor = 1, totalIters = 5 } = opts;
    if (startFactor > 1 || startFactor < 0) {
      throw new RangeError(
        `LinearLR: startFactor expected to be between 0 and 1 (got ${startFactor})`,
      );
    }
    if (endFactor > 1 || endFactor < 0) {
      throw new RangeError(`LinearLR: endFactor expected to be between 0 and 1 (got ${endFactor})`);
    }
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  /** PyTorch 1.13's recursive formula. */
  protected getLr(): number[] {
    const { startFactor: s, endFactor: f, totalIters: n, lastEpoch: e } = this;
    const groups = this.optimizer.paramGroups;
    if (e === 0) return groups.map((g) => g.lr * s);
    if (e > n) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * (1 + (f - s) / (n * s + (e - 1) * (f - s))));
  }

  /** base * (s + (f - s) * min(n, epoch) / n). */
  protected override closedFormLr(): number[] {
    const { startFactor: s, endFactor: f, totalIters: n, lastEpoch: e } = this;
    return this.baseLrs.map((b) => b * (s + (f - s) * Math.min(n, e) / n));
  }

  /** start_factor, end_factor and total_iters. */
  protected fields(): Record<string, string> {
    return { start_factor: "startFactor", end_factor: "endFactor", total_iters: "totalIters" };
  }
}

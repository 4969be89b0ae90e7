/** PolynomialLR: decays the lr to zero along a polynomial over totalIters epochs. */
import { type AnyOptimizer, LRScheduler } from "./scheduler.ts";

/** Options of PolynomialLR (PyTorch 1.13's defaults). */
export interface PolynomialLROptions {
  /** Epochs of the decay (default 5). */
  totalIters?: number;
  /** Power of the polynomial (default 1, a linear decay). */
  power?: number;
  /** Index of the last epoch when resuming (default -1). */
  lastEpoch?: number;
}

/**
 * Decays each group's lr as base * (1 - epoch / totalIters) ** power until totalIters, then
 * holds it, like `torch.optim.lr_scheduler.PolynomialLR` (PyTorch 1.13 defaults).
 *
 * @example
 * ```ts
 * const sched = new PolynomialLR(opt, { totalIters: 100, power: 2 });
 * ```
 */
export class PolynomialLR extends LRScheduler {
  /** Epochs of the decay. */
  totalIters: number;
  /** Power of the polynomial. */
  power: number;

  /** Wraps `optimizer`; takes the initial step. */
  constructor(optimizer: AnyOptimizer, opts: PolynomialLROptions = {}) {
    const { totalIters = 5, power = 1 } = opts;
    if (!(Number.isInteger(totalIters) && totalIters > 0)) {
      throw new RangeError(
        `PolynomialLR: totalIters must be a positive integer (got ${totalIters})`,
      );
    }
    super(optimizer, opts.lastEpoch ?? -1, "PolynomialLR");
    this.totalIters = totalIters;
    this.power = power;
    this.initialStep();
  }

  /** PyTorch 1.13's recursive formula (the ratio of consecutive closed-form factors). */
  protected getLr(): number[] {
    const { totalIters: n, power: p, lastEpoch: e } = this;
    const groups = this.optimizer.paramGroups;
    if (e === 0 || e > n) return groups.map((g) => g.lr);
    const decay = ((1 - e / n) / (1 - (e - 1) / n)) ** p;
    return groups.map((g) => g.lr * decay);
  }

  /** base * (1 - min(totalIters, epoch) / totalIters) ** power. */
  protected override closedFormLr(): number[] {
    const { totalIters: n, power: p, lastEpoch: e } = this;
    return this.baseLrs.map((b) => b * (1 - Math.min(n, e) / n) ** p);
  }

  /** total_iters and power. */
  protected fields(): Record<string, string> {
    return { total_iters: "totalIters", power: "power" };
  }
}

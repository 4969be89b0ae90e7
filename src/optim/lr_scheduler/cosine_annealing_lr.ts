/** CosineAnnealingLR in PyTorch's recursive form (values match PyTorch step by step). */
import { type AnyOptimizer, LRScheduler } from "./scheduler.ts";

/** Options of CosineAnnealingLR. */
export interface CosineAnnealingLROptions {
  /** Minimum lr (default 0). */
  etaMin?: number;
  /** Index of the last epoch when resuming (default -1). */
  lastEpoch?: number;
}

/** Python's modulo (the result takes the divisor's sign). */
function pyMod(a: number, m: number): number {
  return ((a % m) + m) % m;
}

/**
 * Anneals the lr along a cosine from the base lr to `etaMin` over `tMax` epochs, like
 * `torch.optim.lr_scheduler.CosineAnnealingLR`. The recursive form is used, so lr changes
 * made outside the scheduler carry through, exactly as in PyTorch.
 *
 * @example
 * ```ts
 * const sched = new CosineAnnealingLR(opt, 50, { etaMin: 1e-5 });
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Half-period, in epochs (PyTorch's T_max). */
  tMax: number;
  /** Minimum lr. */
  etaMin: number;

  /** Wraps `optimizer`; takes the initial step. */
  constructor(optimizer: AnyOptimizer, tMax: number, opts: CosineAnnealingLROptions = {}) {
    super(optimizer, opts.lastEpoch ?? -1, "CosineAnnealingLR");
    if (!(tMax > 0)) throw new RangeError(`CosineAnnealingLR: tMax must be positive (got ${tMax})`);
    this.tMax = tMax;
    this.etaMin = opts.etaMin ?? 0;
    this.initialStep();
  }

  /** PyTorch 1.13's recursive formula, branch for branch. */
  protected getLr(): number[] {
    const { tMax: T, etaMin: eta, lastEpoch: e } = this;
    const groups = this.optimizer.paramGroups;
    if (e === 0) return groups.map((g) => g.lr);
    if (this.stepCount === 1 && e > 0) {
      return this.baseLrs.map((b) => eta + (b - eta) * (1 + Math.cos(e * Math.PI / T)) / 2);
    }
    if (pyMod(e - 1 - T, 2 * T) === 0) {
      return groups.map((g, i) => g.lr + (this.baseLrs[i] - eta) * (1 - Math.cos(Math.PI / T)) / 2);
    }
    return groups.map((g) =>
      (1 + Math.cos(Math.PI * e / T)) / (1 + Math.cos(Math.PI * (e - 1) / T)) * (g.lr - eta) + eta
    );
  }

  /** eta + (base - eta) (1 + cos(pi epoch / tMax)) / 2. */
  protected override closedFormLr(): number[] {
    const { tMax: T, etaMin: eta, lastEpoch: e } = this;
    return this.baseLrs.map((b) => eta + (b - eta) * (1 + Math.cos(Math.PI * e / T)) / 2);
  }

  /** T_max and eta_min. */
  protected fields(): Record<string, string> {
    return { T_max: "tMax", eta_min: "etaMin" };
  }
}

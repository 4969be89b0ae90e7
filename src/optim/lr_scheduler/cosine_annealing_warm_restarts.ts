/** CosineAnnealingWarmRestarts (SGDR): cosine annealing restarted every T_i epochs. */
import { type AnyOptimizer, LRScheduler } from "./scheduler.ts";

/** Options of CosineAnnealingWarmRestarts. */
export interface CosineAnnealingWarmRestartsOptions {
  /** Factor by which the period grows after each restart, an integer >= 1 (default 1). */
  tMult?: number;
  /** Minimum lr (default 0). */
  etaMin?: number;
  /** Index of the last epoch when resuming (default -1). */
  lastEpoch?: number;
}

/**
 * Anneals each group's lr along a cosine from its initial lr to `etaMin`, restarting after
 * `t0` epochs and then after periods growing by `tMult`, like
 * `torch.optim.lr_scheduler.CosineAnnealingWarmRestarts`. `step(epoch)` accepts fractional
 * epochs, so the schedule can advance per batch.
 *
 * @example
 * ```ts
 * const sched = new CosineAnnealingWarmRestarts(opt, 10, { tMult: 2 });
 * for (let epoch = 0; epoch < 20; epoch++) {
 *   for (let i = 0; i < iters; i++) { train(); sched.step(epoch + i / iters); }
 * }
 * ```
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  /** Epochs until the first restart (PyTorch's T_0). */
  t0: number;
  /** Epochs of the current period (T_i). */
  tI: number;
  /** Growth factor of the period (T_mult). */
  tMult: number;
  /** Minimum lr. */
  etaMin: number;
  /** Epochs since the last restart, possibly fractional (T_cur). */
  tCur: number;

  /** Wraps `optimizer`; takes the initial step. */
  constructor(optimizer: AnyOptimizer, t0: number, opts: CosineAnnealingWarmRestartsOptions = {}) {
    const { tMult = 1, etaMin = 0, lastEpoch = -1 } = opts;
    if (!(Number.isInteger(t0) && t0 > 0)) {
      throw new RangeError(`CosineAnnealingWarmRestarts: expected positive integer t0, got ${t0}`);
    }
    if (!(Number.isInteger(tMult) && tMult >= 1)) {
      throw new RangeError(
        `CosineAnnealingWarmRestarts: expected integer tMult >= 1, got ${tMult}`,
      );
    }
    super(optimizer, lastEpoch, "CosineAnnealingWarmRestarts");
    this.t0 = t0;
    this.tI = t0;
    this.tMult = tMult;
    this.etaMin = etaMin;
    this.tCur = lastEpoch;
    this.initialStep();
  }

  /** eta + (base - eta) (1 + cos(pi T_cur / T_i)) / 2. */
  protected getLr(): number[] {
    const { etaMin: eta, tCur, tI } = this;
    return this.baseLrs.map((b) => eta + (b - eta) * (1 + Math.cos(Math.PI * tCur / tI)) / 2);
  }

  /**
   * Advances one epoch, or jumps to `epoch` (fractional allowed, e.g. `epoch + i / iters`).
   * Unlike the other schedulers this does not warn about the call order (as in PyTorch).
   */
  override step(epoch?: number): void {
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.tCur = this.tCur + 1;
      if (this.tCur >= this.tI) {
        this.tCur = this.tCur - this.tI;
        this.tI = this.tI * this.tMult;
      }
    } else {
      if (!(epoch >= 0)) {
        throw new RangeError(
          `CosineAnnealingWarmRestarts.step: expected non-negative epoch, but got ${epoch}`,
        );
      }
      if (epoch >= this.t0) {
        if (this.tMult === 1) this.tCur = epoch % this.t0;
        else {
          // NOTE: Python's math.log(x, base) is log(x) / log(base); int() truncates.
          const n = Math.trunc(
            Math.log(epoch / this.t0 * (this.tMult - 1) + 1) / Math.log(this.tMult),
          );
          this.tCur = epoch - this.t0 * (this.tMult ** n - 1) / (this.tMult - 1);
          this.tI = this.t0 * this.tMult ** n;
        }
      } else {
        this.tI = this.t0;
        this.tCur = epoch;
      }
    }
    this.lastEpoch = Math.floor(epoch);
    const values = this.getLr();
    this.optimizer.paramGroups.forEach((g, i) => g.lr = values[i]);
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** T_0, T_i, T_mult, eta_min and T_cur. */
  protected fields(): Record<string, string> {
    return { T_0: "t0", T_i: "tI", T_mult: "tMult", eta_min: "etaMin", T_cur: "tCur" };
  }
}

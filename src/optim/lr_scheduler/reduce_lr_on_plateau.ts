/** ReduceLROnPlateau: cuts the lr when a metric stops improving. */
import type { AnyOptimizer, Scheduler, SchedulerStateDict } from "./scheduler.ts";

/** Options of ReduceLROnPlateau (PyTorch's defaults). */
export interface ReduceLROnPlateauOptions {
  /** "min" (default): lower is better; "max": higher is better. */
  mode?: "min" | "max";
  /** lr multiplier on a plateau, < 1 (default 0.1). */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** Minimum change that counts as an improvement (default 1e-4). */
  threshold?: number;
  /** "rel" (default): relative to the best; "abs": absolute. */
  thresholdMode?: "rel" | "abs";
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** Lower bound on the lr, for all groups or per group (default 0). */
  minLr?: number | number[];
  /** Reductions smaller than eps are skipped (default 1e-8). */
  eps?: number;
}

/**
 * Reduces each group's lr by `factor` when the metric passed to `step(metric)` has not
 * improved for `patience` epochs, like `torch.optim.lr_scheduler.ReduceLROnPlateau`.
 *
 * @example
 * ```ts
 * const sched = new ReduceLROnPlateau(opt, { patience: 3 });
 * sched.step(validationLoss);
 * ```
 */
export class ReduceLROnPlateau implements Scheduler {
  /** The optimizer whose lrs are reduced. */
  readonly optimizer: AnyOptimizer;
  /** lr multiplier. */
  factor: number;
  /** Per-group lr floors. */
  minLrs: number[];
  /** Tolerated epochs without improvement. */
  patience: number;
  /** Cooldown length after a reduction. */
  cooldown: number;
  /** Epochs of cooldown left. */
  cooldownCounter = 0;
  /** "min" or "max". */
  mode: "min" | "max";
  /** Improvement threshold. */
  threshold: number;
  /** "rel" or "abs". */
  thresholdMode: "rel" | "abs";
  /** Best metric so far. */
  best: number;
  /** Epochs since the last improvement. */
  numBadEpochs = 0;
  /** Smallest reduction applied. */
  eps: number;
  /** Number of step() calls. */
  lastEpoch = 0;
  #lastLr: number[];

  /** Wraps `optimizer`; validates the options. */
  constructor(optimizer: AnyOptimizer, opts: ReduceLROnPlateauOptions = {}) {
    this.optimizer = optimizer;
    this.factor = opts.factor ?? 0.1;
    if (!(this.factor < 1)) {
      throw new RangeError(`ReduceLROnPlateau: factor should be < 1.0 (got ${this.factor})`);
    }
    const n = optimizer.paramGroups.length;
    const minLr = opts.minLr ?? 0;
    if (Array.isArray(minLr) && minLr.length !== n) {
      throw new RangeError(`ReduceLROnPlateau: expected ${n} minLrs, got ${minLr.length}`);
    }
    this.minLrs = Array.isArray(minLr) ? [...minLr] : new Array(n).fill(minLr);
    this.patience = opts.patience ?? 10;
    this.cooldown = opts.cooldown ?? 0;
    this.mode = opts.mode ?? "min";
    this.threshold = opts.threshold ?? 1e-4;
    this.thresholdMode = opts.thresholdMode ?? "rel";
    this.eps = opts.eps ?? 1e-8;
    this.checkModes();
    this.best = this.modeWorse();
    this.#lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  private checkModes(): void {
    if (this.mode !== "min" && this.mode !== "max") {
      throw new RangeError(`ReduceLROnPlateau: mode ${this.mode} is unknown`);
    }
    if (this.thresholdMode !== "rel" && this.thresholdMode !== "abs") {
      throw new RangeError(`ReduceLROnPlateau: threshold mode ${this.thresholdMode} is unknown`);
    }
  }

  private modeWorse(): number {
    return this.mode === "min" ? Infinity : -Infinity;
  }

  /** Whether `a` improves on `best` under the mode and threshold. */
  isBetter(a: number, best: number): boolean {
    const t = this.threshold;
    if (this.mode === "min") {
      return this.thresholdMode === "rel" ? a < best * (1 - t) : a < best - t;
    }
    return this.thresholdMode === "rel" ? a > best * (t + 1) : a > best + t;
  }

  /** Feeds one epoch's metric (a number; read tensors first with `await t.item()`). */
  step(metric: number): void {
    if (typeof metric !== "number") {
      throw new TypeError(
        "ReduceLROnPlateau.step: metric must be a number (use `await loss.item()`)",
      );
    }
    this.lastEpoch++;
    if (this.isBetter(metric, this.best)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else this.numBadEpochs++;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0; // bad epochs in cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const next = Math.max(g.lr * this.factor, this.minLrs[i]);
        if (g.lr - next > this.eps) g.lr = next;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.#lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The lrs after the last step. */
  getLastLr(): number[] {
    return [...this.#lastLr];
  }

  /** PyTorch's attribute names and values. */
  stateDict(): SchedulerStateDict {
    return {
      factor: this.factor,
      min_lrs: [...this.minLrs],
      patience: this.patience,
      cooldown: this.cooldown,
      cooldown_counter: this.cooldownCounter,
      mode: this.mode,
      threshold: this.threshold,
      threshold_mode: this.thresholdMode,
      best: this.best,
      num_bad_epochs: this.numBadEpochs,
      mode_worse: this.modeWorse(),
      eps: this.eps,
      last_epoch: this.lastEpoch,
      _last_lr: [...this.#lastLr],
    };
  }

  /** Restores a state from `stateDict()`. */
  loadStateDict(sd: SchedulerStateDict): void {
    const num = (k: string, cur: number): number =>
      typeof sd[k] === "number" ? sd[k] as number : cur;
    this.factor = num("factor", this.factor);
    if (Array.isArray(sd.min_lrs)) this.minLrs = [...sd.min_lrs as number[]];
    this.patience = num("patience", this.patience);
    this.cooldown = num("cooldown", this.cooldown);
    this.cooldownCounter = num("cooldown_counter", this.cooldownCounter);
    if (sd.mode === "min" || sd.mode === "max") this.mode = sd.mode;
    this.threshold = num("threshold", this.threshold);
    if (sd.threshold_mode === "rel" || sd.threshold_mode === "abs") {
      this.thresholdMode = sd.threshold_mode;
    }
    this.best = num("best", this.best);
    this.numBadEpochs = num("num_bad_epochs", this.numBadEpochs);
    this.eps = num("eps", this.eps);
    this.lastEpoch = num("last_epoch", this.lastEpoch);
    if (Array.isArray(sd._last_lr)) this.#lastLr = [...sd._last_lr as number[]];
    this.checkModes();
  }
}

/**
 * The LRScheduler base (PyTorch's `_LRScheduler`): base lrs from `initialLr`, the epoch
 * counter, `step()`, `getLastLr()` and state dicts with PyTorch's keys.
 */
import type { Optimizer, OptimizerOptions } from "../optimizer.ts";

/** Any optimizer, as schedulers see it: groups with an `lr` and scheduler keys. */
export type AnyOptimizer = Optimizer<OptimizerOptions>;

/** A scheduler's state: PyTorch's attribute names mapped to plain values. */
export type SchedulerStateDict = Record<string, unknown>;

/** What every scheduler offers (ReduceLROnPlateau's step takes a metric instead). */
export interface Scheduler {
  /** The lrs set by the last step, one per group. */
  getLastLr(): number[];
  /** The scheduler's state, to save. */
  stateDict(): SchedulerStateDict;
  /** Restores a state from `stateDict()`. */
  loadStateDict(sd: SchedulerStateDict): void;
}

function copyValue(v: unknown): unknown {
  return Array.isArray(v) ? v.map(copyValue) : v;
}

/**
 * Base of the epoch-driven schedulers. Subclasses set their fields, then call
 * `initialStep()` at the end of their constructor (PyTorch does it in the base constructor,
 * which TypeScript runs before subclass fields exist).
 */
export abstract class LRScheduler implements Scheduler {
  /** The optimizer whose groups' `lr` this scheduler writes. */
  readonly optimizer: AnyOptimizer;
  /** Each group's `initialLr`. */
  baseLrs: number[];
  /** Index of the last epoch (or step) taken; -1 before the initial step. */
  lastEpoch: number;
  /** How many times step() ran (PyTorch's `_step_count`). */
  protected stepCount = 0;
  /** The lrs after the last step (PyTorch's `_last_lr`). */
  protected lastLr: number[] = [];
  #optimizerStepsAtStart = 0;

  /** Sets `initialLr` on each group (or, when resuming with lastEpoch >= 0, requires it). */
  constructor(optimizer: AnyOptimizer, lastEpoch = -1, name = "LRScheduler") {
    if (!optimizer || !Array.isArray(optimizer.paramGroups)) {
      throw new TypeError(`${name}: expected an Optimizer`);
    }
    this.optimizer = optimizer;
    optimizer.paramGroups.forEach((g, i) => {
      if (lastEpoch === -1) g.initialLr ??= g.lr;
      else if (g.initialLr === undefined) {
        throw new Error(
          `${name}: param 'initialLr' is not specified in paramGroups[${i}] when resuming ` +
            `an optimizer (lastEpoch ${lastEpoch})`,
        );
      }
    });
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  /** The lrs for `lastEpoch`, computed recursively from the groups' current lrs. */
  protected abstract getLr(): number[];

  /** The lrs for `lastEpoch` in closed form (used by `step(epoch)`); defaults to getLr. */
  protected closedFormLr(): number[] {
    return this.getLr();
  }

  /** The subclass's fields saved by stateDict: PyTorch's attribute name → property name. */
  protected abstract fields(): Record<string, string>;

  /** Internal (SequentialLR): resets the step count and takes the first step. */
  initialStep(): void {
    this.#optimizerStepsAtStart = this.optimizer.stepCount;
    this.stepCount = 0;
    this.step();
  }

  /**
   * Advances one epoch (or jumps to `epoch`, using the closed form) and writes each group's
   * lr. Like PyTorch, warns once if called before the optimizer's first step.
   */
  step(epoch?: number): void {
    if (this.stepCount === 1 && this.optimizer.stepCount === this.#optimizerStepsAtStart) {
      console.warn(
        "Detected call of `lrScheduler.step()` before `optimizer.step()`. Call them in the " +
          "opposite order: `optimizer.step()` before `lrScheduler.step()`, or the first value " +
          "of the learning rate schedule is skipped.",
      );
    }
    this.stepCount++;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch++;
      values = this.getLr();
    } else {
      this.lastEpoch = epoch;
      values = this.closedFormLr();
    }
    // NOTE: no range check here: PyTorch's OneCycleLR yields a slightly negative lr on its
    // final (total_steps-th) step; Optimizer.step() rejects a negative or NaN lr if used.
    this.optimizer.paramGroups.forEach((g, i) => g.lr = values[i]);
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The lrs set by the last step, one per group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** PyTorch's keys: base_lrs, last_epoch, _step_count, _last_lr and the subclass fields. */
  stateDict(): SchedulerStateDict {
    const sd: SchedulerStateDict = {
      base_lrs: [...this.baseLrs],
      last_epoch: this.lastEpoch,
      _step_count: this.stepCount,
      _last_lr: [...this.lastLr],
    };
    const self = this as unknown as Record<string, unknown>;
    for (const [k, prop] of Object.entries(this.fields())) sd[k] = copyValue(self[prop]);
    return sd;
  }

  /** Restores a state from `stateDict()` (keys it lacks keep their current values). */
  loadStateDict(sd: SchedulerStateDict): void {
    if (typeof sd !== "object" || sd === null) {
      throw new TypeError(`${this.constructor.name}.loadStateDict: expected an object`);
    }
    if (Array.isArray(sd.base_lrs)) this.baseLrs = [...sd.base_lrs as number[]];
    if (typeof sd.last_epoch === "number") this.lastEpoch = sd.last_epoch;
    if (typeof sd._step_count === "number") this.stepCount = sd._step_count;
    if (Array.isArray(sd._last_lr)) this.lastLr = [...sd._last_lr as number[]];
    const self = this as unknown as Record<string, unknown>;
    for (const [k, prop] of Object.entries(this.fields())) {
      if (k in sd) self[prop] = copyValue(sd[k]);
    }
  }
}

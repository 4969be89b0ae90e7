/** ChainedScheduler: steps several schedulers together, so their effects compose. */
import type { AnyOptimizer, LRScheduler, Scheduler, SchedulerStateDict } from "./scheduler.ts";

/**
 * Calls `step()` on every scheduler in order at each step, like
 * `torch.optim.lr_scheduler.ChainedScheduler`: the recursive (chainable) schedulers then
 * multiply their effects, e.g. a ConstantLR warm-up on top of an ExponentialLR decay.
 *
 * @example
 * ```ts
 * const sched = new ChainedScheduler([
 *   new ConstantLR(opt, { factor: 0.1, totalIters: 2 }),
 *   new ExponentialLR(opt, 0.9),
 * ]);
 * ```
 */
export class ChainedScheduler implements Scheduler {
  /** The optimizer all schedulers drive. */
  readonly optimizer: AnyOptimizer;
  /** The chained schedulers. */
  readonly schedulers: LRScheduler[];
  #lastLr: number[];

  /** Takes no step of its own: each scheduler already took its initial step. */
  constructor(schedulers: LRScheduler[]) {
    if (!Array.isArray(schedulers) || schedulers.length === 0) {
      throw new RangeError("ChainedScheduler: expects a non-empty array of schedulers");
    }
    schedulers.forEach((s, i) => {
      if (s.optimizer !== schedulers[0].optimizer) {
        throw new Error(
          `ChainedScheduler: expects all schedulers to belong to the same optimizer, but got ` +
            `schedulers at index 0 and ${i} to be different`,
        );
      }
    });
    this.schedulers = [...schedulers];
    this.optimizer = schedulers[0].optimizer;
    this.#lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Steps every scheduler, in order. */
  step(): void {
    for (const s of this.schedulers) s.step();
    this.#lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The lrs after the last step. */
  getLastLr(): number[] {
    return [...this.#lastLr];
  }

  /** `_last_lr` and each scheduler's state in `_schedulers` (PyTorch's keys). */
  stateDict(): SchedulerStateDict {
    return {
      _last_lr: [...this.#lastLr],
      _schedulers: this.schedulers.map((s) => s.stateDict()),
    };
  }

  /** Restores a state from `stateDict()`, including the chained schedulers'. */
  loadStateDict(sd: SchedulerStateDict): void {
    if (typeof sd !== "object" || sd === null) {
      throw new TypeError("ChainedScheduler.loadStateDict: expected an object");
    }
    const subs = sd._schedulers;
    if (Array.isArray(subs) && subs.length !== this.schedulers.length) {
      throw new RangeError(
        `ChainedScheduler.loadStateDict: state has ${subs.length} schedulers, this has ` +
          `${this.schedulers.length}`,
      );
    }
    if (Array.isArray(sd._last_lr)) this.#lastLr = [...sd._last_lr as number[]];
    if (Array.isArray(subs)) {
      subs.forEach((s, i) => this.schedulers[i].loadStateDict(s as SchedulerStateDict));
    }
  }
}

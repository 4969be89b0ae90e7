/** SequentialLR: runs schedulers one after another, switching at milestones. */
import type { LRScheduler, Scheduler, SchedulerStateDict } from "./scheduler.ts";
import type { AnyOptimizer } from "./scheduler.ts";

function bisectRight(sorted: number[], x: number): number {
  let i = 0;
  while (i < sorted.length && sorted[i] <= x) i++;
  return i;
}

/**
 * Calls the schedulers in turn, switching at each milestone, like
 * `torch.optim.lr_scheduler.SequentialLR` (e.g. linear warm-up, then cosine decay). At a
 * milestone the next scheduler restarts from epoch 0 in closed form, as in PyTorch.
 *
 * @example
 * ```ts
 * const warmup = new LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 * const decay = new CosineAnnealingLR(opt, 45);
 * const sched = new SequentialLR(opt, [warmup, decay], [5]);
 * ```
 */
export class SequentialLR implements Scheduler {
  /** The optimizer all schedulers drive. */
  readonly optimizer: AnyOptimizer;
  /** The wrapped schedulers. */
  readonly schedulers: LRScheduler[];
  /** Epochs at which to switch to the next scheduler. */
  milestones: number[];
  /** Index of the last epoch. */
  lastEpoch: number;
  #lastLr: number[];

  /** Resets the lrs to initialLr and restarts the first scheduler. */
  constructor(
    optimizer: AnyOptimizer,
    schedulers: LRScheduler[],
    milestones: number[],
    opts: { lastEpoch?: number } = {},
  ) {
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer) {
        throw new Error(
          `SequentialLR: expects all schedulers to belong to the same optimizer, but got ` +
            `scheduler at index ${i} with a different optimizer`,
        );
      }
    });
    if (schedulers.length === 0 || milestones.length !== schedulers.length - 1) {
      throw new RangeError(
        `SequentialLR: expects one more scheduler than milestones, but got ` +
          `${schedulers.length} schedulers and ${milestones.length} milestones`,
      );
    }
    this.optimizer = optimizer;
    this.schedulers = schedulers;
    this.milestones = [...milestones];
    this.lastEpoch = (opts.lastEpoch ?? -1) + 1;
    for (const g of optimizer.paramGroups) g.lr = g.initialLr as number;
    // "Undo" the initial step each scheduler took when it was built.
    for (const s of schedulers) s.lastEpoch -= 1;
    schedulers[0].initialStep();
    this.#lastLr = schedulers[0].getLastLr();
  }

  /** Advances one epoch on the scheduler whose turn it is. */
  step(): void {
    this.lastEpoch++;
    const idx = bisectRight(this.milestones, this.lastEpoch);
    const s = this.schedulers[idx];
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) s.step(0);
    else s.step();
    this.#lastLr = s.getLastLr();
  }

  /** The lrs set by the last step. */
  getLastLr(): number[] {
    return [...this.#lastLr];
  }

  /** last_epoch, _milestones, _last_lr and each scheduler's state in `_schedulers`. */
  stateDict(): SchedulerStateDict {
    return {
      last_epoch: this.lastEpoch,
      _milestones: [...this.milestones],
      _last_lr: [...this.#lastLr],
      _schedulers: this.schedulers.map((s) => s.stateDict()),
    };
  }

  /** Restores a state from `stateDict()`, including the wrapped schedulers'. */
  loadStateDict(sd: SchedulerStateDict): void {
    if (typeof sd.last_epoch === "number") this.lastEpoch = sd.last_epoch;
    if (Array.isArray(sd._milestones)) this.milestones = [...sd._milestones as number[]];
    if (Array.isArray(sd._last_lr)) this.#lastLr = [...sd._last_lr as number[]];
    const subs = sd._schedulers;
    if (Array.isArray(subs)) {
      if (subs.length !== this.schedulers.length) {
        throw new RangeError(
          `SequentialLR.loadStateDict: state has ${subs.length} schedulers, this has ` +
            `${this.schedulers.length}`,
        );
      }
      subs.forEach((s, i) => this.schedulers[i].loadStateDict(s as SchedulerStateDict));
    }
  }
}

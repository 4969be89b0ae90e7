/** OneCycleLR (Smith & Topin): warm up to maxLr, anneal far below the start; per batch. */
import type { SchedulerGroupKeys } from "../optimizer.ts";
import { type AnyOptimizer, LRScheduler } from "./scheduler.ts";

/** Options of OneCycleLR (PyTorch's defaults). */
export interface OneCycleLROptions {
  /** Steps in the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  /** Epochs (with stepsPerEpoch) when totalSteps is not given. */
  epochs?: number;
  /** Steps per epoch (with epochs). */
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the lr (default 0.3). */
  pctStart?: number;
  /** "cos" (default) or "linear" annealing. */
  annealStrategy?: "cos" | "linear";
  /** Cycle momentum (or Adam's beta1) inversely to the lr (default true). */
  cycleMomentum?: boolean;
  /** Lower momentum bound, per group or for all (default 0.85). */
  baseMomentum?: number | number[];
  /** Upper momentum bound, per group or for all (default 0.95). */
  maxMomentum?: number | number[];
  /** initialLr = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** minLr = initialLr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Use three phases (up, down to initialLr, annihilate) as fast.ai does (default false). */
  threeStep?: boolean;
  /** Index of the last step when resuming (default -1). */
  lastEpoch?: number;
}

type LrKey = "initialLr" | "maxLr" | "minLr";
type MomentumKey = "maxMomentum" | "baseMomentum";
interface Phase {
  endStep: number;
  startLr: LrKey;
  endLr: LrKey;
  startMomentum: MomentumKey;
  endMomentum: MomentumKey;
}

function perGroup(name: string, v: number | number[], n: number): number[] {
  if (!Array.isArray(v)) return new Array(n).fill(v);
  if (v.length !== n) {
    throw new RangeError(`OneCycleLR: expected ${n} values for ${name}, got ${v.length}`);
  }
  return v;
}

function positiveInt(name: string, v: number | undefined): number {
  if (!(Number.isInteger(v) && (v as number) > 0)) {
    throw new RangeError(`OneCycleLR: expected positive integer ${name}, but got ${v}`);
  }
  return v as number;
}

/**
 * The 1cycle policy, like `torch.optim.lr_scheduler.OneCycleLR`: call `step()` after every
 * batch. Writes `initialLr`, `maxLr`, `minLr` (and with cycleMomentum `maxMomentum`,
 * `baseMomentum`) into each group, and cycles `momentum` or Adam's `betas[0]`.
 *
 * @example
 * ```ts
 * const sched = new OneCycleLR(opt, 0.01, { epochs: 10, stepsPerEpoch: loader.length });
 * ```
 */
export class OneCycleLR extends LRScheduler {
  /** Steps in the cycle. */
  totalSteps: number;
  /** Fraction of the cycle spent increasing the lr. */
  pctStart: number;
  /** Anneal strategy. */
  annealStrategy: "cos" | "linear";
  /** Whether momentum is cycled. */
  cycleMomentum: boolean;
  /** Whether the cycled momentum is Adam's beta1. */
  useBeta1: boolean;
  /** Three-phase schedule. */
  threeStep: boolean;

  /** Wraps `optimizer`; sets the group keys (on a fresh start) and takes the initial step. */
  constructor(optimizer: AnyOptimizer, maxLr: number | number[], opts: OneCycleLROptions = {}) {
    const lastEpoch = opts.lastEpoch ?? -1;
    const groups = optimizer.paramGroups;
    const totalSteps = opts.totalSteps !== undefined
      ? positiveInt("totalSteps", opts.totalSteps)
      : opts.epochs === undefined && opts.stepsPerEpoch === undefined
      ? (() => {
        throw new RangeError(
          "OneCycleLR: you must define either totalSteps OR (epochs AND stepsPerEpoch)",
        );
      })()
      : positiveInt("epochs", opts.epochs) * positiveInt("stepsPerEpoch", opts.stepsPerEpoch);
    const pctStart = opts.pctStart ?? 0.3;
    if (!(pctStart >= 0 && pctStart <= 1)) {
      throw new RangeError(`OneCycleLR: expected pctStart between 0 and 1, but got ${pctStart}`);
    }
    const anneal = opts.annealStrategy ?? "cos";
    if (anneal !== "cos" && anneal !== "linear") {
      throw new RangeError(`OneCycleLR: annealStrategy must be "cos" or "linear", got ${anneal}`);
    }
    const divFactor = opts.divFactor ?? 25, finalDiv = opts.finalDivFactor ?? 1e4;
    const maxLrs = perGroup("maxLr", maxLr, groups.length);
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        g.initialLr = maxLrs[i] / divFactor;
        g.maxLr = maxLrs[i];
        g.minLr = g.initialLr / finalDiv;
      });
    }
    const cycle = opts.cycleMomentum ?? true;
    const defaults = optimizer.defaults as SchedulerGroupKeys;
    const useBeta1 = defaults.betas !== undefined;
    if (cycle) {
      if (defaults.momentum === undefined && !useBeta1) {
        throw new Error("OneCycleLR: optimizer must support momentum with `cycleMomentum` enabled");
      }
      const maxM = perGroup("maxMomentum", opts.maxMomentum ?? 0.95, groups.length);
      const baseM = perGroup("baseMomentum", opts.baseMomentum ?? 0.85, groups.length);
      if (lastEpoch === -1) {
        groups.forEach((g, i) => {
          if (useBeta1) g.betas = [maxM[i], (g.betas as [number, number])[1]];
          else g.momentum = maxM[i];
          g.maxMomentum = maxM[i];
          g.baseMomentum = baseM[i];
        });
      }
    }
    super(optimizer, lastEpoch, "OneCycleLR");
    this.totalSteps = totalSteps;
    this.pctStart = pctStart;
    this.annealStrategy = anneal;
    this.cycleMomentum = cycle;
    this.useBeta1 = useBeta1;
    this.threeStep = opts.threeStep ?? false;
    this.initialStep();
  }

  /** The phases, derived from totalSteps, pctStart and threeStep (as PyTorch builds them). */
  private phases(): Phase[] {
    const n = this.totalSteps, p = this.pctStart;
    if (this.threeStep) {
      return [
        {
          endStep: p * n - 1,
          startLr: "initialLr",
          endLr: "maxLr",
          startMomentum: "maxMomentum",
          endMomentum: "baseMomentum",
        },
        {
          endStep: 2 * p * n - 2,
          startLr: "maxLr",
          endLr: "initialLr",
          startMomentum: "baseMomentum",
          endMomentum: "maxMomentum",
        },
        {
          endStep: n - 1,
          startLr: "initialLr",
          endLr: "minLr",
          startMomentum: "maxMomentum",
          endMomentum: "maxMomentum",
        },
      ];
    }
    return [
      {
        endStep: p * n - 1,
        startLr: "initialLr",
        endLr: "maxLr",
        startMomentum: "maxMomentum",
        endMomentum: "baseMomentum",
      },
      {
        endStep: n - 1,
        startLr: "maxLr",
        endLr: "minLr",
        startMomentum: "baseMomentum",
        endMomentum: "maxMomentum",
      },
    ];
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === "linear") return (end - start) * pct + start;
    return end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1);
  }

  /** The lr (and momentum, written into the group) for step `lastEpoch`. */
  protected getLr(): number[] {
    const step = this.lastEpoch;
    if (step > this.totalSteps) {
      throw new RangeError(
        `OneCycleLR: tried to step ${step + 1} times; the specified number of total steps is ` +
          `${this.totalSteps}`,
      );
    }
    const phases = this.phases();
    return this.optimizer.paramGroups.map((g) => {
      let start = 0;
      let lr = 0, momentum = 0;
      for (const [i, ph] of phases.entries()) {
        if (step <= ph.endStep || i === phases.length - 1) {
          const pct = (step - start) / (ph.endStep - start);
          lr = this.anneal(g[ph.startLr] as number, g[ph.endLr] as number, pct);
          if (this.cycleMomentum) {
            momentum = this.anneal(
              g[ph.startMomentum] as number,
              g[ph.endMomentum] as number,
              pct,
            );
          }
          break;
        }
        start = ph.endStep;
      }
      if (this.cycleMomentum) {
        if (this.useBeta1) g.betas = [momentum, (g.betas as [number, number])[1]];
        else g.momentum = momentum;
      }
      return lr;
    });
  }

  /** total_steps, pct_start, anneal_strategy, cycle_momentum, use_beta1, three_phase. */
  protected fields(): Record<string, string> {
    return {
      total_steps: "totalSteps",
      pct_start: "pctStart",
      anneal_strategy: "annealStrategy",
      cycle_momentum: "cycleMomentum",
      use_beta1: "useBeta1",
      three_phase: "threeStep",
    };
  }
}

/** CyclicLR (Smith): cycles the lr between two bounds at a constant frequency; per batch. */
import type { SchedulerGroupKeys } from "../optimizer.ts";
import { type AnyOptimizer, LRScheduler } from "./scheduler.ts";

/** CyclicLR's built-in policies. */
export type CyclicLRMode = "triangular" | "triangular2" | "exp_range";

/** Options of CyclicLR (PyTorch's defaults). */
export interface CyclicLROptions {
  /** Steps in the increasing half of a cycle (default 2000). */
  stepSizeUp?: number;
  /** Steps in the decreasing half (default: stepSizeUp). */
  stepSizeDown?: number;
  /** "triangular" (default), "triangular2" or "exp_range"; ignored when scaleFn is given. */
  mode?: CyclicLRMode;
  /** exp_range's decay per step: the amplitude scales by gamma ** step (default 1). */
  gamma?: number;
  /** A custom amplitude scale in [0, 1] (overrides mode); not saved in the state dict. */
  scaleFn?: (x: number) => number;
  /** Whether scaleFn takes the cycle number ("cycle", default) or the step ("iterations"). */
  scaleMode?: "cycle" | "iterations";
  /** Cycle momentum (or Adam-style beta1) inversely to the lr (default true). */
  cycleMomentum?: boolean;
  /** Lower momentum bound, per group or for all (default 0.8). */
  baseMomentum?: number | number[];
  /** Upper momentum bound, per group or for all (default 0.9). */
  maxMomentum?: number | number[];
  /** Index of the last step when resuming (default -1). */
  lastEpoch?: number;
}

function perGroup(name: string, v: number | number[], n: number): number[] {
  if (!Array.isArray(v)) return new Array(n).fill(v);
  if (v.length !== n) {
    throw new RangeError(`CyclicLR: expected ${n} values for ${name}, got ${v.length}`);
  }
  return [...v];
}

/**
 * Cycles each group's lr between `baseLr` and `maxLr`, like
 * `torch.optim.lr_scheduler.CyclicLR`: call `step()` after every batch. With `cycleMomentum`
 * the group's `momentum` (SGD, RMSprop) or `betas[0]` (Adam, Adamax, ...) moves the opposite
 * way between `maxMomentum` and `baseMomentum`.
 *
 * NOTE: PyTorch 1.13 rejects optimizers without a `momentum` default when cycleMomentum is
 * on; cycling beta1 follows later PyTorch releases (same numbers as cycling momentum).
 *
 * @example
 * ```ts
 * const sched = new CyclicLR(opt, 0.001, 0.1, { stepSizeUp: 500, mode: "triangular2" });
 * ```
 */
export class CyclicLR extends LRScheduler {
  /** Upper lr bound per group. */
  maxLrs: number[];
  /** Steps in a whole cycle. */
  totalSize: number;
  /** Fraction of the cycle spent increasing. */
  stepRatio: number;
  /** The policy. */
  mode: CyclicLRMode;
  /** exp_range's decay. */
  gamma: number;
  /** What the scale function takes: the cycle number or the step. */
  scaleMode: "cycle" | "iterations";
  /** Whether momentum is cycled. */
  cycleMomentum: boolean;
  /** Lower momentum bound per group (when cycling). */
  baseMomentums: number[] = [];
  /** Upper momentum bound per group (when cycling). */
  maxMomentums: number[] = [];
  /** Whether the cycled momentum is `betas[0]`. */
  useBeta1: boolean;
  #scaleFnCustom: ((x: number) => number) | null;

  /** Sets each group's lr (and momentum) to the lower bound on a fresh start; first step. */
  constructor(
    optimizer: AnyOptimizer,
    baseLr: number | number[],
    maxLr: number | number[],
    opts: CyclicLROptions = {},
  ) {
    if (!optimizer || !Array.isArray(optimizer.paramGroups)) {
      throw new TypeError("CyclicLR: expected an Optimizer");
    }
    const lastEpoch = opts.lastEpoch ?? -1;
    const groups = optimizer.paramGroups;
    const baseLrs = perGroup("baseLr", baseLr, groups.length);
    if (lastEpoch === -1) groups.forEach((g, i) => g.lr = baseLrs[i]);
    const maxLrs = perGroup("maxLr", maxLr, groups.length);
    const up = opts.stepSizeUp ?? 2000;
    const down = opts.stepSizeDown ?? up;
    if (!(up > 0) || !(down >= 0)) {
      throw new RangeError(
        `CyclicLR: stepSizeUp must be positive and stepSizeDown non-negative (got ${up}, ${down})`,
      );
    }
    const mode = opts.mode ?? "triangular";
    if (!["triangular", "triangular2", "exp_range"].includes(mode) && !opts.scaleFn) {
      throw new RangeError(
        `CyclicLR: mode must be "triangular", "triangular2" or "exp_range" (got ${mode}) ` +
          `when no scaleFn is given`,
      );
    }
    const cycle = opts.cycleMomentum ?? true;
    const defaults = optimizer.defaults as SchedulerGroupKeys;
    const useBeta1 = defaults.momentum === undefined && defaults.betas !== undefined;
    let baseMomentums: number[] = [], maxMomentums: number[] = [];
    if (cycle) {
      if (defaults.momentum === undefined && !useBeta1) {
        throw new Error(
          "CyclicLR: optimizer must support momentum (or betas) with `cycleMomentum` enabled",
        );
      }
      const baseM = perGroup("baseMomentum", opts.baseMomentum ?? 0.8, groups.length);
      if (lastEpoch === -1) {
        groups.forEach((g, i) => {
          if (useBeta1) g.betas = [baseM[i], (g.betas as [number, number])[1]];
          else g.momentum = baseM[i];
        });
      }
      baseMomentums = groups.map((g) =>
        useBeta1 ? (g.betas as [number, number])[0] : g.momentum as number
      );
      maxMomentums = perGroup("maxMomentum", opts.maxMomentum ?? 0.9, groups.length);
    }
    super(optimizer, lastEpoch, "CyclicLR");
    this.maxLrs = maxLrs;
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    this.mode = mode;
    this.gamma = opts.gamma ?? 1;
    this.#scaleFnCustom = opts.scaleFn ?? null;
    this.scaleMode = opts.scaleFn
      ? opts.scaleMode ?? "cycle"
      : mode === "exp_range"
      ? "iterations"
      : "cycle";
    this.cycleMomentum = cycle;
    this.baseMomentums = baseMomentums;
    this.maxMomentums = maxMomentums;
    this.useBeta1 = useBeta1;
    // NOTE: as in PyTorch, the initial step uses the groups' initialLr as base (set by the
    // base constructor), and only later steps use the given baseLr.
    this.initialStep();
    this.baseLrs = baseLrs;
  }

  /** The amplitude scale for cycle number or step `x`. */
  scaleFn(x: number): number {
    if (this.#scaleFnCustom) return this.#scaleFnCustom(x);
    if (this.mode === "triangular2") return 1 / (2 ** (x - 1));
    if (this.mode === "exp_range") return this.gamma ** x;
    return 1;
  }

  /** The lr at step `lastEpoch`; writes the cycled momentum into the groups. */
  protected getLr(): number[] {
    const e = this.lastEpoch;
    const cycle = Math.floor(1 + e / this.totalSize);
    const x = 1 + e / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const s = this.scaleFn(this.scaleMode === "cycle" ? cycle : e);
    const lrs = this.baseLrs.map((b, i) => b + (this.maxLrs[i] - b) * scaleFactor * s);
    if (this.cycleMomentum) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const hi = this.maxMomentums[i];
        const m = hi - (hi - this.baseMomentums[i]) * scaleFactor * s;
        if (this.useBeta1) g.betas = [m, (g.betas as [number, number])[1]];
        else g.momentum = m;
      });
    }
    return lrs;
  }

  /**
   * PyTorch's attribute names (a custom scaleFn is not saved); the momentum bounds only when
   * momentum is cycled, as PyTorch sets them only then.
   */
  protected fields(): Record<string, string> {
    return {
      max_lrs: "maxLrs",
      total_size: "totalSize",
      step_ratio: "stepRatio",
      mode: "mode",
      gamma: "gamma",
      scale_mode: "scaleMode",
      cycle_momentum: "cycleMomentum",
      ...(this.cycleMomentum
        ? { base_momentums: "baseMomentums", max_momentums: "maxMomentums" }
        : {}),
      use_beta1: "useBeta1",
    };
  }
}

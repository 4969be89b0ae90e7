/** LambdaLR: each group's lr is its initial lr times a user function of the epoch. */
import { type AnyOptimizer, LRScheduler, type SchedulerStateDict } from "./scheduler.ts";

/** A factor as a function of the epoch index (PyTorch's `lr_lambda`). */
export type LrLambda = (epoch: number) => number;

/** Options of LambdaLR and MultiplicativeLR. */
export interface LambdaLROptions {
  /** Index of the last epoch when resuming (default -1). */
  lastEpoch?: number;
}

/** One lambda per group: a single function is shared by all groups, as in PyTorch. */
export function lambdasPerGroup(
  name: string,
  optimizer: AnyOptimizer,
  lrLambda: LrLambda | LrLambda[],
): LrLambda[] {
  const n = optimizer?.paramGroups?.length ?? 0;
  if (!Array.isArray(lrLambda)) {
    if (typeof lrLambda !== "function") {
      throw new TypeError(`${name}: lrLambda must be a function or an array of functions`);
    }
    return new Array(n).fill(lrLambda);
  }
  if (lrLambda.length !== n) {
    throw new RangeError(`${name}: expected ${n} lrLambdas, but got ${lrLambda.length}`);
  }
  lrLambda.forEach((f, i) => {
    if (typeof f !== "function") {
      throw new TypeError(`${name}: lrLambda[${i}] must be a function, got ${typeof f}`);
    }
  });
  return [...lrLambda];
}

/**
 * Sets each group's lr to its initial lr times `lrLambda(epoch)`, like
 * `torch.optim.lr_scheduler.LambdaLR`. Give one function for all groups or one per group.
 * The functions are not part of the state dict (PyTorch saves plain functions as `None`).
 *
 * @example
 * ```ts
 * const sched = new LambdaLR(opt, (epoch) => 0.95 ** epoch);
 * ```
 */
export class LambdaLR extends LRScheduler {
  /** The factor functions, one per group. */
  lrLambdas: LrLambda[];

  /** Wraps `optimizer`; takes the initial step. */
  constructor(
    optimizer: AnyOptimizer,
    lrLambda: LrLambda | LrLambda[],
    opts: LambdaLROptions = {},
  ) {
    const lambdas = lambdasPerGroup("LambdaLR", optimizer, lrLambda);
    super(optimizer, opts.lastEpoch ?? -1, "LambdaLR");
    this.lrLambdas = lambdas;
    this.initialStep();
  }

  /** base * lambda(epoch). */
  protected getLr(): number[] {
    return this.baseLrs.map((b, i) => b * this.lrLambdas[i](this.lastEpoch));
  }

  /** No fields beyond the base's; the lambdas are saved as nulls. */
  protected fields(): Record<string, string> {
    return {};
  }

  /** The base state plus `lr_lambdas`: one null per group (functions are not serialisable). */
  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), lr_lambdas: this.lrLambdas.map(() => null) };
  }
}

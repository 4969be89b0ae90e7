/** MultiplicativeLR: multiplies each group's lr by a user function of the epoch, every epoch. */
import { type LambdaLROptions, lambdasPerGroup, type LrLambda } from "./lambda_lr.ts";
import { type AnyOptimizer, LRScheduler, type SchedulerStateDict } from "./scheduler.ts";

/**
 * Multiplies each group's current lr by `lrLambda(epoch)` at every step after the first, like
 * `torch.optim.lr_scheduler.MultiplicativeLR`. Give one function for all groups or one per
 * group. The functions are not part of the state dict.
 *
 * @example
 * ```ts
 * const sched = new MultiplicativeLR(opt, () => 0.95);
 * ```
 */
export class MultiplicativeLR extends LRScheduler {
  /** The factor functions, one per group. */
  lrLambdas: LrLambda[];

  /** Wraps `optimizer`; takes the initial step. */
  constructor(
    optimizer: AnyOptimizer,
    lrLambda: LrLambda | LrLambda[],
    opts: LambdaLROptions = {},
  ) {
    const lambdas = lambdasPerGroup("MultiplicativeLR", optimizer, lrLambda);
    super(optimizer, opts.lastEpoch ?? -1, "MultiplicativeLR");
    this.lrLambdas = lambdas;
    this.initialStep();
  }

  /** lr * lambda(epoch) for epochs > 0; epoch 0 keeps the lr. */
  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch > 0) return groups.map((g, i) => g.lr * this.lrLambdas[i](this.lastEpoch));
    return groups.map((g) => g.lr);
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

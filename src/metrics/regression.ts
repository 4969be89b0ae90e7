/**
 * Error-sum regression metrics with torchmetrics' definitions: MeanSquaredError,
 * MeanAbsoluteError, MeanAbsolutePercentageError and CosineSimilarity. State is a small sum
 * vector on the inputs' device (float64 on the CPU, float32 on WebGPU).
 */
import type { Tensor } from "../tensor/tensor.ts";
import { keep, scope } from "../tensor/memory.ts";
import { cat } from "../ops/join.ts";
import { accumulate, type Metric } from "./metric.ts";
import { accDtype, checkOutputs, checkPair } from "./moments.ts";

/** Per-output sums of an elementwise error, and the number of rows they cover. */
abstract class ErrorSumMetric implements Metric<[Tensor, Tensor], number | number[]> {
  #sum: Tensor | null = null;
  #n = 0;
  protected readonly numOutputs: number;

  constructor(protected readonly name: string, numOutputs = 1) {
    if (!Number.isInteger(numOutputs) || numOutputs < 1) {
      throw new Error(`${name}: numOutputs must be a positive integer, got ${numOutputs}`);
    }
    this.numOutputs = numOutputs;
  }

  /** The elementwise error whose mean is reported. */
  protected abstract error(preds: Tensor, target: Tensor): Tensor;

  /**
   * Adds a batch of predictions and targets of one shape: any shape with one output (every
   * element counts), `(N, numOutputs)` otherwise.
   */
  update(preds: Tensor, target: Tensor): void {
    const op = `${this.name}.update`;
    checkPair(op, preds, target);
    const d = this.numOutputs;
    if (d > 1) checkOutputs(op, preds, d);
    const s = scope(() => {
      const dt = accDtype(preds);
      const e = this.error(preds.detach().to(dt), target.detach().to(dt));
      return d > 1 ? e.sum(0) : e.sum().reshape(1);
    });
    this.#sum = keep(accumulate(this.#sum, s));
    this.#n += d > 1 ? preds.shape[0] : preds.numel;
  }

  /** Turns the mean error into the reported value. */
  protected finish(mean: number): number {
    return mean;
  }

  /** The mean over everything seen (one value per output when numOutputs > 1). */
  async compute(): Promise<number | number[]> {
    if (!this.#sum) throw new Error(`${this.name}.compute: called before any update()`);
    const v = Array.from(await this.#sum.toArray(), (s) => this.finish(s / this.#n));
    return this.numOutputs > 1 ? v : v[0];
  }

  /** Clears the state. */
  reset(): void {
    this.#sum?.dispose();
    this.#sum = null;
    this.#n = 0;
  }
}

/** Options of {@link MeanSquaredError}. */
export interface MeanSquaredErrorOptions {
  /** false: the root mean squared error (default true). */
  squared?: boolean;
  /** Outputs of multioutput regression: inputs (N, numOutputs), one value each (default 1). */
  numOutputs?: number;
}

/** Mean squared error (or its root with `squared: false`), like torchmetrics. */
export class MeanSquaredError extends ErrorSumMetric {
  readonly #squared: boolean;

  /** See {@link MeanSquaredErrorOptions}. */
  constructor(options: MeanSquaredErrorOptions = {}) {
    super("MeanSquaredError", options.numOutputs);
    this.#squared = options.squared ?? true;
  }

  protected error(preds: Tensor, target: Tensor): Tensor {
    return preds.sub(target).square();
  }

  protected override finish(mean: number): number {
    return this.#squared ? mean : Math.sqrt(mean);
  }
}

/** Mean absolute error, like torchmetrics. */
export class MeanAbsoluteError extends ErrorSumMetric {
  /** `numOutputs`: inputs (N, numOutputs), one value each (default 1). */
  constructor(options: { numOutputs?: number } = {}) {
    super("MeanAbsoluteError", options.numOutputs);
  }

  protected error(preds: Tensor, target: Tensor): Tensor {
    return preds.sub(target).abs();
  }
}

/** torchmetrics' floor on |target| in MAPE, so zero targets give large but finite errors. */
const MAPE_EPSILON = 1.17e-6;

/** Mean absolute percentage error |p − t| / max(|t|, 1.17e-6) as a fraction, like torchmetrics. */
export class MeanAbsolutePercentageError extends ErrorSumMetric {
  /** No options (torchmetrics has none). */
  constructor() {
    super("MeanAbsolutePercentageError");
  }

  protected error(preds: Tensor, target: Tensor): Tensor {
    return preds.sub(target).abs().div(target.abs().clamp(MAPE_EPSILON));
  }
}

/** How {@link CosineSimilarity} reduces over samples. */
export type CosineReduction = "sum" | "mean" | "none";

/**
 * Cosine similarity between each prediction row and its target row (the last dim is the
 * vector), reduced over rows like torchmetrics' `CosineSimilarity` (default "sum"). A zero
 * vector gives NaN, as there.
 */
export class CosineSimilarity implements Metric<[Tensor, Tensor], number | number[]> {
  readonly #reduction: CosineReduction;
  #rows: Tensor[] = [];

  /** `reduction`: "sum" (default), "mean" or "none" (one value per row). */
  constructor(options: { reduction?: CosineReduction } = {}) {
    this.#reduction = options.reduction ?? "sum";
    if (!["sum", "mean", "none"].includes(this.#reduction)) {
      throw new Error(`CosineSimilarity: reduction must be sum, mean or none`);
    }
  }

  /** Adds predictions and targets of one shape (…, d); device work only. */
  update(preds: Tensor, target: Tensor): void {
    const op = "CosineSimilarity.update";
    checkPair(op, preds, target);
    if (preds.ndim < 1) fail(op, "inputs need at least one dim (the vectors)");
    const sims = scope(() => {
      const dt = accDtype(preds);
      const p = preds.detach().to(dt), t = target.detach().to(dt);
      const dot = p.mul(t).sum(-1);
      return dot.div(p.square().sum(-1).sqrt().mul(t.square().sum(-1).sqrt())).reshape(-1);
    });
    // Keeping each row's value (not a running sum) makes "none" possible and costs one float
    // per sample, far less than the inputs torchmetrics keeps.
    this.#rows.push(keep(sims));
  }

  /** The reduced similarity (per-row values for "none"). */
  async compute(): Promise<number | number[]> {
    if (!this.#rows.length) throw new Error("CosineSimilarity.compute: called before any update()");
    const all = cat(this.#rows, 0);
    const v = Array.from(await all.toArray());
    all.dispose();
    if (this.#reduction === "none") return v;
    const s = v.reduce((a, b) => a + b, 0);
    return this.#reduction === "sum" ? s : s / v.length;
  }

  /** Clears the state. */
  reset(): void {
    for (const r of this.#rows) r.dispose();
    this.#rows = [];
  }
}

function fail(op: string, msg: string): never {
  throw new Error(`${op}: ${msg}`);
}

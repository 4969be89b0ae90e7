/** ConfusionMatrix: rows are targets, columns predictions (torchmetrics' layout). */
import type { Tensor } from "../tensor/tensor.ts";
import { keep, scope } from "../tensor/memory.ts";
import { batchStats, checkSpec, type InputSpec, type Task } from "./inputs.ts";
import { accumulate, type Metric } from "./metric.ts";

/** Options of {@link ConfusionMatrix}. */
export interface ConfusionMatrixOptions {
  /** "multiclass" (default when numClasses is given) or "binary". */
  task?: Task;
  /** Number of classes. */
  numClasses?: number;
  /** Binary threshold (default 0.5). */
  threshold?: number;
  /** Normalise over targets ("true", rows), predictions ("pred", columns) or "all". */
  normalize?: "true" | "pred" | "all" | "none";
}

/** Accumulates a (C, C) int32 confusion matrix on the inputs' device. */
export class ConfusionMatrix implements Metric<[Tensor, Tensor], number[][]> {
  readonly #spec: InputSpec;
  readonly #normalize: "true" | "pred" | "all" | "none";
  #state: Tensor | null = null;

  /** See {@link ConfusionMatrixOptions}. */
  constructor(options: ConfusionMatrixOptions = {}) {
    const task = options.task ?? (options.numClasses === undefined ? "binary" : "multiclass");
    this.#spec = {
      task,
      numClasses: task === "binary" ? 2 : options.numClasses ?? NaN,
      topK: 1,
      threshold: options.threshold ?? 0.5,
    };
    checkSpec("ConfusionMatrix", this.#spec);
    this.#normalize = options.normalize ?? "none";
  }

  /** Adds a batch (same inputs as {@link Accuracy}). */
  update(preds: Tensor, target: Tensor): void {
    const m = scope(() =>
      batchStats("ConfusionMatrix.update", preds, target, this.#spec, true).confusion!
    );
    this.#state = keep(accumulate(this.#state, m));
  }

  /** The matrix as rows of numbers (normalised if requested; 0/0 gives 0). */
  async compute(): Promise<number[][]> {
    if (!this.#state) throw new Error("ConfusionMatrix.compute: called before any update()");
    const v = await this.#state.toArray();
    const C = this.#spec.numClasses;
    const m = Array.from({ length: C }, (_, i) => Array.from(v.subarray(i * C, (i + 1) * C)));
    const div = (a: number, b: number): number => (b === 0 ? 0 : a / b);
    if (this.#normalize === "true") return m.map((r) => r.map((x) => div(x, sumOf(r))));
    if (this.#normalize === "pred") {
      const cols = m[0].map((_, j) => sumOf(m.map((r) => r[j])));
      return m.map((r) => r.map((x, j) => div(x, cols[j])));
    }
    if (this.#normalize === "all") {
      const all = sumOf(m.map(sumOf));
      return m.map((r) => r.map((x) => div(x, all)));
    }
    return m;
  }

  /** Clears the matrix. */
  reset(): void {
    this.#state?.dispose();
    this.#state = null;
  }
}

function sumOf(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

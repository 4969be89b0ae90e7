/**
 * Accuracy, Precision, Recall and F1Score for binary and multiclass tasks, with torchmetrics'
 * meanings, defaults (`average: "micro"`, threshold 0.5, topK 1) and zero-division rules.
 * State is three int32 count vectors on the inputs' device.
 */
import type { Tensor } from "../tensor/tensor.ts";
import { keep, scope } from "../tensor/memory.ts";
import { stack } from "../ops/join.ts";
import { batchStats, checkSpec, type InputSpec, type Task } from "./inputs.ts";
import { type Average, type Counts, reduceScores, type Score } from "./reduce.ts";
import { accumulate, type Metric } from "./metric.ts";

/** Options of the classification metrics. */
export interface ClassificationOptions {
  /** "multiclass" (default when numClasses is given) or "binary". */
  task?: Task;
  /** Number of classes (multiclass). */
  numClasses?: number;
  /** Average over classes: "micro" (default), "macro", "weighted" or "none". */
  average?: Average;
  /** Count a prediction as correct if the target is among the k highest scores. */
  topK?: number;
  /** Binary threshold on probabilities (default 0.5; logits are passed through a sigmoid). */
  threshold?: number;
}

/** Shared state and update logic of the count-based classification metrics. */
export abstract class StatScoresMetric implements Metric<[Tensor, Tensor], number | number[]> {
  protected readonly spec: InputSpec;
  protected readonly average: Average;
  #tp: Tensor | null = null;
  #predicted: Tensor | null = null;
  #support: Tensor | null = null;

  /** @param name the metric's name in error messages */
  constructor(protected readonly name: string, options: ClassificationOptions = {}) {
    const task = options.task ?? (options.numClasses === undefined ? "binary" : "multiclass");
    this.spec = {
      task,
      numClasses: task === "binary" ? 2 : options.numClasses ?? NaN,
      topK: options.topK ?? 1,
      threshold: options.threshold ?? 0.5,
    };
    checkSpec(name, this.spec);
    this.average = options.average ?? "micro";
    if (!["micro", "macro", "weighted", "none"].includes(this.average)) {
      throw new Error(`${name}: average must be micro, macro, weighted or none`);
    }
  }

  /** The score this metric reports. */
  protected abstract readonly score: Score;

  /**
   * Adds a batch: `preds` are (N, C) logits/probabilities or (N) class indices (binary:
   * probabilities, logits or 0/1 labels of any shape); `target` holds class indices.
   */
  update(preds: Tensor, target: Tensor): void {
    const s = scope(() => {
      const b = batchStats(`${this.name}.update`, preds, target, this.spec);
      return [b.tp, b.predicted, b.support];
    });
    this.#tp = keep(accumulate(this.#tp, s[0]));
    this.#predicted = keep(accumulate(this.#predicted, s[1]));
    this.#support = keep(accumulate(this.#support, s[2]));
  }

  /** Reads the counts back (one readback). */
  protected async counts(): Promise<Counts> {
    if (!this.#tp || !this.#predicted || !this.#support) {
      throw new Error(`${this.name}.compute: called before any update()`);
    }
    const all = stack([this.#tp, this.#predicted, this.#support]);
    const v = await all.toArray();
    all.dispose();
    const C = this.spec.numClasses;
    const tp = Array.from(v.subarray(0, C));
    const pred = Array.from(v.subarray(C, 2 * C));
    const sup = Array.from(v.subarray(2 * C, 3 * C));
    const n = sup.reduce((a, b) => a + b, 0);
    return { tp, fp: pred.map((p, i) => p - tp[i]), fn: sup.map((s, i) => s - tp[i]), n };
  }

  /** The metric over everything seen since the last reset. */
  async compute(): Promise<number | number[]> {
    const c = await this.counts();
    if (this.spec.task === "binary") {
      // The positive class's counts; true negatives are everything else.
      const tp = c.tp[1], fp = c.fp[1], fn = c.fn[1];
      if (this.score === "accuracy") return c.n === 0 ? 0 : (c.n - fp - fn) / c.n;
      return reduceScores(this.score, { tp: [tp], fp: [fp], fn: [fn], n: c.n }, "micro");
    }
    return reduceScores(this.score, c, this.average, this.spec.topK);
  }

  /** Clears the accumulated counts. */
  reset(): void {
    for (const t of [this.#tp, this.#predicted, this.#support]) t?.dispose();
    this.#tp = this.#predicted = this.#support = null;
  }
}

/** Classification accuracy (multiclass per-class accuracy is recall, as in torchmetrics). */
export class Accuracy extends StatScoresMetric {
  protected readonly score: Score = "accuracy";
  /** See {@link ClassificationOptions}. */
  constructor(options: ClassificationOptions = {}) {
    super("Accuracy", options);
  }
}

/** Precision: tp / (tp + fp), 0 when nothing was predicted as the class. */
export class Precision extends StatScoresMetric {
  protected readonly score: Score = "precision";
  /** See {@link ClassificationOptions}. */
  constructor(options: ClassificationOptions = {}) {
    super("Precision", options);
  }
}

/** Recall: tp / (tp + fn), 0 for classes without support. */
export class Recall extends StatScoresMetric {
  protected readonly score: Score = "recall";
  /** See {@link ClassificationOptions}. */
  constructor(options: ClassificationOptions = {}) {
    super("Recall", options);
  }
}

/** F1 score: 2tp / (2tp + fp + fn), 0 when undefined. */
export class F1Score extends StatScoresMetric {
  protected readonly score: Score = "f1";
  /** See {@link ClassificationOptions}. */
  constructor(options: ClassificationOptions = {}) {
    super("F1Score", options);
  }
}

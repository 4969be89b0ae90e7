/**
 * ROC, PrecisionRecallCurve, AUROC and AveragePrecision with torchmetrics' definitions for
 * binary, multiclass (one-vs-rest) and multilabel tasks, exact (`thresholds: null`, default) or
 * binned. Curves and scores are computed on the host in float64 after one readback.
 */
import type { Tensor } from "../tensor/tensor.ts";
import {
  averagePrecisionOf,
  binnedPr,
  binnedRoc,
  type CurveAverage,
  exactPr,
  exactRoc,
  type PrCurve,
  reducePerClass,
  rocAuc,
  type RocCurve,
} from "./curves.ts";
import { type CurveData, type CurveOptions, CurveState } from "./curve_state.ts";
import type { Metric } from "./metric.ts";

/** Options of {@link AUROC}. */
export interface AurocOptions extends CurveOptions {
  /**
   * Combining per-class scores: "macro" (default), "weighted" (by positives), "none";
   * multilabel also "micro" (all labels as one binary problem). Ignored for binary.
   */
  average?: CurveAverage;
  /** Binary only: the standardized partial AUC over fpr in [0, maxFpr] (McClish). */
  maxFpr?: number;
}

/** Options of {@link AveragePrecision}. */
export interface AveragePrecisionOptions extends CurveOptions {
  /** As {@link AurocOptions.average}. */
  average?: CurveAverage;
}

/** Shared state handling of the curve metrics. */
abstract class CurveMetric<Out> implements Metric<[Tensor, Tensor], Out> {
  protected readonly state: CurveState;

  constructor(protected readonly name: string, options: CurveOptions) {
    this.state = new CurveState(name, options);
  }

  /**
   * Adds a batch. Binary: float `preds` and 0/1 `target` of the same shape. Multiclass:
   * `preds` (N, C, ...) and int32 class indices (N, ...). Multilabel: `preds` and 0/1 `target`
   * (N, C, ...). Scores outside [0, 1] are logits (sigmoid; softmax over classes).
   */
  update(preds: Tensor, target: Tensor): void {
    this.state.update(preds, target);
  }

  /** The metric over everything seen since the last reset. */
  abstract compute(): Promise<Out>;

  /** Frees the accumulated state. */
  reset(): void {
    this.state.reset();
  }

  /** Per-class values (one for binary), or all labels pooled into one for "micro". */
  protected perClass<T>(
    d: CurveData,
    f: (d: CurveData, c: number) => T,
    micro = false,
  ): T[] {
    if (micro) return [f(pool(d), 0)];
    return Array.from({ length: this.state.numClasses }, (_, c) => f(d, c));
  }

  protected checkAverage(average: CurveAverage): void {
    const allowed = this.state.task === "multilabel"
      ? ["micro", "macro", "weighted", "none"]
      : ["macro", "weighted", "none"];
    if (this.state.task !== "binary" && !allowed.includes(average)) {
      throw new Error(
        `${this.name}: average for ${this.state.task} must be one of ${allowed.join(", ")}, ` +
          `got "${average}"`,
      );
    }
  }
}

/** All classes' data as one binary problem (multilabel "micro"). */
function pool(d: CurveData): CurveData {
  if (d.kind === "exact") {
    const n = d.scores[0].length, C = d.scores.length;
    const scores = new Float64Array(n * C), positive = new Uint8Array(n * C);
    d.scores.forEach((s, c) => scores.set(s, c * n));
    d.positive.forEach((p, c) => positive.set(p, c * n));
    return { kind: "exact", scores: [scores], positive: [positive], support: [0] };
  }
  const T = d.thresholds.length;
  const tp = new Array<number>(T).fill(0), predicted = new Array<number>(T).fill(0);
  let positives = 0;
  for (const c of d.counts) {
    for (let t = 0; t < T; t++) {
      tp[t] += c.tp[t];
      predicted[t] += c.predicted[t];
    }
    positives += c.positives;
  }
  const n = d.counts[0].n * d.counts.length;
  return {
    kind: "binned",
    counts: [{ tp, predicted, positives, n }],
    thresholds: d.thresholds,
    support: [positives],
  };
}

function rocOf(op: string, d: CurveData, c: number): RocCurve {
  if (d.kind === "binned") return binnedRoc(d.counts[c], d.thresholds);
  return exactRoc(op, d.scores[c], d.positive[c]);
}

function prOf(d: CurveData, c: number): PrCurve {
  if (d.kind === "binned") return binnedPr(d.counts[c], d.thresholds);
  return exactPr(d.scores[c], d.positive[c]);
}

/**
 * The receiver operating characteristic curve, like torchmetrics' `ROC`: for binary one
 * {@link RocCurve}, otherwise one per class (one-vs-rest) or label. Exact mode warns and returns
 * zeros for a rate whose class is absent.
 */
export class ROC extends CurveMetric<RocCurve | RocCurve[]> {
  /** See {@link CurveOptions}. */
  constructor(options: CurveOptions = {}) {
    super("ROC", options);
  }

  /** The curve(s) over everything seen. */
  async compute(): Promise<RocCurve | RocCurve[]> {
    const d = await this.state.read();
    const curves = this.perClass(d, (x, c) => rocOf(`${this.name}.compute`, x, c));
    return this.state.task === "binary" ? curves[0] : curves;
  }
}

/**
 * The precision-recall curve, like torchmetrics' `PrecisionRecallCurve`: precision and recall
 * per increasing threshold, ending at (precision 1, recall 0). Exact-mode recall of a class
 * without positives is NaN.
 */
export class PrecisionRecallCurve extends CurveMetric<PrCurve | PrCurve[]> {
  /** See {@link CurveOptions}. */
  constructor(options: CurveOptions = {}) {
    super("PrecisionRecallCurve", options);
  }

  /** The curve(s) over everything seen. */
  async compute(): Promise<PrCurve | PrCurve[]> {
    const d = await this.state.read();
    const curves = this.perClass(d, prOf);
    return this.state.task === "binary" ? curves[0] : curves;
  }
}

/**
 * Area under the ROC curve, like torchmetrics' `AUROC` (trapezoidal rule, so tied scores count
 * half). A class without positives (or negatives) scores 0, with torchmetrics' warning.
 */
export class AUROC extends CurveMetric<number | number[]> {
  readonly #average: CurveAverage;
  readonly #maxFpr: number | undefined;

  /** See {@link AurocOptions}. */
  constructor(options: AurocOptions = {}) {
    super("AUROC", options);
    this.#average = options.average ?? "macro";
    this.checkAverage(this.#average);
    const m = options.maxFpr;
    if (m !== undefined) {
      if (typeof m !== "number" || !(m > 0 && m <= 1)) {
        throw new Error(`AUROC: maxFpr must be a number in (0, 1], got ${m}`);
      }
      if (this.state.task !== "binary") throw new Error("AUROC: maxFpr applies to binary only");
    }
    this.#maxFpr = m;
  }

  /** The score (a number, or one per class for average "none"). */
  async compute(): Promise<number | number[]> {
    const op = `${this.name}.compute`;
    const d = await this.state.read();
    const micro = this.state.task === "multilabel" && this.#average === "micro";
    const scores = this.perClass(d, (x, c) => rocAuc(op, rocOf(op, x, c), this.#maxFpr), micro);
    if (this.state.task === "binary" || micro) return scores[0];
    return reducePerClass(op, scores, this.#average, d.support);
  }
}

/**
 * Average precision, like torchmetrics' `AveragePrecision`: Σ (R_n − R_{n−1}) P_n over the
 * precision-recall curve (no interpolation). A class without positives gives NaN and is left out
 * of "macro" / "weighted" with a warning.
 */
export class AveragePrecision extends CurveMetric<number | number[]> {
  readonly #average: CurveAverage;

  /** See {@link AveragePrecisionOptions}. */
  constructor(options: AveragePrecisionOptions = {}) {
    super("AveragePrecision", options);
    this.#average = options.average ?? "macro";
    this.checkAverage(this.#average);
  }

  /** The score (a number, or one per class for average "none"). */
  async compute(): Promise<number | number[]> {
    const d = await this.state.read();
    const micro = this.state.task === "multilabel" && this.#average === "micro";
    const scores = this.perClass(d, (x, c) => averagePrecisionOf(prOf(x, c)), micro);
    if (this.state.task === "binary" || micro) return scores[0];
    return reducePerClass(`${this.name}.compute`, scores, this.#average, d.support);
  }
}

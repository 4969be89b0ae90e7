/**
 * Host-side (float64) curve arithmetic of torchmetrics' ranking metrics: the exact binary
 * classification curve (one point per distinct score, ties counted together), ROC and
 * precision-recall curves built from it or from binned counts, trapezoidal AUROC with McClish's
 * partial-AUC correction, average precision as a step sum, and the per-class reductions.
 */

/** A receiver operating characteristic curve (thresholds decreasing). */
export interface RocCurve {
  /** False positive rate at each threshold, starting at 0. */
  fpr: number[];
  /** True positive rate at each threshold, starting at 0. */
  tpr: number[];
  /** Score thresholds, decreasing (exact mode starts with 1, as torchmetrics). */
  thresholds: number[];
}

/** A precision-recall curve (thresholds increasing, one point fewer than precision/recall). */
export interface PrCurve {
  /** Precision at each threshold, then 1. */
  precision: number[];
  /** Recall at each threshold, then 0. */
  recall: number[];
  /** Score thresholds, increasing. */
  thresholds: number[];
}

/** Cumulative counts at each distinct score, highest score first. */
interface ClfCurve {
  fps: number[];
  tps: number[];
  thresholds: number[];
}

/**
 * torchmetrics' `_binary_clf_curve`: sorts by score descending and emits cumulative false and
 * true positives at the last index of each run of equal scores, so tied scores move the curve
 * diagonally in one step instead of in an order-dependent staircase.
 */
function binaryClfCurve(scores: ArrayLike<number>, positive: ArrayLike<number>): ClfCurve {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const out: ClfCurve = { fps: [], tps: [], thresholds: [] };
  let tp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (positive[i]) tp++;
    if (k === n - 1 || scores[order[k + 1]] !== scores[i]) {
      out.tps.push(tp);
      out.fps.push(k + 1 - tp);
      out.thresholds.push(scores[i]);
    }
  }
  return out;
}

/** Warns like torchmetrics' `rank_zero_warn` (console.warn, the metric named). */
export function warn(op: string, message: string): void {
  console.warn(`${op}: ${message}`);
}

/** The exact ROC curve of one class; `op` names the metric in warnings. */
export function exactRoc(
  op: string,
  scores: ArrayLike<number>,
  positive: ArrayLike<number>,
): RocCurve {
  const c = binaryClfCurve(scores, positive);
  // An extra point makes the curve start at (0, 0).
  const fps = [0, ...c.fps], tps = [0, ...c.tps];
  const thresholds = [1, ...c.thresholds];
  const fpsAll = fps[fps.length - 1], tpsAll = tps[tps.length - 1];
  if (fpsAll <= 0) {
    warn(
      op,
      "No negative samples in targets, false positive value should be meaningless. " +
        "Returning zero tensor in false positive score",
    );
  }
  if (tpsAll <= 0) {
    warn(
      op,
      "No positive samples in targets, true positive value should be meaningless. " +
        "Returning zero tensor in true positive score",
    );
  }
  return {
    fpr: fps.map((v) => (fpsAll <= 0 ? 0 : v / fpsAll)),
    tpr: tps.map((v) => (tpsAll <= 0 ? 0 : v / tpsAll)),
    thresholds,
  };
}

/** The exact precision-recall curve of one class (recall is NaN without positives). */
export function exactPr(scores: ArrayLike<number>, positive: ArrayLike<number>): PrCurve {
  const c = binaryClfCurve(scores, positive);
  const tpsAll = c.tps[c.tps.length - 1] ?? 0;
  const precision = c.tps.map((tp, i) => tp / (tp + c.fps[i])).reverse();
  const recall = c.tps.map((tp) => tp / tpsAll).reverse();
  return {
    precision: [...precision, 1],
    recall: [...recall, 0],
    thresholds: c.thresholds.reverse(),
  };
}

/** Per-threshold counts of one class in binned mode. */
export interface BinnedCounts {
  /** True positives at each threshold (score >= threshold). */
  tp: ArrayLike<number>;
  /** Predicted positives at each threshold. */
  predicted: ArrayLike<number>;
  /** Positive targets. */
  positives: number;
  /** Samples. */
  n: number;
}

const safeDiv = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** The ROC curve from binned counts (0/0 gives 0), thresholds decreasing. */
export function binnedRoc(c: BinnedCounts, thresholds: number[]): RocCurve {
  const T = thresholds.length, negatives = c.n - c.positives;
  const fpr: number[] = [], tpr: number[] = [];
  for (let t = T - 1; t >= 0; t--) {
    tpr.push(safeDiv(c.tp[t], c.positives));
    fpr.push(safeDiv(c.predicted[t] - c.tp[t], negatives));
  }
  return { fpr, tpr, thresholds: [...thresholds].reverse() };
}

/** The precision-recall curve from binned counts (0/0 gives 0), thresholds increasing. */
export function binnedPr(c: BinnedCounts, thresholds: number[]): PrCurve {
  const precision: number[] = [], recall: number[] = [];
  for (let t = 0; t < thresholds.length; t++) {
    precision.push(safeDiv(c.tp[t], c.predicted[t]));
    recall.push(safeDiv(c.tp[t], c.positives));
  }
  return { precision: [...precision, 1], recall: [...recall, 0], thresholds: [...thresholds] };
}

/** Trapezoidal area under y(x) (torch.trapz), x taken in the given order. */
function trapz(x: number[], y: number[]): number {
  let s = 0;
  for (let i = 1; i < x.length; i++) s += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
  return s;
}

/**
 * Area under a ROC curve; with `maxFpr` < 1 the standardized partial AUC over [0, maxFpr]
 * (McClish correction), interpolating the curve at maxFpr as torchmetrics does.
 */
export function rocAuc(op: string, roc: RocCurve, maxFpr?: number): number {
  const { fpr, tpr } = roc;
  if (maxFpr === undefined || maxFpr === 1) return trapz(fpr, tpr);
  let stop = 0;
  while (stop < fpr.length && fpr[stop] <= maxFpr) stop++;
  if (stop === fpr.length) {
    // NOTE: torchmetrics indexes past the end here (an IndexError); say why instead.
    throw new Error(`${op}: maxFpr=${maxFpr} needs the curve to pass fpr > maxFpr`);
  }
  const w = (maxFpr - fpr[stop - 1]) / (fpr[stop] - fpr[stop - 1]);
  const interp = tpr[stop - 1] + w * (tpr[stop] - tpr[stop - 1]);
  const partial = trapz([...fpr.slice(0, stop), maxFpr], [...tpr.slice(0, stop), interp]);
  const minArea = 0.5 * maxFpr * maxFpr;
  return 0.5 * (1 + (partial - minArea) / (maxFpr - minArea));
}

/** Average precision: the sum of precision times the recall step, -Σ (r[i+1] - r[i]) p[i]. */
export function averagePrecisionOf(pr: PrCurve): number {
  let s = 0;
  for (let i = 0; i + 1 < pr.recall.length; i++) {
    s -= (pr.recall[i + 1] - pr.recall[i]) * pr.precision[i];
  }
  return s;
}

/** How per-class AUROC / AP scores are combined. */
export type CurveAverage = "micro" | "macro" | "weighted" | "none";

/**
 * torchmetrics' `_reduce_auroc` / `_reduce_average_precision`: NaN classes are left out of
 * "macro" and "weighted" (with a warning); "weighted" uses each class's positive count.
 */
export function reducePerClass(
  op: string,
  scores: number[],
  average: CurveAverage,
  support: number[],
): number | number[] {
  if (average === "none") return scores;
  const keepIdx = scores.map((_, i) => i).filter((i) => !Number.isNaN(scores[i]));
  if (keepIdx.length < scores.length) {
    warn(
      op,
      `Average precision score for one or more classes was \`nan\`. Ignoring these classes in ` +
        `${average}-average`,
    );
  }
  if (average === "macro") {
    return keepIdx.reduce((s, i) => s + scores[i], 0) / keepIdx.length;
  }
  const wSum = keepIdx.reduce((s, i) => s + support[i], 0);
  return keepIdx.reduce((s, i) => s + scores[i] * safeDiv(support[i], wSum), 0);
}

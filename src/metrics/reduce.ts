/**
 * Final arithmetic on the (small) per-class count vectors, in float64 on the host, following
 * torchmetrics: 0/0 is 0; "macro" averages skip classes that never occur in preds or target
 * (tp + fp + fn = 0; with topK > 1: classes without support); "weighted" weights by support.
 */

/** How per-class scores are combined. */
export type Average = "micro" | "macro" | "weighted" | "none";

/** Per-class counts on the host. */
export interface Counts {
  /** True positives per class. */
  tp: number[];
  /** False positives per class. */
  fp: number[];
  /** False negatives per class. */
  fn: number[];
  /** Number of samples. */
  n: number;
}

/** Which score to compute from counts. */
export type Score = "accuracy" | "precision" | "recall" | "f1";

const div = (a: number, b: number): number => (b === 0 ? 0 : a / b);

function perClass(score: Score, tp: number, fp: number, fn: number): number {
  switch (score) {
    case "precision":
      return div(tp, tp + fp);
    case "accuracy": // multiclass per-class accuracy is recall, as in torchmetrics
    case "recall":
      return div(tp, tp + fn);
    case "f1":
      return div(2 * tp, 2 * tp + fp + fn);
  }
}

/** Reduces counts to the requested average (a number, or one value per class for "none"). */
export function reduceScores(
  score: Score,
  c: Counts,
  average: Average,
  topK = 1,
): number | number[] {
  const C = c.tp.length;
  if (average === "micro") {
    const tp = sum(c.tp), fp = sum(c.fp), fn = sum(c.fn);
    return perClass(score, tp, fp, fn);
  }
  const scores = c.tp.map((tp, i) => perClass(score, tp, c.fp[i], c.fn[i]));
  if (average === "none") return scores;
  const w = new Array<number>(C);
  for (let i = 0; i < C; i++) {
    const support = c.tp[i] + c.fn[i];
    w[i] = average === "weighted"
      ? support
      : (topK === 1 ? c.tp[i] + c.fp[i] + c.fn[i] : support) === 0
      ? 0
      : 1;
  }
  return div(sum(scores.map((s, i) => s * w[i])), sum(w));
}

function sum(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

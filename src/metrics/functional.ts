/** One-shot functional forms of the metrics (`metrics.functional.accuracy(preds, target)`). */
import type { Tensor } from "../tensor/tensor.ts";
import {
  Accuracy,
  type ClassificationOptions,
  F1Score,
  Precision,
  Recall,
  type StatScoresMetric,
} from "./classification.ts";
import { ConfusionMatrix, type ConfusionMatrixOptions } from "./confusion_matrix.ts";
import type { Metric } from "./metric.ts";
import type { PrCurve, RocCurve } from "./curves.ts";
import type { CurveOptions } from "./curve_state.ts";
import {
  AUROC,
  type AurocOptions,
  AveragePrecision,
  type AveragePrecisionOptions,
  PrecisionRecallCurve,
  ROC,
} from "./curve_metrics.ts";
import {
  type CosineReduction,
  CosineSimilarity,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  type MeanSquaredErrorOptions,
} from "./regression.ts";
import {
  type CorrCoefOptions,
  ExplainedVariance,
  type Multioutput,
  PearsonCorrCoef,
  R2Score,
  type R2ScoreOptions,
  SpearmanCorrCoef,
} from "./correlation.ts";

async function once(
  m: StatScoresMetric,
  preds: Tensor,
  target: Tensor,
): Promise<number | number[]> {
  try {
    m.update(preds, target);
    return await m.compute();
  } finally {
    m.reset();
  }
}

/** Accuracy of one batch (see {@link Accuracy}). */
export function accuracy(
  preds: Tensor,
  target: Tensor,
  options: ClassificationOptions = {},
): Promise<number | number[]> {
  return once(new Accuracy(options), preds, target);
}

/** Precision of one batch (see {@link Precision}). */
export function precision(
  preds: Tensor,
  target: Tensor,
  options: ClassificationOptions = {},
): Promise<number | number[]> {
  return once(new Precision(options), preds, target);
}

/** Recall of one batch (see {@link Recall}). */
export function recall(
  preds: Tensor,
  target: Tensor,
  options: ClassificationOptions = {},
): Promise<number | number[]> {
  return once(new Recall(options), preds, target);
}

/** F1 score of one batch (see {@link F1Score}). */
export function f1Score(
  preds: Tensor,
  target: Tensor,
  options: ClassificationOptions = {},
): Promise<number | number[]> {
  return once(new F1Score(options), preds, target);
}

/** Confusion matrix of one batch (see {@link ConfusionMatrix}). */
export async function confusionMatrix(
  preds: Tensor,
  target: Tensor,
  options: ConfusionMatrixOptions = {},
): Promise<number[][]> {
  const m = new ConfusionMatrix(options);
  try {
    m.update(preds, target);
    return await m.compute();
  } finally {
    m.reset();
  }
}

/** Runs a fresh metric on one batch and frees its state. */
async function oneShot<Out>(
  m: Metric<[Tensor, Tensor], Out>,
  preds: Tensor,
  target: Tensor,
): Promise<Out> {
  try {
    m.update(preds, target);
    return await m.compute();
  } finally {
    m.reset();
  }
}

/** ROC curve(s) of one batch (see {@link ROC}). */
export function roc(
  preds: Tensor,
  target: Tensor,
  options: CurveOptions = {},
): Promise<RocCurve | RocCurve[]> {
  return oneShot(new ROC(options), preds, target);
}

/** Precision-recall curve(s) of one batch (see {@link PrecisionRecallCurve}). */
export function precisionRecallCurve(
  preds: Tensor,
  target: Tensor,
  options: CurveOptions = {},
): Promise<PrCurve | PrCurve[]> {
  return oneShot(new PrecisionRecallCurve(options), preds, target);
}

/** AUROC of one batch (see {@link AUROC}). */
export function auroc(
  preds: Tensor,
  target: Tensor,
  options: AurocOptions = {},
): Promise<number | number[]> {
  return oneShot(new AUROC(options), preds, target);
}

/** Average precision of one batch (see {@link AveragePrecision}). */
export function averagePrecision(
  preds: Tensor,
  target: Tensor,
  options: AveragePrecisionOptions = {},
): Promise<number | number[]> {
  return oneShot(new AveragePrecision(options), preds, target);
}

/** Mean squared error of one batch (see {@link MeanSquaredError}). */
export function meanSquaredError(
  preds: Tensor,
  target: Tensor,
  options: MeanSquaredErrorOptions = {},
): Promise<number | number[]> {
  return oneShot(new MeanSquaredError(options), preds, target);
}

/** Mean absolute error of one batch (see {@link MeanAbsoluteError}). */
export function meanAbsoluteError(
  preds: Tensor,
  target: Tensor,
  options: { numOutputs?: number } = {},
): Promise<number | number[]> {
  return oneShot(new MeanAbsoluteError(options), preds, target);
}

/** Mean absolute percentage error of one batch (see {@link MeanAbsolutePercentageError}). */
export function meanAbsolutePercentageError(
  preds: Tensor,
  target: Tensor,
): Promise<number | number[]> {
  return oneShot(new MeanAbsolutePercentageError(), preds, target);
}

/** R² of one batch (see {@link R2Score}). */
export function r2Score(
  preds: Tensor,
  target: Tensor,
  options: R2ScoreOptions = {},
): Promise<number | number[]> {
  return oneShot(new R2Score(options), preds, target);
}

/** Explained variance of one batch (see {@link ExplainedVariance}). */
export function explainedVariance(
  preds: Tensor,
  target: Tensor,
  options: { multioutput?: Multioutput } = {},
): Promise<number | number[]> {
  return oneShot(new ExplainedVariance(options), preds, target);
}

/** Pearson's correlation of one batch (see {@link PearsonCorrCoef}). */
export function pearsonCorrCoef(
  preds: Tensor,
  target: Tensor,
  options: CorrCoefOptions = {},
): Promise<number | number[]> {
  return oneShot(new PearsonCorrCoef(options), preds, target);
}

/** Spearman's rank correlation of one batch (see {@link SpearmanCorrCoef}). */
export function spearmanCorrCoef(
  preds: Tensor,
  target: Tensor,
  options: CorrCoefOptions = {},
): Promise<number | number[]> {
  return oneShot(new SpearmanCorrCoef(options), preds, target);
}

/** Cosine similarity of one batch (see {@link CosineSimilarity}). */
export function cosineSimilarity(
  preds: Tensor,
  target: Tensor,
  options: { reduction?: CosineReduction } = {},
): Promise<number | number[]> {
  return oneShot(new CosineSimilarity(options), preds, target);
}

/** Classification, ROC/PR-curve and regression metrics like torchmetrics, on the inputs' device. */
export { Accuracy, F1Score, Precision, Recall, StatScoresMetric } from "./classification.ts";
export type { ClassificationOptions } from "./classification.ts";
export { ConfusionMatrix } from "./confusion_matrix.ts";
export type { ConfusionMatrixOptions } from "./confusion_matrix.ts";
export { MeanMetric } from "./mean.ts";
export type { Metric } from "./metric.ts";
export type { Average } from "./reduce.ts";
export type { Task } from "./inputs.ts";
/** Functional forms of the metrics (one call, no state). */
export * as functional from "./functional.ts";
export { AUROC, AveragePrecision, PrecisionRecallCurve, ROC } from "./curve_metrics.ts";
export type { AurocOptions, AveragePrecisionOptions } from "./curve_metrics.ts";
export type { CurveOptions, CurveTask } from "./curve_state.ts";
export type { CurveAverage, PrCurve, RocCurve } from "./curves.ts";
export {
  CosineSimilarity,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
} from "./regression.ts";
export type { CosineReduction, MeanSquaredErrorOptions } from "./regression.ts";
export { ExplainedVariance, PearsonCorrCoef, R2Score, SpearmanCorrCoef } from "./correlation.ts";
export type { CorrCoefOptions, Multioutput, R2ScoreOptions } from "./correlation.ts";

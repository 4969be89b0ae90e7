/** Classification metrics with torchmetrics semantics, accumulated on the tensors' device. */
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

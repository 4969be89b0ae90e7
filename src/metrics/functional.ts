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

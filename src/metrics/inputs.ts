/**
 * Turns `(preds, target)` into per-class counts on the tensors' own device, with tensor ops
 * only (one-hot comparisons against `arange` and column sums), so `update()` never waits for
 * a GPU readback. Value-range checks need the values, so they run only for CPU tensors.
 */
import { Tensor } from "../tensor/tensor.ts";
import { arange } from "../tensor/creation.ts";

/** Classification task kinds. */
export type Task = "binary" | "multiclass";

/** Per-batch counts, all int32 tensors of shape (C). */
export interface BatchStats {
  /** Samples of class c predicted as c (top-k: c among the top k). */
  tp: Tensor;
  /** Samples predicted as class c. */
  predicted: Tensor;
  /** Samples whose target is class c. */
  support: Tensor;
  /** (C, C) target × prediction counts, when requested. */
  confusion?: Tensor;
}

/** Settings shared by the classification metrics. */
export interface InputSpec {
  /** Task kind. */
  task: Task;
  /** Number of classes (2 for binary). */
  numClasses: number;
  /** Count a sample as correct when its class is among the k highest scores. */
  topK: number;
  /** Binary decision threshold on probabilities. */
  threshold: number;
}

function fail(op: string, msg: string): never {
  throw new Error(`${op}: ${msg}`);
}

function checkTargetValues(op: string, t: Tensor, c: number): void {
  if (t.device !== "cpu") return;
  const v = t.dataSync();
  for (let i = 0; i < v.length; i++) {
    if (v[i] < 0 || v[i] >= c) fail(op, `target value ${v[i]} outside [0, ${c - 1}]`);
  }
}

/** The k-th largest score of each row, (N, 1); ties keep every tied class in the top k. */
function kthLargest(preds: Tensor, k: number): Tensor {
  let work = preds;
  let kth = work.amax(1, true);
  for (let i = 1; i < k; i++) {
    // Remove the current maximum of each row, then take the next one.
    work = work.maskedFill(work.ge(kth), -Infinity);
    kth = work.amax(1, true);
  }
  return kth;
}

/** Validates inputs and returns (N, C) float one-hots of predictions and targets. */
function oneHots(op: string, preds: Tensor, target: Tensor, spec: InputSpec): [Tensor, Tensor] {
  if (!(preds instanceof Tensor) || !(target instanceof Tensor)) {
    fail(op, "preds and target must be tensors");
  }
  if (preds.device !== target.device) {
    fail(op, `preds is on ${preds.device} but target is on ${target.device}`);
  }
  const C = spec.numClasses;
  const cls = arange(0, C, 1, { dtype: "int32", device: preds.device }).unsqueeze(0);
  if (spec.task === "binary") {
    if (preds.shape.join() !== target.shape.join()) {
      fail(op, `binary preds shape [${preds.shape}] must equal target shape [${target.shape}]`);
    }
    if (target.dtype !== "int32" && target.dtype !== "bool") {
      fail(op, `binary target must be int32 or bool (0/1), got ${target.dtype}`);
    }
    checkTargetValues(op, target, 2);
    let p: Tensor;
    if (preds.dtype === "float32" || preds.dtype === "float64") {
      // torchmetrics: scores outside [0, 1] are logits and go through a sigmoid. The check is
      // a tensor, not a readback, so both branches are computed and one is selected.
      const inRange = preds.ge(0).logicalAnd(preds.le(1)).all();
      p = preds.where(inRange, preds.sigmoid()).gt(spec.threshold).int();
    } else {
      checkTargetValues(op, preds, 2);
      p = preds.int();
    }
    return [
      p.flatten().unsqueeze(1).eq(cls).float(),
      target.int().flatten().unsqueeze(1).eq(cls).float(),
    ];
  }
  if (target.dtype !== "int32") {
    fail(op, `target must hold int32 class indices, got ${target.dtype}`);
  }
  if (target.ndim !== 1) fail(op, `target must be 1-D (N), got shape [${target.shape}]`);
  const n = target.shape[0];
  checkTargetValues(op, target, C);
  const t1h = target.unsqueeze(1).eq(cls).float();
  if (preds.ndim === 2) {
    if (preds.shape[0] !== n || preds.shape[1] !== C) {
      fail(op, `preds of shape [${preds.shape}] must be (N=${n}, numClasses=${C})`);
    }
    if (preds.dtype !== "float32" && preds.dtype !== "float64") {
      fail(op, `(N, C) preds must be float scores, got ${preds.dtype}`);
    }
    if (spec.topK > 1) return [preds.ge(kthLargest(preds, spec.topK)).float(), t1h];
    return [preds.argmax(1).unsqueeze(1).eq(cls).float(), t1h];
  }
  if (preds.ndim === 1) {
    if (preds.shape[0] !== n) fail(op, `preds length ${preds.shape[0]} != target length ${n}`);
    if (preds.dtype !== "int32") {
      fail(op, `1-D preds must be int32 class indices, got ${preds.dtype}`);
    }
    if (spec.topK > 1) fail(op, `topK=${spec.topK} needs (N, C) scores, not class indices`);
    checkTargetValues(op, preds, C);
    return [preds.unsqueeze(1).eq(cls).float(), t1h];
  }
  fail(op, `preds must be (N, C) scores or (N) class indices, got shape [${preds.shape}]`);
}

/** Counts of one batch; intermediate tensors are disposed by the caller's scope. */
export function batchStats(
  op: string,
  preds: Tensor,
  target: Tensor,
  spec: InputSpec,
  withConfusion = false,
): BatchStats {
  const [p, t] = oneHots(op, preds, target, spec);
  // Float sums are exact for batches below 2^24 samples; the running state is int32.
  return {
    tp: p.mul(t).sum(0).int(),
    predicted: p.sum(0).int(),
    support: t.sum(0).int(),
    confusion: withConfusion ? t.t().matmul(p).int() : undefined,
  };
}

/** Validates the shared constructor options. */
export function checkSpec(op: string, spec: InputSpec): void {
  if (spec.task !== "binary" && spec.task !== "multiclass") {
    fail(op, `task must be "binary" or "multiclass", got "${spec.task}"`);
  }
  if (!Number.isInteger(spec.numClasses) || spec.numClasses < 2) {
    fail(op, `numClasses must be an integer >= 2, got ${spec.numClasses}`);
  }
  if (!Number.isInteger(spec.topK) || spec.topK < 1 || spec.topK > spec.numClasses) {
    fail(op, `topK must be an integer in [1, numClasses], got ${spec.topK}`);
  }
  if (spec.task === "binary" && spec.topK !== 1) fail(op, "topK applies to multiclass only");
}

/**
 * Inputs and state of the curve metrics (ROC, PrecisionRecallCurve, AUROC, AveragePrecision).
 * `update()` validates and formats a batch with tensor ops on its own device (sigmoid or softmax
 * when scores leave [0, 1], as torchmetrics decides per batch) and enqueues work only. Exact mode
 * (`thresholds: null`) keeps every formatted batch and builds the curves on the host at
 * `compute()`; binned mode keeps int32 per-threshold counts, constant in the number of samples.
 */
import { Tensor } from "../tensor/tensor.ts";
import { arange, tensor } from "../tensor/creation.ts";
import { keep, scope } from "../tensor/memory.ts";
import { cat } from "../ops/join.ts";
import { accumulate } from "./metric.ts";
import type { BinnedCounts } from "./curves.ts";

/** Task kinds of the curve metrics (torchmetrics' names). */
export type CurveTask = "binary" | "multiclass" | "multilabel";

/** Options shared by ROC, PrecisionRecallCurve, AUROC and AveragePrecision. */
export interface CurveOptions {
  /**
   * "binary" (default without numClasses/numLabels), "multiclass" (one-vs-rest over
   * numClasses, default when numClasses is given) or "multilabel" (default with numLabels).
   */
  task?: CurveTask;
  /** Number of classes (multiclass). */
  numClasses?: number;
  /** Number of labels (multilabel). */
  numLabels?: number;
  /**
   * `null` (default): exact curves from every distinct score, memory O(samples). A number
   * n >= 2: n thresholds spaced evenly over [0, 1]; a list: those thresholds in [0, 1]. Binned
   * modes count `score >= threshold` and use constant memory.
   */
  thresholds?: number | number[] | null;
}

/** What `compute()` gets from the state: per-class scores, or per-class binned counts. */
export type CurveData =
  | {
    kind: "exact";
    /** Scores of each class (one column per class). */
    scores: Float64Array[];
    /** Whether each sample is a positive of that class. */
    positive: Uint8Array[];
    /** Positives per class. */
    support: number[];
  }
  | {
    kind: "binned";
    /** Counts per class. */
    counts: BinnedCounts[];
    /** The thresholds, increasing as given. */
    thresholds: number[];
    /** Positives per class. */
    support: number[];
  };

function fail(op: string, msg: string): never {
  throw new Error(`${op}: ${msg}`);
}

const isFloat = (t: Tensor): boolean => t.dtype === "float32" || t.dtype === "float64";

/** Accumulated inputs of one curve metric. */
export class CurveState {
  /** The task. */
  readonly task: CurveTask;
  /** Classes (multiclass), labels (multilabel) or 1 (binary). */
  readonly numClasses: number;
  readonly #name: string;
  readonly #thresholds: number[] | null;
  #batches: Tensor[] = [];
  #counts: Tensor | null = null;
  /** Samples seen (rows after folding extra dims). */
  #n = 0;

  /** @param name the metric's name in error messages */
  constructor(name: string, options: CurveOptions) {
    this.#name = name;
    const task = options.task ??
      (options.numClasses !== undefined
        ? "multiclass"
        : options.numLabels !== undefined
        ? "multilabel"
        : "binary");
    if (task !== "binary" && task !== "multiclass" && task !== "multilabel") {
      fail(name, `task must be "binary", "multiclass" or "multilabel", got "${task}"`);
    }
    this.task = task;
    const k = task === "multiclass"
      ? options.numClasses
      : task === "multilabel"
      ? options.numLabels
      : 1;
    if (task !== "binary" && (!Number.isInteger(k) || (k as number) < 2)) {
      const opt = task === "multiclass" ? "numClasses" : "numLabels";
      fail(name, `${task} needs ${opt}, an integer >= 2, got ${k}`);
    }
    this.numClasses = k as number;
    this.#thresholds = thresholdList(name, options.thresholds ?? null);
  }

  /** Validates a batch and adds it to the state (device work only). */
  update(preds: Tensor, target: Tensor): void {
    const op = `${this.#name}.update`;
    const delta = scope(() => {
      const [probs, tgt] = this.#format(op, preds, target);
      if (!this.#thresholds) return cat([probs, tgt.to(probs.dtype)], 1);
      return this.#binnedCounts(probs, tgt);
    });
    this.#n += preds.numel / (this.task === "binary" ? 1 : this.numClasses);
    if (this.#thresholds) this.#counts = keep(accumulate(this.#counts, delta));
    else this.#batches.push(keep(delta));
  }

  /** Reads the state back (one readback) for the host-side curve arithmetic. */
  async read(): Promise<CurveData> {
    const op = `${this.#name}.compute`;
    const C = this.numClasses;
    if (this.#thresholds) {
      if (!this.#counts) fail(op, "called before any update()");
      const v = await this.#counts.toArray();
      const T = this.#thresholds.length, row = 2 * T + 1;
      const counts: BinnedCounts[] = [];
      for (let c = 0; c < C; c++) {
        const base = c * row;
        counts.push({
          tp: v.subarray(base, base + T),
          predicted: v.subarray(base + T, base + 2 * T),
          positives: v[base + 2 * T],
          n: this.#n,
        });
      }
      return {
        kind: "binned",
        counts,
        thresholds: this.#thresholds,
        support: counts.map((c) => c.positives),
      };
    }
    if (!this.#batches.length) fail(op, "called before any update()");
    const all = cat(this.#batches, 0);
    const v = await all.toArray();
    all.dispose();
    const width = all.shape[1], n = all.shape[0];
    const scores = Array.from({ length: C }, () => new Float64Array(n));
    const positive = Array.from({ length: C }, () => new Uint8Array(n));
    for (let i = 0; i < n; i++) {
      const r = i * width;
      for (let c = 0; c < C; c++) {
        scores[c][i] = v[r + c];
        positive[c][i] = this.task === "multiclass" ? +(v[r + C] === c) : +(v[r + C + c] === 1);
      }
    }
    const support = positive.map((p) => p.reduce((s, x) => s + x, 0));
    return { kind: "exact", scores, positive, support };
  }

  /** Frees the state. */
  reset(): void {
    for (const b of this.#batches) b.dispose();
    this.#counts?.dispose();
    this.#batches = [];
    this.#counts = null;
    this.#n = 0;
  }

  /**
   * Validates and returns (M, K) probabilities and (M, 1) class indices (multiclass) or
   * (M, K) 0/1 targets, with extra dims folded into M.
   */
  #format(op: string, preds: Tensor, target: Tensor): [Tensor, Tensor] {
    if (!(preds instanceof Tensor) || !(target instanceof Tensor)) {
      fail(op, "preds and target must be tensors");
    }
    if (preds.device !== target.device) {
      fail(op, `preds is on ${preds.device} but target is on ${target.device}`);
    }
    if (!isFloat(preds)) {
      fail(op, `preds must be float probabilities or logits, got ${preds.dtype}`);
    }
    if (target.dtype !== "int32" && target.dtype !== "bool") {
      fail(op, `target must be int32 (or bool) labels, got ${target.dtype}`);
    }
    const C = this.numClasses;
    const p = preds.detach();
    const shapes = `preds [${preds.shape}] and target [${target.shape}]`;
    if (this.task === "multiclass") {
      const ok = preds.ndim === target.ndim + 1 && preds.ndim >= 2 &&
        preds.shape[0] === target.shape[0] && preds.shape[1] === C &&
        preds.shape.slice(2).join() === target.shape.slice(1).join();
      if (!ok) {
        fail(op, `multiclass expects preds (N, ${C}, ...) and target (N, ...), got ${shapes}`);
      }
      checkValues(op, target, C);
      const flat = p.movedim(1, -1).reshape(-1, C);
      const probs = flat.where(inUnitRange(flat), flat.softmax(1));
      return [probs, target.int().reshape(-1, 1)];
    }
    if (preds.shape.join() !== target.shape.join()) {
      fail(op, `${this.task} expects preds and target of the same shape, got ${shapes}`);
    }
    checkValues(op, target, 2);
    if (this.task === "binary") {
      const flat = p.reshape(-1, 1);
      return [flat.where(inUnitRange(flat), flat.sigmoid()), target.int().reshape(-1, 1)];
    }
    if (preds.ndim < 2 || preds.shape[1] !== C) {
      fail(op, `multilabel expects preds (N, ${C}, ...), got ${shapes}`);
    }
    const flat = p.movedim(1, -1).reshape(-1, C);
    return [
      flat.where(inUnitRange(flat), flat.sigmoid()),
      target.int().movedim(1, -1).reshape(-1, C),
    ];
  }

  /** (K, 2T + 1) int32 counts of one batch: tp per threshold, predicted per threshold, positives. */
  #binnedCounts(probs: Tensor, tgt: Tensor): Tensor {
    const thr = this.#thresholds!;
    const K = this.numClasses;
    const pos = this.task === "multiclass"
      ? tgt.eq(arange(0, K, 1, { dtype: "int32", device: tgt.device }).unsqueeze(0))
        .to(probs.dtype)
      : tgt.to(probs.dtype);
    const t = tensor(Float32Array.from(thr), { shape: [1, 1, thr.length], device: probs.device })
      .to(probs.dtype);
    const hit = probs.unsqueeze(2).ge(t).to(probs.dtype); // (M, K, T)
    // Float sums are exact below 2^24 samples per batch; the running state is int32.
    const tp = hit.mul(pos.unsqueeze(2)).sum(0);
    return cat([tp, hit.sum(0), pos.sum(0).unsqueeze(1)], 1).int();
  }
}

/** All scores of the batch lie in [0, 1] (a tensor, so no readback decides the branch). */
function inUnitRange(x: Tensor): Tensor {
  return x.ge(0).logicalAnd(x.le(1)).all();
}

function checkValues(op: string, t: Tensor, c: number): void {
  // Values are only known without a readback on the CPU; GPU targets are trusted.
  if (t.device !== "cpu") return;
  const v = t.dataSync();
  for (let i = 0; i < v.length; i++) {
    if (v[i] < 0 || v[i] >= c || !Number.isInteger(v[i])) {
      fail(op, `target value ${v[i]} outside [0, ${c - 1}]`);
    }
  }
}

function thresholdList(op: string, t: number | number[] | null): number[] | null {
  if (t === null) return null;
  // torchmetrics' thresholds are float32 tensors (torch.linspace / torch.tensor defaults), so
  // scores equal to a threshold compare the same way here.
  const f = Math.fround;
  if (typeof t === "number") {
    if (!Number.isInteger(t) || t < 2) fail(op, `thresholds as a number must be an integer >= 2`);
    // NOTE: torch.linspace's float32 arithmetic can land 1 ulp off i/(t - 1) for some t (not
    // for t = 5 or 11); we take the correctly rounded value, so only scores within 1 ulp of
    // such a threshold could be counted differently.
    return Array.from({ length: t }, (_, i) => f(i / (t - 1)));
  }
  if (
    !Array.isArray(t) || !t.length || t.some((x) => typeof x !== "number" || !(x >= 0 && x <= 1))
  ) {
    fail(op, "thresholds must be null, an integer >= 2 or a non-empty list of numbers in [0, 1]");
  }
  return t.map(f);
}

/**
 * Variance-based regression metrics with torchmetrics' definitions and edge cases:
 * PearsonCorrCoef, SpearmanCorrCoef, R2Score and ExplainedVariance. Pearson, R² and explained
 * variance keep running moments on the device ({@link RunningMoments}); Spearman needs every
 * value to rank, so it keeps the inputs, as torchmetrics does.
 */
import type { Tensor } from "../tensor/tensor.ts";
import { keep, scope } from "../tensor/memory.ts";
import { cat, stack } from "../ops/join.ts";
import type { Metric } from "./metric.ts";
import { accDtype, checkOutputs, checkPair, type Moments, RunningMoments } from "./moments.ts";
import { warn } from "./curves.ts";

/** How per-output R² / explained-variance scores are combined (sklearn's names). */
export type Multioutput = "raw_values" | "uniform_average" | "variance_weighted";

const clamp1 = (r: number): number => Math.min(1, Math.max(-1, r));
const one = (v: number[], numOutputs: number): number | number[] => (numOutputs > 1 ? v : v[0]);

function checkNumOutputs(op: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`${op}: numOutputs must be a positive integer, got ${n}`);
  }
}

function checkMultioutput(op: string, m: Multioutput): void {
  if (!["raw_values", "uniform_average", "variance_weighted"].includes(m)) {
    throw new Error(
      `${op}: multioutput must be raw_values, uniform_average or variance_weighted, got "${m}"`,
    );
  }
}

/** Options of {@link PearsonCorrCoef} and {@link SpearmanCorrCoef}. */
export interface CorrCoefOptions {
  /** Outputs: inputs are (N) for 1 (default), (N, numOutputs) otherwise. */
  numOutputs?: number;
}

// torchmetrics keeps float32 state; its "variance close to zero" warning uses that precision.
const VARIANCE_BOUND = Math.sqrt(2 ** -23);

/** Pearson's correlation coefficient per output, clamped to [-1, 1], like torchmetrics. */
export class PearsonCorrCoef implements Metric<[Tensor, Tensor], number | number[]> {
  readonly #numOutputs: number;
  readonly #moments = new RunningMoments();

  /** See {@link CorrCoefOptions}. */
  constructor(options: CorrCoefOptions = {}) {
    this.#numOutputs = options.numOutputs ?? 1;
    checkNumOutputs("PearsonCorrCoef", this.#numOutputs);
  }

  /** Adds a batch; device work only. */
  update(preds: Tensor, target: Tensor): void {
    const op = "PearsonCorrCoef.update";
    checkPair(op, preds, target);
    checkOutputs(op, preds, this.#numOutputs);
    this.#moments.update(op, preds, target);
  }

  /** The coefficient (one per output when numOutputs > 1); NaN for constant inputs. */
  async compute(): Promise<number | number[]> {
    const m = await this.#moments.read();
    if (!m) throw new Error("PearsonCorrCoef.compute: called before any update()");
    const dof = m.n - 1;
    if (m.m2x.some((v, i) => v / dof < VARIANCE_BOUND || m.m2y[i] / dof < VARIANCE_BOUND)) {
      warn(
        "PearsonCorrCoef.compute",
        "The variance of predictions or target is close to zero. This can cause instability " +
          "in Pearson correlation coefficient, leading to wrong results.",
      );
    }
    return one(m.cxy.map((c, i) => clamp1(c / Math.sqrt(m.m2x[i] * m.m2y[i]))), this.#numOutputs);
  }

  /** Clears the state. */
  reset(): void {
    this.#moments.reset();
  }
}

/** Ranks 1..n with ties given their mean rank (torchmetrics' `_rank_data`). */
function rank(v: ArrayLike<number>): number[] {
  const n = v.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => v[a] - v[b]);
  const r = new Array<number>(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && v[order[j + 1]] === v[order[i]]) j++;
    const mean = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[order[k]] = mean;
    i = j + 1;
  }
  return r;
}

/** torchmetrics adds this to the denominator, so constant inputs give 0 rather than NaN. */
const SPEARMAN_EPS = 1e-6;

/**
 * Spearman's rank correlation per output: Pearson's on ranks (ties get their mean rank), with
 * torchmetrics' `cov / (std_p · std_t + 1e-6)`, clamped to [-1, 1].
 */
export class SpearmanCorrCoef implements Metric<[Tensor, Tensor], number | number[]> {
  readonly #numOutputs: number;
  #batches: Tensor[] = [];

  /** See {@link CorrCoefOptions}. */
  constructor(options: CorrCoefOptions = {}) {
    this.#numOutputs = options.numOutputs ?? 1;
    checkNumOutputs("SpearmanCorrCoef", this.#numOutputs);
  }

  /** Adds a batch (float inputs, as torchmetrics requires); device work only. */
  update(preds: Tensor, target: Tensor): void {
    const op = "SpearmanCorrCoef.update";
    checkPair(op, preds, target);
    if (preds.dtype === "int32" || target.dtype === "int32") {
      throw new Error(
        `${op}: preds and target must be float tensors, got ${preds.dtype} and ${target.dtype}`,
      );
    }
    const d = checkOutputs(op, preds, this.#numOutputs);
    const both = scope(() => {
      const dt = accDtype(preds);
      return stack([preds.detach().to(dt).reshape(-1, d), target.detach().to(dt).reshape(-1, d)]);
    });
    this.#batches.push(keep(both));
  }

  /** The coefficient (one per output when numOutputs > 1). */
  async compute(): Promise<number | number[]> {
    if (!this.#batches.length) {
      throw new Error("SpearmanCorrCoef.compute: called before any update()");
    }
    const all = cat(this.#batches, 1); // (2, N, d)
    const v = await all.toArray();
    all.dispose();
    const [, n, d] = all.shape;
    const out: number[] = [];
    for (let j = 0; j < d; j++) {
      const col = (w: number): number[] =>
        Array.from({ length: n }, (_, i) => v[w * n * d + i * d + j]);
      const rp = rank(col(0)), rt = rank(col(1));
      const mp = rp.reduce((a, b) => a + b, 0) / n, mt = rt.reduce((a, b) => a + b, 0) / n;
      let cov = 0, vp = 0, vt = 0;
      for (let i = 0; i < n; i++) {
        cov += (rp[i] - mp) * (rt[i] - mt);
        vp += (rp[i] - mp) ** 2;
        vt += (rt[i] - mt) ** 2;
      }
      out.push(clamp1((cov / n) / (Math.sqrt(vp / n) * Math.sqrt(vt / n) + SPEARMAN_EPS)));
    }
    return one(out, this.#numOutputs);
  }

  /** Clears the state. */
  reset(): void {
    for (const b of this.#batches) b.dispose();
    this.#batches = [];
  }
}

/** Options of {@link R2Score}. */
export interface R2ScoreOptions {
  /** Independent regressors k for the adjusted R² 1 − (1 − R²)(n − 1)/(n − k − 1) (default 0). */
  adjusted?: number;
  /** Combining outputs of (N, d) inputs (default "uniform_average"). */
  multioutput?: Multioutput;
}

/** Per-output scores combined as sklearn/torchmetrics do; `weights` are each output's variance. */
function combine(scores: number[], weights: number[], m: Multioutput): number | number[] {
  if (m === "raw_values") return scores;
  if (m === "uniform_average") return scores.reduce((a, b) => a + b, 0) / scores.length;
  const total = weights.reduce((a, b) => a + b, 0);
  return scores.reduce((s, x, i) => s + (weights[i] / total) * x, 0);
}

/** Residual sum of squares per output, from moments of (target − preds). */
const rssOf = (m: Moments): number[] => m.m2x.map((v, i) => v + m.n * m.meanX[i] ** 2);

/**
 * Coefficient of determination R² = 1 − SS_res / SS_tot per output, like torchmetrics'
 * `R2Score`: (near-)constant targets score 1 when also predicted exactly, else 0 (|SS| ≤ 1e-4
 * counts as zero); needs at least two samples.
 */
export class R2Score implements Metric<[Tensor, Tensor], number | number[]> {
  readonly #adjusted: number;
  readonly #multioutput: Multioutput;
  readonly #moments = new RunningMoments();

  /** See {@link R2ScoreOptions}. */
  constructor(options: R2ScoreOptions = {}) {
    this.#adjusted = options.adjusted ?? 0;
    this.#multioutput = options.multioutput ?? "uniform_average";
    if (!Number.isInteger(this.#adjusted) || this.#adjusted < 0) {
      throw new Error("R2Score: adjusted must be an integer >= 0");
    }
    checkMultioutput("R2Score", this.#multioutput);
  }

  /** Adds a batch of (N) or (N, outputs) inputs; device work only. */
  update(preds: Tensor, target: Tensor): void {
    const op = "R2Score.update";
    checkPair(op, preds, target);
    checkOutputs(op, preds);
    scope(() => this.#moments.update(op, target.sub(preds), target));
  }

  /** The score (per output for "raw_values"). */
  async compute(): Promise<number | number[]> {
    const op = "R2Score.compute";
    const m = await this.#moments.read();
    if (!m) throw new Error(`${op}: called before any update()`);
    if (m.n < 2) throw new Error(`${op}: needs at least two samples to calculate r2 score`);
    const rss = rssOf(m), tss = m.m2y;
    const zero = (x: number): boolean => Math.abs(x) <= 1e-4; // torch.isclose(x, 0, atol=1e-4)
    const raw = rss.map((r, i) => (zero(r) ? 1 : zero(tss[i]) ? 0 : 1 - r / tss[i]));
    const r2 = combine(raw, tss, this.#multioutput);
    const k = this.#adjusted, n = m.n;
    if (k === 0) return r2;
    if (k >= n - 1) {
      warn(
        op,
        k > n - 1
          ? "More independent regressions than data points in adjusted r2 score. " +
            "Falls back to standard r2 score."
          : "Division by zero in adjusted r2 score. Falls back to standard r2 score.",
      );
      return r2;
    }
    const adj = (x: number): number => 1 - (1 - x) * (n - 1) / (n - k - 1);
    return Array.isArray(r2) ? r2.map(adj) : adj(r2);
  }

  /** Clears the state. */
  reset(): void {
    this.#moments.reset();
  }
}

/**
 * Explained variance 1 − Var(target − preds) / Var(target) per output, like torchmetrics'
 * `ExplainedVariance`: 1 when both variances are 0, 0 when only the target's is.
 */
export class ExplainedVariance implements Metric<[Tensor, Tensor], number | number[]> {
  readonly #multioutput: Multioutput;
  readonly #moments = new RunningMoments();

  /** `multioutput`: combining outputs of (N, d) inputs (default "uniform_average"). */
  constructor(options: { multioutput?: Multioutput } = {}) {
    this.#multioutput = options.multioutput ?? "uniform_average";
    checkMultioutput("ExplainedVariance", this.#multioutput);
  }

  /** Adds a batch of (N) or (N, outputs) inputs; device work only. */
  update(preds: Tensor, target: Tensor): void {
    const op = "ExplainedVariance.update";
    checkPair(op, preds, target);
    checkOutputs(op, preds);
    scope(() => this.#moments.update(op, target.sub(preds), target));
  }

  /** The score (per output for "raw_values"). */
  async compute(): Promise<number | number[]> {
    const m = await this.#moments.read();
    if (!m) throw new Error("ExplainedVariance.compute: called before any update()");
    const num = m.m2x.map((v) => v / m.n), den = m.m2y.map((v) => v / m.n);
    const scores = num.map((x, i) => (x === 0 ? 1 : den[i] === 0 ? 0 : 1 - x / den[i]));
    return combine(scores, den, this.#multioutput);
  }

  /** Clears the state. */
  reset(): void {
    this.#moments.reset();
  }
}

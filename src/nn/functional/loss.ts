/**
 * Functional losses, like `torch.nn.functional.*_loss`: composed from core tensor ops so
 * autograd derives the gradients and every backend runs them. PyTorch 1.13 semantics,
 * including weighted means and ignored targets.
 */
import { isFloating } from "../../tensor/dtype.ts";
import { scope } from "../../tensor/memory.ts";
import { fmtShape } from "../../tensor/shape.ts";
import { Tensor } from "../../tensor/tensor.ts";
import { record, recordComposite } from "../../autograd/function.ts";
import { logsigmoid } from "./activation.ts";
import { noGrad } from "../../autograd/grad_mode.ts";
import { sub, where } from "../../ops/elementwise.ts";
import { scatterRaw } from "../../ops/index.ts";
import { oneHot } from "../../ops/embedding.ts";
import { pairwiseDistance } from "../../ops/linalg.ts";
import { tensor } from "../../tensor/creation.ts";
import { type CTCLengths, ctcNll } from "./ctc.ts";

export type { CTCLengths } from "./ctc.ts";

/** How a loss reduces over elements: average, total, or per element. */
export type Reduction = "mean" | "sum" | "none";

/** Options shared by every loss. */
export interface ReductionOptions {
  /** "mean" (default), "sum" or "none". */
  reduction?: Reduction;
}

/** Options of smoothL1Loss. */
export interface SmoothL1Options extends ReductionOptions {
  /** Where the loss switches from quadratic to linear, >= 0 (default 1). */
  beta?: number;
}

/** Options of huberLoss. */
export interface HuberOptions extends ReductionOptions {
  /** Where the loss switches from quadratic to linear, > 0 (default 1). */
  delta?: number;
}

/** Options of nllLoss. */
export interface NLLOptions extends ReductionOptions {
  /** Per-class weights, a 1-D tensor of C elements. */
  weight?: Tensor | null;
  /** A target value that is skipped (no loss, no gradient; default -100). */
  ignoreIndex?: number;
}

/** Options of crossEntropy. */
export interface CrossEntropyOptions extends NLLOptions {
  /** Mix the target with the uniform distribution by this amount, in [0, 1] (default 0). */
  labelSmoothing?: number;
}

/** Options of binaryCrossEntropy. */
export interface BCEOptions extends ReductionOptions {
  /** Weight broadcast over the elements' losses. */
  weight?: Tensor | null;
}

/** Options of binaryCrossEntropyWithLogits. */
export interface BCEWithLogitsOptions extends BCEOptions {
  /** Weight of positive examples, broadcast along the last (class) dim. */
  posWeight?: Tensor | null;
}

// ---- checks ----

function checkReduction(op: string, r: Reduction): void {
  if (r !== "mean" && r !== "sum" && r !== "none") {
    throw new RangeError(`${op}: reduction must be "mean", "sum" or "none" (got ${r})`);
  }
}

function checkFloat(op: string, what: string, t: Tensor): void {
  t.check(op);
  if (!isFloating(t.dtype)) {
    throw new TypeError(
      `${op}: expected a floating point ${what}, got ${t.dtype} (shape ${fmtShape(t.shape)})`,
    );
  }
}

/** input and target must agree exactly (PyTorch would broadcast with a warning). */
function checkPair(op: string, input: Tensor, target: Tensor): void {
  checkFloat(op, "input", input);
  checkFloat(op, "target", target);
  if (input.shape.join() !== target.shape.join()) {
    throw new RangeError(
      `${op}: target shape ${fmtShape(target.shape)} must match input shape ${
        fmtShape(input.shape)
      }`,
    );
  }
  if (input.dtype !== target.dtype || input.device !== target.device) {
    throw new TypeError(
      `${op}: target (${target.dtype} on ${target.device}) must have the input's dtype and ` +
        `device (${input.dtype} on ${input.device})`,
    );
  }
}

function checkWeight(op: string, what: string, w: Tensor, input: Tensor, size?: number): void {
  checkFloat(op, what, w);
  if (w.dtype !== input.dtype || w.device !== input.device) {
    throw new TypeError(
      `${op}: ${what} (${w.dtype} on ${w.device}) must have the input's dtype and device ` +
        `(${input.dtype} on ${input.device})`,
    );
  }
  if (size !== undefined && (w.ndim !== 1 || w.shape[0] !== size)) {
    throw new RangeError(
      `${op}: ${what} must be a 1-D tensor of ${size} elements (one per class), got shape ${
        fmtShape(w.shape)
      }`,
    );
  }
}

/** Applies the reduction to per-element losses. */
function reduce(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === "none") return loss;
  return reduction === "sum" ? loss.sum() : loss.mean();
}

// ---- regression ----

/** Mean squared error: (input - target)^2, reduced. */
export function mseLoss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  const { reduction = "mean" } = opts;
  checkReduction("mseLoss", reduction);
  checkPair("mseLoss", input, target);
  return scope(() => {
    const d = input.sub(target);
    return reduce(d.mul(d), reduction);
  });
}

/** Mean absolute error: |input - target|, reduced. */
export function l1Loss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  const { reduction = "mean" } = opts;
  checkReduction("l1Loss", reduction);
  checkPair("l1Loss", input, target);
  return scope(() => reduce(input.sub(target).abs(), reduction));
}

/** Smooth L1: 0.5 d^2 / beta where |d| < beta, else |d| - beta / 2 (L1 when beta is 0). */
export function smoothL1Loss(input: Tensor, target: Tensor, opts: SmoothL1Options = {}): Tensor {
  const { reduction = "mean", beta = 1 } = opts;
  if (!(beta >= 0)) {
    throw new RangeError(`smoothL1Loss: beta must be non-negative (got ${beta})`);
  }
  if (beta === 0) return l1Loss(input, target, { reduction });
  checkReduction("smoothL1Loss", reduction);
  checkPair("smoothL1Loss", input, target);
  return scope(() => {
    const d = input.sub(target);
    const a = d.abs();
    const quad = d.mul(d).mul(0.5).div(beta);
    return reduce(quad.where(a.lt(beta), a.sub(0.5 * beta)), reduction);
  });
}

/** Huber: 0.5 d^2 where |d| < delta, else delta (|d| - delta / 2). */
export function huberLoss(input: Tensor, target: Tensor, opts: HuberOptions = {}): Tensor {
  const { reduction = "mean", delta = 1 } = opts;
  if (!(delta > 0)) throw new RangeError(`huberLoss: delta must be positive (got ${delta})`);
  checkReduction("huberLoss", reduction);
  checkPair("huberLoss", input, target);
  return scope(() => {
    const d = input.sub(target);
    const a = d.abs();
    const quad = d.mul(d).mul(0.5);
    return reduce(quad.where(a.lt(delta), a.sub(0.5 * delta).mul(delta)), reduction);
  });
}

// ---- classification ----

/** Shapes of class-index losses: the class dim and the class count, after checks. */
function classLayout(op: string, input: Tensor, target: Tensor): { dim: number; classes: number } {
  checkFloat(op, "input", input);
  target.check(op);
  if (input.ndim === 0) {
    throw new RangeError(`${op}: input must have a class dim (got a 0-d tensor)`);
  }
  const dim = input.ndim === 1 ? 0 : 1;
  const expected = input.shape.filter((_, i) => i !== dim);
  if (target.dtype !== "int32") {
    throw new TypeError(
      `${op}: expected class-index target of dtype int32 (or a floating target of the input's ` +
        `shape ${fmtShape(input.shape)} for probabilities), got ${target.dtype} of shape ${
          fmtShape(target.shape)
        }`,
    );
  }
  if (target.shape.join() !== expected.join()) {
    throw new RangeError(
      `${op}: expected target shape ${fmtShape(expected)} for input shape ${
        fmtShape(input.shape)
      } (class dim ${dim}), got ${fmtShape(target.shape)}`,
    );
  }
  if (target.device !== input.device) {
    throw new TypeError(
      `${op}: target is on ${target.device} but input is on ${input.device}`,
    );
  }
  return { dim, classes: input.shape[dim] };
}

/**
 * Out-of-range class indices: checked here on cpu (values are at hand). On webgpu a read
 * would stall the queue; the gather kernel flags the bad index instead and the error is
 * thrown at the next readback.
 */
function checkIndices(op: string, target: Tensor, classes: number, ignoreIndex: number): void {
  if (target.device !== "cpu") return;
  for (const v of target.dataSync()) {
    if ((v < 0 || v >= classes) && v !== ignoreIndex) {
      throw new RangeError(
        `${op}: target ${v} is out of bounds for ${classes} classes (valid: 0..${
          classes - 1
        } or ignoreIndex ${ignoreIndex})`,
      );
    }
  }
}

/**
 * The negative log-likelihood of picked classes with weights and ignored targets, as
 * PyTorch's nll_loss_nd: the weighted mean divides by the weights of non-ignored targets.
 * Returns the reduced loss and the per-element weights (for label smoothing's mean).
 */
function nllCore(
  logp: Tensor,
  target: Tensor,
  dim: number,
  weight: Tensor | null,
  ignoreIndex: number,
  reduction: Reduction,
): { loss: Tensor; ignore: Tensor; w: Tensor } {
  const ignore = target.eq(ignoreIndex);
  const safe = where(ignore, 0, target);
  const picked = logp.gather(dim, safe.unsqueeze(dim)).squeeze(dim);
  const w = weight
    ? where(ignore, 0, weight.indexSelect(0, safe.flatten()).reshape(target.shape))
    : ignore.logicalNot().to(logp.dtype);
  const per = where(ignore, 0, picked.neg().mul(w));
  const loss = reduction === "none"
    ? per
    : reduction === "sum"
    ? per.sum()
    : per.sum().div(w.sum());
  return { loss, ignore, w };
}

/**
 * Negative log-likelihood on log-probabilities: input (N, C), (N, C, d1, ...) or (C,);
 * int32 class-index target (N), (N, d1, ...) or ().
 */
export function nllLoss(input: Tensor, target: Tensor, opts: NLLOptions = {}): Tensor {
  const { weight = null, ignoreIndex = -100, reduction = "mean" } = opts;
  checkReduction("nllLoss", reduction);
  const { dim, classes } = classLayout("nllLoss", input, target);
  if (weight) checkWeight("nllLoss", "weight", weight, input, classes);
  checkIndices("nllLoss", target, classes, ignoreIndex);
  return scope(() => nllCore(input, target, dim, weight, ignoreIndex, reduction).loss);
}

/** Cross entropy against class probabilities (target shaped like the input). */
/**
 * Cross-entropy of [N, C] logits with class indices, reduced, with the closed-form gradient
 * w·g/D · (softmax(x) − onehot(target)) (w the per-row weight, D the mean's denominator or 1)
 * recorded as one node: a handful of small kernels instead of the composed graph's dozens.
 */
function crossEntropyLean(
  input: Tensor,
  target: Tensor,
  weight: Tensor | null,
  ignoreIndex: number,
  reduction: "mean" | "sum",
): Tensor {
  const fwd = noGrad(() =>
    scope(() => {
      const logp = input.logSoftmax(1);
      const nll = nllCore(logp, target, 1, weight, ignoreIndex, reduction);
      const denom = reduction === "mean" ? nll.w.sum() : null;
      const safe = where(nll.ignore, 0, target).unsqueeze(1);
      return { loss: nll.loss, logp, safe, w: nll.w, denom };
    })
  );
  const saved = [fwd.logp, fwd.safe, fwd.w, ...(fwd.denom ? [fwd.denom] : [])];
  const out = record(fwd.loss, "NllLossBackward", [input], saved, (g, [logp, safe, w, den]) => {
    // NOTE: with every target ignored den is 0 and the loss NaN, but the gradient is 0 as in
    // PyTorch (w is 0 everywhere, so any finite divisor gives it).
    const scale = den ? g.div(where(den.eq(0), 1, den)) : g;
    const coef = w.mul(scale).unsqueeze(1); // [N, 1]
    const grad = logp.exp().mul(coef);
    scatterRaw(grad, 1, safe, coef.neg(), true);
    return [grad];
  });
  for (const t of saved) t.dispose();
  return out;
}

function crossEntropyProbs(
  input: Tensor,
  target: Tensor,
  weight: Tensor | null,
  smoothing: number,
  reduction: Reduction,
): Tensor {
  const op = "crossEntropy";
  checkPair(op, input, target);
  const dim = input.ndim === 1 ? 0 : 1;
  const classes = input.shape[dim];
  if (weight) checkWeight(op, "weight", weight, input, classes);
  return scope(() => {
    const logp = input.logSoftmax(dim);
    const t = smoothing > 0 ? target.mul(1 - smoothing).add(smoothing / classes) : target;
    let prod = logp.mul(t);
    if (weight) prod = prod.mul(weight.reshape(classWeightShape(input.ndim, classes)));
    if (reduction === "none") return prod.sum(dim).neg();
    if (reduction === "sum") return prod.sum().neg();
    return prod.sum().neg().div(input.numel / classes);
  });
}

/** A per-class weight's shape broadcasting along dim 1 (or dim 0 when unbatched). */
function classWeightShape(ndim: number, classes: number): number[] {
  return ndim <= 2 ? [classes] : [classes, ...new Array(ndim - 2).fill(1)];
}

/**
 * Cross entropy of logits, like `torch.nn.functional.cross_entropy`: logSoftmax over the
 * class dim (1, or 0 for unbatched (C,) input) then nllLoss. The target is int32 class
 * indices, or floating class probabilities of the input's shape. Stable for large logits.
 *
 * @example
 * ```ts
 * const loss = crossEntropy(logits, labels, { labelSmoothing: 0.1 });
 * ```
 */
export function crossEntropy(
  input: Tensor,
  target: Tensor,
  opts: CrossEntropyOptions = {},
): Tensor {
  const { weight = null, ignoreIndex = -100, reduction = "mean", labelSmoothing = 0 } = opts;
  checkReduction("crossEntropy", reduction);
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new RangeError(
      `crossEntropy: labelSmoothing must be between 0.0 and 1.0 (got ${labelSmoothing})`,
    );
  }
  target.check("crossEntropy");
  if (isFloating(target.dtype)) {
    return crossEntropyProbs(input, target, weight, labelSmoothing, reduction);
  }
  const { dim, classes } = classLayout("crossEntropy", input, target);
  if (weight) checkWeight("crossEntropy", "weight", weight, input, classes);
  checkIndices("crossEntropy", target, classes, ignoreIndex);
  if (input.ndim === 2 && labelSmoothing === 0 && reduction !== "none") {
    return crossEntropyLean(input, target, weight, ignoreIndex, reduction);
  }
  return scope(() => {
    const logp = input.logSoftmax(dim);
    const nll = nllCore(logp, target, dim, weight, ignoreIndex, reduction);
    if (labelSmoothing === 0) return nll.loss;
    // The uniform part of the smoothed target, without materialising a one-hot target.
    const wl = weight ? logp.mul(weight.reshape(classWeightShape(input.ndim, classes))) : logp;
    const smooth = where(nll.ignore, 0, wl.sum(dim).neg());
    const reduced = reduction === "none"
      ? smooth
      : reduction === "sum"
      ? smooth.sum()
      : smooth.sum().div(weight ? nll.w.sum() : nll.ignore.logicalNot().sum().to(logp.dtype));
    return nll.loss.mul(1 - labelSmoothing).add(reduced.mul(labelSmoothing / classes));
  });
}

/**
 * Binary cross entropy on probabilities in [0, 1]; each log is clamped to >= -100 as in
 * PyTorch, so a probability of exactly 0 or 1 gives a finite loss.
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts: BCEOptions = {}): Tensor {
  const { weight = null, reduction = "mean" } = opts;
  checkReduction("binaryCrossEntropy", reduction);
  checkPair("binaryCrossEntropy", input, target);
  if (weight) checkWeight("binaryCrossEntropy", "weight", weight, input);
  // NOTE: recorded as one node with PyTorch's formulas: the composite's chain rule gives NaN
  // at input 0 or 1 (0·∞ through the clamp), where PyTorch's (x − y) / max(x(1 − x), 1e-12)
  // stays finite.
  const n = input.numel;
  const saved = weight ? [input, target, weight] : [input, target];
  return recordComposite(
    "BinaryCrossEntropyBackward",
    [input, target],
    () =>
      scope(() => {
        const logX = input.log().clamp(-100, null);
        const log1mX = sub(1, input).log().clamp(-100, null);
        let loss = target.sub(1).mul(log1mX).sub(target.mul(logX));
        if (weight) loss = loss.mul(weight);
        return reduce(loss, reduction);
      }),
    () => saved,
    (g, [x, y, w]) => {
      let gl = reduction === "mean" ? g.div(n) : g;
      if (w) gl = gl.mul(w);
      const gx = x.sub(y).div(x.mul(sub(1, x)).clamp(1e-12, null)).mul(gl);
      // d/dy = −logit(x), unclamped as in PyTorch's binary_cross_entropy_target_backward.
      const gy = sub(1, x).log().sub(x.log()).mul(gl);
      return [gx, gy];
    },
  );
}

/**
 * Binary cross entropy on logits, computed stably as
 * (1 - y) x + w_pos (log1p(exp(-|x|)) + max(-x, 0)), finite for logits of any size.
 *
 * @example
 * ```ts
 * const loss = binaryCrossEntropyWithLogits(logits, labels, { posWeight: tensor([3]) });
 * ```
 */
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  opts: BCEWithLogitsOptions = {},
): Tensor {
  const op = "binaryCrossEntropyWithLogits";
  const { weight = null, posWeight = null, reduction = "mean" } = opts;
  checkReduction(op, reduction);
  checkPair(op, input, target);
  if (weight) checkWeight(op, "weight", weight, input);
  if (posWeight) checkWeight(op, "posWeight", posWeight, input);
  return scope(() => {
    // log(1 + exp(-x)) = −logsigmoid(x), without overflow for large |x|. NOTE: not written as
    // log1p(exp(−|x|)) + relu(−x): |x| and relu have gradient 0 at 0, which loses the −½.
    const softplusNeg = logsigmoid(input).neg();
    const pos = posWeight ? posWeight.sub(1).mul(target).add(1).mul(softplusNeg) : softplusNeg;
    let loss = sub(1, target).mul(input).add(pos);
    if (weight) loss = loss.mul(weight);
    return reduce(loss, reduction);
  });
}

// ---- distribution, ranking and embedding losses ----

/** KL divergence's reductions: the usual three plus "batchmean" (sum / batch size). */
export type KLDivReduction = Reduction | "batchmean";

/** Options of klDiv. */
export interface KLDivOptions {
  /**
   * "mean" (default, PyTorch's default: the mean over all elements), "batchmean" (the sum
   * divided by the batch size: the true KL divergence), "sum" or "none".
   */
  reduction?: KLDivReduction;
  /** The target holds log-probabilities instead of probabilities (default false). */
  logTarget?: boolean;
}

/** Options of the losses with a margin (marginRankingLoss, cosineEmbeddingLoss, ...). */
export interface MarginOptions extends ReductionOptions {
  /** The margin (default 0; hingeEmbeddingLoss: 1). */
  margin?: number;
}

/** Options of poissonNllLoss. */
export interface PoissonNLLOptions extends ReductionOptions {
  /** The input is the log of the rate (default true); else the rate itself. */
  logInput?: boolean;
  /** Add Stirling's approximation of log(target!) where target > 1 (default false). */
  full?: boolean;
  /** Added to the rate before the log when logInput is false (default 1e-8). */
  eps?: number;
}

/** Options of gaussianNllLoss. */
export interface GaussianNLLOptions extends ReductionOptions {
  /** Add the constant 0.5 log(2 pi) (default false). */
  full?: boolean;
  /** Variances are clamped to at least eps, without changing their gradient (default 1e-6). */
  eps?: number;
}

function checkMargin(op: string, margin: number): void {
  if (typeof margin !== "number" || Number.isNaN(margin)) {
    throw new TypeError(`${op}: margin must be a number (got ${margin})`);
  }
}

/**
 * A ±1 label tensor as the input's dtype: integer labels are accepted (PyTorch promotes them)
 * and cast; the shape must be `shape`.
 */
function labelTarget(op: string, target: Tensor, input: Tensor, shape: number[]): Tensor {
  target.check(op);
  if (target.device !== input.device) {
    throw new TypeError(`${op}: target is on ${target.device} but input is on ${input.device}`);
  }
  if (target.shape.join() !== shape.join()) {
    throw new RangeError(
      `${op}: expected target shape ${fmtShape(shape)} for input shape ${
        fmtShape(input.shape)
      }, got ${fmtShape(target.shape)}`,
    );
  }
  if (target.dtype === "bool") {
    throw new TypeError(`${op}: expected a target of 1 / -1 labels, got a bool tensor`);
  }
  return target.dtype === input.dtype ? target : target.to(input.dtype);
}

/** log(1 + exp(z)) without overflow, with the exact gradient sigmoid(z) also at z = 0. */
function softplus(z: Tensor): Tensor {
  const pos = z.gt(0);
  // NOTE: -|z| built with where, not abs(): abs'(0) = 0 would lose half the gradient at 0.
  return where(pos, z.neg(), z).exp().log1p().add(where(pos, z, 0));
}

/**
 * Kullback-Leibler divergence, like `torch.nn.functional.kl_div`: `input` holds
 * log-probabilities, `target` probabilities (or log-probabilities with `logTarget`); the
 * pointwise loss is target (log target - input), 0 where the target is 0.
 *
 * @example
 * ```ts
 * const loss = klDiv(logits.logSoftmax(1), probs, { reduction: "batchmean" });
 * ```
 */
export function klDiv(input: Tensor, target: Tensor, opts: KLDivOptions = {}): Tensor {
  const { reduction = "mean", logTarget = false } = opts;
  if (!["mean", "sum", "none", "batchmean"].includes(reduction)) {
    throw new RangeError(
      `klDiv: reduction must be "mean", "batchmean", "sum" or "none" (got ${reduction})`,
    );
  }
  checkPair("klDiv", input, target);
  return scope(() => {
    let loss: Tensor;
    if (logTarget) loss = target.exp().mul(target.sub(input));
    else {
      // xlogy(t, t): 0 where t is 0 (a log(1) keeps the unused branch's gradient finite),
      // NaN for negative t, as in PyTorch.
      const safe = where(target.eq(0), 1, target);
      loss = target.mul(safe.log()).sub(target.mul(input));
    }
    if (reduction !== "batchmean") return reduce(loss, reduction);
    const total = loss.sum();
    return input.ndim === 0 ? total : total.div(input.shape[0]);
  });
}

/**
 * Margin ranking loss, like `torch.nn.functional.margin_ranking_loss`:
 * max(0, -target (input1 - input2) + margin), for ±1 targets saying which input should rank
 * higher. All three tensors have one shape.
 */
export function marginRankingLoss(
  input1: Tensor,
  input2: Tensor,
  target: Tensor,
  opts: MarginOptions = {},
): Tensor {
  const op = "marginRankingLoss";
  const { margin = 0, reduction = "mean" } = opts;
  checkReduction(op, reduction);
  checkMargin(op, margin);
  checkPair(op, input1, input2);
  const y = labelTarget(op, target, input1, input1.shape);
  return scope(() => reduce(y.neg().mul(input1.sub(input2)).add(margin).clamp(0, null), reduction));
}

/**
 * Hinge embedding loss, like `torch.nn.functional.hinge_embedding_loss`: the input where the
 * target is 1, max(0, margin - input) where it is -1 (the input is usually a distance).
 */
export function hingeEmbeddingLoss(
  input: Tensor,
  target: Tensor,
  opts: MarginOptions = {},
): Tensor {
  const op = "hingeEmbeddingLoss";
  const { margin = 1, reduction = "mean" } = opts;
  checkReduction(op, reduction);
  checkMargin(op, margin);
  checkFloat(op, "input", input);
  const y = labelTarget(op, target, input, input.shape);
  return scope(() => {
    // As PyTorch: targets other than ±1 take both terms.
    const marginPart = where(y.ne(1), sub(margin, input).clamp(0, null), 0);
    const selfPart = where(y.ne(-1), input, 0);
    return reduce(marginPart.add(selfPart), reduction);
  });
}

/**
 * Cosine embedding loss, like `torch.nn.functional.cosine_embedding_loss`: 1 - cos(x1, x2)
 * where the target is 1, max(0, cos(x1, x2) - margin) where it is -1. Inputs (N, D) with
 * target (N), or (D) with a 0-d target; the cosine is taken over D.
 */
export function cosineEmbeddingLoss(
  input1: Tensor,
  input2: Tensor,
  target: Tensor,
  opts: MarginOptions = {},
): Tensor {
  const op = "cosineEmbeddingLoss";
  const { margin = 0, reduction = "mean" } = opts;
  checkReduction(op, reduction);
  checkMargin(op, margin);
  checkPair(op, input1, input2);
  if (input1.ndim !== 1 && input1.ndim !== 2) {
    throw new RangeError(
      `${op}: expected 1-D (D) or 2-D (N, D) inputs, got shape ${fmtShape(input1.shape)}`,
    );
  }
  const dim = input1.ndim - 1;
  const y = labelTarget(op, target, input1, input1.shape.slice(0, dim));
  return scope(() => {
    // PyTorch's EPSILON keeps zero vectors finite.
    const eps = 1e-12;
    const dot = input1.mul(input2).sum(dim);
    const m1 = input1.mul(input1).sum(dim).add(eps);
    const m2 = input2.mul(input2).sum(dim).add(eps);
    const cos = dot.div(m1.mul(m2).sqrt());
    const pos = where(y.eq(1), sub(1, cos), 0);
    const neg = where(y.eq(-1), cos.sub(margin).clamp(0, null), 0);
    return reduce(pos.add(neg), reduction);
  });
}

/**
 * Soft margin loss, like `torch.nn.functional.soft_margin_loss`: log(1 + exp(-target input))
 * for ±1 targets (a two-class logistic loss), computed without overflow.
 */
export function softMarginLoss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  const op = "softMarginLoss";
  const { reduction = "mean" } = opts;
  checkReduction(op, reduction);
  checkFloat(op, "input", input);
  const y = labelTarget(op, target, input, input.shape);
  return scope(() => reduce(softplus(input.mul(y).neg()), reduction));
}

/**
 * Poisson negative log-likelihood, like `torch.nn.functional.poisson_nll_loss`:
 * exp(input) - target input (logInput), or input - target log(input + eps); `full` adds
 * Stirling's approximation target log target - target + 0.5 log(2 pi target) where
 * target > 1.
 */
export function poissonNllLoss(
  input: Tensor,
  target: Tensor,
  opts: PoissonNLLOptions = {},
): Tensor {
  const op = "poissonNllLoss";
  const { logInput = true, full = false, eps = 1e-8, reduction = "mean" } = opts;
  checkReduction(op, reduction);
  checkPair(op, input, target);
  return scope(() => {
    let loss = logInput
      ? input.exp().sub(target.mul(input))
      : input.sub(target.mul(input.add(eps).log()));
    if (full) {
      const big = target.gt(1);
      // The masked branch reads a safe target so its gradient stays finite.
      const t = where(big, target, 2);
      const stirling = t.mul(t.log()).sub(t).add(t.mul(2 * Math.PI).log().mul(0.5));
      loss = loss.add(where(big, stirling, 0));
    }
    return reduce(loss, reduction);
  });
}

/**
 * Gaussian negative log-likelihood, like `torch.nn.functional.gaussian_nll_loss`:
 * 0.5 (log var + (input - target)^2 / var) (+ 0.5 log(2 pi) with `full`). `variance` has the
 * input's shape, or lacks its last dim, or has size 1 there (one variance per row).
 *
 * @example
 * ```ts
 * const loss = gaussianNllLoss(mean, y, variance, { full: true });
 * ```
 */
export function gaussianNllLoss(
  input: Tensor,
  target: Tensor,
  variance: Tensor,
  opts: GaussianNLLOptions = {},
): Tensor {
  const op = "gaussianNllLoss";
  const { full = false, eps = 1e-6, reduction = "mean" } = opts;
  checkReduction(op, reduction);
  checkPair(op, input, target);
  checkWeight(op, "var", variance, input);
  let v = variance;
  const s = input.shape, vs = variance.shape, lead = s.slice(0, -1).join();
  if (vs.join() !== s.join()) {
    if (s.length > 0 && vs.join() === lead && vs.length === s.length - 1) {
      v = variance.unsqueeze(-1);
    } else if (
      !(s.length > 0 && vs.length === s.length && vs.slice(0, -1).join() === lead &&
        vs[vs.length - 1] === 1)
    ) {
      throw new RangeError(
        `${op}: var of shape ${fmtShape(vs)} is of incorrect size for input ${fmtShape(s)} ` +
          `(expected ${fmtShape(s)}, ${fmtShape(s.slice(0, -1))} or ${
            fmtShape([...s.slice(0, -1), 1])
          })`,
      );
    }
  }
  // NOTE: read on cpu only; on webgpu a read would stall the queue.
  if (variance.device === "cpu" && variance.dataSync().some((x) => x < 0)) {
    throw new RangeError(`${op}: var has negative entry/entries`);
  }
  return scope(() => {
    // As PyTorch (clamp_ under no_grad on a clone): the value is clamped, the gradient is not.
    const shift = noGrad(() => v.clamp(eps, null).sub(v));
    const vc = v.add(shift);
    const d = input.sub(target);
    let loss = vc.log().add(d.mul(d).div(vc)).mul(0.5);
    if (full) loss = loss.add(0.5 * Math.log(2 * Math.PI));
    return reduce(loss, reduction);
  });
}

// ---- triplet and multi-class / multi-label margin losses ----

/** Options of tripletMarginLoss. */
export interface TripletMarginOptions extends ReductionOptions {
  /** The margin between the positive and negative distances (default 1). */
  margin?: number;
  /** Norm degree of the pairwise distance (default 2). */
  p?: number;
  /** Added to the differences before the norm (default 1e-6). */
  eps?: number;
  /** Use min(d(a, n), d(p, n)) as the negative distance (default false). */
  swap?: boolean;
}

/** Options of multiMarginLoss. */
export interface MultiMarginOptions extends ReductionOptions {
  /** Exponent of the hinge, 1 (default) or 2. */
  p?: 1 | 2;
  /** The margin (default 1). */
  margin?: number;
  /** Per-class weights, a 1-D tensor of C elements, applied by the target class. */
  weight?: Tensor | null;
}

/** Options of multilabelSoftMarginLoss. */
export interface MultiLabelSoftMarginOptions extends ReductionOptions {
  /** Per-class weights, broadcast against the input (usually C elements). */
  weight?: Tensor | null;
}

/**
 * Triplet margin loss, like `torch.nn.functional.triplet_margin_loss`:
 * max(0, d(a, p) - d(a, n) + margin) with d the pairwise p-norm distance over the last dim
 * (`swap`: d(a, n) replaced by min(d(a, n), d(p, n))). Inputs (N, D) or unbatched (D), all
 * of one rank; output a scalar, or (N) (0-d unbatched) with reduction "none".
 *
 * @example
 * ```ts
 * const loss = tripletMarginLoss(anchor, positive, negative, { margin: 0.5, swap: true });
 * ```
 */
export function tripletMarginLoss(
  anchor: Tensor,
  positive: Tensor,
  negative: Tensor,
  opts: TripletMarginOptions = {},
): Tensor {
  const op = "tripletMarginLoss";
  const { margin = 1, p = 2, eps = 1e-6, swap = false, reduction = "mean" } = opts;
  checkReduction(op, reduction);
  checkMargin(op, margin);
  checkFloat(op, "anchor", anchor);
  checkFloat(op, "positive", positive);
  checkFloat(op, "negative", negative);
  if (anchor.ndim !== positive.ndim || positive.ndim !== negative.ndim) {
    throw new RangeError(
      `${op}: the anchor, positive, and negative tensors are expected to have the same number ` +
        `of dimensions, but got: anchor ${anchor.ndim}D, positive ${positive.ndim}D, and ` +
        `negative ${negative.ndim}D inputs`,
    );
  }
  for (const [what, t] of [["positive", positive], ["negative", negative]] as const) {
    if (t.dtype !== anchor.dtype || t.device !== anchor.device) {
      throw new TypeError(
        `${op}: ${what} (${t.dtype} on ${t.device}) must have the anchor's dtype and device ` +
          `(${anchor.dtype} on ${anchor.device})`,
      );
    }
  }
  return scope(() => {
    const dPos = pairwiseDistance(anchor, positive, { p, eps });
    let dNeg = pairwiseDistance(anchor, negative, { p, eps });
    if (swap) dNeg = dNeg.minimum(pairwiseDistance(positive, negative, { p, eps }));
    return reduce(dPos.sub(dNeg).add(margin).clamp(0, null), reduction);
  });
}

/** Checks a class-index margin loss's input (C) or (N, C) and target; returns them batched. */
function marginLayout(op: string, input: Tensor, target: Tensor): [Tensor, Tensor] {
  if (input.ndim !== 1 && input.ndim !== 2) {
    throw new RangeError(
      `${op}: expected a 1-D (C) or 2-D (N, C) input, got shape ${fmtShape(input.shape)}`,
    );
  }
  const { classes } = classLayout(op, input, target);
  if (classes === 0) throw new RangeError(`${op}: expected at least one class, got C = 0`);
  return input.ndim === 1 ? [input.unsqueeze(0), target.reshape([1])] : [input, target];
}

/**
 * Multi-class hinge loss, like `torch.nn.functional.multi_margin_loss`: per sample,
 * sum over i != y of w[y] max(0, margin - x[y] + x[i])^p, divided by C. Input (N, C) or
 * (C); int32 class-index target (N) or (); output a scalar, or (N) with reduction "none".
 *
 * @example
 * ```ts
 * const loss = multiMarginLoss(scores, labels, { p: 2, margin: 0.5 });
 * ```
 */
export function multiMarginLoss(
  input: Tensor,
  target: Tensor,
  opts: MultiMarginOptions = {},
): Tensor {
  const op = "multiMarginLoss";
  const { p = 1, margin = 1, weight = null, reduction = "mean" } = opts;
  checkReduction(op, reduction);
  checkMargin(op, margin);
  if (p !== 1 && p !== 2) {
    throw new RangeError(`${op}: only p == 1 and p == 2 supported (got ${p})`);
  }
  const [x, y] = marginLayout(op, input, target);
  const C = x.shape[1];
  if (weight) checkWeight(op, "weight", weight, input, C);
  // NOTE: read on cpu only; on webgpu a read would stall the queue.
  const bad = y.device === "cpu" ? y.dataSync().find((v) => v < 0 || v >= C) : undefined;
  if (bad !== undefined) {
    throw new RangeError(`${op}: target ${bad} is out of bounds for ${C} classes`);
  }
  return scope(() => {
    const xy = x.gather(1, y.unsqueeze(1)); // [N, 1]
    let z = x.sub(xy).add(margin).clamp(0, null);
    if (p === 2) z = z.mul(z);
    if (weight) z = z.mul(weight.indexSelect(0, y).unsqueeze(1));
    // NOTE: the i == y term (margin itself) is masked out, value and gradient.
    const own = oneHot(y, C).gt(0);
    const loss = where(own, 0, z).sum(1).div(C);
    return reduce(input.ndim === 1 ? loss.squeeze(0) : loss, reduction);
  });
}

/**
 * Multi-label one-versus-all logistic loss, like
 * `torch.nn.functional.multilabel_soft_margin_loss`: per sample,
 * -mean_c w_c (y_c log σ(x_c) + (1 - y_c) log σ(-x_c)). Input and floating 0/1 target (N, C)
 * or (C); output a scalar, or (N) with reduction "none".
 */
export function multilabelSoftMarginLoss(
  input: Tensor,
  target: Tensor,
  opts: MultiLabelSoftMarginOptions = {},
): Tensor {
  const op = "multilabelSoftMarginLoss";
  const { weight = null, reduction = "mean" } = opts;
  checkReduction(op, reduction);
  checkPair(op, input, target);
  if (input.ndim === 0) {
    throw new RangeError(`${op}: input must have a class dim (got a 0-d tensor)`);
  }
  if (weight) checkWeight(op, "weight", weight, input);
  return scope(() => {
    let loss = target.mul(logsigmoid(input)).add(sub(1, target).mul(logsigmoid(input.neg())))
      .neg();
    if (weight) loss = loss.mul(weight);
    const classDim = input.ndim - 1;
    return reduce(loss.sum(classDim).div(input.shape[classDim]), reduction);
  });
}

/**
 * Multi-label hinge loss, like `torch.nn.functional.multilabel_margin_loss`: the int32 target
 * lists each sample's classes, ended by the first -1; per sample,
 * sum over listed j and unlisted i of max(0, 1 - (x[y_j] - x[i])), divided by C. Input and
 * target (N, C) or (C); output a scalar, or (N) with reduction "none".
 */
export function multilabelMarginLoss(
  input: Tensor,
  target: Tensor,
  opts: ReductionOptions = {},
): Tensor {
  const op = "multilabelMarginLoss";
  const { reduction = "mean" } = opts;
  checkReduction(op, reduction);
  checkFloat(op, "input", input);
  target.check(op);
  if (input.ndim !== 1 && input.ndim !== 2) {
    throw new RangeError(
      `${op}: expected a 1-D (C) or 2-D (N, C) input, got shape ${fmtShape(input.shape)}`,
    );
  }
  if (target.dtype !== "int32" || target.shape.join() !== input.shape.join()) {
    throw new RangeError(
      `${op}: expected an int32 target of the input's shape ${
        fmtShape(input.shape)
      }, got ${target.dtype} of shape ${fmtShape(target.shape)}`,
    );
  }
  if (target.device !== input.device) {
    throw new TypeError(`${op}: target is on ${target.device} but input is on ${input.device}`);
  }
  const C = input.shape[input.ndim - 1];
  if (target.device === "cpu") {
    // Entries up to the first -1 must be classes; later ones are ignored, as PyTorch.
    const t = target.dataSync();
    for (let r = 0; r < t.length; r += C) {
      for (let j = r; j < r + C && t[j] !== -1; j++) {
        if (t[j] < 0 || t[j] >= C) {
          throw new RangeError(`${op}: target ${t[j]} is out of bounds for ${C} classes`);
        }
      }
    }
  }
  const x = input.ndim === 1 ? input.unsqueeze(0) : input;
  const y = input.ndim === 1 ? target.unsqueeze(0) : target;
  return scope(() => {
    // valid[n, j]: j lies before the first -1 of row n.
    const valid = y.eq(-1).to(x.dtype).cumsum(1).eq(0);
    const safe = where(valid, y, 0);
    // listed[n, i]: class i is among row n's valid targets.
    const listed = where(valid.unsqueeze(2), oneHot(safe, C).to(x.dtype), 0).sum(1).gt(0);
    const xy = x.gather(1, safe); // [N, J]
    const hinge = sub(1, xy.unsqueeze(2)).add(x.unsqueeze(1)).clamp(0, null); // [N, J, C]
    const mask = valid.unsqueeze(2).logicalAnd(listed.logicalNot().unsqueeze(1));
    const loss = where(mask, hinge, 0).sum([1, 2]).div(C);
    return reduce(input.ndim === 1 ? loss.squeeze(0) : loss, reduction);
  });
}

// ---- triplet loss with a distance function, CTC ----

/** A distance between two batches of embeddings, row by row: (N, D) and (N, D) to (N). */
export type DistanceFunction = (x1: Tensor, x2: Tensor) => Tensor;

/** Options of tripletMarginWithDistanceLoss. */
export interface TripletMarginWithDistanceOptions extends ReductionOptions {
  /** The distance (default: pairwiseDistance, the Euclidean distance with eps 1e-6). */
  distanceFunction?: DistanceFunction | null;
  /** The margin between the positive and negative distances (default 1). */
  margin?: number;
  /** Use min(d(a, n), d(p, n)) as the negative distance (default false). */
  swap?: boolean;
}

/** Calls a user's distance function; it must give a tensor. */
function distanceOf(op: string, fn: DistanceFunction, x1: Tensor, x2: Tensor): Tensor {
  const d = fn(x1, x2);
  if (!(d instanceof Tensor)) {
    throw new TypeError(`${op}: distanceFunction must return a Tensor, got ${typeof d}`);
  }
  return d;
}

/**
 * Triplet margin loss with any distance, like
 * `torch.nn.functional.triplet_margin_with_distance_loss`: max(0, d(a, p) - d(a, n) + margin)
 * (`swap`: d(a, n) replaced by min(d(a, n), d(p, n))). The distance defaults to
 * pairwiseDistance; like PyTorch, the shapes are whatever the distance function accepts and
 * returns. Output a scalar, or the distances' shape with reduction "none".
 *
 * @example
 * ```ts
 * const cosineDistance = (x: Tensor, y: Tensor) => cosineSimilarity(x, y).neg().add(1);
 * const loss = tripletMarginWithDistanceLoss(a, p, n, { distanceFunction: cosineDistance });
 * ```
 */
export function tripletMarginWithDistanceLoss(
  anchor: Tensor,
  positive: Tensor,
  negative: Tensor,
  opts: TripletMarginWithDistanceOptions = {},
): Tensor {
  const op = "tripletMarginWithDistanceLoss";
  const { distanceFunction = null, margin = 1, swap = false, reduction = "mean" } = opts;
  checkReduction(op, reduction);
  checkMargin(op, margin);
  anchor.check(op);
  positive.check(op);
  negative.check(op);
  const dist = distanceFunction ?? ((x1: Tensor, x2: Tensor) => pairwiseDistance(x1, x2));
  return scope(() => {
    const dPos = distanceOf(op, dist, anchor, positive);
    let dNeg = distanceOf(op, dist, anchor, negative);
    if (swap) dNeg = dNeg.minimum(distanceOf(op, dist, positive, negative));
    return reduce(dPos.sub(dNeg).add(margin).clamp(0, null), reduction);
  });
}

/** Options of ctcLoss. */
export interface CTCLossOptions extends ReductionOptions {
  /** The blank label's index (default 0). */
  blank?: number;
  /**
   * Give infinite losses (inputs too short to align with their targets) and their gradients
   * the value 0 (default false).
   */
  zeroInfinity?: boolean;
}

/**
 * Connectionist temporal classification loss, like `torch.nn.functional.ctc_loss`: the
 * negative log-probability of each target sequence summed over all its alignments with the
 * input frames (labels in order, repeats merged, blanks dropped).
 *
 * - `logProbs`: [T, N, C] log-probabilities (usually logSoftmax's output), or unbatched [T, C].
 * - `targets`: int32 labels, padded [N, S] (entries past a target's length are not read) or
 *   all targets concatenated, 1-D of sum(targetLengths) labels (unbatched: 1-D of exactly the
 *   target length, or [1, S]). Labels are classes other than the blank.
 * - `inputLengths`, `targetLengths`: one length per sample (<= T, resp. <= S), as int32 cpu
 *   tensors or arrays; 0-d or one entry when unbatched.
 *
 * Reduction "mean" divides each loss by its target length (at least 1) and averages over the
 * batch, "sum" adds the losses, "none" gives [N] (0-d unbatched). Like PyTorch 1.13, the
 * gradient returned for logProbs is exp(logProbs) − q (q the alignments' posterior per frame
 * and class): correct for logProbs that came out of logSoftmax, which it assumes.
 *
 * @example
 * ```ts
 * const logProbs = randn([50, 16, 20]).logSoftmax(2).detach().requiresGrad_(true);
 * const targets = randint(1, 20, [16, 30], { dtype: "int32" });
 * const loss = ctcLoss(logProbs, targets, new Array(16).fill(50), new Array(16).fill(30));
 * loss.backward();
 * ```
 */
export function ctcLoss(
  logProbs: Tensor,
  targets: Tensor,
  inputLengths: CTCLengths,
  targetLengths: CTCLengths,
  opts: CTCLossOptions = {},
): Tensor {
  const op = "ctcLoss";
  const { blank = 0, reduction = "mean", zeroInfinity = false } = opts;
  checkReduction(op, reduction);
  checkFloat(op, "logProbs", logProbs);
  return scope(() => {
    const r = ctcNll(op, logProbs, targets, inputLengths, targetLengths, blank, zeroInfinity);
    let loss = zeroInfinity ? where(r.nll.eq(Infinity), 0, r.nll) : r.nll;
    if (reduction === "mean") {
      const lengths = tensor(r.targetLengths.map((v) => Math.max(v, 1)), {
        dtype: loss.dtype,
        device: loss.device,
      });
      return loss.div(lengths).mean();
    }
    if (reduction === "sum") return loss.sum();
    if (!r.batched) loss = loss.squeeze(0);
    return loss;
  });
}

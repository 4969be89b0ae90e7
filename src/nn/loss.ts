/**
 * Loss modules, like `torch.nn.MSELoss`, `CrossEntropyLoss`, ...: configuration holders whose
 * `forward(input, target)` delegates to the functional forms in ./functional/loss.ts.
 * Class weights are registered as buffers (`weight`, `pos_weight`), as PyTorch does, so
 * they appear in the state dict and move with `to()`.
 */
import type { Tensor } from "../tensor/tensor.ts";
import { Module } from "./module.ts";
import {
  type BCEOptions,
  type BCEWithLogitsOptions,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  cosineEmbeddingLoss,
  crossEntropy,
  type CrossEntropyOptions,
  gaussianNllLoss,
  type GaussianNLLOptions,
  hingeEmbeddingLoss,
  huberLoss,
  type HuberOptions,
  klDiv,
  type KLDivOptions,
  type KLDivReduction,
  l1Loss,
  type MarginOptions,
  marginRankingLoss,
  mseLoss,
  multilabelMarginLoss,
  multilabelSoftMarginLoss,
  type MultiLabelSoftMarginOptions,
  multiMarginLoss,
  type MultiMarginOptions,
  nllLoss,
  type NLLOptions,
  poissonNllLoss,
  type PoissonNLLOptions,
  type Reduction,
  type ReductionOptions,
  smoothL1Loss,
  type SmoothL1Options,
  softMarginLoss,
  tripletMarginLoss,
  type TripletMarginOptions,
} from "./functional/loss.ts";
import {
  type CTCLengths,
  ctcLoss,
  type CTCLossOptions,
  type DistanceFunction,
  tripletMarginWithDistanceLoss,
  type TripletMarginWithDistanceOptions,
} from "./functional/loss.ts";

/**
 * Base of the loss modules (PyTorch's `_Loss`): holds `reduction`; takes (input, target) unless
 * `In` names other inputs (e.g. three tensors for the triplet and pair losses, CTC's lengths).
 */
export abstract class Loss<In extends unknown[] = [Tensor, Tensor]> extends Module<In> {
  /** "mean", "sum" or "none". */
  readonly reduction: Reduction;
  /** Stores the reduction (default "mean"). */
  constructor(opts: ReductionOptions = {}) {
    super();
    this.reduction = opts.reduction ?? "mean";
  }
  /** Configuration. */
  override extraRepr(): string {
    return `reduction=${this.reduction}`;
  }
}

/**
 * Mean squared error, like `torch.nn.MSELoss`. Input and target: same shape; output a
 * scalar, or the input's shape with reduction "none".
 *
 * @example
 * ```ts
 * const loss = new MSELoss().call(pred, target);
 * ```
 */
export class MSELoss extends Loss {
  /** (input - target)^2, reduced. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}

/** Mean absolute error, like `torch.nn.L1Loss`. */
export class L1Loss extends Loss {
  /** |input - target|, reduced. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

/** Smooth L1 (quadratic below `beta`), like `torch.nn.SmoothL1Loss`. */
export class SmoothL1Loss extends Loss {
  /** Switch point between the quadratic and linear parts. */
  readonly beta: number;
  /** beta defaults to 1. */
  constructor(opts: SmoothL1Options = {}) {
    super(opts);
    this.beta = opts.beta ?? 1;
  }
  /** The smooth L1 loss. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
  /** Configuration. */
  override extraRepr(): string {
    return `reduction=${this.reduction}, beta=${this.beta}`;
  }
}

/** Huber loss (quadratic below `delta`, then linear with slope delta), like `torch.nn.HuberLoss`. */
export class HuberLoss extends Loss {
  /** Switch point between the quadratic and linear parts. */
  readonly delta: number;
  /** delta defaults to 1. */
  constructor(opts: HuberOptions = {}) {
    super(opts);
    this.delta = opts.delta ?? 1;
  }
  /** The Huber loss. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
  /** Configuration. */
  override extraRepr(): string {
    return `reduction=${this.reduction}, delta=${this.delta}`;
  }
}

/**
 * Negative log-likelihood on log-probabilities, like `torch.nn.NLLLoss`. Input (N, C),
 * (N, C, d1, ...) or (C,); int32 target (N), (N, d1, ...) or ().
 */
export class NLLLoss extends Loss {
  /** Per-class weights (a buffer), or null. */
  declare weight: Tensor | null;
  /** Target value that contributes neither loss nor gradient. */
  readonly ignoreIndex: number;
  /** ignoreIndex defaults to -100. */
  constructor(opts: NLLOptions = {}) {
    super(opts);
    this.registerBuffer("weight", opts.weight ?? null);
    this.ignoreIndex = opts.ignoreIndex ?? -100;
  }
  /** The NLL loss. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, {
      reduction: this.reduction,
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
    });
  }
  /** Configuration. */
  override extraRepr(): string {
    return `reduction=${this.reduction}, ignoreIndex=${this.ignoreIndex}`;
  }
}

/**
 * Cross entropy of logits, like `torch.nn.CrossEntropyLoss`: int32 class indices or
 * floating class probabilities as target, with `weight`, `ignoreIndex` and
 * `labelSmoothing`.
 *
 * @example
 * ```ts
 * const criterion = new CrossEntropyLoss({ labelSmoothing: 0.1 });
 * const loss = criterion.call(model.call(x), labels);
 * ```
 */
export class CrossEntropyLoss extends Loss {
  /** Per-class weights (a buffer), or null. */
  declare weight: Tensor | null;
  /** Target value that contributes neither loss nor gradient. */
  readonly ignoreIndex: number;
  /** Amount of label smoothing in [0, 1]. */
  readonly labelSmoothing: number;
  /** ignoreIndex defaults to -100, labelSmoothing to 0. */
  constructor(opts: CrossEntropyOptions = {}) {
    super(opts);
    this.registerBuffer("weight", opts.weight ?? null);
    this.ignoreIndex = opts.ignoreIndex ?? -100;
    this.labelSmoothing = opts.labelSmoothing ?? 0;
  }
  /** The cross-entropy loss. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, {
      reduction: this.reduction,
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
      labelSmoothing: this.labelSmoothing,
    });
  }
  /** Configuration. */
  override extraRepr(): string {
    return `reduction=${this.reduction}, ignoreIndex=${this.ignoreIndex}, ` +
      `labelSmoothing=${this.labelSmoothing}`;
  }
}

/** Binary cross entropy on probabilities, like `torch.nn.BCELoss` (logs clamped at -100). */
export class BCELoss extends Loss {
  /** Element weights (a buffer), or null. */
  declare weight: Tensor | null;
  /** Stores the options. */
  constructor(opts: BCEOptions = {}) {
    super(opts);
    this.registerBuffer("weight", opts.weight ?? null);
  }
  /** The BCE loss. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, { reduction: this.reduction, weight: this.weight });
  }
}

/**
 * Binary cross entropy on logits, like `torch.nn.BCEWithLogitsLoss`: numerically stable,
 * with `weight` and `posWeight` (buffer `pos_weight`, PyTorch's state-dict key).
 */
export class BCEWithLogitsLoss extends Loss {
  /** Element weights (a buffer), or null. */
  declare weight: Tensor | null;
  /** Positive-class weights (a buffer), or null. */
  declare pos_weight: Tensor | null;
  /** Stores the options. */
  constructor(opts: BCEWithLogitsOptions = {}) {
    super(opts);
    this.registerBuffer("weight", opts.weight ?? null);
    this.registerBuffer("pos_weight", opts.posWeight ?? null);
  }
  /** The BCE-with-logits loss. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, {
      reduction: this.reduction,
      weight: this.weight,
      posWeight: this.pos_weight,
    });
  }
}

/**
 * Kullback-Leibler divergence, like `torch.nn.KLDivLoss`: input log-probabilities, target
 * probabilities (or log-probabilities with `logTarget`). Use reduction "batchmean" for the
 * true KL divergence; "mean" (the default, as in PyTorch) averages over every element.
 *
 * It is not a `Loss` subclass because its reduction also allows "batchmean".
 *
 * @example
 * ```ts
 * const kl = new KLDivLoss({ reduction: "batchmean" });
 * const loss = kl.call(student.logSoftmax(1), teacher.softmax(1));
 * ```
 */
export class KLDivLoss extends Module<[Tensor, Tensor]> {
  /** "mean", "batchmean", "sum" or "none". */
  readonly reduction: KLDivReduction;
  /** Whether the target holds log-probabilities. */
  readonly logTarget: boolean;
  /** reduction defaults to "mean", logTarget to false. */
  constructor(opts: KLDivOptions = {}) {
    super();
    this.reduction = opts.reduction ?? "mean";
    this.logTarget = opts.logTarget ?? false;
  }
  /** The KL divergence. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
  /** Configuration. */
  override extraRepr(): string {
    return `reduction=${this.reduction}, logTarget=${this.logTarget}`;
  }
}

/**
 * Margin ranking loss, like `torch.nn.MarginRankingLoss`: `call(input1, input2, target)`
 * with ±1 targets; max(0, -target (input1 - input2) + margin).
 */
export class MarginRankingLoss extends Loss<[Tensor, Tensor, Tensor]> {
  /** The margin. */
  readonly margin: number;
  /** margin defaults to 0. */
  constructor(opts: MarginOptions = {}) {
    super(opts);
    this.margin = opts.margin ?? 0;
  }
  /** The margin ranking loss. */
  override forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return marginRankingLoss(input1, input2, target, {
      reduction: this.reduction,
      margin: this.margin,
    });
  }
  /** Configuration. */
  override extraRepr(): string {
    return `${super.extraRepr()}, margin=${this.margin}`;
  }
}

/**
 * Hinge embedding loss, like `torch.nn.HingeEmbeddingLoss`: the input (a distance) where the
 * target is 1, max(0, margin - input) where it is -1.
 */
export class HingeEmbeddingLoss extends Loss {
  /** The margin. */
  readonly margin: number;
  /** margin defaults to 1. */
  constructor(opts: MarginOptions = {}) {
    super(opts);
    this.margin = opts.margin ?? 1;
  }
  /** The hinge embedding loss. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return hingeEmbeddingLoss(input, target, { reduction: this.reduction, margin: this.margin });
  }
  /** Configuration. */
  override extraRepr(): string {
    return `${super.extraRepr()}, margin=${this.margin}`;
  }
}

/**
 * Cosine embedding loss, like `torch.nn.CosineEmbeddingLoss`: `call(input1, input2, target)`
 * with inputs (N, D) and ±1 target (N); 1 - cos where the target is 1,
 * max(0, cos - margin) where it is -1.
 */
export class CosineEmbeddingLoss extends Loss<[Tensor, Tensor, Tensor]> {
  /** The margin, in [-1, 1]. */
  readonly margin: number;
  /** margin defaults to 0. */
  constructor(opts: MarginOptions = {}) {
    super(opts);
    this.margin = opts.margin ?? 0;
  }
  /** The cosine embedding loss. */
  override forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return cosineEmbeddingLoss(input1, input2, target, {
      reduction: this.reduction,
      margin: this.margin,
    });
  }
  /** Configuration. */
  override extraRepr(): string {
    return `${super.extraRepr()}, margin=${this.margin}`;
  }
}

/** Soft margin loss (two-class logistic loss on ±1 targets), like `torch.nn.SoftMarginLoss`. */
export class SoftMarginLoss extends Loss {
  /** log(1 + exp(-target input)), reduced. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return softMarginLoss(input, target, { reduction: this.reduction });
  }
}

/**
 * Poisson negative log-likelihood, like `torch.nn.PoissonNLLLoss`: the input is a log-rate
 * (default) or a rate (`logInput: false`), the target counts.
 */
export class PoissonNLLLoss extends Loss {
  /** Whether the input is the log of the rate. */
  readonly logInput: boolean;
  /** Whether Stirling's term is added. */
  readonly full: boolean;
  /** Added to the rate before the log when logInput is false. */
  readonly eps: number;
  /** logInput defaults to true, full to false, eps to 1e-8. */
  constructor(opts: PoissonNLLOptions = {}) {
    super(opts);
    this.logInput = opts.logInput ?? true;
    this.full = opts.full ?? false;
    this.eps = opts.eps ?? 1e-8;
  }
  /** The Poisson NLL loss. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return poissonNllLoss(input, target, {
      reduction: this.reduction,
      logInput: this.logInput,
      full: this.full,
      eps: this.eps,
    });
  }
  /** Configuration. */
  override extraRepr(): string {
    return `reduction=${this.reduction}, logInput=${this.logInput}, full=${this.full}, ` +
      `eps=${this.eps}`;
  }
}

/**
 * Gaussian negative log-likelihood, like `torch.nn.GaussianNLLLoss`:
 * `call(input, target, variance)` with a variance per element or per row.
 */
export class GaussianNLLLoss extends Loss<[Tensor, Tensor, Tensor]> {
  /** Whether the constant term is added. */
  readonly full: boolean;
  /** Lower clamp of the variance. */
  readonly eps: number;
  /** full defaults to false, eps to 1e-6. */
  constructor(opts: GaussianNLLOptions = {}) {
    super(opts);
    this.full = opts.full ?? false;
    this.eps = opts.eps ?? 1e-6;
  }
  /** The Gaussian NLL loss. */
  override forward(input: Tensor, target: Tensor, variance: Tensor): Tensor {
    return gaussianNllLoss(input, target, variance, {
      reduction: this.reduction,
      full: this.full,
      eps: this.eps,
    });
  }
  /** Configuration. */
  override extraRepr(): string {
    return `${super.extraRepr()}, full=${this.full}, eps=${this.eps}`;
  }
}

/**
 * Triplet margin loss, like `torch.nn.TripletMarginLoss`: `call(anchor, positive, negative)`
 * with inputs (N, D) or (D); max(0, d(a, p) - d(a, n) + margin), d the pairwise p-norm
 * distance.
 *
 * @example
 * ```ts
 * const criterion = new TripletMarginLoss({ margin: 1, p: 2 });
 * const loss = criterion.call(embed(a), embed(p), embed(n));
 * ```
 */
export class TripletMarginLoss extends Loss<[Tensor, Tensor, Tensor]> {
  /** The margin. */
  readonly margin: number;
  /** Norm degree of the distance. */
  readonly p: number;
  /** Added to the differences before the norm. */
  readonly eps: number;
  /** Whether the distance swap is used. */
  readonly swap: boolean;
  /** margin defaults to 1, p to 2, eps to 1e-6, swap to false. */
  constructor(opts: TripletMarginOptions = {}) {
    super(opts);
    this.margin = opts.margin ?? 1;
    this.p = opts.p ?? 2;
    this.eps = opts.eps ?? 1e-6;
    this.swap = opts.swap ?? false;
  }
  /** The triplet margin loss. */
  override forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return tripletMarginLoss(anchor, positive, negative, {
      reduction: this.reduction,
      margin: this.margin,
      p: this.p,
      eps: this.eps,
      swap: this.swap,
    });
  }
  /** Configuration. */
  override extraRepr(): string {
    return `${super.extraRepr()}, margin=${this.margin}, p=${this.p}, eps=${this.eps}, ` +
      `swap=${this.swap}`;
  }
}

/**
 * Multi-class hinge loss, like `torch.nn.MultiMarginLoss`: input (N, C) or (C), int32 class
 * target (N) or (); `p` 1 or 2, `margin`, and per-class `weight` (a buffer).
 */
export class MultiMarginLoss extends Loss {
  /** Exponent of the hinge, 1 or 2. */
  readonly p: 1 | 2;
  /** The margin. */
  readonly margin: number;
  /** Per-class weights (a buffer), or null. */
  declare weight: Tensor | null;
  /** p defaults to 1, margin to 1. */
  constructor(opts: MultiMarginOptions = {}) {
    super(opts);
    this.p = opts.p ?? 1;
    if (this.p !== 1 && this.p !== 2) {
      throw new RangeError(`MultiMarginLoss: only p == 1 and p == 2 supported (got ${this.p})`);
    }
    this.margin = opts.margin ?? 1;
    this.registerBuffer("weight", opts.weight ?? null);
  }
  /** The multi-class hinge loss. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return multiMarginLoss(input, target, {
      reduction: this.reduction,
      p: this.p,
      margin: this.margin,
      weight: this.weight,
    });
  }
  /** Configuration. */
  override extraRepr(): string {
    return `reduction=${this.reduction}, p=${this.p}, margin=${this.margin}`;
  }
}

/**
 * Multi-label one-versus-all logistic loss, like `torch.nn.MultiLabelSoftMarginLoss`: input
 * and 0/1 target (N, C) or (C), optional per-class `weight` (a buffer).
 */
export class MultiLabelSoftMarginLoss extends Loss {
  /** Per-class weights (a buffer), or null. */
  declare weight: Tensor | null;
  /** Stores the options. */
  constructor(opts: MultiLabelSoftMarginOptions = {}) {
    super(opts);
    this.registerBuffer("weight", opts.weight ?? null);
  }
  /** The multi-label soft margin loss. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return multilabelSoftMarginLoss(input, target, {
      reduction: this.reduction,
      weight: this.weight,
    });
  }
}

/**
 * Multi-label hinge loss, like `torch.nn.MultiLabelMarginLoss`: input (N, C) or (C), int32
 * target of the same shape listing each sample's classes up to the first -1.
 */
export class MultiLabelMarginLoss extends Loss {
  /** The multi-label hinge loss. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return multilabelMarginLoss(input, target, { reduction: this.reduction });
  }
}

/**
 * Triplet margin loss with any distance, like `torch.nn.TripletMarginWithDistanceLoss`:
 * `call(anchor, positive, negative)`; max(0, d(a, p) - d(a, n) + margin) with d the
 * `distanceFunction` (default pairwiseDistance).
 *
 * @example
 * ```ts
 * const l1 = (x: Tensor, y: Tensor) => x.sub(y).abs().sum(-1);
 * const criterion = new TripletMarginWithDistanceLoss({ distanceFunction: l1, swap: true });
 * const loss = criterion.call(embed(a), embed(p), embed(n));
 * ```
 */
export class TripletMarginWithDistanceLoss extends Loss<[Tensor, Tensor, Tensor]> {
  /** The distance, or null for the default pairwiseDistance. */
  readonly distanceFunction: DistanceFunction | null;
  /** The margin. */
  readonly margin: number;
  /** Whether the distance swap is used. */
  readonly swap: boolean;
  /** distanceFunction defaults to pairwiseDistance, margin to 1, swap to false. */
  constructor(opts: TripletMarginWithDistanceOptions = {}) {
    super(opts);
    this.distanceFunction = opts.distanceFunction ?? null;
    this.margin = opts.margin ?? 1;
    this.swap = opts.swap ?? false;
  }
  /** The triplet margin loss under the distance function. */
  override forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return tripletMarginWithDistanceLoss(anchor, positive, negative, {
      reduction: this.reduction,
      distanceFunction: this.distanceFunction,
      margin: this.margin,
      swap: this.swap,
    });
  }
  /** Configuration. */
  override extraRepr(): string {
    const d = this.distanceFunction ? this.distanceFunction.name || "custom" : "pairwiseDistance";
    return `${super.extraRepr()}, distanceFunction=${d}, margin=${this.margin}, swap=${this.swap}`;
  }
}

/**
 * Connectionist temporal classification loss, like `torch.nn.CTCLoss`:
 * `call(logProbs, targets, inputLengths, targetLengths)` with logProbs [T, N, C] (or [T, C]),
 * int32 targets padded [N, S] or concatenated, and lengths as int32 cpu tensors or arrays; see
 * `functional.ctcLoss`.
 *
 * @example
 * ```ts
 * const ctc = new CTCLoss({ blank: 0, zeroInfinity: true });
 * const loss = ctc.call(logits.logSoftmax(2), targets, inputLengths, targetLengths);
 * ```
 */
export class CTCLoss extends Loss<[Tensor, Tensor, CTCLengths, CTCLengths]> {
  /** The blank label's index. */
  readonly blank: number;
  /** Whether infinite losses and their gradients are zeroed. */
  readonly zeroInfinity: boolean;
  /** blank defaults to 0, zeroInfinity to false. */
  constructor(opts: CTCLossOptions = {}) {
    super(opts);
    this.blank = opts.blank ?? 0;
    this.zeroInfinity = opts.zeroInfinity ?? false;
  }
  /** The CTC loss. */
  override forward(
    logProbs: Tensor,
    targets: Tensor,
    inputLengths: CTCLengths,
    targetLengths: CTCLengths,
  ): Tensor {
    return ctcLoss(logProbs, targets, inputLengths, targetLengths, {
      reduction: this.reduction,
      blank: this.blank,
      zeroInfinity: this.zeroInfinity,
    });
  }
  /** Configuration. */
  override extraRepr(): string {
    return `${super.extraRepr()}, blank=${this.blank}, zeroInfinity=${this.zeroInfinity}`;
  }
}

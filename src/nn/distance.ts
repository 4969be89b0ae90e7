/** Distance layers: CosineSimilarity and PairwiseDistance. */
import type { Tensor } from "../tensor/tensor.ts";
import {
  cosineSimilarity,
  type CosineSimilarityOptions,
  pairwiseDistance,
  type PairwiseDistanceOptions,
} from "../ops/linalg.ts";
import { Module } from "./module.ts";

/**
 * Cosine similarity of two inputs along `dim` (broadcast), like `torch.nn.CosineSimilarity`;
 * each norm is clamped below at `eps`. `call(x1, x2)`.
 *
 * @example
 * ```ts
 * const cos = new CosineSimilarity({ dim: 1 });
 * const s = cos.call(randn([8, 128]), randn([8, 128])); // [8]
 * ```
 */
export class CosineSimilarity extends Module<[Tensor, Tensor], Tensor> {
  /** Dim of the vectors. */
  readonly dim: number;
  /** Lower bound of each norm. */
  readonly eps: number;

  /** Creates the layer (dim 1, eps 1e-8 by default). */
  constructor(opts: CosineSimilarityOptions = {}) {
    super();
    this.dim = opts.dim ?? 1;
    this.eps = opts.eps ?? 1e-8;
  }

  /** The cosine similarity of `x1` and `x2`. */
  override forward(x1: Tensor, x2: Tensor): Tensor {
    return cosineSimilarity(x1, x2, { dim: this.dim, eps: this.eps });
  }

  /** Configuration. */
  override extraRepr(): string {
    return `dim=${this.dim}, eps=${this.eps}`;
  }
}

/**
 * The p-norm distance ‖x1 − x2 + eps‖_p over the last dim, like `torch.nn.PairwiseDistance`.
 * `call(x1, x2)`.
 *
 * @example
 * ```ts
 * const dist = new PairwiseDistance({ p: 2 });
 * const d = dist.call(randn([8, 128]), randn([8, 128])); // [8]
 * ```
 */
export class PairwiseDistance extends Module<[Tensor, Tensor], Tensor> {
  /** Norm exponent. */
  readonly norm: number;
  /** Added to the difference to avoid a zero norm. */
  readonly eps: number;
  /** Whether the reduced last dim is kept. */
  readonly keepdim: boolean;

  /** Creates the layer (p 2, eps 1e-6, keepdim false by default). */
  constructor(opts: PairwiseDistanceOptions = {}) {
    super();
    this.norm = opts.p ?? 2;
    this.eps = opts.eps ?? 1e-6;
    this.keepdim = opts.keepdim ?? false;
  }

  /** The distance between `x1` and `x2`. */
  override forward(x1: Tensor, x2: Tensor): Tensor {
    return pairwiseDistance(x1, x2, { p: this.norm, eps: this.eps, keepdim: this.keepdim });
  }

  /** Configuration. */
  override extraRepr(): string {
    return `p=${this.norm}, eps=${this.eps}, keepdim=${this.keepdim}`;
  }
}

/** Embedding lookup table. */
import type { Tensor } from "../tensor/tensor.ts";
import { embedding } from "../ops/embedding.ts";
import { normal_ } from "./init.ts";
import { Module } from "./module.ts";
import { emptyParameter, type FactoryOptions, type Parameter } from "./parameter.ts";
import { noGrad } from "../autograd/grad_mode.ts";

/** Options of `Embedding`. */
export interface EmbeddingLayerOptions extends FactoryOptions {
  /** Row that stays zero and gets no gradient (negative counts from the end). */
  paddingIdx?: number | null;
  /** Looked-up rows whose norm exceeds this are renormalised in place to it (default null). */
  maxNorm?: number | null;
  /** The p of the `maxNorm` norm (default 2). */
  normType?: number;
}

/**
 * A table of `numEmbeddings` vectors of size `embeddingDim`, looked up by int32 index, like
 * `torch.nn.Embedding`. Weights start from N(0, 1); the `paddingIdx` row starts at zero and
 * receives no gradient.
 *
 * @example
 * ```ts
 * const emb = new Embedding(10, 3, { paddingIdx: 0 });
 * const v = emb.call(tensor([[1, 2], [0, 9]], { dtype: "int32" })); // [2, 2, 3]
 * ```
 */
export class Embedding extends Module {
  /** Table size. */
  readonly numEmbeddings: number;
  /** Vector size. */
  readonly embeddingDim: number;
  /** Padding row (normalised to be non-negative), or null. */
  readonly paddingIdx: number | null;
  /** Norm bound of looked-up rows, or null. */
  readonly maxNorm: number | null;
  /** The p of the `maxNorm` norm. */
  readonly normType: number;
  /** The table [numEmbeddings, embeddingDim]. */
  weight: Parameter;

  /** Creates the table. */
  constructor(numEmbeddings: number, embeddingDim: number, opts: EmbeddingLayerOptions = {}) {
    super();
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    let pad = opts.paddingIdx ?? null;
    if (pad !== null) {
      if (!Number.isInteger(pad) || pad < -numEmbeddings || pad >= numEmbeddings) {
        throw new RangeError(`Embedding: paddingIdx must be within numEmbeddings (got ${pad})`);
      }
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    this.maxNorm = opts.maxNorm ?? null;
    this.normType = opts.normType ?? 2;
    this.weight = emptyParameter([numEmbeddings, embeddingDim], opts);
    this.resetParameters();
  }

  /** N(0, 1), padding row zeroed. */
  resetParameters(): void {
    normal_(this.weight);
    if (this.paddingIdx !== null) {
      const row = this.weight.narrow(0, this.paddingIdx, 1);
      noGrad(() => row.fill_(0));
      row.dispose();
    }
  }

  /** Looks up the rows of `indices` (int32, any shape) → [...indices.shape, embeddingDim]. */
  override forward(indices: Tensor): Tensor {
    return embedding(indices, this.weight, {
      paddingIdx: this.paddingIdx,
      maxNorm: this.maxNorm,
      normType: this.normType,
    });
  }

  /** Configuration. */
  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}` +
      (this.paddingIdx !== null ? `, paddingIdx=${this.paddingIdx}` : "") +
      (this.maxNorm !== null ? `, maxNorm=${this.maxNorm}` : "") +
      (this.normType !== 2 ? `, normType=${this.normType}` : "");
  }
}

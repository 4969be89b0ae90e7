/** Multi-head attention layer (PyTorch keeps it in torch/nn/modules/activation.py). */
import type { Tensor } from "../tensor/tensor.ts";
import { multiHeadAttentionForward } from "./functional/attention.ts";
import { constant_, xavierNormal_, xavierUniform_ } from "./init.ts";
import { Linear } from "./linear.ts";
import { Module } from "./module.ts";
import { emptyParameter, type FactoryOptions, type Parameter } from "./parameter.ts";

/** Options of `MultiheadAttention`. */
export interface MultiheadAttentionOptions extends FactoryOptions {
  /** Dropout on the attention weights, in training (default 0). */
  dropout?: number;
  /** Learn in_proj_bias and out_proj.bias (default true). */
  bias?: boolean;
  /** Learn bias_k and bias_v, appended to the keys and values as one more position. */
  addBiasKv?: boolean;
  /** Append a position of zeros to the keys and values (default false). */
  addZeroAttn?: boolean;
  /** Features of the key (default embedDim). */
  kdim?: number;
  /** Features of the value (default embedDim). */
  vdim?: number;
  /** Inputs and output are [batch, seq, feature] instead of [seq, batch, feature]. */
  batchFirst?: boolean;
}

/** Options of `MultiheadAttention.forward` (PyTorch's keyword arguments). */
export interface MultiheadAttentionForwardOptions {
  /**
   * Keys to ignore, [N, S] ([S] unbatched): true (bool) marks padding; a float mask is added to
   * the attention logits.
   */
  keyPaddingMask?: Tensor | null;
  /** Also return the attention weights (default true). */
  needWeights?: boolean;
  /**
   * Positions that may not attend, [L, S] or [N·numHeads, L, S]: true (bool) forbids; a float
   * mask is added to the attention logits.
   */
  attnMask?: Tensor | null;
  /** Average the returned weights over the heads (default true). */
  averageAttnWeights?: boolean;
}

/**
 * PyTorch's out_proj class: a plain Linear whose name marks it as excluded from dynamic
 * quantization. Kept so that printing the module reads as in PyTorch.
 */
class NonDynamicallyQuantizableLinear extends Linear {}

/**
 * Multi-head attention, like `torch.nn.MultiheadAttention`: softmax(q kᵀ / √d + mask) v in
 * `numHeads` heads of d = embedDim / numHeads features, the heads concatenated and projected by
 * `out_proj`.
 *
 * Inputs: query [L, N, embedDim], key [S, N, kdim], value [S, N, vdim] ([N, ·, ·] with
 * `batchFirst`; unbatched [L, E] / [S, ·] too). `forward` returns `[output, weights]`: output
 * like query, weights [N, L, S] averaged over heads ([N, numHeads, L, S] with
 * `averageAttnWeights: false`), or null with `needWeights: false`.
 *
 * Parameters and state-dict keys are PyTorch's: `in_proj_weight` [3E, E] (or `q_proj_weight`,
 * `k_proj_weight`, `v_proj_weight` when kdim or vdim differ from embedDim), `in_proj_bias` [3E],
 * `bias_k` and `bias_v` [1, 1, E] with `addBiasKv`, and `out_proj.weight` / `out_proj.bias`.
 * Initialisation as PyTorch: Xavier-uniform projections, zero biases, Xavier-normal bias_k/v.
 *
 * @example
 * ```ts
 * const mha = new MultiheadAttention(16, 4, { batchFirst: true });
 * const x = randn([2, 5, 16]);
 * const causal = Transformer.generateSquareSubsequentMask(5);
 * const [out, weights] = mha.call(x, x, x, { attnMask: causal }); // [2, 5, 16], [2, 5, 5]
 * ```
 */
export class MultiheadAttention extends Module<
  [Tensor, Tensor, Tensor, MultiheadAttentionForwardOptions?],
  [Tensor, Tensor | null]
> {
  /** Total features of the query and the output. */
  readonly embedDim: number;
  /** Features of the key. */
  readonly kdim: number;
  /** Features of the value. */
  readonly vdim: number;
  /** Parallel attention heads. */
  readonly numHeads: number;
  /** Dropout probability on the attention weights. */
  readonly dropout: number;
  /** Whether inputs are batch-major. */
  readonly batchFirst: boolean;
  /** embedDim / numHeads. */
  readonly headDim: number;
  /** Whether a zero key/value position is appended. */
  readonly addZeroAttn: boolean;
  // NOTE: the fields below are declared in PyTorch's registration order, which is the order of
  // the state-dict keys.
  /** Packed query/key/value projection [3E, E], or null when kdim or vdim differ from E. */
  in_proj_weight: Parameter | null;
  /** Query projection [E, E] when kdim or vdim differ from E, else null. */
  q_proj_weight: Parameter | null;
  /** Key projection [E, kdim] when kdim or vdim differ from E, else null. */
  k_proj_weight: Parameter | null;
  /** Value projection [E, vdim] when kdim or vdim differ from E, else null. */
  v_proj_weight: Parameter | null;
  /** Query/key/value projection bias [3E], or null without bias. */
  in_proj_bias: Parameter | null;
  /** Output projection E → E. */
  out_proj: Linear;
  /** Bias appended to the keys [1, 1, E] with addBiasKv, else null. */
  bias_k: Parameter | null;
  /** Bias appended to the values [1, 1, E] with addBiasKv, else null. */
  bias_v: Parameter | null;

  /** Creates the layer and initialises it with PyTorch's defaults. */
  constructor(embedDim: number, numHeads: number, opts: MultiheadAttentionOptions = {}) {
    super();
    for (const [k, v] of [["embedDim", embedDim], ["numHeads", numHeads]] as const) {
      if (!Number.isInteger(v) || v < 1) {
        throw new RangeError(`MultiheadAttention: ${k} must be a positive integer, got ${v}`);
      }
    }
    if (embedDim % numHeads !== 0) {
      throw new RangeError(
        `MultiheadAttention: embedDim must be divisible by numHeads, got embedDim ${embedDim} ` +
          `and numHeads ${numHeads}`,
      );
    }
    this.embedDim = embedDim;
    this.kdim = opts.kdim ?? embedDim;
    this.vdim = opts.vdim ?? embedDim;
    this.numHeads = numHeads;
    this.dropout = opts.dropout ?? 0;
    this.batchFirst = opts.batchFirst ?? false;
    this.headDim = embedDim / numHeads;
    this.addZeroAttn = opts.addZeroAttn ?? false;
    if (!(this.dropout >= 0 && this.dropout <= 1)) {
      throw new RangeError(`MultiheadAttention: dropout must be in [0, 1], got ${this.dropout}`);
    }
    const E = embedDim;
    const separate = !this.qkvSameEmbedDim;
    this.in_proj_weight = separate ? null : emptyParameter([3 * E, E], opts);
    this.q_proj_weight = separate ? emptyParameter([E, E], opts) : null;
    this.k_proj_weight = separate ? emptyParameter([E, this.kdim], opts) : null;
    this.v_proj_weight = separate ? emptyParameter([E, this.vdim], opts) : null;
    const bias = opts.bias ?? true;
    this.in_proj_bias = bias ? emptyParameter([3 * E], opts) : null;
    this.out_proj = new NonDynamicallyQuantizableLinear(E, E, {
      device: opts.device,
      dtype: opts.dtype,
      bias,
    });
    const kv = opts.addBiasKv ?? false;
    this.bias_k = kv ? emptyParameter([1, 1, E], opts) : null;
    this.bias_v = kv ? emptyParameter([1, 1, E], opts) : null;
    this.resetParameters();
  }

  /** Whether key and value have embedDim features (one packed in_proj_weight). */
  get qkvSameEmbedDim(): boolean {
    return this.kdim === this.embedDim && this.vdim === this.embedDim;
  }

  /**
   * PyTorch's `_reset_parameters`: Xavier-uniform projections, zero in_proj_bias and
   * out_proj.bias, Xavier-normal bias_k and bias_v; out_proj.weight keeps Linear's init.
   */
  resetParameters(): void {
    const { in_proj_weight: w, q_proj_weight: wq, k_proj_weight: wk, v_proj_weight: wv } = this;
    for (const p of [w, wq, wk, wv]) if (p) xavierUniform_(p);
    if (this.in_proj_bias) {
      constant_(this.in_proj_bias, 0);
      constant_(this.out_proj.bias!, 0);
    }
    if (this.bias_k) xavierNormal_(this.bias_k);
    if (this.bias_v) xavierNormal_(this.bias_v);
  }

  /** Attends from `query` to `key`/`value`; returns `[output, weights | null]`. */
  override forward(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    opts: MultiheadAttentionForwardOptions = {},
  ): [Tensor, Tensor | null] {
    let [q, k, v] = [query, key, value];
    if (this.batchFirst && query.ndim === 3) {
      // Transposing each distinct tensor once keeps self-attention recognisable (q === k === v)
      // for the single-product in-projection.
      const moved = new Map<Tensor, Tensor>();
      const tr = (t: Tensor) => {
        if (!moved.has(t)) moved.set(t, t.ndim === 3 ? t.transpose(0, 1) : t);
        return moved.get(t)!;
      };
      [q, k, v] = [tr(query), tr(key), tr(value)];
    }
    const [out, weights] = multiHeadAttentionForward(
      q,
      k,
      v,
      this.embedDim,
      this.numHeads,
      this.in_proj_weight,
      this.in_proj_bias,
      this.bias_k,
      this.bias_v,
      this.addZeroAttn,
      this.dropout,
      this.out_proj.weight,
      this.out_proj.bias,
      {
        training: this.training,
        keyPaddingMask: opts.keyPaddingMask,
        needWeights: opts.needWeights,
        attnMask: opts.attnMask,
        averageAttnWeights: opts.averageAttnWeights,
        useSeparateProjWeight: !this.qkvSameEmbedDim,
        qProjWeight: this.q_proj_weight,
        kProjWeight: this.k_proj_weight,
        vProjWeight: this.v_proj_weight,
      },
    );
    return [this.batchFirst && query.ndim === 3 ? out.transpose(0, 1) : out, weights];
  }

  /** `embedDim, numHeads` and the options that differ from their defaults. */
  override extraRepr(): string {
    let s = `embedDim=${this.embedDim}, numHeads=${this.numHeads}`;
    if (this.kdim !== this.embedDim) s += `, kdim=${this.kdim}`;
    if (this.vdim !== this.embedDim) s += `, vdim=${this.vdim}`;
    if (this.dropout) s += `, dropout=${this.dropout}`;
    if (!this.in_proj_bias) s += `, bias=false`;
    if (this.bias_k) s += `, addBiasKv=true`;
    if (this.addZeroAttn) s += `, addZeroAttn=true`;
    if (this.batchFirst) s += `, batchFirst=true`;
    return s;
  }
}

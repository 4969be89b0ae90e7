/**
 * Transformer layers, like torch/nn/modules/transformer.py (PyTorch 1.13): encoder and decoder
 * layers (self-attention, cross-attention, feed-forward, post- or pre-norm), their stacks and the
 * full encoder-decoder `Transformer`. Field names and order are PyTorch's, so state-dict keys
 * (`encoder.layers.0.self_attn.in_proj_weight`, `decoder.norm.weight`, ...) interchange.
 */
import { full } from "../tensor/creation.ts";
import type { Device, DType } from "../tensor/dtype.ts";
import { scope } from "../tensor/memory.ts";
import { fmtShape } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { gelu, relu } from "../ops/elementwise.ts";
import { triu } from "../ops/linalg.ts";
import { MultiheadAttention, type MultiheadAttentionOptions } from "./attention.ts";
import { ModuleList } from "./container.ts";
import { Dropout } from "./dropout.ts";
import { xavierUniform_ } from "./init.ts";
import { Linear } from "./linear.ts";
import { Module } from "./module.ts";
import { LayerNorm } from "./normalization.ts";
import type { FactoryOptions } from "./parameter.ts";

/** The feed-forward activation: PyTorch's names or any elementwise function. */
export type TransformerActivation = "relu" | "gelu" | ((x: Tensor) => Tensor);

/** Options of `TransformerEncoderLayer` and `TransformerDecoderLayer`. */
export interface TransformerLayerOptions extends FactoryOptions {
  /** Hidden features of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout after attention, inside and after the feed-forward block (default 0.1). */
  dropout?: number;
  /** Feed-forward activation (default "relu"). */
  activation?: TransformerActivation;
  /** Epsilon of the layer norms (default 1e-5). */
  layerNormEps?: number;
  /** Inputs and output are [batch, seq, feature] instead of [seq, batch, feature]. */
  batchFirst?: boolean;
  /** Normalise before each block (pre-norm) instead of after the residual sum (default false). */
  normFirst?: boolean;
}

/** Masks of `TransformerEncoderLayer.forward`. */
export interface TransformerEncoderLayerForwardOptions {
  /** Attention mask of the source, [S, S] or [N·nhead, S, S] (bool: true forbids; float: added). */
  srcMask?: Tensor | null;
  /** Padded source positions, [N, S] ([S] unbatched): true (bool) ignores; float is added. */
  srcKeyPaddingMask?: Tensor | null;
}

/** Masks of `TransformerDecoderLayer.forward` and `TransformerDecoder.forward`. */
export interface TransformerDecoderLayerForwardOptions {
  /** Self-attention mask of the target, [T, T] or [N·nhead, T, T] (e.g. a causal mask). */
  tgtMask?: Tensor | null;
  /** Cross-attention mask, [T, S] or [N·nhead, T, S]. */
  memoryMask?: Tensor | null;
  /** Padded target positions, [N, T] ([T] unbatched). */
  tgtKeyPaddingMask?: Tensor | null;
  /** Padded memory positions, [N, S] ([S] unbatched). */
  memoryKeyPaddingMask?: Tensor | null;
}

/** Masks of `TransformerEncoder.forward` (PyTorch names the attention mask `mask` here). */
export interface TransformerEncoderForwardOptions {
  /** Attention mask of the source, [S, S] or [N·nhead, S, S]. */
  mask?: Tensor | null;
  /** Padded source positions, [N, S] ([S] unbatched). */
  srcKeyPaddingMask?: Tensor | null;
}

/** Options of `TransformerEncoder` and `TransformerDecoder`. */
export interface TransformerStackOptions {
  /** Applied to the output of the last layer (PyTorch's `norm`, e.g. a LayerNorm). */
  norm?: Module<[Tensor], Tensor> | null;
}

/** Masks of `Transformer.forward`. */
export interface TransformerForwardOptions
  extends TransformerDecoderLayerForwardOptions, TransformerEncoderLayerForwardOptions {}

/** An encoder as `Transformer` calls it: a TransformerEncoder or a module with its signature. */
export type TransformerEncoderLike = Module<[Tensor, TransformerEncoderForwardOptions?], Tensor>;

/** A decoder as `Transformer` calls it: a TransformerDecoder or a module with its signature. */
export type TransformerDecoderLike = Module<
  [Tensor, Tensor, TransformerDecoderLayerForwardOptions?],
  Tensor
>;

/** Options of `Transformer`. */
export interface TransformerOptions extends TransformerLayerOptions {
  /** Features of the inputs and outputs (default 512). */
  dModel?: number;
  /** Attention heads (default 8). */
  nhead?: number;
  /** Encoder layers (default 6). */
  numEncoderLayers?: number;
  /** Decoder layers (default 6). */
  numDecoderLayers?: number;
  /** Use this encoder instead of building one. */
  customEncoder?: TransformerEncoderLike | null;
  /** Use this decoder instead of building one. */
  customDecoder?: TransformerDecoderLike | null;
}

function activationFn(a: TransformerActivation, who: string): (x: Tensor) => Tensor {
  if (typeof a === "function") return a;
  if (a === "relu") return relu;
  if (a === "gelu") return (x) => gelu(x);
  throw new RangeError(`${who}: activation should be relu/gelu, not ${a}`);
}

function checkSeq(name: string, x: Tensor, dModel: number): void {
  if ((x.ndim !== 2 && x.ndim !== 3) || x.shape[x.ndim - 1] !== dModel) {
    throw new RangeError(
      `expected ${name} of 2-D (unbatched) or 3-D (batched) shape with last dim ${dModel} ` +
        `(dModel), got ${name} of shape ${fmtShape(x.shape)}`,
    );
  }
}

/** Constructor arguments of each layer, so a stack can build independent copies of it. */
const layerArgs = new WeakMap<object, [number, number, TransformerLayerOptions]>();

/**
 * What both layers derive from their options (and records them for `clones`): the dropout p,
 * factory options, the attention options, the feed-forward width and a LayerNorm factory.
 */
function layerSetup(
  layer: object,
  dModel: number,
  nhead: number,
  opts: TransformerLayerOptions,
): {
  p: number;
  f: FactoryOptions;
  attn: MultiheadAttentionOptions;
  dimFeedforward: number;
  norm: () => LayerNorm;
} {
  layerArgs.set(layer, [dModel, nhead, { ...opts }]);
  const p = opts.dropout ?? 0.1, eps = opts.layerNormEps ?? 1e-5;
  const f: FactoryOptions = { device: opts.device, dtype: opts.dtype };
  return {
    p,
    f,
    attn: { ...f, dropout: p, batchFirst: opts.batchFirst },
    dimFeedforward: opts.dimFeedforward ?? 2048,
    norm: () => new LayerNorm(dModel, { ...f, eps }),
  };
}

/** The feed-forward block of a layer: linear1 → activation → dropout → linear2. */
function feedForward(
  l: TransformerEncoderLayer | TransformerDecoderLayer,
  x: Tensor,
): Tensor {
  return l.linear2.call(l.dropout.call(l.activation(l.linear1.call(x))));
}

/** Attention of `q` to `kv` (self-attention when they are the same), without the weights. */
function attend(
  attn: MultiheadAttention,
  q: Tensor,
  kv: Tensor,
  attnMask: Tensor | null | undefined,
  keyPaddingMask: Tensor | null | undefined,
): Tensor {
  const [y] = attn.call(q, kv, kv, { attnMask, keyPaddingMask, needWeights: false });
  return y;
}

/** A block with its residual connection and norm: after the sum, or before `f` with normFirst. */
function residual(
  x: Tensor,
  norm: LayerNorm,
  normFirst: boolean,
  f: (x: Tensor) => Tensor,
): Tensor {
  return normFirst ? x.add(f(norm.call(x))) : norm.call(x.add(f(x)));
}

type LayerClass<L> = new (dModel: number, nhead: number, opts: TransformerLayerOptions) => L;

/**
 * `n` copies of `layer` with its weights, training flags and activation, each with its own
 * parameters (PyTorch's `_get_clones`, a deepcopy). Copies are built with the layer's own
 * constructor, so a subclass must take the same arguments (dModel, nhead, options).
 */
function clones<L extends TransformerEncoderLayer | TransformerDecoderLayer>(
  layer: L,
  n: number,
  who: string,
): L[] {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`${who}: numLayers must be a positive integer, got ${n}`);
  }
  const [dModel, nhead, opts] = layerArgs.get(layer)!;
  const ref = layer.linear1.weight;
  const make = layer.constructor as LayerClass<L>;
  const state = layer.stateDict();
  const from = layer.namedModules();
  return Array.from({ length: n }, () => {
    const c = new make(dModel, nhead, { ...opts, device: ref.device, dtype: ref.dtype });
    c.loadStateDict(state);
    c.activation = layer.activation;
    c.namedModules().forEach(([, m], i) => m.training = from[i][1].training);
    return c;
  });
}

/**
 * One encoder layer of "Attention Is All You Need", like `torch.nn.TransformerEncoderLayer`:
 * self-attention then a feed-forward block (linear1 → activation → dropout → linear2), each
 * with dropout and a residual connection; layer norm after each sum, or before each block with
 * `normFirst`. Input and output [S, N, dModel] ([N, S, dModel] with `batchFirst`, or unbatched
 * [S, dModel]).
 *
 * @example
 * ```ts
 * const layer = new TransformerEncoderLayer(32, 4, { dimFeedforward: 64, batchFirst: true });
 * const y = layer.call(randn([2, 10, 32])); // [2, 10, 32]
 * ```
 */
export class TransformerEncoderLayer
  extends Module<[Tensor, TransformerEncoderLayerForwardOptions?], Tensor> {
  /** Self-attention over the source. */
  self_attn: MultiheadAttention;
  /** Feed-forward dModel → dimFeedforward. */
  linear1: Linear;
  /** Dropout after the activation. */
  dropout: Dropout;
  /** Feed-forward dimFeedforward → dModel. */
  linear2: Linear;
  /** Whether the norms come before the blocks. */
  readonly normFirst: boolean;
  /** Norm of the attention block. */
  norm1: LayerNorm;
  /** Norm of the feed-forward block. */
  norm2: LayerNorm;
  /** Dropout of the attention block's output. */
  dropout1: Dropout;
  /** Dropout of the feed-forward block's output. */
  dropout2: Dropout;
  /** The feed-forward activation. */
  activation: (x: Tensor) => Tensor;

  /** Creates the layer (PyTorch's default initialisation of every part). */
  constructor(dModel: number, nhead: number, opts: TransformerLayerOptions = {}) {
    super();
    const { p, f, attn, dimFeedforward, norm } = layerSetup(this, dModel, nhead, opts);
    this.self_attn = new MultiheadAttention(dModel, nhead, attn);
    this.linear1 = new Linear(dModel, dimFeedforward, f);
    this.dropout = new Dropout(p);
    this.linear2 = new Linear(dimFeedforward, dModel, f);
    this.normFirst = opts.normFirst ?? false;
    this.norm1 = norm();
    this.norm2 = norm();
    this.dropout1 = new Dropout(p);
    this.dropout2 = new Dropout(p);
    this.activation = activationFn(opts.activation ?? "relu", "TransformerEncoderLayer");
  }

  /** Runs the layer on `src`. */
  override forward(src: Tensor, opts: TransformerEncoderLayerForwardOptions = {}): Tensor {
    checkSeq("src", src, this.self_attn.embedDim);
    const sa = (x: Tensor) =>
      this.dropout1.call(attend(this.self_attn, x, x, opts.srcMask, opts.srcKeyPaddingMask));
    const x = residual(src, this.norm1, this.normFirst, sa);
    return residual(x, this.norm2, this.normFirst, (x) => this.dropout2.call(feedForward(this, x)));
  }

  /** `normFirst=true` when set (the parts print as children). */
  override extraRepr(): string {
    return this.normFirst ? "normFirst=true" : "";
  }
}

/**
 * One decoder layer, like `torch.nn.TransformerDecoderLayer`: self-attention over the target,
 * cross-attention from the target to `memory` (the encoder's output), then the feed-forward
 * block; each with dropout, a residual connection and a layer norm (before the block with
 * `normFirst`). tgt [T, N, dModel], memory [S, N, dModel] ([N, ·, ·] with `batchFirst`, or
 * unbatched); the output is like tgt.
 *
 * @example
 * ```ts
 * const layer = new TransformerDecoderLayer(32, 4, { dimFeedforward: 64 });
 * const causal = Transformer.generateSquareSubsequentMask(7);
 * const y = layer.call(randn([7, 2, 32]), randn([10, 2, 32]), { tgtMask: causal }); // [7, 2, 32]
 * ```
 */
export class TransformerDecoderLayer
  extends Module<[Tensor, Tensor, TransformerDecoderLayerForwardOptions?], Tensor> {
  /** Self-attention over the target. */
  self_attn: MultiheadAttention;
  /** Cross-attention from the target to the memory. */
  multihead_attn: MultiheadAttention;
  /** Feed-forward dModel → dimFeedforward. */
  linear1: Linear;
  /** Dropout after the activation. */
  dropout: Dropout;
  /** Feed-forward dimFeedforward → dModel. */
  linear2: Linear;
  /** Whether the norms come before the blocks. */
  readonly normFirst: boolean;
  /** Norm of the self-attention block. */
  norm1: LayerNorm;
  /** Norm of the cross-attention block. */
  norm2: LayerNorm;
  /** Norm of the feed-forward block. */
  norm3: LayerNorm;
  /** Dropout of the self-attention block's output. */
  dropout1: Dropout;
  /** Dropout of the cross-attention block's output. */
  dropout2: Dropout;
  /** Dropout of the feed-forward block's output. */
  dropout3: Dropout;
  /** The feed-forward activation. */
  activation: (x: Tensor) => Tensor;

  /** Creates the layer (PyTorch's default initialisation of every part). */
  constructor(dModel: number, nhead: number, opts: TransformerLayerOptions = {}) {
    super();
    const { p, f, attn, dimFeedforward, norm } = layerSetup(this, dModel, nhead, opts);
    this.self_attn = new MultiheadAttention(dModel, nhead, attn);
    this.multihead_attn = new MultiheadAttention(dModel, nhead, attn);
    this.linear1 = new Linear(dModel, dimFeedforward, f);
    this.dropout = new Dropout(p);
    this.linear2 = new Linear(dimFeedforward, dModel, f);
    this.normFirst = opts.normFirst ?? false;
    this.norm1 = norm();
    this.norm2 = norm();
    this.norm3 = norm();
    this.dropout1 = new Dropout(p);
    this.dropout2 = new Dropout(p);
    this.dropout3 = new Dropout(p);
    this.activation = activationFn(opts.activation ?? "relu", "TransformerDecoderLayer");
  }

  /** Runs the layer on `tgt`, attending to `memory`. */
  override forward(
    tgt: Tensor,
    memory: Tensor,
    opts: TransformerDecoderLayerForwardOptions = {},
  ): Tensor {
    const d = this.self_attn.embedDim;
    checkSeq("tgt", tgt, d);
    checkSeq("memory", memory, d);
    const sa = (x: Tensor) =>
      this.dropout1.call(attend(this.self_attn, x, x, opts.tgtMask, opts.tgtKeyPaddingMask));
    const mha = (x: Tensor) =>
      this.dropout2.call(
        attend(this.multihead_attn, x, memory, opts.memoryMask, opts.memoryKeyPaddingMask),
      );
    let x = residual(tgt, this.norm1, this.normFirst, sa);
    x = residual(x, this.norm2, this.normFirst, mha);
    return residual(x, this.norm3, this.normFirst, (x) => this.dropout3.call(feedForward(this, x)));
  }

  /** `normFirst=true` when set (the parts print as children). */
  override extraRepr(): string {
    return this.normFirst ? "normFirst=true" : "";
  }
}

/**
 * A stack of `numLayers` encoder layers, like `torch.nn.TransformerEncoder`. The layers are
 * independent copies of `encoderLayer` (same initial weights, as PyTorch's deepcopy); `norm`,
 * when given, is applied to the last layer's output.
 *
 * @example
 * ```ts
 * const layer = new TransformerEncoderLayer(32, 4, { dimFeedforward: 64 });
 * const encoder = new TransformerEncoder(layer, 2, { norm: new LayerNorm(32) });
 * const memory = encoder.call(randn([10, 2, 32])); // [10, 2, 32]
 * ```
 */
export class TransformerEncoder
  extends Module<[Tensor, TransformerEncoderForwardOptions?], Tensor> {
  /** The layers, `layers.0` ... in the state dict. */
  layers: ModuleList<TransformerEncoderLayer>;
  /** Number of layers. */
  readonly numLayers: number;
  /** Final normalisation, or null. */
  norm: Module<[Tensor], Tensor> | null;

  /** Builds the stack from copies of `encoderLayer`. */
  constructor(
    encoderLayer: TransformerEncoderLayer,
    numLayers: number,
    opts: TransformerStackOptions = {},
  ) {
    super();
    this.layers = new ModuleList(clones(encoderLayer, numLayers, "TransformerEncoder"));
    this.numLayers = numLayers;
    this.norm = opts.norm ?? null;
  }

  /** Runs every layer on `src`, then the norm. */
  override forward(src: Tensor, opts: TransformerEncoderForwardOptions = {}): Tensor {
    let out = src;
    for (const layer of this.layers) {
      out = layer.call(out, { srcMask: opts.mask, srcKeyPaddingMask: opts.srcKeyPaddingMask });
    }
    return this.norm ? this.norm.call(out) : out;
  }
}

/**
 * A stack of `numLayers` decoder layers, like `torch.nn.TransformerDecoder`; each attends to the
 * same `memory`. The layers are independent copies of `decoderLayer`; `norm`, when given, is
 * applied to the last layer's output.
 *
 * @example
 * ```ts
 * const decoder = new TransformerDecoder(new TransformerDecoderLayer(32, 4), 2);
 * const y = decoder.call(randn([7, 2, 32]), randn([10, 2, 32])); // [7, 2, 32]
 * ```
 */
export class TransformerDecoder
  extends Module<[Tensor, Tensor, TransformerDecoderLayerForwardOptions?], Tensor> {
  /** The layers, `layers.0` ... in the state dict. */
  layers: ModuleList<TransformerDecoderLayer>;
  /** Number of layers. */
  readonly numLayers: number;
  /** Final normalisation, or null. */
  norm: Module<[Tensor], Tensor> | null;

  /** Builds the stack from copies of `decoderLayer`. */
  constructor(
    decoderLayer: TransformerDecoderLayer,
    numLayers: number,
    opts: TransformerStackOptions = {},
  ) {
    super();
    this.layers = new ModuleList(clones(decoderLayer, numLayers, "TransformerDecoder"));
    this.numLayers = numLayers;
    this.norm = opts.norm ?? null;
  }

  /** Runs every layer on `tgt` with `memory`, then the norm. */
  override forward(
    tgt: Tensor,
    memory: Tensor,
    opts: TransformerDecoderLayerForwardOptions = {},
  ): Tensor {
    let out = tgt;
    for (const layer of this.layers) out = layer.call(out, memory, opts);
    return this.norm ? this.norm.call(out) : out;
  }
}

/**
 * The encoder-decoder transformer of "Attention Is All You Need", like `torch.nn.Transformer`:
 * `numEncoderLayers` encoder layers and `numDecoderLayers` decoder layers, each stack followed by
 * a LayerNorm; every parameter with more than one dim is re-initialised Xavier-uniform, as
 * PyTorch. src [S, N, dModel] and tgt [T, N, dModel] ([N, ·, dModel] with `batchFirst`, or
 * unbatched); the output is like tgt.
 *
 * @example
 * ```ts
 * const model = new Transformer({ dModel: 32, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 2 });
 * const tgtMask = Transformer.generateSquareSubsequentMask(7);
 * const y = model.call(randn([10, 2, 32]), randn([7, 2, 32]), { tgtMask }); // [7, 2, 32]
 * ```
 */
export class Transformer extends Module<[Tensor, Tensor, TransformerForwardOptions?], Tensor> {
  /** The encoder (a TransformerEncoder unless a custom one was given). */
  encoder: TransformerEncoderLike;
  /** The decoder (a TransformerDecoder unless a custom one was given). */
  decoder: TransformerDecoderLike;
  /** Features of the inputs and outputs. */
  readonly dModel: number;
  /** Attention heads. */
  readonly nhead: number;
  /** Whether inputs are batch-major. */
  readonly batchFirst: boolean;

  /** Builds the model (PyTorch's defaults: dModel 512, 8 heads, 6 + 6 layers). */
  constructor(opts: TransformerOptions = {}) {
    super();
    const dModel = opts.dModel ?? 512, nhead = opts.nhead ?? 8;
    const f: FactoryOptions = { device: opts.device, dtype: opts.dtype };
    const eps = opts.layerNormEps ?? 1e-5;
    const layerOpts: TransformerLayerOptions = {
      ...f,
      dimFeedforward: opts.dimFeedforward,
      dropout: opts.dropout,
      activation: opts.activation,
      layerNormEps: opts.layerNormEps,
      batchFirst: opts.batchFirst,
      normFirst: opts.normFirst,
    };
    this.encoder = opts.customEncoder ?? new TransformerEncoder(
      new TransformerEncoderLayer(dModel, nhead, layerOpts),
      opts.numEncoderLayers ?? 6,
      { norm: new LayerNorm(dModel, { ...f, eps }) },
    );
    this.decoder = opts.customDecoder ?? new TransformerDecoder(
      new TransformerDecoderLayer(dModel, nhead, layerOpts),
      opts.numDecoderLayers ?? 6,
      { norm: new LayerNorm(dModel, { ...f, eps }) },
    );
    this.resetParameters();
    this.dModel = dModel;
    this.nhead = nhead;
    this.batchFirst = opts.batchFirst ?? false;
  }

  /** PyTorch's `_reset_parameters`: Xavier-uniform on every parameter with more than one dim. */
  resetParameters(): void {
    for (const p of this.parameters()) if (p.ndim > 1) xavierUniform_(p);
  }

  /** Encodes `src` and decodes `tgt` against it. */
  override forward(src: Tensor, tgt: Tensor, opts: TransformerForwardOptions = {}): Tensor {
    const b = this.batchFirst ? 0 : 1;
    if (src.ndim === 3 && src.shape[b] !== tgt.shape[b]) {
      throw new RangeError(
        `the batch number of src and tgt must be equal, got src ${fmtShape(src.shape)} and tgt ${
          fmtShape(tgt.shape)
        } (batchFirst=${this.batchFirst})`,
      );
    }
    if (src.shape[src.ndim - 1] !== this.dModel || tgt.shape[tgt.ndim - 1] !== this.dModel) {
      throw new RangeError(
        `the feature number of src and tgt must be equal to dModel (${this.dModel}), got src ${
          fmtShape(src.shape)
        } and tgt ${fmtShape(tgt.shape)}`,
      );
    }
    const memory = this.encoder.call(src, {
      mask: opts.srcMask,
      srcKeyPaddingMask: opts.srcKeyPaddingMask,
    });
    return this.decoder.call(tgt, memory, {
      tgtMask: opts.tgtMask,
      memoryMask: opts.memoryMask,
      tgtKeyPaddingMask: opts.tgtKeyPaddingMask,
      memoryKeyPaddingMask: opts.memoryKeyPaddingMask,
    });
  }

  /**
   * A causal mask [sz, sz] for `tgtMask`: -inf above the diagonal (a position may not attend to
   * later ones), 0 elsewhere, like `Transformer.generate_square_subsequent_mask`. On the default
   * device in float32 unless told otherwise.
   */
  static generateSquareSubsequentMask(
    sz: number,
    opts: { device?: Device; dtype?: DType } = {},
  ): Tensor {
    if (!Number.isInteger(sz) || sz < 0) {
      throw new RangeError(
        `Transformer.generateSquareSubsequentMask: sz must be a non-negative integer, got ${sz}`,
      );
    }
    return scope(() => triu(full([sz, sz], -Infinity, opts), 1));
  }
}

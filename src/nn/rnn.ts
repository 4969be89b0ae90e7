/**
 * Recurrent layers: RNN (Elman), LSTM and GRU with PyTorch's gate layouts, parameter names and
 * registration order, so state dicts interchange. One mechanism (`RNNBase`) runs every variant:
 * layers, directions, batch layout, initial states and inter-layer dropout; each class only
 * supplies its cell. The input projection of all time steps is one matrix product per layer and
 * direction; only the hidden-to-hidden product runs per step. The cell steps themselves
 * (`rnnStep`, `lstmStep`, `gruStep`) are shared with the single-step cells of ./rnn_cell.ts.
 * A `PackedSequence` input (./utils/rnn.ts) runs the variable-length recurrence on the packed
 * rows: the batch shrinks as sequences end, so each final state is taken at its own length.
 */
import { zeros } from "../tensor/creation.ts";
import { fmtShape } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { add, mul, relu, sigmoid, sub, tanh } from "../ops/elementwise.ts";
import { cat, stack } from "../ops/join.ts";
import { dropout } from "../ops/dropout.ts";
import { linear } from "./functional/linear.ts";
import { uniform_ } from "./init.ts";
import { PackedSequence } from "./utils/rnn.ts";
import { Module } from "./module.ts";
import { emptyParameter, type FactoryOptions, type Parameter } from "./parameter.ts";

/** Options shared by RNN, LSTM and GRU. */
export interface RNNOptions extends FactoryOptions {
  /** Stacked recurrent layers (default 1). */
  numLayers?: number;
  /** Use bias_ih and bias_hh (default true). */
  bias?: boolean;
  /** Input and output are [batch, seq, feature] instead of [seq, batch, feature]. */
  batchFirst?: boolean;
  /** Dropout on the outputs of every layer but the last, in training (default 0). */
  dropout?: number;
  /** Run a second stack of cells over the reversed sequence and concatenate (default false). */
  bidirectional?: boolean;
}

/** Options of LSTM. */
export interface LSTMOptions extends RNNOptions {
  /**
   * Project h to this many features with `weight_hr_l{k}` (PyTorch's `proj_size`); 0 (default)
   * disables the projection. Must be smaller than hiddenSize.
   */
  projSize?: number;
}

/** Options of the Elman RNN. */
export interface RNNLayerOptions extends RNNOptions {
  /** Cell non-linearity (default "tanh"). */
  nonlinearity?: "tanh" | "relu";
}

/** LSTM state: [h, c], each [numLayers·D, batch, ·] (or [numLayers·D, ·] unbatched). */
export type LSTMState = [Tensor, Tensor];

/** PyTorch's RNN modes; they fix the gate count. */
export type RNNMode = "LSTM" | "GRU" | "RNN_TANH" | "RNN_RELU";

/** The parameters of one layer and direction; biases and projection are null when absent. */
export interface RNNCellParams {
  /** Input-to-hidden weights [gates·hidden, layer input]. */
  wih: Parameter;
  /** Hidden-to-hidden weights [gates·hidden, hidden (or projSize)]. */
  whh: Parameter;
  /** Input-to-hidden bias [gates·hidden]. */
  bih: Parameter | null;
  /** Hidden-to-hidden bias [gates·hidden]. */
  bhh: Parameter | null;
  /** LSTM projection [projSize, hidden]. */
  whr: Parameter | null;
}

/**
 * One Elman step: act(gi + W_hh h), where `gi` [B, hidden] is the input projection with both
 * biases folded in. Shared by `RNN` and `RNNCell`.
 */
export function rnnStep(gi: Tensor, h: Tensor, whh: Tensor, useRelu: boolean): Tensor {
  const a = add(gi, linear(h, whh));
  return useRelu ? relu(a) : tanh(a);
}

/**
 * One LSTM step from the input projection `gi` [B, 4·hidden] (both biases folded in, gates
 * i, f, g, o) and the states h, c; h is projected by `whr` when given. Returns [h', c'].
 * Shared by `LSTM` and `LSTMCell`.
 */
export function lstmStep(
  gi: Tensor,
  h: Tensor,
  c: Tensor,
  whh: Tensor,
  hidden: number,
  whr: Tensor | null = null,
): [Tensor, Tensor] {
  const H = hidden;
  const gates = add(gi, linear(h, whh)); // [B, 4H]
  const i = sigmoid(gates.narrow(1, 0, H));
  const f = sigmoid(gates.narrow(1, H, H));
  const g = tanh(gates.narrow(1, 2 * H, H));
  const o = sigmoid(gates.narrow(1, 3 * H, H));
  const c2 = add(mul(f, c), mul(i, g));
  const h2 = mul(o, tanh(c2));
  return [whr ? linear(h2, whr) : h2, c2];
}

/**
 * One GRU step from the input projection `gi` [B, 3·hidden] (b_ih only: NOTE b_hn stays
 * inside the reset gate's product, so b_hh cannot fold into the input). Gates r, z, n;
 * h' = (1 - z) n + z h. Shared by `GRU` and `GRUCell`.
 */
export function gruStep(
  gi: Tensor,
  h: Tensor,
  whh: Tensor,
  bhh: Tensor | null,
  hidden: number,
): Tensor {
  const H = hidden;
  const gh = linear(h, whh, bhh);
  const r = sigmoid(add(gi.narrow(1, 0, H), gh.narrow(1, 0, H)));
  const z = sigmoid(add(gi.narrow(1, H, H), gh.narrow(1, H, H)));
  const n = tanh(add(gi.narrow(1, 2 * H, H), mul(r, gh.narrow(1, 2 * H, H))));
  return add(n, mul(z, sub(h, n)));
}

const GATES: Record<RNNMode, number> = { LSTM: 4, GRU: 3, RNN_TANH: 1, RNN_RELU: 1 };

/**
 * Shared implementation of the recurrent layers (PyTorch's `RNNBase`): parameters, shape
 * checks and the loop over layers, directions and time steps. Subclasses name their states and
 * implement one cell step.
 */
export abstract class RNNBase<In extends unknown[], Out> extends Module<In, Out> {
  /** Which recurrence this is. */
  readonly mode: RNNMode;
  /** Features per input step. */
  readonly inputSize: number;
  /** Features of the hidden state (of the cell state, for an LSTM with projSize). */
  readonly hiddenSize: number;
  /** Stacked layers. */
  readonly numLayers: number;
  /** Whether the biases exist. */
  readonly bias: boolean;
  /** Whether inputs are batch-major. */
  readonly batchFirst: boolean;
  /** Inter-layer dropout probability. */
  readonly dropout: number;
  /** Whether each layer also runs over the reversed sequence. */
  readonly bidirectional: boolean;
  /** LSTM projection size; 0 when h is not projected. */
  readonly projSize: number;

  /** Allocates PyTorch's parameters for `mode` and initialises them. */
  constructor(mode: RNNMode, inputSize: number, hiddenSize: number, opts: LSTMOptions) {
    super();
    const name = mode.startsWith("RNN") ? "RNN" : mode;
    this.mode = mode;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = opts.numLayers ?? 1;
    this.bias = opts.bias ?? true;
    this.batchFirst = opts.batchFirst ?? false;
    this.dropout = opts.dropout ?? 0;
    this.bidirectional = opts.bidirectional ?? false;
    this.projSize = opts.projSize ?? 0;
    for (const [k, v] of [["inputSize", inputSize], ["hiddenSize", hiddenSize]] as const) {
      if (!Number.isInteger(v) || v < 1) {
        throw new RangeError(`${name}: ${k} must be a positive integer, got ${v}`);
      }
    }
    if (!Number.isInteger(this.numLayers) || this.numLayers < 1) {
      throw new RangeError(`${name}: numLayers must be >= 1, got ${this.numLayers}`);
    }
    if (!(this.dropout >= 0 && this.dropout <= 1)) {
      throw new RangeError(`${name}: dropout must be in [0, 1], got ${this.dropout}`);
    }
    if (this.dropout > 0 && this.numLayers === 1) {
      // PyTorch's UserWarning: a single layer has no inter-layer output to drop.
      console.warn(
        `${name}: dropout adds dropout after all but the last recurrent layer, so a non-zero ` +
          `dropout expects numLayers > 1, but got dropout=${this.dropout} and numLayers=1`,
      );
    }
    if (this.projSize !== 0) {
      if (mode !== "LSTM") {
        throw new RangeError(`${name}: projSize is only supported for LSTM, not RNN or GRU`);
      }
      if (!Number.isInteger(this.projSize) || this.projSize < 0) {
        throw new RangeError(
          `${name}: projSize must be a positive integer or 0, got ${this.projSize}`,
        );
      }
      if (this.projSize >= hiddenSize) {
        throw new RangeError(
          `${name}: projSize must be smaller than hiddenSize (got ${this.projSize} >= ${hiddenSize})`,
        );
      }
    }
    const gateSize = GATES[mode] * hiddenSize;
    const realHidden = this.projSize || hiddenSize;
    const fields = this as unknown as Record<string, Parameter>;
    // PyTorch's names and order: per layer, the forward direction then `_reverse`, each
    // weight_ih, weight_hh, bias_ih, bias_hh, weight_hr — state-dict keys follow this order.
    for (let l = 0; l < this.numLayers; l++) {
      const inp = l === 0 ? inputSize : realHidden * this.numDirections;
      for (let d = 0; d < this.numDirections; d++) {
        const sfx = `l${l}${d ? "_reverse" : ""}`;
        fields[`weight_ih_${sfx}`] = emptyParameter([gateSize, inp], opts);
        fields[`weight_hh_${sfx}`] = emptyParameter([gateSize, realHidden], opts);
        if (this.bias) {
          fields[`bias_ih_${sfx}`] = emptyParameter([gateSize], opts);
          fields[`bias_hh_${sfx}`] = emptyParameter([gateSize], opts);
        }
        if (this.projSize) {
          fields[`weight_hr_${sfx}`] = emptyParameter([this.projSize, hiddenSize], opts);
        }
      }
    }
    this.resetParameters();
  }

  /** 2 when bidirectional, else 1. */
  get numDirections(): number {
    return this.bidirectional ? 2 : 1;
  }

  /**
   * The parameters per layer and direction in PyTorch's order (`all_weights`), e.g.
   * `[[w_ih, w_hh, b_ih, b_hh], [w_ih_reverse, ...], ...]`; the fields themselves are named
   * `weight_ih_l0`, `weight_hh_l0_reverse`, ... as in PyTorch.
   */
  get allWeights(): Parameter[][] {
    const out: Parameter[][] = [];
    for (let l = 0; l < this.numLayers; l++) {
      for (let d = 0; d < this.numDirections; d++) {
        const p = this.cellParams(l, d);
        out.push([p.wih, p.whh, p.bih, p.bhh, p.whr].filter((t): t is Parameter => t !== null));
      }
    }
    return out;
  }

  /** Every weight and bias from U(-1/√hidden, 1/√hidden), as PyTorch. */
  resetParameters(): void {
    const k = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) uniform_(p, -k, k);
  }

  /**
   * The state tensors and their feature sizes, e.g. `[["h_0", hidden]]`; the first is the one
   * the layer outputs.
   */
  protected abstract stateSpecs(): [string, number][];

  /** One time step: the new states from this step's input projection and the old states. */
  protected abstract cell(gi: Tensor, states: Tensor[], p: RNNCellParams): Tensor[];

  /**
   * The input projection of all steps, [T, B, gates·hidden]. Both biases fold into it unless
   * the cell needs b_hh apart (GRU).
   */
  protected project(y: Tensor, p: RNNCellParams): Tensor {
    const b = p.bih && p.bhh ? add(p.bih, p.bhh) : null;
    return linear(y, p.wih, b);
  }

  /** The parameters of layer `l`, direction `d` (read at each call: `to()` replaces fields). */
  protected cellParams(l: number, d: number): RNNCellParams {
    const f = this as unknown as Record<string, Parameter | undefined>;
    const sfx = `l${l}${d ? "_reverse" : ""}`;
    return {
      wih: f[`weight_ih_${sfx}`]!,
      whh: f[`weight_hh_${sfx}`]!,
      bih: f[`bias_ih_${sfx}`] ?? null,
      bhh: f[`bias_hh_${sfx}`] ?? null,
      whr: f[`weight_hr_${sfx}`] ?? null,
    };
  }

  /**
   * Runs every layer and direction over `input` from the initial states `hx` (zeros where
   * undefined; given in the caller's batch order). Returns the output sequence in the caller's
   * layout (a PackedSequence for packed input) and the final states, each
   * [numLayers·D, batch, ·] with layer-major, direction-minor rows as PyTorch; for packed input
   * each sequence's final state is the one at its own length.
   */
  protected run(
    input: Tensor | PackedSequence,
    hx: (Tensor | undefined)[],
  ): [Tensor | PackedSequence, Tensor[]] {
    const packed = input instanceof PackedSequence ? input : null;
    const bs = packed ? packed.batchSizesArray : null;
    const [x, unbatched] = packed
      ? [this.packedData(packed), false]
      : this.seqMajor(input as Tensor);
    const B = bs ? bs[0] : x.shape[1];
    const desc = packed
      ? `packed input of batch size ${B} (data of shape ${fmtShape(x.shape)})`
      : `input of shape ${fmtShape((input as Tensor).shape)}`;
    const D = this.numDirections;
    const s0 = this.stateSpecs().map(([name, size], i) => {
      const s = this.stateIn(name, hx[i], size, x, B, unbatched, desc);
      // The packed rows are in decreasing-length order; the caller's states follow the batch.
      return packed?.sortedIndices ? s.indexSelect(1, packed.sortedIndices) : s;
    });
    const finals: Tensor[][] = s0.map(() => []);
    let y = x;
    for (let l = 0; l < this.numLayers; l++) {
      const dirs: Tensor[] = [];
      for (let d = 0; d < D; d++) {
        const p = this.cellParams(l, d);
        const xi = this.project(y, p);
        const st = s0.map((s) => s.select(0, l * D + d));
        const [out, last] = bs
          ? this.packedPass(xi, st, p, bs, d === 1)
          : this.densePass(xi, st, p, d === 1);
        last.forEach((s, i) => finals[i].push(s));
        dirs.push(out);
      }
      y = D === 1 ? dirs[0] : cat(dirs, -1);
      // NOTE: dropout acts on the concatenated directions, as PyTorch's, and never after the
      // last layer.
      if (this.dropout > 0 && l < this.numLayers - 1) {
        y = dropout(y, { p: this.dropout, training: this.training });
      }
    }
    const hn = finals.map((f) => {
      const h = stack(f, 0);
      if (unbatched) return h.squeeze(1);
      return packed?.unsortedIndices ? h.indexSelect(1, packed.unsortedIndices) : h;
    });
    if (packed) {
      return [
        new PackedSequence(y, packed.batchSizes, packed.sortedIndices, packed.unsortedIndices),
        hn,
      ];
    }
    return [unbatched ? y.squeeze(1) : this.batchFirst ? y.transpose(0, 1) : y, hn];
  }

  /**
   * One direction over a padded sequence: `xi` [T, B, gates·hidden] projected input, `st` the
   * initial states. Returns the outputs [T, B, ·] and the final states.
   */
  private densePass(
    xi: Tensor,
    st: Tensor[],
    p: RNNCellParams,
    reverse: boolean,
  ): [Tensor, Tensor[]] {
    const T = xi.shape[0];
    const outs: Tensor[] = new Array(T);
    // The reverse direction reads the sequence backwards but writes each output at its own
    // time step, so the two directions line up in the concatenation.
    for (let k = 0; k < T; k++) {
      const t = reverse ? T - 1 - k : k;
      st = this.cell(xi.select(0, t), st, p);
      outs[t] = st[0];
    }
    return [stack(outs, 0), st];
  }

  /**
   * One direction over packed steps (PyTorch's variable-length recurrence): `xi`
   * [N, gates·hidden], `bs` the batch sizes. Forwards, the batch shrinks as sequences end and
   * each ended sequence's state is final; in reverse, each sequence starts from its initial
   * state at its own last step. Returns the packed outputs [N, ·] and the final states [B, ·].
   */
  private packedPass(
    xi: Tensor,
    init: Tensor[],
    p: RNNCellParams,
    bs: Int32Array,
    reverse: boolean,
  ): [Tensor, Tensor[]] {
    const T = bs.length;
    const offsets: number[] = [];
    bs.reduce((n, b) => (offsets.push(n), n + b), 0);
    const outs: Tensor[] = new Array(T);
    if (reverse) {
      let cur = bs[T - 1];
      let st = init.map((s) => s.narrow(0, 0, cur));
      for (let t = T - 1; t >= 0; t--) {
        const b = bs[t];
        if (b > cur) {
          st = st.map((s, i) => cat([s, init[i].narrow(0, cur, b - cur)], 0));
          cur = b;
        }
        st = this.cell(xi.narrow(0, offsets[t], b), st, p);
        outs[t] = st[0];
      }
      return [cat(outs, 0), st];
    }
    let cur = bs[0];
    let st = init;
    // Rows [b, cur) end before step t; kept here newest first, i.e. in increasing row order
    // once reversed.
    const ended: Tensor[][] = init.map(() => []);
    for (let t = 0; t < T; t++) {
      const b = bs[t];
      if (b < cur) {
        st.forEach((s, i) => ended[i].push(s.narrow(0, b, cur - b)));
        st = st.map((s) => s.narrow(0, 0, b));
        cur = b;
      }
      st = this.cell(xi.narrow(0, offsets[t], b), st, p);
      outs[t] = st[0];
    }
    const last = st.map((s, i) => ended[i].length ? cat([s, ...ended[i].reverse()], 0) : s);
    return [cat(outs, 0), last];
  }

  /** Validates packed input: data [N, inputSize]. */
  protected packedData(packed: PackedSequence): Tensor {
    const x = packed.data;
    if (x.ndim !== 2 || x.shape[1] !== this.inputSize) {
      throw new RangeError(
        `expected packed data of shape [N, ${this.inputSize}] (inputSize), got packed data of ` +
          `shape ${fmtShape(x.shape)}`,
      );
    }
    return x;
  }

  /** Validates the input and returns it as [seq, batch, feature] plus the unbatched flag. */
  protected seqMajor(x: Tensor): [Tensor, boolean] {
    if (x.ndim !== 2 && x.ndim !== 3) {
      throw new RangeError(
        `expected 2-D (unbatched) or 3-D (batched) input, got input of shape ${fmtShape(x.shape)}`,
      );
    }
    if (x.shape[x.ndim - 1] !== this.inputSize) {
      throw new RangeError(
        `expected input with last dim ${this.inputSize} (inputSize), got input of shape ${
          fmtShape(x.shape)
        }`,
      );
    }
    if (x.shape[x.ndim === 3 && this.batchFirst ? 1 : 0] === 0) {
      throw new RangeError(
        `expected a sequence of length >= 1, got input of shape ${fmtShape(x.shape)}`,
      );
    }
    if (x.ndim === 2) return [x.unsqueeze(1), true];
    return [this.batchFirst ? x.transpose(0, 1) : x, false];
  }

  /**
   * Checks an initial state and returns it as [numLayers·D, batch, size] (zeros like `like` if
   * absent); `desc` names the input in errors.
   */
  protected stateIn(
    name: string,
    h: Tensor | undefined,
    size: number,
    like: Tensor,
    batch: number,
    unbatched: boolean,
    desc: string,
  ): Tensor {
    const want = [this.numLayers * this.numDirections, batch, size];
    if (!h) return zeros(want, { dtype: like.dtype, device: like.device });
    // As PyTorch: unbatched input takes 2-D states, batched input 3-D ones.
    const hv = unbatched && h.ndim === 2 ? h.unsqueeze(1) : h;
    if (h.ndim !== (unbatched ? 2 : 3) || hv.shape.join() !== want.join()) {
      const dims = unbatched ? "numLayers*numDirections" : "numLayers*numDirections, batch";
      const feat = name === "h_0" && this.projSize ? "projSize" : "hiddenSize";
      throw new RangeError(
        `expected ${name} of shape ${
          fmtShape(unbatched ? [want[0], want[2]] : want)
        } (${dims}, ${feat}) for ${desc}, got ${name} of shape ${fmtShape(h.shape)}`,
      );
    }
    return hv;
  }

  /** Configuration, as PyTorch's `extra_repr`. */
  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.projSize) s += `, projSize=${this.projSize}`;
    if (this.numLayers !== 1) s += `, numLayers=${this.numLayers}`;
    if (this.mode === "RNN_RELU") s += `, nonlinearity=relu`;
    if (!this.bias) s += `, bias=false`;
    if (this.batchFirst) s += `, batchFirst=true`;
    if (this.dropout) s += `, dropout=${this.dropout}`;
    if (this.bidirectional) s += `, bidirectional=true`;
    return s;
  }
}

/**
 * Multi-layer Elman RNN, like `torch.nn.RNN`: h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)
 * with act tanh or relu. Input [seq, batch, inputSize] ([batch, seq, ·] with `batchFirst`, or
 * unbatched [seq, inputSize]) or a `PackedSequence`; returns `[output, h_n]` with output
 * [seq, batch, D·hidden] (packed for packed input) and h_n [numLayers·D, batch, hidden],
 * D = 2 when bidirectional.
 *
 * @example
 * ```ts
 * const rnn = new RNN(10, 20, { numLayers: 2, nonlinearity: "relu", bidirectional: true });
 * const [out, h] = rnn.call(randn([5, 3, 10])); // out [5, 3, 40], h [4, 3, 20]
 * ```
 */
export class RNN
  extends RNNBase<[Tensor | PackedSequence, Tensor?], [Tensor | PackedSequence, Tensor]> {
  /** Creates the layer. */
  constructor(inputSize: number, hiddenSize: number, opts: RNNLayerOptions = {}) {
    const nl = opts.nonlinearity ?? "tanh";
    if (nl !== "tanh" && nl !== "relu") {
      throw new RangeError(`RNN: unknown nonlinearity '${nl}', select from 'tanh' or 'relu'`);
    }
    super(nl === "tanh" ? "RNN_TANH" : "RNN_RELU", inputSize, hiddenSize, opts);
  }

  /** The cell non-linearity. */
  get nonlinearity(): "tanh" | "relu" {
    return this.mode === "RNN_RELU" ? "relu" : "tanh";
  }

  /**
   * Runs the layer (hooks, memory scope, error context): a padded sequence gives a padded
   * output, a PackedSequence a packed one; the final state is `[numLayers·D, batch, hidden]`.
   */
  override call(input: Tensor, hx?: Tensor): [Tensor, Tensor];
  /** Packed input: the output is packed; h_n holds each sequence's state at its own length. */
  override call(input: PackedSequence, hx?: Tensor): [PackedSequence, Tensor];
  override call(input: Tensor | PackedSequence, hx?: Tensor): [Tensor | PackedSequence, Tensor] {
    return super.call(input, hx);
  }

  /** Runs the sequence from the state `hx` (zeros when omitted). */
  override forward(input: Tensor | PackedSequence, hx?: Tensor): [Tensor | PackedSequence, Tensor] {
    const [y, [hn]] = this.run(input, [hx]);
    return [y, hn];
  }

  /** h_0 [·, hidden]. */
  protected stateSpecs(): [string, number][] {
    return [["h_0", this.hiddenSize]];
  }

  /** act(projected input + W_hh h). */
  protected cell(gi: Tensor, [h]: Tensor[], p: RNNCellParams): Tensor[] {
    return [rnnStep(gi, h, p.whh, this.mode === "RNN_RELU")];
  }
}

/**
 * Multi-layer long short-term memory, like `torch.nn.LSTM` (gates i, f, g, o stacked in
 * `weight_ih_l{k}` [4·hidden, in]). Input [seq, batch, inputSize] ([batch, seq, ·] with
 * `batchFirst`, or unbatched [seq, inputSize]) or a `PackedSequence` (then the output is packed
 * and h_n, c_n are taken at each sequence's length); returns `[output, [h_n, c_n]]` with output
 * [seq, batch, D·H_out], h_n [numLayers·D, batch, H_out] and c_n [numLayers·D, batch, hidden],
 * where D = 2 when bidirectional and H_out = projSize || hidden.
 *
 * @example
 * ```ts
 * const lstm = new LSTM(10, 20, { numLayers: 2, bidirectional: true });
 * const [out, [h, c]] = lstm.call(randn([5, 3, 10])); // out [5, 3, 40], h and c [4, 3, 20]
 * ```
 */
export class LSTM
  extends RNNBase<[Tensor | PackedSequence, LSTMState?], [Tensor | PackedSequence, LSTMState]> {
  /** Creates the layer. */
  constructor(inputSize: number, hiddenSize: number, opts: LSTMOptions = {}) {
    super("LSTM", inputSize, hiddenSize, opts);
  }

  /**
   * Runs the layer (hooks, memory scope, error context): a padded sequence gives a padded
   * output, a PackedSequence a packed one.
   */
  override call(input: Tensor, hx?: LSTMState): [Tensor, LSTMState];
  /** Packed input: the output is packed; h_n, c_n hold each sequence's states at its length. */
  override call(input: PackedSequence, hx?: LSTMState): [PackedSequence, LSTMState];
  override call(
    input: Tensor | PackedSequence,
    hx?: LSTMState,
  ): [Tensor | PackedSequence, LSTMState] {
    return super.call(input, hx);
  }

  /** Runs the sequence from the state `hx` (zeros when omitted). */
  override forward(
    input: Tensor | PackedSequence,
    hx?: LSTMState,
  ): [Tensor | PackedSequence, LSTMState] {
    const [y, [hn, cn]] = this.run(input, [hx?.[0], hx?.[1]]);
    return [y, [hn, cn]];
  }

  /** h_0 [·, projSize || hidden] and c_0 [·, hidden]. */
  protected stateSpecs(): [string, number][] {
    return [["h_0", this.projSize || this.hiddenSize], ["c_0", this.hiddenSize]];
  }

  /** The gates from projected input + W_hh h; h is projected by W_hr when projSize is set. */
  protected cell(gi: Tensor, [h, c]: Tensor[], p: RNNCellParams): Tensor[] {
    return lstmStep(gi, h, c, p.whh, this.hiddenSize, p.whr);
  }
}

/**
 * Multi-layer gated recurrent unit, like `torch.nn.GRU` (gates r, z, n stacked in
 * `weight_ih_l{k}` [3·hidden, in]; n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))). Takes a
 * padded sequence or a `PackedSequence`; returns `[output, h_n]` with output
 * [seq, batch, D·hidden] (packed for packed input) and h_n [numLayers·D, batch, hidden].
 *
 * @example
 * ```ts
 * const gru = new GRU(10, 20, { numLayers: 2, batchFirst: true });
 * const [out, h] = gru.call(randn([3, 5, 10])); // out [3, 5, 20], h [2, 3, 20]
 * ```
 */
export class GRU
  extends RNNBase<[Tensor | PackedSequence, Tensor?], [Tensor | PackedSequence, Tensor]> {
  /** Creates the layer. */
  constructor(inputSize: number, hiddenSize: number, opts: RNNOptions = {}) {
    super("GRU", inputSize, hiddenSize, opts);
  }

  /**
   * Runs the layer (hooks, memory scope, error context): a padded sequence gives a padded
   * output, a PackedSequence a packed one; the final state is `[numLayers·D, batch, hidden]`.
   */
  override call(input: Tensor, hx?: Tensor): [Tensor, Tensor];
  /** Packed input: the output is packed; h_n holds each sequence's state at its own length. */
  override call(input: PackedSequence, hx?: Tensor): [PackedSequence, Tensor];
  override call(input: Tensor | PackedSequence, hx?: Tensor): [Tensor | PackedSequence, Tensor] {
    return super.call(input, hx);
  }

  /** Runs the sequence from the state `hx` (zeros when omitted). */
  override forward(input: Tensor | PackedSequence, hx?: Tensor): [Tensor | PackedSequence, Tensor] {
    const [y, [hn]] = this.run(input, [hx]);
    return [y, hn];
  }

  /** h_0 [·, hidden]. */
  protected stateSpecs(): [string, number][] {
    return [["h_0", this.hiddenSize]];
  }

  /** NOTE: b_hn stays inside the reset gate's product, so b_hh cannot fold into the input. */
  protected override project(y: Tensor, p: RNNCellParams): Tensor {
    return linear(y, p.wih, p.bih);
  }

  /** r, z, n from the projected input and W_hh h + b_hh; h' = (1 - z) n + z h. */
  protected cell(gi: Tensor, [h]: Tensor[], p: RNNCellParams): Tensor[] {
    return [gruStep(gi, h, p.whh, p.bhh, this.hiddenSize)];
  }
}

/**
 * Recurrent layers: LSTM and GRU with PyTorch's gate layouts and parameter names, so weights
 * interchange. The input projection of all time steps is one matrix product per layer; only
 * the hidden-to-hidden product runs per step. Bidirectional RNNs are not implemented.
 */
import { zeros } from "../tensor/creation.ts";
import { fmtShape } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { add, mul, sigmoid, sub, tanh } from "../ops/elementwise.ts";
import { stack } from "../ops/join.ts";
import { dropout } from "../ops/dropout.ts";
import { linear } from "./functional/linear.ts";
import { uniform_ } from "./init.ts";
import { Module } from "./module.ts";
import { emptyParameter, type FactoryOptions, type Parameter } from "./parameter.ts";

/** Options of LSTM and GRU. */
export interface RNNOptions extends FactoryOptions {
  /** Stacked recurrent layers (default 1). */
  numLayers?: number;
  /** Use bias_ih and bias_hh (default true). */
  bias?: boolean;
  /** Input and output are [batch, seq, feature] instead of [seq, batch, feature]. */
  batchFirst?: boolean;
  /** Dropout on the outputs of every layer but the last, in training (default 0). */
  dropout?: number;
}

/** LSTM state: [h, c], each [numLayers, batch, hidden] (or [numLayers, hidden] unbatched). */
export type LSTMState = [Tensor, Tensor];

/** Shared parameter layout of the recurrent layers (PyTorch's `RNNBase`). */
abstract class RNNBase<In extends unknown[], Out> extends Module<In, Out> {
  /** Features per input step. */
  readonly inputSize: number;
  /** Features of the hidden state. */
  readonly hiddenSize: number;
  /** Stacked layers. */
  readonly numLayers: number;
  /** Whether the biases exist. */
  readonly bias: boolean;
  /** Whether inputs are batch-major. */
  readonly batchFirst: boolean;
  /** Inter-layer dropout probability. */
  readonly dropout: number;

  constructor(gates: number, inputSize: number, hiddenSize: number, opts: RNNOptions) {
    super();
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = opts.numLayers ?? 1;
    this.bias = opts.bias ?? true;
    this.batchFirst = opts.batchFirst ?? false;
    this.dropout = opts.dropout ?? 0;
    if (!Number.isInteger(this.numLayers) || this.numLayers < 1) {
      throw new RangeError(`${this.constructor.name}: numLayers must be >= 1`);
    }
    if (!(this.dropout >= 0 && this.dropout <= 1)) {
      throw new RangeError(`${this.constructor.name}: dropout must be in [0, 1]`);
    }
    const fields = this as unknown as Record<string, Parameter>;
    for (let l = 0; l < this.numLayers; l++) {
      const inp = l === 0 ? inputSize : hiddenSize;
      // PyTorch's names and order: weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}.
      fields[`weight_ih_l${l}`] = emptyParameter([gates * hiddenSize, inp], opts);
      fields[`weight_hh_l${l}`] = emptyParameter([gates * hiddenSize, hiddenSize], opts);
      if (this.bias) {
        fields[`bias_ih_l${l}`] = emptyParameter([gates * hiddenSize], opts);
        fields[`bias_hh_l${l}`] = emptyParameter([gates * hiddenSize], opts);
      }
    }
    this.resetParameters();
  }

  /** Every weight and bias from U(-1/√hidden, 1/√hidden), as PyTorch. */
  resetParameters(): void {
    const k = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) uniform_(p, -k, k);
  }

  /** The parameters of layer `l`: [W_ih, W_hh, b_ih | null, b_hh | null]. */
  protected layer(l: number): [Parameter, Parameter, Parameter | null, Parameter | null] {
    const f = this as unknown as Record<string, Parameter | undefined>;
    return [
      f[`weight_ih_l${l}`]!,
      f[`weight_hh_l${l}`]!,
      f[`bias_ih_l${l}`] ?? null,
      f[`bias_hh_l${l}`] ?? null,
    ];
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
    if (x.ndim === 2) return [x.unsqueeze(1), true];
    return [this.batchFirst ? x.transpose(0, 1) : x, false];
  }

  /** Checks an initial state tensor and returns it as [numLayers, batch, hidden]. */
  protected stateIn(
    name: string,
    h: Tensor | undefined,
    batch: number,
    x: Tensor,
    unbatched: boolean,
  ): Tensor {
    const want = [this.numLayers, batch, this.hiddenSize];
    if (!h) return zeros(want, { dtype: x.dtype, device: x.device });
    const hv = unbatched && h.ndim === 2 ? h.unsqueeze(1) : h;
    if (hv.shape.join() !== want.join()) {
      throw new RangeError(
        `expected ${name} of shape ${fmtShape(unbatched ? [want[0], want[2]] : want)}, got ${
          fmtShape(h.shape)
        }`,
      );
    }
    return hv;
  }

  /** Restores the caller's layout of the output sequence. */
  protected seqOut(y: Tensor, unbatched: boolean): Tensor {
    if (unbatched) return y.squeeze(1);
    return this.batchFirst ? y.transpose(0, 1) : y;
  }

  /** Applies inter-layer dropout. */
  protected between(y: Tensor, l: number): Tensor {
    if (this.dropout > 0 && l < this.numLayers - 1) {
      return dropout(y, { p: this.dropout, training: this.training });
    }
    return y;
  }

  /** Configuration. */
  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.numLayers !== 1) s += `, numLayers=${this.numLayers}`;
    if (!this.bias) s += `, bias=false`;
    if (this.batchFirst) s += `, batchFirst=true`;
    if (this.dropout) s += `, dropout=${this.dropout}`;
    return s;
  }
}

/**
 * Multi-layer long short-term memory, like `torch.nn.LSTM` (gates i, f, g, o stacked in
 * `weight_ih_l{k}` [4·hidden, in]). Input [seq, batch, inputSize] ([batch, seq, ...] with
 * `batchFirst`, or unbatched [seq, inputSize]); returns `[output, [h_n, c_n]]` with output
 * [seq, batch, hidden] and states [numLayers, batch, hidden].
 *
 * @example
 * ```ts
 * const lstm = new LSTM(10, 20, { numLayers: 2 });
 * const [out, [h, c]] = lstm.call(randn([5, 3, 10])); // out [5, 3, 20], h and c [2, 3, 20]
 * ```
 */
export class LSTM extends RNNBase<[Tensor, LSTMState?], [Tensor, LSTMState]> {
  /** Creates the layer. */
  constructor(inputSize: number, hiddenSize: number, opts: RNNOptions = {}) {
    super(4, inputSize, hiddenSize, opts);
  }

  /** Runs the sequence from the state `hx` (zeros when omitted). */
  override forward(input: Tensor, hx?: LSTMState): [Tensor, LSTMState] {
    const [x, unbatched] = this.seqMajor(input);
    const [T, B] = x.shape;
    const H = this.hiddenSize;
    const h0 = this.stateIn("h_0", hx?.[0], B, x, unbatched);
    const c0 = this.stateIn("c_0", hx?.[1], B, x, unbatched);
    let y = x;
    const hs: Tensor[] = [], cs: Tensor[] = [];
    for (let l = 0; l < this.numLayers; l++) {
      const [wih, whh, bih, bhh] = this.layer(l);
      // Both biases fold into the one input projection of all T steps.
      const bsum = bih && bhh ? add(bih, bhh) : null;
      const xi = linear(y, wih, bsum); // [T, B, 4H]
      let h = h0.select(0, l), c = c0.select(0, l);
      const outs: Tensor[] = [];
      for (let t = 0; t < T; t++) {
        const gates = add(xi.select(0, t), linear(h, whh)); // [B, 4H]
        const i = sigmoid(gates.narrow(1, 0, H));
        const f = sigmoid(gates.narrow(1, H, H));
        const g = tanh(gates.narrow(1, 2 * H, H));
        const o = sigmoid(gates.narrow(1, 3 * H, H));
        c = add(mul(f, c), mul(i, g));
        h = mul(o, tanh(c));
        outs.push(h);
      }
      hs.push(h);
      cs.push(c);
      y = this.between(stack(outs, 0), l);
    }
    let hn = stack(hs, 0), cn = stack(cs, 0);
    if (unbatched) [hn, cn] = [hn.squeeze(1), cn.squeeze(1)];
    return [this.seqOut(y, unbatched), [hn, cn]];
  }
}

/**
 * Multi-layer gated recurrent unit, like `torch.nn.GRU` (gates r, z, n stacked in
 * `weight_ih_l{k}` [3·hidden, in]; n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))). Returns
 * `[output, h_n]`.
 *
 * @example
 * ```ts
 * const gru = new GRU(10, 20, { numLayers: 2, batchFirst: true });
 * const [out, h] = gru.call(randn([3, 5, 10])); // out [3, 5, 20], h [2, 3, 20]
 * ```
 */
export class GRU extends RNNBase<[Tensor, Tensor?], [Tensor, Tensor]> {
  /** Creates the layer. */
  constructor(inputSize: number, hiddenSize: number, opts: RNNOptions = {}) {
    super(3, inputSize, hiddenSize, opts);
  }

  /** Runs the sequence from the state `hx` (zeros when omitted). */
  override forward(input: Tensor, hx?: Tensor): [Tensor, Tensor] {
    const [x, unbatched] = this.seqMajor(input);
    const [T, B] = x.shape;
    const H = this.hiddenSize;
    const h0 = this.stateIn("h_0", hx, B, x, unbatched);
    let y = x;
    const hs: Tensor[] = [];
    for (let l = 0; l < this.numLayers; l++) {
      const [wih, whh, bih, bhh] = this.layer(l);
      const xi = linear(y, wih, bih); // [T, B, 3H]
      let h = h0.select(0, l);
      const outs: Tensor[] = [];
      for (let t = 0; t < T; t++) {
        const gi = xi.select(0, t);
        // NOTE: b_hn stays inside the reset gate's product, so the hidden biases cannot be
        // folded into the input projection as in the LSTM.
        const gh = linear(h, whh, bhh);
        const r = sigmoid(add(gi.narrow(1, 0, H), gh.narrow(1, 0, H)));
        const z = sigmoid(add(gi.narrow(1, H, H), gh.narrow(1, H, H)));
        const n = tanh(add(gi.narrow(1, 2 * H, H), mul(r, gh.narrow(1, 2 * H, H))));
        h = add(n, mul(z, sub(h, n))); // (1 - z) n + z h
        outs.push(h);
      }
      hs.push(h);
      y = this.between(stack(outs, 0), l);
    }
    const hn = stack(hs, 0);
    return [this.seqOut(y, unbatched), unbatched ? hn.squeeze(1) : hn];
  }
}

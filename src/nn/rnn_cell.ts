/**
 * Single-step recurrent cells: `RNNCell`, `LSTMCell` and `GRUCell`, like PyTorch's. They hold
 * one layer's parameters under PyTorch's names (`weight_ih`, `weight_hh`, `bias_ih`,
 * `bias_hh`, in that state-dict order) and run one time step with the same cell code as the
 * sequence layers of ./rnn.ts (`rnnStep`, `lstmStep`, `gruStep`).
 */
import { zeros } from "../tensor/creation.ts";
import { fmtShape } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { add } from "../ops/elementwise.ts";
import { linear } from "./functional/linear.ts";
import { uniform_ } from "./init.ts";
import { Module } from "./module.ts";
import { emptyParameter, type FactoryOptions, type Parameter } from "./parameter.ts";
import { gruStep, type LSTMState, lstmStep, rnnStep } from "./rnn.ts";

/** Options shared by RNNCell, LSTMCell and GRUCell. */
export interface RNNCellOptions extends FactoryOptions {
  /** Use bias_ih and bias_hh (default true). */
  bias?: boolean;
}

/** Options of RNNCell. */
export interface RNNCellLayerOptions extends RNNCellOptions {
  /** Cell non-linearity (default "tanh"). */
  nonlinearity?: "tanh" | "relu";
}

/**
 * Shared implementation of the cells (PyTorch's `RNNCellBase`): parameters, their default
 * initialisation and the input and state checks. Subclasses run one step.
 */
export abstract class RNNCellBase<In extends unknown[], Out> extends Module<In, Out> {
  /** Features of the input. */
  readonly inputSize: number;
  /** Features of the hidden state. */
  readonly hiddenSize: number;
  /** Whether the biases exist. */
  readonly bias: boolean;
  /** Input-to-hidden weights [gates·hidden, inputSize]. */
  weight_ih: Parameter;
  /** Hidden-to-hidden weights [gates·hidden, hiddenSize]. */
  weight_hh: Parameter;
  /** Input-to-hidden bias [gates·hidden], or null without bias. */
  bias_ih: Parameter | null;
  /** Hidden-to-hidden bias [gates·hidden], or null without bias. */
  bias_hh: Parameter | null;

  /** Allocates the parameters for `gates` stacked gates and initialises them. */
  constructor(inputSize: number, hiddenSize: number, gates: number, opts: RNNCellOptions) {
    super();
    for (const [k, v] of [["inputSize", inputSize], ["hiddenSize", hiddenSize]] as const) {
      if (!Number.isInteger(v) || v < 1) {
        throw new RangeError(
          `${new.target.name}: ${k} must be a positive integer, got ${v}`,
        );
      }
    }
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.bias = opts.bias ?? true;
    // PyTorch's registration order, hence its state-dict order.
    this.weight_ih = emptyParameter([gates * hiddenSize, inputSize], opts);
    this.weight_hh = emptyParameter([gates * hiddenSize, hiddenSize], opts);
    this.bias_ih = this.bias ? emptyParameter([gates * hiddenSize], opts) : null;
    this.bias_hh = this.bias ? emptyParameter([gates * hiddenSize], opts) : null;
    this.resetParameters();
  }

  /** Every weight and bias from U(-1/√hidden, 1/√hidden), as PyTorch. */
  resetParameters(): void {
    const k = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) uniform_(p, -k, k);
  }

  /**
   * The input as [batch, inputSize] plus whether it was unbatched (1-D), after PyTorch's
   * checks.
   */
  protected batched(input: Tensor): [Tensor, boolean] {
    if (input.ndim !== 1 && input.ndim !== 2) {
      throw new RangeError(
        `expected input to be 1-D or 2-D but received ${input.ndim}-D tensor of shape ${
          fmtShape(input.shape)
        }`,
      );
    }
    if (input.shape[input.ndim - 1] !== this.inputSize) {
      throw new RangeError(
        `input has inconsistent input_size: got ${
          input.shape[input.ndim - 1]
        }, expected ${this.inputSize} (input of shape ${fmtShape(input.shape)})`,
      );
    }
    return input.ndim === 1 ? [input.unsqueeze(0), true] : [input, false];
  }

  /** A state as [batch, hiddenSize]: zeros when absent, else checked against the input. */
  protected stateIn(name: string, h: Tensor | undefined, x: Tensor, unbatched: boolean): Tensor {
    const B = x.shape[0];
    if (!h) return zeros([B, this.hiddenSize], { dtype: x.dtype, device: x.device });
    const want = unbatched ? [this.hiddenSize] : [B, this.hiddenSize];
    if (h.shape.join() !== want.join() || h.ndim !== want.length) {
      throw new RangeError(
        `expected ${name} of shape ${fmtShape(want)} for input of shape ${
          fmtShape(unbatched ? [x.shape[1]] : x.shape)
        }, got ${name} of shape ${fmtShape(h.shape)}`,
      );
    }
    return unbatched ? h.unsqueeze(0) : h;
  }

  /** The input projection with both biases folded in: x W_ih^T + b_ih + b_hh. */
  protected projectBoth(x: Tensor): Tensor {
    const b = this.bias_ih && this.bias_hh ? add(this.bias_ih, this.bias_hh) : null;
    return linear(x, this.weight_ih, b);
  }

  /** Configuration, as PyTorch's `extra_repr`. */
  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.bias ? "" : ", bias=false"}`;
  }
}

/**
 * One Elman RNN step, like `torch.nn.RNNCell`: h' = act(W_ih x + b_ih + W_hh h + b_hh) with
 * act tanh (default) or relu. Input [batch, inputSize] or unbatched [inputSize]; `hx` of
 * [batch, hidden] (or [hidden]) defaults to zeros; returns h' of hx's shape.
 *
 * @example
 * ```ts
 * const cell = new RNNCell(10, 20);
 * let h = zeros([3, 20]);
 * for (const x of steps) h = cell.call(x, h); // x [3, 10]
 * ```
 */
export class RNNCell extends RNNCellBase<[Tensor, Tensor?], Tensor> {
  /** The non-linearity. */
  readonly nonlinearity: "tanh" | "relu";

  /** Creates the cell. */
  constructor(inputSize: number, hiddenSize: number, opts: RNNCellLayerOptions = {}) {
    const nl = opts.nonlinearity ?? "tanh";
    if (nl !== "tanh" && nl !== "relu") {
      throw new RangeError(`RNNCell: unknown nonlinearity '${nl}', select from 'tanh' or 'relu'`);
    }
    super(inputSize, hiddenSize, 1, opts);
    this.nonlinearity = nl;
  }

  /** One step from `hx` (zeros when omitted). */
  override forward(input: Tensor, hx?: Tensor): Tensor {
    const [x, unbatched] = this.batched(input);
    const h = this.stateIn("hx", hx, x, unbatched);
    const h2 = rnnStep(this.projectBoth(x), h, this.weight_hh, this.nonlinearity === "relu");
    return unbatched ? h2.squeeze(0) : h2;
  }

  /** Configuration, as PyTorch's `extra_repr`. */
  override extraRepr(): string {
    const nl = this.nonlinearity === "tanh" ? "" : `, nonlinearity=${this.nonlinearity}`;
    return super.extraRepr() + nl;
  }
}

/**
 * One LSTM step, like `torch.nn.LSTMCell` (gates i, f, g, o stacked in `weight_ih`
 * [4·hidden, inputSize]). Input [batch, inputSize] or unbatched [inputSize]; `hx` = [h, c],
 * each [batch, hidden] (or [hidden]), defaults to zeros; returns [h', c'].
 *
 * @example
 * ```ts
 * const cell = new LSTMCell(10, 20);
 * let state = cell.call(randn([3, 10])); // [h, c], each [3, 20]
 * state = cell.call(randn([3, 10]), state);
 * ```
 */
export class LSTMCell extends RNNCellBase<[Tensor, LSTMState?], LSTMState> {
  /** Creates the cell. */
  constructor(inputSize: number, hiddenSize: number, opts: RNNCellOptions = {}) {
    super(inputSize, hiddenSize, 4, opts);
  }

  /** One step from `hx` = [h, c] (zeros when omitted). */
  override forward(input: Tensor, hx?: LSTMState): LSTMState {
    const [x, unbatched] = this.batched(input);
    const h = this.stateIn("h", hx?.[0], x, unbatched);
    const c = this.stateIn("c", hx?.[1], x, unbatched);
    const [h2, c2] = lstmStep(this.projectBoth(x), h, c, this.weight_hh, this.hiddenSize);
    return unbatched ? [h2.squeeze(0), c2.squeeze(0)] : [h2, c2];
  }
}

/**
 * One GRU step, like `torch.nn.GRUCell` (gates r, z, n stacked in `weight_ih`
 * [3·hidden, inputSize]; n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),
 * h' = (1 - z) n + z h). Input [batch, inputSize] or unbatched [inputSize]; `hx` of
 * [batch, hidden] (or [hidden]) defaults to zeros; returns h'.
 *
 * @example
 * ```ts
 * const cell = new GRUCell(10, 20);
 * const h = cell.call(randn([3, 10])); // [3, 20]
 * ```
 */
export class GRUCell extends RNNCellBase<[Tensor, Tensor?], Tensor> {
  /** Creates the cell. */
  constructor(inputSize: number, hiddenSize: number, opts: RNNCellOptions = {}) {
    super(inputSize, hiddenSize, 3, opts);
  }

  /** One step from `hx` (zeros when omitted). */
  override forward(input: Tensor, hx?: Tensor): Tensor {
    const [x, unbatched] = this.batched(input);
    const h = this.stateIn("hx", hx, x, unbatched);
    const gi = linear(x, this.weight_ih, this.bias_ih);
    const h2 = gruStep(gi, h, this.weight_hh, this.bias_hh, this.hiddenSize);
    return unbatched ? h2.squeeze(0) : h2;
  }
}

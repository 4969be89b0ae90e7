/** Convolution layers: Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d. */
import type { Tensor } from "../tensor/tensor.ts";
import { fmtShape, numelOf } from "../tensor/shape.ts";
import {
  conv1d,
  conv2d,
  type Conv2dOptions,
  convParams,
  convTranspose1d,
  convTranspose2d,
  single,
  type Size1,
} from "../ops/conv.ts";
import { conv3d } from "../ops/conv3d.ts";
import { pad, type PadMode } from "../ops/pad.ts";
import { pair, type Size2, type Size3, triple } from "../ops/window.ts";
import { kaimingUniform_, uniform_ } from "./init.ts";
import { Module } from "./module.ts";
import { checkSpatialRank, dimsOf, fmtSize, type SizeFn, type Sizes } from "./spatial.ts";
import { emptyParameter, type FactoryOptions, type Parameter } from "./parameter.ts";

/** Checks groups against the channel counts, naming the layer like PyTorch's errors. */
function checkGroups(layer: string, inChannels: number, outChannels: number, groups: number): void {
  if (!Number.isInteger(groups) || groups < 1) {
    throw new RangeError(`${layer}: groups must be a positive integer (got ${groups})`);
  }
  if (inChannels % groups !== 0) {
    throw new RangeError(
      `${layer}: inChannels (${inChannels}) must be divisible by groups (${groups})`,
    );
  }
  if (outChannels % groups !== 0) {
    throw new RangeError(
      `${layer}: outChannels (${outChannels}) must be divisible by groups (${groups})`,
    );
  }
}

/**
 * [left, right, top, bottom] pads for the non-zero padding modes, which pad explicitly (PyTorch's
 * _reversed_padding_repeated_twice) and then convolve without implicit padding: the leading pads
 * of the convolution, and the trailing ones its output size reads ("same" puts an odd extra tap
 * on the right).
 */
function explicitPads(
  op: string,
  hw: readonly number[],
  kernel: [number, number],
  opts: Conv2dOptions,
): number[] {
  const p = convParams(op, hw, kernel, opts);
  const bottom = (p.oh - 1) * p.sh + p.dh * (p.kh - 1) + 1 - p.ih - p.ph;
  const right = (p.ow - 1) * p.sw + p.dw * (p.kw - 1) + 1 - p.iw - p.pw;
  return [p.pw, Math.max(right, 0), p.ph, Math.max(bottom, 0)];
}

/** How a convolution layer fills its padding. */
type PaddingMode = "zeros" | "reflect" | "replicate" | "circular";

/** The keyword arguments every convolution layer takes, for sizes given as `A`. */
interface ConvBaseOptions<A> extends FactoryOptions {
  stride?: A;
  padding?: A | "same" | "valid";
  dilation?: A;
  groups?: number;
  bias?: boolean;
}

/**
 * What the convolution layers share (PyTorch's `_ConvNd`): the channel and window configuration,
 * checked before any parameter is drawn, the weight and bias with PyTorch's initialisation, the
 * input check and the repr. `S` is how the layer stores a size and `P` its padding.
 */
abstract class ConvBase<A, S extends Sizes, P extends S | "same" | "valid", In extends unknown[]>
  extends Module<In, Tensor> {
  /** Input channels. */
  readonly inChannels: number;
  /** Output channels. */
  readonly outChannels: number;
  /** Kernel size, per spatial dim. */
  readonly kernelSize: S;
  /** Stride, per spatial dim. */
  readonly stride: S;
  /** Padding, per spatial dim (or "same" / "valid" where the layer allows them). */
  readonly padding: P;
  /** Dilation, per spatial dim. */
  readonly dilation: S;
  /** Channel groups. */
  readonly groups: number;
  /** The learnable weight [Cout, Cin/groups, ...kernel] ([Cin, Cout/groups, ...] transposed). */
  weight: Parameter;
  /** The learnable bias [Cout], or null. */
  bias: Parameter | null;

  constructor(
    layer: string,
    size: SizeFn<A, S>,
    inChannels: number,
    outChannels: number,
    kernelSize: A,
    opts: ConvBaseOptions<A>,
    transposed: boolean,
  ) {
    super();
    const groups = opts.groups ?? 1;
    checkGroups(layer, inChannels, outChannels, groups);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = size(layer, "kernel size", kernelSize, 1);
    this.stride = size(layer, "stride", opts.stride ?? 1, 1);
    const p = opts.padding ?? 0;
    // NOTE: transposed layers take no padding strings; `size` rejects them with its own message.
    if (typeof p === "string" && !transposed) {
      if (p !== "same" && p !== "valid") {
        throw new RangeError(`${layer}: padding must be a size, "same" or "valid" (got "${p}")`);
      }
      this.padding = p as P;
    } else this.padding = size(layer, "padding", p as A, 0) as P;
    this.dilation = size(layer, "dilation", opts.dilation ?? 1, 1);
    this.groups = groups;
    if (this.padding === "same" && dimsOf(this.stride).some((s) => s !== 1)) {
      throw new RangeError(`${layer}: padding="same" is not supported for strided convolutions`);
    }
    const k = dimsOf(this.kernelSize);
    const shape = transposed
      ? [inChannels, outChannels / groups, ...k]
      : [outChannels, inChannels / groups, ...k];
    this.weight = emptyParameter(shape, opts);
    this.bias = (opts.bias ?? true) ? emptyParameter([outChannels], opts) : null;
    this.resetParameters();
  }

  /**
   * Re-initialises weight and bias as PyTorch's `_ConvNd.reset_parameters`: Kaiming uniform
   * (a = √5) weight, bias U(±1/√fan_in) with fan_in = weight.shape[1]·kernel, which for
   * transposed layers is Cout/groups·kernel.
   */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const fanIn = numelOf(this.weight.shape.slice(1));
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }

  /** Checks an input's rank (spatial dims + 1 or + 2) and channel count. */
  protected checkInput(x: Tensor): void {
    const spatial = dimsOf(this.kernelSize).length;
    checkSpatialRank(x, spatial);
    const c = x.shape[x.ndim - spatial - 1];
    if (c !== this.inChannels) {
      throw new RangeError(`expected input with ${this.inChannels} channels, got ${c}`);
    }
  }

  /** PyTorch-style configuration. */
  override extraRepr(): string {
    const parts = [
      `${this.inChannels}, ${this.outChannels}`,
      `kernelSize=${fmtSize(this.kernelSize)}`,
      `stride=${fmtSize(this.stride)}`,
      ...this.paddingRepr(),
    ];
    if (dimsOf(this.dilation).some((v) => v !== 1)) {
      parts.push(`dilation=${fmtSize(this.dilation)}`);
    }
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (!this.bias) parts.push("bias=false");
    return parts.join(", ");
  }

  /** The repr of the padding options, shown when they are not the default. */
  protected paddingRepr(): string[] {
    const p: S | "same" | "valid" = this.padding;
    if (typeof p === "string") return [`padding="${p}"`];
    return dimsOf(p).some((v) => v !== 0) ? [`padding=${fmtSize(p)}`] : [];
  }
}

/** What a convolution layer passes to its functional form. */
interface ConvCall<S> {
  stride: S;
  dilation: S;
  groups: number;
  padding: S | "same" | "valid" | 0;
}

/** `conv1d`, `conv2d` or `conv3d`. */
type ConvFn<S> = (x: Tensor, weight: Tensor, bias: Tensor | null, opts: ConvCall<S>) => Tensor;

/**
 * Conv1d, Conv2d and Conv3d: the shared part, with PyTorch's padding modes. Zero padding is the
 * functional form's own; the other modes pad explicitly (`modePads`) and convolve unpadded.
 */
abstract class ConvNd<A, S extends Sizes> extends ConvBase<A, S, S | "same" | "valid", [Tensor]> {
  /** How padding is filled. */
  readonly paddingMode: PaddingMode;
  readonly #conv: ConvFn<S>;

  constructor(
    layer: string,
    size: SizeFn<A, S>,
    conv: ConvFn<S>,
    inChannels: number,
    outChannels: number,
    kernelSize: A,
    opts: ConvBaseOptions<A> & { paddingMode?: PaddingMode },
  ) {
    super(layer, size, inChannels, outChannels, kernelSize, opts, false);
    this.paddingMode = opts.paddingMode ?? "zeros";
    this.#conv = conv;
  }

  /** Convolves `x`. */
  override forward(x: Tensor): Tensor {
    this.checkInput(x);
    const opts = { stride: this.stride, dilation: this.dilation, groups: this.groups };
    if (this.paddingMode === "zeros") {
      return this.#conv(x, this.weight, this.bias, { ...opts, padding: this.padding });
    }
    const padded = pad(x, this.modePads(x), this.paddingMode as PadMode);
    const y = this.#conv(padded, this.weight, this.bias, { ...opts, padding: 0 });
    padded.dispose();
    return y;
  }

  /** The pads, last dim first as `pad` takes them, that a non-zero padding mode adds to `x`. */
  protected abstract modePads(x: Tensor): number[];

  /** PyTorch-style configuration. */
  override extraRepr(): string {
    const repr = super.extraRepr();
    return this.paddingMode === "zeros" ? repr : `${repr}, paddingMode="${this.paddingMode}"`;
  }
}

/** ConvTranspose1d and ConvTranspose2d: the shared part, with the output padding. */
abstract class ConvTransposeNd<A, S extends Sizes>
  extends ConvBase<A, S, S, [Tensor, (readonly number[])?]> {
  /** Output padding, per spatial dim. */
  readonly outputPadding: S;

  constructor(
    layer: string,
    size: SizeFn<A, S>,
    inChannels: number,
    outChannels: number,
    kernelSize: A,
    opts: Omit<ConvBaseOptions<A>, "padding"> & { padding?: A; outputPadding?: A },
  ) {
    // Checked before the base draws the parameters, so a bad option leaves the RNG untouched.
    const outputPadding = size(layer, "outputPadding", opts.outputPadding ?? 0, 0);
    super(layer, size, inChannels, outChannels, kernelSize, opts, true);
    this.outputPadding = outputPadding;
  }

  /**
   * PyTorch's `_ConvTransposeNd._output_padding`: the output padding that gives `outputSize`
   * (its last entries, one per spatial dim), checked against the sizes the geometry can reach.
   */
  protected outputPaddingFor(x: Tensor, outputSize: readonly number[]): number[] {
    const kernel = dimsOf(this.kernelSize), stride = dimsOf(this.stride);
    const padding = dimsOf(this.padding), dilation = dimsOf(this.dilation);
    const n = kernel.length;
    if (outputSize.length !== n && outputSize.length !== n + 2) {
      throw new RangeError(
        `outputSize must have ${n} or ${n + 2} elements (got ${JSON.stringify(outputSize)})`,
      );
    }
    const want = outputSize.slice(-n), inp = x.shape.slice(-n);
    return want.map((size, d) => {
      const min = (inp[d] - 1) * stride[d] - 2 * padding[d] + dilation[d] * (kernel[d] - 1) + 1;
      const max = min + stride[d] - 1;
      if (!(size >= min && size <= max)) {
        throw new RangeError(
          `requested an output size of ${fmtShape(want)}, but valid sizes range from ${min} to ` +
            `${max} in dim ${d} (for an input of ${fmtShape(x.shape.slice(-n))})`,
        );
      }
      return size - min;
    });
  }

  /** The repr of the padding options, shown when they are not the default. */
  protected override paddingRepr(): string[] {
    const parts = super.paddingRepr();
    if (dimsOf(this.outputPadding).some((v) => v !== 0)) {
      parts.push(`outputPadding=${fmtSize(this.outputPadding)}`);
    }
    return parts;
  }
}

/** Options of `Conv2d` (PyTorch's keyword arguments). */
export interface Conv2dLayerOptions extends FactoryOptions {
  /** Step of the kernel (default 1). */
  stride?: Size2;
  /** Padding on both sides, or "same" / "valid" (default 0). */
  padding?: Size2 | "same" | "valid";
  /** Spacing between kernel taps (default 1). */
  dilation?: Size2;
  /** Blocked connections from input to output channels (default 1). */
  groups?: number;
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** How the padding is filled (default "zeros"). */
  paddingMode?: "zeros" | "reflect" | "replicate" | "circular";
}

/**
 * 2-D convolution over [N, Cin, H, W] (or unbatched [Cin, H, W]), like `torch.nn.Conv2d`;
 * computed as im2col + matrix product.
 *
 * Output [N, Cout, Hout, Wout] with Hout = ⌊(H + 2·padding − dilation·(k − 1) − 1) / stride⌋ + 1.
 * `weight` is [Cout, Cin/groups, kh, kw] (Kaiming uniform, a = √5), `bias` [Cout]
 * (U(±1/√fan_in)).
 *
 * @example
 * ```ts
 * const conv = new Conv2d(3, 16, 3, { padding: 1 });
 * const y = conv.call(randn([8, 3, 32, 32])); // [8, 16, 32, 32]
 * ```
 */
export class Conv2d extends ConvNd<Size2, [number, number]> {
  /** Creates the layer and initialises it with PyTorch's defaults. */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size2,
    opts: Conv2dLayerOptions = {},
  ) {
    super("Conv2d", pair, conv2d, inChannels, outChannels, kernelSize, opts);
  }

  /** The pads of `paddingMode`: [left, right, top, bottom]. */
  protected modePads(x: Tensor): number[] {
    return explicitPads("Conv2d", x.shape.slice(-2), this.kernelSize, {
      stride: this.stride,
      dilation: this.dilation,
      padding: this.padding,
    });
  }
}

/** Options of `ConvTranspose2d` (PyTorch's keyword arguments). */
export interface ConvTranspose2dLayerOptions extends FactoryOptions {
  /** Step of the kernel over the output (default 1). */
  stride?: Size2;
  /** `dilation·(k − 1) − padding` zero rows/columns are added on both sides (default 0). */
  padding?: Size2;
  /** Extra size added to one side of the output; below stride or dilation (default 0). */
  outputPadding?: Size2;
  /** Blocked connections from input to output channels (default 1). */
  groups?: number;
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Spacing between kernel taps (default 1). */
  dilation?: Size2;
}

/**
 * 2-D transposed convolution over [N, Cin, H, W] (or unbatched [Cin, H, W]), like
 * `torch.nn.ConvTranspose2d` (the gradient of `Conv2d` with respect to its input).
 *
 * Output [N, Cout, Hout, Wout] with
 * Hout = (H − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1.
 * `weight` is [Cin, Cout/groups, kh, kw] (Kaiming uniform, a = √5), `bias` [Cout]
 * (U(±1/√fan_in), fan_in = Cout/groups·kh·kw). `call(x, outputSize)` picks the output
 * padding that gives `outputSize` instead of `outputPadding`.
 *
 * @example
 * ```ts
 * const up = new ConvTranspose2d(16, 8, 3, { stride: 2, padding: 1, outputPadding: 1 });
 * const y = up.call(randn([4, 16, 8, 8])); // [4, 8, 16, 16]
 * ```
 */
export class ConvTranspose2d extends ConvTransposeNd<Size2, [number, number]> {
  /** Creates the layer and initialises it with PyTorch's defaults. */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size2,
    opts: ConvTranspose2dLayerOptions = {},
  ) {
    super("ConvTranspose2d", pair, inChannels, outChannels, kernelSize, opts);
  }

  /** Applies the transposed convolution; `outputSize` ([h, w] or a full shape) overrides `outputPadding`. */
  override forward(x: Tensor, outputSize?: readonly number[]): Tensor {
    this.checkInput(x);
    const op = outputSize ? this.outputPaddingFor(x, outputSize) : this.outputPadding;
    return convTranspose2d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      outputPadding: [op[0], op[1]],
      groups: this.groups,
      dilation: this.dilation,
    });
  }
}

/** Options of `Conv1d` (PyTorch's keyword arguments). */
export interface Conv1dLayerOptions extends FactoryOptions {
  /** Step of the kernel (default 1). */
  stride?: Size1;
  /** Padding on both sides, or "same" / "valid" (default 0). */
  padding?: Size1 | "same" | "valid";
  /** Spacing between kernel taps (default 1). */
  dilation?: Size1;
  /** Blocked connections from input to output channels (default 1). */
  groups?: number;
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** How the padding is filled (default "zeros"). */
  paddingMode?: "zeros" | "reflect" | "replicate" | "circular";
}

/**
 * 1-D convolution over [N, Cin, L] (or unbatched [Cin, L]), like `torch.nn.Conv1d`; computed
 * as a 2-D convolution over a unit height.
 *
 * Output [N, Cout, Lout] with Lout = ⌊(L + 2·padding − dilation·(k − 1) − 1) / stride⌋ + 1.
 * `weight` is [Cout, Cin/groups, k] (Kaiming uniform, a = √5), `bias` [Cout] (U(±1/√fan_in)).
 *
 * @example
 * ```ts
 * const conv = new Conv1d(4, 8, 5, { padding: "same" });
 * const y = conv.call(randn([2, 4, 100])); // [2, 8, 100]
 * ```
 */
export class Conv1d extends ConvNd<Size1, number> {
  /** Creates the layer and initialises it with PyTorch's defaults. */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size1,
    opts: Conv1dLayerOptions = {},
  ) {
    super("Conv1d", single, conv1d, inChannels, outChannels, kernelSize, opts);
  }

  /** The pads of `paddingMode`: the width pads of the same convolution over a unit height. */
  protected modePads(x: Tensor): number[] {
    const [left, right] = explicitPads("Conv1d", [1, x.shape[x.ndim - 1]], [1, this.kernelSize], {
      stride: [1, this.stride],
      dilation: [1, this.dilation],
      padding: typeof this.padding === "string" ? this.padding : [0, this.padding],
    });
    return [left, right];
  }
}

/** Options of `ConvTranspose1d` (PyTorch's keyword arguments). */
export interface ConvTranspose1dLayerOptions extends FactoryOptions {
  /** Step of the kernel over the output (default 1). */
  stride?: Size1;
  /** `dilation·(k − 1) − padding` zeros are added on both sides (default 0). */
  padding?: Size1;
  /** Extra size added to one side of the output; below stride or dilation (default 0). */
  outputPadding?: Size1;
  /** Blocked connections from input to output channels (default 1). */
  groups?: number;
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Spacing between kernel taps (default 1). */
  dilation?: Size1;
}

/**
 * 1-D transposed convolution over [N, Cin, L] (or [Cin, L]), like `torch.nn.ConvTranspose1d`.
 * Output length (L − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1; `weight`
 * [Cin, Cout/groups, k], `bias` [Cout], initialised as PyTorch does.
 *
 * @example
 * ```ts
 * const up = new ConvTranspose1d(8, 4, 4, { stride: 2, padding: 1 });
 * const y = up.call(randn([2, 8, 50])); // [2, 4, 100]
 * ```
 */
export class ConvTranspose1d extends ConvTransposeNd<Size1, number> {
  /** Creates the layer and initialises it with PyTorch's defaults. */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size1,
    opts: ConvTranspose1dLayerOptions = {},
  ) {
    super("ConvTranspose1d", single, inChannels, outChannels, kernelSize, opts);
  }

  /** Applies the transposed convolution; `outputSize` ([l] or a full shape) overrides `outputPadding`. */
  override forward(x: Tensor, outputSize?: readonly number[]): Tensor {
    this.checkInput(x);
    return convTranspose1d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      outputPadding: outputSize ? this.outputPaddingFor(x, outputSize)[0] : this.outputPadding,
      groups: this.groups,
      dilation: this.dilation,
    });
  }
}

/** Options of `Conv3d` (PyTorch's keyword arguments). */
export interface Conv3dLayerOptions extends FactoryOptions {
  /** Step of the kernel (default 1). */
  stride?: Size3;
  /** Padding on all sides, or "same" / "valid" (default 0). */
  padding?: Size3 | "same" | "valid";
  /** Spacing between kernel taps (default 1). */
  dilation?: Size3;
  /** Blocked connections from input to output channels (default 1). */
  groups?: number;
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** How the padding is filled (default "zeros"). */
  paddingMode?: "zeros" | "reflect" | "replicate" | "circular";
}

/**
 * 3-D convolution over [N, Cin, D, H, W] (or unbatched [Cin, D, H, W]), like
 * `torch.nn.Conv3d`; computed as one 2-D convolution over depth-unfolded planes (see
 * `functional.conv3d`).
 *
 * Output [N, Cout, Dout, Hout, Wout] with
 * Dout = ⌊(D + 2·padding − dilation·(k − 1) − 1) / stride⌋ + 1 (and alike for H and W).
 * `weight` is [Cout, Cin/groups, kd, kh, kw] (Kaiming uniform, a = √5), `bias` [Cout]
 * (U(±1/√fan_in)).
 *
 * @example
 * ```ts
 * const conv = new Conv3d(3, 8, 3, { padding: 1 });
 * const y = conv.call(randn([2, 3, 8, 16, 16])); // [2, 8, 8, 16, 16]
 * ```
 */
export class Conv3d extends ConvNd<Size3, [number, number, number]> {
  /** Creates the layer and initialises it with PyTorch's defaults. */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size3,
    opts: Conv3dLayerOptions = {},
  ) {
    super("Conv3d", triple, conv3d, inChannels, outChannels, kernelSize, opts);
  }

  /**
   * The pads of `paddingMode`: depth pads are the row pads of the same convolution over a
   * [D, 1] plane, height and width pads those of the 2-D convolution over [H, W].
   */
  protected modePads(x: Tensor): number[] {
    const [k, s, d] = [this.kernelSize, this.stride, this.dilation];
    const p = this.padding;
    const [D, H, W] = x.shape.slice(-3);
    const [, , front, back] = explicitPads("Conv3d", [D, 1], [k[0], 1], {
      stride: [s[0], 1],
      dilation: [d[0], 1],
      padding: typeof p === "string" ? p : [p[0], 0],
    });
    const hw = explicitPads("Conv3d", [H, W], [k[1], k[2]], {
      stride: [s[1], s[2]],
      dilation: [d[1], d[2]],
      padding: typeof p === "string" ? p : [p[1], p[2]],
    });
    return [...hw, front, back];
  }
}

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
import { emptyParameter, type FactoryOptions, type Parameter } from "./parameter.ts";

/**
 * PyTorch's `_ConvNd.reset_parameters`: Kaiming uniform (a = √5) weight, bias U(±1/√fan_in)
 * with fan_in = weight.shape[1]·kernel, which for transposed layers is Cout/groups·kernel.
 */
function initConv(weight: Parameter, bias: Parameter | null): void {
  kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (bias) {
    const fanIn = numelOf(weight.shape.slice(1));
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -bound, bound);
  }
}

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

/** Checks a layer input's rank (spatial dims + 1 or + 2) and channel count. */
function checkInput(x: Tensor, spatial: number, channels: number): void {
  if (x.ndim !== spatial + 1 && x.ndim !== spatial + 2) {
    throw new RangeError(
      `expected ${spatial + 1}-D (unbatched) or ${spatial + 2}-D (batched) input, got input ` +
        `of shape ${fmtShape(x.shape)}`,
    );
  }
  const c = x.shape[x.ndim - spatial - 1];
  if (c !== channels) {
    throw new RangeError(`expected input with ${channels} channels, got ${c}`);
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
export class Conv2d extends Module {
  /** Input channels. */
  readonly inChannels: number;
  /** Output channels. */
  readonly outChannels: number;
  /** Kernel [kh, kw]. */
  readonly kernelSize: [number, number];
  /** Stride [sh, sw]. */
  readonly stride: [number, number];
  /** Padding [ph, pw] or "same" / "valid". */
  readonly padding: [number, number] | "same" | "valid";
  /** Dilation [dh, dw]. */
  readonly dilation: [number, number];
  /** Channel groups. */
  readonly groups: number;
  /** How padding is filled. */
  readonly paddingMode: "zeros" | "reflect" | "replicate" | "circular";
  /** The learnable weight [Cout, Cin/groups, kh, kw]. */
  weight: Parameter;
  /** The learnable bias [Cout], or null. */
  bias: Parameter | null;

  /** Creates the layer and initialises it with PyTorch's defaults. */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size2,
    opts: Conv2dLayerOptions = {},
  ) {
    super();
    const groups = opts.groups ?? 1;
    checkGroups("Conv2d", inChannels, outChannels, groups);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = pair("Conv2d", "kernel size", kernelSize, 1);
    this.stride = pair("Conv2d", "stride", opts.stride ?? 1, 1);
    const p = opts.padding ?? 0;
    this.padding = typeof p === "string" ? p : pair("Conv2d", "padding", p, 0);
    this.dilation = pair("Conv2d", "dilation", opts.dilation ?? 1, 1);
    this.groups = groups;
    this.paddingMode = opts.paddingMode ?? "zeros";
    if (this.padding === "same" && (this.stride[0] !== 1 || this.stride[1] !== 1)) {
      throw new RangeError(`Conv2d: padding="same" is not supported for strided convolutions`);
    }
    const [kh, kw] = this.kernelSize;
    this.weight = emptyParameter([outChannels, inChannels / groups, kh, kw], opts);
    this.bias = (opts.bias ?? true) ? emptyParameter([outChannels], opts) : null;
    this.resetParameters();
  }

  /** Re-initialises weight and bias as PyTorch does. */
  resetParameters(): void {
    initConv(this.weight, this.bias);
  }

  /** Convolves `x`. */
  override forward(x: Tensor): Tensor {
    checkInput(x, 2, this.inChannels);
    const opts = {
      stride: this.stride,
      dilation: this.dilation,
      groups: this.groups,
      padding: this.padding,
    };
    if (this.paddingMode === "zeros") return conv2d(x, this.weight, this.bias, opts);
    const pads = explicitPads("Conv2d", x.shape.slice(-2), this.kernelSize, opts);
    const padded = pad(x, pads, this.paddingMode as PadMode);
    const y = conv2d(padded, this.weight, this.bias, { ...opts, padding: 0 });
    padded.dispose();
    return y;
  }

  /** PyTorch-style configuration. */
  override extraRepr(): string {
    const parts = [
      `${this.inChannels}, ${this.outChannels}`,
      `kernelSize=${fmtShape(this.kernelSize)}`,
      `stride=${fmtShape(this.stride)}`,
    ];
    if (typeof this.padding === "string") parts.push(`padding="${this.padding}"`);
    else if (this.padding.some((v) => v !== 0)) parts.push(`padding=${fmtShape(this.padding)}`);
    if (this.dilation.some((v) => v !== 1)) parts.push(`dilation=${fmtShape(this.dilation)}`);
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (!this.bias) parts.push("bias=false");
    if (this.paddingMode !== "zeros") parts.push(`paddingMode="${this.paddingMode}"`);
    return parts.join(", ");
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
 * PyTorch's `_ConvTransposeNd._output_padding`: the output padding that gives `outputSize`
 * (its last `spatial` entries), checked against the sizes the geometry can reach.
 */
function outputPaddingFor(
  x: Tensor,
  outputSize: readonly number[],
  kernel: readonly number[],
  stride: readonly number[],
  padding: readonly number[],
  dilation: readonly number[],
): number[] {
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
export class ConvTranspose2d extends Module<[Tensor, (readonly number[])?], Tensor> {
  /** Input channels. */
  readonly inChannels: number;
  /** Output channels. */
  readonly outChannels: number;
  /** Kernel [kh, kw]. */
  readonly kernelSize: [number, number];
  /** Stride [sh, sw]. */
  readonly stride: [number, number];
  /** Padding [ph, pw]. */
  readonly padding: [number, number];
  /** Output padding [oph, opw]. */
  readonly outputPadding: [number, number];
  /** Dilation [dh, dw]. */
  readonly dilation: [number, number];
  /** Channel groups. */
  readonly groups: number;
  /** The learnable weight [Cin, Cout/groups, kh, kw]. */
  weight: Parameter;
  /** The learnable bias [Cout], or null. */
  bias: Parameter | null;

  /** Creates the layer and initialises it with PyTorch's defaults. */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size2,
    opts: ConvTranspose2dLayerOptions = {},
  ) {
    super();
    const L = "ConvTranspose2d";
    const groups = opts.groups ?? 1;
    checkGroups(L, inChannels, outChannels, groups);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = pair(L, "kernel size", kernelSize, 1);
    this.stride = pair(L, "stride", opts.stride ?? 1, 1);
    this.padding = pair(L, "padding", opts.padding ?? 0, 0);
    this.outputPadding = pair(L, "outputPadding", opts.outputPadding ?? 0, 0);
    this.dilation = pair(L, "dilation", opts.dilation ?? 1, 1);
    this.groups = groups;
    const [kh, kw] = this.kernelSize;
    this.weight = emptyParameter([inChannels, outChannels / groups, kh, kw], opts);
    this.bias = (opts.bias ?? true) ? emptyParameter([outChannels], opts) : null;
    this.resetParameters();
  }

  /** Re-initialises weight and bias as PyTorch does. */
  resetParameters(): void {
    initConv(this.weight, this.bias);
  }

  /** Applies the transposed convolution; `outputSize` ([h, w] or a full shape) overrides `outputPadding`. */
  override forward(x: Tensor, outputSize?: readonly number[]): Tensor {
    checkInput(x, 2, this.inChannels);
    const op = outputSize
      ? outputPaddingFor(x, outputSize, this.kernelSize, this.stride, this.padding, this.dilation)
      : this.outputPadding;
    return convTranspose2d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      outputPadding: [op[0], op[1]],
      groups: this.groups,
      dilation: this.dilation,
    });
  }

  /** PyTorch-style configuration. */
  override extraRepr(): string {
    const parts = [
      `${this.inChannels}, ${this.outChannels}`,
      `kernelSize=${fmtShape(this.kernelSize)}`,
      `stride=${fmtShape(this.stride)}`,
    ];
    if (this.padding.some((v) => v !== 0)) parts.push(`padding=${fmtShape(this.padding)}`);
    if (this.outputPadding.some((v) => v !== 0)) {
      parts.push(`outputPadding=${fmtShape(this.outputPadding)}`);
    }
    if (this.dilation.some((v) => v !== 1)) parts.push(`dilation=${fmtShape(this.dilation)}`);
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (!this.bias) parts.push("bias=false");
    return parts.join(", ");
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
export class Conv1d extends Module {
  /** Input channels. */
  readonly inChannels: number;
  /** Output channels. */
  readonly outChannels: number;
  /** Kernel size. */
  readonly kernelSize: number;
  /** Stride. */
  readonly stride: number;
  /** Padding, or "same" / "valid". */
  readonly padding: number | "same" | "valid";
  /** Dilation. */
  readonly dilation: number;
  /** Channel groups. */
  readonly groups: number;
  /** How padding is filled. */
  readonly paddingMode: "zeros" | "reflect" | "replicate" | "circular";
  /** The learnable weight [Cout, Cin/groups, k]. */
  weight: Parameter;
  /** The learnable bias [Cout], or null. */
  bias: Parameter | null;

  /** Creates the layer and initialises it with PyTorch's defaults. */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size1,
    opts: Conv1dLayerOptions = {},
  ) {
    super();
    const L = "Conv1d";
    const groups = opts.groups ?? 1;
    checkGroups(L, inChannels, outChannels, groups);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = single(L, "kernel size", kernelSize, 1);
    this.stride = single(L, "stride", opts.stride ?? 1, 1);
    const p = opts.padding ?? 0;
    if (typeof p === "string" && p !== "same" && p !== "valid") {
      throw new RangeError(`${L}: padding must be a size, "same" or "valid" (got "${p}")`);
    }
    this.padding = typeof p === "string" ? p : single(L, "padding", p, 0);
    this.dilation = single(L, "dilation", opts.dilation ?? 1, 1);
    this.groups = groups;
    this.paddingMode = opts.paddingMode ?? "zeros";
    if (this.padding === "same" && this.stride !== 1) {
      throw new RangeError(`${L}: padding="same" is not supported for strided convolutions`);
    }
    this.weight = emptyParameter([outChannels, inChannels / groups, this.kernelSize], opts);
    this.bias = (opts.bias ?? true) ? emptyParameter([outChannels], opts) : null;
    this.resetParameters();
  }

  /** Re-initialises weight and bias as PyTorch does. */
  resetParameters(): void {
    initConv(this.weight, this.bias);
  }

  /** Convolves `x`. */
  override forward(x: Tensor): Tensor {
    checkInput(x, 1, this.inChannels);
    const opts = { stride: this.stride, dilation: this.dilation, groups: this.groups };
    if (this.paddingMode === "zeros") {
      return conv1d(x, this.weight, this.bias, { ...opts, padding: this.padding });
    }
    // The 1-D pads are the width pads of the same convolution over a unit height.
    const [left, right] = explicitPads("Conv1d", [1, x.shape[x.ndim - 1]], [1, this.kernelSize], {
      ...opts,
      padding: typeof this.padding === "string" ? this.padding : [0, this.padding],
    });
    const padded = pad(x, [left, right], this.paddingMode as PadMode);
    const y = conv1d(padded, this.weight, this.bias, { ...opts, padding: 0 });
    padded.dispose();
    return y;
  }

  /** PyTorch-style configuration. */
  override extraRepr(): string {
    const parts = [
      `${this.inChannels}, ${this.outChannels}`,
      `kernelSize=${this.kernelSize}`,
      `stride=${this.stride}`,
    ];
    if (typeof this.padding === "string") parts.push(`padding="${this.padding}"`);
    else if (this.padding !== 0) parts.push(`padding=${this.padding}`);
    if (this.dilation !== 1) parts.push(`dilation=${this.dilation}`);
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (!this.bias) parts.push("bias=false");
    if (this.paddingMode !== "zeros") parts.push(`paddingMode="${this.paddingMode}"`);
    return parts.join(", ");
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
export class ConvTranspose1d extends Module<[Tensor, (readonly number[])?], Tensor> {
  /** Input channels. */
  readonly inChannels: number;
  /** Output channels. */
  readonly outChannels: number;
  /** Kernel size. */
  readonly kernelSize: number;
  /** Stride. */
  readonly stride: number;
  /** Padding. */
  readonly padding: number;
  /** Output padding. */
  readonly outputPadding: number;
  /** Dilation. */
  readonly dilation: number;
  /** Channel groups. */
  readonly groups: number;
  /** The learnable weight [Cin, Cout/groups, k]. */
  weight: Parameter;
  /** The learnable bias [Cout], or null. */
  bias: Parameter | null;

  /** Creates the layer and initialises it with PyTorch's defaults. */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size1,
    opts: ConvTranspose1dLayerOptions = {},
  ) {
    super();
    const L = "ConvTranspose1d";
    const groups = opts.groups ?? 1;
    checkGroups(L, inChannels, outChannels, groups);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = single(L, "kernel size", kernelSize, 1);
    this.stride = single(L, "stride", opts.stride ?? 1, 1);
    this.padding = single(L, "padding", opts.padding ?? 0, 0);
    this.outputPadding = single(L, "outputPadding", opts.outputPadding ?? 0, 0);
    this.dilation = single(L, "dilation", opts.dilation ?? 1, 1);
    this.groups = groups;
    this.weight = emptyParameter([inChannels, outChannels / groups, this.kernelSize], opts);
    this.bias = (opts.bias ?? true) ? emptyParameter([outChannels], opts) : null;
    this.resetParameters();
  }

  /** Re-initialises weight and bias as PyTorch does. */
  resetParameters(): void {
    initConv(this.weight, this.bias);
  }

  /** Applies the transposed convolution; `outputSize` ([l] or a full shape) overrides `outputPadding`. */
  override forward(x: Tensor, outputSize?: readonly number[]): Tensor {
    checkInput(x, 1, this.inChannels);
    const op = outputSize
      ? outputPaddingFor(
        x,
        outputSize,
        [this.kernelSize],
        [this.stride],
        [this.padding],
        [this.dilation],
      )[0]
      : this.outputPadding;
    return convTranspose1d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      outputPadding: op,
      groups: this.groups,
      dilation: this.dilation,
    });
  }

  /** PyTorch-style configuration. */
  override extraRepr(): string {
    const parts = [
      `${this.inChannels}, ${this.outChannels}`,
      `kernelSize=${this.kernelSize}`,
      `stride=${this.stride}`,
    ];
    if (this.padding !== 0) parts.push(`padding=${this.padding}`);
    if (this.outputPadding !== 0) parts.push(`outputPadding=${this.outputPadding}`);
    if (this.dilation !== 1) parts.push(`dilation=${this.dilation}`);
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (!this.bias) parts.push("bias=false");
    return parts.join(", ");
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
export class Conv3d extends Module {
  /** Input channels. */
  readonly inChannels: number;
  /** Output channels. */
  readonly outChannels: number;
  /** Kernel [kd, kh, kw]. */
  readonly kernelSize: [number, number, number];
  /** Stride [sd, sh, sw]. */
  readonly stride: [number, number, number];
  /** Padding [pd, ph, pw] or "same" / "valid". */
  readonly padding: [number, number, number] | "same" | "valid";
  /** Dilation [dd, dh, dw]. */
  readonly dilation: [number, number, number];
  /** Channel groups. */
  readonly groups: number;
  /** How padding is filled. */
  readonly paddingMode: "zeros" | "reflect" | "replicate" | "circular";
  /** The learnable weight [Cout, Cin/groups, kd, kh, kw]. */
  weight: Parameter;
  /** The learnable bias [Cout], or null. */
  bias: Parameter | null;

  /** Creates the layer and initialises it with PyTorch's defaults. */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size3,
    opts: Conv3dLayerOptions = {},
  ) {
    super();
    const L = "Conv3d";
    const groups = opts.groups ?? 1;
    checkGroups(L, inChannels, outChannels, groups);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = triple(L, "kernel size", kernelSize, 1);
    this.stride = triple(L, "stride", opts.stride ?? 1, 1);
    const p = opts.padding ?? 0;
    if (typeof p === "string" && p !== "same" && p !== "valid") {
      throw new RangeError(`${L}: padding must be a size, "same" or "valid" (got "${p}")`);
    }
    this.padding = typeof p === "string" ? p : triple(L, "padding", p, 0);
    this.dilation = triple(L, "dilation", opts.dilation ?? 1, 1);
    this.groups = groups;
    this.paddingMode = opts.paddingMode ?? "zeros";
    if (this.padding === "same" && this.stride.some((s) => s !== 1)) {
      throw new RangeError(`${L}: padding="same" is not supported for strided convolutions`);
    }
    this.weight = emptyParameter([outChannels, inChannels / groups, ...this.kernelSize], opts);
    this.bias = (opts.bias ?? true) ? emptyParameter([outChannels], opts) : null;
    this.resetParameters();
  }

  /** Re-initialises weight and bias as PyTorch does. */
  resetParameters(): void {
    initConv(this.weight, this.bias);
  }

  /** Convolves `x`. */
  override forward(x: Tensor): Tensor {
    checkInput(x, 3, this.inChannels);
    const opts = { stride: this.stride, dilation: this.dilation, groups: this.groups };
    if (this.paddingMode === "zeros") {
      return conv3d(x, this.weight, this.bias, { ...opts, padding: this.padding });
    }
    // Depth pads are the row pads of the same convolution over a [D, 1] plane, height and
    // width pads those of the 2-D convolution over [H, W].
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
    const padded = pad(x, [...hw, front, back], this.paddingMode as PadMode);
    const y = conv3d(padded, this.weight, this.bias, { ...opts, padding: 0 });
    padded.dispose();
    return y;
  }

  /** PyTorch-style configuration. */
  override extraRepr(): string {
    const parts = [
      `${this.inChannels}, ${this.outChannels}`,
      `kernelSize=${fmtShape(this.kernelSize)}`,
      `stride=${fmtShape(this.stride)}`,
    ];
    if (typeof this.padding === "string") parts.push(`padding="${this.padding}"`);
    else if (this.padding.some((v) => v !== 0)) parts.push(`padding=${fmtShape(this.padding)}`);
    if (this.dilation.some((v) => v !== 1)) parts.push(`dilation=${fmtShape(this.dilation)}`);
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (!this.bias) parts.push("bias=false");
    if (this.paddingMode !== "zeros") parts.push(`paddingMode="${this.paddingMode}"`);
    return parts.join(", ");
  }
}

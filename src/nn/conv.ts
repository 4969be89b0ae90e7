/** 2-D convolution layer. */
import type { Tensor } from "../tensor/tensor.ts";
import { fmtShape, numelOf } from "../tensor/shape.ts";
import { conv2d, convParams } from "../ops/conv.ts";
import { pad, type PadMode } from "../ops/pad.ts";
import { pair, type Size2 } from "../ops/window.ts";
import { kaimingUniform_, uniform_ } from "./init.ts";
import { Module } from "./module.ts";
import { emptyParameter, type FactoryOptions, type Parameter } from "./parameter.ts";

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
    if (!Number.isInteger(groups) || groups < 1) {
      throw new RangeError(`Conv2d: groups must be a positive integer (got ${groups})`);
    }
    if (inChannels % groups !== 0) {
      throw new RangeError(
        `Conv2d: inChannels (${inChannels}) must be divisible by groups (${groups})`,
      );
    }
    if (outChannels % groups !== 0) {
      throw new RangeError(
        `Conv2d: outChannels (${outChannels}) must be divisible by groups (${groups})`,
      );
    }
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
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const fanIn = numelOf(this.weight.shape.slice(1));
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }

  /** Convolves `x`. */
  override forward(x: Tensor): Tensor {
    if (x.ndim !== 3 && x.ndim !== 4) {
      throw new RangeError(
        `expected 3-D (unbatched) or 4-D (batched) input, got input of shape ${fmtShape(x.shape)}`,
      );
    }
    const c = x.shape[x.ndim - 3];
    if (c !== this.inChannels) {
      throw new RangeError(`expected input with ${this.inChannels} channels, got ${c}`);
    }
    const opts = {
      stride: this.stride,
      dilation: this.dilation,
      groups: this.groups,
      padding: this.padding,
    };
    if (this.paddingMode === "zeros") return conv2d(x, this.weight, this.bias, opts);
    // Other modes pad explicitly (PyTorch's _reversed_padding_repeated_twice) and convolve
    // without implicit padding.
    const p = convParams("Conv2d", x.shape.slice(-2), this.kernelSize, opts);
    const bottom = (p.oh - 1) * p.sh + p.dh * (p.kh - 1) + 1 - p.ih - p.ph;
    const right = (p.ow - 1) * p.sw + p.dw * (p.kw - 1) + 1 - p.iw - p.pw;
    const padded = pad(
      x,
      [p.pw, Math.max(right, 0), p.ph, Math.max(bottom, 0)],
      this.paddingMode as PadMode,
    );
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

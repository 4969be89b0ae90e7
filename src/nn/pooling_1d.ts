/** 1-D pooling layers: MaxPool1d, AvgPool1d, AdaptiveAvgPool1d, AdaptiveMaxPool1d. */
import type { Tensor } from "../tensor/tensor.ts";
import { single, type Size1 } from "../ops/conv.ts";
import type { ReturnIndicesOption } from "../ops/pool.ts";
import {
  adaptiveAvgPool1d,
  adaptiveMaxPool1d,
  avgPool1d,
  type AvgPool1dOptions,
  maxPool1d,
  type MaxPool1dOptions,
} from "../ops/pool1d.ts";
import { Module } from "./module.ts";
import { checkPoolRank, type MaxPoolOutput } from "./pooling.ts";

/**
 * 1-D max pooling, like `torch.nn.MaxPool1d`: the maximum of each window of an [N, C, L] (or
 * [C, L]) input. `stride` defaults to the kernel size; padding reads -∞. With
 * `returnIndices: true` it returns `[values, indices]`, the int32 positions along L.
 *
 * @example
 * ```ts
 * const pool = new MaxPool1d(3, { stride: 2 });
 * const y = pool.call(randn([4, 8, 50])); // [4, 8, 24]
 * ```
 */
export class MaxPool1d<R extends boolean = false> extends Module<[Tensor], MaxPoolOutput<R>> {
  /** Window length. */
  readonly kernelSize: number;
  /** Step between windows. */
  readonly stride: number;
  /** Padding on both sides. */
  readonly padding: number;
  /** Spacing between window taps. */
  readonly dilation: number;
  /** Ceil instead of floor for the output length. */
  readonly ceilMode: boolean;
  /** Whether `[values, indices]` is returned. */
  readonly returnIndices: R;

  /** Creates the layer. */
  constructor(kernelSize: Size1, opts: MaxPool1dOptions & ReturnIndicesOption<R> = {}) {
    super();
    const L = "MaxPool1d";
    this.kernelSize = single(L, "kernel size", kernelSize, 1);
    this.stride = single(L, "stride", opts.stride ?? this.kernelSize, 1);
    this.padding = single(L, "padding", opts.padding ?? 0);
    this.dilation = single(L, "dilation", opts.dilation ?? 1, 1);
    this.ceilMode = opts.ceilMode ?? false;
    this.returnIndices = (opts.returnIndices ?? false) as R;
  }

  /** Pools `x`. */
  override forward(x: Tensor): MaxPoolOutput<R> {
    checkPoolRank(x, 1);
    const opts = {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      ceilMode: this.ceilMode,
    };
    return (this.returnIndices
      ? maxPool1d(x, this.kernelSize, { ...opts, returnIndices: true })
      : maxPool1d(x, this.kernelSize, opts)) as MaxPoolOutput<R>;
  }

  /** Configuration. */
  override extraRepr(): string {
    return `kernelSize=${this.kernelSize}, stride=${this.stride}, padding=${this.padding}, ` +
      `dilation=${this.dilation}, ceilMode=${this.ceilMode}` +
      (this.returnIndices ? ", returnIndices=true" : "");
  }
}

/**
 * 1-D average pooling, like `torch.nn.AvgPool1d`, with PyTorch's divisor rules for padding
 * (`countIncludePad`) and ceil mode.
 *
 * @example
 * ```ts
 * const pool = new AvgPool1d(3, { stride: 1, padding: 1 });
 * const y = pool.call(randn([4, 8, 50])); // [4, 8, 50]
 * ```
 */
export class AvgPool1d extends Module {
  /** Window length. */
  readonly kernelSize: number;
  /** Step between windows. */
  readonly stride: number;
  /** Padding on both sides. */
  readonly padding: number;
  /** Ceil instead of floor for the output length. */
  readonly ceilMode: boolean;
  /** Whether padded zeros count in the divisor. */
  readonly countIncludePad: boolean;

  /** Creates the layer. */
  constructor(kernelSize: Size1, opts: AvgPool1dOptions = {}) {
    super();
    const L = "AvgPool1d";
    this.kernelSize = single(L, "kernel size", kernelSize, 1);
    this.stride = single(L, "stride", opts.stride ?? this.kernelSize, 1);
    this.padding = single(L, "padding", opts.padding ?? 0);
    this.ceilMode = opts.ceilMode ?? false;
    this.countIncludePad = opts.countIncludePad ?? true;
  }

  /** Pools `x`. */
  override forward(x: Tensor): Tensor {
    checkPoolRank(x, 1);
    return avgPool1d(x, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
    });
  }

  /** Configuration. */
  override extraRepr(): string {
    return `kernelSize=${this.kernelSize}, stride=${this.stride}, padding=${this.padding}`;
  }
}

/**
 * Adaptive 1-D average pooling, like `torch.nn.AdaptiveAvgPool1d`: output [N, C, outputSize]
 * whatever the input length.
 *
 * @example
 * ```ts
 * const gap = new AdaptiveAvgPool1d(1); // global average pooling over L
 * const y = gap.call(randn([4, 8, 37])); // [4, 8, 1]
 * ```
 */
export class AdaptiveAvgPool1d extends Module {
  /** Target length. */
  readonly outputSize: number;

  /** Creates the layer. */
  constructor(outputSize: Size1) {
    super();
    this.outputSize = single("AdaptiveAvgPool1d", "output size", outputSize, 1);
  }

  /** Pools `x`. */
  override forward(x: Tensor): Tensor {
    checkPoolRank(x, 1);
    return adaptiveAvgPool1d(x, this.outputSize);
  }

  /** Configuration. */
  override extraRepr(): string {
    return `outputSize=${this.outputSize}`;
  }
}

/**
 * Adaptive 1-D max pooling, like `torch.nn.AdaptiveMaxPool1d`: the maximum over PyTorch's
 * adaptive bins, output [N, C, outputSize] whatever the input length. With
 * `returnIndices: true` it returns `[values, indices]` (int32 positions along L).
 *
 * @example
 * ```ts
 * const pool = new AdaptiveMaxPool1d(4, { returnIndices: true });
 * const [y, idx] = pool.call(randn([2, 3, 10])); // both [2, 3, 4]
 * ```
 */
export class AdaptiveMaxPool1d<R extends boolean = false>
  extends Module<[Tensor], MaxPoolOutput<R>> {
  /** Target length. */
  readonly outputSize: number;
  /** Whether `[values, indices]` is returned. */
  readonly returnIndices: R;

  /** Creates the layer. */
  constructor(outputSize: Size1, opts: ReturnIndicesOption<R> = {}) {
    super();
    this.outputSize = single("AdaptiveMaxPool1d", "output size", outputSize, 1);
    this.returnIndices = (opts.returnIndices ?? false) as R;
  }

  /** Pools `x`. */
  override forward(x: Tensor): MaxPoolOutput<R> {
    checkPoolRank(x, 1);
    return (this.returnIndices
      ? adaptiveMaxPool1d(x, this.outputSize, { returnIndices: true })
      : adaptiveMaxPool1d(x, this.outputSize)) as MaxPoolOutput<R>;
  }

  /** Configuration. */
  override extraRepr(): string {
    return `outputSize=${this.outputSize}` + (this.returnIndices ? ", returnIndices=true" : "");
  }
}

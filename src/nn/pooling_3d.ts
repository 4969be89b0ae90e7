/** 3-D pooling layers: MaxPool3d, AvgPool3d, AdaptiveAvgPool3d, AdaptiveMaxPool3d. */
import type { Tensor } from "../tensor/tensor.ts";
import { fmtShape } from "../tensor/shape.ts";
import type { ReturnIndicesOption } from "../ops/pool.ts";
import {
  adaptiveAvgPool3d,
  adaptiveMaxPool3d,
  type AdaptiveSize3,
  avgPool3d,
  type AvgPool3dOptions,
  maxPool3d,
  type MaxPool3dOptions,
} from "../ops/pool3d.ts";
import { type Size3, triple } from "../ops/window.ts";
import { Module } from "./module.ts";
import { checkPoolRank, type MaxPoolOutput } from "./pooling.ts";

/**
 * 3-D max pooling, like `torch.nn.MaxPool3d`: the maximum of each kernel window of an
 * [N, C, D, H, W] (or [C, D, H, W]) input. `stride` defaults to the kernel size; padding reads
 * -∞. With `returnIndices: true` it returns `[values, indices]`, the indices int32 and flat per
 * input volume (d·H·W + h·W + w).
 *
 * @example
 * ```ts
 * const pool = new MaxPool3d(2);
 * const y = pool.call(randn([1, 4, 8, 16, 16])); // [1, 4, 4, 8, 8]
 * ```
 */
export class MaxPool3d<R extends boolean = false> extends Module<[Tensor], MaxPoolOutput<R>> {
  /** Window [kd, kh, kw]. */
  readonly kernelSize: [number, number, number];
  /** Stride [sd, sh, sw]. */
  readonly stride: [number, number, number];
  /** Padding [pd, ph, pw]. */
  readonly padding: [number, number, number];
  /** Dilation [dd, dh, dw]. */
  readonly dilation: [number, number, number];
  /** Ceil instead of floor for the output size. */
  readonly ceilMode: boolean;
  /** Whether `[values, indices]` is returned. */
  readonly returnIndices: R;

  /** Creates the layer. */
  constructor(kernelSize: Size3, opts: MaxPool3dOptions & ReturnIndicesOption<R> = {}) {
    super();
    const L = "MaxPool3d";
    this.kernelSize = triple(L, "kernel size", kernelSize, 1);
    this.stride = triple(L, "stride", opts.stride ?? this.kernelSize, 1);
    this.padding = triple(L, "padding", opts.padding ?? 0);
    this.dilation = triple(L, "dilation", opts.dilation ?? 1, 1);
    this.ceilMode = opts.ceilMode ?? false;
    this.returnIndices = (opts.returnIndices ?? false) as R;
  }

  /** Pools `x`. */
  override forward(x: Tensor): MaxPoolOutput<R> {
    checkPoolRank(x, 3);
    const opts = {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      ceilMode: this.ceilMode,
    };
    return (this.returnIndices
      ? maxPool3d(x, this.kernelSize, { ...opts, returnIndices: true })
      : maxPool3d(x, this.kernelSize, opts)) as MaxPoolOutput<R>;
  }

  /** Configuration. */
  override extraRepr(): string {
    return `kernelSize=${fmtShape(this.kernelSize)}, stride=${fmtShape(this.stride)}, padding=${
      fmtShape(this.padding)
    }, dilation=${fmtShape(this.dilation)}, ceilMode=${this.ceilMode}` +
      (this.returnIndices ? ", returnIndices=true" : "");
  }
}

/**
 * 3-D average pooling, like `torch.nn.AvgPool3d`, with PyTorch's divisor rules for padding
 * (`countIncludePad`), ceil mode and `divisorOverride`.
 *
 * @example
 * ```ts
 * const pool = new AvgPool3d([1, 2, 2]);
 * const y = pool.call(randn([2, 3, 4, 8, 8])); // [2, 3, 4, 4, 4]
 * ```
 */
export class AvgPool3d extends Module {
  /** Window [kd, kh, kw]. */
  readonly kernelSize: [number, number, number];
  /** Stride [sd, sh, sw]. */
  readonly stride: [number, number, number];
  /** Padding [pd, ph, pw]. */
  readonly padding: [number, number, number];
  /** Ceil instead of floor for the output size. */
  readonly ceilMode: boolean;
  /** Whether padded zeros count in the divisor. */
  readonly countIncludePad: boolean;
  /** Fixed divisor, or null. */
  readonly divisorOverride: number | null;

  /** Creates the layer. */
  constructor(kernelSize: Size3, opts: AvgPool3dOptions = {}) {
    super();
    const L = "AvgPool3d";
    this.kernelSize = triple(L, "kernel size", kernelSize, 1);
    this.stride = triple(L, "stride", opts.stride ?? this.kernelSize, 1);
    this.padding = triple(L, "padding", opts.padding ?? 0);
    this.ceilMode = opts.ceilMode ?? false;
    this.countIncludePad = opts.countIncludePad ?? true;
    this.divisorOverride = opts.divisorOverride ?? null;
  }

  /** Pools `x`. */
  override forward(x: Tensor): Tensor {
    checkPoolRank(x, 3);
    return avgPool3d(x, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
      divisorOverride: this.divisorOverride,
    });
  }

  /** Configuration. */
  override extraRepr(): string {
    return `kernelSize=${fmtShape(this.kernelSize)}, stride=${fmtShape(this.stride)}, padding=${
      fmtShape(this.padding)
    }`;
  }
}

/**
 * Adaptive 3-D average pooling, like `torch.nn.AdaptiveAvgPool3d`: output
 * [N, C, od, oh, ow] whatever the input size (null keeps an input dim).
 *
 * @example
 * ```ts
 * const gap = new AdaptiveAvgPool3d(1); // global average pooling over the volume
 * const y = gap.call(randn([2, 8, 5, 7, 7])); // [2, 8, 1, 1, 1]
 * ```
 */
export class AdaptiveAvgPool3d extends Module {
  /** Target size. */
  readonly outputSize: AdaptiveSize3;

  /** Creates the layer. */
  constructor(outputSize: AdaptiveSize3) {
    super();
    this.outputSize = outputSize;
  }

  /** Pools `x`. */
  override forward(x: Tensor): Tensor {
    checkPoolRank(x, 3);
    return adaptiveAvgPool3d(x, this.outputSize);
  }

  /** Configuration. */
  override extraRepr(): string {
    return `outputSize=${JSON.stringify(this.outputSize)}`;
  }
}

/**
 * Adaptive 3-D max pooling, like `torch.nn.AdaptiveMaxPool3d`: the maximum over PyTorch's
 * adaptive bins, output [N, C, od, oh, ow] whatever the input size (null keeps an input dim).
 * With `returnIndices: true` it returns `[values, indices]` (int32, flat per input volume).
 *
 * @example
 * ```ts
 * const pool = new AdaptiveMaxPool3d([2, null, 3]);
 * const y = pool.call(randn([1, 4, 5, 6, 7])); // [1, 4, 2, 6, 3]
 * ```
 */
export class AdaptiveMaxPool3d<R extends boolean = false>
  extends Module<[Tensor], MaxPoolOutput<R>> {
  /** Target size. */
  readonly outputSize: AdaptiveSize3;
  /** Whether `[values, indices]` is returned. */
  readonly returnIndices: R;

  /** Creates the layer. */
  constructor(outputSize: AdaptiveSize3, opts: ReturnIndicesOption<R> = {}) {
    super();
    this.outputSize = outputSize;
    this.returnIndices = (opts.returnIndices ?? false) as R;
  }

  /** Pools `x`. */
  override forward(x: Tensor): MaxPoolOutput<R> {
    checkPoolRank(x, 3);
    return (this.returnIndices
      ? adaptiveMaxPool3d(x, this.outputSize, { returnIndices: true })
      : adaptiveMaxPool3d(x, this.outputSize)) as MaxPoolOutput<R>;
  }

  /** Configuration. */
  override extraRepr(): string {
    return `outputSize=${JSON.stringify(this.outputSize)}` +
      (this.returnIndices ? ", returnIndices=true" : "");
  }
}

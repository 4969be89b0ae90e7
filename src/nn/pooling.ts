/** Pooling layers: MaxPool2d, AvgPool2d, AdaptiveAvgPool2d. */
import type { Tensor } from "../tensor/tensor.ts";
import { fmtShape } from "../tensor/shape.ts";
import {
  adaptiveAvgPool2d,
  avgPool2d,
  type AvgPool2dOptions,
  maxPool2d,
  type MaxPool2dOptions,
} from "../ops/pool.ts";
import { pair, type Size2 } from "../ops/window.ts";
import { Module } from "./module.ts";

function check3or4(x: Tensor): void {
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw new RangeError(
      `expected 3-D (unbatched) or 4-D (batched) input, got input of shape ${fmtShape(x.shape)}`,
    );
  }
}

/**
 * 2-D max pooling, like `torch.nn.MaxPool2d`: the maximum of each kernel window of an
 * [N, C, H, W] (or [C, H, W]) input. `stride` defaults to the kernel size; padding reads -∞.
 *
 * @example
 * ```ts
 * const pool = new MaxPool2d(2);
 * const y = pool.call(randn([1, 16, 32, 32])); // [1, 16, 16, 16]
 * ```
 */
export class MaxPool2d extends Module {
  /** Window [kh, kw]. */
  readonly kernelSize: [number, number];
  /** Stride [sh, sw]. */
  readonly stride: [number, number];
  /** Padding [ph, pw]. */
  readonly padding: [number, number];
  /** Dilation [dh, dw]. */
  readonly dilation: [number, number];
  /** Ceil instead of floor for the output size. */
  readonly ceilMode: boolean;

  /** Creates the layer. */
  constructor(kernelSize: Size2, opts: MaxPool2dOptions = {}) {
    super();
    this.kernelSize = pair("MaxPool2d", "kernel size", kernelSize, 1);
    this.stride = pair("MaxPool2d", "stride", opts.stride ?? this.kernelSize, 1);
    this.padding = pair("MaxPool2d", "padding", opts.padding ?? 0);
    this.dilation = pair("MaxPool2d", "dilation", opts.dilation ?? 1, 1);
    this.ceilMode = opts.ceilMode ?? false;
  }

  /** Pools `x`. */
  override forward(x: Tensor): Tensor {
    check3or4(x);
    return maxPool2d(x, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      ceilMode: this.ceilMode,
    });
  }

  /** Configuration. */
  override extraRepr(): string {
    return `kernelSize=${fmtShape(this.kernelSize)}, stride=${fmtShape(this.stride)}, padding=${
      fmtShape(this.padding)
    }, dilation=${fmtShape(this.dilation)}, ceilMode=${this.ceilMode}`;
  }
}

/**
 * 2-D average pooling, like `torch.nn.AvgPool2d`, with PyTorch's divisor rules for padding
 * (`countIncludePad`), ceil mode and `divisorOverride`.
 */
export class AvgPool2d extends Module {
  /** Window [kh, kw]. */
  readonly kernelSize: [number, number];
  /** Stride [sh, sw]. */
  readonly stride: [number, number];
  /** Padding [ph, pw]. */
  readonly padding: [number, number];
  /** Ceil instead of floor for the output size. */
  readonly ceilMode: boolean;
  /** Whether padded zeros count in the divisor. */
  readonly countIncludePad: boolean;
  /** Fixed divisor, or null. */
  readonly divisorOverride: number | null;

  /** Creates the layer. */
  constructor(kernelSize: Size2, opts: AvgPool2dOptions = {}) {
    super();
    this.kernelSize = pair("AvgPool2d", "kernel size", kernelSize, 1);
    this.stride = pair("AvgPool2d", "stride", opts.stride ?? this.kernelSize, 1);
    this.padding = pair("AvgPool2d", "padding", opts.padding ?? 0);
    this.ceilMode = opts.ceilMode ?? false;
    this.countIncludePad = opts.countIncludePad ?? true;
    this.divisorOverride = opts.divisorOverride ?? null;
  }

  /** Pools `x`. */
  override forward(x: Tensor): Tensor {
    check3or4(x);
    return avgPool2d(x, this.kernelSize, {
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
 * Adaptive 2-D average pooling, like `torch.nn.AdaptiveAvgPool2d`: output [N, C, oh, ow]
 * whatever the input size (null keeps an input dim).
 *
 * @example
 * ```ts
 * const gap = new AdaptiveAvgPool2d(1); // global average pooling
 * ```
 */
export class AdaptiveAvgPool2d extends Module {
  /** Target size. */
  readonly outputSize: number | [number | null, number | null];

  /** Creates the layer. */
  constructor(outputSize: number | [number | null, number | null]) {
    super();
    this.outputSize = outputSize;
  }

  /** Pools `x`. */
  override forward(x: Tensor): Tensor {
    check3or4(x);
    return adaptiveAvgPool2d(x, this.outputSize);
  }

  /** Configuration. */
  override extraRepr(): string {
    return `outputSize=${JSON.stringify(this.outputSize)}`;
  }
}

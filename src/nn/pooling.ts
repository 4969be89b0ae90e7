/**
 * Pooling layers: MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d, MaxUnpool2d.
 */
import type { Tensor } from "../tensor/tensor.ts";
import { fmtShape } from "../tensor/shape.ts";
import {
  adaptiveAvgPool2d,
  adaptiveMaxPool2d,
  type AdaptiveSize,
  avgPool2d,
  type AvgPool2dOptions,
  maxPool2d,
  type MaxPool2dOptions,
  maxUnpool2d,
  type ReturnIndicesOption,
} from "../ops/pool.ts";
import { pair, type Size2 } from "../ops/window.ts";
import { Module } from "./module.ts";

/** Checks a pooling layer's input rank: `spatial` + 1 (unbatched) or `spatial` + 2 dims. */
export function checkPoolRank(x: Tensor, spatial: number): void {
  if (x.ndim !== spatial + 1 && x.ndim !== spatial + 2) {
    throw new RangeError(
      `expected ${spatial + 1}-D (unbatched) or ${spatial + 2}-D (batched) input, got input ` +
        `of shape ${fmtShape(x.shape)}`,
    );
  }
}

/** What a max pooling layer returns: values, or `[values, indices]` with `returnIndices`. */
export type MaxPoolOutput<R extends boolean> = R extends true ? [Tensor, Tensor] : Tensor;

/**
 * 2-D max pooling, like `torch.nn.MaxPool2d`: the maximum of each kernel window of an
 * [N, C, H, W] (or [C, H, W]) input. `stride` defaults to the kernel size; padding reads -∞.
 * With `returnIndices: true` it returns `[values, indices]`, the indices int32 and flat per
 * input plane (h·W + w) as `MaxUnpool2d` expects.
 *
 * @example
 * ```ts
 * const pool = new MaxPool2d(2);
 * const y = pool.call(randn([1, 16, 32, 32])); // [1, 16, 16, 16]
 * const [v, idx] = new MaxPool2d(2, { returnIndices: true }).call(randn([1, 16, 32, 32]));
 * ```
 */
export class MaxPool2d<R extends boolean = false> extends Module<[Tensor], MaxPoolOutput<R>> {
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
  /** Whether `[values, indices]` is returned. */
  readonly returnIndices: R;

  /** Creates the layer. */
  constructor(kernelSize: Size2, opts: MaxPool2dOptions & ReturnIndicesOption<R> = {}) {
    super();
    this.kernelSize = pair("MaxPool2d", "kernel size", kernelSize, 1);
    this.stride = pair("MaxPool2d", "stride", opts.stride ?? this.kernelSize, 1);
    this.padding = pair("MaxPool2d", "padding", opts.padding ?? 0);
    this.dilation = pair("MaxPool2d", "dilation", opts.dilation ?? 1, 1);
    this.ceilMode = opts.ceilMode ?? false;
    this.returnIndices = (opts.returnIndices ?? false) as R;
  }

  /** Pools `x`. */
  override forward(x: Tensor): MaxPoolOutput<R> {
    checkPoolRank(x, 2);
    const opts = {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      ceilMode: this.ceilMode,
    };
    return (this.returnIndices
      ? maxPool2d(x, this.kernelSize, { ...opts, returnIndices: true })
      : maxPool2d(x, this.kernelSize, opts)) as MaxPoolOutput<R>;
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
    checkPoolRank(x, 2);
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
  readonly outputSize: AdaptiveSize;

  /** Creates the layer. */
  constructor(outputSize: AdaptiveSize) {
    super();
    this.outputSize = outputSize;
  }

  /** Pools `x`. */
  override forward(x: Tensor): Tensor {
    checkPoolRank(x, 2);
    return adaptiveAvgPool2d(x, this.outputSize);
  }

  /** Configuration. */
  override extraRepr(): string {
    return `outputSize=${JSON.stringify(this.outputSize)}`;
  }
}

/**
 * Adaptive 2-D max pooling, like `torch.nn.AdaptiveMaxPool2d`: the maximum over PyTorch's
 * adaptive bins, output [N, C, oh, ow] whatever the input size (null keeps an input dim). With
 * `returnIndices: true` it returns `[values, indices]` (int32, flat per input plane).
 *
 * @example
 * ```ts
 * const pool = new AdaptiveMaxPool2d([3, null]);
 * const y = pool.call(randn([2, 8, 7, 5])); // [2, 8, 3, 5]
 * ```
 */
export class AdaptiveMaxPool2d<R extends boolean = false>
  extends Module<[Tensor], MaxPoolOutput<R>> {
  /** Target size. */
  readonly outputSize: AdaptiveSize;
  /** Whether `[values, indices]` is returned. */
  readonly returnIndices: R;

  /** Creates the layer. */
  constructor(outputSize: AdaptiveSize, opts: ReturnIndicesOption<R> = {}) {
    super();
    this.outputSize = outputSize;
    this.returnIndices = (opts.returnIndices ?? false) as R;
  }

  /** Pools `x`. */
  override forward(x: Tensor): MaxPoolOutput<R> {
    checkPoolRank(x, 2);
    return (this.returnIndices
      ? adaptiveMaxPool2d(x, this.outputSize, { returnIndices: true })
      : adaptiveMaxPool2d(x, this.outputSize)) as MaxPoolOutput<R>;
  }

  /** Configuration. */
  override extraRepr(): string {
    return `outputSize=${JSON.stringify(this.outputSize)}` +
      (this.returnIndices ? ", returnIndices=true" : "");
  }
}

/** Options of `MaxUnpool2d`. */
export interface MaxUnpool2dLayerOptions {
  /** Stride of the pooling being inverted (default: the kernel size). */
  stride?: Size2 | null;
  /** Padding of the pooling being inverted (default 0). */
  padding?: Size2;
}

/**
 * Partial inverse of `MaxPool2d`, like `torch.nn.MaxUnpool2d`: `call(x, indices, outputSize?)`
 * puts every value at its index in a zero output of size (H − 1)·stride − 2·padding + kernel
 * (or `outputSize`, [h, w] or a full shape).
 *
 * @example
 * ```ts
 * const pool = new MaxPool2d(2, { returnIndices: true });
 * const unpool = new MaxUnpool2d(2);
 * const [y, idx] = pool.call(x);
 * const back = unpool.call(y, idx); // x's shape, zero except at the maxima
 * ```
 */
export class MaxUnpool2d extends Module<[Tensor, Tensor, (readonly number[])?], Tensor> {
  /** Window [kh, kw]. */
  readonly kernelSize: [number, number];
  /** Stride [sh, sw]. */
  readonly stride: [number, number];
  /** Padding [ph, pw]. */
  readonly padding: [number, number];

  /** Creates the layer. */
  constructor(kernelSize: Size2, opts: MaxUnpool2dLayerOptions = {}) {
    super();
    this.kernelSize = pair("MaxUnpool2d", "kernel size", kernelSize, 1);
    this.stride = pair("MaxUnpool2d", "stride", opts.stride ?? this.kernelSize, 1);
    this.padding = pair("MaxUnpool2d", "padding", opts.padding ?? 0);
  }

  /** Unpools `x` with the indices its max pooling returned. */
  override forward(x: Tensor, indices: Tensor, outputSize?: readonly number[]): Tensor {
    checkPoolRank(x, 2);
    return maxUnpool2d(x, indices, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      outputSize: outputSize ?? null,
    });
  }

  /** Configuration. */
  override extraRepr(): string {
    return `kernelSize=${fmtShape(this.kernelSize)}, stride=${fmtShape(this.stride)}, padding=${
      fmtShape(this.padding)
    }`;
  }
}

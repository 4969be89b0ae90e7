/** 3-D pooling layers: MaxPool3d, AvgPool3d, AdaptiveAvgPool3d, AdaptiveMaxPool3d. */
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
import { AdaptiveAvgPoolNd, AdaptiveMaxPoolNd, DivisorAvgPoolNd, MaxPoolNd } from "./pooling.ts";

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
export class MaxPool3d<R extends boolean = false>
  extends MaxPoolNd<Size3, [number, number, number], R> {
  /** Creates the layer. */
  constructor(kernelSize: Size3, opts: MaxPool3dOptions & ReturnIndicesOption<R> = {}) {
    super("MaxPool3d", triple, maxPool3d, kernelSize, opts);
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
export class AvgPool3d extends DivisorAvgPoolNd<Size3, [number, number, number]> {
  /** Creates the layer. */
  constructor(kernelSize: Size3, opts: AvgPool3dOptions = {}) {
    super("AvgPool3d", triple, avgPool3d, kernelSize, opts);
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
export class AdaptiveAvgPool3d extends AdaptiveAvgPoolNd<AdaptiveSize3> {
  /** Creates the layer. */
  constructor(outputSize: AdaptiveSize3) {
    super(3, outputSize, adaptiveAvgPool3d);
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
  extends AdaptiveMaxPoolNd<AdaptiveSize3, R> {
  /** Creates the layer. */
  constructor(outputSize: AdaptiveSize3, opts: ReturnIndicesOption<R> = {}) {
    super(3, outputSize, adaptiveMaxPool3d, opts);
  }
}

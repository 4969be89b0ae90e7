/** 1-D pooling layers: MaxPool1d, AvgPool1d, AdaptiveAvgPool1d, AdaptiveMaxPool1d. */
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
import { AdaptiveAvgPoolNd, AdaptiveMaxPoolNd, AvgPoolNd, MaxPoolNd } from "./pooling.ts";

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
export class MaxPool1d<R extends boolean = false> extends MaxPoolNd<Size1, number, R> {
  /** Creates the layer. */
  constructor(kernelSize: Size1, opts: MaxPool1dOptions & ReturnIndicesOption<R> = {}) {
    super("MaxPool1d", single, maxPool1d, kernelSize, opts);
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
export class AvgPool1d extends AvgPoolNd<Size1, number> {
  /** Creates the layer. */
  constructor(kernelSize: Size1, opts: AvgPool1dOptions = {}) {
    super("AvgPool1d", single, avgPool1d, kernelSize, opts);
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
export class AdaptiveAvgPool1d extends AdaptiveAvgPoolNd<number> {
  /** Creates the layer. */
  constructor(outputSize: Size1) {
    super(1, single("AdaptiveAvgPool1d", "output size", outputSize, 1), adaptiveAvgPool1d);
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
export class AdaptiveMaxPool1d<R extends boolean = false> extends AdaptiveMaxPoolNd<number, R> {
  /** Creates the layer. */
  constructor(outputSize: Size1, opts: ReturnIndicesOption<R> = {}) {
    const size = single("AdaptiveMaxPool1d", "output size", outputSize, 1);
    super(1, size, adaptiveMaxPool1d, opts);
  }
}

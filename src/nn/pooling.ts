/**
 * Pooling layers: MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d, MaxUnpool2d.
 */
import type { Tensor } from "../tensor/tensor.ts";
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
import { checkSpatialRank, dimsOf, fmtSize, type SizeFn, type Sizes } from "./spatial.ts";

/** What a max pooling layer returns: values, or `[values, indices]` with `returnIndices`. */
export type MaxPoolOutput<R extends boolean> = R extends true ? [Tensor, Tensor] : Tensor;

/** The window options of a max pooling layer, for sizes given as `A`. */
interface MaxPoolNdOptions<A> {
  stride?: A | null;
  padding?: A;
  dilation?: A;
  ceilMode?: boolean;
}

/** What a max pooling layer passes to its functional form. */
interface MaxPoolCall<S> {
  stride: S;
  padding: S;
  dilation: S;
  ceilMode: boolean;
}

/** `maxPool1d`, `maxPool2d` or `maxPool3d`. */
interface MaxPoolFn<S> {
  (x: Tensor, kernelSize: S, opts: MaxPoolCall<S> & { returnIndices: true }): [Tensor, Tensor];
  (x: Tensor, kernelSize: S, opts: MaxPoolCall<S>): Tensor;
}

/** What MaxPool1d/2d/3d share (PyTorch's `_MaxPoolNd`): the options, forward and repr. */
export abstract class MaxPoolNd<A, S extends Sizes, R extends boolean>
  extends Module<[Tensor], MaxPoolOutput<R>> {
  /** Window, per spatial dim. */
  readonly kernelSize: S;
  /** Step between windows, per spatial dim. */
  readonly stride: S;
  /** Padding on both sides, per spatial dim. */
  readonly padding: S;
  /** Spacing between window taps, per spatial dim. */
  readonly dilation: S;
  /** Ceil instead of floor for the output size. */
  readonly ceilMode: boolean;
  /** Whether `[values, indices]` is returned. */
  readonly returnIndices: R;
  readonly #pool: MaxPoolFn<S>;

  constructor(
    layer: string,
    size: SizeFn<A, S>,
    pool: MaxPoolFn<S>,
    kernelSize: A,
    opts: MaxPoolNdOptions<A> & ReturnIndicesOption<R>,
  ) {
    super();
    this.kernelSize = size(layer, "kernel size", kernelSize, 1);
    this.stride = size(layer, "stride", opts.stride ?? this.kernelSize, 1);
    this.padding = size(layer, "padding", opts.padding ?? 0);
    this.dilation = size(layer, "dilation", opts.dilation ?? 1, 1);
    this.ceilMode = opts.ceilMode ?? false;
    this.returnIndices = (opts.returnIndices ?? false) as R;
    this.#pool = pool;
  }

  /** Pools `x`. */
  override forward(x: Tensor): MaxPoolOutput<R> {
    checkSpatialRank(x, dimsOf(this.kernelSize).length);
    const opts = {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      ceilMode: this.ceilMode,
    };
    return (this.returnIndices
      ? this.#pool(x, this.kernelSize, { ...opts, returnIndices: true })
      : this.#pool(x, this.kernelSize, opts)) as MaxPoolOutput<R>;
  }

  /** Configuration. */
  override extraRepr(): string {
    return `${windowRepr(this.kernelSize, this.stride, this.padding)}, dilation=${
      fmtSize(this.dilation)
    }, ceilMode=${this.ceilMode}` + (this.returnIndices ? ", returnIndices=true" : "");
  }
}

/** The window options of an average pooling layer, for sizes given as `A`. */
interface AvgPoolNdOptions<A> {
  stride?: A | null;
  padding?: A;
  ceilMode?: boolean;
  countIncludePad?: boolean;
}

/** What an average pooling layer passes to its functional form. */
interface AvgPoolCall<S> {
  stride: S;
  padding: S;
  ceilMode: boolean;
  countIncludePad: boolean;
  divisorOverride?: number | null;
}

/** `avgPool1d`, `avgPool2d` or `avgPool3d`. */
type AvgPoolFn<S> = (x: Tensor, kernelSize: S, opts: AvgPoolCall<S>) => Tensor;

/** What AvgPool1d/2d/3d share (PyTorch's `_AvgPoolNd`): the options, forward and repr. */
export abstract class AvgPoolNd<A, S extends Sizes> extends Module {
  /** Window, per spatial dim. */
  readonly kernelSize: S;
  /** Step between windows, per spatial dim. */
  readonly stride: S;
  /** Padding on both sides, per spatial dim. */
  readonly padding: S;
  /** Ceil instead of floor for the output size. */
  readonly ceilMode: boolean;
  /** Whether padded zeros count in the divisor. */
  readonly countIncludePad: boolean;
  readonly #pool: AvgPoolFn<S>;

  constructor(
    layer: string,
    size: SizeFn<A, S>,
    pool: AvgPoolFn<S>,
    kernelSize: A,
    opts: AvgPoolNdOptions<A>,
  ) {
    super();
    this.kernelSize = size(layer, "kernel size", kernelSize, 1);
    this.stride = size(layer, "stride", opts.stride ?? this.kernelSize, 1);
    this.padding = size(layer, "padding", opts.padding ?? 0);
    this.ceilMode = opts.ceilMode ?? false;
    this.countIncludePad = opts.countIncludePad ?? true;
    this.#pool = pool;
  }

  /** Pools `x`. */
  override forward(x: Tensor): Tensor {
    checkSpatialRank(x, dimsOf(this.kernelSize).length);
    return this.#pool(x, this.kernelSize, this.options());
  }

  /** The options of the functional form. */
  protected options(): AvgPoolCall<S> {
    return {
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
    };
  }

  /** Configuration. */
  override extraRepr(): string {
    return windowRepr(this.kernelSize, this.stride, this.padding);
  }
}

/** AvgPool2d and AvgPool3d: average pooling with PyTorch's `divisorOverride`. */
export abstract class DivisorAvgPoolNd<A, S extends Sizes> extends AvgPoolNd<A, S> {
  /** Fixed divisor, or null. */
  readonly divisorOverride: number | null;

  constructor(
    layer: string,
    size: SizeFn<A, S>,
    pool: AvgPoolFn<S>,
    kernelSize: A,
    opts: AvgPoolNdOptions<A> & { divisorOverride?: number | null },
  ) {
    super(layer, size, pool, kernelSize, opts);
    this.divisorOverride = opts.divisorOverride ?? null;
  }

  /** The options of the functional form, the divisor override included. */
  protected override options(): AvgPoolCall<S> {
    return { ...super.options(), divisorOverride: this.divisorOverride };
  }
}

/** What AdaptiveAvgPool1d/2d/3d share: the target size, forward and repr. */
export abstract class AdaptiveAvgPoolNd<O> extends Module {
  /** Target size (null keeps an input dim). */
  readonly outputSize: O;
  readonly #spatial: number;
  readonly #pool: (x: Tensor, outputSize: O) => Tensor;

  constructor(spatial: number, outputSize: O, pool: (x: Tensor, outputSize: O) => Tensor) {
    super();
    this.outputSize = outputSize;
    this.#spatial = spatial;
    this.#pool = pool;
  }

  /** Pools `x`. */
  override forward(x: Tensor): Tensor {
    checkSpatialRank(x, this.#spatial);
    return this.#pool(x, this.outputSize);
  }

  /** Configuration. */
  override extraRepr(): string {
    return `outputSize=${JSON.stringify(this.outputSize)}`;
  }
}

/** `adaptiveMaxPool1d`, `adaptiveMaxPool2d` or `adaptiveMaxPool3d`. */
interface AdaptiveMaxPoolFn<O> {
  (x: Tensor, outputSize: O, opts: { returnIndices: true }): [Tensor, Tensor];
  (x: Tensor, outputSize: O): Tensor;
}

/** What AdaptiveMaxPool1d/2d/3d share: the target size, forward and repr. */
export abstract class AdaptiveMaxPoolNd<O, R extends boolean>
  extends Module<[Tensor], MaxPoolOutput<R>> {
  /** Target size (null keeps an input dim). */
  readonly outputSize: O;
  /** Whether `[values, indices]` is returned. */
  readonly returnIndices: R;
  readonly #spatial: number;
  readonly #pool: AdaptiveMaxPoolFn<O>;

  constructor(
    spatial: number,
    outputSize: O,
    pool: AdaptiveMaxPoolFn<O>,
    opts: ReturnIndicesOption<R>,
  ) {
    super();
    this.outputSize = outputSize;
    this.returnIndices = (opts.returnIndices ?? false) as R;
    this.#spatial = spatial;
    this.#pool = pool;
  }

  /** Pools `x`. */
  override forward(x: Tensor): MaxPoolOutput<R> {
    checkSpatialRank(x, this.#spatial);
    return (this.returnIndices
      ? this.#pool(x, this.outputSize, { returnIndices: true })
      : this.#pool(x, this.outputSize)) as MaxPoolOutput<R>;
  }

  /** Configuration. */
  override extraRepr(): string {
    return `outputSize=${JSON.stringify(this.outputSize)}` +
      (this.returnIndices ? ", returnIndices=true" : "");
  }
}

/** The window configuration as the pooling layers print it. */
function windowRepr(kernelSize: Sizes, stride: Sizes, padding: Sizes): string {
  return `kernelSize=${fmtSize(kernelSize)}, stride=${fmtSize(stride)}, padding=${
    fmtSize(padding)
  }`;
}

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
export class MaxPool2d<R extends boolean = false> extends MaxPoolNd<Size2, [number, number], R> {
  /** Creates the layer. */
  constructor(kernelSize: Size2, opts: MaxPool2dOptions & ReturnIndicesOption<R> = {}) {
    super("MaxPool2d", pair, maxPool2d, kernelSize, opts);
  }
}

/**
 * 2-D average pooling, like `torch.nn.AvgPool2d`, with PyTorch's divisor rules for padding
 * (`countIncludePad`), ceil mode and `divisorOverride`.
 */
export class AvgPool2d extends DivisorAvgPoolNd<Size2, [number, number]> {
  /** Creates the layer. */
  constructor(kernelSize: Size2, opts: AvgPool2dOptions = {}) {
    super("AvgPool2d", pair, avgPool2d, kernelSize, opts);
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
export class AdaptiveAvgPool2d extends AdaptiveAvgPoolNd<AdaptiveSize> {
  /** Creates the layer. */
  constructor(outputSize: AdaptiveSize) {
    super(2, outputSize, adaptiveAvgPool2d);
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
  extends AdaptiveMaxPoolNd<AdaptiveSize, R> {
  /** Creates the layer. */
  constructor(outputSize: AdaptiveSize, opts: ReturnIndicesOption<R> = {}) {
    super(2, outputSize, adaptiveMaxPool2d, opts);
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
    checkSpatialRank(x, 2);
    return maxUnpool2d(x, indices, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      outputSize: outputSize ?? null,
    });
  }

  /** Configuration. */
  override extraRepr(): string {
    return windowRepr(this.kernelSize, this.stride, this.padding);
  }
}

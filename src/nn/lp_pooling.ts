/** Power-average pooling layers: LPPool1d and LPPool2d. */
import type { Tensor } from "../tensor/tensor.ts";
import { single, type Size1 } from "../ops/conv.ts";
import { lpPool1d, type LPPool1dOptions, lpPool2d, type LPPool2dOptions } from "../ops/lp_pool.ts";
import { pair, type Size2 } from "../ops/window.ts";
import { Module } from "./module.ts";
import { checkSpatialRank, dimsOf, fmtSize, type SizeFn, type Sizes } from "./spatial.ts";

/** `lpPool1d` or `lpPool2d`. */
type LPPoolFn<S> = (
  x: Tensor,
  normType: number,
  kernelSize: S,
  opts: { stride: S; ceilMode: boolean },
) => Tensor;

/** What LPPool1d and LPPool2d share (PyTorch's `_LPPoolNd`): the options, forward and repr. */
abstract class LPPoolNd<A, S extends Sizes> extends Module {
  /** The power p. */
  readonly normType: number;
  /** Window, per spatial dim. */
  readonly kernelSize: S;
  /** Step between windows, per spatial dim. */
  readonly stride: S;
  /** Ceil instead of floor for the output size. */
  readonly ceilMode: boolean;
  readonly #pool: LPPoolFn<S>;

  constructor(
    layer: string,
    size: SizeFn<A, S>,
    pool: LPPoolFn<S>,
    normType: number,
    kernelSize: A,
    opts: { stride?: A | null; ceilMode?: boolean },
  ) {
    super();
    this.normType = normType;
    this.kernelSize = size(layer, "kernel size", kernelSize, 1);
    this.stride = size(layer, "stride", opts.stride ?? this.kernelSize, 1);
    this.ceilMode = opts.ceilMode ?? false;
    this.#pool = pool;
  }

  /** Pools `x`. */
  override forward(x: Tensor): Tensor {
    checkSpatialRank(x, dimsOf(this.kernelSize).length);
    return this.#pool(x, this.normType, this.kernelSize, {
      stride: this.stride,
      ceilMode: this.ceilMode,
    });
  }

  /** Configuration. */
  override extraRepr(): string {
    return `normType=${this.normType}, kernelSize=${fmtSize(this.kernelSize)}, stride=${
      fmtSize(this.stride)
    }, ceilMode=${this.ceilMode}`;
  }
}

/**
 * 1-D power-average pooling, like `torch.nn.LPPool1d`: (Σ_window x^p)^(1/p) over the windows
 * of an [N, C, L] (or [C, L]) input; p = 1 is sum pooling, p → ∞ tends to max pooling.
 *
 * @example
 * ```ts
 * const pool = new LPPool1d(2, 3, { stride: 2 });
 * const y = pool.call(randn([4, 8, 21])); // [4, 8, 10]
 * ```
 */
export class LPPool1d extends LPPoolNd<Size1, number> {
  /** Creates the layer. */
  constructor(normType: number, kernelSize: Size1, opts: LPPool1dOptions = {}) {
    super("LPPool1d", single, lpPool1d, normType, kernelSize, opts);
  }
}

/**
 * 2-D power-average pooling, like `torch.nn.LPPool2d`: (Σ_window x^p)^(1/p) over the windows
 * of an [N, C, H, W] (or [C, H, W]) input.
 *
 * @example
 * ```ts
 * const pool = new LPPool2d(2, [3, 2]);
 * const y = pool.call(randn([1, 4, 9, 8])); // [1, 4, 3, 4]
 * ```
 */
export class LPPool2d extends LPPoolNd<Size2, [number, number]> {
  /** Creates the layer. */
  constructor(normType: number, kernelSize: Size2, opts: LPPool2dOptions = {}) {
    super("LPPool2d", pair, lpPool2d, normType, kernelSize, opts);
  }
}

/** Power-average pooling layers: LPPool1d and LPPool2d. */
import type { Tensor } from "../tensor/tensor.ts";
import { fmtShape } from "../tensor/shape.ts";
import { single, type Size1 } from "../ops/conv.ts";
import { lpPool1d, type LPPool1dOptions, lpPool2d, type LPPool2dOptions } from "../ops/lp_pool.ts";
import { pair, type Size2 } from "../ops/window.ts";
import { Module } from "./module.ts";
import { checkPoolRank } from "./pooling.ts";

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
export class LPPool1d extends Module {
  /** The power p. */
  readonly normType: number;
  /** Window length. */
  readonly kernelSize: number;
  /** Step between windows. */
  readonly stride: number;
  /** Ceil instead of floor for the output length. */
  readonly ceilMode: boolean;

  /** Creates the layer. */
  constructor(normType: number, kernelSize: Size1, opts: LPPool1dOptions = {}) {
    super();
    this.normType = normType;
    this.kernelSize = single("LPPool1d", "kernel size", kernelSize, 1);
    this.stride = single("LPPool1d", "stride", opts.stride ?? this.kernelSize, 1);
    this.ceilMode = opts.ceilMode ?? false;
  }

  /** Pools `x`. */
  override forward(x: Tensor): Tensor {
    checkPoolRank(x, 1);
    return lpPool1d(x, this.normType, this.kernelSize, {
      stride: this.stride,
      ceilMode: this.ceilMode,
    });
  }

  /** Configuration. */
  override extraRepr(): string {
    return `normType=${this.normType}, kernelSize=${this.kernelSize}, stride=${this.stride}, ` +
      `ceilMode=${this.ceilMode}`;
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
export class LPPool2d extends Module {
  /** The power p. */
  readonly normType: number;
  /** Window [kh, kw]. */
  readonly kernelSize: [number, number];
  /** Stride [sh, sw]. */
  readonly stride: [number, number];
  /** Ceil instead of floor for the output size. */
  readonly ceilMode: boolean;

  /** Creates the layer. */
  constructor(normType: number, kernelSize: Size2, opts: LPPool2dOptions = {}) {
    super();
    this.normType = normType;
    this.kernelSize = pair("LPPool2d", "kernel size", kernelSize, 1);
    this.stride = pair("LPPool2d", "stride", opts.stride ?? this.kernelSize, 1);
    this.ceilMode = opts.ceilMode ?? false;
  }

  /** Pools `x`. */
  override forward(x: Tensor): Tensor {
    checkPoolRank(x, 2);
    return lpPool2d(x, this.normType, this.kernelSize, {
      stride: this.stride,
      ceilMode: this.ceilMode,
    });
  }

  /** Configuration. */
  override extraRepr(): string {
    return `normType=${this.normType}, kernelSize=${fmtShape(this.kernelSize)}, stride=${
      fmtShape(this.stride)
    }, ceilMode=${this.ceilMode}`;
  }
}

/** Resampling layers: Upsample, UpsamplingNearest2d, UpsamplingBilinear2d, PixelShuffle, PixelUnshuffle. */
import type { Tensor } from "../tensor/tensor.ts";
import {
  interpolate,
  type InterpolateMode,
  pixelShuffle,
  pixelUnshuffle,
} from "../ops/interpolate.ts";
import { Module } from "./module.ts";

/** Options of `Upsample`. */
export interface UpsampleOptions {
  /** Output spatial size (give this or `scaleFactor`). */
  size?: number | number[];
  /** Multiplier of the spatial size (give this or `size`). */
  scaleFactor?: number | number[];
  /** Sampling algorithm (default "nearest"). */
  mode?: InterpolateMode;
  /** Linear modes only: align corner pixel centres (PyTorch's default: unset, i.e. false). */
  alignCorners?: boolean;
  /** Compute source positions from the rounded output size (default false). */
  recomputeScaleFactor?: boolean;
}

function fmtSize(v: number | number[] | undefined): string {
  return v === undefined ? "null" : Array.isArray(v) ? `[${v.join(", ")}]` : `${v}`;
}

/**
 * Upsamples [N, C, L], [N, C, H, W] or [N, C, D, H, W] inputs to `size` or by `scaleFactor`,
 * like `torch.nn.Upsample` (it calls `F.interpolate`).
 *
 * @example
 * ```ts
 * const up = new Upsample({ scaleFactor: 2, mode: "bilinear" });
 * up.call(randn([1, 3, 8, 8])).shape; // [1, 3, 16, 16]
 * ```
 */
export class Upsample extends Module {
  /** Output spatial size, if given. */
  readonly size: number | number[] | undefined;
  /** Scale factor, if given. */
  readonly scaleFactor: number | number[] | undefined;
  /** Sampling algorithm. */
  readonly mode: InterpolateMode;
  /** Corner alignment of the linear modes, if given. */
  readonly alignCorners: boolean | undefined;
  /** Whether the scale is recomputed from the output size. */
  readonly recomputeScaleFactor: boolean | undefined;

  /** Creates the layer. */
  constructor(opts: UpsampleOptions = {}) {
    super();
    this.size = Array.isArray(opts.size) ? [...opts.size] : opts.size;
    this.scaleFactor = Array.isArray(opts.scaleFactor) ? [...opts.scaleFactor] : opts.scaleFactor;
    this.mode = opts.mode ?? "nearest";
    this.alignCorners = opts.alignCorners;
    this.recomputeScaleFactor = opts.recomputeScaleFactor;
  }

  /** Resamples `x`. */
  override forward(x: Tensor): Tensor {
    return interpolate(x, {
      size: this.size,
      scaleFactor: this.scaleFactor,
      mode: this.mode,
      alignCorners: this.alignCorners,
      recomputeScaleFactor: this.recomputeScaleFactor,
    });
  }

  /** Configuration. */
  override extraRepr(): string {
    const s = `size=${fmtSize(this.size)}, scaleFactor=${
      fmtSize(this.scaleFactor)
    }, mode=${this.mode}`;
    return this.alignCorners === undefined ? s : `${s}, alignCorners=${this.alignCorners}`;
  }
}

/** Options of the fixed-mode upsampling layers (one of them). */
export interface UpsamplingOptions {
  /** Output spatial size (give this or `scaleFactor`). */
  size?: number | number[];
  /** Multiplier of the spatial size (give this or `size`). */
  scaleFactor?: number | number[];
}

/**
 * Nearest-neighbour upsampling of [N, C, H, W], like `torch.nn.UpsamplingNearest2d`.
 *
 * @example
 * ```ts
 * new UpsamplingNearest2d({ scaleFactor: 2 }).call(randn([1, 1, 2, 2])).shape; // [1, 1, 4, 4]
 * ```
 */
export class UpsamplingNearest2d extends Upsample {
  /** Creates the layer. */
  constructor(opts: UpsamplingOptions = {}) {
    super({ size: opts.size, scaleFactor: opts.scaleFactor, mode: "nearest" });
  }
}

/**
 * Bilinear upsampling of [N, C, H, W] with aligned corners, like
 * `torch.nn.UpsamplingBilinear2d`.
 *
 * @example
 * ```ts
 * new UpsamplingBilinear2d({ size: [5, 7] }).call(randn([1, 1, 2, 3])).shape; // [1, 1, 5, 7]
 * ```
 */
export class UpsamplingBilinear2d extends Upsample {
  /** Creates the layer. */
  constructor(opts: UpsamplingOptions = {}) {
    super({
      size: opts.size,
      scaleFactor: opts.scaleFactor,
      mode: "bilinear",
      alignCorners: true,
    });
  }
}

/**
 * Rearranges [*, C·r², H, W] into [*, C, H·r, W·r], like `torch.nn.PixelShuffle`.
 *
 * @example
 * ```ts
 * new PixelShuffle(3).call(randn([1, 9, 4, 4])).shape; // [1, 1, 12, 12]
 * ```
 */
export class PixelShuffle extends Module {
  /** The factor r. */
  readonly upscaleFactor: number;
  /** Creates the layer. */
  constructor(upscaleFactor: number) {
    super();
    this.upscaleFactor = upscaleFactor;
  }
  /** Shuffles `x`. */
  override forward(x: Tensor): Tensor {
    return pixelShuffle(x, this.upscaleFactor);
  }
  /** Configuration. */
  override extraRepr(): string {
    return `upscaleFactor=${this.upscaleFactor}`;
  }
}

/**
 * Rearranges [*, C, H·r, W·r] into [*, C·r², H, W], like `torch.nn.PixelUnshuffle`.
 *
 * @example
 * ```ts
 * new PixelUnshuffle(3).call(randn([1, 1, 12, 12])).shape; // [1, 9, 4, 4]
 * ```
 */
export class PixelUnshuffle extends Module {
  /** The factor r. */
  readonly downscaleFactor: number;
  /** Creates the layer. */
  constructor(downscaleFactor: number) {
    super();
    this.downscaleFactor = downscaleFactor;
  }
  /** Unshuffles `x`. */
  override forward(x: Tensor): Tensor {
    return pixelUnshuffle(x, this.downscaleFactor);
  }
  /** Configuration. */
  override extraRepr(): string {
    return `downscaleFactor=${this.downscaleFactor}`;
  }
}

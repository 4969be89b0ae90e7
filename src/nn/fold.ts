/** Sliding-block layers over `F.unfold` / `F.fold`: Unfold and Fold. */
import type { Tensor } from "../tensor/tensor.ts";
import { fold, type Size2, unfold, type WindowOptions } from "../ops/window.ts";
import { Module } from "./module.ts";

function fmt(v: Size2): string {
  return typeof v === "number" ? `${v}` : `[${v.join(", ")}]`;
}

/**
 * Extracts sliding blocks, [N, C, H, W] → [N, C·kh·kw, L], like `torch.nn.Unfold`.
 *
 * @example
 * ```ts
 * new Unfold(3, { padding: 1 }).call(randn([1, 2, 5, 5])).shape; // [1, 18, 25]
 * ```
 */
export class Unfold extends Module {
  /** Block size. */
  readonly kernelSize: Size2;
  /** Spacing between kernel taps. */
  readonly dilation: Size2;
  /** Implicit zero padding. */
  readonly padding: Size2;
  /** Step between blocks. */
  readonly stride: Size2;
  /** Creates the layer. */
  constructor(kernelSize: Size2, opts: WindowOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    this.dilation = opts.dilation ?? 1;
    this.padding = opts.padding ?? 0;
    this.stride = opts.stride ?? 1;
  }
  /** Unfolds `x`. */
  override forward(x: Tensor): Tensor {
    return unfold(x, this.kernelSize, {
      dilation: this.dilation,
      padding: this.padding,
      stride: this.stride,
    });
  }
  /** Configuration. */
  override extraRepr(): string {
    return `kernelSize=${fmt(this.kernelSize)}, dilation=${fmt(this.dilation)}, padding=${
      fmt(this.padding)
    }, stride=${fmt(this.stride)}`;
  }
}

/**
 * Sums sliding blocks back into an image, [N, C·kh·kw, L] → [N, C, H, W], like
 * `torch.nn.Fold`.
 *
 * @example
 * ```ts
 * new Fold([4, 5], 2).call(randn([1, 12, 12])).shape; // [1, 3, 4, 5]
 * ```
 */
export class Fold extends Module {
  /** Spatial size of the output image. */
  readonly outputSize: Size2;
  /** Block size. */
  readonly kernelSize: Size2;
  /** Spacing between kernel taps. */
  readonly dilation: Size2;
  /** Implicit zero padding. */
  readonly padding: Size2;
  /** Step between blocks. */
  readonly stride: Size2;
  /** Creates the layer. */
  constructor(outputSize: Size2, kernelSize: Size2, opts: WindowOptions = {}) {
    super();
    this.outputSize = outputSize;
    this.kernelSize = kernelSize;
    this.dilation = opts.dilation ?? 1;
    this.padding = opts.padding ?? 0;
    this.stride = opts.stride ?? 1;
  }
  /** Folds `x`. */
  override forward(x: Tensor): Tensor {
    return fold(x, this.outputSize, this.kernelSize, {
      dilation: this.dilation,
      padding: this.padding,
      stride: this.stride,
    });
  }
  /** Configuration. */
  override extraRepr(): string {
    return `outputSize=${fmt(this.outputSize)}, kernelSize=${fmt(this.kernelSize)}, dilation=${
      fmt(this.dilation)
    }, padding=${fmt(this.padding)}, stride=${fmt(this.stride)}`;
  }
}

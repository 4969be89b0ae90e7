/** Flatten and Unflatten layers. */
import type { Tensor } from "../tensor/tensor.ts";
import { Module } from "./module.ts";

/**
 * Flattens dims startDim..endDim (default 1..-1, keeping the batch), like `torch.nn.Flatten`.
 *
 * @example
 * ```ts
 * new Flatten().call(randn([8, 16, 4, 4])); // [8, 256]
 * ```
 */
export class Flatten extends Module {
  /** First flattened dim. */
  readonly startDim: number;
  /** Last flattened dim. */
  readonly endDim: number;
  /** Creates the layer. */
  constructor(startDim = 1, endDim = -1) {
    super();
    this.startDim = startDim;
    this.endDim = endDim;
  }
  /** Flattens `x`. */
  override forward(x: Tensor): Tensor {
    return x.flatten(this.startDim, this.endDim);
  }
  /** Configuration. */
  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}

/** Splits `dim` into `unflattenedSize`, like `torch.nn.Unflatten`. */
export class Unflatten extends Module {
  /** The dim to split. */
  readonly dim: number;
  /** The sizes it becomes. */
  readonly unflattenedSize: number[];
  /** Creates the layer. */
  constructor(dim: number, unflattenedSize: number[]) {
    super();
    this.dim = dim;
    this.unflattenedSize = [...unflattenedSize];
  }
  /** Unflattens `x`. */
  override forward(x: Tensor): Tensor {
    return x.unflatten(this.dim, this.unflattenedSize);
  }
  /** Configuration. */
  override extraRepr(): string {
    return `dim=${this.dim}, unflattenedSize=[${this.unflattenedSize.join(", ")}]`;
  }
}

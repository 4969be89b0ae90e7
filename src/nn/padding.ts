/**
 * Padding layers over `F.pad`: ZeroPad2d, ConstantPad1d/2d/3d, ReflectionPad1d/2d/3d and
 * ReplicationPad1d/2d/3d, like torch.nn's.
 */
import type { Tensor } from "../tensor/tensor.ts";
import { fmtShape } from "../tensor/shape.ts";
import { pad, type PadMode } from "../ops/pad.ts";
import { Module } from "./module.ts";

/** Padding of a 1-D layer: both sides alike, or `[left, right]`. */
export type Padding1d = number | [number, number];
/** Padding of a 2-D layer: all sides alike, or `[left, right, top, bottom]`. */
export type Padding2d = number | [number, number, number, number];
/** Padding of a 3-D layer: all sides alike, or `[left, right, top, bottom, front, back]`. */
export type Padding3d = number | [number, number, number, number, number, number];

/** Shared implementation: a fixed `pads` list and mode, and the input ranks allowed. */
abstract class PadBase extends Module {
  /** The (before, after) pads from the last dim, as `F.pad` takes them. */
  readonly padding: number[];
  readonly #mode: PadMode;
  readonly #value: number;
  readonly #dims: number;

  constructor(padding: number | number[], dims: 1 | 2 | 3, mode: PadMode, value = 0) {
    super();
    const n = 2 * dims;
    const p = typeof padding === "number" ? new Array<number>(n).fill(padding) : [...padding];
    if (p.length !== n || !p.every(Number.isInteger)) {
      throw new RangeError(
        `${new.target.name}: padding must be an integer or ${n} integers (got ${
          JSON.stringify(padding)
        })`,
      );
    }
    this.padding = p;
    this.#mode = mode;
    this.#value = value;
    this.#dims = dims;
  }

  /** Pads `x`. */
  override forward(x: Tensor): Tensor {
    const d = this.#dims;
    if (x.ndim !== d + 1 && x.ndim !== d + 2) {
      throw new RangeError(
        `expected ${d + 1}D (unbatched) or ${d + 2}D input, got ${x.ndim}D input of shape ${
          fmtShape(x.shape)
        }`,
      );
    }
    return pad(x, this.padding, this.#mode, this.#value);
  }

  /** Configuration. */
  override extraRepr(): string {
    return `padding=${fmtShape(this.padding)}`;
  }
}

/** Shared part of the constant pads (they show their value). */
abstract class ConstantPadBase extends PadBase {
  /** The fill value. */
  readonly value: number;
  constructor(padding: number | number[], dims: 1 | 2 | 3, value: number) {
    super(padding, dims, "constant", value);
    this.value = value;
  }
  /** Configuration. */
  override extraRepr(): string {
    return `${super.extraRepr()}, value=${this.value}`;
  }
}

/**
 * Pads the last dim of [N, C, W] or [C, W] with `value`, like `torch.nn.ConstantPad1d`.
 *
 * @example
 * ```ts
 * new ConstantPad1d([1, 2], 3.5).call(randn([1, 2, 4])).shape; // [1, 2, 7]
 * ```
 */
export class ConstantPad1d extends ConstantPadBase {
  /** Creates the layer. */
  constructor(padding: Padding1d, value: number) {
    super(padding, 1, value);
  }
}

/**
 * Pads the last two dims of [N, C, H, W] or [C, H, W] with `value`, like
 * `torch.nn.ConstantPad2d`.
 *
 * @example
 * ```ts
 * new ConstantPad2d(1, -1).call(randn([1, 2, 4, 4])).shape; // [1, 2, 6, 6]
 * ```
 */
export class ConstantPad2d extends ConstantPadBase {
  /** Creates the layer. */
  constructor(padding: Padding2d, value: number) {
    super(padding, 2, value);
  }
}

/**
 * Pads the last two dims with zeros, like `torch.nn.ZeroPad2d`.
 *
 * @example
 * ```ts
 * new ZeroPad2d([1, 1, 2, 0]).call(randn([1, 1, 3, 3])).shape; // [1, 1, 5, 5]
 * ```
 */
export class ZeroPad2d extends PadBase {
  /** Creates the layer. */
  constructor(padding: Padding2d) {
    super(padding, 2, "constant", 0);
  }
}

/**
 * Pads the last dim with its reflection (edge not repeated), like `torch.nn.ReflectionPad1d`.
 *
 * @example
 * ```ts
 * new ReflectionPad1d(2).call(randn([1, 2, 4])).shape; // [1, 2, 8]
 * ```
 */
export class ReflectionPad1d extends PadBase {
  /** Creates the layer. */
  constructor(padding: Padding1d) {
    super(padding, 1, "reflect");
  }
}

/**
 * Pads the last two dims with their reflection, like `torch.nn.ReflectionPad2d`.
 *
 * @example
 * ```ts
 * new ReflectionPad2d([1, 1, 2, 0]).call(randn([1, 1, 3, 3])).shape; // [1, 1, 5, 5]
 * ```
 */
export class ReflectionPad2d extends PadBase {
  /** Creates the layer. */
  constructor(padding: Padding2d) {
    super(padding, 2, "reflect");
  }
}

/**
 * Pads the last dim by repeating its edge values, like `torch.nn.ReplicationPad1d`.
 *
 * @example
 * ```ts
 * new ReplicationPad1d([3, 1]).call(randn([1, 2, 4])).shape; // [1, 2, 8]
 * ```
 */
export class ReplicationPad1d extends PadBase {
  /** Creates the layer. */
  constructor(padding: Padding1d) {
    super(padding, 1, "replicate");
  }
}

/**
 * Pads the last two dims by repeating their edge values, like `torch.nn.ReplicationPad2d`.
 *
 * @example
 * ```ts
 * new ReplicationPad2d(2).call(randn([1, 1, 3, 3])).shape; // [1, 1, 7, 7]
 * ```
 */
export class ReplicationPad2d extends PadBase {
  /** Creates the layer. */
  constructor(padding: Padding2d) {
    super(padding, 2, "replicate");
  }
}

/**
 * Pads the last three dims of [N, C, D, H, W] or [C, D, H, W] with `value`, like
 * `torch.nn.ConstantPad3d`.
 *
 * @example
 * ```ts
 * new ConstantPad3d([1, 1, 0, 2, 1, 0], 0.5).call(randn([1, 2, 3, 3, 3])).shape; // [1, 2, 4, 5, 5]
 * ```
 */
export class ConstantPad3d extends ConstantPadBase {
  /** Creates the layer. */
  constructor(padding: Padding3d, value: number) {
    super(padding, 3, value);
  }
}

/**
 * Pads the last three dims with their reflection (edges not repeated), like
 * `torch.nn.ReflectionPad3d`.
 *
 * @example
 * ```ts
 * new ReflectionPad3d(1).call(randn([1, 2, 3, 4, 4])).shape; // [1, 2, 5, 6, 6]
 * ```
 */
export class ReflectionPad3d extends PadBase {
  /** Creates the layer. */
  constructor(padding: Padding3d) {
    super(padding, 3, "reflect");
  }
}

/**
 * Pads the last three dims by repeating their edge values, like `torch.nn.ReplicationPad3d`.
 *
 * @example
 * ```ts
 * new ReplicationPad3d([2, 0, 1, 1, 0, 3]).call(randn([2, 3, 3, 3])).shape; // [2, 6, 5, 5]
 * ```
 */
export class ReplicationPad3d extends PadBase {
  /** Creates the layer. */
  constructor(padding: Padding3d) {
    super(padding, 3, "replicate");
  }
}

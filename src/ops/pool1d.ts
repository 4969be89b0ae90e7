/**
 * 1-D pooling as 2-D pooling over a unit height: [N, C, L] becomes [N, C, 1, L], so the 1-D
 * ops get the 2-D kernels (the fused max pooling included), their gradients and their index
 * convention (h·W + w with h = 0 is the position along L). Arguments are checked here first, so
 * errors name the 1-D op and the shapes the caller passed.
 */
import { scope } from "../tensor/memory.ts";
import { fmtShape } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkRank, checkWindowFits, single, type Size1 } from "./conv.ts";
import {
  adaptiveAvgPool2d,
  adaptiveMaxPool2d,
  avgPool2d,
  maxPool2d,
  poolWindow,
  type ReturnIndicesOption,
} from "./pool.ts";
import { squeeze, unsqueeze } from "./view.ts";

/** Options of `maxPool1d` (PyTorch's keyword arguments). */
export interface MaxPool1dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size1 | null;
  /** Implicit -∞ padding on both sides, at most half the kernel (default 0). */
  padding?: Size1;
  /** Spacing between window taps (default 1). */
  dilation?: Size1;
  /** Use ceil instead of floor for the output length (default false). */
  ceilMode?: boolean;
}

/** Options of `avgPool1d` (PyTorch's keyword arguments). */
export interface AvgPool1dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size1 | null;
  /** Implicit zero padding on both sides, at most half the kernel (default 0). */
  padding?: Size1;
  /** Use ceil instead of floor for the output length (default false). */
  ceilMode?: boolean;
  /** Count padded zeros in the divisor (default true). */
  countIncludePad?: boolean;
}

/** Resolves and checks the 1-D window, returning the 2-D options over a unit height. */
function window1d(op: string, x: Tensor, kernelSize: Size1, opts: MaxPool1dOptions) {
  const { k, s, p, d, ceil, out } = poolWindow(op, x, 1, single, kernelSize, opts);
  checkWindowFits(op, x, [x.shape[x.ndim - 1]], out, [k], [p], [d]);
  return {
    kernel: [1, k] as [number, number],
    stride: [1, s] as [number, number],
    padding: [0, p] as [number, number],
    dilation: [1, d] as [number, number],
    ceilMode: ceil,
  };
}

/**
 * torch.nn.functional.max_pool1d over [N, C, L] (or [C, L]): the maximum of each window;
 * padding reads -∞. With `returnIndices: true` it returns `[values, indices]`, the int32
 * positions of the (first) maxima along L.
 *
 * @example
 * ```ts
 * const y = maxPool1d(randn([2, 4, 9]), 3, { stride: 2, padding: 1 }); // [2, 4, 5]
 * ```
 */
export function maxPool1d(
  x: Tensor,
  kernelSize: Size1,
  opts: MaxPool1dOptions & { returnIndices: true },
): [Tensor, Tensor];
export function maxPool1d(
  x: Tensor,
  kernelSize: Size1,
  opts?: MaxPool1dOptions & ReturnIndicesOption<false>,
): Tensor;
export function maxPool1d(
  x: Tensor,
  kernelSize: Size1,
  opts: MaxPool1dOptions & ReturnIndicesOption = {},
): Tensor | [Tensor, Tensor] {
  const { kernel, ...w } = window1d("maxPool1d", x, kernelSize, opts);
  return scope(() => {
    const x4 = unsqueeze(x, -2);
    if (!opts.returnIndices) return squeeze(maxPool2d(x4, kernel, w), -2);
    const [v, i] = maxPool2d(x4, kernel, { ...w, returnIndices: true });
    return [squeeze(v, -2), squeeze(i, -2)];
  });
}

/**
 * torch.nn.functional.avg_pool1d over [N, C, L] (or [C, L]), with PyTorch's divisor rules for
 * padding (`countIncludePad`) and ceil mode.
 *
 * @example
 * ```ts
 * const y = avgPool1d(randn([2, 4, 9]), 3, { padding: 1, countIncludePad: false }); // [2, 4, 3]
 * ```
 */
export function avgPool1d(x: Tensor, kernelSize: Size1, opts: AvgPool1dOptions = {}): Tensor {
  const { kernel, stride, padding, ceilMode } = window1d("avgPool1d", x, kernelSize, opts);
  return scope(() =>
    squeeze(
      avgPool2d(unsqueeze(x, -2), kernel, {
        stride,
        padding,
        ceilMode,
        countIncludePad: opts.countIncludePad ?? true,
      }),
      -2,
    )
  );
}

/** Checks the input and resolves a 1-D adaptive output size. */
function adaptive1d(op: string, x: Tensor, outputSize: Size1): number {
  x.check(op);
  checkRank(op, x, 1);
  return single(op, "output size", outputSize, 1);
}

/**
 * torch.nn.functional.adaptive_avg_pool1d: averages [N, C, L] (or [C, L]) over PyTorch's
 * adaptive bins (bin i covers ⌊i·L/out⌋ .. ⌈(i+1)·L/out⌉ − 1) so the output length is
 * `outputSize`.
 *
 * @example
 * ```ts
 * const y = adaptiveAvgPool1d(randn([2, 4, 10]), 3); // [2, 4, 3]
 * ```
 */
export function adaptiveAvgPool1d(x: Tensor, outputSize: Size1): Tensor {
  const out = adaptive1d("adaptiveAvgPool1d", x, outputSize);
  return scope(() => squeeze(adaptiveAvgPool2d(unsqueeze(x, -2), [1, out]), -2));
}

/**
 * torch.nn.functional.adaptive_max_pool1d: the maximum of [N, C, L] (or [C, L]) over PyTorch's
 * adaptive bins so the output length is `outputSize`; with `returnIndices`, also the int32
 * positions along L of the (first) maxima.
 *
 * @example
 * ```ts
 * const [y, idx] = adaptiveMaxPool1d(randn([2, 4, 10]), 3, { returnIndices: true });
 * ```
 */
export function adaptiveMaxPool1d(
  x: Tensor,
  outputSize: Size1,
  opts: { returnIndices: true },
): [Tensor, Tensor];
export function adaptiveMaxPool1d(
  x: Tensor,
  outputSize: Size1,
  opts?: ReturnIndicesOption<false>,
): Tensor;
export function adaptiveMaxPool1d(
  x: Tensor,
  outputSize: Size1,
  opts: ReturnIndicesOption = {},
): Tensor | [Tensor, Tensor] {
  const op = "adaptiveMaxPool1d";
  const out = adaptive1d(op, x, outputSize);
  if (x.shape[x.ndim - 1] === 0) {
    throw new RangeError(`${op}: expected a non-empty last dim, got ${fmtShape(x.shape)}`);
  }
  return scope(() => {
    const x4 = unsqueeze(x, -2);
    if (!opts.returnIndices) return squeeze(adaptiveMaxPool2d(x4, [1, out]), -2);
    const [v, i] = adaptiveMaxPool2d(x4, [1, out], { returnIndices: true });
    return [squeeze(v, -2), squeeze(i, -2)];
  });
}

/**
 * Power-average pooling, composed as PyTorch 1.13 composes it (average pooling of x^p, times
 * the kernel size, to the power 1/p), so the numbers, ceil-mode edge windows included, and the
 * gradients are PyTorch's. (PyTorch writes the average a as sign(a)·relu(|a|), which is a.)
 */
import { scope } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { single, type Size1 } from "./conv.ts";
import { avgPool2d } from "./pool.ts";
import { avgPool1d } from "./pool1d.ts";
import { pair, type Size2 } from "./window.ts";

/** Options of `lpPool1d`. */
export interface LPPool1dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size1 | null;
  /** Use ceil instead of floor for the output length (default false). */
  ceilMode?: boolean;
}

/** Options of `lpPool2d`. */
export interface LPPool2dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size2 | null;
  /** Use ceil instead of floor for the output size (default false). */
  ceilMode?: boolean;
}

function checkNorm(op: string, normType: number): void {
  if (!(normType > 0)) {
    throw new RangeError(`${op}: normType must be a positive number (got ${normType})`);
  }
}

/**
 * torch.nn.functional.lp_pool1d over [N, C, L] (or [C, L]): (Σ_window x^p)^(1/p), no padding.
 * With `ceilMode` the edge windows that overhang are averaged over their in-bounds part and
 * scaled by the full kernel size, as in PyTorch.
 *
 * @example
 * ```ts
 * const y = lpPool1d(randn([2, 4, 9]), 2, 3); // [2, 4, 3]: the L2 norm of each window
 * ```
 */
export function lpPool1d(
  x: Tensor,
  normType: number,
  kernelSize: Size1,
  opts: LPPool1dOptions = {},
): Tensor {
  const op = "lpPool1d";
  checkNorm(op, normType);
  const k = single(op, "kernel size", kernelSize, 1);
  return scope(() => {
    const avg = avgPool1d(x.pow(normType), k, {
      stride: opts.stride ?? k,
      ceilMode: opts.ceilMode ?? false,
    });
    return avg.mul(k).pow(1 / normType);
  });
}

/**
 * torch.nn.functional.lp_pool2d over [N, C, H, W] (or [C, H, W]): (Σ_window x^p)^(1/p), no
 * padding; ceil-mode edge windows as in PyTorch (see `lpPool1d`).
 *
 * @example
 * ```ts
 * const y = lpPool2d(randn([1, 3, 8, 8]), 2, 2); // [1, 3, 4, 4]
 * ```
 */
export function lpPool2d(
  x: Tensor,
  normType: number,
  kernelSize: Size2,
  opts: LPPool2dOptions = {},
): Tensor {
  const op = "lpPool2d";
  checkNorm(op, normType);
  const k = pair(op, "kernel size", kernelSize, 1);
  return scope(() => {
    const avg = avgPool2d(x.pow(normType), k, {
      stride: opts.stride ?? k,
      ceilMode: opts.ceilMode ?? false,
    });
    return avg.mul(k[0] * k[1]).pow(1 / normType);
  });
}

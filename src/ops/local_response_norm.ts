/**
 * Local response normalisation as PyTorch 1.13 computes it: the squares are zero-padded along
 * the channel dim and averaged over a window of `size` channels by average pooling, so the
 * gradient comes from the pooling and elementwise ops.
 */
import { scope } from "../tensor/memory.ts";
import { fmtShape } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { add, div, mul, pow } from "./elementwise.ts";
import { pad } from "./pad.ts";
import { avgPool2d } from "./pool.ts";
import { reshape } from "./view.ts";

/** Options of `localResponseNorm` (PyTorch's keyword arguments). */
export interface LocalResponseNormOptions {
  /** Multiplicative factor of the window average (default 1e-4). */
  alpha?: number;
  /** Exponent (default 0.75). */
  beta?: number;
  /** Additive constant (default 1). */
  k?: number;
}

/**
 * torch.nn.functional.local_response_norm over an [N, C, *] input:
 * x / (k + α·mean(x² over `size` neighbouring channels))^β, the window centred on each channel
 * (⌊size/2⌋ before, ⌊(size − 1)/2⌋ after) with zeros beyond the edges counted in the mean.
 *
 * @example
 * ```ts
 * const y = localResponseNorm(randn([2, 16, 8, 8]), 5); // AlexNet's normalisation
 * ```
 */
export function localResponseNorm(
  x: Tensor,
  size: number,
  opts: LocalResponseNormOptions = {},
): Tensor {
  const op = "localResponseNorm";
  x.check(op);
  const { alpha = 1e-4, beta = 0.75, k = 1 } = opts;
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`${op}: size must be a positive integer (got ${size})`);
  }
  if (x.ndim < 3) {
    throw new RangeError(
      `${op}: expected an input [N, C, *] with 3 or more dims, got ${fmtShape(x.shape)}`,
    );
  }
  if (x.numel === 0) return x;
  const [N, C] = x.shape;
  return scope(() => {
    const sq = reshape(mul(x, x), [N, 1, C, -1]);
    const padded = pad(sq, [0, 0, Math.floor(size / 2), Math.floor((size - 1) / 2)]);
    const avg = reshape(avgPool2d(padded, [size, 1], { stride: 1 }), x.shape);
    return div(x, pow(add(mul(avg, alpha), k), beta));
  });
}

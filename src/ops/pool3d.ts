/**
 * 3-D pooling as two 2-D poolings. A box window is the product of one window per dim, and max
 * and average are separable over such a product: pool every depth plane over (H, W) with the
 * 2-D kernels, then pool the [D, oh·ow] result over depth with a [kd, 1] window. Ceil mode,
 * padding and dilation are per dim already; the average divisor of PyTorch's avg_pool3d is the
 * product of the per-dim counts, which is what the two divisions apply. Max pooling keeps
 * PyTorch's first maximum in (d, h, w) order: the first depth holding the maximum, then the
 * first position within that plane. Gradients come from the two 2-D ops.
 */
import { noGrad } from "../autograd/grad_mode.ts";
import { scope } from "../tensor/memory.ts";
import { fmtShape, numelOf } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { add, mul } from "./elementwise.ts";
import { floorDivide } from "./math.ts";
import { gather } from "./index.ts";
import { matmul } from "./matmul.ts";
import {
  adaptiveAvgPool2d,
  adaptiveMatrix,
  adaptiveMaxPool2d,
  avgPool2d,
  maxPool2d,
  poolWindow,
  type ReturnIndicesOption,
} from "./pool.ts";
import { checkRank, checkWindowFits } from "./conv.ts";
import { reshape } from "./view.ts";
import { type Size3, triple } from "./window.ts";

/** Options of `maxPool3d` (PyTorch's keyword arguments). */
export interface MaxPool3dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size3 | null;
  /** Implicit -∞ padding on both sides, at most half the kernel (default 0). */
  padding?: Size3;
  /** Spacing between window taps (default 1). */
  dilation?: Size3;
  /** Use ceil instead of floor for the output size (default false). */
  ceilMode?: boolean;
}

/** Options of `avgPool3d` (PyTorch's keyword arguments). */
export interface AvgPool3dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size3 | null;
  /** Implicit zero padding on both sides, at most half the kernel (default 0). */
  padding?: Size3;
  /** Use ceil instead of floor for the output size (default false). */
  ceilMode?: boolean;
  /** Count padded zeros in the divisor (default true). */
  countIncludePad?: boolean;
  /** Divide by this instead of the window size. */
  divisorOverride?: number | null;
}

/** An adaptive 3-D output size: one size for all dims, or [d, h, w] with null keeping a dim. */
export type AdaptiveSize3 = number | [number | null, number | null, number | null];

/** The input seen as P planes-stacks of [D, H, W] (P = N·C, or C unbatched). */
interface Volume {
  lead: number[];
  P: number;
  D: number;
  H: number;
  W: number;
}

/** Checks an [N, C, D, H, W] / [C, D, H, W] input and views it as a volume stack. */
function volume(op: string, x: Tensor): Volume {
  x.check(op);
  checkRank(op, x, 3);
  return volumeOf(x);
}

/** x as a volume stack, unchecked. */
function volumeOf(x: Tensor): Volume {
  const lead = x.shape.slice(0, -3);
  const [D, H, W] = x.shape.slice(-3);
  return { lead, P: numelOf(lead), D, H, W };
}

/** Resolves and checks a 3-D pooling window. */
function window3d(op: string, x: Tensor, kernelSize: Size3, opts: MaxPool3dOptions) {
  const { k, s, p, d, ceil, out } = poolWindow(op, x, 3, triple, kernelSize, opts);
  checkWindowFits(op, x, x.shape.slice(-3), out, k, p, d);
  return { v: volumeOf(x), k, s, p, d, ceil };
}

/**
 * The flat per-volume index d·H·W + h·W + w of each maximum, from the plane maxima's indices
 * `inPlane` [P·D, oh, ow] (h·W + w) and the depth stage's indices `overDepth` [P, od, oh·ow]
 * (flat in [D, oh·ow], so depth·oh·ow + the output position).
 */
function volumeIndices(inPlane: Tensor, overDepth: Tensor, v: Volume): Tensor {
  const [, od, ohw] = overDepth.shape;
  return noGrad(() => {
    const hw = gather(reshape(inPlane, [v.P, v.D * ohw]), 1, reshape(overDepth, [v.P, od * ohw]));
    const depth = floorDivide(reshape(overDepth, [v.P, od * ohw]), ohw);
    return add(mul(depth, v.H * v.W), hw);
  });
}

/**
 * torch.nn.functional.max_pool3d over [N, C, D, H, W] (or [C, D, H, W]); padding reads -∞.
 * With `returnIndices: true` it returns `[values, indices]`, the int32 indices flat per input
 * volume (d·H·W + h·W + w).
 *
 * @example
 * ```ts
 * const y = maxPool3d(randn([1, 2, 8, 8, 8]), 2); // [1, 2, 4, 4, 4]
 * ```
 */
export function maxPool3d(
  x: Tensor,
  kernelSize: Size3,
  opts: MaxPool3dOptions & { returnIndices: true },
): [Tensor, Tensor];
export function maxPool3d(
  x: Tensor,
  kernelSize: Size3,
  opts?: MaxPool3dOptions & ReturnIndicesOption<false>,
): Tensor;
export function maxPool3d(
  x: Tensor,
  kernelSize: Size3,
  opts: MaxPool3dOptions & ReturnIndicesOption = {},
): Tensor | [Tensor, Tensor] {
  const { v, k, s, p, d, ceil } = window3d("maxPool3d", x, kernelSize, opts);
  return scope(() => {
    const [planes, inPlane] = maxPool2d(reshape(x, [v.P * v.D, v.H, v.W]), [k[1], k[2]], {
      stride: [s[1], s[2]],
      padding: [p[1], p[2]],
      dilation: [d[1], d[2]],
      ceilMode: ceil,
      returnIndices: true,
    });
    const [, oh, ow] = planes.shape;
    const [values, overDepth] = maxPool2d(reshape(planes, [v.P, v.D, oh * ow]), [k[0], 1], {
      stride: [s[0], 1],
      padding: [p[0], 0],
      dilation: [d[0], 1],
      ceilMode: ceil,
      returnIndices: true,
    });
    const shape = [...v.lead, values.shape[1], oh, ow];
    const y = reshape(values, shape);
    if (!opts.returnIndices) return y;
    return [y, reshape(volumeIndices(inPlane, overDepth, v), shape)];
  });
}

/**
 * torch.nn.functional.avg_pool3d over [N, C, D, H, W] (or [C, D, H, W]), with PyTorch's divisor
 * rules for padding (`countIncludePad`), ceil mode and `divisorOverride`.
 *
 * @example
 * ```ts
 * const y = avgPool3d(randn([1, 2, 7, 7, 7]), 3, { stride: 2, padding: 1 }); // [1, 2, 4, 4, 4]
 * ```
 */
export function avgPool3d(x: Tensor, kernelSize: Size3, opts: AvgPool3dOptions = {}): Tensor {
  const op = "avgPool3d";
  const { v, k, s, p, ceil } = window3d(op, x, kernelSize, { ...opts, dilation: 1 });
  const override = opts.divisorOverride ?? null;
  if (override !== null && !(override > 0)) {
    throw new RangeError(`${op}: divisorOverride must be positive (got ${override})`);
  }
  const countIncludePad = opts.countIncludePad ?? true;
  return scope(() => {
    // With an override the planes are summed (divisor 1) and the depth stage divides once.
    const planes = avgPool2d(reshape(x, [v.P * v.D, v.H, v.W]), [k[1], k[2]], {
      stride: [s[1], s[2]],
      padding: [p[1], p[2]],
      ceilMode: ceil,
      countIncludePad,
      divisorOverride: override === null ? null : 1,
    });
    const [, oh, ow] = planes.shape;
    const y = avgPool2d(reshape(planes, [v.P, v.D, oh * ow]), [k[0], 1], {
      stride: [s[0], 1],
      padding: [p[0], 0],
      ceilMode: ceil,
      countIncludePad,
      divisorOverride: override,
    });
    return reshape(y, [...v.lead, y.shape[1], oh, ow]);
  });
}

/** Resolves an adaptive 3-D output size against the input's [D, H, W]. */
function adaptiveSize3(op: string, v: Volume, outputSize: AdaptiveSize3): number[] {
  const os = typeof outputSize === "number" ? [outputSize, outputSize, outputSize] : outputSize;
  const out = [v.D, v.H, v.W].map((n, i) => os[i] ?? n);
  if (os.length !== 3 || !out.every((o) => Number.isInteger(o) && o >= 1)) {
    throw new RangeError(
      `${op}: output size must be a positive integer or a triple of them or null (got ${
        JSON.stringify(outputSize)
      })`,
    );
  }
  return out;
}

/**
 * torch.nn.functional.adaptive_avg_pool3d: averages [N, C, D, H, W] (or [C, D, H, W]) over
 * PyTorch's adaptive bins so the output is `outputSize` (null keeps that input dim).
 *
 * @example
 * ```ts
 * const y = adaptiveAvgPool3d(randn([2, 4, 5, 7, 6]), [2, 3, null]); // [2, 4, 2, 3, 6]
 * ```
 */
export function adaptiveAvgPool3d(x: Tensor, outputSize: AdaptiveSize3): Tensor {
  const op = "adaptiveAvgPool3d";
  const v = volume(op, x);
  const [od, oh, ow] = adaptiveSize3(op, v, outputSize);
  return scope(() => {
    const planes = adaptiveAvgPool2d(reshape(x, [v.P * v.D, v.H, v.W]), [oh, ow]);
    const stack = reshape(planes, [v.P, v.D, oh * ow]);
    // Depth bins: a window when they are even, else one [od, D] averaging product (a 2-D
    // adaptive pool here would also multiply by an identity over the oh·ow columns).
    const y = v.D % od === 0
      ? avgPool2d(stack, [v.D / od, 1])
      : matmul(adaptiveMatrix(v.D, od, x), stack);
    return reshape(y, [...v.lead, od, oh, ow]);
  });
}

/**
 * torch.nn.functional.adaptive_max_pool3d: the maximum of [N, C, D, H, W] (or [C, D, H, W])
 * over PyTorch's adaptive bins so the output is `outputSize` (null keeps that input dim); with
 * `returnIndices`, also the int32 indices flat per input volume (d·H·W + h·W + w).
 *
 * @example
 * ```ts
 * const [y, idx] = adaptiveMaxPool3d(randn([1, 2, 5, 6, 7]), 2, { returnIndices: true });
 * ```
 */
export function adaptiveMaxPool3d(
  x: Tensor,
  outputSize: AdaptiveSize3,
  opts: { returnIndices: true },
): [Tensor, Tensor];
export function adaptiveMaxPool3d(
  x: Tensor,
  outputSize: AdaptiveSize3,
  opts?: ReturnIndicesOption<false>,
): Tensor;
export function adaptiveMaxPool3d(
  x: Tensor,
  outputSize: AdaptiveSize3,
  opts: ReturnIndicesOption = {},
): Tensor | [Tensor, Tensor] {
  const op = "adaptiveMaxPool3d";
  const v = volume(op, x);
  const [od, oh, ow] = adaptiveSize3(op, v, outputSize);
  if (v.D === 0 || v.H === 0 || v.W === 0) {
    throw new RangeError(`${op}: expected non-empty spatial dims, got ${fmtShape(x.shape)}`);
  }
  return scope(() => {
    const [planes, inPlane] = adaptiveMaxPool2d(reshape(x, [v.P * v.D, v.H, v.W]), [oh, ow], {
      returnIndices: true,
    });
    const [values, overDepth] = adaptiveMaxPool2d(reshape(planes, [v.P, v.D, oh * ow]), [
      od,
      oh * ow,
    ], { returnIndices: true });
    const shape = [...v.lead, od, oh, ow];
    const y = reshape(values, shape);
    if (!opts.returnIndices) return y;
    return [y, reshape(volumeIndices(inPlane, overDepth, v), shape)];
  });
}

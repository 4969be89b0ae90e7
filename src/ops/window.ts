/**
 * Sliding-window ops: differentiable im2col (`unfold`) and col2im (`fold`) over the backend's
 * primitives. Convolution and pooling are built on them, so their backward passes reduce to
 * the same two kernels: the gradient of im2col is col2im and the gradient of col2im is im2col.
 */
import type { WindowParams } from "../backend/backend.ts";
import { record } from "../autograd/function.ts";
import { fmtShape } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { backendOf, emptyTensor } from "./dispatch.ts";
import { permute, reshape } from "./view.ts";

/** A size given once for both spatial dims or as `[h, w]`. */
export type Size2 = number | [number, number];

/** Expands a `Size2` to `[h, w]`, checking it holds integers >= `min`. */
export function pair(op: string, name: string, v: Size2, min = 0): [number, number] {
  const p: [number, number] = typeof v === "number" ? [v, v] : [v[0], v[1]];
  if (p.length !== 2 || !p.every((x) => Number.isInteger(x) && x >= min)) {
    throw new RangeError(
      `${op}: ${name} must be an integer >= ${min} or a pair of them (got ${JSON.stringify(v)})`,
    );
  }
  return p;
}

/** A size given once for the three spatial dims of a volume or as `[d, h, w]`. */
export type Size3 = number | [number, number, number];

/** Expands a `Size3` to `[d, h, w]`, checking it holds integers >= `min`. */
export function triple(op: string, name: string, v: Size3, min = 0): [number, number, number] {
  const t: number[] = typeof v === "number" ? [v, v, v] : [...v];
  if (t.length !== 3 || !t.every((x) => Number.isInteger(x) && x >= min)) {
    throw new RangeError(
      `${op}: ${name} must be an integer >= ${min} or a triple of them (got ${JSON.stringify(v)})`,
    );
  }
  return [t[0], t[1], t[2]];
}

/** Window geometry options (PyTorch's unfold/conv arguments). */
export interface WindowOptions {
  /** Step between windows (default 1). */
  stride?: Size2;
  /** Implicit padding on both sides (default 0). */
  padding?: Size2;
  /** Spacing between kernel taps (default 1). */
  dilation?: Size2;
}

/** Output extent of a window along one dim: floor((in + 2p - d(k-1) - 1) / s) + 1. */
export function windowOut(inp: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((inp + 2 * p - d * (k - 1) - 1) / s) + 1;
}

/**
 * Builds WindowParams for an [N, C, H, W] input. `outSize` overrides the output extent (used
 * for "same" padding and ceil-mode pooling, whose extra windows read the pad value).
 */
export function windowParams(
  op: string,
  inputHW: readonly number[],
  kernel: Size2,
  opts: WindowOptions = {},
  outSize?: [number, number],
): WindowParams {
  const [kh, kw] = pair(op, "kernel size", kernel, 1);
  const [sh, sw] = pair(op, "stride", opts.stride ?? 1, 1);
  const [ph, pw] = pair(op, "padding", opts.padding ?? 0, 0);
  const [dh, dw] = pair(op, "dilation", opts.dilation ?? 1, 1);
  const [ih, iw] = inputHW;
  const oh = outSize?.[0] ?? windowOut(ih, kh, sh, ph, dh);
  const ow = outSize?.[1] ?? windowOut(iw, kw, sw, pw, dw);
  if (oh <= 0 || ow <= 0) {
    throw new RangeError(
      `${op}: the padded input of size ${fmtShape([ih + 2 * ph, iw + 2 * pw])} is smaller than ` +
        `the dilated kernel ${fmtShape([dh * (kh - 1) + 1, dw * (kw - 1) + 1])} (output ` +
        `${fmtShape([oh, ow])})`,
    );
  }
  return { kh, kw, sh, sw, ph, pw, dh, dw, ih, iw, oh, ow };
}

function check4d(op: string, x: Tensor): void {
  x.check(op);
  if (x.ndim !== 4) {
    throw new RangeError(`${op}: expected a 4-D input [N, C, H, W], got ${fmtShape(x.shape)}`);
  }
}

/**
 * im2col with autograd: x [N, C, H, W] → [N, C*kh*kw, oh*ow], rows ordered (c, ki, kj).
 * Padding reads `padValue` (0 for convolution, -Infinity for max pooling); padded taps get no
 * gradient.
 */
export function im2col(x: Tensor, p: WindowParams, padValue = 0): Tensor {
  check4d("im2col", x);
  const [N, C, H, W] = x.shape;
  if (H !== p.ih || W !== p.iw) {
    throw new RangeError(
      `im2col: input ${fmtShape(x.shape)} does not match the window geometry for ` +
        `${fmtShape([p.ih, p.iw])}`,
    );
  }
  const b = backendOf("im2col", x);
  const out = emptyTensor([N, C * p.kh * p.kw, p.oh * p.ow], x.dtype, x.device);
  if (out.numel) b.im2col(x, p, padValue, out);
  return record(out, "Im2ColBackward", [x], [], (g) => [col2im(g, p)]);
}

/**
 * The convolution patch matrix with autograd: x [N, C, H, W] → P [N*oh*ow, C*kh*kw], one row
 * per output pixel (columns ordered (c, ki, kj)), so a convolution is one GEMM P @ Wᵀ with
 * M = N*oh*ow. Its gradient is col2im of the gradient read through the permuted view.
 */
export function im2colRows(x: Tensor, p: WindowParams, padValue = 0): Tensor {
  check4d("im2col", x);
  const [N, C, H, W] = x.shape;
  if (H !== p.ih || W !== p.iw) {
    throw new RangeError(
      `im2col: input ${fmtShape(x.shape)} does not match the window geometry for ` +
        `${fmtShape([p.ih, p.iw])}`,
    );
  }
  const b = backendOf("im2col", x);
  const L = p.oh * p.ow, CK = C * p.kh * p.kw;
  const out = emptyTensor([N * L, CK], x.dtype, x.device);
  const cols = { storage: out.storage, shape: [N, CK, L], strides: [L * CK, 1, CK], offset: 0 };
  if (out.numel) b.im2col(x, p, padValue, cols);
  return record(out, "Im2ColBackward", [x], [], (g) => [col2im(rowsAsCols(g, N, L, CK), p)]);
}

/** Views a pixel-major [N*L, CK] matrix as the [N, CK, L] columns col2im expects. */
export function rowsAsCols(rows: Tensor, N: number, L: number, CK: number): Tensor {
  return permute(reshape(rows, [N, L, CK]), [0, 2, 1]);
}

/** col2im with autograd: cols [N, C*kh*kw, oh*ow] → [N, C, ih, iw], overlapping taps summed. */
export function col2im(cols: Tensor, p: WindowParams): Tensor {
  cols.check("col2im");
  const kk = p.kh * p.kw;
  if (cols.ndim !== 3 || cols.shape[1] % kk !== 0 || cols.shape[2] !== p.oh * p.ow) {
    throw new RangeError(
      `col2im: expected input [N, C*${kk}, ${p.oh * p.ow}] for kernel ${
        fmtShape([p.kh, p.kw])
      } and ${p.oh * p.ow} windows, got ${fmtShape(cols.shape)}`,
    );
  }
  const [N, CK] = cols.shape;
  const b = backendOf("col2im", cols);
  const out = emptyTensor([N, CK / kk, p.ih, p.iw], cols.dtype, cols.device);
  if (out.numel) b.col2im(cols, p, out.storage);
  return record(out, "Col2ImBackward", [cols], [], (g) => [im2col(g, p, 0)]);
}

/**
 * torch.nn.functional.unfold: extracts sliding blocks of a batched image, [N, C, H, W] →
 * [N, C*kh*kw, L].
 *
 * @example
 * ```ts
 * const cols = unfold(randn([1, 3, 8, 8]), 3, { padding: 1 }); // [1, 27, 64]
 * ```
 */
export function unfold(x: Tensor, kernelSize: Size2, opts: WindowOptions = {}): Tensor {
  check4d("unfold", x);
  return im2col(x, windowParams("unfold", x.shape.slice(2), kernelSize, opts));
}

/**
 * torch.nn.functional.fold: sums sliding blocks [N, C*kh*kw, L] back into an image of
 * `outputSize`, the adjoint of `unfold`.
 */
export function fold(
  cols: Tensor,
  outputSize: Size2,
  kernelSize: Size2,
  opts: WindowOptions = {},
): Tensor {
  cols.check("fold");
  const [oh, ow] = pair("fold", "output size", outputSize, 1);
  const p = windowParams("fold", [oh, ow], kernelSize, opts);
  if (cols.ndim !== 3 || cols.shape[2] !== p.oh * p.ow) {
    throw new RangeError(
      `fold: expected input [N, C*kh*kw, ${p.oh * p.ow}] (${p.oh}x${p.ow} blocks for output ` +
        `${fmtShape([oh, ow])}), got ${fmtShape(cols.shape)}`,
    );
  }
  return col2im(cols, p);
}

/**
 * 2-D convolution as GEMMs over the pixel-major patch matrix P [N*oh*ow, C*kh*kw]: forward
 * Y = P @ Wᵀ (returned as an NCHW view of the NHWC result), input gradient col2im(gY @ W),
 * weight gradient one GEMM Pᵀ @ gY with K = N*oh*ow. Groups become a batch dim of the
 * product, never a host loop.
 */
import { record } from "../autograd/function.ts";
import { noGrad } from "../autograd/grad_mode.ts";
import { scope } from "../tensor/memory.ts";
import { fmtShape, numelOf } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { add } from "./elementwise.ts";
import { matmul } from "./matmul.ts";
import { sum } from "./reduce.ts";
import { permute, reshape, squeeze, transpose, unsqueeze } from "./view.ts";
import { contiguous } from "./convert.ts";
import { col2im, im2colRows, pair, rowsAsCols, type Size2, windowParams } from "./window.ts";
import type { WindowParams } from "../backend/backend.ts";
import { backendOf, emptyTensor } from "./dispatch.ts";

/** Options of `conv2d` (PyTorch's keyword arguments). */
export interface Conv2dOptions {
  /** Step of the kernel (default 1). */
  stride?: Size2;
  /** Zero padding on both sides, or "same" / "valid" (default 0). */
  padding?: Size2 | "same" | "valid";
  /** Spacing between kernel taps (default 1). */
  dilation?: Size2;
  /** Number of blocked connections from input to output channels (default 1). */
  groups?: number;
}

/**
 * The zero pads of the "same" and "valid" padding options, null for explicit sizes. "same" keeps
 * the output at the input size and needs stride 1; its leading pad is ⌊dilation·(k − 1) / 2⌋ and
 * PyTorch puts an odd extra tap after.
 */
export function namedPadding(
  op: string,
  padding: unknown,
  kernel: readonly number[],
  stride: readonly number[],
  dilation: readonly number[],
): number[] | null {
  if (padding === "valid") return kernel.map(() => 0);
  if (padding === "same") {
    if (stride.some((s) => s !== 1)) {
      throw new RangeError(`${op}: padding="same" is not supported for strided convolutions`);
    }
    return kernel.map((k, i) => Math.floor((dilation[i] * (k - 1)) / 2));
  }
  if (typeof padding === "string") {
    throw new RangeError(`${op}: padding must be a size, "same" or "valid" (got "${padding}")`);
  }
  return null;
}

/** Resolves padding (incl. "same") to window geometry for an input of spatial size [h, w]. */
export function convParams(
  op: string,
  hw: readonly number[],
  kernel: [number, number],
  opts: Conv2dOptions,
): WindowParams {
  const dilation = pair(op, "dilation", opts.dilation ?? 1, 1);
  const stride = pair(op, "stride", opts.stride ?? 1, 1);
  const padding = opts.padding ?? 0;
  const named = namedPadding(op, padding, kernel, stride, dilation);
  if (!named) return windowParams(op, hw, kernel, { stride, dilation, padding: padding as Size2 });
  // NOTE: for even kernels PyTorch pads the extra row/column at the bottom/right; keeping the
  // output at the input size makes im2col read those positions as padding, so no copy is
  // needed for the asymmetric case.
  const out: [number, number] | undefined = padding === "same" ? [hw[0], hw[1]] : undefined;
  return windowParams(op, hw, kernel, { stride, dilation, padding: [named[0], named[1]] }, out);
}

/** Checks an input of `spatial` dims: unbatched (`spatial` + 1 dims) or batched (+ 2). */
export function checkRank(op: string, x: Tensor, spatial: number): void {
  if (x.ndim !== spatial + 1 && x.ndim !== spatial + 2) {
    throw new RangeError(
      `${op}: expected a ${spatial + 1}-D (unbatched) or ${spatial + 2}-D (batched) input, got ` +
        fmtShape(x.shape),
    );
  }
}

/** Per-dim sizes as the window ops print them: a number for one dim, `[a, b]` for more. */
export function fmtDims(v: readonly number[]): string {
  return v.length === 1 ? `${v[0]}` : fmtShape(v);
}

/**
 * Throws unless every output extent `out` of a window op is positive, naming the padded input
 * (`inp` + 2·`padding`) and the dilated kernel, per dim.
 */
export function checkWindowFits(
  op: string,
  x: Tensor,
  inp: readonly number[],
  out: readonly number[],
  kernel: readonly number[],
  padding: readonly number[],
  dilation: readonly number[],
): void {
  if (out.every((o) => o > 0)) return;
  const [extent, smaller] = inp.length === 1 ? ["length", "shorter"] : ["size", "smaller"];
  throw new RangeError(
    `${op}: the padded input of ${extent} ${fmtDims(inp.map((n, i) => n + 2 * padding[i]))} ` +
      `(input ${fmtShape(x.shape)}) is ${smaller} than the dilated kernel ${
        fmtDims(kernel.map((k, i) => dilation[i] * (k - 1) + 1))
      }`,
  );
}

/**
 * The checks every convolution makes of its input, weight and bias: one dtype for all, and a
 * bias of [Cout].
 */
function checkDtypeAndBias(
  op: string,
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  Cout: number,
): void {
  if (input.dtype !== weight.dtype || (bias && bias.dtype !== input.dtype)) {
    throw new TypeError(
      `${op}: input (${input.dtype}), weight (${weight.dtype})` +
        (bias ? ` and bias (${bias.dtype})` : "") + " must have the same dtype",
    );
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== Cout)) {
    throw new RangeError(`${op}: expected bias of shape [${Cout}], got ${fmtShape(bias.shape)}`);
  }
}

/**
 * The argument checks of conv2d and conv3d after the ranks: `groups` divides the weight's
 * output channels and matches the input's channels, then `checkDtypeAndBias`.
 */
export function checkConvArgs(
  op: string,
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  groups: number,
): void {
  const C = input.shape[1], [Cout, Cg] = weight.shape;
  if (!Number.isInteger(groups) || groups < 1 || Cout % groups !== 0) {
    throw new RangeError(
      `${op}: groups (${groups}) must be a positive integer dividing the ${Cout} output channels`,
    );
  }
  if (Cg * groups !== C) {
    throw new RangeError(
      `${op}: weight ${fmtShape(weight.shape)} with groups=${groups} expects input with ` +
        `${Cg * groups} channels, got input ${fmtShape(input.shape)}`,
    );
  }
  checkDtypeAndBias(op, input, weight, bias, Cout);
}

/**
 * torch.nn.functional.conv2d: input [N, Cin, H, W] (or unbatched [Cin, H, W]), weight
 * [Cout, Cin/groups, kh, kw], optional bias [Cout] → [N, Cout, oh, ow].
 *
 * @example
 * ```ts
 * const y = conv2d(randn([8, 3, 32, 32]), randn([16, 3, 3, 3]), null, { padding: 1 });
 * ```
 */
export function conv2d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  opts: Conv2dOptions = {},
): Tensor {
  input.check("conv2d");
  weight.check("conv2d");
  if (input.ndim === 3) {
    return scope(() => squeeze(conv2d(unsqueeze(input, 0), weight, bias, opts), 0));
  }
  checkRank("conv2d", input, 2);
  if (weight.ndim !== 4) {
    throw new RangeError(
      `conv2d: expected a 4-D weight [Cout, Cin/groups, kh, kw], got ${fmtShape(weight.shape)}`,
    );
  }
  const groups = opts.groups ?? 1;
  checkConvArgs("conv2d", input, weight, bias, groups);
  const [N, C] = input.shape;
  const [Cout, , kh, kw] = weight.shape;
  const p = convParams("conv2d", input.shape.slice(2), [kh, kw], opts);
  const be = backendOf("conv2d", input, weight, ...(bias ? [bias] : []));
  if (be.conv2d && be.conv2dBackwardInput && be.conv2dBackwardWeight && input.dtype === "float32") {
    return implicitConv(input, weight, bias, p, groups);
  }
  const G = groups, L = p.oh * p.ow, NL = N * L, CK = C * kh * kw;
  // The patch matrix P [N*L, C*KK] (one row per output pixel) makes every product one big GEMM
  // whose M or K is N*L; the output Y [N*L, Cout] is returned as an NCHW view (no copy).
  const P = noGrad(() => im2colRows(input, p, 0));
  const out = noGrad(() =>
    scope(() => {
      let y = patchForward(P, weight, G);
      if (bias) y = add(y, bias);
      return permute(reshape(y, [N, p.oh, p.ow, Cout]), [0, 3, 1, 2]);
    })
  );
  const needX = input.requiresGrad, needW = weight.requiresGrad, needB = !!bias?.requiresGrad;
  const wFull = weight.shape;
  // NOTE: the patch matrix is saved (not rebuilt from x): backward then costs two GEMMs + col2im.
  const res = record(
    out,
    "ConvolutionBackward",
    [input, weight, bias],
    [P, weight],
    (g, [P, w]) => {
      // The gradient as the [N*L, Cout] pixel-major matrix (one copy when g is NCHW-contiguous).
      const gy = reshape(permute(g, [0, 2, 3, 1]), [NL, Cout]);
      let gx: Tensor | null = null, gw: Tensor | null = null;
      if (needX) gx = col2im(rowsAsCols(patchInputGrad(gy, w, G), N, L, CK), p);
      if (needW) gw = patchWeightGrad(P, gy, G, wFull);
      const gb = needB ? sum(g, [0, 2, 3]) : null;
      return [gx, gw, gb];
    },
  );
  P.dispose();
  return res;
}

/** Y [NL, Cout] = P @ Wᵀ for the patch matrix P [NL, C*kh*kw], groups as a batch dim. */
function patchForward(P: Tensor, w: Tensor, G: number): Tensor {
  const [NL, CK] = P.shape, Cout = w.shape[0];
  if (G === 1) return matmul(P, contiguous(transpose(reshape(w, [Cout, CK]), 0, 1)));
  const CgKK = CK / G, Og = Cout / G;
  const pg = transpose(reshape(P, [NL, G, CgKK]), 0, 1); // [G, NL, CgKK] view
  const wt = contiguous(transpose(reshape(w, [G, Og, CgKK]), 1, 2));
  return reshape(transpose(matmul(pg, wt), 0, 1), [NL, Cout]);
}

/** dP [NL, C*kh*kw] = gY @ W for the pixel-major gradient gY [NL, Cout] (col2im's input). */
function patchInputGrad(gy: Tensor, w: Tensor, G: number): Tensor {
  const NL = gy.shape[0], Cout = w.shape[0], CgKK = numelOf(w.shape.slice(1));
  if (G === 1) return matmul(gy, reshape(w, [Cout, CgKK]));
  const Og = Cout / G;
  return reshape(
    transpose(
      matmul(transpose(reshape(gy, [NL, G, Og]), 0, 1), reshape(w, [G, Og, CgKK])),
      0,
      1,
    ),
    [NL, G * CgKK],
  );
}

/** dW (shaped `wShape`) = (Pᵀ @ gY)ᵀ for the patch matrix P and pixel-major gradient gY. */
function patchWeightGrad(P: Tensor, gy: Tensor, G: number, wShape: readonly number[]): Tensor {
  const [NL, CK] = P.shape, Cout = gy.shape[1];
  if (G === 1) {
    // dWᵀ = Pᵀ @ gy with K = N*L, split into S chunks (a batch dim) so that every core gets
    // work even when CK x Cout is small; the partial products are summed.
    const S = splitK(NL);
    const part = matmul(
      transpose(reshape(P, [S, NL / S, CK]), 1, 2),
      reshape(gy, [S, NL / S, Cout]),
    );
    const dWt = S > 1 ? sum(part, 0) : reshape(part, [CK, Cout]);
    return reshape(transpose(dWt, 0, 1), wShape);
  }
  const pt = permute(reshape(P, [NL, G, CK / G]), [1, 2, 0]); // [G, CgKK, NL] view
  const gyg = transpose(reshape(gy, [NL, G, Cout / G]), 0, 1); // [G, NL, Og]
  return reshape(transpose(matmul(pt, gyg), 1, 2), wShape);
}

/** Number of K chunks for the weight-gradient GEMM: chunks of >= 2048 rows, at most 32. */
function splitK(K: number): number {
  let s = 1;
  while (s < 32 && K % (2 * s) === 0 && K / (2 * s) >= 2048) s *= 2;
  return s;
}

/**
 * The backend's implicit-GEMM kernels (no patch matrix): forward, input and weight gradients
 * each read x / gY / W in place and write contiguous NCHW (or weight-shaped) results.
 */
function implicitConv(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  p: WindowParams,
  G: number,
): Tensor {
  const [N, C] = input.shape, Cout = weight.shape[0];
  const be = backendOf("conv2d", input);
  const out = emptyTensor([N, Cout, p.oh, p.ow], input.dtype, input.device);
  const b = bias && bias.strides[0] !== 1 ? noGrad(() => contiguous(bias)) : bias;
  be.conv2d!(input, weight, b, p, G, out.storage);
  if (b && b !== bias) b.dispose();
  const needX = input.requiresGrad, needW = weight.requiresGrad, needB = !!bias?.requiresGrad;
  const wShape = weight.shape, xShape = [N, C, p.ih, p.iw];
  return record(
    out,
    "ConvolutionBackward",
    [input, weight, bias],
    [input, weight],
    (g, [x, w]) => {
      const bg = backendOf("conv2d backward", g);
      let gx: Tensor | null = null, gw: Tensor | null = null;
      if (needX) {
        gx = emptyTensor(xShape, g.dtype, g.device);
        bg.conv2dBackwardInput!(g, w, p, G, gx.storage);
      }
      if (needW) {
        gw = emptyTensor(wShape, g.dtype, g.device);
        bg.conv2dBackwardWeight!(x, g, p, G, gw.storage);
      }
      const gb = needB ? sum(g, [0, 2, 3]) : null;
      return [gx, gw, gb];
    },
  );
}

/** Whether `be` has all three implicit-GEMM conv kernels and they apply to `dtype`. */
function hasImplicitConv(be: ReturnType<typeof backendOf>, dtype: string): boolean {
  return !!(be.conv2d && be.conv2dBackwardInput && be.conv2dBackwardWeight) &&
    dtype === "float32";
}

/** conv(x, w) on geometry p without bias or autograd: [N, Cout, p.oh, p.ow]. */
function convForwardRaw(x: Tensor, w: Tensor, p: WindowParams, G: number): Tensor {
  const N = x.shape[0], Cout = w.shape[0];
  const be = backendOf("conv2d", x, w);
  if (hasImplicitConv(be, x.dtype)) {
    const out = emptyTensor([N, Cout, p.oh, p.ow], x.dtype, x.device);
    if (out.numel) be.conv2d!(x, w, null, p, G, out.storage);
    return out;
  }
  return noGrad(() =>
    scope(() => {
      const y = patchForward(im2colRows(x, p, 0), w, G);
      return permute(reshape(y, [N, p.oh, p.ow, Cout]), [0, 3, 1, 2]);
    })
  );
}

/**
 * The input gradient of conv(·, w) on geometry p, without autograd: gy [N, Cout, p.oh, p.ow]
 * → [N, C, p.ih, p.iw] with C = w.shape[1]·G.
 */
function convInputGradRaw(gy: Tensor, w: Tensor, p: WindowParams, G: number): Tensor {
  const N = gy.shape[0], Cout = w.shape[0], C = w.shape[1] * G;
  const be = backendOf("conv2d", gy, w);
  if (hasImplicitConv(be, gy.dtype)) {
    const out = emptyTensor([N, C, p.ih, p.iw], gy.dtype, gy.device);
    if (out.numel) be.conv2dBackwardInput!(gy, w, p, G, out.storage);
    return out;
  }
  const L = p.oh * p.ow;
  return noGrad(() =>
    scope(() => {
      const rows = reshape(permute(gy, [0, 2, 3, 1]), [N * L, Cout]);
      return col2im(rowsAsCols(patchInputGrad(rows, w, G), N, L, C * p.kh * p.kw), p);
    })
  );
}

/** The weight gradient of conv(x, ·) on geometry p for gy, without autograd (`wShape`). */
function convWeightGradRaw(
  x: Tensor,
  gy: Tensor,
  p: WindowParams,
  G: number,
  wShape: readonly number[],
): Tensor {
  const N = x.shape[0], Cout = gy.shape[1];
  const be = backendOf("conv2d", x, gy);
  if (hasImplicitConv(be, x.dtype)) {
    const out = emptyTensor(wShape, x.dtype, x.device);
    be.conv2dBackwardWeight!(x, gy, p, G, out.storage);
    return out;
  }
  return noGrad(() =>
    scope(() => {
      const rows = reshape(permute(gy, [0, 2, 3, 1]), [N * p.oh * p.ow, Cout]);
      return patchWeightGrad(im2colRows(x, p, 0), rows, G, wShape);
    })
  );
}

/** Options of `convTranspose2d` (PyTorch's keyword arguments). */
export interface ConvTranspose2dOptions {
  /** Step of the kernel over the output (default 1). */
  stride?: Size2;
  /** `dilation·(k − 1) − padding` zero rows/columns are added on both sides (default 0). */
  padding?: Size2;
  /** Extra size added to one side of the output; below stride or dilation (default 0). */
  outputPadding?: Size2;
  /** Number of blocked connections from input to output channels (default 1). */
  groups?: number;
  /** Spacing between kernel taps (default 1). */
  dilation?: Size2;
}

/**
 * The geometry of the convolution whose input gradient a transposed convolution is: its
 * "input" is the transposed conv's output (size from PyTorch's formula), its "output" the
 * transposed conv's input.
 */
export function convTransposeParams(
  op: string,
  hw: readonly number[],
  kernel: [number, number],
  opts: ConvTranspose2dOptions,
): WindowParams {
  const [sh, sw] = pair(op, "stride", opts.stride ?? 1, 1);
  const [ph, pw] = pair(op, "padding", opts.padding ?? 0, 0);
  const [dh, dw] = pair(op, "dilation", opts.dilation ?? 1, 1);
  const [oph, opw] = pair(op, "outputPadding", opts.outputPadding ?? 0, 0);
  if ((oph >= sh && oph >= dh) || (opw >= sw && opw >= dw)) {
    throw new RangeError(
      `${op}: outputPadding ${fmtShape([oph, opw])} must be smaller than either stride ` +
        `${fmtShape([sh, sw])} or dilation ${fmtShape([dh, dw])}`,
    );
  }
  const [kh, kw] = kernel, [h, w] = hw;
  const ih = (h - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1;
  const iw = (w - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1;
  if (ih <= 0 || iw <= 0) {
    throw new RangeError(
      `${op}: input of spatial size ${fmtShape([h, w])} gives a non-positive output size ` +
        `${fmtShape([ih, iw])} (too much padding for kernel ${fmtShape(kernel)})`,
    );
  }
  // NOTE: oh/ow are set, not derived from ih/iw: with outputPadding the last output rows may
  // lie beyond every window, and the forward formula would then count one window too many.
  return { kh, kw, sh, sw, ph, pw, dh, dw, ih, iw, oh: h, ow: w };
}

/**
 * torch.nn.functional.conv_transpose2d: input [N, Cin, H, W] (or unbatched [Cin, H, W]),
 * weight [Cin, Cout/groups, kh, kw], optional bias [Cout] → [N, Cout, Hout, Wout] with
 * Hout = (H − 1)·stride − 2·padding + dilation·(kh − 1) + outputPadding + 1. It is the input
 * gradient of `conv2d` with the same weight, so forward and backward reuse the conv kernels.
 *
 * @example
 * ```ts
 * const y = convTranspose2d(randn([1, 8, 4, 4]), randn([8, 3, 3, 3]), null, {
 *   stride: 2,
 *   padding: 1,
 *   outputPadding: 1,
 * }); // [1, 3, 8, 8]
 * ```
 */
export function convTranspose2d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  opts: ConvTranspose2dOptions = {},
): Tensor {
  const op = "convTranspose2d";
  input.check(op);
  weight.check(op);
  if (input.ndim === 3) {
    return scope(() => squeeze(convTranspose2d(unsqueeze(input, 0), weight, bias, opts), 0));
  }
  checkRank(op, input, 2);
  if (weight.ndim !== 4) {
    throw new RangeError(
      `${op}: expected a 4-D weight [Cin, Cout/groups, kh, kw], got ${fmtShape(weight.shape)}`,
    );
  }
  const G = opts.groups ?? 1;
  const [, C, H, W] = input.shape;
  const [Cin, Og, kh, kw] = weight.shape, Cout = Og * G;
  if (!Number.isInteger(G) || G < 1 || Cin % G !== 0) {
    throw new RangeError(
      `${op}: groups (${G}) must be a positive integer dividing the ${Cin} input channels ` +
        `of weight ${fmtShape(weight.shape)}`,
    );
  }
  if (Cin !== C) {
    throw new RangeError(
      `${op}: weight ${fmtShape(weight.shape)} expects input with ${Cin} channels, got input ` +
        fmtShape(input.shape),
    );
  }
  checkDtypeAndBias(op, input, weight, bias, Cout);
  backendOf(op, input, weight, ...(bias ? [bias] : [])); // one device for all, or a clear error
  const p = convTransposeParams(op, [H, W], [kh, kw], opts);
  let out = convInputGradRaw(input, weight, p, G);
  if (bias) {
    const y = noGrad(() => add(out, reshape(bias, [Cout, 1, 1])));
    out.dispose();
    out = y;
  }
  const needX = input.requiresGrad, needW = weight.requiresGrad, needB = !!bias?.requiresGrad;
  const wShape = weight.shape;
  // Roles swap against conv2d: the input gradient is the convolution of g, and the weight
  // gradient is conv2d's weight gradient with g as its input and x as its output gradient.
  return record(
    out,
    "ConvolutionBackward",
    [input, weight, bias],
    [input, weight],
    (g, [x, w]) => [
      needX ? convForwardRaw(g, w, p, G) : null,
      needW ? convWeightGradRaw(g, x, p, G, wShape) : null,
      needB ? sum(g, [0, 2, 3]) : null,
    ],
  );
}

/** A 1-D size (an int or a one-element tuple, as PyTorch accepts). */
export type Size1 = number | [number];

/** Options of `conv1d` (PyTorch's keyword arguments). */
export interface Conv1dOptions {
  /** Step of the kernel (default 1). */
  stride?: Size1;
  /** Zero padding on both sides, or "same" / "valid" (default 0). */
  padding?: Size1 | "same" | "valid";
  /** Spacing between kernel taps (default 1). */
  dilation?: Size1;
  /** Number of blocked connections from input to output channels (default 1). */
  groups?: number;
}

/** Options of `convTranspose1d` (PyTorch's keyword arguments). */
export interface ConvTranspose1dOptions {
  /** Step of the kernel over the output (default 1). */
  stride?: Size1;
  /** `dilation·(k − 1) − padding` zeros are added on both sides (default 0). */
  padding?: Size1;
  /** Extra size added to one side of the output; below stride or dilation (default 0). */
  outputPadding?: Size1;
  /** Number of blocked connections from input to output channels (default 1). */
  groups?: number;
  /** Spacing between kernel taps (default 1). */
  dilation?: Size1;
}

/** Expands a `Size1` to an integer >= `min`. */
export function single(op: string, name: string, v: Size1, min = 0): number {
  const x = typeof v === "number" ? v : v.length === 1 ? v[0] : NaN;
  if (!Number.isInteger(x) || x < min) {
    throw new RangeError(
      `${op}: ${name} must be an integer >= ${min} or a one-element tuple (got ${
        JSON.stringify(v)
      })`,
    );
  }
  return x;
}

/** Shared checks of the 1-D convolutions: rank of input [N, C, L] / [C, L] and 3-D weight. */
function check1d(op: string, input: Tensor, weight: Tensor, layout: string): void {
  input.check(op);
  weight.check(op);
  checkRank(op, input, 1);
  if (weight.ndim !== 3) {
    throw new RangeError(`${op}: expected a 3-D weight ${layout}, got ${fmtShape(weight.shape)}`);
  }
}

/**
 * torch.nn.functional.conv1d: input [N, Cin, L] (or unbatched [Cin, L]), weight
 * [Cout, Cin/groups, k], optional bias [Cout] → [N, Cout, Lout]; a 2-D convolution over a
 * unit height.
 *
 * @example
 * ```ts
 * const y = conv1d(randn([4, 2, 16]), randn([8, 2, 3]), null, { padding: "same" }); // [4, 8, 16]
 * ```
 */
export function conv1d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  opts: Conv1dOptions = {},
): Tensor {
  const op = "conv1d";
  check1d(op, input, weight, "[Cout, Cin/groups, k]");
  const groups = opts.groups ?? 1;
  const C = input.shape[input.ndim - 2], Cg = weight.shape[1];
  if (Number.isInteger(groups) && groups >= 1 && Cg * groups !== C) {
    throw new RangeError(
      `${op}: weight ${fmtShape(weight.shape)} with groups=${groups} expects input with ` +
        `${Cg * groups} channels, got input ${fmtShape(input.shape)}`,
    );
  }
  const pd = opts.padding ?? 0;
  const padding: Size2 | "same" | "valid" = typeof pd === "string"
    ? pd
    : [0, single(op, "padding", pd)];
  return scope(() => {
    const y = conv2d(unsqueeze(input, -2), unsqueeze(weight, 2), bias, {
      stride: [1, single(op, "stride", opts.stride ?? 1, 1)],
      dilation: [1, single(op, "dilation", opts.dilation ?? 1, 1)],
      padding,
      groups,
    });
    return squeeze(y, -2);
  });
}

/**
 * torch.nn.functional.conv_transpose1d: input [N, Cin, L] (or [Cin, L]), weight
 * [Cin, Cout/groups, k], optional bias [Cout] → [N, Cout, Lout] with
 * Lout = (L − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1.
 *
 * @example
 * ```ts
 * const y = convTranspose1d(randn([1, 4, 5]), randn([4, 2, 3]), null, { stride: 2 }); // [1, 2, 11]
 * ```
 */
export function convTranspose1d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  opts: ConvTranspose1dOptions = {},
): Tensor {
  const op = "convTranspose1d";
  check1d(op, input, weight, "[Cin, Cout/groups, k]");
  const C = input.shape[input.ndim - 2];
  if (weight.shape[0] !== C) {
    throw new RangeError(
      `${op}: weight ${fmtShape(weight.shape)} expects input with ${weight.shape[0]} ` +
        `channels, got input ${fmtShape(input.shape)}`,
    );
  }
  return scope(() => {
    const y = convTranspose2d(unsqueeze(input, -2), unsqueeze(weight, 2), bias, {
      stride: [1, single(op, "stride", opts.stride ?? 1, 1)],
      padding: [0, single(op, "padding", opts.padding ?? 0)],
      outputPadding: [0, single(op, "outputPadding", opts.outputPadding ?? 0)],
      dilation: [1, single(op, "dilation", opts.dilation ?? 1, 1)],
      groups: opts.groups,
    });
    return squeeze(y, -2);
  });
}

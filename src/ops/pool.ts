/**
 * 2-D pooling over im2col windows: max pooling pads with -Infinity and takes the max over the
 * window dim (its gradient goes to the first maximum, as PyTorch's does), average pooling sums
 * the window and divides by a per-position count computed once on the host.
 */
import { record } from "../autograd/function.ts";
import { noGrad } from "../autograd/grad_mode.ts";
import type { Backend, Strided, WindowParams } from "../backend/backend.ts";
import { backendOf, emptyTensor, filledTensor, scalarTensor } from "./dispatch.ts";
import { scope } from "../tensor/memory.ts";
import { fmtShape, numelOf } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { tensor } from "../tensor/creation.ts";
import { add, mul } from "./elementwise.ts";
import { gather, indexSelect, scatter } from "./index.ts";
import { matmul } from "./matmul.ts";
import { maxDim, mean, sum } from "./reduce.ts";
import { reshape, squeeze, transpose, unsqueeze } from "./view.ts";
import { checkRank, fmtDims } from "./conv.ts";
import { im2col, pair, type Size2, windowParams } from "./window.ts";

/** Options shared by max and average pooling. */
export interface PoolOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size2 | null;
  /** Implicit padding on both sides, at most half the kernel (default 0). */
  padding?: Size2;
  /** Use ceil instead of floor for the output size (default false). */
  ceilMode?: boolean;
}

/** Options of `maxPool2d`. */
export interface MaxPool2dOptions extends PoolOptions {
  /** Spacing between window taps (default 1). */
  dilation?: Size2;
}

/**
 * The `returnIndices` option of max pooling: `true` also returns the int32 indices of the
 * maxima, flat per input plane (h·W + w), as `[values, indices]` (default false).
 */
export interface ReturnIndicesOption<R extends boolean = boolean> {
  /** Return `[values, indices]` instead of values. */
  returnIndices?: R;
}

/** Options of `avgPool2d`. */
export interface AvgPool2dOptions extends PoolOptions {
  /** Count padded zeros in the divisor (default true). */
  countIncludePad?: boolean;
  /** Divide by this instead of the window size. */
  divisorOverride?: number | null;
}

/** PyTorch's pooling output size, including the ceil-mode rule that windows start in bounds. */
export function poolOut(
  inp: number,
  k: number,
  s: number,
  p: number,
  d: number,
  ceil: boolean,
): number {
  const span = inp + 2 * p - d * (k - 1) - 1;
  let o = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (o - 1) * s >= inp + p) o--;
  return o;
}

/** The window options every pooling op takes, for sizes given as `A`. */
interface PoolWindowOptions<A> {
  stride?: A | null;
  padding?: A;
  dilation?: A;
  ceilMode?: boolean;
}

/**
 * The window of a pooling op over the last `spatial` dims of x, each size expanded by `size`
 * (`single`, `pair` or `triple`): the stride defaults to the kernel, the padding may be at most
 * half the kernel, and `out` holds the output extents (not checked: the callers name them).
 */
export function poolWindow<A, S extends number | number[]>(
  op: string,
  x: Tensor,
  spatial: number,
  size: (op: string, name: string, v: A | S | number, min?: number) => S,
  kernelSize: A,
  opts: PoolWindowOptions<A>,
): { k: S; s: S; p: S; d: S; ceil: boolean; out: number[] } {
  x.check(op);
  checkRank(op, x, spatial);
  const k = size(op, "kernel size", kernelSize, 1);
  const s = size(op, "stride", opts.stride ?? k, 1);
  const p = size(op, "padding", opts.padding ?? 0, 0);
  const d = size(op, "dilation", opts.dilation ?? 1, 1);
  const [kd, sd, pd, dd] = [k, s, p, d].map((v) => typeof v === "number" ? [v] : v as number[]);
  if (pd.some((pi, i) => 2 * pi > kd[i])) {
    throw new RangeError(
      `${op}: padding ${fmtDims(pd)} should be at most half of the kernel size ${fmtDims(kd)}`,
    );
  }
  const ceil = opts.ceilMode ?? false;
  const out = x.shape.slice(-spatial).map((n, i) => poolOut(n, kd[i], sd[i], pd[i], dd[i], ceil));
  return { k, s, p, d, ceil, out };
}

function poolSetup(op: string, x: Tensor, kernel: Size2, opts: MaxPool2dOptions) {
  const { k, s, p, d, out } = poolWindow(op, x, 2, pair, kernel, opts);
  const [H, W] = x.shape.slice(-2);
  const wp = windowParams(op, [H, W], k, { stride: s, padding: p, dilation: d }, [out[0], out[1]]);
  const lead = x.shape.slice(0, -2);
  return { wp, lead, planes: numelOf(lead), H, W };
}

/**
 * torch.nn.functional.max_pool2d over [N, C, H, W] (or [C, H, W]).
 *
 * @example
 * ```ts
 * const y = maxPool2d(randn([1, 8, 32, 32]), 2); // [1, 8, 16, 16]
 * ```
 */
export function maxPool2d(
  x: Tensor,
  kernelSize: Size2,
  opts: MaxPool2dOptions & { returnIndices: true },
): [Tensor, Tensor];
export function maxPool2d(
  x: Tensor,
  kernelSize: Size2,
  opts?: MaxPool2dOptions & ReturnIndicesOption<false>,
): Tensor;
export function maxPool2d(
  x: Tensor,
  kernelSize: Size2,
  opts: MaxPool2dOptions & ReturnIndicesOption = {},
): Tensor | [Tensor, Tensor] {
  const { wp, lead, planes, H, W } = poolSetup("maxPool2d", x, kernelSize, opts);
  const withIdx = opts.returnIndices ?? false;
  const be = backendOf("maxPool2d", x);
  const fused = be.maxPool2d && be.maxPool2dBackward && x.dtype === "float32"
    ? maxPoolFused(be, x, wp, lead)
    : null;
  if (fused) {
    const [values, indices] = fused;
    if (withIdx) return [values, indices];
    indices.dispose();
    return values;
  }
  if (
    wp.sh === wp.kh && wp.sw === wp.kw && wp.ph === 0 && wp.pw === 0 && wp.dh === 1 &&
    wp.dw === 1 && wp.oh * wp.kh <= H && wp.ow * wp.kw <= W
  ) {
    const [values, taps] = maxPoolTiled(x, wp, lead);
    if (!withIdx) {
      taps.dispose();
      return values;
    }
    const indices = scope(() => tapsToPlane(taps, wp));
    taps.dispose();
    return [values, indices];
  }
  return scope(() => {
    // Every channel is its own 1-channel image, so the window dim is exactly kh*kw.
    const cols = im2col(reshape(x, [planes, 1, H, W]), wp, -Infinity);
    const { values, indices } = maxDim(cols, 1, false, "max");
    const v = reshape(values, [...lead, wp.oh, wp.ow]);
    return withIdx ? [v, tapsToPlane(reshape(indices, [...lead, wp.oh, wp.ow]), wp)] : v;
  });
}

/**
 * Converts window-local argmax positions (row-major over the kh×kw taps, shape [..., oh, ow])
 * to PyTorch's flat per-plane input index h·W + w.
 */
function tapsToPlane(taps: Tensor, wp: WindowParams): Tensor {
  const { kh, kw, sh, sw, ph, pw, dh, dw, iw, oh, ow } = wp;
  const off = new Int32Array(kh * kw), base = new Int32Array(oh * ow);
  for (let a = 0; a < kh * kw; a++) off[a] = Math.floor(a / kw) * dh * iw + (a % kw) * dw;
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) base[i * ow + j] = (i * sh - ph) * iw + (j * sw - pw);
  }
  const dev = { device: taps.device };
  const flat = reshape(taps, [-1]);
  const picked = reshape(indexSelect(tensor(off, dev), 0, flat), taps.shape);
  return add(picked, tensor(base, { ...dev, shape: [oh, ow] }));
}

/**
 * Max pooling on a backend with the fused kernels: one forward pass writing values and
 * first-max indices, one backward pass (a per-window write or a gather; no atomics). Null
 * when the backend declines the window.
 */
function maxPoolFused(
  be: Backend,
  x: Tensor,
  wp: ReturnType<typeof windowParams>,
  lead: number[],
): [Tensor, Tensor] | null {
  const outShape = [...lead, wp.oh, wp.ow];
  const values = emptyTensor(outShape, x.dtype, x.device);
  const indices = emptyTensor(outShape, "int32", x.device);
  if (values.numel === 0) return [values, indices];
  if (!be.maxPool2d!(x, wp, values.storage, indices.storage)) {
    values.dispose();
    indices.dispose();
    return null;
  }
  const shape = x.shape;
  record(values, "MaxPool2DWithIndicesBackward", [x], [indices], (g, [idx]) => {
    const gx = emptyTensor(shape, g.dtype, g.device);
    backendOf("maxPool2d", g).maxPool2dBackward!(g, idx, wp, gx.storage);
    return [gx];
  });
  return [values, indices];
}

/**
 * Non-overlapping windows (stride = kernel, no padding or dilation, every window in bounds):
 * the input seen as [...lead, oh, ow, kh, kw] through strides alone, so the forward is one
 * max and one argmax reduction with no im2col copy. The backward writes each input element
 * once: g where the window's first maximum sits (PyTorch's choice on ties), else 0.
 */
function maxPoolTiled(
  x: Tensor,
  wp: ReturnType<typeof windowParams>,
  lead: number[],
): [Tensor, Tensor] {
  const { kh, kw, oh, ow } = wp;
  const [sH, sW] = x.strides.slice(-2);
  const tiled = (t: Strided, lst: number[], sh: number, sw: number, th: number, tw: number) => ({
    storage: t.storage,
    shape: [...lead, oh, ow, kh, kw],
    strides: [...lst, sh, sw, th, tw],
    offset: t.offset,
  });
  const b = backendOf("maxPool2d", x);
  const outShape = [...lead, oh, ow];
  const values = emptyTensor(outShape, x.dtype, x.device);
  const indices = emptyTensor(outShape, "int32", x.device);
  if (values.numel === 0) return [values, indices];
  const view = tiled(x, x.strides.slice(0, -2), kh * sH, kw * sW, sH, sW);
  b.reduce("max", view, 2, values.storage);
  b.reduce("argmax", view, 2, indices.storage);
  const shape = x.shape, full = x.shape.slice(-2).join() === [oh * kh, ow * kw].join();
  record(values, "MaxPool2DWithIndicesBackward", [x], [indices], (g, [idx]) => {
    const be = backendOf("maxPool2d", g);
    const gx = full
      ? emptyTensor(shape, g.dtype, g.device)
      : filledTensor(shape, 0, g.dtype, g.device);
    const [gH, gW] = gx.strides.slice(-2);
    const taps = new Int32Array(kh * kw).map((_, i) => i);
    const pos = tensor(taps, { device: g.device, shape: [kh, kw] });
    const zero = scalarTensor(0, g.dtype, g.device);
    const first = emptyTensor([...outShape, kh, kw], "bool", g.device);
    const bcast = (t: Tensor) => {
      const st = t.strides;
      return tiled(t, st.slice(0, -2), st[st.length - 2], st[st.length - 1], 0, 0);
    };
    const nd = outShape.length;
    be.binary("eq", bcast(idx), tiled(pos, new Array(nd - 2).fill(0), 0, 0, kw, 1), first);
    be.where(
      first,
      bcast(g),
      tiled(zero, new Array(nd - 2).fill(0), 0, 0, 0, 0),
      tiled(gx, gx.strides.slice(0, -2), kh * gH, kw * gW, gH, gW),
    );
    return [gx];
  });
  return [values, indices];
}

/** Per-output divisors of average pooling (PyTorch's avg_pool2d rules), as 1 / count. */
function avgScale(
  wp: ReturnType<typeof windowParams>,
  countIncludePad: boolean,
  divisorOverride: number | null | undefined,
): Float64Array {
  const out = new Float64Array(wp.oh * wp.ow);
  for (let i = 0; i < wp.oh; i++) {
    let h0 = i * wp.sh - wp.ph;
    let h1 = Math.min(h0 + wp.kh, wp.ih + wp.ph);
    const ph = h1 - h0;
    h0 = Math.max(h0, 0);
    h1 = Math.min(h1, wp.ih);
    for (let j = 0; j < wp.ow; j++) {
      let w0 = j * wp.sw - wp.pw;
      let w1 = Math.min(w0 + wp.kw, wp.iw + wp.pw);
      const pw = w1 - w0;
      w0 = Math.max(w0, 0);
      w1 = Math.min(w1, wp.iw);
      const n = divisorOverride ?? (countIncludePad ? ph * pw : (h1 - h0) * (w1 - w0));
      out[i * wp.ow + j] = 1 / n;
    }
  }
  return out;
}

/** torch.nn.functional.avg_pool2d over [N, C, H, W] (or [C, H, W]). */
export function avgPool2d(x: Tensor, kernelSize: Size2, opts: AvgPool2dOptions = {}): Tensor {
  const { wp, lead, planes, H, W } = poolSetup("avgPool2d", x, kernelSize, { ...opts });
  if (opts.divisorOverride !== undefined && opts.divisorOverride !== null) {
    if (!(opts.divisorOverride > 0)) {
      throw new RangeError(
        `avgPool2d: divisorOverride must be positive (got ${opts.divisorOverride})`,
      );
    }
  }
  const scale = avgScale(wp, opts.countIncludePad ?? true, opts.divisorOverride);
  const uniform = scale.every((v) => v === scale[0]);
  return scope(() => {
    const cols = im2col(reshape(x, [planes, 1, H, W]), wp, 0);
    const s = sum(cols, 1);
    // NOTE: the divisor map is a constant of the geometry; a scalar when all windows agree.
    const r = uniform ? mul(s, scale[0]) : mul(
      s,
      tensor(x.dtype === "float64" ? scale : Float32Array.from(scale), {
        device: x.device,
        dtype: x.dtype,
      }),
    );
    return reshape(r, [...lead, wp.oh, wp.ow]);
  });
}

/** The [out, in] averaging matrix of adaptive pooling along one dim (PyTorch's bin edges). */
export function adaptiveMatrix(inp: number, out: number, x: Tensor): Tensor {
  const m = x.dtype === "float64" ? new Float64Array(out * inp) : new Float32Array(out * inp);
  for (let i = 0; i < out; i++) {
    const a = Math.floor((i * inp) / out), b = Math.ceil(((i + 1) * inp) / out);
    for (let k = a; k < b; k++) m[i * inp + k] = 1 / (b - a);
  }
  return noGrad(() => tensor(m, { device: x.device, shape: [out, inp] }));
}

/**
 * torch.nn.functional.adaptive_avg_pool2d: averages over PyTorch's adaptive bins so the output
 * is `outputSize` (null keeps that input dim).
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: AdaptiveSize): Tensor {
  x.check("adaptiveAvgPool2d");
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw new RangeError(
      `adaptiveAvgPool2d: expected a 3-D or 4-D input, got ${fmtShape(x.shape)}`,
    );
  }
  const [H, W] = x.shape.slice(-2);
  const [oh, ow] = adaptiveSize("adaptiveAvgPool2d", [H, W], outputSize);
  if (oh === 1 && ow === 1) return mean(x, [-2, -1], true);
  if (H % oh === 0 && W % ow === 0) return avgPool2d(x, [H / oh, W / ow]);
  if (x.ndim === 3) return scope(() => squeeze(adaptiveAvgPool2d(unsqueeze(x, 0), [oh, ow]), 0));
  // Uneven bins: two small averaging products, Ph · x · Pwᵀ, exact and GPU friendly.
  return scope(() => {
    const ph = adaptiveMatrix(H, oh, x), pw = adaptiveMatrix(W, ow, x);
    const rows = matmul(x, transpose(pw, 0, 1)); // [N, C, H, ow]
    return transpose(matmul(transpose(rows, -1, -2), transpose(ph, 0, 1)), -1, -2);
  });
}

/** An adaptive output size: one size for both dims, or [h, w] with null keeping that dim. */
export type AdaptiveSize = number | [number | null, number | null];

/** Resolves an adaptive output size against the input's [H, W]. */
function adaptiveSize(op: string, hw: number[], outputSize: AdaptiveSize): [number, number] {
  const os = typeof outputSize === "number" ? [outputSize, outputSize] : outputSize;
  const oh = os[0] ?? hw[0], ow = os[1] ?? hw[1];
  if (!(oh >= 1 && ow >= 1 && Number.isInteger(oh) && Number.isInteger(ow))) {
    throw new RangeError(
      `${op}: output size must be positive integers (got ${JSON.stringify(outputSize)})`,
    );
  }
  return [oh, ow];
}

/**
 * PyTorch's adaptive bins along one dim as an index table [out, kmax]: bin i covers
 * ⌊i·in/out⌋ .. ⌈(i+1)·in/out⌉ − 1; shorter bins repeat their first element, which leaves both
 * the maximum and the first-maximum position unchanged.
 */
function adaptiveBins(inp: number, out: number): { table: Int32Array; kmax: number } {
  let kmax = 0;
  for (let i = 0; i < out; i++) {
    kmax = Math.max(kmax, Math.ceil(((i + 1) * inp) / out) - Math.floor((i * inp) / out));
  }
  const table = new Int32Array(out * kmax);
  for (let i = 0; i < out; i++) {
    const a = Math.floor((i * inp) / out), b = Math.ceil(((i + 1) * inp) / out);
    for (let k = 0; k < kmax; k++) table[i * kmax + k] = a + k < b ? a + k : a;
  }
  return { table, kmax };
}

/**
 * Max over adaptive bins along `dim` of x [P, A, B] (dim 1 or 2): the maxima and, for each,
 * the input position along `dim` of the bin's first maximum.
 */
function binMax(x: Tensor, dim: 1 | 2, out: number): [Tensor, Tensor] {
  const inp = x.shape[dim];
  const { table, kmax } = adaptiveBins(inp, out);
  const tbl = tensor(table, { device: x.device });
  const picked = indexSelect(x, dim, tbl); // [P, out*kmax, B] or [P, A, out*kmax]
  const split = dim === 1
    ? [x.shape[0], out, kmax, x.shape[2]]
    : [x.shape[0], x.shape[1], out, kmax];
  const { values, indices } = maxDim(reshape(picked, split), dim + 1, false, "max");
  // Bin-local position k of bin i → table[i·kmax + k]: add i·kmax and look the table up.
  const binStart = new Int32Array(out).map((_, i) => i * kmax);
  const startShape = dim === 1 ? [out, 1] : [out];
  const flatPos = add(indices, tensor(binStart, { device: x.device, shape: startShape }));
  const pos = reshape(indexSelect(tbl, 0, reshape(flatPos, [-1])), indices.shape);
  return [values, pos];
}

/**
 * torch.nn.functional.adaptive_max_pool2d: the maximum over PyTorch's adaptive bins so the
 * output is `outputSize` (null keeps that input dim); with `returnIndices`, also the int32 flat
 * per-plane indices h·W + w of the (first) maxima. The gradient flows to those positions.
 *
 * @example
 * ```ts
 * const [y, idx] = adaptiveMaxPool2d(randn([1, 4, 7, 5]), [3, 2], { returnIndices: true });
 * ```
 */
export function adaptiveMaxPool2d(
  x: Tensor,
  outputSize: AdaptiveSize,
  opts: { returnIndices: true },
): [Tensor, Tensor];
export function adaptiveMaxPool2d(
  x: Tensor,
  outputSize: AdaptiveSize,
  opts?: ReturnIndicesOption<false>,
): Tensor;
export function adaptiveMaxPool2d(
  x: Tensor,
  outputSize: AdaptiveSize,
  opts: ReturnIndicesOption = {},
): Tensor | [Tensor, Tensor] {
  const op = "adaptiveMaxPool2d";
  x.check(op);
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw new RangeError(`${op}: expected a 3-D or 4-D input, got ${fmtShape(x.shape)}`);
  }
  const [H, W] = x.shape.slice(-2);
  const [oh, ow] = adaptiveSize(op, [H, W], outputSize);
  if (H === 0 || W === 0) {
    throw new RangeError(`${op}: expected non-empty spatial dims, got ${fmtShape(x.shape)}`);
  }
  const withIdx = opts.returnIndices ?? false;
  // Even bins are plain max pooling windows (and take the fused kernel where there is one).
  if (H % oh === 0 && W % ow === 0) {
    const k: [number, number] = [H / oh, W / ow];
    return withIdx ? maxPool2d(x, k, { returnIndices: true }) : maxPool2d(x, k);
  }
  const lead = x.shape.slice(0, -2), P = numelOf(lead);
  return scope(() => {
    // Max is separable: per row the first maximum of each column bin, then per column bin the
    // first row holding the bin maximum, which is PyTorch's row-major first maximum.
    const idx = noGrad(() => {
      const x3 = reshape(x, [P, H, W]);
      const [rowMax, col] = binMax(x3, 2, ow); // [P, H, ow]
      const [, row] = binMax(rowMax, 1, oh); // [P, oh, ow]
      return add(mul(row, W), gather(col, 1, row));
    });
    const values = reshape(
      gather(reshape(x, [P, H * W]), 1, reshape(idx, [P, oh * ow])),
      [...lead, oh, ow],
    );
    return withIdx ? [values, reshape(idx, [...lead, oh, ow])] : values;
  });
}

/** Options of `maxUnpool2d`. */
export interface MaxUnpool2dOptions {
  /** Stride of the max pooling being inverted (default: the kernel size). */
  stride?: Size2 | null;
  /** Padding of the max pooling being inverted (default 0). */
  padding?: Size2;
  /** Output size [h, w] (or a full shape whose last two dims are used) to resolve ambiguity. */
  outputSize?: readonly number[] | null;
}

/**
 * torch.nn.functional.max_unpool2d: the partial inverse of `maxPool2d`. Puts each value of x
 * [N, C, H, W] (or [C, H, W]) at its flat per-plane index of a zero output of size
 * (H − 1)·stride − 2·padding + kernel (or `outputSize`).
 *
 * @example
 * ```ts
 * const [y, idx] = maxPool2d(x, 2, { returnIndices: true });
 * const back = maxUnpool2d(y, idx, 2); // x's shape, zero except at the maxima
 * ```
 */
export function maxUnpool2d(
  x: Tensor,
  indices: Tensor,
  kernelSize: Size2,
  opts: MaxUnpool2dOptions = {},
): Tensor {
  const op = "maxUnpool2d";
  x.check(op);
  indices.check(op);
  checkRank(op, x, 2);
  if (indices.dtype !== "int32" || fmtShape(indices.shape) !== fmtShape(x.shape)) {
    throw new TypeError(
      `${op}: expected int32 indices of the input's shape ${fmtShape(x.shape)}, got ` +
        `${indices.dtype} ${fmtShape(indices.shape)}`,
    );
  }
  const k = pair(op, "kernel size", kernelSize, 1);
  const s = pair(op, "stride", opts.stride ?? k, 1);
  const p = pair(op, "padding", opts.padding ?? 0, 0);
  const [H, W] = x.shape.slice(-2);
  const def = [0, 1].map((d) => ([H, W][d] - 1) * s[d] - 2 * p[d] + k[d]);
  let out = def;
  if (opts.outputSize) {
    const os = opts.outputSize.slice(-2);
    if (opts.outputSize.length !== 2 && opts.outputSize.length !== 4) {
      throw new RangeError(
        `${op}: outputSize must have 2 or 4 elements (got ${JSON.stringify(opts.outputSize)})`,
      );
    }
    for (const d of [0, 1]) {
      if (!(os[d] > def[d] - s[d] && os[d] < def[d] + s[d])) {
        throw new RangeError(
          `${op}: invalid outputSize ${fmtShape(os)} (dim ${d} must be between ` +
            `${def[d] - s[d] + 1} and ${def[d] + s[d] - 1})`,
        );
      }
    }
    out = os;
  }
  if (!(out[0] >= 1 && out[1] >= 1)) {
    throw new RangeError(`${op}: the output size ${fmtShape(out)} is not positive`);
  }
  const lead = x.shape.slice(0, -2), P = numelOf(lead);
  return scope(() => {
    const zero = filledTensor([P, out[0] * out[1]], 0, x.dtype, x.device);
    const y = scatter(zero, 1, reshape(indices, [P, H * W]), reshape(x, [P, H * W]));
    return reshape(y, [...lead, out[0], out[1]]);
  });
}

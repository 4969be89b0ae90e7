/**
 * 2-D pooling over im2col windows: max pooling pads with -Infinity and takes the max over the
 * window dim (its gradient goes to the first maximum, as PyTorch's does), average pooling sums
 * the window and divides by a per-position count computed once on the host.
 */
import { record } from "../autograd/function.ts";
import { noGrad } from "../autograd/grad_mode.ts";
import type { Backend, Strided } from "../backend/backend.ts";
import { backendOf, emptyTensor, filledTensor, scalarTensor } from "./dispatch.ts";
import { scope } from "../tensor/memory.ts";
import { fmtShape, numelOf } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { tensor } from "../tensor/creation.ts";
import { mul } from "./elementwise.ts";
import { matmul } from "./matmul.ts";
import { maxDim, mean, sum } from "./reduce.ts";
import { reshape, squeeze, transpose, unsqueeze } from "./view.ts";
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

/** Options of `avgPool2d`. */
export interface AvgPool2dOptions extends PoolOptions {
  /** Count padded zeros in the divisor (default true). */
  countIncludePad?: boolean;
  /** Divide by this instead of the window size. */
  divisorOverride?: number | null;
}

/** PyTorch's pooling output size, including the ceil-mode rule that windows start in bounds. */
function poolOut(inp: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = inp + 2 * p - d * (k - 1) - 1;
  let o = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (o - 1) * s >= inp + p) o--;
  return o;
}

function poolSetup(op: string, x: Tensor, kernel: Size2, opts: MaxPool2dOptions) {
  x.check(op);
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw new RangeError(
      `${op}: expected a 3-D (unbatched) or 4-D (batched) input, got ${fmtShape(x.shape)}`,
    );
  }
  const k = pair(op, "kernel size", kernel, 1);
  const s = pair(op, "stride", opts.stride ?? k, 1);
  const p = pair(op, "padding", opts.padding ?? 0, 0);
  const d = pair(op, "dilation", opts.dilation ?? 1, 1);
  if (p[0] * 2 > k[0] || p[1] * 2 > k[1]) {
    throw new RangeError(
      `${op}: padding ${fmtShape(p)} should be at most half of the kernel size ${fmtShape(k)}`,
    );
  }
  const [H, W] = x.shape.slice(-2);
  const ceil = opts.ceilMode ?? false;
  const out: [number, number] = [
    poolOut(H, k[0], s[0], p[0], d[0], ceil),
    poolOut(W, k[1], s[1], p[1], d[1], ceil),
  ];
  const wp = windowParams(op, [H, W], k, { stride: s, padding: p, dilation: d }, out);
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
export function maxPool2d(x: Tensor, kernelSize: Size2, opts: MaxPool2dOptions = {}): Tensor {
  const { wp, lead, planes, H, W } = poolSetup("maxPool2d", x, kernelSize, opts);
  const be = backendOf("maxPool2d", x);
  if (be.maxPool2d && be.maxPool2dBackward && x.dtype === "float32") {
    return maxPoolFused(be, x, wp, lead);
  }
  if (
    wp.sh === wp.kh && wp.sw === wp.kw && wp.ph === 0 && wp.pw === 0 && wp.dh === 1 &&
    wp.dw === 1 && wp.oh * wp.kh <= H && wp.ow * wp.kw <= W
  ) return maxPoolTiled(x, wp, lead);
  return scope(() => {
    // Every channel is its own 1-channel image, so the window dim is exactly kh*kw.
    const cols = im2col(reshape(x, [planes, 1, H, W]), wp, -Infinity);
    const { values } = maxDim(cols, 1, false, "max");
    return reshape(values, [...lead, wp.oh, wp.ow]);
  });
}

/**
 * Max pooling on a backend with the fused kernels: one forward pass writing values and
 * first-max indices, one backward pass (a per-window write or a gather; no atomics).
 */
function maxPoolFused(
  be: Backend,
  x: Tensor,
  wp: ReturnType<typeof windowParams>,
  lead: number[],
): Tensor {
  const outShape = [...lead, wp.oh, wp.ow];
  const values = emptyTensor(outShape, x.dtype, x.device);
  if (values.numel === 0) return values;
  const indices = emptyTensor(outShape, "int32", x.device);
  be.maxPool2d!(x, wp, values.storage, indices.storage);
  const shape = x.shape;
  record(values, "MaxPool2DWithIndicesBackward", [x], [indices], (g, [idx]) => {
    const gx = emptyTensor(shape, g.dtype, g.device);
    backendOf("maxPool2d", g).maxPool2dBackward!(g, idx, wp, gx.storage);
    return [gx];
  });
  indices.dispose();
  return values;
}

/**
 * Non-overlapping windows (stride = kernel, no padding or dilation, every window in bounds):
 * the input seen as [...lead, oh, ow, kh, kw] through strides alone, so the forward is one
 * max and one argmax reduction with no im2col copy. The backward writes each input element
 * once: g where the window's first maximum sits (PyTorch's choice on ties), else 0.
 */
function maxPoolTiled(x: Tensor, wp: ReturnType<typeof windowParams>, lead: number[]): Tensor {
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
  if (values.numel === 0) return values;
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
  indices.dispose();
  return values;
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
function adaptiveMatrix(inp: number, out: number, x: Tensor): Tensor {
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
export function adaptiveAvgPool2d(
  x: Tensor,
  outputSize: number | [number | null, number | null],
): Tensor {
  x.check("adaptiveAvgPool2d");
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw new RangeError(
      `adaptiveAvgPool2d: expected a 3-D or 4-D input, got ${fmtShape(x.shape)}`,
    );
  }
  const [H, W] = x.shape.slice(-2);
  const os = typeof outputSize === "number" ? [outputSize, outputSize] : outputSize;
  const oh = os[0] ?? H, ow = os[1] ?? W;
  if (!(oh >= 1 && ow >= 1 && Number.isInteger(oh) && Number.isInteger(ow))) {
    throw new RangeError(
      `adaptiveAvgPool2d: output size must be positive integers (got ${
        JSON.stringify(outputSize)
      })`,
    );
  }
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

/**
 * 2-D convolution as GEMMs over the pixel-major patch matrix P [N*oh*ow, C*kh*kw]: forward
 * Y = P @ Wᵀ (returned as an NCHW view of the NHWC result), input gradient col2im(gY @ W),
 * weight gradient one GEMM Pᵀ @ gY with K = N*oh*ow. Groups become a batch dim of the
 * product, never a host loop.
 */
import { record } from "../autograd/function.ts";
import { noGrad } from "../autograd/grad_mode.ts";
import { scope } from "../tensor/memory.ts";
import { fmtShape } from "../tensor/shape.ts";
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
  if (padding === "valid") return windowParams(op, hw, kernel, { stride, dilation });
  if (padding === "same") {
    if (stride[0] !== 1 || stride[1] !== 1) {
      throw new RangeError(`${op}: padding="same" is not supported for strided convolutions`);
    }
    // NOTE: for even kernels PyTorch pads the extra row/column at the bottom/right; keeping the
    // output at the input size makes im2col read those positions as padding, so no copy is
    // needed for the asymmetric case.
    const ph = Math.floor((dilation[0] * (kernel[0] - 1)) / 2);
    const pw = Math.floor((dilation[1] * (kernel[1] - 1)) / 2);
    return windowParams(op, hw, kernel, { stride, dilation, padding: [ph, pw] }, [hw[0], hw[1]]);
  }
  if (typeof padding === "string") {
    throw new RangeError(`${op}: padding must be a size, "same" or "valid" (got "${padding}")`);
  }
  return windowParams(op, hw, kernel, { stride, dilation, padding });
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
  if (input.ndim !== 4) {
    throw new RangeError(
      `conv2d: expected a 3-D (unbatched) or 4-D (batched) input, got ${fmtShape(input.shape)}`,
    );
  }
  if (weight.ndim !== 4) {
    throw new RangeError(
      `conv2d: expected a 4-D weight [Cout, Cin/groups, kh, kw], got ${fmtShape(weight.shape)}`,
    );
  }
  const groups = opts.groups ?? 1;
  const [N, C] = input.shape;
  const [Cout, Cg, kh, kw] = weight.shape;
  if (!Number.isInteger(groups) || groups < 1 || Cout % groups !== 0) {
    throw new RangeError(
      `conv2d: groups (${groups}) must be a positive integer dividing the ${Cout} output channels`,
    );
  }
  if (Cg * groups !== C) {
    throw new RangeError(
      `conv2d: weight ${fmtShape(weight.shape)} with groups=${groups} expects input with ` +
        `${Cg * groups} channels, got input ${fmtShape(input.shape)}`,
    );
  }
  if (input.dtype !== weight.dtype || (bias && bias.dtype !== input.dtype)) {
    throw new TypeError(
      `conv2d: input (${input.dtype}), weight (${weight.dtype})` +
        (bias ? ` and bias (${bias.dtype})` : "") + " must have the same dtype",
    );
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== Cout)) {
    throw new RangeError(
      `conv2d: expected bias of shape [${Cout}], got ${fmtShape(bias.shape)}`,
    );
  }
  const p = convParams("conv2d", input.shape.slice(2), [kh, kw], opts);
  const be = backendOf("conv2d", input, weight, ...(bias ? [bias] : []));
  if (be.conv2d && be.conv2dBackwardInput && be.conv2dBackwardWeight && input.dtype === "float32") {
    return implicitConv(input, weight, bias, p, groups);
  }
  const G = groups, L = p.oh * p.ow, KK = kh * kw, Og = Cout / G, NL = N * L;
  const CK = C * KK, CgKK = Cg * KK;
  // The patch matrix P [N*L, C*KK] (one row per output pixel) makes every product one big GEMM
  // whose M or K is N*L; the output Y [N*L, Cout] is returned as an NCHW view (no copy).
  const P = noGrad(() => im2colRows(input, p, 0));
  const out = noGrad(() =>
    scope(() => {
      let y: Tensor;
      if (G === 1) {
        y = matmul(P, contiguous(transpose(reshape(weight, [Cout, CK]), 0, 1)));
      } else {
        const pg = transpose(reshape(P, [NL, G, CgKK]), 0, 1); // [G, NL, CgKK] view
        const wt = contiguous(transpose(reshape(weight, [G, Og, CgKK]), 1, 2));
        y = reshape(transpose(matmul(pg, wt), 0, 1), [NL, Cout]);
      }
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
      if (needX) {
        const dP = G === 1 ? matmul(gy, reshape(w, [Cout, CK])) : reshape(
          transpose(
            matmul(transpose(reshape(gy, [NL, G, Og]), 0, 1), reshape(w, [G, Og, CgKK])),
            0,
            1,
          ),
          [NL, CK],
        );
        gx = col2im(rowsAsCols(dP, N, L, CK), p);
      }
      if (needW) {
        if (G === 1) {
          // dWᵀ = Pᵀ @ gy with K = N*L, split into S chunks (a batch dim) so that every core gets
          // work even when CK x Cout is small; the partial products are summed.
          const S = splitK(NL);
          const part = matmul(
            transpose(reshape(P, [S, NL / S, CK]), 1, 2),
            reshape(gy, [S, NL / S, Cout]),
          );
          const dWt = S > 1 ? sum(part, 0) : reshape(part, [CK, Cout]);
          gw = reshape(transpose(dWt, 0, 1), wFull);
        } else {
          const pt = permute(reshape(P, [NL, G, CgKK]), [1, 2, 0]); // [G, CgKK, NL] view
          const gyg = transpose(reshape(gy, [NL, G, Og]), 0, 1); // [G, NL, Og]
          gw = reshape(transpose(matmul(pt, gyg), 1, 2), wFull);
        }
      }
      const gb = needB ? sum(g, [0, 2, 3]) : null;
      return [gx, gw, gb];
    },
  );
  P.dispose();
  return res;
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

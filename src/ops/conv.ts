/**
 * 2-D convolution as im2col + one (batched) matrix product, with the backward formulas beside
 * it: the input gradient is col2im of Wᵀ·g and the weight gradient one batched product
 * g·colsᵀ summed over the batch. Groups become a batch dim of the product, never a host loop.
 */
import { record } from "../autograd/function.ts";
import { noGrad } from "../autograd/grad_mode.ts";
import { scope } from "../tensor/memory.ts";
import { fmtShape } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { add } from "./elementwise.ts";
import { matmul } from "./matmul.ts";
import { sum } from "./reduce.ts";
import { reshape, squeeze, transpose, unsqueeze } from "./view.ts";
import { col2im, im2col, pair, type Size2, windowParams } from "./window.ts";
import type { WindowParams } from "../backend/backend.ts";

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
  const G = groups, L = p.oh * p.ow, KK = kh * kw, Og = Cout / G;
  // Weight seen as the left operand of the product: [Cout, C*KK] or [G, Og, Cg*KK] per group.
  const wShape = G === 1 ? [Cout, Cg * KK] : [G, Og, Cg * KK];
  const colsShape = G === 1 ? [N, C * KK, L] : [N, G, Cg * KK, L];
  const out = noGrad(() =>
    scope(() => {
      const cols = reshape(im2col(input, p, 0), colsShape);
      const y = reshape(matmul(reshape(weight, wShape), cols), [N, Cout, p.oh, p.ow]);
      return bias ? add(y, reshape(bias, [1, Cout, 1, 1])) : y;
    })
  );
  const needX = input.requiresGrad, needW = weight.requiresGrad, needB = !!bias?.requiresGrad;
  const wFull = weight.shape;
  // NOTE: x, not its im2col expansion, is saved: cols are kh*kw times larger and cheap to rebuild.
  return record(out, "ConvolutionBackward", [input, weight, bias], [input, weight], (g, [x, w]) => {
    const gm = reshape(g, G === 1 ? [N, Cout, L] : [N, G, Og, L]);
    const gx = needX
      ? col2im(reshape(matmul(transpose(reshape(w, wShape), -1, -2), gm), [N, C * KK, L]), p)
      : null;
    const gw = needW
      ? reshape(
        sum(matmul(gm, transpose(reshape(im2col(x, p, 0), colsShape), -1, -2)), 0),
        wFull,
      )
      : null;
    const gb = needB ? sum(g, [0, 2, 3]) : null;
    return [gx, gw, gb];
  });
}

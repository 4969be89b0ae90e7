/**
 * 3-D convolution over the 2-D convolution kernels.
 *
 * Depth is unfolded first: im2col over the input seen as [N, C, D, H·W] with a [kd, 1] window
 * (depth stride, padding and dilation are that window's geometry) gives, for every output
 * depth o, the kd input planes it reads, stacked as C·kd channels in (c, tap) order. Folding o
 * into the batch turns the 3-D convolution into one 2-D convolution of [N·od, C·kd, H, W] with
 * the weight [Cout, Cg, kd, kh, kw] viewed as [Cout, Cg·kd, kh, kw]: the (c, tap) channel order
 * is the weight's own memory order, and a group's channels stay contiguous, so groups carry
 * over unchanged.
 *
 * NOTE: why not one conv2d per depth tap over all N·D planes, summing depth-shifted outputs:
 * that runs kd smaller GEMMs and kd − 1 full-size additions, and with a depth stride computes
 * every plane although only every sd-th is kept. The unfolded form is a single GEMM-shaped
 * problem with kd times the reduction length (what the fast kernels, implicit GEMM on webgpu
 * and im2col + GEMM on cpu, run best), computes exactly the od output planes, and costs one
 * copy of kd/sd times the input. Its backward is the conv2d backward plus col2im, which
 * gathers per input element (no atomics), so gradients are deterministic.
 */
import { scope } from "../tensor/memory.ts";
import { fmtShape } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkConvArgs, checkRank, checkWindowFits, conv2d, namedPadding } from "./conv.ts";
import { permute, reshape, squeeze, unsqueeze } from "./view.ts";
import { im2col, type Size3, triple, windowOut, windowParams } from "./window.ts";

/** Options of `conv3d` (PyTorch's keyword arguments). */
export interface Conv3dOptions {
  /** Step of the kernel (default 1). */
  stride?: Size3;
  /** Zero padding on all sides, or "same" / "valid" (default 0). */
  padding?: Size3 | "same" | "valid";
  /** Spacing between kernel taps (default 1). */
  dilation?: Size3;
  /** Number of blocked connections from input to output channels (default 1). */
  groups?: number;
}

/**
 * torch.nn.functional.conv3d: input [N, Cin, D, H, W] (or unbatched [Cin, D, H, W]), weight
 * [Cout, Cin/groups, kd, kh, kw], optional bias [Cout] → [N, Cout, od, oh, ow] with
 * o = ⌊(i + 2·padding − dilation·(k − 1) − 1) / stride⌋ + 1 per dim.
 *
 * @example
 * ```ts
 * const y = conv3d(randn([2, 3, 8, 16, 16]), randn([8, 3, 3, 3, 3]), null, { padding: 1 });
 * // [2, 8, 8, 16, 16]
 * ```
 */
export function conv3d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  opts: Conv3dOptions = {},
): Tensor {
  const op = "conv3d";
  input.check(op);
  weight.check(op);
  bias?.check(op);
  if (input.ndim === 4) {
    return scope(() => squeeze(conv3d(unsqueeze(input, 0), weight, bias, opts), 0));
  }
  checkRank(op, input, 3);
  if (weight.ndim !== 5) {
    throw new RangeError(
      `${op}: expected a 5-D weight [Cout, Cin/groups, kd, kh, kw], got ${fmtShape(weight.shape)}`,
    );
  }
  const groups = opts.groups ?? 1;
  checkConvArgs(op, input, weight, bias, groups);
  const [N, C, D, H, W] = input.shape;
  const [Cout, Cg, kd, kh, kw] = weight.shape;
  const stride = triple(op, "stride", opts.stride ?? 1, 1);
  const dilation = triple(op, "dilation", opts.dilation ?? 1, 1);
  const k = [kd, kh, kw];
  const padding = opts.padding ?? 0;
  const same = padding === "same";
  const pads = namedPadding(op, padding, k, stride, dilation) ??
    triple(op, "padding", padding as Size3);
  const out = [D, H, W].map((n, i) =>
    same ? n : windowOut(n, k[i], stride[i], pads[i], dilation[i])
  );
  checkWindowFits(op, input, [D, H, W], out, k, pads, dilation);
  const od = out[0];
  const depth = windowParams(op, [D, H * W], [kd, 1], {
    stride: [stride[0], 1],
    padding: [pads[0], 0],
    dilation: [dilation[0], 1],
  }, [od, H * W]);
  return scope(() => {
    const cols = im2col(reshape(input, [N, C, D, H * W]), depth, 0); // [N, C·kd, od·H·W]
    const taps = reshape(
      permute(reshape(cols, [N, C * kd, od, H, W]), [0, 2, 1, 3, 4]),
      [N * od, C * kd, H, W],
    );
    const y = conv2d(taps, reshape(weight, [Cout, Cg * kd, kh, kw]), bias, {
      stride: [stride[1], stride[2]],
      padding: same ? "same" : [pads[1], pads[2]],
      dilation: [dilation[1], dilation[2]],
      groups,
    });
    return permute(reshape(y, [N, od, Cout, out[1], out[2]]), [0, 2, 1, 3, 4]);
  });
}

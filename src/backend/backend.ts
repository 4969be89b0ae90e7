/**
 * The backend interface: the small set of primitive kernels every device implements.
 * Everything else (autograd, composite ops, nn) is written once above it.
 */
import type { Device, DType, TypedArray } from "../tensor/dtype.ts";
import type { LinalgKernels } from "./linalg_kernels.ts";

/** An allocation on a device; refcounted so views and saved tensors can share it. */
export interface Storage {
  /** The device that owns the memory. */
  readonly device: Device;
  /** Element type. */
  readonly dtype: DType;
  /** Number of elements. */
  readonly length: number;
  /** Bumped by every in-place write; autograd uses it to detect stale saved tensors. */
  version: number;
  /** Live references (tensor handles and saved-for-backward slots). */
  refs: number;
}

/** A strided window onto a storage: what every kernel reads and writes. */
export interface Strided {
  /** The memory. */
  readonly storage: Storage;
  /** Logical shape. */
  readonly shape: readonly number[];
  /** Element strides per dim (0 for broadcast dims). */
  readonly strides: readonly number[];
  /** Element offset of index [0, ..., 0]. */
  readonly offset: number;
}

/** One-input elementwise kernels. `copy` converts dtype when `out` differs from `x`. */
export type UnaryOp =
  | "copy"
  | "neg"
  | "abs"
  | "exp"
  | "log"
  | "sqrt"
  | "rsqrt"
  | "sin"
  | "cos"
  | "tanh"
  | "sigmoid"
  | "relu"
  | "sign"
  | "erf"
  | "floor"
  | "ceil"
  | "round"
  | "reciprocal"
  | "not"
  | "gelu"
  | "gelu_tanh"
  | "log1p"
  | "expm1"
  // NaN test writing bool: GPU compilers may fold x != x to false, so no composite can do it.
  | "isnan"
  // Inverse trigonometric, hyperbolic and special functions: composites of exp/log lose
  // precision near 0 and overflow early (sinh(1e-7), cosh(89)), so each is a kernel.
  | "tan"
  | "asin"
  | "acos"
  | "atan"
  | "sinh"
  | "cosh"
  | "asinh"
  | "acosh"
  | "atanh"
  | "exp2"
  | "log2"
  | "log10"
  | "erfc"
  | "lgamma"
  | "i0"
  | "i1"
  // Ops with scalar parameters p0, p1:
  | "add_s"
  | "mul_s"
  | "pow_s"
  | "rpow_s"
  | "clamp"
  | "leaky_relu"
  | "gt_s"
  | "lt_s"
  // The n-th derivative of digamma, n = p0 (0: digamma).
  | "polygamma";

/** Two-input elementwise kernels; comparisons write bool. */
export type BinaryOp =
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "pow"
  | "maximum"
  | "minimum"
  | "eq"
  | "ne"
  | "lt"
  | "le"
  | "gt"
  | "ge"
  | "and"
  | "or"
  | "atan2"
  // C's fmod: a - trunc(a / b) * b computed exactly (the sign of a; int32 stays integer).
  | "fmod";

/** Reductions over the trailing dims of a view; arg* write int32. */
export type ReduceOp = "sum" | "prod" | "max" | "min" | "argmax" | "argmin";

/** Geometry of an im2col/col2im window: kernel, stride, padding, dilation, output size. */
export interface WindowParams {
  /** Kernel height and width. */
  kh: number;
  /** Kernel width. */
  kw: number;
  /** Stride height. */
  sh: number;
  /** Stride width. */
  sw: number;
  /** Padding top (rows before the image). */
  ph: number;
  /** Padding left. */
  pw: number;
  /** Dilation height. */
  dh: number;
  /** Dilation width. */
  dw: number;
  /** Input height (unpadded). */
  ih: number;
  /** Input width (unpadded). */
  iw: number;
  /** Output height. */
  oh: number;
  /** Output width. */
  ow: number;
}

/** Kinds of random fill; all drawn from a counter-based generator (Philox4x32-10). */
export type RandomKind = "uniform" | "normal";

/** Per-channel coefficients of `Backend.batchNormApply`: [C] float32 views. */
export interface BatchNormApplyParams {
  /** Subtracted from x per channel. */
  mean: Strided;
  /** Multiplies (x − mean). */
  scale: Strided;
  /** Added per channel (none: 0). */
  shift?: Strided | null;
  /** A second [N, C, ...] input, added times `yScale` (the backward's gradient term). */
  y?: Strided | null;
  /** Per-channel factor of `y`. */
  yScale?: Strided | null;
}

/** Hyper-parameters of a fused SGD update (PyTorch 1.13's `_single_tensor_sgd`). */
export interface SGDStepParams {
  /** Learning rate. */
  lr: number;
  /** Momentum (0: no buffer). */
  momentum: number;
  /** Dampening of the momentum. */
  dampening: number;
  /** Nesterov momentum. */
  nesterov: boolean;
  /** L2 penalty folded into the gradient. */
  weightDecay: number;
  /** Ascend instead of descend. */
  maximize: boolean;
  /** First step: the buffer is set to the gradient (no dampening). */
  first: boolean;
}

/** Hyper-parameters of a fused Adam / AdamW update (PyTorch 1.13's single-tensor forms). */
export interface AdamStepParams {
  /** Learning rate. */
  lr: number;
  /** β1. */
  beta1: number;
  /** β2. */
  beta2: number;
  /** Denominator epsilon. */
  eps: number;
  /** Weight decay: L2 (Adam) or decoupled (AdamW). */
  weightDecay: number;
  /** AdamW's decoupled decay instead of the L2 term. */
  decoupled: boolean;
  /** Ascend instead of descend. */
  maximize: boolean;
  /** lr / (1 − β1^step). */
  stepSize: number;
  /** √(1 − β2^step). */
  bc2Sqrt: number;
}

/**
 * What a device must implement. Outputs passed as `Strided` may be any view (in-place ops
 * write through them); outputs passed as `Storage` are contiguous and fully overwritten.
 */
export interface Backend {
  /** The device name. */
  readonly device: Device;
  /** Allocates `length` elements (contents undefined). */
  alloc(dtype: DType, length: number): Storage;
  /** Allocates and uploads. */
  fromArray(data: TypedArray, dtype: DType): Storage;
  /** Returns memory to the device (or its pool). */
  free(s: Storage): void;
  /** Reads a whole storage back to the host. */
  read(s: Storage): Promise<TypedArray>;
  /** Writes `value` into every element of `out`. */
  fill(out: Strided, value: number): void;
  /** out = op(x, p0, p1), elementwise over out's shape. */
  unary(op: UnaryOp, x: Strided, out: Strided, p0?: number, p1?: number): void;
  /** out = op(a, b); a and b are already broadcast to out's shape (stride 0). */
  binary(op: BinaryOp, a: Strided, b: Strided, out: Strided): void;
  /** out = cond ? a : b, all broadcast to out's shape. */
  where(cond: Strided, a: Strided, b: Strided, out: Strided): void;
  /**
   * Reduces x, whose shape is [...outShape, ...reducedShape], over its last `nReduced` dims
   * into the contiguous `out`.
   */
  reduce(op: ReduceOp, x: Strided, nReduced: number, out: Storage): void;
  /** out[b] = a[b] @ c[b] with a: [B, M, K], c: [B, K, N], out contiguous [B, M, N]. */
  matmul(a: Strided, b: Strided, out: Storage): void;
  /** torch.gather: out[..i..j..] = x[.. index[..i..j..] ..] along `dim`; out is contiguous. */
  gather(x: Strided, dim: number, index: Strided, out: Storage): void;
  /** torch.scatter(_add): out[.. index[..] ..] (+)= src[..] along `dim`, in place. */
  scatter(out: Strided, dim: number, index: Strided, src: Strided, accumulate: boolean): void;
  /**
   * PyTorch's ZeroDivisionError for an integer divisor (contiguous from its offset) that holds a
   * zero, naming `op`: thrown at once on cpu, at the next readback on webgpu.
   */
  checkIntDivisor(op: string, divisor: Strided): void;
  /**
   * im2col: x [N, C, H, W] → out [N, C*kh*kw, oh*ow]; padding reads `padValue`. `out` may be any
   * non-overlapping view, e.g. the [N, oh*ow, C*kh*kw] pixel-major patch matrix permuted.
   */
  im2col(x: Strided, p: WindowParams, padValue: number, out: Strided): void;
  /** col2im: cols [N, C*kh*kw, oh*ow] → out [N, C, H, W], summing overlapping windows. */
  col2im(cols: Strided, p: WindowParams, out: Storage): void;
  /**
   * Optional BatchNorm statistics: out (contiguous float32 [2, C]) = per-channel mean and
   * biased variance of x [N, C, ...] (trailing dims must merge into one stride). Returns
   * false (writing nothing) for shapes the kernel cannot take; the caller then uses the
   * composite path, and never asks `batchNormGradStats` for that shape.
   */
  batchNormStats?(x: Strided, out: Storage): boolean;
  /** Optional BatchNorm backward sums: out [2, C] = Σ g and Σ g·(x − mean[c]) per channel. */
  batchNormGradStats?(g: Strided, x: Strided, mean: Strided, out: Storage): void;
  /**
   * Optional per-channel affine pass over x [N, C, ...]: out (contiguous, x's shape) =
   * scale[c]·(x − mean[c]) + shift[c] (+ yScale[c]·y).
   */
  batchNormApply?(x: Strided, p: BatchNormApplyParams, out: Storage): void;
  /**
   * Optional max pooling of x [..., H, W] (at most 2 leading dims): out and indices
   * (contiguous [..., oh, ow]; int32 index h·W + w of the first maximum in the input plane).
   * Returns false (writing nothing) for windows the kernel cannot take; the caller then uses
   * the composite path.
   */
  maxPool2d?(x: Strided, p: WindowParams, out: Storage, indices: Storage): boolean;
  /** Optional max-pool input gradient: out (contiguous [..., H, W]) from g and the indices. */
  maxPool2dBackward?(g: Strided, indices: Strided, p: WindowParams, out: Storage): void;
  /**
   * Optional fused SGD update, in place on contiguous same-shape float32 param / buf (buf null
   * when momentum is 0). The caller bumps storage versions.
   */
  sgdStep?(param: Strided, grad: Strided, buf: Strided | null, o: SGDStepParams): void;
  /** Optional fused Adam/AdamW update, in place (maxExpAvgSq non-null for AMSGrad). */
  adamStep?(
    param: Strided,
    grad: Strided,
    expAvg: Strided,
    expAvgSq: Strided,
    maxExpAvgSq: Strided | null,
    o: AdamStepParams,
  ): void;
  /**
   * Optional fused row softmax (or log-softmax with `log`) over the last dim of float32 `x`
   * into the contiguous `out`; x's leading dims must merge into one strided dim. Returns false
   * (writing nothing) for shapes the kernel cannot take. Backends without it, and declined
   * shapes, get the composite max / exp / sum path.
   */
  softmax?(x: Strided, log: boolean, out: Storage): boolean;
  /**
   * Optional implicit-GEMM convolution: out (contiguous [N, Cout, oh, ow]) = conv(x, w) + bias
   * for x [N, C, H, W], w [Cout, C/groups, kh, kw] (any float32 views; bias a contiguous [Cout]
   * view or null). Backends without it get the im2col + GEMM path.
   */
  conv2d?(
    x: Strided,
    w: Strided,
    bias: Strided | null,
    p: WindowParams,
    groups: number,
    out: Storage,
  ): void;
  /** Optional conv input gradient: out (contiguous [N, C, H, W]) from gy and w (see conv2d). */
  conv2dBackwardInput?(
    gy: Strided,
    w: Strided,
    p: WindowParams,
    groups: number,
    out: Storage,
  ): void;
  /** Optional conv weight gradient: out (contiguous [Cout, C/groups, kh, kw]) from x and gy. */
  conv2dBackwardWeight?(
    x: Strided,
    gy: Strided,
    p: WindowParams,
    groups: number,
    out: Storage,
  ): void;
  /**
   * Sorts every row (the last dim) of x into the contiguous `values` (x's dtype) and `indices`
   * (int32 positions in the row), both shaped like x. The order is total and therefore stable:
   * NaN is larger than every number (last ascending, first descending, as in PyTorch), and equal
   * keys, -0 and 0 included, keep their input order in both directions.
   */
  sort(x: Strided, descending: boolean, values: Storage, indices: Storage): void;
  /**
   * Binary search per value: for `sorted` [B, M] and `values` [B, Q] (2-D views; a stride-0
   * batch dim shares one sequence), out (contiguous int32 [B, Q]) = the first position whose
   * element is >= the value (> with `right`), with PyTorch's comparisons (a NaN value gives M).
   */
  searchSorted(sorted: Strided, values: Strided, right: boolean, out: Storage): void;
  /** Fills out with Philox draws for (key, counter offset). */
  random(kind: RandomKind, key: [number, number], counter: number, out: Storage): void;
  /** Optional dense factorizations; without them `linalg` decompositions fail on this device. */
  readonly linalg?: LinalgKernels;
}

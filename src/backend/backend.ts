/**
 * The backend interface: the small set of primitive kernels every device implements.
 * Everything else (autograd, composite ops, nn) is written once above it.
 */
import type { Device, DType, TypedArray } from "../tensor/dtype.ts";

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
  // Ops with scalar parameters p0, p1:
  | "add_s"
  | "mul_s"
  | "pow_s"
  | "rpow_s"
  | "clamp"
  | "leaky_relu"
  | "gt_s"
  | "lt_s";

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
  | "atan2";

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
   * im2col: x [N, C, H, W] → out [N, C*kh*kw, oh*ow]; padding reads `padValue`. `out` may be any
   * non-overlapping view, e.g. the [N, oh*ow, C*kh*kw] pixel-major patch matrix permuted.
   */
  im2col(x: Strided, p: WindowParams, padValue: number, out: Strided): void;
  /** col2im: cols [N, C*kh*kw, oh*ow] → out [N, C, H, W], summing overlapping windows. */
  col2im(cols: Strided, p: WindowParams, out: Storage): void;
  /**
   * Optional fused row softmax (or log-softmax with `log`) over the last dim of float32 `x`
   * into the contiguous `out`; x's leading dims must merge into one strided dim. Backends
   * without it get the composite max / exp / sum path.
   */
  softmax?(x: Strided, log: boolean, out: Storage): void;
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
  /** Fills out with Philox draws for (key, counter offset). */
  random(kind: RandomKind, key: [number, number], counter: number, out: Storage): void;
}

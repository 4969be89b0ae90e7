/** The Tensor: a strided view of device storage plus its autograd state. */
import type { Storage, Strided } from "../backend/backend.ts";
import { backendFor } from "../backend/registry.ts";
import { AccumulateGrad, type Node } from "../autograd/node.ts";
import { type BackwardOptions, runBackward } from "../autograd/engine.ts";
import * as H from "../autograd/hooks.ts";
import { type Device, type DType, isFloating, type TypedArray } from "./dtype.ts";
import { isContiguous, numelOf } from "./shape.ts";
import { release, retain, trackInScope, unwatch, watch } from "./memory.ts";
import { formatTensor } from "./format.ts";
import * as E from "../ops/elementwise.ts";
import * as R from "../ops/reduce.ts";
import * as V from "../ops/view.ts";
import * as J from "../ops/join.ts";
import * as I from "../ops/index.ts";
import * as S from "../ops/softmax.ts";
import * as M from "../ops/matmul.ts";
import * as P from "../ops/inplace.ts";
import * as C from "../ops/convert.ts";
import * as St from "../ops/sort.ts";
import * as SC from "../ops/scan.ts";
import * as LA from "../ops/linalg.ts";
import * as SX from "../ops/shape_extra.ts";
import * as MA from "../ops/math.ts";
import * as UM from "../ops/unary_math.ts";
import * as LG from "../linalg/torch_functions.ts";
import type { QRResult } from "../linalg/qr.ts";
import type { SlogdetResult } from "../linalg/lu.ts";

/** A nested array of numbers or booleans, as `tolist()` returns. */
export type NestedArray = number | boolean | NestedArray[];

/** Result of max/min along a dim: destructure as `[values, indices]` or use the fields. */
export type ValuesIndices = [Tensor, Tensor] & { values: Tensor; indices: Tensor };

/** Anything an arithmetic op accepts as its other operand. */
export type Scalar = number | boolean;

/** A multi-dimensional array on a device, with autograd. */
export class Tensor implements Strided {
  /** The memory this tensor views (shared with its views). */
  readonly storage: Storage;
  /** Size of each dim. */
  readonly shape: number[];
  /** Element strides of each dim. */
  readonly strides: number[];
  /** Element offset of the first element within the storage. */
  readonly offset: number;
  /** The gradient accumulated by backward(), or null. */
  grad: Tensor | null = null;
  #requiresGrad = false;
  #gradFn: Node | null = null;
  #accNode: AccumulateGrad | null = null;
  #disposed = false;
  /** The tensor this one is a view of, when it shares its storage. */
  readonly base: Tensor | null;

  /**
   * Wraps a storage. Users create tensors with `tensor()`, `zeros()` and ops; this
   * constructor takes over one reference to `storage`.
   */
  constructor(
    storage: Storage,
    shape: readonly number[],
    strides: readonly number[],
    offset = 0,
    base: Tensor | null = null,
  ) {
    this.storage = storage;
    this.shape = [...shape];
    this.strides = [...strides];
    this.offset = offset;
    this.base = base;
    watch(this, storage);
    trackInScope(this);
  }

  /** Element type. */
  get dtype(): DType {
    return this.storage.dtype;
  }
  /** Device the storage lives on. */
  get device(): Device {
    return this.storage.device;
  }
  /** Number of elements. */
  get numel(): number {
    return numelOf(this.shape);
  }
  /** Number of dims. */
  get ndim(): number {
    return this.shape.length;
  }
  /** Whether dispose() has released this handle. */
  get isDisposed(): boolean {
    return this.#disposed;
  }
  /** The node that produced this tensor (null for leaves), PyTorch's `grad_fn`. */
  get gradFn(): Node | null {
    return this.#gradFn;
  }
  /** True for tensors not produced by a recorded op. */
  get isLeaf(): boolean {
    return this.#gradFn === null;
  }
  /** Whether gradients flow to this tensor. */
  get requiresGrad(): boolean {
    return this.#requiresGrad;
  }
  set requiresGrad(on: boolean) {
    this.requiresGrad_(on);
  }

  /** Sets requiresGrad in place (leaves only), like `Tensor.requires_grad_`. */
  requiresGrad_(on = true): this {
    if (!this.isLeaf) {
      if (on) return this;
      throw new Error(
        "requiresGrad_: you can only change requiresGrad flags of leaf variables; use detach()",
      );
    }
    if (on && !isFloating(this.dtype)) {
      throw new TypeError(
        `requiresGrad_: only floating point tensors can require gradients (got ${this.dtype})`,
      );
    }
    this.#requiresGrad = on;
    return this;
  }

  /** Internal: marks this tensor as the output of `node`. */
  setGradFn(node: Node): void {
    node.ref();
    this.#gradFn?.unref();
    this.#gradFn = node;
    this.#requiresGrad = true;
  }

  /** Internal: the gradient sink of a leaf that requires grad. */
  accumulateNode(): AccumulateGrad {
    return this.#accNode ??= new AccumulateGrad(this);
  }

  /**
   * Internal: a handle on this storage that autograd sees as an output of `node` (or, for an
   * AccumulateGrad, as its leaf): how double backward puts a saved tensor back into the graph.
   */
  linkedTo(node: Node): Tensor {
    const t = this.detach();
    if (node instanceof AccumulateGrad) {
      t.#accNode = node;
      t.#requiresGrad = true;
    } else t.setGradFn(node);
    return t;
  }

  /**
   * Registers `hook`, called with this tensor's gradient each time backward computes it (for a
   * leaf, before it is accumulated into `.grad`); it may return a replacement gradient. Hooks
   * run in registration order, like `Tensor.register_hook`.
   *
   * @example
   * ```ts
   * const x = dt.tensor([1, 2], { requiresGrad: true });
   * const handle = x.registerHook((g) => g.mul(2));
   * x.mul(3).sum().backward(); // x.grad = [6, 6]
   * handle.remove();
   * ```
   */
  registerHook(hook: H.GradHook): H.RemovableHandle {
    return H.registerHook(this, hook);
  }
  /** Makes backward fill `.grad` of this non-leaf tensor too, like `Tensor.retain_grad`. */
  retainGrad(): void {
    H.retainGrad(this);
  }
  /** Whether backward fills `.grad` of this non-leaf tensor (see `retainGrad`). */
  get retainsGrad(): boolean {
    return H.retainsGrad(this);
  }

  /** Size of every dim, or of one dim. */
  size(): number[];
  /** Size of one dim (negative counts from the end). */
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return [...this.shape];
    return this.shape[V.dimArg("size", dim, this.ndim)];
  }
  /** Number of dims, like `Tensor.dim()`. */
  dim(): number {
    return this.ndim;
  }
  /** Whether the memory layout is row-major contiguous. */
  isContiguous(): boolean {
    return isContiguous(this.shape, this.strides);
  }

  /** Internal: throws if this handle was disposed. */
  check(op: string): this {
    if (this.#disposed) {
      throw new Error(`${op}: tensor of shape [${this.shape.join(", ")}] was already disposed`);
    }
    return this;
  }

  /** Releases this handle's memory now (views keep the storage alive while they live). */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    unwatch(this);
    release(this.storage);
    const node = this.#gradFn;
    this.#gradFn = null;
    node?.unref();
  }
  /** `using t = ...` support. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Internal: a new handle on the same storage, shape and strides (no autograd link). */
  alias(): Tensor {
    this.check("alias");
    retain(this.storage);
    const t = new Tensor(this.storage, this.shape, this.strides, this.offset, this.base ?? this);
    if (this.#gradFn) {
      this.#gradFn.ref();
      t.#gradFn = this.#gradFn;
    } // NOTE: an alias of a leaf (x.contiguous(), x.to(x.dtype)) is x to autograd, as in PyTorch
    // where these return self: its gradient must reach x.grad, so it shares x's sink.
    else if (this.#requiresGrad) t.#accNode = this.accumulateNode();
    t.#requiresGrad = this.#requiresGrad;
    return t;
  }

  /** Reads the values back as a contiguous typed array. */
  async toArray(): Promise<TypedArray> {
    this.check("toArray");
    const c = this.isContiguous() && this.offset === 0 && this.numel === this.storage.length
      ? this
      : C.contiguousCopy(this);
    const data = await backendFor(c.device).read(c.storage);
    if (c !== this) c.dispose();
    return data;
  }

  /** Synchronous read; CPU tensors only. */
  dataSync(): TypedArray {
    this.check("dataSync");
    if (this.device !== "cpu") {
      throw new Error(
        `dataSync: only available for cpu tensors (this one is on ${this.device}); use await toArray()`,
      );
    }
    return C.readCpu(this);
  }

  /** The value of a one-element tensor. */
  async item(): Promise<number> {
    if (this.numel !== 1) {
      throw new RangeError(
        `item: a Tensor with ${this.numel} elements cannot be converted to a number`,
      );
    }
    return (await this.toArray())[0];
  }

  /** Values as nested arrays (booleans for bool tensors). */
  async tolist(): Promise<NestedArray> {
    return C.nest(await this.toArray(), this.shape, this.dtype === "bool");
  }

  /** A readable rendering (values only for CPU tensors; use `await t.format()` for webgpu). */
  toString(): string {
    if (this.#disposed) return `tensor(<disposed>, shape=[${this.shape.join(", ")}])`;
    return formatTensor(this, this.device === "cpu" ? C.readCpu(this) : null);
  }
  /** `console.log(t)` in Deno prints `toString()`, like printing a tensor in Python. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }
  /** `console.log(t)` under Node's inspector prints `toString()` too. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
  /** A readable rendering with values, for any device. */
  async format(): Promise<string> {
    return formatTensor(this, await this.toArray());
  }

  /**
   * Backpropagates from this tensor into the `.grad` of the leaves (and of tensors that
   * `retainGrad()`); scalar outputs need no `gradient`. `createGraph` records the backward pass
   * so the gradients can be differentiated again.
   */
  backward(gradient?: Tensor, opts: BackwardOptions = {}): void {
    this.check("backward");
    if (!this.requiresGrad) {
      throw new Error(
        `backward: tensor of shape [${
          this.shape.join(", ")
        }] does not require grad and has no grad_fn`,
      );
    }
    let g = gradient;
    if (!g) {
      if (this.numel !== 1) {
        throw new Error(
          `backward: grad can be implicitly created only for scalar outputs (got shape ` +
            `[${this.shape.join(", ")}]); pass a gradient`,
        );
      }
      g = C.onesLike(this);
    } else if (g.shape.join() !== this.shape.join()) {
      throw new RangeError(
        `backward: gradient has shape [${g.shape.join(", ")}] but the tensor has shape ` +
          `[${this.shape.join(", ")}]`,
      );
    }
    runBackward([this], [g], opts);
    if (!gradient) g.dispose();
  }

  /** A tensor sharing storage but cut from the graph. */
  detach(): Tensor {
    this.check("detach");
    retain(this.storage);
    return new Tensor(this.storage, this.shape, this.strides, this.offset, this.base ?? this);
  }
  /** Cuts this tensor from the graph in place. */
  detach_(): this {
    this.#gradFn?.unref();
    this.#gradFn = null;
    this.#requiresGrad = false;
    return this;
  }

  /** A copy with its own contiguous storage (differentiable). */
  clone(): Tensor {
    return C.clone(this);
  }
  /** This tensor if contiguous, else a contiguous copy (differentiable). */
  contiguous(): Tensor {
    return C.contiguous(this);
  }
  /** Moves to a device and/or casts to a dtype (differentiable). */
  to(target: Device | DType): Tensor {
    return C.to(this, target);
  }
  /** Copies to `device`, reading back asynchronously from the GPU when needed. */
  toAsync(device: Device): Promise<Tensor> {
    return C.toAsync(this, device);
  }
  /** Copy on the CPU (CPU tensors only; use `await toAsync("cpu")` from the GPU). */
  cpu(): Tensor {
    return C.to(this, "cpu");
  }
  /** Cast to float32. */
  float(): Tensor {
    return C.to(this, "float32");
  }
  /** Cast to float64. */
  double(): Tensor {
    return C.to(this, "float64");
  }
  /** Cast to int32. */
  int(): Tensor {
    return C.to(this, "int32");
  }
  /** Cast to bool. */
  bool(): Tensor {
    return C.to(this, "bool");
  }

  // ---- elementwise ----
  /** this + alpha * other, broadcasting. */
  add(other: Tensor | Scalar, alpha?: number): Tensor {
    return E.add(this, other, alpha);
  }
  /** this - alpha * other. */
  sub(other: Tensor | Scalar, alpha?: number): Tensor {
    return E.sub(this, other, alpha);
  }
  /** this * other. */
  mul(other: Tensor | Scalar): Tensor {
    return E.mul(this, other);
  }
  /** this / other: true division, or rounded with `roundingMode` "trunc" / "floor". */
  div(other: Tensor | Scalar, opts?: MA.DivOptions): Tensor {
    return MA.divide(this, other, opts);
  }
  /** this ** exponent. */
  pow(exponent: Tensor | Scalar): Tensor {
    return E.pow(this, exponent);
  }
  /** Elementwise maximum. */
  maximum(other: Tensor | Scalar): Tensor {
    return E.maximum(this, other);
  }
  /** Elementwise minimum. */
  minimum(other: Tensor | Scalar): Tensor {
    return E.minimum(this, other);
  }
  /** -this. */
  neg(): Tensor {
    return E.neg(this);
  }
  /** |this|. */
  abs(): Tensor {
    return E.abs(this);
  }
  /** e ** this. */
  exp(): Tensor {
    return E.exp(this);
  }
  /** Natural log. */
  log(): Tensor {
    return E.log(this);
  }
  /** Square root. */
  sqrt(): Tensor {
    return E.sqrt(this);
  }
  /** 1 / sqrt(this). */
  rsqrt(): Tensor {
    return E.rsqrt(this);
  }
  /** Sine. */
  sin(): Tensor {
    return E.sin(this);
  }
  /** Cosine. */
  cos(): Tensor {
    return E.cos(this);
  }
  /** Hyperbolic tangent. */
  tanh(): Tensor {
    return E.tanh(this);
  }
  /** Logistic sigmoid. */
  sigmoid(): Tensor {
    return E.sigmoid(this);
  }
  /** max(this, 0). */
  relu(): Tensor {
    return E.relu(this);
  }
  /** Leaky ReLU with `negativeSlope` (default 0.01). */
  leakyRelu(negativeSlope?: number): Tensor {
    return E.leakyRelu(this, negativeSlope);
  }
  /** GELU (exact erf form, or `"tanh"` approximation). */
  gelu(approximate?: "none" | "tanh"): Tensor {
    return E.gelu(this, approximate);
  }
  /** Clamp into [min, max] (either may be omitted; bounds may be broadcast tensors). */
  clamp(min?: E.ClampBound, max?: E.ClampBound): Tensor {
    return E.clamp(this, min, max);
  }
  /** Sign (-1, 0, 1). */
  sign(): Tensor {
    return E.sign(this);
  }
  /** 1 / this. */
  reciprocal(): Tensor {
    return E.reciprocal(this);
  }
  /** this * this. */
  square(): Tensor {
    return E.mul(this, this);
  }
  /** Error function. */
  erf(): Tensor {
    return E.erf(this);
  }
  /** log(1 + this). */
  log1p(): Tensor {
    return E.log1p(this);
  }
  /** exp(this) - 1. */
  expm1(): Tensor {
    return E.expm1(this);
  }
  /** Floor. */
  floor(): Tensor {
    return E.floor(this);
  }
  /** Ceil. */
  ceil(): Tensor {
    return E.ceil(this);
  }
  /** Round half to even. */
  round(): Tensor {
    return E.round(this);
  }
  /** Rounds toward zero. */
  trunc(): Tensor {
    return MA.trunc(this);
  }
  /** this - trunc(this), with the sign of this. */
  frac(): Tensor {
    return MA.frac(this);
  }
  /** C's fmod: remainder of this / other with the sign of this. */
  fmod(other: Tensor | Scalar): Tensor {
    return MA.fmod(this, other);
  }
  /** Python's modulus: remainder of this / other with the sign of other. */
  remainder(other: Tensor | Scalar): Tensor {
    return MA.remainder(this, other);
  }
  /** this / other rounded toward -inf. */
  floorDivide(other: Tensor | Scalar): Tensor {
    return MA.floorDivide(this, other);
  }
  /** this + weight · (end - this). */
  lerp(end: Tensor, weight: number | Tensor): Tensor {
    return MA.lerp(this, end, weight);
  }
  /** √(this² + other²) without overflow. */
  hypot(other: Tensor | Scalar): Tensor {
    return MA.hypot(this, other);
  }
  /** atan(this / other) in the quadrant of (other, this). */
  atan2(other: Tensor | Scalar): Tensor {
    return MA.atan2(this, other);
  }
  /** log(this / (1 - this)), clamped into [eps, 1 - eps] first when eps is given. */
  logit(eps: number | null = null): Tensor {
    return MA.logit(this, eps);
  }
  /** Alias of clamp. */
  clip(min?: E.ClampBound, max?: E.ClampBound): Tensor {
    return E.clamp(this, min, max);
  }
  /** this · log(other), 0 where this is 0. */
  xlogy(other: Tensor | Scalar): Tensor {
    return MA.xlogy(this, other);
  }
  /** log(e^this + e^other), stably. */
  logaddexp(other: Tensor | Scalar): Tensor {
    return MA.logaddexp(this, other);
  }
  /** sin(πx) / (πx), 1 at 0. */
  sinc(): Tensor {
    return MA.sinc(this);
  }
  /** Degrees to radians. */
  deg2rad(): Tensor {
    return MA.deg2rad(this);
  }
  /** Radians to degrees. */
  rad2deg(): Tensor {
    return MA.rad2deg(this);
  }
  /** Replaces NaN and ±inf with finite numbers. */
  nanToNum(opts?: MA.NanToNumOptions): Tensor {
    return MA.nanToNum(this, opts);
  }
  /** |this| with the sign bit of other. */
  copysign(other: Tensor | Scalar): Tensor {
    return MA.copysign(this, other);
  }
  /** Whether the sign bit is set (bool; true for -0.0). */
  signbit(): Tensor {
    return MA.signbit(this);
  }
  /** Heaviside step with `values` at 0. */
  heaviside(values: Tensor): Tensor {
    return MA.heaviside(this, values);
  }
  /** Inverse error function. */
  erfinv(): Tensor {
    return MA.erfinv(this);
  }
  /** Tangent. */
  tan(): Tensor {
    return UM.tan(this);
  }
  /** Arcsine (NaN outside [-1, 1]). */
  asin(): Tensor {
    return UM.asin(this);
  }
  /** Alias of asin. */
  arcsin(): Tensor {
    return UM.arcsin(this);
  }
  /** Arccosine (NaN outside [-1, 1]). */
  acos(): Tensor {
    return UM.acos(this);
  }
  /** Alias of acos. */
  arccos(): Tensor {
    return UM.arccos(this);
  }
  /** Arctangent. */
  atan(): Tensor {
    return UM.atan(this);
  }
  /** Alias of atan. */
  arctan(): Tensor {
    return UM.arctan(this);
  }
  /** Hyperbolic sine. */
  sinh(): Tensor {
    return UM.sinh(this);
  }
  /** Hyperbolic cosine. */
  cosh(): Tensor {
    return UM.cosh(this);
  }
  /** Inverse hyperbolic sine. */
  asinh(): Tensor {
    return UM.asinh(this);
  }
  /** Alias of asinh. */
  arcsinh(): Tensor {
    return UM.arcsinh(this);
  }
  /** Inverse hyperbolic cosine (NaN below 1). */
  acosh(): Tensor {
    return UM.acosh(this);
  }
  /** Alias of acosh. */
  arccosh(): Tensor {
    return UM.arccosh(this);
  }
  /** Inverse hyperbolic tangent (±inf at ±1). */
  atanh(): Tensor {
    return UM.atanh(this);
  }
  /** Alias of atanh. */
  arctanh(): Tensor {
    return UM.arctanh(this);
  }
  /** 2 ** this. */
  exp2(): Tensor {
    return UM.exp2(this);
  }
  /** Base-2 logarithm. */
  log2(): Tensor {
    return UM.log2(this);
  }
  /** Base-10 logarithm. */
  log10(): Tensor {
    return UM.log10(this);
  }
  /** Complementary error function 1 - erf, accurate in the tail. */
  erfc(): Tensor {
    return UM.erfc(this);
  }
  /** log |Γ(this)|. */
  lgamma(): Tensor {
    return UM.lgamma(this);
  }
  /** ψ(this), the derivative of lgamma. */
  digamma(): Tensor {
    return UM.digamma(this);
  }
  /** Modified Bessel function of the first kind, order 0. */
  i0(): Tensor {
    return UM.i0(this);
  }
  /** Sign (sign for real tensors). */
  sgn(): Tensor {
    return UM.sgn(this);
  }
  /** This tensor itself (refused for bool). */
  positive(): Tensor {
    return UM.positive(this);
  }
  /** The n-th derivative of digamma at this (n = 0: digamma). */
  polygamma(n: number): Tensor {
    return UM.polygamma(n, this);
  }
  /** True where NaN (bool). */
  isnan(): Tensor {
    return MA.isnan(this);
  }
  /** True where ±inf (bool). */
  isinf(): Tensor {
    return MA.isinf(this);
  }
  /** True where finite (bool). */
  isfinite(): Tensor {
    return MA.isfinite(this);
  }
  /** Elementwise closeness to other (bool): |this - other| <= atol + rtol·|other|. */
  isclose(other: Tensor, opts?: MA.IscloseOptions): Tensor {
    return MA.isclose(this, other, opts);
  }
  /** Whether every element is close to other (see isclose). */
  allclose(other: Tensor, opts?: MA.IscloseOptions): Promise<boolean> {
    return MA.allclose(this, other, opts);
  }
  /** this == other (bool). */
  eq(other: Tensor | Scalar): Tensor {
    return E.compare("eq", this, other);
  }
  /** this != other (bool). */
  ne(other: Tensor | Scalar): Tensor {
    return E.compare("ne", this, other);
  }
  /** this < other (bool). */
  lt(other: Tensor | Scalar): Tensor {
    return E.compare("lt", this, other);
  }
  /** this <= other (bool). */
  le(other: Tensor | Scalar): Tensor {
    return E.compare("le", this, other);
  }
  /** this > other (bool). */
  gt(other: Tensor | Scalar): Tensor {
    return E.compare("gt", this, other);
  }
  /** this >= other (bool). */
  ge(other: Tensor | Scalar): Tensor {
    return E.compare("ge", this, other);
  }
  /** Logical not (bool). */
  logicalNot(): Tensor {
    return E.logicalNot(this);
  }
  /** Logical and (bool). */
  logicalAnd(other: Tensor): Tensor {
    return E.compare("and", this, other);
  }
  /** Logical or (bool). */
  logicalOr(other: Tensor): Tensor {
    return E.compare("or", this, other);
  }
  /** Elements of this where `condition`, else of `other`. */
  where(condition: Tensor, other: Tensor | Scalar): Tensor {
    return E.where(condition, this, other);
  }
  /** Fills positions where `mask` is true with `value`. */
  maskedFill(mask: Tensor, value: number): Tensor {
    mask.check("maskedFill");
    // The result keeps this tensor's dtype: the value is cast to it, as in PyTorch.
    const v = this.dtype === "int32"
      ? Math.trunc(value)
      : this.dtype === "bool"
      ? value !== 0
      : value;
    const m = mask.dtype === "bool" ? mask : E.compare("ne", mask, 0);
    try {
      return E.where(m, v, this);
    } finally {
      if (m !== mask) m.dispose();
    }
  }

  // ---- reductions ----
  /** Sum over dims (all when omitted). */
  sum(dim?: number | number[], keepdim = false): Tensor {
    return R.sum(this, dim, keepdim);
  }
  /** Mean over dims. */
  mean(dim?: number | number[], keepdim = false): Tensor {
    return R.mean(this, dim, keepdim);
  }
  /** Product over dims (not differentiable). */
  prod(dim?: number | number[], keepdim = false): Tensor {
    return R.prod(this, dim, keepdim);
  }
  /** Max of all elements. */
  max(): Tensor;
  /** Max along `dim` with indices. */
  max(dim: number, keepdim?: boolean): ValuesIndices;
  /** Elementwise maximum with `other` (NaN propagates), like `x.max(other)`. */
  max(other: Tensor): Tensor;
  max(dim?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
    if (dim instanceof Tensor) return this.maximum(dim);
    return dim === undefined ? R.amax(this) : R.maxDim(this, dim, keepdim, "max");
  }
  /** Min of all elements. */
  min(): Tensor;
  /** Min along `dim` with indices. */
  min(dim: number, keepdim?: boolean): ValuesIndices;
  /** Elementwise minimum with `other` (NaN propagates), like `x.min(other)`. */
  min(other: Tensor): Tensor;
  min(dim?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
    if (dim instanceof Tensor) return this.minimum(dim);
    return dim === undefined ? R.amin(this) : R.maxDim(this, dim, keepdim, "min");
  }
  /** Max over dims (values only). */
  amax(dim?: number | number[], keepdim = false): Tensor {
    return R.amax(this, dim, keepdim);
  }
  /** Min over dims (values only). */
  amin(dim?: number | number[], keepdim = false): Tensor {
    return R.amin(this, dim, keepdim);
  }
  /** Index of the max (flattened when dim is omitted). */
  argmax(dim?: number, keepdim = false): Tensor {
    return R.argReduce(this, "argmax", dim, keepdim);
  }
  /** Index of the min. */
  argmin(dim?: number, keepdim = false): Tensor {
    return R.argReduce(this, "argmin", dim, keepdim);
  }
  /** Cumulative sum along `dim`. */
  cumsum(dim: number, opts: SC.CumOptions = {}): Tensor {
    return SC.cumsum(this, dim, opts);
  }
  /** Cumulative product along `dim` (exact gradients with zeros). */
  cumprod(dim: number, opts: SC.CumOptions = {}): Tensor {
    return SC.cumprod(this, dim, opts);
  }
  /** Running maximum along `dim`, with the int32 index of each. */
  cummax(dim: number): ValuesIndices {
    return SC.cummax(this, dim);
  }
  /** Running minimum along `dim`, with the int32 index of each. */
  cummin(dim: number): ValuesIndices {
    return SC.cummin(this, dim);
  }
  /** log(cumsum(exp(x))) along `dim`, computed stably. */
  logcumsumexp(dim: number): Tensor {
    return SC.logcumsumexp(this, dim);
  }
  /** Sorted values and their int32 indices along `dim` (stable; NaN largest), like `sort`. */
  sort(dim = -1, descending = false, opts: St.SortOptions = {}): ValuesIndices {
    return St.sort(this, dim, descending, opts);
  }
  /** The int32 indices that sort this tensor along `dim`. */
  argsort(dim = -1, descending = false, opts: St.SortOptions = {}): Tensor {
    return St.argsort(this, dim, descending, opts);
  }
  /** Sorted along the first dim (values only). */
  msort(): Tensor {
    return St.msort(this);
  }
  /** The k largest (or smallest) values along `dim` with their int32 indices. */
  topk(k: number, dim = -1, largest = true, sorted = true): ValuesIndices {
    return St.topk(this, k, dim, largest, sorted);
  }
  /** The k-th smallest value along `dim` with its int32 index. */
  kthvalue(k: number, dim = -1, keepdim = false): ValuesIndices {
    return St.kthvalue(this, k, dim, keepdim);
  }
  /** The lower median of all elements. */
  median(): Tensor;
  /** The lower median along `dim`, with its int32 index. */
  median(dim: number, keepdim?: boolean): ValuesIndices;
  median(dim?: number, keepdim = false): Tensor | ValuesIndices {
    return dim === undefined ? St.median(this) : St.median(this, dim, keepdim);
  }
  /** Sorted unique elements (async: the output size depends on the data); see `unique`. */
  unique(opts: St.UniqueOptions = {}): Promise<Tensor | Tensor[]> {
    return St.unique(this, opts);
  }
  /** Counts of each non-negative int value (async: the length depends on the data). */
  bincount(weights: Tensor | null = null, minlength = 0): Promise<Tensor> {
    return St.bincount(this, weights, minlength);
  }
  /** Variance with Bessel's `correction` (default 1). */
  var(dim?: number | number[], opts: { correction?: number; keepdim?: boolean } = {}): Tensor {
    return R.variance(this, dim, opts.correction ?? 1, opts.keepdim ?? false);
  }
  /** Standard deviation with `correction` (default 1). */
  std(dim?: number | number[], opts: { correction?: number; keepdim?: boolean } = {}): Tensor {
    return R.variance(this, dim, opts.correction ?? 1, opts.keepdim ?? false).sqrt();
  }
  /** log(sum(exp(this))) over dims, computed stably. */
  logsumexp(dim: number | number[], keepdim = false): Tensor {
    return S.logsumexp(this, dim, keepdim);
  }
  /** Softmax along dim. */
  softmax(dim: number): Tensor {
    return S.softmax(this, dim);
  }
  /** Log-softmax along dim. */
  logSoftmax(dim: number): Tensor {
    return S.logSoftmax(this, dim);
  }
  /** p-norm over dims (default 2, over all elements). */
  norm(p: number = 2, dim?: number | number[], keepdim = false): Tensor {
    return R.norm(this, p, dim, keepdim);
  }
  /** True if every element is non-zero. */
  all(): Tensor {
    return R.all(this);
  }
  /** True if any element is non-zero. */
  any(): Tensor {
    return R.any(this);
  }

  // ---- linear algebra ----
  /** Matrix product with PyTorch's 1-D/2-D/batched rules. */
  matmul(other: Tensor): Tensor {
    return M.matmul(this, other);
  }
  /** 2-D matrix product. */
  mm(other: Tensor): Tensor {
    return M.mm(this, other);
  }
  /** Batched 3-D matrix product. */
  bmm(other: Tensor): Tensor {
    return M.bmm(this, other);
  }
  /** Inner product of two 1-D tensors. */
  dot(other: Tensor): Tensor {
    return LA.dot(this, other);
  }
  /** Inner product of two 1-D tensors (no conjugation: real dtypes only). */
  vdot(other: Tensor): Tensor {
    return LA.vdot(this, other);
  }
  /** Matrix-vector product. */
  mv(vec: Tensor): Tensor {
    return LA.mv(this, vec);
  }
  /** Outer product of two 1-D tensors. */
  outer(vec2: Tensor): Tensor {
    return LA.outer(this, vec2);
  }
  /** Outer product (alias of `outer`). */
  ger(vec2: Tensor): Tensor {
    return LA.ger(this, vec2);
  }
  /** Kronecker product. */
  kron(other: Tensor): Tensor {
    return LA.kron(this, other);
  }
  /** Sum of the main diagonal of a 2-D tensor. */
  trace(): Tensor {
    return LA.trace(this);
  }
  /** beta·this + alpha·(mat1 @ mat2). */
  addmm(mat1: Tensor, mat2: Tensor, opts: LA.AddProductOptions = {}): Tensor {
    return LA.addmm(this, mat1, mat2, opts);
  }
  /** beta·this + alpha·(mat @ vec). */
  addmv(mat: Tensor, vec: Tensor, opts: LA.AddProductOptions = {}): Tensor {
    return LA.addmv(this, mat, vec, opts);
  }
  /** beta·this + alpha·outer(vec1, vec2). */
  addr(vec1: Tensor, vec2: Tensor, opts: LA.AddProductOptions = {}): Tensor {
    return LA.addr(this, vec1, vec2, opts);
  }
  /** beta·this + alpha·Σ_b batch1[b] @ batch2[b]. */
  addbmm(batch1: Tensor, batch2: Tensor, opts: LA.AddProductOptions = {}): Tensor {
    return LA.addbmm(this, batch1, batch2, opts);
  }
  /** beta·this + alpha·(batch1 @ batch2), batched. */
  baddbmm(batch1: Tensor, batch2: Tensor, opts: LA.AddProductOptions = {}): Tensor {
    return LA.baddbmm(this, batch1, batch2, opts);
  }
  /** Lower triangle (elements above diagonal `diagonal` zeroed). */
  tril(diagonal = 0): Tensor {
    return LA.tril(this, diagonal);
  }
  /** Upper triangle (elements below diagonal `diagonal` zeroed). */
  triu(diagonal = 0): Tensor {
    return LA.triu(this, diagonal);
  }
  /** A 1-D tensor's diagonal matrix, or a 2-D tensor's diagonal. */
  diag(diagonal = 0): Tensor {
    return LA.diag(this, diagonal);
  }
  /** The diagonal over dims `dim1`, `dim2` as a view. */
  diagonal(offset = 0, dim1 = 0, dim2 = 1): Tensor {
    return LA.diagonal(this, offset, dim1, dim2);
  }
  /** Matrices whose diagonals (over `dim1`, `dim2`) hold the last dim of this tensor. */
  diagEmbed(offset = 0, dim1 = -2, dim2 = -1): Tensor {
    return LA.diagEmbed(this, offset, dim1, dim2);
  }
  /** Cross product along `dim` (default: the first dim of size 3). */
  cross(other: Tensor, dim?: number): Tensor {
    return LA.cross(this, other, dim);
  }
  /** Transpose of a tensor with at most 2 dims. */
  t(): Tensor {
    return V.t(this);
  }

  // ---- shape ----
  /** A view with a new shape (no copy; throws if the layout does not allow it). */
  view(...shape: number[] | [number[]]): Tensor {
    return V.view(this, V.shapeArgs(shape));
  }
  /** A view when possible, else a copy. */
  reshape(...shape: number[] | [number[]]): Tensor {
    return V.reshape(this, V.shapeArgs(shape));
  }
  /** View as the shape of `other`. */
  viewAs(other: Tensor): Tensor {
    return V.view(this, other.shape);
  }
  /** Flattens dims startDim..endDim into one. */
  flatten(startDim = 0, endDim = -1): Tensor {
    return V.flatten(this, startDim, endDim);
  }
  /** Splits `dim` into `sizes`. */
  unflatten(dim: number, sizes: number[]): Tensor {
    return V.unflatten(this, dim, sizes);
  }
  /** Removes size-1 dims (all, or the given ones). */
  squeeze(dim?: number | number[]): Tensor {
    return V.squeeze(this, dim);
  }
  /** Inserts a size-1 dim. */
  unsqueeze(dim: number): Tensor {
    return V.unsqueeze(this, dim);
  }
  /** Swaps two dims (view). */
  transpose(dim0: number, dim1: number): Tensor {
    return V.transpose(this, dim0, dim1);
  }
  /** Reorders dims (view). */
  permute(...dims: number[] | [number[]]): Tensor {
    return V.permute(this, V.shapeArgs(dims));
  }
  /** Broadcasts size-1 dims to `shape` (view; -1 keeps a dim). */
  expand(...shape: number[] | [number[]]): Tensor {
    return V.expand(this, V.shapeArgs(shape));
  }
  /** Expands to the shape of `other`. */
  expandAs(other: Tensor): Tensor {
    return V.expand(this, other.shape);
  }
  /** `length` elements of `dim` from `start` (view). */
  narrow(dim: number, start: number, length: number): Tensor {
    return V.narrow(this, dim, start, length);
  }
  /** Python slicing `x[..., start:end:step, ...]` along `dim` (view). */
  slice(dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
    return V.slice(this, dim, start ?? undefined, end ?? undefined, step);
  }
  /** Indexes `dim` at `index`, removing the dim (view). */
  select(dim: number, index: number): Tensor {
    return V.select(this, dim, index);
  }
  /** Splits into chunks of `splitSize` (or the given sizes) along `dim`. */
  split(splitSize: number | number[], dim = 0): Tensor[] {
    return J.split(this, splitSize, dim);
  }
  /** Splits into `chunks` nearly equal parts. */
  chunk(chunks: number, dim = 0): Tensor[] {
    return J.chunk(this, chunks, dim);
  }
  /** Removes `dim`, returning its slices. */
  unbind(dim = 0): Tensor[] {
    return J.unbind(this, dim);
  }
  /** Tiles the tensor `repeats` times per dim. */
  repeat(...repeats: number[] | [number[]]): Tensor {
    return J.repeat(this, V.shapeArgs(repeats));
  }
  /** Rolls elements along dims (flattened when none are given), wrapping around. */
  roll(shifts: number | number[], dims?: number | number[]): Tensor {
    return SX.roll(this, shifts, dims);
  }
  /** Repeats the tensor `reps` times per dim (leading ones added as needed). */
  tile(...reps: number[] | [number[]]): Tensor {
    return SX.tile(this, V.shapeArgs(reps));
  }
  /** Repeats each element (flattened without `dim`) `repeats` times. */
  repeatInterleave(repeats: number | number[] | Tensor, dim?: number): Tensor {
    return SX.repeatInterleave(this, repeats, dim);
  }
  /** Rotates by 90° `k` times in the plane of `dims`. */
  rot90(k = 1, dims: [number, number] = [0, 1]): Tensor {
    return SX.rot90(this, k, dims);
  }
  /** Flips dim 0. */
  flipud(): Tensor {
    return SX.flipud(this);
  }
  /** Flips dim 1. */
  fliplr(): Tensor {
    return SX.fliplr(this);
  }
  /** Moves dims `source` to positions `destination` (a view). */
  movedim(source: number | number[], destination: number | number[]): Tensor {
    return SX.movedim(this, source, destination);
  }
  /** Alias of `movedim`. */
  moveaxis(source: number | number[], destination: number | number[]): Tensor {
    return SX.movedim(this, source, destination);
  }
  /** Alias of `transpose`. */
  swapaxes(axis0: number, axis1: number): Tensor {
    return SX.swapaxes(this, axis0, axis1);
  }
  /** Alias of `transpose`. */
  swapdims(dim0: number, dim1: number): Tensor {
    return SX.swapaxes(this, dim0, dim1);
  }
  /** Elements at flat `index` positions. */
  take(index: Tensor): Tensor {
    return SX.take(this, index);
  }
  /** Elements picked along `dim` by `indices` (flattened without `dim`). */
  takeAlongDim(indices: Tensor, dim?: number): Tensor {
    return SX.takeAlongDim(this, indices, dim);
  }
  /** Number of non-zero elements (over `dim` when given). */
  countNonzero(dim?: number | number[]): Tensor {
    return SX.countNonzero(this, dim);
  }
  /** Indices of the non-zero elements as [count, ndim] int32 (cpu; see `nonzeroAsync`). */
  nonzero(): Tensor;
  /** One int32 index tensor per dim (cpu; see `nonzeroAsync`). */
  nonzero(opts: { asTuple: true }): Tensor[];
  nonzero(opts: SX.NonzeroOptions = {}): Tensor | Tensor[] {
    return SX.nonzero(this, opts);
  }
  /** Indices of the non-zero elements as [count, ndim] int32 (cpu; see `nonzeroAsync`). */
  argwhere(): Tensor {
    return SX.argwhere(this);
  }
  /** Splits into `sections` near-equal parts, or at the given indices. */
  tensorSplit(sections: number | number[], dim = 0): Tensor[] {
    return SX.tensorSplit(this, sections, dim);
  }
  /** Broadcasts to `shape` (a view). */
  broadcastTo(...shape: number[] | [number[]]): Tensor {
    return SX.broadcastTo(this, V.shapeArgs(shape));
  }
  /** n-th forward difference along a dim. */
  diff(opts: SX.DiffOptions = {}): Tensor {
    return SX.diff(this, opts);
  }
  /** Reverses the order along dims. */
  flip(dims: number | number[]): Tensor {
    return I.flip(this, dims);
  }
  /** torch.gather along dim. */
  gather(dim: number, index: Tensor): Tensor {
    return I.gather(this, dim, index);
  }
  /** Out-of-place torch.scatter along dim. */
  scatter(dim: number, index: Tensor, src: Tensor | number): Tensor {
    return I.scatter(this, dim, index, src);
  }
  /** Out-of-place torch.scatter_add along dim. */
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor {
    return I.scatterAdd(this, dim, index, src);
  }
  /** Rows (or slices along dim) picked by a 1-D int32 index. */
  indexSelect(dim: number, index: Tensor): Tensor {
    return I.indexSelect(this, dim, index);
  }

  // ---- in place (optimizers, initialisation) ----
  /** this += alpha * other, in place. */
  add_(other: Tensor | Scalar, alpha?: number): this {
    return P.inplace(this, "add_", (x) => E.add(x, other, alpha));
  }
  /** this -= alpha * other, in place. */
  sub_(other: Tensor | Scalar, alpha?: number): this {
    return P.inplace(this, "sub_", (x) => E.sub(x, other, alpha));
  }
  /** this *= other, in place. */
  mul_(other: Tensor | Scalar): this {
    return P.inplace(this, "mul_", (x) => E.mul(x, other));
  }
  /** this /= other, in place. */
  div_(other: Tensor | Scalar, opts?: MA.DivOptions): this {
    return P.inplace(this, "div_", (x) => MA.divide(x, other, opts));
  }
  /** Clamps in place. */
  clamp_(min?: E.ClampBound, max?: E.ClampBound): this {
    return P.inplace(this, "clamp_", (x) => E.clamp(x, min, max));
  }
  /** this += value * t1 * t2, in place. */
  addcmul_(t1: Tensor, t2: Tensor, value = 1): this {
    return P.inplace(this, "addcmul_", (x) => E.add(x, E.mul(t1, t2), value));
  }
  /** this += value * t1 / t2, in place. */
  addcdiv_(t1: Tensor, t2: Tensor, value = 1): this {
    return P.inplace(this, "addcdiv_", (x) => E.add(x, E.div(t1, t2), value));
  }
  /** this += weight * (end - this), in place. */
  lerp_(end: Tensor, weight: number): this {
    return P.inplace(this, "lerp_", (x) => E.add(x, E.sub(end, x), weight));
  }
  /** Fills with zeros. */
  zero_(): this {
    return P.fill_(this, 0);
  }
  /** Fills with a value. */
  fill_(value: number): this {
    return P.fill_(this, value);
  }
  /** Copies `src` (broadcast, any dtype or device) into this tensor. */
  copy_(src: Tensor): this {
    return P.copy_(this, src);
  }

  // ---- linalg decompositions ----
  /** The inverse of each square matrix (`linalg.inv`). */
  inverse(): Tensor {
    return LG.inverse(this);
  }
  /** The determinant of each square matrix (`linalg.det`). */
  det(): Tensor {
    return LG.det(this);
  }
  /** log(det) (NaN for a negative determinant), like `Tensor.logdet`. */
  logdet(): Tensor {
    return LG.logdet(this);
  }
  /** Sign and log|det| of each square matrix (`linalg.slogdet`). */
  slogdet(): SlogdetResult {
    return LG.slogdet(this);
  }
  /** The Cholesky factor, lower or `upper` (`torch.cholesky`). */
  cholesky(upper = false): Tensor {
    return LG.cholesky(this, upper);
  }
  /** Solves A X = this given A's Cholesky factor `input2` (`torch.cholesky_solve`). */
  choleskySolve(input2: Tensor, upper = false): Tensor {
    return LG.choleskySolve(this, input2, upper);
  }
  /** The inverse of A from this Cholesky factor (`torch.cholesky_inverse`). */
  choleskyInverse(upper = false): Tensor {
    return LG.choleskyInverse(this, upper);
  }
  /** QR decomposition, reduced when `some` (`torch.qr`). */
  qr(some = true): QRResult {
    return LG.qr(this, some);
  }
  /** U, S, V with this = U·diag(S)·Vᵀ (`torch.svd`). */
  svd(some = true, computeUv = true): LG.TorchSVDResult {
    return LG.svd(this, some, computeUv);
  }
  /** The pseudo-inverse (`torch.pinverse`). */
  pinverse(rcond = 1e-15): Tensor {
    return LG.pinverse(this, rcond);
  }
  /** The integer matrix power (`linalg.matrix_power`). */
  matrixPower(n: number): Tensor {
    return LG.matrixPower(this, n);
  }
}

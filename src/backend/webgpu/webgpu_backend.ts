/** The webgpu Backend: allocation, upload, readback, and dispatch to the kernel families. */
import type {
  AdamStepParams,
  Backend,
  BatchNormApplyParams,
  BinaryOp,
  RandomKind,
  ReduceOp,
  SGDStepParams,
  Storage,
  Strided,
  UnaryOp,
  WindowParams,
} from "../backend.ts";
import type { DType, TypedArray } from "../../tensor/dtype.ts";
import { trackAlloc } from "../../tensor/memory.ts";
import { BufferPool } from "./buffer_pool.ts";
import { gpu } from "./device.ts";
import { flush, hasPending } from "./encoder.ts";
import { readBuffer } from "./readback.ts";
import { bufOf, makeStorage } from "./storage.ts";
import * as E from "./elementwise.ts";
import { releaseBuffer } from "./fusion.ts";
import * as R from "./reduce.ts";
import * as S from "./softmax.ts";
import * as M from "./matmul.ts";
import * as I from "./index.ts";
import * as W from "./window.ts";
import * as Cv from "./conv.ts";
import { random } from "./random.ts";
import * as N from "./norm.ts";
import * as P from "./pool.ts";
import * as O from "./optim.ts";
import * as St from "./sort.ts";
import { webgpuLinalg } from "./linalg.ts";
import type { LinalgKernels } from "../linalg_kernels.ts";

/** Implements the Backend interface on the open WebGPU device. */
export class WebGPUBackend implements Backend {
  /** The device name. */
  readonly device = "webgpu" as const;
  /** Pool of storage buffers for tensors. */
  readonly pool: BufferPool;

  /** Creates the backend over the open device. */
  constructor() {
    const { device, maxBinding } = gpu();
    this.pool = new BufferPool(
      device,
      GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      maxBinding,
    );
  }

  alloc(dtype: DType, length: number): Storage {
    if (dtype === "float64") {
      throw new TypeError(
        "webgpu: float64 is not supported on webgpu (WGSL has no f64); use float32",
      );
    }
    const bytes = length * 4;
    const { maxBinding } = gpu();
    if (bytes > maxBinding) {
      throw new RangeError(
        `webgpu: a ${dtype} tensor of ${length} elements needs ${bytes} bytes, more than this ` +
          `adapter's maxStorageBufferBindingSize (${maxBinding} bytes); split it or use cpu`,
      );
    }
    const s = makeStorage(this.pool.acquire(bytes), dtype, length);
    trackAlloc(s);
    return s;
  }

  fromArray(data: TypedArray, dtype: DType): Storage {
    const s = this.alloc(dtype, data.length);
    if (data.length === 0) return s;
    // writeBuffer runs before any later submit: commands still recorded must go first, or they
    // would see this data in a buffer they read before it was reused.
    if (hasPending()) flush();
    let src: Float32Array | Int32Array | Uint32Array;
    if (dtype === "float32") src = data instanceof Float32Array ? data : Float32Array.from(data);
    else if (dtype === "int32") src = data instanceof Int32Array ? data : Int32Array.from(data);
    else src = Uint32Array.from(data, (v) => (v ? 1 : 0));
    gpu().device.queue.writeBuffer(bufOf(s), 0, src as unknown as BufferSource);
    return s;
  }

  free(s: Storage): void {
    // A pending fused elementwise group may still use the buffer: release after it is encoded.
    releaseBuffer(this.pool, bufOf(s));
  }

  read(s: Storage): Promise<TypedArray> {
    return readBuffer(bufOf(s), s.dtype, s.length);
  }

  fill(out: Strided, value: number): void {
    E.fill(out, value);
  }

  unary(op: UnaryOp, x: Strided, out: Strided, p0 = 0, p1 = 0): void {
    E.unary(op, x, out, p0, p1);
  }

  binary(op: BinaryOp, a: Strided, b: Strided, out: Strided): void {
    E.binary(op, a, b, out);
  }

  where(cond: Strided, a: Strided, b: Strided, out: Strided): void {
    E.where(cond, a, b, out);
  }

  softmax(x: Strided, log: boolean, out: Storage): boolean {
    return S.softmax(x, log, out);
  }

  batchNormStats(x: Strided, out: Storage): boolean {
    return N.batchNormStats(x, out);
  }

  batchNormGradStats(g: Strided, x: Strided, mean: Strided, out: Storage): void {
    N.batchNormGradStats(g, x, mean, out);
  }

  batchNormApply(x: Strided, p: BatchNormApplyParams, out: Storage): void {
    N.batchNormApply(x, p, out);
  }

  maxPool2d(x: Strided, p: WindowParams, out: Storage, indices: Storage): boolean {
    return P.maxPool2d(x, p, out, indices);
  }

  maxPool2dBackward(g: Strided, indices: Strided, p: WindowParams, out: Storage): void {
    P.maxPool2dBackward(g, indices, p, out);
  }

  sgdStep(param: Strided, grad: Strided, buf: Strided | null, o: SGDStepParams): void {
    O.sgdStep(param, grad, buf, o);
  }

  adamStep(
    param: Strided,
    grad: Strided,
    expAvg: Strided,
    expAvgSq: Strided,
    maxExpAvgSq: Strided | null,
    o: AdamStepParams,
  ): void {
    O.adamStep(param, grad, expAvg, expAvgSq, maxExpAvgSq, o);
  }

  reduce(op: ReduceOp, x: Strided, nReduced: number, out: Storage): void {
    R.reduce(op, x, nReduced, out, this.pool);
  }

  matmul(a: Strided, b: Strided, out: Storage): void {
    M.matmul(a, b, out, this);
  }

  gather(x: Strided, dim: number, index: Strided, out: Storage): void {
    I.gather(x, dim, index, out);
  }

  scatter(out: Strided, dim: number, index: Strided, src: Strided, accumulate: boolean): void {
    I.scatter(out, dim, index, src, accumulate);
  }

  checkIntDivisor(op: string, divisor: Strided): void {
    I.checkIntDivisor(op, divisor);
  }

  im2col(x: Strided, p: WindowParams, padValue: number, out: Strided): void {
    W.im2col(x, p, padValue, out);
  }

  col2im(cols: Strided, p: WindowParams, out: Storage): void {
    W.col2im(cols, p, out);
  }

  conv2d(
    x: Strided,
    w: Strided,
    bias: Strided | null,
    p: WindowParams,
    groups: number,
    out: Storage,
  ): void {
    Cv.conv2d(x, w, bias, p, groups, out);
  }

  conv2dBackwardInput(gy: Strided, w: Strided, p: WindowParams, groups: number, out: Storage) {
    Cv.conv2dBackwardInput(gy, w, p, groups, out);
  }

  conv2dBackwardWeight(x: Strided, gy: Strided, p: WindowParams, groups: number, out: Storage) {
    Cv.conv2dBackwardWeight(x, gy, p, groups, out, this);
  }

  sort(x: Strided, descending: boolean, values: Storage, indices: Storage): void {
    St.sort(x, descending, values, indices, this.pool);
  }

  searchSorted(sorted: Strided, values: Strided, right: boolean, out: Storage): void {
    St.searchSorted(sorted, values, right, out);
  }

  random(kind: RandomKind, key: [number, number], counter: number, out: Storage): void {
    random(kind, key, counter, out);
  }

  #linalg: LinalgKernels | null = null;
  /** LU, Cholesky, QR, Jacobi eigh and SVD kernels (temporaries from the pool). */
  get linalg(): LinalgKernels {
    return this.#linalg ??= webgpuLinalg(this.pool);
  }
}

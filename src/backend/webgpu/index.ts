/**
 * gather / scatter, and the integer-divisor check; out-of-range indices and zero divisors raise
 * through the error flag at the next readback.
 */
import type { Storage, Strided } from "../backend.ts";
import { numelOf } from "../../tensor/shape.ts";
import gatherSrc from "../../../kernels/gather.wgsl" with { type: "text" };
import scatterSrc from "../../../kernels/scatter.wgsl" with { type: "text" };
import setSrc from "../../../kernels/scatter_set.wgsl" with { type: "text" };
import addF32Src from "../../../kernels/scatter_add_f32.wgsl" with { type: "text" };
import addI32Src from "../../../kernels/scatter_add_i32.wgsl" with { type: "text" };
import zeroDivisorSrc from "../../../kernels/zero_divisor.wgsl" with { type: "text" };
import { begin, dispatch, U } from "./encoder.ts";
import { kernel, specialise } from "./pipeline_cache.ts";
import { grid, MAX_DIMS, putVec8, wgslType } from "./layout.ts";
import { errorFlag, registerFlag } from "./readback.ts";
import { bufOf } from "./storage.ts";

registerFlag(
  1,
  (k, dim, size) => `gather: index ${k} is out of bounds for dim ${dim} with size ${size}`,
);
registerFlag(
  2,
  (k, dim, size) => `scatter: index ${k} is out of bounds for dim ${dim} with size ${size}`,
);

function checkRank(op: string, shape: readonly number[]): void {
  if (shape.length > MAX_DIMS) {
    throw new RangeError(`${op}: webgpu supports at most ${MAX_DIMS} dims (got ${shape.length})`);
  }
}

/** out[i] = x[... index[i] ...] along dim; out is contiguous with index's shape. */
export function gather(x: Strided, dim: number, index: Strided, out: Storage): void {
  const n = numelOf(index.shape);
  if (n === 0) return;
  checkRank("gather", index.shape);
  const base = begin();
  const u = U.u32;
  u[base] = n;
  u[base + 1] = index.shape.length;
  u[base + 2] = dim;
  u[base + 3] = x.shape[dim] ?? 1;
  u[base + 4] = x.offset;
  u[base + 5] = index.offset;
  putVec8(u, base + 8, index.shape);
  putVec8(u, base + 16, x.strides.length ? x.strides : [0]);
  putVec8(u, base + 24, index.strides);
  const T = wgslType(x.storage.dtype);
  const k = kernel(`gather:${T}`, 4, () => specialise(gatherSrc, { T }));
  const [gx, gy] = grid("gather", Math.ceil(n / 256));
  dispatch("gather", k, [bufOf(out), bufOf(x.storage), bufOf(index.storage), errorFlag()], gx, gy);
}

/** out[... index[i] ...] (+)= src[i] along dim, in place on the strided out. */
export function scatter(
  out: Strided,
  dim: number,
  index: Strided,
  src: Strided,
  accumulate: boolean,
): void {
  const n = numelOf(index.shape);
  if (n === 0) return;
  checkRank("scatter", index.shape);
  const T = wgslType(out.storage.dtype);
  if (src.storage.dtype !== out.storage.dtype) {
    throw new TypeError(
      `scatter: src dtype ${src.storage.dtype} differs from ${out.storage.dtype}`,
    );
  }
  const base = begin();
  const u = U.u32;
  u[base] = n;
  u[base + 1] = index.shape.length;
  u[base + 2] = dim;
  u[base + 3] = out.shape[dim] ?? 1;
  u[base + 4] = out.offset;
  u[base + 5] = index.offset;
  u[base + 6] = src.offset;
  putVec8(u, base + 8, index.shape);
  putVec8(u, base + 16, out.strides.length ? out.strides : [0]);
  putVec8(u, base + 24, index.strides);
  putVec8(u, base + 32, src.strides.slice(0, index.shape.length));
  const mode = !accumulate || T === "u32" ? "set" : T === "f32" ? "addf" : "addi";
  const put = mode === "set" ? setSrc : mode === "addf" ? addF32Src : addI32Src;
  const k = kernel(
    `scatter:${T}:${mode}`,
    4,
    () => specialise(put, { T }) + specialise(scatterSrc, { T }),
  );
  const [gx, gy] = grid("scatter", Math.ceil(n / 256));
  const bufs = [bufOf(out.storage), bufOf(src.storage), bufOf(index.storage), errorFlag()];
  dispatch(accumulate ? "scatterAdd" : "scatter", k, bufs, gx, gy);
}

/** Error-flag codes of the zero-divisor check, one per op (for its name), registered lazily. */
const divisorCodes = new Map<string, number>();
const FIRST_DIVISOR_CODE = 16;

/** Flags a zero in the dense integer `divisor` (see Backend.checkIntDivisor). */
export function checkIntDivisor(op: string, divisor: Strided): void {
  const n = numelOf(divisor.shape);
  if (n === 0) return;
  let code = divisorCodes.get(op);
  if (code === undefined) {
    code = FIRST_DIVISOR_CODE + divisorCodes.size;
    divisorCodes.set(op, code);
    registerFlag(code, () => `${op}: ZeroDivisionError: integer division by zero`);
  }
  const base = begin();
  U.u32[base] = n;
  U.u32[base + 1] = divisor.offset;
  U.i32[base + 2] = code;
  const T = wgslType(divisor.storage.dtype);
  const k = kernel(`zero_divisor:${T}`, 2, () => specialise(zeroDivisorSrc, { T }));
  const [gx, gy] = grid(op, Math.ceil(n / 256));
  dispatch(op, k, [bufOf(divisor.storage), errorFlag()], gx, gy);
}

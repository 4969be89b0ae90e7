/**
 * Async readback through pooled MAP_READ staging buffers. The kernels' error-flag words (set by
 * gather/scatter on an out-of-range index) are copied into the same staging buffer, so checking
 * them costs no extra map.
 */
import type { DType, TypedArray } from "../../tensor/dtype.ts";
import { BufferPool } from "./buffer_pool.ts";
import { gpu, throwPendingErrors } from "./device.ts";
import { copy, flush } from "./encoder.ts";

const FLAG_WORDS = 4;
let staging: BufferPool | null = null;
let flagBuf: GPUBuffer | null = null;
/** Messages (and error classes) for error codes, registered by the kernels that set them. */
const flagMessages = new Map<
  number,
  { msg: (a: number, b: number, c: number) => string; ctor: new (m: string) => Error }
>();

/** The error-flag buffer kernels write [code, a, b, c] into on a bad index. */
export function errorFlag(): GPUBuffer {
  if (!flagBuf) {
    flagBuf = gpu().device.createBuffer({
      size: 256,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
  }
  return flagBuf;
}

/**
 * Registers how to describe error code `code` (its three detail words) and the class of the
 * error thrown for it (default RangeError).
 */
export function registerFlag(
  code: number,
  msg: (a: number, b: number, c: number) => string,
  ctor: new (m: string) => Error = RangeError,
): void {
  flagMessages.set(code, { msg, ctor });
}

/** Drops the staging pool and flag buffer (device reset or emptyCache). */
export function resetReadback(destroyAll = false): void {
  staging?.clear();
  if (destroyAll) {
    staging = null;
    flagBuf = null;
  }
}

/** Bytes held by staging buffers. */
export function stagingReserved(): number {
  return staging?.reserved ?? 0;
}

/** Reads `length` elements of `buf` (of `dtype`) back to the host. */
export async function readBuffer(
  buf: GPUBuffer,
  dtype: DType,
  length: number,
): Promise<TypedArray> {
  const { device } = gpu();
  staging ??= new BufferPool(device, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, 2 ** 31);
  const bytes = length * 4;
  const flagAt = bytes;
  const st = staging.acquire(bytes + FLAG_WORDS * 4);
  if (bytes) copy(buf, 0, st, 0, bytes);
  copy(errorFlag(), 0, st, flagAt, FLAG_WORDS * 4);
  flush();
  try {
    await st.mapAsync(GPUMapMode.READ, 0, bytes + FLAG_WORDS * 4);
  } catch (e) {
    await throwPendingErrors();
    throw e;
  }
  const mapped = st.getMappedRange(0, bytes + FLAG_WORDS * 4);
  const flags = new Int32Array(mapped, flagAt, FLAG_WORDS).slice();
  let out: TypedArray;
  if (dtype === "float32") out = new Float32Array(mapped, 0, length).slice();
  else if (dtype === "int32") out = new Int32Array(mapped, 0, length).slice();
  else out = Uint8Array.from(new Uint32Array(mapped, 0, length));
  st.unmap();
  staging.release(st);
  await throwPendingErrors();
  if (flags[0] !== 0) {
    device.queue.writeBuffer(errorFlag(), 0, new Int32Array(FLAG_WORDS));
    const known = flagMessages.get(flags[0]);
    throw new (known?.ctor ?? RangeError)(
      (known ? known.msg(flags[1], flags[2], flags[3]) : `webgpu kernel error code ${flags[0]}`) +
        " (detected on the GPU; reported at the next readback)",
    );
  }
  return out;
}

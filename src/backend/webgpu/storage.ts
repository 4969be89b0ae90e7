/** The webgpu Storage: a pooled GPU buffer plus the bookkeeping the core needs. */
import type { Storage } from "../backend.ts";
import type { DType } from "../../tensor/dtype.ts";

/** A tensor's memory on the GPU. The buffer may be larger than `length` (pool buckets). */
export interface GpuStorage extends Storage {
  /** The device buffer (STORAGE | COPY_SRC | COPY_DST). */
  buffer: GPUBuffer;
}

/** Creates the Storage record for a buffer. */
export function makeStorage(buffer: GPUBuffer, dtype: DType, length: number): GpuStorage {
  return { device: "webgpu", dtype, length, version: 0, refs: 1, buffer };
}

/** The buffer behind a webgpu storage. */
export function bufOf(s: Storage): GPUBuffer {
  const b = (s as GpuStorage).buffer;
  if (!b) throw new Error(`internal: storage on ${s.device} passed to the webgpu backend`);
  return b;
}

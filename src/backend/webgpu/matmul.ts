/** Batched matmul on strided views (transposed operands are read in place, never copied). */
import type { Storage, Strided } from "../backend.ts";
import b4x8 from "../../../kernels/matmul_block_4x8.wgsl" with { type: "text" };
import b8x8 from "../../../kernels/matmul_block_8x8.wgsl" with { type: "text" };
import b8x16 from "../../../kernels/matmul_block_8x16.wgsl" with { type: "text" };
import b16x16 from "../../../kernels/matmul_block_16x16.wgsl" with { type: "text" };
import { gpu } from "./device.ts";
import { begin, dispatch, U } from "./encoder.ts";
import { kernel, specialise } from "./pipeline_cache.ts";
import { bufOf } from "./storage.ts";

/** Register-block shape per invocation: rows × (4·vec4 columns). */
interface Variant {
  tm: number;
  nv: number;
}

let forced: Variant | null = null;

/** Generated, hand-unrolled block kernels (bench/gen_matmul_wgsl.ts), keyed "tm x 4·nv". */
const SOURCES: Record<string, string> = {
  "4x8": b4x8,
  "8x8": b8x8,
  "8x16": b8x16,
  "16x16": b16x16,
};

/** Overrides the block shape (benchmarks and tests); null restores the per-adapter choice. */
export function setMatmulVariant(v: Variant | null): void {
  forced = v;
}

function variantFor(M: number, N: number): Variant {
  if (forced) return forced;
  // llvmpipe: big blocks amortise per-lane gathers (see kernels/matmul_block.wgsl); small
  // problems get smaller blocks so that both cores receive workgroups.
  if (gpu().isFallback) {
    // Measured on llvmpipe (2 cores): 8x16 is fastest from 512², 4x8 below.
    if (M * N >= 512 * 512) return { tm: 8, nv: 4 };
    return { tm: 4, nv: 2 };
  }
  // TODO(real GPUs): a shared-memory tiled kernel; until then the smallest register block.
  return { tm: 4, nv: 2 };
}

const MAX_Z = 65535;

/** out[b] = a[b] @ b[b] for a: [B, M, K], b: [B, K, N], out contiguous [B, M, N]. */
export function matmul(a: Strided, b: Strided, out: Storage): void {
  const [B, M, K] = a.shape, N = b.shape[2];
  if (B * M * N === 0) return;
  if (a.storage.dtype !== "float32" || b.storage.dtype !== "float32") {
    throw new TypeError(
      `matmul: the webgpu kernel supports float32 only (got ${a.storage.dtype} and ${b.storage.dtype})`,
    );
  }
  const [sAb, sAm, sAk] = a.strides, [sBb, sBk, sBn] = b.strides;
  const vecA = sAk === 1 && K % 4 === 0 && a.offset % 4 === 0 && sAm % 4 === 0 &&
    (B === 1 || sAb % 4 === 0);
  const vecB = sBn === 1 && N % 4 === 0 && b.offset % 4 === 0 && sBk % 4 === 0 &&
    (B === 1 || sBb % 4 === 0);
  const { tm, nv } = variantFor(M, N);
  const src = SOURCES[`${tm}x${4 * nv}`];
  if (!src) throw new Error(`matmul: no kernel for a ${tm}x${4 * nv} block`);
  const key = `matmul_block:${tm}:${nv}:${vecA}:${vecB}`;
  const k = kernel(
    key,
    5,
    () => specialise(src, { VEC_A: vecA, VEC_B: vecB }),
  );
  const ab = bufOf(a.storage), bb = bufOf(b.storage), ob = bufOf(out);
  for (let b0 = 0; b0 < B; b0 += MAX_Z) {
    const nb = Math.min(MAX_Z, B - b0);
    const base = begin();
    const u = U.u32;
    u[base] = M;
    u[base + 1] = N;
    u[base + 2] = K;
    u[base + 3] = b0 * M * N;
    u[base + 4] = a.offset + b0 * sAb;
    u[base + 5] = sAb;
    u[base + 6] = sAm;
    u[base + 7] = sAk;
    u[base + 8] = b.offset + b0 * sBb;
    u[base + 9] = sBb;
    u[base + 10] = sBk;
    u[base + 11] = sBn;
    const gx = Math.ceil(N / (32 * nv)), gy = Math.ceil(M / (8 * tm));
    dispatch("matmul", k, [ob, ab, bb, ab, bb], gx, gy, nb);
  }
}

/** Batched matmul on strided views (transposed operands are read in place, never copied). */
import type { Storage, Strided } from "../backend.ts";
import tiled from "../../../kernels/matmul_tiled.wgsl" with { type: "text" };
import { gpu, loopBudget } from "./device.ts";
import { matmulRowsSource, type Shape } from "./matmul_rows_wgsl.ts";
import { begin, dispatch, U } from "./encoder.ts";
import { kernel, specialise } from "./pipeline_cache.ts";
import { bufOf } from "./storage.ts";
import { sumPartials, type TempAlloc } from "./split_k.ts";

/**
 * A kernel choice: "tiled" (workgroup-memory tiling, for real GPUs) or a register-blocked
 * row kernel (matmul_rows_wgsl.ts) owning `tm` rows × `cols` columns per workgroup.
 */
export type MatmulVariant = "tiled" | { tm: number; cols: number };

/** The row kernels, keyed "tm x cols" (8 lanes × vec4 × cols/32 per lane). */
const ROWS: Record<string, Shape> = {
  "8x64": { tm: 8, tn: 2, wx: 8 },
  "32x32": { tm: 32, tn: 1, wx: 8 },
  "32x64": { tm: 32, tn: 2, wx: 8 },
  "16x128": { tm: 16, tn: 4, wx: 8 },
};

let forced: MatmulVariant | null = null;

/** Overrides the kernel choice (benchmarks and tests); null restores the per-adapter choice. */
export function setMatmulVariant(v: MatmulVariant | null): void {
  forced = v;
}

function variantFor(M: number, N: number, B: number): MatmulVariant {
  if (forced) return forced;
  if (!gpu().isFallback) return "tiled";
  // llvmpipe (2+ cores): the biggest block that still leaves enough workgroups for every core.
  const wgs = (tm: number, cols: number) => B * Math.ceil(M / tm) * Math.ceil(N / cols);
  if (N <= 32 && wgs(32, 32) >= 16) return { tm: 32, cols: 32 };
  if (N > 64 && wgs(16, 128) >= 16) return { tm: 16, cols: 128 };
  if (wgs(32, 64) >= 16) return { tm: 32, cols: 64 };
  return { tm: 8, cols: 64 };
}

const MAX_Z = 65535;

/**
 * out[b] = a[b] @ b[b] for a: [B, M, K], b: [B, K, N], out contiguous [B, M, N]. A K longer
 * than one invocation's loop budget (device.ts) is split into chunks whose partial products are
 * summed (split_k.ts), so llvmpipe's loop limiter never truncates the dot products.
 */
export function matmul(a: Strided, b: Strided, out: Storage, mem: TempAlloc): void {
  const [B, M, K] = a.shape, N = b.shape[2];
  if (B * M * N === 0) return;
  if (a.storage.dtype !== "float32" || b.storage.dtype !== "float32") {
    throw new TypeError(
      `matmul: the webgpu kernel supports float32 only (got ${a.storage.dtype} and ${b.storage.dtype})`,
    );
  }
  const v = variantFor(M, N, B);
  // The row kernels step K by 4 when A's rows are vec4-readable, else by 1.
  const iters = v !== "tiled" && vecAOk(a) ? K / 4 : K;
  const S = Math.ceil(iters / loopBudget());
  if (S <= 1) {
    encode(a, b, out, 0, v);
    return;
  }
  const kc = Math.ceil(K / S / 4) * 4, n = B * M * N;
  const part = mem.alloc("float32", S * n);
  let s = 0;
  for (let k0 = 0; k0 < K; k0 += kc, s++) {
    const kl = Math.min(kc, K - k0);
    encode(
      { ...a, shape: [B, M, kl], offset: a.offset + k0 * a.strides[2] },
      { ...b, shape: [B, kl, N], offset: b.offset + k0 * b.strides[1] },
      part,
      s * n,
      v,
    );
  }
  sumPartials("matmul", n, s, out, part);
  mem.free(part);
}

/** Whether A's rows can be read as vec4 along K. */
function vecAOk(a: Strided): boolean {
  const [B, , K] = a.shape, [sAb, sAm, sAk] = a.strides;
  return sAk === 1 && K % 4 === 0 && a.offset % 4 === 0 && sAm % 4 === 0 &&
    (B === 1 || sAb % 4 === 0);
}

/** Records the dispatches of one product into `out` from element `cOff` on. */
function encode(a: Strided, b: Strided, out: Storage, cOff: number, v: MatmulVariant): void {
  const [B, M, K] = a.shape, N = b.shape[2];
  const [sAb, sAm, sAk] = a.strides, [sBb, sBk, sBn] = b.strides;
  let k, gx;
  const ab = bufOf(a.storage), bb = bufOf(b.storage), ob = bufOf(out);
  let bufs: GPUBuffer[];
  if (v === "tiled") {
    k = kernel("matmul_tiled", 3, () => tiled);
    gx = Math.ceil(N / 64);
    bufs = [ob, ab, bb];
  } else {
    const shape = ROWS[`${v.tm}x${v.cols}`];
    if (!shape) throw new Error(`matmul: no kernel for a ${v.tm}x${v.cols} block`);
    const vecA = vecAOk(a);
    const vecB = sBn === 1 && N % 4 === 0 && b.offset % 4 === 0 && sBk % 4 === 0 &&
      (B === 1 || sBb % 4 === 0);
    k = kernel(
      `matmul_rows:${v.tm}:${v.cols}:${vecA}:${vecB}`,
      5,
      () => specialise(matmulRowsSource(shape), { VEC_A: vecA, VEC_B: vecB }),
    );
    gx = Math.ceil(N / v.cols);
    bufs = [ob, ab, bb, ab, bb];
  }
  // Rows past 65,535 workgroups go in chunks of whole workgroups, one batch at a time (the
  // kernels step C by the params' M between batches, so a chunked M must not span batches).
  const rowsPer = v === "tiled" ? 64 : v.tm;
  const maxRows = MAX_Z * rowsPer;
  const chunked = M > maxRows;
  const u = U.u32;
  for (let b0 = 0; b0 < B; b0 += chunked ? 1 : MAX_Z) {
    const nb = chunked ? 1 : Math.min(MAX_Z, B - b0);
    for (let m0 = 0; m0 < M; m0 += maxRows) {
      const m = Math.min(maxRows, M - m0);
      const base = begin();
      u[base] = m;
      u[base + 1] = N;
      u[base + 2] = K;
      u[base + 3] = cOff + (b0 * M + m0) * N;
      u[base + 4] = a.offset + b0 * sAb + m0 * sAm;
      u[base + 5] = sAb;
      u[base + 6] = sAm;
      u[base + 7] = sAk;
      u[base + 8] = b.offset + b0 * sBb;
      u[base + 9] = sBb;
      u[base + 10] = sBk;
      u[base + 11] = sBn;
      dispatch("matmul", k, bufs, gx, Math.ceil(m / rowsPer), nb);
    }
  }
}

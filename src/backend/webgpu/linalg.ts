/**
 * The webgpu `linalg` kernels (kernels/linalg_*.wgsl). Every factorization runs entirely on the
 * GPU as a sequence of small dispatches over all matrices of the batch at once: one or two per
 * pivot column for LU, Cholesky and Householder QR, one per pivot row for triangular solves,
 * and one or two per round of a parallel (round-robin) Jacobi ordering for eigh and the SVD,
 * for a fixed number of sweeps (enough for float32 convergence; converged pairs skip their
 * rotation). No invocation loops more than a few times the matrix size, so llvmpipe's
 * per-invocation loop budget (device.ts, loopBudget) holds for every matrix below ~20,000 rows,
 * and larger ones fail with a clear error. A singular or non-positive-definite input sets the
 * error flag, reported as a LinAlgError at the next readback.
 */
import type { Storage, Strided } from "../backend.ts";
import { type InfoCheck, infoMessage, LinAlgError, type LinalgKernels } from "../linalg_kernels.ts";
import { contiguousStrides } from "../../tensor/shape.ts";
import luSrc from "../../../kernels/linalg_lu.wgsl" with { type: "text" };
import trsvSrc from "../../../kernels/linalg_trsv.wgsl" with { type: "text" };
import pivotsSrc from "../../../kernels/linalg_pivots.wgsl" with { type: "text" };
import cholSrc from "../../../kernels/linalg_cholesky.wgsl" with { type: "text" };
import qrSrc from "../../../kernels/linalg_qr.wgsl" with { type: "text" };
import jacobiSrc from "../../../kernels/linalg_jacobi.wgsl" with { type: "text" };
import infoSrc from "../../../kernels/linalg_info.wgsl" with { type: "text" };
import type { BufferPool } from "./buffer_pool.ts";
import { loopBudget } from "./device.ts";
import { fill, unary } from "./elementwise.ts";
import { begin, dispatch, U } from "./encoder.ts";
import { releaseBuffer } from "./fusion.ts";
import { grid } from "./layout.ts";
import { type Kernel, kernel, specialise } from "./pipeline_cache.ts";
import { errorFlag, registerFlag } from "./readback.ts";
import { bufOf, makeStorage } from "./storage.ts";

const WG = 64;
/** Jacobi leaves a pair alone once its coupling is below float32's epsilon of its scale. */
const JACOBI_TOL = 2 ** -23;

/** Jacobi sweeps run: float32 convergence took at most log2(n) + 5 in tests; 3 to spare. */
function sweeps(n: number): number {
  return Math.ceil(Math.log2(Math.max(n, 2))) + 8;
}

function entry(src: string, file: string, main: string, nStorage: number): Kernel {
  return kernel(`linalg:${file}:${main}`, nStorage, () => specialise(src, { MAIN: main }));
}

/** Writes a dispatch's uniform words (unsigned, except where `f32` names float slots). */
function params(words: number[], f32: Record<number, number> = {}): void {
  const b = begin();
  words.forEach((w, i) => (U.u32[b + i] = w >>> 0));
  for (const [i, v] of Object.entries(f32)) U.f32[b + Number(i)] = v;
}

/** One dispatch of `count` invocations (64 per workgroup); nothing when count is 0. */
function run(op: string, k: Kernel, bufs: GPUBuffer[], count: number): void {
  if (count <= 0) return;
  const [x, y] = grid(op, Math.ceil(count / WG));
  dispatch(op, k, bufs, x, y);
}

/** Throws when one invocation would loop more than the adapter allows. */
function checkLoops(op: string, iterations: number, what: string): void {
  const budget = loopBudget();
  if (iterations > budget) {
    throw new RangeError(
      `${op}: on this WebGPU adapter one GPU thread may run ${budget} loop iterations, and ` +
        `${what} needs ${iterations}; use the cpu device for matrices this large`,
    );
  }
}

/** A contiguous view of `s` with `shape`. */
function dense(s: Storage, shape: readonly number[]): Strided {
  return { storage: s, shape, strides: contiguousStrides(shape), offset: 0 };
}

/** Copies the (strided) `src` into the contiguous `dst`. */
function copyInto(src: Strided, dst: Storage): void {
  unary("copy", src, dense(dst, src.shape));
}

/** Error-flag codes of the info checks, one per (op, failure, batched), registered lazily. */
const codes = new Map<string, number>();
const FIRST_CODE = 64;

function codeFor(check: InfoCheck): number {
  const key = `${check.op}|${check.failure}|${check.batched}`;
  let code = codes.get(key);
  if (code === undefined) {
    code = FIRST_CODE + codes.size;
    codes.set(key, code);
    registerFlag(code, (b, info) => infoMessage(check, b, info), LinAlgError);
  }
  return code;
}

/** Triangular solve in place on the contiguous X [B, n, K] with T read through its strides. */
function trsv(
  t: Strided,
  x: GPUBuffer,
  dims: [number, number, number],
  upper: boolean,
  unit: boolean,
): void {
  const [B, n, K] = dims;
  const step = entry(trsvSrc, "trsv", "tri_step", 2),
    scale = entry(trsvSrc, "trsv", "tri_scale", 2);
  const [ts0, ts1, ts2] = t.strides;
  const bufs = [bufOf(t.storage), x];
  for (let s = 0; s < n; s++) {
    const kk = upper ? n - 1 - s : s;
    const rows = upper ? kk : n - kk - 1;
    if (rows === 0) continue;
    params([B, n, K, kk, upper ? 1 : 0, unit ? 1 : 0, t.offset, ts0, ts1, ts2]);
    run("linalg.solve_triangular", step, bufs, B * rows * K);
  }
  if (!unit) {
    params([B, n, K, 0, upper ? 1 : 0, 0, t.offset, ts0, ts1, ts2]);
    run("linalg.solve_triangular", scale, bufs, B * n * K);
  }
}

/** Applies (or, `reverse`, undoes) LU's row interchanges to the contiguous X [B, n, K]. */
function permuteRows(
  x: GPUBuffer,
  pivots: Strided,
  dims: [number, number, number],
  reverse: boolean,
) {
  const [B, n, K] = dims;
  checkLoops("linalg.lu_solve", n, "applying the row interchanges");
  params([B, n, K, reverse ? 1 : 0, pivots.offset, pivots.strides[0], pivots.strides[1]]);
  run("linalg.lu_solve", entry(pivotsSrc, "pivots", "main", 2), [x, bufOf(pivots.storage)], B * K);
}

/** The webgpu implementation of `LinalgKernels`, with temporaries from `pool`. */
export function webgpuLinalg(pool: BufferPool): LinalgKernels {
  const temp = (length: number): GPUBuffer => pool.acquire(Math.max(length, 1) * 4);
  const done = (...bufs: GPUBuffer[]) => bufs.forEach((b) => releaseBuffer(pool, b));

  return {
    luFactor(a, lu, pivots, info) {
      const [B, n] = a.shape;
      if (B === 0) return;
      fill(dense(info, [B]), 0);
      if (n === 0) return;
      checkLoops("linalg.lu_factor", 3 * n, "an LU pivot step");
      copyInto(a, lu);
      const pivot = entry(luSrc, "lu", "lu_pivot", 3), update = entry(luSrc, "lu", "lu_update", 3);
      const bufs = [bufOf(lu), bufOf(pivots), bufOf(info)];
      for (let k = 0; k < n; k++) {
        params([B, n, k]);
        run("linalg.lu_factor", pivot, bufs, B);
        const r = n - k - 1;
        if (r === 0) continue;
        params([B, n, k]);
        run("linalg.lu_factor", update, bufs, B * r * r);
      }
    },

    luSolve(lu, pivots, b, adjoint, out) {
      const [B, n, K] = b.shape;
      if (B * n * K === 0) return;
      copyInto(b, out);
      const x = bufOf(out), dims: [number, number, number] = [B, n, K];
      if (!adjoint) {
        permuteRows(x, pivots, dims, false);
        trsv(lu, x, dims, false, true);
        trsv(lu, x, dims, true, false);
        return;
      }
      // Aᵀ = Uᵀ Lᵀ Pᵀ: the factors read transposed (swapped strides), the swaps undone last.
      const luT = { ...lu, strides: [lu.strides[0], lu.strides[2], lu.strides[1]] };
      trsv(luT, x, dims, false, false);
      trsv(luT, x, dims, true, true);
      permuteRows(x, pivots, dims, true);
    },

    triangularSolve(a, b, upper, unitDiagonal, out) {
      const [B, n, K] = b.shape;
      if (B * n * K === 0) return;
      copyInto(b, out);
      trsv(a, bufOf(out), [B, n, K], upper, unitDiagonal);
    },

    cholesky(a, out, info) {
      const [B, n] = a.shape;
      if (B === 0) return;
      fill(dense(info, [B]), 0);
      if (n === 0) return;
      checkLoops("linalg.cholesky", n, "a Cholesky column");
      copyInto(a, out);
      const pivot = entry(cholSrc, "chol", "chol_pivot", 2);
      const update = entry(cholSrc, "chol", "chol_update", 2);
      const bufs = [bufOf(out), bufOf(info)];
      for (let k = 0; k < n; k++) {
        params([B, n, k]);
        run("linalg.cholesky", pivot, bufs, B);
        const r = n - k - 1;
        if (r === 0) continue;
        params([B, n, k]);
        run("linalg.cholesky", update, bufs, B * r * r);
      }
      params([B, n, 0]);
      run("linalg.cholesky", entry(cholSrc, "chol", "zero_upper", 2), bufs, B * n * n);
    },

    qr(a, q, r, complete) {
      const [B, m, n] = a.shape;
      const K = Math.min(m, n), rk = complete ? m : K;
      if (B === 0) return;
      checkLoops("linalg.qr", 2 * m, "a Householder reflection");
      const w = temp(B * m * n), tau = temp(B * K), qb = q ? bufOf(q) : temp(1);
      if (m * n) copyInto(a, makeStorage(w, "float32", B * m * n));
      const bufs = [w, qb, tau, bufOf(r)];
      const k = (main: string) => entry(qrSrc, "qr", main, 4);
      const p = (step: number) => params([B, m, n, step, rk, K]);
      for (let s = 0; s < K; s++) {
        p(s);
        run("linalg.qr", k("house"), bufs, B);
        if (n - s - 1 > 0) {
          p(s);
          run("linalg.qr", k("house_apply"), bufs, B * (n - s - 1));
        }
      }
      p(0);
      run("linalg.qr", k("r_extract"), bufs, B * rk * n);
      if (q) {
        p(0);
        run("linalg.qr", k("q_init"), bufs, B * m * rk);
        for (let s = K - 1; s >= 0; s--) {
          p(s);
          run("linalg.qr", k("q_apply"), bufs, B * (rk - s));
        }
      }
      done(w, tau);
      if (!q) done(qb);
    },

    eigh(a, w, v) {
      const [B, n] = a.shape;
      if (B * n === 0) return;
      checkLoops("linalg.eigh", 2 * n, "a Jacobi rotation");
      const N = n + (n % 2), npairs = N / 2;
      const work = temp(B * n * n), cs = temp(B * npairs * 2);
      copyInto(a, makeStorage(work, "float32", B * n * n));
      const k = (main: string) => entry(jacobiSrc, "jacobi", main, 3);
      const bufs = [work, bufOf(v), cs];
      const p = (round: number) => params([B, n, n, N, round, npairs], { 6: JACOBI_TOL });
      p(0);
      run("linalg.eigh", k("eye_init"), bufs, B * n * n);
      for (let s = 0; s < sweeps(n); s++) {
        for (let round = 0; round < N - 1; round++) {
          p(round);
          run("linalg.eigh", k("eig_rows"), bufs, B * npairs);
          p(round);
          run("linalg.eigh", k("eig_cols"), bufs, B * npairs);
        }
      }
      p(0);
      run("linalg.eigh", k("diag_extract"), [work, bufOf(v), bufOf(w)], B * n);
      done(work, cs);
    },

    svdRight(a, av, v) {
      const [B, m, n] = a.shape;
      if (B * m * n === 0) return;
      checkLoops("linalg.svd", 2 * m + n, "a one-sided Jacobi rotation");
      const N = n + (n % 2), npairs = N / 2;
      copyInto(a, av);
      const unused = temp(1);
      const k = (main: string) => entry(jacobiSrc, "jacobi", main, 3);
      const bufs = [bufOf(av), bufOf(v), unused];
      const p = (round: number) => params([B, n, m, N, round, npairs], { 6: JACOBI_TOL });
      p(0);
      run("linalg.svd", k("eye_init"), bufs, B * n * n);
      for (let s = 0; s < sweeps(n); s++) {
        for (let round = 0; round < N - 1; round++) {
          p(round);
          run("linalg.svd", k("svd_round"), bufs, B * npairs);
        }
      }
      done(unused);
    },

    checkInfo(info, check) {
      const B = info.shape[0];
      const code = codeFor(check);
      // One invocation scans the batch; long batches take several dispatches (loop budget).
      const chunk = Math.min(B, Math.max(1, Math.floor(loopBudget() - 100)));
      const k = kernel("linalg:info", 2, () => infoSrc);
      for (let start = 0; start < B; start += chunk) {
        const b = begin();
        U.u32[b] = start;
        U.u32[b + 1] = Math.min(B, start + chunk);
        U.i32[b + 2] = code;
        U.u32[b + 3] = info.offset;
        U.u32[b + 4] = info.strides[0];
        dispatch(check.op, k, [bufOf(info.storage), errorFlag()], 1);
      }
    },
  };
}

/**
 * BatchNorm kernels: per-channel statistics of an [N, C, ...] input (one workgroup per channel)
 * and the per-channel affine pass that normalises (forward) or forms the input gradient
 * (backward). Inputs may be any view whose trailing dims (after C) merge into one stride.
 */
import type { BatchNormApplyParams, Storage, Strided } from "../backend.ts";
import statsSrc from "../../../kernels/batchnorm_stats.wgsl" with { type: "text" };
import applySrc from "../../../kernels/batchnorm_apply.wgsl" with { type: "text" };
import { begin, dispatch, U } from "./encoder.ts";
import { kernel, specialise } from "./pipeline_cache.ts";
import { coalesce, grid } from "./layout.ts";
import { bufOf } from "./storage.ts";
import { gpu, loopBudget } from "./device.ts";

/** [N, C, S] geometry of a view: S merges the trailing dims; null when they do not merge. */
export interface NCS {
  /** Batch size. */
  N: number;
  /** Channels. */
  C: number;
  /** Elements per (n, c) plane. */
  S: number;
  /** Strides of n, c and the merged trailing dim. */
  st: [number, number, number];
}

/** The [N, C, S] view of `x` ([N, C, ...]), or null when its trailing dims do not merge. */
export function ncsOf(x: Strided): NCS | null {
  const N = x.shape[0], C = x.shape[1];
  const tail = coalesce(x.shape.slice(2), [x.strides.slice(2)]);
  if (tail.shape.length > 1) return null;
  const S = tail.shape.length ? tail.shape[0] : 1;
  return { N, C, S, st: [x.strides[0], x.strides[1], tail.shape.length ? tail.strides[0][0] : 0] };
}

function ncs(op: string, x: Strided): NCS {
  const g = ncsOf(x);
  if (!g) throw new Error(`internal: webgpu ${op} needs trailing dims that merge into one`);
  return g;
}

/**
 * out [2, C] = per-channel mean and biased variance of x [N, C, ...]. Returns false, writing
 * nothing, when a channel is too large for one workgroup's loop budget (device.ts).
 */
export function batchNormStats(x: Strided, out: Storage): boolean {
  const g = ncs("batchNorm", x);
  if (!statsFit(g)) return false;
  statsDispatch("batchNorm", g, x, x, g, null, out, false);
  return true;
}

/** Whether one lane's loops over a channel (batchnorm_stats.wgsl, 64 lanes) fit the budget. */
function statsFit({ N, S }: NCS): boolean {
  const iters = S >= 64 ? N * (Math.ceil(S / 64) + 1) : Math.ceil((N * S) / 64);
  return iters + 16 <= loopBudget();
}

/** out [2, C] = per-channel Σ g and Σ g·(x − mean[c]). */
export function batchNormGradStats(g: Strided, x: Strided, mean: Strided, out: Storage): void {
  const gx = ncs("batchNorm backward", x), gg = ncs("batchNorm backward", g);
  // The forward's batchNormStats accepted this shape, so this never fires.
  if (!statsFit(gx)) {
    throw new Error("internal: batchNorm backward channel exceeds the loop budget");
  }
  statsDispatch("batchNorm backward", gx, x, g, gg, mean, out, true);
}

function statsDispatch(
  op: string,
  gx: NCS,
  x: Strided,
  g: Strided,
  gg: NCS,
  mean: Strided | null,
  out: Storage,
  bwd: boolean,
): void {
  if (gx.C === 0) return;
  const base = begin();
  const u = U.u32;
  u[base] = gx.N;
  u[base + 1] = gx.C;
  u[base + 2] = gx.S;
  u[base + 3] = x.offset;
  u[base + 4] = gx.st[0];
  u[base + 5] = gx.st[1];
  u[base + 6] = gx.st[2];
  u[base + 7] = g.offset;
  u[base + 8] = gg.st[0];
  u[base + 9] = gg.st[1];
  u[base + 10] = gg.st[2];
  u[base + 11] = mean ? mean.offset : 0;
  u[base + 12] = mean ? mean.strides[0] : 0;
  const x1 = gx.st[2] === 1, g1 = bwd && gg.st[2] === 1;
  const k = kernel(
    `bnstats:${bwd}:${x1}:${g1}`,
    4,
    () => specialise(statsSrc, { BWD: bwd, X1: x1, G1: g1 }),
  );
  const [wx, wy] = grid(op, gx.C);
  const xb = bufOf(x.storage);
  dispatch(op, k, [xb, bufOf(g.storage), mean ? bufOf(mean.storage) : xb, bufOf(out)], wx, wy);
}

/** out = scale[c]·(x − mean[c]) + shift[c] (+ yScale[c]·y), out contiguous like x. */
export function batchNormApply(x: Strided, p: BatchNormApplyParams, out: Storage): void {
  const gx = ncs("batchNorm", x);
  const y = p.y ?? null;
  const gy = y ? ncs("batchNorm", y) : gx;
  if (gx.N * gx.C * gx.S === 0) return;
  const base = begin();
  const u = U.u32;
  u[base] = gx.N;
  u[base + 1] = gx.C;
  u[base + 2] = gx.S;
  u[base + 3] = x.offset;
  u[base + 4] = gx.st[0];
  u[base + 5] = gx.st[1];
  u[base + 6] = gx.st[2];
  u[base + 7] = y ? y.offset : 0;
  u[base + 8] = gy.st[0];
  u[base + 9] = gy.st[1];
  u[base + 10] = gy.st[2];
  u[base + 11] = p.shift ? 1 : 0;
  u[base + 12] = p.mean.offset;
  u[base + 13] = p.mean.strides[0];
  u[base + 14] = p.scale.offset;
  u[base + 15] = p.scale.strides[0];
  u[base + 16] = p.shift ? p.shift.offset : 0;
  u[base + 17] = p.shift ? p.shift.strides[0] : 0;
  u[base + 18] = p.yScale ? p.yScale.offset : 0;
  u[base + 19] = p.yScale ? p.yScale.strides[0] : 0;
  const hasY = !!(y && p.yScale);
  const x1 = gx.st[2] === 1, y1 = hasY && gy.st[2] === 1;
  const k = kernel(
    `bnapply:${hasY}:${x1}:${y1}`,
    7,
    () => specialise(applySrc, { HAS_Y: hasY, X1: x1, Y1: y1 }),
  );
  const xb = bufOf(x.storage), ab = bufOf(p.scale.storage);
  const planes = gx.N * gx.C;
  const wy = Math.min(planes, gpu().maxGroups);
  const wx = Math.ceil(gx.S / 4096);
  if (wx > gpu().maxGroups) throw new RangeError("batchNorm: plane too large for one dispatch");
  dispatch(
    "batchNorm",
    k,
    [
      xb,
      hasY ? bufOf(y!.storage) : xb,
      bufOf(p.mean.storage),
      ab,
      p.shift ? bufOf(p.shift.storage) : ab,
      hasY ? bufOf(p.yScale!.storage) : ab,
      bufOf(out),
    ],
    wx,
    wy,
  );
}

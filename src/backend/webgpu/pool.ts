/**
 * Max pooling kernels: a forward writing values and first-max indices in one pass, and an input
 * gradient that is either one write per tap (windows tiling the plane) or a gather over the
 * windows covering each input element (general geometry; no atomics).
 */
import type { Storage, Strided, WindowParams } from "../backend.ts";
import fwdSrc from "../../../kernels/pool_max.wgsl" with { type: "text" };
import bwdSrc from "../../../kernels/pool_max_backward.wgsl" with { type: "text" };
import tiledSrc from "../../../kernels/pool_max_backward_tiled.wgsl" with { type: "text" };
import { begin, dispatch, U } from "./encoder.ts";
import { kernel } from "./pipeline_cache.ts";
import { grid } from "./layout.ts";
import { bufOf } from "./storage.ts";
import { gpu, loopBudget } from "./device.ts";

/** [n, c] sizes and strides of the (at most two) leading dims of a [..., A, B] view. */
function lead(op: string, t: Strided): [number, number, number, number] {
  const nd = t.shape.length;
  if (nd === 4) return [t.shape[0], t.shape[1], t.strides[0], t.strides[1]];
  if (nd === 3) return [1, t.shape[0], 0, t.strides[0]];
  if (nd === 2) return [1, 1, 0, 0];
  throw new Error(`internal: webgpu ${op} expects 2-4 dims, got ${nd}`);
}

function putWindow(u: Uint32Array, base: number, p: WindowParams, total: number): void {
  u[base + 9] = p.kh;
  u[base + 10] = p.kw;
  u[base + 11] = p.sh;
  u[base + 12] = p.sw;
  u[base + 13] = p.ph;
  u[base + 14] = p.pw;
  u[base + 15] = p.dh;
  u[base + 16] = p.dw;
  u[base + 17] = p.oh;
  u[base + 18] = p.ow;
  u[base + 19] = total;
}

/** Words 0–8 of both pooling kernels' uniforms: planes, input size, strides and offset of `v`. */
function putPlanes(
  u: Uint32Array,
  base: number,
  N: number,
  C: number,
  p: WindowParams,
  sN: number,
  sC: number,
  v: Strided,
): void {
  const nd = v.shape.length;
  u[base] = N;
  u[base + 1] = C;
  u[base + 2] = p.ih;
  u[base + 3] = p.iw;
  u[base + 4] = sN;
  u[base + 5] = sC;
  u[base + 6] = v.strides[nd - 2];
  u[base + 7] = v.strides[nd - 1];
  u[base + 8] = v.offset;
}

/**
 * out / indices (contiguous [..., oh, ow]) = max and first argmax (h·W + w) per window.
 * Returns false, writing nothing, when a window (walked by one invocation, forward and
 * backward) is too large for the adapter's loop budget.
 */
export function maxPool2d(x: Strided, p: WindowParams, out: Storage, indices: Storage): boolean {
  const total = out.length;
  if (total === 0) return true;
  const [N, C, sN, sC] = lead("maxPool2d", x);
  const planeLoops = Math.ceil((N * C) / gpu().maxGroups);
  if (planeLoops * (p.kh * (p.kw + 1) + 1) > loopBudget()) return false;
  const base = begin();
  const u = U.u32;
  putPlanes(u, base, N, C, p, sN, sC, x);
  const ohw = p.oh * p.ow;
  putWindow(u, base, p, ohw);
  U.f32[base + 20] = ohw < 1 << 22 ? 1 / p.ow : 0;
  u[base + 21] = N * C;
  const k = kernel("maxpool", 3, () => fwdSrc);
  const gx = Math.ceil(ohw / 64), gy = Math.min(N * C, gpu().maxGroups);
  if (gx > gpu().maxGroups) throw new RangeError("maxPool2d: plane too large for one dispatch");
  dispatch("maxPool2d", k, [bufOf(x.storage), bufOf(out), bufOf(indices)], gx, gy);
  return true;
}

/** out (contiguous [..., H, W]) = the max-pool input gradient from g and indices. */
export function maxPool2dBackward(
  g: Strided,
  indices: Strided,
  p: WindowParams,
  out: Storage,
): void {
  if (out.length === 0) return;
  const [N, C, gN, gC] = lead("maxPool2d backward", g);
  const [, , iN, iC] = lead("maxPool2d backward", indices);
  const nd = g.shape.length;
  const tiled = p.sh === p.kh && p.sw === p.kw && p.ph === 0 && p.pw === 0 && p.dh === 1 &&
    p.dw === 1 && p.oh * p.kh === p.ih && p.ow * p.kw === p.iw;
  const total = tiled ? p.oh * p.ow : out.length;
  if (total === 0) return;
  const base = begin();
  const u = U.u32;
  putPlanes(u, base, N, C, p, gN, gC, g);
  putWindow(u, base, p, total);
  u[base + 20] = iN;
  u[base + 21] = iC;
  u[base + 22] = indices.strides[nd - 2];
  u[base + 23] = indices.strides[nd - 1];
  u[base + 24] = indices.offset;
  const k = tiled
    ? kernel("maxpool_bwd_tiled", 3, () => tiledSrc)
    : kernel("maxpool_bwd", 3, () => bwdSrc);
  let [gx, gy] = grid("maxPool2d backward", Math.ceil(total / 64));
  if (tiled) {
    U.f32[base + 25] = total < 1 << 22 ? 1 / p.ow : 0;
    u[base + 26] = N * C;
    [gx, gy] = [Math.ceil(total / 64), Math.min(N * C, gpu().maxGroups)];
    if (gx > gpu().maxGroups) throw new RangeError("maxPool2d: plane too large for one dispatch");
  }
  dispatch("maxPool2d backward", k, [bufOf(g.storage), bufOf(indices.storage), bufOf(out)], gx, gy);
}

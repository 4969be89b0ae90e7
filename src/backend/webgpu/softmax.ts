/** Fused row softmax / logSoftmax over the last dim: one dispatch, one invocation per row. */
import type { Storage, Strided } from "../backend.ts";
import softmaxSrc from "../../../kernels/softmax.wgsl" with { type: "text" };
import { begin, dispatch, U } from "./encoder.ts";
import { kernel, specialise } from "./pipeline_cache.ts";
import { coalesce, grid } from "./layout.ts";
import { loopBudget } from "./device.ts";
import { bufOf } from "./storage.ts";

/**
 * out (contiguous [M, R]) = (log)softmax of x over its last dim. The leading dims of x must
 * merge into one strided dim (true for any contiguous tensor and most views). Returns false,
 * writing nothing, for rows too long for one invocation's loop budget (three passes of R).
 */
export function softmax(x: Strided, log: boolean, out: Storage): boolean {
  const nd = x.shape.length;
  const R = nd ? x.shape[nd - 1] : 1;
  const M = R ? out.length / R : 0;
  if (M === 0 || R === 0) return true;
  if (3 * R > loopBudget()) return false;
  const outer = coalesce(x.shape.slice(0, nd - 1), [x.strides.slice(0, nd - 1)]);
  if (outer.shape.length > 1) {
    throw new Error("internal: webgpu softmax needs leading dims that merge into one");
  }
  const base = begin();
  const u32 = U.u32;
  u32[base] = M;
  u32[base + 1] = R;
  u32[base + 2] = x.offset;
  u32[base + 3] = outer.shape.length ? outer.strides[0][0] : 0;
  u32[base + 4] = nd ? x.strides[nd - 1] : 0;
  const op = log ? "logSoftmax" : "softmax";
  const k = kernel(`softmax:${log}`, 2, () => specialise(softmaxSrc, { LOG: log }));
  const [gx, gy] = grid(op, Math.ceil(M / 64));
  dispatch(op, k, [bufOf(x.storage), bufOf(out)], gx, gy);
  return true;
}

/** Fused optimizer updates: one dispatch per parameter, in place on the parameter and state. */
import type { AdamStepParams, SGDStepParams, Strided } from "../backend.ts";
import sgdSrc from "../../../kernels/optim_sgd.wgsl" with { type: "text" };
import adamSrc from "../../../kernels/optim_adam.wgsl" with { type: "text" };
import { begin, dispatch, U } from "./encoder.ts";
import { kernel, specialise } from "./pipeline_cache.ts";
import { grid } from "./layout.ts";
import { bufOf } from "./storage.ts";
import { numelOf } from "../../tensor/shape.ts";

function count(param: Strided): number {
  return numelOf(param.shape);
}

/** SGD: param (and buf) updated in place; all views contiguous with param's shape. */
export function sgdStep(param: Strided, grad: Strided, buf: Strided | null, o: SGDStepParams) {
  const n = count(param);
  if (n === 0) return;
  const mom = o.momentum !== 0 && buf !== null;
  const base = begin();
  const { u32, f32 } = U;
  u32[base] = n;
  u32[base + 1] = param.offset;
  u32[base + 2] = grad.offset;
  u32[base + 3] = buf ? buf.offset : 0;
  u32[base + 4] = (o.maximize ? 1 : 0) | (o.first ? 2 : 0) | (o.nesterov ? 4 : 0);
  f32[base + 5] = o.lr;
  f32[base + 6] = o.momentum;
  f32[base + 7] = 1 - o.dampening;
  f32[base + 8] = o.weightDecay;
  const k = kernel(`sgd:${mom}`, 3, () => specialise(sgdSrc, { MOMENTUM: mom }));
  const [gx, gy] = grid("SGD", Math.ceil(n / 64));
  const pb = bufOf(param.storage);
  dispatch("SGD", k, [pb, bufOf(grad.storage), mom ? bufOf(buf!.storage) : pb], gx, gy);
}

/** Adam / AdamW: param and moments (and the AMSGrad maximum) updated in place. */
export function adamStep(
  param: Strided,
  grad: Strided,
  expAvg: Strided,
  expAvgSq: Strided,
  maxExpAvgSq: Strided | null,
  o: AdamStepParams,
): void {
  const n = count(param);
  if (n === 0) return;
  const ams = maxExpAvgSq !== null;
  const base = begin();
  const { u32, f32 } = U;
  u32[base] = n;
  u32[base + 1] = param.offset;
  u32[base + 2] = grad.offset;
  u32[base + 3] = expAvg.offset;
  u32[base + 4] = expAvgSq.offset;
  u32[base + 5] = maxExpAvgSq ? maxExpAvgSq.offset : 0;
  u32[base + 6] = (o.maximize ? 1 : 0) | (o.decoupled ? 2 : 0);
  f32[base + 7] = o.lr;
  f32[base + 8] = o.beta1;
  f32[base + 9] = o.beta2;
  f32[base + 10] = o.eps;
  f32[base + 11] = o.weightDecay;
  f32[base + 12] = o.stepSize;
  f32[base + 13] = o.bc2Sqrt;
  const k = kernel(`adam:${ams}`, 5, () => specialise(adamSrc, { AMSGRAD: ams }));
  const [gx, gy] = grid(o.decoupled ? "AdamW" : "Adam", Math.ceil(n / 64));
  const vb = bufOf(expAvgSq.storage);
  dispatch(
    o.decoupled ? "AdamW" : "Adam",
    k,
    [
      bufOf(param.storage),
      bufOf(grad.storage),
      bufOf(expAvg.storage),
      vb,
      ams ? bufOf(maxExpAvgSq!.storage) : vb,
    ],
    gx,
    gy,
  );
}

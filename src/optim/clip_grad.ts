/**
 * Gradient clipping, like `torch.nn.utils.clip_grad_norm_` / `clip_grad_value_`. The total
 * norm stays on the device: a norm of per-parameter norms (one stack), then one scalar clip
 * coefficient that every gradient is multiplied by. No readback unless asked to check it.
 */
import { noGrad } from "../autograd/grad_mode.ts";
import { tensor } from "../tensor/creation.ts";
import { keep, scope } from "../tensor/memory.ts";
import { Tensor } from "../tensor/tensor.ts";
import { stack } from "../ops/join.ts";
import { div } from "../ops/elementwise.ts";

/** Options of clipGradNorm_. */
export interface ClipGradNormOptions {
  /** The p of the p-norm (default 2; `Infinity` for the max-norm). */
  normType?: number;
  /**
   * Throw when the total norm is NaN or infinite (default false). This needs the norm on
   * the host: synchronous on cpu; on webgpu use `clipGradNormChecked_`.
   */
  errorIfNonfinite?: boolean;
}

function gradsOf(params: Iterable<Tensor> | Tensor): Tensor[] {
  const list = params instanceof Tensor ? [params] : [...params];
  return list.filter((p) => p.grad !== null).map((p) => p.grad as Tensor);
}

function checkNormType(op: string, p: number): void {
  if (typeof p !== "number" || Number.isNaN(p)) {
    throw new RangeError(`${op}: invalid normType ${p}`);
  }
}

/** The total p-norm of all gradients as a 0-d tensor on their device. */
function totalNorm(grads: Tensor[], p: number): Tensor {
  const dtype = grads[0].dtype;
  return scope(() => {
    const norms = grads.map((g) => {
      const n = g.norm(p);
      return n.dtype === dtype ? n : n.to(dtype);
    });
    // NOTE: the inf-norm of the per-tensor max-norms is their max, so one formula serves all p.
    return norms.length === 1 ? norms[0] : stack(norms).norm(p);
  });
}

function nonfiniteError(op: string, p: number): Error {
  return new Error(
    `${op}: the total norm of order ${p} for gradients from parameters is non-finite, so it ` +
      "cannot be clipped. To disable this error and scale the gradients by the non-finite " +
      "norm anyway, set errorIfNonfinite: false",
  );
}

function scaleGrads(grads: Tensor[], total: Tensor, maxNorm: number): void {
  scope(() => {
    const coef = div(maxNorm, total.add(1e-6)).clamp(null, 1);
    for (const g of grads) g.mul_(coef);
  });
}

/**
 * Scales the gradients of `params` in place so that their combined `normType`-norm is at
 * most `maxNorm`; returns the total norm before clipping (a 0-d tensor, on the device).
 *
 * @example
 * ```ts
 * loss.backward();
 * clipGradNorm_(model.parameters(), 1.0);
 * opt.step();
 * ```
 */
export function clipGradNorm_(
  params: Iterable<Tensor> | Tensor,
  maxNorm: number,
  opts: ClipGradNormOptions = {},
): Tensor {
  const p = opts.normType ?? 2;
  checkNormType("clipGradNorm_", p);
  const grads = gradsOf(params);
  if (grads.length === 0) return tensor(0);
  return noGrad(() => {
    const total = keep(totalNorm(grads, p));
    if (opts.errorIfNonfinite) {
      if (total.device !== "cpu") {
        total.dispose();
        throw new Error(
          "clipGradNorm_: errorIfNonfinite needs the norm on the host; on webgpu use " +
            "`await clipGradNormChecked_(...)`",
        );
      }
      if (!Number.isFinite(total.dataSync()[0])) {
        total.dispose();
        throw nonfiniteError("clipGradNorm_", p);
      }
    }
    scaleGrads(grads, total, maxNorm);
    return total;
  });
}

/**
 * `clipGradNorm_` with `errorIfNonfinite` on any device: reads the total norm back once and
 * throws (leaving the gradients untouched) when it is NaN or infinite.
 */
export async function clipGradNormChecked_(
  params: Iterable<Tensor> | Tensor,
  maxNorm: number,
  normType = 2,
): Promise<Tensor> {
  checkNormType("clipGradNormChecked_", normType);
  const grads = gradsOf(params);
  if (grads.length === 0) return tensor(0);
  const total = noGrad(() => keep(totalNorm(grads, normType)));
  if (!Number.isFinite(await total.item())) {
    total.dispose();
    throw nonfiniteError("clipGradNormChecked_", normType);
  }
  noGrad(() => scaleGrads(grads, total, maxNorm));
  return total;
}

/** Clamps every gradient of `params` into [-clipValue, clipValue] in place. */
export function clipGradValue_(params: Iterable<Tensor> | Tensor, clipValue: number): void {
  if (!(clipValue >= 0)) {
    throw new RangeError(`clipGradValue_: clipValue must be non-negative (got ${clipValue})`);
  }
  noGrad(() => {
    for (const g of gradsOf(params)) g.clamp_(-clipValue, clipValue);
  });
}

/** Functional forms that have no op file of their own: linear and flatten/unflatten. */
import { fmtShape } from "../../tensor/shape.ts";
import type { Tensor } from "../../tensor/tensor.ts";

/**
 * torch.nn.functional.linear: x Wᵀ + b for x [..., in], weight [out, in], bias [out].
 *
 * @example
 * ```ts
 * const y = linear(randn([2, 4]), randn([3, 4]), zeros([3])); // [2, 3]
 * ```
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  x.check("linear");
  if (weight.ndim !== 2 || x.ndim < 1 || x.shape[x.ndim - 1] !== weight.shape[1]) {
    throw new RangeError(
      `linear: input ${fmtShape(x.shape)} and weight ${fmtShape(weight.shape)} are ` +
        `incompatible (expected input [..., ${weight.shape[1]}])`,
    );
  }
  const wt = weight.t();
  const y = x.matmul(wt);
  wt.dispose();
  if (!bias) return y;
  const out = y.add(bias);
  y.dispose();
  return out;
}

/** torch.flatten as a function: flattens dims startDim..endDim. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  return x.flatten(startDim, endDim);
}

/** Splits `dim` into `sizes` (torch.unflatten). */
export function unflatten(x: Tensor, dim: number, sizes: number[]): Tensor {
  return x.unflatten(dim, sizes);
}

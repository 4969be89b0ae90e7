/** Embedding lookup (rows of a weight by integer index) and one-hot encoding. */
import { record } from "../autograd/function.ts";
import { noGrad } from "../autograd/grad_mode.ts";
import { arange } from "../tensor/creation.ts";
import { fmtShape } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { filledTensor } from "./dispatch.ts";
import { compare, where } from "./elementwise.ts";
import { indexSelect, scatterRaw } from "./index.ts";
import { expand, narrow, reshape, unsqueeze } from "./view.ts";
import { to } from "./convert.ts";
import { scope } from "../tensor/memory.ts";
import { amax } from "./reduce.ts";

/** Options of `embedding`. */
export interface EmbeddingOptions {
  /** Row whose gradient is always zero (a padding token); negative counts from the end. */
  paddingIdx?: number | null;
  /** Rows looked up whose `normType`-norm exceeds this are rescaled in place to it (default null). */
  maxNorm?: number | null;
  /** The p of the norm `maxNorm` bounds (default 2; Infinity allowed). */
  normType?: number;
}

/**
 * torch.nn.functional.embedding: `weight[indices]`, an int32 index tensor of any shape giving
 * [...indices.shape, D]. Repeated indices accumulate their gradients. With `maxNorm`, the
 * looked-up rows of `weight` whose norm exceeds it are first renormalised in place, like
 * PyTorch's `embedding_renorm_` (scale maxNorm / (norm + 1e-7)).
 */
export function embedding(indices: Tensor, weight: Tensor, opts: EmbeddingOptions = {}): Tensor {
  indices.check("embedding");
  weight.check("embedding");
  if (indices.dtype !== "int32") {
    throw new TypeError(`embedding: expected int32 indices, got ${indices.dtype}`);
  }
  if (weight.ndim !== 2) {
    throw new RangeError(`embedding: expected a 2-D weight [V, D], got ${fmtShape(weight.shape)}`);
  }
  const [V, D] = weight.shape;
  let pad = opts.paddingIdx ?? null;
  if (pad !== null) {
    if (!Number.isInteger(pad) || pad < -V || pad >= V) {
      throw new RangeError(`embedding: paddingIdx ${pad} must be within the ${V} embeddings`);
    }
    if (pad < 0) pad += V;
  }
  const flatIdx = reshape(indices, [-1]);
  if (opts.maxNorm != null) renorm_(weight, flatIdx, opts.maxNorm, opts.normType ?? 2);
  const rows = noGrad(() => indexSelect(weight, 0, flatIdx));
  const out = reshape(rows, [...indices.shape, D]);
  rows.dispose();
  flatIdx.dispose();
  return record(out, "EmbeddingBackward", [weight], [indices], (g, [idx]) => {
    const M = idx.numel;
    const gw = filledTensor([V, D], 0, g.dtype, g.device);
    const index = expand(reshape(idx, [M, 1]), [M, D]);
    scatterRaw(gw, 0, index, reshape(g, [M, D]), true);
    if (pad !== null) narrow(gw, 0, pad, 1).fill_(0);
    return [gw];
  });
}

/**
 * Rescales the rows of `weight` picked by `flatIdx` whose `p`-norm exceeds `maxNorm` (PyTorch's
 * `embedding_renorm_`). NOTE: repeated indices scatter the same new row, so no row is scaled
 * twice.
 */
function renorm_(weight: Tensor, flatIdx: Tensor, maxNorm: number, p: number): void {
  if (!(maxNorm >= 0) || !(p > 0)) {
    throw new RangeError(
      `embedding: maxNorm must be non-negative and normType positive (got ${maxNorm}, ${p})`,
    );
  }
  const M = flatIdx.numel;
  if (M === 0) return;
  const D = weight.shape[1];
  noGrad(() =>
    scope(() => {
      const rows = indexSelect(weight, 0, flatIdx);
      const a = rows.abs();
      const norms = p === Infinity
        ? amax(a, 1)
        : p === 2
        ? rows.mul(rows).sum(1).sqrt()
        : a.pow(p).sum(1).pow(1 / p);
      const scale = where(
        compare("gt", norms, maxNorm),
        norms.add(1e-7).reciprocal().mul(maxNorm),
        1,
      );
      const index = expand(reshape(flatIdx, [M, 1]), [M, D]);
      scatterRaw(weight, 0, index, rows.mul(scale.unsqueeze(1)), false);
    })
  );
}

/**
 * torch.nn.functional.one_hot: int32 [..., numClasses] with a 1 at each index. With
 * `numClasses` -1 the count is read from the data (CPU tensors only, since it needs a read).
 */
export function oneHot(indices: Tensor, numClasses = -1): Tensor {
  indices.check("oneHot");
  if (indices.dtype !== "int32") {
    throw new TypeError(`oneHot: expected int32 indices, got ${indices.dtype}`);
  }
  let n = numClasses;
  if (n === -1) {
    if (indices.device !== "cpu") {
      throw new Error("oneHot: pass numClasses for non-cpu tensors (inferring it needs a read)");
    }
    n = indices.numel ? noGrad(() => amax(indices)).dataSync()[0] + 1 : 0;
  }
  return scope(() => {
    const classes = arange(0, n, 1, { dtype: "int32", device: indices.device });
    return to(compare("eq", unsqueeze(indices, -1), classes), "int32");
  });
}

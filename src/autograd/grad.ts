/** The functional autograd entry points, `torch.autograd.grad` and `torch.autograd.backward`. */
import type { Tensor } from "../tensor/tensor.ts";
import { fmtShape } from "../tensor/shape.ts";
import { onesLike } from "../ops/convert.ts";
import { runBackward } from "./engine.ts";

/** Options of `grad`. */
export interface GradOptions {
  /**
   * The gradient of each output (the "vector" of the vector-Jacobian product); null or omitted
   * entries default to 1 for one-element outputs.
   */
  gradOutputs?: Tensor | (Tensor | null)[];
  /** Keep saved tensors so the graph can be backpropagated again (default: `createGraph`). */
  retainGraph?: boolean;
  /** Record the backward pass so the returned gradients can be differentiated (default false). */
  createGraph?: boolean;
  /** Return null for inputs the outputs do not depend on instead of throwing (default false). */
  allowUnused?: boolean;
}

/** Options of the functional `backward`. */
export interface AutogradBackwardOptions {
  /** The gradient of each tensor; null or omitted entries default to 1 for one-element tensors. */
  gradTensors?: Tensor | (Tensor | null)[];
  /** Keep saved tensors so the graph can be backpropagated again (default: `createGraph`). */
  retainGraph?: boolean;
  /** Record the backward pass so the gradients can be differentiated again (default false). */
  createGraph?: boolean;
}

function list<T>(v: T | T[]): T[] {
  return Array.isArray(v) ? v : [v];
}

/**
 * The gradients to start from, one per output: the given ones, or ones for one-element outputs.
 * `made` collects the ones created here, for the caller to dispose.
 */
function startGrads(
  op: string,
  what: string,
  outputs: Tensor[],
  given: Tensor | (Tensor | null)[] | undefined,
  made: Tensor[],
): Tensor[] {
  const gs = given === undefined ? outputs.map(() => null) : list(given);
  if (gs.length !== outputs.length) {
    throw new RangeError(`${op}: got ${outputs.length} tensors and ${gs.length} ${what}`);
  }
  return outputs.map((o, i) => {
    o.check(op);
    const g = gs[i];
    if (g) {
      g.check(op);
      if (g.shape.join() !== o.shape.join()) {
        throw new RangeError(
          `${op}: mismatch in shape: ${what}[${i}] has a shape of ${fmtShape(g.shape)} and ` +
            `output ${i} has a shape of ${fmtShape(o.shape)}`,
        );
      }
      if (g.device !== o.device) {
        throw new Error(
          `${op}: mismatch in device: ${what}[${i}] is on ${g.device} and output ${i} on ${o.device}`,
        );
      }
      return g;
    }
    if (o.numel !== 1) {
      throw new Error(
        `${op}: grad can be implicitly created only for scalar outputs (output ${i} has shape ` +
          `${fmtShape(o.shape)}); pass ${what}`,
      );
    }
    const ones = onesLike(o);
    made.push(ones);
    return ones;
  });
}

/**
 * The gradients of `outputs` with respect to `inputs` (the vector-Jacobian product with
 * `gradOutputs`), like `torch.autograd.grad`. Unlike `backward()` no `.grad` is touched; the
 * returned tensors belong to the caller. With `createGraph` they carry a graph of their own, for
 * second derivatives.
 *
 * @example
 * ```ts
 * const x = dt.tensor([1, 2], { requiresGrad: true });
 * const [g] = dt.autograd.grad(x.pow(3).sum(), x, { createGraph: true }); // 3x²
 * const [h] = dt.autograd.grad(g.sum(), x); // 6x
 * ```
 */
export function grad(
  outputs: Tensor | Tensor[],
  inputs: Tensor | Tensor[],
  opts?: GradOptions & { allowUnused?: false },
): Tensor[];
/** With `allowUnused: true`, inputs the outputs do not depend on get null. */
export function grad(
  outputs: Tensor | Tensor[],
  inputs: Tensor | Tensor[],
  opts: GradOptions,
): (Tensor | null)[];
export function grad(
  outputs: Tensor | Tensor[],
  inputs: Tensor | Tensor[],
  opts: GradOptions = {},
): (Tensor | null)[] {
  const outs = list(outputs), ins = list(inputs);
  const nodes = ins.map((t, i) => {
    t.check("grad");
    if (!t.requiresGrad) {
      throw new Error(
        `grad: one of the differentiated Tensors (input ${i}, shape ${fmtShape(t.shape)}) does ` +
          "not require grad",
      );
    }
    return t.gradFn ?? t.accumulateNode();
  });
  const made: Tensor[] = [];
  try {
    const starts = startGrads("grad", "gradOutputs", outs, opts.gradOutputs, made);
    const result = runBackward(outs, starts, {
      op: "grad",
      inputs: nodes,
      retainGraph: opts.retainGraph,
      createGraph: opts.createGraph,
    });
    const unused = result.indexOf(null);
    if (unused >= 0 && !opts.allowUnused) {
      for (const g of result) g?.dispose();
      throw new Error(
        `grad: one of the differentiated Tensors (input ${unused}, shape ` +
          `${fmtShape(ins[unused].shape)}) appears to not have been used in the graph; pass ` +
          "{ allowUnused: true } if this is the desired behavior",
      );
    }
    return result;
  } finally {
    for (const t of made) t.dispose();
  }
}

/**
 * Backpropagates from several tensors at once into the leaves' `.grad`, like
 * `torch.autograd.backward` (one pass: shared parts of the graph are traversed once).
 */
export function backward(tensors: Tensor | Tensor[], opts: AutogradBackwardOptions = {}): void {
  const roots = list(tensors);
  const made: Tensor[] = [];
  try {
    const starts = startGrads("backward", "gradTensors", roots, opts.gradTensors, made);
    runBackward(roots, starts, { retainGraph: opts.retainGraph, createGraph: opts.createGraph });
  } finally {
    for (const t of made) t.dispose();
  }
}

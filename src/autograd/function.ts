/** Recording an op in the autograd graph: the one place nodes are created. */
import type { Tensor } from "../tensor/tensor.ts";
import { keep } from "../tensor/memory.ts";
import { isGradEnabled, noGrad } from "./grad_mode.ts";
import { type BackwardFn, Node } from "./node.ts";
import { coverKernels } from "./create_graph.ts";

/** Whether an op applied now to `inputs` must be recorded. */
export function needsGrad(...inputs: (Tensor | null | undefined)[]): boolean {
  if (!isGradEnabled()) return false;
  for (const t of inputs) if (t && t.requiresGrad) return true;
  return false;
}

/**
 * Attaches a backward node to `out` when any input requires grad. `saved` lists the tensors
 * the formula reads; the node holds its own references to them and frees them after use.
 * The formula must read tensors only through its `saved` argument (never by closure), so
 * that the caller may dispose its handles.
 */
export function record(
  out: Tensor,
  name: string,
  inputs: (Tensor | null | undefined)[],
  saved: Tensor[],
  backward: BackwardFn,
): Tensor {
  if (!needsGrad(...inputs)) return out;
  coverKernels(inputs, out);
  const next = inputs.map((t) => t && t.requiresGrad ? (t.gradFn ?? t.accumulateNode()) : null);
  // NOTE: the node owns its saved handles; keep() stops an enclosing scope from disposing them
  // before backward runs (a loss built inside scope() is backpropagated after it closes).
  // They are detached: a saved output linking back to its own node would keep it alive. Their
  // roles let double backward link them to the graph again for the time of one formula.
  const roles = saved.map((t) => {
    if (t === out) return "output" as const;
    const i = inputs.indexOf(t);
    return i >= 0 ? i : "other" as const;
  });
  out.setGradFn(new Node(name, next, saved.map((t) => keep(t.detach())), backward, roles));
  return out;
}

/**
 * Records a composite op as one node: `forward` runs without recording (its intermediates
 * keep no graph), and `backward` gives the gradients from the tensors `save` picks from the
 * inputs and the output. Used where the composite's own chain rule would be wasteful or
 * wrong (a `where` whose unselected branch has an infinite derivative turns 0·∞ into NaN).
 */
export function recordComposite(
  name: string,
  inputs: (Tensor | null | undefined)[],
  forward: () => Tensor,
  save: (out: Tensor) => Tensor[],
  backward: BackwardFn,
): Tensor {
  const out = noGrad(forward);
  if (!needsGrad(...inputs)) return out;
  return record(out, name, inputs, save(out), backward);
}

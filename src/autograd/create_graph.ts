/**
 * Guarding double backward. With `createGraph` the backward formulas run with grad recording
 * on, so their results can be differentiated again; that is only right where a formula is built
 * from recorded ops. A formula that runs a backend kernel directly on a tensor that requires
 * grad (conv2d's input gradient, a scatter into a zero tensor) cuts the recorded chain there,
 * and its second derivative would be silently wrong. While a formula runs under createGraph:
 *
 * - every kernel launch (`noteKernel`) that reads a tensor requiring grad, or a tainted one, is
 *   a pending use;
 * - a recorded op (`coverKernels`) accounts for the pending uses since the previous recorded op
 *   that read only its inputs and tainted values: those were its own forward kernels;
 * - memory allocated while a use is pending (`noteAlloc`) is tainted: it may hold a kernel's
 *   result that no recorded op will account for. A recorded op's output is clean again unless
 *   one of its inputs is tainted.
 *
 * The formula is refused, naming the node and the kernel, if a use is left unaccounted for or
 * a gradient it returns is tainted.
 * NOTE: what this cannot see is a kernel writing into memory allocated before it ran (a scatter
 * into a zero tensor) whose use a later recorded op of the same inputs accounts for; the
 * second-derivative checks in the tests cover the formulas that exist.
 */
import type { Storage } from "../backend/backend.ts";
import type { Tensor } from "../tensor/tensor.ts";

interface KernelUse {
  op: string;
  tensors: Tensor[];
  covered: boolean;
}

interface Trace {
  uses: KernelUse[];
  /** Index of the first use after the last recorded op: only those can belong to the next. */
  windowStart: number;
  /** Storages that may hold unrecorded results, with the kernel responsible. */
  tainted: WeakMap<Storage, string>;
}

/** The formula being traced; null the rest of the time, when all of this costs one test. */
let trace: Trace | null = null;

/** Called for every kernel launch with the tensors it reads. */
export function noteKernel(op: string, tensors: readonly Tensor[]): void {
  if (trace === null) return;
  const t = trace;
  const tracked = tensors.filter((x) => x.requiresGrad || t.tainted.has(x.storage));
  if (tracked.length) t.uses.push({ op, tensors: tracked, covered: false });
}

/** Called for every new storage a kernel may write. */
export function noteAlloc(storage: Storage): void {
  if (trace === null) return;
  for (let i = trace.windowStart; i < trace.uses.length; i++) {
    const u = trace.uses[i];
    if (!u.covered) return void trace.tainted.set(storage, u.op);
  }
}

/**
 * Called when an op is recorded with `inputs` and output `out` (an in-place op passes the
 * written tensor as `out`): the uses since the previous recorded op that read only its inputs
 * and tainted intermediates were its forward kernels, and the node accounts for them.
 */
export function coverKernels(inputs: readonly (Tensor | null | undefined)[], out: Tensor): void {
  if (trace === null) return;
  const t = trace;
  for (let i = t.windowStart; i < t.uses.length; i++) {
    const u = t.uses[i];
    if (!u.covered && u.tensors.every((x) => inputs.includes(x) || t.tainted.has(x.storage))) {
      u.covered = true;
    }
  }
  t.windowStart = t.uses.length;
  const from = inputs.find((x) => x && t.tainted.has(x.storage));
  if (from) t.tainted.set(out.storage, t.tainted.get(from.storage)!);
  else t.tainted.delete(out.storage);
}

/**
 * Runs the backward formula of node `name` under createGraph and throws if it used a kernel
 * result that autograd cannot differentiate.
 */
export function checkedFormula(
  name: string,
  formula: () => (Tensor | null | undefined)[],
): (Tensor | null | undefined)[] {
  const prev = trace;
  const t: Trace = trace = { uses: [], windowStart: 0, tainted: new WeakMap() };
  try {
    const result = formula();
    const taintedGrad = result.find((g) => g && t.tainted.has(g.storage));
    const op = taintedGrad
      ? t.tainted.get(taintedGrad.storage)
      : t.uses.find((u) => !u.covered)?.op;
    if (op !== undefined) {
      throw new Error(
        `createGraph: double backward through ${name} is not supported: its gradient formula ` +
          `runs the "${op}" kernel outside autograd, so the gradient's own derivative would be ` +
          `lost; use createGraph only through ops whose gradients are differentiable`,
      );
    }
    return result;
  } finally {
    trace = prev;
  }
}

/** The backward engine: topological order over the graph, hooks, gradient accumulation, release. */
import type { Tensor } from "../tensor/tensor.ts";
import { keep, scope } from "../tensor/memory.ts";
import { fmtShape } from "../tensor/shape.ts";
import { AccumulateGrad, type Node } from "./node.ts";
import { enableGrad, noGrad } from "./grad_mode.ts";
import { runHooks } from "./hooks.ts";

/** Options of `backward`. */
export interface BackwardOptions {
  /** Keep saved tensors so the graph can be backpropagated again (default: `createGraph`). */
  retainGraph?: boolean;
  /**
   * Record the backward pass itself, so the gradients can be differentiated again (second
   * derivatives, Hessian-vector products); default false.
   */
  createGraph?: boolean;
}

/** Internal options of a run: `backward` fills `.grad`, `grad()` captures `inputs` instead. */
export interface RunOptions extends BackwardOptions {
  /** The op named in errors ("backward", "grad"). */
  op?: string;
  /** Nodes whose incoming gradient is returned; when given, no `.grad` is touched. */
  inputs?: Node[];
}

function topoOrder(roots: Node[]): Node[] {
  const order: Node[] = [];
  const seen = new Set<Node>();
  // Iterative DFS: deep graphs (long RNN unrolls) would overflow a recursive one.
  const stack: [Node, number][] = roots.map((r) => [r, 0]);
  for (const r of roots) seen.add(r);
  while (stack.length) {
    const top = stack[stack.length - 1];
    const [node, i] = top;
    if (i < node.next.length) {
      top[1]++;
      const child = node.next[i];
      if (child && !seen.has(child)) {
        seen.add(child);
        stack.push([child, 0]);
      }
    } else {
      stack.pop();
      order.push(node);
    }
  }
  return order.reverse();
}

/** The nodes `grad()` must run: those with a captured node below them (never a sink). */
function neededNodes(order: Node[], targets: Set<Node>): Set<Node> {
  const reaches = new Set<Node>();
  const needed = new Set<Node>();
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i];
    if (n.next.some((c) => c !== null && reaches.has(c))) needed.add(n);
    if (needed.has(n) || targets.has(n)) reaches.add(n);
  }
  return needed;
}

/** Adds `g` (taken over) into `t.grad`. */
function accumulate(t: Tensor, g: Tensor, createGraph: boolean): void {
  if (t.grad === null) {
    t.grad = keep(g.isContiguous() && g.storage.refs === 1 ? g.alias() : g.clone());
  } else if (createGraph) {
    // NOTE: out of place, as in PyTorch: the new .grad records both terms; in place would
    // rewrite a tensor the graph may have saved.
    const old = t.grad;
    t.grad = keep(old.add(g));
    old.dispose();
  } else {
    t.grad.add_(g);
  }
  g.dispose();
}

/**
 * Backpropagates `grads` from `roots`. Without `inputs` it accumulates into the leaves' `.grad`
 * (and retained gradients); with them it returns the gradient reaching each input's node (null
 * where none does) and runs only the nodes between, leaving every `.grad` untouched, as
 * `torch.autograd.grad`. Each node's hooks run on its summed gradient before it is used.
 */
export function runBackward(
  roots: Tensor[],
  grads: Tensor[],
  opts: RunOptions = {},
): (Tensor | null)[] {
  const { op = "backward", createGraph = false, retainGraph = createGraph, inputs } = opts;
  const rootNodes = roots.map((r, i) => {
    const node = r.gradFn ?? (r.requiresGrad ? r.accumulateNode() : null);
    if (!node) {
      throw new Error(
        `${op}: element ${i} of tensors (shape ${fmtShape(r.shape)}) does not require grad ` +
          `and does not have a grad_fn`,
      );
    }
    return node;
  });
  const order = topoOrder(rootNodes);
  const targets = new Set(inputs ?? []);
  const needed = inputs ? neededNodes(order, targets) : null;
  const pending = new Map<Node, Tensor>();
  const captured = new Map<Node, Tensor>();
  const add = (node: Node, g: Tensor) => {
    const prev = pending.get(node);
    if (!prev) return void pending.set(node, g);
    pending.set(node, scope(() => prev.add(g)));
    prev.dispose();
    g.dispose();
  };
  const step = (node: Node, grad: Tensor) => {
    // PyTorch 1.13 captures grad()'s inputs before their hooks run.
    if (targets.has(node)) captured.set(node, grad.alias());
    if (needed && !needed.has(node)) return void grad.dispose();
    const g = runHooks(node, grad, (t, gr) => scope(() => accumulate(t, gr.alias(), createGraph)));
    if (node instanceof AccumulateGrad) {
      return scope(() => accumulate(node.variable, g, createGraph));
    }
    try {
      const seenGrads = new Set<Tensor>([g]);
      // NOTE: a formula may return `g` itself or one tensor for several inputs (add); each
      // consumer gets its own handle so disposing one never frees another's storage.
      const inputGrads = scope(() => node.apply(g, createGraph)).map((t) => {
        if (!t) return t;
        if (seenGrads.has(t)) return t.alias();
        seenGrads.add(t);
        return t;
      });
      if (!retainGraph) node.release();
      node.next.forEach((child, j) => {
        const ig = inputGrads[j];
        if (child && ig) add(child, ig);
        else ig?.dispose();
      });
    } finally {
      g.dispose();
    }
  };
  const run = () => {
    rootNodes.forEach((node, i) => add(node, grads[i].alias()));
    for (const node of order) {
      const g = pending.get(node);
      if (!g) continue;
      pending.delete(node);
      step(node, g);
    }
  };
  try {
    if (createGraph) enableGrad(run);
    else noGrad(run);
  } catch (e) {
    // A failed run (a hook's error, a freed graph) must not leak the gradients in flight.
    for (const g of [...pending.values(), ...captured.values()]) g.dispose();
    throw e;
  }
  const handedOut = new Set<Tensor>();
  return (inputs ?? []).map((node) => {
    const g = captured.get(node);
    if (!g) return null;
    if (handedOut.has(g)) return g.alias();
    handedOut.add(g);
    return g;
  });
}

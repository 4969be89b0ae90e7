/** The backward engine: topological order over the graph, gradient accumulation, release. */
import type { Tensor } from "../tensor/tensor.ts";
import { keep, scope } from "../tensor/memory.ts";
import { fmtShape } from "../tensor/shape.ts";
import { AccumulateGrad, type Node } from "./node.ts";
import { noGrad } from "./grad_mode.ts";

/** Options of `backward`. */
export interface BackwardOptions {
  /** Keep saved tensors so the graph can be backpropagated again. */
  retainGraph?: boolean;
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

function accumulate(leaf: Tensor, g: Tensor): void {
  if (leaf.grad === null) {
    leaf.grad = keep(g.isContiguous() && g.storage.refs === 1 ? g.alias() : g.clone());
  } else {
    leaf.grad.add_(g);
  }
  g.dispose();
}

/** Backpropagates `grads` from `roots` and accumulates into the leaves' `.grad`. */
export function runBackward(roots: Tensor[], grads: Tensor[], opts: BackwardOptions = {}): void {
  const pending = new Map<Node, Tensor>();
  const rootNodes: Node[] = [];
  roots.forEach((r, i) => {
    const node = r.gradFn ?? (r.requiresGrad ? r.accumulateNode() : null);
    if (!node) {
      throw new Error(
        `backward: element ${i} of tensors (shape ${fmtShape(r.shape)}) does not require grad ` +
          `and does not have a grad_fn`,
      );
    }
    rootNodes.push(node);
    const g = grads[i].alias();
    const prev = pending.get(node);
    pending.set(node, prev ? prev.add(g) : g);
  });
  noGrad(() => {
    for (const node of topoOrder(rootNodes)) {
      const g = pending.get(node);
      pending.delete(node);
      if (!g) continue;
      if (node instanceof AccumulateGrad) {
        scope(() => accumulate(node.variable, g));
        continue;
      }
      const seenGrads = new Set<Tensor>([g]);
      // NOTE: a formula may return `g` itself or one tensor for several inputs (add); each
      // consumer gets its own handle so disposing one never frees another's storage.
      const inputGrads = scope(() => node.apply(g)).map((t) => {
        if (!t) return t;
        if (seenGrads.has(t)) return t.alias();
        seenGrads.add(t);
        return t;
      });
      if (!opts.retainGraph) node.release();
      g.dispose();
      node.next.forEach((child, j) => {
        const ig = inputGrads[j];
        if (!child || !ig) {
          ig?.dispose();
          return;
        }
        const prev = pending.get(child);
        if (prev) {
          pending.set(child, scope(() => prev.add(ig)));
          prev.dispose();
          ig.dispose();
        } else pending.set(child, ig);
      });
    }
  });
}

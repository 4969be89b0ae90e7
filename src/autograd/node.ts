/** Graph nodes: one per differentiable op application, holding what its backward needs. */
import type { Tensor } from "../tensor/tensor.ts";
import { isFloating } from "../tensor/dtype.ts";
import { checkedFormula } from "./create_graph.ts";

/** Computes input gradients from the output gradient and the saved tensors. */
export type BackwardFn = (grad: Tensor, saved: Tensor[]) => (Tensor | null | undefined)[];

/** A node of the autograd graph (what PyTorch exposes as `grad_fn`). */
export class Node {
  /** The op's name, e.g. "MulBackward". */
  readonly name: string;
  /** The nodes gradients flow to, one per input (null where no grad is needed). */
  readonly next: (Node | null)[];
  #saved: Tensor[] | null;
  #savedVersions: number[];
  #roles: (number | "output" | "other")[];
  #fn: BackwardFn | null;
  /** Tensor handles whose gradFn this is, plus nodes whose `next` lists it. */
  #refs = 0;

  /**
   * Builds a node; `saved` must be handles owned by this node, without graph links. `roles`
   * says what each saved tensor was: the index of the input it is, the op's output, or another
   * value (the default); double backward re-links inputs and outputs to the graph.
   */
  constructor(
    name: string,
    next: (Node | null)[],
    saved: Tensor[],
    fn: BackwardFn,
    roles: (number | "output" | "other")[] = saved.map(() => "other"),
  ) {
    this.name = name;
    this.next = next;
    this.#saved = saved;
    this.#savedVersions = saved.map((t) => t.storage.version);
    this.#roles = roles;
    this.#fn = fn;
    for (const child of next) child?.ref();
  }

  /** Internal: a tensor handle or a parent node now points here. */
  ref(): void {
    this.#refs++;
  }

  /**
   * Internal: drops a reference. The last one frees the saved tensors and drops this node's
   * references to its children, so a graph nobody can backpropagate through any more (its
   * outputs disposed, e.g. by scope()) is freed at once, as PyTorch frees it when the last
   * output dies, instead of at the next garbage collection.
   */
  unref(): void {
    // A worklist, not recursion: long RNN unrolls make deep chains.
    const work: Node[] = [this];
    while (work.length) {
      const n = work.pop()!;
      if (n instanceof AccumulateGrad || --n.#refs > 0) continue;
      n.release();
      for (const child of n.next) if (child) work.push(child);
    }
  }

  /**
   * Runs the backward formula. With `createGraph` (run with grad recording on, inside a scope
   * that frees the re-linked handles) the saved inputs and output take part in the graph again,
   * as PyTorch unpacks saved variables, so the result can be differentiated once more.
   */
  apply(grad: Tensor, createGraph = false): (Tensor | null | undefined)[] {
    if (this.#fn === null || this.#saved === null) {
      throw new Error(
        `${this.name}: trying to backward through the graph a second time (or directly access ` +
          `saved tensors after they have already been freed). Saved intermediate values of the ` +
          `graph are freed when you call backward(); pass { retainGraph: true } to the first ` +
          `backward() if you need to backward through the graph a second time.`,
      );
    }
    this.#saved.forEach((t, i) => {
      if (t.storage.version !== this.#savedVersions[i]) {
        throw new Error(
          `${this.name}: one of the variables needed for gradient computation has been modified ` +
            `by an in-place operation (a tensor of shape [${t.shape.join(", ")}] is at version ` +
            `${t.storage.version}; expected version ${this.#savedVersions[i]})`,
        );
      }
    });
    if (!createGraph) return this.#fn(grad, this.#saved);
    const saved = this.#saved;
    if (saved.some((t, i) => this.#roles[i] === "other" && isFloating(t.dtype))) {
      throw new Error(
        `createGraph: double backward through ${this.name} is not supported: its gradient ` +
          `formula reads values the forward pass computed outside autograd, so their dependence ` +
          `on the inputs would be lost`,
      );
    }
    const linked = saved.map((t, i) => {
      const role = this.#roles[i];
      if (role === "output") return t.linkedTo(this);
      const input = typeof role === "number" ? this.next[role] : null;
      return input ? t.linkedTo(input) : t;
    });
    const fn = this.#fn;
    return checkedFormula(this.name, () => fn(grad, linked));
  }

  /** Frees the saved tensors; later apply() calls fail with PyTorch's message. */
  release(): void {
    if (this.#saved) { for (const t of this.#saved) t.dispose(); }
    this.#saved = null;
    this.#fn = null;
  }

  /** Debug representation. */
  toString(): string {
    return `<${this.name}>`;
  }
}

/** Sink node of a leaf tensor: accumulates into `.grad`. */
export class AccumulateGrad extends Node {
  /** The leaf tensor whose `.grad` receives the gradient. */
  readonly variable: Tensor;
  /** Creates the sink for `variable`. */
  constructor(variable: Tensor) {
    super("AccumulateGrad", [], [], () => []);
    this.variable = variable;
  }
  /** Leaves keep their sink across backward calls. */
  override release(): void {}
}

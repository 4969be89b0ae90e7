/**
 * Tensor gradient hooks and retained gradients, like `Tensor.register_hook` and
 * `Tensor.retain_grad`. They live with the graph node that receives the tensor's gradient (its
 * gradFn, or the AccumulateGrad sink of a leaf), in a WeakMap, so they cost nothing to nodes
 * without hooks and go away with the graph.
 */
import { Tensor } from "../tensor/tensor.ts";
import { scope } from "../tensor/memory.ts";
import { fmtShape } from "../tensor/shape.ts";
import type { Node } from "./node.ts";

/**
 * A gradient hook: called with the gradient of the tensor it was registered on, it may return
 * a replacement (same shape, dtype and device) or nothing. The gradient handle it receives is
 * released when it returns; `keep()` or `clone()` it to hold on to it.
 */
export type GradHook = (grad: Tensor) => Tensor | null | undefined | void;

/** Returned by hook registration; `remove()` unregisters the hook (again is a no-op). */
export interface RemovableHandle {
  /** Unregisters the hook. */
  remove(): void;
}

/**
 * What runs on a node's gradient, in order: "hooks" (the registered hooks, as a group) and the
 * tensors whose `.grad` retains it. NOTE: the group sits where the first hook was registered,
 * as PyTorch 1.13 registers a tensor's hook dict on its grad_fn once: retainGrad() before the
 * first registerHook() retains the gradient the hooks have not changed yet, after it the one
 * they return. (PyTorch 2 always retains last.)
 */
type Step = "hooks" | WeakRef<Tensor>;

interface NodeHooks {
  hooks: Map<number, GradHook>;
  /** Weak references: hooks keep no tensor alive. */
  steps: Step[];
}

const registry = new WeakMap<Node, NodeHooks>();
let nextId = 0;

function hooksOf(node: Node): NodeHooks {
  let h = registry.get(node);
  if (!h) registry.set(node, h = { hooks: new Map(), steps: [] });
  return h;
}

/** `t.registerHook(hook)`. */
export function registerHook(t: Tensor, hook: GradHook): RemovableHandle {
  t.check("registerHook");
  if (!t.requiresGrad) {
    throw new Error(
      `registerHook: cannot register a hook on a tensor that doesn't require gradient (shape ` +
        `${fmtShape(t.shape)})`,
    );
  }
  const entry = hooksOf(t.gradFn ?? t.accumulateNode());
  const id = nextId++;
  entry.hooks.set(id, hook);
  if (!entry.steps.includes("hooks")) entry.steps.push("hooks");
  return { remove: () => void entry.hooks.delete(id) };
}

/** `t.retainGrad()`: a no-op on leaves, which keep their gradient anyway. */
export function retainGrad(t: Tensor): void {
  t.check("retainGrad");
  if (!t.requiresGrad) {
    throw new Error(
      `retainGrad: can't retain the gradient of a tensor that does not require grad (shape ` +
        `${fmtShape(t.shape)})`,
    );
  }
  if (t.isLeaf || retainsGrad(t)) return;
  hooksOf(t.gradFn!).steps.push(new WeakRef(t));
}

/** `t.retainsGrad`: true for non-leaf tensors after `retainGrad()`. */
export function retainsGrad(t: Tensor): boolean {
  const node = t.gradFn;
  return node !== null &&
    !!registry.get(node)?.steps.some((s) => s !== "hooks" && s.deref() === t);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v !== "object") return typeof v;
  return v.constructor?.name ?? "an object";
}

function checkReplacement(hook: GradHook, g: Tensor, r: unknown): Tensor {
  const name = `hook '${hook.name || "<anonymous>"}'`;
  if (!(r instanceof Tensor)) {
    throw new TypeError(
      `registerHook: ${name} returned ${describe(r)}; a hook must return a Tensor or nothing`,
    );
  }
  const change = r.shape.join() !== g.shape.join()
    ? `size of value (was ${fmtShape(g.shape)}, got ${fmtShape(r.shape)})`
    : r.dtype !== g.dtype
    ? `type of value (was ${g.dtype}, got ${r.dtype})`
    : r.device !== g.device
    ? `device of value (was ${g.device}, got ${r.device})`
    : null;
  if (change) throw new Error(`registerHook: ${name} has changed the ${change}`);
  return r;
}

/**
 * Runs the hooks registered on `node` over `grad` in registration order, each seeing the
 * previous one's result, and hands the gradient to `retain` for each live tensor that retains
 * it. Takes over `grad` and returns the handle to use instead (a replaced gradient disposes the
 * one it replaces). A hook's error propagates unchanged, as in PyTorch.
 */
export function runHooks(
  node: Node,
  grad: Tensor,
  retain: (t: Tensor, grad: Tensor) => void,
): Tensor {
  const entry = registry.get(node);
  if (!entry) return grad;
  let g = grad;
  try {
    for (const step of [...entry.steps]) {
      if (step !== "hooks") {
        const t = step.deref();
        if (t && !t.isDisposed) retain(t, g);
        continue;
      }
      // A copy: a hook may remove itself (or others) while running.
      for (const hook of [...entry.hooks.values()]) {
        const replaced = scope(() => {
          const r = hook(g.alias());
          return r === undefined || r === null ? null : checkReplacement(hook, g, r).alias();
        });
        if (replaced) {
          g.dispose();
          g = replaced;
        }
      }
    }
  } catch (e) {
    g.dispose();
    throw e;
  }
  entry.steps = entry.steps.filter((s) => s === "hooks" || s.deref() !== undefined);
  return g;
}

/**
 * Model graphs for TensorBoard's Graphs tab. The writer takes a generic node list (so any
 * tracer can feed it) and this module also ships a small module-level tracer that works on
 * any nn-style model exposing `namedModules()` and `forward()`: it temporarily wraps each leaf
 * module's `forward` to record calls. Tensor ops run between modules (functional calls) are
 * invisible to it; an op-level tracer can supply exact graphs through `addGraph(nodes)`.
 */
import { noGrad } from "../autograd/grad_mode.ts";
import { scope } from "../tensor/memory.ts";
import { encodeGraphDef, type NodeDefMessage } from "./protos.ts";

/** One node of a traced graph. */
export interface GraphNode {
  /** Unique `/`-scoped name, e.g. `Net/Conv2d[conv1]` or `input/input.0`. */
  name: string;
  /** Op type shown in TensorBoard, e.g. `Conv2d` or `IO Node`. */
  op: string;
  /** Names of the nodes this one consumes. */
  inputs: string[];
  /** Shape of the node's output, if known. */
  outputShape?: number[];
  /** Free-form attributes text (PyTorch puts the op's arguments here). */
  attr?: string;
  /** Device string, e.g. `/device:CPU:0`. */
  device?: string;
}

/**
 * The module API the built-in tracer needs (duck-typed so it works with denotorch's
 * nn.Module and with any object that has the same shape).
 */
export interface TraceableModule {
  /** `[dotted name, module]` pairs, the root first with name "". */
  namedModules(): Iterable<[string, TraceableModule]>;
  /** The computation. */
  forward(...inputs: unknown[]): unknown;
  /** Runs the module with its hooks (preferred over `forward` when present). */
  call?(...inputs: unknown[]): unknown;
  /** Registers a hook run after each forward; used instead of wrapping `forward`. */
  registerForwardHook?(
    hook: (module: TraceableModule, inputs: unknown[], output: unknown) => unknown,
  ): { remove(): void };
}

/** A function producing graph nodes for `model` run on `inputs`. */
export type GraphTracer<M = TraceableModule> = (
  model: M,
  inputs: unknown[],
) => GraphNode[] | Promise<GraphNode[]>;

function shapeOf(v: unknown): number[] | undefined {
  const s = (v as { shape?: unknown } | null)?.shape;
  return Array.isArray(s) ? s as number[] : undefined;
}

function className(m: unknown): string {
  return (m as object)?.constructor?.name ?? "Module";
}

/** Module-level tracer: one node per leaf-module call, plus input and output IO nodes. */
export async function traceModules(
  model: TraceableModule,
  inputs: unknown[],
): Promise<GraphNode[]> {
  const modules = [...model.namedModules()];
  const root = className(model);
  const scopeOf = new Map<TraceableModule, string>();
  for (const [name, mod] of modules) {
    if (!name) {
      scopeOf.set(mod, root);
      continue;
    }
    // PyTorch scopes: Net/Sequential[features]/Conv2d[0]
    const parts = name.split(".");
    const parentName = parts.slice(0, -1).join(".");
    const parent = modules.find(([n]) => n === parentName)?.[1];
    const parentScope = (parent && scopeOf.get(parent)) ?? root;
    scopeOf.set(mod, `${parentScope}/${className(mod)}[${parts[parts.length - 1]}]`);
  }
  const isLeaf = (m: TraceableModule): boolean => {
    let n = 0;
    for (const _ of m.namedModules()) if (++n > 1) return false;
    return true;
  };
  const nodes: GraphNode[] = [];
  const producer = new WeakMap<object, string>();
  const used = new Map<string, number>();
  const unique = (base: string): string => {
    const k = used.get(base) ?? 0;
    used.set(base, k + 1);
    return k ? `${base}.${k}` : base;
  };
  inputs.forEach((t, i) => {
    const name = `input/input.${i}`;
    nodes.push({ name, op: "IO Node", inputs: [], outputShape: shapeOf(t) });
    if (t && typeof t === "object") producer.set(t, name);
  });
  let last = nodes.length ? nodes[nodes.length - 1].name : undefined;
  const record = (mod: TraceableModule, args: unknown[], out: unknown): void => {
    const ins = args.filter((a) => a && typeof a === "object")
      .map((a) => producer.get(a as object)).filter((n): n is string => !!n);
    // Tensors made by functional ops between modules have no recorded producer: assume the
    // previous node fed this one (true for sequential models).
    if (!ins.length && last) ins.push(last);
    const name = unique(scopeOf.get(mod)!);
    nodes.push({ name, op: className(mod), inputs: ins, outputShape: shapeOf(out) });
    if (out && typeof out === "object") producer.set(out, name);
    last = name;
  };
  const restore: (() => void)[] = [];
  for (const [, mod] of modules) {
    if (mod === model || !isLeaf(mod)) continue;
    if (typeof mod.registerForwardHook === "function") {
      // denotorch nn.Module: a forward hook sees (module, inputs, output) of every call.
      const handle = mod.registerForwardHook((m, args, out) => {
        record(m, args, out);
        return undefined;
      });
      restore.push(() => handle.remove());
      continue;
    }
    // Other module-like objects: wrap `forward` for the duration of the trace.
    const original = mod.forward;
    const wrapped = (...args: unknown[]): unknown => {
      const out = original.apply(mod, args);
      record(mod, args, out);
      return out;
    };
    const own = Object.getOwnPropertyDescriptor(mod, "forward");
    (mod as { forward: unknown }).forward = wrapped;
    // Put back exactly what was there: an own property, or nothing (the prototype method).
    restore.push(() => {
      if (own) Object.defineProperty(mod, "forward", own);
      else delete (mod as { forward?: unknown }).forward;
    });
  }
  let out: unknown;
  try {
    // No autograd graph, and every tensor the trace creates is freed when it ends (only
    // identities and shapes are needed afterwards).
    out = await scope(() =>
      noGrad(() =>
        typeof model.call === "function" ? model.call(...inputs) : model.forward(...inputs)
      )
    );
  } finally {
    restore.forEach((r) => r());
  }
  const outs = Array.isArray(out) ? out : [out];
  outs.forEach((o, i) => {
    const src = (o && typeof o === "object" && producer.get(o)) || last;
    nodes.push({
      name: `output/output.${i}`,
      op: "IO Node",
      inputs: src ? [src] : [],
      outputShape: shapeOf(o),
    });
    // The scope hands returned tensors back alive; the trace's outputs are not needed.
    if (!inputs.includes(o)) (o as { dispose?: () => void } | null)?.dispose?.();
  });
  return nodes;
}

/** Serializes graph nodes as a GraphDef (attrs as PyTorch's writer sets them). */
export function graphDefBytes(nodes: GraphNode[]): Uint8Array {
  const names = new Set<string>();
  for (const n of nodes) {
    if (!n.name || names.has(n.name)) {
      throw new Error(`addGraph: node names must be unique and non-empty (got "${n.name}")`);
    }
    names.add(n.name);
  }
  const enc = new TextEncoder();
  const node: NodeDefMessage[] = nodes.map((n) => {
    for (const i of n.inputs) {
      if (!names.has(i)) throw new Error(`addGraph: node "${n.name}" consumes unknown "${i}"`);
    }
    const attr: NodeDefMessage["attr"] = { attr: { s: enc.encode(n.attr ?? "") } };
    if (n.outputShape) {
      attr._output_shapes = { list: { shape: [{ dim: n.outputShape.map((size) => ({ size })) }] } };
    }
    return { name: n.name, op: n.op, input: n.inputs, device: n.device, attr };
  });
  // producer 22 is what PyTorch's writer records.
  return encodeGraphDef({ node, versions: { producer: 22 } });
}

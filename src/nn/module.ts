/**
 * Module: the base class of every layer and model. Parameters, buffers and child modules are
 * found by walking the instance's own fields in declaration order, so `this.conv1 = new
 * Conv2d(...)` is all it takes to register `conv1.weight`.
 */
import { noGrad } from "../autograd/grad_mode.ts";
import type { RemovableHandle } from "../autograd/hooks.ts";
import { keep, scope } from "../tensor/memory.ts";
import { type Device, type DType, isFloating } from "../tensor/dtype.ts";
import { fmtShape } from "../tensor/shape.ts";
import { Tensor } from "../tensor/tensor.ts";
import { isParameter, Parameter } from "./parameter.ts";

/** Any module, whatever its forward signature (the type of children and `modules()`). */
export type AnyModule = Module<unknown[], unknown>;

export type { RemovableHandle };

// NOTE: hooks are declared through a method so their parameters compare bivariantly; otherwise
// Module<In, Out> would not be assignable to AnyModule for any concrete In.

/** Runs before forward; may return replacement arguments. */
export type ForwardPreHook<In extends unknown[]> = {
  hook(module: AnyModule, args: In): In | void;
}["hook"];

/** Runs after forward; may return a replacement output. */
export type ForwardHook<In extends unknown[], Out> = {
  hook(module: AnyModule, args: In, output: Out): Out | void;
}["hook"];

/** Options of `loadStateDict`. */
export interface LoadStateDictOptions {
  /** Require the keys to match exactly (default true). */
  strict?: boolean;
}

/** What `loadStateDict` did not match. */
export interface IncompatibleKeys {
  /** Keys the module expects but the state dict lacks. */
  missingKeys: string[];
  /** Keys of the state dict the module does not have. */
  unexpectedKeys: string[];
}

/** A state dict: dotted names to tensors, in PyTorch's order. */
export type StateDict = Record<string, Tensor>;

// Modules whose call() is running, innermost last: errors are labelled once, at the outermost.
const callStack: AnyModule[] = [];
const errorFrames = new WeakMap<object, AnyModule[]>();

let hookIds = 0;
type StoredHook = (module: AnyModule, args: unknown[], output?: unknown) => unknown;

/**
 * Base class for all neural network modules, like `torch.nn.Module`. Subclasses assign
 * parameters, buffers (via `registerBuffer`) and submodules to fields and implement `forward`;
 * callers run them with `call`, which adds hooks, memory scoping and error context.
 *
 * @example
 * ```ts
 * class Net extends Module {
 *   fc1 = new Linear(4, 8);
 *   fc2 = new Linear(8, 2);
 *   override forward(x: Tensor): Tensor {
 *     return this.fc2.call(this.fc1.call(x).relu());
 *   }
 * }
 * const net = new Net();
 * const y = net.call(randn([3, 4])); // [3, 2]
 * Object.keys(net.stateDict()); // ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
 * ```
 */
export class Module<In extends unknown[] = [Tensor], Out = Tensor> {
  /** Whether the module is in training mode (see `train` / `eval`). */
  training = true;
  #buffers = new Map<string, boolean>();
  // Stored untyped: typed maps would make Module<In, Out> invariant in In and Out.
  #preHooks = new Map<number, StoredHook>();
  #hooks = new Map<number, StoredHook>();

  /** The computation; override in subclasses. Run a module with `call`, not `forward`. */
  forward(..._args: In): Out {
    throw new Error(
      `${this.constructor.name}: Module is missing the required "forward" function`,
    );
  }

  /**
   * Runs the module: forward pre-hooks, `forward` inside a memory scope (temporaries are
   * freed; returned tensors and whatever the autograd graph saved survive), then forward
   * hooks. Errors are re-thrown with the failing submodule's path, e.g.
   * `features.3 (Conv2d): expected input with 3 channels, got 4`.
   */
  call(...args: In): Out {
    callStack.push(this as unknown as AnyModule);
    try {
      let a = args;
      for (const h of this.#preHooks.values()) {
        const r = runHook("forward pre-hook", () => h(this as unknown as AnyModule, a));
        if (r !== undefined) a = r as In;
      }
      let out = scope(() => this.forward(...a));
      for (const h of this.#hooks.values()) {
        const r = runHook("forward hook", () => h(this as unknown as AnyModule, a, out));
        if (r !== undefined) out = r as Out;
      }
      return out;
    } catch (e) {
      throw labelError(e, this as unknown as AnyModule);
    } finally {
      callStack.pop();
    }
  }

  /** Configuration shown in `toString()`, like PyTorch's `extra_repr`. */
  extraRepr(): string {
    return "";
  }

  /** The own fields to inspect, in order; containers override to keep insertion order. */
  protected ownEntries(): [string, unknown][] {
    return Object.entries(this);
  }

  /** Replaces an own field (used by `to()`); containers override alongside `ownEntries`. */
  protected setEntry(name: string, value: unknown): void {
    (this as Record<string, unknown>)[name] = value;
  }

  /**
   * Adds a buffer: state that is not a parameter (running statistics). Persistent buffers
   * are part of the state dict. The buffer is stored as the field `name`.
   */
  registerBuffer(name: string, tensor: Tensor | null, opts: { persistent?: boolean } = {}): void {
    if (!name || name.includes(".")) {
      throw new Error(`registerBuffer: buffer name can't be empty or contain "." (got "${name}")`);
    }
    if (name in this && !this.#buffers.has(name) && (this as Record<string, unknown>)[name]) {
      throw new Error(`registerBuffer: attribute "${name}" already exists`);
    }
    this.#buffers.set(name, opts.persistent ?? true);
    if (tensor) keep(tensor);
    (this as Record<string, unknown>)[name] = tensor;
  }

  /** Registers a hook run before `forward` with the arguments (may return new ones). */
  registerForwardPreHook(hook: ForwardPreHook<In>): RemovableHandle {
    const id = hookIds++;
    this.#preHooks.set(id, hook as StoredHook);
    return { remove: () => void this.#preHooks.delete(id) };
  }

  /** Registers a hook run after `forward` with the arguments and output (may return a new one). */
  registerForwardHook(hook: ForwardHook<In, Out>): RemovableHandle {
    const id = hookIds++;
    this.#hooks.set(id, hook as StoredHook);
    return { remove: () => void this.#hooks.delete(id) };
  }

  /** `[name, child]` for the direct submodules. */
  namedChildren(): [string, AnyModule][] {
    const seen = new Set<AnyModule>();
    const out: [string, AnyModule][] = [];
    for (const [k, v] of this.ownEntries()) {
      if (v instanceof Module && !seen.has(v as unknown as AnyModule)) {
        seen.add(v as unknown as AnyModule);
        out.push([k, v as unknown as AnyModule]);
      }
    }
    return out;
  }

  /** The direct submodules. */
  children(): AnyModule[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** `[dotted path, module]` for this module ("" first) and every descendant, each once. */
  namedModules(prefix = ""): [string, AnyModule][] {
    const out: [string, AnyModule][] = [];
    const seen = new Set<AnyModule>();
    const walk = (m: AnyModule, p: string) => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([p, m]);
      for (const [k, c] of m.namedChildren()) walk(c, p ? `${p}.${k}` : k);
    };
    walk(this as unknown as AnyModule, prefix);
    return out;
  }

  /** This module and every descendant. */
  modules(): AnyModule[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** `[dotted name, parameter]` pairs, each parameter once, in registration order. */
  namedParameters(opts: { recurse?: boolean } = {}): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seen = new Set<Tensor>();
    const mods = opts.recurse === false
      ? [["", this as unknown as AnyModule] as [string, AnyModule]]
      : this.namedModules();
    for (const [p, m] of mods) {
      for (const [k, v] of m.ownEntries()) {
        if (isParameter(v) && !seen.has(v)) {
          seen.add(v);
          out.push([p ? `${p}.${k}` : k, v]);
        }
      }
    }
    return out;
  }

  /** Every parameter once (what an optimizer takes). */
  parameters(opts: { recurse?: boolean } = {}): Parameter[] {
    return this.namedParameters(opts).map(([, t]) => t);
  }

  /** `[dotted name, buffer]` pairs. */
  namedBuffers(opts: { recurse?: boolean } = {}): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    const mods = opts.recurse === false
      ? [["", this as unknown as AnyModule] as [string, AnyModule]]
      : this.namedModules();
    for (const [p, m] of mods) {
      for (const [k, v] of m.#ownBuffers()) {
        if (!seen.has(v)) {
          seen.add(v);
          out.push([p ? `${p}.${k}` : k, v]);
        }
      }
    }
    return out;
  }

  /** Every buffer once. */
  buffers(opts: { recurse?: boolean } = {}): Tensor[] {
    return this.namedBuffers(opts).map(([, t]) => t);
  }

  #ownBuffers(persistentOnly = false): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [k, v] of this.ownEntries()) {
      const persistent = this.#buffers.get(k);
      if (persistent === undefined || !(v instanceof Tensor)) continue;
      if (persistentOnly && !persistent) continue;
      out.push([k, v]);
    }
    return out;
  }

  /** Sets training mode on this module and all descendants. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode (`train(false)`): dropout off, batch norm uses running stats. */
  eval(): this {
    return this.train(false);
  }

  /** Applies `fn` to every submodule (children first) and then to this module. */
  apply(fn: (m: AnyModule) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this as unknown as AnyModule);
    return this;
  }

  /** Clears gradients: disposes and nulls them (default), or zeroes them in place. */
  zeroGrad(opts: { setToNone?: boolean } = {}): void {
    const setToNone = opts.setToNone ?? true;
    for (const p of this.parameters()) {
      if (!p.grad) continue;
      if (setToNone) {
        p.grad.dispose();
        p.grad = null;
      } else noGrad(() => p.grad!.zero_());
    }
  }

  /** Total number of parameter elements (optionally only those that require grad). */
  numParameters(opts: { trainableOnly?: boolean } = {}): number {
    return this.parameters()
      .filter((p) => !opts.trainableOnly || p.requiresGrad)
      .reduce((n, p) => n + p.numel, 0);
  }

  /**
   * Moves parameters and buffers to a device, or casts floating ones to a dtype. The moved
   * tensors are new objects (a `Parameter` cannot change its storage), so build optimizers
   * after `to()`, as in PyTorch. Nothing changes (same objects) when already there. Moving
   * off the GPU needs a readback: use `toAsync("cpu")`.
   */
  to(target: Device | DType): this {
    this.#convert(target, (t) => t.to(target));
    return this;
  }

  /** `to(device)` for any direction, reading back from the GPU asynchronously. */
  async toAsync(device: Device): Promise<this> {
    const moved = new Map<Tensor, Tensor>();
    for (const t of [...this.parameters(), ...this.buffers()]) {
      if (t.device === device) continue;
      moved.set(t, await t.toAsync(device));
      if (t.grad) moved.set(t.grad, await t.grad.toAsync(device));
    }
    this.#convert(device, (t) => moved.get(t)!);
    return this;
  }

  /** Casts floating parameters and buffers to float64 (`to("float64")`). */
  double(): this {
    return this.to("float64");
  }

  /** Casts floating parameters and buffers to float32 (`to("float32")`). */
  float(): this {
    return this.to("float32");
  }

  #convert(target: Device | DType, move: (t: Tensor) => Tensor): void {
    const isDevice = target === "cpu" || target === "webgpu";
    if (!isDevice && !isFloating(target as DType)) {
      throw new TypeError(
        `${this.constructor.name}.to: only floating point dtypes are accepted, got ${target}`,
      );
    }
    const skip = (t: Tensor) =>
      isDevice ? t.device === target : (!isFloating(t.dtype) || t.dtype === target);
    const done = new Map<Tensor, Tensor>();
    noGrad(() => {
      for (const m of this.modules()) {
        for (const [k, v] of m.ownEntries()) {
          const isBuf = m.#buffers.has(k) && v instanceof Tensor;
          if (!isParameter(v) && !isBuf) continue;
          const t = v as Tensor;
          if (skip(t)) continue;
          let nt = done.get(t);
          if (!nt) {
            const moved = move(t);
            if (isParameter(t)) {
              const p = new Parameter(moved, t.requiresGrad);
              if (t.grad) p.grad = keep(move(t.grad));
              moved.dispose();
              nt = p;
            } else nt = keep(moved);
            done.set(t, nt);
          }
          m.setEntry(k, nt);
        }
      }
    });
  }

  /**
   * The module's state, PyTorch-ordered (each module's parameters, then its persistent
   * buffers, then its children's, recursively): dotted name → detached tensor sharing storage.
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    const walk = (m: AnyModule, p: string) => {
      for (const [k, v] of m.ownEntries()) {
        if (isParameter(v)) out[p + k] = v.detach();
      }
      for (const [k, v] of m.#ownBuffers(true)) out[p + k] = v.detach();
      for (const [k, c] of m.ownEntries()) {
        // Like PyTorch's state_dict, a module shared under two names appears under both.
        if (c instanceof Module) walk(c as unknown as AnyModule, `${p}${k}.`);
      }
    };
    walk(this as unknown as AnyModule, "");
    return out;
  }

  #stateTargets(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    const walk = (m: AnyModule, p: string) => {
      for (const [k, v] of m.ownEntries()) if (isParameter(v)) out.set(p + k, v);
      for (const [k, v] of m.#ownBuffers(true)) out.set(p + k, v);
      for (const [k, c] of m.ownEntries()) {
        // Like PyTorch's state_dict, a module shared under two names appears under both.
        if (c instanceof Module) walk(c as unknown as AnyModule, `${p}${k}.`);
      }
    };
    walk(this as unknown as AnyModule, "");
    return out;
  }

  /**
   * Copies a state dict into this module's parameters and buffers (in place, under noGrad,
   * across devices and dtypes). Shape mismatches always throw; with `strict` (default) missing
   * or unexpected keys throw too, in PyTorch's format. Nothing is copied when it throws.
   */
  loadStateDict(
    stateDict: StateDict | Map<string, Tensor>,
    opts: LoadStateDictOptions = {},
  ): IncompatibleKeys {
    const strict = opts.strict ?? true;
    const given = stateDict instanceof Map ? stateDict : new Map(Object.entries(stateDict));
    const targets = this.#stateTargets();
    const missingKeys = [...targets.keys()].filter((k) => !given.has(k));
    const unexpectedKeys = [...given.keys()].filter((k) => !targets.has(k));
    const errors: string[] = [];
    if (strict) {
      if (unexpectedKeys.length) {
        errors.push(
          `Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(", ")}. `,
        );
      }
      if (missingKeys.length) {
        errors.push(
          `Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(", ")}. `,
        );
      }
    }
    for (const [k, t] of targets) {
      const src = given.get(k);
      if (!src) continue;
      if (!(src instanceof Tensor)) {
        errors.push(`value for ${k} is not a Tensor.`);
      } else if (src.shape.join() !== t.shape.join()) {
        errors.push(
          `size mismatch for ${k}: copying a param with shape ${fmtShape(src.shape)} from ` +
            `checkpoint, the shape in current model is ${fmtShape(t.shape)}.`,
        );
      }
    }
    if (errors.length) {
      throw new Error(
        `Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join("\n\t")}`,
      );
    }
    noGrad(() => {
      for (const [k, t] of targets) {
        const src = given.get(k);
        if (src) t.copy_(src);
      }
    });
    for (const [p, m] of this.namedModules()) {
      const prefix = p ? `${p}.` : "";
      const own = new Map<string, Tensor>();
      for (const [k, v] of given) {
        if (k.startsWith(prefix) && !k.slice(prefix.length).includes(".")) {
          own.set(k.slice(prefix.length), v);
        }
      }
      m.stateLoaded(own);
    }
    return { missingKeys, unexpectedKeys };
  }

  /**
   * Called by `loadStateDict` with this module's own entries (local name → source tensor)
   * after copying, for modules that mirror state on the host. Does nothing by default.
   */
  protected stateLoaded(_own: Map<string, Tensor>): void {}

  /** PyTorch-style tree: `Net(\n  (fc1): Linear(inFeatures=4, ...)\n)`. */
  toString(): string {
    const extra = this.extraRepr();
    const lines = extra ? extra.split("\n") : [];
    for (const [k, c] of this.namedChildren()) {
      lines.push(`(${k}): ${c.toString().split("\n").join("\n  ")}`);
    }
    const name = this.constructor.name;
    if (!lines.length) return `${name}()`;
    if (lines.length === 1 && !this.namedChildren().length) return `${name}(${lines[0]})`;
    return `${name}(\n  ${lines.join("\n  ")}\n)`;
  }
}

function runHook<T>(kind: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(`${kind} failed: ${msg}`, { cause: e });
  }
}

/** Adds the failing module's path once the error reaches the outermost `call`. */
function labelError(e: unknown, m: AnyModule): unknown {
  if (!(e instanceof Error)) return e;
  let frames = errorFrames.get(e);
  if (!frames) errorFrames.set(e, frames = []);
  frames.push(m);
  if (callStack.length > 1) return e;
  const paths = new Map(m.namedModules().map(([p, mod]) => [mod, p]));
  const hit = frames.find((f) => paths.has(f)) ?? m;
  const path = paths.get(hit) ?? "";
  const label = path ? `${path} (${hit.constructor.name})` : hit.constructor.name;
  const message = `${label}: ${e.message}`;
  let out: Error;
  try {
    out = new (e.constructor as ErrorConstructor)(message, { cause: e });
    if (out.message !== message) out = new Error(message, { cause: e });
  } catch {
    out = new Error(message, { cause: e });
  }
  return out;
}

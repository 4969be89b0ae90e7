/** Containers: Sequential, ModuleList and ModuleDict. Children are named "0", "1", ... or by key. */
import type { Tensor } from "../tensor/tensor.ts";
import { type AnyModule, Module } from "./module.ts";

function indexOf(op: string, i: number, n: number): number {
  if (!Number.isInteger(i) || i < -n || i >= n) {
    throw new RangeError(`${op}: index ${i} is out of range for ${n} modules`);
  }
  return i < 0 ? i + n : i;
}

/**
 * Runs modules in order, each on the previous one's output, like `torch.nn.Sequential`.
 * Children are named "0", "1", ... in the state dict (`features.0.weight`).
 *
 * @example
 * ```ts
 * const net = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
 * const y = net.call(randn([3, 4]));
 * net.get(0); // the first Linear
 * ```
 */
export class Sequential extends Module<[Tensor], Tensor> {
  #mods: AnyModule[];

  /** Creates the container from modules in order. */
  constructor(...modules: AnyModule[]) {
    super();
    this.#mods = [...modules];
  }

  /** Number of modules. */
  get length(): number {
    return this.#mods.length;
  }

  /** The module at `i` (negative counts from the end). */
  get(i: number): AnyModule {
    return this.#mods[indexOf("Sequential.get", i, this.#mods.length)];
  }

  /** Appends a module. */
  append(m: AnyModule): this {
    this.#mods.push(m);
    return this;
  }

  /** Iterates the modules. */
  [Symbol.iterator](): Iterator<AnyModule> {
    return this.#mods[Symbol.iterator]();
  }

  /** Feeds `x` through every module. */
  override forward(x: Tensor): Tensor {
    let y: unknown = x;
    for (const m of this.#mods) y = (m as unknown as Module<[unknown], unknown>).call(y);
    return y as Tensor;
  }

  /** Numbered children. */
  protected override ownEntries(): [string, unknown][] {
    return this.#mods.map((m, i) => [String(i), m]);
  }

  /** Replaces a numbered child. */
  protected override setEntry(name: string, value: unknown): void {
    this.#mods[Number(name)] = value as AnyModule;
  }
}

/**
 * A list of modules whose parameters are registered, like `torch.nn.ModuleList`; it has no
 * forward of its own.
 *
 * @example
 * ```ts
 * const layers = new ModuleList([new Linear(4, 4), new Linear(4, 4)]);
 * for (const l of layers) x = l.call(x);
 * ```
 */
export class ModuleList<M extends AnyModule = AnyModule> extends Module<unknown[], unknown> {
  #mods: M[];

  /** Creates the list. */
  constructor(modules: Iterable<M> = []) {
    super();
    this.#mods = [...modules];
  }

  /** Number of modules. */
  get length(): number {
    return this.#mods.length;
  }

  /** The module at `i` (negative counts from the end). */
  get(i: number): M {
    return this.#mods[indexOf("ModuleList.get", i, this.#mods.length)];
  }

  /** Appends a module. */
  append(m: M): this {
    this.#mods.push(m);
    return this;
  }

  /** Appends several modules. */
  extend(ms: Iterable<M>): this {
    for (const m of ms) this.#mods.push(m);
    return this;
  }

  /** Iterates the modules. */
  [Symbol.iterator](): Iterator<M> {
    return this.#mods[Symbol.iterator]();
  }

  /** Numbered children. */
  protected override ownEntries(): [string, unknown][] {
    return this.#mods.map((m, i) => [String(i), m]);
  }

  /** Replaces a numbered child. */
  protected override setEntry(name: string, value: unknown): void {
    this.#mods[Number(name)] = value as M;
  }
}

/**
 * Modules by name in insertion order, like `torch.nn.ModuleDict`; it has no forward of its
 * own.
 *
 * @example
 * ```ts
 * const heads = new ModuleDict({ cls: new Linear(8, 10), box: new Linear(8, 4) });
 * heads.get("cls").call(features);
 * ```
 */
export class ModuleDict<M extends AnyModule = AnyModule> extends Module<unknown[], unknown> {
  #mods = new Map<string, M>();

  /** Creates the dict from an object or `[key, module]` pairs. */
  constructor(modules: Record<string, M> | Iterable<[string, M]> = {}) {
    super();
    const entries = Symbol.iterator in modules
      ? (modules as Iterable<[string, M]>)
      : Object.entries(modules as Record<string, M>);
    for (const [k, m] of entries) this.set(k, m);
  }

  /** Number of modules. */
  get size(): number {
    return this.#mods.size;
  }

  /** The module under `key` (throws when absent). */
  get(key: string): M {
    const m = this.#mods.get(key);
    if (!m) throw new RangeError(`ModuleDict.get: no module named "${key}"`);
    return m;
  }

  /** Adds or replaces a module. */
  set(key: string, m: M): this {
    if (!key || key.includes(".")) {
      throw new Error(`ModuleDict: module name can't be empty or contain "." (got "${key}")`);
    }
    this.#mods.set(key, m);
    return this;
  }

  /** Whether `key` exists. */
  has(key: string): boolean {
    return this.#mods.has(key);
  }

  /** Removes and returns the module under `key`. */
  pop(key: string): M {
    const m = this.get(key);
    this.#mods.delete(key);
    return m;
  }

  /** The keys in insertion order. */
  keys(): string[] {
    return [...this.#mods.keys()];
  }

  /** The modules in insertion order. */
  values(): M[] {
    return [...this.#mods.values()];
  }

  /** `[key, module]` pairs in insertion order. */
  entries(): [string, M][] {
    return [...this.#mods.entries()];
  }

  /** Named children in insertion order (a Map keeps "10" after "9", unlike object keys). */
  protected override ownEntries(): [string, unknown][] {
    return [...this.#mods.entries()];
  }

  /** Replaces a named child. */
  protected override setEntry(name: string, value: unknown): void {
    this.#mods.set(name, value as M);
  }
}

/**
 * The Optimizer base class: parameter groups with per-group options, per-parameter state,
 * zeroGrad, step and PyTorch-layout state dicts. Subclasses supply one update per parameter.
 */
import { enableGrad, noGrad } from "../autograd/grad_mode.ts";
import { isFloating } from "../tensor/dtype.ts";
import { keep, scope } from "../tensor/memory.ts";
import { fmtShape } from "../tensor/shape.ts";
import { Tensor } from "../tensor/tensor.ts";

/** Options every optimizer has. */
export interface OptimizerOptions {
  /** Learning rate. */
  lr: number;
}

/** Keys LR schedulers add to a group (PyTorch's `initial_lr`, `max_lr`, ... in camelCase). */
export interface SchedulerGroupKeys {
  /** The lr a scheduler started from (PyTorch's `initial_lr`). */
  initialLr?: number;
  /** OneCycleLR's peak lr. */
  maxLr?: number;
  /** OneCycleLR's final lr. */
  minLr?: number;
  /** OneCycleLR's upper momentum. */
  maxMomentum?: number;
  /** OneCycleLR's lower momentum. */
  baseMomentum?: number;
  /** SGD/RMSprop momentum, cycled by OneCycleLR. */
  momentum?: number;
  /** Adam's (beta1, beta2), beta1 cycled by OneCycleLR. */
  betas?: [number, number];
}

/** A parameter group as stored by an optimizer: its tensors plus its full option set. */
export type ParamGroup<O extends OptimizerOptions> = O & SchedulerGroupKeys & { params: Tensor[] };

/** A parameter group as given by the user: tensors plus options overriding the defaults. */
export type ParamGroupInput<O extends OptimizerOptions> =
  & { params: Iterable<Tensor> | Tensor }
  & Partial<O>
  & SchedulerGroupKeys;

/** What an optimizer constructor accepts: parameters, or parameter groups. */
export type ParamsInput<O extends OptimizerOptions> =
  | Iterable<Tensor>
  | Iterable<ParamGroupInput<O>>;

/** One value of a parameter's optimizer state: a buffer (tensor), a count or scalar, or null. */
export type ParamStateValue = Tensor | number | null;

/**
 * One parameter's optimizer state: buffers (tensors), the step count, or null; lists of them
 * where PyTorch keeps lists (LBFGS's history).
 */
export type ParamState = Record<string, ParamStateValue | ParamStateValue[]>;

/** PyTorch's optimizer state-dict layout (`state` keyed by parameter index). */
export interface OptimizerStateDict {
  /** Per-parameter state keyed by the parameter's index over all groups. */
  state: Record<number, ParamState>;
  /** Group options, each with `params` as a list of parameter indices. */
  param_groups: (Record<string, unknown> & { params: number[] })[];
}

/** Options of zeroGrad. */
export interface ZeroGradOptions {
  /** Drop (and free) the gradients instead of filling them with zeros (default true). */
  setToNone?: boolean;
}

/** Throws a RangeError naming the optimizer and option unless `ok`. */
export function checkOption(ok: boolean, optimizer: string, what: string, value: unknown): void {
  if (ok) return;
  const shown = typeof value === "number" ? String(value) : JSON.stringify(value);
  throw new RangeError(`${optimizer}: invalid ${what}: ${shown}`);
}

/** Checks an lr: finite or not, but never negative or NaN (PyTorch: "Invalid learning rate"). */
export function checkLr(optimizer: string, lr: unknown): void {
  checkOption(typeof lr === "number" && lr >= 0, optimizer, "learning rate", lr);
}

function isGroupInput<O extends OptimizerOptions>(x: unknown): x is ParamGroupInput<O> {
  return typeof x === "object" && x !== null && !(x instanceof Tensor) && "params" in x;
}

function cloneOption(v: unknown): unknown {
  return Array.isArray(v) ? [...v] : v;
}

/**
 * Base of all optimizers, like `torch.optim.Optimizer`. Subclasses implement `validate`
 * (option checks) and `updateParam` (the update of one parameter from its gradient).
 */
export abstract class Optimizer<O extends OptimizerOptions> {
  /** The options every group starts from. */
  readonly defaults: Readonly<O>;
  /** Parameter groups with their options (schedulers write `lr` etc. here). */
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state (buffers and step counts), created lazily by `step()`. */
  readonly state: Map<Tensor, ParamState> = new Map();
  /** How many times `step()` ran (LR schedulers use it to warn about call order). */
  stepCount = 0;
  /** The optimizer's name in errors. */
  protected readonly name: string;

  /** Builds the groups from `params` (tensors or groups) and validates every option. */
  constructor(params: ParamsInput<O>, defaults: O, name: string) {
    this.name = name;
    this.validate(defaults);
    this.defaults = defaults;
    const list = [...(params as Iterable<unknown>)];
    if (list.length === 0) throw new Error(`${name}: optimizer got an empty parameter list`);
    if (list.every(isGroupInput)) {
      for (const g of list) this.addParamGroup(g as ParamGroupInput<O>);
    } else if (list.every((p) => p instanceof Tensor)) {
      this.addParamGroup({ params: list as Tensor[] } as unknown as ParamGroupInput<O>);
    } else {
      throw new TypeError(
        `${name}: params must be an iterable of Tensors or of parameter groups ({ params, ... })`,
      );
    }
  }

  /** Checks a group's options; throws a RangeError naming the bad option. */
  protected abstract validate(options: O): void;

  /**
   * Updates one parameter in place from its gradient. Runs under noGrad inside a scope:
   * temporaries are freed afterwards; new state tensors must be `keep()`-ed.
   */
  protected abstract updateParam(param: Tensor, grad: Tensor, state: ParamState, group: O): void;

  /** Adds a group; options it leaves out come from `defaults`. */
  addParamGroup(group: ParamGroupInput<O>): void {
    if (!isGroupInput(group)) {
      throw new TypeError(`${this.name}: addParamGroup expects an object with a params field`);
    }
    const params = group.params instanceof Tensor ? [group.params] : [...group.params];
    const seen = new Set<Tensor>();
    for (const p of params) {
      if (!(p instanceof Tensor)) {
        throw new TypeError(`${this.name}: optimizer can only optimize Tensors, got ${typeof p}`);
      }
      if (!p.isLeaf) {
        throw new Error(
          `${this.name}: can't optimize a non-leaf Tensor (shape ${fmtShape(p.shape)})`,
        );
      }
      if (!isFloating(p.dtype)) {
        throw new TypeError(
          `${this.name}: can only optimize floating point tensors (got ${p.dtype}, shape ${
            fmtShape(p.shape)
          })`,
        );
      }
      if (seen.has(p) || this.paramGroups.some((g) => g.params.includes(p))) {
        throw new Error(
          `${this.name}: a parameter (shape ${
            fmtShape(p.shape)
          }) appears more than once; each parameter may belong to one group, once`,
        );
      }
      seen.add(p);
    }
    if (params.length === 0) throw new Error(`${this.name}: parameter group has no parameters`);
    const merged: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.defaults)) merged[k] = cloneOption(v);
    for (const [k, v] of Object.entries(group)) if (k !== "params") merged[k] = cloneOption(v);
    this.validate(merged as unknown as O);
    this.paramGroups.push({ ...merged, params } as unknown as ParamGroup<O>);
  }

  /** Clears gradients: frees them (default, PyTorch's set_to_none) or zeroes them in place. */
  zeroGrad({ setToNone = true }: ZeroGradOptions = {}): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (!p.grad) continue;
        if (setToNone) {
          p.grad.dispose();
          p.grad = null;
        } else {
          if (p.grad.gradFn) p.grad.detach_();
          noGrad(() => p.grad!.zero_());
        }
      }
    }
  }

  /**
   * Applies one update to every parameter that has a gradient. A `closure` that recomputes
   * the loss may be given; it runs with grad enabled and its result is returned.
   */
  step<T = undefined>(closure?: () => T): T | undefined {
    const loss = closure ? enableGrad(closure) : undefined;
    noGrad(() => {
      for (const group of this.paramGroups) {
        checkLr(this.name, group.lr);
        for (const p of group.params) {
          if (!p.grad) continue;
          const grad = p.grad;
          let st = this.state.get(p);
          if (!st) this.state.set(p, st = {});
          const state = st;
          scope(() => this.updateParam(p, grad, state, group));
        }
      }
    });
    this.stepCount++;
    return loss;
  }

  /**
   * The state in PyTorch's layout. Tensors are the live buffers (as in PyTorch): copy them
   * (or save them) before stepping again if a snapshot is needed.
   */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const groups = this.paramGroups.map((g) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) if (k !== "params") out[k] = cloneOption(v);
      return {
        ...out,
        params: g.params.map((p) => {
          const i = index.size;
          index.set(p, i);
          return i;
        }),
      };
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i === undefined || !Object.keys(s).length) continue;
      // Lists are copied (their tensors stay live, as the other buffers) so a later step's
      // pushes and shifts do not reach a saved dict.
      state[i] = Object.fromEntries(
        Object.entries(s).map(([k, v]) => [k, Array.isArray(v) ? [...v] : v]),
      );
    }
    return { state, param_groups: groups };
  }

  /**
   * Restores options and state saved by `stateDict()` (here or in PyTorch). Buffers are
   * copied to each parameter's device and dtype, so the source may be freed afterwards.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const groups = sd?.param_groups;
    if (!Array.isArray(groups) || typeof sd.state !== "object" || sd.state === null) {
      throw new TypeError(`${this.name}.loadStateDict: expected { state, param_groups }`);
    }
    if (groups.length !== this.paramGroups.length) {
      throw new RangeError(
        `${this.name}.loadStateDict: loaded state dict has ${groups.length} parameter groups, ` +
          `the optimizer has ${this.paramGroups.length}`,
      );
    }
    const byIndex = new Map<number, Tensor>();
    groups.forEach((g, gi) => {
      const mine = this.paramGroups[gi].params;
      if (!Array.isArray(g.params) || g.params.length !== mine.length) {
        throw new RangeError(
          `${this.name}.loadStateDict: loaded parameter group ${gi} has ${g.params?.length} ` +
            `parameters, the optimizer's group has ${mine.length}`,
        );
      }
      g.params.forEach((id, k) => byIndex.set(Number(id), mine[k]));
    });
    const newState = new Map<Tensor, ParamState>();
    for (const [id, s] of Object.entries(sd.state)) {
      const p = byIndex.get(Number(id));
      if (!p) {
        throw new RangeError(`${this.name}.loadStateDict: state for unknown parameter ${id}`);
      }
      newState.set(p, this.copyState(p, s));
    }
    for (const s of this.state.values()) disposeState(s);
    this.state.clear();
    for (const [p, s] of newState) this.state.set(p, s);
    groups.forEach((g, gi) => {
      const target = this.paramGroups[gi] as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(g)) if (k !== "params") target[k] = cloneOption(v);
    });
  }

  /**
   * State keys held as host numbers although PyTorch may store 0-d tensors (`step` in 1.13);
   * loading converts them. Optimizers with more such scalars extend this.
   */
  protected isHostScalar(key: string): boolean {
    return key === "step";
  }

  /**
   * Copies loaded state onto `p`'s device; float buffers (also inside lists) take p's dtype,
   * host scalars become numbers.
   */
  private copyState(p: Tensor, s: ParamState): ParamState {
    const copy = (v: ParamStateValue): ParamStateValue => {
      if (!(v instanceof Tensor)) return v;
      return keep(
        noGrad(() =>
          scope(() => {
            const moved = v.device === p.device ? v : v.to(p.device);
            const cast = isFloating(moved.dtype) && moved.dtype !== p.dtype
              ? moved.to(p.dtype)
              : moved;
            return cast.clone();
          })
        ),
      );
    };
    const out: ParamState = {};
    for (const [k, v] of Object.entries(s)) {
      if (this.isHostScalar(k)) out[k] = hostNumber(this.name, k, v);
      else out[k] = Array.isArray(v) ? v.map(copy) : copy(v);
    }
    return out;
  }
}

/** A host-scalar state value: a number, or PyTorch's one-element cpu tensor (no GPU readback). */
function hostNumber(optimizer: string, key: string, v: unknown): number {
  if (typeof v === "number") return v;
  if (v instanceof Tensor && v.numel === 1 && v.device === "cpu") return v.dataSync()[0];
  throw new TypeError(
    `${optimizer}.loadStateDict: "${key}" must be a number or a one-element cpu tensor`,
  );
}

/** Frees the tensors of one parameter's state (also those in lists). */
export function disposeState(s: ParamState): void {
  for (const v of Object.values(s).flat()) if (v instanceof Tensor) v.dispose();
}

/** Stochastic gradient descent with momentum, dampening, Nesterov and weight decay. */
import { binaryRaw, unaryRaw } from "../ops/elementwise.ts";
import { backendOf, emptyTensor } from "../ops/dispatch.ts";
import { keep } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import {
  checkLr,
  checkOption,
  Optimizer,
  type OptimizerOptions,
  type ParamsInput,
  type ParamState,
} from "./optimizer.ts";

/** Options of SGD (PyTorch's names in camelCase; `lr` is required, as in PyTorch). */
export interface SGDOptions extends OptimizerOptions {
  /** Momentum factor (default 0). */
  momentum: number;
  /** Dampening of the momentum (default 0). */
  dampening: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov: boolean;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/**
 * One SGD update of `param` (PyTorch 1.13's `_single_tensor_sgd`). Kept as one function so a
 * fused GPU kernel can replace it (`SGD.update = ...`). `state.momentum_buffer` holds the buffer.
 */
export function sgdUpdate(param: Tensor, grad: Tensor, state: ParamState, o: SGDOptions): void {
  if (sgdFused(param, grad, state, o)) return;
  if (
    !o.maximize && o.weightDecay === 0 && !o.nesterov && grad.dtype === param.dtype &&
    grad.device === param.device && grad.shape.join() === param.shape.join()
  ) {
    sgdLean(param, grad, state, o);
    return;
  }
  let d = o.maximize ? grad.neg() : grad;
  if (o.weightDecay !== 0) d = d.add(param, o.weightDecay);
  if (o.momentum !== 0) {
    const buf = state.momentum_buffer as Tensor | null | undefined;
    if (!buf) {
      // NOTE: PyTorch's first step uses buf = clone(d), without dampening.
      state.momentum_buffer = keep(d.clone());
    } else buf.mul_(o.momentum).add_(d, 1 - o.dampening);
    const b = state.momentum_buffer as Tensor;
    d = o.nesterov ? d.add(b, o.momentum) : b;
  } else state.momentum_buffer = null;
  param.add_(d, -o.lr);
}

/**
 * The whole update as one kernel dispatch on backends with `sgdStep` (float32, contiguous
 * same-shape param, grad and buffer); false when the tensor-op path must run.
 */
function sgdFused(param: Tensor, grad: Tensor, state: ParamState, o: SGDOptions): boolean {
  const b = backendOf("SGD", param, grad);
  if (!b.sgdStep || !fusable(param, grad)) return false;
  let buf: Tensor | null = null, first = false;
  if (o.momentum !== 0) {
    buf = (state.momentum_buffer as Tensor | null | undefined) ?? null;
    if (!buf || !fusable(param, buf)) {
      buf?.dispose();
      buf = keep(emptyTensor(param.shape, param.dtype, param.device));
      state.momentum_buffer = buf;
      first = true;
    }
  } else state.momentum_buffer = null;
  b.sgdStep(param, grad, buf, {
    lr: o.lr,
    momentum: o.momentum,
    dampening: o.dampening,
    nesterov: o.nesterov,
    weightDecay: o.weightDecay,
    maximize: o.maximize,
    first,
  });
  param.storage.version++;
  if (buf) buf.storage.version++;
  return true;
}

/** Whether `t` can be updated by a fused kernel alongside `param`. */
export function fusable(param: Tensor, t: Tensor): boolean {
  return param.dtype === "float32" && t.dtype === "float32" && t.device === param.device &&
    t.shape.join() === param.shape.join() && param.isContiguous() && t.isContiguous() &&
    t.storage !== param.storage;
}

/**
 * The common case (no weight decay, maximize or Nesterov) straight on backend kernels, with
 * PyTorch's arithmetic (buf = buf·m + (1 − dampening)·g; p = p + (−lr)·buf): the products go
 * to temporaries and the sums are written into the buffer (one kernel) and the parameter
 * (sum, then copy: a kernel may not read and write one buffer), 5 passes instead of 7.
 */
function sgdLean(param: Tensor, grad: Tensor, state: ParamState, o: SGDOptions): void {
  const b = backendOf("SGD", param, grad);
  let d = grad;
  if (o.momentum !== 0) {
    const buf = state.momentum_buffer as Tensor | null | undefined;
    if (!buf || buf.shape.join() !== param.shape.join() || buf.dtype !== param.dtype) {
      // NOTE: PyTorch's first step uses buf = clone(d), without dampening.
      state.momentum_buffer = keep(grad.clone());
    } else {
      const decayed = unaryRaw("mul_s", buf, buf.dtype, o.momentum);
      const add = o.dampening === 0 ? grad : unaryRaw("mul_s", grad, grad.dtype, 1 - o.dampening);
      b.binary("add", decayed, add, buf);
      buf.storage.version++;
    }
    d = state.momentum_buffer as Tensor;
  } else state.momentum_buffer = null;
  const sum = binaryRaw("add", param, unaryRaw("mul_s", d, d.dtype, -o.lr));
  b.unary("copy", sum, param);
  param.storage.version++;
}

/**
 * Implements stochastic gradient descent (optionally with momentum), like `torch.optim.SGD`.
 *
 * @example
 * ```ts
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * ```
 */
export class SGD extends Optimizer<SGDOptions> {
  /** The per-parameter update (swappable for a fused kernel). */
  static update: typeof sgdUpdate = sgdUpdate;

  /** `lr` is required; other options default to PyTorch's. */
  constructor(
    params: ParamsInput<SGDOptions>,
    options: Partial<SGDOptions> & OptimizerOptions,
  ) {
    super(params, {
      momentum: 0,
      dampening: 0,
      nesterov: false,
      weightDecay: 0,
      maximize: false,
      ...options,
    }, "SGD");
  }

  /** Checks lr, momentum, weightDecay and the Nesterov conditions. */
  protected validate(o: SGDOptions): void {
    checkLr("SGD", o.lr);
    checkOption(o.momentum >= 0, "SGD", "momentum value", o.momentum);
    checkOption(o.weightDecay >= 0, "SGD", "weightDecay value", o.weightDecay);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new RangeError("SGD: Nesterov momentum requires a momentum and zero dampening");
    }
  }

  /** Applies `SGD.update`. */
  protected updateParam(param: Tensor, grad: Tensor, state: ParamState, group: SGDOptions): void {
    SGD.update(param, grad, state, group);
  }
}

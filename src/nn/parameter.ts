/** Parameter: the tensor subclass that marks a module field as a learnable weight. */
import { keep, retain } from "../tensor/memory.ts";
import { type Device, type DType, isFloating } from "../tensor/dtype.ts";
import { empty } from "../tensor/creation.ts";
import { Tensor } from "../tensor/tensor.ts";

/**
 * A leaf tensor that a `Module` registers as a parameter when it is assigned to a field, like
 * `torch.nn.Parameter`. It shares `data`'s storage (no copy) and requires grad by default.
 *
 * @example
 * ```ts
 * class Scale extends Module {
 *   weight = new Parameter(ones([3]));
 *   forward(x: Tensor): Tensor {
 *     return x.mul(this.weight);
 *   }
 * }
 * ```
 */
export class Parameter extends Tensor {
  /** Wraps `data` (detached: the parameter starts its own graph history). */
  constructor(data: Tensor, requiresGrad = true) {
    data.check("Parameter");
    retain(data.storage);
    super(data.storage, data.shape, data.strides, data.offset);
    if (requiresGrad && isFloating(data.dtype)) this.requiresGrad_(true);
    // Parameters are model state: a scope around model construction must not dispose them.
    keep(this);
  }

  /** A readable rendering prefixed like PyTorch's `Parameter containing:`. */
  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}

/** Whether `t` is a `Parameter`. */
export function isParameter(t: unknown): t is Parameter {
  return t instanceof Parameter;
}

/** Where and in which dtype a layer allocates its parameters (PyTorch's factory kwargs). */
export interface FactoryOptions {
  /** Device of the parameters and buffers (the default device when omitted). */
  device?: Device;
  /** Floating dtype of the parameters (default float32). */
  dtype?: DType;
}

/** An uninitialised parameter of `shape` (layers fill it in `resetParameters`). */
export function emptyParameter(shape: number[], opts: FactoryOptions = {}): Parameter {
  const t = empty(shape, { dtype: opts.dtype ?? "float32", device: opts.device });
  const p = new Parameter(t);
  t.dispose();
  return p;
}

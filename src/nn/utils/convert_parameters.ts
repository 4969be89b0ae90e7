/**
 * Parameters as one flat vector and back, like `torch.nn.utils.parameters_to_vector` /
 * `vector_to_parameters` (used by second-order methods and weight averaging).
 */
import { noGrad } from "../../autograd/grad_mode.ts";
import { fmtShape } from "../../tensor/shape.ts";
import { Tensor } from "../../tensor/tensor.ts";
import { cat } from "../../ops/join.ts";

/** Throws unless every tensor is on the first one's device (PyTorch's `_check_param_device`). */
function checkDevices(op: string, params: Tensor[]): void {
  for (const p of params) {
    if (p.device !== params[0].device) {
      throw new TypeError(
        `${op}: found two parameters on different devices (${params[0].device} and ${p.device}), ` +
          "this is currently not supported",
      );
    }
  }
}

/**
 * All `parameters` flattened and concatenated into one 1-D tensor (differentiable: gradients
 * flow back to the parameters).
 *
 * @example
 * ```ts
 * const v = parametersToVector(model.parameters()); // [model.numParameters()]
 * ```
 */
export function parametersToVector(parameters: Iterable<Tensor>): Tensor {
  const params = [...parameters];
  if (params.length === 0) {
    throw new RangeError("parametersToVector: expected at least one parameter");
  }
  checkDevices("parametersToVector", params);
  return cat(params.map((p) => p.reshape([-1])), 0);
}

/**
 * Copies consecutive slices of the 1-D `vec` into `parameters` in place (in their order),
 * the inverse of {@link parametersToVector}. `vec` must hold exactly as many elements as the
 * parameters together.
 *
 * NOTE: PyTorch rebinds each `param.data` to a view of `vec`; here values are copied, so
 * later changes to `vec` do not reach the parameters.
 */
export function vectorToParameters(vec: Tensor, parameters: Iterable<Tensor>): void {
  const op = "vectorToParameters";
  if (!(vec instanceof Tensor)) {
    throw new TypeError(`${op}: expected a Tensor, but got ${typeof vec}`);
  }
  const params = [...parameters];
  checkDevices(op, params);
  const total = params.reduce((n, p) => n + p.numel, 0);
  if (vec.ndim !== 1 || vec.numel !== total) {
    throw new RangeError(
      `${op}: expected a 1-D vector of ${total} elements (the parameters' total), got shape ${
        fmtShape(vec.shape)
      }`,
    );
  }
  if (params.length && vec.device !== params[0].device) {
    throw new TypeError(
      `${op}: vec is on ${vec.device} but the parameters are on ${params[0].device}`,
    );
  }
  noGrad(() => {
    let offset = 0;
    for (const p of params) {
      const part = vec.narrow(0, offset, p.numel);
      p.copy_(part.reshape(p.shape));
      part.dispose();
      offset += p.numel;
    }
  });
}

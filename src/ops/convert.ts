/** Copies, casts and device moves; host-side reading helpers. */
import { backendFor } from "../backend/registry.ts";
import { dataOf } from "../backend/cpu/cpu_backend.ts";
import { record } from "../autograd/function.ts";
import {
  checkDType,
  type Device,
  type DType,
  isFloating,
  type TypedArray,
} from "../tensor/dtype.ts";
import { type NestedArray, Tensor } from "../tensor/tensor.ts";
import { contiguousStrides, numelOf } from "../tensor/shape.ts";
import { emptyTensor, kernelBackend } from "./dispatch.ts";

/** A contiguous copy with the same dtype and device, not recorded by autograd. */
export function contiguousCopy(t: Tensor, dtype: DType = t.dtype): Tensor {
  const b = kernelBackend("contiguous", dtype, t);
  const out = emptyTensor(t.shape, dtype, t.device);
  if (out.numel) b.unary("copy", t, out);
  return out;
}

/** Values of a CPU tensor as a fresh contiguous array. */
export function readCpu(t: Tensor): TypedArray {
  const c = t.isContiguous() ? t : contiguousCopy(t);
  const d = dataOf(c.storage).slice(c.offset, c.offset + numelOf(c.shape));
  if (c !== t) c.dispose();
  return d;
}

/** Turns a flat array into nested arrays of `shape`. */
export function nest(data: TypedArray, shape: readonly number[], asBool: boolean): NestedArray {
  let pos = 0;
  const build = (d: number): NestedArray => {
    if (d === shape.length) {
      const v = data[pos++];
      return asBool ? v !== 0 : v;
    }
    const arr: NestedArray[] = [];
    for (let i = 0; i < shape[d]; i++) arr.push(build(d + 1));
    return arr;
  };
  return build(0);
}

/** A tensor of ones with the shape, dtype and device of `t`. */
export function onesLike(t: Tensor): Tensor {
  const out = emptyTensor(t.shape, t.dtype, t.device);
  backendFor(t.device).fill(out, 1);
  return out;
}

/** A contiguous copy that autograd sees as identity. */
export function clone(t: Tensor): Tensor {
  const out = contiguousCopy(t);
  return record(out, "CloneBackward", [t], [], (g) => [g]);
}

/** `t` itself when contiguous (a new handle), else a copy. */
export function contiguous(t: Tensor): Tensor {
  if (t.isContiguous()) return t.alias();
  return clone(t);
}

function castTo(t: Tensor, dtype: DType): Tensor {
  if (dtype === t.dtype) return t.alias();
  const out = contiguousCopy(t, dtype);
  if (!isFloating(dtype)) return out;
  return record(out, "ToCopyBackward", [t], [], (g) => [g.to(t.dtype)]);
}

function moveTo(t: Tensor, device: Device): Tensor {
  if (device === t.device) return t.alias();
  t.check("to");
  if (t.device !== "cpu") {
    throw new Error(
      `to: moving a ${t.device} tensor to ${device} needs a readback, which is asynchronous; ` +
        `use \`await t.toAsync("${device}")\``,
    );
  }
  if (device === "webgpu" && t.dtype === "float64") {
    throw new TypeError(
      "to: float64 is not supported on webgpu (WGSL has no f64); cast with .float() first",
    );
  }
  const s = backendFor(device).fromArray(readCpu(t), t.dtype);
  const out = new Tensor(s, t.shape, contiguousStrides(t.shape), 0);
  return record(out, "ToCopyBackward", [t], [], () => {
    throw new Error(
      `ToCopyBackward: gradients cannot flow back from ${device} to a cpu tensor synchronously; ` +
        "create the tensors that require grad on the device (e.g. model.to(device))",
    );
  });
}

/** Copies to any device, reading back asynchronously when the source is not the CPU. */
export async function toAsync(t: Tensor, device: Device): Promise<Tensor> {
  if (device === t.device) return t.alias();
  if (t.device === "cpu") return moveTo(t, device);
  const data = await t.toArray();
  const s = backendFor(device).fromArray(data, t.dtype);
  return new Tensor(s, t.shape, contiguousStrides(t.shape), 0);
}

/** `to(device | dtype)`. */
export function to(t: Tensor, target: Device | DType): Tensor {
  if (target === "cpu" || target === "webgpu") return moveTo(t, target);
  return castTo(t, checkDType("to", target));
}

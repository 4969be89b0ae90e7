/** Helpers shared by every op: device checks, output allocation, broadcast views. */
import type { Backend, Strided } from "../backend/backend.ts";
import { backendFor } from "../backend/registry.ts";
import { type Device, type DType, isFloating } from "../tensor/dtype.ts";
import { noteAlloc, noteKernel } from "../autograd/create_graph.ts";
import { contiguousStrides, fmtShape, numelOf } from "../tensor/shape.ts";
import { Tensor } from "../tensor/tensor.ts";

function deviceOf(op: string, ts: Tensor[]): Device {
  const dev = ts[0].check(op).device;
  for (const t of ts) {
    t.check(op);
    if (t.device !== dev) {
      throw new Error(
        `${op}: expected all tensors to be on the same device, but found ` +
          ts.map((x) => `${x.device} (shape ${fmtShape(x.shape)})`).join(" and "),
      );
    }
  }
  return dev;
}

/**
 * Checks that all tensors are live and on one device; returns that device's backend. Every
 * kernel launch goes through here (or `kernelBackend`), which lets createGraph spot gradient
 * formulas that bypass autograd.
 */
export function backendOf(op: string, ...ts: Tensor[]): Backend {
  const dev = deviceOf(op, ts);
  noteKernel(op, ts);
  return backendFor(dev);
}

/**
 * `backendOf` for a kernel whose result has dtype `outDtype`: a bool or integer result (a
 * comparison, an argmax) carries no gradient, so it reads tensors outside autograd legitimately.
 */
export function kernelBackend(op: string, outDtype: DType, ...ts: Tensor[]): Backend {
  const dev = deviceOf(op, ts);
  if (isFloating(outDtype)) noteKernel(op, ts);
  return backendFor(dev);
}

/** A new contiguous tensor with uninitialised contents. */
export function emptyTensor(shape: readonly number[], dtype: DType, device: Device): Tensor {
  const s = backendFor(device).alloc(dtype, numelOf(shape));
  noteAlloc(s);
  return new Tensor(s, shape, contiguousStrides(shape), 0);
}

/** A 0-d tensor holding `value`. */
export function scalarTensor(value: number, dtype: DType, device: Device): Tensor {
  const t = emptyTensor([], dtype, device);
  backendFor(device).fill(t, value);
  return t;
}

/** `t` seen with `shape` by broadcasting (stride 0 on expanded dims); no copy, no handle. */
export function broadcastView(t: Strided, shape: readonly number[]): Strided {
  const nd = shape.length, off = nd - t.shape.length;
  const strides = shape.map((s, i) => {
    if (i < off) return 0;
    const d = t.shape[i - off];
    return d === s ? t.strides[i - off] : 0;
  });
  return { storage: t.storage, shape, strides, offset: t.offset };
}

/** A new contiguous tensor filled with `value`. */
export function filledTensor(
  shape: readonly number[],
  value: number,
  dtype: DType,
  device: Device,
): Tensor {
  const t = emptyTensor(shape, dtype, device);
  if (t.numel) backendFor(device).fill(t, value);
  return t;
}

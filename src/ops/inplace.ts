/** In-place ops with PyTorch's rules: no in-place on leaves that require grad while recording. */
import { isGradEnabled } from "../autograd/grad_mode.ts";
import { Node } from "../autograd/node.ts";
import { coverKernels } from "../autograd/create_graph.ts";
import { broadcastShapes, fmtShape } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { backendOf, broadcastView } from "./dispatch.ts";
import { clone, to } from "./convert.ts";
import { add, canCast, mul } from "./elementwise.ts";
import { expand } from "./view.ts";

function checkLeaf(t: Tensor, op: string): void {
  if (isGradEnabled() && t.requiresGrad && t.isLeaf) {
    throw new Error(
      `${op}: a leaf tensor that requires grad (shape ${fmtShape(t.shape)}) is being used in an ` +
        "in-place operation; wrap the update in noGrad() or use an out-of-place op",
    );
  }
}

/**
 * Refuses to write through a view whose elements share memory (a stride-0 dim of size > 1, as
 * `expand` makes), as PyTorch does; fill_ and zero_ are allowed, as there.
 */
function checkNoOverlap(t: Tensor, op: string): void {
  if (t.shape.some((n, i) => n > 1 && t.strides[i] === 0)) {
    throw new Error(
      `${op}: unsupported operation: more than one element of the written-to tensor (shape ` +
        `${fmtShape(t.shape)}, strides ${fmtShape(t.strides)}) refers to a single memory ` +
        "location; clone() the tensor first",
    );
  }
}

/** Writes r's values into t and hands t r's history (when r has one). */
function commit<T extends Tensor>(t: T, result: Tensor, op: string): T {
  let r = result;
  if (r.shape.join() !== t.shape.join()) {
    throw new RangeError(
      `${op}: output with shape ${fmtShape(t.shape)} doesn't match the broadcast shape ${
        fmtShape(r.shape)
      }`,
    );
  }
  if (!canCast(r.dtype, t.dtype)) {
    throw new TypeError(
      `${op}: result type ${r.dtype} can't be cast to the desired output type ${t.dtype}`,
    );
  }
  if (r.dtype !== t.dtype) {
    // NOTE: same-category results (float32.add_(float64)) are cast back, as PyTorch does.
    const c = to(r, t.dtype);
    r.dispose();
    r = c;
  }
  if (r.requiresGrad && t.base !== null && t.base.requiresGrad) {
    throw new Error(
      `${op}: in-place operations on views of tensors that require grad are not supported`,
    );
  }
  if (r.numel) backendOf(op, t, r).unary("copy", r, t);
  // The copy hands r's history to t: a recorded step as far as createGraph is concerned.
  coverKernels([t, r], t);
  t.storage.version++;
  if (r.requiresGrad && r.gradFn) t.setGradFn(r.gradFn);
  r.dispose();
  return t;
}

/** Computes `fn(t)` out of place and stores it into t. */
export function inplace<T extends Tensor>(t: T, op: string, fn: (x: Tensor) => Tensor): T {
  t.check(op);
  checkLeaf(t, op);
  checkNoOverlap(t, op);
  if (!isGradEnabled()) return commit(t, fn(t), op);
  // NOTE: the formula may save `t` (mul_, div_ by a tensor); saving t itself would trip the
  // version check once commit overwrites it, so it reads a copy of the old value (PyTorch saves
  // the original self too). CloneBackward keeps the gradient path to t's history.
  const old = clone(t);
  const r = fn(old);
  old.dispose();
  return commit(t, r, op);
}

/** Fills t with `value`. */
export function fill_<T extends Tensor>(t: T, value: number): T {
  t.check("fill_");
  checkLeaf(t, "fill_");
  if (t.numel) backendOf("fill_", t).fill(t, value);
  t.storage.version++;
  if (isGradEnabled() && !t.isLeaf) {
    // The old values no longer matter: their history receives a zero gradient, as in PyTorch.
    t.setGradFn(new Node("FillBackward", [t.gradFn], [], (g) => [mul(g, 0)]));
  }
  return t;
}

/** Copies src into t with broadcasting, casting and (host to device) moves. */
export function copy_<T extends Tensor>(t: T, src: Tensor): T {
  t.check("copy_");
  src.check("copy_");
  checkLeaf(t, "copy_");
  checkNoOverlap(t, "copy_");
  const b = broadcastShapes("copy_", t.shape, src.shape);
  if (b.length !== t.ndim || b.some((n, i) => n !== t.shape[i])) {
    throw new RangeError(
      `copy_: output with shape ${fmtShape(t.shape)} doesn't match the broadcast shape ${
        fmtShape(b)
      } (source shape ${fmtShape(src.shape)})`,
    );
  }
  let s = src;
  // NOTE: cast before a host-to-device move: float64 cannot exist on webgpu even briefly.
  if (s.dtype !== t.dtype && s.device === "cpu") s = to(s, t.dtype);
  if (s.device !== t.device) {
    const m = to(s, t.device);
    if (s !== src) s.dispose();
    s = m;
  }
  if (s.dtype !== t.dtype) {
    const c = to(s, t.dtype);
    if (s !== src) s.dispose();
    s = c;
  }
  if (isGradEnabled() && (s.requiresGrad || t.requiresGrad)) {
    // Autograd sees t_new = 0 * t_old + broadcast(src): zero grad to t, summed grad to src.
    const e = expand(s, t.shape);
    const r = add(mul(t, 0), e);
    e.dispose();
    if (s !== src) s.dispose();
    return commit(t, r, "copy_");
  }
  if (t.numel) backendOf("copy_", t, s).unary("copy", broadcastView(s, t.shape), t);
  t.storage.version++;
  if (s !== src) s.dispose();
  return t;
}

/**
 * torch.nn.functional.pad: constant padding writes the input into a filled tensor (negative
 * pads crop); reflect, replicate and circular padding gather rows by a host-built index per
 * padded dim, so their gradient is the gather's scatter-add and needs no formula of its own.
 */
import { record } from "../autograd/function.ts";
import { tensor } from "../tensor/creation.ts";
import { scope } from "../tensor/memory.ts";
import { fmtShape } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { backendOf, filledTensor } from "./dispatch.ts";
import { indexSelect } from "./index.ts";
import { narrow } from "./view.ts";

/** Padding modes of `pad`. */
export type PadMode = "constant" | "reflect" | "replicate" | "circular";

function constantPad(x: Tensor, pads: [number, number][], value: number): Tensor {
  const nd = x.ndim;
  // Negative pads crop first (a view), then the positive ones are written around the rest.
  let v = x;
  const owned: Tensor[] = [];
  pads.forEach(([l, r], i) => {
    const d = nd - 1 - i;
    if (l >= 0 && r >= 0) return;
    const cl = Math.max(-l, 0), cr = Math.max(-r, 0);
    if (cl + cr > v.shape[d]) {
      throw new RangeError(
        `pad: cropping ${cl + cr} elements from dim ${d} of size ${v.shape[d]} leaves nothing`,
      );
    }
    v = narrow(v, d, cl, v.shape[d] - cl - cr);
    owned.push(v);
  });
  const before = x.shape.map(() => 0);
  const shape = [...v.shape];
  pads.forEach(([l, r], i) => {
    const d = nd - 1 - i;
    before[d] = Math.max(l, 0);
    shape[d] += Math.max(l, 0) + Math.max(r, 0);
  });
  const out = filledTensor(shape, value, v.dtype, v.device);
  let offset = 0;
  before.forEach((b, d) => (offset += b * out.strides[d]));
  if (v.numel) {
    backendOf("pad", v).unary("copy", v, {
      storage: out.storage,
      shape: v.shape,
      strides: out.strides,
      offset,
    });
  }
  const inner = v.shape;
  const res = record(out, "ConstantPadBackward", [v], [], (g) => {
    let s = g;
    before.forEach((b, d) => {
      if (shape[d] !== inner[d]) s = narrow(s, d, b, inner[d]);
    });
    return [s];
  });
  for (const t of owned) t.dispose();
  return res;
}

function sourceIndex(mode: PadMode, n: number, l: number, r: number, d: number): Int32Array {
  const idx = new Int32Array(n + l + r);
  for (let o = 0; o < idx.length; o++) {
    const i = o - l;
    let s: number;
    if (mode === "replicate") s = Math.min(Math.max(i, 0), n - 1);
    else if (mode === "circular") s = ((i % n) + n) % n;
    else {
      // reflect without repeating the edge: -1 → 1, n → n - 2
      const period = 2 * (n - 1);
      const m = period === 0 ? 0 : ((i % period) + period) % period;
      s = m < n ? m : period - m;
    }
    idx[o] = s;
  }
  if (mode === "reflect" && (l >= n || r >= n)) {
    throw new RangeError(
      `pad: padding (${l}, ${r}) should be less than the size (${n}) of dim ${d} in reflect mode`,
    );
  }
  if (mode === "circular" && (l > n || r > n)) {
    throw new RangeError(
      `pad: padding (${l}, ${r}) should be at most the size (${n}) of dim ${d} in circular mode`,
    );
  }
  return idx;
}

/**
 * Pads the trailing dims of `x`: `pads` lists (before, after) pairs starting from the last dim,
 * as in PyTorch: `[left, right, top, bottom, ...]`.
 *
 * @example
 * ```ts
 * const y = pad(randn([1, 3, 4, 4]), [1, 1, 2, 2], "reflect"); // [1, 3, 8, 6]
 * ```
 */
export function pad(x: Tensor, pads: number[], mode: PadMode = "constant", value = 0): Tensor {
  x.check("pad");
  if (pads.length % 2 !== 0 || pads.length / 2 > x.ndim) {
    throw new RangeError(
      `pad: padding length must be even and at most twice the number of dims (got ${pads.length} for input ${
        fmtShape(x.shape)
      })`,
    );
  }
  if (!pads.every(Number.isInteger)) {
    throw new RangeError(`pad: pads must be integers (got ${JSON.stringify(pads)})`);
  }
  const pairs: [number, number][] = [];
  for (let i = 0; i < pads.length; i += 2) pairs.push([pads[i], pads[i + 1]]);
  if (mode === "constant") return constantPad(x, pairs, value);
  if (mode !== "reflect" && mode !== "replicate" && mode !== "circular") {
    throw new RangeError(
      `pad: unknown mode "${mode}"; expected constant, reflect, replicate or circular`,
    );
  }
  if (pairs.some(([l, r]) => l < 0 || r < 0)) {
    throw new RangeError(`pad: negative padding is only supported in constant mode`);
  }
  return scope(() => {
    let y = x;
    pairs.forEach(([l, r], i) => {
      if (l === 0 && r === 0) return;
      const d = x.ndim - 1 - i;
      if (x.shape[d] === 0) {
        throw new RangeError(`pad: cannot pad an empty dim ${d} in ${mode} mode`);
      }
      const idx = tensor(sourceIndex(mode, x.shape[d], l, r, d), { device: x.device });
      y = indexSelect(y, d, idx);
    });
    return y === x ? narrow(x, 0, 0, x.shape[0]) : y;
  });
}

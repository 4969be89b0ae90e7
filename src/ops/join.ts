/** Joining and splitting: cat, stack, split, chunk, unbind, repeat. */
import { record } from "../autograd/function.ts";
import { promoteTypes } from "../tensor/dtype.ts";
import { fmtShape, normDim } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { backendOf, emptyTensor } from "./dispatch.ts";
import { to } from "./convert.ts";
import { expand, narrow, reshape, select, unsqueeze } from "./view.ts";

/** Concatenates along an existing dim. */
export function cat(tensors: Tensor[], dim = 0): Tensor {
  if (!tensors.length) throw new RangeError("cat: expected a non-empty list of tensors");
  const b = backendOf("cat", ...tensors);
  const zeroDim = tensors.findIndex((t) => t.ndim === 0);
  if (zeroDim >= 0) {
    throw new RangeError(`cat: zero-dim tensor (at position ${zeroDim}) cannot be concatenated`);
  }
  // PyTorch skips 1-D empty tensors in cat (legacy behaviour).
  const parts = tensors.filter((t) => !(t.ndim === 1 && t.numel === 0));
  if (!parts.length) return tensors[0].clone();
  const ref = parts[0];
  const d = normDim("cat", dim, ref.ndim);
  for (const t of parts) {
    if (t.ndim !== ref.ndim || t.shape.some((s, i) => i !== d && s !== ref.shape[i])) {
      throw new RangeError(
        `cat: sizes of tensors must match except in dim ${d} (got ${
          parts.map((p) => fmtShape(p.shape)).join(", ")
        })`,
      );
    }
  }
  // The skipped empties still take part in type promotion, as in PyTorch.
  const dtype = tensors.map((t) => t.dtype).reduce(promoteTypes);
  const shape = [...ref.shape];
  shape[d] = parts.reduce((s, t) => s + t.shape[d], 0);
  const out = emptyTensor(shape, dtype, ref.device);
  let at = 0;
  const sizes: number[] = [];
  for (const t of parts) {
    if (t.numel) {
      b.unary("copy", t, {
        storage: out.storage,
        shape: t.shape,
        strides: out.strides,
        offset: at * out.strides[d],
      });
    }
    sizes.push(t.shape[d]);
    at += t.shape[d];
  }
  return record(out, "CatBackward", parts, [], (g) => {
    let s = 0;
    return sizes.map((n, i) => {
      const part = narrow(g, d, s, n);
      s += n;
      return parts[i].dtype === g.dtype ? part : to(part, parts[i].dtype);
    });
  });
}

/** Stacks along a new dim. */
export function stack(tensors: Tensor[], dim = 0): Tensor {
  if (!tensors.length) throw new RangeError("stack: expected a non-empty list of tensors");
  const ref = tensors[0];
  for (const t of tensors) {
    if (t.shape.join() !== ref.shape.join()) {
      throw new RangeError(
        `stack: expects each tensor to be equal size, but got ${fmtShape(ref.shape)} and ${
          fmtShape(t.shape)
        }`,
      );
    }
  }
  const d = normDim("stack", dim, ref.ndim + 1);
  const us = tensors.map((t) => unsqueeze(t, d));
  const out = cat(us, d);
  for (const u of us) u.dispose();
  return out;
}

/** Splits into pieces of `size` (the last may be smaller) or of the listed sizes. */
export function split(x: Tensor, size: number | number[], dim = 0): Tensor[] {
  const d = normDim("split", dim, x.ndim);
  const n = x.shape[d];
  let sizes: number[];
  if (Array.isArray(size)) {
    if (size.reduce((a, b) => a + b, 0) !== n) {
      throw new RangeError(
        `split: sizes ${fmtShape(size)} must sum to the size of dim ${d} (${n})`,
      );
    }
    sizes = size;
  } else {
    if (!(size > 0)) throw new RangeError(`split: split size must be positive (got ${size})`);
    sizes = [];
    for (let s = 0; s < n; s += size) sizes.push(Math.min(size, n - s));
    if (!sizes.length) sizes.push(0);
  }
  let at = 0;
  return sizes.map((len) => {
    const part = narrow(x, d, at, len);
    at += len;
    return part;
  });
}

/** Splits into `chunks` pieces of size ceil(n / chunks). */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  if (!(chunks > 0)) {
    throw new RangeError(`chunk: number of chunks must be positive (got ${chunks})`);
  }
  const n = x.shape[normDim("chunk", dim, x.ndim)];
  return split(x, Math.max(1, Math.ceil(n / chunks)), dim);
}

/** The slices along `dim`, each without that dim. */
export function unbind(x: Tensor, dim = 0): Tensor[] {
  if (x.ndim === 0) {
    throw new RangeError(`unbind: dim ${dim} specified, but a 0-dim tensor has no dims`);
  }
  const d = normDim("unbind", dim, x.ndim);
  return Array.from({ length: x.shape[d] }, (_, i) => select(x, d, i));
}

/** Tiles x: repeats[i] copies along dim i (leading extra repeats add dims). */
export function repeat(x: Tensor, repeats: number[]): Tensor {
  if (repeats.length < x.ndim) {
    throw new RangeError(
      `repeat: number of repeat dims (${repeats.length}) can not be smaller than number of tensor dims (${x.ndim})`,
    );
  }
  const shape = [...new Array(repeats.length - x.ndim).fill(1), ...x.shape];
  const inter: number[] = [], tiled: number[] = [], final: number[] = [];
  shape.forEach((s, i) => {
    inter.push(1, s);
    tiled.push(repeats[i], s);
    final.push(repeats[i] * s);
  });
  const v = reshape(x, inter);
  const e = expand(v, tiled);
  const out = reshape(e, final);
  v.dispose();
  e.dispose();
  return out;
}

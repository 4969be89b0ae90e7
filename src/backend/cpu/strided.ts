/** Element offsets of strided views, the one indexing helper every CPU kernel uses. */
import type { Strided } from "../backend.ts";
import { numelOf } from "../../tensor/shape.ts";

/** Storage offsets of every element of `v` in row-major order. */
export function offsets(v: Strided): Int32Array {
  const n = numelOf(v.shape);
  const out = new Int32Array(n);
  const nd = v.shape.length;
  if (n === 0) return out;
  const idx = new Array<number>(nd).fill(0);
  let off = v.offset;
  for (let i = 0; i < n; i++) {
    out[i] = off;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      off += v.strides[d];
      if (idx[d] < v.shape[d]) break;
      off -= v.strides[d] * v.shape[d];
      idx[d] = 0;
    }
  }
  return out;
}

/** Whether `v` covers its elements densely in order, so offset + i addresses element i. */
export function isDense(v: Strided): boolean {
  let expected = 1;
  for (let i = v.shape.length - 1; i >= 0; i--) {
    if (v.shape[i] === 1) continue;
    if (v.strides[i] !== expected) return false;
    expected *= v.shape[i];
  }
  return true;
}

/** An index function for `v`: dense views skip the offset table. */
export function indexer(v: Strided): (i: number) => number {
  if (isDense(v)) {
    const o = v.offset;
    return (i) => o + i;
  }
  const table = offsets(v);
  return (i) => table[i];
}

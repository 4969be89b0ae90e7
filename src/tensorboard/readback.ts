/**
 * Reads many tensors back with as few device round trips as possible: tensors sharing a
 * device and dtype are flattened and concatenated on the device, read once, and split on
 * the host. On WebGPU this turns N scalar logs into one buffer map per flush.
 */
import type { Tensor } from "../tensor/tensor.ts";
import type { TypedArray } from "../tensor/dtype.ts";
import { cat } from "../ops/join.ts";
import { scope } from "../tensor/memory.ts";

/** Returns each tensor's values (contiguous), in the order given. */
export async function readBatch(tensors: Tensor[]): Promise<TypedArray[]> {
  const out = new Array<TypedArray>(tensors.length);
  const groups = new Map<string, number[]>();
  tensors.forEach((t, i) => {
    const k = `${t.device}/${t.dtype}`;
    const g = groups.get(k) ?? [];
    g.push(i);
    groups.set(k, g);
  });
  await Promise.all([...groups.values()].map(async (idx) => {
    if (idx.length === 1) {
      out[idx[0]] = await tensors[idx[0]].toArray();
      return;
    }
    const joined = scope(() => cat(idx.map((i) => tensors[i].reshape(-1)), 0));
    try {
      const all = await joined.toArray();
      let p = 0;
      for (const i of idx) {
        const n = tensors[i].numel;
        out[i] = all.slice(p, p + n);
        p += n;
      }
    } finally {
      joined.dispose();
    }
  }));
  return out;
}

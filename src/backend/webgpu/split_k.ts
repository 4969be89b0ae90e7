/**
 * Split-K products: a long reduction dim is cut into S chunks whose partial products land in a
 * temporary [S, n] buffer, then one small kernel adds them in chunk order. Used where one
 * invocation's loop would otherwise run past the adapter's loop budget (device.ts) or where a
 * short, wide product needs more parallel work (the convolution weight gradient).
 */
import type { Storage } from "../backend.ts";
import { begin, dispatch, U } from "./encoder.ts";
import { kernel } from "./pipeline_cache.ts";
import { bufOf } from "./storage.ts";

/** Allocator for the partial products (the backend's pooled storage). */
export interface TempAlloc {
  /** A float32 storage of `length` elements. */
  alloc(dtype: "float32", length: number): Storage;
  /** Returns a storage from `alloc`. */
  free(s: Storage): void;
}

const SUM_SRC = `
struct Params { n: u32, S: u32, }
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> O: array<f32>;
@group(0) @binding(2) var<storage, read_write> X: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= P.n) { return; }
  var s = 0.0;
  for (var k = 0u; k < P.S; k++) { s += X[k * P.n + i]; }
  O[i] = s;
}
`;

/** out[i] = Σ_s part[s·n + i] over the S partial products (`op` names the public op). */
export function sumPartials(op: string, n: number, S: number, out: Storage, part: Storage): void {
  const k = kernel("split_k:sum", 2, () => SUM_SRC);
  const base = begin();
  U.u32[base] = n;
  U.u32[base + 1] = S;
  dispatch(op, k, [bufOf(out), bufOf(part)], Math.ceil(n / 64));
}

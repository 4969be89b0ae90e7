/** Host-side geometry shared by the kernel families: dim coalescing, dispatch grids, dtypes. */
import type { DType } from "../../tensor/dtype.ts";
import { gpu } from "./device.ts";

/** Most dims a kernel's uniform block holds (after coalescing, which rarely leaves more than 3). */
export const MAX_DIMS = 8;

/** A shape with one stride list per operand. */
export interface Coalesced {
  /** Merged shape. */
  shape: number[];
  /** Merged strides, one list per operand. */
  strides: number[][];
}

/**
 * Drops size-1 dims and merges neighbours that are contiguous in every operand, so most views
 * become 1-D (the contiguous fast path) and the strided path divides less.
 */
export function coalesce(shape: readonly number[], strides: (readonly number[])[]): Coalesced {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const s = shape[d];
    if (s === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((st, k) => outStrides[k][last] === st[d] * s)) {
      outShape[last] *= s;
      for (let k = 0; k < strides.length; k++) outStrides[k][last] = strides[k][d];
    } else {
      outShape.push(s);
      for (let k = 0; k < strides.length; k++) outStrides[k].push(strides[k][d]);
    }
  }
  return { shape: outShape, strides: outStrides };
}

/** Whether a coalesced layout is plain contiguous in every operand. */
export function isFlat(c: Coalesced): boolean {
  return c.shape.length === 0 || (c.shape.length === 1 && c.strides.every((s) => s[0] === 1));
}

/** Throws when a layout has more dims than the kernels' uniform block holds. */
export function checkDims(op: string, c: Coalesced): void {
  if (c.shape.length > MAX_DIMS) {
    throw new RangeError(
      `${op}: webgpu kernels support views with at most ${MAX_DIMS} non-mergeable dims ` +
        `(got ${c.shape.length}); call .contiguous() first`,
    );
  }
}

/** A 2-D workgroup grid covering `groups` workgroups within the per-dimension limit. */
export function grid(op: string, groups: number): [number, number] {
  const max = gpu().maxGroups;
  if (groups <= max) return [Math.max(groups, 1), 1];
  const y = Math.ceil(groups / max);
  if (y > max) throw new RangeError(`${op}: tensor too large for one webgpu dispatch`);
  return [Math.ceil(groups / y), y];
}

/** WGSL storage type of a dtype: bool is one u32 per element (0/1). */
export function wgslType(dtype: DType): "f32" | "i32" | "u32" {
  if (dtype === "float32") return "f32";
  if (dtype === "int32") return "i32";
  if (dtype === "bool") return "u32";
  throw new TypeError(`webgpu: dtype ${dtype} is not supported (WGSL has no f64); use float32`);
}

/** Compute kind used inside kernels: f32 for float32, i32 for int32 and bool. */
export function computeKind(dtype: DType): "f" | "i" {
  return dtype === "float32" ? "f" : "i";
}

/** Writes up to 8 numbers as two vec4<u32> at word `at`. */
export function putVec8(u32: Uint32Array, at: number, v: readonly number[]): void {
  for (let i = 0; i < v.length; i++) u32[at + i] = v[i];
}

/**
 * Host-side tensors as the file formats see them (dtype + shape + contiguous values), and the
 * conversions from file dtypes to ours: float16/bfloat16 widen to float32, small integers
 * widen to int32, int64 narrows to int32 with a range check (never a silent wrap-around).
 */
import type { DType, TypedArray } from "../tensor/dtype.ts";
import { numelOf } from "../tensor/shape.ts";

/** A contiguous host tensor read from or about to be written to a file. */
export class RawTensor {
  /**
   * @param dtype element type of `data`
   * @param shape dimensions (`[]` for a scalar)
   * @param data contiguous row-major values
   * @param device the device the tensor lived on when saved, if known
   */
  constructor(
    readonly dtype: DType,
    readonly shape: number[],
    readonly data: TypedArray,
    readonly device?: string,
  ) {
    const n = numelOf(shape);
    if (n !== data.length) {
      throw new Error(`RawTensor: shape [${shape}] needs ${n} values, got ${data.length}`);
    }
  }
}

/** Element types found in PyTorch and safetensors files. */
export type SourceDType =
  | "float64"
  | "float32"
  | "float16"
  | "bfloat16"
  | "int64"
  | "int32"
  | "int16"
  | "int8"
  | "uint8"
  | "bool";

/** Bytes per element of each source dtype. */
export const SOURCE_ITEMSIZE: Record<SourceDType, number> = {
  float64: 8,
  float32: 4,
  float16: 2,
  bfloat16: 2,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

/** The dtype a source dtype is loaded as. */
export function loadedDType(src: SourceDType): DType {
  switch (src) {
    case "float64":
      return "float64";
    case "float32":
    case "float16":
    case "bfloat16":
      return "float32";
    case "bool":
      return "bool";
    default:
      return "int32";
  }
}

/** Decodes an IEEE half-precision value. */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/**
 * Reads `count` elements of type `src` from `bytes` (little-endian) into a new array of the
 * loaded dtype. `index(i)` gives the element index in `bytes` of output element i (strided
 * views); omitted means contiguous. `what` names the tensor in range errors.
 */
export function decodeElements(
  bytes: Uint8Array,
  src: SourceDType,
  count: number,
  what: string,
  index?: (i: number) => number,
): TypedArray {
  const size = SOURCE_ITEMSIZE[src];
  const dst = loadedDType(src);
  // Fast path: contiguous data already in our layout is a plain copy.
  if (!index && src === dst) {
    const copy = bytes.slice(0, count * size);
    if (copy.length !== count * size) throw new Error(`${what}: not enough data`);
    switch (dst) {
      case "float32":
        return new Float32Array(copy.buffer);
      case "float64":
        return new Float64Array(copy.buffer);
      case "int32":
        return new Int32Array(copy.buffer);
      case "bool":
        return copy.map((b) => (b ? 1 : 0));
    }
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = (i: number): number => {
    const off = (index ? index(i) : i) * size;
    if (off < 0 || off + size > bytes.byteLength) {
      throw new Error(`${what}: element ${i} lies outside its storage (corrupted file)`);
    }
    return off;
  };
  switch (src) {
    case "float64": {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = dv.getFloat64(at(i), true);
      return out;
    }
    case "float32": {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = dv.getFloat32(at(i), true);
      return out;
    }
    case "float16": {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = halfToFloat(dv.getUint16(at(i), true));
      return out;
    }
    case "bfloat16": {
      // bfloat16 is the top half of a float32.
      const out = new Float32Array(count);
      const u = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) u[i] = dv.getUint16(at(i), true) << 16;
      return out;
    }
    case "int64": {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const v = dv.getBigInt64(at(i), true);
        if (v > 2147483647n || v < -2147483648n) {
          throw new RangeError(
            `${what}: int64 value ${v} does not fit int32 (denotorch stores integers as int32)`,
          );
        }
        out[i] = Number(v);
      }
      return out;
    }
    case "int32": {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = dv.getInt32(at(i), true);
      return out;
    }
    case "int16": {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = dv.getInt16(at(i), true);
      return out;
    }
    case "int8": {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = dv.getInt8(at(i));
      return out;
    }
    case "uint8": {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = dv.getUint8(at(i));
      return out;
    }
    case "bool": {
      const out = new Uint8Array(count);
      for (let i = 0; i < count; i++) out[i] = dv.getUint8(at(i)) ? 1 : 0;
      return out;
    }
  }
}

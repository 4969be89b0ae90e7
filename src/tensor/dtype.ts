/** Element types a tensor can hold. `int32` stands in for PyTorch's int64 index type. */
export type DType = "float32" | "float64" | "int32" | "bool";

/** Devices a tensor can live on. */
export type Device = "cpu" | "webgpu";

/** The typed arrays that back tensors on the host, one per dtype. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

const ORDER: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** Allocates a zeroed host array of `n` elements for `dtype`. */
export function allocArray(dtype: DType, n: number): TypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(n);
    case "float64":
      return new Float64Array(n);
    case "int32":
      return new Int32Array(n);
    case "bool":
      return new Uint8Array(n);
  }
}

/** The dtype a typed array maps to by default. */
export function dtypeOfArray(a: TypedArray): DType {
  if (a instanceof Float32Array) return "float32";
  if (a instanceof Float64Array) return "float64";
  if (a instanceof Int32Array) return "int32";
  return "bool";
}

/** Whether `dtype` is a floating-point type (the only ones that can require grad). */
export function isFloating(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float64";
}

/** PyTorch's type promotion restricted to our dtypes: bool < int32 < float32 < float64. */
export function promoteTypes(a: DType, b: DType): DType {
  return ORDER[a] >= ORDER[b] ? a : b;
}

/** Bytes per element as stored on the host. */
export function itemSize(dtype: DType): number {
  return dtype === "float64" ? 8 : dtype === "bool" ? 1 : 4;
}

/** Validates a dtype string coming from user code. */
export function checkDType(op: string, dtype: string): DType {
  if (dtype in ORDER) return dtype as DType;
  throw new TypeError(`${op}: unknown dtype "${dtype}"; expected float32, float64, int32 or bool`);
}

/**
 * Reads checkpoints written by PyTorch's `torch.save` (the zip format: `<archive>/data.pkl`
 * plus one raw little-endian file per storage under `<archive>/data/<key>`). Tensors become
 * {@link RawTensor}s (views resolved through their offset and strides), dicts become plain
 * objects, tuples and lists become arrays.
 */
import { PyGlobal, unpickle } from "./pickle.ts";
import {
  decodeElements,
  halfToFloat,
  loadedDType,
  RawTensor,
  SOURCE_ITEMSIZE,
  type SourceDType,
} from "./raw.ts";
import { readZip, type ZipArchive } from "./zip.ts";
import { numelOf } from "../tensor/shape.ts";

/** Values a PyTorch checkpoint decodes to. */
export type TorchValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | RawTensor
  | TorchValue[]
  | { [key: string]: TorchValue };

const STORAGE_TYPES: Record<string, SourceDType> = {
  FloatStorage: "float32",
  DoubleStorage: "float64",
  HalfStorage: "float16",
  BFloat16Storage: "bfloat16",
  LongStorage: "int64",
  IntStorage: "int32",
  ShortStorage: "int16",
  CharStorage: "int8",
  ByteStorage: "uint8",
  BoolStorage: "bool",
};

class StorageRef {
  constructor(
    readonly dtype: SourceDType,
    readonly key: string,
    readonly location: string,
    readonly bytes: () => Uint8Array,
  ) {}
}

class TensorRef {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
  ) {}
}

function intList(v: unknown, what: string): number[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === "number" && Number.isInteger(x))) {
    throw new Error(`torch.load: ${what} is not a tuple of ints`);
  }
  return v as number[];
}

function rebuildTensor(args: unknown[]): TensorRef {
  const [storage, offset, size, stride] = args;
  if (!(storage instanceof StorageRef)) {
    throw new Error("torch.load: _rebuild_tensor_v2 expects a storage as first argument");
  }
  if (typeof offset !== "number") throw new Error("torch.load: bad storage offset");
  return new TensorRef(storage, offset, intList(size, "size"), intList(stride, "stride"));
}

function rebuildParameter(args: unknown[]): unknown {
  if (!(args[0] instanceof TensorRef)) throw new Error("torch.load: Parameter without tensor");
  return args[0];
}

class NumpyDType {
  constructor(readonly code: string) {}
}

/** numpy scalars (e.g. a loss saved as np.float64) pickle as (dtype, raw little-endian bytes). */
function numpyScalar(args: unknown[]): number | bigint | boolean {
  const [dt, raw] = args;
  if (!(dt instanceof NumpyDType) || !(raw instanceof Uint8Array)) {
    throw new Error("torch.load: malformed numpy scalar");
  }
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const need = Number(dt.code.slice(1));
  if (raw.length !== need) {
    throw new Error(`torch.load: numpy ${dt.code} scalar has ${raw.length} bytes`);
  }
  const safe = (v: bigint): number | bigint =>
    v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  switch (dt.code) {
    case "f8":
      return dv.getFloat64(0, true);
    case "f4":
      return dv.getFloat32(0, true);
    case "f2":
      return halfToFloat(dv.getUint16(0, true));
    case "i8":
      return safe(dv.getBigInt64(0, true));
    case "u8":
      return safe(dv.getBigUint64(0, true));
    case "i4":
      return dv.getInt32(0, true);
    case "u4":
      return dv.getUint32(0, true);
    case "i2":
      return dv.getInt16(0, true);
    case "u2":
      return dv.getUint16(0, true);
    case "i1":
      return dv.getInt8(0);
    case "u1":
      return dv.getUint8(0);
    case "b1":
      return raw[0] !== 0;
  }
  throw new Error(`torch.load: unsupported numpy scalar dtype "${dt.code}"`);
}

function buildGlobals(): Record<string, ((args: unknown[]) => unknown) | null> {
  const g: Record<string, ((args: unknown[]) => unknown) | null> = {
    "collections.OrderedDict": () => new Map(),
    "builtins.dict": () => new Map(),
    "torch._utils._rebuild_tensor_v2": rebuildTensor,
    "torch._utils._rebuild_parameter": rebuildParameter,
    "torch._utils._rebuild_parameter_with_state": rebuildParameter,
    "torch.device": (a) => String(a[0]) + (a.length > 1 && a[1] !== null ? `:${a[1]}` : ""),
    "torch.Size": (a) => a[0] ?? [],
    // Protocol 2 has no bytes opcode: Python pickles bytes as _codecs.encode(str, "latin1").
    "_codecs.encode": (a) => {
      if (typeof a[0] !== "string" || (a[1] !== "latin1" && a[1] !== "latin-1")) {
        throw new Error("torch.load: _codecs.encode is only supported with latin1");
      }
      return Uint8Array.from(a[0], (c) => c.charCodeAt(0));
    },
  };
  g["numpy.dtype"] = (a) => new NumpyDType(String(a[0]));
  g["numpy.core.multiarray.scalar"] = numpyScalar;
  g["numpy._core.multiarray.scalar"] = numpyScalar;
  for (const name of Object.keys(STORAGE_TYPES)) g[`torch.${name}`] = null;
  return g;
}

/** Finds the archive's folder name: torch names it after the file (or "archive"). */
function archivePrefix(zip: ZipArchive): string {
  for (const name of zip.entries.keys()) {
    if (name === "data.pkl" || name.endsWith("/data.pkl")) return name.slice(0, -"data.pkl".length);
  }
  throw new Error("torch.load: zip archive has no data.pkl; not a PyTorch checkpoint");
}

/** Parses a `torch.save` zip archive held in memory. */
export function readTorchZip(bytes: Uint8Array): TorchValue {
  const zip = readZip(bytes);
  const prefix = archivePrefix(zip);
  const globals = buildGlobals();
  const storages = new Map<string, StorageRef>();
  const persistentLoad = (pid: unknown): StorageRef => {
    if (!Array.isArray(pid) || pid[0] !== "storage" || pid.length < 5) {
      throw new Error(`torch.load: unsupported persistent id ${JSON.stringify(String(pid))}`);
    }
    const [, type, key, location] = pid;
    // Storage classes are referenced, never called: the pickle names e.g. torch.FloatStorage.
    const dtype = type instanceof PyGlobal && type.module === "torch"
      ? STORAGE_TYPES[type.name]
      : undefined;
    if (!dtype) throw new Error("torch.load: unsupported storage type in checkpoint");
    const k = String(key);
    let ref = storages.get(k);
    if (!ref) {
      let cached: Uint8Array | undefined;
      ref = new StorageRef(dtype, k, String(location), () => {
        cached ??= zip.read(`${prefix}data/${k}`);
        return cached;
      });
      storages.set(k, ref);
    }
    return ref;
  };
  const tree = unpickle(zip.read(`${prefix}data.pkl`), { globals, persistentLoad });
  return materialize(tree, "");
}

function materialize(v: unknown, path: string): TorchValue {
  if (v instanceof TensorRef) return loadTensor(v, path || "<root>");
  if (v instanceof Map) {
    const out: { [key: string]: TorchValue } = {};
    for (const [k, x] of v) {
      if (k !== null && typeof k === "object") {
        throw new Error(`torch.load: dict key at "${path}" is not a string or number`);
      }
      const ks = String(k);
      out[ks] = materialize(x, path ? `${path}.${ks}` : ks);
    }
    return out;
  }
  if (Array.isArray(v)) return v.map((x, i) => materialize(x, path ? `${path}.${i}` : String(i)));
  if (
    v === null || typeof v === "boolean" || typeof v === "number" || typeof v === "bigint" ||
    typeof v === "string" || v instanceof Uint8Array
  ) {
    return v;
  }
  if (v instanceof StorageRef) {
    throw new Error(`torch.load: bare storages (at "${path}") are not supported`);
  }
  throw new Error(`torch.load: unsupported value at "${path}"`);
}

function loadTensor(t: TensorRef, path: string): RawTensor {
  const { storage, offset, shape, stride } = t;
  if (stride.length !== shape.length) throw new Error(`torch.load: "${path}" has bad strides`);
  const count = numelOf(shape);
  const bytes = storage.bytes();
  const what = `torch.load: tensor "${path}"`;
  if (bytes.length % SOURCE_ITEMSIZE[storage.dtype] !== 0) {
    throw new Error(`${what}: storage size is not a whole number of elements (corrupted file)`);
  }
  // Row-major strides mean the view is one contiguous run starting at `offset`.
  let contiguous = true;
  for (let d = shape.length - 1, s = 1; d >= 0; d--) {
    if (shape[d] !== 1 && stride[d] !== s) contiguous = false;
    s *= shape[d];
  }
  let data;
  if (contiguous) {
    const size = SOURCE_ITEMSIZE[storage.dtype];
    const start = offset * size;
    if (start + count * size > bytes.length) {
      throw new Error(`${what}: view exceeds its storage (corrupted file)`);
    }
    data = decodeElements(bytes.subarray(start), storage.dtype, count, what);
  } else {
    const nd = shape.length;
    const idx = new Array<number>(nd).fill(0);
    const at = new Float64Array(count);
    let pos = offset;
    for (let i = 0; i < count; i++) {
      at[i] = pos;
      // Odometer increment over the view's index, tracking the storage position.
      for (let d = nd - 1; d >= 0; d--) {
        if (++idx[d] < shape[d]) {
          pos += stride[d];
          break;
        }
        pos -= stride[d] * (shape[d] - 1);
        idx[d] = 0;
      }
    }
    data = decodeElements(bytes, storage.dtype, count, what, (i) => at[i]);
  }
  return new RawTensor(loadedDType(storage.dtype), shape.slice(), data, storage.location);
}

/**
 * The safetensors container (https://github.com/huggingface/safetensors): an 8-byte
 * little-endian header length, a JSON header mapping tensor names to
 * `{dtype, shape, data_offsets}` plus an optional string→string `__metadata__`, then the
 * raw little-endian tensor bytes. Works on {@link RawTensor}s; no device code here.
 */
import type { DType } from "../tensor/dtype.ts";
import {
  decodeElements,
  loadedDType,
  RawTensor,
  SOURCE_ITEMSIZE,
  type SourceDType,
} from "./raw.ts";
import { numelOf } from "../tensor/shape.ts";

/** A decoded safetensors file. */
export interface SafetensorsContents {
  /** Tensors in header order. */
  tensors: Map<string, RawTensor>;
  /** The `__metadata__` map (empty if absent). */
  metadata: Record<string, string>;
}

const WRITE_CODES: Record<DType, string> = {
  float32: "F32",
  float64: "F64",
  int32: "I32",
  bool: "BOOL",
};

const READ_CODES: Record<string, SourceDType> = {
  F64: "float64",
  F32: "float32",
  F16: "float16",
  BF16: "bfloat16",
  I64: "int64",
  I32: "int32",
  I16: "int16",
  I8: "int8",
  U8: "uint8",
  BOOL: "bool",
};

// Upper bound on the JSON header, as in the reference implementation (guards huge allocations).
const MAX_HEADER = 100_000_000;

/** Serialises named tensors (and string metadata) into safetensors bytes. */
export function encodeSafetensors(
  tensors: Iterable<[string, RawTensor]>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  const list = [...tensors];
  for (const [name] of list) {
    if (name === "__metadata__") throw new Error('safetensors: "__metadata__" is reserved');
    if (name in header) throw new Error(`safetensors: duplicate tensor name "${name}"`);
    header[name] = null; // reserve the position: header keys keep the caller's order
  }
  // Lay the data out widest dtype first (as the reference writer does), so every tensor
  // starts aligned to its element size and zero-copy readers can view it in place.
  const layout = list.map((e, i) => ({ e, i })).sort((a, b) =>
    b.e[1].data.BYTES_PER_ELEMENT - a.e[1].data.BYTES_PER_ELEMENT || a.i - b.i
  );
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const { e: [name, t] } of layout) {
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    header[name] = {
      dtype: WRITE_CODES[t.dtype],
      shape: t.shape,
      data_offsets: [offset, offset + bytes.length],
    };
    blobs.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data section starts 8-byte aligned (as the spec allows).
  const len = new TextEncoder().encode(json).length;
  json += " ".repeat((8 - ((8 + len) % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let p = 8 + head.length;
  for (const b of blobs) {
    out.set(b, p);
    p += b.length;
  }
  return out;
}

function corrupt(what: string): never {
  throw new Error(`safetensors: ${what} (the file is truncated or corrupted)`);
}

/** Whether `bytes` plausibly starts a safetensors file (sane header length, then `{`). */
export function isSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 10) return false;
  const n = new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true);
  return n > 1n && n <= BigInt(MAX_HEADER) && bytes[8] === 0x7b;
}

/** Parses safetensors bytes, converting file dtypes to ours (see {@link decodeElements}). */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsContents {
  if (bytes.length < 8) corrupt("file shorter than its 8-byte header length");
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  if (n > MAX_HEADER || 8 + n > bytes.length) corrupt(`header length ${n} exceeds the file`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    corrupt(`header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) {
    corrupt("header is not a JSON object");
  }
  const data = bytes.subarray(8 + n);
  const metadata: Record<string, string> = {};
  const tensors = new Map<string, RawTensor>();
  for (const [name, info] of Object.entries(header)) {
    if (name === "__metadata__") {
      for (const [k, v] of Object.entries(info as Record<string, unknown>)) {
        if (typeof v !== "string") corrupt(`metadata value "${k}" is not a string`);
        metadata[k] = v;
      }
      continue;
    }
    const { dtype, shape, data_offsets: offs } = info as {
      dtype: string;
      shape: number[];
      data_offsets: [number, number];
    };
    const src = READ_CODES[dtype];
    if (!src) throw new Error(`safetensors: tensor "${name}" has unsupported dtype ${dtype}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      corrupt(`tensor "${name}" has a bad shape`);
    }
    if (!Array.isArray(offs) || offs.length !== 2 || offs[0] > offs[1] || offs[1] > data.length) {
      corrupt(`tensor "${name}" has data offsets outside the file`);
    }
    const count = numelOf(shape);
    if (offs[1] - offs[0] !== count * SOURCE_ITEMSIZE[src]) {
      corrupt(`tensor "${name}" byte size does not match shape [${shape}] of ${dtype}`);
    }
    const values = decodeElements(
      data.subarray(offs[0], offs[1]),
      src,
      count,
      `safetensors: tensor "${name}"`,
    );
    tensors.set(
      name,
      new RawTensor(loadedDType(src), shape, values),
    );
  }
  return { tensors, metadata };
}

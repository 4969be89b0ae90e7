/**
 * `save` / `load`: checkpoints as safetensors files. Tensors go into the data section under
 * their dotted paths; the rest of the object (epoch, loss, optimizer hyper-parameters, ...)
 * goes into `__metadata__` as JSON, together with each tensor's source device. `load` also
 * reads plain safetensors files from other tools and PyTorch `torch.save` archives.
 */
import { fileURLToPath } from "node:url";
import { Tensor } from "../tensor/tensor.ts";
import { tensor } from "../tensor/creation.ts";
import type { Device } from "../tensor/dtype.ts";
import { hasBackend } from "../backend/registry.ts";
import { atomicWriteFile } from "./atomic.ts";
import { RawTensor } from "./raw.ts";
import { decodeSafetensors, encodeSafetensors, isSafetensors } from "./safetensors.ts";
import { flatten, type JsonValue, type TensorMarker, unflatten } from "./structure.ts";
import { readTorchZip, type TorchValue } from "./torch_pt.ts";
import { isZip } from "./zip.ts";

/** Values a checkpoint can hold. */
export type CheckpointValue =
  | Tensor
  | number
  | string
  | boolean
  | null
  | CheckpointValue[]
  | { [key: string]: CheckpointValue };

/** A loaded checkpoint object. */
export type Checkpoint = { [key: string]: CheckpointValue };

/**
 * Where loaded tensors go: a device for all of them, a map from saved device to device
 * (`{ webgpu: "cpu" }`), or a function of the saved device and the tensor's key.
 */
export type MapLocation =
  | Device
  | Partial<Record<string, Device>>
  | ((savedDevice: string, key: string) => Device);

/** Options of {@link load}. */
export interface LoadOptions {
  /** Device placement of loaded tensors (default: the device each was saved from). */
  mapLocation?: MapLocation;
}

const FORMAT_KEY = "denotorch.format";
const STRUCTURE_KEY = "denotorch.structure";

/** Metadata written by {@link save}; "format": "pt" tells other readers these are torch names. */
function metadataFor(skeleton: JsonValue): Record<string, string> {
  return { format: "pt", [FORMAT_KEY]: "1", [STRUCTURE_KEY]: JSON.stringify(skeleton) };
}

/**
 * Serialises a checkpoint object (nested plain objects/arrays of tensors, numbers, strings,
 * booleans and null) to safetensors bytes. Tensors are read back from their devices in one
 * batch.
 */
export async function serialize(obj: unknown): Promise<Uint8Array> {
  const { skeleton, tensors } = flatten(
    obj,
    (v): v is Tensor => v instanceof Tensor,
    (t) => ({ device: t.device }),
  );
  const data = await Promise.all(tensors.map(([, t]) => t.toArray()));
  const raws = tensors.map(([k, t], i): [string, RawTensor] => [
    k,
    new RawTensor(t.dtype, [...t.shape], data[i]),
  ]);
  return encodeSafetensors(raws, metadataFor(skeleton));
}

/**
 * Saves `obj` to `path` as a safetensors file, atomically: the bytes go to a temp file in the
 * same directory which is then renamed over `path`, so a crash never leaves a torn file and
 * never destroys the previous checkpoint.
 */
export async function save(obj: unknown, path: string | URL): Promise<void> {
  const p = path instanceof URL ? fileURLToPath(path) : path;
  await atomicWriteFile(p, await serialize(obj));
}

function resolveDevice(map: MapLocation | undefined, saved: string, key: string): Device {
  let d: string | undefined;
  if (typeof map === "function") d = map(saved, key);
  else if (typeof map === "string") d = map;
  else if (map) d = map[saved];
  // PyTorch locations like "cuda:0" have no counterpart here: their values go to the CPU.
  d ??= saved === "webgpu" ? "webgpu" : "cpu";
  if (d !== "cpu" && d !== "webgpu") {
    throw new Error(`load: mapLocation gave unknown device "${d}" for "${key}"`);
  }
  if (d === "webgpu" && !hasBackend("webgpu")) {
    throw new Error(
      `load: tensor "${key}" was saved from device "${saved}" and would be loaded onto ` +
        `"webgpu", but no WebGPU device is initialised; pass { mapLocation: "cpu" } ` +
        "(or initialise WebGPU first)",
    );
  }
  return d;
}

function toTensor(r: RawTensor, device: Device): Tensor {
  return tensor(r.data, { shape: r.shape, dtype: r.dtype, device });
}

function fromTorch(v: TorchValue, map: MapLocation | undefined, path: string): CheckpointValue {
  if (v instanceof RawTensor) {
    return toTensor(v, resolveDevice(map, v.device ?? "cpu", path));
  }
  if (typeof v === "bigint") {
    throw new RangeError(`load: integer ${v} at "${path}" does not fit a JS number exactly`);
  }
  if (v instanceof Uint8Array) return Array.from(v);
  if (Array.isArray(v)) return v.map((x, i) => fromTorch(x, map, path ? `${path}.${i}` : `${i}`));
  if (v !== null && typeof v === "object") {
    const out: Checkpoint = {};
    for (const [k, x] of Object.entries(v)) out[k] = fromTorch(x, map, path ? `${path}.${k}` : k);
    return out;
  }
  return v;
}

/**
 * Decodes checkpoint bytes (see {@link load}); `name` is used in error messages.
 */
export function deserialize(
  bytes: Uint8Array,
  options: LoadOptions = {},
  name = "<bytes>",
): CheckpointValue {
  const map = options.mapLocation;
  if (isZip(bytes)) return fromTorch(readTorchZip(bytes), map, "");
  if (!isSafetensors(bytes)) {
    if (bytes.length >= 2 && bytes[0] === 0x80 && bytes[1] <= 5) {
      throw new Error(
        `load: "${name}" is a legacy (pre-1.6, non-zip) torch.save file; re-save it with ` +
          "torch.save(obj, path) from a recent PyTorch",
      );
    }
    throw new Error(
      `load: "${name}" is neither a safetensors file nor a PyTorch zip checkpoint ` +
        "(truncated or corrupted?)",
    );
  }
  const { tensors, metadata } = decodeSafetensors(bytes);
  const structure = metadata[STRUCTURE_KEY];
  if (structure === undefined) {
    // A plain safetensors file from another tool: a flat state dict, all on the CPU.
    const out: Checkpoint = {};
    for (const [k, t] of tensors) out[k] = toTensor(t, resolveDevice(map, "cpu", k));
    return out;
  }
  let skeleton: JsonValue;
  try {
    skeleton = JSON.parse(structure);
  } catch {
    throw new Error(`load: "${name}" has corrupted structure metadata`);
  }
  // Resolve every placement before creating any tensor, so a refusal leaks nothing.
  const plan = new Map<string, Device>();
  unflatten(skeleton, (m: TensorMarker) => {
    plan.set(m.$tensor, resolveDevice(map, String(m.device ?? "cpu"), m.$tensor));
  });
  return unflatten(skeleton, (m: TensorMarker) => {
    const raw = tensors.get(m.$tensor);
    if (!raw) throw new Error(`load: "${name}" lacks tensor "${m.$tensor}" (corrupted file)`);
    return toTensor(raw, plan.get(m.$tensor)!);
  }) as CheckpointValue;
}

/**
 * Loads a checkpoint written by {@link save}, any safetensors file (a flat state dict), or a
 * PyTorch `torch.save` zip archive (state dicts and nested dicts/lists/tuples; only a fixed
 * set of constructors is honoured, so a malicious pickle cannot run code). The type parameter
 * is the caller's expected shape, e.g. `load<Record<string, Tensor>>("weights.pth")`.
 */
export async function load<T = Checkpoint>(
  path: string | URL,
  options: LoadOptions = {},
): Promise<T> {
  const bytes = await Deno.readFile(path);
  return deserialize(bytes, options, String(path)) as T;
}

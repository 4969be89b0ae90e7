/**
 * Flat state-dict helpers: a `Record<string, Tensor>` to and from a plain safetensors file
 * (no structure metadata), the form other safetensors tools exchange.
 */
import { Tensor } from "../tensor/tensor.ts";
import { atomicWriteFile } from "./atomic.ts";
import { deserialize, type LoadOptions } from "./checkpoint.ts";
import { RawTensor } from "./raw.ts";
import { encodeSafetensors } from "./safetensors.ts";

/** Saves a flat name → tensor map as a plain safetensors file (atomic replace). */
export async function saveSafetensors(
  stateDict: Record<string, Tensor>,
  path: string,
  metadata: Record<string, string> = {},
): Promise<void> {
  const entries = Object.entries(stateDict);
  for (const [k, t] of entries) {
    if (!(t instanceof Tensor)) throw new TypeError(`saveSafetensors: "${k}" is not a tensor`);
  }
  const data = await Promise.all(entries.map(([, t]) => t.toArray()));
  const raws = entries.map(([k, t], i): [string, RawTensor] => [
    k,
    new RawTensor(t.dtype, [...t.shape], data[i]),
  ]);
  await atomicWriteFile(path, encodeSafetensors(raws, metadata));
}

/** Loads every tensor of a safetensors file as a flat name → tensor map. */
export async function loadSafetensors(
  path: string,
  options: LoadOptions = {},
): Promise<Record<string, Tensor>> {
  const v = deserialize(await Deno.readFile(path), options, path);
  const out: Record<string, Tensor> = {};
  const walk = (x: unknown, p: string): void => {
    if (x instanceof Tensor) out[p] = x;
    else if (x && typeof x === "object") {
      for (const [k, y] of Object.entries(x)) walk(y, p ? `${p}.${k}` : k);
    }
  };
  walk(v, "");
  return out;
}

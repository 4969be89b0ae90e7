// Shared helpers of the nn tests: device parametrisation, fixture loading and comparison.
import assert from "node:assert/strict";
import { hasBackend } from "../../src/backend/registry.ts";
import { tensor } from "../../src/tensor/creation.ts";
import type { Device, DType } from "../../src/tensor/dtype.ts";
import type { Tensor } from "../../src/tensor/tensor.ts";

/** A tensor as the generator writes it. */
export interface JTensor {
  shape: number[];
  values: number[];
  int?: boolean;
  dtype?: string;
}

/** Devices to run device-parametrised tests on: cpu, plus webgpu when it initialises. */
export const DEVICES: Device[] = await (async () => {
  const out: Device[] = ["cpu"];
  try {
    // A variable specifier: the WebGPU backend may not exist yet in this checkout.
    const spec = "../../src/backend/webgpu/mod.ts";
    const m = await import(spec);
    if (typeof m.initWebGPU === "function") await m.initWebGPU();
    if (hasBackend("webgpu")) out.push("webgpu");
  } catch {
    // no WebGPU backend or adapter: cpu only
  }
  return out;
})();

/** Registers `fn` once per device; webgpu is registered as ignored when unavailable. */
export function deviceTest(name: string, fn: (device: Device) => void | Promise<void>): void {
  for (const device of ["cpu", "webgpu"] as Device[]) {
    Deno.test({
      name: `${name} [${device}]`,
      ignore: !DEVICES.includes(device),
      fn: () => fn(device),
    });
  }
}

/** float64 on the CPU (exact comparisons), float32 elsewhere (WGSL has no f64). */
export function dtypeFor(device: Device): DType {
  return device === "cpu" ? "float64" : "float32";
}

/** Comparison tolerance for a dtype. */
export function tolFor(dtype: DType): number {
  return dtype === "float64" ? 1e-9 : 2e-4;
}

/** A fixture tensor on a device. */
export function fromJ(j: JTensor, device: Device = "cpu", dtype: DType = "float64"): Tensor {
  const dt: DType = j.int ? "int32" : dtype;
  const data = dt === "int32"
    ? Int32Array.from(j.values)
    : dt === "float64"
    ? Float64Array.from(j.values)
    : Float32Array.from(j.values);
  return tensor(data, { shape: j.shape, device, dtype: dt });
}

/** Loads tests/fixtures/nn/<name>. */
export function fixture<T>(name: string): T {
  const url = new URL(`../fixtures/nn/${name}`, import.meta.url);
  return JSON.parse(Deno.readTextFileSync(url)) as T;
}

/** Asserts `t` equals the fixture values (shape and |a - b| <= tol·(1 + |b|)). */
export async function assertClose(
  t: Tensor | null | undefined,
  want: JTensor,
  tol: number,
  what: string,
): Promise<void> {
  assert.ok(t, `${what}: missing tensor`);
  assert.deepEqual(t.shape, want.shape, `${what}: shape`);
  const got = await t.toArray();
  for (let i = 0; i < want.values.length; i++) {
    const a = got[i], b = want.values[i];
    if (!(Math.abs(a - b) <= tol * (1 + Math.abs(b)))) {
      assert.fail(`${what}: element ${i} is ${a}, expected ${b} (tol ${tol})`);
    }
  }
}

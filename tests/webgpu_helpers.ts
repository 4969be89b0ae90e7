/** Shared helpers of the webgpu test files: device setup, cpu-vs-webgpu parity checks. */
import { initWebGPU, webgpu } from "../src/backend/webgpu/mod.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import { tensor } from "../src/tensor/creation.ts";
import type { Device, DType, TypedArray } from "../src/tensor/dtype.ts";

/** Whether a WebGPU adapter exists; prints a notice once when it does not. */
export const hasGpu: boolean = await (async () => {
  try {
    await initWebGPU();
    webgpu.setDebug(true);
    return true;
  } catch (e) {
    console.warn(`webgpu tests skipped: ${(e as Error).message}`);
    return false;
  }
})();

/** Deterministic pseudo-random floats in [lo, hi). */
export function randData(n: number, seed = 1, lo = -2, hi = 2): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = lo + (hi - lo) * (s / 4294967296);
  }
  return out;
}

/** An input description: values, shape, dtype and whether it requires grad. */
export interface Input {
  data: TypedArray;
  shape: number[];
  dtype?: DType;
  grad?: boolean;
}

/** A float input of `shape` with values in [lo, hi). */
export function f(shape: number[], seed = 1, lo = -2, hi = 2, grad = true): Input {
  const n = shape.reduce((a, b) => a * b, 1);
  return { data: randData(n, seed, lo, hi), shape, dtype: "float32", grad };
}

/** An int32 input with values in [lo, hi). */
export function ints(shape: number[], lo: number, hi: number, seed = 3): Input {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = randData(n, seed, lo, hi);
  return { data: Int32Array.from(d, (v) => Math.floor(v)), shape, dtype: "int32" };
}

/** A bool input. */
export function bools(shape: number[], seed = 5): Input {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = randData(n, seed, 0, 1);
  return { data: Uint8Array.from(d, (v) => (v > 0.5 ? 1 : 0)), shape, dtype: "bool" };
}

function make(inp: Input, device: Device): Tensor {
  const t = tensor(inp.data, { shape: inp.shape, dtype: inp.dtype, device });
  if (inp.grad && (inp.dtype ?? "float32") === "float32") t.requiresGrad_(true);
  return t;
}

/** Asserts two arrays match within float32 tolerances (NaN matches NaN). */
export function assertClose(
  what: string,
  got: TypedArray,
  want: TypedArray,
  rtol = 1e-4,
  atol = 1e-5,
): void {
  if (got.length !== want.length) {
    throw new Error(`${what}: length ${got.length} != ${want.length}`);
  }
  for (let i = 0; i < got.length; i++) {
    const g = got[i], w = want[i];
    if (Number.isNaN(w) && Number.isNaN(g)) continue;
    if (g === w) continue;
    if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w))) {
      throw new Error(`${what}: element ${i}: webgpu ${g} vs cpu ${w}`);
    }
  }
}

type Out = Tensor | Tensor[];

/**
 * Runs `fn` on cpu and on webgpu with the same inputs and compares outputs and, when inputs
 * require grad, the gradients of sum(out * w) for a fixed random w.
 */
export async function parity(
  name: string,
  inputs: Input[],
  fn: (...xs: Tensor[]) => Out,
  tol: { rtol?: number; atol?: number } = {},
): Promise<void> {
  const results: { outs: TypedArray[]; shapes: string[]; grads: (TypedArray | null)[] }[] = [];
  for (const device of ["cpu", "webgpu"] as Device[]) {
    const xs = inputs.map((i) => make(i, device));
    const r = fn(...xs);
    const outs = Array.isArray(r) ? r : [r];
    const vals: TypedArray[] = [];
    const shapes: string[] = [];
    for (const o of outs) {
      if (o.device !== device) throw new Error(`${name}: output on ${o.device}, not ${device}`);
      vals.push(await o.toArray());
      shapes.push(`${o.dtype}[${o.shape}]`);
    }
    let grads: (TypedArray | null)[] = [];
    const diff = outs.filter((o) => o.requiresGrad);
    if (diff.length) {
      let loss: Tensor | null = null;
      diff.forEach((o, k) => {
        const w = tensor(randData(o.numel, 99 + k), { shape: o.shape, device });
        const term = o.mul(w).sum();
        loss = loss ? loss.add(term) : term;
      });
      (loss as unknown as Tensor).backward();
      grads = await Promise.all(xs.map((x) => (x.grad ? x.grad.toArray() : null)));
    }
    results.push({ outs: vals, shapes, grads });
  }
  const [cpu, gpu] = results;
  const rtol = tol.rtol ?? 1e-4, atol = tol.atol ?? 1e-5;
  if (cpu.shapes.join() !== gpu.shapes.join()) {
    throw new Error(`${name}: shapes/dtypes differ: cpu ${cpu.shapes} vs webgpu ${gpu.shapes}`);
  }
  cpu.outs.forEach((w, i) => assertClose(`${name} output ${i}`, gpu.outs[i], w, rtol, atol));
  cpu.grads.forEach((w, i) => {
    const g = gpu.grads[i];
    if ((w === null) !== (g === null)) throw new Error(`${name}: grad ${i} presence differs`);
    if (w && g) assertClose(`${name} grad ${i}`, g, w, rtol * 10, atol * 10);
  });
  await webgpu.synchronize();
}

// Shared helpers of the nn tests: device parametrisation, fixture loading and comparison, and the
// run of a generated module case against PyTorch.
import assert from "node:assert/strict";
import { hasBackend } from "../../src/backend/registry.ts";
import { tensor } from "../../src/tensor/creation.ts";
import type { Device, DType } from "../../src/tensor/dtype.ts";
import type { StateDict } from "../../src/nn/module.ts";
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

/** A fixture state dict as PyTorch wrote it: cpu float64 tensors (int ones int32). */
export function stateDictOf(sd: Record<string, JTensor>): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, fromJ(v, "cpu", "float64")]));
}

/** What a fixture run needs of a module, whatever its call signature. */
interface FixtureModule {
  to(target: Device | DType): unknown;
  stateDict(): StateDict;
  loadStateDict(sd: StateDict): unknown;
  train(mode?: boolean): unknown;
  eval(): unknown;
  namedParameters(): [string, Tensor][];
}

/** Asserts a fresh module has the case's state-dict keys in PyTorch's order, and their shapes. */
export function assertFreshKeys(
  m: FixtureModule,
  c: { name: string; keys: string[]; state_dict: Record<string, JTensor> },
): void {
  assert.deepEqual(Object.keys(m.stateDict()), c.keys);
  assert.deepEqual(m.namedParameters().map(([k]) => k), c.keys);
  for (const [k, p] of m.namedParameters()) {
    assert.deepEqual(p.shape, c.state_dict[k].shape, `${c.name}: shape of ${k}`);
  }
}

/**
 * What a generated module case records: PyTorch's state dict and inputs, every output (int ones
 * are indices), the weights `r` of the loss Σ out·r (null for indices) and its gradients, and
 * optionally the state after the step and eval-mode outputs.
 */
export interface ModuleCase {
  name: string;
  /** The training flag of the run (the module's own when absent). */
  train?: boolean;
  state_dict: Record<string, JTensor>;
  inputs: JTensor[];
  outputs: JTensor[];
  r: (JTensor | null)[];
  input_grads: (JTensor | null)[];
  param_grads: Record<string, JTensor>;
  state_after?: Record<string, JTensor>;
  eval_inputs?: JTensor[];
  eval_outputs?: JTensor[];
}

/** Compares outputs with the fixture's: indices exactly, values within `tol`. */
async function compareOutputs(
  outs: Tensor[],
  want: JTensor[],
  tol: number,
  what: string,
): Promise<void> {
  assert.equal(outs.length, want.length, `${what}: number of outputs`);
  for (const [i, o] of outs.entries()) {
    if (want[i].int) {
      assert.equal(o.dtype, "int32", `${what}: indices dtype`);
      assert.deepEqual(o.shape, want[i].shape, `${what}: indices shape`);
      assert.deepEqual(Array.from(await o.toArray()), want[i].values, `${what}: indices`);
    } else await assertClose(o, want[i], tol, `${what} ${i}`);
  }
}

/**
 * Runs a module case on `device` (float64 on cpu, float32 elsewhere): loads PyTorch's state dict
 * into `m` (same keys, same order), runs `run` on the inputs (float ones requiring grad),
 * compares the outputs, backpropagates Σ out·r and compares the input and parameter gradients,
 * then the state after the step and the eval-mode outputs where the case has them.
 */
export async function runModuleCase<M extends FixtureModule>(
  c: ModuleCase,
  device: Device,
  m: M,
  run: (m: M, inputs: Tensor[]) => Tensor[] | Promise<Tensor[]>,
): Promise<void> {
  const dtype = dtypeFor(device);
  const tol = tolFor(dtype);
  m.to(dtype);
  if (device !== "cpu") m.to(device);
  const sd = stateDictOf(c.state_dict);
  assert.deepEqual(Object.keys(m.stateDict()), Object.keys(sd), `${c.name}: state keys`);
  assert.deepEqual(m.loadStateDict(sd), { missingKeys: [], unexpectedKeys: [] });
  if (c.train !== undefined) m.train(c.train);
  const inputs = c.inputs.map((j) => {
    const t = fromJ(j, device, dtype);
    return j.int ? t : t.requiresGrad_(true);
  });
  const outs = await run(m, inputs);
  await compareOutputs(outs, c.outputs, tol, `${c.name} output`);
  let loss: Tensor | null = null;
  for (const [i, o] of outs.entries()) {
    const r = c.r[i];
    if (!r || c.outputs[i].int) continue;
    const term = o.mul(fromJ(r, device, dtype)).sum();
    loss = loss ? loss.add(term) : term;
  }
  loss!.backward();
  for (const [i, g] of c.input_grads.entries()) {
    if (g) await assertClose(inputs[i].grad, g, tol, `${c.name} grad input ${i}`);
  }
  const params = new Map(m.namedParameters());
  assert.deepEqual([...params.keys()].sort(), Object.keys(c.param_grads).sort(), "parameters");
  for (const [k, g] of Object.entries(c.param_grads)) {
    await assertClose(params.get(k)!.grad, g, tol, `${c.name} grad ${k}`);
  }
  if (c.state_after) {
    const after = m.stateDict();
    assert.deepEqual(Object.keys(after), Object.keys(c.state_after), `${c.name}: state dict keys`);
    for (const [k, v] of Object.entries(c.state_after)) {
      await assertClose(after[k], v, tol, `${c.name} state ${k}`);
    }
  }
  if (c.eval_inputs && c.eval_outputs) {
    m.eval();
    const y = await run(m, c.eval_inputs.map((j) => fromJ(j, device, dtype)));
    await compareOutputs(y, c.eval_outputs, tol, `${c.name} eval output`);
  }
}

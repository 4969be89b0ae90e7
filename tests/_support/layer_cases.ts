// The fixture cases of tools/gen_layers_3d_fixtures.py (nn_layers_3d and nn_pool1d tests): a
// module named with its constructor arguments, or a functional form, run on a device against
// PyTorch's outputs (indices exactly), input and parameter gradients, state after the step and
// eval-mode outputs.
import assert from "node:assert/strict";
import * as nn from "../../src/nn/mod.ts";
import { functional as F } from "../../src/nn/mod.ts";
import type { Device } from "../../src/tensor/dtype.ts";
import type { Tensor } from "../../src/tensor/tensor.ts";
import { assertClose, dtypeFor, fromJ, type JTensor, tolFor } from "./nn.ts";

/** One generated case. */
export interface LayerCase {
  name: string;
  module?: string;
  fn?: string;
  args: unknown[];
  opts?: Record<string, unknown>;
  train: boolean;
  state_dict: Record<string, JTensor>;
  inputs: JTensor[];
  outputs: JTensor[];
  r: (JTensor | null)[];
  input_grads: JTensor[];
  param_grads: Record<string, JTensor>;
  state_after: Record<string, JTensor>;
  eval_inputs?: JTensor[];
  eval_outputs?: JTensor[];
}

type Out = Tensor | Tensor[];
type AnyCall = (...xs: Tensor[]) => Out;
type Ctor = new (...args: unknown[]) => nn.Module<Tensor[], Out>;

/** A functional case as a parameter-free module. */
class Fn extends nn.Module<Tensor[], Out> {
  constructor(readonly f: AnyCall) {
    super();
  }
  override forward(...xs: Tensor[]): Out {
    return this.f(...xs);
  }
}

/** The functional forms the generator names, called with the case's args and options. */
const FUNCTIONS: Record<string, (c: LayerCase) => AnyCall> = {
  conv3d: (c) => (x, w, b) => F.conv3d(x, w, b, c.opts as F.Conv3dOptions),
  localResponseNorm: (c) => (x) => F.localResponseNorm(x, c.args[0] as number, c.opts),
  channelShuffle: (c) => (x) => F.channelShuffle(x, c.args[0] as number),
  lpPool2d: (c) => (x) => F.lpPool2d(x, c.args[0] as number, c.args[1] as F.Size2, c.opts),
  // The generator's functional max pooling case asks for the indices.
  maxPool1d: (c) => (x) => F.maxPool1d(x, c.args[0] as number, { ...c.opts, returnIndices: true }),
  avgPool1d: (c) => (x) => F.avgPool1d(x, c.args[0] as number, c.opts),
};

/** Rebuilds a case's module the denotorch way. */
export function buildCase(c: LayerCase): nn.Module<Tensor[], Out> {
  if (c.module) {
    const C = (nn as unknown as Record<string, Ctor>)[c.module];
    assert.ok(C, `nn.${c.module} exists`);
    return new C(...c.args, ...(c.opts === undefined ? [] : [c.opts]));
  }
  const make = FUNCTIONS[c.fn!];
  assert.ok(make, `no builder for fixture case ${c.name}`);
  return new Fn(make(c));
}

const flat = (o: Out): Tensor[] => (Array.isArray(o) ? o : [o]);

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

/** Runs one case on `device` (float64 on cpu, float32 elsewhere) and checks every record. */
export async function runLayerCase(c: LayerCase, device: Device): Promise<void> {
  const dtype = dtypeFor(device);
  const tol = tolFor(dtype);
  const m = buildCase(c);
  m.to(dtype);
  if (device !== "cpu") m.to(device);
  const sd = Object.fromEntries(
    Object.entries(c.state_dict).map(([k, v]) => [k, fromJ(v, "cpu", "float64")]),
  );
  assert.deepEqual(Object.keys(m.stateDict()), Object.keys(sd), `${c.name}: state keys`);
  assert.deepEqual(m.loadStateDict(sd), { missingKeys: [], unexpectedKeys: [] });
  m.train(c.train);
  const inputs = c.inputs.map((j) => fromJ(j, device, dtype).requiresGrad_(true));
  const outs = flat(m.call(...inputs));
  await compareOutputs(outs, c.outputs, tol, `${c.name} output`);
  let loss: Tensor | null = null;
  for (const [i, o] of outs.entries()) {
    const r = c.r[i];
    if (!r) continue;
    const term = o.mul(fromJ(r, device, dtype)).sum();
    loss = loss ? loss.add(term) : term;
  }
  loss!.backward();
  for (const [i, g] of c.input_grads.entries()) {
    await assertClose(inputs[i].grad, g, tol, `${c.name} grad input ${i}`);
  }
  const params = new Map(m.namedParameters());
  assert.deepEqual([...params.keys()].sort(), Object.keys(c.param_grads).sort());
  for (const [k, g] of Object.entries(c.param_grads)) {
    await assertClose(params.get(k)!.grad, g, tol, `${c.name} grad ${k}`);
  }
  const after = m.stateDict();
  assert.deepEqual(Object.keys(after), Object.keys(c.state_after), `${c.name}: state dict keys`);
  for (const [k, v] of Object.entries(c.state_after)) {
    await assertClose(after[k], v, tol, `${c.name} state ${k}`);
  }
  if (c.eval_inputs && c.eval_outputs) {
    m.eval();
    const y = flat(m.call(...c.eval_inputs.map((j) => fromJ(j, device, dtype))));
    await compareOutputs(y, c.eval_outputs, tol, `${c.name} eval output`);
  }
}

// The fixture cases of tools/gen_layers_3d_fixtures.py (nn_layers_3d and nn_pool1d tests) and
// tools/gen_layers_extra_fixtures.py: a module named with its constructor arguments, or a
// functional form, run on a device against PyTorch's outputs (indices exactly), input and
// parameter gradients, state after the step and eval-mode outputs.
import assert from "node:assert/strict";
import * as nn from "../../src/nn/mod.ts";
import { functional as F } from "../../src/nn/mod.ts";
import type { Device } from "../../src/tensor/dtype.ts";
import type { Tensor } from "../../src/tensor/tensor.ts";
import { type ModuleCase, runModuleCase } from "./nn.ts";

/** One generated case: a module named with its constructor arguments, or a functional form. */
export interface LayerCase extends ModuleCase {
  module?: string;
  fn?: string;
  args: unknown[];
  opts?: Record<string, unknown>;
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

/** A case's functional form, called with the case's args and options. */
export type CaseFunctions = Record<string, (c: LayerCase) => AnyCall>;

/** The functional forms tools/gen_layers_3d_fixtures.py names. */
const FUNCTIONS: CaseFunctions = {
  conv3d: (c) => (x, w, b) => F.conv3d(x, w, b, c.opts as F.Conv3dOptions),
  localResponseNorm: (c) => (x) => F.localResponseNorm(x, c.args[0] as number, c.opts),
  channelShuffle: (c) => (x) => F.channelShuffle(x, c.args[0] as number),
  lpPool2d: (c) => (x) => F.lpPool2d(x, c.args[0] as number, c.args[1] as F.Size2, c.opts),
  // The generator's functional max pooling case asks for the indices.
  maxPool1d: (c) => (x) => F.maxPool1d(x, c.args[0] as number, { ...c.opts, returnIndices: true }),
  avgPool1d: (c) => (x) => F.avgPool1d(x, c.args[0] as number, c.opts),
};

/** Rebuilds a case's module the denotorch way, a functional form from `functions`. */
export function buildCase(c: LayerCase, functions: CaseFunctions): nn.Module<Tensor[], Out> {
  if (c.module) {
    const C = (nn as unknown as Record<string, Ctor>)[c.module];
    assert.ok(C, `nn.${c.module} exists`);
    return new C(...c.args, ...(c.opts === undefined ? [] : [c.opts]));
  }
  const make = functions[c.fn!];
  assert.ok(make, `no builder for fixture case ${c.name}`);
  return new Fn(make(c));
}

const flat = (o: Out): Tensor[] => (Array.isArray(o) ? o : [o]);

/**
 * Runs one case on `device` (float64 on cpu, float32 elsewhere) and checks every record; the
 * functional forms default to tools/gen_layers_3d_fixtures.py's.
 */
export function runLayerCase(
  c: LayerCase,
  device: Device,
  functions: CaseFunctions = FUNCTIONS,
): Promise<void> {
  return runModuleCase(c, device, buildCase(c, functions), (m, xs) => flat(m.call(...xs)));
}

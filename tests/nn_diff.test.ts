// Differential cases against PyTorch 1.13 from tests/fixtures/nn/diff.json (written by
// tools/gen_nn_diff_fixtures.py): functional ops and modules with unusual but valid options,
// each checked for outputs, input and parameter gradients (of sum(output · R)) and, for
// modules, the state dict after `steps` forward passes (running statistics, renormalised
// embedding rows). Covers Embedding maxNorm, F.hardtanh with minVal >= maxVal, BCE gradients at
// 0 and 1, BCE-with-logits at logit 0 and cross entropy with every target ignored, plus conv,
// pooling and norm option combinations.
import assert from "node:assert/strict";
import { tensor } from "../src/tensor/creation.ts";
import type { DType } from "../src/tensor/dtype.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import * as nn from "../src/nn/mod.ts";
import type { Module } from "../src/nn/module.ts";

const F = nn.functional;
interface J {
  shape: number[];
  values: (number | string)[];
  dtype: string;
}
type Opts = Record<string, unknown>;
interface Case {
  kind: "fn" | "module";
  name: string;
  op: string;
  opts: Opts;
  cls: string;
  args: unknown[];
  train: boolean;
  steps: number;
  state: Record<string, J>;
  keys: string[];
  inputs: J[];
  outputs?: J[];
  grads?: (J | null)[];
  pgrads?: Record<string, J>;
  after?: Record<string, J>;
  error?: string;
}
const { cases } = JSON.parse(
  Deno.readTextFileSync(new URL("./fixtures/nn/diff.json", import.meta.url)),
) as { cases: Case[] };

const T = (j: J, requiresGrad = false): Tensor =>
  tensor(j.values.map(Number), {
    shape: j.shape,
    dtype: j.dtype as DType,
    requiresGrad: requiresGrad && j.dtype === "float64",
  });

/** The fixed weights R = cos(0.7 i + 0.3) the generator backpropagates. */
function weights(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, (_, i) => Math.cos(i * 0.7 + 0.3));
  return tensor(v, { shape, dtype: "float64" });
}

type Op = (ins: Tensor[], o: never) => Tensor | Tensor[];
const loss2 = (f: (a: Tensor, b: Tensor, o: never) => Tensor): Op => ([a, b], o) => f(a, b, o);
const ops: Record<string, Op> = {
  embedding: ([i, w], o) => F.embedding(i, w, o),
  hardtanh: ([x], o: { minVal: number; maxVal: number }) => F.hardtanh(x, o.minVal, o.maxVal),
  crossEntropy: loss2(F.crossEntropy),
  nllLoss: loss2(F.nllLoss),
  binaryCrossEntropy: loss2(F.binaryCrossEntropy),
  binaryCrossEntropyWithLogits: loss2(F.binaryCrossEntropyWithLogits),
};

/** Options with tensor references ("W": the tensor stored under that key) resolved. */
function resolve(o: Opts): Opts {
  const r: Opts = {};
  for (const [k, v] of Object.entries(o)) {
    if (/^W\d?$/.test(k)) continue;
    r[k] = typeof v === "string" && /^W\d?$/.test(v) ? T(o[v] as J) : v;
  }
  return r;
}

const flat = (o: Tensor | Tensor[]): Tensor[] => Array.isArray(o) ? o.flat() : [o];

function close(got: Tensor | null | undefined, exp: J | null | undefined, what: string): void {
  if (!exp) return assert.ok(!got, `${what}: expected none`);
  assert.ok(got, `${what}: missing`);
  assert.deepEqual(got.shape, exp.shape, `${what}: shape`);
  const a = got.dataSync();
  exp.values.forEach((ev, i) => {
    const e = Number(ev), g = Number(a[i]);
    const ok = (Number.isNaN(e) && Number.isNaN(g)) || e === g ||
      Math.abs(e - g) <= 1e-6 + 1e-5 * Math.abs(e);
    assert.ok(ok, `${what}[${i}]: got ${g}, PyTorch ${e}`);
  });
}

/** Backpropagates sum(output · R) over the floating outputs that need a gradient. */
function backward(outs: Tensor[]): boolean {
  let s: Tensor | null = null;
  for (const o of outs.filter((o) => o.requiresGrad)) {
    const t = o.mul(weights(o.shape)).sum();
    s = s ? s.add(t) : t;
  }
  s?.backward();
  return s !== null;
}

type Ctor = new (...args: unknown[]) => Module<Tensor[], Tensor | Tensor[]>;
const withDtype = new Set([
  "Conv2d",
  "Conv1d",
  "BatchNorm1d",
  "BatchNorm2d",
  "LayerNorm",
  "Embedding",
]);

function build(c: Case): Module<Tensor[], Tensor | Tensor[]> {
  const Cls = (nn as unknown as Record<string, Ctor>)[c.cls];
  const isOpts = (a: unknown) => a !== null && typeof a === "object" && !Array.isArray(a);
  const args = c.args.map((a) => isOpts(a) ? { ...(a as Opts), dtype: "float64" } : a);
  if (withDtype.has(c.cls) && !args.some(isOpts)) args.push({ dtype: "float64" });
  return new Cls(...args);
}

for (const c of cases) {
  Deno.test(`nn diff vs PyTorch: ${c.name}`, () => {
    if (c.kind === "fn") {
      const ins = c.inputs.map((j) => T(j, true));
      const run = () => flat(ops[c.op](ins, resolve(c.opts) as never));
      if (c.error) return void assert.throws(run);
      const outs = run();
      outs.forEach((o, i) => close(o, c.outputs![i], "output"));
      if (backward(outs)) ins.forEach((x, i) => close(x.grad, c.grads![i], `grad of input ${i}`));
      return;
    }
    const m = build(c);
    assert.deepEqual(Object.keys(m.stateDict()), c.keys, "state-dict keys");
    const sd: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(c.state)) sd[k] = T(v);
    m.loadStateDict(sd);
    m.train(c.train);
    const ins = c.inputs.map((j) => T(j, true));
    const run = () => {
      for (let s = 0; s < c.steps - 1; s++) m.call(...ins.map((x) => x.detach()));
      return flat(m.call(...ins));
    };
    if (c.error) return void assert.throws(run);
    const outs = run();
    outs.forEach((o, i) => close(o, c.outputs![i], "output"));
    if (backward(outs)) {
      ins.forEach((x, i) => close(x.grad, c.grads![i], `grad of input ${i}`));
      for (const [k, p] of m.namedParameters()) close(p.grad, c.pgrads![k], `grad of ${k}`);
    }
    const after = m.stateDict();
    for (const [k, v] of Object.entries(c.after!)) close(after[k], v, `${k} after`);
  });
}

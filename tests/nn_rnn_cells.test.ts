// nn.RNNCell (tanh / relu), nn.LSTMCell and nn.GRUCell: values, gradients and state-dict keys
// against PyTorch 1.13 (tools/gen_rnn_cell_fixtures.py → tests/fixtures/nn/rnn_cells.json),
// finite-difference gradient checks in float64, default init, shape errors, and webgpu-vs-cpu
// parity.
import assert from "node:assert/strict";
import * as nn from "../src/nn/mod.ts";
import { gradcheck } from "../src/autograd/gradcheck.ts";
import { randn } from "../src/tensor/creation.ts";
import { manualSeed } from "../src/tensor/random.ts";
import type { Device } from "../src/tensor/dtype.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import {
  assertFreshKeys,
  deviceTest,
  fixture,
  type ModuleCase,
  runModuleCase,
} from "./_support/nn.ts";
import { moduleParityTest, type ParityCase } from "./_support/module_parity.ts";

type Kind = "lstm" | "gru" | "rnn";
type AnyCell = nn.RNNCell | nn.LSTMCell | nn.GRUCell;

interface Config extends nn.RNNCellOptions {
  inputSize: number;
  hiddenSize: number;
  nonlinearity?: "tanh" | "relu";
}

interface Case extends ModuleCase {
  kind: Kind;
  config: Config;
  steps: number;
  keys: string[];
}

function build(kind: Kind, c: Config): AnyCell {
  if (kind === "lstm") return new nn.LSTMCell(c.inputSize, c.hiddenSize, c);
  if (kind === "gru") return new nn.GRUCell(c.inputSize, c.hiddenSize, c);
  return new nn.RNNCell(c.inputSize, c.hiddenSize, c);
}

/** One step of `m` from [x, ...states] (no states: zeros), flattened to [h] or [h, c]. */
function step(m: AnyCell, x: Tensor, st: Tensor[]): Tensor[] {
  if (m instanceof nn.LSTMCell) return m.call(x, st.length ? [st[0], st[1]] : undefined);
  return [(m as nn.GRUCell).call(x, st[0])];
}

/** One step (steps = 0) or a loop over dim 0 of x; every step's outputs, flattened. */
function runFlat(m: AnyCell, [x, ...st]: Tensor[], steps = 0): Tensor[] {
  if (steps === 0) return step(m, x, st);
  const outs: Tensor[] = [];
  let s = st;
  for (let t = 0; t < steps; t++) {
    s = step(m, x.select(0, t), s);
    outs.push(...s);
  }
  return outs;
}

const { cases } = fixture<{ cases: Case[] }>("rnn_cells.json");

for (const c of cases) {
  Deno.test(`rnn cell keys: ${c.name}: a fresh cell has PyTorch's state-dict keys in order`, () => {
    assertFreshKeys(build(c.kind, c.config), c);
  });

  deviceTest(
    `rnn cell fixture: ${c.name}`,
    (device: Device) =>
      runModuleCase(c, device, build(c.kind, c.config), (m, xs) => runFlat(m, xs, c.steps)),
  );
}

// Finite differences (float64, CPU) with respect to the input, the states and every parameter.
const f64 = { dtype: "float64" as const, requiresGrad: true };
const x = (shape: number[]): Tensor => randn(shape, f64);

function check(m: AnyCell, inputs: Tensor[], steps = 0): void {
  m.double();
  const nIn = inputs.length;
  gradcheck((...ts: Tensor[]) => runFlat(m, ts.slice(0, nIn), steps), [
    ...inputs,
    ...m.parameters(),
  ]);
}

manualSeed(13);

const gradCases: [string, () => void][] = [
  ["RNNCell tanh, batched, state", () => check(new nn.RNNCell(3, 2), [x([2, 3]), x([2, 2])])],
  ["RNNCell relu, unbatched, no bias, 2 steps", () => {
    // relu's kink is away from the random pre-activations almost surely.
    check(new nn.RNNCell(3, 2, { nonlinearity: "relu", bias: false }), [x([2, 3]), x([2])], 2);
  }],
  ["LSTMCell, batched, state, 2 steps", () => {
    check(new nn.LSTMCell(2, 3), [x([2, 2, 2]), x([2, 3]), x([2, 3])], 2);
  }],
  ["LSTMCell, unbatched, no bias, zero state", () => {
    check(new nn.LSTMCell(2, 3, { bias: false }), [x([2])]);
  }],
  ["GRUCell, batched, state, 2 steps", () => {
    check(new nn.GRUCell(2, 3), [x([2, 2, 2]), x([2, 3])], 2);
  }],
  ["GRUCell, unbatched, no bias, state", () => {
    check(new nn.GRUCell(2, 3, { bias: false }), [x([2]), x([3])]);
  }],
];

for (const [name, fn] of gradCases) Deno.test(`rnn cell gradcheck: ${name}`, fn);

Deno.test("rnn cells: shapes, parameter names and toString", () => {
  const l = new nn.LSTMCell(3, 5);
  const [h, c] = l.call(randn([4, 3]));
  assert.deepEqual([h.shape, c.shape], [[4, 5], [4, 5]]);
  const [hu, cu] = l.call(randn([3]));
  assert.deepEqual([hu.shape, cu.shape], [[5], [5]]);
  assert.deepEqual(l.weight_ih.shape, [20, 3]);
  assert.deepEqual(new nn.GRUCell(3, 5).call(randn([2, 3])).shape, [2, 5]);
  assert.deepEqual(new nn.GRUCell(3, 5).weight_hh.shape, [15, 5]);
  assert.deepEqual(new nn.RNNCell(3, 5).call(randn([3]), randn([5])).shape, [5]);
  const nb = new nn.RNNCell(3, 5, { bias: false });
  assert.deepEqual(Object.keys(nb.stateDict()), ["weight_ih", "weight_hh"]);
  assert.equal(nb.bias_ih, null);
  assert.equal(new nn.RNNCell(3, 4).toString(), "RNNCell(3, 4)");
  assert.equal(
    new nn.RNNCell(3, 4, { nonlinearity: "relu", bias: false }).toString(),
    "RNNCell(3, 4, bias=false, nonlinearity=relu)",
  );
  assert.equal(new nn.LSTMCell(3, 4).toString(), "LSTMCell(3, 4)");
  assert.equal(new nn.GRUCell(3, 4, { bias: false }).toString(), "GRUCell(3, 4, bias=false)");
  assert.equal(new nn.RNNCell(3, 4).nonlinearity, "tanh");
});

Deno.test("rnn cells: default init is U(-1/sqrt(hidden), 1/sqrt(hidden))", async () => {
  for (const m of [new nn.RNNCell(7, 16), new nn.LSTMCell(7, 16), new nn.GRUCell(7, 16)]) {
    for (const [name, p] of m.namedParameters()) {
      const v = await p.toArray();
      const lo = Math.min(...v), hi = Math.max(...v);
      assert.ok(lo >= -0.25 && hi <= 0.25, `${name} in [-0.25, 0.25]: ${lo}..${hi}`);
      assert.ok(lo < -0.125 && hi > 0.125, `${name} spread: ${lo}..${hi}`);
    }
  }
});

Deno.test("rnn cells: a cell steps exactly as a one-layer sequence module", async () => {
  const seq = new nn.GRU(3, 4);
  const cell = new nn.GRUCell(3, 4);
  cell.loadStateDict(
    Object.fromEntries(Object.entries(seq.stateDict()).map(([k, v]) => [k.replace("_l0", ""), v])),
  );
  const inp = randn([5, 2, 3]);
  const [out] = seq.call(inp);
  let h: Tensor | undefined;
  for (let t = 0; t < 5; t++) h = cell.call(inp.select(0, t), h);
  assert.deepEqual(await h!.toArray(), await out.select(0, 4).toArray());
});

Deno.test("rnn cells: bad inputs and states fail with the cell, the shapes and what was expected", () => {
  const l = new nn.LSTMCell(3, 4);
  assert.throws(
    () => l.call(randn([2, 2, 3])),
    /^RangeError: LSTMCell: expected input to be 1-D or 2-D but received 3-D tensor of shape \[2, 2, 3\]/,
  );
  assert.throws(
    () => l.call(randn([2, 5])),
    /^RangeError: LSTMCell: input has inconsistent input_size: got 5, expected 3/,
  );
  assert.throws(
    () => l.call(randn([2, 3]), [randn([3, 4]), randn([2, 4])]),
    /^RangeError: LSTMCell: expected h of shape \[2, 4\] for input of shape \[2, 3\], got h of shape \[3, 4\]/,
  );
  assert.throws(
    () => l.call(randn([2, 3]), [randn([2, 4]), randn([2, 5])]),
    /^RangeError: LSTMCell: expected c of shape \[2, 4\]/,
  );
  const g = new nn.GRUCell(3, 4);
  // Unbatched input takes a 1-D state, as PyTorch.
  assert.throws(
    () => g.call(randn([3]), randn([1, 4])),
    /^RangeError: GRUCell: expected hx of shape \[4\] for input of shape \[3\], got hx of shape \[1, 4\]/,
  );
  assert.throws(
    () => new nn.RNNCell(3, 4).call(randn([2, 3]), randn([4])),
    /^RangeError: RNNCell: expected hx of shape \[2, 4\]/,
  );
  assert.throws(
    () => new nn.RNNCell(3, 4, { nonlinearity: "gelu" as "tanh" }),
    /RNNCell: unknown nonlinearity 'gelu'/,
  );
  assert.throws(() => new nn.GRUCell(0, 4), /GRUCell: inputSize must be a positive integer/);
});

// webgpu vs cpu (float32): the same weights on both devices; outputs over two steps,
// gradients of the input and state, and every parameter gradient.
const parityCases: ParityCase<AnyCell>[] = [
  ["RNNCell relu", () => new nn.RNNCell(5, 6, { nonlinearity: "relu" }), [2, 3, 5], [[3, 6]]],
  ["LSTMCell", () => new nn.LSTMCell(5, 6), [2, 3, 5], [[3, 6], [3, 6]]],
  ["GRUCell, unbatched", () => new nn.GRUCell(5, 6), [2, 5], [[6]]],
];

moduleParityTest(
  "rnn cells: webgpu matches cpu (outputs, input and parameter gradients)",
  parityCases,
  (m, ins) => runFlat(m, ins, 2),
);

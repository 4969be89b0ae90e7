// nn.RNN, bidirectional LSTM/GRU/RNN and LSTM projSize: values, gradients and state-dict keys
// against PyTorch 1.13 (tools/gen_rnn_fixtures.py → tests/fixtures/nn/rnn_variants.json),
// finite-difference gradient checks in float64, shape errors, and webgpu-vs-cpu parity.
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

interface Config extends nn.LSTMOptions {
  inputSize: number;
  hiddenSize: number;
  nonlinearity?: "tanh" | "relu";
}

interface Case extends ModuleCase {
  kind: Kind;
  config: Config;
  keys: string[];
}

type AnyRNN = nn.LSTM | nn.GRU | nn.RNN;

function build(kind: Kind, c: Config): AnyRNN {
  if (kind === "lstm") return new nn.LSTM(c.inputSize, c.hiddenSize, c);
  if (kind === "gru") return new nn.GRU(c.inputSize, c.hiddenSize, c);
  return new nn.RNN(c.inputSize, c.hiddenSize, c);
}

/** Runs `m` on [seq, ...states] and flattens the result to [output, h_n(, c_n)]. */
function runFlat(m: AnyRNN, [x, ...st]: Tensor[]): Tensor[] {
  if (m instanceof nn.LSTM) {
    const [o, [h, c]] = m.call(x, st.length ? [st[0], st[1]] : undefined);
    return [o, h, c];
  }
  const [o, h] = (m as nn.GRU).call(x, st[0]);
  return [o, h];
}

const { cases } = fixture<{ cases: Case[] }>("rnn_variants.json");

for (const c of cases) {
  Deno.test(`rnn keys: ${c.name}: a fresh module has PyTorch's state-dict keys in order`, () => {
    assertFreshKeys(build(c.kind, c.config), c);
  });

  deviceTest(`rnn fixture: ${c.name}`, async (device: Device) => {
    const m = build(c.kind, c.config);
    await runModuleCase(c, device, m, runFlat);
    assert.deepEqual(Object.keys(m.stateDict()), c.keys, `${c.name}: state dict keys`);
  });
}

// Finite differences (float64, CPU) with respect to the sequence, the states and every
// parameter, for each new configuration.
const f64 = { dtype: "float64" as const, requiresGrad: true };
const x = (shape: number[]): Tensor => randn(shape, f64);

function check(m: AnyRNN, inputs: Tensor[]): void {
  m.double();
  const nIn = inputs.length;
  gradcheck(
    (...ts: Tensor[]) => runFlat(m, ts.slice(0, nIn)),
    [...inputs, ...m.parameters()],
  );
}

manualSeed(11);

const gradCases: [string, () => void][] = [
  ["LSTM bidirectional, 2 layers, initial state", () => {
    const m = new nn.LSTM(2, 2, { numLayers: 2, bidirectional: true });
    check(m, [x([3, 2, 2]), x([4, 2, 2]), x([4, 2, 2])]);
  }],
  ["LSTM bidirectional, batchFirst, no bias", () => {
    const m = new nn.LSTM(2, 2, { bidirectional: true, batchFirst: true, bias: false });
    check(m, [x([2, 3, 2]), x([2, 2, 2]), x([2, 2, 2])]);
  }],
  ["LSTM bidirectional, unbatched", () => {
    const m = new nn.LSTM(2, 2, { numLayers: 2, bidirectional: true });
    check(m, [x([3, 2]), x([4, 2]), x([4, 2])]);
  }],
  ["LSTM projSize, bidirectional, 2 layers", () => {
    const m = new nn.LSTM(2, 3, { numLayers: 2, bidirectional: true, projSize: 2 });
    check(m, [x([3, 1, 2]), x([4, 1, 2]), x([4, 1, 3])]);
  }],
  ["GRU bidirectional, 2 layers, batchFirst", () => {
    const m = new nn.GRU(2, 2, { numLayers: 2, bidirectional: true, batchFirst: true });
    check(m, [x([2, 3, 2]), x([4, 2, 2])]);
  }],
  ["GRU bidirectional, unbatched, no bias", () => {
    const m = new nn.GRU(2, 2, { bidirectional: true, bias: false });
    check(m, [x([3, 2]), x([2, 2])]);
  }],
  ["RNN tanh, bidirectional, 2 layers", () => {
    const m = new nn.RNN(2, 3, { numLayers: 2, bidirectional: true });
    check(m, [x([3, 2, 2]), x([4, 2, 3])]);
  }],
  ["RNN relu, 2 layers, batchFirst, no bias", () => {
    const m = new nn.RNN(2, 3, {
      numLayers: 2,
      nonlinearity: "relu",
      batchFirst: true,
      bias: false,
    });
    check(m, [x([2, 3, 2]), x([2, 2, 3])]);
  }],
  ["RNN relu, bidirectional, unbatched", () => {
    const m = new nn.RNN(2, 3, { nonlinearity: "relu", bidirectional: true });
    check(m, [x([4, 2]), x([2, 3])]);
  }],
  ["GRU bidirectional with inter-layer dropout (fixed mask)", () => {
    const m = new nn.GRU(2, 2, { numLayers: 2, bidirectional: true, dropout: 0.4 });
    m.double();
    const ins = [x([3, 2, 2]), x([4, 2, 2])];
    gradcheck((...ts: Tensor[]) => {
      manualSeed(5);
      return runFlat(m, ts.slice(0, 2));
    }, [...ins, ...m.parameters()]);
  }],
];

for (const [name, fn] of gradCases) Deno.test(`rnn gradcheck: ${name}`, fn);

Deno.test("rnn: shapes of outputs and states for every layout", () => {
  const m = new nn.LSTM(3, 5, { numLayers: 3, bidirectional: true, projSize: 2, batchFirst: true });
  const [o, [h, c]] = m.call(randn([4, 6, 3]));
  assert.deepEqual([o.shape, h.shape, c.shape], [[4, 6, 4], [6, 4, 2], [6, 4, 5]]);
  assert.deepEqual(new Map(m.namedParameters()).get("weight_ih_l1")?.shape, [20, 4]);
  assert.deepEqual(m.allWeights.map((ps) => ps.length), [5, 5, 5, 5, 5, 5]);
  assert.deepEqual(m.allWeights.flat(), m.parameters());
  const g = new nn.GRU(3, 4, { bidirectional: true });
  const [go, gh] = g.call(randn([6, 3]));
  assert.deepEqual([go.shape, gh.shape], [[6, 8], [2, 4]]);
  const r = new nn.RNN(3, 4, { numLayers: 2 });
  const [ro, rh] = r.call(randn([6, 2, 3]));
  assert.deepEqual([ro.shape, rh.shape], [[6, 2, 4], [2, 2, 4]]);
});

Deno.test("rnn: the reverse direction's first output is its final state", async () => {
  const m = new nn.GRU(2, 3, { bidirectional: true });
  const [o, h] = m.call(randn([4, 1, 2]));
  // PyTorch's layout: out[..., :H] is forward (ends at t = T-1), out[..., H:] is reverse
  // (ends at t = 0); h_n rows are [forward, reverse].
  assert.deepEqual(await o.select(0, 3).narrow(1, 0, 3).toArray(), await h.select(0, 0).toArray());
  assert.deepEqual(await o.select(0, 0).narrow(1, 3, 3).toArray(), await h.select(0, 1).toArray());
});

Deno.test("rnn: default init is U(-1/sqrt(hidden), 1/sqrt(hidden)) on every parameter", async () => {
  const m = new nn.RNN(7, 16, { numLayers: 2, bidirectional: true });
  const k = 1 / 4;
  for (const [name, p] of m.namedParameters()) {
    const v = await p.toArray();
    const lo = Math.min(...v), hi = Math.max(...v);
    assert.ok(lo >= -k && hi <= k, `${name} in [-${k}, ${k}]: ${lo}..${hi}`);
    if (v.length >= 64) assert.ok(lo < -k / 2 && hi > k / 2, `${name} spread: ${lo}..${hi}`);
  }
  const l = new nn.LSTM(3, 9, { projSize: 4 });
  for (const v of await l.allWeights[0][2].toArray()) assert.ok(Math.abs(v) <= 1 / 3);
});

Deno.test("rnn: toString shows the configuration", () => {
  assert.equal(new nn.RNN(3, 4).toString(), "RNN(3, 4)");
  assert.equal(
    new nn.RNN(3, 4, { nonlinearity: "relu", numLayers: 2, bidirectional: true }).toString(),
    "RNN(3, 4, numLayers=2, nonlinearity=relu, bidirectional=true)",
  );
  assert.equal(
    new nn.LSTM(3, 4, { projSize: 2, bias: false, batchFirst: true }).toString(),
    "LSTM(3, 4, projSize=2, bias=false, batchFirst=true)",
  );
  assert.equal(new nn.RNN(3, 4, { nonlinearity: "relu" }).nonlinearity, "relu");
});

Deno.test("rnn: inter-layer dropout acts in training only, on every layer but the last", async () => {
  const m = new nn.LSTM(2, 3, { numLayers: 2, bidirectional: true, dropout: 0.5 });
  const inp = randn([5, 2, 2]);
  m.eval();
  const e1 = await m.call(inp)[0].toArray(), e2 = await m.call(inp)[0].toArray();
  assert.deepEqual(e1, e2);
  m.train();
  manualSeed(1);
  const t1 = await m.call(inp)[0].toArray();
  manualSeed(1);
  const t2 = await m.call(inp)[0].toArray();
  assert.deepEqual(t1, t2, "same seed, same mask");
  assert.notDeepEqual(t1, e1);
  // A single layer has no inter-layer dropout at all.
  const one = new nn.GRU(2, 3, { dropout: 0.9 });
  const a = await one.call(inp)[0].toArray();
  one.eval();
  assert.deepEqual(await one.call(inp)[0].toArray(), a);
});

Deno.test("rnn: bad inputs and states fail with the module, the shapes and what was expected", () => {
  const lstm = new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true });
  assert.throws(
    () => lstm.call(randn([5, 2, 6])),
    /^RangeError: LSTM: expected input with last dim 3 \(inputSize\), got input of shape \[5, 2, 6\]/,
  );
  assert.throws(
    () => lstm.call(randn([5, 2, 3, 1])),
    /^RangeError: LSTM: expected 2-D \(unbatched\) or 3-D/,
  );
  // numLayers (2) without the directions: PyTorch wants numLayers * 2 = 4 rows.
  assert.throws(
    () => lstm.call(randn([5, 2, 3]), [randn([2, 2, 4]), randn([4, 2, 4])]),
    (e: Error) =>
      e instanceof RangeError &&
      e.message ===
        "LSTM: expected h_0 of shape [4, 2, 4] (numLayers*numDirections, batch, hiddenSize) " +
          "for input of shape [5, 2, 3], got h_0 of shape [2, 2, 4]",
  );
  assert.throws(
    () => lstm.call(randn([5, 2, 3]), [randn([4, 2, 4]), randn([4, 3, 4])]),
    /^RangeError: LSTM: expected c_0 of shape \[4, 2, 4\] .* got c_0 of shape \[4, 3, 4\]/,
  );
  const proj = new nn.LSTM(3, 4, { projSize: 2 });
  assert.throws(
    () => proj.call(randn([5, 3]), [randn([1, 4]), randn([1, 4])]),
    /^RangeError: LSTM: expected h_0 of shape \[1, 2\] \(numLayers\*numDirections, projSize\) for input of shape \[5, 3\], got h_0 of shape \[1, 4\]/,
  );
  const gru = new nn.GRU(3, 4, { batchFirst: true });
  // Unbatched input takes 2-D states, as PyTorch.
  assert.throws(
    () => gru.call(randn([5, 3]), randn([1, 1, 4])),
    /^RangeError: GRU: expected h_0 of shape \[1, 4\]/,
  );
  assert.throws(
    () => gru.call(randn([2, 5, 3]), randn([1, 5, 4])),
    /^RangeError: GRU: expected h_0 of shape \[1, 2, 4\] \(numLayers\*numDirections, batch, hiddenSize\) for input of shape \[2, 5, 3\]/,
  );
  const rnn = new nn.RNN(3, 4);
  assert.throws(
    () => rnn.call(randn([5, 2, 2])),
    /^RangeError: RNN: expected input with last dim 3/,
  );
  assert.throws(
    () => rnn.call(randn([0, 2, 3])),
    /^RangeError: RNN: expected a sequence of length >= 1/,
  );
});

Deno.test("rnn: bad options fail at construction as PyTorch's", () => {
  assert.throws(
    () => new nn.RNN(3, 4, { nonlinearity: "sigmoid" as "tanh" }),
    /RNN: unknown nonlinearity 'sigmoid'/,
  );
  assert.throws(
    () => new nn.LSTM(3, 4, { projSize: 4 }),
    /LSTM: projSize must be smaller than hiddenSize/,
  );
  assert.throws(
    () => new nn.LSTM(3, 4, { projSize: -1 }),
    /LSTM: projSize must be a positive integer or 0/,
  );
  assert.throws(
    () => new nn.GRU(3, 4, { projSize: 2 } as nn.RNNOptions),
    /GRU: projSize is only supported for LSTM/,
  );
  assert.throws(() => new nn.RNN(3, 4, { numLayers: 0 }), /RNN: numLayers must be >= 1/);
  assert.throws(() => new nn.GRU(3, 4, { dropout: 1.5 }), /GRU: dropout must be in \[0, 1\]/);
  assert.throws(() => new nn.LSTM(0, 4), /LSTM: inputSize must be a positive integer/);
});

Deno.test("rnn: a state dict round-trips between modules of the same configuration", async () => {
  const a = new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true, projSize: 2 });
  const b = new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true, projSize: 2 });
  assert.deepEqual(b.loadStateDict(a.stateDict()), { missingKeys: [], unexpectedKeys: [] });
  const inp = randn([4, 2, 3]);
  assert.deepEqual(await b.call(inp)[0].toArray(), await a.call(inp)[0].toArray());
  const c = new nn.LSTM(3, 4, { projSize: 2 });
  const res = c.loadStateDict(a.stateDict(), { strict: false });
  assert.deepEqual(res.missingKeys, []);
  assert.ok(res.unexpectedKeys.includes("weight_ih_l0_reverse"));
  assert.ok(res.unexpectedKeys.includes("weight_hr_l1"));
});

// webgpu vs cpu (float32): the same weights on both devices; outputs, gradients of the
// sequence and states, and every parameter gradient.
const parityCases: ParityCase<AnyRNN>[] = [
  ["LSTM bi 2 layers", () => new nn.LSTM(5, 6, { numLayers: 2, bidirectional: true }), [7, 3, 5], [
    [4, 3, 6],
    [4, 3, 6],
  ]],
  [
    "LSTM projSize bi, batchFirst",
    () => new nn.LSTM(5, 6, { projSize: 3, bidirectional: true, batchFirst: true }),
    [3, 7, 5],
    [],
  ],
  [
    "GRU bi 2 layers, unbatched",
    () => new nn.GRU(5, 6, { numLayers: 2, bidirectional: true }),
    [7, 5],
    [[4, 6]],
  ],
  [
    "RNN relu bi 2 layers",
    () => new nn.RNN(5, 6, { numLayers: 2, bidirectional: true, nonlinearity: "relu" }),
    [7, 3, 5],
    [[4, 3, 6]],
  ],
];

moduleParityTest(
  "rnn: webgpu matches cpu (outputs, input and parameter gradients)",
  parityCases,
  (m, ins) => runFlat(m, ins),
);

// nn.utils.rnn (PackedSequence, packPaddedSequence, padPackedSequence, padSequence,
// packSequence) and RNN / LSTM / GRU on packed input against PyTorch 1.13
// (tools/gen_packed_sequence_fixtures.py → tests/fixtures/nn/packed_sequence.json): layouts,
// values, final states and gradients; float64 finite-difference checks of the packed recurrence;
// errors; round trips; webgpu-vs-cpu parity.
import assert from "node:assert/strict";
import * as nn from "../src/nn/mod.ts";
import { gradcheck } from "../src/autograd/gradcheck.ts";
import { randn, tensor } from "../src/tensor/creation.ts";
import { scope } from "../src/tensor/memory.ts";
import { manualSeed } from "../src/tensor/random.ts";
import type { Device } from "../src/tensor/dtype.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import {
  assertClose,
  deviceTest,
  dtypeFor,
  fixture,
  fromJ,
  type JTensor,
  type ModuleCase,
  runModuleCase,
  tolFor,
} from "./_support/nn.ts";
import { moduleParityTest, type ParityCase } from "./_support/module_parity.ts";

const R = nn.utils.rnn;
type Kind = "lstm" | "gru" | "rnn";
type AnyRNN = nn.LSTM | nn.GRU | nn.RNN;

interface Config extends nn.LSTMOptions {
  inputSize: number;
  hiddenSize: number;
  nonlinearity?: "tanh" | "relu";
}

interface PackCase {
  name: string;
  input: JTensor;
  lengths: number[];
  batchFirst: boolean;
  enforceSorted: boolean;
  padBatchFirst: boolean;
  paddingValue: number;
  totalLength: number | null;
  data: JTensor;
  batch_sizes: number[];
  sorted_indices: number[] | null;
  unsorted_indices: number[] | null;
  padded: JTensor;
  padded_lengths: number[];
  r1: JTensor;
  r2: JTensor;
  input_grad: JTensor;
}

interface PadSequenceCase {
  name: string;
  sequences: JTensor[];
  batchFirst: boolean;
  paddingValue: number;
  enforceSorted: boolean;
  padded: JTensor;
  data: JTensor;
  batch_sizes: number[];
  sorted_indices: number[] | null;
}

interface RNNCase extends ModuleCase {
  kind: Kind;
  config: Config;
  lengths: number[];
  enforceSorted: boolean;
  batch_sizes: number[];
  padded: JTensor;
}

const fx = fixture<{ pack: PackCase[]; pad_sequence: PadSequenceCase[]; rnn: RNNCase[] }>(
  "packed_sequence.json",
);

async function ints(t: Tensor | null): Promise<number[] | null> {
  return t ? Array.from(await t.toArray(), Number) : null;
}

for (const c of fx.pack) {
  deviceTest(`packed sequence layout: ${c.name}`, async (device: Device) => {
    const dtype = dtypeFor(device), tol = tolFor(dtype);
    const x = fromJ(c.input, device, dtype).requiresGrad_(true);
    const p = R.packPaddedSequence(x, c.lengths, {
      batchFirst: c.batchFirst,
      enforceSorted: c.enforceSorted,
    });
    await assertClose(p.data, c.data, tol, `${c.name}: data`);
    assert.deepEqual(await ints(p.batchSizes), c.batch_sizes);
    assert.equal(p.batchSizes.device, "cpu");
    assert.deepEqual(await ints(p.sortedIndices), c.sorted_indices);
    assert.deepEqual(await ints(p.unsortedIndices), c.unsorted_indices);
    assert.equal(p.sortedIndices?.device ?? device, device);
    const [padded, lens] = R.padPackedSequence(p, {
      batchFirst: c.padBatchFirst,
      paddingValue: c.paddingValue,
      totalLength: c.totalLength ?? undefined,
    });
    await assertClose(padded, c.padded, tol, `${c.name}: padded`);
    assert.equal(lens.device, "cpu");
    assert.deepEqual(await ints(lens), c.padded_lengths);
    p.data.mul(fromJ(c.r1, device, dtype)).sum()
      .add(padded.mul(fromJ(c.r2, device, dtype)).sum())
      .backward();
    await assertClose(x.grad, c.input_grad, tol, `${c.name}: input grad`);
  });
}

for (const c of fx.pad_sequence) {
  deviceTest(`padSequence / packSequence: ${c.name}`, async (device: Device) => {
    const dtype = dtypeFor(device), tol = tolFor(dtype);
    const seqs = c.sequences.map((j) => fromJ(j, device, dtype));
    const padded = R.padSequence(seqs, {
      batchFirst: c.batchFirst,
      paddingValue: c.paddingValue,
    });
    await assertClose(padded, c.padded, tol, `${c.name}: padded`);
    const p = R.packSequence(seqs, { enforceSorted: c.enforceSorted });
    await assertClose(p.data, c.data, tol, `${c.name}: packed data`);
    assert.deepEqual(await ints(p.batchSizes), c.batch_sizes);
    assert.deepEqual(await ints(p.sortedIndices), c.sorted_indices);
    const back = R.unpackSequence(p);
    for (const [i, s] of back.entries()) {
      await assertClose(s, c.sequences[i], tol, `${c.name}: unpacked ${i}`);
    }
  });
}

function build(kind: Kind, c: Config): AnyRNN {
  if (kind === "lstm") return new nn.LSTM(c.inputSize, c.hiddenSize, c);
  if (kind === "gru") return new nn.GRU(c.inputSize, c.hiddenSize, c);
  return new nn.RNN(c.inputSize, c.hiddenSize, c);
}

/** Runs `m` on packed `x` with optional states; returns [output, [h_n(, c_n)]]. */
function runPacked(
  m: AnyRNN,
  x: nn.utils.rnn.PackedSequence,
  st: Tensor[],
): [nn.utils.rnn.PackedSequence, Tensor[]] {
  if (m instanceof nn.LSTM) {
    const [o, [h, c]] = m.call(x, st.length ? [st[0], st[1]] : undefined);
    return [o, [h, c]];
  }
  const [o, h] = (m as nn.GRU).call(x, st[0]);
  return [o, [h]];
}

for (const c of fx.rnn) {
  deviceTest(
    `packed rnn fixture: ${c.name}`,
    (device: Device) =>
      runModuleCase(c, device, build(c.kind, c.config), async (m, inputs) => {
        const packed = R.packPaddedSequence(inputs[0], c.lengths, {
          batchFirst: c.config.batchFirst,
          enforceSorted: c.enforceSorted,
        });
        const [out, finals] = runPacked(m, packed, inputs.slice(1));
        assert.ok(out instanceof R.PackedSequence);
        assert.equal(out.batchSizes, packed.batchSizes);
        assert.deepEqual(await ints(out.batchSizes), c.batch_sizes);
        const [padded] = R.padPackedSequence(out, { batchFirst: c.config.batchFirst });
        await assertClose(padded, c.padded, tolFor(dtypeFor(device)), `${c.name} padded output`);
        return [out.data, ...finals];
      }),
  );
}

// Finite differences (float64, CPU) through packing, the variable-length recurrence (both
// directions, 2 layers) and the permutation of the states, with respect to the padded
// sequence, the initial states and every parameter.
manualSeed(21);
const f64 = { dtype: "float64" as const, requiresGrad: true };
const x = (shape: number[]): Tensor => randn(shape, f64);

function checkPacked(
  m: AnyRNN,
  lengths: number[],
  opts: nn.utils.rnn.PackPaddedOptions,
  inputs: Tensor[],
): void {
  m.double();
  const nIn = inputs.length;
  gradcheck((...ts: Tensor[]) => {
    const p = R.packPaddedSequence(ts[0], lengths, opts);
    const [o, fin] = runPacked(m, p, ts.slice(1, nIn));
    return [o.data, ...fin];
  }, [...inputs, ...m.parameters()]);
}

const gradCases: [string, () => void][] = [
  ["LSTM bidirectional, 2 layers, unsorted, initial state", () => {
    const m = new nn.LSTM(2, 2, { numLayers: 2, bidirectional: true });
    checkPacked(m, [2, 3, 1], { enforceSorted: false }, [x([3, 3, 2]), x([4, 3, 2]), x([4, 3, 2])]);
  }],
  ["LSTM projSize, bidirectional, batchFirst, sorted", () => {
    const m = new nn.LSTM(2, 3, { bidirectional: true, projSize: 2, batchFirst: true });
    checkPacked(m, [3, 2], { batchFirst: true }, [x([2, 4, 2]), x([2, 2, 2]), x([2, 2, 3])]);
  }],
  ["GRU bidirectional, 2 layers, unsorted with ties", () => {
    const m = new nn.GRU(2, 2, { numLayers: 2, bidirectional: true });
    checkPacked(m, [1, 3, 1], { enforceSorted: false }, [x([3, 3, 2]), x([4, 3, 2])]);
  }],
  ["RNN tanh, bidirectional, batchFirst, unsorted", () => {
    const m = new nn.RNN(2, 3, { bidirectional: true, batchFirst: true });
    checkPacked(m, [2, 4], { batchFirst: true, enforceSorted: false }, [
      x([2, 4, 2]),
      x([2, 2, 3]),
    ]);
  }],
];
for (const [name, fn] of gradCases) Deno.test(`packed rnn gradcheck: ${name}`, fn);

Deno.test("packed rnn: each sequence's result equals running it alone, unpadded", async () => {
  const m = new nn.GRU(3, 4, { numLayers: 2, bidirectional: true }).double();
  const lengths = [2, 5, 3];
  const padded = randn([5, 3, 3], { dtype: "float64" });
  const h0 = randn([4, 3, 4], { dtype: "float64" });
  const [out, h] = m.call(R.packPaddedSequence(padded, lengths, { enforceSorted: false }), h0);
  const [unpadded] = R.padPackedSequence(out);
  for (const [b, l] of lengths.entries()) {
    const seq = padded.narrow(0, 0, l).narrow(1, b, 1);
    const [o1, h1] = m.call(seq, h0.narrow(1, b, 1));
    const got = Array.from(await unpadded.narrow(0, 0, l).narrow(1, b, 1).toArray());
    const want = Array.from(await o1.toArray());
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-12, `seq ${b} out ${i}`));
    const gh = Array.from(await h.narrow(1, b, 1).toArray()), wh = Array.from(await h1.toArray());
    gh.forEach((v, i) => assert.ok(Math.abs(v - wh[i]) < 1e-12, `seq ${b} h_n ${i}`));
    assert.deepEqual(
      Array.from(await unpadded.narrow(0, l, 5 - l).narrow(1, b, 1).toArray()).filter((v) => v),
      [],
      `seq ${b} padding`,
    );
  }
});

Deno.test("pack/pad round trips restore the padded batch and the sequences", async () => {
  const seqs = [randn([2, 3]), randn([4, 3]), randn([1, 3]), randn([4, 3])];
  const padded = R.padSequence(seqs, { batchFirst: true });
  const lengths = seqs.map((s) => s.shape[0]);
  const p = R.packPaddedSequence(padded, tensor(lengths, { dtype: "int32" }), {
    batchFirst: true,
    enforceSorted: false,
  });
  const [back, lens] = R.padPackedSequence(p, { batchFirst: true });
  assert.deepEqual(Array.from(await back.toArray()), Array.from(await padded.toArray()));
  assert.deepEqual(Array.from(await lens.toArray()), lengths);
  const parts = R.unpadSequence(back, lens, { batchFirst: true });
  for (const [i, s] of parts.entries()) {
    assert.deepEqual(Array.from(await s.toArray()), Array.from(await seqs[i].toArray()));
  }
  // A tensor is read as the list of its rows; 1-D sequences pad to [T, B].
  assert.deepEqual(R.padSequence(randn([3, 5, 2])).shape, [5, 3, 2]);
  assert.deepEqual(R.padSequence([randn([3]), randn([1])]).shape, [3, 2]);
  // Packing keeps PyTorch's ordering: sorted by decreasing length, ties in batch order.
  assert.deepEqual(Array.from(await p.sortedIndices!.toArray()), [1, 3, 0, 2]);
  assert.deepEqual(
    Array.from(await R.invertPermutation(tensor([2, 0, 1], { dtype: "int32" }))!.toArray()),
    [1, 2, 0],
  );
  assert.equal(R.invertPermutation(null), null);
});

Deno.test("PackedSequence: a returning scope keeps its tensors; to() and the constructor", () => {
  const p = scope(() => R.packSequence([randn([3, 2]), randn([1, 2])]));
  assert.ok(!p.data.isDisposed && !p.batchSizes.isDisposed);
  const q = scope(() =>
    R.packPaddedSequence(randn([3, 2, 2]), [1, 3], { enforceSorted: false }).double()
  );
  assert.equal(q.data.dtype, "float64");
  assert.ok(!q.data.isDisposed && !q.sortedIndices!.isDisposed && !q.unsortedIndices!.isDisposed);
  assert.equal(q.to("float64"), q);
  const wrapped = new R.PackedSequence(q.data.relu(), q.batchSizes, q.sortedIndices);
  assert.deepEqual(Array.from(wrapped.unsortedIndices!.dataSync()), [1, 0]);
  assert.throws(
    () => new R.PackedSequence(randn([5, 2]), tensor([2, 2], { dtype: "int32" })),
    /^RangeError: PackedSequence: data of shape \[5, 2\] does not hold the 4 steps that batchSizes \[2, 2\] count/,
  );
  assert.throws(
    () => new R.PackedSequence(randn([4, 2]), tensor([1, 3], { dtype: "int32" })),
    /PackedSequence: batchSizes must be positive integers in non-increasing order, got \[1, 3\]/,
  );
});

Deno.test("packing errors name the function, the lengths and the shapes", () => {
  const inp = randn([4, 3, 2]);
  assert.throws(
    () => R.packPaddedSequence(inp, [4, 2, 3]),
    /^RangeError: packPaddedSequence: `lengths` array must be sorted in decreasing order when `enforceSorted` is true, got \[4, 2, 3\]/,
  );
  assert.throws(
    () => R.packPaddedSequence(inp, [4, 0, 3], { enforceSorted: false }),
    /^RangeError: packPaddedSequence: length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0 \(lengths \[4, 0, 3\]\)/,
  );
  assert.throws(
    () => R.packPaddedSequence(inp, [5, 3, 2]),
    /^RangeError: packPaddedSequence: lengths must be at most the padded length T=4 of input of shape \[4, 3, 2\], got lengths \[5, 3, 2\]/,
  );
  assert.throws(
    () => R.packPaddedSequence(inp, [4, 3, 2], { batchFirst: true }),
    /^RangeError: packPaddedSequence: expected len\(lengths\) to be equal to batch_size, but got 3 \(batch_size=4\) for input of shape \[4, 3, 2\]/,
  );
  assert.throws(
    () => R.packPaddedSequence(randn([4]), [4]),
    /^RangeError: packPaddedSequence: expected input of at least 2 dims \(\[T, B, \*\]\), got input of shape \[4\]/,
  );
  assert.throws(
    () => R.packPaddedSequence(inp, tensor([[4, 3, 2]])),
    /^TypeError: packPaddedSequence: 'lengths' argument should be a 1-D cpu tensor/,
  );
  const p = R.packPaddedSequence(randn([5, 2, 1]), [5, 3]);
  assert.throws(
    () => R.padPackedSequence(p, { totalLength: 3 }),
    /^RangeError: padPackedSequence: expected totalLength to be at least the length of the longest sequence in input, but got totalLength=3 and max sequence length being 5/,
  );
  assert.throws(() => R.padSequence([]), /^RangeError: padSequence: received an empty list/);
  assert.throws(
    () => R.padSequence([randn([3, 2]), randn([2, 3])]),
    /^RangeError: padSequence: every sequence must be \[L, 2\] like sequence 0 of shape \[3, 2\], got sequence 1 of shape \[2, 3\]/,
  );
  assert.throws(
    () => R.packSequence([randn([3, 2]), randn([4, 2])]),
    /^RangeError: packPaddedSequence: `lengths` array must be sorted in decreasing order/,
  );
});

Deno.test("packed rnn: bad packed input and states name the layer and the shapes", () => {
  const lstm = new nn.LSTM(3, 4, { numLayers: 2 });
  const p = R.packPaddedSequence(randn([5, 2, 3]), [5, 2]);
  assert.throws(
    () => lstm.call(p, [randn([2, 3, 4]), randn([2, 3, 4])]),
    (e: Error) =>
      e instanceof RangeError &&
      e.message ===
        "LSTM: expected h_0 of shape [2, 2, 4] (numLayers*numDirections, batch, hiddenSize) " +
          "for packed input of batch size 2 (data of shape [7, 3]), got h_0 of shape [2, 3, 4]",
  );
  const gru = new nn.GRU(2, 4);
  assert.throws(
    () => gru.call(p),
    /^RangeError: GRU: expected packed data of shape \[N, 2\] \(inputSize\), got packed data of shape \[7, 3\]/,
  );
});

Deno.test("nn.utils: clipping is optim's, parametersToVector / vectorToParameters", async () => {
  const { clipGradNorm_, clipGradValue_ } = await import("../src/optim/clip_grad.ts");
  assert.equal(nn.utils.clipGradNorm_, clipGradNorm_);
  assert.equal(nn.utils.clipGradValue_, clipGradValue_);
  const lin = new nn.Linear(3, 2);
  const v = nn.utils.parametersToVector(lin.parameters());
  assert.deepEqual(v.shape, [8]);
  const w = Array.from(await lin.weight.toArray()), b = Array.from(await lin.bias!.toArray());
  assert.deepEqual(Array.from(await v.toArray()), [...w, ...b]);
  v.mul(tensor([1, 2, 3, 4, 5, 6, 7, 8])).sum().backward();
  assert.deepEqual(Array.from(await lin.weight.grad!.toArray()), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(await lin.bias!.grad!.toArray()), [7, 8]);
  nn.utils.vectorToParameters(tensor([0, 1, 2, 3, 4, 5, 6, 7]), lin.parameters());
  assert.deepEqual(Array.from(await lin.weight.toArray()), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(Array.from(await lin.bias!.toArray()), [6, 7]);
  assert.ok(lin.weight.isLeaf && lin.weight.requiresGrad);
  assert.throws(
    () => nn.utils.vectorToParameters(tensor([1, 2]), lin.parameters()),
    /^RangeError: vectorToParameters: expected a 1-D vector of 8 elements \(the parameters' total\), got shape \[2\]/,
  );
});

// webgpu vs cpu (float32): the packed recurrence with the same weights on both devices.
const parityLengths = [3, 7, 5];
const parityCases: ParityCase<AnyRNN>[] = [
  ["LSTM bi 2 layers", () => new nn.LSTM(5, 6, { numLayers: 2, bidirectional: true }), [7, 3, 5], [
    [4, 3, 6],
    [4, 3, 6],
  ]],
  ["GRU bi", () => new nn.GRU(5, 6, { bidirectional: true }), [7, 3, 5], [[2, 3, 6]]],
  ["RNN relu 2 layers", () => new nn.RNN(5, 6, { numLayers: 2, nonlinearity: "relu" }), [7, 3, 5], [
    [2, 3, 6],
  ]],
];
moduleParityTest(
  "packed rnn: webgpu matches cpu (outputs, input and parameter gradients)",
  parityCases,
  (m, [seq, ...st]) => {
    const p = R.packPaddedSequence(seq, parityLengths, { enforceSorted: false });
    const [o, fin] = runPacked(m, p, st);
    return [o.data, ...fin];
  },
);

// nn.MultiheadAttention, F.multiHeadAttentionForward, the transformer encoder/decoder layers and
// stacks and nn.Transformer: outputs, attention weights, state-dict keys and gradients against
// PyTorch 1.13 (tools/gen_transformer_fixtures.py → tests/fixtures/nn/transformer.json), a
// torch.save file loaded into nn.Transformer, float64 finite-difference gradient checks,
// PyTorch's initialisation, clear errors, and webgpu-vs-cpu parity.
import assert from "node:assert/strict";
import * as nn from "../src/nn/mod.ts";
import { functional as F } from "../src/nn/mod.ts";
import { gradcheck } from "../src/autograd/gradcheck.ts";
import { noGrad } from "../src/autograd/grad_mode.ts";
import { load } from "../src/io/checkpoint.ts";
import { randn, tensor, zeros } from "../src/tensor/creation.ts";
import { manualSeed } from "../src/tensor/random.ts";
import type { Device, DType } from "../src/tensor/dtype.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import {
  assertClose,
  assertFreshKeys,
  deviceTest,
  dtypeFor,
  fixture,
  fromJ,
  type JTensor,
  type ModuleCase,
  runModuleCase,
} from "./_support/nn.ts";
import { moduleParityTest, type ParityCase } from "./_support/module_parity.ts";
import { hasGpu } from "./webgpu_helpers.ts";

type Kind = "mha" | "enc_layer" | "dec_layer" | "encoder" | "decoder" | "transformer";

interface Config extends nn.MultiheadAttentionOptions, nn.TransformerLayerOptions {
  embedDim: number;
  numHeads: number;
  dModel: number;
  nhead: number;
  numLayers: number;
  numEncoderLayers: number;
  numDecoderLayers: number;
  norm?: boolean;
  activation?: "relu" | "gelu";
}

interface Call {
  qkv?: "self" | "kv" | "sep";
  needWeights?: boolean;
  averageAttnWeights?: boolean;
}

interface Case extends ModuleCase {
  kind: Kind;
  config: Config;
  call: Call;
  keys: string[];
  masks: Record<string, JTensor>;
}

type Masks = Record<string, Tensor | undefined>;
type AnyTransformerModule =
  | nn.MultiheadAttention
  | nn.TransformerEncoderLayer
  | nn.TransformerDecoderLayer
  | nn.TransformerEncoder
  | nn.TransformerDecoder
  | nn.Transformer;

function build(kind: Kind, c: Config): AnyTransformerModule {
  const layer = { ...c, dropout: 0 };
  switch (kind) {
    case "mha":
      return new nn.MultiheadAttention(c.embedDim, c.numHeads, c);
    case "enc_layer":
      return new nn.TransformerEncoderLayer(c.dModel, c.nhead, layer);
    case "dec_layer":
      return new nn.TransformerDecoderLayer(c.dModel, c.nhead, layer);
    case "encoder":
      return new nn.TransformerEncoder(
        new nn.TransformerEncoderLayer(c.dModel, c.nhead, layer),
        c.numLayers,
        { norm: c.norm ? new nn.LayerNorm(c.dModel) : null },
      );
    case "decoder":
      return new nn.TransformerDecoder(
        new nn.TransformerDecoderLayer(c.dModel, c.nhead, layer),
        c.numLayers,
        { norm: c.norm ? new nn.LayerNorm(c.dModel) : null },
      );
    case "transformer":
      return new nn.Transformer(layer);
  }
}

/** Calls a module as the generator does and returns [output] or [output, weights]. */
function run(m: AnyTransformerModule, ins: Tensor[], masks: Masks, call: Call = {}): Tensor[] {
  if (m instanceof nn.MultiheadAttention) {
    const [q, k, v] = call.qkv === "self"
      ? [ins[0], ins[0], ins[0]]
      : call.qkv === "kv"
      ? [ins[0], ins[1], ins[1]]
      : ins;
    const [out, w] = m.call(q, k, v, {
      keyPaddingMask: masks.keyPaddingMask,
      attnMask: masks.attnMask,
      needWeights: call.needWeights,
      averageAttnWeights: call.averageAttnWeights,
    });
    return w ? [out, w] : [out];
  }
  if (m instanceof nn.TransformerEncoderLayer) return [m.call(ins[0], masks)];
  if (m instanceof nn.TransformerEncoder) return [m.call(ins[0], masks)];
  if (m instanceof nn.Transformer) return [m.call(ins[0], ins[1], masks)];
  return [m.call(ins[0], ins[1], masks)];
}

/**
 * A fixture mask: bool masks stay bool, float masks take the run's dtype (their infinities are
 * stored as the strings "-Infinity" / "Infinity", which Number() reads).
 */
function maskOf(j: JTensor, device: Device, dtype: DType): Tensor {
  if (j.dtype === "bool") {
    return tensor(Uint8Array.from(j.values), { shape: j.shape, dtype: "bool", device });
  }
  return fromJ({ ...j, values: j.values.map(Number) }, device, dtype);
}

const { cases, saved } = fixture<{
  cases: Case[];
  saved: { file: string; config: Config; src: JTensor; tgt: JTensor; output: JTensor };
}>("transformer.json");

for (const c of cases) {
  Deno.test(`transformer keys: ${c.name}: a fresh module has PyTorch's state-dict keys`, () => {
    assertFreshKeys(build(c.kind, c.config), c);
  });

  deviceTest(`transformer fixture: ${c.name}`, (device: Device) => {
    const dtype = dtypeFor(device);
    const masks = Object.fromEntries(
      Object.entries(c.masks).map(([k, j]) => [k, maskOf(j, device, dtype)]),
    );
    return runModuleCase(c, device, build(c.kind, c.config), (m, xs) => run(m, xs, masks, c.call));
  });
}

Deno.test("transformer: a torch.save state dict loads into nn.Transformer with the same output", async () => {
  const sd = await load<nn.StateDict>(new URL(`./fixtures/nn/${saved.file}`, import.meta.url));
  const m = new nn.Transformer({ ...saved.config, dropout: 0 });
  assert.deepEqual(m.loadStateDict(sd), { missingKeys: [], unexpectedKeys: [] });
  m.eval();
  const out = m.call(fromJ(saved.src, "cpu", "float32"), fromJ(saved.tgt, "cpu", "float32"), {
    tgtMask: nn.Transformer.generateSquareSubsequentMask(saved.tgt.shape[0]),
  });
  await assertClose(out, saved.output, 1e-5, "loaded transformer output");
});

Deno.test("multiHeadAttentionForward: the functional form equals the module", async () => {
  const m = new nn.MultiheadAttention(6, 3, { kdim: 4, vdim: 5, addBiasKv: true }).double();
  const q = randn([3, 2, 6], { dtype: "float64" });
  const k = randn([4, 2, 4], { dtype: "float64" });
  const v = randn([4, 2, 5], { dtype: "float64" });
  const kpm = tensor([[false, true, false, false], [false, false, false, true]], { dtype: "bool" });
  const [o1, w1] = m.call(q, k, v, { keyPaddingMask: kpm });
  const [o2, w2] = F.multiHeadAttentionForward(
    q,
    k,
    v,
    6,
    3,
    null,
    m.in_proj_bias,
    m.bias_k,
    m.bias_v,
    false,
    0,
    m.out_proj.weight,
    m.out_proj.bias,
    {
      keyPaddingMask: kpm,
      useSeparateProjWeight: true,
      qProjWeight: m.q_proj_weight,
      kProjWeight: m.k_proj_weight,
      vProjWeight: m.v_proj_weight,
    },
  );
  assert.deepEqual(await o2.toArray(), await o1.toArray());
  assert.deepEqual(await w2!.toArray(), await w1!.toArray());
  // Masked keys get exactly zero weight; every row still sums to one.
  const w = await w1!.toArray();
  for (let row = 0; row < 6; row++) {
    const r = Array.from(w.slice(row * 5, row * 5 + 5));
    assert.ok(Math.abs(r.reduce((a, b) => a + b) - 1) < 1e-12);
    assert.equal(r[row < 3 ? 1 : 3], 0);
  }
});

Deno.test("multiHeadAttentionForward: staticK and staticV replace the projected keys and values", async () => {
  const E = 4, H = 2, L = 3, S = 5, N = 2;
  const f64 = { dtype: "float64" as const };
  const x = randn([L, N, E], f64);
  const w = randn([3 * E, E], f64), ow = randn([E, E], f64);
  const sk = randn([N * H, S, E / H], f64), sv = randn([N * H, S, E / H], f64);
  const [out, weights] = F.multiHeadAttentionForward(
    x,
    x,
    x,
    E,
    H,
    w,
    null,
    null,
    null,
    false,
    0,
    ow,
    null,
    {
      staticK: sk,
      staticV: sv,
      averageAttnWeights: false,
    },
  );
  assert.deepEqual(out.shape, [L, N, E]);
  assert.deepEqual(weights!.shape, [N, H, L, S]);
  // By hand: q from the first third of w, softmax(q kᵀ/√d) v per head.
  const q = x.matmul(w.narrow(0, 0, E).t()).reshape([L, N * H, E / H]).transpose(0, 1);
  const att = q.div(Math.sqrt(E / H)).bmm(sk.transpose(1, 2)).softmax(-1);
  const heads = att.bmm(sv).transpose(0, 1).reshape([L, N, E]);
  const want = await heads.matmul(ow.t()).toArray();
  const got = await out.toArray();
  want.forEach((v, i) => assert.ok(Math.abs(got[i] - v) < 1e-12, `element ${i}`));
});

// Finite differences (float64, CPU) through inputs, float masks and every parameter.
const f64 = { dtype: "float64" as const, requiresGrad: true };
const leaf = (shape: number[]): Tensor => randn(shape, f64);

function check(m: AnyTransformerModule, ins: Tensor[], masks: Masks, call: Call = {}): void {
  m.double();
  gradcheck((...ts: Tensor[]) => run(m, ts.slice(0, ins.length), masks, call), [
    ...ins,
    ...m.parameters(),
  ]);
}

manualSeed(21);

const bool = (rows: boolean[][]): Tensor => tensor(rows, { dtype: "bool" });

const gradCases: [string, () => void][] = [
  ["MultiheadAttention: self-attention, bool masks, batchFirst", () => {
    const m = new nn.MultiheadAttention(4, 2, { batchFirst: true });
    check(m, [leaf([2, 3, 4])], {
      attnMask: bool([[false, true, true], [false, false, true], [false, false, false]]),
      keyPaddingMask: bool([[false, false, true], [false, false, false]]),
    }, { qkv: "self" });
  }],
  ["MultiheadAttention: kdim/vdim, addBiasKv, addZeroAttn, per-head weights", () => {
    const m = new nn.MultiheadAttention(4, 2, {
      kdim: 3,
      vdim: 2,
      addBiasKv: true,
      addZeroAttn: true,
    });
    check(m, [leaf([2, 2, 4]), leaf([3, 2, 3]), leaf([3, 2, 2])], {
      keyPaddingMask: bool([[false, true, false], [false, false, false]]),
    }, { qkv: "sep", averageAttnWeights: false });
  }],
  ["MultiheadAttention: unbatched, float 3-D mask (which gets a gradient too)", () => {
    const m = new nn.MultiheadAttention(4, 2, { bias: false });
    const mask = leaf([2, 2, 3]);
    m.double();
    const ins = [leaf([2, 4]), leaf([3, 4])];
    gradcheck(
      (q: Tensor, kv: Tensor, am: Tensor) => run(m, [q, kv], { attnMask: am }, { qkv: "kv" }),
      [...ins, mask, ...m.parameters()],
    );
  }],
  ["TransformerEncoderLayer: post-norm relu with masks", () => {
    const m = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 6, dropout: 0 });
    check(m, [leaf([3, 2, 4])], {
      srcMask: nn.Transformer.generateSquareSubsequentMask(3, { dtype: "float64" }),
      srcKeyPaddingMask: bool([[false, false, true], [false, false, false]]),
    });
  }],
  ["TransformerEncoderLayer: pre-norm gelu, batchFirst", () => {
    const m = new nn.TransformerEncoderLayer(4, 2, {
      dimFeedforward: 6,
      dropout: 0,
      activation: "gelu",
      normFirst: true,
      batchFirst: true,
    });
    check(m, [leaf([2, 3, 4])], {});
  }],
  ["TransformerDecoderLayer: causal target mask, memory padding", () => {
    const m = new nn.TransformerDecoderLayer(4, 2, { dimFeedforward: 5, dropout: 0 });
    check(m, [leaf([3, 1, 4]), leaf([2, 1, 4])], {
      tgtMask: nn.Transformer.generateSquareSubsequentMask(3, { dtype: "float64" }),
      memoryKeyPaddingMask: bool([[false, true]]),
    });
  }],
];

for (const [name, fn] of gradCases) Deno.test(`transformer gradcheck: ${name}`, fn);

Deno.test("MultiheadAttention: PyTorch's initialisation", async () => {
  const m = new nn.MultiheadAttention(16, 4, { addBiasKv: true });
  const bound = Math.sqrt(6 / (16 + 48)); // xavier_uniform_ on [3E, E]
  const w = await m.in_proj_weight!.toArray();
  assert.ok(w.every((v) => Math.abs(v) <= bound));
  assert.ok(Math.max(...w) > bound / 2 && Math.min(...w) < -bound / 2);
  assert.ok((await m.in_proj_bias!.toArray()).every((v) => v === 0));
  assert.ok((await m.out_proj.bias!.toArray()).every((v) => v === 0));
  // out_proj.weight keeps Linear's U(-1/√E, 1/√E).
  assert.ok((await m.out_proj.weight.toArray()).every((v) => Math.abs(v) <= 0.25));
  assert.ok((await m.bias_k!.toArray()).some((v) => v !== 0));
  const sep = new nn.MultiheadAttention(6, 2, { kdim: 2, vdim: 4, bias: false });
  assert.equal(sep.in_proj_weight, null);
  assert.equal(sep.out_proj.bias, null);
  assert.deepEqual(sep.k_proj_weight!.shape, [6, 2]);
  const kb = Math.sqrt(6 / (6 + 2));
  assert.ok((await sep.k_proj_weight!.toArray()).every((v) => Math.abs(v) <= kb));
});

Deno.test("Transformer: Xavier-uniform on every matrix, LayerNorms at ones and zeros", async () => {
  const m = new nn.Transformer({
    dModel: 8,
    nhead: 2,
    numEncoderLayers: 1,
    numDecoderLayers: 1,
    dimFeedforward: 12,
  });
  for (const [name, p] of m.namedParameters()) {
    const v = await p.toArray();
    if (p.ndim > 1) {
      const bound = Math.sqrt(6 / (p.shape[0] + p.shape[1]));
      assert.ok(v.every((x) => Math.abs(x) <= bound), `${name} within ±${bound}`);
    } else if (name.includes("norm") && name.endsWith("weight")) {
      assert.ok(v.every((x) => x === 1), name);
    } else if (name.includes("norm") || name.includes("in_proj_bias")) {
      assert.ok(v.every((x) => x === 0), name);
    }
  }
});

Deno.test("TransformerEncoder: layers are independent copies with the same initial weights", async () => {
  const layer = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 6, activation: "gelu" });
  layer.eval();
  const enc = new nn.TransformerEncoder(layer, 3);
  const [a, b] = [enc.layers.get(0), enc.layers.get(1)];
  assert.notEqual(a, layer);
  assert.notEqual(a.linear1.weight, b.linear1.weight);
  assert.deepEqual(await a.linear1.weight.toArray(), await layer.linear1.weight.toArray());
  assert.deepEqual(
    await b.self_attn.in_proj_weight!.toArray(),
    await layer.self_attn.in_proj_weight!.toArray(),
  );
  assert.equal(a.activation, layer.activation);
  assert.equal(b.training, false);
  assert.equal(b.self_attn.training, false);
  noGrad(() => b.linear1.weight.mul_(2));
  assert.notDeepEqual(await a.linear1.weight.toArray(), await b.linear1.weight.toArray());
  assert.equal(enc.numParameters(), 3 * layer.numParameters());
});

Deno.test("Transformer.generateSquareSubsequentMask: -inf above the diagonal", async () => {
  const m = nn.Transformer.generateSquareSubsequentMask(3);
  assert.deepEqual(m.shape, [3, 3]);
  assert.equal(m.dtype, "float32");
  assert.deepEqual(Array.from(await m.toArray()), [
    0,
    -Infinity,
    -Infinity,
    0,
    0,
    -Infinity,
    0,
    0,
    0,
  ]);
  assert.equal(
    nn.Transformer.generateSquareSubsequentMask(2, { dtype: "float64" }).dtype,
    "float64",
  );
  assert.throws(
    () => nn.Transformer.generateSquareSubsequentMask(-1),
    /sz must be a non-negative integer/,
  );
});

Deno.test("MultiheadAttention: dropout acts on the weights in training only", async () => {
  const m = new nn.MultiheadAttention(8, 2, { dropout: 0.5 });
  const x = randn([4, 2, 8]);
  manualSeed(3);
  const [t1] = m.call(x, x, x);
  manualSeed(3);
  const [t2] = m.call(x, x, x);
  assert.deepEqual(await t1.toArray(), await t2.toArray(), "same seed, same mask");
  m.eval();
  const [e1, w1] = m.call(x, x, x);
  const [e2] = m.call(x, x, x);
  assert.deepEqual(await e1.toArray(), await e2.toArray());
  assert.notDeepEqual(await t1.toArray(), await e1.toArray());
  // Averaged eval weights are a distribution over keys.
  const w = await w1!.toArray();
  for (let r = 0; r < 8; r++) {
    assert.ok(Math.abs(Array.from(w.slice(r * 4, r * 4 + 4)).reduce((a, b) => a + b) - 1) < 1e-5);
  }
});

Deno.test("transformer: toString shows the configuration and PyTorch's structure", () => {
  const m = new nn.MultiheadAttention(8, 2, { kdim: 4, batchFirst: true });
  assert.equal(
    m.toString(),
    "MultiheadAttention(\n  embedDim=8, numHeads=2, kdim=4, batchFirst=true\n" +
      "  (out_proj): NonDynamicallyQuantizableLinear(inFeatures=8, outFeatures=8, bias=true)\n)",
  );
  const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, normFirst: true });
  const s = layer.toString();
  assert.ok(
    s.startsWith("TransformerEncoderLayer(\n  normFirst=true\n  (self_attn): MultiheadAttention("),
  );
  assert.ok(s.includes("(linear1): Linear(inFeatures=8, outFeatures=16, bias=true)"));
  assert.ok(s.includes("(dropout2): Dropout(p=0.1)"));
});

Deno.test("transformer: misuse fails with the module or op, the shapes and what was expected", () => {
  assert.throws(
    () => new nn.MultiheadAttention(10, 3),
    /^RangeError: MultiheadAttention: embedDim must be divisible by numHeads, got embedDim 10 and numHeads 3$/,
  );
  assert.throws(() => new nn.MultiheadAttention(8, 0), /numHeads must be a positive integer/);
  const m = new nn.MultiheadAttention(8, 2);
  const x = randn([4, 3, 8]), kv = randn([5, 3, 8]);
  assert.throws(
    () => m.call(randn([2, 4, 3, 8]), kv, kv),
    /^RangeError: MultiheadAttention: multiHeadAttentionForward: expected query to be 2-D \(unbatched\) or 3-D \(batched\), got query \[2, 4, 3, 8\]/,
  );
  assert.throws(
    () => m.call(x, randn([5, 8]), randn([5, 8])),
    /for batched \(3-D\) query, expected key and value to be 3-D, got query \[4, 3, 8\], key \[5, 8\]/,
  );
  assert.throws(
    () => m.call(randn([4, 3, 6]), kv, kv),
    /multiHeadAttentionForward: was expecting embedding dimension of 8, but got query \[4, 3, 6\]/,
  );
  assert.throws(
    () => m.call(x, kv, kv, { attnMask: zeros([4, 4]) }),
    /the shape of the 2-D attnMask is \[4, 4\], but should be \[4, 5\] \(target length, source length\)/,
  );
  assert.throws(
    () => m.call(x, kv, kv, { attnMask: zeros([3, 4, 5]) }),
    /the shape of the 3-D attnMask is \[3, 4, 5\], but should be \[6, 4, 5\] \(batch·numHeads, target length, source length\)/,
  );
  assert.throws(
    () => m.call(x, kv, kv, { attnMask: zeros([1, 1, 4, 5]) }),
    /expected attnMask to be 2-D or 3-D, got attnMask \[1, 1, 4, 5\]/,
  );
  assert.throws(
    () => m.call(x, kv, kv, { keyPaddingMask: zeros([3, 4], { dtype: "bool" }) }),
    /expected keyPaddingMask of shape \[3, 5\] \(batch, source length\), got \[3, 4\]/,
  );
  assert.throws(
    () => m.call(x, kv, kv, { keyPaddingMask: zeros([5], { dtype: "bool" }) }),
    /for batched \(3-D\) query, expected keyPaddingMask to be 2-D, got keyPaddingMask \[5\]/,
  );
  assert.throws(
    () => m.call(x, kv, kv, { keyPaddingMask: zeros([3, 5], { dtype: "int32" }) }),
    /^TypeError: MultiheadAttention: multiHeadAttentionForward: only bool and floating types of keyPaddingMask are supported, got int32/,
  );
  assert.throws(
    () => m.call(x, randn([5, 2, 8]), randn([5, 2, 8])),
    /key and value must share the source length and the query's batch size/,
  );
  assert.throws(
    () => m.call(x, randn([5, 3, 4]), randn([5, 3, 4])),
    /with a packed inProjWeight, key must have the query's embedding dimension 8, got key \[5, 3, 4\] \(use separate projection weights for kdim\/vdim\)/,
  );
  const kd = new nn.MultiheadAttention(8, 2, { kdim: 3 });
  assert.throws(
    () => kd.call(x, randn([5, 3, 4]), kv),
    /key \[5, 3, 4\] does not match kProjWeight \[8, 3\] \(expected key with last dim 3\)/,
  );
  assert.throws(
    () => m.call(randn([4, 8]), randn([5, 8]), randn([5, 8]), { attnMask: zeros([3, 4, 5]) }),
    /for unbatched query, expected a 3-D attnMask of shape \[2, 4, 5\]/,
  );
  const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
  assert.throws(
    () => layer.call(randn([5, 3, 6])),
    /^RangeError: TransformerEncoderLayer: expected src of 2-D \(unbatched\) or 3-D \(batched\) shape with last dim 8 \(dModel\), got src of shape \[5, 3, 6\]/,
  );
  const enc = new nn.TransformerEncoder(layer, 2);
  assert.throws(
    () => enc.call(x.narrow(0, 0, 3), { mask: zeros([4, 4]) }),
    /^RangeError: layers\.0\.self_attn \(MultiheadAttention\): multiHeadAttentionForward: the shape of the 2-D attnMask is \[4, 4\], but should be \[3, 3\]/,
  );
  const dec = new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16 });
  assert.throws(
    () => dec.call(x, randn([5, 3, 4])),
    /expected memory of 2-D .* got memory of shape \[5, 3, 4\]/,
  );
  const t = new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1 });
  assert.throws(
    () => t.call(randn([5, 2, 8]), randn([4, 3, 8])),
    /^RangeError: Transformer: the batch number of src and tgt must be equal, got src \[5, 2, 8\] and tgt \[4, 3, 8\] \(batchFirst=false\)/,
  );
  assert.throws(
    () => t.call(randn([5, 2, 8]), randn([4, 2, 6])),
    /the feature number of src and tgt must be equal to dModel \(8\)/,
  );
  assert.throws(
    () => new nn.TransformerEncoderLayer(8, 2, { activation: "tanh" as "relu" }),
    /^RangeError: TransformerEncoderLayer: activation should be relu\/gelu, not tanh/,
  );
  assert.throws(
    () => new nn.TransformerDecoder(dec, 0),
    /TransformerDecoder: numLayers must be a positive integer, got 0/,
  );
});

Deno.test({
  name: "MultiheadAttention: a mask on another device than the query fails at once",
  ignore: !hasGpu,
  fn() {
    const m = new nn.MultiheadAttention(8, 2).to("webgpu");
    const x = randn([4, 2, 8], { device: "webgpu" });
    assert.throws(
      () => m.call(x, x, x, { attnMask: nn.Transformer.generateSquareSubsequentMask(4) }),
      /^Error: MultiheadAttention: multiHeadAttentionForward: expected attnMask on the query's device \(webgpu\), got attnMask on cpu/,
    );
  },
});

// webgpu vs cpu (float32): the same weights on both devices; outputs, input gradients and every
// parameter gradient. Masks are built on each run's device.
const causalOn = (n: number, device: Device): Tensor =>
  nn.Transformer.generateSquareSubsequentMask(n, { device });

const parityCases: ParityCase<AnyTransformerModule>[] = [
  [
    "MultiheadAttention, kdim/vdim, bias_kv, zero attention, causal mask",
    () => new nn.MultiheadAttention(8, 2, { kdim: 6, vdim: 4, addBiasKv: true, addZeroAttn: true }),
    [5, 3, 8],
    [[5, 3, 6], [5, 3, 4]],
  ],
  [
    "TransformerEncoderLayer, pre-norm gelu, batchFirst",
    () =>
      new nn.TransformerEncoderLayer(8, 2, {
        dimFeedforward: 16,
        dropout: 0,
        activation: "gelu",
        normFirst: true,
        batchFirst: true,
      }),
    [3, 5, 8],
    [],
  ],
  [
    "Transformer, 2 + 2 layers, causal target mask",
    () =>
      new nn.Transformer({
        dModel: 8,
        nhead: 2,
        numEncoderLayers: 2,
        numDecoderLayers: 2,
        dimFeedforward: 16,
        dropout: 0,
      }),
    [6, 2, 8],
    [[4, 2, 8]],
  ],
];

moduleParityTest(
  "transformer: webgpu matches cpu (outputs, input and parameter gradients)",
  parityCases,
  (m, ins) => {
    const device = ins[0].device;
    if (m instanceof nn.MultiheadAttention) {
      return run(m, ins, { attnMask: causalOn(5, device) }, { qkv: "sep" });
    }
    if (m instanceof nn.Transformer) return run(m, ins, { tgtMask: causalOn(4, device) });
    return run(m, ins, {});
  },
);

Deno.test("multiHeadAttentionForward: a float keyPaddingMask adds to a float attnMask", async () => {
  const m = new nn.MultiheadAttention(4, 2).double();
  const f64 = { dtype: "float64" as const };
  const q = randn([3, 2, 4], f64), kv = randn([5, 2, 4], f64);
  const am = randn([3, 5], f64), kpm = randn([2, 5], f64);
  const [o1, w1] = m.call(q, kv, kv, { attnMask: am, keyPaddingMask: kpm });
  // The same as one 3-D float mask: attnMask + keyPaddingMask per batch entry and head.
  const merged = am.unsqueeze(0).add(kpm.unsqueeze(1).unsqueeze(1)).expand([2, 2, 3, 5])
    .reshape([4, 3, 5]);
  const [o2, w2] = m.call(q, kv, kv, { attnMask: merged });
  const [a, b] = [await o1.toArray(), await o2.toArray()];
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-12, `output ${i}`));
  const [c, d] = [await w1!.toArray(), await w2!.toArray()];
  c.forEach((v, i) => assert.ok(Math.abs(v - d[i]) < 1e-12, `weight ${i}`));
});

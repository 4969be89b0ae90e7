// The extra layers (group/instance norm, interpolate and upsampling, pixel shuffle, padding
// layers, Bilinear, Fold/Unfold) against PyTorch 1.13 (tools/gen_layers_extra_fixtures.py):
// outputs, input and parameter gradients and state after the step on cpu (float64) and webgpu
// (float32); float64 gradchecks of every layer and option; cpu-vs-webgpu parity; state-dict
// keys and reprs; and the extra nn.init functions (exact fills and statistical properties).
import assert from "node:assert/strict";
import * as nn from "../src/nn/mod.ts";
import { functional as F, init } from "../src/nn/mod.ts";
import { gradcheck } from "../src/autograd/gradcheck.ts";
import { empty, linspace, randn } from "../src/tensor/creation.ts";
import { Generator, manualSeed } from "../src/tensor/random.ts";
import type { Device } from "../src/tensor/dtype.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import { assertClose, deviceTest, fixture, type JTensor } from "./_support/nn.ts";
import { type CaseFunctions, type LayerCase, runLayerCase } from "./_support/layer_cases.ts";
import { f, hasGpu, parity } from "./webgpu_helpers.ts";

interface Case {
  name: string;
  module?: string;
  fn?: string;
  args: unknown[];
  opts?: Record<string, unknown>;
  train: boolean;
  state_dict: Record<string, JTensor>;
  inputs: JTensor[];
  output: JTensor;
  r: JTensor;
  input_grads: JTensor[];
  param_grads: Record<string, JTensor>;
  state_after: Record<string, JTensor>;
  eval_input?: JTensor;
  eval_output?: JTensor;
}

interface Fixture {
  cases: Case[];
  reprs: Record<string, string>;
  state_keys: Record<string, string[]>;
  init: Record<string, JTensor>;
}

const FX = fixture<Fixture>("layers_extra.json");

/** The functional forms the generator names. */
const FUNCTIONS: CaseFunctions = {
  interpolate: (c) => (x) => F.interpolate(x, c.opts),
  groupNorm: (c) => (x) => F.groupNorm(x, c.args[0] as number),
  bilinear: () => (a, b) =>
    F.bilinear(a, b, linspace(-1, 1, 24, { dtype: a.dtype, device: a.device }).reshape([2, 3, 4])),
};

/** A case as the shared runner reads it (this generator writes one output per case). */
function asLayerCase(c: Case): LayerCase {
  return {
    ...c,
    outputs: [c.output],
    r: [c.r],
    eval_inputs: c.eval_input && [c.eval_input],
    eval_outputs: c.eval_output && [c.eval_output],
  };
}

for (const c of FX.cases) {
  deviceTest(
    `nn extra fixture: ${c.name}`,
    (device) => runLayerCase(asLayerCase(c), device, FUNCTIONS),
  );
}

// ---- float64 gradchecks (CPU) ---------------------------------------------------------------

const f64 = { dtype: "float64" as const };
const x = (shape: number[]): Tensor => randn(shape, { ...f64, requiresGrad: true });

function checkModule(m: nn.Module<Tensor[], Tensor>, ...inputs: Tensor[]): void {
  m.double();
  // Random affine parameters, so the gradient of every path is non-trivial.
  for (const p of m.parameters()) init.normal_(p);
  gradcheck((...xs: Tensor[]) => m.call(...xs.slice(0, inputs.length)), [
    ...inputs,
    ...m.parameters(),
  ]);
}

manualSeed(11);

const gradcases: [string, () => void][] = [
  ["GroupNorm", () => checkModule(new nn.GroupNorm(2, 4), x([2, 4, 3]))],
  [
    "GroupNorm no affine, 4-D",
    () => checkModule(new nn.GroupNorm(3, 6, { affine: false }), x([1, 6, 2, 2])),
  ],
  ["GroupNorm 2-D input", () => checkModule(new nn.GroupNorm(1, 3, { eps: 1e-3 }), x([2, 3]))],
  ["InstanceNorm1d", () => checkModule(new nn.InstanceNorm1d(2), x([2, 2, 4]))],
  [
    "InstanceNorm1d affine, tracked, training",
    () =>
      checkModule(
        new nn.InstanceNorm1d(2, { affine: true, trackRunningStats: true }),
        x([2, 2, 4]),
      ),
  ],
  ["InstanceNorm2d tracked eval", () => {
    const m = new nn.InstanceNorm2d(2, { affine: true, trackRunningStats: true });
    m.double().call(randn([2, 2, 3, 3], f64));
    checkModule(m.eval(), x([1, 2, 2, 3]));
  }],
  ["InstanceNorm2d unbatched", () => checkModule(new nn.InstanceNorm2d(2), x([2, 3, 2]))],
  ["interpolate nearest, every size rule", () => {
    for (
      const o of [{ size: [5, 7] }, { scaleFactor: 2 }, { scaleFactor: [1.7, 0.6] }, {
        scaleFactor: 1.7,
        recomputeScaleFactor: true,
      }] as F.InterpolateOptions[]
    ) gradcheck((t: Tensor) => F.interpolate(t, o), [x([1, 2, 3, 4])]);
    gradcheck((t: Tensor) => F.interpolate(t, { size: 7 }), [x([2, 1, 3])]);
    gradcheck((t: Tensor) => F.interpolate(t, { size: [3, 4, 2] }), [x([1, 1, 2, 3, 2])]);
  }],
  ["interpolate bilinear, alignCorners false/true, up and down", () => {
    for (const alignCorners of [false, true]) {
      for (const o of [{ size: [5, 7] }, { size: [2, 1] }, { scaleFactor: [1.5, 0.7] }]) {
        gradcheck(
          (t: Tensor) => F.interpolate(t, { ...o, mode: "bilinear", alignCorners }),
          [x([1, 2, 4, 3])],
        );
      }
    }
  }],
  ["interpolate linear and trilinear", () => {
    gradcheck((t: Tensor) => F.interpolate(t, { size: 8, mode: "linear" }), [x([2, 2, 5])]);
    gradcheck(
      (t: Tensor) => F.interpolate(t, { scaleFactor: 2.5, mode: "linear", alignCorners: true }),
      [x([1, 2, 4])],
    );
    gradcheck((t: Tensor) => F.interpolate(t, { size: [3, 4, 3], mode: "trilinear" }), [
      x([1, 1, 2, 3, 2]),
    ]);
  }],
  ["Upsample, UpsamplingNearest2d, UpsamplingBilinear2d", () => {
    checkModule(new nn.Upsample({ scaleFactor: 2, mode: "bilinear" }), x([1, 1, 3, 2]));
    checkModule(new nn.UpsamplingNearest2d({ size: [5, 3] }), x([1, 2, 2, 2]));
    checkModule(new nn.UpsamplingBilinear2d({ scaleFactor: 2 }), x([1, 1, 2, 3]));
  }],
  ["PixelShuffle and PixelUnshuffle", () => {
    checkModule(new nn.PixelShuffle(2), x([1, 8, 2, 3]));
    checkModule(new nn.PixelShuffle(3), x([2, 1, 9, 1, 2]));
    checkModule(new nn.PixelUnshuffle(2), x([1, 2, 4, 2]));
  }],
  ["padding layers", () => {
    checkModule(new nn.ZeroPad2d([1, 0, 2, -1]), x([1, 1, 3, 4]));
    checkModule(new nn.ConstantPad1d([2, 1], 3.5), x([2, 2, 4]));
    checkModule(new nn.ConstantPad2d(1, -1), x([2, 3, 3]));
    checkModule(new nn.ReflectionPad1d(2), x([1, 2, 4]));
    checkModule(new nn.ReflectionPad2d([1, 2, 0, 2]), x([1, 2, 3, 4]));
    checkModule(new nn.ReplicationPad1d([3, 1]), x([2, 3]));
    checkModule(new nn.ReplicationPad2d(2), x([1, 1, 2, 3]));
  }],
  ["Bilinear with and without bias", () => {
    checkModule(new nn.Bilinear(3, 2, 2), x([4, 3]), x([4, 2]));
    checkModule(new nn.Bilinear(2, 3, 2, { bias: false }), x([2, 2, 2]), x([2, 2, 3]));
  }],
  ["Fold and Unfold layers", () => {
    checkModule(new nn.Unfold(2, { dilation: 2, padding: 1, stride: [1, 2] }), x([1, 2, 4, 5]));
    checkModule(new nn.Fold([4, 5], [2, 3], { padding: [1, 0], stride: 2 }), x([1, 12, 6]));
  }],
];

for (const [name, fn] of gradcases) Deno.test(`nn extra gradcheck: ${name}`, fn);

// ---- webgpu-vs-cpu parity -------------------------------------------------------------------

const paritycases: [string, () => Promise<void>][] = [
  [
    "GroupNorm",
    () =>
      parity("GroupNorm", [f([2, 6, 5, 4])], (t) => new nn.GroupNorm(3, 6).to(t.device).call(t)),
  ],
  ["InstanceNorm2d affine tracked", () =>
    parity("InstanceNorm2d", [f([2, 3, 4, 5])], (t) => {
      const m = new nn.InstanceNorm2d(3, { affine: true, trackRunningStats: true }).to(t.device);
      return [m.call(t), m.running_mean!, m.running_var!];
    })],
  [
    "InstanceNorm1d",
    () => parity("InstanceNorm1d", [f([2, 3, 7])], (t) => new nn.InstanceNorm1d(3).call(t)),
  ],
  [
    "interpolate nearest",
    () => parity("nearest", [f([2, 3, 5, 4])], (t) => F.interpolate(t, { scaleFactor: [1.7, 2] })),
  ],
  [
    "interpolate bilinear",
    () =>
      parity(
        "bilinear",
        [f([2, 3, 5, 4])],
        (t) => F.interpolate(t, { size: [7, 9], mode: "bilinear" }),
      ),
  ],
  [
    "interpolate bilinear alignCorners",
    () =>
      parity(
        "bilinear ac",
        [f([1, 2, 6, 5])],
        (t) => F.interpolate(t, { size: [3, 8], mode: "bilinear", alignCorners: true }),
      ),
  ],
  [
    "interpolate linear",
    () =>
      parity(
        "linear",
        [f([2, 3, 6])],
        (t) => F.interpolate(t, { scaleFactor: 1.5, mode: "linear" }),
      ),
  ],
  ["Upsample layers", () =>
    parity("Upsample", [f([1, 2, 3, 4])], (t) => [
      new nn.UpsamplingNearest2d({ scaleFactor: 2 }).call(t),
      new nn.UpsamplingBilinear2d({ size: [5, 6] }).call(t),
    ])],
  ["PixelShuffle / PixelUnshuffle", () =>
    parity("PixelShuffle", [f([2, 8, 3, 2])], (t) => [
      new nn.PixelShuffle(2).call(t),
      new nn.PixelUnshuffle(2).call(new nn.PixelShuffle(2).call(t)),
    ])],
  ["padding layers", () =>
    parity("pads", [f([2, 2, 4, 5])], (t) => [
      new nn.ZeroPad2d([1, 2, 0, 1]).call(t),
      new nn.ConstantPad2d(1, 3.5).call(t),
      new nn.ReflectionPad2d([2, 1, 3, 0]).call(t),
      new nn.ReplicationPad2d(2).call(t),
      new nn.ConstantPad1d([1, 2], -1).call(t.flatten(2)),
      new nn.ReflectionPad1d(3).call(t.flatten(2)),
      new nn.ReplicationPad1d([0, 2]).call(t.flatten(2)),
    ])],
  [
    "Bilinear",
    () =>
      parity(
        "Bilinear",
        [f([4, 3], 1), f([4, 5], 2), f([2, 3, 5], 3), f([2], 4)],
        (a, b, w, bias) => F.bilinear(a, b, w, bias),
      ),
  ],
  ["Fold / Unfold", () =>
    parity("Fold", [f([1, 2, 5, 6])], (t) => {
      const cols = new nn.Unfold(2, { stride: 1, padding: 1 }).call(t);
      return [cols, new nn.Fold([5, 6], 2, { padding: 1 }).call(cols)];
    })],
];

for (const [name, fn] of paritycases) {
  Deno.test({ name: `nn extra webgpu parity: ${name}`, ignore: !hasGpu, fn });
}

// ---- state dicts, reprs, errors -------------------------------------------------------------

Deno.test("nn extra: state-dict keys match PyTorch's", () => {
  const k = (m: nn.Module<Tensor[], Tensor> | nn.Module): string[] => Object.keys(m.stateDict());
  const want = FX.state_keys;
  assert.deepEqual(k(new nn.GroupNorm(2, 4)), want.GroupNorm);
  assert.deepEqual(k(new nn.GroupNorm(2, 4, { affine: false })), want.GroupNorm_noaffine);
  assert.deepEqual(k(new nn.InstanceNorm1d(4)), want.InstanceNorm1d);
  assert.deepEqual(k(new nn.InstanceNorm1d(4, { affine: true })), want.InstanceNorm1d_affine);
  assert.deepEqual(
    k(new nn.InstanceNorm2d(4, { trackRunningStats: true })),
    want.InstanceNorm2d_track,
  );
  assert.deepEqual(
    k(new nn.InstanceNorm2d(4, { affine: true, trackRunningStats: true })),
    want.InstanceNorm2d_affine_track,
  );
  assert.deepEqual(k(new nn.Bilinear(3, 4, 2)), want.Bilinear);
  assert.deepEqual(k(new nn.Bilinear(3, 4, 2, { bias: false })), want.Bilinear_nobias);
  const seq = new nn.Sequential(new nn.Conv2d(3, 8, 3), new nn.GroupNorm(2, 8));
  assert.deepEqual(k(seq), ["0.weight", "0.bias", "1.weight", "1.bias"]);
});

Deno.test("nn extra: reprs show the configuration with camelCase names", () => {
  const cases: [{ toString(): string }, string][] = [
    [new nn.GroupNorm(2, 6), "GroupNorm(2, 6, eps=0.00001, affine=true)"],
    [
      new nn.InstanceNorm2d(3),
      "InstanceNorm2d(3, eps=0.00001, momentum=0.1, affine=false, trackRunningStats=false)",
    ],
    [
      new nn.Upsample({ scaleFactor: 2, mode: "bilinear" }),
      "Upsample(size=null, scaleFactor=2, mode=bilinear)",
    ],
    [
      new nn.UpsamplingBilinear2d({ size: [4, 5] }),
      "UpsamplingBilinear2d(size=[4, 5], scaleFactor=null, mode=bilinear, alignCorners=true)",
    ],
    [new nn.PixelShuffle(2), "PixelShuffle(upscaleFactor=2)"],
    [new nn.PixelUnshuffle(3), "PixelUnshuffle(downscaleFactor=3)"],
    [new nn.ZeroPad2d(1), "ZeroPad2d(padding=[1, 1, 1, 1])"],
    [new nn.ConstantPad1d(2, 3.5), "ConstantPad1d(padding=[2, 2], value=3.5)"],
    [new nn.ReflectionPad2d([1, 2, 3, 4]), "ReflectionPad2d(padding=[1, 2, 3, 4])"],
    [new nn.ReplicationPad1d(2), "ReplicationPad1d(padding=[2, 2])"],
    [
      new nn.Bilinear(3, 4, 2),
      "Bilinear(in1Features=3, in2Features=4, outFeatures=2, bias=true)",
    ],
    [
      new nn.Fold(4, 2),
      "Fold(outputSize=4, kernelSize=2, dilation=1, padding=0, stride=1)",
    ],
    [new nn.Unfold([2, 3]), "Unfold(kernelSize=[2, 3], dilation=1, padding=0, stride=1)"],
  ];
  for (const [m, want] of cases) assert.equal(m.toString(), want);
});

Deno.test("nn extra: misuse fails at once with the shapes involved", () => {
  assert.throws(() => new nn.GroupNorm(4, 6), /divisible/);
  assert.throws(() => F.groupNorm(randn([2, 6, 3]), 4), /divisible/);
  assert.throws(() => new nn.InstanceNorm2d(3).call(randn([2, 3])), /3D \(unbatched\) or 4D/);
  assert.throws(
    () => new nn.InstanceNorm1d(3, { affine: true }).call(randn([2, 4, 5])),
    /3 channels/,
  );
  assert.throws(
    () => F.interpolate(randn([1, 1, 4, 4]), { size: 2, scaleFactor: 2 }),
    /exactly one/,
  );
  assert.throws(() => F.interpolate(randn([1, 1, 4]), { size: 2, mode: "bilinear" }), /4-D input/);
  assert.throws(
    () => F.interpolate(randn([1, 1, 4, 4]), { size: 2, alignCorners: true }),
    /alignCorners/,
  );
  assert.throws(() => F.pixelShuffle(randn([1, 6, 2, 2]), 2), /divisible by 4/);
  assert.throws(() => F.pixelUnshuffle(randn([1, 1, 5, 4]), 2), /divisible by 2/);
  assert.throws(() => new nn.ReflectionPad2d([1, 2] as unknown as nn.Padding2d), /4 integers/);
  assert.throws(() => new nn.ReflectionPad1d(4).call(randn([1, 2, 4])), /less than the size/);
  assert.throws(() => new nn.Bilinear(3, 4, 2).call(randn([2, 3]), randn([2, 5])), /\[\*, 4\]/);
});

Deno.test("nn extra: InstanceNorm leaves num_batches_tracked alone, as PyTorch does", async () => {
  const m = new nn.InstanceNorm1d(2, { trackRunningStats: true });
  m.call(randn([3, 2, 4]));
  assert.equal(await m.num_batches_tracked!.item(), 0);
});

// ---- nn.init --------------------------------------------------------------------------------

Deno.test("nn extra init: eye_ and dirac_ fill PyTorch's exact values", async () => {
  const I = FX.init;
  await assertClose(init.eye_(empty([3, 5], f64)), I.eye_3x5, 0, "eye_");
  await assertClose(init.dirac_(empty([4, 2, 3], f64)), I.dirac_4_2_3, 0, "dirac_ 3-D");
  await assertClose(
    init.dirac_(empty([6, 2, 3, 2], f64), 2),
    I.dirac_6_2_3_2_g2,
    0,
    "dirac_ groups",
  );
  await assertClose(init.dirac_(empty([2, 3, 1, 2, 3], f64)), I.dirac_5d, 0, "dirac_ 5-D");
  // A Dirac-initialised convolution passes its input through.
  const conv = new nn.Conv2d(3, 3, 3, { padding: 1, bias: false }).double();
  init.dirac_(conv.weight);
  const inp = randn([1, 3, 4, 5], f64);
  assert.deepEqual(await conv.call(inp).toArray(), await inp.toArray());
  assert.throws(() => init.eye_(empty([2, 2, 2])), /2-D/);
  assert.throws(() => init.dirac_(empty([3, 2, 3]), 2), /divisible/);
});

async function stats(t: Tensor): Promise<{ mean: number; std: number; min: number; max: number }> {
  const v = Array.from(await t.toArray());
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
  return { mean, std, min: Math.min(...v), max: Math.max(...v) };
}

Deno.test("nn extra init: truncNormal_ stays in [a, b] with the truncated normal's moments", async () => {
  const g = new Generator(5);
  // Standard normal cut at ±2: mean 0, std 0.8796; cut at [-1, 3] with mean 1, std 2: the
  // standardised bounds are [-1, 1], giving std 2·0.5379 and mean 1.
  const s1 = await stats(init.truncNormal_(empty([200, 200], f64), 0, 1, -2, 2, { generator: g }));
  assert.ok(s1.min >= -2 && s1.max <= 2, `bounds ${s1.min} ${s1.max}`);
  // 40000 draws: the sample mean's standard error is 0.0044 (0.0054 for the second case).
  assert.ok(Math.abs(s1.mean) < 0.02, `mean ${s1.mean}`);
  assert.ok(Math.abs(s1.std - 0.8796) < 0.01, `std ${s1.std}`);
  const s2 = await stats(init.truncNormal_(empty([40000], f64), 1, 2, -1, 3, { generator: g }));
  assert.ok(s2.min >= -1 && s2.max <= 3, `bounds ${s2.min} ${s2.max}`);
  assert.ok(Math.abs(s2.mean - 1) < 0.025, `mean ${s2.mean}`);
  assert.ok(Math.abs(s2.std - 2 * 0.5379) < 0.02, `std ${s2.std}`);
  // One-sided tail: [1, ∞)-like cut far from the mean still respects the bounds.
  const s3 = await stats(init.truncNormal_(empty([1000]), 0, 1, 1, 1.5, { generator: g }));
  assert.ok(s3.min >= 1 && s3.max <= 1.5, `bounds ${s3.min} ${s3.max}`);
  assert.throws(() => init.truncNormal_(empty([2]), 0, 1, 2, 1), /a < b/);
});

Deno.test("nn extra init: orthogonal_ gives orthonormal rows or columns times gain", async () => {
  for (const [shape, gain] of [[[6, 4], 1], [[3, 8], 2], [[5, 5], 1.5], [[4, 2, 3], 1]] as const) {
    const w = init.orthogonal_(empty([...shape], f64), gain, { generator: new Generator(3) });
    const m = w.reshape([shape[0], -1]);
    const [r, c] = m.shape;
    // Q has orthonormal columns when tall, rows when wide: QᵀQ or QQᵀ = gain² I.
    const gram = r >= c ? m.t().matmul(m) : m.matmul(m.t());
    const n = Math.min(r, c);
    const v = await gram.toArray();
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const want = i === j ? gain * gain : 0;
        assert.ok(
          Math.abs(v[i * n + j] - want) < 1e-12,
          `${shape} gram[${i},${j}] = ${v[i * n + j]}`,
        );
      }
    }
  }
  const a = await init.orthogonal_(empty([4, 4]), 1, { generator: new Generator(9) }).toArray();
  const b = await init.orthogonal_(empty([4, 4]), 1, { generator: new Generator(9) }).toArray();
  assert.deepEqual(a, b, "same generator, same matrix");
  assert.throws(() => init.orthogonal_(empty([3])), /2 or more/);
});

Deno.test("nn extra init: sparse_ zeros ceil(sparsity·rows) entries of every column", async () => {
  const w = init.sparse_(empty([10, 30], f64), 0.25, 0.5, { generator: new Generator(1) });
  const v = await w.toArray();
  for (let c = 0; c < 30; c++) {
    let zeros = 0;
    for (let r = 0; r < 10; r++) zeros += v[r * 30 + c] === 0 ? 1 : 0;
    assert.equal(zeros, 3, `column ${c}`);
  }
  const nz = Array.from(v).filter((e) => e !== 0);
  const sd = Math.sqrt(nz.reduce((s, e) => s + e * e, 0) / nz.length);
  assert.ok(Math.abs(sd - 0.5) < 0.08, `std ${sd}`);
});

deviceTest("nn extra init: the new fills work on every device", async (device: Device) => {
  const w = empty([8, 6], { device });
  init.truncNormal_(w, 0, 0.02, -0.04, 0.04);
  const s = await stats(w);
  assert.ok(s.min >= -0.04 && s.max <= 0.04);
  init.orthogonal_(w);
  const gram = await w.t().matmul(w).toArray();
  for (let i = 0; i < 6; i++) assert.ok(Math.abs(gram[i * 6 + i] - 1) < 1e-5);
  init.eye_(w);
  assert.equal((await w.toArray())[7], 1);
  init.sparse_(w, 0.5);
  const conv = empty([4, 4, 3, 3], { device });
  init.dirac_(conv);
  assert.equal(await conv.sum().item(), 4);
});

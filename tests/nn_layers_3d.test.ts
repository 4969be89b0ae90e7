// Conv3d, the 3-D pooling layers, BatchNorm3d, InstanceNorm3d, the 3-D padding layers,
// LocalResponseNorm, CosineSimilarity / PairwiseDistance, ChannelShuffle and the channel and
// alpha dropouts, against PyTorch 1.13 (tools/gen_layers_3d_fixtures.py → layers_3d.json):
// outputs, indices, input and parameter gradients, running statistics after a training step and
// eval outputs on cpu (float64) and webgpu (float32); float64 gradchecks of every layer;
// cpu-vs-webgpu parity; init, state-dict keys, reprs, errors and dropout statistics.
import assert from "node:assert/strict";
import * as nn from "../src/nn/mod.ts";
import { functional as F } from "../src/nn/mod.ts";
import { gradcheck } from "../src/autograd/gradcheck.ts";
import { ones, randn } from "../src/tensor/creation.ts";
import { Generator, manualSeed } from "../src/tensor/random.ts";
import type { Device } from "../src/tensor/dtype.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import { deviceTest, fixture } from "./_support/nn.ts";
import { type LayerCase, runLayerCase } from "./_support/layer_cases.ts";
import { f, hasGpu, parity } from "./webgpu_helpers.ts";

interface Fixture {
  cases: LayerCase[];
  reprs: Record<string, string>;
  state_keys: Record<string, string[]>;
}

const FX = fixture<Fixture>("layers_3d.json");
for (const c of FX.cases) {
  deviceTest(`layers 3d fixture: ${c.name}`, (device) => runLayerCase(c, device));
}

// ---- float64 gradchecks (CPU) ---------------------------------------------------------------

manualSeed(13);
const f64 = { dtype: "float64" as const };
const x = (shape: number[]): Tensor => randn(shape, { ...f64, requiresGrad: true });

/** d(module(inputs))/d(inputs, parameters), with random affine parameters. */
function check(m: nn.AnyModule, ...inputs: Tensor[]): void {
  m.double();
  for (const p of m.parameters()) nn.init.normal_(p);
  gradcheck((...xs: Tensor[]) => {
    const y = m.call(...xs.slice(0, inputs.length)) as Tensor | Tensor[];
    return Array.isArray(y) ? y[0] : y;
  }, [...inputs, ...m.parameters()]);
}

const gradcases: [string, () => void][] = [
  ["Conv3d default and padding 1", () => {
    check(new nn.Conv3d(2, 2, 2), x([1, 2, 3, 3, 3]));
    check(new nn.Conv3d(1, 2, 3, { padding: 1 }), x([2, 1, 3, 2, 3]));
  }],
  ["Conv3d stride, dilation, rectangular kernel", () =>
    check(
      new nn.Conv3d(2, 2, [2, 1, 2], {
        stride: [2, 1, 2],
        dilation: [1, 2, 1],
        padding: [1, 1, 0],
      }),
      x([1, 2, 4, 4, 3]),
    )],
  ["Conv3d groups, no bias, unbatched", () => {
    check(new nn.Conv3d(4, 2, [1, 2, 2], { groups: 2, bias: false }), x([1, 4, 2, 3, 3]));
    check(new nn.Conv3d(2, 2, 2, { groups: 2 }), x([2, 3, 2, 3]));
  }],
  ["Conv3d same (even kernel, dilation) and valid", () => {
    check(
      new nn.Conv3d(1, 1, [2, 3, 2], { padding: "same", dilation: [1, 1, 2] }),
      x([
        1,
        1,
        3,
        3,
        4,
      ]),
    );
    check(new nn.Conv3d(1, 2, 2, { padding: "valid" }), x([1, 1, 3, 2, 2]));
  }],
  ["Conv3d reflect, replicate and circular padding", () => {
    check(new nn.Conv3d(1, 1, 3, { padding: 1, paddingMode: "reflect" }), x([1, 1, 3, 3, 3]));
    check(
      new nn.Conv3d(1, 1, 2, { padding: "same", paddingMode: "replicate" }),
      x([1, 1, 2, 3, 2]),
    );
    check(
      new nn.Conv3d(1, 1, [2, 2, 3], { padding: 1, paddingMode: "circular" }),
      x([
        1,
        1,
        2,
        2,
        3,
      ]),
    );
  }],
  ["F.conv3d weight and bias as inputs", () =>
    gradcheck(
      (xi: Tensor, w: Tensor, b: Tensor) =>
        F.conv3d(xi, w, b, { stride: [2, 1, 1], padding: [1, 0, 1], groups: 2 }),
      [x([1, 4, 3, 3, 2]), x([2, 2, 2, 2, 2]), x([2])],
    )],
  ["MaxPool3d padding, dilation, ceil mode, unbatched", () => {
    check(new nn.MaxPool3d(3, { stride: 2, padding: 1 }), x([1, 2, 4, 5, 4]));
    check(
      new nn.MaxPool3d([2, 2, 3], { dilation: [2, 1, 1], ceilMode: true, stride: 2 }),
      x([
        1,
        1,
        5,
        4,
        6,
      ]),
    );
    check(new nn.MaxPool3d(2, { returnIndices: true }), x([2, 3, 4, 5]));
  }],
  ["AvgPool3d countIncludePad, ceil mode, divisorOverride", () => {
    check(new nn.AvgPool3d(3, { stride: 2, padding: 1 }), x([1, 2, 4, 5, 4]));
    check(
      new nn.AvgPool3d([2, 3, 2], {
        stride: 2,
        padding: 1,
        ceilMode: true,
        countIncludePad: false,
      }),
      x([1, 1, 5, 4, 5]),
    );
    check(new nn.AvgPool3d(2, { divisorOverride: 3, padding: 1 }), x([2, 3, 3, 3]));
  }],
  ["AdaptiveAvgPool3d and AdaptiveMaxPool3d, uneven, None, larger than the input", () => {
    check(new nn.AdaptiveAvgPool3d([2, 3, 2]), x([1, 2, 5, 4, 3]));
    check(new nn.AdaptiveAvgPool3d([4, null, 1]), x([2, 3, 2, 3]));
    check(new nn.AdaptiveMaxPool3d([2, 3, 2]), x([1, 2, 5, 4, 3]));
    check(new nn.AdaptiveMaxPool3d([null, 3, 4], { returnIndices: true }), x([2, 3, 2, 3]));
  }],
  ["BatchNorm3d training, eval, no affine", () => {
    check(new nn.BatchNorm3d(2), x([2, 2, 2, 2, 3]));
    const bn = new nn.BatchNorm3d(2).double();
    bn.call(randn([3, 2, 2, 2, 2], f64));
    check(bn.eval(), x([1, 2, 2, 3, 2]));
    check(new nn.BatchNorm3d(2, { affine: false, momentum: null }), x([2, 2, 3, 2, 2]));
  }],
  ["InstanceNorm3d, affine tracked, unbatched", () => {
    check(new nn.InstanceNorm3d(2), x([2, 2, 2, 3, 2]));
    check(new nn.InstanceNorm3d(2, { affine: true, trackRunningStats: true }), x([2, 3, 2, 2]));
  }],
  ["3-D padding layers", () => {
    check(new nn.ConstantPad3d([1, -1, 0, 2, 1, 0], 2.5), x([1, 2, 2, 3, 3]));
    check(new nn.ReflectionPad3d([1, 2, 0, 1, 2, 1]), x([1, 1, 3, 2, 3]));
    check(new nn.ReplicationPad3d(2), x([2, 2, 2, 1]));
  }],
  ["LocalResponseNorm on 3-D, 4-D and 5-D inputs", () => {
    check(new nn.LocalResponseNorm(3, { alpha: 0.5 }), x([2, 4, 3]));
    check(new nn.LocalResponseNorm(4, { alpha: 0.2, beta: 0.6, k: 2 }), x([1, 5, 2, 2]));
    check(new nn.LocalResponseNorm(2, { alpha: 0.3 }), x([1, 3, 2, 1, 2]));
  }],
  ["CosineSimilarity, PairwiseDistance, ChannelShuffle", () => {
    check(new nn.CosineSimilarity(), x([3, 4]), x([3, 4]));
    check(new nn.CosineSimilarity({ dim: -1 }), x([2, 1, 3]), x([2, 3]));
    check(new nn.PairwiseDistance(), x([3, 4]), x([3, 4]));
    check(new nn.PairwiseDistance({ p: 1.5, keepdim: true }), x([2, 3]), x([2, 3]));
    check(new nn.ChannelShuffle(3), x([2, 6, 2]));
  }],
  ["channel and alpha dropouts (a fixed mask per call)", () => {
    const g = () => new Generator(7);
    gradcheck((t: Tensor) => F.dropout1d(t, { p: 0.4, generator: g() }), [x([4, 5])]);
    gradcheck((t: Tensor) => F.dropout2d(t, { p: 0.4, generator: g() }), [x([2, 3, 2, 2])]);
    gradcheck((t: Tensor) => F.dropout3d(t, { p: 0.4, generator: g() }), [x([3, 2, 2, 2])]);
    gradcheck(
      (t: Tensor) => F.alphaDropout(t, { p: 0.3, training: true, generator: g() }),
      [x([3, 5])],
    );
    gradcheck(
      (t: Tensor) => F.featureAlphaDropout(t, { p: 0.3, training: true, generator: g() }),
      [x([3, 4, 2])],
    );
  }],
];
for (const [name, fn] of gradcases) Deno.test(`layers 3d gradcheck: ${name}`, fn);

// ---- webgpu-vs-cpu parity -------------------------------------------------------------------

const paritycases: [string, () => Promise<void>][] = [
  ["conv3d padding 1, bias", () =>
    parity(
      "conv3d",
      [f([2, 3, 5, 6, 7], 1), f([4, 3, 3, 3, 3], 2), f([4], 3)],
      (t, w, b) => F.conv3d(t, w, b, { padding: 1 }),
    )],
  ["conv3d stride, dilation, groups", () =>
    parity(
      "conv3d",
      [f([1, 4, 7, 6, 8], 4), f([6, 2, 2, 3, 2], 5)],
      (t, w) => F.conv3d(t, w, null, { stride: [2, 1, 2], dilation: [2, 1, 1], groups: 2 }),
    )],
  ["conv3d same (even kernel), unbatched", () =>
    parity(
      "conv3d",
      [f([2, 4, 5, 3], 6), f([3, 2, 2, 2, 3], 7), f([3], 8)],
      (t, w, b) => F.conv3d(t, w, b, { padding: "same" }),
    )],
  ["Conv3d replicate padding (module)", () =>
    parity("Conv3d", [f([1, 2, 4, 4, 4])], (t) => {
      const m = new nn.Conv3d(2, 3, 3, { padding: 1, paddingMode: "replicate" });
      nn.init.constant_(m.weight, 0.1);
      nn.init.constant_(m.bias!, -0.2);
      return m.to(t.device).call(t);
    })],
  ["maxPool3d with indices", () =>
    parity(
      "maxPool3d",
      [f([2, 2, 5, 7, 6])],
      (t) => F.maxPool3d(t, 3, { stride: 2, padding: 1, returnIndices: true }),
    )],
  ["maxPool3d dilation, ceil mode", () =>
    parity(
      "maxPool3d",
      [f([1, 3, 6, 5, 7])],
      (t) => F.maxPool3d(t, [2, 2, 3], { dilation: [2, 1, 1], ceilMode: true, stride: 2 }),
    )],
  ["avgPool3d", () =>
    parity("avgPool3d", [f([2, 2, 5, 6, 7])], (t) => [
      F.avgPool3d(t, 3, { stride: 2, padding: 1, countIncludePad: false, ceilMode: true }),
      F.avgPool3d(t, [1, 2, 2], { divisorOverride: 3 }),
    ])],
  ["adaptive 3-d pooling", () =>
    parity("adaptive3d", [f([2, 3, 5, 7, 6])], (t) => [
      F.adaptiveAvgPool3d(t, [2, 3, null]),
      F.adaptiveAvgPool3d(t, [5, 1, 2]),
      ...F.adaptiveMaxPool3d(t, [3, 2, 4], { returnIndices: true }),
    ])],
  ["BatchNorm3d running stats", () =>
    parity("BatchNorm3d", [f([2, 3, 4, 5, 3])], (t) => {
      const m = new nn.BatchNorm3d(3).to(t.device);
      return [m.call(t), m.running_mean!, m.running_var!];
    })],
  ["InstanceNorm3d", () =>
    parity("InstanceNorm3d", [f([2, 3, 3, 4, 5])], (t) => {
      const m = new nn.InstanceNorm3d(3, { affine: true, trackRunningStats: true }).to(t.device);
      return [m.call(t), m.running_mean!, m.running_var!];
    })],
  ["3-D padding layers", () =>
    parity("pad3d", [f([1, 2, 3, 4, 5])], (t) => [
      new nn.ConstantPad3d([1, 0, 2, 1, 0, 2], -1).call(t),
      new nn.ReflectionPad3d([2, 1, 1, 3, 1, 2]).call(t),
      new nn.ReplicationPad3d(2).call(t),
    ])],
  ["LocalResponseNorm, ChannelShuffle", () =>
    parity("lrn", [f([2, 6, 3, 4])], (t) => [
      new nn.LocalResponseNorm(3, { alpha: 0.1 }).call(t),
      new nn.ChannelShuffle(3).call(t),
    ])],
  [
    "CosineSimilarity, PairwiseDistance",
    () =>
      parity("distance", [f([5, 7], 1), f([5, 7], 2)], (a, b) => [
        new nn.CosineSimilarity().call(a, b),
        new nn.PairwiseDistance({ p: 3 }).call(a, b),
      ]),
  ],
];
for (const [name, fn] of paritycases) {
  Deno.test({ name: `layers 3d webgpu parity: ${name}`, ignore: !hasGpu, fn });
}

// ---- init, state dicts, reprs ---------------------------------------------------------------

Deno.test("layers 3d: Conv3d weight layout and PyTorch's init bounds", () => {
  const conv = new nn.Conv3d(4, 6, [3, 2, 2], { groups: 2 });
  assert.deepEqual(conv.weight.shape, [6, 2, 3, 2, 2]);
  // fan_in = Cin/groups · kd · kh · kw = 24 for both the weight's kaiming bound and the bias.
  const bound = 1 / Math.sqrt(24), w = Array.from(conv.weight.dataSync());
  assert.ok(w.every((v) => Math.abs(v) <= bound) && Math.max(...w.map(Math.abs)) > bound / 2);
  assert.ok(Array.from(conv.bias!.dataSync()).every((v) => Math.abs(v) <= bound));
  assert.deepEqual(conv.call(randn([2, 4, 5, 6, 7])).shape, [2, 6, 3, 5, 6]);
  assert.deepEqual(
    new nn.Conv3d(2, 3, 3, { stride: 2, padding: 1 }).call(randn([2, 9, 8, 7])).shape,
    [3, 5, 4, 4],
  );
});

Deno.test("layers 3d: state-dict keys match PyTorch's", () => {
  const k = (m: { stateDict(): Record<string, unknown> }): string[] => Object.keys(m.stateDict());
  const want = FX.state_keys;
  assert.deepEqual(k(new nn.Conv3d(2, 4, 3)), want.Conv3d);
  assert.deepEqual(k(new nn.Conv3d(2, 4, 3, { bias: false })), want.Conv3d_nobias);
  assert.deepEqual(k(new nn.BatchNorm3d(4)), want.BatchNorm3d);
  assert.deepEqual(
    k(new nn.BatchNorm3d(4, { trackRunningStats: false })),
    want.BatchNorm3d_untracked,
  );
  assert.deepEqual(
    k(new nn.InstanceNorm3d(4, { affine: true, trackRunningStats: true })),
    want.InstanceNorm3d_affine_track,
  );
  assert.deepEqual(k(new nn.InstanceNorm3d(4)), want.InstanceNorm3d);
});

Deno.test("layers 3d: reprs show the configuration with camelCase names", () => {
  const cases: [{ toString(): string }, string][] = [
    [
      new nn.Conv3d(3, 8, [3, 2, 3], { stride: 2, padding: 1, bias: false }),
      "Conv3d(3, 8, kernelSize=[3, 2, 3], stride=[2, 2, 2], padding=[1, 1, 1], bias=false)",
    ],
    [
      new nn.MaxPool3d(2),
      "MaxPool3d(kernelSize=[2, 2, 2], stride=[2, 2, 2], padding=[0, 0, 0], " +
      "dilation=[1, 1, 1], ceilMode=false)",
    ],
    [
      new nn.AvgPool3d(3, { stride: 2, padding: 1 }),
      "AvgPool3d(kernelSize=[3, 3, 3], stride=[2, 2, 2], padding=[1, 1, 1])",
    ],
    [new nn.AdaptiveAvgPool3d([2, null, 3]), "AdaptiveAvgPool3d(outputSize=[2,null,3])"],
    [
      new nn.AdaptiveMaxPool3d(2, { returnIndices: true }),
      "AdaptiveMaxPool3d(outputSize=2, returnIndices=true)",
    ],
    [
      new nn.BatchNorm3d(4),
      "BatchNorm3d(4, eps=0.00001, momentum=0.1, affine=true, trackRunningStats=true)",
    ],
    [new nn.ConstantPad3d(1, 2), "ConstantPad3d(padding=[1, 1, 1, 1, 1, 1], value=2)"],
    [new nn.LocalResponseNorm(5), "LocalResponseNorm(5, alpha=0.0001, beta=0.75, k=1)"],
    [new nn.Dropout2d(0.3), "Dropout2d(p=0.3)"],
    [new nn.ChannelShuffle(2), "ChannelShuffle(groups=2)"],
    [new nn.CosineSimilarity(), "CosineSimilarity(dim=1, eps=1e-8)"],
    [new nn.PairwiseDistance(), "PairwiseDistance(p=2, eps=0.000001, keepdim=false)"],
  ];
  for (const [m, want] of cases) assert.equal(m.toString(), want);
});

// ---- errors ---------------------------------------------------------------------------------

function throwsWith(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: Error) => re.test(e.message), re.source);
}

Deno.test("layers 3d: misuse fails at once, naming the op or layer and the shapes", () => {
  const v = randn([1, 2, 4, 4, 4]);
  throwsWith(
    () => F.conv3d(randn([2, 4, 4]), randn([2, 2, 3, 3, 3])),
    /^conv3d: expected a 4-D \(unbatched\) or 5-D \(batched\) input, got \[2, 4, 4\]/,
  );
  throwsWith(
    () => F.conv3d(v, randn([2, 2, 3, 3])),
    /^conv3d: expected a 5-D weight \[Cout, Cin\/groups, kd, kh, kw\], got \[2, 2, 3, 3\]/,
  );
  throwsWith(
    () => F.conv3d(v, randn([4, 1, 3, 3, 3])),
    /^conv3d: weight \[4, 1, 3, 3, 3\] with groups=1 expects input with 1 channels, got input \[1, 2, 4, 4, 4\]/,
  );
  throwsWith(
    () => F.conv3d(v, randn([2, 2, 5, 3, 3])),
    /^conv3d: the padded input of size \[4, 4, 4\] \(input \[1, 2, 4, 4, 4\]\) is smaller than the dilated kernel \[5, 3, 3\]/,
  );
  throwsWith(() => F.conv3d(v, randn([3, 2, 1, 1, 1]), randn([2])), /expected bias of shape \[3\]/);
  throwsWith(
    () => F.conv3d(v, randn([2, 2, 3, 3, 3]), null, { padding: "same", stride: [1, 2, 1] }),
    /"same" is not supported for strided/,
  );
  throwsWith(
    () => new nn.Sequential(new nn.Conv3d(3, 2, 3)).call(v),
    /^0 \(Conv3d\): expected input with 3 channels, got 2$/,
  );
  throwsWith(
    () => new nn.Conv3d(2, 2, 3).call(randn([2, 4, 4])),
    /^Conv3d: expected 4-D \(unbatched\) or 5-D \(batched\) input, got input of shape \[2, 4, 4\]/,
  );
  throwsWith(() => new nn.Conv3d(3, 4, 3, { groups: 2 }), /inChannels \(3\) must be divisible/);
  throwsWith(
    () => new nn.Conv3d(2, 2, [3, 3] as unknown as F.Size3),
    /^Conv3d: kernel size must be .* a triple/,
  );
  throwsWith(
    () => F.maxPool3d(randn([2, 4, 4]), 2),
    /^maxPool3d: expected a 4-D \(unbatched\) or 5-D \(batched\) input, got \[2, 4, 4\]/,
  );
  throwsWith(
    () => F.avgPool3d(v, 2, { padding: [0, 2, 0] }),
    /^avgPool3d: padding \[0, 2, 0\] should be at most half of the kernel size \[2, 2, 2\]/,
  );
  throwsWith(
    () => F.maxPool3d(v, [5, 2, 2]),
    /^maxPool3d: the padded input of size \[4, 4, 4\] \(input \[1, 2, 4, 4, 4\]\) is smaller than the dilated kernel \[5, 2, 2\]/,
  );
  throwsWith(() => F.avgPool3d(v, 2, { divisorOverride: 0 }), /divisorOverride must be positive/);
  throwsWith(() => F.adaptiveAvgPool3d(v, [2, 0, 1]), /^adaptiveAvgPool3d: output size must be/);
  throwsWith(
    () => new nn.AdaptiveMaxPool3d(2).call(randn([4, 4])),
    /^AdaptiveMaxPool3d: expected 4-D \(unbatched\) or 5-D \(batched\) input/,
  );
  throwsWith(
    () => new nn.BatchNorm3d(2).call(randn([2, 2, 4, 4])),
    /^BatchNorm3d: expected 5D input, got 4D input of shape \[2, 2, 4, 4\]/,
  );
  throwsWith(
    () => new nn.BatchNorm3d(3).call(v),
    /^BatchNorm3d: expected input with 3 channels, got 2/,
  );
  throwsWith(
    () => new nn.InstanceNorm3d(2).call(randn([2, 4, 4])),
    /^InstanceNorm3d: expected 4D \(unbatched\) or 5D input, got 3D/,
  );
  throwsWith(() => new nn.ReflectionPad3d([1, 2, 3] as unknown as nn.Padding3d), /6 integers/);
  throwsWith(
    () => new nn.ReflectionPad3d(4).call(v),
    /less than the size \(4\)/,
  );
  throwsWith(
    () => new nn.LocalResponseNorm(2).call(randn([2, 3])),
    /^LocalResponseNorm: expected an input \[N, C, \*\] with 3 or more dims, got input of shape \[2, 3\]/,
  );
  throwsWith(() => new nn.LocalResponseNorm(0), /size must be a positive integer/);
  throwsWith(
    () => F.channelShuffle(randn([2, 5, 3]), 2),
    /^channelShuffle: the number of channels must be divisible by groups, got 5 channels and 2 groups/,
  );
  throwsWith(() => F.channelShuffle(randn([2, 4]), 2), /more than 2 dims, got \[2, 4\]/);
  throwsWith(() => new nn.Dropout2d(1.5), /^Dropout2d: dropout probability has to be between/);
  throwsWith(
    () => F.dropout1d(randn([2, 3, 4, 5])),
    /^dropout1d: expected a 2-D \(unbatched\) or 3-D \(batched\) input, got \[2, 3, 4, 5\]/,
  );
  throwsWith(
    () => F.featureAlphaDropout(randn([4]), { training: true }),
    /^featureAlphaDropout: feature dropout requires at least 2 dimensions/,
  );
  throwsWith(() => F.alphaDropout(randn([4]).int(), { training: true }), /floating point/);
});

// ---- dropout statistics ---------------------------------------------------------------------

/** Values of `t` grouped by the leading `lead` dims (one group per [sample, channel]). */
async function groups(t: Tensor, lead: number): Promise<number[][]> {
  const v = Array.from(await t.toArray());
  const n = t.shape.slice(0, lead).reduce((a, b) => a * b, 1);
  const size = v.length / n;
  return Array.from({ length: n }, (_, i) => v.slice(i * size, (i + 1) * size));
}

/** Each group is all zeros or all `kept` (x = 1 everywhere); returns the dropped fraction. */
function channelMask(gs: number[][], kept: number, what: string): number {
  let dropped = 0;
  for (const [i, g] of gs.entries()) {
    const zero = g.every((e) => e === 0);
    assert.ok(zero || g.every((e) => Math.abs(e - kept) < 1e-6), `${what}: group ${i} mixed`);
    if (zero) dropped++;
  }
  return dropped / gs.length;
}

deviceTest("layers 3d: channel dropout zeroes whole channels and scales by 1/(1-p)", async (
  device: Device,
) => {
  const p = 0.3, g = new Generator(21), kept = 1 / (1 - p);
  // 4000 channels: the dropped fraction's standard error is 0.0072.
  const cases: [nn.AnyModule, number[], number, string][] = [
    [new nn.Dropout1d(p, { generator: g }), [100, 40, 3], 2, "Dropout1d"],
    [new nn.Dropout1d(p, { generator: g }), [4000, 5], 1, "Dropout1d unbatched"],
    [new nn.Dropout2d(p, { generator: g }), [100, 40, 2, 3], 2, "Dropout2d"],
    [new nn.Dropout3d(p, { generator: g }), [50, 80, 2, 1, 2], 2, "Dropout3d"],
    [new nn.Dropout3d(p, { generator: g }), [4000, 2, 1, 2], 1, "Dropout3d unbatched"],
  ];
  for (const [m, shape, lead, what] of cases) {
    const y = m.call(ones(shape, { device })) as Tensor;
    const frac = channelMask(await groups(y, lead), kept, what);
    assert.ok(Math.abs(frac - p) < 0.036, `${what}: dropped fraction ${frac}`);
  }
});

Deno.test("layers 3d: dropout2d/3d treat other ranks as PyTorch 1.13 does, warning once", async () => {
  const warn = console.warn, seen: string[] = [];
  console.warn = (msg: string) => seen.push(msg);
  try {
    const m = new nn.Dropout2d(0.5, { generator: new Generator(3) });
    const y = m.call(ones([200, 10, 4]));
    m.call(ones([2, 3, 4]));
    channelMask(await groups(y, 2), 2, "Dropout2d 3-D");
    assert.equal(seen.length, 1, "warned once");
    assert.match(seen[0], /3-D input .* \[N, C, L\]/);
    // Ranks Dropout1d and Dropout3d take unbatched are warning-free.
    new nn.Dropout1d(0.5).call(ones([3, 4]));
    new nn.Dropout3d(0.5).call(ones([3, 2, 2, 2]));
    assert.equal(seen.length, 1);
    // Other ranks warn and, as in 1.13, are one unbatched sample: a draw per entry of dim 0.
    const z = F.dropout3d(ones([300, 3, 4]), { generator: new Generator(5) });
    assert.match(seen[1], /dropout3d: received a 3-D input, which is deprecated/);
    channelMask(await groups(z, 1), 2, "dropout3d 3-D");
  } finally {
    console.warn = warn;
  }
});

Deno.test("layers 3d: dropouts are the identity in eval mode and with p = 0", async () => {
  const t = randn([4, 3, 2, 2, 2]);
  const cases: [nn.AnyModule, Tensor][] = [
    [new nn.Dropout1d(), t.flatten(2)],
    [new nn.Dropout2d(), t.flatten(3)],
    [new nn.Dropout3d(), t],
    [new nn.AlphaDropout(), t],
    [new nn.FeatureAlphaDropout(), t],
  ];
  for (const [m, src] of cases) {
    m.eval();
    assert.deepEqual(await (m.call(src) as Tensor).toArray(), await src.toArray(), `${m} eval`);
  }
  assert.deepEqual(await F.dropout3d(t, { p: 0 }).toArray(), await t.toArray());
  // alpha_dropout's functional default is training=false, as in PyTorch.
  assert.equal(F.alphaDropout(t), t);
  assert.equal(await F.dropout3d(t, { p: 1 }).abs().sum().item(), 0);
});

deviceTest("layers 3d: alpha dropout keeps zero mean and unit variance", async (device: Device) => {
  const p = 0.2, g = new Generator(4);
  const a = 1 / Math.sqrt((1.7580993408473766 ** 2 * p + 1) * (1 - p));
  const dropped = 1.7580993408473766 * a * (p - 1);
  const t = randn([200, 500], { device, generator: new Generator(9) });
  const y = Array.from(await new nn.AlphaDropout(p, { generator: g }).call(t).toArray());
  const mean = y.reduce((s, v) => s + v, 0) / y.length;
  const std = Math.sqrt(y.reduce((s, v) => s + (v - mean) ** 2, 0) / y.length);
  // 100000 draws of a unit-variance variable: the mean's standard error is 0.0032.
  assert.ok(Math.abs(mean) < 0.015, `mean ${mean}`);
  assert.ok(Math.abs(std - 1) < 0.015, `std ${std}`);
  const frac = y.filter((v) => Math.abs(v - dropped) < 1e-5).length / y.length;
  assert.ok(Math.abs(frac - p) < 0.006, `dropped fraction ${frac}`);
  // Feature alpha dropout: a dropped channel holds the saturation value everywhere.
  const fy = new nn.FeatureAlphaDropout(p, { generator: g }).call(
    randn([300, 20, 2, 2], { device }),
  );
  let channels = 0;
  for (const c of await groups(fy, 2)) {
    if (c.every((v) => Math.abs(v - dropped) < 1e-5)) channels++;
  }
  assert.ok(Math.abs(channels / 6000 - p) < 0.03, `dropped channels ${channels / 6000}`);
});

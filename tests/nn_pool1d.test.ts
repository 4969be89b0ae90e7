// 1-D pooling (MaxPool1d, AvgPool1d, AdaptiveAvgPool1d, AdaptiveMaxPool1d) and power-average
// pooling (LPPool1d/2d) against PyTorch 1.13 (tools/gen_layers_3d_fixtures.py → pool1d.json):
// values, indices and gradients on cpu (float64) and webgpu (float32); float64 gradchecks;
// cpu-vs-webgpu parity; reprs and error messages.
import assert from "node:assert/strict";
import * as nn from "../src/nn/mod.ts";
import { functional as F } from "../src/nn/mod.ts";
import { gradcheck } from "../src/autograd/gradcheck.ts";
import { rand, randn } from "../src/tensor/creation.ts";
import { manualSeed } from "../src/tensor/random.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import { deviceTest, fixture } from "./_support/nn.ts";
import { type LayerCase, runLayerCase } from "./_support/layer_cases.ts";
import { f, hasGpu, parity } from "./webgpu_helpers.ts";

const FX = fixture<{ cases: LayerCase[] }>("pool1d.json");
for (const c of FX.cases) {
  deviceTest(`pool1d fixture: ${c.name}`, (device) => runLayerCase(c, device));
}

// ---- float64 gradchecks (CPU) ---------------------------------------------------------------

manualSeed(5);
const f64 = { dtype: "float64" as const };
const x = (shape: number[]): Tensor => randn(shape, { ...f64, requiresGrad: true });
/** Positive inputs, so that x^p is real for fractional p and away from the kink at 0. */
const pos = (shape: number[]): Tensor => rand(shape, f64).add(0.5).requiresGrad_(true);

function check(m: nn.AnyModule, input: Tensor): void {
  m.double();
  gradcheck((t: Tensor) => {
    const y = m.call(t) as Tensor | Tensor[];
    return Array.isArray(y) ? y[0] : y;
  }, [input]);
}

const gradcases: [string, () => void][] = [
  ["MaxPool1d stride, padding, dilation, ceil mode", () => {
    check(new nn.MaxPool1d(3, { stride: 2, padding: 1 }), x([2, 2, 9]));
    check(new nn.MaxPool1d(2, { dilation: 3, ceilMode: true, stride: 2 }), x([1, 2, 10]));
    check(new nn.MaxPool1d(2, { returnIndices: true }), x([3, 7]));
  }],
  ["AvgPool1d countIncludePad, ceil mode, unbatched", () => {
    check(new nn.AvgPool1d(3, { stride: 2, padding: 1 }), x([2, 2, 8]));
    check(
      new nn.AvgPool1d(4, { stride: 3, padding: 2, ceilMode: true, countIncludePad: false }),
      x([1, 2, 11]),
    );
    check(new nn.AvgPool1d(2), x([3, 5]));
  }],
  ["AdaptiveAvgPool1d and AdaptiveMaxPool1d, uneven and larger than the input", () => {
    check(new nn.AdaptiveAvgPool1d(3), x([2, 2, 10]));
    check(new nn.AdaptiveAvgPool1d(5), x([2, 3]));
    check(new nn.AdaptiveMaxPool1d(3), x([2, 2, 10]));
    check(new nn.AdaptiveMaxPool1d(4, { returnIndices: true }), x([2, 3]));
  }],
  ["LPPool1d and LPPool2d, integer and fractional p, ceil mode", () => {
    check(new nn.LPPool1d(2, 3), pos([2, 2, 9]));
    check(new nn.LPPool1d(1.5, 3, { stride: 2, ceilMode: true }), pos([1, 2, 8]));
    check(new nn.LPPool2d(3, [2, 3], { stride: [1, 2] }), pos([1, 2, 4, 5]));
    check(new nn.LPPool2d(2, 2, { ceilMode: true }), pos([2, 5, 5]));
  }],
];
for (const [name, fn] of gradcases) Deno.test(`pool1d gradcheck: ${name}`, fn);

// ---- webgpu-vs-cpu parity -------------------------------------------------------------------

const paritycases: [string, () => Promise<void>][] = [
  ["maxPool1d with indices", () =>
    parity(
      "maxPool1d",
      [f([2, 3, 17])],
      (t) => F.maxPool1d(t, 3, { stride: 2, padding: 1, returnIndices: true }),
    )],
  ["maxPool1d dilation, ceil mode", () =>
    parity(
      "maxPool1d",
      [f([3, 20])],
      (t) => F.maxPool1d(t, 2, { stride: 3, dilation: 2, ceilMode: true }),
    )],
  ["avgPool1d", () =>
    parity("avgPool1d", [f([2, 3, 15])], (t) => [
      F.avgPool1d(t, 4, { stride: 2, padding: 2, countIncludePad: false }),
      F.avgPool1d(t, 3, { ceilMode: true, stride: 2 }),
    ])],
  ["adaptive 1-d pooling", () =>
    parity("adaptive1d", [f([2, 3, 13])], (t) => [
      F.adaptiveAvgPool1d(t, 5),
      ...F.adaptiveMaxPool1d(t, 4, { returnIndices: true }),
    ])],
  ["lpPool1d and lpPool2d", () =>
    parity("lpPool", [f([2, 3, 6, 8], 1, 0.2, 2)], (t) => [
      F.lpPool2d(t, 2, [2, 3], { stride: 1 }),
      F.lpPool1d(t.flatten(2), 3, 4, { stride: 3, ceilMode: true }),
    ])],
];
for (const [name, fn] of paritycases) {
  Deno.test({ name: `pool1d webgpu parity: ${name}`, ignore: !hasGpu, fn });
}

// ---- reprs and errors -----------------------------------------------------------------------

Deno.test("pool1d: reprs show the configuration with camelCase names", () => {
  const cases: [{ toString(): string }, string][] = [
    [
      new nn.MaxPool1d(3, { stride: 2 }),
      "MaxPool1d(kernelSize=3, stride=2, padding=0, dilation=1, ceilMode=false)",
    ],
    [new nn.AvgPool1d([3]), "AvgPool1d(kernelSize=3, stride=3, padding=0)"],
    [new nn.AdaptiveAvgPool1d(4), "AdaptiveAvgPool1d(outputSize=4)"],
    [
      new nn.AdaptiveMaxPool1d(2, { returnIndices: true }),
      "AdaptiveMaxPool1d(outputSize=2, returnIndices=true)",
    ],
    [new nn.LPPool1d(2, 3), "LPPool1d(normType=2, kernelSize=3, stride=3, ceilMode=false)"],
    [
      new nn.LPPool2d(1.5, [2, 3], { ceilMode: true }),
      "LPPool2d(normType=1.5, kernelSize=[2, 3], stride=[2, 3], ceilMode=true)",
    ],
  ];
  for (const [m, want] of cases) assert.equal(m.toString(), want);
});

function throwsWith(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: Error) => re.test(e.message), re.source);
}

Deno.test("pool1d: misuse fails at once, naming the op or layer and the shapes", () => {
  const x3 = randn([2, 3, 8]);
  throwsWith(
    () => F.maxPool1d(randn([2, 3, 4, 4]), 2),
    /^maxPool1d: expected a 2-D \(unbatched\) or 3-D \(batched\) input, got \[2, 3, 4, 4\]/,
  );
  throwsWith(
    () => new nn.MaxPool1d(2).call(randn([2, 3, 4, 4])),
    /^MaxPool1d: expected 2-D \(unbatched\) or 3-D \(batched\) input, got input of shape \[2, 3, 4, 4\]/,
  );
  throwsWith(
    () => F.avgPool1d(x3, 3, { padding: 2 }),
    /^avgPool1d: padding 2 should be at most half of the kernel size 3/,
  );
  throwsWith(
    () => F.maxPool1d(x3, 5, { dilation: 2 }),
    /^maxPool1d: the padded input of length 8 \(input \[2, 3, 8\]\) is shorter than the dilated kernel 9/,
  );
  throwsWith(() => new nn.MaxPool1d(0), /^MaxPool1d: kernel size must be an integer >= 1/);
  throwsWith(() => F.maxPool1d(x3, [2, 2] as unknown as number), /one-element tuple/);
  throwsWith(() => F.adaptiveAvgPool1d(x3, 0), /^adaptiveAvgPool1d: output size must be/);
  throwsWith(() => F.adaptiveMaxPool1d(randn([3]), 2), /^adaptiveMaxPool1d: expected a 2-D/);
  throwsWith(() => F.lpPool1d(x3, 0, 2), /^lpPool1d: normType must be a positive number/);
  throwsWith(
    () => new nn.LPPool2d(2, 2).call(x3.flatten()),
    /^LPPool2d: expected 3-D \(unbatched\) or 4-D \(batched\) input, got input of shape \[48\]/,
  );
});

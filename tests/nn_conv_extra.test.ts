// ConvTranspose1d/2d, Conv1d, AdaptiveMaxPool2d, MaxPool2d indices and MaxUnpool2d: values and
// gradients against PyTorch 1.13 (tools/gen_conv_extra_fixtures.py), float64 finite-difference
// checks on the CPU, cpu-vs-webgpu parity, init, state-dict keys and error messages.
import assert from "node:assert/strict";
import * as nn from "../src/nn/mod.ts";
import { functional as F } from "../src/nn/mod.ts";
import { gradcheck } from "../src/autograd/gradcheck.ts";
import { randn } from "../src/tensor/creation.ts";
import { manualSeed } from "../src/tensor/random.ts";
import type { Device } from "../src/tensor/dtype.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import {
  deviceTest,
  fixture,
  type JTensor,
  type ModuleCase,
  runModuleCase,
} from "./_support/nn.ts";
import { f, hasGpu, parity } from "./webgpu_helpers.ts";

interface Case extends Omit<ModuleCase, "inputs" | "input_grads"> {
  kind: string;
  // deno-lint-ignore no-explicit-any
  config: Record<string, any>;
  input: JTensor;
  input_grad: JTensor;
  output_size?: number[];
}

type Runner = { module: nn.AnyModule; run: (x: Tensor) => Tensor[] };

/** Rebuilds the PyTorch module of a case the denotorch way. */
function build(c: Case): Runner {
  const k = c.config;
  const any = (m: unknown) => m as nn.AnyModule;
  switch (c.kind) {
    case "ConvTranspose2d": {
      const m = new nn.ConvTranspose2d(k.in_channels, k.out_channels, k.kernel_size, {
        stride: k.stride,
        padding: k.padding,
        outputPadding: k.output_padding,
        dilation: k.dilation,
        groups: k.groups,
        bias: k.bias,
      });
      return { module: any(m), run: (x) => [m.call(x, c.output_size)] };
    }
    case "Conv1d": {
      const m = new nn.Conv1d(k.in_channels, k.out_channels, k.kernel_size, {
        stride: k.stride,
        padding: k.padding,
        dilation: k.dilation,
        groups: k.groups,
        bias: k.bias,
        paddingMode: k.padding_mode,
      });
      return { module: any(m), run: (x) => [m.call(x)] };
    }
    case "ConvTranspose1d": {
      const m = new nn.ConvTranspose1d(k.in_channels, k.out_channels, k.kernel_size, {
        stride: k.stride,
        padding: k.padding,
        outputPadding: k.output_padding,
        dilation: k.dilation,
        groups: k.groups,
        bias: k.bias,
      });
      return { module: any(m), run: (x) => [m.call(x)] };
    }
    case "AdaptiveMaxPool2d": {
      if (k.return_indices) {
        const m = new nn.AdaptiveMaxPool2d(k.output_size, { returnIndices: true });
        return { module: any(m), run: (x) => m.call(x) };
      }
      const m = new nn.AdaptiveMaxPool2d(k.output_size);
      return { module: any(m), run: (x) => [m.call(x)] };
    }
    case "MaxPool2d": {
      const m = new nn.MaxPool2d(k.kernel_size, {
        stride: k.stride,
        padding: k.padding,
        dilation: k.dilation,
        ceilMode: k.ceil_mode,
        returnIndices: true,
      });
      return { module: any(m), run: (x) => m.call(x) };
    }
    case "PoolUnpool": {
      const pool = new nn.MaxPool2d(k.kernel_size, {
        stride: k.stride,
        padding: k.padding,
        returnIndices: true,
      });
      const unpool = new nn.MaxUnpool2d(k.kernel_size, { stride: k.stride, padding: k.padding });
      return {
        module: any(new nn.Sequential()),
        run: (x) => {
          const [y, idx] = pool.call(x);
          const size = k.output_size ? (x.ndim === 3 ? x.shape.slice(-2) : x.shape) : undefined;
          return [unpool.call(y, idx, size), idx];
        },
      };
    }
  }
  throw new Error(`no builder for fixture case ${c.name}`);
}

/** Runs a case through the shared runner (this generator writes one input per case). */
function runCase(c: Case, device: Device): Promise<void> {
  const { module, run } = build(c);
  const one = { inputs: [c.input], input_grads: [c.input_grad] };
  return runModuleCase({ ...c, ...one }, device, module, (_, [x]) => run(x));
}

const { cases } = fixture<{ cases: Case[] }>("conv_extra.json");
for (const c of cases) {
  deviceTest(`conv extra fixture: ${c.name}`, (device) => runCase(c, device));
}

// ---------------------------------------------------------------------------------------------
// float64 finite-difference checks on the CPU: every layer and option, input and parameters.

manualSeed(11);
const f64 = { dtype: "float64" as const };
const x64 = (shape: number[]): Tensor => randn(shape, { ...f64, requiresGrad: true });

function checkModule(m: nn.AnyModule, input: Tensor): void {
  m.double();
  gradcheck((xi: Tensor) => m.call(xi) as Tensor, [input, ...m.parameters()]);
}

const grads: [string, () => void][] = [
  [
    "ConvTranspose2d default",
    () => checkModule(new nn.ConvTranspose2d(2, 3, 3), x64([2, 2, 3, 4])),
  ],
  ["ConvTranspose2d stride 2, padding 1, outputPadding 1", () =>
    checkModule(
      new nn.ConvTranspose2d(2, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }),
      x64([1, 2, 3, 3]),
    )],
  ["ConvTranspose2d groups 2, rectangular kernel, no bias", () =>
    checkModule(
      new nn.ConvTranspose2d(4, 2, [2, 3], { groups: 2, bias: false, stride: [1, 2] }),
      x64([1, 4, 3, 2]),
    )],
  ["ConvTranspose2d dilation 2, outputPadding below dilation", () =>
    checkModule(
      new nn.ConvTranspose2d(1, 2, 2, { dilation: 2, outputPadding: 1, padding: 1 }),
      x64([2, 1, 3, 4]),
    )],
  ["ConvTranspose2d unbatched", () => checkModule(new nn.ConvTranspose2d(2, 1, 2), x64([2, 3, 3]))],
  ["ConvTranspose2d with outputSize", () => {
    const m = new nn.ConvTranspose2d(1, 2, 3, { stride: 3 }).double();
    gradcheck((xi: Tensor) => m.call(xi, [7, 8]), [x64([1, 1, 2, 2]), ...m.parameters()]);
  }],
  ["F.convTranspose2d weight and bias as inputs", () =>
    gradcheck(
      (xi: Tensor, w: Tensor, b: Tensor) =>
        F.convTranspose2d(xi, w, b, { stride: 2, groups: 2, dilation: [1, 2] }),
      [x64([1, 4, 2, 3]), x64([4, 1, 2, 2]), x64([2])],
    )],
  ["Conv1d padding 1", () => checkModule(new nn.Conv1d(2, 3, 3, { padding: 1 }), x64([2, 2, 5]))],
  [
    "Conv1d stride 2, dilation 2, groups 2",
    () =>
      checkModule(new nn.Conv1d(2, 4, 2, { stride: 2, dilation: 2, groups: 2 }), x64([1, 2, 7])),
  ],
  ["Conv1d same (even kernel), valid", () => {
    checkModule(new nn.Conv1d(1, 2, 4, { padding: "same" }), x64([1, 1, 5]));
    checkModule(new nn.Conv1d(1, 2, 3, { padding: "valid", bias: false }), x64([2, 1, 4]));
  }],
  ["Conv1d reflect and circular padding, unbatched", () => {
    checkModule(new nn.Conv1d(1, 1, 3, { padding: 1, paddingMode: "reflect" }), x64([1, 1, 4]));
    checkModule(new nn.Conv1d(2, 1, 3, { padding: "same", paddingMode: "circular" }), x64([2, 5]));
  }],
  ["ConvTranspose1d stride 2, outputPadding 1, groups 2", () =>
    checkModule(
      new nn.ConvTranspose1d(2, 4, 3, { stride: 2, outputPadding: 1, groups: 2, padding: 1 }),
      x64([2, 2, 3]),
    )],
  ["AdaptiveMaxPool2d uneven, larger than input, None", () => {
    checkModule(new nn.AdaptiveMaxPool2d([3, 2]), x64([1, 2, 5, 5]));
    checkModule(new nn.AdaptiveMaxPool2d([4, 3]), x64([1, 1, 3, 2]));
    checkModule(new nn.AdaptiveMaxPool2d([null, 2]), x64([2, 3, 5]));
  }],
  ["AdaptiveMaxPool2d returnIndices (values gradient)", () => {
    const m = new nn.AdaptiveMaxPool2d(3, { returnIndices: true });
    gradcheck((xi: Tensor) => m.call(xi)[0], [x64([1, 2, 5, 4])]);
  }],
  ["MaxPool2d returnIndices (values gradient)", () => {
    const m = new nn.MaxPool2d(3, { stride: 2, padding: 1, returnIndices: true });
    gradcheck((xi: Tensor) => m.call(xi)[0], [x64([1, 2, 5, 4])]);
  }],
  ["MaxUnpool2d after MaxPool2d", () => {
    const pool = new nn.MaxPool2d(2, { returnIndices: true });
    const unpool = new nn.MaxUnpool2d(2);
    gradcheck((xi: Tensor) => {
      const [y, idx] = pool.call(xi);
      return unpool.call(y, idx, [5, 5]);
    }, [x64([1, 2, 5, 5])]);
    const [, idx] = pool.call(x64([1, 2, 4, 4]));
    gradcheck((v: Tensor) => F.maxUnpool2d(v, idx, 2), [x64([1, 2, 2, 2])]);
  }],
];
for (const [name, fn] of grads) Deno.test(`conv extra gradcheck: ${name}`, fn);

// ---------------------------------------------------------------------------------------------
// Shapes, init, state dicts and errors.

Deno.test("conv extra: output sizes, weight layouts and PyTorch's init bounds", () => {
  const ct = new nn.ConvTranspose2d(6, 4, [3, 2], { groups: 2 });
  assert.deepEqual(ct.weight.shape, [6, 2, 3, 2]);
  assert.deepEqual(Object.keys(ct.stateDict()), ["weight", "bias"]);
  // fan_in = Cout/groups · kh · kw = 12 for both the weight's kaiming bound and the bias bound.
  const wb = 1 / Math.sqrt(12), w = Array.from(ct.weight.dataSync());
  assert.ok(w.every((v) => Math.abs(v) <= wb) && Math.max(...w.map(Math.abs)) > wb / 2);
  assert.ok(Array.from(ct.bias!.dataSync()).every((v) => Math.abs(v) <= wb));
  const y = ct.call(randn([2, 6, 5, 4]));
  assert.deepEqual(y.shape, [2, 4, 7, 5]);
  const up = new nn.ConvTranspose2d(3, 3, 3, { stride: 2, padding: 1, outputPadding: 1 });
  assert.deepEqual(up.call(randn([1, 3, 8, 8])).shape, [1, 3, 16, 16]);
  assert.deepEqual(up.call(randn([1, 3, 8, 8]), [1, 3, 15, 16]).shape, [1, 3, 15, 16]);
  const c1 = new nn.Conv1d(4, 6, 5, { groups: 2, bias: false });
  assert.deepEqual(c1.weight.shape, [6, 2, 5]);
  assert.deepEqual(Object.keys(c1.stateDict()), ["weight"]);
  assert.deepEqual(c1.call(randn([3, 4, 20])).shape, [3, 6, 16]);
  const ct1 = new nn.ConvTranspose1d(4, 2, 4, { stride: 2, padding: 1 });
  assert.deepEqual(ct1.weight.shape, [4, 2, 4]);
  assert.deepEqual(ct1.call(randn([4, 10])).shape, [2, 20]);
  assert.deepEqual(new nn.AdaptiveMaxPool2d([null, 3]).call(randn([2, 5, 7])).shape, [2, 5, 3]);
  assert.equal(
    ct.toString(),
    "ConvTranspose2d(6, 4, kernelSize=[3, 2], stride=[1, 1], groups=2)",
  );
});

Deno.test("conv extra: MaxPool2d indices unpool back onto the maxima", async () => {
  // Positive inputs, so that re-pooling the zero-filled unpooled map finds the same maxima.
  const x = randn([2, 3, 6, 6]).exp();
  const [y, idx] = F.maxPool2d(x, 2, { returnIndices: true });
  const back = F.maxUnpool2d(y, idx, 2);
  assert.deepEqual(back.shape, x.shape);
  // Each window keeps exactly its maximum; everything else is zero.
  const again = F.maxPool2d(back, 2);
  assert.deepEqual(Array.from(await again.toArray()), Array.from(await y.toArray()));
  const nonzero = Array.from(await back.toArray()).filter((v) => v !== 0).length;
  assert.equal(nonzero, y.numel);
});

function throwsWith(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: Error) => re.test(e.message), re.source);
}

Deno.test("conv extra: errors name the op or the module path like PyTorch's checks", () => {
  const x = randn([1, 2, 4, 4]);
  throwsWith(
    () => F.convTranspose2d(x, randn([2, 1, 3, 3]), null, { outputPadding: 1 }),
    /^convTranspose2d: outputPadding \[1, 1\] must be smaller than either stride \[1, 1\] or dilation \[1, 1\]/,
  );
  throwsWith(
    () => F.convTranspose2d(x, randn([2, 1, 3, 3]), null, { stride: 2, outputPadding: [1, 2] }),
    /outputPadding \[1, 2\] must be smaller/,
  );
  throwsWith(
    () => F.convTranspose2d(x, randn([3, 1, 3, 3])),
    /^convTranspose2d: weight \[3, 1, 3, 3\] expects input with 3 channels, got input \[1, 2, 4, 4\]/,
  );
  throwsWith(
    () => F.convTranspose2d(x, randn([2, 1, 3, 3]), null, { padding: 4 }),
    /non-positive output size/,
  );
  throwsWith(() => F.conv1d(x, randn([2, 2, 3])), /^conv1d: expected a 2-D \(unbatched\) or 3-D/);
  throwsWith(
    () => F.conv1d(randn([1, 3, 5]), randn([2, 2, 3])),
    /^conv1d: weight \[2, 2, 3\] with groups=1 expects input with 2 channels/,
  );
  const net = new nn.Sequential(new nn.ConvTranspose2d(2, 3, 3), new nn.Conv1d(3, 2, 3));
  throwsWith(
    () => net.call(randn([1, 4, 4, 4])),
    /^0 \(ConvTranspose2d\): expected input with 2 channels, got 4$/,
  );
  throwsWith(
    () => new nn.Sequential(new nn.Conv1d(3, 2, 3)).call(randn([1, 3, 4, 4])),
    /^0 \(Conv1d\): expected 2-D \(unbatched\) or 3-D \(batched\) input, got input of shape \[1, 3, 4, 4\]/,
  );
  throwsWith(
    () => new nn.ConvTranspose2d(2, 2, 3, { stride: 2 }).call(x, [20, 20]),
    /^ConvTranspose2d: requested an output size of \[20, 20\], but valid sizes range from 9 to 10/,
  );
  throwsWith(() => new nn.ConvTranspose2d(3, 4, 3, { groups: 2 }), /inChannels \(3\) must be/);
  throwsWith(() => new nn.Conv1d(2, 2, 3, { stride: 2, padding: "same" }), /"same" is not/);
  const [y, idx] = F.maxPool2d(x, 2, { returnIndices: true });
  throwsWith(
    () => F.maxUnpool2d(y, idx, 2, { outputSize: [6, 4] }),
    /^maxUnpool2d: invalid outputSize \[6, 4\] \(dim 0 must be between 3 and 5\)/,
  );
  throwsWith(() => F.maxUnpool2d(y, y, 2), /expected int32 indices/);
  throwsWith(() => F.adaptiveMaxPool2d(x, [0, 2]), /^adaptiveMaxPool2d: output size must be/);
});

// ---------------------------------------------------------------------------------------------
// cpu-vs-webgpu parity (skipped without an adapter).

type P = [string, ((...t: Tensor[]) => Tensor | Tensor[]), number[][]];
const parityCases: P[] = [
  [
    "convTranspose2d stride 2, outputPadding 1",
    (x, w, b) => F.convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 }),
    [[2, 3, 5, 4], [
      3,
      4,
      3,
      3,
    ], [4]],
  ],
  [
    "convTranspose2d groups 2, dilation 2, rect kernel",
    (x, w, b) =>
      F.convTranspose2d(x, w, b, { groups: 2, dilation: 2, stride: [2, 1], padding: [1, 2] }),
    [
      [2, 4, 5, 6],
      [4, 3, 3, 2],
      [6],
    ],
  ],
  [
    "convTranspose2d outputPadding below dilation, many channels",
    (x, w) => F.convTranspose2d(x, w, null, { dilation: 2, outputPadding: 1 }),
    [[2, 12, 5, 5], [
      12,
      9,
      3,
      3,
    ]],
  ],
  [
    "conv1d groups 2, dilation 2, stride 2",
    (x, w, b) => F.conv1d(x, w, b, { groups: 2, dilation: 2, stride: 2, padding: 1 }),
    [[2, 4, 13], [
      6,
      2,
      3,
    ], [6]],
  ],
  ["conv1d same", (x, w) => F.conv1d(x, w, null, { padding: "same" }), [[3, 3, 10], [5, 3, 4]]],
  [
    "convTranspose1d stride 3, outputPadding 2",
    (x, w, b) => F.convTranspose1d(x, w, b, { stride: 3, outputPadding: 2 }),
    [[2, 3, 7], [3, 2, 4], [2]],
  ],
  [
    "adaptiveMaxPool2d uneven with indices",
    (x) => F.adaptiveMaxPool2d(x, [3, 4], { returnIndices: true }),
    [[2, 3, 7, 9]],
  ],
  [
    "adaptiveMaxPool2d even with indices",
    (x) => F.adaptiveMaxPool2d(x, [2, 3], { returnIndices: true }),
    [[2, 3, 6, 9]],
  ],
  [
    "maxPool2d indices: fused path",
    (x) => F.maxPool2d(x, 3, { stride: 2, padding: 1, returnIndices: true }),
    [[2, 3, 9, 8]],
  ],
  ["maxPool2d then maxUnpool2d", (x) => {
    const [y, idx] = F.maxPool2d(x, 3, { stride: 2, padding: 1, returnIndices: true });
    return F.maxUnpool2d(y, idx, 3, { stride: 2, padding: 1, outputSize: [9, 8] });
  }, [[2, 3, 9, 8]]],
];

Deno.test({
  name: "conv extra: webgpu parity",
  ignore: !hasGpu,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    for (const [name, fn, shapes] of parityCases) {
      const inputs = shapes.map((s, i) => f(s, i + 1));
      await t.step(name, () => parity(name, inputs, fn, { rtol: 3e-4, atol: 3e-4 }));
    }
  },
});

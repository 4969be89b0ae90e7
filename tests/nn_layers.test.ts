// Layer outputs and gradients against PyTorch 1.13 (tools/gen_nn_fixtures.py): each case loads
// PyTorch's state dict, runs forward, backpropagates sum(out * r) and compares output, input
// gradients, parameter gradients and the state after the step (batch norm running stats).
import assert from "node:assert/strict";
import * as nn from "../src/nn/mod.ts";
import { functional as F } from "../src/nn/mod.ts";
import type { Device } from "../src/tensor/dtype.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import {
  assertClose,
  deviceTest,
  fixture,
  fromJ,
  type JTensor,
  type ModuleCase,
  runModuleCase,
} from "./_support/nn.ts";

interface Case extends ModuleCase {
  config: Record<string, unknown>;
  eval_input?: JTensor;
  eval_output?: JTensor;
}

type Runner = { module: nn.AnyModule; run: (ins: Tensor[]) => Tensor[] };

function one(m: nn.Module): Runner {
  return { module: m as unknown as nn.AnyModule, run: ([x]) => [m.call(x)] };
}

function fn(f: (x: Tensor) => Tensor): Runner {
  return one(
    new (class Fn extends nn.Module {
      override forward(x: Tensor): Tensor {
        return f(x);
      }
    })(),
  );
}

// deno-lint-ignore no-explicit-any
type Cfg = Record<string, any>;

function convFromTorch(c: Cfg): nn.Conv2d {
  return new nn.Conv2d(c.in_channels, c.out_channels, c.kernel_size, {
    stride: c.stride,
    padding: c.padding,
    dilation: c.dilation,
    groups: c.groups,
    bias: c.bias,
    paddingMode: c.padding_mode,
  });
}

function build(c: Case): Runner {
  const k: Cfg = c.config;
  const n = c.name;
  if (n.startsWith("linear")) return one(new nn.Linear(k.in, k.out, { bias: k.bias ?? true }));
  if (n.startsWith("conv")) return one(convFromTorch(k));
  if (n.startsWith("maxpool")) {
    return one(
      new nn.MaxPool2d(k.kernel, {
        stride: k.stride,
        padding: k.padding,
        dilation: k.dilation,
        ceilMode: k.ceil,
      }),
    );
  }
  if (n.startsWith("avgpool")) {
    return one(
      new nn.AvgPool2d(k.kernel, {
        stride: k.stride,
        padding: k.padding,
        ceilMode: k.ceil,
        countIncludePad: k.countIncludePad,
        divisorOverride: k.divisor,
      }),
    );
  }
  if (n.startsWith("adaptive")) return one(new nn.AdaptiveAvgPool2d(k.out));
  if (n.startsWith("bn")) {
    const opts = {
      affine: k.affine,
      momentum: k.momentum === undefined ? 0.1 : k.momentum,
      trackRunningStats: k.track,
    };
    return one(
      n.startsWith("bn2d") ? new nn.BatchNorm2d(k.n, opts) : new nn.BatchNorm1d(k.n, opts),
    );
  }
  if (n.startsWith("layernorm")) {
    return one(new nn.LayerNorm(k.shape, { elementwiseAffine: k.affine, eps: k.eps }));
  }
  if (n.startsWith("embedding")) {
    return one(new nn.Embedding(k.num, k.dim, { paddingIdx: k.paddingIdx }));
  }
  if (n.startsWith("lstm")) {
    const m = new nn.LSTM(k.input, k.hidden, {
      numLayers: k.layers,
      batchFirst: k.batchFirst,
      bias: k.bias,
    });
    return {
      module: m as unknown as nn.AnyModule,
      run: ([x, h, c2]) => {
        const [o, [hn, cn]] = m.call(x, h ? [h, c2] : undefined);
        return [o, hn, cn];
      },
    };
  }
  if (n.startsWith("gru")) {
    const m = new nn.GRU(k.input, k.hidden, { numLayers: k.layers, batchFirst: k.batchFirst });
    return {
      module: m as unknown as nn.AnyModule,
      run: ([x, h]) => {
        const [o, hn] = m.call(x, h);
        return [o, hn];
      },
    };
  }
  switch (n) {
    case "relu":
      return one(new nn.ReLU());
    case "leaky_relu":
      return one(new nn.LeakyReLU(k.slope));
    case "gelu":
      return one(new nn.GELU());
    case "gelu_tanh":
      return one(new nn.GELU({ approximate: "tanh" }));
    case "sigmoid":
      return one(new nn.Sigmoid());
    case "tanh":
      return one(new nn.Tanh());
    case "softmax":
      return one(new nn.Softmax(k.dim));
    case "log_softmax":
      return one(new nn.LogSoftmax(k.dim));
    case "unfold":
      return fn((x) => F.unfold(x, k.kernel, { padding: k.padding, stride: k.stride }));
    case "fold":
      return fn((x) => F.fold(x, k.out, k.kernel, { padding: k.padding, stride: k.stride }));
  }
  if (n.startsWith("pad_")) return fn((x) => F.pad(x, k.pads, k.mode, k.value ?? 0));
  throw new Error(`no builder for fixture case ${n}`);
}

/** Runs a case through the shared runner (this generator writes one eval output). */
function runCase(c: Case, device: Device): Promise<void> {
  const { module, run } = build(c);
  const evalCase = {
    eval_inputs: c.eval_input && [c.eval_input],
    eval_outputs: c.eval_output && [c.eval_output],
  };
  return runModuleCase({ ...c, ...evalCase }, device, module, (_, inputs) => run(inputs));
}

for (const file of ["layers.json", "rnn.json", "functional.json"]) {
  const { cases } = fixture<{ cases: Case[] }>(file);
  for (const c of cases) {
    deviceTest(
      `nn fixture ${file.replace(".json", "")}: ${c.name}`,
      (device) => runCase(c, device),
    );
  }
}

interface ModelFixture {
  state_dict: Record<string, JTensor>;
  input: JTensor;
  output: JTensor;
}

/** The generator's `Net`, written the denotorch way. */
class Net extends nn.Module {
  features = new nn.Sequential(
    new nn.Conv2d(3, 8, 3, { padding: 1 }),
    new nn.BatchNorm2d(8),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(8, 8, 3, { padding: 1, groups: 2 }),
    new nn.ReLU(),
    new nn.AdaptiveAvgPool2d(1),
  );
  classifier = new nn.Linear(8, 5);
  override forward(x: Tensor): Tensor {
    return this.classifier.call(this.features.call(x).flatten(1));
  }
}

deviceTest("nn: a PyTorch state dict loads into the same model and gives the same outputs", async (
  device,
) => {
  const fx = fixture<ModelFixture>("model.json");
  const net = new Net().to(device);
  const sd = Object.fromEntries(
    Object.entries(fx.state_dict).map(([k, v]) => [k, fromJ(v, "cpu", "float32")]),
  );
  assert.deepEqual(Object.keys(net.stateDict()), Object.keys(sd), "same keys in the same order");
  const res = net.loadStateDict(sd);
  assert.deepEqual(res, { missingKeys: [], unexpectedKeys: [] });
  net.eval();
  const y = net.call(fromJ(fx.input, device, "float32"));
  await assertClose(y, fx.output, 1e-5, "model output");
  const nbt = net.stateDict()["features.1.num_batches_tracked"];
  assert.equal(nbt.dtype, "int32");
  assert.equal(await nbt.item(), 1);
});

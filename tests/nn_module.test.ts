// Module behaviour: registration by field, state dicts, strict loading, hooks, modes, devices,
// error paths and memory scoping of call().
import assert from "node:assert/strict";
import * as nn from "../src/nn/mod.ts";
import { init } from "../src/nn/mod.ts";
import { noGrad } from "../src/autograd/grad_mode.ts";
import { ones, randn, zeros } from "../src/tensor/creation.ts";
import { memoryAllocated } from "../src/tensor/memory.ts";
import { Generator, manualSeed } from "../src/tensor/random.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import { deviceTest } from "./_support/nn.ts";

class Net extends nn.Module {
  features = new nn.Sequential(
    new nn.Conv2d(3, 4, 3, { padding: 1 }),
    new nn.BatchNorm2d(4),
    new nn.ReLU(),
    new nn.Conv2d(4, 4, 3, { padding: 1 }),
  );
  head = new nn.Linear(4, 2);
  override forward(x: Tensor): Tensor {
    const f = this.features.call(x).mean([2, 3]);
    return this.head.call(f);
  }
}

Deno.test("nn.Module: fields register parameters, buffers and children in PyTorch's order", () => {
  const net = new Net();
  assert.deepEqual(Object.keys(net.stateDict()), [
    "features.0.weight",
    "features.0.bias",
    "features.1.weight",
    "features.1.bias",
    "features.1.running_mean",
    "features.1.running_var",
    "features.1.num_batches_tracked",
    "features.3.weight",
    "features.3.bias",
    "head.weight",
    "head.bias",
  ]);
  assert.deepEqual(net.namedParameters().map(([k]) => k), [
    "features.0.weight",
    "features.0.bias",
    "features.1.weight",
    "features.1.bias",
    "features.3.weight",
    "features.3.bias",
    "head.weight",
    "head.bias",
  ]);
  assert.deepEqual(net.namedBuffers().map(([k]) => k), [
    "features.1.running_mean",
    "features.1.running_var",
    "features.1.num_batches_tracked",
  ]);
  assert.deepEqual(net.namedChildren().map(([k]) => k), ["features", "head"]);
  assert.deepEqual(net.namedModules().map(([k]) => k), [
    "",
    "features",
    "features.0",
    "features.1",
    "features.2",
    "features.3",
    "head",
  ]);
  assert.equal(net.numParameters(), 4 * 27 + 4 + 8 + 4 * 36 + 4 + 8 + 2);
  assert.ok(net.parameters().every((p) => nn.isParameter(p) && p.requiresGrad && p.isLeaf));
  assert.ok(net.features.get(-1) instanceof nn.Conv2d);
});

Deno.test("nn.Module: shared parameters and modules are listed once", () => {
  const l = new nn.Linear(2, 2);
  const seq = new nn.Sequential(l, new nn.ReLU(), l);
  assert.equal(seq.parameters().length, 2);
  assert.deepEqual(Object.keys(seq.stateDict()), ["0.weight", "0.bias", "2.weight", "2.bias"]);
});

Deno.test("nn.Module: non-persistent buffers stay out of the state dict", () => {
  class M extends nn.Module {
    constructor() {
      super();
      this.registerBuffer("keep", zeros([2]));
      this.registerBuffer("scratch", zeros([2]), { persistent: false });
    }
  }
  const m = new M();
  assert.deepEqual(m.namedBuffers().map(([k]) => k), ["keep", "scratch"]);
  assert.deepEqual(Object.keys(m.stateDict()), ["keep"]);
});

Deno.test("nn.Module: loadStateDict copies values and reports keys; strict errors like PyTorch", () => {
  manualSeed(1);
  const a = new Net(), b = new Net();
  b.loadStateDict(a.stateDict());
  for (const [k, v] of Object.entries(a.stateDict())) {
    assert.deepEqual(b.stateDict()[k].dataSync(), v.dataSync(), k);
  }
  const sd = a.stateDict();
  delete sd["head.bias"];
  sd["head.extra"] = zeros([1]);
  assert.throws(
    () => b.loadStateDict(sd),
    (e: Error) =>
      e.message.startsWith("Error(s) in loading state_dict for Net:") &&
      e.message.includes('Missing key(s) in state_dict: "head.bias".') &&
      e.message.includes('Unexpected key(s) in state_dict: "head.extra".'),
  );
  assert.deepEqual(b.loadStateDict(sd, { strict: false }), {
    missingKeys: ["head.bias"],
    unexpectedKeys: ["head.extra"],
  });
  const bad = a.stateDict();
  bad["features.0.weight"] = zeros([4, 3, 5, 5]);
  for (const strict of [true, false]) {
    assert.throws(
      () => b.loadStateDict(bad, { strict }),
      /size mismatch for features\.0\.weight: copying a param with shape \[4, 3, 5, 5\] from checkpoint, the shape in current model is \[4, 3, 3, 3\]/,
    );
  }
});

Deno.test("nn.Module: a failed strict load copies nothing", () => {
  const a = new nn.Linear(2, 2), b = new nn.Linear(2, 2);
  const before = b.weight.dataSync();
  const sd = a.stateDict();
  sd.extra = zeros([1]);
  assert.throws(() => b.loadStateDict(sd));
  assert.deepEqual(b.weight.dataSync(), before);
});

Deno.test("nn.Module: errors name the failing submodule's path", () => {
  const net = new Net();
  assert.throws(
    () => net.call(randn([1, 4, 5, 5])),
    (e: Error) =>
      e instanceof RangeError &&
      e.message === "features.0 (Conv2d): expected input with 3 channels, got 4",
  );
  assert.throws(
    () => net.call(randn([3, 5, 5, 5, 1])),
    (e: Error) =>
      /^features\.0 \(Conv2d\): expected 3-D \(unbatched\) or 4-D \(batched\) input, got input of shape \[3, 5, 5, 5, 1\]/
        .test(e.message),
  );
  const bn = new nn.Sequential(new nn.Identity(), new nn.BatchNorm2d(3));
  assert.throws(
    () => bn.call(randn([2, 3, 4])),
    (e: Error) => /^1 \(BatchNorm2d\): expected 4D input, got 3D input/.test(e.message),
  );
  assert.throws(
    () => new nn.Linear(3, 2).call(randn([2, 4])),
    (e: Error) => /^Linear: expected input with last dim 3/.test(e.message),
  );
  const lstm = new nn.ModuleDict({ enc: new nn.LSTM(3, 2) });
  class Wrap extends nn.Module {
    rnn = lstm;
    override forward(x: Tensor): Tensor {
      return (this.rnn.get("enc") as unknown as nn.LSTM).call(x)[0];
    }
  }
  assert.throws(
    () => new Wrap().call(randn([2, 1, 4])),
    (e: Error) => /^rnn\.enc \(LSTM\): expected input with last dim 3/.test(e.message),
  );
});

Deno.test("nn.Module: hooks run around forward, can replace values, and can be removed", () => {
  const net = new Net();
  const calls: string[] = [];
  const pre = net.head.registerForwardPreHook((_m, [x]) => {
    calls.push("pre");
    return [x.mul(0)];
  });
  const post = net.head.registerForwardHook((_m, _args, out) => {
    calls.push("post");
    return out.add(1);
  });
  const y = net.call(randn([1, 3, 4, 4]));
  assert.deepEqual(calls, ["pre", "post"]);
  const b = net.head.bias!.dataSync();
  assert.deepEqual(Array.from(y.dataSync()), Array.from(b, (v) => v + 1));
  pre.remove();
  post.remove();
  net.call(randn([1, 3, 4, 4]));
  assert.deepEqual(calls, ["pre", "post"]);
});

Deno.test("nn.Module: a throwing hook gives an error naming the module path", () => {
  const net = new Net();
  net.features.get(3).registerForwardHook(() => {
    throw new Error("boom");
  });
  assert.throws(
    () => net.call(randn([1, 3, 4, 4])),
    (e: Error) => e.message === "features.3 (Conv2d): forward hook failed: boom",
  );
});

Deno.test("nn.Module: train/eval, apply, zeroGrad", () => {
  const net = new Net();
  net.eval();
  assert.ok(net.modules().every((m) => !m.training));
  net.train();
  assert.ok(net.modules().every((m) => m.training));
  const seen: string[] = [];
  net.apply((m) => seen.push(m.constructor.name));
  assert.deepEqual(seen, [
    "Conv2d",
    "BatchNorm2d",
    "ReLU",
    "Conv2d",
    "Sequential",
    "Linear",
    "Net",
  ]);
  net.call(randn([2, 3, 4, 4])).sum().backward();
  assert.ok(net.parameters().every((p) => p.grad));
  net.zeroGrad({ setToNone: false });
  assert.ok(net.parameters().every((p) => p.grad && p.grad.dataSync().every((v) => v === 0)));
  net.zeroGrad();
  assert.ok(net.parameters().every((p) => p.grad === null));
});

Deno.test("nn.Module: to(dtype) replaces floating parameters and buffers, keeps int buffers", () => {
  const bn = new nn.BatchNorm2d(2);
  const w = bn.weight;
  bn.to("float64");
  assert.notEqual(bn.weight, w, "a new Parameter object");
  assert.ok(nn.isParameter(bn.weight) && bn.weight.requiresGrad);
  assert.equal(bn.weight!.dtype, "float64");
  assert.equal(bn.running_var!.dtype, "float64");
  assert.equal(bn.num_batches_tracked!.dtype, "int32");
  const same = bn.weight;
  bn.to("cpu");
  assert.equal(bn.weight, same, "no-op moves keep the objects");
  assert.throws(() => bn.to("int32"), /only floating point dtypes/);
});

Deno.test("nn.Module: toString prints a PyTorch-like tree", () => {
  const s = String(new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU()));
  assert.equal(
    s,
    "Sequential(\n  (0): Linear(inFeatures=2, outFeatures=3, bias=true)\n  (1): ReLU()\n)",
  );
});

Deno.test("nn.Module: call() frees forward temporaries (only the output stays allocated)", () => {
  const net = new Net().eval();
  const x = randn([2, 3, 8, 8]);
  noGrad(() => net.call(x).dispose()); // warm-up allocations of lazily built constants
  const before = memoryAllocated("cpu");
  const y = noGrad(() => net.call(x));
  assert.equal(memoryAllocated("cpu") - before, y.numel * 4);
  y.dispose();
  assert.equal(memoryAllocated("cpu"), before);
});

Deno.test("nn.BatchNorm2d: running stats update in training (unbiased var) and are used in eval", () => {
  const bn = new nn.BatchNorm2d(1, { momentum: 0.5 });
  const x = ones([2, 1, 1, 2]);
  noGrad(() => x.narrow(0, 1, 1).fill_(3)); // values 1, 1, 3, 3: mean 2, unbiased var 4/3
  bn.call(x);
  assert.deepEqual(Array.from(bn.running_mean!.dataSync()), [1]);
  assert.ok(Math.abs(bn.running_var!.dataSync()[0] - (0.5 + 0.5 * 4 / 3)) < 1e-6);
  assert.equal(bn.num_batches_tracked!.dataSync()[0], 1);
  bn.eval();
  const y = bn.call(x).dataSync();
  assert.ok(Math.abs(y[0] - 0 / Math.sqrt(0.5 + 2 / 3 + 1e-5)) < 1e-6);
});

Deno.test("nn.Dropout: seeded masks, scaling, identity in eval", () => {
  const d = new nn.Dropout(0.5, { generator: new Generator(5) });
  const a = d.call(ones([1000])).dataSync();
  assert.ok(a.every((v) => v === 0 || v === 2));
  const kept = a.filter((v) => v === 2).length;
  assert.ok(kept > 420 && kept < 580, `kept ${kept}`);
  d.generator = new Generator(5);
  assert.deepEqual(d.call(ones([1000])).dataSync(), a);
  d.eval();
  const x = randn([3]);
  assert.equal(d.call(x), x);
});

Deno.test("nn.init: fans, gains and bounds follow PyTorch", () => {
  const w = zeros([16, 8, 3, 3]);
  assert.deepEqual(init.calculateFanInAndFanOut(w), [72, 144]);
  assert.equal(init.calculateGain("relu"), Math.SQRT2);
  assert.equal(init.calculateGain("tanh"), 5 / 3);
  assert.equal(init.calculateGain("leaky_relu", 0.2), Math.sqrt(2 / 1.04));
  init.kaimingUniform_(w, { a: Math.sqrt(5), generator: new Generator(1) });
  const bound = 1 / Math.sqrt(72);
  const v = w.dataSync();
  assert.ok(v.every((e) => Math.abs(e) <= bound) && v.some((e) => Math.abs(e) > bound * 0.9));
  const w2 = zeros([16, 8, 3, 3]);
  init.kaimingUniform_(w2, { a: Math.sqrt(5), generator: new Generator(1) });
  assert.deepEqual(w2.dataSync(), v, "same generator, same draws");
  const n = zeros([200, 300]);
  init.xavierNormal_(n);
  const d = Array.from(n.dataSync());
  const std = Math.sqrt(d.reduce((s, e) => s + e * e, 0) / d.length);
  assert.ok(Math.abs(std - Math.sqrt(2 / 500)) < 0.002, `std ${std}`);
  const lin = new nn.Linear(10, 5);
  assert.ok(lin.bias!.dataSync().every((e) => Math.abs(e) <= 1 / Math.sqrt(10)));
});

deviceTest(
  "nn.Module: to(device) moves parameters and buffers; forward runs there",
  async (device) => {
    const net = new Net().to(device).eval();
    assert.ok(net.parameters().every((p) => p.device === device));
    assert.ok(net.buffers().every((b) => b.device === device));
    const y = net.call(randn([2, 3, 4, 4], { device }));
    assert.deepEqual(y.shape, [2, 2]);
    assert.equal((await y.toArray()).length, 4);
  },
);

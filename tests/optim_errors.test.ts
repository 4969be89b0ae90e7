// Misuse of optimizers and schedulers fails at once with errors naming the optimizer and the
// option; zeroGrad semantics; the scheduler-before-optimizer warning (PyTorch's behaviour).
import assert from "node:assert/strict";
import { tensor, zeros } from "../src/tensor/creation.ts";
import { Adam, AdamW, RMSprop, SGD } from "../src/optim/mod.ts";
import { OneCycleLR, StepLR } from "../src/optim/lr_scheduler/mod.ts";

const param = () => zeros([2], { requiresGrad: true });

Deno.test("optimizers reject empty, duplicate, non-leaf and integer parameters", () => {
  assert.throws(() => new SGD([], { lr: 0.1 }), /SGD: optimizer got an empty parameter list/);
  const p = param();
  assert.throws(() => new Adam([p, p]), /Adam: a parameter \(shape \[2\]\) appears more than once/);
  assert.throws(
    () => new SGD([{ params: [p] }, { params: [p], lr: 1 }], { lr: 0.1 }),
    /appears more than once/,
  );
  const opt = new SGD([p], { lr: 0.1 });
  assert.throws(() => opt.addParamGroup({ params: [p] }), /appears more than once/);
  assert.throws(
    () => new SGD([p.mul(2)], { lr: 0.1 }),
    /can't optimize a non-leaf Tensor \(shape \[2\]\)/,
  );
  assert.throws(
    () => new SGD([tensor([1], { dtype: "int32" })], { lr: 0.1 }),
    /floating point.*int32/,
  );
});

Deno.test("optimizers reject negative or NaN lr and bad options, also per group", () => {
  const p = param();
  assert.throws(() => new SGD([p], { lr: -0.1 }), /SGD: invalid learning rate: -0.1/);
  assert.throws(() => new Adam([p], { lr: NaN }), /Adam: invalid learning rate/);
  assert.throws(() => new AdamW([{ params: [p], lr: -1 }]), /AdamW: invalid learning rate: -1/);
  assert.throws(
    () => new Adam([p], { betas: [1.0, 0.999] }),
    /invalid beta parameter at index 0: 1/,
  );
  assert.throws(() => new RMSprop([p], { alpha: -1 }), /RMSprop: invalid alpha value: -1/);
  assert.throws(
    () => new SGD([p], { lr: 0.1, nesterov: true }),
    /Nesterov momentum requires a momentum/,
  );
  assert.throws(() => new SGD([p], { lr: 0.1, weightDecay: -1 }), /invalid weightDecay value/);
  // an lr made invalid after construction is caught by step()
  const opt = new SGD([p], { lr: 0.1 });
  opt.paramGroups[0].lr = NaN;
  p.grad = zeros([2]);
  assert.throws(() => opt.step(), /SGD: invalid learning rate: NaN/);
});

Deno.test("zeroGrad frees gradients by default, or zeroes them in place", async () => {
  const p = param();
  const opt = new SGD([p], { lr: 0.1 });
  p.grad = tensor([1, 2]);
  const g = p.grad;
  opt.zeroGrad({ setToNone: false });
  assert.equal(p.grad, g);
  assert.deepEqual(Array.from(await g.toArray()), [0, 0]);
  opt.zeroGrad();
  assert.equal(p.grad, null);
  assert.ok(g.isDisposed);
});

Deno.test("step skips parameters without gradients and returns the closure's loss", () => {
  const a = param(), b = param();
  const opt = new SGD([a, b], { lr: 1 });
  b.grad = tensor([1, 1]);
  const loss = opt.step(() => 42);
  assert.equal(loss, 42);
  assert.deepEqual(Array.from(a.dataSync()), [0, 0]);
  assert.deepEqual(Array.from(b.dataSync()), [-1, -1]);
  assert.equal(opt.state.has(a), false);
});

Deno.test("scheduler stepped before its optimizer warns once, like PyTorch", () => {
  const warnings: string[] = [];
  const orig = console.warn;
  console.warn = (m: string) => warnings.push(m);
  try {
    const opt = new SGD([param()], { lr: 0.1 });
    const sched = new StepLR(opt, 1);
    sched.step();
    sched.step();
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /lrScheduler.step\(\)` before `optimizer.step\(\)`/);
    const opt2 = new SGD([param()], { lr: 0.1 });
    const s2 = new StepLR(opt2, 1);
    opt2.step();
    s2.step();
    assert.equal(warnings.length, 1);
  } finally {
    console.warn = orig;
  }
});

Deno.test("scheduler option errors", () => {
  const opt = new SGD([param()], { lr: 0.1 });
  assert.throws(() => new StepLR(opt, 0), /StepLR: stepSize must be a positive integer/);
  assert.throws(() => new OneCycleLR(opt, 0.1), /OneCycleLR: you must define either totalSteps/);
  assert.throws(
    () => new OneCycleLR(opt, [0.1, 0.2], { totalSteps: 5 }),
    /expected 1 values for maxLr, got 2/,
  );
  const sched = new OneCycleLR(opt, 0.1, { totalSteps: 2 });
  opt.step();
  sched.step();
  sched.step();
  assert.throws(
    () => sched.step(),
    /OneCycleLR: tried to step 4 times; the specified number of total steps is 2/,
  );
  const fresh = new SGD([param()], { lr: 0.1 });
  assert.throws(
    () => new StepLR(fresh, 2, { lastEpoch: 3 }),
    /param 'initialLr' is not specified in paramGroups\[0\]/,
  );
});

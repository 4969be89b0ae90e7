// Adagrad and Adamax against PyTorch 1.13: parameters after each of 6 steps on fixed
// gradients and the final state in PyTorch's state-dict layout, from
// tests/fixtures/optim/optimizers_extra.json (written by tools/gen_optim_extra_fixtures.py);
// plus state-dict round trips and option errors.
import assert from "node:assert/strict";
import { tensor, zeros } from "../src/tensor/creation.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import { Adagrad, Adamax } from "../src/optim/mod.ts";
import { type Ctor, optimizerCaseTests, optimizerFixture } from "./_support/optim_cases.ts";

optimizerCaseTests("optimizer extra", optimizerFixture("optimizers_extra.json"), {
  Adagrad: Adagrad as unknown as Ctor,
  Adamax: Adamax as unknown as Ctor,
});

Deno.test("Adagrad: every parameter has state from construction, as in PyTorch", async () => {
  const a = zeros([2], { requiresGrad: true }), b = zeros([3], { requiresGrad: true });
  const opt = new Adagrad([a, b], { initialAccumulatorValue: 0.5 });
  const sd = opt.stateDict();
  assert.deepEqual(Object.keys(sd.state), ["0", "1"]);
  assert.equal(sd.state[1].step, 0);
  assert.deepEqual(Array.from(await (sd.state[1].sum as Tensor).toArray()), [0.5, 0.5, 0.5]);
  // A group added later gets its state on its first step.
  const c = tensor([1, 2], { requiresGrad: true });
  opt.addParamGroup({ params: [c], initialAccumulatorValue: 1 });
  c.grad = tensor([1, 1]);
  opt.step();
  assert.equal(opt.stateDict().state[2].step, 1);
});

Deno.test("Adagrad / Adamax: defaults are PyTorch's", () => {
  const p = zeros([1], { requiresGrad: true });
  const ag = new Adagrad([p]).paramGroups[0];
  assert.deepEqual(
    [ag.lr, ag.lrDecay, ag.weightDecay, ag.initialAccumulatorValue, ag.eps, ag.maximize],
    [1e-2, 0, 0, 0, 1e-10, false],
  );
  const ax = new Adamax([p]).paramGroups[0];
  assert.deepEqual(
    [ax.lr, ax.betas, ax.eps, ax.weightDecay, ax.maximize],
    [2e-3, [0.9, 0.999], 1e-8, 0, false],
  );
});

Deno.test("Adagrad / Adamax: bad options name the optimizer and the option", () => {
  const p = () => [zeros([1], { requiresGrad: true })];
  assert.throws(() => new Adagrad(p(), { lr: -1 }), /Adagrad: invalid learning rate: -1/);
  assert.throws(() => new Adagrad(p(), { lrDecay: -0.1 }), /Adagrad: invalid lrDecay value: -0.1/);
  assert.throws(
    () => new Adagrad(p(), { weightDecay: -1 }),
    /Adagrad: invalid weightDecay value: -1/,
  );
  assert.throws(
    () => new Adagrad(p(), { initialAccumulatorValue: -1 }),
    /Adagrad: invalid initialAccumulatorValue value: -1/,
  );
  assert.throws(() => new Adagrad(p(), { eps: -1 }), /Adagrad: invalid epsilon value: -1/);
  assert.throws(
    () => new Adagrad([{ params: p(), lrDecay: -2 }]),
    /Adagrad: invalid lrDecay value: -2/,
  );
  assert.throws(() => new Adamax(p(), { lr: Number.NaN }), /Adamax: invalid learning rate: NaN/);
  assert.throws(() => new Adamax(p(), { eps: -1 }), /Adamax: invalid epsilon value: -1/);
  assert.throws(
    () => new Adamax(p(), { betas: [1, 0.9] }),
    /Adamax: invalid beta parameter at index 0: 1/,
  );
  assert.throws(
    () => new Adamax(p(), { betas: [0.9, -0.1] }),
    /Adamax: invalid beta parameter at index 1: -0.1/,
  );
  assert.throws(
    () => new Adamax(p(), { weightDecay: -1 }),
    /Adamax: invalid weightDecay value: -1/,
  );
  assert.throws(() => new Adamax([]), /Adamax: optimizer got an empty parameter list/);
  const x = zeros([1], { requiresGrad: true });
  assert.throws(() => new Adamax([x, x]), /Adamax: a parameter .* appears more than once/);
  assert.throws(
    () => new Adagrad([tensor([1], { dtype: "int32" })]),
    /Adagrad: can only optimize floating point tensors/,
  );
});

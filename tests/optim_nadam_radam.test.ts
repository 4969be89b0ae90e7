// NAdam and RAdam against PyTorch 1.13: parameters after each of 8 steps on fixed gradients
// and the final state in PyTorch's state-dict layout, from tests/fixtures/optim/optimizers_more.json
// (written by tools/gen_optim_more_fixtures.py); state-dict round trips, defaults, option
// errors, and webgpu trajectories matching the cpu's (skipped without an adapter).
import assert from "node:assert/strict";
import { randn, tensor, zeros } from "../src/tensor/creation.ts";
import { manualSeed } from "../src/tensor/random.ts";
import type { Device } from "../src/tensor/dtype.ts";
import { NAdam, RAdam } from "../src/optim/mod.ts";
import { close, type Ctor, optimizerCaseTests, optimizerFixture } from "./_support/optim_cases.ts";
import { hasGpu } from "./webgpu_helpers.ts";

optimizerCaseTests("optimizer more", optimizerFixture("optimizers_more.json"), {
  NAdam: NAdam as unknown as Ctor,
  RAdam: RAdam as unknown as Ctor,
});

Deno.test("NAdam / RAdam: defaults are PyTorch's", () => {
  const p = zeros([1], { requiresGrad: true });
  const na = new NAdam([p]).paramGroups[0];
  assert.deepEqual(
    [na.lr, na.betas, na.eps, na.weightDecay, na.momentumDecay],
    [2e-3, [0.9, 0.999], 1e-8, 0, 4e-3],
  );
  const ra = new RAdam([p]).paramGroups[0];
  assert.deepEqual([ra.lr, ra.betas, ra.eps, ra.weightDecay], [1e-3, [0.9, 0.999], 1e-8, 0]);
});

Deno.test("NAdam: a PyTorch state dict with 0-d tensor step and mu_product loads", async () => {
  const p = tensor([1, 2], { requiresGrad: true, dtype: "float64" });
  const opt = new NAdam([p]);
  opt.loadStateDict({
    state: {
      0: {
        step: tensor(2),
        mu_product: tensor(0.5),
        exp_avg: tensor([0.1, 0.2]),
        exp_avg_sq: tensor([0.01, 0.02]),
      },
    },
    param_groups: [{ ...opt.stateDict().param_groups[0] }],
  });
  const st = opt.stateDict().state[0];
  assert.equal(st.step, 2);
  assert.equal(st.mu_product, 0.5);
  p.grad = tensor([1, 1], { dtype: "float64" });
  opt.step();
  assert.equal(opt.stateDict().state[0].step, 3);
  assert.ok((await p.toArray()).every(Number.isFinite));
});

Deno.test("NAdam / RAdam: bad options name the optimizer and the option", () => {
  const p = () => [zeros([1], { requiresGrad: true })];
  assert.throws(() => new NAdam(p(), { lr: -1 }), /NAdam: invalid learning rate: -1/);
  assert.throws(() => new NAdam(p(), { eps: -1 }), /NAdam: invalid epsilon value: -1/);
  assert.throws(
    () => new NAdam(p(), { betas: [1, 0.9] }),
    /NAdam: invalid beta parameter at index 0: 1/,
  );
  assert.throws(
    () => new NAdam(p(), { weightDecay: -1 }),
    /NAdam: invalid weightDecay value: -1/,
  );
  assert.throws(
    () => new NAdam([{ params: p(), momentumDecay: -0.1 }]),
    /NAdam: invalid momentumDecay value: -0.1/,
  );
  assert.throws(() => new RAdam(p(), { lr: Number.NaN }), /RAdam: invalid learning rate: NaN/);
  assert.throws(
    () => new RAdam(p(), { betas: [0.9, 1] }),
    /RAdam: invalid beta parameter at index 1: 1/,
  );
  assert.throws(() => new RAdam([]), /RAdam: optimizer got an empty parameter list/);
});

Deno.test({
  name: "webgpu: NAdam / RAdam trajectories match cpu",
  ignore: !hasGpu,
}, async () => {
  manualSeed(8);
  const init = randn([5, 4]).dataSync();
  const grads = [0, 1, 2, 3, 4, 5, 6].map(() => randn([5, 4]).dataSync());
  const run = async (device: Device, make: (p: never[]) => { step(): void }) => {
    const p = tensor(init, { shape: [5, 4], device, requiresGrad: true });
    const opt = make([p] as never[]);
    for (const g of grads) {
      p.grad = tensor(g, { shape: [5, 4], device });
      opt.step();
    }
    return await p.toArray();
  };
  for (
    const make of [
      (p: never[]) => new NAdam(p, { lr: 0.01, weightDecay: 0.1, momentumDecay: 0.01 }),
      (p: never[]) => new RAdam(p, { lr: 0.05, betas: [0.8, 0.9], weightDecay: 0.1 }),
    ]
  ) {
    const want = Array.from(await run("cpu", make));
    close(await run("webgpu", make), want, 1e-5, "param");
  }
});

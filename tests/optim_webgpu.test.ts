// Optimizers, clipping and losses on webgpu give the cpu's numbers (skipped without an
// adapter). Float32 on both sides, so tolerances are float32-sized.
import assert from "node:assert/strict";
import { randn, tensor } from "../src/tensor/creation.ts";
import { manualSeed } from "../src/tensor/random.ts";
import type { Device } from "../src/tensor/dtype.ts";
import { Adam, clipGradNorm_, RMSprop, SGD } from "../src/optim/mod.ts";
import * as F from "../src/nn/functional/loss.ts";

let gpu = false;
try {
  const { initWebGPU } = await import("../src/backend/webgpu/mod.ts");
  await initWebGPU();
  gpu = true;
} catch { /* no adapter: tests are ignored */ }

function closeArr(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(b[i])), `${i}: ${a[i]} vs ${b[i]}`);
  }
}

Deno.test(
  { name: "webgpu: SGD/Adam/RMSprop + clipGradNorm_ match cpu", ignore: !gpu },
  async () => {
    manualSeed(3);
    const init = randn([5, 4]).dataSync();
    const grads = [0, 1, 2].map(() => randn([5, 4]).dataSync());
    const run = async (device: Device, make: (p: never[]) => { step(): void }) => {
      const p = tensor(init, { shape: [5, 4], device, requiresGrad: true });
      const opt = make([p] as never[]);
      for (const g of grads) {
        p.grad = tensor(g, { shape: [5, 4], device });
        clipGradNorm_([p], 3);
        opt.step();
      }
      return await p.toArray();
    };
    for (
      const make of [
        (p: never[]) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true }),
        (p: never[]) => new Adam(p, { lr: 0.01, amsgrad: true, weightDecay: 0.1 }),
        (p: never[]) => new RMSprop(p, { centered: true, momentum: 0.5 }),
      ]
    ) {
      closeArr(await run("webgpu", make), await run("cpu", make), 1e-5);
    }
  },
);

Deno.test({ name: "webgpu: losses and their gradients match cpu", ignore: !gpu }, async () => {
  manualSeed(4);
  const x = randn([6, 5]).dataSync(), y = randn([6, 5]).dataSync();
  const cls = [0, 4, -100, 2, 1, 3];
  const run = async (device: Device) => {
    const xi = tensor(x, { shape: [6, 5], device, requiresGrad: true });
    const yi = tensor(y, { shape: [6, 5], device });
    const t = tensor(cls, { dtype: "int32", device });
    const w = tensor([1, 2, 0.5, 1, 3], { device });
    const loss = F.crossEntropy(xi, t, { weight: w, labelSmoothing: 0.1 })
      .add(F.binaryCrossEntropyWithLogits(xi, yi.sigmoid(), { posWeight: w }))
      .add(F.smoothL1Loss(xi, yi, { beta: 0.5 }));
    loss.backward();
    return [await loss.item(), ...await xi.grad!.toArray()];
  };
  closeArr(await run("webgpu"), await run("cpu"), 1e-5);
});

Deno.test({
  name: "webgpu: out-of-range class index is reported at the next readback",
  ignore: !gpu,
}, async () => {
  const x = randn([2, 3], { device: "webgpu" });
  const out = F.crossEntropy(x, tensor([1, 7], { dtype: "int32", device: "webgpu" }), {
    reduction: "none",
  });
  await assert.rejects(out.toArray(), /index 7 is out of bounds for dim 1 with size 3/);
});

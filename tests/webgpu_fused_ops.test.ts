// The optional fused webgpu kernels (BatchNorm statistics/apply, max pooling, optimizer
// updates) give the cpu composite path's numbers (skipped without an adapter).
import assert from "node:assert/strict";
import { randn, tensor } from "../src/tensor/creation.ts";
import { manualSeed } from "../src/tensor/random.ts";
import type { Device } from "../src/tensor/dtype.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import { batchNorm } from "../src/ops/norm.ts";
import { maxPool2d, type MaxPool2dOptions } from "../src/ops/pool.ts";
import { Adam, AdamW, SGD } from "../src/optim/mod.ts";

let gpu = false;
try {
  const { initWebGPU } = await import("../src/backend/webgpu/mod.ts");
  await initWebGPU();
  gpu = true;
} catch { /* no adapter: tests are ignored */ }

function closeArr(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what = ""): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) {
    assert.ok(
      Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(b[i])),
      `${what}[${i}]: ${a[i]} vs ${b[i]}`,
    );
  }
}

function make(data: Float32Array, shape: number[], device: Device, grad = false): Tensor {
  return tensor(data, { shape, device, requiresGrad: grad });
}

Deno.test(
  { name: "webgpu fused: batchNorm training forward/backward match cpu", ignore: !gpu },
  async () => {
    manualSeed(11);
    for (
      const [shape, perm, affine] of [
        [[4, 3, 5, 6], null, true],
        [[6, 5], null, true],
        [[3, 4, 7], null, false],
        [[2, 5, 4, 3], [0, 3, 1, 2], true], // a channels-last view: x.permute(...)
      ] as [number[], number[] | null, boolean][]
    ) {
      const base = randn(shape).mul(3).add(5).dataSync() as Float32Array;
      const C = perm ? shape[perm[1]] : shape[1];
      const w = randn([C]).dataSync() as Float32Array, b = randn([C]).dataSync() as Float32Array;
      const gy = randn(perm ? perm.map((p) => shape[p]) : shape).dataSync() as Float32Array;
      const run = async (device: Device) => {
        const x0 = make(base, shape, device, true);
        const x = perm ? x0.permute(perm) : x0;
        const wt = affine ? make(w, [C], device, true) : null;
        const bt = affine ? make(b, [C], device, true) : null;
        const rm = make(new Float32Array(C), [C], device);
        const rv = make(new Float32Array(C).fill(1), [C], device);
        const y = batchNorm(x, rm, rv, { weight: wt, bias: bt, training: true, momentum: 0.2 });
        y.backward(make(gy, y.shape, device));
        const ev = batchNorm(x.detach(), rm, rv, { weight: wt?.detach(), bias: bt?.detach() });
        return [
          await y.toArray(),
          await x0.grad!.toArray(),
          affine ? await wt!.grad!.toArray() : new Float32Array(),
          affine ? await bt!.grad!.toArray() : new Float32Array(),
          await rm.toArray(),
          await rv.toArray(),
          await ev.toArray(),
        ];
      };
      const g = await run("webgpu"), c = await run("cpu");
      const names = ["y", "dx", "dw", "db", "running_mean", "running_var", "eval"];
      for (let i = 0; i < g.length; i++) closeArr(g[i], c[i], 2e-4, `${shape} ${names[i]}`);
    }
  },
);

Deno.test(
  { name: "webgpu fused: maxPool2d forward/backward match cpu", ignore: !gpu },
  async () => {
    manualSeed(12);
    const cases: [number[], number | [number, number], MaxPool2dOptions][] = [
      [[2, 3, 8, 8], 2, {}],
      [[2, 3, 9, 7], 2, {}],
      [[2, 2, 9, 9], 3, { stride: 2, padding: 1 }],
      [[1, 2, 10, 11], [3, 2], { stride: [2, 1], dilation: [2, 1], ceilMode: true }],
      [[3, 7, 7], 3, { stride: 2, ceilMode: true, padding: 1 }],
    ];
    for (const [shape, k, opts] of cases) {
      // Rounded values make ties, so the first-maximum rule is exercised.
      const data = randn(shape).mul(2).round().dataSync() as Float32Array;
      const run = async (device: Device) => {
        const x = make(data, shape, device, true);
        const y = maxPool2d(x, k, opts);
        const g = randn(y.shape, { device: "cpu" }).dataSync() as Float32Array;
        y.backward(make(g.map((_, i) => (i % 5) - 2), y.shape, device));
        return [await y.toArray(), await x.grad!.toArray()];
      };
      const g = await run("webgpu"), c = await run("cpu");
      closeArr(g[0], c[0], 0, `${shape} y`);
      closeArr(g[1], c[1], 1e-6, `${shape} dx`);
    }
  },
);

Deno.test({ name: "webgpu fused: SGD/Adam/AdamW variants match cpu", ignore: !gpu }, async () => {
  manualSeed(13);
  const init = randn([7, 5]).dataSync() as Float32Array;
  const grads = [0, 1, 2, 3].map(() => randn([7, 5]).dataSync() as Float32Array);
  type Opt = { step(): void };
  const run = async (device: Device, mk: (p: Tensor[]) => Opt) => {
    const p = make(init, [7, 5], device, true);
    const opt = mk([p]);
    for (const g of grads) {
      p.grad = make(g, [7, 5], device);
      opt.step();
    }
    return await p.toArray();
  };
  const makers: ((p: Tensor[]) => Opt)[] = [
    (p) => new SGD(p, { lr: 0.1 }),
    (p) => new SGD(p, { lr: 0.1, momentum: 0.9 }),
    (p) => new SGD(p, { lr: 0.1, momentum: 0.9, dampening: 0.3, weightDecay: 0.01 }),
    (p) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.05 }),
    (p) => new SGD(p, { lr: 0.1, momentum: 0.5, maximize: true }),
    (p) => new Adam(p, { lr: 0.01 }),
    (p) => new Adam(p, { lr: 0.01, amsgrad: true, weightDecay: 0.1, maximize: true }),
    (p) => new AdamW(p, { lr: 0.01 }),
    (p) => new AdamW(p, { lr: 0.01, amsgrad: true, betas: [0.8, 0.9] }),
  ];
  for (const [i, mk] of makers.entries()) {
    closeArr(await run("webgpu", mk), await run("cpu", mk), 1e-5, `optimizer ${i}`);
  }
});

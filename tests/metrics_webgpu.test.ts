// Metrics with WebGPU tensors equal the CPU results (skipped where no WebGPU adapter exists).
import assert from "node:assert/strict";
import { webgpu } from "../src/backend/webgpu/mod.ts";
import { backendFor } from "../src/backend/registry.ts";
import { tensor } from "../src/tensor/creation.ts";
import { Accuracy, ConfusionMatrix, F1Score, MeanMetric, Precision } from "../src/metrics/mod.ts";

const ignore = !(await webgpu.isAvailable());

type Case = {
  name: string;
  binary?: boolean;
  numClasses: number;
  topK: number;
  preds: number[];
  predsShape: number[];
  target: number[];
  expected: Record<string, number | number[]>;
  confusion: number[][];
};
const cases: Case[] = JSON.parse(
  Deno.readTextFileSync(new URL("./fixtures/metrics/classification.json", import.meta.url)),
);

Deno.test({
  name: "metrics on webgpu: fixtures (top-1, top-2, binary), confusion matrix, mean",
  ignore,
  async fn() {
    const close = (a: number, b: number, what: string) =>
      assert.ok(Math.abs(a - b) < 1e-6, `${what}: ${a} vs ${b}`);
    for (const c of cases) {
      const target = tensor(new Int32Array(c.target), {
        shape: [c.target.length],
        device: "webgpu",
      });
      if (c.binary) {
        const preds = tensor(new Float32Array(c.preds), {
          shape: [c.preds.length],
          device: "webgpu",
        });
        const m = new F1Score({ task: "binary" });
        m.update(preds, target);
        close(await m.compute() as number, c.expected.f1 as number, `${c.name} f1`);
        const cm = new ConfusionMatrix({ task: "binary" });
        cm.update(preds, target);
        assert.deepEqual(await cm.compute(), c.confusion);
        continue;
      }
      const preds = tensor(new Float32Array(c.preds), { shape: c.predsShape, device: "webgpu" });
      const acc = new Accuracy({ numClasses: c.numClasses, topK: c.topK, average: "macro" });
      acc.update(preds, target);
      close(await acc.compute() as number, c.expected.accuracy_macro as number, `${c.name} acc`);
      const p = new Precision({ numClasses: c.numClasses, topK: c.topK, average: "weighted" });
      p.update(preds, target);
      close(await p.compute() as number, c.expected.precision_weighted as number, `${c.name} p`);
      if (c.topK === 1) {
        const cm = new ConfusionMatrix({ numClasses: c.numClasses });
        cm.update(preds, target);
        assert.deepEqual(await cm.compute(), c.confusion);
      }
    }
    const mean = new MeanMetric();
    mean.update(tensor([1, 2, 3], { device: "webgpu" }));
    mean.update(tensor([10], { device: "webgpu" }), 2);
    close(await mean.compute(), (6 + 20) / 5, "mean");
  },
});

Deno.test({
  name: "metrics on webgpu: update() never reads back; compute() reads once",
  ignore,
  async fn() {
    const backend = backendFor("webgpu");
    const read = backend.read;
    let reads = 0;
    backend.read = (s) => (reads++, read.call(backend, s));
    try {
      const m = new Accuracy({ numClasses: 3, average: "macro" });
      for (let i = 0; i < 5; i++) {
        const preds = tensor([[0.1, 0.8, 0.1], [0.7, 0.2, 0.1]], { device: "webgpu" });
        const target = tensor(new Int32Array([1, 2]), { shape: [2], device: "webgpu" });
        m.update(preds, target);
      }
      assert.equal(reads, 0);
      // argmax [1, 0] vs target [1, 2]: recalls 0 (class 0 predicted only), 1, 0 → 1/3
      assert.equal(await m.compute(), 1 / 3);
      assert.equal(reads, 1);
    } finally {
      backend.read = read;
    }
  },
});

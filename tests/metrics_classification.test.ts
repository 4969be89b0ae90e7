// Metrics against first principles and against tools/gen_metrics_fixtures.py (plain torch).
import assert from "node:assert/strict";
import { tensor } from "../src/tensor/creation.ts";
import {
  Accuracy,
  ConfusionMatrix,
  F1Score,
  functional,
  MeanMetric,
  Precision,
  Recall,
} from "../src/metrics/mod.ts";

const idx = (xs: number[]) => tensor(new Int32Array(xs), { shape: [xs.length] });
const close = (a: number, b: number, what = "") =>
  assert.ok(Math.abs(a - b) < 1e-6, `${what}: ${a} vs ${b}`);
const closeAll = (a: number | number[], b: number | number[], what = "") => {
  if (Array.isArray(b)) {
    assert.ok(Array.isArray(a), what);
    b.forEach((x, i) => close((a as number[])[i], x, `${what}[${i}]`));
  } else close(a as number, b, what);
};

Deno.test("metrics: first principles with classes that never occur (torchmetrics rules)", async () => {
  // C = 4; class 3 never occurs; class 2 is a target but never predicted.
  const preds = idx([0, 1, 1, 1, 0]);
  const target = idx([0, 0, 1, 1, 2]);
  const o = { numClasses: 4 };
  close(await functional.accuracy(preds, target, o) as number, 0.6, "acc micro");
  close(await functional.accuracy(preds, target, { ...o, average: "macro" }) as number, 0.5);
  closeAll(await functional.precision(preds, target, { ...o, average: "none" }), [
    0.5,
    2 / 3,
    0,
    0,
  ]);
  close(
    await functional.precision(preds, target, { ...o, average: "macro" }) as number,
    (0.5 + 2 / 3 + 0) / 3,
    "precision macro skips class 3",
  );
  close(await functional.recall(preds, target, { ...o, average: "macro" }) as number, 0.5);
  close(await functional.recall(preds, target, { ...o, average: "weighted" }) as number, 0.6);
  closeAll(await functional.f1Score(preds, target, { ...o, average: "none" }), [0.5, 0.8, 0, 0]);
  close(await functional.f1Score(preds, target, { ...o, average: "macro" }) as number, 1.3 / 3);
  close(await functional.f1Score(preds, target, o) as number, 0.6, "f1 micro");
  assert.deepEqual(await functional.confusionMatrix(preds, target, o), [
    [1, 1, 0, 0],
    [0, 2, 0, 0],
    [1, 0, 0, 0],
    [0, 0, 0, 0],
  ]);
});

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

for (const c of cases.filter((c) => !c.binary)) {
  Deno.test(`metrics: fixture ${c.name} (every average), accumulated over two updates`, async () => {
    const preds = tensor(new Float32Array(c.preds), { shape: c.predsShape });
    const target = idx(c.target);
    const half = c.target.length / 2;
    for (
      const [kind, Cls] of [["accuracy", Accuracy], ["precision", Precision], ["recall", Recall], [
        "f1",
        F1Score,
      ]] as const
    ) {
      for (const average of ["micro", "macro", "weighted", "none"] as const) {
        const m = new Cls({ task: "multiclass", numClasses: c.numClasses, topK: c.topK, average });
        m.update(preds.narrow(0, 0, half), target.narrow(0, 0, half));
        m.update(preds.narrow(0, half, half), target.narrow(0, half, half));
        closeAll(await m.compute(), c.expected[`${kind}_${average}`], `${kind} ${average}`);
        m.reset();
      }
    }
    if (c.topK === 1) {
      const cm = new ConfusionMatrix({ numClasses: c.numClasses });
      cm.update(preds, target);
      assert.deepEqual(await cm.compute(), c.confusion);
    }
  });
}

for (const c of cases.filter((c) => c.binary)) {
  Deno.test(`metrics: binary fixture ${c.name}`, async () => {
    const preds = tensor(new Float32Array(c.preds), { shape: [c.preds.length] });
    const target = idx(c.target);
    const o = { task: "binary" as const };
    close(await functional.accuracy(preds, target, o) as number, c.expected.accuracy as number);
    close(await functional.precision(preds, target, o) as number, c.expected.precision as number);
    close(await functional.recall(preds, target, o) as number, c.expected.recall as number);
    close(await functional.f1Score(preds, target, o) as number, c.expected.f1 as number);
    assert.deepEqual(await functional.confusionMatrix(preds, target, o), c.confusion);
  });
}

Deno.test("metrics: reset, normalize, and state stays on the device", async () => {
  const m = new Accuracy({ numClasses: 3 });
  m.update(idx([0, 1, 2]), idx([0, 1, 1]));
  close(await m.compute() as number, 2 / 3);
  m.reset();
  await assert.rejects(() => m.compute(), /before any update/);
  m.update(idx([2]), idx([2]));
  close(await m.compute() as number, 1);
  const cm = new ConfusionMatrix({ numClasses: 2, normalize: "true" });
  cm.update(idx([0, 1, 1, 1]), idx([0, 0, 1, 1]));
  assert.deepEqual(await cm.compute(), [[0.5, 0.5], [0, 1]]);
});

Deno.test("MeanMetric: weighted running mean of numbers and tensors, NaN propagates", async () => {
  const m = new MeanMetric();
  m.update(1);
  m.update(tensor([2, 3]));
  m.update(tensor([10]), tensor([0.5]));
  close(await m.compute(), (1 + 2 + 3 + 5) / 3.5);
  m.reset();
  m.update(NaN);
  assert.ok(Number.isNaN(await m.compute()));
});

Deno.test("metrics: bad inputs fail with clear errors", () => {
  assert.throws(() => new Accuracy({ task: "multiclass" }), /numClasses must be an integer/);
  assert.throws(() => new Accuracy({ numClasses: 3, topK: 4 }), /topK/);
  assert.throws(() => new Precision({ numClasses: 3, average: "avg" as "micro" }), /average/);
  const m = new Accuracy({ numClasses: 3 });
  assert.throws(() => m.update(tensor([[0.1, 0.9]]), idx([1])), /must be \(N=1, numClasses=3\)/);
  assert.throws(() => m.update(idx([0, 1]), idx([1])), /length/);
  assert.throws(() => m.update(idx([0]), tensor([1])), /int32 class indices/);
  assert.throws(() => m.update(idx([0]), idx([5])), /target value 5 outside \[0, 2\]/);
  assert.throws(
    () => new Accuracy({ numClasses: 3, topK: 2 }).update(idx([0]), idx([0])),
    /needs \(N, C\)/,
  );
  assert.throws(
    () => new Accuracy({ task: "binary" }).update(tensor([0.2, 0.3]), idx([1])),
    /binary preds shape/,
  );
});

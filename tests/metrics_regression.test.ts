// Regression metrics against tools/gen_metrics_extra_fixtures.py (torch ports of torchmetrics'
// formulas; torchmetrics itself is not installed), plus batching, edge cases, errors and WebGPU.
import assert from "node:assert/strict";
import { tensor } from "../src/tensor/creation.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import { webgpu } from "../src/backend/webgpu/mod.ts";
import { backendFor } from "../src/backend/registry.ts";
import {
  CosineSimilarity,
  ExplainedVariance,
  functional,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  type Metric,
  PearsonCorrCoef,
  R2Score,
  SpearmanCorrCoef,
} from "../src/metrics/mod.ts";
import { assertClose } from "./helpers.ts";

type Case = {
  name: string;
  preds: number[];
  target: number[];
  shape: number[];
  expected: Record<string, number | number[]>;
};
const cases: Case[] = JSON.parse(
  Deno.readTextFileSync(new URL("./fixtures/metrics/regression.json", import.meta.url)),
);
const byName = (n: string): Case => cases.find((c) => c.name === n)!;

function inputs(c: Case, device: "cpu" | "webgpu" = "cpu"): [Tensor, Tensor] {
  return [
    tensor(new Float32Array(c.preds), { shape: c.shape, device }),
    tensor(new Float32Array(c.target), { shape: c.shape, device }),
  ];
}

type M = Metric<[Tensor, Tensor], number | number[]>;

/** Feeds the rows in batches of the given sizes, then computes. */
async function batched(m: M, p: Tensor, t: Tensor, sizes: number[]): Promise<number | number[]> {
  let s = 0;
  for (const k of sizes) {
    m.update(p.narrow(0, s, k), t.narrow(0, s, k));
    s += k;
  }
  assert.equal(s, p.shape[0], "batch sizes cover the input");
  return await m.compute();
}

async function silenced<T>(fn: () => Promise<T>): Promise<[T, string[]]> {
  const orig = console.warn;
  const seen: string[] = [];
  console.warn = (...a: unknown[]) => void seen.push(a.join(" "));
  try {
    return [await fn(), seen];
  } finally {
    console.warn = orig;
  }
}

Deno.test("regression: single output = fixture, uneven batches = one update", async () => {
  const c = byName("single_output");
  const [p, t] = inputs(c);
  const e = c.expected;
  const checks: [string, () => M, number][] = [
    ["mse", () => new MeanSquaredError(), e.mse as number],
    ["rmse", () => new MeanSquaredError({ squared: false }), e.rmse as number],
    ["mae", () => new MeanAbsoluteError(), e.mae as number],
    ["mape", () => new MeanAbsolutePercentageError(), e.mape as number],
    ["r2", () => new R2Score(), e.r2 as number],
    ["r2 adjusted", () => new R2Score({ adjusted: 2 }), e.r2_adjusted2 as number],
    ["pearson", () => new PearsonCorrCoef(), e.pearson as number],
    ["spearman", () => new SpearmanCorrCoef(), e.spearman as number],
    ["explained variance", () => new ExplainedVariance(), e.explained_variance as number],
  ];
  for (const [what, make, want] of checks) {
    const whole = await batched(make(), p, t, [50]);
    const parts = await batched(make(), p, t, [7, 1, 30, 12]);
    // MAPE's zero target divides by 1.17e-6: a large term, so compare relatively.
    assertClose([whole as number], [want], { rtol: 1e-5, msg: `${what} (one update)` });
    assertClose([parts as number], [whole as number], { atol: 1e-12, msg: `${what} (batched)` });
  }
});

Deno.test("regression: three outputs, every multioutput mode = fixture", async () => {
  const c = byName("three_outputs");
  const [p, t] = inputs(c);
  const e = c.expected;
  const sizes = [13, 27];
  assertClose(await batched(new MeanSquaredError({ numOutputs: 3 }), p, t, sizes), e.mse);
  assertClose(
    await batched(new MeanSquaredError({ numOutputs: 3, squared: false }), p, t, sizes),
    e.rmse,
  );
  assertClose(await batched(new MeanAbsoluteError({ numOutputs: 3 }), p, t, sizes), e.mae);
  // With one output every element counts, whatever the shape.
  assertClose([await functional.meanAbsolutePercentageError(p, t) as number], [e.mape_all]);
  for (const m of ["raw_values", "uniform_average", "variance_weighted"] as const) {
    const r2 = await batched(new R2Score({ multioutput: m }), p, t, sizes);
    assertClose(r2, e[`r2_${m}`], { msg: `r2 ${m}` });
    const ev = await batched(new ExplainedVariance({ multioutput: m }), p, t, sizes);
    assertClose(ev, e[`ev_${m}`], { msg: `ev ${m}` });
  }
  assert.notEqual(e.r2_uniform_average, e.r2_variance_weighted, "the modes differ here");
  assertClose(
    await functional.r2Score(p, t, { adjusted: 3, multioutput: "raw_values" }),
    e.r2_adjusted3_raw,
  );
  assertClose(await batched(new PearsonCorrCoef({ numOutputs: 3 }), p, t, sizes), e.pearson);
  assertClose(await batched(new SpearmanCorrCoef({ numOutputs: 3 }), p, t, sizes), e.spearman);
  assertClose(
    await batched(new CosineSimilarity({ reduction: "none" }), p, t, sizes),
    e.cosine_none,
  );
  assertClose([await functional.cosineSimilarity(p, t) as number], [e.cosine_sum as number]);
  assertClose(
    [await functional.cosineSimilarity(p, t, { reduction: "mean" }) as number],
    [e.cosine_mean as number],
  );
});

Deno.test("regression: constant targets follow torchmetrics' fallbacks", async () => {
  const c = byName("constant_target");
  const [p, t] = inputs(c);
  const e = c.expected;
  assert.equal(e.r2, 0);
  assert.equal(e.r2_exact, 1);
  assert.equal(await functional.r2Score(p, t), 0);
  assert.equal(await functional.r2Score(t, t), 1);
  assert.equal(await functional.explainedVariance(p, t), e.explained_variance);
  assert.equal(await functional.explainedVariance(t, t), e.explained_variance_exact);
  assertClose([await functional.spearmanCorrCoef(p, t) as number], [e.spearman as number]);
  // Pearson divides 0 by 0: NaN, with torchmetrics' warning about near-zero variance.
  const [r, warned] = await silenced(() => functional.pearsonCorrCoef(p, t));
  assert.ok(Number.isNaN(r), `pearson of a constant target is NaN, got ${r}`);
  assert.ok(warned.some((w) => w.startsWith("PearsonCorrCoef.compute: The variance of")));
});

Deno.test("regression: R2Score needs two samples; adjusted falls back with a warning", async () => {
  const one = tensor([1.5]);
  await assert.rejects(() => functional.r2Score(one, one), /R2Score.compute: needs at least two/);
  const p = tensor([1, 2, 4]), t = tensor([1.5, 2, 3]);
  const plain = await functional.r2Score(p, t);
  for (const [k, msg] of [[2, "Division by zero"], [3, "More independent regressions"]] as const) {
    const [r, warned] = await silenced(() => functional.r2Score(p, t, { adjusted: k }));
    assert.equal(r, plain);
    assert.ok(warned.some((w) => w.includes(msg)), `${warned}`);
  }
  // R² = 1 − 1.25/1.1666… (SS_res 1.25, SS_tot 7/6); adjusted with k = 1, n = 3: 1 − (1 − R²)·2.
  assertClose([plain as number], [1 - 1.25 / (7 / 6)]);
  assertClose([await functional.r2Score(p, t, { adjusted: 1 }) as number], [
    1 - (1.25 / (7 / 6)) * 2,
  ]);
});

Deno.test("regression: Pearson stays accurate with a 1e6 offset (centred batch moments)", async () => {
  // Σx² − (Σx)²/n would cancel catastrophically here; centred batch moments do not.
  const n = 1000, off = 1e6;
  const x = Float64Array.from({ length: n }, (_, i) => off + Math.sin(i));
  const y = Float64Array.from({ length: n }, (_, i) => off + Math.sin(i) + 0.1 * Math.cos(3 * i));
  const m = new PearsonCorrCoef();
  for (let s = 0; s < n; s += 100) {
    m.update(
      tensor(x.slice(s, s + 100), { shape: [100], dtype: "float64" }),
      tensor(y.slice(s, s + 100), { shape: [100], dtype: "float64" }),
    );
  }
  const mean = (a: Float64Array) => a.reduce((u, v) => u + v, 0) / n;
  const mx = mean(x), my = mean(y);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  assertClose([await m.compute() as number], [sxy / Math.sqrt(sxx * syy)], { atol: 1e-9 });
});

Deno.test("regression: bad inputs fail with errors naming the metric", () => {
  const a = tensor([1, 2, 3]), b = tensor([1, 2]);
  assert.throws(() => new MeanSquaredError().update(a, b), /MeanSquaredError.update: preds shape/);
  assert.throws(() => new MeanAbsoluteError().update(a, a.bool()), /target must be float or int32/);
  assert.throws(
    () => new MeanSquaredError({ numOutputs: 2 }).update(a, a),
    /expected \(N, 2\) inputs for numOutputs=2/,
  );
  assert.throws(() => new MeanSquaredError({ numOutputs: 0 }), /numOutputs must be a positive/);
  assert.throws(
    () => new PearsonCorrCoef().update(tensor([[1, 2]]), tensor([[1, 2]])),
    /PearsonCorrCoef.update: numOutputs is 1, so inputs must be \(N\) or \(N, 1\)/,
  );
  assert.throws(
    () => new SpearmanCorrCoef().update(a.int(), a.int()),
    /SpearmanCorrCoef.update: preds and target must be float/,
  );
  const r2 = new R2Score();
  r2.update(a.reshape(3, 1), a.reshape(3, 1));
  assert.throws(
    () => r2.update(tensor([[1, 2]]), tensor([[1, 2]])),
    /R2Score.update: inputs have 2 outputs but earlier batches had 1/,
  );
  assert.throws(() => r2.update(tensor([[[1]]]), tensor([[[1]]])), /expected 1-D \(N\) or 2-D/);
  assert.throws(() => new R2Score({ adjusted: -1 }), /R2Score: adjusted must be/);
  assert.throws(
    () => new ExplainedVariance({ multioutput: "mean" as "raw_values" }),
    /ExplainedVariance: multioutput must be/,
  );
  assert.throws(
    () => new CosineSimilarity({ reduction: "max" as "sum" }),
    /CosineSimilarity: reduction/,
  );
});

Deno.test("regression: reset clears the state", async () => {
  const m = new MeanSquaredError();
  m.update(tensor([1, 2]), tensor([1, 4]));
  assert.equal(await m.compute(), 2);
  m.reset();
  await assert.rejects(() => m.compute(), /MeanSquaredError.compute: called before any update/);
  m.update(tensor([3]), tensor([4]));
  assert.equal(await m.compute(), 1);
  const r = new PearsonCorrCoef();
  r.update(tensor([1, 2, 3]), tensor([3, 2, 1]));
  assert.equal(await r.compute(), -1);
  r.reset();
  r.update(tensor([1, 2, 3]), tensor([1, 2, 3.5]));
  assert.ok((await r.compute() as number) > 0.9);
});

const noGpu = !(await webgpu.isAvailable());

Deno.test({
  name: "regression on webgpu: same numbers as the CPU, update() never reads back",
  ignore: noGpu,
  async fn() {
    const backend = backendFor("webgpu");
    const c = byName("three_outputs");
    const [pc, tc] = inputs(c);
    const [pg, tg] = inputs(c, "webgpu");
    const make = (): M[] => [
      new MeanSquaredError({ numOutputs: 3 }),
      new MeanAbsoluteError({ numOutputs: 3 }),
      new MeanAbsolutePercentageError(),
      new R2Score({ multioutput: "raw_values" }),
      new ExplainedVariance({ multioutput: "variance_weighted" }),
      new PearsonCorrCoef({ numOutputs: 3 }),
      new SpearmanCorrCoef({ numOutputs: 3 }),
      new CosineSimilarity({ reduction: "none" }),
    ];
    const cpu = make(), gpu = make();
    const read = backend.read;
    let reads = 0;
    backend.read = (s) => (reads++, read.call(backend, s));
    try {
      for (const m of gpu) {
        m.update(pg.narrow(0, 0, 25), tg.narrow(0, 0, 25));
        m.update(pg.narrow(0, 25, 15), tg.narrow(0, 25, 15));
      }
      assert.equal(reads, 0, "update() reads nothing back");
    } finally {
      backend.read = read;
    }
    for (const m of cpu) m.update(pc, tc);
    for (let i = 0; i < cpu.length; i++) {
      // WebGPU accumulates in float32, the CPU in float64.
      assertClose(await gpu[i].compute(), await cpu[i].compute(), { rtol: 1e-4, msg: `${i}` });
    }
  },
});

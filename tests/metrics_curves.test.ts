// ROC, PrecisionRecallCurve, AUROC and AveragePrecision against tools/gen_metrics_extra_fixtures.py
// (torch ports of torchmetrics' code paths; torchmetrics itself is not installed), plus batching,
// warnings, errors and WebGPU parity.
import assert from "node:assert/strict";
import { tensor } from "../src/tensor/creation.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import { webgpu } from "../src/backend/webgpu/mod.ts";
import { backendFor } from "../src/backend/registry.ts";
import {
  AUROC,
  AveragePrecision,
  type CurveAverage,
  type CurveOptions,
  functional,
  type PrCurve,
  PrecisionRecallCurve,
  ROC,
  type RocCurve,
} from "../src/metrics/mod.ts";
import { assertClose } from "./helpers.ts";

type Nums = (number | null)[];
type CurveJson = { fpr?: Nums; tpr?: Nums; precision?: Nums; recall?: Nums; thresholds: number[] };
type ModeResult = {
  roc: CurveJson;
  pr: CurveJson;
  auroc: number;
  ap: number | null;
  maxFpr: Record<string, number>;
};
type Case = {
  name: string;
  task: "binary" | "multiclass" | "multilabel";
  numClasses?: number;
  numLabels?: number;
  preds: number[];
  predsShape: number[];
  target: number[];
  targetShape: number[];
  results?: Record<string, ModeResult>;
  perClass?: Record<string, ModeResult>[];
  scores?: Record<string, number | Nums | null>;
};
const cases: Case[] = JSON.parse(
  Deno.readTextFileSync(new URL("./fixtures/metrics/curves.json", import.meta.url)),
);
const byName = (n: string): Case => cases.find((c) => c.name === n)!;

// JSON has no NaN: the generator wrote null.
const nan = (v: number | null): number => (v === null ? NaN : v);
const nums = (v: Nums | number | null): number | number[] => Array.isArray(v) ? v.map(nan) : nan(v);

const MODES: Record<string, CurveOptions["thresholds"]> = {
  exact: null,
  binned11: 11,
  binnedList: [0.1, 0.5, 0.9],
};

function inputs(c: Case, device: "cpu" | "webgpu" = "cpu"): [Tensor, Tensor] {
  return [
    tensor(new Float32Array(c.preds), { shape: c.predsShape, device }),
    tensor(new Int32Array(c.target), { shape: c.targetShape, device }),
  ];
}

function options(c: Case, thresholds: CurveOptions["thresholds"]): CurveOptions {
  return { task: c.task, numClasses: c.numClasses, numLabels: c.numLabels, thresholds };
}

function assertRoc(got: RocCurve, want: CurveJson, msg: string): void {
  assertClose(got.fpr, want.fpr!.map(nan), { msg: `${msg} fpr` });
  assertClose(got.tpr, want.tpr!.map(nan), { msg: `${msg} tpr` });
  assertClose(got.thresholds, want.thresholds, { msg: `${msg} thresholds` });
}

function assertPr(got: PrCurve, want: CurveJson, msg: string): void {
  assertClose(got.precision, want.precision!.map(nan), { msg: `${msg} precision` });
  assertClose(got.recall, want.recall!.map(nan), { msg: `${msg} recall` });
  assertClose(got.thresholds, want.thresholds, { msg: `${msg} thresholds` });
}

/** Runs `fn` with console.warn captured; returns the warnings. */
async function warnings(fn: () => Promise<unknown>): Promise<string[]> {
  const orig = console.warn;
  const seen: string[] = [];
  console.warn = (...a: unknown[]) => void seen.push(a.join(" "));
  try {
    await fn();
  } finally {
    console.warn = orig;
  }
  return seen;
}

/** Feeds the rows of (preds, target) in `parts` consecutive batches. */
function updateInParts(
  m: { update(p: Tensor, t: Tensor): void },
  p: Tensor,
  t: Tensor,
  parts: number,
): void {
  const n = p.shape[0], size = Math.ceil(n / parts);
  for (let s = 0; s < n; s += size) {
    const k = Math.min(size, n - s);
    m.update(p.narrow(0, s, k), t.narrow(0, s, k));
  }
}

for (const c of cases.filter((c) => c.task === "binary")) {
  Deno.test(`curves: binary ${c.name}, exact and binned, three batches = fixture`, async () => {
    const [p, t] = inputs(c);
    await warnings(async () => {
      for (const [mode, thresholds] of Object.entries(MODES)) {
        const want = c.results![mode];
        const o = options(c, thresholds);
        const roc = new ROC(o), pr = new PrecisionRecallCurve(o);
        const auroc = new AUROC(o), ap = new AveragePrecision(o);
        for (const m of [roc, pr, auroc, ap]) updateInParts(m, p, t, 3);
        assertRoc(await roc.compute() as RocCurve, want.roc, `${mode} roc`);
        assertPr(await pr.compute() as PrCurve, want.pr, `${mode} pr`);
        assertClose([await auroc.compute() as number], [want.auroc], { msg: `${mode} auroc` });
        assertClose([await ap.compute() as number], [nan(want.ap)], { msg: `${mode} ap` });
        for (const [maxFpr, v] of Object.entries(want.maxFpr)) {
          const got = await functional.auroc(p, t, { ...o, maxFpr: Number(maxFpr) });
          assertClose([got as number], [v], { msg: `maxFpr ${maxFpr}` });
        }
      }
    });
  });
}

Deno.test("curves: ties move the exact ROC diagonally in one step", async () => {
  // Scores 0.5 are tied between a positive and a negative: one step to (0.5, 1), AUROC 0.875.
  const p = tensor([0.9, 0.5, 0.5, 0.1]);
  const t = tensor(new Int32Array([1, 1, 0, 0]), { shape: [4] });
  const roc = await functional.roc(p, t) as RocCurve;
  assert.deepEqual(roc.fpr, [0, 0, 0.5, 1]);
  assert.deepEqual(roc.tpr, [0, 0.5, 1, 1]);
  assert.equal(await functional.auroc(p, t), 0.875);
  // AP: precision 1 at recall 0.5, then 2/3 at recall 1 (the tie counted together).
  assertClose([await functional.averagePrecision(p, t) as number], [0.5 + 0.5 * 2 / 3]);
});

Deno.test("curves: one-class targets warn like torchmetrics (AUROC 0, AP NaN or 1)", async () => {
  const neg = byName("binary_all_negative"), pos = byName("binary_all_positive");
  const [pn, tn] = inputs(neg), [pp, tp] = inputs(pos);
  let auroc = NaN, ap = 0;
  const wn = await warnings(async () => {
    auroc = await functional.auroc(pn, tn) as number;
    ap = await functional.averagePrecision(pn, tn) as number;
  });
  assert.equal(auroc, 0);
  assert.ok(Number.isNaN(ap), "AP without positives is NaN");
  assert.ok(wn.some((w) => w.startsWith("AUROC.compute: No positive samples in targets")), `${wn}`);
  const wp = await warnings(async () => {
    auroc = await functional.auroc(pp, tp) as number;
  });
  assert.equal(auroc, 0);
  assert.ok(wp.some((w) => w.includes("No negative samples in targets")), `${wp}`);
  assert.equal(await functional.averagePrecision(pp, tp), 1);
  await warnings(() =>
    assert.rejects(
      () => functional.auroc(pp, tp, { maxFpr: 0.5 }),
      /AUROC.compute: maxFpr=0.5 needs the curve to pass fpr > maxFpr/,
    )
  );
});

for (const c of cases.filter((c) => c.task !== "binary")) {
  const averages: CurveAverage[] = c.task === "multilabel"
    ? ["micro", "macro", "weighted", "none"]
    : ["macro", "weighted", "none"];
  Deno.test(`curves: ${c.name}, every average, exact and binned, batched = fixture`, async () => {
    const [p, t] = inputs(c);
    const warned = await warnings(async () => {
      for (const mode of ["exact", "binned11"]) {
        const o = options(c, MODES[mode]);
        const rocs = await new ROC(o).compute().catch(() => null);
        assert.equal(rocs, null, "compute before update rejects");
        const roc = new ROC(o), pr = new PrecisionRecallCurve(o);
        updateInParts(roc, p, t, 2);
        updateInParts(pr, p, t, 4);
        const gotRoc = await roc.compute() as RocCurve[], gotPr = await pr.compute() as PrCurve[];
        c.perClass!.forEach((want, k) => {
          assertRoc(gotRoc[k], want[mode].roc, `${mode} class ${k} roc`);
          assertPr(gotPr[k], want[mode].pr, `${mode} class ${k} pr`);
        });
        for (const average of averages) {
          const a = new AUROC({ ...o, average }), ap = new AveragePrecision({ ...o, average });
          updateInParts(a, p, t, 3);
          updateInParts(ap, p, t, 3);
          const ga = await a.compute(), gp = await ap.compute();
          assertClose(ga, nums(c.scores![`auroc_${mode}_${average}`]), { msg: `auroc ${average}` });
          assertClose(gp, nums(c.scores![`ap_${mode}_${average}`]), { msg: `ap ${average}` });
          // One big update gives the same numbers.
          assert.deepEqual(await functional.auroc(p, t, { ...o, average }), ga);
          assert.deepEqual(await functional.averagePrecision(p, t, { ...o, average }), gp);
        }
      }
    });
    if (c.name !== "multiclass_logits") {
      // A class / label without positives: NaN AP, left out of macro with torchmetrics' warning.
      assert.ok(warned.some((w) => w.includes("Ignoring these classes in macro-average")));
    }
  });
}

Deno.test("curves: extra dims fold into the batch (multiclass (N, C, K), binary (N, K))", async () => {
  const c = byName("multiclass_ties");
  const [p, t] = inputs(c);
  const n = c.predsShape[0], C = c.numClasses!;
  // Rows (2i, 2i + 1) become positions 0 and 1 of sample i.
  const p3 = p.reshape(n / 2, 2, C).movedim(2, 1);
  const t2 = t.reshape(n / 2, 2);
  await warnings(async () => {
    for (const average of ["macro", "none"] as const) {
      const o = { numClasses: C, average };
      assert.deepEqual(await functional.auroc(p3, t2, o), await functional.auroc(p, t, o));
    }
  });
  const b = byName("binary_ties");
  const [bp, bt] = inputs(b);
  const shaped = await functional.roc(bp.reshape(10, 4), bt.reshape(10, 4));
  assert.deepEqual(shaped, await functional.roc(bp, bt));
});

Deno.test("curves: logits are squashed per batch (sigmoid / softmax), as torchmetrics", async () => {
  const b = byName("binary_logits");
  const [p, t] = inputs(b);
  assert.deepEqual(await functional.auroc(p, t), await functional.auroc(p.sigmoid(), t));
  const m = byName("multiclass_logits");
  const [mp, mt] = inputs(m);
  const o = { numClasses: m.numClasses!, average: "none" as const };
  assertClose(
    await functional.averagePrecision(mp, mt, o),
    await functional.averagePrecision(mp.softmax(1), mt, o),
  );
});

Deno.test("curves: bad inputs and options fail with errors naming the metric", () => {
  const p = tensor([0.1, 0.9]), t = tensor(new Int32Array([0, 1]), { shape: [2] });
  assert.throws(() => new AUROC().update(p, t.reshape(2, 1)), /AUROC.update: binary expects/);
  assert.throws(() => new ROC().update(p.int(), t), /ROC.update: preds must be float/);
  assert.throws(() => new ROC().update(p, p), /ROC.update: target must be int32/);
  assert.throws(
    () => new AveragePrecision().update(p, tensor(new Int32Array([0, 2]), { shape: [2] })),
    /AveragePrecision.update: target value 2 outside \[0, 1\]/,
  );
  const mc = new AUROC({ numClasses: 3 });
  assert.throws(() => mc.update(tensor([[0.2, 0.8]]), t.narrow(0, 0, 1)), /\(N, 3, \.\.\.\)/);
  assert.throws(
    () => mc.update(tensor([[0.2, 0.3, 0.5]]), tensor(new Int32Array([3]), { shape: [1] })),
    /AUROC.update: target value 3 outside \[0, 2\]/,
  );
  assert.throws(
    () => new PrecisionRecallCurve({ numLabels: 3 }).update(tensor([[0.1, 0.2]]), t.reshape(1, 2)),
    /PrecisionRecallCurve.update: multilabel expects preds \(N, 3, \.\.\.\)/,
  );
  assert.throws(() => new AUROC({ task: "multiclass" }), /AUROC: multiclass needs numClasses/);
  assert.throws(() => new AUROC({ numClasses: 3, average: "micro" }), /AUROC: average for/);
  assert.throws(() => new AUROC({ numClasses: 3, maxFpr: 0.5 }), /maxFpr applies to binary/);
  assert.throws(() => new AUROC({ maxFpr: 0 }), /maxFpr must be a number in \(0, 1\]/);
  assert.throws(() => new ROC({ thresholds: 1 }), /ROC: thresholds as a number/);
  assert.throws(() => new ROC({ thresholds: [0.5, 2] }), /ROC: thresholds must be/);
  assert.throws(() => new ROC({ task: "regression" as "binary" }), /ROC: task must be/);
});

Deno.test("curves: reset frees the state; a later update starts afresh", async () => {
  const m = new AUROC();
  m.update(tensor([0.9, 0.1]), tensor(new Int32Array([0, 1]), { shape: [2] }));
  assert.equal(await m.compute(), 0);
  m.reset();
  await assert.rejects(() => m.compute(), /AUROC.compute: called before any update/);
  m.update(tensor([0.9, 0.1]), tensor(new Int32Array([1, 0]), { shape: [2] }));
  assert.equal(await m.compute(), 1);
});

const noGpu = !(await webgpu.isAvailable());

Deno.test({
  name: "curves on webgpu: same numbers as the CPU, update() never reads back",
  ignore: noGpu,
  async fn() {
    const backend = backendFor("webgpu");
    for (const c of cases) {
      const [pc, tc] = inputs(c);
      const [pg, tg] = inputs(c, "webgpu");
      for (const mode of ["exact", "binned11"]) {
        const o = options(c, MODES[mode]);
        const avg = c.task === "binary" ? {} : { average: "none" as const };
        const metrics = (): [AUROC, AveragePrecision, ROC] => [
          new AUROC({ ...o, ...avg }),
          new AveragePrecision({ ...o, ...avg }),
          new ROC(o),
        ];
        const cpu = metrics(), gpu = metrics();
        const read = backend.read;
        let reads = 0;
        backend.read = (s) => (reads++, read.call(backend, s));
        try {
          for (const m of gpu) updateInParts(m, pg, tg, 2);
          assert.equal(reads, 0, "update() reads nothing back");
        } finally {
          backend.read = read;
        }
        for (const m of cpu) updateInParts(m, pc, tc, 2);
        await warnings(async () => {
          for (let i = 0; i < cpu.length; i++) {
            const want = await cpu[i].compute(), got = await gpu[i].compute();
            // Probabilities are taken as given, so only logit cases can differ (by float32
            // rounding of sigmoid/softmax between the backends).
            assertClose(flat(got), flat(want), { atol: 1e-5, msg: `${c.name} ${mode} ${i}` });
          }
        });
      }
    }
  },
});

function flat(v: unknown): number[] {
  if (typeof v === "number") return [v];
  if (Array.isArray(v)) return v.flatMap(flat);
  if (v && typeof v === "object") return Object.values(v).flatMap(flat);
  return [];
}

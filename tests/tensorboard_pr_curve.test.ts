// addPrCurve output decoded by the independent reader, against numpy's compute_curve
// (tools/gen_metrics_extra_fixtures.py ports torch.utils.tensorboard.summary.compute_curve).
import assert from "node:assert/strict";
import { tensor } from "../src/tensor/creation.ts";
import { SummaryWriter } from "../src/tensorboard/mod.ts";
import { eventFiles, type Msg, readEvents } from "./tensorboard_reader.ts";

const tmpRoot = Deno.makeTempDirSync({ prefix: "tb_pr_test_" });
globalThis.addEventListener("unload", () => Deno.removeSync(tmpRoot, { recursive: true }));

type Fixture = {
  labels: number[];
  predictions: number[];
  cases: { numThresholds: number; shape: number[]; data: number[] }[];
};
const fx: Fixture = JSON.parse(
  Deno.readTextFileSync(new URL("./fixtures/metrics/pr_curve.json", import.meta.url)),
);

/** The pr_curves plugin payload of one Summary.Value: thresholds, shape and values. */
function decodePrCurve(
  v: Msg,
): { content: Uint8Array; dtype?: number; shape: number[]; data: number[] } {
  const plugin = v.msg(9)!.msg(1)!;
  assert.equal(plugin.str(1), "pr_curves");
  const t = v.msg(8)!;
  const packed = t.bytes(5)!;
  const floats = new Float32Array(packed.slice().buffer);
  return {
    content: plugin.bytes(2)!,
    dtype: t.int(1),
    shape: t.msg(2)!.msgs(2).map((d) => d.int(1)!),
    data: Array.from(floats),
  };
}

Deno.test("addPrCurve: PyTorch's pr_curves summary from arrays and tensors", async () => {
  const dir = Deno.makeTempDirSync({ dir: tmpRoot });
  const w = new SummaryWriter({ logDir: dir });
  const preds = new Float32Array(fx.predictions);
  for (const [i, c] of fx.cases.entries()) {
    w.addPrCurve("pr/array", new Int32Array(fx.labels), preds, i, {
      numThresholds: c.numThresholds,
    });
    w.addPrCurve(
      "pr/tensor",
      tensor(new Int32Array(fx.labels), { shape: [fx.labels.length] }),
      tensor(preds, { shape: [preds.length] }),
      i,
      { numThresholds: c.numThresholds },
    );
  }
  await w.close();
  const ev = readEvents(eventFiles(dir)[0]).slice(1);
  assert.equal(ev.length, 2 * fx.cases.length);
  for (const [k, e] of ev.entries()) {
    const c = fx.cases[k >> 1];
    const v = e.values[0];
    assert.equal(v.str(1), k % 2 ? "pr/tensor" : "pr/array");
    assert.equal(e.step, k >> 1);
    const got = decodePrCurve(v);
    const T = Math.min(c.numThresholds, 127);
    // PrCurvePluginData{version: 0 (omitted, as Python writes it), num_thresholds: T}.
    assert.deepEqual(Array.from(got.content), [0x10, T]);
    assert.equal(got.dtype, 1, "DT_FLOAT");
    assert.deepEqual(got.shape, c.shape);
    assert.deepEqual(c.shape, [6, T]);
    assert.deepEqual(got.data, c.data, `numThresholds ${c.numThresholds}`);
  }
});

Deno.test("addPrCurve: bad inputs fail at the call", async () => {
  const w = new SummaryWriter({ logDir: Deno.makeTempDirSync({ dir: tmpRoot }) });
  assert.throws(() => w.addPrCurve("pr", [1, 0], [0.5]), /addPrCurve: "pr" has 2 labels but 1/);
  assert.throws(
    () => w.addPrCurve("pr", [1], [0.5], 0, { numThresholds: 1 }),
    /numThresholds must be an integer >= 2/,
  );
  assert.throws(() => w.addPrCurve("pr", [1], [0.5], 1.5), /globalStep must be an integer/);
  await w.close();
});

// Triplet margin, multi-class margin, multi-label soft margin and multi-label margin losses
// against PyTorch 1.13 (values and gradients of sum(output), from
// tests/fixtures/loss/margin_extra_cases.json, written by tools/gen_loss_margin_fixtures.py),
// float64 gradchecks on the cpu, the modules, errors, and webgpu-vs-cpu parity.
import assert from "node:assert/strict";
import { gradcheck } from "../src/autograd/gradcheck.ts";
import { rand, randn, tensor } from "../src/tensor/creation.ts";
import type { Device } from "../src/tensor/dtype.ts";
import { manualSeed } from "../src/tensor/random.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import * as F from "../src/nn/functional/loss.ts";
import * as nn from "../src/nn/mod.ts";
import { assertClose as assertParity, hasGpu, randData } from "./webgpu_helpers.ts";
import { lossCaseTests } from "./_support/loss_cases.ts";

/** Calls the loss named `fn` on the fixture's args; a third arg of a 2-input loss is `weight`. */
function callLoss(fn: string, args: Tensor[], opts: Record<string, unknown>): Tensor {
  switch (fn) {
    case "triplet_margin_loss":
      return F.tripletMarginLoss(args[0], args[1], args[2], opts);
    case "multi_margin_loss":
      return F.multiMarginLoss(args[0], args[1], { ...opts, weight: args[2] ?? null });
    case "multilabel_soft_margin_loss":
      return F.multilabelSoftMarginLoss(args[0], args[1], { ...opts, weight: args[2] ?? null });
    case "multilabel_margin_loss":
      return F.multilabelMarginLoss(args[0], args[1], opts);
  }
  throw new Error(`unknown loss ${fn}`);
}

lossCaseTests(
  "loss margin fixture",
  "margin_extra_cases.json",
  (c, args) => callLoss(c.fn, args, { ...c.opts }),
);

// ---- float64 gradchecks (finite differences on the cpu) ----

const f64 = { dtype: "float64" as const };
const leaf = (t: Tensor): Tensor => t.requiresGrad_(true);
manualSeed(5);

for (const reduction of ["mean", "sum", "none"] as const) {
  Deno.test(`gradcheck tripletMarginLoss (${reduction})`, () => {
    const a = leaf(randn([4, 3], f64)), p = leaf(randn([4, 3], f64));
    const n = leaf(randn([4, 3], f64));
    // A large margin keeps every triplet away from the hinge.
    for (const o of [{ p: 2 }, { p: 1, swap: true }, { p: 3, eps: 1e-3 }]) {
      gradcheck((x, y, z) => F.tripletMarginLoss(x, y, z, { reduction, margin: 20, ...o }), [
        a,
        p,
        n,
      ]);
    }
    const u = [randn([3], f64), randn([3], f64), randn([3], f64)].map(leaf);
    gradcheck((x, y, z) => F.tripletMarginLoss(x, y, z, { reduction, margin: 20 }), u);
  });

  Deno.test(`gradcheck multiMarginLoss and multilabel losses (${reduction})`, () => {
    // Scores on a coarse grid plus a small offset: no hinge term sits at its kink.
    const x = leaf(tensor([[0.3, -1.2, 2.0, 0.7], [1.1, 0.4, -0.5, 0.25]], f64));
    const y = tensor([2, 0], { dtype: "int32" });
    const w = tensor([0.5, 1.5, 1, 2], f64);
    for (const o of [{}, { p: 2 as const }, { margin: 0.3, weight: w }]) {
      gradcheck((a) => F.multiMarginLoss(a, y, { reduction, ...o }), [x]);
    }
    gradcheck((a) => F.multiMarginLoss(a, y.select(0, 0), { reduction }), [leaf(x.select(0, 0))]);
    const t = leaf(rand([2, 4], f64));
    gradcheck((a, b, c) => F.multilabelSoftMarginLoss(a, b, { reduction, weight: c }), [
      x,
      t,
      leaf(w.clone()),
    ]);
    const ym = tensor([[1, 3, -1, 0], [2, -1, 1, 1]], { dtype: "int32" });
    gradcheck((a) => F.multilabelMarginLoss(a, ym, { reduction }), [x]);
  });
}

// ---- modules ----

Deno.test("margin loss modules delegate to the functional forms with their options", async () => {
  const a = randn([5, 3]), p = randn([5, 3]), n = randn([5, 3]);
  const tm = new nn.TripletMarginLoss({ margin: 0.5, swap: true, p: 1 });
  assert.equal(
    await tm.call(a, p, n).item(),
    await F.tripletMarginLoss(a, p, n, { margin: 0.5, swap: true, p: 1 }).item(),
  );
  assert.deepEqual(
    [new nn.TripletMarginLoss().margin, tm.p, tm.eps, tm.swap, tm.reduction],
    [1, 1, 1e-6, true, "mean"],
  );
  assert.match(
    tm.toString(),
    /TripletMarginLoss\(reduction=mean, margin=0.5, p=1, eps=0.000001, swap=true\)/,
  );
  const x = randn([4, 3]), y = tensor([0, 2, 1, 2], { dtype: "int32" });
  const w = tensor([1, 2, 3]);
  const mm = new nn.MultiMarginLoss({ p: 2, margin: 0.5, weight: w, reduction: "sum" });
  assert.deepEqual(Object.keys(mm.stateDict()), ["weight"]);
  assert.equal(
    await mm.call(x, y).item(),
    await F.multiMarginLoss(x, y, { p: 2, margin: 0.5, weight: w, reduction: "sum" }).item(),
  );
  assert.deepEqual([new nn.MultiMarginLoss().p, new nn.MultiMarginLoss().margin], [1, 1]);
  assert.match(mm.toString(), /MultiMarginLoss\(reduction=sum, p=2, margin=0.5\)/);
  const t = rand([4, 3]).gt(0.5).to("float32");
  const ms = new nn.MultiLabelSoftMarginLoss({ weight: w, reduction: "none" });
  assert.deepEqual(Object.keys(ms.stateDict()), ["weight"]);
  assert.deepEqual(
    await ms.call(x, t).toArray(),
    await F.multilabelSoftMarginLoss(x, t, { weight: w, reduction: "none" }).toArray(),
  );
  const yl = tensor([[0, 1, -1], [2, -1, 0], [1, 0, 2], [-1, 0, 0]], { dtype: "int32" });
  assert.equal(
    await new nn.MultiLabelMarginLoss().call(x, yl).item(),
    await F.multilabelMarginLoss(x, yl).item(),
  );
});

// ---- errors ----

Deno.test("margin losses: bad input names the op and what was expected", () => {
  const x = randn([3, 4]), y = tensor([0, 1, 3], { dtype: "int32" });
  assert.throws(
    () => F.tripletMarginLoss(x, x, randn([4])),
    /tripletMarginLoss: the anchor, positive, and negative tensors are expected to have the same number of dimensions, but got: anchor 2D, positive 2D, and negative 1D inputs/,
  );
  assert.throws(
    () => F.tripletMarginLoss(x, x, x, { reduction: "avg" as "mean" }),
    /tripletMarginLoss: reduction must be/,
  );
  assert.throws(
    () => F.multiMarginLoss(x, y, { p: 3 as 1 }),
    /multiMarginLoss: only p == 1 and p == 2 supported \(got 3\)/,
  );
  assert.throws(
    () => new nn.MultiMarginLoss({ p: 3 as 2 }),
    /MultiMarginLoss: only p == 1 and p == 2 supported/,
  );
  assert.throws(
    () => F.multiMarginLoss(x, tensor([0, 4, 1], { dtype: "int32" })),
    /multiMarginLoss: target 4 is out of bounds for 4 classes/,
  );
  assert.throws(
    () => F.multiMarginLoss(x, tensor([0, 1], { dtype: "int32" })),
    /multiMarginLoss: expected target shape \[3\] for input shape \[3, 4\]/,
  );
  assert.throws(
    () => F.multiMarginLoss(randn([2, 3, 4]), y),
    /multiMarginLoss: expected a 1-D \(C\) or 2-D \(N, C\) input, got shape \[2, 3, 4\]/,
  );
  assert.throws(
    () => F.multiMarginLoss(x, y, { weight: tensor([1, 2, 3]) }),
    /multiMarginLoss: weight must be a 1-D tensor of 4 elements/,
  );
  assert.throws(
    () => F.multilabelSoftMarginLoss(x, randn([3, 5])),
    /multilabelSoftMarginLoss: target shape \[3, 5\] must match input shape \[3, 4\]/,
  );
  assert.throws(
    () => F.multilabelMarginLoss(x, y),
    /multilabelMarginLoss: expected an int32 target of the input's shape \[3, 4\], got int32 of shape \[3\]/,
  );
  assert.throws(
    () =>
      F.multilabelMarginLoss(
        x,
        tensor([[0, 5, -1, 0], [0, -1, 9, 9], [-1, 0, 0, 0]], {
          dtype: "int32",
        }),
      ),
    /multilabelMarginLoss: target 5 is out of bounds for 4 classes/,
  );
});

// ---- webgpu vs cpu (float32) ----

Deno.test({
  name: "margin losses: webgpu matches cpu (values and input gradients)",
  ignore: !hasGpu,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const cls = [1, 0, 3, 2, 1];
    const lab = [[1, 3, -1, 0], [0, -1, 2, 2], [3, 2, 1, 0], [-1, 0, 0, 0], [2, 0, -1, 1]];
    const run = (device: Device) => {
      const mk = (seed: number, shape = [5, 4]) =>
        tensor(randData(20, seed, -1, 1), { shape, device }).requiresGrad_(true);
      const [a, p, n, x] = [mk(1), mk(2), mk(3), mk(4)];
      const w = tensor([0.5, 1, 1.5, 2], { device });
      const y = tensor(cls, { dtype: "int32", device });
      const t = tensor(randData(20, 9, 0, 1), { shape: [5, 4], device });
      const yl = tensor(lab.flat(), { shape: [5, 4], dtype: "int32", device });
      const outs = [
        F.tripletMarginLoss(a, p, n, { swap: true, reduction: "none" }),
        F.multiMarginLoss(x, y, { p: 2, weight: w, reduction: "none" }),
        F.multilabelSoftMarginLoss(x, t, { weight: w, reduction: "none" }),
        F.multilabelMarginLoss(x, yl, { reduction: "none" }),
      ];
      outs.map((o) => o.sum()).reduce((s, o) => s.add(o)).backward();
      return Promise.all([...outs, a.grad!, p.grad!, n.grad!, x.grad!].map((o) => o.toArray()));
    };
    const cpu = await run("cpu"), gpu = await run("webgpu");
    cpu.forEach((want, i) =>
      assertParity(`margin losses ${i}`, gpu[i] as Float32Array, want as Float32Array, 1e-4, 1e-5)
    );
  },
});

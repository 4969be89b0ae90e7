// KLDiv, margin ranking, hinge / cosine embedding, soft margin, Poisson and Gaussian NLL
// losses against PyTorch 1.13 (values and gradients of sum(output) with respect to the
// inputs, from tests/fixtures/loss/extra_cases.json, written by
// tools/gen_loss_extra_fixtures.py), float64 gradchecks on the cpu, the modules, and errors.
import assert from "node:assert/strict";
import { gradcheck } from "../src/autograd/gradcheck.ts";
import { rand, randn, tensor } from "../src/tensor/creation.ts";
import { manualSeed } from "../src/tensor/random.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import * as F from "../src/nn/functional/loss.ts";
import {
  CosineEmbeddingLoss,
  GaussianNLLLoss,
  HingeEmbeddingLoss,
  KLDivLoss,
  MarginRankingLoss,
  PoissonNLLLoss,
  SoftMarginLoss,
} from "../src/nn/loss.ts";
import { lossCaseTests } from "./_support/loss_cases.ts";

type LossFn = (...a: [...Tensor[], Record<string, unknown>]) => Tensor;
const fns: Record<string, LossFn> = {
  kl_div: F.klDiv as unknown as LossFn,
  margin_ranking_loss: F.marginRankingLoss as unknown as LossFn,
  hinge_embedding_loss: F.hingeEmbeddingLoss as unknown as LossFn,
  cosine_embedding_loss: F.cosineEmbeddingLoss as unknown as LossFn,
  soft_margin_loss: F.softMarginLoss as unknown as LossFn,
  poisson_nll_loss: F.poissonNllLoss as unknown as LossFn,
  gaussian_nll_loss: F.gaussianNllLoss as unknown as LossFn,
};

lossCaseTests(
  "loss extra fixture",
  "extra_cases.json",
  (c, args) => fns[c.fn](...args, { ...c.opts }),
);

// ---- float64 gradchecks (finite differences on the cpu) ----

const f64 = { dtype: "float64" as const };
const leaf = (t: Tensor): Tensor => t.requiresGrad_(true);
manualSeed(3);

for (const reduction of ["mean", "sum", "none"] as const) {
  Deno.test(`gradcheck klDiv (${reduction}, batchmean)`, () => {
    const x = leaf(randn([3, 4], f64).logSoftmax(1).detach());
    const p = leaf(rand([3, 4], f64).add(0.1).detach());
    gradcheck((a, b) => F.klDiv(a, b, { reduction }), [x, p]);
    gradcheck((a, b) => F.klDiv(a, b, { reduction: "batchmean" }), [x, p]);
    const lp = leaf(randn([3, 4], f64).logSoftmax(1).detach());
    gradcheck((a, b) => F.klDiv(a, b, { reduction, logTarget: true }), [x, lp]);
  });

  Deno.test(`gradcheck ranking and embedding losses (${reduction})`, () => {
    // Values chosen away from the hinges' kinks.
    const x1 = leaf(tensor([0.3, -1.2, 2.0, 0.7], f64));
    const x2 = leaf(tensor([1.1, 0.4, -0.5, 0.2], f64));
    const y = tensor([1, -1, 1, -1], f64);
    gradcheck((a, b) => F.marginRankingLoss(a, b, y, { reduction, margin: 0.1 }), [x1, x2]);
    const d = leaf(tensor([[0.2, 1.7, 0.4], [2.5, 0.6, 1.3]], f64));
    const yh = tensor([[1, -1, -1], [-1, -1, 1]], f64);
    gradcheck((a) => F.hingeEmbeddingLoss(a, yh, { reduction }), [d]);
    const a1 = leaf(randn([4, 3], f64)), a2 = leaf(randn([4, 3], f64));
    gradcheck((a, b) => F.cosineEmbeddingLoss(a, b, y, { reduction, margin: -0.9 }), [a1, a2]);
    const s = leaf(randn([2, 3], f64).mul(3).detach());
    gradcheck((a) => F.softMarginLoss(a, yh, { reduction }), [s]);
  });

  Deno.test(`gradcheck Poisson and Gaussian NLL (${reduction})`, () => {
    const lr = leaf(randn([2, 3], f64));
    // Targets away from 1, where Stirling's term switches on (a jump, also in PyTorch).
    const counts = leaf(tensor([[0.3, 1.4, 2], [5, 0.5, 3]], f64));
    gradcheck((a, b) => F.poissonNllLoss(a, b, { reduction, full: true }), [lr, counts]);
    const rate = leaf(rand([2, 3], f64).add(0.2).detach());
    gradcheck((a) => F.poissonNllLoss(a, counts, { reduction, logInput: false }), [rate]);
    const mu = leaf(randn([3, 2], f64)), t = leaf(randn([3, 2], f64));
    const v = leaf(rand([3, 2], f64).add(0.3).detach());
    gradcheck((a, b, c) => F.gaussianNllLoss(a, b, c, { reduction, full: true }), [mu, t, v]);
    const vr = leaf(rand([3], f64).add(0.3).detach());
    gradcheck((a, c) => F.gaussianNllLoss(a, t, c, { reduction }), [mu, vr]);
  });
}

// ---- modules ----

Deno.test("loss modules delegate to the functional forms with their options", async () => {
  const x = randn([3, 4]).logSoftmax(1), p = rand([3, 4]).softmax(1);
  const kl = new KLDivLoss({ reduction: "batchmean" });
  assert.equal(
    await kl.call(x, p).item(),
    await F.klDiv(x, p, { reduction: "batchmean" }).item(),
  );
  assert.match(kl.toString(), /KLDivLoss\(reduction=batchmean, logTarget=false\)/);
  const a = randn([5]), b = randn([5]), y = tensor([1, -1, 1, 1, -1]);
  assert.equal(
    await new MarginRankingLoss({ margin: 0.2 }).call(a, b, y).item(),
    await F.marginRankingLoss(a, b, y, { margin: 0.2 }).item(),
  );
  assert.equal(
    await new HingeEmbeddingLoss({ reduction: "sum" }).call(a.abs(), y).item(),
    await F.hingeEmbeddingLoss(a.abs(), y, { reduction: "sum" }).item(),
  );
  assert.equal(new HingeEmbeddingLoss().margin, 1);
  const e1 = randn([5, 3]), e2 = randn([5, 3]);
  assert.deepEqual(
    await new CosineEmbeddingLoss({ reduction: "none" }).call(e1, e2, y).toArray(),
    await F.cosineEmbeddingLoss(e1, e2, y, { reduction: "none" }).toArray(),
  );
  assert.equal(
    await new SoftMarginLoss().call(a, y).item(),
    await F.softMarginLoss(a, y).item(),
  );
  const pn = new PoissonNLLLoss({ full: true });
  assert.deepEqual([pn.logInput, pn.full, pn.eps], [true, true, 1e-8]);
  assert.equal(
    await pn.call(a, a.abs()).item(),
    await F.poissonNllLoss(a, a.abs(), { full: true }).item(),
  );
  const g = new GaussianNLLLoss({ eps: 1e-3 });
  const v = rand([5, 3]).add(0.1);
  assert.equal(
    await g.call(e1, e2, v).item(),
    await F.gaussianNllLoss(e1, e2, v, { eps: 1e-3 }).item(),
  );
  assert.match(g.toString(), /GaussianNLLLoss\(reduction=mean, full=false, eps=0.001\)/);
});

Deno.test("klDiv: zero targets give zero loss and finite gradients", async () => {
  const x = tensor([[-1.0, -2.0, -0.5]], { requiresGrad: true });
  const t = tensor([[0.0, 1.0, 0.0]], { requiresGrad: true });
  const out = F.klDiv(x, t, { reduction: "sum" });
  assert.equal(await out.item(), 2);
  out.backward();
  for (const v of await t.grad!.toArray()) assert.ok(Number.isFinite(v));
  assert.deepEqual(Array.from(await x.grad!.toArray()), [-0, -1, -0]);
});

// ---- errors ----

Deno.test("extra losses: bad input names the op and what was expected", () => {
  const x = randn([3, 4]);
  assert.throws(
    () => F.klDiv(x, randn([3, 5])),
    /klDiv: target shape \[3, 5\] must match input shape \[3, 4\]/,
  );
  assert.throws(
    () => F.klDiv(x, x, { reduction: "avg" as "mean" }),
    /klDiv: reduction must be "mean", "batchmean", "sum" or "none" \(got avg\)/,
  );
  assert.throws(
    () => F.klDiv(tensor([1, 2], { dtype: "int32" }), x),
    /klDiv: expected a floating point input, got int32/,
  );
  assert.throws(
    () => F.marginRankingLoss(randn([4]), randn([4]), tensor([1, -1])),
    /marginRankingLoss: expected target shape \[4\] for input shape \[4\], got \[2\]/,
  );
  assert.throws(
    () => F.marginRankingLoss(randn([4]), randn([3]), tensor([1, -1, 1, 1])),
    /marginRankingLoss: target shape \[3\] must match input shape \[4\]/,
  );
  assert.throws(
    () => F.hingeEmbeddingLoss(x, tensor([true, false])),
    /hingeEmbeddingLoss: expected target shape \[3, 4\] for input shape \[3, 4\], got \[2\]/,
  );
  assert.throws(
    () => F.cosineEmbeddingLoss(randn([2, 3, 4]), randn([2, 3, 4]), tensor([1, 1])),
    /cosineEmbeddingLoss: expected 1-D \(D\) or 2-D \(N, D\) inputs, got shape \[2, 3, 4\]/,
  );
  assert.throws(
    () => F.cosineEmbeddingLoss(randn([2, 3]), randn([2, 3]), tensor([1, 1, 1])),
    /cosineEmbeddingLoss: expected target shape \[2\] for input shape \[2, 3\], got \[3\]/,
  );
  assert.throws(
    () => F.softMarginLoss(x, x, { reduction: "max" as "sum" }),
    /softMarginLoss: reduction must be/,
  );
  assert.throws(
    () => F.marginRankingLoss(randn([2]), randn([2]), tensor([1, 1]), { margin: Number.NaN }),
    /marginRankingLoss: margin must be a number/,
  );
  assert.throws(
    () => F.poissonNllLoss(x, randn([4, 3])),
    /poissonNllLoss: target shape \[4, 3\] must match input shape \[3, 4\]/,
  );
  assert.throws(
    () => F.gaussianNllLoss(x, x, randn([4])),
    /gaussianNllLoss: var of shape \[4\] is of incorrect size for input \[3, 4\]/,
  );
  assert.throws(
    () => F.gaussianNllLoss(x, x, tensor([1, 2, -1])),
    /gaussianNllLoss: var has negative entry/,
  );
  assert.throws(
    () => F.gaussianNllLoss(x, x, rand([3, 4], f64)),
    /gaussianNllLoss: var \(float64 on cpu\) must have the input's dtype and device/,
  );
});

Deno.test("hinge / soft margin / cosine embedding accept int32 ±1 labels", async () => {
  const x = tensor([0.5, 2.0, -1.0]), yi = tensor([1, -1, 1], { dtype: "int32" });
  const yf = tensor([1, -1, 1]);
  assert.equal(
    await F.hingeEmbeddingLoss(x, yi).item(),
    await F.hingeEmbeddingLoss(x, yf).item(),
  );
  assert.equal(await F.softMarginLoss(x, yi).item(), await F.softMarginLoss(x, yf).item());
});

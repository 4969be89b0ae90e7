// CTC loss and triplet margin loss with a distance function against PyTorch 1.13 (values and
// gradients, from tests/fixtures/loss/ctc_cases.json and triplet_distance_cases.json, written
// by tools/gen_loss_ctc_fixtures.py), float64 gradchecks on the cpu, the modules, errors, and
// webgpu-vs-cpu parity.
import assert from "node:assert/strict";
import { gradcheck } from "../src/autograd/gradcheck.ts";
import { randn, tensor } from "../src/tensor/creation.ts";
import type { Device } from "../src/tensor/dtype.ts";
import { manualSeed } from "../src/tensor/random.ts";
import { memoryAllocated, scope } from "../src/tensor/memory.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import { cosineSimilarity } from "../src/ops/linalg.ts";
import * as F from "../src/nn/functional/loss.ts";
import * as nn from "../src/nn/mod.ts";
import { assertClose as assertParity, hasGpu, randData } from "./webgpu_helpers.ts";
import { assertNear, dec, type Enc, loadLossCases, lossCaseTests } from "./_support/loss_cases.ts";

// ---- CTC against PyTorch ----

/** One case of ctc_cases.json: the loss and the gradient PyTorch returns for log_probs. */
interface CTCCase {
  name: string;
  opts: F.CTCLossOptions;
  lengths: "tensor" | "array";
  logProbs: Enc;
  targets: Enc;
  inputLengths: number[];
  targetLengths: number[];
  out: Enc;
  upstream: Enc;
  grad: Enc;
}

const ctcCases = loadLossCases<CTCCase>("ctc_cases.json");

/** Lengths as the case passes them: int32 tensors (0-d when unbatched) or arrays. */
function lengthsOf(c: CTCCase, v: number[]): F.CTCLengths {
  if (c.lengths === "array") return v;
  const unbatched = c.logProbs.shape.length === 2;
  return tensor(v, { dtype: "int32", shape: unbatched ? [] : [v.length] });
}

for (const c of ctcCases) {
  Deno.test(`ctc fixture: ${c.name}`, async () => {
    const lp = dec(c.logProbs, true);
    const out = F.ctcLoss(
      lp,
      dec(c.targets),
      lengthsOf(c, c.inputLengths),
      lengthsOf(c, c.targetLengths),
      c.opts,
    );
    assert.deepEqual(out.shape, c.out.shape, "output shape");
    const tol = c.logProbs.dtype === "float64" ? 1e-10 : 1e-4;
    assertNear(await out.toArray(), c.out.data, tol, "value");
    out.backward(dec(c.upstream));
    assertNear(await lp.grad!.toArray(), c.grad.data, tol, "grad of logProbs");
  });
}

// ---- triplet margin with distance against PyTorch ----

/** The distance functions the fixture names, built from denotorch ops as the generator's. */
const distances: Record<string, F.DistanceFunction | null> = {
  pairwise: null,
  cosine: (x, y) => cosineSimilarity(x, y).neg().add(1),
  l1: (x, y) => x.sub(y).abs().sum(-1),
  squared: (x, y) => x.sub(y).pow(2).sum(-1),
};

lossCaseTests("triplet distance fixture", "triplet_distance_cases.json", (c, args) => {
  const { distance, ...opts } = c.opts;
  return F.tripletMarginWithDistanceLoss(args[0], args[1], args[2], {
    ...opts,
    distanceFunction: distances[distance as string],
  });
});

// ---- float64 gradchecks (finite differences on the cpu) ----

const f64 = { dtype: "float64" as const };
const leaf = (t: Tensor): Tensor => t.requiresGrad_(true);
const i32 = (v: number[] | number[][]) => tensor(v, { dtype: "int32" });
manualSeed(7);

// NOTE: checked through logSoftmax: PyTorch's gradient for logProbs (exp(logProbs) - q) is the
// derivative of the loss only once composed with logSoftmax (the fixtures pin the raw form).
for (const reduction of ["mean", "sum", "none"] as const) {
  Deno.test(`gradcheck ctcLoss through logSoftmax (${reduction})`, () => {
    const x = leaf(randn([6, 3, 4], f64));
    const targets = i32([[1, 2, 2], [3, 1, 0], [2, 0, 0]]);
    const il = [6, 5, 3], tl = [3, 2, 1];
    const ctc = (t: Tensor, lens: number[], opts: F.CTCLossOptions = {}) => (a: Tensor) =>
      F.ctcLoss(a.logSoftmax(2), t, il, lens, { reduction, ...opts });
    gradcheck(ctc(targets, tl), [x]);
    gradcheck(ctc(i32([1, 2, 2, 3, 1, 2]), tl), [x]);
    gradcheck(ctc(i32([[1, 2, 2], [0, 1, 0], [0, 0, 0]]), [3, 2, 1], { blank: 3 }), [x]);
    gradcheck(ctc(targets, [3, 0, 1]), [x]);
    // Sample 2 cannot align [2, 2, 2] in 3 frames (it needs 5): its loss and gradient are 0.
    gradcheck(ctc(i32([[1, 2, 2], [3, 1, 0], [2, 2, 2]]), [3, 2, 3], { zeroInfinity: true }), [x]);
    const u = leaf(randn([5, 4], f64));
    gradcheck((a) => F.ctcLoss(a.logSoftmax(1), i32([1, 1]), [5], [2], { reduction }), [u]);
  });

  Deno.test(`gradcheck tripletMarginWithDistanceLoss (${reduction})`, () => {
    const a = leaf(randn([4, 3], f64)), p = leaf(randn([4, 3], f64));
    const n = leaf(randn([4, 3], f64));
    // A large margin keeps every triplet away from the hinge.
    for (const name of ["pairwise", "cosine", "squared"]) {
      for (const swap of [false, true]) {
        gradcheck((x, y, z) =>
          F.tripletMarginWithDistanceLoss(x, y, z, {
            reduction,
            margin: 20,
            swap,
            distanceFunction: distances[name],
          }), [a, p, n]);
      }
    }
  });
}

// ---- CTC semantics not in the fixtures ----

Deno.test("ctcLoss: an empty input aligns only with an empty target", async () => {
  const lp = randn([4, 2, 3]).logSoftmax(2).detach().requiresGrad_(true);
  const out = F.ctcLoss(lp, i32([[1, 2], [1, 0]]), [0, 0], [0, 1], { reduction: "none" });
  assert.deepEqual(Array.from(await out.toArray()), [0, Infinity]);
  out.sum().backward();
  assert.ok((await lp.grad!.toArray()).every((v) => v === 0));
});

Deno.test("ctcLoss: lengths as 1-element tensors and arrays give the same loss", async () => {
  const lp = randn([5, 1, 4]).logSoftmax(2);
  const t = i32([[1, 3]]);
  const a = await F.ctcLoss(lp, t, [5], [2]).item();
  assert.equal(await F.ctcLoss(lp, t, i32([5]), i32([2])).item(), a);
  assert.equal(await F.ctcLoss(lp.squeeze(1), t, i32([5]), [2]).item(), a);
  assert.ok(Number.isFinite(a) && a > 0);
});

Deno.test("ctcLoss: a step in scope() leaves no tensor behind after backward", () => {
  const x = randn([20, 4, 6]).requiresGrad_(true);
  const targets = i32([[1, 2, 3], [2, 2, 0], [5, 0, 0], [1, 1, 1]]);
  const before = memoryAllocated("cpu");
  for (let i = 0; i < 2; i++) {
    scope(() => {
      F.ctcLoss(x.logSoftmax(2), targets, [20, 18, 3, 20], [3, 2, 1, 3], { zeroInfinity: true })
        .backward();
    });
    x.grad!.dispose();
    x.grad = null;
    assert.equal(memoryAllocated("cpu"), before);
  }
});

// ---- modules ----

Deno.test("CTCLoss and TripletMarginWithDistanceLoss delegate to the functional forms", async () => {
  const lp = randn([6, 2, 4]).logSoftmax(2);
  const t = i32([[1, 2], [3, 3]]);
  const ctc = new nn.CTCLoss({ blank: 0, reduction: "sum", zeroInfinity: true });
  assert.equal(
    await ctc.call(lp, t, [6, 4], [2, 2]).item(),
    await F.ctcLoss(lp, t, [6, 4], [2, 2], { reduction: "sum", zeroInfinity: true }).item(),
  );
  const d = new nn.CTCLoss();
  assert.deepEqual([d.blank, d.reduction, d.zeroInfinity], [0, "mean", false]);
  assert.match(ctc.toString(), /CTCLoss\(reduction=sum, blank=0, zeroInfinity=true\)/);
  assert.deepEqual(Object.keys(ctc.stateDict()), []);

  const a = randn([5, 3]), p = randn([5, 3]), n = randn([5, 3]);
  const l1 = (x: Tensor, y: Tensor) => x.sub(y).abs().sum(-1);
  const tm = new nn.TripletMarginWithDistanceLoss({
    distanceFunction: l1,
    margin: 0.5,
    swap: true,
  });
  assert.equal(
    await tm.call(a, p, n).item(),
    await F.tripletMarginWithDistanceLoss(a, p, n, {
      distanceFunction: l1,
      margin: 0.5,
      swap: true,
    })
      .item(),
  );
  const dflt = new nn.TripletMarginWithDistanceLoss();
  assert.deepEqual([dflt.distanceFunction, dflt.margin, dflt.swap, dflt.reduction], [
    null,
    1,
    false,
    "mean",
  ]);
  assert.equal(
    await dflt.call(a, p, n).item(),
    await F.tripletMarginLoss(a, p, n).item(),
  );
  assert.match(
    tm.toString(),
    /TripletMarginWithDistanceLoss\(reduction=mean, distanceFunction=l1, margin=0.5, swap=true\)/,
  );
  assert.match(dflt.toString(), /distanceFunction=pairwiseDistance, margin=1, swap=false/);
});

// ---- errors ----

Deno.test("ctcLoss: bad arguments name the loss, the shapes and what was expected", () => {
  const lp = randn([6, 2, 4]).logSoftmax(2);
  const t = i32([[1, 2, 2], [3, 1, 0]]);
  const il = [6, 5], tl = [3, 2];
  const cases: [() => unknown, RegExp][] = [
    [
      () => F.ctcLoss(lp, t, [7, 5], tl),
      /ctcLoss: inputLengths\[0\] = 7 exceeds T = 6 \(logProbs of shape \[6, 2, 4\]\)/,
    ],
    [
      () => F.ctcLoss(lp, t, il, [4, 2]),
      /ctcLoss: targetLengths\[0\] = 4 exceeds S = 3 \(padded targets of shape \[2, 3\]\)/,
    ],
    [
      () => F.ctcLoss(lp, i32([1, 2, 2, 3]), il, tl),
      /ctcLoss: concatenated targets of shape \[4\] must hold sum\(targetLengths\) = 5 labels/,
    ],
    [
      () => F.ctcLoss(lp, i32([[0, 2, 2], [3, 1, 0]]), il, tl),
      /ctcLoss: targets\[0\]\[0\] is the blank index 0; targets must not contain the blank/,
    ],
    [
      () => F.ctcLoss(lp, i32([[1, 2, 2], [3, 1, 0]]), il, tl, { blank: 3 }),
      /ctcLoss: targets\[1\]\[0\] is the blank index 3/,
    ],
    [
      () => F.ctcLoss(lp, i32([1, 2, 4, 3, 1]), il, tl),
      /ctcLoss: targets\[2\] = 4 is out of range for 4 classes/,
    ],
    [
      () => F.ctcLoss(lp, t.to("float32"), il, tl),
      /ctcLoss: expected int32 targets \(class indices\), got float32 of shape \[2, 3\]/,
    ],
    [
      () => F.ctcLoss(lp, t.unsqueeze(0), il, tl),
      /ctcLoss: expected padded targets \[N, S\] or concatenated 1-D targets, got shape \[1, 2, 3\]/,
    ],
    [
      () => F.ctcLoss(lp, i32([[1, 2, 2]]), il, tl),
      /ctcLoss: padded targets of shape \[1, 3\] must have N = 2 rows \(logProbs of shape \[6, 2, 4\]\)/,
    ],
    [
      () => F.ctcLoss(lp.unsqueeze(0), t, il, tl),
      /ctcLoss: expected logProbs of shape \[T, N, C\] or unbatched \[T, C\], got shape \[1, 6, 2, 4\]/,
    ],
    [
      () => F.ctcLoss(lp, t, [6, 5, 4], tl),
      /ctcLoss: inputLengths must have one entry per batch element \(N = 2\), got 3/,
    ],
    [
      () => F.ctcLoss(lp, t, tensor([6, 5]), tl),
      /ctcLoss: inputLengths must be integral \(int32\), got float32/,
    ],
    [() => F.ctcLoss(lp, t, il, [3, -1]), /ctcLoss: targetLengths\[1\] = -1 must be non-negative/],
    [() => F.ctcLoss(lp, t, [6, 4.5], tl), /ctcLoss: inputLengths must be integers, got 4.5/],
    [
      () => F.ctcLoss(lp, t, i32([[6, 5]]), tl),
      /ctcLoss: inputLengths must be a 1-D tensor, got shape \[1, 2\]/,
    ],
    [
      () => F.ctcLoss(lp, t, il, tl, { blank: 4 }),
      /ctcLoss: blank must be in the label range \[0, 4\), got 4/,
    ],
    [() => F.ctcLoss(lp, t, il, tl, { reduction: "avg" as "mean" }), /ctcLoss: reduction must be/],
    [() => F.ctcLoss(t, t, il, tl), /ctcLoss: expected a floating point logProbs, got int32/],
    [
      () => F.ctcLoss(lp.select(1, 0), i32([1, 2, 2]), [6], [2]),
      /ctcLoss: concatenated targets of shape \[3\] must hold sum\(targetLengths\) = 2 labels/,
    ],
  ];
  for (const [fn, re] of cases) assert.throws(fn, re);
});

Deno.test("tripletMarginWithDistanceLoss: bad arguments name the loss", () => {
  const a = randn([3, 2]);
  assert.throws(
    () => F.tripletMarginWithDistanceLoss(a, a, a, { reduction: "avg" as "mean" }),
    /tripletMarginWithDistanceLoss: reduction must be/,
  );
  assert.throws(
    () => F.tripletMarginWithDistanceLoss(a, a, a, { margin: Number.NaN }),
    /tripletMarginWithDistanceLoss: margin must be a number/,
  );
  assert.throws(
    () =>
      F.tripletMarginWithDistanceLoss(a, a, a, {
        distanceFunction: () => 1 as unknown as Tensor,
      }),
    /tripletMarginWithDistanceLoss: distanceFunction must return a Tensor, got number/,
  );
});

// ---- webgpu vs cpu (float32) ----

Deno.test({
  name: "ctcLoss and tripletMarginWithDistanceLoss: webgpu matches cpu (values and gradients)",
  ignore: !hasGpu,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    // PyTorch's docstring size: T = 50, N = 16, C = 20, S = 10, with varied lengths, a
    // repeated label, an impossible sample (zeroed) and an empty target.
    const [T, N, C, S] = [50, 16, 20, 10];
    const labels = Array.from(randData(N * S, 4, 1, C), Math.floor);
    labels[0] = labels[1] = 7;
    const il = Array.from({ length: N }, (_, n) => T - (n % 5) * 3);
    const tl = Array.from({ length: N }, (_, n) => 1 + (n * 7) % S);
    il[3] = 4;
    tl[3] = S; // cannot align: 10 labels in 4 frames
    tl[5] = 0;
    const run = async (device: Device, targetsOn: Device) => {
      const x = tensor(randData(T * N * C, 1), { shape: [T, N, C], device }).requiresGrad_(true);
      const targets = tensor(labels, { shape: [N, S], dtype: "int32", device: targetsOn });
      const outs = [
        F.ctcLoss(x.logSoftmax(2), targets, il, tl, { reduction: "none" }),
        F.ctcLoss(x.logSoftmax(2), targets, il, tl, { zeroInfinity: true }),
      ];
      const mk = (seed: number) =>
        tensor(randData(24, seed, -1, 1), { shape: [6, 4], device }).requiresGrad_(true);
      const [a, p, n] = [mk(5), mk(6), mk(7)];
      outs.push(
        F.tripletMarginWithDistanceLoss(a, p, n, {
          distanceFunction: distances.cosine,
          swap: true,
          reduction: "none",
        }),
      );
      // The impossible sample's infinite loss stays out of the summed gradient.
      outs[0].where(outs[0].ne(Infinity), 0).sum().add(outs[1]).add(outs[2].sum()).backward();
      return await Promise.all(
        [...outs, x.grad!, a.grad!, p.grad!, n.grad!].map((o) => o.toArray()),
      );
    };
    const cpu = await run("cpu", "cpu");
    for (const targetsOn of ["cpu", "webgpu"] as const) {
      const gpu = await run("webgpu", targetsOn);
      cpu.forEach((want, i) =>
        assertParity(
          `ctc/triplet ${i} (targets on ${targetsOn})`,
          gpu[i] as Float32Array,
          want as Float32Array,
          1e-4,
          1e-5,
        )
      );
    }
    assert.equal(cpu[0][3], Infinity);
    const lp = tensor(randData(2 * 3 * 4, 2), { shape: [2, 3, 4], device: "webgpu" });
    assert.throws(
      () =>
        F.ctcLoss(lp, i32([1, 2, 3]), tensor([2, 2, 2], { dtype: "int32", device: "webgpu" }), [
          1,
          1,
          1,
        ]),
      /ctcLoss: inputLengths must be an array or a cpu tensor \(their values are read at once\), got a webgpu tensor/,
    );
  },
});

/**
 * Double backward (`createGraph`): first and second derivatives of the cases of
 * tools/gen_autograd_fixtures.py against PyTorch 1.13 (tests/fixtures/core/autograd.json) and
 * by finite differences (gradgradcheck, float64 cpu); the refusal of formulas autograd cannot
 * differentiate, naming the op; memory; webgpu-vs-cpu parity.
 */
import assert from "node:assert/strict";
import * as dt from "../mod.ts";
import { record } from "../src/autograd/function.ts";
import { unaryRaw } from "../src/ops/elementwise.ts";
import fixture from "./fixtures/core/autograd.json" with { type: "json" };
import { assertClose, assertThrowsWith, f64, lossWeights } from "./helpers.ts";
import { f, hasGpu, parity } from "./webgpu_helpers.ts";

const F = dt.nn.functional;
const { grad, gradgradcheck } = dt.autograd;
const i32 = (data: number[] | number[][]) => dt.tensor(data, { dtype: "int32" });

/** The generator's CASES, op for op. */
const CASES: Record<string, (...xs: dt.Tensor[]) => dt.Tensor> = {
  tanh: (x) => x.tanh(),
  exp: (x) => x.mul(0.5).exp(),
  mul: (a, b) => a.mul(b).mul(a),
  matmul: (a, b) => a.matmul(b).pow(2),
  sum: (x) => x.mul(x).sum(1).pow(2),
  softmax: (x) => x.softmax(1),
  log_softmax: (x) => x.logSoftmax(-1),
  mse: (a, b) => F.mseLoss(a.tanh(), b),
  mlp: (x, w1, b1, w2) =>
    F.mseLoss(F.linear(F.linear(x, w1, b1).tanh(), w2), dt.zeros([4, 2], { dtype: "float64" })),
  cross_entropy_log_softmax_nll: (x) => F.nllLoss(x.logSoftmax(1), i32([1, 0, 3])),
  sigmoid_div: (a, b) => a.sigmoid().div(b.mul(b).add(1)),
  sin_cos_sqrt: (x) => x.sin().mul(x.cos()).add(x.mul(x).add(1).sqrt()),
  slice_cat: (x) => dt.cat([x.slice(0, 1, 3), x.slice(0, 0, 2).mul(2)], 1).tanh(),
  index_select_gather: (x) =>
    x.indexSelect(0, i32([2, 0, 2])).gather(1, i32([[1], [0], [2]])).pow(3),
  max_dim: (x) => x.max(1).values.pow(3),
  layer_norm: (x) => F.layerNorm(x, [4]).mul(x),
  cumprod_zeros: (x) => x.cumprod(0),
  logcumsumexp: (x) => x.logcumsumexp(0),
};

for (const [name, c] of Object.entries(fixture.second)) {
  Deno.test(`second derivatives: ${name} against PyTorch and by finite differences`, () => {
    const fn = CASES[name];
    assert.ok(fn, `no implementation of fixture case ${name}`);
    const xs = c.inputs.map((i) => f64(i.data, i.shape));
    const y = fn(...xs);
    assertClose(y, c.out.data, { atol: 1e-12, rtol: 1e-10, msg: "value" });
    const w = dt.tensor(lossWeights(y.numel), { dtype: "float64", shape: y.shape });
    const gs = grad(y.mul(w).sum(), xs, { createGraph: true });
    gs.forEach((g, i) =>
      assertClose(g, c.grads[i], { atol: 1e-12, rtol: 1e-10, msg: `grad ${i}` })
    );
    let dot: dt.Tensor | null = null;
    gs.forEach((g, i) => {
      const term = g.mul(f64(c.v[i], xs[i].shape, false)).sum();
      dot = dot ? dot.add(term) : term;
    });
    const hv = grad(dot!, xs, { allowUnused: true });
    hv.forEach((h, i) => {
      const want = c.hvp[i];
      if (want === null) assert.equal(h, null, `hvp ${i}: PyTorch has none`);
      else assertClose(h!, want, { atol: 1e-10, rtol: 1e-9, msg: `hvp ${i}` });
    });
    for (const x of xs) assert.equal(x.grad, null, "grad() leaves .grad alone");
    assert.equal(gradgradcheck(fn, xs), true);
  });
}

Deno.test("gradgradcheck catches a wrong second derivative that gradcheck cannot see", () => {
  // x³ whose formula reads its saved input through detach(): right first derivative, but the
  // gradient no longer depends on x, so its derivative is lost.
  const cube = (x: dt.Tensor) =>
    record(dt.noGrad(() => x.pow(3)), "CubeBackward", [x], [x], (g, [xv]) => [
      g.mul(xv.detach().pow(2).mul(3)),
    ]);
  const x = f64([0.5, -1.5, 2], [3]);
  assert.equal(dt.gradcheck(cube, [x]), true);
  assert.equal(gradgradcheck(cube, [x], { raiseException: false }), false);
  assertThrowsWith(() => gradgradcheck(cube, [x]), "gradcheck", "Jacobian mismatch");
});

Deno.test("createGraph refuses formulas that run kernels outside autograd, naming the node", () => {
  const x = f64([0.5, 1.5], [2]);
  // sin whose formula computes cos with the kernel directly on the (re-linked) saved input.
  const rawSin = (t: dt.Tensor) =>
    record(dt.noGrad(() => t.sin()), "RawSinBackward", [t], [t], (g, [tv]) => [
      g.mul(unaryRaw("cos", tv)),
    ]);
  assertThrowsWith(
    () => grad(rawSin(x).sum(), x, { createGraph: true }),
    "double backward through RawSinBackward is not supported",
    '"cos" kernel',
  );
  // A formula reading a value the forward computed outside autograd (here x², untracked).
  const derived = (t: dt.Tensor) => {
    const sq = dt.noGrad(() => t.mul(t));
    return record(dt.noGrad(() => sq.mul(t)), "DerivedBackward", [t], [sq], (g, [s]) => [
      g.mul(s).mul(3),
    ]);
  };
  assertThrowsWith(
    () => grad(derived(x).sum(), x, { createGraph: true }),
    "double backward through DerivedBackward is not supported",
    "values the forward pass computed outside autograd",
  );
  // Without createGraph both are ordinary first-order ops.
  assertClose(grad(rawSin(x).sum(), x)[0], [Math.cos(0.5), Math.cos(1.5)], { rtol: 1e-12 });
  assertClose(grad(derived(x).sum(), x)[0], [0.75, 6.75], { rtol: 1e-12 });
});

Deno.test("createGraph through conv2d, maxPool2d, batchNorm, crossEntropy, embedding throws", () => {
  const img = dt.randn([1, 2, 4, 4], { dtype: "float64", requiresGrad: true });
  const cases: [string, () => dt.Tensor, dt.Tensor][] = [
    ["ConvolutionBackward", () => F.conv2d(img, dt.ones([3, 2, 3, 3], { dtype: "float64" })), img],
    ["MaxPool2DWithIndicesBackward", () => F.maxPool2d(img, 2), img],
    ["NativeBatchNormBackward", () => F.batchNorm(img, null, null, { training: true }), img],
    ["NllLossBackward", () => F.crossEntropy(img.flatten(1), i32([3])), img],
  ];
  const table = dt.randn([5, 3], { dtype: "float64", requiresGrad: true });
  cases.push(["EmbeddingBackward", () => F.embedding(i32([1, 4]), table), table]);
  for (const [node, fn, input] of cases) {
    assertThrowsWith(
      () => grad(fn().pow(2).sum(), input, { createGraph: true }),
      `double backward through ${node} is not supported`,
    );
    const [g] = grad(fn().pow(2).sum(), input);
    assert.deepEqual(g.shape, input.shape, `${node}: first order still works`);
  }
});

Deno.test("backward({ createGraph }): .grad carries a graph; a gradient penalty is right", () => {
  const data = f64([0.3, -0.8, 1.1, 0.5, -0.2, 0.9], [3, 2], false);
  const loss = (w: dt.Tensor) => data.matmul(w).tanh().pow(2).sum();
  // penalty(w) = |∇loss(w)|², evaluated at w0 ± eps for finite differences.
  const penalty = (w0: number[]) => {
    const w = f64(w0, [2, 1]);
    const [g] = grad(loss(w), w);
    return g.pow(2).sum().dataSync()[0];
  };
  const w0 = [0.7, -0.4];
  const w = f64(w0, [2, 1]);
  loss(w).backward(undefined, { createGraph: true });
  assert.equal(w.grad!.requiresGrad, true);
  const p = w.grad!.pow(2).sum();
  w.grad!.dispose();
  w.grad = null;
  p.backward();
  const eps = 1e-6;
  const numeric = w0.map((_, i) => {
    const up = [...w0], down = [...w0];
    up[i] += eps;
    down[i] -= eps;
    return (penalty(up) - penalty(down)) / (2 * eps);
  });
  assertClose(w.grad!, numeric, { atol: 1e-6, rtol: 1e-5 });
});

Deno.test("createGraph keeps the graph by default; retainGraph: false frees it as PyTorch does", () => {
  const x = f64([0.5, 1], [2]);
  const y = x.exp().sum();
  const [g1] = grad(y, x, { createGraph: true });
  const [g2] = grad(y, x, { createGraph: true }); // the graph was retained
  assertClose(grad(g1.add(g2).sum(), x)[0], [2 * Math.exp(0.5), 2 * Math.E], { rtol: 1e-12 });
  const z = x.exp().sum();
  const [g3] = grad(z, x, { createGraph: true, retainGraph: false });
  assertThrowsWith(
    () => grad(g3.sum(), x),
    "ExpBackward",
    "backward through the graph a second time",
  );
  const [plain] = grad(x.exp().sum(), x);
  assert.equal(plain.requiresGrad, false, "without createGraph the gradient has no graph");
  assertThrowsWith(() => grad(plain.sum(), x), "does not require grad");
});

Deno.test("memory: Hessian-vector products and gradient penalties free everything", () => {
  const w = dt.randn([8, 4], { dtype: "float64", requiresGrad: true });
  const data = dt.randn([16, 8], { dtype: "float64" });
  const base = dt.memoryAllocated("cpu");
  for (let step = 0; step < 3; step++) {
    dt.scope(() => {
      const [g] = grad(data.matmul(w).tanh().logSoftmax(1).pow(2).mean(), w, { createGraph: true });
      const [hv] = grad(g.mul(dt.onesLike(w)).sum(), w);
      hv.dispose();
      g.dispose();
    });
    assert.equal(dt.memoryAllocated("cpu"), base, `hvp step ${step}`);
    dt.scope(() => {
      data.matmul(w).sigmoid().sum().backward(undefined, { createGraph: true });
      const p = w.grad!.pow(2).sum();
      w.grad!.dispose();
      w.grad = null;
      p.backward();
    });
    w.grad!.dispose();
    w.grad = null;
    assert.equal(dt.memoryAllocated("cpu"), base, `penalty step ${step}`);
  }
});

Deno.test({
  name: "webgpu parity: second derivatives of an MLP and a softmax match the cpu",
  ignore: !hasGpu,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const hvp = (loss: (...xs: dt.Tensor[]) => dt.Tensor) => (...xs: dt.Tensor[]) => {
      const wrt = xs.filter((x) => x.requiresGrad);
      const gs = grad(loss(...xs), wrt, { createGraph: true });
      const dot = gs.map((g) => g.mul(g.detach().sign()).sum()).reduce((a, b) => a.add(b));
      return grad(dot, wrt);
    };
    await parity(
      "mlp hvp",
      [
        f([6, 4], 1),
        f([5, 4], 2, -1, 1),
        f([5], 3),
        f([3, 5], 4, -1, 1),
        f([6, 3], 5, -1, 1, false),
      ],
      hvp((x, w1, b1, w2, t) => F.mseLoss(F.linear(F.linear(x, w1, b1).tanh(), w2), t)),
      { rtol: 1e-3, atol: 1e-4 },
    );
    await parity(
      "softmax/logSoftmax/matmul hvp",
      [f([3, 7], 6), f([7, 4], 7, -1, 1)],
      hvp((a, b) => a.matmul(b).softmax(1).mul(a.matmul(b).logSoftmax(1)).sum()),
      { rtol: 1e-3, atol: 1e-4 },
    );
    const base = dt.memoryAllocated("webgpu");
    const w = dt.randn([16, 8], { device: "webgpu", requiresGrad: true });
    const x = dt.randn([32, 16], { device: "webgpu" });
    await dt.scope(async () => {
      const [g] = grad(x.matmul(w).tanh().pow(2).mean(), w, { createGraph: true });
      const [hv] = grad(g.sum(), w);
      await hv.toArray();
    });
    for (const t of [w, x]) t.dispose();
    // At most the baseline: the garbage collector may free the parity checks' leftovers meanwhile.
    const after = dt.memoryAllocated("webgpu");
    assert.ok(after <= base, `webgpu memory grew from ${base} to ${after} bytes`);
  },
});

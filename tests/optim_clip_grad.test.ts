// clipGradNorm_ / clipGradValue_ against their definition (PyTorch 1.13's
// clip_grad_norm_: total = ||(||g_i||_p)_i||_p, coef = min(1, max / (total + 1e-6))).
import assert from "node:assert/strict";
import { tensor, zeros } from "../src/tensor/creation.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import { clipGradNorm_, clipGradNormChecked_, clipGradValue_ } from "../src/optim/mod.ts";

const G = [[3, -4, 1.5], [0.5, -2], [12]];
function withGrads(values: number[][] = G): Tensor[] {
  return values.map((v) => {
    const p = zeros([v.length], { dtype: "float64", requiresGrad: true });
    p.grad = tensor(v, { dtype: "float64" });
    return p;
  });
}

function refNorm(p: number): number {
  const all = G.flat().map(Math.abs);
  if (p === Infinity) return Math.max(...all);
  return all.reduce((s, x) => s + x ** p, 0) ** (1 / p);
}

for (const p of [2, 1, 3, Infinity]) {
  Deno.test(`clipGradNorm_ normType ${p}: returns the total norm and scales the grads`, async () => {
    const params = withGrads();
    const maxNorm = 2;
    const total = clipGradNorm_(params, maxNorm, { normType: p });
    const ref = refNorm(p);
    assert.ok(Math.abs((await total.item()) - ref) < 1e-12 * ref);
    const coef = Math.min(1, maxNorm / (ref + 1e-6));
    for (const [i, q] of params.entries()) {
      const got = await q.grad!.toArray();
      G[i].forEach((v, k) => assert.ok(Math.abs(got[k] - v * coef) < 1e-12));
    }
  });
}

Deno.test("clipGradNorm_ leaves small gradients alone and ignores params without grad", async () => {
  const params = withGrads([[0.1, 0.2]]);
  params.push(zeros([3], { requiresGrad: true }));
  const total = clipGradNorm_(params, 10);
  assert.ok(Math.abs((await total.item()) - Math.hypot(0.1, 0.2)) < 1e-12);
  assert.deepEqual(Array.from(await params[0].grad!.toArray()), [0.1, 0.2]);
  assert.equal(await clipGradNorm_([zeros([1])], 1).item(), 0);
});

Deno.test("errorIfNonfinite throws before touching the gradients", async () => {
  const params = withGrads([[1, NaN]]);
  assert.throws(
    () => clipGradNorm_(params, 1, { errorIfNonfinite: true }),
    /clipGradNorm_: the total norm of order 2 .* is non-finite/,
  );
  assert.equal((await params[0].grad!.toArray())[0], 1);
  await assert.rejects(clipGradNormChecked_(withGrads([[Infinity]]), 1), /non-finite/);
  const ok = await clipGradNormChecked_(withGrads([[3, 4]]), 1);
  assert.ok(Math.abs((await ok.item()) - 5) < 1e-12);
});

Deno.test("clipGradValue_ clamps every gradient", async () => {
  const params = withGrads();
  clipGradValue_(params, 2);
  assert.deepEqual(Array.from(await params[0].grad!.toArray()), [2, -2, 1.5]);
  assert.deepEqual(Array.from(await params[2].grad!.toArray()), [2]);
  assert.throws(() => clipGradValue_(params, -1), /clipValue must be non-negative/);
});

/**
 * Scans (cumsum, cumprod, cummax, cummin, logcumsumexp) against PyTorch 1.13 fixtures, float64
 * gradchecks (cumprod with zeros included), dtype rules, errors, and webgpu-vs-cpu parity for
 * long scans (100,000 elements: 17 Hillis–Steele rounds) and non-contiguous inputs.
 */
import assert from "node:assert/strict";
import * as dt from "../mod.ts";
import { fixtureTests } from "./extra_ops_fixtures.ts";
import { assertClose, assertThrowsWith, f64, gradcheckShapes } from "./helpers.ts";
import { bools, f, hasGpu, ints, parity } from "./webgpu_helpers.ts";

fixtureTests("scan", {
  cumsum: ([a], p) => dt.cumsum(a, p.dim as number),
  cumprod: ([a], p) => dt.cumprod(a, p.dim as number),
  cummax: ([a], p) => [...dt.cummax(a, p.dim as number)],
  cummin: ([a], p) => [...dt.cummin(a, p.dim as number)],
  logcumsumexp: ([a], p) => dt.logcumsumexp(a, p.dim as number),
});

Deno.test("scans: gradcheck on 3-D inputs along every dim, through views", () => {
  for (const d of [0, 1, 2, -1]) {
    gradcheckShapes(`cumsum dim ${d}`, (x) => dt.cumsum(x.transpose(0, 2), d), [[4, 3, 5]]);
    gradcheckShapes(`cumprod dim ${d}`, (x) => dt.cumprod(x, d), [{ shape: [3, 4, 5], kind: "u" }]);
    gradcheckShapes(`cummax dim ${d}`, (x) => dt.cummax(x, d).values, [[3, 4, 5]]);
    gradcheckShapes(`cummin dim ${d}`, (x) => dt.cummin(x, d).values, [[3, 4, 5]]);
    gradcheckShapes(`logcumsumexp dim ${d}`, (x) => dt.logcumsumexp(x, d), [[3, 4, 5]]);
  }
});

Deno.test("cumprod: gradient with zeros (one, several, first, last) by finite differences", () => {
  const x = f64([0, 2, 0.5, 0, 3, 1.5, -1, 0, 0.7, 0, 0, 2, 1.1, -0.4, 0.9, 0], [4, 4]);
  for (const d of [0, 1]) {
    assert.equal(dt.gradcheck((a) => dt.cumprod(a, d), [x]), true);
  }
  // A long slice with zeros: more rounds of the scan than the fixture cases.
  const data = Array.from({ length: 37 }, (_, i) => (i % 11 === 3 ? 0 : 0.9 + 0.01 * i));
  assert.equal(dt.gradcheck((a) => dt.cumprod(a, 0), [f64(data, [37])]), true);
});

Deno.test("cumsum/cumprod: dtype rules and the dtype option", () => {
  assert.equal(dt.cumsum(dt.tensor([true, false, true]), 0).dtype, "int32");
  assert.equal(dt.cumprod(dt.tensor([1, 2, 3], { dtype: "int32" }), 0).dtype, "int32");
  assert.equal(
    dt.cumsum(dt.tensor([1, 2, 3], { dtype: "int32" }), 0, { dtype: "float32" }).dtype,
    "float32",
  );
  const x = dt.tensor([0.5, 1.5], { requiresGrad: true });
  const y = dt.cumsum(x, 0, { dtype: "float64" });
  assert.equal(y.dtype, "float64");
  y.sum().backward();
  assert.equal(x.grad!.dtype, "float32");
  assertClose(x.grad!, [2, 1]);
  assert.equal(dt.cummax(dt.tensor([1, 3, 2]), 0).indices.dtype, "int32");
});

Deno.test("scans: empty dims, size-1 dims and NaN in cummax", () => {
  assert.deepEqual(dt.cumsum(dt.zeros([2, 0]), 1).shape, [2, 0]);
  assert.deepEqual(dt.cumprod(dt.ones([0]), 0).shape, [0]);
  assertClose(dt.cumsum(dt.tensor([[1], [2]]), 1), [1, 2]);
  const [v, i] = dt.cummax(dt.tensor([1, NaN, 3, 2]), 0);
  assertClose(v, [1, NaN, NaN, NaN]);
  assert.deepEqual(Array.from(i.dataSync()), [0, 1, 1, 1]);
  assertClose(dt.logcumsumexp(dt.tensor([-Infinity, -Infinity, 0]), 0), [-Infinity, -Infinity, 0]);
});

Deno.test("scans: errors name the op and the dims", () => {
  assertThrowsWith(() => dt.cumsum(dt.zeros([2, 3]), 2), "cumsum", "dim");
  assertThrowsWith(() => dt.cummax(dt.zeros([2]), -2), "cummax");
  assertThrowsWith(
    () => dt.logcumsumexp(dt.tensor([1, 2], { dtype: "int32" }), 0),
    "logcumsumexp",
    "int32",
  );
});

Deno.test({
  name: "scans: webgpu matches cpu (100,000-element scans, non-contiguous inputs, grads)",
  ignore: !hasGpu,
  fn: async () => {
    const n = 100_000;
    // Values near 0 keep the float32 sums comparable across the two summation orders.
    await parity("cumsum 100k", [f([n], 7, -1, 1)], (x) => dt.cumsum(x, 0), {
      rtol: 1e-3,
      atol: 2e-3,
    });
    await parity("logcumsumexp 100k", [f([n], 8, -3, 3)], (x) => dt.logcumsumexp(x, 0), {
      rtol: 1e-4,
      atol: 1e-4,
    });
    await parity("cummax 100k", [f([n], 9)], (x) => [...dt.cummax(x, 0)]);
    await parity("cumsum transposed", [f([6, 5], 1)], (x) => dt.cumsum(x.t(), 1));
    await parity(
      "cumprod strided",
      [f([4, 9], 2, 0.5, 1.5)],
      (x) => dt.cumprod(x.slice(1, 0, 9, 2), 1),
    );
    await parity(
      "cumprod with zeros",
      [{
        data: Float32Array.from([1, 0, 2, 3, 0, 2, 0, 4, 1.5, -1, 2, 0]),
        shape: [3, 4],
        grad: true,
      }],
      (x) => dt.cumprod(x, 1),
    );
    await parity("cummin dim 0", [f([5, 3], 3)], (x) => [...dt.cummin(x.t(), 1)]);
    await parity("int32/bool cumsum, int32 cumprod", [ints([3, 40], -3, 4), bools([2, 33])], (
      a,
      b,
    ) => [dt.cumsum(a, 1), dt.cumprod(a.narrow(1, 0, 9), 1), dt.cumsum(b, 1)]);
    await parity(
      "cummax/cummin ties pick the latest index",
      [{ data: Float32Array.from([1, 3, 3, 2, 3, -1, -1, 4, 0, 0]), shape: [10], grad: true }],
      (x) => [...dt.cummax(x, 0), ...dt.cummin(x, 0)],
    );
    await parity("logcumsumexp 3-D", [f([2, 3, 4], 4)], (x) => dt.logcumsumexp(x, 1));
  },
});

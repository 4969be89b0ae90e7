/**
 * Sorting and selection on the CPU backend: values and indices against PyTorch 1.13 fixtures
 * (tests/fixtures/core/sort.json, written by tools/gen_sort_fixtures.py: ties, NaN, -0,
 * infinities, descending, stable, odd lengths, dims other than the last, non-contiguous inputs),
 * float64 gradchecks of the value outputs, and the errors for misuse.
 */
import assert from "node:assert/strict";
import * as dt from "../mod.ts";
import type { DType, Tensor } from "../mod.ts";
import { assertClose, assertThrowsWith, gradcheckShapes, lossWeights } from "./helpers.ts";
import fixture from "./fixtures/core/sort.json" with { type: "json" };

type Num = number | string;
interface Enc {
  shape: number[];
  dtype: DType;
  data: Num[];
}
interface Case {
  op: string;
  name: string;
  input?: Enc & { view: string | null };
  seq?: Enc;
  values?: Enc;
  x?: Enc;
  weights?: Enc;
  params: Record<string, number | boolean>;
  outputs: Enc[];
  grad?: Enc;
  exact?: boolean;
}

const SPECIAL: Record<string, number> = { nan: NaN, inf: Infinity, "-inf": -Infinity, "-0": -0 };
const dec = (v: Num): number => (typeof v === "string" ? SPECIAL[v] : v);
const mk = (e: Enc): Tensor => dt.tensor(e.data.map(dec), { shape: e.shape, dtype: e.dtype });

function viewOf(x: Tensor, v: string | null): Tensor {
  if (v === "t") return x.transpose(0, 1);
  if (v === "step") return x.slice(-1, 0, undefined, 2);
  return x;
}

const cases = (fixture as unknown as { cases: Case[] }).cases;

/**
 * Values compare in sign too (a sort must not turn -0 into 0), unless PyTorch picked another of
 * tied -0 and 0 (`signed` false).
 */
function assertSameValues(got: Tensor, e: Enc, msg: string, signed = true): void {
  assert.deepEqual(got.shape, e.shape, `${msg}: shape`);
  assert.equal(got.dtype, e.dtype, `${msg}: dtype`);
  const g = Array.from(got.dataSync()), w = e.data.map(dec);
  g.forEach((v, i) => {
    const same = Object.is(v, w[i]) || (v === w[i] && (!signed || w[i] !== 0));
    assert.ok(same, `${msg}: element ${i}: ${v} vs ${w[i]}`);
  });
}

/** Indices: exactly PyTorch's when it made the stable choice, else they must pick the values. */
function assertIndices(
  x: Tensor,
  dim: number,
  got: Tensor,
  vals: Tensor,
  c: Case,
  msg: string,
): void {
  const e = c.outputs[1];
  assert.deepEqual(got.shape, e.shape, `${msg}: indices shape`);
  assert.equal(got.dtype, "int32", `${msg}: indices dtype`);
  if (c.exact) {
    assert.deepEqual(Array.from(got.dataSync()), e.data, `${msg}: indices`);
    return;
  }
  const keep = got.ndim === x.ndim ? got : got.unsqueeze(dim);
  const picked = x.gather(dim, keep);
  assertClose(picked.reshape(vals.shape), vals, { msg: `${msg}: picked values` });
}

function checkGrad(x0: Tensor, c: Case, fn: (x: Tensor) => Tensor): void {
  // A different choice among tied values moves the gradient too: only exact cases compare.
  if (!c.grad || c.exact === false) return;
  const leaf = x0.detach().requiresGrad_(true);
  const v = fn(viewOf(leaf, c.input!.view));
  const w = dt.tensor(lossWeights(v.numel), { dtype: "float64", shape: v.shape });
  v.mul(w).sum().backward();
  // PyTorch's gradient is with respect to the view.
  const g = viewOf(leaf.grad!, c.input!.view).contiguous();
  assertClose(g, c.grad.data.map(dec), { msg: `${c.name}: grad` });
}

type Run = (x: Tensor, p: Record<string, number | boolean>) => Tensor[];
const SELECT: Record<string, Run> = {
  sort: (x, p) => dt.sort(x, p.dim as number, p.descending as boolean, { stable: !!p.stable }),
  topk: (x, p) => dt.topk(x, p.k as number, p.dim as number, p.largest as boolean),
  kthvalue: (x, p) => dt.kthvalue(x, p.k as number, p.dim as number, p.keepdim as boolean),
  median_dim: (x, p) => dt.median(x, p.dim as number, p.keepdim as boolean),
  max_dim: (x, p) => dt.max(x, p.dim as number),
  min_dim: (x, p) => dt.min(x, p.dim as number),
};

Deno.test("sort fixtures were made by PyTorch 1.13 and cover every op", () => {
  assert.match((fixture as { torch: string }).torch, /^1\.13/);
  const ops = new Set(cases.map((c) => c.op));
  for (
    const op of [
      ...Object.keys(SELECT),
      "argsort",
      "msort",
      "median",
      "unique",
      "searchsorted",
      "bucketize",
      "bincount",
    ]
  ) assert.ok(ops.has(op), op);
});

for (const [op, run] of Object.entries(SELECT)) {
  const list = cases.filter((c) => c.op === op);
  Deno.test(`${op}: values and indices vs PyTorch (${list.length} cases)`, () => {
    for (const c of list) {
      const base = mk(c.input!);
      const x = viewOf(base, c.input!.view);
      const [vals, idx] = run(x, c.params);
      assertSameValues(vals, c.outputs[0], c.name, c.exact !== false);
      const dim = (c.params.dim as number) < 0
        ? (c.params.dim as number) + x.ndim
        : c.params.dim as number;
      assertIndices(x, dim, idx, vals, c, c.name);
      checkGrad(base, c, (xx) => run(xx, c.params)[0]);
    }
  });
}

Deno.test("argsort, msort, median(): values vs PyTorch", () => {
  for (const c of cases.filter((c) => ["argsort", "msort", "median"].includes(c.op))) {
    const base = mk(c.input!);
    const x = viewOf(base, c.input!.view);
    if (c.op === "argsort") {
      const i = dt.argsort(x, c.params.dim as number, c.params.descending as boolean);
      assert.equal(c.exact, true, `${c.name}: fixture is exact`);
      assert.deepEqual(Array.from(i.dataSync()), c.outputs[0].data, c.name);
      continue;
    }
    const f = c.op === "msort" ? dt.msort : (t: Tensor) => dt.median(t);
    assertSameValues(f(x), c.outputs[0], c.name);
    checkGrad(base, c, f);
  }
});

Deno.test("unique: values, inverse and counts vs PyTorch", async () => {
  for (const c of cases.filter((c) => c.op === "unique")) {
    const x = viewOf(mk(c.input!), c.input!.view);
    const r = await dt.unique(x, {
      returnInverse: c.params.returnInverse as boolean,
      returnCounts: c.params.returnCounts as boolean,
    });
    const outs = Array.isArray(r) ? r : [r];
    assert.equal(outs.length, c.outputs.length, c.name);
    outs.forEach((o, i) => {
      const e = c.outputs[i];
      assert.deepEqual(o.shape, e.shape, `${c.name}: output ${i} shape`);
      assert.equal(o.dtype, e.dtype, `${c.name}: output ${i} dtype`);
      assertClose(o, e.data.map(dec), { msg: `${c.name}: output ${i}` });
    });
  }
});

Deno.test("searchsorted and bucketize vs PyTorch", () => {
  for (const c of cases.filter((c) => c.op === "searchsorted" || c.op === "bucketize")) {
    const seq = mk(c.seq!), v = mk(c.values!);
    const right = c.params.right as boolean;
    const o = c.op === "bucketize"
      ? dt.bucketize(v, seq, { right })
      : dt.searchsorted(seq, v, right ? { side: "right" } : {});
    assert.deepEqual(o.shape, c.outputs[0].shape, c.name);
    assert.equal(o.dtype, "int32");
    assert.deepEqual(Array.from(o.dataSync()), c.outputs[0].data, c.name);
    if (c.op === "searchsorted") {
      // The same through `right` and a non-contiguous view of the values.
      const o2 = dt.searchsorted(seq, v.t().contiguous().t(), { right });
      assert.deepEqual(Array.from(o2.dataSync()), c.outputs[0].data, `${c.name} (strided)`);
    }
  }
  const s = dt.tensor([1, 2, 3]);
  assert.deepEqual(Array.from(dt.searchsorted(s, 2).dataSync()), [1]);
  assert.deepEqual(dt.searchsorted(s, 2, { right: true }).shape, []);
});

Deno.test("bincount vs PyTorch", async () => {
  for (const c of cases.filter((c) => c.op === "bincount")) {
    const w = c.weights ? mk(c.weights) : null;
    const o = await dt.bincount(mk(c.x!), w, c.params.minlength as number);
    assert.deepEqual(o.shape, c.outputs[0].shape, c.name);
    assert.equal(o.dtype, c.outputs[0].dtype, c.name);
    assertClose(o, c.outputs[0].data.map(dec), { msg: c.name });
  }
});

Deno.test("gradcheck (float64): sort, topk, kthvalue, median values", () => {
  const opts = [[3, 5], [4, 3, 2]];
  for (const shape of opts) {
    for (const dim of [0, -1]) {
      gradcheckShapes(`sort dim=${dim}`, (x) => dt.sort(x, dim)[0], [shape]);
      gradcheckShapes(`sort desc dim=${dim}`, (x) => dt.sort(x, dim, true)[0], [shape]);
      gradcheckShapes(`topk dim=${dim}`, (x) => dt.topk(x, 2, dim)[0], [shape]);
      gradcheckShapes(`topk smallest dim=${dim}`, (x) => dt.topk(x, 2, dim, false)[0], [shape]);
      gradcheckShapes(`kthvalue dim=${dim}`, (x) => dt.kthvalue(x, 2, dim)[0], [shape]);
      gradcheckShapes(`kthvalue keepdim`, (x) => dt.kthvalue(x, 1, dim, true)[0], [shape]);
      gradcheckShapes(`median dim=${dim}`, (x) => dt.median(x, dim)[0], [shape]);
      gradcheckShapes(`median keepdim`, (x) => dt.median(x, dim, true)[0], [shape]);
    }
    gradcheckShapes("median()", (x) => dt.median(x), [shape]);
    gradcheckShapes("msort", (x) => dt.msort(x), [shape]);
    gradcheckShapes("sort of a transposed view", (x) => dt.sort(x.transpose(0, 1), 1)[0], [shape]);
  }
});

Deno.test("sort family: 0-d, empty and length-1 inputs", async () => {
  const s = dt.tensor(3.5);
  const [v, i] = dt.sort(s);
  assert.deepEqual(v.shape, []);
  assert.deepEqual(i.shape, []);
  assert.equal(v.dataSync()[0], 3.5);
  assert.equal(i.dataSync()[0], 0);
  assert.deepEqual(dt.topk(s, 1)[0].shape, []);
  assert.deepEqual(dt.kthvalue(s, 1)[1].shape, []);
  assert.deepEqual(dt.median(s, 0)[0].shape, []);
  assert.deepEqual(dt.argsort(s).shape, []);
  const e = dt.zeros([2, 0]);
  assert.deepEqual(dt.sort(e, 1)[0].shape, [2, 0]);
  assert.deepEqual(dt.sort(e, 0)[1].shape, [2, 0]);
  assert.deepEqual(dt.topk(e, 0)[0].shape, [2, 0]);
  assert.ok(Number.isNaN(dt.median(dt.zeros([0])).dataSync()[0]));
  assert.deepEqual((await dt.unique(e)).shape, [0]);
  assert.deepEqual(dt.searchsorted(dt.zeros([0]), dt.ones([3])).dataSync(), new Int32Array(3));
  const one = dt.sort(dt.tensor([[2], [1]]), 1);
  assert.deepEqual(Array.from(one[1].dataSync()), [0, 0]);
});

Deno.test("sort family: int32 and bool inputs keep their dtype", () => {
  const [v, i] = dt.sort(dt.tensor([3, -1, 2, -1], { dtype: "int32" }), 0, true);
  assert.equal(v.dtype, "int32");
  assert.deepEqual(Array.from(v.dataSync()), [3, 2, -1, -1]);
  assert.deepEqual(Array.from(i.dataSync()), [0, 2, 1, 3]);
  const [bv, bi] = dt.sort(dt.tensor([true, false, true, false]));
  assert.equal(bv.dtype, "bool");
  assert.deepEqual(Array.from(bv.dataSync()), [0, 0, 1, 1]);
  assert.deepEqual(Array.from(bi.dataSync()), [1, 3, 0, 2]);
});

Deno.test("max/min free functions: overall, with a dim, and elementwise", () => {
  const x = dt.tensor([[1, 5, 2], [7, 0, 7]]);
  assert.equal(dt.max(x).dataSync()[0], 7);
  const [v, i] = dt.min(x, 1, true);
  assert.deepEqual(v.shape, [2, 1]);
  assert.deepEqual(Array.from(i.dataSync()), [0, 1]);
  assert.deepEqual(Array.from(dt.max(x, dt.tensor([4, 4, 4])).dataSync()), [4, 5, 4, 7, 4, 7]);
});

Deno.test("sort family: errors name the op, the shapes and what was expected", async () => {
  const x = dt.zeros([3, 4]);
  assertThrowsWith(() => dt.topk(x, 5), "topk", "k (5)", "[3, 4]", "0 <= k <= 4");
  assertThrowsWith(() => dt.topk(x, -1, 0), "topk", "0 <= k <= 3");
  assertThrowsWith(() => dt.kthvalue(x, 0), "kthvalue", "k (0)", "1 <= k <= 4");
  assertThrowsWith(() => dt.kthvalue(x, 5, 1), "kthvalue", "1 <= k <= 4");
  assertThrowsWith(() => dt.sort(x, 2), "sort", "dim 2");
  assertThrowsWith(() => dt.median(dt.zeros([2, 0]), 1), "median", "size 0");
  assertThrowsWith(
    () => dt.searchsorted(dt.tensor([1, 2], { dtype: "int32" }), dt.tensor([1.5])),
    "searchsorted",
    "int32",
    "float32",
    "same dtype",
  );
  assertThrowsWith(
    () => dt.searchsorted(dt.zeros([2, 3]), dt.zeros([3, 3])),
    "searchsorted",
    "[2, 3]",
    "[3, 3]",
  );
  assertThrowsWith(() => dt.searchsorted(x, x, { side: "left", right: true }), "searchsorted");
  assertThrowsWith(() => dt.bucketize(x, x), "bucketize", "1-D", "[3, 4]");
  await assert.rejects(() => dt.bincount(dt.tensor([1.5])), /bincount.*int32.*float32 \[1\]/);
  await assert.rejects(
    () => dt.bincount(dt.tensor([1, -2], { dtype: "int32" })),
    /bincount.*non-negative.*-2/,
  );
  await assert.rejects(
    () => dt.bincount(dt.tensor([1, 2], { dtype: "int32" }), dt.ones([3])),
    /bincount.*\[2\].*\[3\]/,
  );
  await assert.rejects(() => dt.unique(x, { dim: 0 }), /unique.*dim=0.*\[3, 4\]/);
});

Deno.test("Tensor methods forward to the sort ops", async () => {
  const x = dt.tensor([[3, 1, 2], [NaN, 0, -1]]);
  assert.deepEqual([...x.sort(1)[1].dataSync()], [1, 2, 0, 2, 1, 0]);
  assert.deepEqual([...x.argsort(1, true).dataSync()], [0, 2, 1, 0, 1, 2]);
  assert.deepEqual([...x.topk(2, 1).indices.dataSync()], [0, 2, 0, 1]);
  assert.deepEqual([...x.kthvalue(1, 1).values.dataSync()], [1, -1]);
  assert.ok(Number.isNaN(x.median().dataSync()[0]));
  assert.deepEqual([...x.median(1).values.dataSync()].map(String), ["2", "NaN"]);
  assert.deepEqual([...x.msort().dataSync()].map(String), ["3", "0", "-1", "NaN", "1", "2"]);
  const u = await dt.tensor([2, 1, 2], { dtype: "int32" }).unique() as Tensor;
  assert.deepEqual([...u.dataSync()], [1, 2]);
  const c = await dt.tensor([0, 2, 2], { dtype: "int32" }).bincount();
  assert.deepEqual([...c.dataSync()], [1, 0, 2]);
});

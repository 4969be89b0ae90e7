/** Creation ops, random tensors (statistics, reproducibility), *Like helpers. */
import assert from "node:assert/strict";
import * as dt from "../mod.ts";
import { assertClose, assertTensor, assertThrowsWith } from "./helpers.ts";

Deno.test("tensor(): nested arrays, booleans, typed arrays, dtype and shape options", () => {
  const a = dt.tensor([[1, 2, 3], [4, 5, 6]]);
  assertTensor(a, { shape: [2, 3], data: [1, 2, 3, 4, 5, 6], dtype: "float32" });
  assert.ok(a.dataSync() instanceof Float32Array);
  assertTensor(dt.tensor([true, false]), { shape: [2], data: [1, 0], dtype: "bool" });
  assertTensor(dt.tensor(5), { shape: [], data: [5] });
  assertTensor(dt.tensor([]), { shape: [0], data: [], dtype: "float32" });
  assertTensor(dt.tensor(new Float64Array([1, 2, 3, 4]), { shape: [2, 2] }), {
    shape: [2, 2],
    data: [1, 2, 3, 4],
    dtype: "float64",
  });
  assertTensor(dt.tensor(new Int32Array([7, 8])), { shape: [2], data: [7, 8], dtype: "int32" });
  assertTensor(dt.tensor(new Uint8Array([0, 3])), { shape: [2], data: [0, 1], dtype: "bool" });
  assertTensor(dt.tensor([1.9, -1.9], { dtype: "int32" }), { shape: [2], data: [1, -1] });
  const src = new Float32Array([1, 2]);
  const t = dt.tensor(src);
  src[0] = 100;
  assertClose(t, [1, 2], { msg: "tensor() copies its data" });
  assertThrowsWith(() => dt.tensor([[1, 2], [3]]), "tensor", "length 2");
  assertThrowsWith(
    () => dt.tensor(new Float32Array(3), { shape: [2, 2] }),
    "tensor",
    "[2, 2]",
    "3",
  );
  assert.equal(dt.tensor([1], { requiresGrad: true }).requiresGrad, true);
});

Deno.test("zeros/ones/full/empty and their *Like versions", () => {
  assertTensor(dt.zeros([2, 3]), { shape: [2, 3], data: new Array(6).fill(0), dtype: "float32" });
  assertTensor(dt.ones(3, { dtype: "int32" }), { shape: [3], data: [1, 1, 1], dtype: "int32" });
  assertTensor(dt.full([2], 2.5, { dtype: "float64" }), {
    shape: [2],
    data: [2.5, 2.5],
    dtype: "float64",
  });
  assertTensor(dt.full([], 7), { shape: [], data: [7] });
  const e = dt.empty([4, 0, 2]);
  assert.deepEqual(e.shape, [4, 0, 2]);
  assert.equal(e.numel, 0);
  assert.deepEqual(dt.empty([3]).shape, [3]);
  const ref = dt.tensor([[1, 2]], { dtype: "float64" });
  assertTensor(dt.zerosLike(ref), { shape: [1, 2], data: [0, 0], dtype: "float64" });
  assertTensor(dt.onesLike(ref, { dtype: "int32" }), {
    shape: [1, 2],
    data: [1, 1],
    dtype: "int32",
  });
  assertTensor(dt.fullLike(ref, -3), { shape: [1, 2], data: [-3, -3], dtype: "float64" });
  assert.deepEqual(dt.emptyLike(ref).shape, [1, 2]);
  assert.equal(dt.emptyLike(ref).dtype, "float64");
  const r = dt.randLike(ref);
  assert.equal(r.dtype, "float64");
  assert.deepEqual(r.shape, [1, 2]);
  assert.equal(dt.randnLike(ref, { dtype: "float32" }).dtype, "float32");
  assert.equal(dt.zeros([2], { requiresGrad: true }).requiresGrad, true);
  assertThrowsWith(() => dt.zeros([2, -1]), "full", "[2, -1]");
});

Deno.test("arange, linspace, eye match PyTorch", () => {
  assertTensor(dt.arange(5), { shape: [5], data: [0, 1, 2, 3, 4], dtype: "int32" });
  assertTensor(dt.arange(2, 8, 3), { shape: [2], data: [2, 5], dtype: "int32" });
  assertTensor(dt.arange(5, 0, -2), { shape: [3], data: [5, 3, 1] });
  assertTensor(dt.arange(1, 2.5, 0.5), { shape: [3], data: [1, 1.5, 2], dtype: "float32" });
  assert.deepEqual(dt.arange(0, 1, 0.1).shape, [10]);
  assertTensor(dt.arange(3, undefined, 1, { dtype: "float64" }), {
    shape: [3],
    data: [0, 1, 2],
    dtype: "float64",
  });
  assertTensor(dt.linspace(-1, 1, 4), {
    shape: [4],
    data: [-1.0, -0.3333333134651184, 0.3333333134651184, 1.0],
  }, { atol: 0, rtol: 0 });
  assertTensor(dt.linspace(0, 1, 7), {
    shape: [7],
    data: [
      0,
      0.1666666716337204,
      0.3333333432674408,
      0.5,
      0.6666666269302368,
      0.8333333134651184,
      1,
    ],
  }, { atol: 0, rtol: 0 });
  assertTensor(dt.linspace(3, 5, 1), { shape: [1], data: [3] });
  assertTensor(dt.linspace(3, 5, 0), { shape: [0], data: [] });
  assertTensor(dt.eye(2, 3), { shape: [2, 3], data: [1, 0, 0, 0, 1, 0] });
  assertTensor(dt.eye(2), { shape: [2, 2], data: [1, 0, 0, 1] });
  assertThrowsWith(() => dt.arange(0, 5, 0), "arange", "step");
  assertThrowsWith(() => dt.arange(5, 0, 1), "arange");
});

function stats(a: ArrayLike<number>) {
  let s = 0, s2 = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < a.length; i++) {
    s += a[i];
    s2 += a[i] * a[i];
    min = Math.min(min, a[i]);
    max = Math.max(max, a[i]);
  }
  const mean = s / a.length;
  return { mean, variance: s2 / a.length - mean * mean, min, max };
}

Deno.test("rand: uniform [0, 1) statistics; randn: standard normal statistics", () => {
  dt.manualSeed(0);
  const u = stats(dt.rand([100000]).dataSync());
  assert.ok(Math.abs(u.mean - 0.5) < 0.005, `rand mean ${u.mean}`);
  assert.ok(Math.abs(u.variance - 1 / 12) < 0.002, `rand variance ${u.variance}`);
  assert.ok(u.min >= 0 && u.max < 1, `rand range [${u.min}, ${u.max}]`);
  const n = dt.randn([100000], { dtype: "float64" }).dataSync();
  const s = stats(n);
  assert.ok(Math.abs(s.mean) < 0.01, `randn mean ${s.mean}`);
  assert.ok(Math.abs(s.variance - 1) < 0.02, `randn variance ${s.variance}`);
  const within1 = Array.from(n).filter((v) => Math.abs(v) < 1).length / n.length;
  assert.ok(Math.abs(within1 - 0.6827) < 0.01, `P(|z| < 1) = ${within1}`);
  assert.equal(dt.rand([2, 3], { dtype: "float64" }).dtype, "float64");
  assertThrowsWith(() => dt.rand([2], { dtype: "int32" }), "rand", "int32");
});

Deno.test("manualSeed and Generator make draws reproducible and independent", () => {
  dt.manualSeed(42);
  const a = Array.from(dt.rand([7]).dataSync());
  const a2 = Array.from(dt.randn([5]).dataSync());
  dt.manualSeed(42);
  assert.deepEqual(Array.from(dt.rand([7]).dataSync()), a);
  assert.deepEqual(Array.from(dt.randn([5]).dataSync()), a2);
  dt.manualSeed(43);
  assert.notDeepEqual(Array.from(dt.rand([7]).dataSync()), a);
  const g1 = new dt.Generator(7), g2 = new dt.Generator(7);
  dt.manualSeed(42);
  const x1 = Array.from(dt.rand([10], { generator: g1 }).dataSync());
  assert.deepEqual(Array.from(dt.rand([7]).dataSync()), a, "a generator leaves the default alone");
  assert.deepEqual(Array.from(dt.rand([10], { generator: g2 }).dataSync()), x1);
  const state = g1.getState();
  const next = Array.from(dt.randn([3], { generator: g1 }).dataSync());
  g1.setState(state);
  assert.deepEqual(Array.from(dt.randn([3], { generator: g1 }).dataSync()), next);
  assert.equal(g1.initialSeed(), 7);
  // Successive draws differ.
  assert.notDeepEqual(Array.from(dt.rand([10], { generator: g2 }).dataSync()), x1);
  assertThrowsWith(() => dt.manualSeed(-1), "manualSeed");
});

Deno.test("randint stays in [low, high) and hits every value; randperm is a permutation", () => {
  dt.manualSeed(3);
  const r = dt.randint(-3, 4, [2000]);
  assert.equal(r.dtype, "int32");
  const vals = Array.from(r.dataSync());
  assert.ok(vals.every((v) => v >= -3 && v < 4 && Number.isInteger(v)));
  assert.deepEqual([...new Set(vals)].sort((x, y) => x - y), [-3, -2, -1, 0, 1, 2, 3]);
  const counts = new Map<number, number>();
  for (const v of vals) counts.set(v, (counts.get(v) ?? 0) + 1);
  for (const [v, c] of counts) assert.ok(c > 200 && c < 380, `value ${v} drawn ${c} times`);
  assert.deepEqual(dt.randint(0, 10, [2, 3]).shape, [2, 3]);
  assertThrowsWith(() => dt.randint(5, 5, [1]), "randint");
  for (const n of [0, 1, 10, 257]) {
    const p = dt.randperm(n);
    assert.equal(p.dtype, "int32");
    assert.deepEqual(
      Array.from(p.dataSync()).sort((x, y) => x - y),
      Array.from({ length: n }, (_, i) => i),
    );
  }
  const g = new dt.Generator(1);
  const p1 = Array.from(dt.randperm(20, { generator: g }).dataSync());
  assert.deepEqual(Array.from(dt.randperm(20, { generator: new dt.Generator(1) }).dataSync()), p1);
  assert.notDeepEqual(p1, Array.from({ length: 20 }, (_, i) => i), "actually shuffled");
});

/** Reductions, softmax family and norms: gradcheck over dims/keepdim, exact values, ties. */
import assert from "node:assert/strict";
import * as dt from "../mod.ts";
import type { Tensor } from "../mod.ts";
import { assertClose, assertTensor, f64, gradcheckShapes } from "./helpers.ts";

const DIMS: [number | number[] | undefined, boolean][] = [
  [undefined, false],
  [0, false],
  [0, true],
  [-1, false],
  [[0, 2], false],
  [[0, 2], true],
  [[2, 1], true],
];

const REDUCE: Record<string, (x: Tensor, d: number | number[] | undefined, k: boolean) => Tensor> =
  {
    sum: (x, d, k) => x.sum(d, k),
    mean: (x, d, k) => x.mean(d, k),
    amax: (x, d, k) => x.amax(d, k),
    amin: (x, d, k) => x.amin(d, k),
    var: (x, d, k) => x.var(d, { keepdim: k }),
    var0: (x, d, k) => x.var(d, { keepdim: k, correction: 0 }),
    std: (x, d, k) => x.std(d, { keepdim: k }),
    std2: (x, d, k) => x.std(d, { keepdim: k, correction: 2 }),
    logsumexp: (x, d, k) => x.logsumexp(d ?? [0, 1, 2], k),
    norm1: (x, d, k) => x.norm(1, d, k),
    norm2: (x, d, k) => x.norm(2, d, k),
    norm3: (x, d, k) => x.norm(3, d, k),
    normInf: (x, d, k) => x.norm(Infinity, d, k),
  };

for (const [name, f] of Object.entries(REDUCE)) {
  Deno.test(`gradcheck ${name}: single and multiple dims, keepdim both ways`, () => {
    for (const [d, k] of DIMS) {
      // correction 2 over a dim of size 2 divides by zero (NaN, as in PyTorch): not a gradient test.
      if (name === "std2" && d === 0) continue;
      gradcheckShapes(`${name} dim=${JSON.stringify(d)} keepdim=${k}`, (x) => f(x, d, k), [[
        2,
        3,
        4,
      ]]);
    }
  });
  Deno.test(`gradcheck ${name}: transposed, stepped and expanded inputs`, () => {
    gradcheckShapes(`${name} transposed`, (x) => f(x.permute(2, 0, 1), 2, false), [[2, 3, 4]]);
    gradcheckShapes(`${name} stepped`, (x) => f(x.slice(2, 0, null, 2), [0, 2], true), [[
      2,
      3,
      5,
    ]]);
    gradcheckShapes(`${name} expanded`, (x) => f(x.expand(2, 3, 4), 1, false), [[3, 1]]);
  });
}

Deno.test("gradcheck max/min along a dim (values), and full max/min", () => {
  for (const k of [false, true]) {
    for (const d of [0, 1, -1]) {
      gradcheckShapes(`max dim ${d} ${k}`, (x) => x.max(d, k).values, [[3, 4]]);
      gradcheckShapes(`min dim ${d} ${k}`, (x) => x.min(d, k).values, [[3, 4]]);
    }
  }
  gradcheckShapes("max dim transposed", (x) => x.t().max(1).values, [[4, 3]]);
  gradcheckShapes("max()", (x) => x.max(), [[2, 3]]);
  gradcheckShapes("min()", (x) => x.min(), [[2, 3]]);
});

Deno.test("gradcheck softmax/logSoftmax over every dim and strided inputs", () => {
  for (const d of [0, 1, 2, -1]) {
    gradcheckShapes(`softmax ${d}`, (x) => x.softmax(d), [[2, 3, 4]]);
    gradcheckShapes(`logSoftmax ${d}`, (x) => x.logSoftmax(d), [[2, 3, 4]]);
  }
  gradcheckShapes("softmax transposed", (x) => x.t().softmax(-1), [[4, 3]]);
  gradcheckShapes("logSoftmax stepped", (x) => x.slice(0, 0, null, 2).logSoftmax(0), [[5, 2]]);
  gradcheckShapes("softmax 1-d", (x) => x.softmax(0), [[5]]);
});

Deno.test("sum/mean values with dims and keepdim", () => {
  const x = dt.tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
  assertTensor(x.sum(), { shape: [], data: [36] });
  assertTensor(x.sum(0), { shape: [2, 2], data: [6, 8, 10, 12] });
  assertTensor(x.sum([0, 2]), { shape: [2], data: [14, 22] });
  assertTensor(x.sum([0, 2], true), { shape: [1, 2, 1], data: [14, 22] });
  assertTensor(x.mean(-1, true), { shape: [2, 2, 1], data: [1.5, 3.5, 5.5, 7.5] });
  assertTensor(x.prod(1), { shape: [2, 2], data: [3, 8, 35, 48] });
  assertTensor(dt.tensor([true, true, false]).sum(), { shape: [], data: [2], dtype: "int32" });
  assertTensor(dt.tensor([1, 2], { dtype: "int32" }).sum(), {
    shape: [],
    data: [3],
    dtype: "int32",
  });
  assertTensor(dt.zeros([2, 0]).sum(1), { shape: [2], data: [0, 0] });
  assertTensor(dt.zeros([2, 0]).prod(1), { shape: [2], data: [1, 1] });
});

Deno.test("var/std with correction: values", () => {
  const x = dt.tensor([[1, 2, 3, 4], [2, 4, 6, 8]], { dtype: "float64" });
  assertClose(x.var(), [Number(dt.tensor([1, 2, 3, 4, 2, 4, 6, 8]).var().dataSync()[0])]);
  assertClose(x.var(1), [5 / 3, 20 / 3], { atol: 1e-12 });
  assertClose(x.var(1, { correction: 0 }), [1.25, 5], { atol: 1e-12 });
  assertClose(x.var(1, { correction: 2 }), [2.5, 10], { atol: 1e-12 });
  assertClose(x.std(0, { correction: 0, keepdim: true }), [0.5, 1, 1.5, 2], { atol: 1e-12 });
  assert.deepEqual(x.std(0, { keepdim: true }).shape, [1, 4]);
  assertClose(dt.tensor([3]).var(), [NaN], { msg: "one element, correction 1 gives NaN" });
});

Deno.test("amax/amin/max()/min() share the gradient evenly among ties (PyTorch)", () => {
  const x = f64([1, 3, 3, -2, 0.5, -2], [2, 3]);
  x.amax(1).sum().backward();
  assertClose(x.grad!, [0, 0.5, 0.5, 0, 1, 0]);
  x.grad = null;
  x.amin().backward();
  assertClose(x.grad!, [0, 0, 0, 0.5, 0, 0.5]);
  x.grad = null;
  x.max().backward();
  assertClose(x.grad!, [0, 0.5, 0.5, 0, 0, 0]);
});

Deno.test("max/min along a dim: values, first index of ties, gradient to that index", () => {
  const x = f64([1, 3, 3, -2, 0.5, -2], [2, 3]);
  const [v, i] = x.max(1);
  assertTensor(v, { shape: [2], data: [3, 0.5] });
  assertTensor(i, { shape: [2], data: [1, 1], dtype: "int32" });
  const r = x.min(1, true);
  assertTensor(r.values, { shape: [2, 1], data: [1, -2] });
  assertTensor(r.indices, { shape: [2, 1], data: [0, 0] });
  v.sum().backward();
  assertClose(x.grad!, [0, 1, 0, 0, 1, 0]);
  assertTensor(x.argmax(), { shape: [], data: [1] });
  assertTensor(x.argmin(0), { shape: [3], data: [1, 1, 1] });
  assertTensor(x.argmax(1, true), { shape: [2, 1], data: [1, 1] });
  assertTensor(dt.tensor([1, NaN, 3]).max(), { shape: [], data: [NaN] });
});

Deno.test("logsumexp/softmax/logSoftmax are stable for large inputs", () => {
  const x = dt.tensor([1000, 1000, -Infinity]);
  assertClose(x.logsumexp(0), [1000 + Math.log(2)]);
  assertClose(x.softmax(0), [0.5, 0.5, 0]);
  assertClose(x.logSoftmax(0), [-Math.log(2), -Math.log(2), -Infinity]);
  assertClose(dt.tensor([-Infinity, -Infinity]).logsumexp(0), [-Infinity]);
  const y = dt.tensor([[1, 2, 3], [1, 1, 1]], { dtype: "float64" });
  const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
  const s = e[0] + e[1] + e[2];
  assertClose(y.softmax(1), [...e.map((v) => v / s), 1 / 3, 1 / 3, 1 / 3], { atol: 1e-15 });
  assertTensor(y.logsumexp(1, true), {
    shape: [2, 1],
    data: [Math.log(s), 1 + Math.log(3)],
  });
});

Deno.test("norm values: p = 1, 2, 3, inf; zero vector has a zero gradient", () => {
  const x = dt.tensor([3, -4, 0], { dtype: "float64" });
  assertClose(x.norm(1), [7]);
  assertClose(x.norm(), [5]);
  assertClose(x.norm(3), [Math.cbrt(91)], { atol: 1e-12 });
  assertClose(x.norm(Infinity), [4]);
  assertClose(x.norm(0), [2]);
  const m = dt.tensor([[3, 4], [6, 8]]);
  assertTensor(m.norm(2, 1, true), { shape: [2, 1], data: [5, 10] });
  const z = f64([0, 0, 0], [3]);
  z.norm().backward();
  assertClose(z.grad!, [0, 0, 0]);
});

Deno.test("mean of an integer tensor fails like PyTorch", () => {
  assert.throws(() => dt.tensor([1, 2], { dtype: "int32" }).mean(), /mean: .*int32/);
});

Deno.test("all/any", () => {
  assertTensor(dt.tensor([1, 2, 0]).all(), { shape: [], data: [0], dtype: "bool" });
  assertTensor(dt.tensor([1, 2, 3]).all(), { shape: [], data: [1], dtype: "bool" });
  assertTensor(dt.tensor([0, 0, 0.5]).any(), { shape: [], data: [1], dtype: "bool" });
  assertTensor(dt.zeros([2, 2]).any(), { shape: [], data: [0], dtype: "bool" });
});

Deno.test("an empty dim list reduces every dim, as in PyTorch 1.13", () => {
  // Values from torch 1.13: x = arange(6.).reshape(2, 3).
  const x = dt.tensor([[0, 1, 2], [3, 4, 5]]);
  const cases: [string, Tensor, number][] = [
    ["sum", x.sum([]), 15],
    ["mean", x.mean([]), 2.5],
    ["amax", x.amax([]), 5],
    ["amin", x.amin([]), 0],
    ["var", x.var([]), 3.5],
    ["std", x.std([]), 1.8708287477493286],
    ["norm", x.norm(2, []), 7.416198253631592],
    ["logsumexp", x.logsumexp([]), 5.456193447113037],
  ];
  for (const [name, r, want] of cases) {
    assert.deepEqual(r.shape, [], name);
    assertClose(r, [want], { msg: name });
  }
  assert.deepEqual(x.sum([], true).shape, [1, 1]);
});

Deno.test("softmax, logSoftmax and logsumexp over empty dims behave as in PyTorch 1.13", () => {
  const e = dt.zeros([0]);
  assert.deepEqual(e.softmax(0).shape, [0]);
  assert.deepEqual(e.logSoftmax(0).shape, [0]);
  assert.deepEqual([...e.logsumexp(0).dataSync()], [-Infinity]);
  const r = dt.zeros([2, 0]).logsumexp(1, true);
  assert.deepEqual(r.shape, [2, 1]);
  assert.deepEqual([...r.dataSync()], [-Infinity, -Infinity]);
});

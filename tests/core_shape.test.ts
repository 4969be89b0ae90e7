/** Shape ops: views share storage (no copies), reshape copies only when needed, gradients. */
import assert from "node:assert/strict";
import * as dt from "../mod.ts";
import type { Tensor } from "../mod.ts";
import { assertClose, assertTensor, assertThrowsWith, gradcheckShapes } from "./helpers.ts";

const x234 = () => dt.arange(24).float().reshape(2, 3, 4);

Deno.test("views share storage and have PyTorch's strides", () => {
  const x = x234();
  assert.deepEqual(x.strides, [12, 4, 1]);
  const cases: [string, Tensor, number[], number[], number][] = [
    ["view", x.view(6, 4), [6, 4], [4, 1], 0],
    ["transpose", x.transpose(0, 2), [4, 3, 2], [1, 4, 12], 0],
    ["permute", x.permute(1, 2, 0), [3, 4, 2], [4, 1, 12], 0],
    ["expand", x.select(0, 1).select(0, 2).unsqueeze(0).expand(3, 4), [3, 4], [0, 1], 20],
    ["slice step", x.slice(2, 1, null, 2), [2, 3, 2], [12, 4, 2], 1],
    ["narrow", x.narrow(1, 1, 2), [2, 2, 4], [12, 4, 1], 4],
    ["select", x.select(1, -1), [2, 4], [12, 1], 8],
    ["unsqueeze", x.unsqueeze(1), [2, 1, 3, 4], [12, 12, 4, 1], 0],
    ["squeeze", x.unsqueeze(0).squeeze(), [2, 3, 4], [12, 4, 1], 0],
    ["flatten", x.flatten(1), [2, 12], [12, 1], 0],
    ["unflatten", x.unflatten(2, [2, 2]), [2, 3, 2, 2], [12, 4, 2, 1], 0],
    ["t", x.select(0, 0).t(), [4, 3], [1, 4], 0],
    ["detach", x.detach(), [2, 3, 4], [12, 4, 1], 0],
  ];
  for (const [name, v, shape, strides, offset] of cases) {
    assert.equal(v.storage, x.storage, `${name} shares storage`);
    assert.deepEqual(v.shape, shape, `${name} shape`);
    assert.deepEqual(v.strides, strides, `${name} strides`);
    assert.equal(v.offset, offset, `${name} offset`);
  }
  for (const v of x.split(1, 1).concat(x.chunk(2, 2), x.unbind(0))) {
    assert.equal(v.storage, x.storage, "split/chunk/unbind give views");
  }
  // Writes through a view are visible in the base.
  x.select(0, 1).slice(1, 0, null, 3).fill_(-1);
  assertTensor(x.select(0, 1).select(0, 0), { shape: [4], data: [-1, 13, 14, -1] });
});

Deno.test("reshape copies only when the layout requires it (like PyTorch)", () => {
  const x = x234();
  assert.equal(x.reshape(4, 6).storage, x.storage, "contiguous: view");
  assert.equal(x.slice(0, 1).reshape(12).storage, x.storage, "contiguous slice: view");
  assert.equal(x.transpose(1, 2).reshape(2, 12).storage === x.storage, false, "transposed: copy");
  assert.equal(x.transpose(0, 1).reshape(3, 2, 2, 2).storage, x.storage, "splitting a dim: view");
  assert.equal(x.slice(2, 0, null, 2).reshape(12).storage, x.storage, "uniform step: view");
  assert.equal(x.slice(2, 0, 3).reshape(18).storage === x.storage, false, "gapped: copy");
  assertTensor(x.transpose(1, 2).reshape(2, 12).select(0, 0), {
    shape: [12],
    data: [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11],
  });
  assert.equal(x.contiguous().storage, x.storage, "contiguous() of contiguous: no copy");
  const t = x.transpose(0, 1);
  assert.equal(t.isContiguous(), false);
  const c = t.contiguous();
  assert.equal(c.isContiguous(), true);
  assert.notEqual(c.storage, x.storage);
  assertClose(c, t);
  assert.equal(x.clone().storage === x.storage, false, "clone copies");
  assertThrowsWith(() => t.view(24), "view", "[24]", "[3, 2, 4]", "reshape");
});

Deno.test("shape op values", () => {
  const x = dt.tensor([[1, 2, 3], [4, 5, 6]]);
  assertTensor(x.t(), { shape: [3, 2], data: [1, 4, 2, 5, 3, 6] });
  assertTensor(x.flip(1), { shape: [2, 3], data: [3, 2, 1, 6, 5, 4] });
  assertTensor(x.flip([0, 1]), { shape: [2, 3], data: [6, 5, 4, 3, 2, 1] });
  assertTensor(x.repeat(2, 2), {
    shape: [4, 6],
    data: [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6, 1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6],
  });
  assertTensor(x.slice(1, -2), { shape: [2, 2], data: [2, 3, 5, 6] });
  assertTensor(x.slice(1, null, null, 2), { shape: [2, 2], data: [1, 3, 4, 6] });
  assertTensor(x.slice(1, 5, 9), { shape: [2, 0], data: [] });
  assertTensor(x.expand(2, 2, 3).select(0, 1), { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] });
  assertTensor(x.unsqueeze(1).expand(-1, 2, -1).reshape(4, 3), {
    shape: [4, 3],
    data: [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6],
  });
  assertTensor(dt.cat([x, x.mul(10)], 1), {
    shape: [2, 6],
    data: [1, 2, 3, 10, 20, 30, 4, 5, 6, 40, 50, 60],
  });
  assertTensor(dt.stack([x.select(1, 0), x.select(1, 2)], 1), {
    shape: [2, 2],
    data: [1, 3, 4, 6],
  });
  assert.deepEqual(x.split([1, 2], 1).map((p) => p.shape), [[2, 1], [2, 2]]);
  assert.deepEqual(dt.zeros([5]).chunk(3).map((p) => p.shape), [[2], [2], [1]]);
  assert.deepEqual(dt.zeros([6]).chunk(4).map((p) => p.shape), [[2], [2], [2]]);
  assert.deepEqual(x.unbind(1).map((p) => Array.from(p.dataSync())), [[1, 4], [2, 5], [3, 6]]);
  assertTensor(dt.cat([dt.tensor([1], { dtype: "int32" }), dt.tensor([0.5])]), {
    shape: [2],
    data: [1, 0.5],
    dtype: "float32",
  });
  assert.deepEqual(dt.zeros([2, 1, 3]).squeeze(0).shape, [2, 1, 3]);
  assert.deepEqual(dt.zeros([2, 1, 3]).squeeze(-2).shape, [2, 3]);
  assert.deepEqual(dt.zeros([]).unsqueeze(0).shape, [1]);
  assert.deepEqual(dt.zeros([]).flatten().shape, [1]);
  assert.deepEqual(dt.zeros([2, 3]).transpose(-1, -2).shape, [3, 2]);
  assert.deepEqual(dt.zeros([2, 3, 4]).view(-1, 4).shape, [6, 4]);
});

const SHAPE_OPS: [string, (x: Tensor) => Tensor | Tensor[], number[]][] = [
  ["reshape", (x) => x.reshape(4, 6), [2, 3, 4]],
  ["reshape of transposed (copy)", (x) => x.transpose(0, 2).reshape(-1), [2, 3, 4]],
  ["view", (x) => x.view(6, 4), [2, 3, 4]],
  ["view of a step slice", (x) => x.slice(1, 0, null, 2).view(-1), [2, 6]],
  ["flatten", (x) => x.flatten(0, 1), [2, 3, 4]],
  ["unflatten", (x) => x.unflatten(1, [3, 1]), [2, 3, 4]],
  ["squeeze", (x) => x.squeeze(), [2, 1, 3, 1]],
  ["squeeze dim", (x) => x.squeeze(1), [2, 1, 3]],
  ["unsqueeze", (x) => x.t().unsqueeze(1), [2, 3]],
  ["transpose", (x) => x.transpose(0, 2), [2, 3, 4]],
  ["permute", (x) => x.permute(2, 0, 1), [2, 3, 4]],
  ["expand", (x) => x.expand(4, 2, 3), [2, 1]],
  ["expand of transposed", (x) => x.t().expand(2, 3, 2), [2, 3]],
  ["contiguous", (x) => x.t().contiguous(), [3, 2]],
  ["clone", (x) => x.t().clone(), [3, 2]],
  ["slice with step", (x) => x.slice(0, 1, null, 2), [7, 2]],
  ["slice negative start", (x) => x.slice(1, -3, null, 2), [2, 6]],
  ["narrow", (x) => x.narrow(1, 1, 2), [3, 4]],
  ["select", (x) => x.select(0, -1), [3, 4]],
  ["select of transposed", (x) => x.t().select(0, 1), [3, 4]],
  ["split", (x) => x.split(2), [5, 2]],
  ["split sizes", (x) => x.split([1, 3], 1), [2, 4]],
  ["chunk", (x) => x.chunk(3, 1), [2, 5]],
  ["unbind", (x) => x.unbind(1), [2, 3]],
  ["flip", (x) => x.flip([0, 2]), [2, 3, 2]],
  ["flip of stepped", (x) => x.slice(0, 0, null, 2).flip(0), [5, 2]],
  ["repeat", (x) => x.repeat(2, 1, 3), [2, 2]],
  ["repeat of transposed", (x) => x.t().repeat(2, 2), [2, 3]],
  ["t", (x) => x.t(), [2, 3]],
  ["t of 1-d", (x) => x.t(), [3]],
];

for (const [name, f, shape] of SHAPE_OPS) {
  Deno.test(`gradcheck ${name}`, () => {
    gradcheckShapes(name, f, [shape]);
  });
}

Deno.test("gradcheck cat/stack: several inputs, negative dims, strided inputs", () => {
  gradcheckShapes("cat 0", (a, b, c) => dt.cat([a, b, c]), [[2, 3], [1, 3], [3, 3]]);
  gradcheckShapes("cat -1", (a, b) => dt.cat([a, b], -1), [[2, 3], [2, 1]]);
  gradcheckShapes("cat strided", (a, b) => dt.cat([a.t(), b.slice(0, 0, null, 2)], 1), [[2, 3], [
    5,
    3,
  ]]);
  gradcheckShapes("cat same tensor", (a) => dt.cat([a, a.mul(2), a]), [[2]]);
  gradcheckShapes("stack 0", (a, b) => dt.stack([a, b]), [[2, 3], [2, 3]]);
  gradcheckShapes("stack -1", (a, b) => dt.stack([a, b.t()], -1), [[2, 3], [3, 2]]);
  gradcheckShapes("stack 1", (a, b, c) => dt.stack([a, b, c], 1), [[3], [3], [3]]);
});

Deno.test("gradcheck casts: float64 -> float32 -> float64 and to(float64)", () => {
  gradcheckShapes("cast round trip", (x) => x.float().double(), [[2, 3]], {
    eps: 1e-2,
    atol: 1e-3,
  });
  gradcheckShapes("to float64 (no-op)", (x) => x.to("float64").mul(2), [[3]]);
  const x = dt.tensor([1.5, -2], { requiresGrad: true });
  const y = x.double();
  assert.equal(y.dtype, "float64");
  assert.equal(y.gradFn?.name, "ToCopyBackward");
  y.mul(y).sum().backward();
  assert.equal(x.grad!.dtype, "float32");
  assertClose(x.grad!, [3, -4]);
  const i = x.int();
  assert.equal(i.requiresGrad, false, "integer casts leave the graph");
  assertTensor(dt.tensor([-1.7, 2.9, NaN]).bool(), { shape: [3], data: [1, 1, 1] });
  assertTensor(dt.tensor([0, -0]).bool(), { shape: [2], data: [0, 0] });
  assertTensor(dt.tensor([-1.7, 2.9]).int(), { shape: [2], data: [-1, 2], dtype: "int32" });
  assertTensor(dt.tensor([true, false]).float(), { shape: [2], data: [1, 0], dtype: "float32" });
});

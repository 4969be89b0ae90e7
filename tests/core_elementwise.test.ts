/** Elementwise ops: gradcheck over shapes, broadcasting and strided inputs; exact semantics. */
import assert from "node:assert/strict";
import * as dt from "../mod.ts";
import type { Tensor } from "../mod.ts";
import { assertClose, assertTensor, checkOp, f64, gradcheckShapes } from "./helpers.ts";

type Bin = (a: Tensor, b: Tensor) => Tensor;
const BINARY: Record<string, Bin> = {
  add: (a, b) => a.add(b),
  addAlpha: (a, b) => a.add(b, -1.5),
  sub: (a, b) => a.sub(b),
  subAlpha: (a, b) => a.sub(b, 0.25),
  mul: (a, b) => a.mul(b),
  div: (a, b) => a.div(b),
  maximum: (a, b) => a.maximum(b),
  minimum: (a, b) => a.minimum(b),
};

const BROADCAST: [number[], number[]][] = [
  [[3], [3]],
  [[2, 3], [2, 3]],
  [[2, 3], [3]],
  [[2, 1, 3], [4, 1]],
  [[], [2, 2]],
  [[2, 2], [1, 1]],
];

for (const [name, f] of Object.entries(BINARY)) {
  Deno.test(`gradcheck ${name}: shapes with broadcasting`, () => {
    for (const [sa, sb] of BROADCAST) {
      const kind = name === "div" ? "p" : "n";
      gradcheckShapes(`${name} ${sa} ${sb}`, f, [sa, { shape: sb, kind }]);
    }
  });
  Deno.test(`gradcheck ${name}: transposed, stepped and expanded views inside fn`, () => {
    const kind = name === "div" ? "p" : "n";
    gradcheckShapes(`${name} transposed`, (a, b) => f(a.transpose(0, 1), b), [[3, 2], {
      shape: [2, 3],
      kind,
    }]);
    gradcheckShapes(`${name} stepped`, (a, b) => f(a.slice(1, 0, null, 2), b.slice(0, 1)), [[
      2,
      5,
    ], { shape: [3, 3], kind }]);
    gradcheckShapes(`${name} expanded`, (a, b) => f(a.expand(2, 3), b.expand(2, 3)), [[1, 3], {
      shape: [2, 1],
      kind,
    }]);
  });
}

Deno.test("gradcheck pow: tensor ** tensor, tensor ** scalar, scalar ** tensor", () => {
  gradcheckShapes("pow tt", (a, b) => a.pow(b), [{ shape: [2, 3], kind: "p" }, {
    shape: [3],
    kind: "u",
  }]);
  gradcheckShapes("pow tt broadcast", (a, b) => a.pow(b), [{ shape: [3, 1], kind: "p" }, {
    shape: [1, 4],
    kind: "u",
  }]);
  for (const e of [2, 3, 0.5, -1.5, 0]) {
    gradcheckShapes(`pow ${e}`, (a) => a.pow(e), [{ shape: [2, 3], kind: "p" }]);
  }
  gradcheckShapes("rpow", (a) => dt.pow(1.7, a), [[2, 3]]);
  gradcheckShapes("pow transposed", (a, b) => a.t().pow(b), [{ shape: [3, 2], kind: "p" }, {
    shape: [2, 3],
    kind: "u",
  }]);
});

Deno.test("pow: d/dy x^y is 0 where x == 0 (PyTorch's rule), x^0 has zero grad", () => {
  const x = f64([0, 2], [2]);
  const y = f64([2, 3], [2]);
  x.pow(y).sum().backward();
  assertClose(y.grad!, [0, 8 * Math.log(2)]);
  assertClose(x.grad!, [0, 12]);
  const z = f64([0, -1.5, 3], [3]);
  z.pow(0).sum().backward();
  assertClose(z.grad!, [0, 0, 0]);
});

Deno.test("gradcheck where: broadcast condition and operands, scalar branches", () => {
  const c = dt.tensor([true, false, true]);
  gradcheckShapes("where", (a, b) => dt.where(c, a, b), [[2, 3], [2, 1]]);
  gradcheckShapes("where scalar", (a) => dt.where(c, a, 0.5), [[3]]);
  gradcheckShapes("where scalar first", (a) => dt.where(c, -2, a.t()), [[3, 2]]);
  gradcheckShapes("maskedFill", (a) => a.maskedFill(c, 7), [[4, 3]]);
  assertTensor(dt.tensor([1, 2, 3]).maskedFill(c, 7), { shape: [3], data: [7, 2, 7] });
});

const UNARY: Record<string, [(x: Tensor) => Tensor, "n" | "p" | "u"]> = {
  neg: [(x) => x.neg(), "n"],
  abs: [(x) => x.abs(), "n"],
  exp: [(x) => x.exp(), "n"],
  log: [(x) => x.log(), "p"],
  sqrt: [(x) => x.sqrt(), "p"],
  rsqrt: [(x) => x.rsqrt(), "p"],
  sin: [(x) => x.sin(), "n"],
  cos: [(x) => x.cos(), "n"],
  tanh: [(x) => x.tanh(), "n"],
  sigmoid: [(x) => x.sigmoid(), "n"],
  relu: [(x) => x.relu(), "n"],
  leakyRelu: [(x) => x.leakyRelu(), "n"],
  leakyRelu02: [(x) => x.leakyRelu(0.2), "n"],
  gelu: [(x) => x.gelu(), "n"],
  geluTanh: [(x) => x.gelu("tanh"), "n"],
  clamp: [(x) => x.clamp(-0.5, 0.8), "n"],
  clampMin: [(x) => x.clamp(0.3), "n"],
  clampMax: [(x) => x.clamp(null, -0.3), "n"],
  sign: [(x) => x.sign(), "n"],
  erf: [(x) => x.erf(), "n"],
  log1p: [(x) => x.log1p(), "u"],
  expm1: [(x) => x.expm1(), "n"],
  reciprocal: [(x) => x.reciprocal(), "p"],
  square: [(x) => x.square(), "n"],
};

for (const [name, [f, kind]] of Object.entries(UNARY)) {
  Deno.test(`gradcheck ${name}: 0-d, 1-d, 3-d, strided inputs`, () => {
    for (const shape of [[], [5], [2, 3, 2]]) {
      gradcheckShapes(`${name} ${shape}`, f, [{ shape, kind }]);
    }
    gradcheckShapes(`${name} transposed`, (x) => f(x.transpose(0, 1)), [{ shape: [3, 4], kind }]);
    gradcheckShapes(`${name} stepped`, (x) => f(x.slice(0, 1, null, 2)), [{ shape: [5, 2], kind }]);
    gradcheckShapes(`${name} expanded`, (x) => f(x.expand(3, 2, 2)), [{ shape: [2, 1], kind }]);
  });
}

Deno.test("kinks follow PyTorch: relu/leakyRelu/abs/sign/clamp gradients at the kink", () => {
  const x = f64([-1, 0, 2], [3]);
  x.relu().sum().backward();
  assertClose(x.grad!, [0, 0, 1]);
  x.grad = null;
  x.abs().sum().backward();
  assertClose(x.grad!, [-1, 0, 1]);
  x.grad = null;
  x.leakyRelu(0.1).sum().backward();
  assertClose(x.grad!, [0.1, 0.1, 1]);
  x.grad = null;
  x.clamp(0, 2).sum().backward();
  assertClose(x.grad!, [0, 1, 1], { msg: "clamp bounds are inclusive" });
  x.grad = null;
  x.sign().sum().backward();
  assertClose(x.grad!, [0, 0, 0]);
});

Deno.test("unary values: exact reference points", () => {
  const x = dt.tensor([-2, -0.5, 0, 0.5, 2], { dtype: "float64" });
  assertClose(x.sigmoid(), [
    0.11920292202211755,
    0.3775406687981454,
    0.5,
    0.6224593312018546,
    0.8807970779778823,
  ], { atol: 1e-15 });
  assertClose(x.erf(), [
    -0.9953222650189527,
    -0.5204998778130465,
    0,
    0.5204998778130465,
    0.9953222650189527,
  ], { atol: 1e-14 });
  assertClose(x.gelu(), [
    -0.04550026389635842,
    -0.15426876936299347,
    0,
    0.3457312306370065,
    1.9544997361036416,
  ], { atol: 1e-14 });
  assertClose(x.gelu("tanh"), [
    -0.04540230591222008,
    -0.15428599017844413,
    0,
    0.34571400982155587,
    1.9545976940877799,
  ], { atol: 1e-14 });
  assertClose(x.leakyRelu(), [-0.02, -0.005, 0, 0.5, 2], { atol: 0 });
  assertClose(x.sign(), [-1, -1, 0, 1, 1], { atol: 0 });
  assertClose(dt.tensor([0.5, 1.5, 2.5, -0.5, -2.5]).round(), [0, 2, 2, -0, -2], { atol: 0 });
  assertClose(dt.tensor([0, -1, 4]).sqrt(), [0, NaN, 2]);
  assertClose(dt.tensor([0, -1]).log(), [-Infinity, NaN]);
  assertClose(dt.tensor([0]).reciprocal(), [Infinity]);
});

Deno.test("maximum/minimum propagate NaN and split the gradient on ties", () => {
  assertClose(dt.tensor([1, NaN, 3]).maximum(dt.tensor([NaN, 2, 1])), [NaN, NaN, 3]);
  assertClose(dt.tensor([1, NaN, 3]).minimum(dt.tensor([0, 2, 1])), [0, NaN, 1]);
  const a = f64([1, 2, 3], [3]);
  const b = f64([1, 5, 0], [3]);
  a.maximum(b).sum().backward();
  assertClose(a.grad!, [0.5, 0, 1]);
  assertClose(b.grad!, [0.5, 1, 0]);
});

Deno.test("type promotion: dtypes of mixed operands follow PyTorch", () => {
  const i = dt.tensor([1, 2, 3], { dtype: "int32" });
  const f = dt.tensor([0.5, 0.5, 0.5]);
  const d = dt.tensor([1, 1, 1], { dtype: "float64" });
  const b = dt.tensor([true, false, true]);
  assert.equal(i.add(f).dtype, "float32");
  assert.equal(f.add(d).dtype, "float64");
  assert.equal(i.add(2).dtype, "int32");
  assert.equal(i.add(2.5).dtype, "float32");
  assertTensor(i.add(2.5), { shape: [3], data: [3.5, 4.5, 5.5], dtype: "float32" });
  assertTensor(i.div(2), { shape: [3], data: [0.5, 1, 1.5], dtype: "float32" });
  assertTensor(i.div(dt.tensor([2, 2, 2], { dtype: "int32" })), {
    shape: [3],
    data: [0.5, 1, 1.5],
    dtype: "float32",
  });
  assertTensor(b.add(b), { shape: [3], data: [1, 0, 1], dtype: "bool" });
  assertTensor(b.add(1), { shape: [3], data: [2, 1, 2], dtype: "int32" });
  assertTensor(i.mul(i), { shape: [3], data: [1, 4, 9], dtype: "int32" });
  assertTensor(i.pow(2), { shape: [3], data: [1, 4, 9], dtype: "int32" });
  assertTensor(i.sqrt(), { shape: [3], data: [1, Math.SQRT2, Math.sqrt(3)], dtype: "float32" });
  assertTensor(i.lt(f.add(1.6)), { shape: [3], data: [1, 1, 0], dtype: "bool" });
  assertTensor(b.logicalNot(), { shape: [3], data: [0, 1, 0], dtype: "bool" });
  assertTensor(b.logicalAnd(dt.tensor([true, true, false])), {
    shape: [3],
    data: [1, 0, 0],
  });
  assertTensor(b.logicalOr(dt.tensor([false, true, false])), { shape: [3], data: [1, 1, 1] });
  assertTensor(dt.tensor([1, 2, 3]).ne(2), { shape: [3], data: [1, 0, 1] });
  assertTensor(dt.tensor([1, 2, 3]).le(2), { shape: [3], data: [1, 1, 0] });
  assertTensor(dt.tensor([1, 2, 3]).gt(2), { shape: [3], data: [0, 0, 1] });
});

Deno.test("mixed float32/float64 operands: gradients come back in each input's dtype", () => {
  const a = dt.tensor([1, 2], { requiresGrad: true });
  const b = dt.tensor([3, 4], { dtype: "float64", requiresGrad: true });
  const y = a.mul(b);
  assert.equal(y.dtype, "float64");
  y.sum().backward();
  assert.equal(a.grad!.dtype, "float32");
  assert.equal(b.grad!.dtype, "float64");
  assertClose(a.grad!, [3, 4]);
  assertClose(b.grad!, [1, 2]);
});

Deno.test("composite expression: gradcheck through a chain sharing inputs", () => {
  checkOp("chain", {
    inputs: [[2, 3], { shape: [3], kind: "p" }],
    fn: (a, b) => a.mul(a).add(b.log()).tanh().mul(a.sigmoid()).div(b),
  });
});

Deno.test("relu passes NaN through and keeps -0, as PyTorch 1.13", () => {
  const y = dt.tensor([NaN, -0, 0, -1, 2]).relu().dataSync();
  assert.ok(Number.isNaN(y[0]));
  assert.ok(Object.is(y[1], -0), "relu(-0) is -0");
  assert.deepEqual([...y.slice(2)], [0, 0, 2]);
});

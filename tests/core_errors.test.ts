/** Misuse fails at the call, naming the op and the shapes, dtypes or devices involved. */
import assert from "node:assert/strict";
import * as dt from "../mod.ts";
import { Tensor } from "../mod.ts";
import type { Storage } from "../src/backend/backend.ts";
import { assertThrowsWith, f64 } from "./helpers.ts";

Deno.test("broadcasting mismatch names the op and both shapes", () => {
  const a = dt.zeros([2, 3]), b = dt.zeros([4]);
  assertThrowsWith(() => a.add(b), "add", "[2, 3]", "[4]", "broadcast");
  assertThrowsWith(() => a.mul(b), "mul", "[2, 3]", "[4]");
  assertThrowsWith(() => a.maximum(b), "maximum", "[2, 3]", "[4]");
  assertThrowsWith(() => dt.where(dt.tensor([true, false]), a, 0), "where", "[2]", "[2, 3]");
  assertThrowsWith(() => a.expand(3, 3), "expand", "[3, 3]", "[2, 3]");
});

Deno.test("matmul shape errors name the op and the operand shapes", () => {
  assertThrowsWith(() => dt.zeros([2, 3]).matmul(dt.zeros([4, 5])), "matmul", "[2, 3]", "[4, 5]");
  assertThrowsWith(() => dt.zeros([3]).matmul(dt.zeros([4])), "matmul", "3", "4");
  assertThrowsWith(
    () => dt.zeros([2, 2, 3]).matmul(dt.zeros([3, 3, 4])),
    "matmul",
    "[2, 2, 3]",
    "[3, 3, 4]",
  );
  assertThrowsWith(() => dt.zeros([]).matmul(dt.zeros([3])), "matmul", "[]");
  assertThrowsWith(() => dt.mm(dt.zeros([2, 3, 1]), dt.zeros([3, 1])), "mm", "[2, 3, 1]");
  assertThrowsWith(() => dt.bmm(dt.zeros([2, 2, 3]), dt.zeros([3, 3, 1])), "bmm", "[2, 2, 3]");
  assertThrowsWith(
    () => dt.zeros([2, 2]).matmul(dt.zeros([2, 2], { dtype: "float64" })),
    "matmul",
    "float32",
    "float64",
  );
});

Deno.test("backward errors: non-scalar without gradient, no grad, wrong gradient shape", () => {
  const x = f64([1, 2, 3, 4, 5, 6], [2, 3]);
  assertThrowsWith(() => x.mul(2).backward(), "backward", "[2, 3]", "scalar");
  assertThrowsWith(() => dt.zeros([1]).backward(), "backward", "does not require grad");
  assertThrowsWith(
    () => x.mul(2).backward(dt.zeros([3], { dtype: "float64" })),
    "backward",
    "[3]",
    "[2, 3]",
  );
  const y = x.exp().sum();
  y.backward();
  assertThrowsWith(() => y.backward(), "second time", "retainGraph");
});

Deno.test("requiresGrad on an integer tensor fails naming the dtype", () => {
  assertThrowsWith(() => dt.zeros([2], { dtype: "int32", requiresGrad: true }), "int32");
  assertThrowsWith(() => {
    dt.tensor([true]).requiresGrad = true;
  }, "bool");
});

Deno.test("ops mixing devices name both devices and shapes (simulated second device)", () => {
  // NOTE: a storage that claims to live on webgpu; backendOf must refuse before any kernel runs.
  const fake: Storage = { device: "webgpu", dtype: "float32", length: 3, version: 0, refs: 2 };
  const g = new Tensor(fake, [3], [1], 0);
  const c = dt.zeros([3]);
  assertThrowsWith(() => c.add(g), "add", "same device", "cpu", "webgpu", "[3]");
  assertThrowsWith(() => c.mul(g), "mul", "webgpu");
  assertThrowsWith(() => dt.cat([c, g]), "cat", "cpu", "webgpu");
  assertThrowsWith(() => dt.where(dt.tensor([true, true, false]), c, g), "where", "webgpu");
  assertThrowsWith(
    () => c.view(1, 3).matmul(new Tensor(fake, [3, 1], [1, 1], 0)),
    "matmul",
    "webgpu",
  );
});

Deno.test("out-of-range indices name the op, the bad index and the shapes", () => {
  const x = dt.zeros([3, 4]);
  const bad = dt.tensor([[0, 5]], { dtype: "int32" });
  assertThrowsWith(() => x.gather(1, bad), "gather", "index 5", "size 4", "[3, 4]", "[1, 2]");
  assertThrowsWith(
    () => x.indexSelect(0, dt.tensor([0, 3], { dtype: "int32" })),
    "indexSelect",
    "index 3",
    "[3, 4]",
  );
  assertThrowsWith(
    () => x.indexSelect(0, dt.tensor([-1], { dtype: "int32" })),
    "indexSelect",
    "-1",
  );
  assertThrowsWith(() => x.scatter(1, bad, 1), "scatter", "index 5", "[3, 4]");
  assertThrowsWith(() => x.scatterAdd(1, bad, dt.ones([1, 2])), "scatterAdd", "index 5");
  assertThrowsWith(() => x.gather(1, dt.tensor([[0.0]])), "gather", "int32", "float32");
  assertThrowsWith(
    () => x.gather(1, dt.tensor([0], { dtype: "int32" })),
    "gather",
    "[3, 4]",
    "[1]",
  );
  assertThrowsWith(() => x.select(0, 3), "select", "index 3", "size 3");
  assertThrowsWith(() => x.narrow(1, 2, 3), "narrow", "(2)", "(3)", "(4)");
});

Deno.test("out-of-range dims name the op and the tensor's dims", () => {
  const x = dt.zeros([2, 3]);
  assertThrowsWith(() => x.sum(2), "sum", "dim 2", "2 dims");
  assertThrowsWith(() => x.mean([0, -3]), "mean", "dim -3");
  assertThrowsWith(() => x.sum([0, 0]), "sum", "twice");
  assertThrowsWith(() => x.softmax(5), "softmax", "dim 5");
  assertThrowsWith(() => x.transpose(0, 2), "transpose", "dim 2");
  assertThrowsWith(() => x.permute(0, 0), "permute", "[0, 0]");
  assertThrowsWith(() => x.permute(0), "permute", "2 dims");
  assertThrowsWith(() => x.unsqueeze(4), "unsqueeze", "dim 4");
  assertThrowsWith(() => x.max(-3), "max", "dim -3");
  assertThrowsWith(() => x.size(2), "size", "dim 2");
  assertThrowsWith(() => dt.cat([x, x], 2), "cat", "dim 2");
  assertThrowsWith(() => x.flip(3), "flip", "dim 3");
});

Deno.test("shape errors: view/reshape, cat/stack, split, repeat", () => {
  const x = dt.zeros([2, 3]);
  assertThrowsWith(() => x.reshape(4, 2), "reshape", "[4, 2]", "6");
  assertThrowsWith(() => x.view(-1, -1), "view", "-1");
  assertThrowsWith(() => x.t().view(6), "view", "[6]", "[3, 2]");
  assertThrowsWith(() => dt.cat([x, dt.zeros([2, 4])]), "cat", "[2, 3]", "[2, 4]");
  assertThrowsWith(() => dt.cat([]), "cat", "non-empty");
  assertThrowsWith(() => dt.stack([x, dt.zeros([3, 2])]), "stack", "[2, 3]", "[3, 2]");
  assertThrowsWith(() => x.split([1, 3], 1), "split", "[1, 3]", "3");
  assertThrowsWith(() => x.repeat(2), "repeat", "2");
});

Deno.test("in-place misuse: leaf that requires grad, result dtype, disposed tensors", () => {
  const w = f64([1, 2], [2]);
  assertThrowsWith(() => w.mul_(2), "mul_", "leaf", "requires grad", "[2]");
  assertThrowsWith(() => w.div_(2), "div_", "leaf");
  assertThrowsWith(() => dt.zeros([2], { dtype: "int32" }).mul_(1.5), "mul_", "int32");
  const t = dt.zeros([2]);
  t.dispose();
  assertThrowsWith(() => t.exp(), "exp", "disposed", "[2]");
  assertThrowsWith(() => t.sum(), "disposed");
  assertThrowsWith(() => t.dataSync(), "dataSync", "disposed");
});

Deno.test("other argument errors", async () => {
  assertThrowsWith(() => dt.where(dt.zeros([2]), 1, 0), "where", "bool", "float32");
  assertThrowsWith(() => dt.zeros([2]).clamp(), "clamp", "min");
  assertThrowsWith(() => dt.zeros([2]).slice(0, 0, 2, 0), "slice", "step");
  assertThrowsWith(() => dt.zeros([2]).to("float16" as dt.DType), "to", "float16");
  assertThrowsWith(() => dt.zeros([2]).chunk(0), "chunk", "0");
  await assert.rejects(dt.zeros([2]).item(), /item: a Tensor with 2 elements/);
  assertThrowsWith(() => dt.tensor(["a" as unknown as number]), "tensor", "string");
  assertThrowsWith(() => dt.zeros([2]).softmax(0).to("webgpu"), "webgpu");
});

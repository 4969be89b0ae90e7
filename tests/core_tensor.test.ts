/** The Tensor API: metadata, reads, copies, casts, printing. */
import assert from "node:assert/strict";
import * as dt from "../mod.ts";
import { assertClose, assertTensor, assertThrowsWith } from "./helpers.ts";

Deno.test("metadata: shape, dtype, device, numel, ndim, strides, size(), dim()", () => {
  const x = dt.zeros([2, 3, 4]);
  assert.deepEqual(x.shape, [2, 3, 4]);
  assert.equal(x.dtype, "float32");
  assert.equal(x.device, "cpu");
  assert.equal(x.numel, 24);
  assert.equal(x.ndim, 3);
  assert.equal(x.dim(), 3);
  assert.deepEqual(x.strides, [12, 4, 1]);
  assert.equal(x.offset, 0);
  assert.deepEqual(x.size(), [2, 3, 4]);
  assert.equal(x.size(-1), 4);
  assert.equal(x.isContiguous(), true);
  assert.equal(x.transpose(0, 1).isContiguous(), false);
  const s = dt.tensor(3);
  assert.equal(s.ndim, 0);
  assert.equal(s.numel, 1);
  assert.deepEqual(s.strides, []);
  assert.equal(dt.getDefaultDevice(), "cpu");
});

Deno.test("toArray (contiguous copy of any view), item, tolist, dataSync", async () => {
  const x = dt.arange(6, undefined, 1, { dtype: "float64" }).reshape(2, 3);
  const t = x.t();
  const arr = await t.toArray();
  assert.ok(arr instanceof Float64Array);
  assert.deepEqual(Array.from(arr), [0, 3, 1, 4, 2, 5]);
  arr[0] = 99;
  assert.equal(x.dataSync()[0], 0, "toArray returns a copy");
  assert.deepEqual(Array.from(await x.slice(1, 1, null, 2).toArray()), [1, 4]);
  assert.deepEqual(await t.tolist(), [[0, 3], [1, 4], [2, 5]]);
  assert.deepEqual(await dt.tensor([true, false]).tolist(), [true, false]);
  assert.deepEqual(await dt.tensor([[1, 2]], { dtype: "int32" }).tolist(), [[1, 2]]);
  assert.ok((await dt.tensor([1], { dtype: "int32" }).toArray()) instanceof Int32Array);
  assert.ok((await dt.tensor([true]).toArray()) instanceof Uint8Array);
  assert.equal(await dt.tensor(2.5).item(), 2.5);
  assert.equal(await x.select(0, 1).select(0, 2).item(), 5);
  assert.equal(await dt.tensor([[7]]).item(), 7);
  await assert.rejects(x.item(), /item: a Tensor with 6 elements cannot be converted/);
  assert.deepEqual(await dt.tensor(4).tolist(), 4);
  assert.deepEqual(Array.from(t.dataSync()), [0, 3, 1, 4, 2, 5]);
});

Deno.test("clone and detach: clone copies, detach shares; to(dtype) casts", () => {
  const x = dt.tensor([1, 2, 3]);
  const c = x.clone();
  const d = x.detach();
  x.fill_(0);
  assertClose(c, [1, 2, 3]);
  assertClose(d, [0, 0, 0]);
  assert.equal(x.to("float32").storage, x.storage, "same dtype: no copy");
  assertTensor(dt.tensor([1.5, 2.5]).to("float64"), {
    shape: [2],
    data: [1.5, 2.5],
    dtype: "float64",
  });
  assert.equal(x.to("cpu").device, "cpu");
  assert.equal(x.cpu().storage, x.storage);
  const g = dt.tensor([1, 2], { dtype: "float64", requiresGrad: true });
  g.contiguous().mul(3).sum().backward();
  assertClose(g.grad!, [3, 3], { msg: "contiguous() of a leaf passes its gradient to the leaf" });
  g.grad = null;
  g.to("float64").mul(2).sum().backward();
  assertClose(g.grad!, [2, 2], { msg: "to(same dtype) of a leaf passes its gradient on" });
});

Deno.test("copy_ broadcasts and casts; fill_/zero_ write through views", () => {
  const x = dt.zeros([2, 3]);
  x.copy_(dt.tensor([1, 2, 3], { dtype: "int32" }));
  assertTensor(x, { shape: [2, 3], data: [1, 2, 3, 1, 2, 3], dtype: "float32" });
  x.select(1, 1).zero_();
  assertTensor(x, { shape: [2, 3], data: [1, 0, 3, 1, 0, 3] });
  x.t().select(0, 2).fill_(9);
  assertTensor(x, { shape: [2, 3], data: [1, 0, 9, 1, 0, 9] });
  const v0 = x.storage.version;
  x.add_(1).mul_(2).sub_(dt.tensor([1, 1, 1])).div_(2);
  assertTensor(x, { shape: [2, 3], data: [1.5, 0.5, 9.5, 1.5, 0.5, 9.5] });
  assert.equal(x.storage.version, v0 + 4);
  x.clamp_(1, 2);
  assertTensor(x, { shape: [2, 3], data: [1.5, 1, 2, 1.5, 1, 2] });
  assertThrowsWith(() => x.add_(dt.zeros([4])), "add", "[2, 3]", "[4]");
  assertThrowsWith(
    () => dt.zeros([3], { dtype: "int32" }).add_(0.5),
    "add_",
    "float32",
    "int32",
  );
});

Deno.test("console.log / Deno.inspect print a tensor as toString()", () => {
  const t = dt.tensor([[1, 2.5], [3, -4]]);
  assert.equal(Deno.inspect(t), t.toString());
  assert.equal(Deno.inspect([dt.tensor([1, 2], { dtype: "int32" })]), "[ tensor([1, 2]) ]");
});

Deno.test("toString prints like PyTorch", () => {
  assert.equal(dt.tensor([1, 2, 3]).toString(), "tensor([1., 2., 3.])");
  assert.equal(
    dt.tensor([[1, 2.5], [3, -4]]).toString(),
    "tensor([[ 1.0000,  2.5000],\n        [ 3.0000, -4.0000]])",
  );
  assert.equal(dt.tensor([1, 2], { dtype: "int32" }).toString(), "tensor([1, 2])");
  assert.equal(dt.tensor([true, false]).toString(), "tensor([ True, False])");
  assert.equal(
    dt.tensor([0.5], { dtype: "float64" }).toString(),
    "tensor([0.5000], dtype=float64)",
  );
  assert.equal(dt.tensor(3.25).toString(), "tensor(3.2500)");
  assert.equal(dt.tensor([1e-5, 1]).toString(), "tensor([1.0000e-05, 1.0000e+00])");
  const g = dt.tensor([1, 2], { requiresGrad: true });
  assert.equal(g.toString(), "tensor([1., 2.], requires_grad=True)");
  assert.equal(g.mul(2).toString(), "tensor([2., 4.], grad_fn=<MulBackward>)");
  const t = dt.tensor([1]);
  t.dispose();
  assert.match(t.toString(), /disposed/);
});

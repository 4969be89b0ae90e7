/** matmul (1-D, 2-D, batched with broadcasting), mm, bmm: gradcheck, values, storage rules. */
import assert from "node:assert/strict";
import * as dt from "../mod.ts";
import { assertTensor, gradcheckShapes } from "./helpers.ts";

const SHAPES: [number[], number[], number[]][] = [
  [[3], [3], []],
  [[3], [3, 2], [2]],
  [[2, 3], [3], [2]],
  [[2, 3], [3, 4], [2, 4]],
  [[2, 2, 3], [3, 4], [2, 2, 4]],
  [[3, 4], [2, 4, 2], [2, 3, 2]],
  [[2, 1, 2, 3], [3, 3, 2], [2, 3, 2, 2]],
  [[3], [2, 3, 4], [2, 4]],
  [[2, 3, 4], [4], [2, 3]],
  [[1, 2, 3], [2, 3, 1], [2, 2, 1]],
];

Deno.test("gradcheck matmul: 1-D, 2-D, batched, broadcast batch dims", () => {
  for (const [sa, sb, so] of SHAPES) {
    assert.deepEqual(dt.zeros(sa).matmul(dt.zeros(sb)).shape, so, `${sa} @ ${sb} shape`);
    gradcheckShapes(`matmul ${sa} @ ${sb}`, (a, b) => a.matmul(b), [sa, sb]);
  }
});

Deno.test("gradcheck matmul: transposed, stepped and expanded operands", () => {
  gradcheckShapes("a.T @ b.T", (a, b) => a.t().matmul(b.t()), [[3, 2], [4, 3]]);
  gradcheckShapes("stepped", (a, b) => a.slice(1, 0, null, 2).matmul(b), [[2, 5], [3, 2]]);
  gradcheckShapes("expanded batch", (a, b) => a.expand(3, 2, 4).matmul(b), [[2, 4], [3, 4, 2]]);
  gradcheckShapes("permuted batch", (a, b) => a.permute(1, 0, 2).matmul(b), [[2, 3, 4], [
    4,
    2,
  ]]);
  gradcheckShapes("same tensor twice", (a) => a.matmul(a.t()), [[3, 2]]);
});

Deno.test("gradcheck mm and bmm", () => {
  gradcheckShapes("mm", (a, b) => dt.mm(a, b), [[2, 3], [3, 4]]);
  gradcheckShapes("mm transposed", (a, b) => a.mm(b.t()), [[2, 3], [4, 3]]);
  gradcheckShapes("bmm", (a, b) => dt.bmm(a, b), [[2, 2, 3], [2, 3, 4]]);
  gradcheckShapes("bmm transposed", (a, b) => a.transpose(1, 2).bmm(b), [[2, 3, 2], [2, 3, 1]]);
});

Deno.test("matmul values", () => {
  const a = dt.tensor([[1, 2], [3, 4], [5, 6]]);
  const b = dt.tensor([[1, 0, -1], [2, 1, 0]]);
  assertTensor(a.matmul(b), { shape: [3, 3], data: [5, 2, -1, 11, 4, -3, 17, 6, -5] });
  assertTensor(dt.tensor([1, 2, 3]).matmul(dt.tensor([4, 5, 6])), { shape: [], data: [32] });
  assertTensor(dt.tensor([1, 2]).matmul(a.t()), { shape: [3], data: [5, 11, 17] });
  const batch = dt.stack([a, a.mul(2)]);
  assertTensor(batch.matmul(dt.tensor([1, -1])), { shape: [2, 3], data: [-1, -1, -1, -2, -2, -2] });
  assertTensor(dt.bmm(batch, dt.stack([b, b])).select(0, 1), {
    shape: [3, 3],
    data: [10, 4, -2, 22, 8, -6, 34, 12, -10],
  });
  assertTensor(dt.zeros([2, 0]).matmul(dt.zeros([0, 3])), {
    shape: [2, 3],
    data: [0, 0, 0, 0, 0, 0],
  });
  assertTensor(
    dt.tensor([[1, 2]], { dtype: "int32" }).matmul(dt.tensor([[3], [4]], { dtype: "int32" })),
    { shape: [1, 1], data: [11], dtype: "int32" },
  );
});

Deno.test("matmul propagates NaN and inf like IEEE arithmetic (0 * inf = NaN)", () => {
  const a = dt.tensor([[0, 1]]);
  const b = dt.tensor([[Infinity], [2]]);
  const r = a.matmul(b).dataSync();
  assert.ok(Number.isNaN(r[0]), `0 * inf + 1 * 2 should be NaN, got ${r[0]}`);
  const c = dt.tensor([[0, 1]]).matmul(dt.tensor([[NaN], [1]])).dataSync();
  assert.ok(Number.isNaN(c[0]), `0 * NaN should be NaN, got ${c[0]}`);
});

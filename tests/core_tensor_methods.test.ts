/** Tensor methods forward to the functional ops with the same arguments. */
import assert from "node:assert/strict";
import * as dt from "../mod.ts";
import type { Tensor } from "../mod.ts";

const same = (a: Tensor | Tensor[], b: Tensor | Tensor[], what: string) => {
  const as = Array.isArray(a) ? a : [a], bs = Array.isArray(b) ? b : [b];
  assert.equal(as.length, bs.length, what);
  as.forEach((t, i) => {
    assert.deepEqual(t.shape, bs[i].shape, what);
    assert.deepEqual([...t.dataSync()].map(String), [...bs[i].dataSync()].map(String), what);
  });
};

Deno.test("scan, linear algebra and shape methods equal their functions", () => {
  dt.manualSeed(0);
  const m = dt.randn([3, 3]), v = dt.randn([3]), w = dt.randn([3]);
  const b1 = dt.randn([2, 3, 4]), b2 = dt.randn([2, 4, 3]);
  const cases: [string, Tensor | Tensor[], Tensor | Tensor[]][] = [
    ["cumsum", m.cumsum(1), dt.cumsum(m, 1)],
    ["cumprod", m.cumprod(0), dt.cumprod(m, 0)],
    ["cummax", [...m.cummax(1)], [...dt.cummax(m, 1)]],
    ["cummin", [...m.cummin(0)], [...dt.cummin(m, 0)]],
    ["logcumsumexp", m.logcumsumexp(1), dt.logcumsumexp(m, 1)],
    ["dot", v.dot(w), dt.dot(v, w)],
    ["vdot", v.vdot(w), dt.vdot(v, w)],
    ["mv", m.mv(v), dt.mv(m, v)],
    ["outer", v.outer(w), dt.outer(v, w)],
    ["ger", v.ger(w), dt.ger(v, w)],
    ["kron", m.kron(m), dt.kron(m, m)],
    ["trace", m.trace(), dt.trace(m)],
    ["addmm", m.addmm(m, m, { alpha: 2 }), dt.addmm(m, m, m, { alpha: 2 })],
    ["addmv", v.addmv(m, w), dt.addmv(v, m, w)],
    ["addr", m.addr(v, w), dt.addr(m, v, w)],
    ["addbmm", m.addbmm(b1, b2), dt.addbmm(m, b1, b2)],
    ["baddbmm", m.baddbmm(b1, b2), dt.baddbmm(m, b1, b2)],
    ["tril", m.tril(-1), dt.tril(m, -1)],
    ["triu", m.triu(1), dt.triu(m, 1)],
    ["diag", v.diag(1), dt.diag(v, 1)],
    ["diagonal", b1.diagonal(0, 1, 2), dt.diagonal(b1, 0, 1, 2)],
    ["diagEmbed", m.diagEmbed(), dt.diagEmbed(m)],
    ["cross", m.cross(m.flip(0), 1), dt.cross(m, m.flip(0), 1)],
    ["roll", m.roll(1, 0), dt.roll(m, 1, 0)],
    ["tile", v.tile(2, 1), dt.tile(v, [2, 1])],
    ["repeatInterleave", v.repeatInterleave(2), dt.repeatInterleave(v, 2)],
    ["rot90", m.rot90(), dt.rot90(m)],
    ["flipud", m.flipud(), dt.flipud(m)],
    ["fliplr", m.fliplr(), dt.fliplr(m)],
    ["movedim", b1.movedim(0, 2), dt.movedim(b1, 0, 2)],
    ["moveaxis", b1.moveaxis(0, 2), dt.movedim(b1, 0, 2)],
    ["swapaxes", b1.swapaxes(0, 2), dt.swapaxes(b1, 0, 2)],
    ["swapdims", b1.swapdims(0, 2), dt.swapaxes(b1, 0, 2)],
    [
      "take",
      m.take(dt.tensor([0, 4, 8], { dtype: "int32" })),
      dt.take(m, dt.tensor([0, 4, 8], { dtype: "int32" })),
    ],
    ["countNonzero", m.gt(0).countNonzero(), dt.countNonzero(m.gt(0))],
    ["nonzero", m.gt(0).nonzero(), dt.nonzero(m.gt(0))],
    ["nonzero asTuple", m.gt(0).nonzero({ asTuple: true }), dt.nonzero(m.gt(0), { asTuple: true })],
    ["argwhere", m.gt(0).argwhere(), dt.argwhere(m.gt(0))],
    ["tensorSplit", b1.tensorSplit(2, 2), dt.tensorSplit(b1, 2, 2)],
    ["broadcastTo", v.broadcastTo(2, 3), dt.broadcastTo(v, [2, 3])],
    ["diff", m.diff(), dt.diff(m)],
  ];
  for (const [name, a, b] of cases) same(a, b, name);
});

Deno.test("max/min with a tensor argument are elementwise, as x.max(other) in PyTorch", () => {
  const a = dt.tensor([1, NaN, 3]), b = dt.tensor([2, 0, -1]);
  assert.deepEqual([...a.max(b).dataSync()].map(String), ["2", "NaN", "3"]);
  assert.deepEqual([...a.min(b).dataSync()].map(String), ["1", "NaN", "-1"]);
});

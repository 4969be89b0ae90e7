/**
 * Linear-algebra ops (products, einsum, tensordot, kron, diagonals, triangles, cross,
 * distances) against PyTorch 1.13 fixtures with float64 gradchecks, plus the diagonal view's
 * aliasing, clear errors (bad einsum strings, mismatched dims) and webgpu-vs-cpu parity.
 */
import assert from "node:assert/strict";
import * as dt from "../mod.ts";
import type { Tensor } from "../mod.ts";
import { fixtureTests, num, type P } from "./extra_ops_fixtures.ts";
import { assertClose, assertThrowsWith, gradcheckShapes } from "./helpers.ts";
import { f, hasGpu, parity } from "./webgpu_helpers.ts";

const ab = (p: P) => ({ alpha: p.alpha as number | undefined, beta: p.beta as number | undefined });
type Dims = number | [number | number[], number | number[]];

fixtureTests("linalg", {
  dot: ([a, b]) => dt.dot(a, b),
  vdot: ([a, b]) => dt.vdot(a, b),
  mv: ([a, b]) => dt.mv(a, b),
  outer: ([a, b]) => dt.outer(a, b),
  ger: ([a, b]) => dt.ger(a, b),
  addmm: ([i, a, b], p) => dt.addmm(i, a, b, ab(p)),
  addmv: ([i, a, b], p) => dt.addmv(i, a, b, ab(p)),
  addr: ([i, a, b], p) => dt.addr(i, a, b, ab(p)),
  addbmm: ([i, a, b], p) => dt.addbmm(i, a, b, ab(p)),
  baddbmm: ([i, a, b], p) => dt.baddbmm(i, a, b, ab(p)),
  multiDot: (xs) => dt.multiDot(xs),
  chainMatmul: (xs) => dt.chainMatmul(...xs),
  einsum: (xs, p) => dt.einsum(p.eq as string, ...xs),
  tensordot: ([a, b], p) => dt.tensordot(a, b, p.dims as Dims),
  kron: ([a, b]) => dt.kron(a, b),
  trace: ([a]) => dt.trace(a),
  tril: ([a], p) => dt.tril(a, p.k as number),
  triu: ([a], p) => dt.triu(a, p.k as number),
  diag: ([a], p) => dt.diag(a, p.k as number),
  diagonal: ([a], p) =>
    dt.diagonal(a, p.offset as number | undefined, p.d1 as number | undefined, p.d2 as number),
  diagEmbed: ([a], p) =>
    dt.diagEmbed(a, p.offset as number | undefined, p.d1 as number | undefined, p.d2 as number),
  cross: ([a, b], p) => dt.cross(a, b, p.dim as number | undefined),
  cdist: ([a, b], p) => dt.cdist(a, b, num(p.p)),
  normalize: ([a], p) => dt.normalize(a, { p: p.p as number, dim: p.dim as number }),
  cosineSimilarity: ([a, b], p) => dt.cosineSimilarity(a, b, { dim: p.dim as number }),
  pairwiseDistance: ([a, b], p) =>
    dt.pairwiseDistance(a, b, { p: p.p as number, keepdim: p.keepdim as boolean }),
});

Deno.test("einsum: gradcheck of batch, trace, ellipsis and three-operand contractions", () => {
  const cases: [string, number[][]][] = [
    ["bij,bjk->bik", [[2, 3, 4], [2, 4, 2]]],
    ["ii", [[3, 3]]],
    ["...ij,...jk", [[2, 1, 2, 3], [3, 3, 2]]],
    ["bn,anm,bm->ba", [[2, 3], [2, 3, 4], [2, 4]]],
    ["iij->ji", [[3, 3, 2]]],
    ["ij,kj->ikj", [[2, 3], [1, 3]]],
  ];
  for (const [eq, shapes] of cases) {
    gradcheckShapes(`einsum ${eq}`, (...xs: Tensor[]) => dt.einsum(eq, xs), shapes);
  }
});

Deno.test("einsum: operands as an array, whitespace, and its errors name the problem", () => {
  const a = dt.randn([2, 3]), b = dt.randn([3, 4]);
  assertClose(dt.einsum(" ij , jk -> ik ", [a, b]), dt.matmul(a, b), { atol: 1e-6 });
  assertThrowsWith(() => dt.einsum("ij,jk->ik", a), "einsum", "2 input terms", "1 operand");
  assertThrowsWith(() => dt.einsum("ij,jk->ik", a, a), "einsum", "subscript j", "size 2", "size 3");
  assertThrowsWith(() => dt.einsum("ijk->i", a), "einsum", "3 subscripts", "[2, 3]");
  assertThrowsWith(() => dt.einsum("i1->i", a), "einsum", 'invalid subscript "1"');
  assertThrowsWith(() => dt.einsum("ij->k", a), "einsum", "output subscript k");
  assertThrowsWith(() => dt.einsum("ij->ii", a), "einsum", "more than once");
  assertThrowsWith(() => dt.einsum("ij->i->j", a), "einsum", '"->"');
  assertThrowsWith(() => dt.einsum("i.j", a), "einsum", "ellipsis");
  assertThrowsWith(() => dt.einsum("ii", a), "einsum", "repeated", "2", "3");
});

Deno.test("diagonal is a view: writes reach the input; tril/triu/diag keep dtypes", () => {
  const x = dt.zeros([3, 3]);
  dt.diagonal(x).fill_(1);
  assertClose(x, dt.eye(3));
  const d = dt.diagonal(x, 1);
  assert.equal(d.base === x || d.base === x.base, true);
  assert.equal(dt.tril(dt.ones([2, 2], { dtype: "bool" })).dtype, "bool");
  assert.deepEqual(
    Array.from(dt.triu(dt.tensor([[1, 2], [3, 4]], { dtype: "int32" })).dataSync()),
    [1, 2, 0, 4],
  );
  assert.deepEqual(dt.diagonal(dt.zeros([2, 3]), 5).shape, [0]);
});

Deno.test("linalg: errors name the op and the shapes", () => {
  const m = dt.randn([2, 3]);
  assertThrowsWith(() => dt.dot(dt.randn([3]), dt.randn([4])), "dot", "[3]", "[4]");
  assertThrowsWith(() => dt.dot(m, dt.randn([3])), "dot", "1-D", "[2, 3]");
  assertThrowsWith(() => dt.mv(m, dt.randn([2])), "mv", "[2, 3]", "[2]");
  assertThrowsWith(
    () => dt.addmm(dt.randn([3, 3]), m, dt.randn([3, 4])),
    "addmm",
    "[3, 3]",
    "[2, 4]",
  );
  assertThrowsWith(
    () => dt.baddbmm(dt.randn([2, 2]), dt.randn([2, 2, 3]), dt.randn([3, 3, 2])),
    "baddbmm",
  );
  assertThrowsWith(() => dt.multiDot([m, dt.randn([2, 2])]), "multiDot", "0 and 1");
  assertThrowsWith(
    () => dt.tensordot(m, dt.randn([2, 4]), [[1], [1]]),
    "tensordot",
    "size 3",
    "size 4",
  );
  assertThrowsWith(() => dt.tensordot(m, m, [[0], [1]]), "tensordot", "contracted");
  assertThrowsWith(() => dt.cross(dt.randn([2, 4]), dt.randn([2, 4])), "cross", "size 3");
  assertThrowsWith(() => dt.cdist(dt.randn([2, 3]), dt.randn([2, 4])), "cdist", "[2, 3]", "[2, 4]");
  assertThrowsWith(() => dt.trace(dt.randn([3])), "trace", "2-D");
  assertThrowsWith(() => dt.tril(dt.randn([3])), "tril", "at least 2 dims");
  assertThrowsWith(() => dt.diagonal(m, 0, 1, 1), "diagonal", "identical");
  assertThrowsWith(() => dt.diag(dt.randn([2, 2, 2])), "diag", "1-D or 2-D");
});

Deno.test("cdist/normalize: the gradient at zero distance / zero norm is finite", () => {
  const x = dt.tensor([[1, 2], [3, 4]], { dtype: "float64", requiresGrad: true });
  dt.cdist(x, x.detach()).sum().backward();
  assert.ok(Array.from(x.grad!.dataSync()).every(Number.isFinite));
  const z = dt.zeros([2, 3], { dtype: "float64", requiresGrad: true });
  dt.normalize(z).sum().backward();
  assert.ok(Array.from(z.grad!.dataSync()).every(Number.isFinite));
});

Deno.test({
  name: "linalg: webgpu matches cpu (einsum, products, diagonals, distances; strided inputs)",
  ignore: !hasGpu,
  fn: async () => {
    await parity(
      "einsum bij,bjk->bik",
      [f([2, 3, 4], 1), f([2, 4, 5], 2)],
      (a, b) => dt.einsum("bij,bjk->bik", a, b),
    );
    await parity(
      "einsum ...ij,...jk on a transposed view",
      [f([3, 4], 3), f([2, 4, 5], 4)],
      (a, b) => dt.einsum("...ij,...jk", a.t().t(), b),
    );
    await parity(
      "einsum ii->i / ii",
      [f([4, 4], 5)],
      (a) => [dt.einsum("ii->i", a), dt.einsum("ii", a)],
    );
    await parity(
      "einsum bn,anm,bm->ba",
      [f([2, 3], 6), f([4, 3, 5], 7), f([2, 5], 8)],
      (a, b, c) => dt.einsum("bn,anm,bm->ba", a, b, c),
    );
    await parity(
      "addmm/baddbmm",
      [f([4], 9), f([3, 2], 10), f([2, 4], 11), f([2, 3, 4], 12)],
      (i, a, b, c) => [
        dt.addmm(i, a, b, { beta: 0.5, alpha: 2 }),
        dt.baddbmm(c, dt.stack([a, a]), dt.stack([b, b])),
      ],
    );
    await parity("tril/triu/diagEmbed/diag on views", [f([5, 4], 13)], (x) => [
      dt.tril(x.t(), 1),
      dt.triu(x, -1),
      dt.diagEmbed(x.slice(0, 0, 5, 2), 1),
      dt.diag(x.t(), -1),
      dt.trace(x),
    ]);
    await parity("kron/outer/cross", [f([2, 3], 14), f([3, 3], 15)], (a, b) => [
      dt.kron(a, b),
      dt.outer(a.flatten(), b.select(0, 1)),
      dt.cross(b, b.flip(0), 1),
    ]);
    await parity("cdist/normalize/cosine/pairwise", [f([3, 4], 16), f([5, 4], 17)], (a, b) => [
      dt.cdist(a, b),
      dt.cdist(a, b, 1),
      dt.normalize(a),
      dt.cosineSimilarity(a, b.slice(0, 0, 3), { dim: 1 }),
      dt.pairwiseDistance(a, b.slice(0, 1, 4)),
    ]);
    await parity(
      "tensordot/multiDot",
      [f([3, 4, 5], 18), f([4, 5, 2], 19), f([5, 6], 20)],
      (a, b, c) => [
        dt.tensordot(a, b, 2),
        dt.multiDot([a.select(2, 0), b.select(2, 1), c]),
      ],
    );
  },
});

/**
 * `linalg` on the CPU against PyTorch 1.13 (tests/fixtures/core/linalg_decomp.json, written by
 * tools/gen_linalg_fixtures.py): float64 values, gradients of a weighted sum of the outputs and
 * finite-difference gradchecks, float32 values; then properties no fixture pins down
 * (reconstruction and orthogonality of batched and empty inputs, the sign convention), the
 * torch.* forms and Tensor methods, and PyTorch's errors.
 */
import assert from "node:assert/strict";
import * as dt from "../mod.ts";
import type { Tensor } from "../mod.ts";
import fixture from "./fixtures/core/linalg_decomp.json" with { type: "json" };
import {
  applyPre,
  assertClose,
  assertTensor,
  assertThrowsWith,
  checkOp,
  sample,
} from "./helpers.ts";

const { linalg } = dt;
type P = Record<string, unknown>;
type Raw = number | string;

interface Case {
  id: string;
  op: string;
  params: P;
  inputs: { shape: number[]; data: number[] }[];
  pre: unknown[][][];
  outputs: { shape: number[]; dtype: dt.DType; data: Raw[] }[];
  grads?: ({ shape: number[]; dtype: dt.DType; data: Raw[] } | null)[];
  gradcheck: boolean;
}

/** JSON has no NaN or infinities: the generator writes them as strings. */
const num = (v: unknown): number =>
  v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : v as number;
const decode = (e: { shape: number[]; dtype: dt.DType; data: Raw[] }) => ({
  ...e,
  data: e.data.map(num),
});

const eyeOf = (x: Tensor) => dt.eye(x.shape[x.ndim - 1], undefined, { dtype: x.dtype });
const sym = (x: Tensor) => x.add(x.transpose(-2, -1));
const spd = (x: Tensor) => x.matmul(x.transpose(-2, -1)).add(eyeOf(x).mul(x.shape[x.ndim - 1]));
const tri = (x: Tensor, upper: boolean) => (upper ? x.triu() : x.tril()).add(eyeOf(x).mul(3));
const sq = (m: Tensor) => m.mul(m);
function svdView(u: Tensor, s: Tensor, vh: Tensor): Tensor[] {
  const k = s.shape[s.ndim - 1];
  const uk = u.narrow(-1, 0, k), vk = vh.narrow(-2, 0, k);
  const c = dt.arange(1, k + 1, 1, { dtype: s.dtype });
  return [s, sq(uk), sq(vk), uk.mul(c).matmul(vk)];
}

type OpFn = (xs: Tensor[], p: P) => Tensor | Tensor[];
const OPS: Record<string, OpFn> = {
  inv: ([a]) => linalg.inv(a),
  invEx: ([a]) => linalg.invEx(a).inverse,
  inverse: ([a]) => dt.inverse(a),
  solve: ([a, b], p) => linalg.solve(a, b, { left: p.left as boolean | undefined }),
  det: ([a]) => linalg.det(a),
  slogdet: ([a]) => [...linalg.slogdet(a)],
  logdet: ([a]) => dt.logdet(a),
  logdetSpd: ([x]) => dt.logdet(spd(x)),
  matrixPower: ([a], p) => linalg.matrixPower(a, p.n as number),
  solveTriangular: ([a, b], p) =>
    linalg.solveTriangular(a.add(eyeOf(a).mul(3)), b, {
      upper: p.upper as boolean,
      left: p.left as boolean | undefined,
      unitriangular: p.unit as boolean | undefined,
    }),
  cholesky: ([x], p) => linalg.cholesky(spd(x), { upper: p.upper as boolean | undefined }),
  choleskyEx: ([x]) => linalg.choleskyEx(spd(x)).L,
  torchCholesky: ([x], p) => dt.cholesky(spd(x), p.upper as boolean | undefined),
  choleskySolve: ([b, x], p) => dt.choleskySolve(b, tri(x, p.upper as boolean), p.upper as boolean),
  choleskyInverse: ([x], p) => dt.choleskyInverse(tri(x, p.upper as boolean), p.upper as boolean),
  qr: ([a], p) => {
    const r = linalg.qr(a, { mode: p.mode as dt.linalg.QRMode });
    return p.mode === "r" ? r.R : [r.Q, r.R];
  },
  torchQr: ([a], p) => [...dt.qr(a, p.some as boolean)],
  eigh: ([x], p) => {
    const r = linalg.eigh(sym(x), { UPLO: p.UPLO as dt.linalg.UPLO | undefined });
    return [r.eigenvalues, sq(r.eigenvectors)];
  },
  eighTriangle: ([x], p) => {
    const r = linalg.eigh(x, { UPLO: p.UPLO as dt.linalg.UPLO });
    return [r.eigenvalues, sq(r.eigenvectors)];
  },
  eigvalsh: ([x], p) => linalg.eigvalsh(sym(x), { UPLO: p.UPLO as dt.linalg.UPLO | undefined }),
  svd: ([a], p) => {
    const { U, S, Vh } = linalg.svd(a, { fullMatrices: p.full as boolean });
    return svdView(U, S, Vh);
  },
  torchSvd: ([a], p) => {
    const [u, s, v] = dt.svd(a, p.some as boolean);
    const k = s.shape[s.ndim - 1];
    return [s, sq(u.narrow(-1, 0, k)), sq(v.narrow(-1, 0, k))];
  },
  svdvals: ([a]) => linalg.svdvals(a),
  pinv: ([a]) => linalg.pinv(a),
  pinvHermitian: ([x]) => linalg.pinv(sym(x), { hermitian: true }),
  pinverse: ([a]) => dt.pinverse(a),
  lstsq: ([a, b]) => linalg.lstsq(a, b).solution,
  matrixRank: ([a], p) => linalg.matrixRank(a, { hermitian: p.hermitian as boolean | undefined }),
  vectorNorm: ([x], p) =>
    linalg.vectorNorm(x, {
      ord: num(p.ord ?? 2),
      dim: p.dim as number | number[] | undefined,
      keepdim: p.keepdim as boolean | undefined,
    }),
  matrixNorm: ([a], p) =>
    linalg.matrixNorm(a, {
      ord: typeof p.ord === "string" && !p.ord.endsWith("inf") ? p.ord as "fro" : num(p.ord),
      dim: p.dim as [number, number] | undefined,
      keepdim: p.keepdim as boolean | undefined,
    }),
  norm: ([a], p) =>
    linalg.norm(a, {
      ord: p.ord === undefined ? null : p.ord === "nuc" || p.ord === "fro" ? p.ord : num(p.ord),
      dim: p.dim as number | number[] | undefined,
      keepdim: p.keepdim as boolean | undefined,
    }),
  cond: ([a], p) =>
    linalg.cond(a, p.p === undefined ? null : p.p === "nuc" || p.p === "fro" ? p.p : num(p.p)),
  vecdot: ([x, y]) => linalg.vecdot(x, y),
  cross: ([x, y]) => linalg.cross(x, y),
  diagonal: ([a], p) => linalg.diagonal(a, { offset: p.offset as number }),
};

const cases = (fixture as unknown as { cases: Case[] }).cases;
const run = (c: Case, xs: Tensor[]): Tensor[] => {
  const r = OPS[c.op](xs.map((x, i) => applyPre(x, c.pre[i])), c.params);
  return Array.isArray(r) ? r : [r];
};

Deno.test("linalg fixtures cover every op key and were made by PyTorch 1.13", () => {
  assert.match((fixture as { torch: string }).torch, /^1\.13/);
  assert.deepEqual([...new Set(cases.map((c) => c.op))].sort(), Object.keys(OPS).sort());
});

const byOp = new Map<string, Case[]>();
for (const c of cases) byOp.set(c.op, [...(byOp.get(c.op) ?? []), c]);
for (const [op, list] of byOp) {
  Deno.test(`linalg fixtures: ${op} (${list.length} cases) float64 values, grads, gradcheck`, () => {
    for (const c of list) {
      const differentiable = Boolean(c.grads) || c.gradcheck;
      dt.scope(() =>
        checkOp(c.id, {
          inputs: c.inputs.map((inp) => ({
            shape: inp.shape,
            data: inp.data.map(Number),
            grad: differentiable,
          })),
          fn: (...xs) => run(c, xs),
          expected: c.outputs.map(decode),
          grads: c.grads?.map((g) => (g ? decode(g) : null)),
          gradcheck: c.gradcheck,
          atol: 1e-9,
          rtol: 1e-7,
        })
      );
    }
  });
  Deno.test(`linalg fixtures: ${op} float32 forward`, () => {
    for (const c of list) {
      dt.scope(() => {
        const xs = c.inputs.map((inp) =>
          dt.tensor(inp.data, { shape: inp.shape, dtype: "float32" })
        );
        run(c, xs).forEach((o, i) => {
          const e = decode(c.outputs[i]);
          assertTensor(o, { ...e, dtype: e.dtype === "float64" ? "float32" : e.dtype }, {
            atol: 2e-4,
            rtol: 2e-4,
            msg: `${c.id} (float32)`,
          });
        });
      });
    }
  });
}

/** A float64 tensor of sampled values. */
function f64(shape: number[], seed = 1): Tensor {
  return dt.tensor(sample(shape, "n", seed), { shape, dtype: "float64" });
}

/** max |a − b| over all elements, read synchronously (CPU tensors). */
function maxDiff(a: Tensor, b: Tensor): number {
  const x = a.dataSync(), y = b.dataSync();
  assert.equal(x.length, y.length);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}

/** ‖Qᵀ Q − I‖∞ for the columns of Q [..., m, k]. */
function orthError(q: Tensor): number {
  const k = q.shape[q.ndim - 1];
  const g = q.transpose(-2, -1).matmul(q);
  return maxDiff(g, dt.eye(k, k, { dtype: q.dtype }).expand(g.shape).contiguous());
}

Deno.test("linalg: decompositions reconstruct batched, transposed and odd-sized inputs", () => {
  for (const shape of [[3, 7, 5], [2, 2, 5, 7], [1, 9, 9], [4, 1, 6]]) {
    dt.scope(() => {
      const a = f64(shape, shape.length * 7 + shape[shape.length - 1]);
      for (const x of [a, a.transpose(-2, -1)]) {
        const [m, n] = x.shape.slice(-2), k = Math.min(m, n);
        const [q, r] = linalg.qr(x);
        assert.ok(maxDiff(q.matmul(r), x.contiguous()) < 1e-12, `qr ${x.shape}`);
        assert.ok(orthError(q) < 1e-12);
        assert.ok(maxDiff(r, r.triu()) === 0);
        const [qc] = linalg.qr(x, { mode: "complete" });
        assert.deepEqual(qc.shape.slice(-2), [m, m]);
        assert.ok(orthError(qc) < 1e-12);
        const [u, s, vh] = linalg.svd(x);
        assert.deepEqual([u.shape.slice(-2), s.shape.slice(-1), vh.shape.slice(-2)], [
          [m, m],
          [k],
          [n, n],
        ]);
        assert.ok(orthError(u) < 1e-12 && orthError(vh.transpose(-2, -1)) < 1e-12);
        const us = u.narrow(-1, 0, k).mul(s.unsqueeze(-2));
        assert.ok(maxDiff(us.matmul(vh.narrow(-2, 0, k)), x.contiguous()) < 1e-12, `svd ${m}x${n}`);
        const sv = s.dataSync();
        for (let i = 1; i < sv.length; i++) {
          if (i % k) assert.ok(sv[i - 1] >= sv[i], "singular values descend");
        }
      }
      if (shape[shape.length - 1] === shape[shape.length - 2]) {
        const sy = sym(a);
        const { eigenvalues: w, eigenvectors: v } = linalg.eigh(sy);
        assert.ok(orthError(v) < 1e-12);
        assert.ok(maxDiff(v.mul(w.unsqueeze(-2)).matmul(v.transpose(-2, -1)), sy) < 1e-12);
        const l = linalg.cholesky(spd(a));
        assert.ok(maxDiff(l.matmul(l.transpose(-2, -1)), spd(a)) < 1e-10);
        assert.ok(maxDiff(linalg.inv(a).matmul(a), eyeOf(a).expand(a.shape).contiguous()) < 1e-10);
      }
    });
  }
});

Deno.test("linalg: eigenvectors and singular vectors have their largest entry positive", () => {
  dt.scope(() => {
    const a = f64([3, 6, 4], 5);
    const check = (v: Tensor, what: string) => {
      const [, r, c] = v.shape;
      const d = v.dataSync();
      for (let b = 0; b < v.shape[0]; b++) {
        for (let j = 0; j < c; j++) {
          let best = 0;
          for (let i = 0; i < r; i++) {
            const x = d[b * r * c + i * c + j];
            if (Math.abs(x) > Math.abs(best)) best = x;
          }
          assert.ok(best > 0, `${what}: column ${j} of matrix ${b}`);
        }
      }
    };
    check(linalg.svd(a).Vh.transpose(-2, -1).contiguous(), "svd V (tall)");
    check(linalg.svd(a.transpose(-2, -1)).U, "svd U (wide)");
    check(linalg.eigh(a.transpose(-2, -1).matmul(a)).eigenvectors, "eigh");
  });
});

Deno.test("linalg: empty batches and empty matrices give PyTorch's shapes", () => {
  dt.scope(() => {
    const e = dt.zeros([0, 3, 3], { dtype: "float64" });
    assert.deepEqual(linalg.inv(e).shape, [0, 3, 3]);
    assert.deepEqual(linalg.det(e).shape, [0]);
    assert.deepEqual(linalg.solve(e, dt.zeros([0, 3, 2], { dtype: "float64" })).shape, [0, 3, 2]);
    assert.deepEqual(linalg.cholesky(e).shape, [0, 3, 3]);
    assert.deepEqual(linalg.eigh(e).eigenvalues.shape, [0, 3]);
    assert.deepEqual(linalg.svd(e).S.shape, [0, 3]);
    assert.deepEqual(linalg.qr(e).R.shape, [0, 3, 3]);
    const z = dt.zeros([0, 0], { dtype: "float64" });
    assertTensor(linalg.det(z), { shape: [], data: [1] });
    assert.deepEqual(linalg.inv(z).shape, [0, 0]);
    const w = dt.zeros([0, 3]);
    const [u, s, vh] = linalg.svd(w);
    assert.deepEqual([u.shape, s.shape], [[0, 0], [0]]);
    assertTensor(vh, { shape: [3, 3], data: dt.eye(3).dataSync() });
    const [q, r] = linalg.qr(w);
    assert.deepEqual([q.shape, r.shape], [[0, 0], [0, 3]]);
    assert.deepEqual(linalg.pinv(w).shape, [3, 0]);
    assertTensor(linalg.matrixRank(w), { shape: [], data: [0], dtype: "int32" });
  });
});

Deno.test("linalg: the torch.* forms and Tensor methods agree with linalg", () => {
  dt.scope(() => {
    const a = f64([3, 3], 11), b = spd(a);
    assertClose(a.inverse(), linalg.inv(a));
    assertClose(a.det(), linalg.det(a));
    assertClose(b.logdet(), linalg.slogdet(b).logabsdet);
    assertClose(a.slogdet().sign, linalg.slogdet(a).sign);
    assertClose(b.cholesky(true), linalg.cholesky(b, { upper: true }));
    const l = linalg.cholesky(b);
    assertClose(
      dt.ones([3, 2], { dtype: "float64" }).choleskySolve(l),
      linalg.solve(b, dt.ones([3, 2], { dtype: "float64" })),
      { atol: 1e-12 },
    );
    assertClose(l.choleskyInverse(), linalg.inv(b), { atol: 1e-12 });
    assertClose(a.qr().R, linalg.qr(a).R);
    const [u, s, v] = a.svd();
    assertClose(u.mul(s.unsqueeze(-2)).matmul(v.t()), a, { atol: 1e-12 });
    const [uz, sz, vz] = a.svd(true, false);
    assertClose(sz, s);
    assertTensor(uz, { shape: [3, 3], data: new Array(9).fill(0) });
    assert.equal(vz.requiresGrad, false);
    assertClose(a.pinverse(), linalg.inv(a), { atol: 1e-12 });
    assertClose(a.matrixPower(2), a.matmul(a));
    assert.ok(new linalg.LinAlgError("x") instanceof Error);
  });
});

Deno.test("linalg: singular and non-positive-definite inputs raise PyTorch's LinAlgError", () => {
  const s = dt.tensor([[1, 2], [2, 4]], { dtype: "float64" });
  const e = assertThrowsWith(
    () => linalg.inv(s),
    "linalg.inv: The diagonal element 2 is zero, the inversion could not be completed because " +
      "the input matrix is singular.",
  );
  assert.ok(e instanceof linalg.LinAlgError);
  const batch = dt.stack([dt.eye(2, 2, { dtype: "float64" }), s]);
  assertThrowsWith(
    () => linalg.inv(batch),
    "linalg.inv: (Batch element 1): The diagonal element 2",
  );
  assertThrowsWith(() => dt.inverse(s), "linalg.inv: The diagonal element 2 is zero");
  assertThrowsWith(
    () => linalg.solve(batch, dt.ones([2, 2], { dtype: "float64" })),
    "torch.linalg.solve: (Batch element 1): The solver failed because the input matrix is singular.",
  );
  assertThrowsWith(() => linalg.matrixPower(s, -1), "linalg.inv: The diagonal element 2 is zero");
  assertThrowsWith(
    () => linalg.cholesky(dt.tensor([[1, 2], [2, 1]])),
    "linalg.cholesky: The factorization could not be completed because the input is not " +
      "positive-definite (the leading minor of order 2 is not positive-definite).",
  );
  assertThrowsWith(
    () => linalg.cholesky(dt.stack([dt.eye(2), dt.eye(2).neg()])),
    "linalg.cholesky: (Batch element 1): The factorization could not be completed",
    "order 1",
  );
  assertThrowsWith(() => dt.cholesky(dt.tensor([[NaN, 0], [0, 1]])), "cholesky: ", "order 1");
  // Without the check: info says where it failed, det and slogdet say 0.
  assertTensor(linalg.invEx(batch).info, { shape: [2], data: [0, 2], dtype: "int32" });
  assertTensor(linalg.choleskyEx(dt.tensor([[1, 2], [2, 1]])).info, {
    shape: [],
    data: [2],
    dtype: "int32",
  });
  assertTensor(linalg.det(s), { shape: [], data: [0] });
  assertTensor(linalg.slogdet(s).logabsdet, { shape: [], data: [-Infinity] });
  assertTensor(linalg.cond(s, 1), { shape: [], data: [Infinity] });
  const nan = dt.tensor([[1, NaN], [NaN, 1]]);
  const msg = "linalg.svd: The algorithm failed to converge because the input matrix contained " +
    "non-finite values.";
  for (const f of [linalg.svd, linalg.svdvals, linalg.pinv, linalg.matrixRank]) {
    assertThrowsWith(() => f(nan), msg);
  }
  assertThrowsWith(() => linalg.svd(dt.stack([dt.eye(2), nan])), "linalg.svd: (Batch element 1)");
});

Deno.test("linalg: misuse fails at once naming the op, the shapes and the dtypes", () => {
  const a = dt.ones([2, 3]), i = dt.ones([2, 2], { dtype: "int32" });
  assertThrowsWith(() => linalg.inv(a), "linalg.inv", "square matrices", "2 by 3", "[2, 3]");
  assertThrowsWith(() => linalg.inv(dt.ones([3])), "linalg.inv", "at least 2 dimensions", "[3]");
  assertThrowsWith(() => linalg.inv(i), "linalg.inv", "floating point", "int32");
  assertThrowsWith(() => linalg.det(a), "linalg.det", "square matrices");
  assertThrowsWith(() => linalg.eigh(a), "linalg.eigh", "square matrices");
  assertThrowsWith(() => linalg.svd(dt.ones([3])), "linalg.svd", "at least 2 dimensions");
  assertThrowsWith(() => linalg.qr(i), "linalg.qr", "floating point");
  assertThrowsWith(
    () => linalg.solve(dt.eye(3), dt.ones([2])),
    "linalg.solve: Incompatible shapes of A and B for the equation AX = B (3x3 and 2x1",
  );
  assertThrowsWith(
    () => linalg.solve(dt.eye(3), dt.ones([3]), { left: false }),
    "XA = B (3x3 and 3x1",
  );
  assertThrowsWith(
    () => linalg.solve(dt.eye(3), dt.ones([3], { dtype: "float64" })),
    "linalg.solve: Expected A and B to have the same dtype",
    "float32",
    "float64",
  );
  assertThrowsWith(
    () => linalg.eigh(dt.eye(2), { UPLO: "X" as dt.linalg.UPLO }),
    "Expected UPLO argument to be 'L' or 'U', but got X",
  );
  assertThrowsWith(
    () => linalg.qr(a, { mode: "x" as dt.linalg.QRMode }),
    "qr received unrecognized mode 'x' but expected one of 'reduced' (default), 'r', or 'complete'",
  );
  assertThrowsWith(() => linalg.matrixNorm(dt.ones([3, 3]), { ord: 3 }), "Order 3 not supported");
  assertThrowsWith(() => linalg.matrixNorm(dt.ones([3])), "linalg.matrix_norm", "2 dimensions");
  assertThrowsWith(() => linalg.vectorNorm(i), "linalg.vector_norm", "floating point");
  assertThrowsWith(
    () => linalg.norm(dt.ones([2, 2, 2]), { ord: 2 }),
    "If dim is not specified but ord is, the input must be 1D or 2D. Got 3D",
  );
  assertThrowsWith(() => linalg.cond(a, "fro"), "linalg.cond(ord=fro)", "square matrices");
  assertThrowsWith(
    () => linalg.solveTriangular(dt.eye(3), dt.ones([2, 3]), { upper: true }),
    "linalg.solve_triangular",
    "AX = B (3x3 and 2x3",
  );
  assertThrowsWith(() => linalg.matrixPower(a, 2), "linalg.matrix_power", "square matrices");
  assertThrowsWith(
    () => linalg.lstsq(dt.ones([3, 2]), dt.ones([4, 1])),
    "linalg.lstsq",
    "[3, 2]",
    "[4, 1]",
  );
});

Deno.test("linalg: backward of QR raises PyTorch's errors where it is not differentiable", () => {
  const a = dt.randn([4, 2], { dtype: "float64", requiresGrad: true });
  assertThrowsWith(
    () => linalg.qr(a, { mode: "r" }).R.sum().backward(),
    "The derivative of linalg.qr depends on Q, which is not computed when mode='r'",
  );
  assertThrowsWith(
    () => linalg.qr(a, { mode: "complete" }).Q.sum().backward(),
    "The QR decomposition is not differentiable when mode='complete' and nrows > ncols.",
  );
  // Wide complete QR is differentiable (Q is square either way).
  linalg.qr(a.t(), { mode: "complete" }).Q.sum().backward();
  assert.ok(a.grad);
});

Deno.test("linalg: gradients of sign-invariant losses through svd of rank-deficient input", () => {
  // Only S is used: PyTorch's S-only backward (U diag(gS) Vh) has no 1/(σi² − σj²) term, so a
  // repeated zero singular value still gives a finite gradient.
  const a = dt.tensor([[1, 2, 3], [2, 4, 6], [1, 1, 1]], { dtype: "float64", requiresGrad: true });
  linalg.svd(a).S.sum().backward();
  assert.ok(Array.from(a.grad!.dataSync()).every(Number.isFinite));
});

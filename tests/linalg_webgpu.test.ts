/**
 * `linalg` on webgpu against the CPU reference: values and gradients of every decomposition on
 * odd sizes, batches (broadcast, empty, several thousand dispatches), transposed and sliced
 * views; singular and non-positive-definite inputs reported as LinAlgError at the next
 * readback (first failing batch element, also when the scan is split by the loop budget); and
 * the clear error for matrices too tall for llvmpipe's per-invocation loop budget.
 */
import assert from "node:assert/strict";
import * as dt from "../mod.ts";
import type { Tensor } from "../mod.ts";
import { setLoopBudget } from "../src/backend/webgpu/device.ts";
import { f, hasGpu, parity } from "./webgpu_helpers.ts";

const { linalg } = dt;
const ignore = !hasGpu;
/** Decompositions in float32 on two devices: rounding differs by a few ulps times the condition. */
const TOL = { rtol: 2e-3, atol: 2e-4 };

const eyeOn = (x: Tensor) =>
  dt.eye(x.shape[x.ndim - 1], undefined, { dtype: x.dtype, device: x.device });
/** A well-conditioned symmetric positive-definite matrix from any square x. */
const spd = (x: Tensor) => x.matmul(x.transpose(-2, -1)).add(eyeOn(x).mul(x.shape[x.ndim - 1]));
const sym = (x: Tensor) => x.add(x.transpose(-2, -1));
/** A square x made diagonally dominant (well conditioned for inv/solve/det). */
const dom = (x: Tensor) => x.add(eyeOn(x).mul(x.shape[x.ndim - 1]));

Deno.test({
  name: "linalg webgpu: inv, det, slogdet, solve on odd sizes, batches and views",
  ignore,
  async fn() {
    for (const shape of [[1, 1], [3, 3], [7, 7], [5, 6, 6], [2, 1, 4, 4], [0, 3, 3]]) {
      await parity(`inv ${shape}`, [f(shape, 1)], (x) => linalg.inv(dom(x)), TOL);
      await parity(`det ${shape}`, [f(shape, 2)], (x) => linalg.det(dom(x)), TOL);
      await parity(`slogdet ${shape}`, [f(shape, 3)], (x) => [...linalg.slogdet(x)], TOL);
    }
    await parity("inv of a transposed view", [f([5, 5], 4)], (x) => linalg.inv(dom(x).t()), TOL);
    await parity("det with row swaps", [f([6, 6], 5)], (x) => linalg.det(x), TOL);
    await parity(
      "solve broadcast",
      [f([2, 1, 5, 5], 6), f([3, 5, 2], 7)],
      (a, b) => linalg.solve(dom(a), b),
      TOL,
    );
    await parity("solve vector", [f([4, 4], 8), f([4], 9)], (a, b) => linalg.solve(dom(a), b), TOL);
    await parity(
      "solve left=false on sliced B",
      [f([3, 3], 10), f([4, 6], 11)],
      (a, b) => linalg.solve(dom(a), b.slice(1, 0, 6, 2), { left: false }),
      TOL,
    );
    await parity("matrixPower -3", [f([4, 4], 12)], (a) => linalg.matrixPower(dom(a), -3), TOL);
  },
});

Deno.test({
  name: "linalg webgpu: Cholesky family and triangular solves",
  ignore,
  async fn() {
    for (const shape of [[1, 1], [5, 5], [3, 4, 4], [0, 2, 2]]) {
      for (const upper of [false, true]) {
        await parity(
          `cholesky ${shape} upper=${upper}`,
          [f(shape, 20)],
          (x) => linalg.cholesky(spd(x), { upper }),
          TOL,
        );
      }
    }
    await parity(
      "choleskySolve / choleskyInverse",
      [f([4, 2], 21), f([4, 4], 22)],
      (b, x) => {
        const l = linalg.cholesky(spd(x));
        return [dt.choleskySolve(b, l), dt.choleskyInverse(l.t(), true)];
      },
      TOL,
    );
    for (const upper of [false, true]) {
      for (const left of [true, false]) {
        for (const unitriangular of [false, true]) {
          await parity(
            `solveTriangular upper=${upper} left=${left} unit=${unitriangular}`,
            [f([2, 5, 5], 23), f(left ? [5, 3] : [3, 5], 24)],
            (a, b) => linalg.solveTriangular(dom(a), b, { upper, left, unitriangular }),
            TOL,
          );
        }
      }
    }
  },
});

Deno.test({
  name: "linalg webgpu: QR in every mode, tall, wide and batched",
  ignore,
  async fn() {
    for (const shape of [[5, 3], [3, 3], [3, 6], [1, 1], [2, 7, 4], [0, 4, 2]]) {
      await parity(`qr ${shape}`, [f(shape, 30)], (x) => [...linalg.qr(x)], TOL);
      await parity(
        `qr r ${shape}`,
        [f(shape, 31, -2, 2, false)],
        (x) => linalg.qr(x, { mode: "r" }).R,
        TOL,
      );
      const [m, n] = shape.slice(-2);
      await parity(
        `qr complete ${shape}`,
        [f(shape, 32, -2, 2, m <= n)],
        (x) => [...linalg.qr(x, { mode: "complete" })],
        TOL,
      );
    }
    await parity("qr of a transposed view", [f([6, 4], 33)], (x) => [...linalg.qr(x.t())], TOL);
  },
});

Deno.test({
  name: "linalg webgpu: eigh and eigvalsh (several Jacobi sweeps), both triangles",
  ignore,
  async fn() {
    for (const shape of [[1, 1], [2, 2], [5, 5], [3, 4, 4], [17, 17], [0, 3, 3]]) {
      for (const UPLO of ["L", "U"] as const) {
        await parity(
          `eigh ${shape} ${UPLO}`,
          [f(shape, 40)],
          (x) => [...linalg.eigh(sym(x), { UPLO })],
          TOL,
        );
      }
      await parity(`eigvalsh ${shape}`, [f(shape, 41)], (x) => linalg.eigvalsh(sym(x)), TOL);
    }
    // Only one triangle is read: a non-symmetric input gives the eigen-decomposition of it.
    await parity("eigh upper triangle", [f([4, 4], 42, -2, 2, false)], (x) => [
      ...linalg.eigh(x, { UPLO: "U" }),
    ], TOL);
  },
});

Deno.test({
  name: "linalg webgpu: svd, svdvals, pinv, lstsq, rank, norms and cond",
  ignore,
  async fn() {
    for (const shape of [[5, 3], [3, 3], [3, 5], [1, 4], [4, 1], [2, 6, 5], [0, 3, 2]]) {
      for (const fullMatrices of [false, true]) {
        await parity(`svd ${shape} full=${fullMatrices}`, [f(shape, 50)], (x) => {
          const { U, S, Vh } = linalg.svd(x, { fullMatrices });
          const k = S.shape[S.ndim - 1];
          // The first k singular vectors are unique up to the sign both devices fix the same
          // way; a full basis's extra vectors are not unique, so only their span is compared.
          const extra = U.narrow(-1, k, U.shape[U.ndim - 1] - k);
          return [
            U.narrow(-1, 0, k),
            S,
            Vh.narrow(-2, 0, k),
            extra.matmul(extra.transpose(-2, -1)),
          ];
        }, TOL);
      }
      await parity(`svdvals ${shape}`, [f(shape, 51)], (x) => linalg.svdvals(x), TOL);
      await parity(`pinv ${shape}`, [f(shape, 52)], (x) => linalg.pinv(x), TOL);
    }
    await parity(
      "svd of a transposed view",
      [f([3, 5], 53)],
      (x) => [...linalg.svd(x.t(), { fullMatrices: false })],
      TOL,
    );
    await parity(
      "lstsq",
      [f([2, 7, 3], 54), f([2, 7, 2], 55)],
      (a, b) => linalg.lstsq(a, b).solution,
      TOL,
    );
    await parity("matrixRank", [f([4, 5], 56, -2, 2, false)], (a) => {
      const low = a.narrow(0, 0, 2).t().matmul(a.narrow(0, 0, 2));
      return [
        linalg.matrixRank(a),
        linalg.matrixRank(low),
        linalg.matrixRank(low, { hermitian: true }),
      ];
    });
    for (const ord of ["fro", "nuc", 1, -1, 2, -2, Infinity, -Infinity] as const) {
      await parity(
        `matrixNorm ${ord}`,
        [f([2, 4, 3], 57)],
        (a) => linalg.matrixNorm(a, { ord }),
        TOL,
      );
      await parity(`cond ${ord}`, [f([3, 3], 58)], (a) => linalg.cond(dom(a), ord), TOL);
    }
    await parity(
      "vectorNorm",
      [f([3, 4], 59)],
      (x) => linalg.vectorNorm(x, { ord: 3, dim: 1 }),
      TOL,
    );
  },
});

Deno.test({
  name: "linalg webgpu: a 48×48 eigh and a 40×24 svd (over 1,700 dispatches)",
  ignore,
  async fn() {
    await parity("eigh 48", [f([48, 48], 60, -2, 2, false)], (x) => linalg.eigvalsh(sym(x)), TOL);
    await parity("svd 40x24", [f([40, 24], 61, -2, 2, false)], (x) => {
      const { U, S, Vh } = linalg.svd(x, { fullMatrices: false });
      return [U, S, Vh];
    }, { rtol: 5e-3, atol: 5e-4 });
  },
});

/** Runs `fn` and awaits a readback of its result; returns the error thrown, if any. */
async function readError(fn: () => Tensor): Promise<Error> {
  try {
    await fn().toArray();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a LinAlgError");
}

Deno.test({
  name: "linalg webgpu: singular and non-positive-definite inputs raise LinAlgError at readback",
  ignore,
  async fn() {
    const gpu = (t: Tensor) => t.to("webgpu");
    const s = dt.tensor([[1, 2], [2, 4]]);
    let e = await readError(() => linalg.inv(gpu(s)));
    assert.ok(e instanceof linalg.LinAlgError);
    assert.match(
      e.message,
      /^linalg\.inv: The diagonal element 2 is zero, the inversion could not/,
    );
    assert.match(e.message, /reported at the next readback/);
    const batch = gpu(dt.stack([dt.eye(2), dt.eye(2), s, s]));
    e = await readError(() => linalg.inv(batch));
    assert.match(e.message, /^linalg\.inv: \(Batch element 2\): The diagonal element 2 is zero/);
    e = await readError(() => linalg.solve(batch, gpu(dt.ones([4, 2]))));
    assert.match(e.message, /^torch\.linalg\.solve: \(Batch element 2\): The solver failed/);
    e = await readError(() => linalg.cholesky(gpu(dt.stack([dt.eye(3), dt.eye(3).neg()]))));
    assert.ok(e instanceof linalg.LinAlgError);
    assert.match(e.message, /^linalg\.cholesky: \(Batch element 1\): .*leading minor of order 1/);
    e = await readError(() => linalg.cholesky(gpu(dt.tensor([[4, 2], [2, 1]]))));
    assert.match(e.message, /not positive-definite \(the leading minor of order 2/);
    e = await readError(() => linalg.svdvals(gpu(dt.tensor([[1, NaN], [2, 1]]))));
    assert.match(e.message, /^linalg\.svd: The algorithm failed to converge because the input/);
    // The flag is cleared: the device keeps working, and the unchecked forms report info.
    const [, info] = linalg.invEx(batch);
    assert.deepEqual(Array.from(await info.toArray()), [0, 0, 2, 2]);
    assert.equal(Math.abs(await linalg.det(gpu(s)).item() as number), 0);
    assert.deepEqual(
      Array.from(await linalg.choleskyEx(gpu(dt.tensor([[4, 2], [2, 1]]))).info.toArray()),
      [2],
    );
  },
});

Deno.test({
  name: "linalg webgpu: the loop budget splits the info scan and refuses overlong columns",
  ignore,
  async fn() {
    setLoopBudget(160);
    try {
      const mats = dt.eye(2).expand([150, 2, 2]).contiguous();
      const bad = dt.cat([mats, dt.tensor([[1, 2], [2, 4]]).expand([3, 2, 2])]).to("webgpu");
      const e = await readError(() => linalg.inv(bad));
      assert.match(e.message, /\(Batch element 150\): The diagonal element 2 is zero/);
      assert.throws(
        () => linalg.qr(dt.ones([100, 2], { device: "webgpu" })),
        /linalg\.qr: on this WebGPU adapter one GPU thread may run 160 loop iterations, and a Householder reflection needs 200; use the cpu device/,
      );
    } finally {
      setLoopBudget(null);
    }
  },
});

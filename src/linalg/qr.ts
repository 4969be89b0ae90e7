/**
 * `qr`: Householder QR with LAPACK's signs (so Q and R equal PyTorch's), in the modes
 * "reduced", "complete" and "r", with PyTorch 1.13's gradient and its errors where the
 * decomposition is not differentiable.
 */
import { record } from "../autograd/function.ts";
import { noGrad } from "../autograd/grad_mode.ts";
import { scope } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { filledTensor } from "../ops/dispatch.ts";
import { add, mul } from "../ops/elementwise.ts";
import { cat } from "../ops/join.ts";
import { matmul } from "../ops/matmul.ts";
import { narrow } from "../ops/view.ts";
import { trsm } from "./cholesky.ts";
import { as3d, checkMatrix, copyLowerToUpper, kernelsFor, mT, output } from "./common.ts";

/** `qr`'s result: Q and R. */
export type QRResult = [Tensor, Tensor] & { Q: Tensor; R: Tensor };

/** What `qr` returns: Q [m, k] and R [k, n] with k = min(m, n), Q [m, m], or R alone. */
export type QRMode = "reduced" | "complete" | "r";

/** Options of `qr`. */
export interface QROptions {
  /** "reduced" (default), "complete" or "r" (R only; Q is an empty tensor). */
  mode?: QRMode;
}

/** [gQ + Q·copyltu(U gUᵀ − gQᵀ Q)]·U⁻ᵀ: the gradient of a square-or-tall QR, per output. */
function backSquare(q: Tensor, u: Tensor, gq: Tensor | null, gu: Tensor | null): Tensor {
  let m: Tensor | null = gu ? matmul(u, mT(gu)) : null;
  if (gq) {
    const t = matmul(mT(gq), q);
    m = m ? add(m, mul(t, -1)) : mul(t, -1);
  }
  let x = matmul(q, copyLowerToUpper(m!));
  if (gq) x = add(x, gq);
  // X·U⁻ᵀ = (U⁻¹ Xᵀ)ᵀ.
  return mT(trsm(u, mT(x), true, true, false));
}

/** The gradient of A = Q R from one output's gradient (the other treated as zero). */
function qrBackward(q: Tensor, r: Tensor, gq: Tensor | null, gr: Tensor | null): Tensor {
  const [m, n] = [q.shape[q.ndim - 2], r.shape[r.ndim - 1]];
  if (m >= n) return backSquare(q, r, gq, gr);
  // Wide A = [X | Y], R = [U | V]: X = Q U is a square QR and Y = Q V.
  const u = narrow(r, -1, 0, m);
  if (!gr) {
    const gx = backSquare(q, u, gq, null);
    return cat([gx, filledTensor([...gx.shape.slice(0, -1), n - m], 0, gx.dtype, gx.device)], -1);
  }
  const gu = narrow(gr, -1, 0, m), gv = narrow(gr, -1, m, n - m);
  const y = matmul(q, narrow(r, -1, m, n - m));
  return cat([backSquare(q, u, matmul(y, mT(gv)), gu), matmul(q, gv)], -1);
}

/**
 * The QR decomposition A = Q R of A [..., m, n], like `torch.linalg.qr`: Householder
 * reflections with LAPACK's sign convention, so Q (orthonormal columns) and R (upper
 * triangular) match PyTorch's. Differentiable except for mode "r" and for "complete" with
 * m > n, whose backward raises PyTorch's error.
 */
export function qr(a: Tensor, opts: QROptions = {}): QRResult {
  const op = "linalg.qr";
  const { mode = "reduced" } = opts;
  if (mode !== "reduced" && mode !== "complete" && mode !== "r") {
    throw new RangeError(
      `${op}: qr received unrecognized mode '${mode}' but expected one of 'reduced' ` +
        "(default), 'r', or 'complete'",
    );
  }
  checkMatrix(op, a);
  const k = kernelsFor(op, a);
  const [m, n] = a.shape.slice(-2), batch = a.shape.slice(0, -2);
  const rk = mode === "complete" ? m : Math.min(m, n);
  const [q, r] = noGrad(() =>
    scope(() => {
      const r = output([...batch, rk, n], a.dtype, a);
      const q = mode === "r" ? null : output([...batch, m, rk], a.dtype, a);
      k.qr(as3d(a), q?.storage ?? null, r.storage, mode === "complete");
      return [q ?? output([0], a.dtype, a), r];
    })
  );
  const refuse = mode === "r"
    ? "The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please " +
      "use linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr."
    : mode === "complete" && m > n
    ? "The QR decomposition is not differentiable when mode='complete' and nrows > ncols."
    : null;
  if (refuse) {
    const fail = () => {
      throw new Error(`${op}: ${refuse}`);
    };
    record(r, "LinalgQrBackward", [a], [], fail);
    if (mode !== "r") record(q, "LinalgQrBackward", [a], [], fail);
  } else {
    record(q, "LinalgQrBackward", [a], [q, r], (g, [qs, rs]) => [qrBackward(qs, rs, g, null)]);
    record(r, "LinalgQrBackward", [a], [q, r], (g, [qs, rs]) => [qrBackward(qs, rs, null, g)]);
  }
  return Object.assign([q, r] as [Tensor, Tensor], { Q: q, R: r });
}

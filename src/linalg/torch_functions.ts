/**
 * The `torch.*` forms of linear algebra (`torch.inverse`, `torch.det`, `torch.cholesky`,
 * `torch.qr`, `torch.svd`, `torch.pinverse`…), with their own argument conventions, as thin
 * wrappers over `linalg`.
 */
import { scope } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { filledTensor } from "../ops/dispatch.ts";
import { choleskyImpl } from "./cholesky.ts";
import { mT } from "./common.ts";
import { inv } from "./lu.ts";
import { qr as linalgQr, type QRResult } from "./qr.ts";
import { pinv, svd as linalgSvd, svdvals } from "./svd.ts";

export { choleskyInverse, choleskySolve } from "./cholesky.ts";
export { det, logdet, matrixPower, slogdet, type SlogdetResult } from "./lu.ts";
export type { QRResult } from "./qr.ts";

/** `torch.svd`'s result: U, S and V (not Vᵀ). */
export type TorchSVDResult = [Tensor, Tensor, Tensor] & { U: Tensor; S: Tensor; V: Tensor };

/** The inverse of square matrices, like `torch.inverse` (an alias of `linalg.inv`). */
export function inverse(a: Tensor): Tensor {
  return inv(a);
}

/**
 * The Cholesky factor, like the deprecated `torch.cholesky(A, upper)`: lower L (default) or
 * upper U with A = Uᵀ U; raises `LinAlgError` when A is not positive-definite.
 */
export function cholesky(a: Tensor, upper = false): Tensor {
  const [l, info] = choleskyImpl("cholesky", a, upper, true);
  info.dispose();
  return l;
}

/**
 * QR decomposition like the deprecated `torch.qr(A, some)`: reduced Q and R when `some`
 * (default), complete ones otherwise.
 */
export function qr(a: Tensor, some = true): QRResult {
  return linalgQr(a, { mode: some ? "reduced" : "complete" });
}

/**
 * The SVD as the deprecated `torch.svd(A, some, computeUv)` returns it: U, S and V with
 * A = U·diag(S)·Vᵀ, reduced when `some` (default). Without `computeUv`, U [..., m, m] and
 * V [..., n, n] are zeros (and carry no gradient), as in PyTorch.
 */
export function svd(a: Tensor, some = true, computeUv = true): TorchSVDResult {
  return scope(() => {
    let u: Tensor, s: Tensor, v: Tensor;
    if (computeUv) {
      const r = linalgSvd(a, { fullMatrices: !some });
      [u, s, v] = [r.U, r.S, mT(r.Vh)];
    } else {
      s = svdvals(a);
      const [m, n] = a.shape.slice(-2), batch = a.shape.slice(0, -2);
      u = filledTensor([...batch, m, m], 0, a.dtype, a.device);
      v = filledTensor([...batch, n, n], 0, a.dtype, a.device);
    }
    return Object.assign([u, s, v] as [Tensor, Tensor, Tensor], { U: u, S: s, V: v });
  });
}

/**
 * The pseudo-inverse like `torch.pinverse(A, rcond)`: singular values at most rcond·σmax
 * (default 1e-15) are dropped (`linalg.pinv` with rtol = rcond, atol = 0).
 */
export function pinverse(a: Tensor, rcond = 1e-15): Tensor {
  return pinv(a, { atol: 0, rtol: rcond });
}

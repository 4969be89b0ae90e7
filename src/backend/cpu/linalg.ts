/**
 * The CPU's `linalg` kernels: textbook unblocked algorithms in float64 JS loops, one matrix at a
 * time (LU with partial pivoting, substitution, Cholesky–Banachiewicz, Householder QR with
 * LAPACK's signs, cyclic Jacobi for eigh, one-sided Jacobi for the SVD). float32 inputs are
 * factorized in float64 and rounded once on output.
 */
import type { Storage, Strided } from "../backend.ts";
import { type InfoCheck, infoMessage, LinAlgError, type LinalgKernels } from "../linalg_kernels.ts";
import { dataOf } from "./cpu_backend.ts";

/** Jacobi stops rotating a pair once its coupling is below this fraction of its scale. */
const JACOBI_TOL = 1e-15;
/** Cyclic Jacobi converges quadratically (about 10 sweeps); the cap only guards against NaN. */
const MAX_SWEEPS = 100;

/** Matrix `b` of the 3-D view `v` as a dense row-major float64 copy. */
function load(v: Strided, b: number): Float64Array {
  const [, r, c] = v.shape;
  const src = dataOf(v.storage);
  const [s0, s1, s2] = v.strides;
  const out = new Float64Array(r * c);
  const base = v.offset + b * s0;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) out[i * c + j] = src[base + i * s1 + j * s2];
  }
  return out;
}

/** Writes `m` as matrix `b` of the contiguous storage `out` (each matrix `m.length` long). */
function store(out: Storage, b: number, m: ArrayLike<number>): void {
  const d = dataOf(out);
  const base = b * m.length;
  for (let i = 0; i < m.length; i++) d[base + i] = m[i];
}

/** In-place LU of the n×n `a` (getf2); returns info and fills the 1-based `piv`. */
function luInPlace(a: Float64Array, n: number, piv: Int32Array): number {
  let info = 0;
  for (let k = 0; k < n; k++) {
    let p = k, best = Math.abs(a[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[i * n + k]);
      if (v > best) [p, best] = [i, v];
    }
    piv[k] = p + 1;
    if (a[p * n + k] !== 0) {
      if (p !== k) {
        for (let j = 0; j < n; j++) {
          const t = a[k * n + j];
          a[k * n + j] = a[p * n + j];
          a[p * n + j] = t;
        }
      }
      const d = a[k * n + k];
      for (let i = k + 1; i < n; i++) a[i * n + k] /= d;
    } else if (info === 0) info = k + 1;
    for (let i = k + 1; i < n; i++) {
      const l = a[i * n + k];
      if (l === 0) continue;
      for (let j = k + 1; j < n; j++) a[i * n + j] -= l * a[k * n + j];
    }
  }
  return info;
}

/**
 * Solves T X = B in place in `x` (n×k) for the triangle of the n×n `t` (row stride `rs`, column
 * stride `cs`, so a transposed read is free).
 */
function substitute(
  t: Float64Array,
  rs: number,
  cs: number,
  x: Float64Array,
  n: number,
  k: number,
  upper: boolean,
  unit: boolean,
): void {
  for (let c = 0; c < k; c++) {
    for (let s = 0; s < n; s++) {
      const i = upper ? n - 1 - s : s;
      let v = x[i * k + c];
      if (upper) { for (let j = i + 1; j < n; j++) v -= t[i * rs + j * cs] * x[j * k + c]; }
      else for (let j = 0; j < i; j++) v -= t[i * rs + j * cs] * x[j * k + c];
      x[i * k + c] = unit ? v : v / t[i * rs + i * cs];
    }
  }
}

function swapRows(x: Float64Array, k: number, i: number, j: number): void {
  if (i === j) return;
  for (let c = 0; c < k; c++) {
    const t = x[i * k + c];
    x[i * k + c] = x[j * k + c];
    x[j * k + c] = t;
  }
}

/** Reflector for x = [alpha, tail] (LAPACK dlarfg): returns [beta, tau, 1 / (alpha − beta)]. */
function householder(alpha: number, tailNorm: number): [number, number, number] {
  if (tailNorm === 0) return [alpha, 0, 0];
  const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, tailNorm);
  return [beta, (beta - alpha) / beta, 1 / (alpha - beta)];
}

/** Jacobi rotation (c, s) that zeroes the coupling g of a 2×2 block with diagonal (p, q). */
function rotation(p: number, q: number, g: number): [number, number, number] {
  const zeta = (q - p) / (2 * g);
  const az = Math.abs(zeta);
  // NOTE: for huge |ζ| the square root overflows; t ≈ 1/(2ζ) there.
  const t = (zeta >= 0 ? 1 : -1) / (az > 1e150 ? 2 * az : az + Math.sqrt(1 + zeta * zeta));
  const c = 1 / Math.sqrt(1 + t * t);
  return [c, c * t, t];
}

/** The n×n identity, the starting rotation of both Jacobi methods. */
function identity(n: number): Float64Array {
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  return v;
}

/** Rotates columns p and q of the row-major `a` (`rows`×n) by (c, s). */
function rotateColumns(
  a: Float64Array,
  rows: number,
  n: number,
  p: number,
  q: number,
  c: number,
  s: number,
): void {
  for (let r = 0; r < rows; r++) {
    const ap = a[r * n + p], aq = a[r * n + q];
    a[r * n + p] = c * ap - s * aq;
    a[r * n + q] = s * ap + c * aq;
  }
}

/** Cyclic sweeps over the pairs p < q of n until `rotate` (true when it rotated) leaves all. */
function jacobiSweeps(n: number, rotate: (p: number, q: number) => boolean): void {
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) if (rotate(p, q)) rotated = true;
    }
    if (!rotated) break;
  }
}

function eighJacobi(a: Float64Array, n: number): Float64Array {
  const v = identity(n);
  jacobiSweeps(n, (p, q) => {
    const g = a[p * n + q];
    const app = a[p * n + p], aqq = a[q * n + q];
    if (g === 0 || Math.abs(g) <= JACOBI_TOL * Math.sqrt(Math.abs(app * aqq))) return false;
    if (!Number.isFinite(g)) return false;
    const [c, s, t] = rotation(app, aqq, g);
    rotateColumns(a, n, n, p, q, c, s);
    for (let r = 0; r < n; r++) {
      const pr = a[p * n + r], qr = a[q * n + r];
      a[p * n + r] = c * pr - s * qr;
      a[q * n + r] = s * pr + c * qr;
    }
    a[p * n + p] = app - t * g;
    a[q * n + q] = aqq + t * g;
    a[p * n + q] = a[q * n + p] = 0;
    rotateColumns(v, n, n, p, q, c, s);
    return true;
  });
  return v;
}

function svdJacobi(w: Float64Array, m: number, n: number): Float64Array {
  const v = identity(n);
  jacobiSweeps(n, (p, q) => {
    let alpha = 0, beta = 0, gamma = 0;
    for (let i = 0; i < m; i++) {
      const x = w[i * n + p], y = w[i * n + q];
      alpha += x * x;
      beta += y * y;
      gamma += x * y;
    }
    if (gamma === 0 || Math.abs(gamma) <= JACOBI_TOL * Math.sqrt(alpha * beta)) return false;
    if (!Number.isFinite(gamma)) return false;
    const [c, s] = rotation(alpha, beta, gamma);
    rotateColumns(w, m, n, p, q, c, s);
    rotateColumns(v, n, n, p, q, c, s);
    return true;
  });
  return v;
}

/** The CPU implementation of `LinalgKernels`. */
export const cpuLinalg: LinalgKernels = {
  luFactor(a, lu, pivots, info) {
    const [B, n] = a.shape;
    const pv = dataOf(pivots), inf = dataOf(info);
    const piv = new Int32Array(n);
    for (let b = 0; b < B; b++) {
      const m = load(a, b);
      inf[b] = luInPlace(m, n, piv);
      store(lu, b, m);
      pv.set(piv, b * n);
    }
  },

  luSolve(lu, pivots, rhs, adjoint, out) {
    const [B, n, k] = rhs.shape;
    const pv = dataOf(pivots.storage);
    for (let b = 0; b < B; b++) {
      const f = load(lu, b), x = load(rhs, b);
      const piv = (i: number) =>
        pv[pivots.offset + b * pivots.strides[0] + i * pivots.strides[1]] - 1;
      if (!adjoint) {
        for (let i = 0; i < n; i++) swapRows(x, k, i, piv(i));
        substitute(f, n, 1, x, n, k, false, true);
        substitute(f, n, 1, x, n, k, true, false);
      } else {
        // Aᵀ = Uᵀ Lᵀ Pᵀ: read the factors transposed, then undo the swaps in reverse.
        substitute(f, 1, n, x, n, k, false, false);
        substitute(f, 1, n, x, n, k, true, true);
        for (let i = n - 1; i >= 0; i--) swapRows(x, k, i, piv(i));
      }
      store(out, b, x);
    }
  },

  triangularSolve(a, rhs, upper, unitDiagonal, out) {
    const [B, n, k] = rhs.shape;
    for (let b = 0; b < B; b++) {
      const x = load(rhs, b);
      substitute(load(a, b), n, 1, x, n, k, upper, unitDiagonal);
      store(out, b, x);
    }
  },

  cholesky(a, out, info) {
    const [B, n] = a.shape;
    const inf = dataOf(info);
    for (let b = 0; b < B; b++) {
      const src = load(a, b);
      const l = new Float64Array(n * n);
      inf[b] = 0;
      for (let j = 0; j < n && inf[b] === 0; j++) {
        let d = src[j * n + j];
        for (let k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
        // NOTE: `!(d > 0)` also rejects NaN, as LAPACK's potrf does.
        if (!(d > 0)) {
          inf[b] = j + 1;
          break;
        }
        const ljj = Math.sqrt(d);
        l[j * n + j] = ljj;
        for (let i = j + 1; i < n; i++) {
          let s = src[i * n + j];
          for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
          l[i * n + j] = s / ljj;
        }
      }
      store(out, b, l);
    }
  },

  qr(a, q, r, complete) {
    const [B, m, n] = a.shape;
    const K = Math.min(m, n), rk = complete ? m : K;
    const tau = new Float64Array(K);
    for (let b = 0; b < B; b++) {
      const w = load(a, b);
      for (let k = 0; k < K; k++) {
        let tail = 0;
        for (let i = k + 1; i < m; i++) tail = Math.hypot(tail, w[i * n + k]);
        const [beta, t, scale] = householder(w[k * n + k], tail);
        tau[k] = t;
        if (t === 0) continue;
        for (let i = k + 1; i < m; i++) w[i * n + k] *= scale;
        w[k * n + k] = beta;
        for (let j = k + 1; j < n; j++) {
          let s = w[k * n + j];
          for (let i = k + 1; i < m; i++) s += w[i * n + k] * w[i * n + j];
          s *= t;
          w[k * n + j] -= s;
          for (let i = k + 1; i < m; i++) w[i * n + j] -= s * w[i * n + k];
        }
      }
      const rm = new Float64Array(rk * n);
      for (let i = 0; i < Math.min(rk, m); i++) {
        for (let j = i; j < n; j++) rm[i * n + j] = w[i * n + j];
      }
      store(r, b, rm);
      if (!q) continue;
      // Q = H_0 ⋯ H_{K−1} applied to the first rk columns of I, last reflector first.
      const qm = new Float64Array(m * rk);
      for (let i = 0; i < rk; i++) qm[i * rk + i] = 1;
      for (let k = K - 1; k >= 0; k--) {
        if (tau[k] === 0) continue;
        for (let j = k; j < rk; j++) {
          let s = qm[k * rk + j];
          for (let i = k + 1; i < m; i++) s += w[i * n + k] * qm[i * rk + j];
          s *= tau[k];
          qm[k * rk + j] -= s;
          for (let i = k + 1; i < m; i++) qm[i * rk + j] -= s * w[i * n + k];
        }
      }
      store(q, b, qm);
    }
  },

  eigh(a, w, v) {
    const [B, n] = a.shape;
    const wd = dataOf(w);
    for (let b = 0; b < B; b++) {
      const m = load(a, b);
      const vec = eighJacobi(m, n);
      for (let i = 0; i < n; i++) wd[b * n + i] = m[i * n + i];
      store(v, b, vec);
    }
  },

  svdRight(a, av, v) {
    const [B, m, n] = a.shape;
    for (let b = 0; b < B; b++) {
      const w = load(a, b);
      const vec = svdJacobi(w, m, n);
      store(av, b, w);
      store(v, b, vec);
    }
  },

  checkInfo(info: Strided, check: InfoCheck) {
    const d = dataOf(info.storage);
    for (let b = 0; b < info.shape[0]; b++) {
      const code = d[info.offset + b * info.strides[0]];
      if (code !== 0) throw new LinAlgError(infoMessage(check, b, code));
    }
  },
};

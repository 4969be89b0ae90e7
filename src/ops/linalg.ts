/**
 * Linear-algebra helpers over matmul, views and reductions: products (dot, mv, outer, addmm,
 * baddbmm, multiDot, tensordot, kron), diagonals and triangles (diagonal as a view, diag,
 * diagEmbed, trace, tril, triu), cross products and distances (cdist, normalize,
 * cosineSimilarity, pairwiseDistance). All compose existing ops, so autograd derives their
 * gradients and every backend runs them; only `diagonal` and `diagEmbed` record a node of
 * their own (a strided view and its adjoint).
 */
import { record } from "../autograd/function.ts";
import { tensor } from "../tensor/creation.ts";
import { retain, scope } from "../tensor/memory.ts";
import { broadcastShapes, fmtShape, normDim, numelOf } from "../tensor/shape.ts";
import { Tensor } from "../tensor/tensor.ts";
import { backendOf, filledTensor } from "./dispatch.ts";
import { clone } from "./convert.ts";
import { add, clamp, div, mul, sub, where } from "./elementwise.ts";
import { indexSelect } from "./index.ts";
import { matmul } from "./matmul.ts";
import { norm, sum } from "./reduce.ts";
import { expand, permute, reshape, unsqueeze } from "./view.ts";

interface Geometry {
  shape: number[];
  strides: number[];
  offset: number;
}

/** Where the diagonal of dims d1, d2 (shifted by `offset`) lies in a tensor of this geometry. */
function diagGeometry(
  shape: readonly number[],
  strides: readonly number[],
  base: number,
  offset: number,
  d1: number,
  d2: number,
): Geometry {
  const n1 = shape[d1], n2 = shape[d2];
  const len = offset >= 0
    ? Math.max(0, Math.min(n1, n2 - offset))
    : Math.max(0, Math.min(n1 + offset, n2));
  let start = base;
  if (len > 0) start += offset >= 0 ? offset * strides[d2] : -offset * strides[d1];
  const keep = shape.map((_, i) => i).filter((i) => i !== d1 && i !== d2);
  return {
    shape: [...keep.map((i) => shape[i]), len],
    strides: [...keep.map((i) => strides[i]), strides[d1] + strides[d2]],
    offset: start,
  };
}

function diagDims(op: string, ndim: number, dim1: number, dim2: number): [number, number] {
  const d1 = normDim(op, dim1, ndim), d2 = normDim(op, dim2, ndim);
  if (d1 === d2) throw new RangeError(`${op}: dim1 and dim2 cannot be identical (both ${d1})`);
  return [d1, d2];
}

/** Zeros of `shape` with `src` written onto the diagonal (offset, d1, d2); no autograd. */
function embedDiagonal(
  src: Tensor,
  shape: readonly number[],
  offset: number,
  d1: number,
  d2: number,
): Tensor {
  const z = filledTensor(shape, 0, src.dtype, src.device);
  const geo = diagGeometry(z.shape, z.strides, 0, offset, d1, d2);
  if (src.numel) backendOf("diagEmbed", src).unary("copy", src, { storage: z.storage, ...geo });
  return z;
}

/**
 * The diagonal of the dims `dim1`, `dim2` (shifted right by a positive `offset`), as a view
 * appended as the last dim, like `torch.diagonal`; writes through it reach `x`.
 */
export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  x.check("diagonal");
  if (x.ndim < 2) {
    throw new RangeError(
      `diagonal: expected a tensor with at least 2 dims, got ${fmtShape(x.shape)}`,
    );
  }
  const [d1, d2] = diagDims("diagonal", x.ndim, dim1, dim2);
  const geo = diagGeometry(x.shape, x.strides, x.offset, offset, d1, d2);
  retain(x.storage);
  const out = new Tensor(x.storage, geo.shape, geo.strides, geo.offset, x.base ?? x);
  const shape = x.shape;
  return record(out, "DiagonalBackward", [x], [], (g) => [
    record(
      embedDiagonal(g, shape, offset, d1, d2),
      "DiagonalBackwardBackward",
      [g],
      [],
      (gg) => [diagonal(gg, offset, d1, d2)],
    ),
  ]);
}

/**
 * Matrices whose diagonal (offset, dim1, dim2) holds the last dim of `x`, zeros elsewhere,
 * like `torch.diag_embed`.
 */
export function diagEmbed(x: Tensor, offset = 0, dim1 = -2, dim2 = -1): Tensor {
  x.check("diagEmbed");
  if (x.ndim === 0) throw new RangeError("diagEmbed: expected a tensor with at least 1 dim");
  const nd = x.ndim + 1;
  const [d1, d2] = diagDims("diagEmbed", nd, dim1, dim2);
  const m = x.shape[x.ndim - 1] + Math.abs(offset);
  const lead = x.shape.slice(0, -1);
  const shape: number[] = [];
  for (let i = 0, k = 0; i < nd; i++) shape.push(i === d1 || i === d2 ? m : lead[k++]);
  const out = embedDiagonal(x, shape, offset, d1, d2);
  return record(out, "DiagEmbedBackward", [x], [], (g) => [diagonal(g, offset, d1, d2)]);
}

/**
 * `torch.diag`: a 1-D input becomes a square matrix with it on diagonal `diagonal`; a 2-D
 * input gives a copy of that diagonal.
 */
export function diag(x: Tensor, diagonal_ = 0): Tensor {
  x.check("diag");
  if (x.ndim === 1) return diagEmbed(x, diagonal_, 0, 1);
  if (x.ndim === 2) return scope(() => clone(diagonal(x, diagonal_, 0, 1)));
  throw new RangeError(`diag: expected a 1-D or 2-D tensor, got shape ${fmtShape(x.shape)}`);
}

/** Sum of the main diagonal of a 2-D tensor, like `torch.trace`. */
export function trace(x: Tensor): Tensor {
  x.check("trace");
  if (x.ndim !== 2) {
    throw new RangeError(`trace: expected a 2-D tensor, got shape ${fmtShape(x.shape)}`);
  }
  return scope(() => sum(diagonal(x)));
}

function triangle(op: "tril" | "triu", x: Tensor, k: number): Tensor {
  x.check(op);
  if (x.ndim < 2) {
    throw new RangeError(`${op}: expected a tensor with at least 2 dims, got ${fmtShape(x.shape)}`);
  }
  if (!Number.isInteger(k)) throw new RangeError(`${op}: diagonal must be an integer (got ${k})`);
  const r = x.shape[x.ndim - 2], c = x.shape[x.ndim - 1];
  const keep = new Uint8Array(r * c);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) keep[i * c + j] = (op === "tril" ? j - i <= k : j - i >= k) ? 1 : 0;
  }
  return scope(() => {
    // A host-built r×c mask uploaded once: no readback, one where kernel.
    const mask = tensor(keep, { dtype: "bool", shape: [r, c], device: x.device });
    return where(mask, x, x.dtype === "bool" ? false : 0);
  });
}

/** Lower triangle of the last two dims (elements with j - i <= diagonal), like `torch.tril`. */
export function tril(x: Tensor, diagonal_ = 0): Tensor {
  return triangle("tril", x, diagonal_);
}

/** Upper triangle of the last two dims (elements with j - i >= diagonal), like `torch.triu`. */
export function triu(x: Tensor, diagonal_ = 0): Tensor {
  return triangle("triu", x, diagonal_);
}

function expectDims(op: string, names: string[], ts: Tensor[], dims: number[]): void {
  ts.forEach((t, i) => {
    t.check(op);
    if (t.ndim !== dims[i]) {
      throw new RangeError(
        `${op}: expected ${names[i]} to be ${dims[i]}-D, got shape ${fmtShape(t.shape)} ` +
          `(all shapes: ${ts.map((u) => fmtShape(u.shape)).join(", ")})`,
      );
    }
  });
}

function sameDType(op: string, a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) {
    throw new TypeError(
      `${op}: expected both inputs to have the same dtype, got ${a.dtype} and ${b.dtype}`,
    );
  }
}

/** Inner product of two 1-D tensors of equal size, like `torch.dot`. */
export function dot(a: Tensor, b: Tensor): Tensor {
  expectDims("dot", ["input", "other"], [a, b], [1, 1]);
  sameDType("dot", a, b);
  if (a.shape[0] !== b.shape[0]) {
    throw new RangeError(
      `dot: inconsistent tensor sizes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
    );
  }
  return matmul(a, b);
}

/** `torch.vdot`: conj(a)·b, which for real tensors is `dot`. */
export function vdot(a: Tensor, b: Tensor): Tensor {
  expectDims("vdot", ["input", "other"], [a, b], [1, 1]);
  return dot(a, b);
}

/** Matrix–vector product [n, m] @ [m] → [n], like `torch.mv`. */
export function mv(mat: Tensor, vec: Tensor): Tensor {
  expectDims("mv", ["mat", "vec"], [mat, vec], [2, 1]);
  if (mat.shape[1] !== vec.shape[0]) {
    throw new RangeError(
      `mv: size mismatch, mat ${fmtShape(mat.shape)} cannot multiply vec ${fmtShape(vec.shape)}`,
    );
  }
  return matmul(mat, vec);
}

/** Outer product of two 1-D tensors: [n] × [m] → [n, m], like `torch.outer` (alias `ger`). */
export function outer(a: Tensor, b: Tensor): Tensor {
  expectDims("outer", ["input", "vec2"], [a, b], [1, 1]);
  return scope(() => mul(unsqueeze(a, 1), unsqueeze(b, 0)));
}

/** Alias of `outer` (`torch.ger`). */
export const ger: (a: Tensor, b: Tensor) => Tensor = outer;

/** Scale factors of the add* products: out = beta·input + alpha·(product). */
export interface AddProductOptions {
  /** Multiplier of `input` (default 1; 0 ignores input's values, NaN included). */
  beta?: number;
  /** Multiplier of the product (default 1). */
  alpha?: number;
}

/** beta·input + alpha·product, with input broadcast to the product's shape (never beyond). */
function addProduct(op: string, input: Tensor, product: Tensor, o: AddProductOptions): Tensor {
  const { beta = 1, alpha = 1 } = o;
  const bshape = (() => {
    try {
      return broadcastShapes(op, input.shape, product.shape);
    } catch {
      return null;
    }
  })();
  if (!bshape || bshape.join() !== product.shape.join()) {
    throw new RangeError(
      `${op}: input of shape ${fmtShape(input.shape)} cannot be broadcast to the product's ` +
        `shape ${fmtShape(product.shape)}`,
    );
  }
  const scaled = alpha === 1 ? product : mul(product, alpha);
  if (beta === 0) {
    // NOTE: beta = 0 must not multiply input (PyTorch ignores its values, NaN and inf
    // included) yet input still gets a zero gradient: select 0 through an all-false mask.
    if (!input.requiresGrad) return scaled === product ? add(product, 0) : scaled;
    return add(scaled, where(filledTensor(input.shape, 0, "bool", input.device), input, 0));
  }
  return add(beta === 1 ? input : mul(input, beta), scaled);
}

/** beta·input + alpha·(mat1 @ mat2) for 2-D mats, like `torch.addmm`. */
export function addmm(
  input: Tensor,
  mat1: Tensor,
  mat2: Tensor,
  opts: AddProductOptions = {},
): Tensor {
  expectDims("addmm", ["mat1", "mat2"], [mat1, mat2], [2, 2]);
  return scope(() => addProduct("addmm", input, matmul(mat1, mat2), opts));
}

/** beta·input + alpha·(mat @ vec), like `torch.addmv`. */
export function addmv(
  input: Tensor,
  mat: Tensor,
  vec: Tensor,
  opts: AddProductOptions = {},
): Tensor {
  return scope(() => addProduct("addmv", input, mv(mat, vec), opts));
}

/** beta·input + alpha·outer(vec1, vec2), like `torch.addr`. */
export function addr(
  input: Tensor,
  vec1: Tensor,
  vec2: Tensor,
  opts: AddProductOptions = {},
): Tensor {
  return scope(() => addProduct("addr", input, outer(vec1, vec2), opts));
}

function checkBatches(op: string, b1: Tensor, b2: Tensor): void {
  expectDims(op, ["batch1", "batch2"], [b1, b2], [3, 3]);
  if (b1.shape[0] !== b2.shape[0] || b1.shape[2] !== b2.shape[1]) {
    throw new RangeError(
      `${op}: batch1 ${fmtShape(b1.shape)} and batch2 ${fmtShape(b2.shape)} must be [b, n, m] ` +
        "and [b, m, p]",
    );
  }
}

/** beta·input + alpha·Σ_b batch1[b] @ batch2[b], like `torch.addbmm`. */
export function addbmm(
  input: Tensor,
  batch1: Tensor,
  batch2: Tensor,
  opts: AddProductOptions = {},
): Tensor {
  checkBatches("addbmm", batch1, batch2);
  return scope(() => addProduct("addbmm", input, sum(matmul(batch1, batch2), 0), opts));
}

/** beta·input + alpha·(batch1 @ batch2) per batch, like `torch.baddbmm`. */
export function baddbmm(
  input: Tensor,
  batch1: Tensor,
  batch2: Tensor,
  opts: AddProductOptions = {},
): Tensor {
  checkBatches("baddbmm", batch1, batch2);
  return scope(() => addProduct("baddbmm", input, matmul(batch1, batch2), opts));
}

/**
 * Product of a chain of matrices, like `torch.linalg.multi_dot`: the first may be 1-D (a row
 * vector) and the last 1-D (a column vector); the rest must be 2-D. Multiplied in the order
 * that needs the fewest scalar multiplications (the classic chain-order dynamic program).
 */
export function multiDot(tensors: Tensor[]): Tensor {
  const n = tensors.length;
  if (n < 2) throw new RangeError(`multiDot: expected at least 2 tensors, got ${n}`);
  tensors.forEach((t, i) => {
    t.check("multiDot");
    const ok = t.ndim === 2 || (t.ndim === 1 && (i === 0 || i === n - 1));
    if (!ok) {
      throw new RangeError(
        `multiDot: tensor ${i} must be 2-D${i === 0 || i === n - 1 ? " or 1-D" : ""}, got ` +
          fmtShape(t.shape),
      );
    }
  });
  return scope(() => {
    const mats = tensors.map((t, i) =>
      t.ndim === 2 ? t : i === 0 ? unsqueeze(t, 0) : unsqueeze(t, 1)
    );
    for (let i = 1; i < n; i++) {
      if (mats[i - 1].shape[1] !== mats[i].shape[0]) {
        throw new RangeError(
          `multiDot: tensors ${i - 1} and ${i} cannot be multiplied (shapes ${
            tensors.map((t) => fmtShape(t.shape)).join(", ")
          })`,
        );
      }
    }
    const dims = [mats[0].shape[0], ...mats.map((m) => m.shape[1])];
    const cost: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    const split: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let len = 1; len < n; len++) {
      for (let i = 0; i + len < n; i++) {
        const j = i + len;
        cost[i][j] = Infinity;
        for (let k = i; k < j; k++) {
          const c = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1];
          if (c < cost[i][j]) {
            cost[i][j] = c;
            split[i][j] = k;
          }
        }
      }
    }
    const prod = (i: number, j: number): Tensor =>
      i === j ? mats[i] : matmul(prod(i, split[i][j]), prod(split[i][j] + 1, j));
    let r = prod(0, n - 1);
    if (tensors[0].ndim === 1) r = reshape(r, r.shape.slice(1));
    if (tensors[n - 1].ndim === 1) r = reshape(r, r.shape.slice(0, -1));
    return r;
  });
}

/** Product of 2-D matrices in order, like the deprecated `torch.chain_matmul`. */
export function chainMatmul(...matrices: Tensor[]): Tensor {
  matrices.forEach((m, i) => {
    if (m.check("chainMatmul").ndim !== 2) {
      throw new RangeError(`chainMatmul: tensor ${i} must be 2-D, got ${fmtShape(m.shape)}`);
    }
  });
  if (matrices.length === 1) return clone(matrices[0]);
  return multiDot(matrices);
}

/**
 * Contracts dims of `a` with dims of `b`, like `torch.tensordot`: `dims` is a count (the last
 * `dims` of a with the first `dims` of b; default 2) or two lists of dims.
 */
export function tensordot(
  a: Tensor,
  b: Tensor,
  dims: number | [number | number[], number | number[]] = 2,
): Tensor {
  a.check("tensordot");
  b.check("tensordot");
  let da: number[], db: number[];
  if (typeof dims === "number") {
    if (!Number.isInteger(dims) || dims < 0 || dims > a.ndim || dims > b.ndim) {
      throw new RangeError(
        `tensordot: dims (${dims}) must be a non-negative integer at most the dims of ` +
          `${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
      );
    }
    da = a.shape.map((_, i) => i).slice(a.ndim - dims);
    db = Array.from({ length: dims }, (_, i) => i);
  } else {
    const [x, y] = dims;
    da = (Array.isArray(x) ? x : [x]).map((d) => normDim("tensordot", d, a.ndim));
    db = (Array.isArray(y) ? y : [y]).map((d) => normDim("tensordot", d, b.ndim));
  }
  if (da.length !== db.length) {
    throw new RangeError(
      `tensordot: both dim lists must have the same length (got ${da.length} and ${db.length})`,
    );
  }
  da.forEach((d, i) => {
    if (a.shape[d] !== b.shape[db[i]]) {
      throw new RangeError(
        `tensordot: contracted dimensions need to match, but first has size ${a.shape[d]} in ` +
          `dim ${d} and second has size ${b.shape[db[i]]} in dim ${db[i]} (shapes ` +
          `${fmtShape(a.shape)} and ${fmtShape(b.shape)})`,
      );
    }
  });
  const fa = a.shape.map((_, i) => i).filter((i) => !da.includes(i));
  const fb = b.shape.map((_, i) => i).filter((i) => !db.includes(i));
  const k = numelOf(da.map((d) => a.shape[d]));
  return scope(() => {
    const am = reshape(permute(a, [...fa, ...da]), [numelOf(fa.map((d) => a.shape[d])), k]);
    const bm = reshape(permute(b, [...db, ...fb]), [k, numelOf(fb.map((d) => b.shape[d]))]);
    return reshape(matmul(am, bm), [...fa.map((d) => a.shape[d]), ...fb.map((d) => b.shape[d])]);
  });
}

/** Kronecker product, like `torch.kron`: out[i·B + j] = a[i]·b[j] in every dim. */
export function kron(a: Tensor, b: Tensor): Tensor {
  a.check("kron");
  b.check("kron");
  const nd = Math.max(a.ndim, b.ndim);
  const as = [...new Array<number>(nd - a.ndim).fill(1), ...a.shape];
  const bs = [...new Array<number>(nd - b.ndim).fill(1), ...b.shape];
  return scope(() => {
    const av = reshape(a, as.flatMap((s) => [s, 1]));
    const bv = reshape(b, bs.flatMap((s) => [1, s]));
    return reshape(mul(av, bv), as.map((s, i) => s * bs[i]));
  });
}

/**
 * Cross product of 3-vectors along `dim`, with broadcasting, like `torch.cross`: without
 * `dim`, the first dim of size 3 (PyTorch 1.13's default; `torch.linalg.cross` uses -1).
 */
export function cross(a: Tensor, b: Tensor, dim?: number): Tensor {
  a.check("cross");
  b.check("cross");
  if (a.ndim !== b.ndim) {
    throw new RangeError(
      `cross: inputs must have the same number of dims, got ${fmtShape(a.shape)} and ${
        fmtShape(b.shape)
      }`,
    );
  }
  const shape = broadcastShapes("cross", a.shape, b.shape);
  const d = dim === undefined ? shape.indexOf(3) : normDim("cross", dim, shape.length);
  if (d < 0 || shape[d] !== 3) {
    throw new RangeError(
      `cross: ${
        dim === undefined ? "no dimension of size 3 in" : `dim ${dim} must have size 3 in`
      } ` +
        `input shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
    );
  }
  return scope(() => {
    const ae = expand(a, shape), be = expand(b, shape);
    const i1 = tensor(new Int32Array([1, 2, 0]), { device: a.device });
    const i2 = tensor(new Int32Array([2, 0, 1]), { device: a.device });
    return sub(
      mul(indexSelect(ae, d, i1), indexSelect(be, d, i2)),
      mul(indexSelect(ae, d, i2), indexSelect(be, d, i1)),
    );
  });
}

/**
 * p-norm distances between the rows of x1 [..., P, M] and x2 [..., R, M] → [..., P, R], like
 * `torch.cdist` (p >= 0, Infinity included). Computed from the [..., P, R, M] differences, so
 * the gradient at zero distance is 0 as in PyTorch; memory grows with P·R·M.
 */
export function cdist(x1: Tensor, x2: Tensor, p = 2): Tensor {
  x1.check("cdist");
  x2.check("cdist");
  if (x1.ndim < 2 || x2.ndim < 2) {
    throw new RangeError(
      `cdist: expected x1 and x2 with at least 2 dims, got ${fmtShape(x1.shape)} and ${
        fmtShape(x2.shape)
      }`,
    );
  }
  if (x1.shape[x1.ndim - 1] !== x2.shape[x2.ndim - 1]) {
    throw new RangeError(
      `cdist: x1 ${fmtShape(x1.shape)} and x2 ${fmtShape(x2.shape)} must have the same ` +
        "number of columns",
    );
  }
  if (!(p >= 0)) throw new RangeError(`cdist: p must be non-negative (got ${p})`);
  return scope(() => norm(sub(unsqueeze(x1, -2), unsqueeze(x2, -3)), p, -1));
}

/** Options of `normalize` (F.normalize). */
export interface NormalizeOptions {
  /** Norm exponent (default 2). */
  p?: number;
  /** Dim to normalise over (default 1). */
  dim?: number;
  /** Lower bound of the divisor (default 1e-12). */
  eps?: number;
}

/** x / max(‖x‖_p, eps) along `dim`, like `torch.nn.functional.normalize`. */
export function normalize(x: Tensor, opts: NormalizeOptions = {}): Tensor {
  const { p = 2, dim = 1, eps = 1e-12 } = opts;
  x.check("normalize");
  const d = normDim("normalize", dim, Math.max(x.ndim, 1));
  return scope(() => div(x, clamp(norm(x, p, x.ndim ? d : undefined, true), eps)));
}

/** Options of `cosineSimilarity`. */
export interface CosineSimilarityOptions {
  /** Dim of the vectors (default 1). */
  dim?: number;
  /** Lower bound of each norm (default 1e-8). */
  eps?: number;
}

/**
 * Cosine of the angle between x1 and x2 along `dim` (broadcast), like
 * `torch.nn.functional.cosine_similarity`: Σ (x1/max(‖x1‖, eps))·(x2/max(‖x2‖, eps)), PyTorch
 * 1.13's formula.
 */
export function cosineSimilarity(
  x1: Tensor,
  x2: Tensor,
  opts: CosineSimilarityOptions = {},
): Tensor {
  const { dim = 1, eps = 1e-8 } = opts;
  x1.check("cosineSimilarity");
  x2.check("cosineSimilarity");
  const shape = broadcastShapes("cosineSimilarity", x1.shape, x2.shape);
  const d = normDim("cosineSimilarity", dim, shape.length);
  return scope(() => {
    const a = expand(x1, shape), b = expand(x2, shape);
    const na = clamp(norm(a, 2, d, true), eps), nb = clamp(norm(b, 2, d, true), eps);
    return sum(mul(div(a, na), div(b, nb)), d);
  });
}

/** Options of `pairwiseDistance`. */
export interface PairwiseDistanceOptions {
  /** Norm exponent (default 2). */
  p?: number;
  /** Added to the difference to avoid a zero norm (default 1e-6). */
  eps?: number;
  /** Keep the reduced last dim (default false). */
  keepdim?: boolean;
}

/** ‖x1 − x2 + eps‖_p over the last dim, like `torch.nn.functional.pairwise_distance`. */
export function pairwiseDistance(
  x1: Tensor,
  x2: Tensor,
  opts: PairwiseDistanceOptions = {},
): Tensor {
  const { p = 2, eps = 1e-6, keepdim = false } = opts;
  x1.check("pairwiseDistance");
  x2.check("pairwiseDistance");
  const nd = Math.max(x1.ndim, x2.ndim);
  return scope(() => {
    const diff = add(sub(x1, x2), eps);
    return norm(diff, p, nd ? nd - 1 : undefined, keepdim);
  });
}

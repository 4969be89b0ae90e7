/**
 * Sorting and selection: sort, argsort, msort, topk, kthvalue, median, unique, searchsorted,
 * bucketize, bincount, and max/min with a dim. Every op runs on the backend's `sort` and
 * `searchSorted` primitives plus ordinary tensor ops, so webgpu tensors never leave the device;
 * only `unique` and `bincount`, whose output sizes depend on the data, read back one or two
 * scalars (and are therefore async).
 */
import type { Strided } from "../backend/backend.ts";
import { record } from "../autograd/function.ts";
import { noGrad } from "../autograd/grad_mode.ts";
import { type DType, isFloating } from "../tensor/dtype.ts";
import { contiguousStrides, fmtShape, normDim, numelOf } from "../tensor/shape.ts";
import { Tensor, type ValuesIndices } from "../tensor/tensor.ts";
import { scope } from "../tensor/memory.ts";
import { arange } from "../tensor/creation.ts";
import { backendOf, emptyTensor, filledTensor } from "./dispatch.ts";
import { compare, div, maximum, minimum, mul, sub, where } from "./elementwise.ts";
import { isnan } from "./math.ts";
import { gather, scatterGrad, scatterRaw } from "./index.ts";
import { amax, amin, keptShape, maxDim, sum } from "./reduce.ts";
import { reshape, slice } from "./view.ts";
import { cat, stack } from "./join.ts";
import { contiguousCopy, to } from "./convert.ts";

function pack(values: Tensor, indices: Tensor): ValuesIndices {
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

/**
 * Sorts x along dim d with no autograd: values and int32 indices shaped like x. The backend
 * sorts the last dim of a view, so d is moved last by strides alone (no copy) and the outputs
 * get strides that put it back.
 */
function sortRaw(op: string, x: Tensor, d: number, descending: boolean): [Tensor, Tensor] {
  const b = backendOf(op, x);
  const nd = x.ndim;
  const perm = [...Array(nd).keys()].filter((i) => i !== d);
  if (nd) perm.push(d);
  const pshape = perm.map((i) => x.shape[i]);
  const view: Strided = nd
    ? {
      storage: x.storage,
      shape: pshape,
      strides: perm.map((i) => x.strides[i]),
      offset: x.offset,
    }
    : { storage: x.storage, shape: [1], strides: [0], offset: x.offset };
  const n = numelOf(pshape);
  const vs = b.alloc(x.dtype, n), is = b.alloc("int32", n);
  if (n) b.sort(view, descending, vs, is);
  const cs = contiguousStrides(pshape);
  const strides = new Array<number>(nd);
  perm.forEach((p, i) => (strides[p] = cs[i]));
  return [new Tensor(vs, x.shape, strides, 0), new Tensor(is, x.shape, strides, 0)];
}

/** A contiguous copy of positions [start, start + len) of dim d (dropped when `squeeze`). */
function takeRaw(t: Tensor, d: number, start: number, len: number, squeeze = false): Tensor {
  const shape = [...t.shape], strides = [...t.strides];
  shape[d] = len;
  if (squeeze) {
    shape.splice(d, 1);
    strides.splice(d, 1);
  }
  const out = emptyTensor(shape, t.dtype, t.device);
  const src: Strided = {
    storage: t.storage,
    shape,
    strides,
    offset: t.offset + start * t.strides[d],
  };
  if (out.numel) backendOf("copy", t).unary("copy", src, out);
  return out;
}

/**
 * Records the gradient of values picked out of x along d at `indices` (PyTorch's
 * value_selecting_reduction_backward): g is scattered back to the picked positions.
 */
function recordPicked(
  name: string,
  values: Tensor,
  x: Tensor,
  d: number,
  indices: Tensor,
  keepdim: boolean,
): Tensor {
  const shape = x.shape;
  return record(values, name, [x], [indices], (g, [idx]) => {
    const kept = keptShape(shape, [d], true);
    const gk = keepdim ? g : reshape(g, kept);
    const ik = keepdim ? idx : reshape(idx, kept);
    // Positions picked in one row are distinct, so a plain scatter (no accumulation) suffices.
    return [scatterGrad(name, shape, d, ik, gk, false)];
  });
}

/** Runs `fn` on x seen as 1-D when x is 0-d (PyTorch treats a scalar as one row of one element). */
function on1d<T extends Tensor | ValuesIndices>(
  x: Tensor,
  fn: (x1: Tensor) => T,
  back: (t: Tensor) => Tensor,
): T | null {
  if (x.ndim !== 0) return null;
  const x1 = reshape(x, [1]);
  const r = fn(x1);
  x1.dispose();
  if (r instanceof Tensor) {
    const o = back(r);
    r.dispose();
    return o as T;
  }
  const [v, i] = r as ValuesIndices;
  const out = pack(back(v), back(i));
  v.dispose();
  i.dispose();
  return out as T;
}

/** Keyword-only options of `sort` and `argsort`. */
export interface SortOptions {
  /**
   * Keep equal elements in input order. Accepted for PyTorch compatibility: both backends
   * always sort stably (an unstable sort may return any order of ties, this one included).
   */
  stable?: boolean;
}

/**
 * Sorts the elements of x along `dim` (ascending unless `descending`), like `torch.sort`.
 * NaN sorts as the largest value; ties keep their input order. Returns the sorted values and
 * the int32 positions they came from (PyTorch: int64); gradients flow to those positions.
 *
 * @example
 * ```ts
 * const [values, indices] = sort(tensor([3, 1, 2]));  // [1, 2, 3], [1, 2, 0]
 * ```
 */
export function sort(
  x: Tensor,
  dim = -1,
  descending = false,
  _opts: SortOptions = {},
): ValuesIndices {
  x.check("sort");
  const s = on1d(x, (x1) => sort(x1, 0, descending), (t) => reshape(t, []));
  if (s) return s;
  const d = normDim("sort", dim, x.ndim);
  const [values, indices] = sortRaw("sort", x, d, descending);
  return pack(recordPicked("SortBackward", values, x, d, indices, true), indices);
}

/** The int32 indices that sort x along `dim`, like `torch.argsort` (see `sort`). */
export function argsort(x: Tensor, dim = -1, descending = false, _opts: SortOptions = {}): Tensor {
  x.check("argsort");
  if (x.ndim === 0) return filledTensor([], 0, "int32", x.device);
  const [values, indices] = sortRaw("argsort", x, normDim("argsort", dim, x.ndim), descending);
  values.dispose();
  return indices;
}

/** x sorted along its first dim (values only), like `torch.msort`. */
export function msort(x: Tensor): Tensor {
  const [values, indices] = sort(x, 0);
  indices.dispose();
  return values;
}

/**
 * The k largest (or, with `largest` false, smallest) elements of x along `dim` and their
 * int32 indices, like `torch.topk`. Results always come sorted (PyTorch leaves the order
 * unspecified when `sorted` is false); among equal values the lower index comes first.
 */
export function topk(
  x: Tensor,
  k: number,
  dim = -1,
  largest = true,
  _sorted = true,
): ValuesIndices {
  x.check("topk");
  const s = on1d(x, (x1) => topk(x1, k, 0, largest), (t) => reshape(t, []));
  if (s) return s;
  const d = normDim("topk", dim, x.ndim);
  const n = x.shape[d];
  if (!Number.isInteger(k) || k < 0 || k > n) {
    throw new RangeError(
      `topk: k (${k}) is out of range for dim ${dim} of size ${n} (input shape ` +
        `${fmtShape(x.shape)}); expected an integer 0 <= k <= ${n}`,
    );
  }
  const [sv, si] = sortRaw("topk", x, d, largest);
  const values = takeRaw(sv, d, 0, k), indices = takeRaw(si, d, 0, k);
  sv.dispose();
  si.dispose();
  return pack(recordPicked("TopkBackward", values, x, d, indices, true), indices);
}

/**
 * The k-th smallest element (1-based) of x along `dim` and its int32 index, like
 * `torch.kthvalue`; NaN counts as the largest value.
 */
export function kthvalue(x: Tensor, k: number, dim = -1, keepdim = false): ValuesIndices {
  x.check("kthvalue");
  const s = on1d(x, (x1) => kthvalue(x1, k, 0, true), (t) => reshape(t, []));
  if (s) return s;
  const d = normDim("kthvalue", dim, x.ndim);
  const n = x.shape[d];
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new RangeError(
      `kthvalue: k (${k}) is out of range for dim ${dim} of size ${n} (input shape ` +
        `${fmtShape(x.shape)}); expected an integer 1 <= k <= ${n}`,
    );
  }
  const [sv, si] = sortRaw("kthvalue", x, d, false);
  const values = takeRaw(sv, d, k - 1, 1, !keepdim), indices = takeRaw(si, d, k - 1, 1, !keepdim);
  sv.dispose();
  si.dispose();
  return pack(recordPicked("KthvalueBackward", values, x, d, indices, keepdim), indices);
}

/** Median along d with indices (lower median; a row holding NaN gives its first NaN). */
function medianDim(x: Tensor, d: number, keepdim: boolean): ValuesIndices {
  const n = x.shape[d];
  if (n === 0) {
    throw new RangeError(
      `median: cannot take the median over dim ${d} of size 0 (input shape ` +
        `${fmtShape(x.shape)}); expected a non-empty dim`,
    );
  }
  const m = (n - 1) >> 1;
  const [sv, si] = sortRaw("median", x, d, false);
  let values: Tensor, indices: Tensor;
  if (!isFloating(x.dtype)) {
    values = takeRaw(sv, d, m, 1, !keepdim);
    indices = takeRaw(si, d, m, 1, !keepdim);
  } else {
    // NOTE: torch.median returns NaN (at the first NaN's index) for any row holding one; NaNs
    // sort last in index order, so the first NaN sits at n - (number of NaNs).
    [values, indices] = noGrad(() =>
      scope(() => {
        const nans = sum(isnan(x), d, true);
        const pos = where(compare("gt", nans, 0), sub(n, nans), m);
        const v = gather(sv, d, pos), i = gather(si, d, pos);
        if (keepdim) return [v, i];
        const shape = keptShape(x.shape, [d], false);
        return [reshape(v, shape), reshape(i, shape)];
      })
    );
  }
  sv.dispose();
  si.dispose();
  return pack(recordPicked("MedianBackward", values, x, d, indices, keepdim), indices);
}

/** The lower median of all elements of x (0-d), like `torch.median(x)`. */
export function median(x: Tensor): Tensor;
/**
 * The lower median along `dim` and its int32 index, like `torch.median(x, dim)`; a row with a
 * NaN gives NaN (use a NaN-free input for `nanmedian`-like results).
 */
export function median(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function median(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  x.check("median");
  if (x.dtype === "bool") {
    throw new TypeError("median: not implemented for bool tensors (as in PyTorch); convert first");
  }
  if (dim !== undefined) {
    const s = on1d(x, (x1) => medianDim(x1, 0, true), (t) => reshape(t, []));
    if (s) return s;
    return medianDim(x, normDim("median", dim, x.ndim), keepdim);
  }
  if (x.numel === 0) {
    if (!isFloating(x.dtype)) {
      throw new RangeError(`median: cannot take the median of an empty ${x.dtype} tensor`);
    }
    return filledTensor([], NaN, x.dtype, x.device);
  }
  const value = noGrad(() =>
    scope(() => {
      const flat = reshape(x, [-1]);
      const [v] = medianDim(flat, 0, false);
      return v;
    })
  );
  // PyTorch's median() spreads the gradient evenly over every element equal to the median
  // (evenly_distribute_backward), unlike median(dim), which picks one index.
  return record(value, "MedianBackward", [x], [x, value], (g, [xv, v]) => {
    const isNan = isnan(v);
    const mask = to(
      where(isNan, isnan(xv), compare("eq", xv, v)),
      g.dtype,
    );
    return [mul(mask, div(g, sum(mask)))];
  });
}

/** Options of `unique`. */
export interface UniqueOptions {
  /** Return the values in ascending order (always done; accepted for PyTorch compatibility). */
  sorted?: boolean;
  /** Also return, for every input element, the position of its value in the output. */
  returnInverse?: boolean;
  /** Also return how often each unique value occurs. */
  returnCounts?: boolean;
  /** Only undefined (unique elements of the flattened input) is supported. */
  dim?: number;
}

/** Unique values only. */
export function unique(
  x: Tensor,
  opts?: UniqueOptions & { returnInverse?: false; returnCounts?: false },
): Promise<Tensor>;
/** [values, inverse] or [values, counts]. */
export function unique(
  x: Tensor,
  opts:
    & UniqueOptions
    & ({ returnInverse: true; returnCounts?: false } | {
      returnInverse?: false;
      returnCounts: true;
    }),
): Promise<[Tensor, Tensor]>;
/** [values, inverse, counts]. */
export function unique(
  x: Tensor,
  opts: UniqueOptions & { returnInverse: true; returnCounts: true },
): Promise<[Tensor, Tensor, Tensor]>;
/** The general form: a tensor, or the tuple the flags select. */
export function unique(x: Tensor, opts: UniqueOptions): Promise<Tensor | Tensor[]>;
/**
 * The sorted unique elements of x (flattened), like `torch.unique`, optionally with the
 * inverse mapping (x's shape) and the counts, as int32. Async because the output size depends
 * on the data: the work stays on x's device and only the number of unique values is read back.
 * NaNs never compare equal, so each NaN is its own unique value, as in PyTorch. Not
 * differentiable (as in PyTorch).
 */
export async function unique(x: Tensor, opts: UniqueOptions = {}): Promise<Tensor | Tensor[]> {
  x.check("unique");
  if (opts.dim !== undefined && opts.dim !== null) {
    throw new RangeError(
      `unique: dim=${opts.dim} is not supported; only dim=undefined (unique elements of the ` +
        `flattened input of shape ${fmtShape(x.shape)})`,
    );
  }
  const n = x.numel, dev = x.device;
  const flat = noGrad(() => reshape(x, [-1]));
  const [sv, si] = sortRaw("unique", flat, 0, false);
  flat.dispose();
  // Run starts in the sorted order: the first element, and every element unlike its predecessor.
  const startsI32 = noGrad(() =>
    scope(() => {
      if (n === 0) return filledTensor([0], 0, "int32", dev);
      const first = filledTensor([1], 1, "bool", dev);
      const diff = compare("ne", slice(sv, 0, 1), slice(sv, 0, 0, n - 1));
      return to(cat([first, diff]), "int32");
    })
  );
  const countT = sum(startsI32);
  const count = await countT.item();
  countT.dispose();
  const [startPos, uniq] = noGrad(() =>
    scope(() => {
      // Stable argsort of "not a start" lists the start positions first, in order: a
      // compaction made of the sort primitive (no scan needed).
      const [, order] = sortRaw("unique", sub(1, startsI32), 0, false);
      const sp = takeRaw(order, 0, 0, count);
      return [sp, gather(sv, 0, sp)];
    })
  );
  startsI32.dispose();
  const outs: Tensor[] = [uniq];
  if (opts.returnInverse) {
    outs.push(noGrad(() =>
      scope(() => {
        // The run of sorted position i is the number of run starts at or before i, minus one.
        const run = sub(
          searchsorted(startPos, arange(n, undefined, 1, { device: dev }), { right: true }),
          1,
        );
        const inv = filledTensor([n], 0, "int32", dev);
        scatterRaw(inv, 0, si, run, false);
        return reshape(inv, x.shape);
      })
    ));
  }
  if (opts.returnCounts) {
    outs.push(noGrad(() =>
      scope(() => {
        const ends = cat([slice(startPos, 0, 1), filledTensor([1], n, "int32", dev)]);
        return sub(ends, startPos);
      })
    ));
  }
  sv.dispose();
  si.dispose();
  startPos.dispose();
  return outs.length === 1 ? outs[0] : outs;
}

/** Options of `searchsorted`. */
export interface SearchSortedOptions {
  /** Return the last insertion point (first element > value) instead of the first (>=). */
  right?: boolean;
  /** "left" or "right", the same choice as `right`; must agree with it when both are given. */
  side?: "left" | "right";
  /** Accepted for PyTorch compatibility: indices are always int32 here. */
  outInt32?: boolean;
}

function scalarLike(v: Tensor | number, like: Tensor): Tensor {
  return v instanceof Tensor ? v.alias() : filledTensor([], v, like.dtype, like.device);
}

/**
 * Insertion points that keep `sortedSequence` sorted, like `torch.searchsorted`: for each value,
 * the index of the first element >= it (> with `right`), as int32. A 1-D sequence serves every
 * value; an N-D one must share values' leading dims and is searched row by row.
 */
export function searchsorted(
  sortedSequence: Tensor,
  values: Tensor | number,
  opts: SearchSortedOptions = {},
): Tensor {
  const op = "searchsorted";
  sortedSequence.check(op);
  if (opts.side !== undefined && opts.side !== "left" && opts.side !== "right") {
    throw new RangeError(
      `${op}: side must be "left" or "right" (got ${JSON.stringify(opts.side)})`,
    );
  }
  if (opts.side === "left" && opts.right) {
    throw new RangeError(
      `${op}: side and right can't be set to opposites, got side of left while right was true`,
    );
  }
  const right = opts.right || opts.side === "right";
  const seq = sortedSequence;
  const v = scalarLike(values, seq);
  try {
    const b = backendOf(op, seq, v);
    if (seq.dtype !== v.dtype) {
      throw new TypeError(
        `${op}: the sorted sequence (${seq.dtype} ${fmtShape(seq.shape)}) and the values ` +
          `(${v.dtype} ${fmtShape(v.shape)}) must have the same dtype`,
      );
    }
    if (seq.ndim === 0) {
      throw new RangeError(
        `${op}: the sorted sequence must have at least 1 dim (got a 0-d tensor)`,
      );
    }
    const M = seq.shape[seq.ndim - 1];
    const lead = seq.shape.slice(0, -1);
    if (
      seq.ndim > 1 &&
      (v.ndim !== seq.ndim || lead.some((s, i) => s !== v.shape[i]))
    ) {
      throw new RangeError(
        `${op}: a sorted sequence of more than 1 dim must share all but its last dim with the ` +
          `values, but got sequence ${fmtShape(seq.shape)} and values ${fmtShape(v.shape)}`,
      );
    }
    const out = emptyTensor(v.shape, "int32", v.device);
    if (!out.numel) return out;
    return noGrad(() =>
      scope(() => {
        const sc = seq.isContiguous() ? seq : contiguousCopy(seq);
        const vc = v.isContiguous() ? v : contiguousCopy(v);
        const B = numelOf(lead), Q = v.numel / (seq.ndim > 1 ? B : 1);
        const sView: Strided = seq.ndim > 1
          ? { storage: sc.storage, shape: [B, M], strides: [M, 1], offset: sc.offset }
          : { storage: sc.storage, shape: [1, M], strides: [0, 1], offset: sc.offset };
        const rows = seq.ndim > 1 ? B : 1;
        const vView: Strided = {
          storage: vc.storage,
          shape: [rows, Q],
          strides: [Q, 1],
          offset: vc.offset,
        };
        b.searchSorted(sView, vView, right, out.storage);
        return out;
      })
    );
  } finally {
    v.dispose();
  }
}

/** Options of `bucketize`. */
export interface BucketizeOptions {
  /** Bucket i holds boundaries[i-1] <= x < boundaries[i] (default: boundaries[i-1] < x <= boundaries[i]). */
  right?: boolean;
  /** Accepted for PyTorch compatibility: indices are always int32 here. */
  outInt32?: boolean;
}

/**
 * The bucket of every element of `input` given sorted 1-D `boundaries`, like `torch.bucketize`
 * (int32, input's shape).
 */
export function bucketize(
  input: Tensor | number,
  boundaries: Tensor,
  opts: BucketizeOptions = {},
): Tensor {
  boundaries.check("bucketize");
  if (boundaries.ndim !== 1) {
    throw new RangeError(
      `bucketize: boundaries must be a 1-D tensor (got shape ${fmtShape(boundaries.shape)})`,
    );
  }
  return searchsorted(boundaries, input, { right: opts.right });
}

/**
 * Counts of each value in a 1-D int32 tensor of non-negative values, like `torch.bincount`:
 * out[v] = number (or summed `weights`) of elements equal to v, with length
 * max(max(x) + 1, minlength). Async because that length depends on the data: only min(x) and
 * max(x) are read back; the counting runs on x's device. Output dtype: int32 without weights,
 * else the weights' floating dtype (int32 weights count in float64 on cpu, float32 on webgpu).
 */
export async function bincount(
  x: Tensor,
  weights: Tensor | null = null,
  minlength = 0,
): Promise<Tensor> {
  const op = "bincount";
  x.check(op);
  if (x.ndim !== 1 || x.dtype !== "int32") {
    throw new TypeError(
      `${op}: expected a 1-D int32 tensor of non-negative values, got ${x.dtype} ` +
        `${fmtShape(x.shape)}`,
    );
  }
  if (!Number.isInteger(minlength) || minlength < 0) {
    throw new RangeError(`${op}: minlength should be a non-negative integer (got ${minlength})`);
  }
  if (weights) {
    backendOf(op, x, weights);
    if (weights.ndim !== 1 || weights.shape[0] !== x.shape[0]) {
      throw new RangeError(
        `${op}: weights should be 1-D and have the same length as input, got input ` +
          `${fmtShape(x.shape)} and weights ${fmtShape(weights.shape)}`,
      );
    }
  }
  let len = minlength;
  if (x.numel) {
    const mm = noGrad(() => scope(() => stack([amin(x), amax(x)])));
    const [lo, hi] = await mm.toArray();
    mm.dispose();
    if (lo < 0) {
      throw new RangeError(`${op}: input must be non-negative, but its minimum is ${lo}`);
    }
    len = Math.max(hi + 1, minlength);
  }
  const dtype: DType = !weights
    ? "int32"
    : isFloating(weights.dtype)
    ? weights.dtype
    : x.device === "cpu"
    ? "float64"
    : "float32";
  const out = filledTensor([len], 0, dtype, x.device);
  if (x.numel) {
    noGrad(() =>
      scope(() => {
        const src = weights
          ? to(weights.detach(), dtype)
          : filledTensor([x.numel], 1, "int32", x.device);
        scatterRaw(out, 0, x, src, true);
      })
    );
  }
  return out;
}

/** The largest element of x (0-d), like `torch.max(x)`. */
export function max(x: Tensor): Tensor;
/** The largest elements along `dim` and their int32 indices, like `torch.max(x, dim)`. */
export function max(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
/** The elementwise maximum of two tensors, like `torch.max(x, other)`. */
export function max(x: Tensor, other: Tensor): Tensor;
export function max(x: Tensor, dim?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
  if (dim instanceof Tensor) return maximum(x, dim);
  return dim === undefined ? amax(x) : maxDim(x, dim, keepdim, "max");
}

/** The smallest element of x (0-d), like `torch.min(x)`. */
export function min(x: Tensor): Tensor;
/** The smallest elements along `dim` and their int32 indices, like `torch.min(x, dim)`. */
export function min(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
/** The elementwise minimum of two tensors, like `torch.min(x, other)`. */
export function min(x: Tensor, other: Tensor): Tensor;
export function min(x: Tensor, dim?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
  if (dim instanceof Tensor) return minimum(x, dim);
  return dim === undefined ? amin(x) : maxDim(x, dim, keepdim, "min");
}

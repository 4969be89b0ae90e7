/**
 * More shape and index ops of the torch namespace, composed from views, cat, gather and
 * elementwise kernels: roll, tile, repeatInterleave, rot90, flipud/fliplr, movedim,
 * swapaxes, atleast1d/2d/3d, meshgrid, take, takeAlongDim, nonzero/argwhere, countNonzero,
 * tensorSplit and the h/v/d splits and stacks, broadcastTo/broadcastTensors and diff.
 */
import { noGrad } from "../autograd/grad_mode.ts";
import { arange, tensor } from "../tensor/creation.ts";
import { scope } from "../tensor/memory.ts";
import { broadcastShapes, fmtShape, normDim, normDims } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { filledTensor } from "./dispatch.ts";
import { clone, readCpu } from "./convert.ts";
import { add, compare, sub, where } from "./elementwise.ts";
import { flip, gather, indexSelect, scatterRaw } from "./index.ts";
import { cat, repeat } from "./join.ts";
import { sum } from "./reduce.ts";
import { cumsum } from "./scan.ts";
import { expand, flatten, narrow, permute, reshape, transpose } from "./view.ts";

/**
 * Rolls `x` by `shifts` along `dims` (elements pushed past the end come back at the start),
 * like `torch.roll`; without dims the flattened tensor is rolled and reshaped back.
 */
export function roll(x: Tensor, shifts: number | number[], dims?: number | number[]): Tensor {
  x.check("roll");
  const sh = Array.isArray(shifts) ? shifts : [shifts];
  if (dims === undefined || (Array.isArray(dims) && dims.length === 0)) {
    if (sh.length !== 1) {
      throw new RangeError(
        `roll: without dims, shifts must be a single number (got ${fmtShape(sh)})`,
      );
    }
    return scope(() => reshape(roll(flatten(x), sh[0], 0), x.shape));
  }
  const ds = Array.isArray(dims) ? dims : [dims];
  if (x.ndim === 0) {
    throw new RangeError(`roll: dim ${ds[0]} specified, but a 0-dim tensor has no dims`);
  }
  if (ds.length !== sh.length) {
    throw new RangeError(
      `roll: shifts and dims must align (got shifts ${fmtShape(sh)} and dims ${fmtShape(ds)})`,
    );
  }
  return scope(() => {
    let y = x;
    ds.forEach((dim, i) => {
      const d = normDim("roll", dim, x.ndim);
      const n = x.shape[d];
      const s = n ? ((sh[i] % n) + n) % n : 0;
      if (s) y = cat([narrow(y, d, n - s, s), narrow(y, d, 0, n - s)], d);
    });
    return y === x ? clone(x) : y;
  });
}

/** Repeats `x` `reps[i]` times along dim i, like `torch.tile` (short reps are padded with 1s). */
export function tile(x: Tensor, reps: number[]): Tensor {
  x.check("tile");
  const r = reps.length < x.ndim
    ? [...new Array<number>(x.ndim - reps.length).fill(1), ...reps]
    : reps;
  return repeat(x, r);
}

/**
 * Repeats each element (or slice along `dim`) `repeats` times, like `torch.repeat_interleave`;
 * without `dim` the input is flattened. Per-element repeats come as a number[] or an int32 CPU
 * tensor: the output size depends on their values, so a webgpu repeats tensor must be read
 * first (`await r.toArray()`), which keeps this op synchronous.
 */
export function repeatInterleave(
  x: Tensor,
  repeats: number | number[] | Tensor,
  dim?: number,
): Tensor {
  x.check("repeatInterleave");
  const src = dim === undefined ? flatten(x) : x;
  const d = dim === undefined ? 0 : normDim("repeatInterleave", dim, src.ndim);
  const n = src.shape[d];
  let counts: number[];
  if (typeof repeats === "number") counts = [repeats];
  else if (Array.isArray(repeats)) counts = repeats;
  else {
    repeats.check("repeatInterleave");
    if (repeats.device !== "cpu") {
      throw new Error(
        `repeatInterleave: repeats on ${repeats.device} would need a synchronous readback to ` +
          "size the output; pass Array.from(await repeats.toArray()) instead",
      );
    }
    if (repeats.ndim > 1) {
      throw new RangeError(
        `repeatInterleave: repeats must be 0-D or 1-D, got shape ${fmtShape(repeats.shape)}`,
      );
    }
    counts = Array.from(readCpu(repeats));
  }
  if (counts.some((c) => !Number.isInteger(c) || c < 0)) {
    throw new RangeError(`repeatInterleave: repeats must be non-negative integers`);
  }
  const out = scope(() => {
    if (counts.length === 1 && (typeof repeats === "number" || n !== 1)) {
      const r = counts[0];
      const shape = [...src.shape];
      const u = reshape(src, [...shape.slice(0, d + 1), 1, ...shape.slice(d + 1)]);
      const e = expand(u, [...shape.slice(0, d + 1), r, ...shape.slice(d + 1)]);
      shape[d] *= r;
      return reshape(e, shape);
    }
    if (counts.length !== n) {
      throw new RangeError(
        `repeatInterleave: repeats must have the same size as input along dim ${d} (got ` +
          `${counts.length} repeats for input ${fmtShape(x.shape)})`,
      );
    }
    const idx = new Int32Array(counts.reduce((a, b) => a + b, 0));
    let k = 0;
    counts.forEach((c, i) => idx.fill(i, k, k += c));
    return indexSelect(src, d, tensor(idx, { device: x.device }));
  });
  if (src !== x) src.dispose();
  return out;
}

/**
 * Rotates by 90° `k` times in the plane of `dims` (from the first towards the second), like
 * `torch.rot90`.
 */
export function rot90(x: Tensor, k = 1, dims: [number, number] = [0, 1]): Tensor {
  x.check("rot90");
  if (dims.length !== 2) {
    throw new RangeError(`rot90: expected 2 rotation dims, got ${dims.length}`);
  }
  if (x.ndim < 2) throw new RangeError(`rot90: expected at least 2 dims, got ${fmtShape(x.shape)}`);
  const d0 = normDim("rot90", dims[0], x.ndim), d1 = normDim("rot90", dims[1], x.ndim);
  if (d0 === d1) throw new RangeError(`rot90: rotation dims must differ (got ${d0} twice)`);
  const r = ((k % 4) + 4) % 4;
  return scope(() => {
    if (r === 1) return transpose(flip(x, [d1]), d0, d1);
    if (r === 2) return flip(x, [d0, d1]);
    if (r === 3) return transpose(flip(x, [d0]), d0, d1);
    return clone(x);
  });
}

/** Flips dim 0 (up/down), like `torch.flipud`. */
export function flipud(x: Tensor): Tensor {
  if (x.check("flipud").ndim < 1) throw new RangeError("flipud: input must be at least 1-D");
  return flip(x, [0]);
}

/** Flips dim 1 (left/right), like `torch.fliplr`. */
export function fliplr(x: Tensor): Tensor {
  if (x.check("fliplr").ndim < 2) {
    throw new RangeError(`fliplr: input must be at least 2-D, got ${fmtShape(x.shape)}`);
  }
  return flip(x, [1]);
}

/** Moves dims `source` to positions `destination` keeping the others in order, like `torch.movedim`. */
export function movedim(
  x: Tensor,
  source: number | number[],
  destination: number | number[],
): Tensor {
  x.check("movedim");
  const srcIn = Array.isArray(source) ? source : [source];
  const dstIn = Array.isArray(destination) ? destination : [destination];
  if (srcIn.length !== dstIn.length) {
    throw new RangeError(
      `movedim: source ${fmtShape(srcIn)} and destination ${fmtShape(dstIn)} must have the same ` +
        "number of dims",
    );
  }
  const s = srcIn.map((d) => normDim("movedim", d, x.ndim));
  const t = dstIn.map((d) => normDim("movedim", d, x.ndim));
  if (new Set(s).size !== s.length || new Set(t).size !== t.length) {
    throw new RangeError(
      `movedim: repeated dim in source ${fmtShape(srcIn)} or destination ${fmtShape(dstIn)}`,
    );
  }
  if (x.ndim === 0) return reshape(x, []); // dims 0 / -1 name the scalar itself
  const perm = new Array<number>(x.ndim).fill(-1);
  s.forEach((d, i) => (perm[t[i]] = d));
  const rest = x.shape.map((_, i) => i).filter((i) => !s.includes(i));
  for (let i = 0, k = 0; i < x.ndim; i++) if (perm[i] < 0) perm[i] = rest[k++];
  return permute(x, perm);
}

/** Alias of `movedim` (NumPy's name, `torch.moveaxis`). */
export const moveaxis: (
  x: Tensor,
  source: number | number[],
  destination: number | number[],
) => Tensor = movedim;

/** Swaps two dims, like `torch.swapaxes` (an alias of transpose). */
export function swapaxes(x: Tensor, axis0: number, axis1: number): Tensor {
  return transpose(x, axis0, axis1);
}

/** Alias of `swapaxes` (`torch.swapdims`). */
export const swapdims: (x: Tensor, dim0: number, dim1: number) => Tensor = swapaxes;

function atLeast(x: Tensor, n: 1 | 2 | 3): Tensor {
  x.check(`atleast${n}d`);
  if (x.ndim >= n) return reshape(x, x.shape);
  if (x.ndim === 0) return reshape(x, new Array<number>(n).fill(1));
  if (x.ndim === 1) return reshape(x, n === 2 ? [1, x.shape[0]] : [1, x.shape[0], 1]);
  return reshape(x, [...x.shape, 1]);
}

/** Views with at least one dim, like `torch.atleast_1d` (a 0-d tensor becomes [1]). */
export function atleast1d(x: Tensor): Tensor;
/** Each tensor with at least one dim. */
export function atleast1d(xs: Tensor[]): Tensor[];
export function atleast1d(x: Tensor | Tensor[]): Tensor | Tensor[] {
  return Array.isArray(x) ? x.map((t) => atLeast(t, 1)) : atLeast(x, 1);
}

/** Views with at least two dims, like `torch.atleast_2d` ([n] becomes [1, n]). */
export function atleast2d(x: Tensor): Tensor;
/** Each tensor with at least two dims. */
export function atleast2d(xs: Tensor[]): Tensor[];
export function atleast2d(x: Tensor | Tensor[]): Tensor | Tensor[] {
  return Array.isArray(x) ? x.map((t) => atLeast(t, 2)) : atLeast(x, 2);
}

/** Views with at least three dims, like `torch.atleast_3d` ([n] → [1, n, 1], [m, n] → [m, n, 1]). */
export function atleast3d(x: Tensor): Tensor;
/** Each tensor with at least three dims. */
export function atleast3d(xs: Tensor[]): Tensor[];
export function atleast3d(x: Tensor | Tensor[]): Tensor | Tensor[] {
  return Array.isArray(x) ? x.map((t) => atLeast(t, 3)) : atLeast(x, 3);
}

/** Options of `meshgrid`. */
export interface MeshgridOptions {
  /** "ij" (matrix indexing, PyTorch 1.13's default) or "xy" (Cartesian: first two dims swapped). */
  indexing?: "ij" | "xy";
}

/**
 * Coordinate grids from 0-d/1-d tensors, like `torch.meshgrid`: output i holds tensor i's
 * values along dim i (dims 0 and 1 swapped for "xy"); outputs are broadcast views.
 */
export function meshgrid(tensors: Tensor[], opts: MeshgridOptions = {}): Tensor[] {
  const { indexing = "ij" } = opts;
  if (indexing !== "ij" && indexing !== "xy") {
    throw new RangeError(`meshgrid: indexing must be "ij" or "xy" (got "${indexing}")`);
  }
  if (!tensors.length) throw new RangeError("meshgrid: expected a non-empty list of tensors");
  tensors.forEach((t, i) => {
    if (t.check("meshgrid").ndim > 1) {
      throw new RangeError(`meshgrid: tensor ${i} must be 0-D or 1-D, got ${fmtShape(t.shape)}`);
    }
  });
  const sizes = tensors.map((t) => t.numel);
  const swap = indexing === "xy" && tensors.length >= 2;
  const pos = tensors.map((_, i) => (swap && i < 2 ? 1 - i : i));
  const shape = pos.map((_, k) => sizes[pos.indexOf(k)]);
  return tensors.map((t, i) =>
    scope(() => expand(reshape(t, shape.map((s, k) => (k === pos[i] ? s : 1))), shape))
  );
}

/** Elements of the flattened input at `index` (negative counts from the end), like `torch.take`. */
export function take(x: Tensor, index: Tensor): Tensor {
  x.check("take");
  index.check("take");
  if (index.dtype !== "int32") {
    throw new TypeError(`take: expected index of dtype int32, got ${index.dtype}`);
  }
  const n = x.numel;
  return scope(() => {
    const flatIdx = reshape(index, [-1]);
    const wrapped = where(compare("lt", flatIdx, 0), add(flatIdx, n), flatIdx);
    return reshape(gather(reshape(x, [-1]), 0, wrapped, "take"), index.shape);
  });
}

/**
 * Values along `dim` at `indices`, broadcasting the other dims, like `torch.take_along_dim`
 * (the partner of argsort/argmax with keepdim); without `dim` both are flattened.
 */
export function takeAlongDim(x: Tensor, indices: Tensor, dim?: number): Tensor {
  x.check("takeAlongDim");
  indices.check("takeAlongDim");
  if (dim === undefined) {
    return scope(() => gather(reshape(x, [-1]), 0, reshape(indices, [-1]), "takeAlongDim"));
  }
  if (x.ndim !== indices.ndim) {
    throw new RangeError(
      `takeAlongDim: input ${fmtShape(x.shape)} and indices ${fmtShape(indices.shape)} must ` +
        "have the same number of dims",
    );
  }
  const d = normDim("takeAlongDim", dim, x.ndim);
  const xs = x.shape.map((s, i) => (i === d ? indices.shape[d] : s));
  const ishape = broadcastShapes("takeAlongDim", xs, indices.shape);
  const xshape = ishape.map((s, i) => (i === d ? x.shape[d] : s));
  return scope(() => gather(expand(x, xshape), d, expand(indices, ishape), "takeAlongDim"));
}

/**
 * Indices of the non-zero elements given their count: a device-side compaction (a cumsum gives
 * each non-zero its output row, a scatter writes every coordinate there), no readback.
 */
function compact(x: Tensor, count: number): Tensor {
  return noGrad(() =>
    scope(() => {
      const nd = x.ndim;
      const flat = reshape(x, [-1]);
      const nz = compare("ne", flat, 0);
      // Zeros all land on the spare last row, which is cut off.
      const row = where(nz, sub(cumsum(nz, 0), 1), count);
      const cols = x.shape.map((s, k) => {
        const a = arange(s, undefined, 1, { dtype: "int32", device: x.device });
        const coord = reshape(
          expand(reshape(a, x.shape.map((_, j) => (j === k ? s : 1))), x.shape),
          [-1],
        );
        const out = filledTensor([count + 1], 0, "int32", x.device);
        scatterRaw(out, 0, row, coord, false);
        return reshape(narrow(out, 0, 0, count), [count, 1]);
      });
      return nd ? cat(cols, 1) : filledTensor([count, 0], 0, "int32", x.device);
    })
  );
}

/** The non-zero count of x as a 0-d int32 tensor on x's device. */
function countAll(x: Tensor): Tensor {
  return scope(() => sum(compare("ne", x, 0)));
}

/** Options of `nonzero`. */
export interface NonzeroOptions {
  /** Return one 1-D index tensor per dim instead of one [count, ndim] tensor. */
  asTuple?: boolean;
}

function nonzeroResult(x: Tensor, count: number, asTuple: boolean): Tensor | Tensor[] {
  const idx = compact(x, count);
  if (!asTuple) return idx;
  return scope(() =>
    x.ndim === 0
      ? [filledTensor([count], 0, "int32", x.device)]
      : x.shape.map((_, k) => reshape(narrow(idx, 1, k, 1), [count]))
  );
}

/**
 * Indices of the non-zero elements of a CPU tensor, like `torch.nonzero`: an int32
 * [count, ndim] tensor in row-major order, or with `asTuple` one 1-D tensor per dim. NOTE: the
 * output size depends on the data, so on webgpu use `nonzeroAsync`, which reads back one
 * number (the count) and does the rest on the device.
 */
export function nonzero(x: Tensor): Tensor;
/** One 1-D index tensor per dim (`as_tuple=True`). */
export function nonzero(x: Tensor, opts: { asTuple: true }): Tensor[];
/** Either form. */
export function nonzero(x: Tensor, opts: NonzeroOptions): Tensor | Tensor[];
export function nonzero(x: Tensor, opts: NonzeroOptions = {}): Tensor | Tensor[] {
  x.check("nonzero");
  if (x.device !== "cpu") {
    throw new Error(
      `nonzero: the output size of a ${x.device} tensor is only known after a readback; use ` +
        "`await nonzeroAsync(x)`",
    );
  }
  const c = countAll(x);
  const count = readCpu(c)[0];
  c.dispose();
  return nonzeroResult(x, count, opts.asTuple ?? false);
}

/** `nonzero` on any device: reads back only the count (one number), then compacts on the device. */
export async function nonzeroAsync(
  x: Tensor,
  opts: NonzeroOptions = {},
): Promise<Tensor | Tensor[]> {
  x.check("nonzeroAsync");
  const c = countAll(x);
  const count = (await c.toArray())[0];
  c.dispose();
  return nonzeroResult(x, count, opts.asTuple ?? false);
}

/** Indices of the non-zero elements as [count, ndim], like `torch.argwhere` (CPU; see `nonzero`). */
export function argwhere(x: Tensor): Tensor {
  return nonzero(x);
}

/** `argwhere` on any device (reads back the count only). */
export async function argwhereAsync(x: Tensor): Promise<Tensor> {
  return await nonzeroAsync(x) as Tensor;
}

/** Number of non-zero elements over `dim` (all dims by default) as int32, like `torch.count_nonzero`. */
export function countNonzero(x: Tensor, dim?: number | number[]): Tensor {
  x.check("countNonzero");
  return scope(() => sum(compare("ne", x, 0), normDims("countNonzero", dim, x.ndim)));
}

/**
 * Splits into views like `torch.tensor_split`: a number n gives n parts (the first size % n one
 * longer), a list gives the split indices.
 */
export function tensorSplit(x: Tensor, sections: number | number[], dim = 0): Tensor[] {
  x.check("tensorSplit");
  const d = normDim("tensorSplit", dim, x.ndim);
  const n = x.shape[d];
  let bounds: number[];
  if (typeof sections === "number") {
    if (!Number.isInteger(sections) || sections <= 0) {
      throw new RangeError(
        `tensorSplit: number of sections must be a positive integer (got ${sections})`,
      );
    }
    const q = Math.floor(n / sections), r = n % sections;
    bounds = [];
    for (let i = 1; i < sections; i++) bounds.push(i * q + Math.min(i, r));
  } else bounds = sections;
  const cuts = [0, ...bounds.map((b) => Math.min(Math.max(b < 0 ? b + n : b, 0), n)), n];
  const out: Tensor[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const s = cuts[i], e = Math.max(cuts[i + 1], s);
    out.push(narrow(x, d, Math.min(s, n), Math.min(e, n) - Math.min(s, n)));
  }
  return out;
}

function evenSplit(op: string, x: Tensor, sections: number | number[], dim: number): Tensor[] {
  if (typeof sections === "number" && x.shape[dim] % sections !== 0) {
    throw new RangeError(
      `${op}: dim ${dim} of size ${x.shape[dim]} (input ${fmtShape(x.shape)}) is not divisible ` +
        `by ${sections}`,
    );
  }
  return tensorSplit(x, sections, dim);
}

/** Splits along dim 1 (dim 0 for 1-D input), like `torch.hsplit`; a count must divide evenly. */
export function hsplit(x: Tensor, sections: number | number[]): Tensor[] {
  if (x.check("hsplit").ndim < 1) throw new RangeError("hsplit: input must be at least 1-D");
  return evenSplit("hsplit", x, sections, x.ndim === 1 ? 0 : 1);
}

/** Splits along dim 0 of an input with at least 2 dims, like `torch.vsplit`. */
export function vsplit(x: Tensor, sections: number | number[]): Tensor[] {
  if (x.check("vsplit").ndim < 2) {
    throw new RangeError(`vsplit: input must be at least 2-D, got ${fmtShape(x.shape)}`);
  }
  return evenSplit("vsplit", x, sections, 0);
}

/** Splits along dim 2 of an input with at least 3 dims, like `torch.dsplit`. */
export function dsplit(x: Tensor, sections: number | number[]): Tensor[] {
  if (x.check("dsplit").ndim < 3) {
    throw new RangeError(`dsplit: input must be at least 3-D, got ${fmtShape(x.shape)}`);
  }
  return evenSplit("dsplit", x, sections, 2);
}

/** Concatenates column-wise (dim 0 for 1-D inputs), like `torch.hstack`. */
export function hstack(tensors: Tensor[]): Tensor {
  return scope(() => {
    const ts = atleast1d(tensors);
    return cat(ts, ts[0].ndim === 1 ? 0 : 1);
  });
}

/** Concatenates row-wise after making inputs at least 2-D, like `torch.vstack`. */
export function vstack(tensors: Tensor[]): Tensor {
  return scope(() => cat(atleast2d(tensors), 0));
}

/** Concatenates depth-wise (dim 2) after making inputs at least 3-D, like `torch.dstack`. */
export function dstack(tensors: Tensor[]): Tensor {
  return scope(() => cat(atleast3d(tensors), 2));
}

/** Stacks 0-d/1-d inputs as columns and concatenates along dim 1, like `torch.column_stack`. */
export function columnStack(tensors: Tensor[]): Tensor {
  return scope(() =>
    cat(tensors.map((t) => (t.check("columnStack").ndim <= 1 ? reshape(t, [t.numel, 1]) : t)), 1)
  );
}

/** A broadcast view of `x` with `shape`, like `torch.broadcast_to` (-1 keeps a size). */
export function broadcastTo(x: Tensor, shape: number[]): Tensor {
  return expand(x, shape);
}

/** Broadcast views of all inputs to their common shape, like `torch.broadcast_tensors`. */
export function broadcastTensors(...tensors: Tensor[]): Tensor[] {
  tensors.forEach((t) => t.check("broadcastTensors"));
  const shape = broadcastShapes("broadcastTensors", ...tensors.map((t) => t.shape));
  return tensors.map((t) => expand(t, shape));
}

/** Options of `diff`. */
export interface DiffOptions {
  /** How many times to difference (default 1). */
  n?: number;
  /** Dim to difference along (default -1). */
  dim?: number;
  /** Values put before x along dim first. */
  prepend?: Tensor;
  /** Values put after x along dim first. */
  append?: Tensor;
}

/**
 * n-th forward difference along `dim`, like `torch.diff` (bool inputs give x[i+1] != x[i]).
 *
 * @example
 * ```ts
 * diff(tensor([1, 4, 9, 16])); // [3, 5, 7]
 * ```
 */
export function diff(x: Tensor, opts: DiffOptions = {}): Tensor {
  const { n = 1, dim = -1, prepend, append } = opts;
  x.check("diff");
  if (x.ndim === 0) throw new RangeError("diff: expected at least a 1-D input");
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`diff: order n must be a non-negative integer (got ${n})`);
  }
  const d = normDim("diff", dim, x.ndim);
  return scope(() => {
    let y = prepend || append
      ? cat([...(prepend ? [prepend] : []), x, ...(append ? [append] : [])], d)
      : x;
    for (let i = 0; i < n && y.shape[d] > 0; i++) {
      const m = y.shape[d];
      const hi = narrow(y, d, 1, m - 1), lo = narrow(y, d, 0, m - 1);
      y = y.dtype === "bool" ? compare("ne", hi, lo) : sub(hi, lo);
    }
    return y === x ? clone(x) : y;
  });
}

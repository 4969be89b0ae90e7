/** Shape arithmetic shared by every op: strides, broadcasting and dim normalisation. */

/** Number of elements of a shape. */
export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Row-major strides of a contiguous tensor of `shape`. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** Whether a (shape, strides) pair is row-major contiguous (size-1 dims are ignored). */
export function isContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] === 1) continue;
    if (strides[i] !== expected) return false;
    expected *= shape[i];
  }
  return true;
}

/** Formats a shape like PyTorch prints it: `[2, 3]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** Broadcasts shapes by NumPy rules, or throws naming the op and both shapes. */
export function broadcastShapes(op: string, ...shapes: (readonly number[])[]): number[] {
  const nd = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(nd).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = nd - s.length + i;
      const d = s[i];
      if (d === out[o] || d === 1) continue;
      if (out[o] === 1) out[o] = d;
      else {
        throw new RangeError(
          `${op}: shapes ${shapes.map(fmtShape).join(" and ")} cannot be broadcast together ` +
            `(dim ${o - nd} is ${out[o]} vs ${d})`,
        );
      }
    }
  }
  return out;
}

/** Normalises a possibly negative dim against `ndim`, or throws naming the op. */
export function normDim(op: string, dim: number, ndim: number): number {
  const n = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new RangeError(
      `${op}: dim ${dim} is out of range for a tensor of ${ndim} dims (expected ${-n}..${n - 1})`,
    );
  }
  return dim < 0 ? dim + n : dim;
}

/** Normalises an optional dim list (undefined means every dim), sorted and de-duplicated. */
export function normDims(op: string, dims: number | number[] | undefined, ndim: number): number[] {
  if (dims === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dims === "number" ? [dims] : dims;
  const out = list.map((d) => normDim(op, d, ndim));
  if (new Set(out).size !== out.length) {
    throw new RangeError(`${op}: dim ${JSON.stringify(list)} names a dim twice`);
  }
  return out.sort((a, b) => a - b);
}

/**
 * The dims a reduction runs over: like `normDims`, except that an empty list means every dim,
 * as in PyTorch 1.13 (`x.sum([])` is the full sum).
 */
export function reductionDims(
  op: string,
  dims: number | number[] | undefined,
  ndim: number,
): number[] {
  const out = normDims(op, Array.isArray(dims) && dims.length === 0 ? undefined : dims, ndim);
  // A zero-dim tensor accepts dim 0 / -1 and reduces over nothing, as in PyTorch.
  return ndim === 0 ? [] : out;
}

/** Resolves a single -1 in a target shape for `view`/`reshape`. */
export function inferShape(op: string, shape: readonly number[], numel: number): number[] {
  const out = [...shape];
  const neg = out.indexOf(-1);
  if (out.lastIndexOf(-1) !== neg) throw new RangeError(`${op}: only one dim can be -1`);
  for (const s of out) {
    if (s !== -1 && (!Number.isInteger(s) || s < 0)) {
      throw new RangeError(`${op}: invalid size ${s} in shape ${fmtShape(shape)}`);
    }
  }
  if (neg >= 0) {
    const rest = numelOf(out.filter((_, i) => i !== neg));
    if (rest === 0 || numel % rest !== 0) {
      throw new RangeError(`${op}: shape ${fmtShape(shape)} is invalid for input of size ${numel}`);
    }
    out[neg] = numel / rest;
  }
  if (numelOf(out) !== numel) {
    throw new RangeError(`${op}: shape ${fmtShape(shape)} is invalid for input of size ${numel}`);
  }
  return out;
}

/**
 * Strides for viewing (shape, strides) as `newShape` without a copy, or null when the
 * memory layout does not allow it (then reshape copies, as PyTorch does).
 */
export function viewStrides(
  shape: readonly number[],
  strides: readonly number[],
  newShape: readonly number[],
): number[] | null {
  if (numelOf(shape) <= 1) return contiguousStrides(newShape);
  // Group old dims into contiguous chunks and map new dims onto them (PyTorch's computeStride).
  const newStrides = new Array<number>(newShape.length);
  let viewD = newShape.length - 1;
  let chunkBase = strides[strides.length - 1] ?? 1;
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    tensorNumel *= shape[d];
    if (d === 0 || (shape[d - 1] !== 1 && strides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBase;
        viewNumel *= newShape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = strides[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  if (viewD !== -1) return null;
  return newStrides;
}

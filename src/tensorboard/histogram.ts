/**
 * Histogram summaries computed like PyTorch's `torch.utils.tensorboard.summary.histogram`:
 * numpy-style binning (half-open bins, last bin closed, values outside the edges dropped),
 * then trimmed to the non-empty range with one empty bucket on the left, because TensorBoard
 * stores only right bucket edges.
 */
import type { Histogram } from "./protos.ts";

let tfBins: number[] | undefined;

/** TensorFlow's default exponential bucket edges (±1e-12 · 1.1^k up to 1e20, and 0). */
export function tensorflowBins(): number[] {
  if (!tfBins) {
    const pos: number[] = [];
    // Repeated multiplication (not powers) reproduces PyTorch's floating-point edges exactly.
    for (let v = 1e-12; v < 1e20; v *= 1.1) pos.push(v);
    tfBins = [...pos.map((v) => -v).reverse(), 0, ...pos];
  }
  return tfBins;
}

/** How to bin: TensorFlow's buckets, a number of equal-width bins, or explicit edges. */
export type Bins = "tensorflow" | number | number[];

function edgesFor(bins: Bins, lo: number, hi: number): number[] {
  if (bins === "tensorflow") return tensorflowBins();
  if (Array.isArray(bins)) {
    if (bins.length < 2 || bins.some((b, i) => i > 0 && b < bins[i - 1])) {
      throw new RangeError("addHistogram: bins must be at least two increasing edges");
    }
    return bins;
  }
  if (typeof bins !== "number" || !Number.isInteger(bins) || bins < 1) {
    throw new RangeError(`addHistogram: bins must be "tensorflow", a positive integer or edges`);
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw new RangeError("addHistogram: values must be finite to pick equal-width bins");
  }
  // numpy widens an empty range by 0.5 on each side.
  if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  // numpy.linspace's arithmetic (i * step + start, exact stop), so edges match bit for bit.
  const step = (hi - lo) / bins;
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : i * step + lo));
}

/** Builds a HistogramProto from raw values. */
export function makeHistogram(values: ArrayLike<number>, bins: Bins = "tensorflow"): Histogram {
  const n = values.length;
  if (n === 0) throw new RangeError("addHistogram: the input has no elements");
  let min = Infinity, max = -Infinity, sum = 0, sumSquares = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v < min || Number.isNaN(v)) min = v;
    if (v > max || Number.isNaN(v)) max = v;
    sum += v;
    sumSquares += v * v;
  }
  const edges = edgesFor(bins, min, max);
  const nb = edges.length - 1;
  const counts = new Float64Array(nb);
  const first = edges[0], last = edges[nb];
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!(v >= first && v <= last)) continue; // out of range or NaN: numpy drops it
    // Largest k with edges[k] <= v (searchsorted side="right" minus one); the last edge
    // belongs to the last bin.
    let a = 0, b = nb;
    while (a < b) {
      const m = (a + b + 1) >> 1;
      if (edges[m] <= v) a = m;
      else b = m - 1;
    }
    counts[Math.min(a, nb - 1)]++;
  }
  let start = -1, end = -1;
  for (let k = 0; k < nb; k++) {
    if (counts[k] > 0) {
      if (start < 0) start = k;
      end = k;
    }
  }
  if (start < 0) {
    throw new RangeError("addHistogram: no value falls inside the bins (histogram is empty)");
  }
  const bucket = start > 0
    ? Array.from(counts.subarray(start - 1, end + 1))
    : [0, ...counts.subarray(0, end + 1)];
  const bucketLimit = edges.slice(start, end + 2);
  return { min, max, num: n, sum, sumSquares, bucketLimit, bucket };
}

/** PyTorch-like printing of tensors. */
import type { TypedArray } from "./dtype.ts";
import type { Tensor } from "./tensor.ts";

const EDGE = 3;
const SUMMARIZE = 1000;

/** PyTorch's _Formatter: one number format and one width for every element of a tensor. */
function makeFormatter(data: TypedArray, dtype: string): (v: number) => string {
  let fmt: (v: number) => string;
  if (dtype === "bool") fmt = (v) => (v ? "True" : "False");
  else if (dtype === "int32") fmt = (v) => String(v);
  else {
    // Decided from the non-zero finite magnitudes, as torch/_tensor_str.py does.
    let max = 0, min = Infinity, intMode = true;
    for (const v of data) {
      if (!Number.isFinite(v) || v === 0) continue;
      const a = Math.abs(v);
      if (a > max) max = a;
      if (a < min) min = a;
      if (!Number.isInteger(v)) intMode = false;
    }
    const sci = max > 0 && (max / min > 1000 || max > 1e8 || (!intMode && min < 1e-4));
    const finite = sci
      ? (v: number) => v.toExponential(4).replace(/e([+-])(\d)$/, "e$10$2")
      : intMode
      ? (v: number) => `${v.toFixed(0)}.`
      : (v: number) => v.toFixed(4);
    fmt = (v) =>
      Number.isNaN(v) ? "nan" : !Number.isFinite(v) ? (v > 0 ? "inf" : "-inf") : finite(v);
  }
  let width = 0;
  for (const v of data) width = Math.max(width, fmt(v).length);
  return (v) => fmt(v).padStart(width);
}

/** Renders `t` with `data` (its contiguous values) or a placeholder when data is null. */
export function formatTensor(t: Tensor, data: TypedArray | null): string {
  const extras: string[] = [];
  if (t.device !== "cpu") extras.push(`device='${t.device}'`);
  if (t.numel === 0 && t.ndim !== 1) extras.push(`size=(${t.shape.join(", ")})`);
  if (t.dtype !== "float32" && t.dtype !== "int32" && t.dtype !== "bool") {
    extras.push(`dtype=${t.dtype}`);
  }
  if (t.gradFn) extras.push(`grad_fn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) extras.push("requires_grad=True");
  const tail = extras.length ? `, ${extras.join(", ")}` : "";
  if (!data) {
    return `tensor(<${t.numel} values on ${t.device}>, size=[${t.shape.join(", ")}]${tail})`;
  }
  const fmt = makeFormatter(data, t.dtype);
  const summarize = t.numel > SUMMARIZE;
  const strides: number[] = [];
  let s = 1;
  for (let i = t.ndim - 1; i >= 0; i--) {
    strides[i] = s;
    s *= t.shape[i];
  }
  const render = (d: number, off: number, indent: string): string => {
    if (d === t.ndim) return fmt(data[off]);
    const n = t.shape[d];
    const idx = summarize && n > 2 * EDGE
      ? [...Array(EDGE).keys(), -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)]
      : [...Array(n).keys()];
    const parts = idx.map((
      i,
    ) => (i < 0 ? "..." : render(d + 1, off + i * strides[d], indent + " ")));
    const sep = d === t.ndim - 1 ? ", " : ",\n" + (d < t.ndim - 2 ? "\n" : "") + indent + " ";
    return `[${parts.join(sep)}]`;
  };
  return `tensor(${render(0, 0, "       ")}${tail})`;
}

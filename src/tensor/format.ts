/** PyTorch-like printing of tensors. */
import type { TypedArray } from "./dtype.ts";
import type { Tensor } from "./tensor.ts";

const EDGE = 3;
const SUMMARIZE = 1000;

function fmtValue(v: number, dtype: string, fixed: boolean): string {
  if (dtype === "bool") return v ? "True" : "False";
  if (dtype === "int32") return String(v);
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  return fixed ? v.toFixed(4) : v.toExponential(4);
}

/** Renders `t` with `data` (its contiguous values) or a placeholder when data is null. */
export function formatTensor(t: Tensor, data: TypedArray | null): string {
  const extras: string[] = [];
  if (t.device !== "cpu") extras.push(`device='${t.device}'`);
  if (t.dtype !== "float32" && t.dtype !== "int32" && t.dtype !== "bool" || t.numel === 0) {
    extras.push(`dtype=${t.dtype}`);
  }
  if (t.gradFn) extras.push(`grad_fn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) extras.push("requires_grad=True");
  const tail = extras.length ? `, ${extras.join(", ")}` : "";
  if (!data) {
    return `tensor(<${t.numel} values on ${t.device}>, size=[${t.shape.join(", ")}]${tail})`;
  }
  const finite = Array.from(data).filter((v) => Number.isFinite(v));
  const maxAbs = finite.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const fixed = maxAbs < 1e8 && (maxAbs >= 1e-4 || maxAbs === 0);
  const summarize = t.numel > SUMMARIZE;
  const strides: number[] = [];
  let s = 1;
  for (let i = t.ndim - 1; i >= 0; i--) {
    strides[i] = s;
    s *= t.shape[i];
  }
  const render = (d: number, off: number, indent: string): string => {
    if (d === t.ndim) return fmtValue(data[off], t.dtype, fixed);
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

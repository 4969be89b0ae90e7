/** PyTorch-like printing of tensors, following torch/_tensor_str.py (PyTorch 1.13). */
import type { TypedArray } from "./dtype.ts";
import type { Tensor } from "./tensor.ts";

/** PyTorch's default print options. */
const PRECISION = 4, THRESHOLD = 1000, EDGE = 3, LINEWIDTH = 80;

/**
 * `v` with `digits` decimals in fixed ("f") or scientific ("e") notation, rounding exact ties
 * to even as Python's format does (JS's toFixed/toExponential round them away from zero).
 */
function pyRound(v: number, digits: number, mode: "f" | "e"): string {
  const out = mode === "f" ? v.toFixed(digits) : v.toExponential(digits);
  const longer = Math.min(100, digits + 25);
  const [mant, exp] = (mode === "f" ? v.toFixed(longer) : v.toExponential(longer)).split("e");
  const dot = mant.indexOf(".");
  const keep = mant.slice(0, digits > 0 ? dot + 1 + digits : dot);
  if (!/^50*$/.test(mant.slice(dot + 1 + digits))) return out;
  // An exact tie: truncating is rounding to even when the kept last digit is even.
  return Number(keep[keep.length - 1]) % 2 === 0
    ? keep + (exp === undefined ? "" : `e${exp}`)
    : out;
}

/** Python's `'{:.Nf}'`: fixed notation, keeping the sign of -0. */
function fixed(v: number, digits: number): string {
  const s = pyRound(v, digits, "f");
  return Object.is(v, -0) ? `-${s}` : s;
}

/** Python's `'{:.4e}'`: at least two exponent digits, keeping the sign of -0. */
function exponential(v: number): string {
  const s = pyRound(v, PRECISION, "e").replace(/e([+-])(\d)$/, "e$10$2");
  return Object.is(v, -0) ? `-${s}` : s;
}

/**
 * PyTorch's _Formatter: one number format and one width for every element, decided from the
 * non-zero finite values that are shown (only those count towards the width).
 */
function makeFormatter(
  data: ArrayLike<number>,
  dtype: string,
): { fmt: (v: number) => string; width: number } {
  let width = 1;
  let fmt: (v: number) => string;
  if (dtype === "bool" || dtype === "int32") {
    fmt = dtype === "bool" ? (v) => (v ? "True" : "False") : (v) => String(v);
    for (let i = 0; i < data.length; i++) width = Math.max(width, fmt(data[i]).length);
  } else {
    const vals: number[] = [];
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (Number.isFinite(v) && v !== 0) vals.push(v);
    }
    let sci = false, intMode = true;
    if (vals.length) {
      let max = 0, min = Infinity;
      for (const v of vals) {
        const a = Math.abs(v);
        if (a > max) max = a;
        if (a < min) min = a;
        if (v !== Math.ceil(v)) intMode = false;
      }
      sci = max / min > 1000 || max > 1e8 || (!intMode && min < 1e-4);
      for (const v of vals) {
        const len = sci
          ? exponential(v).length
          : intMode
          ? fixed(v, 0).length + 1
          : fixed(v, PRECISION).length;
        width = Math.max(width, len);
      }
    }
    const finite = sci
      ? exponential
      : intMode
      ? (v: number) => `${fixed(v, 0)}.`
      : (v: number) => fixed(v, PRECISION);
    fmt = (v) =>
      Number.isNaN(v) ? "nan" : !Number.isFinite(v) ? (v > 0 ? "inf" : "-inf") : finite(v);
  }
  return { fmt: (v) => fmt(v).padStart(width), width };
}

/** Renders `t` with `data` (its contiguous values) or a placeholder when data is null. */
export function formatTensor(t: Tensor, data: TypedArray | null): string {
  const prefix = "tensor(";
  const indent = prefix.length;
  const suffixes: string[] = [];
  if (t.device !== "cpu") suffixes.push(`device='${t.device}'`);
  let body: string;
  if (!data) {
    body = `<${t.numel} values on ${t.device}>, size=[${t.shape.join(", ")}]`;
    if (t.dtype === "float64") suffixes.push(`dtype=${t.dtype}`);
  } else if (t.numel === 0) {
    // An empty tensor shows its size unless it is (0,), and any dtype but the default.
    if (t.ndim !== 1) suffixes.push(`size=(${t.shape.join(", ")})`);
    if (t.dtype !== "float32") suffixes.push(`dtype=${t.dtype}`);
    body = "[]";
  } else {
    if (t.dtype === "float64") suffixes.push(`dtype=${t.dtype}`);
    body = renderValues(t.shape, data, t.dtype, indent);
  }
  if (t.gradFn) suffixes.push(`grad_fn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) suffixes.push("requires_grad=True");
  // _add_suffixes: a suffix moves to its own line when it would pass the line width.
  let out = prefix + body;
  let lastLine = out.length - out.lastIndexOf("\n") + 1;
  for (const s of suffixes) {
    if (lastLine + s.length + 2 > LINEWIDTH) {
      out += `,\n${" ".repeat(indent)}${s}`;
      lastLine = indent + s.length;
    } else {
      out += `, ${s}`;
      lastLine += s.length + 2;
    }
  }
  return `${out})`;
}

/** The nested-bracket body: summarised beyond THRESHOLD elements, lines wrapped at LINEWIDTH. */
function renderValues(
  shape: readonly number[],
  data: TypedArray,
  dtype: string,
  indent: number,
): string {
  const ndim = shape.length;
  const numel = shape.reduce((a, b) => a * b, 1);
  const summarize = numel > THRESHOLD;
  const strides: number[] = [];
  let s = 1;
  for (let i = ndim - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  // The indices shown along a dim (-1 marks the "..." gap).
  const shown = (n: number): number[] =>
    summarize && n > 2 * EDGE
      ? [...Array(EDGE).keys(), -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)]
      : [...Array(n).keys()];
  // NOTE: the formatter sees only the values that are printed (get_summarized_data), so a
  // hidden outlier changes neither the width nor the notation.
  const visible: number[] = [];
  const collect = (d: number, off: number): void => {
    if (d === ndim) {
      visible.push(data[off]);
      return;
    }
    for (const i of shown(shape[d])) if (i >= 0) collect(d + 1, off + i * strides[d]);
  };
  collect(0, 0);
  const { fmt, width } = makeFormatter(visible, dtype);
  if (ndim === 0) return fmt(data[0]);
  const elementLength = width + 2;
  const render = (d: number, off: number, ind: number): string => {
    const idx = shown(shape[d]);
    if (d === ndim - 1) {
      const items = idx.map((i) => (i < 0 ? " ..." : fmt(data[off + i * strides[d]])));
      const perLine = Math.max(1, Math.floor((LINEWIDTH - ind) / elementLength));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) {
        lines.push(items.slice(i, i + perLine).join(", "));
      }
      return `[${lines.join(`,\n${" ".repeat(ind + 1)}`)}]`;
    }
    const parts = idx.map((i) => (i < 0 ? "..." : render(d + 1, off + i * strides[d], ind + 1)));
    return `[${parts.join(`,${"\n".repeat(ndim - d - 1)}${" ".repeat(ind + 1)}`)}]`;
  };
  return render(0, 0, indent);
}

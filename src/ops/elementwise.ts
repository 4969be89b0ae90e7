/** Elementwise ops: forward through the backend's unary/binary/where kernels, backward beside. */
import type { BinaryOp, UnaryOp } from "../backend/backend.ts";
import { record } from "../autograd/function.ts";
import { type DType, isFloating, promoteTypes } from "../tensor/dtype.ts";
import { broadcastShapes } from "../tensor/shape.ts";
import { Tensor } from "../tensor/tensor.ts";
import { backendOf, broadcastView, emptyTensor, kernelBackend, scalarTensor } from "./dispatch.ts";
import { to } from "./convert.ts";
import { sumTo } from "./reduce.ts";

/** A tensor or a JS scalar operand of an elementwise op. */
export type Operand = Tensor | number | boolean;

/** Runs a unary kernel into a new tensor (no autograd). */
export function unaryRaw(
  op: UnaryOp,
  x: Tensor,
  outDtype: DType = x.dtype,
  p0 = 0,
  p1 = 0,
): Tensor {
  const b = kernelBackend(op, outDtype, x);
  const out = emptyTensor(x.shape, outDtype, x.device);
  if (out.numel) b.unary(op, x, out, p0, p1);
  return out;
}

/** Runs a binary kernel with broadcasting into a new tensor (no autograd). */
export function binaryRaw(op: BinaryOp, a: Tensor, b: Tensor, outDtype: DType = a.dtype): Tensor {
  const be = kernelBackend(op, outDtype, a, b);
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = emptyTensor(shape, outDtype, a.device);
  if (out.numel) be.binary(op, broadcastView(a, shape), broadcastView(b, shape), out);
  return out;
}

function scalarDType(t: DType, v: number | boolean): DType {
  if (typeof v === "boolean") return t;
  if (t === "bool") return Number.isInteger(v) ? "int32" : "float32";
  if (t === "int32" && !Number.isInteger(v)) return "float32";
  return t;
}

const CATEGORY: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 2 };

/**
 * PyTorch's `result_type` of two tensors: a zero-dim tensor only decides the dtype when its
 * category (bool < integer < floating) is higher than the other's, so
 * `float32[n] + float64[]` stays float32 while `int32[n] + float64[]` is float64.
 */
export function resultType(a: Tensor, b: Tensor): DType {
  const az = a.ndim === 0, bz = b.ndim === 0;
  if (az === bz) return promoteTypes(a.dtype, b.dtype);
  const [dimmed, zero] = az ? [b, a] : [a, b];
  return CATEGORY[zero.dtype] > CATEGORY[dimmed.dtype] ? zero.dtype : dimmed.dtype;
}

/** Whether PyTorch lets an op write a `from` result into a `to` tensor (no category downcast). */
export function canCast(from: DType, to: DType): boolean {
  return CATEGORY[from] <= CATEGORY[to];
}

/** Ops PyTorch does not implement for bool operands. */
const NO_BOOL = new Set(["pow", "fmod", "remainder", "floorDivide"]);

/** Brings operands to tensors of one dtype (PyTorch's promotion, with JS numbers as scalars). */
function operands(
  op: string,
  a: Operand,
  b: Operand,
  minFloat = false,
): [Tensor, Tensor, Tensor[]] {
  if (!(a instanceof Tensor) && !(b instanceof Tensor)) {
    throw new TypeError(`${op}: expected at least one tensor operand`);
  }
  let dtype: DType;
  if (a instanceof Tensor && b instanceof Tensor) dtype = resultType(a, b);
  else if (a instanceof Tensor) dtype = scalarDType(a.dtype, b as number);
  else dtype = scalarDType((b as Tensor).dtype, a as number);
  if (minFloat && !isFloating(dtype)) dtype = "float32";
  if (dtype === "bool" && NO_BOOL.has(op)) {
    throw new TypeError(`${op}: not implemented for bool tensors (as in PyTorch); convert first`);
  }
  const device = (a instanceof Tensor ? a : b as Tensor).device;
  const temps: Tensor[] = [];
  const conv = (x: Operand): Tensor => {
    let t: Tensor;
    if (x instanceof Tensor) {
      if (x.dtype === dtype) return x;
      t = to(x, dtype);
    } else t = scalarTensor(Number(x), dtype, device);
    temps.push(t);
    return t;
  };
  return [conv(a), conv(b), temps];
}

/**
 * Brings `a` and `b` to one dtype (floating when `minFloat`) and device, runs `fn` on them and
 * frees the converted temporaries.
 */
export function withOperands(
  op: string,
  a: Operand,
  b: Operand,
  fn: (x: Tensor, y: Tensor) => Tensor,
  minFloat = false,
): Tensor {
  const [x, y, temps] = operands(op, a, b, minFloat);
  try {
    return fn(x, y);
  } finally {
    for (const t of temps) t.dispose();
  }
}

/** `x` itself when floating, else a float32 copy (the caller disposes a copy). */
export function floatInput(op: string, x: Tensor): Tensor {
  x.check(op);
  return isFloating(x.dtype) ? x : to(x, "float32");
}

/** Runs `fn` on `input`, converted to float32 first when it is an integer or bool tensor. */
export function withFloat(op: string, input: Tensor, fn: (x: Tensor) => Tensor): Tensor {
  const x = floatInput(op, input);
  try {
    return fn(x);
  } finally {
    if (x !== input) x.dispose();
  }
}

/** a + alpha * b. */
export function add(a: Operand, b: Operand, alpha = 1): Tensor {
  if (a instanceof Tensor && !(b instanceof Tensor) && scalarDType(a.dtype, b) === a.dtype) {
    const out = unaryRaw("add_s", a, a.dtype, Number(b) * alpha);
    return record(out, "AddBackward", [a], [], (g) => [g]);
  }
  return withOperands("add", a, b, (x, y) => {
    const xs = x.shape, ys = y.shape;
    if (alpha === 1 || alpha === -1) {
      const out = binaryRaw(alpha === 1 ? "add" : "sub", x, y);
      return record(out, "AddBackward", [x, y], [], (g) => [
        sumTo(g, xs),
        sumTo(alpha === 1 ? g : neg(g), ys),
      ]);
    }
    // NOTE: the scaling is an op of its own (its node applies alpha in backward), so every
    // kernel here belongs to a recorded op, as double backward requires.
    const yy = mul(y, alpha);
    const out = binaryRaw("add", x, yy);
    const res = record(out, "AddBackward", [x, yy], [], (g) => [sumTo(g, xs), sumTo(g, ys)]);
    yy.dispose();
    return res;
  });
}

/** a - alpha * b. */
export function sub(a: Operand, b: Operand, alpha = 1): Tensor {
  if ((a instanceof Tensor && a.dtype === "bool") || (b instanceof Tensor && b.dtype === "bool")) {
    throw new TypeError(
      "sub: subtraction with a bool tensor is not supported (as in PyTorch); to invert a mask " +
        "use logicalNot()",
    );
  }
  if (!(b instanceof Tensor)) return add(a, -Number(b) * alpha);
  return add(a, b, -alpha);
}

/** a * b. */
export function mul(a: Operand, b: Operand): Tensor {
  if (a instanceof Tensor && !(b instanceof Tensor) && scalarDType(a.dtype, b) === a.dtype) {
    const s = Number(b);
    const out = unaryRaw("mul_s", a, a.dtype, s);
    return record(out, "MulBackward", [a], [], (g) => [mul(g, s)]);
  }
  if (!(a instanceof Tensor) && b instanceof Tensor) return mul(b, a);
  return withOperands("mul", a, b, (x, y) => {
    const out = binaryRaw("mul", x, y);
    const xs = x.shape, ys = y.shape;
    return record(out, "MulBackward", [x, y], [x, y], (g, [xv, yv]) => [
      x.requiresGrad ? sumTo(mul(g, yv), xs) : null,
      y.requiresGrad ? sumTo(mul(g, xv), ys) : null,
    ]);
  });
}

/** a / b (true division: integer inputs give float32). */
export function div(a: Operand, b: Operand): Tensor {
  if (a instanceof Tensor && !(b instanceof Tensor) && isFloating(a.dtype)) {
    return mul(a, 1 / Number(b));
  }
  return withOperands("div", a, b, (x, y) => {
    const out = binaryRaw("div", x, y);
    const xs = x.shape, ys = y.shape;
    return record(out, "DivBackward", [x, y], [x, y], (g, [xv, yv]) => [
      x.requiresGrad ? sumTo(div(g, yv), xs) : null,
      y.requiresGrad ? sumTo(neg(div(mul(g, xv), mul(yv, yv))), ys) : null,
    ]);
  }, true);
}

/** a ** b. */
export function pow(a: Operand, b: Operand): Tensor {
  if (
    a instanceof Tensor && !isFloating(a.dtype) && typeof b === "number" && Number.isInteger(b) &&
    b < 0
  ) {
    throw new RangeError(
      `pow: integers to negative integer powers are not allowed (${a.dtype} tensor ** ${b})`,
    );
  }
  if (a instanceof Tensor && !(b instanceof Tensor) && isFloating(a.dtype)) {
    const e = Number(b);
    const out = unaryRaw("pow_s", a, a.dtype, e);
    return record(out, "PowBackward", [a], [a], (g, [x]) => {
      if (e === 0) return [mul(g, 0)];
      return [mul(g, mul(pow(x, e - 1), e))];
    });
  }
  if (!(a instanceof Tensor) && b instanceof Tensor && isFloating(b.dtype)) {
    const base = Number(a);
    const out = unaryRaw("rpow_s", b, b.dtype, base);
    return record(out, "PowBackward", [b], [out], (g, [o]) => [mul(g, mul(o, Math.log(base)))]);
  }
  // NOTE: integer ** integer stays integer (torch.pow); the scalar rules already promote
  // int ** 2.5 to float32.
  return withOperands("pow", a, b, (x, y) => {
    const out = binaryRaw("pow", x, y);
    const xs = x.shape, ys = y.shape;
    return record(out, "PowBackward", [x, y], [x, y, out], (g, [xv, yv, o]) => [
      x.requiresGrad ? sumTo(mul(g, mul(yv, pow(xv, sub(yv, 1)))), xs) : null,
      // NOTE: d/dy x^y = x^y log x, defined as 0 where x == 0 and y >= 0 (PyTorch's rule).
      y.requiresGrad
        ? sumTo(where(logicalAnd(eqS(xv, 0), ge(yv, 0)), 0, mul(g, mul(o, log(xv)))), ys)
        : null,
    ]);
  });
}

function minmax(op: "maximum" | "minimum", a: Operand, b: Operand): Tensor {
  return withOperands(op, a, b, (x, y) => {
    const out = binaryRaw(op, x, y);
    const xs = x.shape, ys = y.shape;
    return record(out, op === "maximum" ? "MaximumBackward" : "MinimumBackward", [x, y], [x, y], (
      g,
      [xv, yv],
    ) => {
      // Ties split the gradient equally, as in PyTorch.
      const half = where(compare("eq", xv, yv), mul(g, 0.5), g);
      const xWins = compare(op === "maximum" ? "gt" : "lt", xv, yv);
      const yWins = compare(op === "maximum" ? "lt" : "gt", xv, yv);
      return [
        x.requiresGrad ? sumTo(where(yWins, 0, half), xs) : null,
        y.requiresGrad ? sumTo(where(xWins, 0, half), ys) : null,
      ];
    });
  });
}

/** Elementwise maximum (ties share the gradient). */
export function maximum(a: Operand, b: Operand): Tensor {
  return minmax("maximum", a, b);
}

/** Elementwise minimum. */
export function minimum(a: Operand, b: Operand): Tensor {
  return minmax("minimum", a, b);
}

/** Comparison and logical ops; bool output, no gradient. */
export function compare(
  op: "eq" | "ne" | "lt" | "le" | "gt" | "ge" | "and" | "or",
  a: Operand,
  b: Operand,
): Tensor {
  return withOperands(op, a, b, (x, y) => binaryRaw(op, x, y, "bool"));
}

function eqS(x: Tensor, v: number): Tensor {
  return compare("eq", x, v);
}
function ge(x: Tensor, v: Operand): Tensor {
  return compare("ge", x, v);
}
function logicalAnd(x: Tensor, y: Tensor): Tensor {
  return compare("and", x, y);
}

/** Logical not (bool output). */
export function logicalNot(x: Tensor): Tensor {
  return unaryRaw("not", x, "bool");
}

/** cond ? a : b with broadcasting over all three. */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  cond.check("where");
  if (cond.dtype !== "bool") {
    throw new TypeError(`where: condition must be a bool tensor (got ${cond.dtype})`);
  }
  return withOperands("where", a, b, (x, y) => {
    const be = backendOf("where", cond, x, y);
    const shape = broadcastShapes("where", cond.shape, x.shape, y.shape);
    const out = emptyTensor(shape, x.dtype, x.device);
    if (out.numel) {
      be.where(broadcastView(cond, shape), broadcastView(x, shape), broadcastView(y, shape), out);
    }
    const xs = x.shape, ys = y.shape;
    return record(out, "WhereBackward", [x, y], [cond], (g, [c]) => [
      x.requiresGrad ? sumTo(where(c, g, 0), xs) : null,
      y.requiresGrad ? sumTo(where(c, 0, g), ys) : null,
    ]);
  });
}

/**
 * Defines a float unary op whose gradient is `g * d(v)`, where v is the input (`uses` "x") or
 * the output ("out"). Only that one is saved, as in PyTorch, so an in-place change of the other
 * does not trip the version check.
 */
export function floatUnary(
  op: UnaryOp,
  name: string,
  grad: ((v: Tensor) => Tensor) | null,
  uses: "x" | "out" = "x",
): (x: Tensor) => Tensor {
  return (input: Tensor) => {
    const x = floatInput(op, input);
    const out = unaryRaw(op, x, x.dtype);
    if (x !== input) x.dispose();
    if (!grad) return record(out, name, [x], [], (g) => [mul(g, 0)]);
    return record(out, name, [x], [uses === "x" ? x : out], (g, [v]) => [mul(g, grad(v))]);
  };
}

/** -x. */
export function neg(x: Tensor): Tensor {
  const out = unaryRaw("neg", x);
  return record(out, "NegBackward", [x], [], (g) => [neg(g)]);
}

/** |x| (gradient sign(x), 0 at 0). */
export function abs(x: Tensor): Tensor {
  const out = unaryRaw("abs", x);
  return record(out, "AbsBackward", [x], [x], (g, [xv]) => [mul(g, sign(xv))]);
}

/** sign(x), gradient zero. */
export function sign(x: Tensor): Tensor {
  const out = unaryRaw("sign", x);
  return record(out, "SignBackward", [x], [], (g) => [mul(g, 0)]);
}

/** e^x. */
export const exp: (x: Tensor) => Tensor = floatUnary("exp", "ExpBackward", (o) => o, "out");
/** ln x. */
export const log: (x: Tensor) => Tensor = floatUnary("log", "LogBackward", (x) => reciprocal(x));
/** √x. */
export const sqrt: (x: Tensor) => Tensor = floatUnary(
  "sqrt",
  "SqrtBackward",
  (o) => reciprocal(mul(o, 2)),
  "out",
);
/** 1/√x. */
export const rsqrt: (x: Tensor) => Tensor = floatUnary(
  "rsqrt",
  "RsqrtBackward",
  (o) => mul(pow(o, 3), -0.5),
  "out",
);
/** sin x. */
export const sin: (x: Tensor) => Tensor = floatUnary(
  "sin",
  "SinBackward",
  (x) => cos(x),
);
/** cos x. */
export const cos: (x: Tensor) => Tensor = floatUnary(
  "cos",
  "CosBackward",
  (x) => neg(sin(x)),
);
/** tanh x. */
export const tanh: (x: Tensor) => Tensor = floatUnary(
  "tanh",
  "TanhBackward",
  (o) => sub(1, mul(o, o)),
  "out",
);
/** 1 / (1 + e^-x). */
export const sigmoid: (x: Tensor) => Tensor = floatUnary(
  "sigmoid",
  "SigmoidBackward",
  (o) => mul(o, sub(1, o)),
  "out",
);
/** erf x. */
export const erf: (x: Tensor) => Tensor = floatUnary(
  "erf",
  "ErfBackward",
  (x) => mul(exp(neg(mul(x, x))), 2 / Math.sqrt(Math.PI)),
);
/** 1/x. */
export const reciprocal: (x: Tensor) => Tensor = floatUnary(
  "reciprocal",
  "ReciprocalBackward",
  (o) => neg(mul(o, o)),
  "out",
);
/** ln(1 + x). */
export const log1p: (x: Tensor) => Tensor = floatUnary(
  "log1p",
  "Log1pBackward",
  (x) => reciprocal(add(x, 1)),
);
/** e^x - 1. */
export const expm1: (x: Tensor) => Tensor = floatUnary(
  "expm1",
  "Expm1Backward",
  (o) => add(o, 1),
  "out",
);
/** An integer-preserving rounding op: integer and bool inputs come back as a copy, as in PyTorch. */
function rounding(op: UnaryOp, name: string): (x: Tensor) => Tensor {
  const f = floatUnary(op, name, null);
  return (x: Tensor) => (isFloating(x.dtype) ? f(x) : unaryRaw("copy", x.check(op)));
}
/** Floor (zero gradient; integer tensors are returned unchanged, as a copy). */
export const floor: (x: Tensor) => Tensor = rounding("floor", "FloorBackward");
/** Ceil (zero gradient; integer tensors are returned unchanged, as a copy). */
export const ceil: (x: Tensor) => Tensor = rounding("ceil", "CeilBackward");
/** Round half to even (zero gradient; integer tensors are returned unchanged, as a copy). */
export const round: (x: Tensor) => Tensor = rounding("round", "RoundBackward");

/** max(x, 0); the gradient at 0 is 0, as in PyTorch. */
export function relu(x: Tensor): Tensor {
  const out = unaryRaw("relu", x);
  return record(
    out,
    "ReluBackward",
    [x],
    [out],
    (g, [o]) => [where(unaryRaw("gt_s", o, "bool", 0), g, 0)],
  );
}

/** x for x > 0, else slope * x. */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  const out = unaryRaw("leaky_relu", x, x.dtype, negativeSlope);
  return record(out, "LeakyReluBackward", [x], [x], (g, [xv]) => [
    where(unaryRaw("gt_s", xv, "bool", 0), g, mul(g, negativeSlope)),
  ]);
}

/** GELU: x Φ(x), or its tanh approximation. */
export function gelu(input: Tensor, approximate: "none" | "tanh" = "none"): Tensor {
  const x = floatInput("gelu", input);
  const out = unaryRaw(approximate === "tanh" ? "gelu_tanh" : "gelu", x);
  if (x !== input) x.dispose();
  return record(out, "GeluBackward", [x], [x], (g, [xv]) => {
    if (approximate === "tanh") {
      const k = Math.sqrt(2 / Math.PI);
      const inner = mul(add(xv, mul(mul(mul(xv, xv), xv), 0.044715)), k);
      const t = tanh(inner);
      const dInner = mul(add(mul(mul(xv, xv), 3 * 0.044715), 1), k);
      const d = add(mul(add(t, 1), 0.5), mul(mul(mul(xv, sub(1, mul(t, t))), dInner), 0.5));
      return [mul(g, d)];
    }
    const cdf = mul(add(erf(mul(xv, Math.SQRT1_2)), 1), 0.5);
    const pdf = mul(exp(mul(mul(xv, xv), -0.5)), 1 / Math.sqrt(2 * Math.PI));
    return [mul(g, add(cdf, mul(xv, pdf)))];
  });
}

/** A clamp bound: a number, a tensor broadcast against the input, or none. */
export type ClampBound = number | Tensor | null | undefined;

/**
 * Clamps into [min, max]; gradient 1 inside the range (bounds included), 0 outside. Bounds may
 * be tensors (broadcast, as `torch.clamp(x, min_t, max_t)`: `minimum(maximum(x, min), max)`, so
 * max wins where min > max). Like PyTorch the result type includes the bounds: an int32 tensor
 * clamped to 0.5 is float32.
 */
export function clamp(x: Tensor, min?: ClampBound, max?: ClampBound): Tensor {
  x.check("clamp");
  if ((min === undefined || min === null) && (max === undefined || max === null)) {
    throw new TypeError("clamp: at least one of min and max must be given");
  }
  if (min instanceof Tensor || max instanceof Tensor) {
    const lower = min === undefined || min === null ? x : maximum(x, min);
    if (max === undefined || max === null) return lower;
    const out = minimum(lower, max);
    if (lower !== x) lower.dispose();
    return out;
  }
  const lo = min ?? -Infinity, hi = max ?? Infinity;
  let dtype = x.dtype;
  for (const b of [min, max]) if (typeof b === "number") dtype = scalarDType(dtype, b);
  if (dtype !== x.dtype) {
    const xf = to(x, dtype);
    try {
      return clamp(xf, min, max);
    } finally {
      xf.dispose();
    }
  }
  const out = unaryRaw("clamp", x, x.dtype, lo, hi);
  return record(out, "ClampBackward", [x], [x], (g, [xv]) => {
    const inside = compare("and", compare("ge", xv, lo), compare("le", xv, hi));
    return [where(inside, g, 0)];
  });
}

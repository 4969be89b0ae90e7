/**
 * Elementwise math beyond the arithmetic core, with PyTorch 1.13's names, edge cases and
 * gradients: rounding and modular division, interpolation, special functions, NaN/inf
 * handling and closeness tests. Each is composed from the backend's primitives, so it runs,
 * and fuses, on every backend; the two added for them (`fmod`, `isnan`) are ones no composite
 * gets right (an exact remainder; a NaN test that GPU compilers cannot fold away).
 */
import { record, recordComposite } from "../autograd/function.ts";
import { noGrad } from "../autograd/grad_mode.ts";
import { type DType, isFloating } from "../tensor/dtype.ts";
import { Tensor } from "../tensor/tensor.ts";
import { contiguous, to } from "./convert.ts";
import { backendOf } from "./dispatch.ts";
import {
  abs,
  add,
  binaryRaw,
  ceil,
  clamp,
  type ClampBound,
  compare,
  cos,
  div,
  erf,
  exp,
  floor,
  log,
  log1p,
  logicalNot,
  maximum,
  minimum,
  mul,
  neg,
  type Operand,
  sigmoid,
  sin,
  sqrt,
  sub,
  unaryRaw,
  where,
  withFloat,
  withOperands,
} from "./elementwise.ts";
import { sumTo } from "./reduce.ts";

/** Largest finite value of a floating dtype (nanToNum's default replacement for ±inf). */
function finiteMax(dtype: DType): number {
  return dtype === "float64" ? Number.MAX_VALUE : 3.4028234663852886e38;
}

function and(a: Tensor, b: Tensor): Tensor {
  return compare("and", a, b);
}
function or(a: Tensor, b: Tensor): Tensor {
  return compare("or", a, b);
}

// ---- classification of values ----

/** True where `x` is NaN (bool), like `torch.isnan`. */
export function isnan(x: Tensor): Tensor {
  x.check("isnan");
  if (!isFloating(x.dtype)) return compare("ne", x, x);
  return unaryRaw("isnan", x, "bool");
}

/** True where `x` is +inf or -inf (bool), like `torch.isinf`. */
export function isinf(x: Tensor): Tensor {
  if (!isFloating(x.dtype)) return compare("ne", x, x);
  return noGrad(() => compare("eq", abs(x), Infinity));
}

/** True where `x` is neither NaN nor infinite (bool), like `torch.isfinite`. */
export function isfinite(x: Tensor): Tensor {
  if (!isFloating(x.dtype)) return compare("eq", x, x);
  return noGrad(() => compare("and", logicalNot(isnan(x)), compare("ne", abs(x), Infinity)));
}

/**
 * True where the sign bit of `x` is set (bool), like `torch.signbit`: also for -0.0.
 * NOTE: the sign of a NaN is not visible to comparisons, so signbit(-NaN) is false here (PyTorch
 * reads the bit and says true).
 */
export function signbit(x: Tensor): Tensor {
  x.check("signbit");
  if (!isFloating(x.dtype)) return compare("lt", x, 0);
  return noGrad(() => {
    // 1 / -0 is -inf: the one comparison that tells -0 from +0.
    const negZero = and(compare("eq", x, 0), compare("lt", unaryRaw("reciprocal", x), 0));
    return or(compare("lt", x, 0), negZero);
  });
}

// ---- rounding and modular division ----

/** Rounds toward zero, like `torch.trunc` (integer tensors are returned as a copy; zero grad). */
export function trunc(x: Tensor): Tensor {
  x.check("trunc");
  if (!isFloating(x.dtype)) return unaryRaw("copy", x);
  return recordComposite(
    "TruncBackward",
    [x],
    () => where(compare("lt", x, 0), ceil(x), floor(x)),
    () => [],
    (g) => [mul(g, 0)],
  );
}

/** x - trunc(x), the fractional part with the sign of x, like `torch.frac` (gradient 1). */
export function frac(x: Tensor): Tensor {
  x.check("frac");
  if (!isFloating(x.dtype)) {
    throw new TypeError(`frac: expected a floating point tensor (got ${x.dtype})`);
  }
  return sub(x, trunc(x));
}

/**
 * C's fmod: the remainder of a / b with the sign of `a`, like `torch.fmod`. Integer operands
 * stay integer. Gradients: 1 for a, -trunc(a / b) for b.
 */
export function fmod(a: Operand, b: Operand): Tensor {
  return withOperands("fmod", a, b, (x, y) => {
    checkIntDivisor("fmod", y);
    const out = binaryRaw("fmod", x, y);
    const xs = x.shape, ys = y.shape;
    return record(out, "FmodBackward", [x, y], [x, y], (g, [xv, yv]) => [
      x.requiresGrad ? sumTo(g, xs) : null,
      y.requiresGrad ? sumTo(neg(mul(g, trunc(div(xv, yv)))), ys) : null,
    ]);
  });
}

/**
 * PyTorch raises ZeroDivisionError for an integer divisor of zero (fmod, remainder, floor and
 * trunc division); the backend checks (webgpu reports it at the next readback).
 */
function checkIntDivisor(op: string, y: Tensor): void {
  if (isFloating(y.dtype) || y.numel === 0) return;
  const dense = contiguous(y);
  try {
    backendOf(op, dense).checkIntDivisor(op, dense);
  } finally {
    dense.dispose();
  }
}

/** fmod moved into the sign of `b` (x, y already of one dtype). */
function pythonMod(x: Tensor, y: Tensor): Tensor {
  const m = binaryRaw("fmod", x, y);
  const flip = and(compare("ne", m, 0), compare("ne", compare("lt", y, 0), compare("lt", m, 0)));
  return where(flip, add(m, y), m);
}

/**
 * Python's modulus: the remainder of a / b with the sign of `b`, like `torch.remainder`
 * (remainder(-5, 3) = 1, remainder(5, -inf) = -inf). Integer operands stay integer. Gradients:
 * 1 for a, -floor(a / b) for b.
 */
export function remainder(a: Operand, b: Operand): Tensor {
  return withOperands("remainder", a, b, (x, y) => {
    checkIntDivisor("remainder", y);
    const xs = x.shape, ys = y.shape;
    return recordComposite(
      "RemainderBackward",
      [x, y],
      () => pythonMod(x, y),
      () => [x, y],
      (g, [xv, yv]) => [
        x.requiresGrad ? sumTo(g, xs) : null,
        y.requiresGrad ? sumTo(neg(mul(g, floor(div(xv, yv)))), ys) : null,
      ],
    );
  });
}

/**
 * a / b rounded toward -inf, like `torch.floor_divide` (PyTorch ≥ 1.13 semantics). Floats follow
 * PyTorch's `div_floor`: the quotient is rebuilt from fmod so that it is exact where a / b
 * rounds across an integer, and division by zero gives ±inf/NaN. Integer operands stay integer.
 * Not differentiable (zero gradients), as in PyTorch.
 */
export function floorDivide(a: Operand, b: Operand): Tensor {
  return withOperands("floorDivide", a, b, (x, y) => {
    checkIntDivisor("floorDivide", y);
    const xs = x.shape, ys = y.shape;
    return recordComposite(
      "FloorDivideBackward",
      [x, y],
      () => {
        const m = binaryRaw("fmod", x, y);
        const signsDiffer = compare("ne", compare("lt", y, 0), compare("lt", m, 0));
        const inexact = and(compare("ne", m, 0), signsDiffer);
        if (!isFloating(x.dtype)) {
          // Truncating integer division, one step down where it rounded up.
          const q = binaryRaw("div", x, y, x.dtype);
          return where(inexact, sub(q, 1), q);
        }
        let q = div(sub(x, m), y);
        q = where(inexact, sub(q, 1), q);
        const fl = floor(q);
        const rounded = where(compare("gt", sub(q, fl), 0.5), add(fl, 1), fl);
        const ratio = div(x, y);
        // A zero quotient keeps the sign of a / b (copysign(0, a / b)).
        const zero = mul(ratio, 0);
        return where(compare("eq", y, 0), ratio, where(compare("eq", q, 0), zero, rounded));
      },
      () => [],
      (g) => [
        x.requiresGrad ? sumTo(mul(g, 0), xs) : null,
        y.requiresGrad ? sumTo(mul(g, 0), ys) : null,
      ],
    );
  });
}

/** Options of `div` (PyTorch's `rounding_mode`). */
export interface DivOptions {
  /** null: true division (the default); "trunc": toward zero; "floor": toward -inf. */
  roundingMode?: "trunc" | "floor" | null;
}

/**
 * a / b like `torch.div` / `torch.divide`: true division by default (integers promote to
 * float32), or rounded with `roundingMode` "trunc" or "floor", which keeps integer operands
 * integer and, as in PyTorch, has zero gradients.
 *
 * @example
 * ```ts
 * div(tensor([-7, 7]), 2, { roundingMode: "trunc" }); // [-3, 3] (int32)
 * ```
 */
export function divide(a: Operand, b: Operand, opts: DivOptions = {}): Tensor {
  const mode = opts.roundingMode ?? null;
  if (mode === null) return div(a, b);
  if (mode === "floor") return floorDivide(a, b);
  if (mode !== "trunc") {
    throw new RangeError(
      `div: expected roundingMode to be one of null, "trunc" or "floor", got "${mode}"`,
    );
  }
  return withOperands("div", a, b, (x, y) => {
    checkIntDivisor("div", y);
    const xs = x.shape, ys = y.shape;
    return recordComposite(
      "DivBackward",
      [x, y],
      () => isFloating(x.dtype) ? trunc(div(x, y)) : binaryRaw("div", x, y, x.dtype),
      () => [],
      (g) => [
        x.requiresGrad ? sumTo(mul(g, 0), xs) : null,
        y.requiresGrad ? sumTo(mul(g, 0), ys) : null,
      ],
    );
  });
}

// ---- interpolation and two-argument functions ----

/**
 * start + weight · (end - start), like `torch.lerp`, evaluated as PyTorch does (from `end`
 * when weight ≥ 0.5, so lerp(a, b, 1) is exactly b). `weight` is a number or a tensor; all
 * tensors broadcast and must share one floating dtype.
 */
export function lerp(start: Tensor, end: Tensor, weight: number | Tensor): Tensor {
  start.check("lerp");
  end.check("lerp");
  const tensors = weight instanceof Tensor ? [start, end, weight] : [start, end];
  for (const t of tensors) {
    if (t.dtype !== start.dtype || !isFloating(t.dtype)) {
      throw new TypeError(
        `lerp: expected start, end${weight instanceof Tensor ? " and weight" : ""} of one ` +
          `floating dtype (got ${tensors.map((u) => u.dtype).join(", ")})`,
      );
    }
  }
  const ss = start.shape, es = end.shape;
  const ws = weight instanceof Tensor ? weight.shape : [];
  return recordComposite(
    "LerpBackward",
    [start, end, weight instanceof Tensor ? weight : null],
    () => {
      const diff = sub(end, start);
      if (!(weight instanceof Tensor)) {
        return weight < 0.5 ? add(start, mul(diff, weight)) : sub(end, mul(diff, 1 - weight));
      }
      return where(
        compare("lt", weight, 0.5),
        add(start, mul(diff, weight)),
        sub(end, mul(diff, sub(1, weight))),
      );
    },
    () => weight instanceof Tensor ? [start, end, weight] : [],
    (g, saved) => {
      if (!(weight instanceof Tensor)) {
        return [
          start.requiresGrad ? sumTo(mul(g, 1 - weight), ss) : null,
          end.requiresGrad ? sumTo(mul(g, weight), es) : null,
          null,
        ];
      }
      const [s, e, w] = saved;
      return [
        start.requiresGrad ? sumTo(mul(g, sub(1, w)), ss) : null,
        end.requiresGrad ? sumTo(mul(g, w), es) : null,
        weight.requiresGrad ? sumTo(mul(g, sub(e, s)), ws) : null,
      ];
    },
  );
}

/**
 * √(a² + b²) without overflow or underflow in the squares, like `torch.hypot` (inf when either
 * is infinite, even if the other is NaN, as C's hypot). Gradients a / out and b / out.
 */
export function hypot(a: Operand, b: Operand): Tensor {
  return withOperands("hypot", a, b, (x, y) => {
    const xs = x.shape, ys = y.shape;
    return recordComposite(
      "HypotBackward",
      [x, y],
      () => {
        const ax = abs(x), ay = abs(y);
        const big = maximum(ax, ay), small = minimum(ax, ay);
        // Scaling by the larger magnitude keeps the square below 1.
        const q = div(small, big);
        const r = mul(big, sqrt(add(mul(q, q), 1)));
        const anyInf = or(compare("eq", ax, Infinity), compare("eq", ay, Infinity));
        return where(anyInf, Infinity, where(compare("eq", big, 0), 0, r));
      },
      (out) => [x, y, out],
      (g, [xv, yv, o]) => [
        x.requiresGrad ? sumTo(div(mul(g, xv), o), xs) : null,
        y.requiresGrad ? sumTo(div(mul(g, yv), o), ys) : null,
      ],
    );
  }, true);
}

/**
 * The angle of the point (b, a): atan(a / b) in the right quadrant, like `torch.atan2(input,
 * other)`. Integer operands give float32. Gradients b / (a² + b²) and -a / (a² + b²).
 */
export function atan2(a: Operand, b: Operand): Tensor {
  return withOperands("atan2", a, b, (x, y) => {
    const out = binaryRaw("atan2", x, y);
    const xs = x.shape, ys = y.shape;
    return record(out, "Atan2Backward", [x, y], [x, y], (g, [xv, yv]) => {
      const r2 = add(mul(xv, xv), mul(yv, yv));
      return [
        x.requiresGrad ? sumTo(div(mul(g, yv), r2), xs) : null,
        y.requiresGrad ? sumTo(neg(div(mul(g, xv), r2)), ys) : null,
      ];
    });
  }, true);
}

/**
 * x · log(y), defined as 0 where x == 0 (NaN where y is NaN), like `torch.xlogy`. Gradients
 * log(y) for x (PyTorch 1.13's formula, also at x == 0) and x / y for y.
 */
export function xlogy(a: Operand, b: Operand): Tensor {
  return withOperands("xlogy", a, b, (x, y) => {
    const xs = x.shape, ys = y.shape;
    return recordComposite(
      "XlogyBackward",
      [x, y],
      () => {
        const v = where(compare("eq", x, 0), 0, mul(x, log(y)));
        return where(isnan(y), NaN, v);
      },
      () => [x, y],
      (g, [xv, yv]) => [
        x.requiresGrad ? sumTo(mul(g, log(yv)), xs) : null,
        y.requiresGrad ? sumTo(div(mul(g, xv), yv), ys) : null,
      ],
    );
  }, true);
}

/**
 * log(eᵃ + eᵇ) computed stably, like `torch.logaddexp` (equal infinities give themselves).
 * Gradients sigmoid(a - b) and sigmoid(b - a).
 */
export function logaddexp(a: Operand, b: Operand): Tensor {
  return withOperands("logaddexp", a, b, (x, y) => {
    const xs = x.shape, ys = y.shape;
    return recordComposite(
      "LogaddexpBackward",
      [x, y],
      () => {
        const r = add(maximum(x, y), log1p(exp(neg(abs(sub(x, y))))));
        // -inf - -inf is NaN: equal infinities are the answer themselves.
        return where(and(isinf(x), compare("eq", x, y)), x, r);
      },
      () => [x, y],
      (g, [xv, yv]) => [
        x.requiresGrad ? sumTo(mul(g, sigmoid(sub(xv, yv))), xs) : null,
        y.requiresGrad ? sumTo(mul(g, sigmoid(sub(yv, xv))), ys) : null,
      ],
    );
  }, true);
}

/**
 * Magnitude of `a` with the sign bit of `b` (so -0.0 counts as negative), like
 * `torch.copysign`; always floating. Gradients: ±1 for a (0 where a is 0), 0 for b.
 */
export function copysign(a: Operand, b: Operand): Tensor {
  return withOperands("copysign", a, b, (x, y) => {
    const xs = x.shape, ys = y.shape;
    return recordComposite(
      "CopysignBackward",
      [x, y],
      () => {
        const m = abs(x);
        return where(signbit(y), neg(m), m);
      },
      (out) => [x, out],
      (g, [xv, o]) => [
        x.requiresGrad ? sumTo(where(compare("eq", xv, 0), 0, mul(g, div(o, xv))), xs) : null,
        y.requiresGrad ? sumTo(mul(g, 0), ys) : null,
      ],
    );
  }, true);
}

/**
 * The Heaviside step: 0 for x < 0, `values` where x == 0, 1 for x > 0 (and 0 for NaN), like
 * `torch.heaviside`. `values` broadcasts and must have x's dtype. Not differentiable.
 */
export function heaviside(x: Tensor, values: Tensor): Tensor {
  x.check("heaviside");
  values.check("heaviside");
  if (x.dtype !== values.dtype) {
    throw new TypeError(
      `heaviside: input and values must have one dtype (got ${x.dtype} and ${values.dtype})`,
    );
  }
  return noGrad(() => {
    const step = to(compare("gt", x, 0), x.dtype);
    return where(compare("eq", x, 0), values, step);
  });
}

// ---- unary special functions ----

/**
 * log(x / (1 - x)), like `torch.logit`; with `eps`, x is first clamped into [eps, 1 - eps]
 * (and the gradient is 0 outside that range).
 */
export function logit(input: Tensor, eps: number | null = null): Tensor {
  return withFloat("logit", input, (x) => {
    const z = eps === null ? x : clamp(x, eps, 1 - eps);
    return log(div(z, sub(1, z)));
  });
}

/** sin(πx) / (πx), 1 at 0, like `torch.sinc` (normalised sinc). */
export function sinc(input: Tensor): Tensor {
  return withFloat("sinc", input, (x) =>
    recordComposite(
      "SincBackward",
      [x],
      () => {
        const p = mul(x, Math.PI);
        return where(compare("eq", x, 0), 1, div(sin(p), p));
      },
      () => [x],
      (g, [xv]) => {
        const zero = compare("eq", xv, 0);
        // NOTE: the derivative is 0 at 0; a safe x there keeps 0/0 out of the unused branch.
        const xs = where(zero, 1, xv);
        const p = mul(xs, Math.PI);
        const d = div(sub(mul(p, cos(p)), sin(p)), mul(mul(xs, xs), Math.PI));
        return [where(zero, 0, mul(g, d))];
      },
    ));
}

/** Degrees to radians, like `torch.deg2rad` (integers give float32). */
export function deg2rad(input: Tensor): Tensor {
  return withFloat("deg2rad", input, (x) => mul(x, Math.PI / 180));
}

/** Radians to degrees, like `torch.rad2deg` (integers give float32). */
export function rad2deg(input: Tensor): Tensor {
  return withFloat("rad2deg", input, (x) => mul(x, 180 / Math.PI));
}

/** Replacements of `nanToNum`; PyTorch's `nan`, `posinf`, `neginf` keyword arguments. */
export interface NanToNumOptions {
  /** Value for NaN (default 0). */
  nan?: number;
  /** Value for +inf (default the dtype's largest finite value). */
  posinf?: number | null;
  /** Value for -inf (default the dtype's lowest finite value). */
  neginf?: number | null;
}

/**
 * Replaces NaN, +inf and -inf with finite numbers, like `torch.nan_to_num`. Integer tensors are
 * copied unchanged. Gradient 1 at finite elements, 0 at replaced ones.
 */
export function nanToNum(x: Tensor, opts: NanToNumOptions = {}): Tensor {
  x.check("nanToNum");
  if (!isFloating(x.dtype)) return unaryRaw("copy", x);
  const big = finiteMax(x.dtype);
  const pos = opts.posinf ?? big, negv = opts.neginf ?? -big;
  const special = [isnan(x), compare("eq", x, Infinity), compare("eq", x, -Infinity)];
  return where(special[0], opts.nan ?? 0, where(special[1], pos, where(special[2], negv, x)));
}

/** Coefficients of Giles' single-precision erfinv, central region (w < 5), highest first. */
const ERFINV_CENTRAL = [
  2.81022636e-08,
  3.43273939e-07,
  -3.5233877e-06,
  -4.39150654e-06,
  0.00021858087,
  -0.00125372503,
  -0.00417768164,
  0.246640727,
  1.50140941,
];
/** Giles' tail region (w ≥ 5), in √w - 3. */
const ERFINV_TAIL = [
  -0.000200214257,
  0.000100950558,
  0.00134934322,
  -0.00367342844,
  0.00573950773,
  -0.0076224613,
  0.00943887047,
  1.00167406,
  2.83297682,
];

function horner(coeffs: number[], w: Tensor): Tensor {
  let p: Tensor = mul(w, coeffs[0]);
  for (let i = 1; i < coeffs.length - 1; i++) p = mul(add(p, coeffs[i]), w);
  return add(p, coeffs[coeffs.length - 1]);
}

/**
 * The inverse error function, like `torch.erfinv` (±inf at ±1, NaN outside [-1, 1]).
 * float32 uses M. Giles' approximation ("Approximating the erfinv function", GPU Computing Gems,
 * 2011; relative error below 4e-7); float64 refines it with two Newton steps on erf, which
 * double the number of correct digits each. Gradient √π / 2 · exp(erfinv(x)²).
 */
export function erfinv(input: Tensor): Tensor {
  return withFloat("erfinv", input, (x) =>
    recordComposite(
      "ErfinvBackward",
      [x],
      () => {
        const w = neg(log(mul(sub(1, x), add(x, 1))));
        const central = horner(ERFINV_CENTRAL, sub(w, 2.5));
        const tail = horner(ERFINV_TAIL, sub(sqrt(w), 3));
        let y = mul(where(compare("lt", w, 5), central, tail), x);
        if (x.dtype === "float64") {
          for (let i = 0; i < 2; i++) {
            const slope = mul(exp(neg(mul(y, y))), 2 / Math.sqrt(Math.PI));
            y = sub(y, div(sub(erf(y), x), slope));
          }
        }
        // The polynomials diverge at |x| = 1, where the answer is ±inf.
        return where(compare("eq", abs(x), 1), mul(x, Infinity), y);
      },
      (out) => [out],
      (g, [o]) => [mul(g, mul(exp(mul(o, o)), Math.sqrt(Math.PI) / 2))],
    ));
}

// ---- closeness ----

/** Tolerances of `isclose` / `allclose`, PyTorch's keyword arguments. */
export interface IscloseOptions {
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
  /** Absolute tolerance (default 1e-8). */
  atol?: number;
  /** Whether NaN equals NaN (default false). */
  equalNan?: boolean;
}

/**
 * |a - b| ≤ atol + rtol·|b| elementwise (bool), like `torch.isclose`: equal values (infinities
 * included) are close, NaN only with `equalNan`. a and b must share a dtype.
 */
export function isclose(a: Tensor, b: Tensor, opts: IscloseOptions = {}): Tensor {
  a.check("isclose");
  b.check("isclose");
  if (a.dtype !== b.dtype) {
    throw new TypeError(
      `isclose: expected a and b to have the same dtype (got ${a.dtype} and ${b.dtype})`,
    );
  }
  const { rtol = 1e-5, atol = 1e-8, equalNan = false } = opts;
  if (rtol < 0 || atol < 0) {
    throw new RangeError(`isclose: rtol and atol must be non-negative (got ${rtol}, ${atol})`);
  }
  return noGrad(() => {
    let close = compare("eq", a, b);
    if (equalNan && isFloating(a.dtype)) close = or(close, and(isnan(a), isnan(b)));
    if (rtol === 0 && atol === 0) return close;
    const fa = a.dtype === "bool" ? to(a, "float32") : a;
    const fb = b.dtype === "bool" ? to(b, "float32") : b;
    const allowed = add(abs(mul(fb, rtol)), atol);
    const actual = abs(sub(fa, fb));
    return or(close, and(isfinite(actual), compare("le", actual, allowed)));
  });
}

/** Whether every element of a is close to b (see `isclose`), like `torch.allclose`. */
export async function allclose(a: Tensor, b: Tensor, opts: IscloseOptions = {}): Promise<boolean> {
  const close = isclose(a, b, opts);
  const all = close.all();
  close.dispose();
  try {
    return (await all.item()) !== 0;
  } finally {
    all.dispose();
  }
}

/** Alias of `clamp`, like `torch.clip`. */
export function clip(x: Tensor, min?: ClampBound, max?: ClampBound): Tensor {
  return clamp(x, min, max);
}

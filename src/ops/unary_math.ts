/**
 * PyTorch 1.13's remaining unary math: tangent and the inverse trigonometric functions, the
 * hyperbolic functions and their inverses, exp2/log2/log10, erfc, lgamma, digamma, polygamma
 * and the Bessel function i0. Each runs as one backend kernel (a composite of exp and log
 * would cancel near 0 and overflow early: sinh(1e-7), erfc(5), cosh(89)); the gradients beside
 * them are PyTorch's formulas, written in differentiable ops.
 */
import { record } from "../autograd/function.ts";
import type { Tensor } from "../tensor/tensor.ts";
import {
  add,
  exp,
  floatInput,
  floatUnary,
  mul,
  neg,
  reciprocal,
  rsqrt,
  sign,
  sub,
  unaryRaw,
} from "./elementwise.ts";

/** 1 - x² (the asin/acos/atanh derivatives' common factor). */
function oneMinusSquare(x: Tensor): Tensor {
  return sub(1, mul(x, x));
}

/** tan x, like `torch.tan` (integer inputs give float32). Gradient 1 + tan²x. */
export const tan: (x: Tensor) => Tensor = floatUnary(
  "tan",
  "TanBackward",
  (o) => add(mul(o, o), 1),
  "out",
);
/** arcsin x, like `torch.asin` (NaN outside [-1, 1]). Gradient 1 / √(1 - x²). */
export const asin: (x: Tensor) => Tensor = floatUnary(
  "asin",
  "AsinBackward",
  (x) => rsqrt(oneMinusSquare(x)),
);
/** arccos x, like `torch.acos` (NaN outside [-1, 1]). Gradient -1 / √(1 - x²). */
export const acos: (x: Tensor) => Tensor = floatUnary(
  "acos",
  "AcosBackward",
  (x) => neg(rsqrt(oneMinusSquare(x))),
);
/** arctan x, like `torch.atan`. Gradient 1 / (1 + x²). */
export const atan: (x: Tensor) => Tensor = floatUnary(
  "atan",
  "AtanBackward",
  (x) => reciprocal(add(mul(x, x), 1)),
);
/** sinh x, like `torch.sinh`. Gradient cosh x. */
export const sinh: (x: Tensor) => Tensor = floatUnary("sinh", "SinhBackward", (x) => cosh(x));
/** cosh x, like `torch.cosh`. Gradient sinh x. */
export const cosh: (x: Tensor) => Tensor = floatUnary("cosh", "CoshBackward", (x) => sinh(x));
/** asinh x, like `torch.asinh`. Gradient 1 / √(x² + 1). */
export const asinh: (x: Tensor) => Tensor = floatUnary(
  "asinh",
  "AsinhBackward",
  (x) => rsqrt(add(mul(x, x), 1)),
);
/** acosh x, like `torch.acosh` (NaN below 1). Gradient 1 / √(x² - 1). */
export const acosh: (x: Tensor) => Tensor = floatUnary(
  "acosh",
  "AcoshBackward",
  (x) => rsqrt(sub(mul(x, x), 1)),
);
/** atanh x, like `torch.atanh` (±inf at ±1, NaN outside). Gradient 1 / (1 - x²). */
export const atanh: (x: Tensor) => Tensor = floatUnary(
  "atanh",
  "AtanhBackward",
  (x) => reciprocal(oneMinusSquare(x)),
);
/** 2^x, like `torch.exp2`. Gradient 2^x ln 2. */
export const exp2: (x: Tensor) => Tensor = floatUnary(
  "exp2",
  "Exp2Backward",
  (o) => mul(o, Math.LN2),
  "out",
);
/** log₂ x, like `torch.log2`. Gradient 1 / (x ln 2). */
export const log2: (x: Tensor) => Tensor = floatUnary(
  "log2",
  "Log2Backward",
  (x) => reciprocal(mul(x, Math.LN2)),
);
/** log₁₀ x, like `torch.log10`. Gradient 1 / (x ln 10). */
export const log10: (x: Tensor) => Tensor = floatUnary(
  "log10",
  "Log10Backward",
  (x) => reciprocal(mul(x, Math.LN10)),
);
/**
 * 1 - erf(x), like `torch.erfc`, accurate in the tail where 1 - erf(x) would round to 0
 * (erfc(5) ≈ 1.54e-12). Gradient -2/√π e^(-x²).
 */
export const erfc: (x: Tensor) => Tensor = floatUnary(
  "erfc",
  "ErfcBackward",
  (x) => mul(exp(neg(mul(x, x))), -2 / Math.sqrt(Math.PI)),
);
/** log|Γ(x)|, like `torch.lgamma` (+inf at 0, the negative integers and ±inf). Gradient ψ(x). */
export const lgamma: (x: Tensor) => Tensor = floatUnary(
  "lgamma",
  "LgammaBackward",
  (x) => digamma(x),
);

/**
 * The n-th derivative of the digamma function ψ = (log Γ)', like `torch.polygamma(n, x)`;
 * n = 0 is digamma. Gradient polygamma(n + 1, x).
 * NOTE: on webgpu, n >= 2 below x = -50 gives NaN: the series there would need more loop
 * iterations than one GPU invocation may run.
 */
export function polygamma(n: number, input: Tensor): Tensor {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`polygamma: n must be a non-negative integer (got ${n})`);
  }
  const x = floatInput("polygamma", input);
  const out = unaryRaw("polygamma", x, x.dtype, n);
  if (x !== input) x.dispose();
  return record(out, "PolygammaBackward", [x], [x], (g, [xv]) => [mul(g, polygamma(n + 1, xv))]);
}

/**
 * ψ(x) = Γ'(x)/Γ(x), like `torch.digamma`: -inf at +0, +inf at -0, NaN at the negative
 * integers and -inf. Gradient polygamma(1, x).
 */
export function digamma(x: Tensor): Tensor {
  return polygamma(0, x);
}

/**
 * The modified Bessel function of the first kind of order 0, like `torch.i0`. Gradient i1(x).
 * NOTE: in float32 this stays finite up to x ≈ 91.9, where PyTorch's CPU kernel already
 * overflows to inf from 88.7 (it forms e^x first); ±inf give NaN, as in PyTorch.
 */
export const i0: (x: Tensor) => Tensor = floatUnary("i0", "I0Backward", (x) => unaryRaw("i1", x));

/** sign(x) for real tensors, like `torch.sgn` (complex tensors do not exist here). */
export function sgn(x: Tensor): Tensor {
  return sign(x);
}

/** `x` itself, like `torch.positive`; bool tensors are refused, as PyTorch does. */
export function positive(x: Tensor): Tensor {
  x.check("positive");
  if (x.dtype === "bool") {
    throw new TypeError("positive: not supported for bool tensors (got bool)");
  }
  return x;
}

/** Alias of `asin`, like `torch.arcsin`. */
export const arcsin: (x: Tensor) => Tensor = asin;
/** Alias of `acos`, like `torch.arccos`. */
export const arccos: (x: Tensor) => Tensor = acos;
/** Alias of `atan`, like `torch.arctan`. */
export const arctan: (x: Tensor) => Tensor = atan;
/** Alias of `asinh`, like `torch.arcsinh`. */
export const arcsinh: (x: Tensor) => Tensor = asinh;
/** Alias of `acosh`, like `torch.arccosh`. */
export const arccosh: (x: Tensor) => Tensor = acosh;
/** Alias of `atanh`, like `torch.arctanh`. */
export const arctanh: (x: Tensor) => Tensor = atanh;

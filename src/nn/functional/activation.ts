/**
 * Activation functions beyond relu/gelu/sigmoid/tanh, like `torch.nn.functional`: composed
 * from elementwise primitives (so they fuse on WebGPU), with PyTorch's defaults and PyTorch's
 * gradients at the kinks.
 */
import { recordComposite } from "../../autograd/function.ts";
import { fmtShape } from "../../tensor/shape.ts";
import type { Tensor } from "../../tensor/tensor.ts";
import {
  abs,
  add,
  clamp,
  compare,
  exp,
  expm1,
  log1p,
  mul,
  neg,
  sigmoid,
  sub,
  tanh,
  where,
  withFloat,
} from "../../ops/elementwise.ts";
import { chunk } from "../../ops/join.ts";
import { softmax } from "../../ops/softmax.ts";
import { dimArg } from "../../ops/view.ts";

/** x · sigmoid(x), like `F.silu` (also called swish). */
export function silu(x: Tensor): Tensor {
  return withFloat("silu", x, (v) => mul(v, sigmoid(v)));
}

/** x · tanh(softplus(x)), like `F.mish`. */
export function mish(x: Tensor): Tensor {
  return withFloat("mish", x, (v) => mul(v, tanh(softplus(v))));
}

/**
 * The ELU family: scale·x for x > 0, else scale·alpha·(exp(x·inputScale) - 1). PyTorch's
 * `elu_backward` form: the exponential is only taken where it is used.
 */
function eluFamily(
  name: string,
  input: Tensor,
  alpha: number,
  scale: number,
  inputScale: number,
): Tensor {
  return withFloat(name, input, (x) =>
    recordComposite(
      name,
      [x],
      () => {
        const negPart = mul(expm1(mul(x, inputScale)), scale * alpha);
        return where(compare("gt", x, 0), scale === 1 ? x : mul(x, scale), negPart);
      },
      () => [x],
      (g, [xv]) => {
        const dNeg = mul(exp(mul(xv, inputScale)), scale * alpha * inputScale);
        return [where(compare("gt", xv, 0), scale === 1 ? g : mul(g, scale), mul(g, dNeg))];
      },
    ));
}

/** x for x > 0, else alpha·(eˣ - 1), like `F.elu` (alpha 1). */
export function elu(x: Tensor, alpha = 1): Tensor {
  return eluFamily("EluBackward", x, alpha, 1, 1);
}

/** max(0, x) + min(0, alpha·(exp(x / alpha) - 1)), like `F.celu` (alpha 1). */
export function celu(x: Tensor, alpha = 1): Tensor {
  if (alpha === 0) throw new RangeError("celu: alpha must not be 0 (it divides the input)");
  return eluFamily("CeluBackward", x, alpha, 1, 1 / alpha);
}

/** SELU's α, from Klambauer et al. (2017), as PyTorch spells it. */
const SELU_ALPHA = 1.6732632423543772848170429916717;
/** SELU's λ. */
const SELU_SCALE = 1.0507009873554804934193349852946;

/** scale · elu(x, alpha) with the self-normalising constants, like `F.selu`. */
export function selu(x: Tensor): Tensor {
  return eluFamily("SeluBackward", x, SELU_ALPHA, SELU_SCALE, 1);
}

/**
 * log(1 + exp(beta·x)) / beta, and x itself where beta·x > threshold, like `F.softplus`
 * (beta 1, threshold 20).
 */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  return withFloat("softplus", x, (v) =>
    recordComposite(
      "SoftplusBackward",
      [v],
      () => {
        const bx = mul(v, beta);
        const soft = mul(log1p(exp(bx)), 1 / beta);
        return where(compare("gt", bx, threshold), v, soft);
      },
      () => [v],
      (g, [xv]) => {
        const bx = mul(xv, beta);
        return [where(compare("gt", bx, threshold), g, mul(g, sigmoid(bx)))];
      },
    ));
}

/** x / (1 + |x|), like `F.softsign`. */
export function softsign(x: Tensor): Tensor {
  return withFloat("softsign", x, (v) => v.div(add(abs(v), 1)));
}

/**
 * Clamps into [minVal, maxVal], like `F.hardtanh` (-1, 1). Unlike `clamp`, the gradient is 0
 * at the bounds themselves, as in PyTorch. As there, any bounds are accepted: with
 * minVal >= maxVal every element becomes maxVal (only the `Hardtanh` module insists on
 * maxVal > minVal).
 */
export function hardtanh(x: Tensor, minVal = -1, maxVal = 1): Tensor {
  return recordComposite(
    "HardtanhBackward",
    [x],
    () => clamp(x, minVal, maxVal),
    () => [x],
    (g, [xv]) => {
      const outside = compare("or", compare("le", xv, minVal), compare("ge", xv, maxVal));
      return [where(outside, 0, g)];
    },
  );
}

/** min(max(x, 0), 6), like `F.relu6` (hardtanh(x, 0, 6): gradient 0 at 0 and 6). */
export function relu6(x: Tensor): Tensor {
  return hardtanh(x, 0, 6);
}

/** relu6(x + 3) / 6, like `F.hardsigmoid` (gradient 1/6 strictly inside (-3, 3)). */
export function hardsigmoid(x: Tensor): Tensor {
  return withFloat("hardsigmoid", x, (v) =>
    recordComposite(
      "HardsigmoidBackward",
      [v],
      () => mul(clamp(add(v, 3), 0, 6), 1 / 6),
      () => [v],
      (g, [xv]) => {
        const inside = compare("and", compare("gt", xv, -3), compare("lt", xv, 3));
        // NOTE: PyTorch's kernel multiplies by 1/6 rounded to float32, in every dtype.
        return [where(inside, mul(g, Math.fround(1 / 6)), 0)];
      },
    ));
}

/**
 * x · relu6(x + 3) / 6, like `F.hardswish`; PyTorch's gradient: 0 below -3, x/3 + 1/2 on
 * [-3, 3), 1 from 3 on.
 */
export function hardswish(x: Tensor): Tensor {
  return withFloat("hardswish", x, (v) =>
    recordComposite(
      "HardswishBackward",
      [v],
      () => mul(mul(v, clamp(add(v, 3), 0, 6)), 1 / 6),
      () => [v],
      (g, [xv]) => {
        const mid = mul(g, add(mul(xv, 1 / 3), 0.5));
        // NOTE: at x = 3 PyTorch 1.13's vectorised kernel (what all but a tensor's tail
        // elements take) gives 1, its scalar tail 1.5; we follow the vectorised one.
        return [where(compare("lt", xv, -3), 0, where(compare("lt", xv, 3), mid, g))];
      },
    ));
}

/** log(sigmoid(x)) computed stably as min(x, 0) - log1p(e^-|x|), like `F.logsigmoid`. */
export function logsigmoid(x: Tensor): Tensor {
  return withFloat("logsigmoid", x, (v) =>
    recordComposite(
      "LogSigmoidBackward",
      [v],
      () => sub(clamp(v, null, 0), log1p(exp(neg(abs(v))))),
      () => [v],
      (g, [xv]) => [mul(g, sigmoid(neg(xv)))],
    ));
}

/** x - tanh(x), like `F.tanhshrink`. */
export function tanhshrink(x: Tensor): Tensor {
  return withFloat("tanhshrink", x, (v) => sub(v, tanh(v)));
}

/** x - lambd above lambd, x + lambd below -lambd, else 0, like `F.softshrink` (lambd 0.5). */
export function softshrink(x: Tensor, lambd = 0.5): Tensor {
  if (lambd < 0) throw new RangeError(`softshrink: lambd must be non-negative (got ${lambd})`);
  return where(
    compare("gt", x, lambd),
    sub(x, lambd),
    where(compare("lt", x, -lambd), add(x, lambd), 0),
  );
}

/** 0 on [-lambd, lambd], else x, like `F.hardshrink` (lambd 0.5; NaN passes through). */
export function hardshrink(x: Tensor, lambd = 0.5): Tensor {
  const inside = compare("and", compare("ge", x, -lambd), compare("le", x, lambd));
  return where(inside, 0, x);
}

/** `value` where x <= threshold, else x, like `F.threshold` (NaN passes through). */
export function threshold(x: Tensor, threshold: number, value: number): Tensor {
  return where(compare("le", x, threshold), value, x);
}

/**
 * x for x > 0, else weight·x, like `F.prelu`. `weight` has 1 element or one per channel: dim 1
 * of the input (an input with fewer than 2 dims has one channel, as in PyTorch).
 */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  x.check("prelu");
  weight.check("prelu");
  if (weight.ndim > 1) {
    throw new RangeError(`prelu: weight must be 0-d or 1-d (got ${fmtShape(weight.shape)})`);
  }
  const n = weight.numel;
  let w = weight;
  if (n !== 1) {
    const channels = x.ndim >= 2 ? x.shape[1] : 1;
    if (channels !== n) {
      throw new RangeError(
        `prelu: weight has ${n} elements but input ${fmtShape(x.shape)} has ${channels} ` +
          `channels (dim 1)`,
      );
    }
    w = weight.reshape([n, ...new Array(x.ndim - 2).fill(1)]);
  } else if (weight.ndim === 1) w = weight.reshape([]);
  return where(compare("gt", x, 0), x, mul(w, x));
}

/** a · sigmoid(b) where a, b are the halves of `dim`, like `F.glu` (dim -1). */
export function glu(x: Tensor, dim = -1): Tensor {
  x.check("glu");
  const d = dimArg("glu", dim, x.ndim);
  if (x.shape[d] % 2 !== 0) {
    throw new RangeError(
      `glu: halving dimension ${dim} of input ${fmtShape(x.shape)} needs an even size ` +
        `(got ${x.shape[d]})`,
    );
  }
  const [a, b] = chunk(x, 2, d);
  return mul(a, sigmoid(b));
}

/** softmax(-x) along `dim`, like `F.softmin`. */
export function softmin(x: Tensor, dim: number): Tensor {
  return softmax(neg(x), dim);
}

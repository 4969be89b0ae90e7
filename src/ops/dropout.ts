/** Dropout: a Bernoulli keep-mask drawn from the seeded generator, scaled by 1 / (1 - p). */
import { rand } from "../tensor/creation.ts";
import type { Generator } from "../tensor/random.ts";
import { scope } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { isFloating } from "../tensor/dtype.ts";
import { compare, mul } from "./elementwise.ts";
import { to } from "./convert.ts";

/** Options of `dropout`. */
export interface DropoutOptions {
  /** Probability of zeroing an element (default 0.5). */
  p?: number;
  /** Apply dropout; when false the input is returned unchanged (default true). */
  training?: boolean;
  /** Generator to draw the mask from (the default generator when omitted). */
  generator?: Generator;
}

/**
 * torch.nn.functional.dropout: zeroes each element with probability `p` and scales the rest
 * by 1 / (1 - p); the identity (the input itself) when not training or p = 0.
 */
export function dropout(x: Tensor, opts: DropoutOptions = {}): Tensor {
  x.check("dropout");
  const { p = 0.5, training = true, generator } = opts;
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError(`dropout: probability has to be between 0 and 1, but got ${p}`);
  }
  if (!isFloating(x.dtype)) {
    throw new TypeError(`dropout: expected a floating point input, got ${x.dtype}`);
  }
  if (!training || p === 0) return x;
  return scope(() => {
    const u = rand(x.shape, { dtype: x.dtype, device: x.device, generator });
    // NOTE: keep where u >= p, so p = 1 keeps nothing and p = 0 (handled above) everything.
    const mask = mul(to(compare("ge", u, p), x.dtype), p === 1 ? 0 : 1 / (1 - p));
    return mul(x, mask);
  });
}

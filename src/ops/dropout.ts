/**
 * Dropout: a Bernoulli keep-mask drawn from the seeded generator, scaled by 1 / (1 - p); the
 * channel-wise variants draw one keep per [sample, channel], the alpha variants map dropped and
 * kept values so that SELU activations keep zero mean and unit variance.
 */
import { rand } from "../tensor/creation.ts";
import type { Generator } from "../tensor/random.ts";
import { scope } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { isFloating } from "../tensor/dtype.ts";
import { fmtShape } from "../tensor/shape.ts";
import { add, compare, mul } from "./elementwise.ts";
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

const warned = new Set<string>();

/** Prints a PyTorch UserWarning once per process, as Python's default warning filter does. */
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(message);
}

function checkP(op: string, p: number): void {
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError(`${op}: dropout probability has to be between 0 and 1, but got ${p}`);
  }
}

/** λ·α of SELU: dropped activations of alpha dropout sit at SELU's saturation value −λ·α. */
const ALPHA = 1.7580993408473766;

/**
 * PyTorch's `_dropout_impl` for the channel-wise and alpha variants: one Bernoulli keep draw
 * per element, or per (sample, channel) with `feature` (the noise broadcasts over the rest).
 * Plain dropout scales kept values by 1 / (1 − p); alpha dropout maps kept x to a·x + a·α·p and
 * dropped ones to a·α·(p − 1), which keeps zero mean and unit variance for SELU activations.
 */
function dropoutImpl(
  op: string,
  x: Tensor,
  p: number,
  training: boolean,
  feature: boolean,
  alpha: boolean,
  generator: Generator | undefined,
): Tensor {
  x.check(op);
  checkP(op, p);
  if (!isFloating(x.dtype)) {
    throw new TypeError(`${op}: expected a floating point input, got ${x.dtype}`);
  }
  if (feature && x.ndim < 2) {
    throw new RangeError(
      `${op}: feature dropout requires at least 2 dimensions in the input, got ${
        fmtShape(x.shape)
      }`,
    );
  }
  if (!training || p === 0 || x.numel === 0) return x;
  if (p === 1) return mul(x, 0);
  return scope(() => {
    const shape = feature ? x.shape.map((s, i) => (i < 2 ? s : 1)) : x.shape;
    const u = rand(shape, { dtype: x.dtype, device: x.device, generator });
    const keep = to(compare("ge", u, p), x.dtype);
    if (!alpha) return mul(x, mul(keep, 1 / (1 - p)));
    const a = 1 / Math.sqrt((ALPHA * ALPHA * p + 1) * (1 - p));
    const b = add(mul(keep, ALPHA * a), ALPHA * a * (p - 1));
    return add(mul(x, mul(keep, a)), b);
  });
}

/**
 * Channel dropout as torch's dropout1d and dropout3d do it: an input of the batched rank draws
 * per [sample, channel]; any other rank is one unbatched sample (a leading unit dim is added),
 * so it draws per entry of its first dim.
 */
function channelDropout(op: string, x: Tensor, batchedRank: number, opts: DropoutOptions): Tensor {
  const { p = 0.5, training = true, generator } = opts;
  if (x.ndim === batchedRank) return dropoutImpl(op, x, p, training, true, false, generator);
  return scope(() =>
    dropoutImpl(op, x.unsqueeze(0), p, training, true, false, generator).squeeze(0)
  );
}

/**
 * The checks of dropout2d and dropout3d before they drop: the input and p, and PyTorch 1.13's
 * deprecation warning for a rank other than the batched one or one less.
 */
function checkChannelInput(op: string, x: Tensor, opts: DropoutOptions, batchedRank: number): void {
  x.check(op);
  checkP(op, opts.p ?? 0.5);
  if (x.ndim !== batchedRank - 1 && x.ndim !== batchedRank) {
    warnOnce(
      `${op}: received a ${x.ndim}-D input, which is deprecated; ${op} drops channels of ` +
        `${batchedRank - 1}-D or ${batchedRank}-D inputs (use dropout for others)`,
    );
  }
}

/**
 * torch.nn.functional.dropout1d: zeroes whole channels of [N, C, L] (or unbatched [C, L]) with
 * probability `p` and scales the kept ones by 1 / (1 − p).
 *
 * @example
 * ```ts
 * const y = dropout1d(randn([8, 16, 100]), { p: 0.2 }); // each [n, c] row kept or zeroed
 * ```
 */
export function dropout1d(x: Tensor, opts: DropoutOptions = {}): Tensor {
  if (x.ndim !== 2 && x.ndim !== 3) {
    throw new RangeError(
      `dropout1d: expected a 2-D (unbatched) or 3-D (batched) input, got ${fmtShape(x.shape)}`,
    );
  }
  return channelDropout("dropout1d", x, 3, opts);
}

/**
 * torch.nn.functional.dropout2d (PyTorch 1.13): zeroes whole channels of [N, C, H, W] with
 * probability `p` and scales the kept ones by 1 / (1 − p). As in 1.13, a 3-D input is read as
 * [N, C, L] (a channel per row, with PyTorch's warning; use `dropout1d`), and other ranks
 * warn and drop along dims 0 and 1.
 *
 * @example
 * ```ts
 * const y = dropout2d(randn([8, 16, 5, 5]), { p: 0.2 }); // each [n, c] map kept or zeroed
 * ```
 */
export function dropout2d(x: Tensor, opts: DropoutOptions = {}): Tensor {
  const op = "dropout2d";
  checkChannelInput(op, x, opts, 4);
  if (x.ndim === 3) {
    warnOnce(
      `${op}: received a 3-D input and, as PyTorch 1.13 does, reads it as [N, C, L] ` +
        "(channel-wise 1-D dropout); use dropout1d to keep that behaviour",
    );
  }
  const { p = 0.5, training = true, generator } = opts;
  return dropoutImpl(op, x, p, training, true, false, generator);
}

/**
 * torch.nn.functional.dropout3d: zeroes whole channels of [N, C, D, H, W] (or unbatched
 * [C, D, H, W]) with probability `p` and scales the kept ones by 1 / (1 − p). Other ranks
 * warn, as in PyTorch 1.13, and are read as unbatched (one draw per entry of dim 0).
 *
 * @example
 * ```ts
 * const y = dropout3d(randn([2, 4, 3, 8, 8]), { p: 0.5 });
 * ```
 */
export function dropout3d(x: Tensor, opts: DropoutOptions = {}): Tensor {
  const op = "dropout3d";
  checkChannelInput(op, x, opts, 5);
  return channelDropout(op, x, 5, opts);
}

/**
 * torch.nn.functional.alpha_dropout: dropout for SELU networks; dropped elements take SELU's
 * negative saturation value and an affine map keeps zero mean and unit variance. Unlike
 * `dropout`, `training` defaults to false, as in PyTorch.
 *
 * @example
 * ```ts
 * const y = alphaDropout(randn([64, 100]), { p: 0.1, training: true });
 * ```
 */
export function alphaDropout(x: Tensor, opts: DropoutOptions = {}): Tensor {
  const { p = 0.5, training = false, generator } = opts;
  return dropoutImpl("alphaDropout", x, p, training, false, true, generator);
}

/**
 * torch.nn.functional.feature_alpha_dropout: alpha dropout of whole channels (one draw per
 * [sample, channel] of an [N, C, *] input). `training` defaults to false, as in PyTorch.
 *
 * @example
 * ```ts
 * const y = featureAlphaDropout(randn([8, 16, 4, 4]), { p: 0.2, training: true });
 * ```
 */
export function featureAlphaDropout(x: Tensor, opts: DropoutOptions = {}): Tensor {
  const { p = 0.5, training = false, generator } = opts;
  return dropoutImpl("featureAlphaDropout", x, p, training, true, true, generator);
}

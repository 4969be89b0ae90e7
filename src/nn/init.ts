/**
 * Weight initialisation, like `torch.nn.init`: in-place fills under noGrad with PyTorch's fan
 * and gain rules, drawing from the default generator or a passed one.
 */
import { noGrad } from "../autograd/grad_mode.ts";
import { rand, randn, randperm, tensor } from "../tensor/creation.ts";
import { erf } from "../backend/cpu/math.ts";
import { erfinv } from "../ops/math.ts";
import { scope } from "../tensor/memory.ts";
import type { Generator } from "../tensor/random.ts";
import { fmtShape, numelOf } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";

/** Nonlinearities `calculateGain` knows. */
export type Nonlinearity =
  | "linear"
  | "conv1d"
  | "conv2d"
  | "conv3d"
  | "conv_transpose1d"
  | "conv_transpose2d"
  | "conv_transpose3d"
  | "sigmoid"
  | "tanh"
  | "relu"
  | "leaky_relu"
  | "selu";

/** Options with a generator. */
export interface InitOptions {
  /** Generator to draw from (the default generator when omitted). */
  generator?: Generator;
}

/** Options of the Kaiming initialisers. */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the following leaky ReLU (default 0). */
  a?: number;
  /** Preserve the variance of the forward ("fan_in", default) or backward ("fan_out") pass. */
  mode?: "fan_in" | "fan_out";
  /** The nonlinearity after this layer (default "leaky_relu"). */
  nonlinearity?: Nonlinearity;
}

/** The recommended gain for a nonlinearity (torch.nn.init.calculate_gain). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case "linear":
    case "conv1d":
    case "conv2d":
    case "conv3d":
    case "conv_transpose1d":
    case "conv_transpose2d":
    case "conv_transpose3d":
    case "sigmoid":
      return 1;
    case "tanh":
      return 5 / 3;
    case "relu":
      return Math.SQRT2;
    case "leaky_relu": {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case "selu":
      return 3 / 4;
    default:
      throw new RangeError(`calculateGain: unsupported nonlinearity "${nonlinearity}"`);
  }
}

/**
 * fan_in and fan_out of a weight: dims 1 and 0 times the receptive field (all later dims),
 * as torch.nn.init._calculate_fan_in_and_fan_out.
 */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  if (t.ndim < 2) {
    throw new RangeError(
      `init: fan in and fan out can not be computed for tensor with fewer than 2 dimensions ` +
        `(got ${fmtShape(t.shape)})`,
    );
  }
  const receptive = numelOf(t.shape.slice(2));
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

function fill(t: Tensor, make: () => Tensor): Tensor {
  noGrad(() => scope(() => void t.copy_(make())));
  return t;
}

function floatOpts(t: Tensor, g?: Generator) {
  return {
    dtype: t.dtype === "float64" ? "float64" as const : "float32" as const,
    device: t.device,
    generator: g,
  };
}

/** Fills with U(a, b). */
export function uniform_(t: Tensor, a = 0, b = 1, opts: InitOptions = {}): Tensor {
  return fill(t, () => rand(t.shape, floatOpts(t, opts.generator)).mul(b - a).add(a));
}

/** Fills with N(mean, std²). */
export function normal_(t: Tensor, mean = 0, std = 1, opts: InitOptions = {}): Tensor {
  return fill(t, () => randn(t.shape, floatOpts(t, opts.generator)).mul(std).add(mean));
}

/** Fills with `value`. */
export function constant_(t: Tensor, value: number): Tensor {
  noGrad(() => t.fill_(value));
  return t;
}

/** Fills with zeros. */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/** Fills with ones. */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/** Glorot uniform: U(-a, a) with a = gain·√(6 / (fan_in + fan_out)). */
export function xavierUniform_(t: Tensor, gain = 1, opts: InitOptions = {}): Tensor {
  const [fi, fo] = calculateFanInAndFanOut(t);
  const a = gain * Math.sqrt(6 / (fi + fo));
  return uniform_(t, -a, a, opts);
}

/** Glorot normal: N(0, std²) with std = gain·√(2 / (fan_in + fan_out)). */
export function xavierNormal_(t: Tensor, gain = 1, opts: InitOptions = {}): Tensor {
  const [fi, fo] = calculateFanInAndFanOut(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fi + fo)), opts);
}

function kaimingStd(t: Tensor, opts: KaimingOptions): number {
  const [fi, fo] = calculateFanInAndFanOut(t);
  const fan = (opts.mode ?? "fan_in") === "fan_in" ? fi : fo;
  const gain = calculateGain(opts.nonlinearity ?? "leaky_relu", opts.a ?? 0);
  return gain / Math.sqrt(fan);
}

/** He uniform: U(-b, b) with b = gain·√(3 / fan). */
export function kaimingUniform_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(t, opts);
  return uniform_(t, -bound, bound, opts);
}

/** He normal: N(0, (gain / √fan)²). */
export function kaimingNormal_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  return normal_(t, 0, kaimingStd(t, opts), opts);
}

/**
 * Fills with N(mean, std²) truncated to [a, b], like `torch.nn.init.trunc_normal_`: uniform
 * draws between the normal CDF at a and at b, mapped back through the inverse CDF (so no
 * rejection loop), then clamped against rounding at the ends.
 *
 * @example
 * ```ts
 * truncNormal_(w, 0, 0.02); // ViT-style weights, cut at ±2 (100 std)
 * ```
 */
export function truncNormal_(
  t: Tensor,
  mean = 0,
  std = 1,
  a = -2,
  b = 2,
  opts: InitOptions = {},
): Tensor {
  if (!(a < b) || !(std > 0)) {
    throw new RangeError(
      `truncNormal_: expected a < b and std > 0 (got a=${a}, b=${b}, std=${std})`,
    );
  }
  const cdf = (v: number) => (1 + erf(v / Math.SQRT2)) / 2;
  const lo = 2 * cdf((a - mean) / std) - 1, hi = 2 * cdf((b - mean) / std) - 1;
  return fill(t, () =>
    erfinv(rand(t.shape, floatOpts(t, opts.generator)).mul(hi - lo).add(lo))
      .mul(std * Math.SQRT2).add(mean).clamp(a, b));
}

/** Writes host values (row-major, t's shape) into `t`. */
function fillHost(t: Tensor, values: Float64Array): Tensor {
  return fill(
    t,
    () => tensor(values, { shape: t.shape, dtype: floatOpts(t).dtype, device: t.device }),
  );
}

/**
 * Thin QR's Q of an m×n (m ≥ n) row-major matrix by modified Gram-Schmidt, orthogonalising
 * twice for float64 accuracy. R's diagonal comes out positive, which is the sign PyTorch
 * fixes with `q *= sign(diag(r))`, so the factor is the same unique one.
 */
function qrQ(a: Float64Array, m: number, n: number): Float64Array {
  const q = Float64Array.from(a);
  for (let j = 0; j < n; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += q[i * n + k] * q[i * n + j];
        for (let i = 0; i < m; i++) q[i * n + j] -= dot * q[i * n + k];
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += q[i * n + j] ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) throw new Error("orthogonal_: the random matrix drawn is rank-deficient");
    for (let i = 0; i < m; i++) q[i * n + j] /= norm;
  }
  return q;
}

/**
 * Fills with a (semi-)orthogonal matrix times `gain`, like `torch.nn.init.orthogonal_`: the
 * tensor is viewed as [shape[0], rest]; its rows (or columns, whichever are fewer) are
 * orthonormal. The QR of a normal draw runs on the host in float64.
 *
 * @example
 * ```ts
 * orthogonal_(rnn.weight_hh_l0, 1);
 * ```
 */
export function orthogonal_(t: Tensor, gain = 1, opts: InitOptions = {}): Tensor {
  if (t.ndim < 2) {
    throw new RangeError(
      `orthogonal_: only tensors with 2 or more dimensions are supported (got ${
        fmtShape(t.shape)
      })`,
    );
  }
  if (t.numel === 0) return t;
  const rows = t.shape[0], cols = t.numel / rows;
  const draw = noGrad(() => {
    const r = randn([rows, cols], { dtype: "float64", generator: opts.generator });
    const d = Float64Array.from(r.dataSync());
    r.dispose();
    return d;
  });
  const tall = rows >= cols;
  const [m, n] = tall ? [rows, cols] : [cols, rows];
  // Factor the tall orientation: transpose a wide draw first and the Q back after.
  const a = tall ? draw : transpose(draw, rows, cols);
  const q = qrQ(a, m, n);
  const out = tall ? q : transpose(q, m, n);
  for (let i = 0; i < out.length; i++) out[i] *= gain;
  return fillHost(t, out);
}

function transpose(a: Float64Array, r: number, c: number): Float64Array {
  const o = new Float64Array(a.length);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) o[j * r + i] = a[i * c + j];
  return o;
}

/**
 * Fills a 2-D tensor with the identity (ones on the main diagonal), like
 * `torch.nn.init.eye_`; Linear layers so initialised pass their input through.
 */
export function eye_(t: Tensor): Tensor {
  if (t.ndim !== 2) {
    throw new RangeError(`eye_: only 2-D tensors are supported (got ${fmtShape(t.shape)})`);
  }
  const [r, c] = t.shape;
  const v = new Float64Array(r * c);
  for (let i = 0; i < Math.min(r, c); i++) v[i * c + i] = 1;
  return fillHost(t, v);
}

/**
 * Fills a 3-, 4- or 5-D convolution weight with the Dirac delta, like
 * `torch.nn.init.dirac_`: each output channel (per group) copies one input channel through the
 * kernel centre, so the convolution preserves its input.
 */
export function dirac_(t: Tensor, groups = 1): Tensor {
  if (t.ndim < 3 || t.ndim > 5) {
    throw new RangeError(
      `dirac_: only 3, 4 or 5-D tensors are supported (got ${fmtShape(t.shape)})`,
    );
  }
  if (!Number.isInteger(groups) || groups < 1 || t.shape[0] % groups !== 0) {
    throw new RangeError(`dirac_: dim 0 (${t.shape[0]}) must be divisible by groups (${groups})`);
  }
  const perGroup = t.shape[0] / groups;
  const strides = t.shape.map((_, i) => numelOf(t.shape.slice(i + 1)));
  const centre = t.shape.slice(2).reduce((o, k, i) => o + Math.floor(k / 2) * strides[i + 2], 0);
  const v = new Float64Array(t.numel);
  for (let g = 0; g < groups; g++) {
    for (let d = 0; d < Math.min(perGroup, t.shape[1]); d++) {
      v[(g * perGroup + d) * strides[0] + d * strides[1] + centre] = 1;
    }
  }
  return fillHost(t, v);
}

/**
 * Fills a 2-D tensor as a sparse matrix, like `torch.nn.init.sparse_`: N(0, std²) values with
 * ceil(sparsity · rows) randomly chosen entries of every column set to zero.
 */
export function sparse_(t: Tensor, sparsity: number, std = 0.01, opts: InitOptions = {}): Tensor {
  if (t.ndim !== 2) {
    throw new RangeError(`sparse_: only 2-D tensors are supported (got ${fmtShape(t.shape)})`);
  }
  const [rows, cols] = t.shape;
  const zerosPerCol = Math.ceil(sparsity * rows);
  const mask = new Float64Array(rows * cols).fill(1);
  for (let c = 0; c < cols; c++) {
    const p = randperm(rows, { generator: opts.generator });
    const perm = p.dataSync();
    p.dispose();
    for (let k = 0; k < zerosPerCol; k++) mask[perm[k] * cols + c] = 0;
  }
  normal_(t, 0, std, opts);
  return fill(
    t,
    () => t.mul(tensor(mask, { shape: t.shape, dtype: floatOpts(t).dtype, device: t.device })),
  );
}

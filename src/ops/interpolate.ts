/**
 * Resampling: torch.nn.functional.interpolate (nearest and (bi/tri)linear) and pixel
 * (un)shuffle. Interpolation gathers rows along one spatial dim at a time by host-built
 * indices, with host-built weights for the linear modes, so the backward pass is the
 * gather's scatter-add (as in `pad`) and every backend runs it without a kernel of its own.
 */
import { tensor } from "../tensor/creation.ts";
import { scope } from "../tensor/memory.ts";
import { fmtShape } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { indexSelect } from "./index.ts";

/** Interpolation modes of `interpolate`. */
export type InterpolateMode = "nearest" | "linear" | "bilinear" | "trilinear";

/** Options of `interpolate` (torch.nn.functional.interpolate's keywords). */
export interface InterpolateOptions {
  /** Output spatial size, one number for every spatial dim or one per dim. */
  size?: number | number[];
  /** Multiplier of the spatial size (output = floor(input · scaleFactor)). */
  scaleFactor?: number | number[];
  /** Sampling algorithm (default "nearest"). */
  mode?: InterpolateMode;
  /**
   * Linear modes only: align the centres of the corner pixels (true) or their outer edges
   * (false, PyTorch's default).
   */
  alignCorners?: boolean;
  /**
   * With `scaleFactor`: compute the source positions from the rounded output size instead of
   * the given factor (default false, as in PyTorch).
   */
  recomputeScaleFactor?: boolean;
}

const LINEAR_DIMS: Record<string, number> = { linear: 1, bilinear: 2, trilinear: 3 };

function perDim(op: string, name: string, v: number | number[], n: number): number[] {
  const a = typeof v === "number" ? new Array<number>(n).fill(v) : [...v];
  if (a.length !== n) {
    throw new RangeError(
      `${op}: ${name} must have ${n} entries for ${n} spatial dims (got ${JSON.stringify(v)})`,
    );
  }
  return a;
}

/**
 * Source row of each output row in "nearest" mode, as PyTorch 1.13's CPU kernel computes it:
 * floor(dst · scale) in float32 (scale = 1 / scaleFactor, or in / out), clamped to in − 1.
 */
function nearestIndex(inp: number, out: number, scale: number | undefined): Int32Array {
  const idx = new Int32Array(out);
  const s = Math.fround(scale !== undefined && scale > 0 ? 1 / scale : inp / out);
  for (let o = 0; o < out; o++) {
    // NOTE: the kernel short-cuts these two cases exactly; the float formula could round
    // differently, so they are kept as PyTorch has them.
    if (out === inp) idx[o] = o;
    else if (out === 2 * inp) idx[o] = o >> 1;
    else idx[o] = Math.min(Math.floor(Math.fround(o * s)), inp - 1);
  }
  return idx;
}

/** Two source rows and their weights per output row in the linear modes (PyTorch 1.13). */
function linearIndex(
  inp: number,
  out: number,
  alignCorners: boolean,
  scale: number | undefined,
): { i0: Int32Array; i1: Int32Array; w0: Float64Array; w1: Float64Array } {
  const i0 = new Int32Array(out), i1 = new Int32Array(out);
  const w0 = new Float64Array(out), w1 = new Float64Array(out);
  const s = alignCorners
    ? (out > 1 ? (inp - 1) / (out - 1) : 0)
    : (scale !== undefined && scale > 0 ? 1 / scale : inp / out);
  for (let o = 0; o < out; o++) {
    // Without alignCorners the source position is clamped at 0, so the border rows repeat.
    const src = alignCorners ? s * o : Math.max(s * (o + 0.5) - 0.5, 0);
    const a = Math.floor(src);
    const l = Math.min(Math.max(src - a, 0), 1);
    i0[o] = a;
    i1[o] = a + (a < inp - 1 ? 1 : 0);
    w0[o] = 1 - l;
    w1[o] = l;
  }
  return { i0, i1, w0, w1 };
}

/**
 * torch.nn.functional.interpolate for [N, C, L], [N, C, H, W] and [N, C, D, H, W] inputs:
 * "nearest" for any of them, "linear" / "bilinear" / "trilinear" for 3-D / 4-D / 5-D. Give
 * exactly one of `size` and `scaleFactor`.
 *
 * @example
 * ```ts
 * const up = interpolate(randn([1, 3, 8, 8]), { scaleFactor: 2, mode: "bilinear" }); // [1, 3, 16, 16]
 * ```
 */
export function interpolate(x: Tensor, opts: InterpolateOptions = {}): Tensor {
  x.check("interpolate");
  const { size, scaleFactor, mode = "nearest", recomputeScaleFactor = false } = opts;
  if (x.ndim < 3 || x.ndim > 5) {
    throw new RangeError(
      `interpolate: expected a 3-D, 4-D or 5-D input [N, C, *spatial], got ${fmtShape(x.shape)}`,
    );
  }
  const nd = x.ndim - 2;
  if (mode !== "nearest" && !(mode in LINEAR_DIMS)) {
    throw new RangeError(
      `interpolate: unknown mode "${mode}"; expected nearest, linear, bilinear or trilinear`,
    );
  }
  if (mode !== "nearest" && LINEAR_DIMS[mode] !== nd) {
    throw new RangeError(
      `interpolate: mode "${mode}" needs a ${LINEAR_DIMS[mode] + 2}-D input, got ${
        fmtShape(x.shape)
      }`,
    );
  }
  if (mode === "nearest" && opts.alignCorners !== undefined) {
    throw new RangeError(
      "interpolate: alignCorners can only be set with the interpolating modes linear, " +
        "bilinear and trilinear",
    );
  }
  if ((size === undefined) === (scaleFactor === undefined)) {
    throw new RangeError("interpolate: give exactly one of size and scaleFactor");
  }
  const inSize = x.shape.slice(2);
  let outSize: number[];
  let scales: (number | undefined)[] = new Array(nd).fill(undefined);
  if (size !== undefined) {
    outSize = perDim("interpolate", "size", size, nd);
  } else {
    const sf = perDim("interpolate", "scaleFactor", scaleFactor!, nd);
    if (!sf.every((v) => Number.isFinite(v) && v > 0)) {
      throw new RangeError(`interpolate: scaleFactor must be positive (got ${scaleFactor})`);
    }
    outSize = inSize.map((s, i) => Math.floor(s * sf[i]));
    if (!recomputeScaleFactor) scales = sf;
  }
  if (!outSize.every((v) => Number.isInteger(v) && v > 0)) {
    throw new RangeError(
      `interpolate: output size ${fmtShape(outSize)} for input ${
        fmtShape(x.shape)
      } must be positive integers`,
    );
  }
  const alignCorners = opts.alignCorners ?? false;
  return scope(() => {
    let y = x;
    for (let i = 0; i < nd; i++) {
      const d = 2 + i;
      const [inp, out] = [inSize[i], outSize[i]];
      if (mode === "nearest") {
        if (out === inp) continue;
        y = indexSelect(y, d, tensor(nearestIndex(inp, out, scales[i]), { device: x.device }));
        continue;
      }
      const { i0, i1, w0, w1 } = linearIndex(inp, out, alignCorners, scales[i]);
      const wShape = [out, ...new Array<number>(x.ndim - 1 - d).fill(1)];
      const f = { device: x.device, dtype: x.dtype, shape: wShape };
      const a = indexSelect(y, d, tensor(i0, { device: x.device }));
      const b = indexSelect(y, d, tensor(i1, { device: x.device }));
      y = a.mul(tensor(w0, f)).add(b.mul(tensor(w1, f)));
    }
    // A fresh tensor even when nothing is resampled, as PyTorch's kernel writes one.
    return y === x ? x.clone() : y;
  });
}

/**
 * torch.nn.functional.pixel_shuffle: [*, C·r², H, W] → [*, C, H·r, W·r], moving each group of
 * r² channels into an r×r block of pixels.
 *
 * @example
 * ```ts
 * pixelShuffle(randn([1, 8, 3, 3]), 2).shape; // [1, 2, 6, 6]
 * ```
 */
export function pixelShuffle(x: Tensor, upscaleFactor: number): Tensor {
  x.check("pixelShuffle");
  const r = upscaleFactor;
  if (!Number.isInteger(r) || r < 1) {
    throw new RangeError(`pixelShuffle: upscaleFactor must be a positive integer (got ${r})`);
  }
  if (x.ndim < 3 || x.shape[x.ndim - 3] % (r * r) !== 0) {
    throw new RangeError(
      `pixelShuffle: expected an input [*, C·${r * r}, H, W] with at least 3 dims and channels ` +
        `divisible by ${r * r}, got ${fmtShape(x.shape)}`,
    );
  }
  const batch = x.shape.slice(0, -3);
  const [c, h, w] = x.shape.slice(-3);
  const b = batch.length;
  const oc = c / (r * r);
  const perm = [...batch.keys(), b, b + 3, b + 1, b + 4, b + 2];
  return scope(() =>
    x.reshape([...batch, oc, r, r, h, w]).permute(perm).reshape([...batch, oc, h * r, w * r])
  );
}

/**
 * torch.nn.functional.pixel_unshuffle, the inverse of `pixelShuffle`:
 * [*, C, H·r, W·r] → [*, C·r², H, W].
 *
 * @example
 * ```ts
 * pixelUnshuffle(randn([1, 2, 6, 6]), 2).shape; // [1, 8, 3, 3]
 * ```
 */
export function pixelUnshuffle(x: Tensor, downscaleFactor: number): Tensor {
  x.check("pixelUnshuffle");
  const r = downscaleFactor;
  if (!Number.isInteger(r) || r < 1) {
    throw new RangeError(`pixelUnshuffle: downscaleFactor must be a positive integer (got ${r})`);
  }
  if (x.ndim < 3 || x.shape[x.ndim - 2] % r !== 0 || x.shape[x.ndim - 1] % r !== 0) {
    throw new RangeError(
      `pixelUnshuffle: expected an input [*, C, H, W] with H and W divisible by ${r}, got ${
        fmtShape(x.shape)
      }`,
    );
  }
  const batch = x.shape.slice(0, -3);
  const [c, h, w] = x.shape.slice(-3);
  const b = batch.length;
  const perm = [...batch.keys(), b, b + 2, b + 4, b + 1, b + 3];
  return scope(() =>
    x.reshape([...batch, c, h / r, r, w / r, r]).permute(perm).reshape([
      ...batch,
      c * r * r,
      h / r,
      w / r,
    ])
  );
}

/**
 * torch.nn.functional.bilinear: y = x1ᵀ·W·x2 + b per output feature, for x1 [*, in1],
 * x2 [*, in2], weight [out, in1, in2] and bias [out].
 *
 * @example
 * ```ts
 * const y = bilinear(randn([4, 3]), randn([4, 5]), randn([2, 3, 5])); // [4, 2]
 * ```
 */
export function bilinear(
  x1: Tensor,
  x2: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
): Tensor {
  x1.check("bilinear");
  x2.check("bilinear");
  if (weight.ndim !== 3) {
    throw new RangeError(
      `bilinear: expected weight [out, in1, in2], got ${fmtShape(weight.shape)}`,
    );
  }
  const [o, n1, n2] = weight.shape;
  if (
    x1.ndim < 1 || x1.ndim !== x2.ndim || x1.shape[x1.ndim - 1] !== n1 ||
    x2.shape[x2.ndim - 1] !== n2 || x1.shape.slice(0, -1).join() !== x2.shape.slice(0, -1).join()
  ) {
    throw new RangeError(
      `bilinear: expected inputs [*, ${n1}] and [*, ${n2}] with equal batch dims for weight ${
        fmtShape(weight.shape)
      }, got ${fmtShape(x1.shape)} and ${fmtShape(x2.shape)}`,
    );
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== o)) {
    throw new RangeError(`bilinear: expected bias of shape [${o}], got ${fmtShape(bias.shape)}`);
  }
  const batch = x1.shape.slice(0, -1);
  return scope(() => {
    // (x1 · W viewed as [in1, out·in2]) then a dot with x2 over in2: one matmul, one reduction.
    const w = weight.permute([1, 0, 2]).reshape([n1, o * n2]);
    const t = x1.reshape([-1, n1]).matmul(w).reshape([-1, o, n2]);
    const y = t.mul(x2.reshape([-1, 1, n2])).sum(2).reshape([...batch, o]);
    return bias ? y.add(bias) : y;
  });
}

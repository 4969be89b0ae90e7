/**
 * torchvision's tensor warps (`functional_tensor.affine`, `rotate`,
 * `perspective`): a sampling grid built like `_gen_affine_grid` /
 * `_perspective_grid` and PyTorch's CPU `grid_sample` (zeros padding,
 * `align_corners=False`), including torchvision's fill trick of sampling an
 * extra all-ones channel and mixing the fill colour by it.
 *
 * @module
 */

import type { Tensor } from "../tensor/tensor.ts";
import { fromHost, type HostImage, hostImage, opRound } from "./tensor_image.ts";
import { roundHalfEven } from "./size.ts";
import { fma32, fma64 } from "./numeric.ts";

/** The interpolations torchvision's tensor warps accept. */
export type TensorWarpInterpolation = "nearest" | "bilinear";

/** A sampling grid in normalised [-1, 1] coordinates, one entry per output pixel. */
export interface Grid {
  /** x coordinates, row-major `oh × ow`. */
  x: Float64Array;
  /** y coordinates. */
  y: Float64Array;
  /** Output rows. */
  oh: number;
  /** Output columns. */
  ow: number;
}

/** torchvision's `_gen_affine_grid` for an inverse affine `matrix` (6 values). */
export function affineGrid(
  matrix: readonly number[],
  w: number,
  h: number,
  ow: number,
  oh: number,
  double: boolean,
): Grid {
  const r = double ? (v: number) => v : Math.fround;
  const t = matrix.map(r);
  const hw = r(0.5 * w), hh = r(0.5 * h);
  // rescaled_theta = theta^T / [0.5 w, 0.5 h]: column 0 feeds x, column 1 feeds y.
  const ax = [r(t[0] / hw), r(t[1] / hw), r(t[2] / hw)];
  const ay = [r(t[3] / hh), r(t[4] / hh), r(t[5] / hh)];
  const x = new Float64Array(oh * ow), y = new Float64Array(oh * ow);
  for (let i = 0; i < oh; i++) {
    const by = -oh * 0.5 + 0.5 + i;
    for (let j = 0; j < ow; j++) {
      const bx = -ow * 0.5 + 0.5 + j;
      x[i * ow + j] = r(r(r(bx * ax[0]) + r(by * ax[1])) + ax[2]);
      y[i * ow + j] = r(r(r(bx * ay[0]) + r(by * ay[1])) + ay[2]);
    }
  }
  return { x, y, oh, ow };
}

/** torchvision's `_perspective_grid` for 8 perspective coefficients. */
export function perspectiveGrid(
  coeffs: readonly number[],
  ow: number,
  oh: number,
  double: boolean,
): Grid {
  const r = double ? (v: number) => v : Math.fround;
  const c = coeffs.map(r);
  const hw = r(0.5 * ow), hh = r(0.5 * oh);
  const ax = [r(c[0] / hw), r(c[1] / hw), r(c[2] / hw)];
  const ay = [r(c[3] / hh), r(c[4] / hh), r(c[5] / hh)];
  const x = new Float64Array(oh * ow), y = new Float64Array(oh * ow);
  for (let i = 0; i < oh; i++) {
    const by = i + 0.5;
    for (let j = 0; j < ow; j++) {
      const bx = j + 0.5;
      const den = r(r(r(bx * c[6]) + r(by * c[7])) + 1);
      const nx = r(r(r(bx * ax[0]) + r(by * ax[1])) + ax[2]);
      const ny = r(r(r(bx * ay[0]) + r(by * ay[1])) + ay[2]);
      x[i * ow + j] = r(r(nx / den) - 1);
      y[i * ow + j] = r(r(ny / den) - 1);
    }
  }
  return { x, y, oh, ow };
}

/**
 * torchvision's `_compute_affine_output_size` (float32, with its 1e-4
 * truncation so that 1e-15 noise does not add a pixel): `[ow, oh]`.
 */
export function affineOutputSize(
  matrix: readonly number[],
  w: number,
  h: number,
): [number, number] {
  const r = Math.fround;
  const t = matrix.map(r);
  const pts = [[-0.5 * w, -0.5 * h], [-0.5 * w, 0.5 * h], [0.5 * w, 0.5 * h], [0.5 * w, -0.5 * h]];
  const tol = r(1e-4);
  const size: number[] = [];
  for (const [k, half] of [[0, 0.5 * w], [1, 0.5 * h]]) {
    const vals = pts.map(([px, py]) =>
      r(r(r(r(px) * t[3 * k]) + r(r(py) * t[3 * k + 1])) + t[3 * k + 2])
    );
    const mx = r(Math.max(...vals) + r(half)), mn = r(Math.min(...vals) + r(half));
    const cmax = Math.ceil(r(Math.trunc(r(mx / tol)) * tol));
    const cmin = Math.floor(r(Math.trunc(r(mn / tol)) * tol));
    size.push(r(cmax - cmin));
  }
  return [size[0], size[1]];
}

/**
 * PyTorch's CPU `grid_sample` of `img` at `grid` (zeros padding,
 * `align_corners=False`), then torchvision's fill: with `fill` given, pixels
 * are mixed with the fill colour by the sampled coverage of an all-ones
 * channel. Integer images are sampled in float32 and rounded back.
 */
export function gridSampleImage(
  img: HostImage,
  grid: Grid,
  mode: TensorWarpInterpolation,
  fill: readonly number[] | null,
): Tensor {
  const { data, h: H, w: W, c: C, batch } = img;
  const double = img.dtype === "float64";
  const r = opRound(double ? "float64" : "float32");
  const { oh, ow } = grid;
  const n = oh * ow;
  const out = new Float64Array(batch * C * n);
  const fma = double ? fma64 : fma32;
  const sw = r(W / 2), sh = r(H / 2);
  const fills = fill === null
    ? null
    : Array.from({ length: C }, (_, c) => r(fill[fill.length === 1 ? 0 : c]));
  for (let k = 0; k < n; k++) {
    // NOTE: `(g + 1) * size / 2 - 0.5` compiles to a fused multiply-add in PyTorch's AVX2 kernel.
    const ix = fma(r(grid.x[k] + 1), sw, -0.5);
    const iy = fma(r(grid.y[k] + 1), sh, -0.5);
    // Corner offsets into one plane (-1 = outside) and their weights.
    let offs: number[], wts: number[];
    if (mode === "nearest") {
      const xi = roundHalfEven(ix), yi = roundHalfEven(iy);
      offs = [xi > -1 && xi < W && yi > -1 && yi < H ? yi * W + xi : -1];
      wts = [1];
    } else {
      const xw = Math.floor(ix), yn = Math.floor(iy);
      const we = r(ix - xw), e = r(1 - we), no = r(iy - yn), s = r(1 - no);
      const inX = (x: number): boolean => x > -1 && x < W;
      const inY = (y: number): boolean => y > -1 && y < H;
      const off = (y: number, x: number): number => (inX(x) && inY(y) ? y * W + x : -1);
      offs = [off(yn, xw), off(yn, xw + 1), off(yn + 1, xw), off(yn + 1, xw + 1)];
      wts = [r(s * e), r(s * we), r(no * e), r(no * we)];
    }
    let mask = 0;
    if (fills !== null) {
      const on = (q: number): number => (offs[q] < 0 ? 0 : 1);
      mask = offs.length === 1 ? on(0) : fma(on(1), wts[1], r(on(0) * wts[0]));
      if (offs.length === 4) mask = fma(on(3), wts[3], fma(on(2), wts[2], mask));
    }
    for (let p = 0; p < batch * C; p++) {
      const base = p * H * W;
      const val = (q: number): number => (offs[q] < 0 ? 0 : data[base + offs[q]]);
      let v = val(0);
      if (offs.length === 4) {
        // nw*a + ne*b + sw*c + se*d, contracted by the compiler into a chain of FMAs.
        v = fma(val(1), wts[1], r(val(0) * wts[0]));
        v = fma(val(2), wts[2], v);
        v = fma(val(3), wts[3], v);
      }
      if (fills !== null) {
        const f = fills[p % C];
        v = mode === "nearest" ? (mask < 0.5 ? f : v) : r(r(v * mask) + r(r(1.0 - mask) * f));
      }
      out[p * n + k] = v;
    }
  }
  if (img.dtype === "int32") out.forEach((v, i) => (out[i] = roundHalfEven(v)));
  const shape = [...img.shape];
  shape[shape.length - 2] = oh;
  shape[shape.length - 1] = ow;
  return fromHost(out, shape, img.dtype);
}

/** Reads a tensor image and checks a warp's fill against its channels (torchvision's rules). */
export function warpInput(t: Tensor, fill: readonly number[] | null, who: string): HostImage {
  const img = hostImage(who, t);
  if (fill !== null && fill.length > 1 && fill.length !== img.c) {
    throw new RangeError(
      `${who}: fill has ${fill.length} values but the image has ${img.c} channels`,
    );
  }
  return img;
}

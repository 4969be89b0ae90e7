/**
 * torchvision's Gaussian blur: a separable Gaussian kernel built in float32
 * (`linspace`, `exp`, normalised), applied as one 2-D depthwise convolution
 * over a reflect-padded image. torchvision 0.14 blurs PIL images through the
 * same tensor code (uint8 → float32 → rounded back), so both {@link Image}
 * and tensor inputs use this kernel.
 *
 * @module
 */

import { expF32, linspaceF32, torchSum } from "./numeric.ts";

/** torchvision's `_get_gaussian_kernel1d` in float32. */
export function gaussianKernel1d(kernelSize: number, sigma: number): Float32Array {
  const fr = Math.fround;
  const half = (kernelSize - 1) * 0.5;
  const x = linspaceF32(-half, half, kernelSize);
  const s = fr(sigma);
  const pdf = new Float32Array(kernelSize);
  for (let i = 0; i < kernelSize; i++) {
    const t = fr(x[i] / s);
    pdf[i] = expF32(fr(-0.5 * fr(t * t)));
  }
  const total = torchSum(pdf);
  return pdf.map((v) => fr(v / total));
}

/** Validates torchvision's `kernel_size` / `sigma` arguments; returns `[kx, ky]`, `[sx, sy]`. */
export function parseBlurArgs(
  kernelSize: number | readonly number[],
  sigma: number | readonly number[] | undefined,
  who: string,
): [[number, number], [number, number]] {
  const ks = typeof kernelSize === "number" ? [kernelSize, kernelSize] : [...kernelSize];
  if (ks.length === 1) ks.push(ks[0]);
  if (ks.length !== 2 || ks.some((k) => !Number.isInteger(k) || k <= 0 || k % 2 === 0)) {
    throw new RangeError(
      `${who}: kernelSize must be odd positive integers (one, or [kx, ky]), got ${
        JSON.stringify(kernelSize)
      }`,
    );
  }
  const sg = sigma === undefined
    ? ks.map((k) => k * 0.15 + 0.35)
    : typeof sigma === "number"
    ? [sigma, sigma]
    : sigma.length === 1
    ? [sigma[0], sigma[0]]
    : [...sigma];
  if (sg.length !== 2 || sg.some((s) => typeof s !== "number" || !(s > 0))) {
    throw new RangeError(
      `${who}: sigma must be positive (one, or [sx, sy]), got ${JSON.stringify(sigma)}`,
    );
  }
  return [[ks[0], ks[1]], [sg[0], sg[1]]];
}

/**
 * Whether PyTorch's CPU `conv2d` takes oneDNN (row-major fused multiply-adds)
 * rather than its native im2col + BLAS path (row-major, unfused) for a
 * depthwise convolution of `batch × channels × h × w` (padded) input:
 * float32 only, and only for grouped, larger-than-3×3, batched or large inputs.
 */
export function convUsesFma(
  double: boolean,
  batch: number,
  channels: number,
  h: number,
  w: number,
  kh: number,
  kw: number,
): boolean {
  return !double &&
    (channels > 1 || (kh > 3 && kw > 3) || batch > 1 || batch * channels * h * w > 20480);
}

/** torch's reflect-pad index (no edge repeat); the pad is always smaller than the size. */
function reflect(i: number, n: number): number {
  if (i < 0) return -i;
  if (i >= n) return 2 * (n - 1) - i;
  return i;
}

/**
 * Blurs `planes` stacked H×W float planes with the 2-D kernel
 * `ky[i] * kx[j]` (reflect padding) of `batch` images of `channels`
 * planes, accumulating row-major as PyTorch's CPU `conv2d` does (see
 * {@link convUsesFma}). `double` keeps float64 arithmetic, otherwise float32.
 */
export function blurPlanes(
  src: ArrayLike<number>,
  batch: number,
  channels: number,
  h: number,
  w: number,
  kernelSize: readonly [number, number],
  sigma: readonly [number, number],
  double: boolean,
  who: string,
): Float64Array {
  const [kw, kh] = kernelSize;
  const px = kw >> 1, py = kh >> 1;
  if (px >= w || py >= h) {
    throw new RangeError(
      `${who}: reflect padding of ${py}×${px} needs an image larger than the padding, got ${h}×${w}`,
    );
  }
  const kx = gaussianKernel1d(kw, sigma[0]), ky = gaussianKernel1d(kh, sigma[1]);
  const fr = Math.fround;
  const round = double ? (v: number) => v : fr;
  const fused = convUsesFma(double, batch, channels, h + kh - 1, w + kw - 1, kh, kw);
  const planes = batch * channels;
  const k2 = new Float64Array(kh * kw);
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) k2[i * kw + j] = round(ky[i] * kx[j]);
  // One reflect-padded plane at a time keeps the tap loop free of index lookups.
  const pw = w + kw - 1, ph = h + kh - 1;
  const padded = new Float64Array(pw * ph);
  const out = new Float64Array(planes * h * w);
  for (let p = 0; p < planes; p++) {
    const base = p * h * w;
    for (let y = 0; y < ph; y++) {
      const r = base + reflect(y - py, h) * w;
      for (let x = 0; x < pw; x++) padded[y * pw + x] = src[r + reflect(x - px, w)];
    }
    for (let y = 0; y < h; y++) {
      // A whole output row advances tap by tap: each pixel still sums its taps in
      // row-major order, but the inner loop runs over contiguous memory.
      const acc = out.subarray(base + y * w, base + (y + 1) * w);
      for (let i = 0, k = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++, k++) {
          const kk = k2[k];
          const q = (y + i) * pw + j;
          if (fused) {
            for (let x = 0; x < w; x++) acc[x] = fr(padded[q + x] * kk + acc[x]);
          } else if (double) {
            for (let x = 0; x < w; x++) acc[x] += padded[q + x] * kk;
          } else {
            for (let x = 0; x < w; x++) acc[x] = fr(acc[x] + fr(padded[q + x] * kk));
          }
        }
      }
    }
  }
  return out;
}

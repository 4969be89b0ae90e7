/**
 * Image summaries as PyTorch writes them: values become HWC uint8 (floats are scaled by 255,
 * clipped and truncated; integer data is taken as 0–255), one-channel images become RGB,
 * batches are tiled 8 per row without padding (torch.utils.tensorboard's make_grid), and
 * the result is PNG-encoded with sharp.
 */
import sharp from "sharp";

/** Accepted image layouts. */
export type DataFormats = "CHW" | "HWC" | "HW" | "NCHW" | "NHWC";

/** An image as HWC uint8 values. */
export interface HWCImage {
  /** Row-major HWC bytes. */
  data: Uint8Array;
  /** Height in pixels. */
  height: number;
  /** Width in pixels. */
  width: number;
  /** 1, 3 or 4. */
  channels: number;
}

/** Validates `shape` against `format` and returns the image dimensions. */
export function imageDims(
  op: string,
  shape: number[],
  format: DataFormats,
): { N: number; C: number; H: number; W: number } {
  if (!["CHW", "HWC", "HW", "NCHW", "NHWC"].includes(format)) {
    throw new RangeError(`${op}: unknown dataformats "${format}"`);
  }
  if (shape.length !== format.length) {
    throw new RangeError(
      `${op}: dataformats "${format}" needs a ${format.length}-D input, got shape [${shape}]`,
    );
  }
  const dim = (c: string): number => (format.includes(c) ? shape[format.indexOf(c)] : 1);
  const N = dim("N"), C = dim("C"), H = dim("H"), W = dim("W");
  if (![1, 3, 4].includes(C)) {
    throw new RangeError(`${op}: images need 1, 3 or 4 channels, got ${C} (shape [${shape}])`);
  }
  if (N > 1 && C === 4) throw new RangeError(`${op}: RGBA batches are not supported`);
  if (N * H * W === 0) throw new RangeError(`${op}: empty image of shape [${shape}]`);
  return { N, C, H, W };
}

function toByte(v: number, scale: number): number {
  const x = v * scale;
  // numpy's clip then astype(uint8) truncates toward zero; NaN becomes 0.
  return x >= 255 ? 255 : x > 0 ? Math.trunc(x) : 0;
}

/**
 * Converts `values` laid out as `shape` in `format` to an HWC uint8 image. `isFloat` says
 * whether values are in [0, 1] (scaled by 255) or already 0–255.
 */
export function toHWC(
  values: ArrayLike<number>,
  shape: number[],
  format: DataFormats,
  isFloat: boolean,
): HWCImage {
  const scale = isFloat ? 255 : 1;
  const { N, C, H, W } = imageDims("addImage", shape, format);
  // Element strides of each axis in the source layout.
  const strides: Record<string, number> = {};
  let s = 1;
  for (let i = format.length - 1; i >= 0; i--) {
    strides[format[i]] = s;
    s *= shape[i];
  }
  const sN = strides.N ?? 0, sC = strides.C ?? 0, sH = strides.H, sW = strides.W;
  const outC = C === 1 ? 3 : C;
  const cols = Math.min(N, 8);
  const rows = Math.ceil(N / cols);
  const width = W * cols, height = H * rows;
  const data = new Uint8Array(width * height * outC);
  for (let n = 0; n < N; n++) {
    const oy = Math.floor(n / cols) * H, ox = (n % cols) * W;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const o = ((oy + y) * width + ox + x) * outC;
        const base = n * sN + y * sH + x * sW;
        for (let c = 0; c < outC; c++) {
          data[o + c] = toByte(values[base + (C === 1 ? 0 : c * sC)], scale);
        }
      }
    }
  }
  return { data, height, width, channels: outC };
}

/** PNG-encodes an HWC uint8 image. */
export async function encodePng(img: HWCImage): Promise<Uint8Array> {
  const buf = await sharp(img.data, {
    raw: { width: img.width, height: img.height, channels: img.channels as 3 | 4 },
  }).png().toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

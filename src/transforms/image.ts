/**
 * `Image`: the H×W×C uint8 picture that geometric and colour transforms work
 * on (the role PIL's `Image` plays in torchvision).
 *
 * @module
 */

import sharp from "sharp";

/** Channel layouts an image can be decoded into. */
export type ImageMode = "RGB" | "L" | "RGBA" | "unchanged";

/** Options for {@link Image.fromFile} and {@link Image.fromBuffer}. */
export interface DecodeOptions {
  /**
   * Channel layout to convert to. Default "RGB", like torchvision's
   * `pil_loader` (`Image.open(f).convert("RGB")`); "unchanged" keeps the file's.
   */
  mode?: ImageMode;
}

/**
 * An 8-bit image stored row-major as height × width × channels
 * (interleaved, like PIL and sharp's raw output).
 */
export class Image {
  /** Pixel bytes, `height * width * channels` long, row-major HWC. */
  readonly data: Uint8Array;
  /** Rows. */
  readonly height: number;
  /** Columns. */
  readonly width: number;
  /** Channels per pixel (1 = grey, 3 = RGB, 4 = RGBA). */
  readonly channels: number;

  /**
   * Wraps existing pixel bytes (no copy).
   * @throws RangeError if `data.length !== height * width * channels`.
   */
  constructor(data: Uint8Array, height: number, width: number, channels = 3) {
    if (!(data instanceof Uint8Array)) {
      throw new TypeError(`Image: data must be a Uint8Array, got ${data}`);
    }
    for (const [k, v] of [["height", height], ["width", width], ["channels", channels]] as const) {
      if (!Number.isInteger(v) || v < 0) {
        throw new RangeError(`Image: ${k} must be a non-negative integer, got ${v}`);
      }
    }
    if (data.length !== height * width * channels) {
      throw new RangeError(
        `Image: data has ${data.length} bytes, expected ${height}×${width}×${channels} = ${
          height * width * channels
        }`,
      );
    }
    this.data = data;
    this.height = height;
    this.width = width;
    this.channels = channels;
  }

  /** A zero-filled (black) image. */
  static zeros(height: number, width: number, channels = 3): Image {
    return new Image(new Uint8Array(height * width * channels), height, width, channels);
  }

  /**
   * Decodes an encoded image (PNG, JPEG, WebP, GIF, TIFF...) with sharp.
   * @param source Encoded bytes.
   * @param name Used in error messages (e.g. the file path).
   * @throws Error naming `name` when the bytes are not a decodable image.
   */
  static async fromBuffer(
    source: Uint8Array,
    options: DecodeOptions & { name?: string } = {},
  ): Promise<Image> {
    const name = options.name ?? "<buffer>";
    let out: { data: Uint8Array; info: { width: number; height: number; channels: number } };
    try {
      const pipeline = sharp(source, { failOn: "truncated" });
      // sharp expands greyscale to sRGB on raw output; keep grey where the
      // caller wants the file's own layout.
      if (options.mode === "unchanged" || options.mode === "L") {
        const meta = await pipeline.metadata();
        if ((meta.channels ?? 3) <= 2) pipeline.toColourspace("b-w");
      }
      out = await pipeline.raw().toBuffer({ resolveWithObject: true });
    } catch (e) {
      throw new Error(`Image: cannot decode ${name}: ${(e as Error).message}`, { cause: e });
    }
    // sharp hands back a Node Buffer that may view a shared pool; copy into an
    // exactly-sized Uint8Array so the image can be transferred to/from workers.
    const data = new Uint8Array(out.data.length);
    data.set(out.data);
    const img = new Image(data, out.info.height, out.info.width, out.info.channels);
    return convertMode(img, options.mode ?? "RGB");
  }

  /**
   * Reads and decodes an image file.
   * @throws Error naming the path when it is missing or not a decodable image.
   */
  static async fromFile(path: string | URL, options: DecodeOptions = {}): Promise<Image> {
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(path);
    } catch (e) {
      throw new Error(`Image: cannot read ${path}: ${(e as Error).message}`, { cause: e });
    }
    return await Image.fromBuffer(bytes, { ...options, name: String(path) });
  }

  /** Encodes the image as PNG. */
  async toPng(): Promise<Uint8Array> {
    const pipeline = sharp(this.data, {
      raw: { width: this.width, height: this.height, channels: this.channels as 1 | 2 | 3 | 4 },
    });
    // Without this sharp would write greyscale as RGB.
    if (this.channels <= 2) pipeline.toColourspace("b-w");
    const buf = await pipeline.png().toBuffer();
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** A deep copy. */
  clone(): Image {
    return new Image(this.data.slice(), this.height, this.width, this.channels);
  }

  /** `Image(HxWxC)`. */
  toString(): string {
    return `Image(${this.height}x${this.width}x${this.channels})`;
  }
}

/**
 * Converts between channel layouts with PIL's formulas (so greyscale values
 * match `Image.convert("L")`: ITU-R 601-2 luma in 16-bit fixed point).
 */
export function convertMode(img: Image, mode: ImageMode): Image {
  const want = mode === "RGB" ? 3 : mode === "L" ? 1 : mode === "RGBA" ? 4 : img.channels;
  const c = img.channels;
  if (want === c) return img;
  const n = img.height * img.width;
  const src = img.data;
  const out = new Uint8Array(n * want);
  if (want === 1) {
    if (c < 3) {
      for (let i = 0; i < n; i++) out[i] = src[i * c];
    } else {
      for (let i = 0, s = 0; i < n; i++, s += c) {
        out[i] = (src[s] * 19595 + src[s + 1] * 38470 + src[s + 2] * 7471 + 0x8000) >>> 16;
      }
    }
  } else {
    // Grey (+alpha) expands by replication; RGB(A) drops or adds an opaque alpha.
    for (let i = 0, s = 0, d = 0; i < n; i++, s += c, d += want) {
      if (c < 3) {
        out[d] = out[d + 1] = out[d + 2] = src[s];
      } else {
        out[d] = src[s];
        out[d + 1] = src[s + 1];
        out[d + 2] = src[s + 2];
      }
      if (want === 4) out[d + 3] = c === 4 ? src[s + 3] : c === 2 ? src[s + 1] : 255;
    }
  }
  return new Image(out, img.height, img.width, want);
}

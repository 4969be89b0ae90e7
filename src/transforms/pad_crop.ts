/**
 * `Pad`, `FiveCrop` and `TenCrop`, like torchvision 0.14, on an
 * {@link Image} or a tensor image.
 *
 * @module
 */

import type { WorkerSpec } from "../data/spec.ts";
import { Tensor } from "../tensor/tensor.ts";
import type { Transform } from "./compose.ts";
import { pyRepr, wrongType } from "./errors.ts";
import { type Fill, fiveCrop, pad, tenCrop } from "./functional.ts";
import { type PaddingMode, type PaddingSpec, parsePadding } from "./geometry.ts";
import { Image } from "./image.ts";
import { parseSize, type Size } from "./size.ts";

function checkInput(img: unknown, who: string): void {
  if (!(img instanceof Image) && !(img instanceof Tensor)) {
    wrongType(who, "an Image or a Tensor", img);
  }
}

/** Options of {@link Pad}. */
export interface PadOptions {
  /** Value for "constant" padding: one number, or one per channel (Images). Default 0. */
  fill?: Fill;
  /** "constant" (default), "edge", "reflect" or "symmetric". */
  paddingMode?: PaddingMode;
}

const MODES: readonly PaddingMode[] = ["constant", "edge", "reflect", "symmetric"];

/** Pads every side, like `torchvision.transforms.Pad`. */
export class Pad implements Transform<Image | Tensor, Image | Tensor> {
  /** `p`, `[left/right, top/bottom]` or `[left, top, right, bottom]`. */
  readonly padding: PaddingSpec;
  /** Constant-mode fill. */
  readonly fill: Fill;
  /** Padding mode. */
  readonly paddingMode: PaddingMode;

  /**
   * Creates the object.
   * @param padding Pixels on every side, `[lr, tb]` or `[l, t, r, b]`.
   */
  constructor(padding: PaddingSpec, options: PadOptions = {}) {
    parsePadding(padding, "Pad");
    this.fill = options.fill ?? 0;
    if (typeof this.fill !== "number" && !Array.isArray(this.fill)) {
      throw new TypeError(
        `Pad: fill must be a number or an array of numbers, got ${String(this.fill)}`,
      );
    }
    this.paddingMode = options.paddingMode ?? "constant";
    if (!MODES.includes(this.paddingMode)) {
      throw new RangeError(
        `Pad: paddingMode must be one of ${MODES.join(", ")}, got ${
          JSON.stringify(this.paddingMode)
        }`,
      );
    }
    this.padding = padding;
  }

  /** Pads one image. */
  call<T extends Image | Tensor>(img: T): T {
    checkInput(img, "Pad");
    return pad(img, this.padding, { fill: this.fill, paddingMode: this.paddingMode });
  }

  /** `Pad(padding=4, fill=0, padding_mode=constant)`. */
  toString(): string {
    return `Pad(padding=${pyRepr(this.padding)}, fill=${
      pyRepr(this.fill)
    }, padding_mode=${this.paddingMode})`;
  }

  /** Rebuild recipe for DataLoader workers. */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "Pad",
      construct: true,
      args: [this.padding, { fill: this.fill, paddingMode: this.paddingMode }],
    };
  }
}

/**
 * The four corner crops and the centre crop, like `torchvision.transforms.FiveCrop`:
 * returns `[topLeft, topRight, bottomLeft, bottomRight, center]`.
 */
export class FiveCrop implements Transform<Image | Tensor, (Image | Tensor)[]> {
  /** Crop size. */
  readonly size: Size;
  #hw: [number, number];

  /**
   * Creates the object.
   * @param size Integer (square) or `[height, width]`.
   */
  constructor(size: Size) {
    this.#hw = parseSize(size, "FiveCrop");
    this.size = size;
  }

  /** The five crops of one image. */
  call<T extends Image | Tensor>(img: T): T[] {
    checkInput(img, "FiveCrop");
    return fiveCrop(img, this.#hw);
  }

  /** `FiveCrop(size=(h, w))`. */
  toString(): string {
    return `FiveCrop(size=(${this.#hw.join(", ")}))`;
  }

  /** Rebuild recipe for DataLoader workers. */
  workerSpec(): WorkerSpec {
    return { module: import.meta.url, export: "FiveCrop", construct: true, args: [this.size] };
  }
}

/**
 * {@link FiveCrop} of the image and of its mirror (horizontal by default),
 * like `torchvision.transforms.TenCrop`: ten images.
 */
export class TenCrop implements Transform<Image | Tensor, (Image | Tensor)[]> {
  /** Crop size. */
  readonly size: Size;
  /** Mirror top↔bottom instead of left↔right. */
  readonly verticalFlip: boolean;
  #hw: [number, number];

  /**
   * Creates the object.
   * @param size Integer (square) or `[height, width]`.
   * @param verticalFlip Use the vertical mirror (default false).
   */
  constructor(size: Size, verticalFlip = false) {
    this.#hw = parseSize(size, "TenCrop");
    this.size = size;
    this.verticalFlip = verticalFlip;
  }

  /** The ten crops of one image. */
  call<T extends Image | Tensor>(img: T): T[] {
    checkInput(img, "TenCrop");
    return tenCrop(img, this.#hw, this.verticalFlip);
  }

  /** `TenCrop(size=(h, w), vertical_flip=False)`. */
  toString(): string {
    return `TenCrop(size=(${this.#hw.join(", ")}), vertical_flip=${pyRepr(this.verticalFlip)})`;
  }

  /** Rebuild recipe for DataLoader workers. */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "TenCrop",
      construct: true,
      args: [this.size, this.verticalFlip],
    };
  }
}

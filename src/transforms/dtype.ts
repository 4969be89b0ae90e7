/**
 * `ConvertImageDtype` and `ToPILImage`: tensor images between float32,
 * float64 and int32, and back to an {@link Image}, like torchvision 0.14.
 *
 * @module
 */

import type { WorkerSpec } from "../data/spec.ts";
import { Tensor } from "../tensor/tensor.ts";
import type { Transform } from "./compose.ts";
import { wrongType } from "./errors.ts";
import { convertImageDtype, type ImageDType, toPILImage } from "./functional.ts";
import type { Image } from "./image.ts";

/**
 * Converts a tensor image's dtype and rescales its values, like
 * `torchvision.transforms.ConvertImageDtype` (floats in [0, 1], int32 in
 * [0, 2³¹ − 1]; float32 → int32 is refused as unsafe, as in torchvision).
 */
export class ConvertImageDtype implements Transform<Tensor, Tensor> {
  /** Target dtype. */
  readonly dtype: ImageDType;

  /**
   * Creates the object.
   * @param dtype "float32" (default), "float64" or "int32".
   */
  constructor(dtype: ImageDType = "float32") {
    if (!["float32", "float64", "int32"].includes(dtype)) {
      throw new TypeError(
        `ConvertImageDtype: dtype must be float32, float64 or int32, got ${dtype}`,
      );
    }
    this.dtype = dtype;
  }

  /** Converts one tensor image. */
  call(img: Tensor): Tensor {
    if (!(img instanceof Tensor)) wrongType("ConvertImageDtype", "a Tensor", img);
    return convertImageDtype(img, this.dtype);
  }

  /** `ConvertImageDtype(dtype=float32)`. */
  toString(): string {
    return `ConvertImageDtype(dtype=${this.dtype})`;
  }

  /** Rebuild recipe for DataLoader workers. */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "ConvertImageDtype",
      construct: true,
      args: [this.dtype],
    };
  }
}

/**
 * Converts a float tensor `[C, H, W]` (or `[H, W]`) in [0, 1] to an
 * {@link Image}, like `torchvision.transforms.ToPILImage` (`x * 255`
 * truncated to a byte).
 */
export class ToPILImage implements Transform<Tensor, Image> {
  /** Expected layout, or undefined to infer it from the channel count. */
  readonly mode?: "L" | "LA" | "RGB" | "RGBA";

  /**
   * Creates the object.
   * @param mode "L", "LA", "RGB" or "RGBA"; checked against the channel count.
   */
  constructor(mode?: "L" | "LA" | "RGB" | "RGBA") {
    if (mode !== undefined && !["L", "LA", "RGB", "RGBA"].includes(mode)) {
      throw new RangeError(
        `ToPILImage: mode must be L, LA, RGB or RGBA, got ${JSON.stringify(mode)}`,
      );
    }
    this.mode = mode;
  }

  /** Converts one tensor. */
  call(pic: Tensor): Image {
    if (!(pic instanceof Tensor)) wrongType("ToPILImage", "a Tensor", pic);
    return toPILImage(pic, this.mode);
  }

  /** `ToPILImage()` or `ToPILImage(mode=RGB)`. */
  toString(): string {
    return this.mode === undefined ? "ToPILImage()" : `ToPILImage(mode=${this.mode})`;
  }

  /** Rebuild recipe for DataLoader workers. */
  workerSpec(): WorkerSpec {
    return { module: import.meta.url, export: "ToPILImage", construct: true, args: [this.mode] };
  }
}

/**
 * `ToTensor` (HWC uint8 image → CHW float32 tensor in [0, 1]) and
 * `Normalize` (per-channel `(x - mean) / std`), computed in float32 exactly
 * as torchvision does, so values match bit for bit.
 *
 * @module
 */

import { Tensor } from "../tensor/tensor.ts";
import { tensor } from "../tensor/creation.ts";
import type { WorkerSpec } from "../data/spec.ts";
import type { Transform } from "./compose.ts";
import { Image } from "./image.ts";
import { wrongType } from "./errors.ts";
import { imageToChw, normalizeChw } from "./chw.ts";

/** Converts an {@link Image} to a CHW float32 CPU tensor in [0, 1], like `torchvision.transforms.ToTensor`. */
export class ToTensor implements Transform<Image, Tensor> {
  /** Converts one image. */
  call(img: Image): Tensor {
    if (!(img instanceof Image)) wrongType("ToTensor", "an Image", img);
    return tensor(imageToChw(img), {
      shape: [img.channels, img.height, img.width],
      dtype: "float32",
      // Always host memory (like PyTorch); DataLoader's `device` moves whole batches.
      device: "cpu",
    });
  }

  /** `ToTensor()`. */
  toString(): string {
    return "ToTensor()";
  }

  /** Rebuild recipe for DataLoader workers. */
  workerSpec(): WorkerSpec {
    return { module: import.meta.url, export: "ToTensor", construct: true, args: [] };
  }
}

/**
 * Normalises a float tensor of shape `[..., C, H, W]` channel-wise:
 * `(x - mean[c]) / std[c]`, like `torchvision.transforms.Normalize`.
 */
export class Normalize implements Transform<Tensor, Tensor> {
  /** Per-channel means. */
  readonly mean: readonly number[];
  /** Per-channel standard deviations. */
  readonly std: readonly number[];
  #mean: Float32Array;
  #std: Float32Array;

  /**
   * Creates the object.
   * @param mean One value per channel (or one for all).
   * @param std One value per channel (or one for all); must be non-zero.
   */
  constructor(mean: readonly number[], std: readonly number[]) {
    if (!Array.isArray(mean) || !Array.isArray(std)) {
      throw new TypeError(`Normalize: mean and std must be arrays of numbers`);
    }
    this.mean = [...mean];
    this.std = [...std];
    this.#mean = Float32Array.from(mean);
    this.#std = Float32Array.from(std);
    if (this.#std.some((s) => s === 0)) {
      throw new RangeError(
        `Normalize: std evaluated to zero after conversion to float32 (std=${
          JSON.stringify(std)
        }), leading to division by zero`,
      );
    }
  }

  /** Normalises one tensor (returns a new tensor; the input is untouched). */
  call(x: Tensor): Tensor {
    if (!(x instanceof Tensor)) {
      wrongType("Normalize", "a float32 Tensor of shape [..., C, H, W] (apply ToTensor first)", x);
    }
    if (x.dtype !== "float32" && x.dtype !== "float64") {
      throw new TypeError(`Normalize: expected a floating-point tensor, got dtype ${x.dtype}`);
    }
    if (x.ndim < 3) {
      throw new RangeError(
        `Normalize: expected a tensor of shape [..., C, H, W], got [${x.shape.join(", ")}]`,
      );
    }
    const c = x.shape[x.ndim - 3];
    for (const [k, v] of [["mean", this.#mean], ["std", this.#std]] as const) {
      if (v.length !== 1 && v.length !== c) {
        throw new RangeError(
          `Normalize: ${k} has ${v.length} values but the tensor has ${c} channels`,
        );
      }
    }
    if (x.device === "cpu" && x.dtype === "float32") {
      // Fast path: one typed-array pass instead of two broadcasting tensor ops.
      const data = new Float32Array(x.dataSync());
      normalizeChw(data, c, x.shape[x.ndim - 2] * x.shape[x.ndim - 1], this.#mean, this.#std);
      return tensor(data, { shape: x.shape, dtype: "float32", device: "cpu" });
    }
    // Other devices/dtypes: broadcasting tensor ops keep the data where it is.
    const m = tensor(this.#mean, { shape: [this.#mean.length, 1, 1], device: x.device });
    const s = tensor(this.#std, { shape: [this.#std.length, 1, 1], device: x.device });
    return x.sub(m.to(x.dtype)).div(s.to(x.dtype));
  }

  /** `Normalize(mean=[...], std=[...])`. */
  toString(): string {
    return `Normalize(mean=[${this.mean.join(", ")}], std=[${this.std.join(", ")}])`;
  }

  /** Rebuild recipe for DataLoader workers. */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "Normalize",
      construct: true,
      args: [this.mean, this.std],
    };
  }
}

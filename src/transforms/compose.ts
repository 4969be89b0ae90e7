/**
 * The transform protocol plus the two combinators, `Compose` and `Lambda`.
 *
 * @module
 */

import { specArg, type WorkerSpec } from "../data/spec.ts";

/**
 * A transform: a callable object (`t.call(x)`) with a readable `toString()`.
 * Built-in transforms also implement `workerSpec()` so DataLoader workers can
 * rebuild them.
 */
export interface Transform<I = unknown, O = unknown> {
  /** Applies the transform. */
  call(x: I): O;
  /** torchvision-style description, e.g. `Resize(size=32, interpolation=bilinear)`. */
  toString(): string;
}

/** Anything usable where a transform is expected: a {@link Transform} or a plain function. */
export type TransformLike<I = unknown, O = unknown> = Transform<I, O> | ((x: I) => O);

/** Applies a {@link TransformLike}. */
export function applyTransform<I, O>(t: TransformLike<I, O>, x: I): O {
  return typeof t === "function" ? t(x) : t.call(x);
}

/** Chains transforms left to right, like `torchvision.transforms.Compose`. */
export class Compose<I = unknown, O = unknown> implements Transform<I, O> {
  /** The transforms, in application order. */
  readonly transforms: readonly TransformLike[];

  /**
   * Creates the object.
   * @param transforms Applied in order; each receives the previous one's output.
   */
  constructor(transforms: readonly TransformLike[]) {
    if (!Array.isArray(transforms)) {
      throw new TypeError(`Compose: expected an array of transforms, got ${typeof transforms}`);
    }
    this.transforms = [...transforms];
  }

  /** Applies every transform in order. */
  call(x: I): O {
    let v: unknown = x;
    for (const t of this.transforms) v = applyTransform(t, v);
    return v as O;
  }

  /** Multi-line listing like torchvision's. */
  toString(): string {
    const inner = this.transforms.map((t) => `    ${typeof t === "function" ? `Lambda()` : t}`);
    return `Compose(\n${inner.join("\n")}\n)`;
  }

  /** Rebuild recipe for DataLoader workers (fails if any member is a function). */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "Compose",
      construct: true,
      args: [specArg(this.transforms, "Compose.transforms")],
    };
  }
}

/**
 * Wraps a function as a transform. Functions cannot be sent to DataLoader
 * workers; with `numWorkers > 0` name the dataset via `workerDataset` instead.
 */
export class Lambda<I = unknown, O = unknown> implements Transform<I, O> {
  /** The wrapped function. */
  readonly fn: (x: I) => O;

  /**
   * Creates the object.
   * @param fn Function applied to each input.
   */
  constructor(fn: (x: I) => O) {
    if (typeof fn !== "function") {
      throw new TypeError(`Lambda: expected a function, got ${typeof fn}`);
    }
    this.fn = fn;
  }

  /** Applies the function. */
  call(x: I): O {
    return this.fn(x);
  }

  /** `Lambda()`. */
  toString(): string {
    return "Lambda()";
  }
}

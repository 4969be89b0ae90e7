/**
 * What the layers over 1, 2 or 3 spatial dims (convolution, pooling) share: their per-dim size
 * options, as PyTorch's `_single` / `_pair` / `_triple` expand them, how they print, and the
 * input rank check.
 */
import { fmtShape } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";

/** A layer's per-dim sizes as it stores them: a number for 1-D layers, one per dim otherwise. */
export type Sizes = number | [number, number] | [number, number, number];

/**
 * Expands and checks a size option (a number or `A`) to the stored form `S`, naming the layer:
 * `single`, `pair` or `triple`.
 */
export type SizeFn<A, S extends Sizes> = (
  op: string,
  name: string,
  v: A | S | number,
  min?: number,
) => S;

/** The per-dim sizes as a list, whatever the layer's dimensionality. */
export function dimsOf(v: Sizes): number[] {
  return typeof v === "number" ? [v] : v;
}

/** A size as the layers print it: `3` for 1-D layers, `[3, 3]` otherwise. */
export function fmtSize(v: Sizes): string {
  return typeof v === "number" ? `${v}` : fmtShape(v);
}

/** Checks a layer input's rank: `spatial` + 1 (unbatched) or `spatial` + 2 dims. */
export function checkSpatialRank(x: Tensor, spatial: number): void {
  if (x.ndim !== spatial + 1 && x.ndim !== spatial + 2) {
    throw new RangeError(
      `expected ${spatial + 1}-D (unbatched) or ${spatial + 2}-D (batched) input, got input ` +
        `of shape ${fmtShape(x.shape)}`,
    );
  }
}

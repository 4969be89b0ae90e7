/**
 * Size arguments and Python-compatible rounding shared by the geometric
 * transforms.
 *
 * @module
 */

/** An output size: one number (square, or smaller edge for `Resize`) or `[height, width]`. */
export type Size = number | readonly [number] | readonly [number, number];

/** Expands a {@link Size} to `[height, width]` and validates it. */
export function parseSize(size: Size, who: string): [number, number] {
  const hw = typeof size === "number"
    ? [size, size]
    : Array.isArray(size) && size.length === 1
    ? [size[0], size[0]]
    : size;
  if (!Array.isArray(hw) || hw.length !== 2 || hw.some((v) => !Number.isInteger(v) || v <= 0)) {
    throw new RangeError(
      `${who}: size must be a positive integer or [height, width], got ${JSON.stringify(size)}`,
    );
  }
  return [hw[0], hw[1]];
}

/** Python's `round()`: halves to even (torchvision's crop offsets depend on it). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** `"[h, w]"` or `"n"` for toString(). */
export function formatSize(size: Size): string {
  return typeof size === "number" ? String(size) : `[${size.join(", ")}]`;
}

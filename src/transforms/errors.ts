/**
 * Type checks shared by the transforms, so every misuse fails with one
 * message shape: which transform, what it expected, what it got.
 *
 * @module
 */

/** A short name for the type of `x`, for error messages. */
export function describeType(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return `Array(${x.length})`;
  if (typeof x === "object") {
    const name = (x as { constructor?: { name?: string } }).constructor?.name;
    return name && name !== "Object" ? name : "object";
  }
  return typeof x;
}

/** Throws a TypeError naming the transform, what it expected and what it received. */
export function wrongType(transform: string, expected: string, got: unknown): never {
  throw new TypeError(`${transform}: expected ${expected}, got ${describeType(got)}`);
}

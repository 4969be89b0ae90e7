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

/** Throws a RangeError naming the transform unless `p` is a probability. */
export function checkProbability(p: unknown, who: string, name = "p"): number {
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
    throw new RangeError(`${who}: ${name} must be a probability in [0, 1], got ${String(p)}`);
  }
  return p;
}

/** A number as Python prints a float (`30.0`, `0.5`). */
export function pyFloat(v: number): string {
  return Number.isInteger(v) ? `${v}.0` : String(v);
}

/** A value as torchvision's reprs print it: arrays as `[a, b]`, null as `None`, booleans capitalised. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(", ")}]`;
  return String(v);
}

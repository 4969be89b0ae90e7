/**
 * Splits a checkpoint object into its tensors and a JSON "skeleton" of everything else, and
 * back. The skeleton is what goes into the safetensors `__metadata__`; tensors are replaced
 * by `{"$tensor": key}` markers whose keys are the dotted/indexed paths
 * (`modelStateDict.conv1.weight`, `optimizerStateDict.state.0.momentum_buffer`), so a flat
 * state dict saves under exactly PyTorch's key names.
 */

/** JSON values as they appear in the skeleton. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/** The result of {@link flatten}. */
export interface Flattened<T> {
  /** The object with tensors replaced by markers. */
  skeleton: JsonValue;
  /** Tensors by key, in traversal order. */
  tensors: [string, T][];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Replaces every value for which `isTensor` holds by a marker carrying `describe(t)` (e.g.
 * the source device) and collects the tensors. Throws, naming the path, on values that
 * cannot round-trip (functions, class instances, symbols, bigints, typed arrays).
 */
export function flatten<T>(
  obj: unknown,
  isTensor: (v: unknown) => v is T,
  describe: (t: T) => Record<string, JsonValue> = () => ({}),
): Flattened<T> {
  const tensors: [string, T][] = [];
  const used = new Set<string>();
  const seen = new Set<object>();
  const walk = (v: unknown, path: string[]): JsonValue => {
    const where = path.length ? path.join(".") : "<root>";
    if (isTensor(v)) {
      let key = where;
      // Two different paths can join to the same dotted key ({"a.b": x} vs {a: {b: y}}).
      for (let i = 1; used.has(key); i++) key = `${where}#${i}`;
      used.add(key);
      tensors.push([key, v]);
      return { $tensor: key, ...describe(v) };
    }
    if (v === null || typeof v === "boolean" || typeof v === "string") return v;
    if (typeof v === "number") return Number.isFinite(v) ? v : { $num: String(v) };
    if (typeof v === "object") {
      if (seen.has(v)) throw new Error(`save: circular reference at "${where}"`);
      seen.add(v);
      try {
        if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, String(i)]));
        if (isPlainObject(v)) {
          const out: { [key: string]: JsonValue } = {};
          for (const [k, x] of Object.entries(v)) {
            if (x !== undefined) out[k] = walk(x, [...path, k]);
          }
          // Keep user keys that look like our markers from being mistaken for them.
          return Object.keys(out).some((k) => k.startsWith("$")) ? { $obj: out } : out;
        }
      } finally {
        seen.delete(v);
      }
    }
    const kind = v === undefined
      ? "undefined"
      : typeof v === "object"
      ? (v as object).constructor?.name ?? "object"
      : typeof v;
    throw new TypeError(
      `save: cannot save a ${kind} at "${where}"; checkpoints hold tensors, numbers, strings, ` +
        "booleans, null, arrays and plain objects",
    );
  };
  return { skeleton: walk(obj, []), tensors };
}

/** A marker's fields, passed to the tensor factory in {@link unflatten}. */
export type TensorMarker = { $tensor: string } & Record<string, JsonValue>;

/** Rebuilds an object from its skeleton, creating each tensor with `makeTensor(marker)`. */
export function unflatten<T>(skeleton: JsonValue, makeTensor: (m: TensorMarker) => T): unknown {
  const walk = (v: JsonValue): unknown => {
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v.$tensor === "string") return makeTensor(v as TensorMarker);
    if (typeof v.$num === "string") return Number(v.$num);
    const src = v.$obj && typeof v.$obj === "object" && !Array.isArray(v.$obj) ? v.$obj : v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(src)) out[k] = walk(x);
    return out;
  };
  return walk(skeleton);
}

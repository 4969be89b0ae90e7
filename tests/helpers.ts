/**
 * Shared test helpers for the tensor core: closeness assertions, deterministic inputs, and
 * `checkOp`, which checks an op's forward values against reference values and its gradient by
 * finite differences (`gradcheck`, float64 on the CPU) and, optionally, against reference grads.
 */
import assert from "node:assert/strict";
import { type DType, gradcheck, type GradcheckOptions, Tensor, tensor } from "../mod.ts";

/** Flat numbers, typed arrays, or nested arrays of numbers/booleans. */
export type Values = ArrayLike<number> | NestedNumbers;
/** Nested arrays as `tolist()` returns them. */
export type NestedNumbers = number | boolean | NestedNumbers[];

/** Tolerances for `assertClose`. */
export interface CloseOptions {
  /** Absolute tolerance (default 1e-6). */
  atol?: number;
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
  /** Prefix for failure messages. */
  msg?: string;
}

function flatten(v: Values | Tensor): number[] {
  if (v instanceof Tensor) return Array.from(v.dataSync());
  if (typeof v === "number") return [v];
  if (typeof v === "boolean") return [v ? 1 : 0];
  if (Array.isArray(v)) return v.flatMap((x) => flatten(x as Values));
  return Array.from(v as ArrayLike<number>);
}

/**
 * Asserts elementwise |actual - expected| <= atol + rtol * |expected| (NaN matches NaN, infinities
 * must match exactly). A Tensor argument is read synchronously (CPU tensors).
 */
export function assertClose(
  actual: Tensor | Values,
  expected: Tensor | Values,
  opts: CloseOptions = {},
): void {
  const { atol = 1e-6, rtol = 1e-5, msg = "" } = opts;
  const a = flatten(actual), e = flatten(expected);
  const pre = msg ? `${msg}: ` : "";
  if (actual instanceof Tensor && expected instanceof Tensor) {
    assert.deepEqual(actual.shape, expected.shape, `${pre}shape`);
  }
  assert.equal(a.length, e.length, `${pre}length ${a.length} vs expected ${e.length}`);
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = e[i];
    if (Number.isNaN(y) && Number.isNaN(x)) continue;
    if (!Number.isFinite(y) && !Number.isNaN(y)) {
      assert.equal(x, y, `${pre}element ${i}: ${x} vs expected ${y}`);
      continue;
    }
    if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) {
      assert.fail(
        `${pre}element ${i}: got ${x}, expected ${y} (atol ${atol}, rtol ${rtol})\n` +
          `actual:   [${a.slice(0, 24).join(", ")}${a.length > 24 ? ", ..." : ""}]\n` +
          `expected: [${e.slice(0, 24).join(", ")}${e.length > 24 ? ", ..." : ""}]`,
      );
    }
  }
}

/** Asserts shape, dtype (when given) and values of a CPU tensor. */
export function assertTensor(
  t: Tensor,
  expected: { shape: number[]; data: Values; dtype?: DType },
  opts: CloseOptions = {},
): void {
  const pre = opts.msg ? `${opts.msg}: ` : "";
  assert.deepEqual(t.shape, expected.shape, `${pre}shape`);
  if (expected.dtype) assert.equal(t.dtype, expected.dtype, `${pre}dtype`);
  if (t.dtype === "int32" || t.dtype === "bool") {
    assert.deepEqual(Array.from(t.dataSync()), flatten(expected.data), `${pre}values`);
  } else assertClose(t, expected.data, opts);
}

/** Asserts that `fn` throws an Error whose message contains every one of `parts`. */
export function assertThrowsWith(fn: () => unknown, ...parts: string[]): Error {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof Error, `expected an Error containing ${JSON.stringify(parts)}`);
  for (const p of parts) {
    assert.ok(
      err.message.includes(p),
      `error message should contain ${JSON.stringify(p)}; got: ${err.message}`,
    );
  }
  return err;
}

/** The loss weights shared with tools/gen_core_fixtures.py: w[k] = 0.5 + ((7k) mod 11) / 10. */
export function lossWeights(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, k) => 0.5 + ((7 * k) % 11) / 10);
}

/** Kinds of deterministic sample values. */
export type Kind =
  | "n" // distinct, |x| in [0.1, 2], mixed signs (away from kinks at 0)
  | "p" // distinct positives in [0.3, 2.5]
  | "u"; // distinct values in (-0.9, 0.9)

/**
 * Deterministic, pairwise distinct sample values for tests (a small LCG; the same shape, kind and
 * seed always give the same values).
 */
export function sample(shape: number[], kind: Kind = "n", seed = 1): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  let s = (seed * 2654435761) >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const out: number[] = [];
  const seen = new Set<number>();
  while (out.length < n) {
    let v: number;
    if (kind === "p") v = 0.3 + 2.2 * next();
    else if (kind === "u") v = -0.9 + 1.8 * next();
    else v = (0.1 + 1.9 * next()) * (next() < 0.5 ? -1 : 1);
    v = Math.round(v * 1000) / 1000;
    if (seen.has(v) || (kind === "u" && Math.abs(v) < 0.02)) continue;
    seen.add(v);
    out.push(v);
  }
  return out;
}

/** A float64 CPU leaf (requiring grad unless told otherwise) with the given values. */
export function f64(data: number[], shape: number[], requiresGrad = true): Tensor {
  return tensor(Float64Array.from(data), { shape, dtype: "float64", requiresGrad });
}

/** One input of `checkOp`: a shape (values sampled), or explicit values. */
export interface OpInput {
  /** Shape of the leaf. */
  shape: number[];
  /** Values (sampled with `kind` when omitted). */
  data?: number[];
  /** Sample kind when data is omitted (default "n"). */
  kind?: Kind;
  /** Element type (default float64; int32/bool inputs never require grad). */
  dtype?: DType;
  /** Whether the leaf requires grad (default true for float64). */
  grad?: boolean;
}

/** Expected value of one output. */
export interface Expected {
  /** Expected shape. */
  shape: number[];
  /** Expected values (row-major). */
  data: Values;
  /** Expected dtype, when it matters. */
  dtype?: DType;
}

/** What `checkOp` checks. */
export interface CheckOpSpec {
  /** Leaves; views (transposes, steps, expands) belong inside `fn`. */
  inputs: (number[] | OpInput)[];
  /** The denotorch computation under test. */
  fn: (...xs: Tensor[]) => Tensor | Tensor[];
  /** Reference forward values, one per output (null skips an output). */
  expected?: (Expected | null)[];
  /**
   * Reference gradients of sum_k w[k] * out[k] (w from `lossWeights`, summed over float
   * outputs), one per input (null where none is expected).
   */
  grads?: (Expected | null)[];
  /** Run gradcheck (default true). */
  gradcheck?: boolean;
  /** Forward/grad comparison tolerances (default atol 1e-9, rtol 1e-7 in float64). */
  atol?: number;
  /** Relative tolerance. */
  rtol?: number;
  /** Options passed to gradcheck. */
  gradcheckOptions?: GradcheckOptions;
  /** Seed for sampled values. */
  seed?: number;
}

/** Builds the leaves of a spec. */
export function makeInputs(spec: CheckOpSpec): Tensor[] {
  return spec.inputs.map((inp, i) => {
    const o: OpInput = Array.isArray(inp) ? { shape: inp } : inp;
    const dtype = o.dtype ?? "float64";
    const data = o.data ?? sample(o.shape, o.kind ?? "n", (spec.seed ?? 1) * 31 + i);
    if (dtype !== "float64") return tensor(data, { dtype, shape: o.shape });
    return f64(data, o.shape, o.grad ?? true);
  });
}

/**
 * Checks an op: forward values against `expected`, gradients of the weighted sum of the outputs
 * against `grads`, and the analytical Jacobian against finite differences (gradcheck, float64).
 * Returns the leaves so callers can check more.
 */
export function checkOp(name: string, spec: CheckOpSpec): Tensor[] {
  const { atol = 1e-9, rtol = 1e-7 } = spec;
  const xs = makeInputs(spec);
  const outs = (() => {
    const r = spec.fn(...xs);
    return Array.isArray(r) ? r : [r];
  })();
  if (spec.expected) {
    assert.equal(outs.length, spec.expected.length, `${name}: number of outputs`);
    spec.expected.forEach((e, i) => {
      if (e) assertTensor(outs[i], e, { atol, rtol, msg: `${name} output ${i}` });
    });
  }
  if (spec.grads) {
    const floats = outs.filter((o) => o.dtype === "float64" && o.requiresGrad);
    assert.ok(floats.length > 0, `${name}: no differentiable output`);
    let loss: Tensor | null = null;
    for (const o of floats) {
      const w = tensor(lossWeights(o.numel), { dtype: "float64", shape: o.shape });
      const term = o.mul(w).sum();
      loss = loss ? loss.add(term) : term;
    }
    for (const x of xs) x.grad = null;
    loss!.backward();
    spec.grads.forEach((g, i) => {
      if (!g) return;
      const got = xs[i].grad;
      assert.ok(got, `${name}: input ${i} received no gradient`);
      assertTensor(got, g, { atol, rtol, msg: `${name} grad of input ${i}` });
    });
    for (const x of xs) x.grad = null;
  }
  if (spec.gradcheck ?? true) {
    assert.ok(
      xs.some((x) => x.requiresGrad),
      `${name}: gradcheck needs an input that requires grad`,
    );
    assert.equal(gradcheck(spec.fn, xs, spec.gradcheckOptions), true, `${name}: gradcheck`);
  }
  return xs;
}

/** Shorthand: gradcheck `fn` on sampled float64 inputs of the given shapes (asserts it passes). */
export function gradcheckShapes(
  name: string,
  fn: (...xs: Tensor[]) => Tensor | Tensor[],
  shapes: (number[] | OpInput)[],
  opts: GradcheckOptions = {},
): void {
  checkOp(name, { inputs: shapes, fn, gradcheckOptions: opts });
}

/**
 * Applies a fixture's view steps to an input, as the generators' apply_pre does in PyTorch:
 * ["t", d0, d1], ["permute", dims], ["expand", shape], ["slice", dim, start, end, step].
 */
export function applyPre(x: Tensor, pre: unknown[][]): Tensor {
  for (const step of pre) {
    const [kind, ...args] = step as [string, ...unknown[]];
    if (kind === "t") x = x.transpose(args[0] as number, args[1] as number);
    else if (kind === "permute") x = x.permute(args[0] as number[]);
    else if (kind === "expand") x = x.expand(args[0] as number[]);
    else if (kind === "slice") {
      const [d, s, e, st] = args as [number, number | null, number | null, number];
      x = x.slice(d, s, e, st);
    } else throw new Error(`unknown pre-transform ${kind}`);
  }
  return x;
}

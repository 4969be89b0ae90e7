/**
 * Elementwise math (src/ops/math.ts) against PyTorch 1.13: values incl. NaN/inf, negative
 * divisors and integer dtypes, gradients and float64 gradchecks (fixtures from
 * tools/gen_math_fixtures.py), plus the semantics fixtures cannot show: signed zeros, dtypes,
 * errors, allclose.
 */
import assert from "node:assert/strict";
import * as dt from "../mod.ts";
import { tensor } from "../mod.ts";
import { registerFixtureTests } from "./_support/math_fixtures.ts";
import { assertThrowsWith, f64, gradcheckShapes } from "./helpers.ts";

const s = (p: Record<string, unknown>) => p.s as number;

registerFixtureTests("math", {
  trunc: ([a]) => a.trunc(),
  frac: ([a]) => a.frac(),
  fmod: ([a, b]) => a.fmod(b),
  fmod_s: ([a], p) => a.fmod(s(p)),
  remainder: ([a, b]) => a.remainder(b),
  remainder_s: ([a], p) => dt.remainder(a, s(p)),
  floorDivide: ([a, b]) => a.floorDivide(b),
  lerp: ([a, b], p) => a.lerp(b, p.weight as number),
  lerpTensor: ([a, b, w]) => dt.lerp(a, b, w),
  hypot: ([a, b]) => a.hypot(b),
  atan2: ([a, b]) => a.atan2(b),
  logit: ([a], p) => a.logit(p.eps as number | undefined),
  clip: ([a], p) => a.clip(p.min as number, p.max as number),
  xlogy: ([a, b]) => a.xlogy(b),
  xlogy_s: ([b], p) => dt.xlogy(s(p), b),
  logaddexp: ([a, b]) => a.logaddexp(b),
  sinc: ([a]) => a.sinc(),
  deg2rad: ([a]) => a.deg2rad(),
  rad2deg: ([a]) => dt.rad2deg(a),
  nanToNum: ([a], p) =>
    a.nanToNum({
      nan: p.nan as number | undefined,
      posinf: p.posinf as number | undefined,
      neginf: p.neginf as number | undefined,
    }),
  copysign: ([a, b]) => a.copysign(b),
  signbit: ([a]) => a.signbit(),
  heaviside: ([a, b]) => a.heaviside(b),
  erfinv: ([a]) => a.erfinv(),
  isnan: ([a]) => a.isnan(),
  isinf: ([a]) => dt.isinf(a),
  isfinite: ([a]) => a.isfinite(),
  isclose: ([a, b], p) =>
    a.isclose(b, {
      rtol: p.rtol as number | undefined,
      atol: p.atol as number | undefined,
      equalNan: p.equalNan as boolean | undefined,
    }),
}, (c) =>
  // float32 cannot hold these inputs (1e17, 0.9999 for erfinv's steep tails, 1e-9 vs 1e-8
  // tolerances) or has other limits (nanToNum's default is the dtype's largest finite value).
  c.inputs.some((i) =>
    i.dtype === "float64" &&
    i.data.some((v) => Math.abs(v) >= 1e16 || (Math.abs(v) < 1e-6 && v !== 0))
  ) ||
  (c.op === "erfinv" && c.inputs[0].data.some((v) => Math.abs(v) > 0.99 && Math.abs(v) < 1)) ||
  (c.op === "nanToNum" && c.inputs[0].dtype === "float64" && c.params.posinf === undefined));

const isNegZero = (v: number) => Object.is(v, -0);

Deno.test("signed zeros follow PyTorch: trunc, fmod, remainder, floorDivide, copysign", () => {
  const t = tensor([-0.5, 0.5, -0.0], { dtype: "float64" }).trunc().dataSync();
  assert.deepEqual(Array.from(t, isNegZero), [true, false, true]);
  // fmod keeps the sign of the dividend, remainder moves a zero result to +0 here like C.
  const a = tensor([-6, 6, -0.0], { dtype: "float64" });
  assert.deepEqual(Array.from(a.fmod(3).dataSync(), isNegZero), [true, false, true]);
  // A zero quotient takes the sign of a / b; floor_divide(0.5, -2) = -1.
  const q = tensor([-0.0, 0.0, 0.0, 0.5], { dtype: "float64" })
    .floorDivide(tensor([2, -2, 2, -2], { dtype: "float64" })).dataSync();
  assert.deepEqual([isNegZero(q[0]), isNegZero(q[1]), Object.is(q[2], 0), q[3]], [
    true,
    true,
    true,
    -1,
  ]);
  const c = tensor([0, 1], { dtype: "float64" }).copysign(
    tensor([-0.0, -0.0], { dtype: "float64" }),
  );
  assert.deepEqual(Array.from(c.dataSync(), isNegZero), [true, false]);
  assert.deepEqual(Array.from(c.dataSync()), [-0, -1]);
});

Deno.test("integer dtypes: fmod/remainder/floorDivide stay int32, true-float ops promote", () => {
  const a = tensor([7, -7], { dtype: "int32" }), b = tensor([-2, 2], { dtype: "int32" });
  for (const r of [a.fmod(b), a.remainder(b), a.floorDivide(b), a.fmod(3), a.remainder(-3)]) {
    assert.equal(r.dtype, "int32");
  }
  assert.deepEqual(Array.from(a.floorDivide(b).dataSync()), [-4, -4]);
  assert.deepEqual(Array.from(a.remainder(-3).dataSync()), [-2, -1]);
  assert.equal(a.fmod(2.5).dtype, "float32");
  for (const r of [a.atan2(b), a.hypot(b), a.copysign(b), a.deg2rad(), a.sinc(), a.logit()]) {
    assert.equal(r.dtype, "float32");
  }
  assert.equal(a.trunc().dtype, "int32");
  assert.equal(a.nanToNum().dtype, "int32");
  assertThrowsWith(() => a.frac(), "frac", "int32");
});

Deno.test("gradients: fmod/remainder wrt the divisor, lerp wrt a tensor weight, broadcasting", () => {
  gradcheckShapes("fmod broadcast", (x, y) => x.fmod(y), [[2, 3], { shape: [2, 1], kind: "p" }]);
  gradcheckShapes(
    "remainder broadcast",
    (x, y) => x.remainder(y),
    [[3], { shape: [2, 1], kind: "p" }],
  );
  gradcheckShapes("lerp", (x, y, w) => x.lerp(y, w), [[2, 3], [3], { shape: [2, 1], kind: "u" }]);
  gradcheckShapes("hypot scalar", (x) => dt.hypot(x, 0.7), [[2, 3]]);
  gradcheckShapes("atan2 scalar", (x) => dt.atan2(-1.5, x), [[4]]);
  gradcheckShapes("logaddexp strided", (x, y) => x.t().logaddexp(y), [[3, 2], [2, 3]]);
  gradcheckShapes("erfinv f64", (x) => x.erfinv(), [{ shape: [7], kind: "u" }]);
  gradcheckShapes("nanToNum", (x) => x.nanToNum(), [[2, 2]]);
  gradcheckShapes("copysign", (x, y) => x.copysign(y), [[2, 3], [3]]);
});

Deno.test("floorDivide and heaviside have no gradient to speak of", () => {
  const x = f64([1.5, -2.5], [2]);
  x.floorDivide(0.7).sum().backward();
  assert.deepEqual(Array.from(x.grad!.dataSync()), [0, 0]);
  const h = x.heaviside(f64([0.5], [1]));
  assert.equal(h.requiresGrad, false);
});

Deno.test("erfinv: float64 inverts erf to erf's own accuracy; float32 to ~1e-6", () => {
  const xs = [-0.999, -0.7, -0.2, 0.05, 0.3, 0.8, 0.99];
  const y = tensor(xs, { dtype: "float64" }).erfinv();
  const back = y.erf().dataSync();
  xs.forEach((v, i) => assert.ok(Math.abs(back[i] - v) < 1e-14, `erf(erfinv(${v}))`));
  const y32 = tensor(xs, { dtype: "float32" }).erfinv().dataSync();
  // Against float64 at the float32-rounded inputs: erfinv is steep near ±1.
  const y64 = tensor(xs.map(Math.fround), { dtype: "float64" }).erfinv().dataSync();
  xs.forEach((v, i) =>
    assert.ok(Math.abs(y32[i] - y64[i]) <= 1e-6 * Math.abs(y64[i]) + 1e-7, `f32 erfinv(${v})`)
  );
});

Deno.test("isclose/allclose: defaults, equalNan, dtype checks", async () => {
  const a = tensor([1, 2, NaN]), b = tensor([1 + 1e-6, 2.1, NaN]);
  assert.deepEqual(Array.from(a.isclose(b).dataSync()), [1, 0, 0]);
  assert.deepEqual(Array.from(a.isclose(b, { equalNan: true, rtol: 0.1 }).dataSync()), [1, 1, 1]);
  assert.equal(await a.allclose(b), false);
  assert.equal(await a.allclose(b, { rtol: 0.1, equalNan: true }), true);
  assert.equal(await dt.allclose(tensor([1, 2]), tensor([1, 2])), true);
  assertThrowsWith(
    () => a.isclose(tensor([1, 2, 3], { dtype: "float64" })),
    "isclose",
    "float32",
    "float64",
  );
  assertThrowsWith(() => a.isclose(b, { rtol: -1 }), "isclose", "non-negative");
  const bools = tensor([true, false]).isclose(tensor([true, true]));
  assert.deepEqual(Array.from(bools.dataSync()), [1, 0]);
});

Deno.test("argument errors name the op and the dtypes", () => {
  const f32 = tensor([1, 2]), f64t = tensor([1, 2], { dtype: "float64" });
  assertThrowsWith(() => f32.lerp(f64t, 0.5), "lerp", "float32", "float64");
  assertThrowsWith(() => f32.heaviside(f64t), "heaviside", "float32", "float64");
  assertThrowsWith(() => f32.fmod(tensor([1, 2, 3])), "fmod");
});

Deno.test("clip is clamp, lerp with weight 1 is exactly end", () => {
  const x = tensor([-2, 0.3, 5]);
  assert.deepEqual(Array.from(x.clip(-1, 1).dataSync()), Array.from(x.clamp(-1, 1).dataSync()));
  assert.deepEqual(Array.from(dt.clip(x, null, 0).dataSync()), [-2, 0, 0]);
  const start = tensor([0.1, 1e8], { dtype: "float64" });
  const end = tensor([0.3, -7.77], { dtype: "float64" });
  assert.deepEqual(Array.from(start.lerp(end, 1).dataSync()), [0.3, -7.77]);
});

Deno.test("div roundingMode: zero gradients as in PyTorch, bad modes and int zero divisors throw", async () => {
  for (const roundingMode of ["trunc", "floor"] as const) {
    const x = tensor([2.5, -3.5, 7], { dtype: "float64", requiresGrad: true });
    const y = tensor([2, 2, -3], { dtype: "float64", requiresGrad: true });
    x.div(y, { roundingMode }).sum().backward();
    assert.deepEqual(await x.grad!.tolist(), [0, 0, 0]);
    assert.deepEqual(await y.grad!.tolist(), [0, 0, 0]);
  }
  const x = tensor([2.5, -3.5], { requiresGrad: true });
  x.div(2, { roundingMode: null }).sum().backward();
  assert.deepEqual(await x.grad!.tolist(), [0.5, 0.5]);
  assertThrowsWith(
    // deno-lint-ignore no-explicit-any
    () => dt.div(x, 2, { roundingMode: "round" as any }),
    'div: expected roundingMode to be one of null, "trunc" or "floor", got "round"',
  );
  assertThrowsWith(
    () => dt.tensor([4, 5], { dtype: "int32" }).div(0, { roundingMode: "trunc" }),
    "div: ZeroDivisionError",
  );
  const a = dt.tensor([4, 5], { dtype: "int32" });
  a.div_(dt.tensor([3, -2], { dtype: "int32" }), { roundingMode: "trunc" });
  assert.deepEqual(await a.tolist(), [1, -2]);
});

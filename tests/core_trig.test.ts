/**
 * tan, the inverse trigonometric and hyperbolic functions, exp2/log2/log10, erfc, lgamma,
 * digamma, polygamma, i0, sgn and positive against PyTorch 1.13 (tools/gen_trig_fixtures.py):
 * domains, small and large arguments, NaN, ±inf and ±0, on cpu in float64 and float32 and on
 * webgpu; float64 gradchecks; webgpu-vs-cpu parity on contiguous and strided views.
 */
import assert from "node:assert/strict";
import * as dt from "../mod.ts";
import type { Device, DType, Tensor } from "../mod.ts";
import { assertThrowsWith, gradcheckShapes } from "./helpers.ts";
import { f, hasGpu, type Input, parity } from "./webgpu_helpers.ts";
import fixture from "./fixtures/core/trig.json" with { type: "json" };

const parse = (s: string): number =>
  s === "nan" ? NaN : s === "inf" ? Infinity : s === "-inf" ? -Infinity : Number(s);
const show = (v: number) => (Object.is(v, -0) ? "-0" : String(v));

const OPS: Record<string, (x: Tensor) => Tensor> = {
  tan: (x) => x.tan(),
  asin: (x) => x.asin(),
  acos: (x) => dt.arccos(x),
  atan: (x) => x.arctan(),
  sinh: (x) => x.sinh(),
  cosh: (x) => dt.cosh(x),
  asinh: (x) => x.asinh(),
  acosh: (x) => x.acosh(),
  atanh: (x) => dt.atanh(x),
  exp2: (x) => x.exp2(),
  log2: (x) => x.log2(),
  log10: (x) => dt.log10(x),
  erfc: (x) => x.erfc(),
  lgamma: (x) => x.lgamma(),
  digamma: (x) => dt.digamma(x),
  polygamma1: (x) => x.polygamma(1),
  polygamma2: (x) => dt.polygamma(2, x),
  polygamma3: (x) => x.polygamma(3),
  i0: (x) => x.i0(),
  sgn: (x) => x.sgn(),
  positive: (x) => dt.positive(x),
};

type Tol = { rtol: number; atol?: number };
/**
 * float32 tolerances against PyTorch's float64 values rounded to float32. The CPU computes in
 * float64 and rounds once. The WGSL kernels: llvmpipe's builtins (tan, asin, acos, atan, exp2,
 * log2) hold a few ulp; lgamma and digamma subtract terms of size ~10 to reach values near their
 * zeros, and polygamma sums its series in float32.
 */
const F32_TOL: Record<Device, Tol> = { cpu: { rtol: 1e-7 }, webgpu: { rtol: 4e-6 } };
const WEBGPU_TOL: Record<string, Tol> = {
  lgamma: { rtol: 4e-6, atol: 1e-6 },
  digamma: { rtol: 4e-6, atol: 1e-6 },
  // Below 0 the float32 series cancels (terms of ±8 sum to 0.008 at -10.5).
  polygamma1: { rtol: 1e-5, atol: 1e-6 },
  polygamma2: { rtol: 1e-5, atol: 1e-6 },
  polygamma3: { rtol: 1e-5, atol: 1e-6 },
  i0: { rtol: 1e-5 },
  tan: { rtol: 1e-5 },
};

/**
 * NaN = NaN, infinities exact, zeros with their sign, finite values within tolerance. `atol`
 * also admits float32 subnormal results flushed to 0 (llvmpipe does).
 */
function same(got: number, want: number, t: Tol): boolean {
  if (Number.isNaN(want) || !Number.isFinite(want) || want === 0) return Object.is(got, want);
  const atol = Math.max(t.atol ?? 0, 1.2e-38);
  return Math.abs(got - want) <= atol + t.rtol * Math.abs(want);
}

async function checkFixture(device: Device, dtype: DType): Promise<void> {
  const wrong: string[] = [];
  for (const [name, op] of Object.entries(OPS)) {
    const c = (fixture.ops as Record<string, { x: string[]; f64: string[] }>)[name];
    const x = await dt.tensor(c.x.map(parse), { dtype }).toAsync(device);
    const got = [...await op(x).toArray()].map(Number);
    const tol = dtype === "float64"
      ? { rtol: 1e-11 }
      : device === "webgpu"
      ? WEBGPU_TOL[name] ?? F32_TOL.webgpu
      : F32_TOL.cpu;
    const want = c.f64.map((s) => (dtype === "float32" ? Math.fround(parse(s)) : parse(s)));
    const bad = got.map((g, i) =>
      same(g, want[i], tol) ? "" : `x=${c.x[i]}: ${show(g)} vs ${show(want[i])}`
    )
      .filter((m) => m);
    if (bad.length) wrong.push(`${name}: ${bad.join("; ")}`);
  }
  assert.deepEqual(wrong, []);
}

Deno.test("trig/special fixture: cpu float64 matches PyTorch's float64", () =>
  checkFixture("cpu", "float64"));
Deno.test("trig/special fixture: cpu float32 matches PyTorch's float64 rounded to float32", () =>
  checkFixture("cpu", "float32"));
Deno.test({
  name: "trig/special fixture: webgpu float32 matches PyTorch's float64 rounded to float32",
  ignore: !hasGpu,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () => checkFixture("webgpu", "float32"),
});

Deno.test("dtypes: integer inputs give float32, sgn keeps int32, positive returns its input", () => {
  const i = dt.tensor([1, 2, 3], { dtype: "int32" });
  for (const r of [i.tan(), i.asinh(), i.exp2(), i.log10(), i.erfc(), i.lgamma(), i.i0()]) {
    assert.equal(r.dtype, "float32");
  }
  assert.equal(dt.polygamma(1, i).dtype, "float32");
  assert.equal(i.sgn().dtype, "int32");
  assert.deepEqual(Array.from(dt.tensor([-3, 0, 5], { dtype: "int32" }).sgn().dataSync()), [
    -1,
    0,
    1,
  ]);
  assert.equal(i.positive(), i);
  assertThrowsWith(() => dt.tensor([true]).positive(), "positive", "bool");
  assertThrowsWith(() => dt.polygamma(-1, i), "polygamma", "-1");
  assertThrowsWith(() => dt.polygamma(1.5, i), "polygamma", "1.5");
  assert.equal(dt.arcsin, dt.asin);
  assert.equal(dt.arccosh, dt.acosh);
  assert.equal(dt.arcsinh, dt.asinh);
  assert.equal(dt.arctanh, dt.atanh);
});

Deno.test("gradients: float64 gradchecks of every differentiable op, away from singularities", () => {
  const u = { shape: [2, 3], kind: "u" as const }; // (-0.9, 0.9)
  const p = { shape: [2, 3], kind: "p" as const }; // [0.3, 2.5]
  gradcheckShapes("tan", (x) => x.tan(), [u]);
  gradcheckShapes("asin", (x) => x.asin(), [u]);
  gradcheckShapes("acos", (x) => x.acos(), [u]);
  gradcheckShapes("atan", (x) => x.atan(), [[2, 3]]);
  gradcheckShapes("sinh", (x) => x.sinh(), [[2, 3]]);
  gradcheckShapes("cosh", (x) => x.cosh(), [[2, 3]]);
  gradcheckShapes("asinh", (x) => x.asinh(), [[2, 3]]);
  gradcheckShapes("acosh", (x) => x.add(1.1).acosh(), [p]);
  gradcheckShapes("atanh", (x) => x.atanh(), [u]);
  gradcheckShapes("exp2", (x) => x.exp2(), [[2, 3]]);
  gradcheckShapes("log2", (x) => x.log2(), [p]);
  gradcheckShapes("log10", (x) => x.log10(), [p]);
  gradcheckShapes("erfc", (x) => x.erfc(), [[2, 3]]);
  gradcheckShapes("lgamma", (x) => x.lgamma(), [[2, 3]]);
  gradcheckShapes("digamma", (x) => x.digamma(), [[2, 3]]);
  gradcheckShapes("polygamma1", (x) => x.polygamma(1), [p]);
  gradcheckShapes("polygamma2", (x) => x.polygamma(2), [p]);
  gradcheckShapes("i0", (x) => x.i0(), [[2, 3]]);
  gradcheckShapes("i0 large", (x) => x.mul(20).i0(), [[2, 3]]);
  gradcheckShapes("sgn", (x) => x.sgn(), [[2, 3]]);
  gradcheckShapes("positive", (x) => x.positive().mul(1), [[2, 3]]);
  gradcheckShapes("sinh strided", (x) => x.t().sinh(), [[3, 2]]);
});

const CASES: [string, Input[], (x: Tensor) => Tensor][] = [
  ["tan", [f([4, 5], 1, -1.5, 1.5)], (x) => x.tan()],
  ["asin T", [f([5, 4], 2, -0.95, 0.95)], (x) => x.t().asin()],
  ["acos", [f([4, 5], 3, -0.95, 0.95)], (x) => x.acos()],
  ["atan", [f([4, 5], 4, -5, 5)], (x) => x.atan()],
  ["sinh step", [f([4, 6], 5, -5, 5)], (x) => x.slice(1, 0, null, 2).sinh()],
  ["cosh", [f([4, 5], 6, -5, 5)], (x) => x.cosh()],
  ["asinh T", [f([5, 4], 7, -5, 5)], (x) => x.t().asinh()],
  ["acosh", [f([4, 5], 8, 1.1, 6)], (x) => x.acosh()],
  ["atanh", [f([4, 5], 9, -0.9, 0.9)], (x) => x.atanh()],
  ["exp2", [f([4, 5], 10, -5, 5)], (x) => x.exp2()],
  ["log2 T", [f([5, 4], 11, 0.1, 5)], (x) => x.t().log2()],
  ["log10", [f([4, 5], 12, 0.1, 5)], (x) => x.log10()],
  ["erfc", [f([4, 5], 13, -3, 4)], (x) => x.erfc()],
  ["lgamma", [f([4, 5], 14, 0.2, 6)], (x) => x.lgamma()],
  ["digamma step", [f([4, 6], 15, 0.2, 6)], (x) => x.slice(1, 1, null, 2).digamma()],
  ["polygamma1", [f([4, 5], 16, 0.3, 6)], (x) => x.polygamma(1)],
  ["polygamma2", [f([4, 5], 17, 0.3, 6)], (x) => x.polygamma(2)],
  ["i0 T", [f([5, 4], 18, -6, 6)], (x) => x.t().i0()],
];

Deno.test({
  name: "webgpu parity: trig and special functions, forward and backward, on views",
  ignore: !hasGpu,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    for (const [n, inputs, fn] of CASES) {
      await t.step(n, () => parity(n, inputs, fn, { rtol: 2e-5, atol: 1e-5 }));
    }
  },
});

/**
 * NaN, ±inf and ±0 through everyday ops on every device, against PyTorch 1.13
 * (tools/gen_special_fixtures.py). llvmpipe compiles NaN and signed-zero cases of some WGSL
 * builtins differently from IEEE (atan2, inverseSqrt, v != v), so the webgpu run matters.
 */
import assert from "node:assert/strict";
import * as dt from "../mod.ts";
import type { Device, Tensor } from "../mod.ts";
import { hasGpu } from "./webgpu_helpers.ts";
import fixture from "./fixtures/core/special_values.json" with { type: "json" };

const parse = (s: string): number =>
  s === "nan" ? NaN : s === "inf" ? Infinity : s === "-inf" ? -Infinity : Number(s);

/**
 * NaN = NaN, infinities exact, finite values to float32 kernel precision. The sign of a zero
 * result is not compared (PyTorch's own kernels differ on it, e.g. maximum(-0, 0)); where it
 * changes a value (atan2's quadrant, 1/sqrt(-0)) the values themselves differ.
 */
function same(got: number, want: number): boolean {
  if (Number.isNaN(want) || !Number.isFinite(want)) return Object.is(got, want);
  if (want === 0) return got === 0;
  return Math.abs(got - want) <= 1e-5 * Math.abs(want);
}

const show = (v: number) => (Object.is(v, -0) ? "-0" : String(v));

const F = dt.nn.functional;
const OPS: Record<string, (x: Tensor, z: Tensor) => Tensor> = {
  sign: (x) => x.sign(),
  abs: (x) => x.abs(),
  neg: (x) => x.neg(),
  floor: (x) => x.floor(),
  ceil: (x) => x.ceil(),
  round: (x) => x.round(),
  trunc: (x) => x.trunc(),
  frac: (x) => x.frac(),
  exp: (x) => x.exp(),
  log: (x) => x.log(),
  sqrt: (x) => x.sqrt(),
  rsqrt: (x) => x.rsqrt(),
  reciprocal: (x) => x.reciprocal(),
  square: (x) => x.square(),
  pow2: (x) => x.pow(2),
  sigmoid: (x) => x.sigmoid(),
  tanh: (x) => x.tanh(),
  relu: (x) => x.relu(),
  gelu: (x) => F.gelu(x),
  softplus: (x) => F.softplus(x),
  relu6: (x) => F.relu6(x),
  hardtanh: (x) => F.hardtanh(x),
  leakyRelu: (x) => x.leakyRelu(0.1),
  elu: (x) => F.elu(x),
  silu: (x) => F.silu(x),
  maximum0: (x, z) => x.maximum(z),
  minimum0: (x, z) => x.minimum(z),
  clampMin0: (x) => x.clamp(0),
  clampMax0: (x) => x.clamp(null, 0),
  mul0: (x) => x.mul(0),
  fmod1: (x) => x.fmod(1),
  remainder1: (x) => x.remainder(1),
  nanToNum: (x) => x.nanToNum(),
  isnan: (x) => x.isnan(),
  isinf: (x) => x.isinf(),
  isfinite: (x) => x.isfinite(),
  eqSelf: (x) => x.eq(x),
  neSelf: (x) => x.ne(x),
  lt0: (x) => x.lt(0),
  ge0: (x) => x.ge(0),
  amax: (x) => x.amax().reshape([1]),
  amin: (x) => x.amin().reshape([1]),
  argmax: (x) => x.argmax().reshape([1]),
  argmin: (x) => x.argmin().reshape([1]),
  sort: (x) => x.sort().values,
  cummax: (x) => x.cummax(0).values,
  logsumexp: (x) => x.logsumexp(0).reshape([1]),
  softmaxFinite: (x) => x.slice(0, 3).softmax(0),
};

for (const device of ["cpu", "webgpu"] as Device[]) {
  Deno.test({
    name: `NaN, ±inf and ±0 follow PyTorch 1.13 on ${device}`,
    ignore: device === "webgpu" && !hasGpu,
    async fn() {
      const x = await dt.tensor(fixture.x.map(parse)).toAsync(device);
      const z = dt.zeros([x.numel], { device });
      const cases: [string, Tensor][] = Object.entries(OPS).map(([k, f]) => [k, f(x, z)]);
      const a = await dt.tensor(fixture.a.map(parse)).toAsync(device);
      const b = await dt.tensor(fixture.b.map(parse)).toAsync(device);
      cases.push(["atan2", dt.atan2(a, b)], ["pow", a.pow(b)]);
      cases.push(["powBase1", z.add(1).pow(x)], ["powBaseMinus1", z.sub(1).pow(x)]);
      const wrong: string[] = [];
      for (const [name, t] of cases) {
        const want = (fixture.cases as Record<string, string[]>)[name].map(parse);
        const got = [...await t.toArray()].map(Number);
        if (got.length !== want.length || got.some((g, i) => !same(g, want[i]))) {
          wrong.push(
            `${name}: got ${got.map(show).join(", ")}; PyTorch ${want.map(show).join(", ")}`,
          );
        }
      }
      assert.deepEqual(wrong, []);
    },
  });
}

const SMALL: Record<string, (x: Tensor) => Tensor> = {
  tanh: (x) => x.tanh(),
  log1p: (x) => x.log1p(),
  expm1: (x) => x.expm1(),
  erf: (x) => x.erf(),
  gelu: (x) => F.gelu(x),
  elu: (x) => F.elu(x),
  silu: (x) => F.silu(x),
  sin: (x) => x.sin(),
  softplus: (x) => F.softplus(x),
  logsigmoid: (x) => F.logsigmoid(x),
};

for (const device of ["cpu", "webgpu"] as Device[]) {
  Deno.test({
    name: `small arguments keep float32 relative precision (vs float64 PyTorch) on ${device}`,
    ignore: device === "webgpu" && !hasGpu,
    async fn() {
      const x = await dt.tensor(fixture.small.map(parse)).toAsync(device);
      const wrong: string[] = [];
      for (const [name, f] of Object.entries(SMALL)) {
        const want = (fixture.smallCases as Record<string, string[]>)[name].map(parse);
        const got = [...await f(x).toArray()].map(Number);
        if (got.some((g, i) => !same(g, want[i]))) {
          wrong.push(
            `${name}: got ${got.map(show).join(", ")}; PyTorch ${want.map(show).join(", ")}`,
          );
        }
      }
      assert.deepEqual(wrong, []);
    },
  });
}

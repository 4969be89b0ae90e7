/**
 * cpu-vs-webgpu parity of the elementwise math ops and the extra activations, forward and
 * backward, on contiguous, transposed, stepped and broadcast inputs, plus NaN/inf handling.
 */
import { f, hasGpu, type Input, ints, parity } from "./webgpu_helpers.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import * as A from "../src/nn/functional/activation.ts";
import { nn, tensor } from "../mod.ts";

type Case = [string, Input[], (...xs: Tensor[]) => Tensor | Tensor[], number?];

function suite(name: string, cases: Case[]): void {
  Deno.test({
    name: `webgpu parity: ${name}`,
    ignore: !hasGpu,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn(t) {
      for (const [n, inputs, fn, tol] of cases) {
        await t.step(n, () => parity(n, inputs, fn, tol ? { rtol: tol, atol: tol } : {}));
      }
    },
  });
}

/** An explicit float32 input (values with NaN / inf), not requiring grad. */
function vals(data: number[], shape = [data.length]): Input {
  return { data: Float32Array.from(data), shape, dtype: "float32" };
}

const divisor = (shape: number[], seed: number): Input => {
  // |b| in [0.5, 2] with both signs: away from 0, where the quotients blow up.
  const x = f(shape, seed, 0.5, 2);
  x.data = (x.data as Float32Array).map((v, i) => (i % 3 === 1 ? -v : v));
  return x;
};

const EDGE_A = [5, -5, 5, -5, 5.5, -5.5, Infinity, 1, 0, NaN, 3, -5, 0.3, 7];
const EDGE_B = [3, 3, -3, -3, 2, 2, 2, 0, -2, 1, Infinity, Infinity, 0.1, -Infinity];

suite("math: binary ops with broadcasting and views", [
  ["fmod", [f([4, 5], 1, -6, 6), divisor([5], 2)], (a, b) => a.fmod(b)],
  ["remainder", [f([4, 5], 3, -6, 6), divisor([4, 1], 4)], (a, b) => a.remainder(b)],
  ["remainder T", [f([5, 4], 5, -6, 6), divisor([4, 5], 6)], (a, b) => a.t().remainder(b)],
  ["floorDivide", [f([4, 5], 7, -6, 6), divisor([5], 8)], (a, b) => a.floorDivide(b)],
  ["fmod int", [ints([12], -20, 20), ints([12], 1, 7, 9)], (a, b) => a.fmod(b)],
  ["remainder int neg", [ints([12], -20, 20), ints([12], -7, -1, 9)], (a, b) => a.remainder(b)],
  ["floorDivide int", [ints([3, 4], -20, 20), ints([4], -7, -1, 9)], (a, b) => a.floorDivide(b)],
  ["lerp scalar", [f([3, 4], 10), f([4], 11)], (a, b) => a.lerp(b, 0.7)],
  [
    "lerp tensor",
    [f([3, 4], 12), f([3, 4], 13), f([3, 1], 14, 0, 1)],
    (a, b, w) => a.lerp(b.slice(1, 0, null, 1), w),
  ],
  ["hypot", [f([3, 4], 15, -3, 3), f([4], 16, -3, 3)], (a, b) => a.hypot(b)],
  ["hypot big", [vals([1e30, -3e35, 0, 3]), vals([1e30, 4e35, 0, 4])], (a, b) => a.hypot(b)],
  ["atan2", [f([4, 3], 17), f([4, 3], 18)], (a, b) => a.t().atan2(b.t())],
  ["xlogy", [f([3, 4], 19), f([4], 20, 0.2, 3)], (a, b) => a.xlogy(b)],
  ["logaddexp", [f([3, 4], 21, -5, 5), f([3, 1], 22, -5, 5)], (a, b) => a.logaddexp(b)],
  ["copysign", [f([3, 4], 23), f([4], 24)], (a, b) => a.copysign(b)],
  ["isclose", [f([12], 25), f([12], 25)], (a, b) => a.isclose(b.add(1e-6))],
  ["fmod edge", [vals(EDGE_A), vals(EDGE_B)], (a, b) => a.fmod(b)],
  ["remainder edge", [vals(EDGE_A), vals(EDGE_B)], (a, b) => a.remainder(b)],
  ["floorDivide edge", [vals(EDGE_A), vals(EDGE_B)], (a, b) => a.floorDivide(b)],
  [
    "logaddexp edge",
    [vals([-Infinity, Infinity, 1, 80]), vals([-Infinity, Infinity, 2, 80])],
    (a, b) => a.logaddexp(b),
  ],
  [
    "xlogy edge",
    [vals([0, 0, 1, 2, 0]), vals([0, NaN, 0, 3, Infinity])],
    (a, b) => a.xlogy(b),
  ],
]);

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, -1.5, 2.5, 3e38];

suite("math: unary ops and NaN/inf handling", [
  ["trunc/frac", [f([5, 4], 30, -4, 4)], (x) => [x.trunc(), x.frac()]],
  ["frac stepped", [f([6, 4], 31, -4, 4)], (x) => x.slice(0, 1, null, 2).frac()],
  ["logit", [f([3, 4], 32, 0.05, 0.95)], (x) => x.logit()],
  ["logit eps", [f([3, 4], 33, 0, 1)], (x) => x.logit(0.1)],
  ["sinc", [f([4, 3], 34, -3, 3)], (x) => x.t().sinc()],
  ["deg2rad/rad2deg", [f([3, 4], 35)], (x) => [x.deg2rad(), x.rad2deg()]],
  ["erfinv", [f([3, 4], 36, -0.95, 0.95)], (x) => x.erfinv()],
  ["erfinv edge", [vals([-1, 1, 0, 1.5, NaN, 0.5])], (x) => x.erfinv()],
  ["nanToNum", [f([3, 4], 37)], (x) => x.nanToNum()],
  ["isnan/isinf/isfinite", [vals(SPECIAL)], (x) => [x.isnan(), x.isinf(), x.isfinite()]],
  ["signbit", [vals(SPECIAL)], (x) => x.signbit()],
  ["nanToNum edge", [vals(SPECIAL)], (x) => [x.nanToNum(), x.nanToNum({ nan: 1, posinf: 2 })]],
  ["sinc edge", [vals([0, 1, Infinity, NaN, 1e-8])], (x) => x.sinc()],
  ["heaviside", [vals([-1, 0, 2, NaN]), vals([0.5])], (x, v) => x.heaviside(v)],
]);

const acts: [string, (x: Tensor) => Tensor][] = [
  ["silu", A.silu],
  ["mish", A.mish],
  ["elu", (x) => A.elu(x, 0.7)],
  ["celu", (x) => A.celu(x, 1.5)],
  ["selu", A.selu],
  ["softplus", (x) => A.softplus(x, 2, 5)],
  ["softsign", A.softsign],
  ["hardtanh", (x) => A.hardtanh(x, -2, 2.5)],
  ["relu6", A.relu6],
  ["hardsigmoid", A.hardsigmoid],
  ["hardswish", A.hardswish],
  ["logsigmoid", A.logsigmoid],
  ["tanhshrink", A.tanhshrink],
  ["softshrink", (x) => A.softshrink(x, 0.5)],
  ["hardshrink", (x) => A.hardshrink(x, 0.5)],
  ["threshold", (x) => A.threshold(x, 1, -2)],
];

suite("activations: contiguous, transposed and stepped inputs", [
  ...acts.map(([n, fn]): Case => [n, [f([6, 5], 40, -7, 7)], fn]),
  ...acts.map(([n, fn]): Case => [`${n} T`, [f([5, 6], 41, -7, 7)], (x) => fn(x.t())]),
  ...acts.map(([n, fn]): Case => [
    `${n} stepped`,
    [f([6, 8], 42, -7, 7)],
    (x) => fn(x.slice(1, 0, null, 3)),
  ]),
  ["prelu channels", [f([2, 3, 4], 43), f([3], 44, 0, 0.5)], (x, w) => A.prelu(x, w)],
  ["prelu scalar", [f([4, 5], 45), f([1], 46, 0, 0.5)], (x, w) => A.prelu(x.t(), w)],
  ["glu", [f([3, 8], 47)], (x) => A.glu(x)],
  ["glu dim 0", [f([4, 3], 48)], (x) => A.glu(x, 0)],
  ["softmin", [f([3, 5], 49)], (x) => A.softmin(x, 1)],
  [
    "extremes",
    [vals([-100, -30, 30, 100, NaN, Infinity, -Infinity])],
    (x) => acts.map(([, fn]) => fn(x)),
    1e-4,
  ],
]);

Deno.test({
  name: "webgpu: PReLU module trains on the device",
  ignore: !hasGpu,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const m = new nn.PReLU({ numParameters: 2, device: "webgpu" });
    const x = tensor([[-1, 2], [3, -4]], { device: "webgpu" });
    m.call(x).sum().backward();
    const g = await m.weight.grad!.toArray();
    if (g[0] !== -1 || g[1] !== -4) throw new Error(`PReLU weight grad ${g}`);
  },
});

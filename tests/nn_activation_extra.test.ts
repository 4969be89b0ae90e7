/**
 * The extra activations (src/nn/functional/activation.ts and their modules) against PyTorch
 * 1.13: values incl. NaN/inf, PyTorch's gradients at the kinks, float64 gradchecks (fixtures
 * from tools/gen_math_fixtures.py), module defaults, reprs, the PReLU parameter and state dict.
 */
import assert from "node:assert/strict";
import { nn, ones, tensor } from "../mod.ts";
import { functional as F } from "../src/nn/mod.ts";
import { registerFixtureTests } from "./_support/math_fixtures.ts";
import { assertClose, assertThrowsWith, f64, gradcheckShapes } from "./helpers.ts";

const n = (p: Record<string, unknown>, k: string) => p[k] as number | undefined;

registerFixtureTests("activation", {
  silu: ([x]) => F.silu(x),
  mish: ([x]) => F.mish(x),
  elu: ([x], p) => F.elu(x, n(p, "alpha")),
  celu: ([x], p) => F.celu(x, n(p, "alpha")),
  selu: ([x]) => F.selu(x),
  softplus: ([x], p) => F.softplus(x, n(p, "beta"), n(p, "threshold")),
  softsign: ([x]) => F.softsign(x),
  hardtanh: ([x], p) => F.hardtanh(x, n(p, "minVal"), n(p, "maxVal")),
  relu6: ([x]) => F.relu6(x),
  hardsigmoid: ([x]) => F.hardsigmoid(x),
  hardswish: ([x]) => F.hardswish(x),
  logsigmoid: ([x]) => F.logsigmoid(x),
  tanhshrink: ([x]) => F.tanhshrink(x),
  softshrink: ([x], p) => F.softshrink(x, n(p, "lambd")),
  hardshrink: ([x], p) => F.hardshrink(x, n(p, "lambd")),
  threshold: ([x], p) => F.threshold(x, p.threshold as number, p.value as number),
  prelu: ([x, w]) => F.prelu(x, w),
  glu: ([x], p) => F.glu(x, n(p, "dim")),
  softmin: ([x], p) => F.softmin(x, p.dim as number),
});

Deno.test("modules delegate to the functional forms with PyTorch's defaults", () => {
  const x = tensor([-4, -2.5, -0.7, 0.3, 1.2, 2.8, 7, 25], { dtype: "float64" });
  const pairs: [nn.Module, (t: typeof x) => typeof x][] = [
    [new nn.SiLU(), F.silu],
    [new nn.Mish(), F.mish],
    [new nn.ELU(), (t) => F.elu(t, 1)],
    [new nn.CELU(), (t) => F.celu(t, 1)],
    [new nn.SELU(), F.selu],
    [new nn.Softplus(), (t) => F.softplus(t, 1, 20)],
    [new nn.Softsign(), F.softsign],
    [new nn.Hardtanh(), (t) => F.hardtanh(t, -1, 1)],
    [new nn.ReLU6(), (t) => t.clamp(0, 6)],
    [new nn.Hardsigmoid(), F.hardsigmoid],
    [new nn.Hardswish(), F.hardswish],
    [new nn.LogSigmoid(), F.logsigmoid],
    [new nn.Tanhshrink(), F.tanhshrink],
    [new nn.Softshrink(), (t) => F.softshrink(t, 0.5)],
    [new nn.Hardshrink(), (t) => F.hardshrink(t, 0.5)],
    [new nn.Threshold(0.5, -1), (t) => F.threshold(t, 0.5, -1)],
    [new nn.GLU(), (t) => F.glu(t, -1)],
    [new nn.Softmin(0), (t) => F.softmin(t, 0)],
  ];
  for (const [m, f] of pairs) {
    assertClose((m as nn.Module<[typeof x], typeof x>).call(x), f(x), {
      msg: m.constructor.name,
    });
  }
  assert.equal(new nn.ELU(0.5).alpha, 0.5);
  assert.equal(new nn.Softplus().beta, 1);
  assert.equal(new nn.Softplus().threshold, 20);
  assert.equal(new nn.Hardtanh().minVal, -1);
  assert.equal(new nn.Hardtanh().maxVal, 1);
  assert.equal(new nn.Softshrink().lambd, 0.5);
  assert.equal(new nn.GLU().dim, -1);
  assert.match(String(new nn.Softplus(2, 10)), /beta=2, threshold=10/);
  assert.match(String(new nn.ReLU6()), /minVal=0, maxVal=6/);
  assertThrowsWith(() => new nn.Hardtanh(1, -1), "Hardtanh", "maxVal");
});

Deno.test("PReLU: weight [numParameters] filled with init, state-dict key `weight`, learns", () => {
  const one = new nn.PReLU();
  assert.deepEqual(one.weight.shape, [1]);
  assert.deepEqual(Array.from(one.weight.dataSync()), [0.25]);
  assert.deepEqual(Object.keys(one.stateDict()), ["weight"]);
  assert.equal(one.numParameters(), 1);
  const m = new nn.PReLU({ numParameters: 3, init: 0.1, dtype: "float64" });
  assert.equal(m.numSlopes, 3);
  assert.equal(m.weight.dtype, "float64");
  assert.match(String(m), /numParameters=3/);
  const x = tensor([[-1, 2, -3], [4, -5, 6]], { dtype: "float64" });
  const y = m.call(x);
  assertClose(y, [-0.1, 2, -0.3, 4, -0.5, 6]);
  y.sum().backward();
  assertClose(m.weight.grad!, [-1, -5, -3]);
  m.loadStateDict({ weight: tensor([0.5, 0.5, 0.5], { dtype: "float64" }) });
  assertClose(m.call(x), [-0.5, 2, -1.5, 4, -2.5, 6]);
  assertThrowsWith(() => m.call(ones([2, 4], { dtype: "float64" })), "prelu", "3", "4");
  assertThrowsWith(() => new nn.PReLU({ numParameters: 0 }), "PReLU", "numParameters");
});

Deno.test("PReLU / GLU / Softmax2d gradchecks and shape rules", () => {
  gradcheckShapes("prelu channels", (x, w) => F.prelu(x, w), [[2, 3, 2, 2], [3]]);
  gradcheckShapes("prelu scalar", (x, w) => F.prelu(x.t(), w), [[3, 4], [1]]);
  gradcheckShapes("glu dim 0", (x) => F.glu(x, 0), [[4, 3]]);
  gradcheckShapes("softmin", (x) => F.softmin(x.t(), 1), [[3, 4]]);
  const sm = new nn.Softmax2d();
  gradcheckShapes("softmax2d", (x) => sm.call(x), [[2, 3, 2, 2]]);
  const y = sm.call(tensor([[[1, 2]], [[3, 0]]])); // [C=2, H=1, W=2]
  assertClose(y.sum(0), [1, 1]);
  assertThrowsWith(() => sm.call(ones([2, 3])), "Softmax2d", "[2, 3]");
  assertThrowsWith(() => F.glu(ones([2, 3])), "glu", "even");
  assertThrowsWith(() => F.softshrink(ones([2]), -1), "softshrink", "lambd");
});

Deno.test("large inputs stay finite in the gradients (no 0·inf from unused branches)", () => {
  const x = f64([-800, -30, 30, 800], [4]);
  for (const f of [F.elu, F.selu, F.celu, F.softplus, F.logsigmoid, F.silu, F.mish]) {
    x.grad = null;
    f(x).sum().backward();
    for (const v of x.grad!.dataSync()) assert.ok(Number.isFinite(v), `${f.name}: ${v}`);
  }
});

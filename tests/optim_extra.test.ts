// Adagrad and Adamax against PyTorch 1.13: parameters after each of 6 steps on fixed
// gradients and the final state in PyTorch's state-dict layout, from
// tests/fixtures/optim/optimizers_extra.json (written by tools/gen_optim_extra_fixtures.py);
// plus state-dict round trips and option errors.
import assert from "node:assert/strict";
import { tensor, zeros } from "../src/tensor/creation.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import { noGrad } from "../src/autograd/grad_mode.ts";
import { Adagrad, Adamax, type Optimizer, type OptimizerOptions } from "../src/optim/mod.ts";

interface Case {
  name: string;
  optimizer: string;
  defaults: Record<string, unknown>;
  groups: { params: number[]; options: Record<string, unknown> }[];
  noGrad: number[];
  after: number[][][];
  state: Record<string, Record<string, number | number[] | null>>;
}
const fx = JSON.parse(
  Deno.readTextFileSync(new URL("./fixtures/optim/optimizers_extra.json", import.meta.url)),
) as { init: number[][]; shapes: number[][]; grads: number[][][]; cases: Case[] };

type Opt = Optimizer<OptimizerOptions>;
type Ctor = new (p: never, o: never) => Opt;
const ctors: Record<string, Ctor> = {
  Adagrad: Adagrad as unknown as Ctor,
  Adamax: Adamax as unknown as Ctor,
};
type Float = "float64" | "float32";

/** Builds the case's optimizer over fresh parameters. */
function build(c: Case, dtype: Float = "float64"): { params: Tensor[]; opt: Opt } {
  const params = fx.init.map((v, i) =>
    tensor(v, { dtype, shape: fx.shapes[i], requiresGrad: true })
  );
  const groups = c.groups.map((g) => ({ params: g.params.map((i) => params[i]), ...g.options }));
  return { params, opt: new ctors[c.optimizer](groups as never, c.defaults as never) };
}

/** Sets the fixed gradients of step `s` (none for the case's noGrad parameters). */
function setGrads(c: Case, params: Tensor[], s: number, dtype: Float = "float64"): void {
  params.forEach((p, i) => {
    p.grad?.dispose();
    p.grad = c.noGrad.includes(i) ? null : tensor(fx.grads[s][i], { dtype, shape: fx.shapes[i] });
  });
}

function close(a: ArrayLike<number>, e: number[], tol: number, what: string): void {
  assert.equal(a.length, e.length, what);
  for (let i = 0; i < e.length; i++) {
    assert.ok(
      Math.abs(a[i] - e[i]) <= tol * (1 + Math.abs(e[i])),
      `${what}[${i}]: ${a[i]} vs ${e[i]}`,
    );
  }
}

async function checkState(opt: Opt, c: Case): Promise<void> {
  const sd = opt.stateDict();
  assert.deepEqual(Object.keys(sd.state).sort(), Object.keys(c.state).sort(), "state params");
  for (const [k, st] of Object.entries(c.state)) {
    const mine = sd.state[Number(k)];
    assert.deepEqual(Object.keys(mine).sort(), Object.keys(st).sort(), `state ${k} keys`);
    for (const [key, v] of Object.entries(st)) {
      const m = mine[key];
      if (v === null) assert.equal(m, null);
      else if (typeof v === "number") assert.equal(m, v, `state ${k}.${key}`);
      else close(await (m as Tensor).toArray(), v, 1e-12, `state ${k}.${key}`);
    }
  }
  assert.deepEqual(sd.param_groups.map((g) => g.params), c.groups.map((g) => g.params));
}

for (const c of fx.cases) {
  Deno.test(`optimizer extra: ${c.name} (float64, ${c.after.length} steps)`, async () => {
    const { params, opt } = build(c);
    for (let s = 0; s < c.after.length; s++) {
      setGrads(c, params, s);
      opt.step();
      for (const [i, p] of params.entries()) {
        close(await p.toArray(), c.after[s][i], 1e-12, `step ${s + 1} param ${i}`);
      }
    }
    await checkState(opt, c);
  });

  Deno.test(`optimizer extra: ${c.name} (float32)`, async () => {
    const { params, opt } = build(c, "float32");
    for (let s = 0; s < c.after.length; s++) {
      setGrads(c, params, s, "float32");
      opt.step();
    }
    for (const [i, p] of params.entries()) {
      close(await p.toArray(), c.after[c.after.length - 1][i], 2e-5, `param ${i}`);
    }
  });

  Deno.test(`optimizer extra: ${c.name} resumes from its state dict`, async () => {
    const { params, opt } = build(c);
    const half = 3;
    for (let s = 0; s < half; s++) {
      setGrads(c, params, s);
      opt.step();
    }
    const fresh = build(c);
    noGrad(() => fresh.params.forEach((p, i) => p.copy_(params[i].detach())));
    fresh.opt.loadStateDict(opt.stateDict());
    for (let s = half; s < c.after.length; s++) {
      setGrads(c, fresh.params, s);
      fresh.opt.step();
    }
    for (const [i, p] of fresh.params.entries()) {
      close(await p.toArray(), c.after[c.after.length - 1][i], 1e-12, `param ${i}`);
    }
    await checkState(fresh.opt, c);
  });
}

Deno.test("Adagrad: every parameter has state from construction, as in PyTorch", async () => {
  const a = zeros([2], { requiresGrad: true }), b = zeros([3], { requiresGrad: true });
  const opt = new Adagrad([a, b], { initialAccumulatorValue: 0.5 });
  const sd = opt.stateDict();
  assert.deepEqual(Object.keys(sd.state), ["0", "1"]);
  assert.equal(sd.state[1].step, 0);
  assert.deepEqual(Array.from(await (sd.state[1].sum as Tensor).toArray()), [0.5, 0.5, 0.5]);
  // A group added later gets its state on its first step.
  const c = tensor([1, 2], { requiresGrad: true });
  opt.addParamGroup({ params: [c], initialAccumulatorValue: 1 });
  c.grad = tensor([1, 1]);
  opt.step();
  assert.equal(opt.stateDict().state[2].step, 1);
});

Deno.test("Adagrad / Adamax: defaults are PyTorch's", () => {
  const p = zeros([1], { requiresGrad: true });
  const ag = new Adagrad([p]).paramGroups[0];
  assert.deepEqual(
    [ag.lr, ag.lrDecay, ag.weightDecay, ag.initialAccumulatorValue, ag.eps, ag.maximize],
    [1e-2, 0, 0, 0, 1e-10, false],
  );
  const ax = new Adamax([p]).paramGroups[0];
  assert.deepEqual(
    [ax.lr, ax.betas, ax.eps, ax.weightDecay, ax.maximize],
    [2e-3, [0.9, 0.999], 1e-8, 0, false],
  );
});

Deno.test("Adagrad / Adamax: bad options name the optimizer and the option", () => {
  const p = () => [zeros([1], { requiresGrad: true })];
  assert.throws(() => new Adagrad(p(), { lr: -1 }), /Adagrad: invalid learning rate: -1/);
  assert.throws(() => new Adagrad(p(), { lrDecay: -0.1 }), /Adagrad: invalid lrDecay value: -0.1/);
  assert.throws(
    () => new Adagrad(p(), { weightDecay: -1 }),
    /Adagrad: invalid weightDecay value: -1/,
  );
  assert.throws(
    () => new Adagrad(p(), { initialAccumulatorValue: -1 }),
    /Adagrad: invalid initialAccumulatorValue value: -1/,
  );
  assert.throws(() => new Adagrad(p(), { eps: -1 }), /Adagrad: invalid epsilon value: -1/);
  assert.throws(
    () => new Adagrad([{ params: p(), lrDecay: -2 }]),
    /Adagrad: invalid lrDecay value: -2/,
  );
  assert.throws(() => new Adamax(p(), { lr: Number.NaN }), /Adamax: invalid learning rate: NaN/);
  assert.throws(() => new Adamax(p(), { eps: -1 }), /Adamax: invalid epsilon value: -1/);
  assert.throws(
    () => new Adamax(p(), { betas: [1, 0.9] }),
    /Adamax: invalid beta parameter at index 0: 1/,
  );
  assert.throws(
    () => new Adamax(p(), { betas: [0.9, -0.1] }),
    /Adamax: invalid beta parameter at index 1: -0.1/,
  );
  assert.throws(
    () => new Adamax(p(), { weightDecay: -1 }),
    /Adamax: invalid weightDecay value: -1/,
  );
  assert.throws(() => new Adamax([]), /Adamax: optimizer got an empty parameter list/);
  const x = zeros([1], { requiresGrad: true });
  assert.throws(() => new Adamax([x, x]), /Adamax: a parameter .* appears more than once/);
  assert.throws(
    () => new Adagrad([tensor([1], { dtype: "int32" })]),
    /Adagrad: can only optimize floating point tensors/,
  );
});

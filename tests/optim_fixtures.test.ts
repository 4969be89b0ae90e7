// Optimizer trajectories against PyTorch 1.13: parameters after each of 6 steps on fixed
// gradients, and the final state in PyTorch's state-dict layout, from
// tests/fixtures/optim/optimizers.json (written by tools/gen_optim_fixtures.py).
import assert from "node:assert/strict";
import { tensor } from "../src/tensor/creation.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import {
  Adam,
  AdamW,
  type Optimizer,
  type OptimizerOptions,
  RMSprop,
  SGD,
} from "../src/optim/mod.ts";

interface Case {
  name: string;
  optimizer: string;
  defaults: Record<string, unknown>;
  groups: { params: number[]; options: Record<string, unknown> }[];
  after: number[][][];
  state: Record<string, Record<string, number | number[] | null>>;
}
const fx = JSON.parse(
  Deno.readTextFileSync(new URL("./fixtures/optim/optimizers.json", import.meta.url)),
) as { init: number[][]; shapes: number[][]; grads: number[][][]; cases: Case[] };

type Ctor = new (p: never, o: never) => Optimizer<OptimizerOptions>;
const ctors: Record<string, Ctor> = {
  SGD: SGD as unknown as Ctor,
  Adam: Adam as unknown as Ctor,
  AdamW: AdamW as unknown as Ctor,
  RMSprop: RMSprop as unknown as Ctor,
};

/** Builds the case's optimizer over fresh float64 parameters. */
function build(c: Case, dtype: "float64" | "float32" = "float64"): {
  params: Tensor[];
  opt: Optimizer<OptimizerOptions>;
} {
  const params = fx.init.map((v, i) =>
    tensor(v, { dtype, shape: fx.shapes[i], requiresGrad: true })
  );
  const groups = c.groups.map((g) => ({ params: g.params.map((i) => params[i]), ...g.options }));
  const opt = new ctors[c.optimizer](groups as never, c.defaults as never);
  return { params, opt };
}

/** Sets the fixed gradients of step `s`. */
function setGrads(params: Tensor[], s: number, dtype: "float64" | "float32" = "float64") {
  params.forEach((p, i) => {
    p.grad?.dispose();
    p.grad = tensor(fx.grads[s][i], { dtype, shape: fx.shapes[i] });
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

for (const c of fx.cases) {
  Deno.test(`optimizer fixture: ${c.name} (float64, 6 steps)`, async () => {
    const { params, opt } = build(c);
    for (let s = 0; s < c.after.length; s++) {
      setGrads(params, s);
      opt.step();
      for (const [i, p] of params.entries()) {
        close(await p.toArray(), c.after[s][i], 1e-12, `step ${s + 1} param ${i}`);
      }
    }
    const sd = opt.stateDict();
    assert.deepEqual(Object.keys(sd.state).sort(), Object.keys(c.state).sort());
    for (const [k, st] of Object.entries(c.state)) {
      const mine = sd.state[Number(k)];
      assert.deepEqual(Object.keys(mine).sort(), Object.keys(st).sort(), `state ${k} keys`);
      for (const [key, v] of Object.entries(st)) {
        const m = mine[key];
        if (v === null) assert.equal(m, null);
        else if (typeof v === "number") assert.equal(m, v);
        else close(await (m as Tensor).toArray(), v, 1e-12, `state ${k}.${key}`);
      }
    }
    assert.deepEqual(sd.param_groups.map((g) => g.params), c.groups.map((g) => g.params));
  });

  Deno.test(`optimizer fixture: ${c.name} (float32)`, async () => {
    const { params, opt } = build(c, "float32");
    for (let s = 0; s < c.after.length; s++) {
      setGrads(params, s, "float32");
      opt.step();
    }
    for (const [i, p] of params.entries()) {
      close(await p.toArray(), c.after[c.after.length - 1][i], 2e-5, `param ${i}`);
    }
  });
}

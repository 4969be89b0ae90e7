/**
 * Optimizer trajectories against PyTorch in the format of tools/gen_optim_fixtures.py,
 * tools/gen_optim_extra_fixtures.py and tools/gen_optim_more_fixtures.py: fixed initial values
 * and per-step gradients, each case's parameters after every step and its final state dict. One
 * call registers, per case, the float64 trajectory, the float32 end point and a resume from a
 * mid-run state dict.
 */
import assert from "node:assert/strict";
import { tensor } from "../../src/tensor/creation.ts";
import type { Tensor } from "../../src/tensor/tensor.ts";
import { noGrad } from "../../src/autograd/grad_mode.ts";
import type { Optimizer, OptimizerOptions } from "../../src/optim/mod.ts";

/** One generated case. */
export interface OptimizerCase {
  name: string;
  optimizer: string;
  defaults: Record<string, unknown>;
  groups: { params: number[]; options: Record<string, unknown> }[];
  /** Parameters never given a gradient (none when absent). */
  noGrad?: number[];
  after: number[][][];
  state: Record<string, Record<string, number | number[] | null>>;
}

/** A fixture file: shared initial values, shapes and per-step gradients, and the cases. */
export interface OptimizerFixture {
  init: number[][];
  shapes: number[][];
  grads: number[][][];
  cases: OptimizerCase[];
}

/** The fixture file tests/fixtures/optim/`file`. */
export function optimizerFixture(file: string): OptimizerFixture {
  const url = new URL(`../fixtures/optim/${file}`, import.meta.url);
  return JSON.parse(Deno.readTextFileSync(url)) as OptimizerFixture;
}

/** Any optimizer, whatever its options. */
export type Opt = Optimizer<OptimizerOptions>;
/** An optimizer constructor, as the cases name it. */
export type Ctor = new (p: never, o: never) => Opt;
type Float = "float64" | "float32";

/** Asserts |a - e| <= tol·(1 + |e|) elementwise. */
export function close(a: ArrayLike<number>, e: number[], tol: number, what: string): void {
  assert.equal(a.length, e.length, what);
  for (let i = 0; i < e.length; i++) {
    assert.ok(
      Math.abs(a[i] - e[i]) <= tol * (1 + Math.abs(e[i])),
      `${what}[${i}]: ${a[i]} vs ${e[i]}`,
    );
  }
}

/**
 * Registers the trajectory tests of every case in `fx` under `label`; `ctors` maps the cases'
 * optimizer names to classes.
 */
export function optimizerCaseTests(
  label: string,
  fx: OptimizerFixture,
  ctors: Record<string, Ctor>,
): void {
  const build = (c: OptimizerCase, dtype: Float = "float64"): { params: Tensor[]; opt: Opt } => {
    const params = fx.init.map((v, i) =>
      tensor(v, { dtype, shape: fx.shapes[i], requiresGrad: true })
    );
    const groups = c.groups.map((g) => ({ params: g.params.map((i) => params[i]), ...g.options }));
    return { params, opt: new ctors[c.optimizer](groups as never, c.defaults as never) };
  };

  // The fixed gradients of step `s` (none for the case's noGrad parameters).
  const setGrads = (c: OptimizerCase, params: Tensor[], s: number, dtype: Float = "float64") => {
    params.forEach((p, i) => {
      p.grad?.dispose();
      p.grad = c.noGrad?.includes(i)
        ? null
        : tensor(fx.grads[s][i], { dtype, shape: fx.shapes[i] });
    });
  };

  const checkState = async (opt: Opt, c: OptimizerCase): Promise<void> => {
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
  };

  for (const c of fx.cases) {
    Deno.test(`${label}: ${c.name} (float64, ${c.after.length} steps)`, async () => {
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

    Deno.test(`${label}: ${c.name} (float32)`, async () => {
      const { params, opt } = build(c, "float32");
      for (let s = 0; s < c.after.length; s++) {
        setGrads(c, params, s, "float32");
        opt.step();
      }
      for (const [i, p] of params.entries()) {
        close(await p.toArray(), c.after[c.after.length - 1][i], 2e-5, `param ${i}`);
      }
    });

    Deno.test(`${label}: ${c.name} resumes from its state dict`, async () => {
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
}

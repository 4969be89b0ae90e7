// LBFGS against PyTorch 1.13 (tools/gen_optim_more_fixtures.py → tests/fixtures/optim/lbfgs.json):
// the Rosenbrock function and a small linear regression, with and without the strong-Wolfe line
// search — the loss each step returns, the parameters after each step and the final state dict;
// resuming from a saved state dict; stepAsync; errors; memory; webgpu matching cpu (skipped
// without an adapter).
import assert from "node:assert/strict";
import { tensor } from "../src/tensor/creation.ts";
import type { Device, DType } from "../src/tensor/dtype.ts";
import { memoryAllocated, scope } from "../src/tensor/memory.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import { noGrad } from "../src/autograd/grad_mode.ts";
import { deserialize, serialize } from "../src/io/mod.ts";
import { LBFGS, type LBFGSOptions, type OptimizerStateDict } from "../src/optim/mod.ts";
import { close } from "./_support/optim_cases.ts";
import { hasGpu } from "./webgpu_helpers.ts";

type StateValue = number | number[] | (number | number[] | null)[] | null;
interface Case {
  name: string;
  problem: "rosenbrock" | "regression";
  options: Partial<LBFGSOptions>;
  losses: number[];
  after: number[][][];
  state: Record<string, StateValue>;
  param_groups: Record<string, unknown>[];
}
const fx = JSON.parse(
  Deno.readTextFileSync(new URL("./fixtures/optim/lbfgs.json", import.meta.url)),
) as { X: number[]; Y: number[]; cases: Case[] };

const STARTS = {
  rosenbrock: { values: [[-1.5, 2]], shapes: [[2]] },
  regression: { values: [[0, 0, 0], [0]], shapes: [[1, 3], [1]] },
};

interface Problem {
  params: Tensor[];
  opt: LBFGS;
  closure: () => Tensor;
}

/** The case's problem (as the generator builds it) with fresh parameters and optimizer. */
function setup(c: Case, dtype: DType = "float64", device: Device = "cpu"): Problem {
  const start = STARTS[c.problem];
  const params = start.values.map((v, i) =>
    tensor(v, { dtype, device, shape: start.shapes[i], requiresGrad: true })
  );
  const opt = new LBFGS(params, c.options);
  const X = tensor(fx.X, { dtype, device, shape: [20, 3] });
  const Y = tensor(fx.Y, { dtype, device });
  const loss = (): Tensor => {
    if (c.problem === "rosenbrock") {
      const x = params[0];
      const a = x.select(0, 0), b = x.select(0, 1);
      return a.neg().add(1).square().add(b.sub(a.square()).square().mul(100));
    }
    const [w, bias] = params;
    return X.matmul(w.reshape([-1])).add(bias).sub(Y).square().mean();
  };
  const closure = (): Tensor => {
    opt.zeroGrad();
    const l = loss();
    l.backward();
    return l;
  };
  return { params, opt, closure };
}

/** Compares a state value (number, tensor, or a list of them) with the fixture's. */
async function sameValue(got: unknown, want: StateValue, tol: number, what: string) {
  if (want === null) return assert.equal(got, null, what);
  if (Array.isArray(want) && Array.isArray(got)) {
    assert.equal(got.length, want.length, `${what}: length`);
    for (let i = 0; i < want.length; i++) {
      await sameValue(got[i], want[i] as StateValue, tol, `${what}[${i}]`);
    }
    return;
  }
  const vals = typeof got === "number" ? [got] : Array.from(await (got as Tensor).toArray());
  close(vals, typeof want === "number" ? [want] : want as number[], tol, what);
}

async function checkState(opt: LBFGS, c: Case, tol: number): Promise<void> {
  const sd = opt.stateDict();
  assert.deepEqual(Object.keys(sd.state), ["0"]);
  const st = sd.state[0];
  assert.deepEqual(Object.keys(st).sort(), Object.keys(c.state).sort(), "state keys");
  assert.equal(st.func_evals, c.state.func_evals);
  assert.equal(st.n_iter, c.state.n_iter);
  for (const [k, v] of Object.entries(c.state)) await sameValue(st[k], v, tol, `state.${k}`);
  const { params: _, ...group } = sd.param_groups[0];
  assert.deepEqual(group, c.param_groups[0]);
}

// NOTE: PyTorch's dot products go through OpenBLAS (fused multiply-adds), so the last bits
// differ; over tens of Rosenbrock iterations that grows to ~1e-8 (the iteration and evaluation
// counts still match exactly). A wrong branch or formula is off by far more.
const TOL = 1e-7, STATE_TOL = 1e-5;

for (const c of fx.cases) {
  Deno.test(`LBFGS: ${c.name} (float64, ${c.losses.length} steps)`, async () => {
    const { params, opt, closure } = setup(c);
    for (let s = 0; s < c.losses.length; s++) {
      const loss = opt.step(closure);
      close([await loss.item()], [c.losses[s]], TOL, `step ${s + 1} loss`);
      for (const [i, p] of params.entries()) {
        close(await p.toArray(), c.after[s][i], TOL, `step ${s + 1} param ${i}`);
      }
    }
    await checkState(opt, c, STATE_TOL);
  });

  Deno.test(`LBFGS: ${c.name} resumes from a saved state dict`, async () => {
    const a = setup(c);
    a.opt.step(a.closure);
    // Through the checkpoint format: lists of tensors, nulls and host scalars survive.
    const saved = deserialize(await serialize({ optimizer: a.opt.stateDict() })) as unknown as {
      optimizer: OptimizerStateDict;
    };
    const b = setup(c);
    noGrad(() => b.params.forEach((p, i) => p.copy_(a.params[i])));
    b.opt.loadStateDict(saved.optimizer);
    for (let s = 1; s < c.losses.length; s++) b.opt.step(b.closure);
    const last = c.after.length - 1;
    for (const [i, p] of b.params.entries()) {
      close(await p.toArray(), c.after[last][i], TOL, `param ${i}`);
    }
    await checkState(b.opt, c, STATE_TOL);
  });
}

Deno.test("LBFGS: stepAsync on cpu gives step's numbers", async () => {
  const c = fx.cases.find((k) => k.options.lineSearchFn === "strong_wolfe")!;
  const a = setup(c), b = setup(c);
  for (let s = 0; s < c.losses.length; s++) {
    const la = await a.opt.step(a.closure).item();
    const lb = await (await b.opt.stepAsync(b.closure)).item();
    assert.equal(lb, la);
  }
  assert.deepEqual(await b.params[0].toArray(), await a.params[0].toArray());
  assert.equal(b.opt.stepCount, c.losses.length);
});

Deno.test("LBFGS: float32 reaches PyTorch's float64 minimum", async () => {
  for (const c of fx.cases.filter((k) => k.problem === "regression")) {
    const { params, opt, closure } = setup(c, "float32");
    for (let s = 0; s < c.losses.length; s++) opt.step(closure);
    const last = c.after.length - 1;
    for (const [i, p] of params.entries()) {
      close(await p.toArray(), c.after[last][i], 1e-3, `${c.name} param ${i}`);
    }
  }
});

Deno.test("LBFGS: a step frees its temporaries once the history is full", () => {
  const c = fx.cases.find((k) => k.name.startsWith("rosenbrock, strong_wolfe, history 3"))!;
  const { opt, closure } = setup(c);
  const held: number[] = [];
  for (let s = 0; s < 5; s++) {
    scope(() => {
      opt.step(closure);
    });
    held.push(memoryAllocated("cpu"));
  }
  // The history (3 pairs), d, prev_flat_grad, al, ro and H_diag are all that stays.
  assert.equal(held[4], held[3], `cpu bytes after each step: ${held.join(", ")}`);
});

Deno.test("LBFGS: defaults are PyTorch's; misuse fails with LBFGS's message", () => {
  const p = tensor([1, 2], { requiresGrad: true });
  const g = new LBFGS([p]).paramGroups[0];
  assert.deepEqual(
    [g.lr, g.maxIter, g.maxEval, g.toleranceGrad, g.toleranceChange, g.historySize, g.lineSearchFn],
    [1, 20, 25, 1e-7, 1e-9, 100, null],
  );
  assert.equal(new LBFGS([p], { maxIter: 10 }).paramGroups[0].maxEval, 12);
  assert.throws(
    () => new LBFGS([{ params: [p] }, { params: [tensor([1], { requiresGrad: true })] }]),
    /^RangeError: LBFGS: LBFGS doesn't support per-parameter options \(parameter groups\)/,
  );
  assert.throws(
    () => new LBFGS([p], { lineSearchFn: "wolfe" as "strong_wolfe" }),
    /LBFGS: invalid lineSearchFn \(only null and 'strong_wolfe' are supported\): "wolfe"/,
  );
  assert.throws(() => new LBFGS([p], { historySize: 0 }), /LBFGS: invalid historySize value: 0/);
  assert.throws(() => new LBFGS([p], { lr: -1 }), /LBFGS: invalid learning rate: -1/);
  const opt = new LBFGS([p]);
  assert.throws(() => opt.step(), /^TypeError: LBFGS.step: a closure that re-evaluates/);
  assert.throws(
    () => opt.step(() => 1 as unknown as Tensor),
    /^TypeError: LBFGS.step: the closure must return the loss as a Tensor, got number/,
  );
});

Deno.test({
  name: "webgpu: LBFGS.stepAsync matches cpu; step asks for stepAsync",
  ignore: !hasGpu,
}, async () => {
  for (const c of fx.cases.filter((k) => k.name.includes("regression"))) {
    const cpu = setup(c, "float32"), gpu = setup(c, "float32", "webgpu");
    for (let s = 0; s < c.losses.length; s++) {
      const lc = await cpu.opt.step(cpu.closure).item();
      const lg = await (await gpu.opt.stepAsync(gpu.closure)).item();
      close([lg], [lc], 1e-4, `${c.name} step ${s + 1} loss`);
    }
    for (const [i, p] of gpu.params.entries()) {
      close(await p.toArray(), Array.from(await cpu.params[i].toArray()), 1e-4, `${c.name} ${i}`);
    }
    assert.throws(
      () => gpu.opt.step(gpu.closure),
      /^Error: LBFGS.step: parameters on webgpu need scalars read back, which is asynchronous; use `await opt.stepAsync\(closure\)`/,
    );
  }
});

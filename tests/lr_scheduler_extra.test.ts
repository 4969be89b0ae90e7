// The schedulers added after the first set (LambdaLR, MultiplicativeLR, ConstantLR,
// PolynomialLR, CosineAnnealingWarmRestarts, CyclicLR, ChainedScheduler) against PyTorch 1.13:
// lr and momentum after construction and each step, and the final state dict, from
// tests/fixtures/optim/schedulers_extra.json (written by tools/gen_optim_extra_fixtures.py,
// which builds each case under the same name).
import assert from "node:assert/strict";
import { zeros } from "../src/tensor/creation.ts";
import {
  Adagrad,
  Adam,
  Adamax,
  type Optimizer,
  type OptimizerOptions,
  SGD,
} from "../src/optim/mod.ts";
import {
  ChainedScheduler,
  ConstantLR,
  CosineAnnealingWarmRestarts,
  CyclicLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  MultiplicativeLR,
  OneCycleLR,
  PolynomialLR,
  type Scheduler,
  type SchedulerStateDict,
  SequentialLR,
  StepLR,
} from "../src/optim/lr_scheduler/mod.ts";

interface Case {
  name: string;
  epochs: (number | null)[];
  lr: number[][];
  momentum: number[][];
  state: SchedulerStateDict;
}
const fx = JSON.parse(
  Deno.readTextFileSync(new URL("./fixtures/optim/schedulers_extra.json", import.meta.url)),
) as { cases: Case[] };

type Opt = Optimizer<OptimizerOptions>;
type Stepper = Scheduler & { step(epoch?: number): void };

function makeOpt(kind: "SGD" | "Adam", lrs: number[]): Opt {
  const groups = lrs.map((lr) => ({ params: [zeros([1], { requiresGrad: true })], lr }));
  return kind === "SGD"
    ? new SGD(groups, { lr: lrs[0], momentum: 0.9 }) as unknown as Opt
    : new Adam(groups, { lr: lrs[0] }) as unknown as Opt;
}

const builders: Record<string, [kind: "SGD" | "Adam", lrs: number[], (o: Opt) => Stepper]> = {
  "LambdaLR two lambdas": [
    "SGD",
    [0.1, 0.05],
    (o) => new LambdaLR(o, [(e) => 0.95 ** e, (e) => 1 / (e + 1)]),
  ],
  "LambdaLR warmup": ["SGD", [0.1], (o) => new LambdaLR(o, (e) => Math.min(1, (e + 1) / 5))],
  "MultiplicativeLR": ["SGD", [0.1], (o) => new MultiplicativeLR(o, () => 0.9)],
  "MultiplicativeLR per group": [
    "SGD",
    [0.1, 1.0],
    (o) => new MultiplicativeLR(o, [() => 0.9, (e) => 1.0 - 0.01 * e]),
  ],
  "ConstantLR default": ["SGD", [0.1], (o) => new ConstantLR(o)],
  "ConstantLR factor 0.5": [
    "SGD",
    [0.1, 0.3],
    (o) => new ConstantLR(o, { factor: 0.5, totalIters: 4 }),
  ],
  "PolynomialLR default": ["SGD", [0.1], (o) => new PolynomialLR(o)],
  "PolynomialLR power 2": [
    "SGD",
    [0.1, 0.02],
    (o) => new PolynomialLR(o, { totalIters: 10, power: 2 }),
  ],
  "PolynomialLR power 0.5": [
    "SGD",
    [0.5],
    (o) => new PolynomialLR(o, { totalIters: 7, power: 0.5 }),
  ],
  "CosineAnnealingWarmRestarts": ["SGD", [0.1], (o) => new CosineAnnealingWarmRestarts(o, 5)],
  "CosineAnnealingWarmRestarts tMult etaMin": [
    "SGD",
    [0.1, 0.2],
    (o) => new CosineAnnealingWarmRestarts(o, 3, { tMult: 2, etaMin: 0.001 }),
  ],
  "CosineAnnealingWarmRestarts fractional": [
    "SGD",
    [0.1],
    (o) => new CosineAnnealingWarmRestarts(o, 4, { etaMin: 0.01 }),
  ],
  "CosineAnnealingWarmRestarts fractional tMult": [
    "SGD",
    [0.1],
    (o) => new CosineAnnealingWarmRestarts(o, 2, { tMult: 3 }),
  ],
  "CosineAnnealingWarmRestarts interleaved": [
    "SGD",
    [0.1],
    (o) => new CosineAnnealingWarmRestarts(o, 4, { tMult: 2 }),
  ],
  "CyclicLR triangular": ["SGD", [0.1], (o) => new CyclicLR(o, 0.01, 0.1, { stepSizeUp: 4 })],
  "CyclicLR triangular2 asymmetric": [
    "SGD",
    [0.1],
    (o) => new CyclicLR(o, 0.001, 0.05, { stepSizeUp: 3, stepSizeDown: 5, mode: "triangular2" }),
  ],
  "CyclicLR exp_range groups": [
    "SGD",
    [0.1, 0.1],
    (o) =>
      new CyclicLR(o, [0.01, 0.002], [0.1, 0.02], {
        stepSizeUp: 5,
        mode: "exp_range",
        gamma: 0.9,
        baseMomentum: [0.7, 0.8],
        maxMomentum: [0.95, 0.9],
      }),
  ],
  "CyclicLR no momentum": [
    "SGD",
    [0.1],
    (o) => new CyclicLR(o, 0.01, 0.1, { stepSizeUp: 3, cycleMomentum: false }),
  ],
  "ChainedScheduler constant exponential": [
    "SGD",
    [1.0],
    (o) =>
      new ChainedScheduler([
        new ConstantLR(o, { factor: 0.1, totalIters: 2 }),
        new ExponentialLR(o, 0.9),
      ]),
  ],
  "ChainedScheduler three": [
    "SGD",
    [0.1, 0.5],
    (o) =>
      new ChainedScheduler([
        new LinearLR(o, { startFactor: 0.5, endFactor: 1, totalIters: 4 }),
        new StepLR(o, 3, { gamma: 0.5 }),
        new MultiplicativeLR(o, () => 0.98),
      ]),
  ],
  "SequentialLR constant polynomial": [
    "SGD",
    [0.1],
    (o) =>
      new SequentialLR(o, [
        new ConstantLR(o, { factor: 0.2, totalIters: 3 }),
        new PolynomialLR(o, { totalIters: 8, power: 2 }),
      ], [3]) as unknown as Stepper,
  ],
};

/** Keys this toolkit saves that PyTorch 1.13 does not (later PyTorch's beta1 cycling). */
const extraKeys = new Set(["use_beta1"]);

function momentumOf(o: Opt): number[] {
  return o.paramGroups.map((g) => g.betas ? g.betas[0] : g.momentum as number);
}

function close(a: number[], e: number[], what: string): void {
  assert.equal(a.length, e.length, what);
  a.forEach((v, i) =>
    assert.ok(Math.abs(v - e[i]) <= 1e-12 * (1 + Math.abs(e[i])), `${what}[${i}]: ${v} vs ${e[i]}`)
  );
}

/** Every key of `mine` is in PyTorch's state dict with the same value (numbers to 1e-12). */
function sameState(mine: unknown, torch: unknown, path: string): void {
  if (typeof mine === "number" && typeof torch === "number") {
    assert.ok(
      Math.abs(mine - torch) <= 1e-12 * (1 + Math.abs(torch)),
      `${path}: ${mine} vs ${torch}`,
    );
  } else if (Array.isArray(mine)) {
    assert.ok(Array.isArray(torch), `${path}: expected an array`);
    assert.equal(mine.length, (torch as unknown[]).length, `${path}: length`);
    mine.forEach((v, i) => sameState(v, (torch as unknown[])[i], `${path}[${i}]`));
  } else if (typeof mine === "object" && mine !== null) {
    const t = torch as Record<string, unknown>;
    for (const [k, v] of Object.entries(mine)) {
      if (extraKeys.has(k)) continue;
      assert.ok(k in t, `${path}.${k}: not in PyTorch's state dict (${Object.keys(t)})`);
      sameState(v, t[k], `${path}.${k}`);
    }
  } else assert.equal(mine, torch, path);
}

/** Runs the case's steps on `sched`, checking lr and momentum against rows from..end. */
function follow(c: Case, opt: Opt, sched: Stepper, from: number): void {
  for (let e = from; e < c.lr.length; e++) {
    opt.step();
    const a = c.epochs[e - 1];
    if (a === null) sched.step();
    else sched.step(a);
    close(sched.getLastLr(), c.lr[e], `lr after step ${e}`);
    close(momentumOf(opt), c.momentum[e], `momentum after step ${e}`);
  }
}

for (const c of fx.cases) {
  Deno.test(`lr scheduler extra: ${c.name} (${c.lr.length - 1} steps)`, () => {
    const [kind, lrs, make] = builders[c.name];
    const opt = makeOpt(kind, lrs);
    const sched = make(opt);
    close(opt.paramGroups.map((g) => g.lr), c.lr[0], "initial lr");
    close(momentumOf(opt), c.momentum[0], "initial momentum");
    follow(c, opt, sched, 1);
    sameState(sched.stateDict(), c.state, "stateDict");
  });

  Deno.test(`lr scheduler extra: ${c.name} resumes from its state dict`, () => {
    const [kind, lrs, make] = builders[c.name];
    const opt = makeOpt(kind, lrs);
    const sched = make(opt);
    const half = Math.floor((c.lr.length - 1) / 2);
    follow({ ...c, lr: c.lr.slice(0, half + 1) }, opt, sched, 1);
    const saved = JSON.parse(JSON.stringify(sched.stateDict())) as SchedulerStateDict;
    // A fresh scheduler on a fresh optimizer carrying the groups' lr and momentum.
    const opt2 = makeOpt(kind, lrs);
    const sched2 = make(opt2);
    opt2.paramGroups.forEach((g, i) =>
      Object.assign(g, { ...opt.paramGroups[i], params: g.params })
    );
    sched2.loadStateDict(saved);
    follow(c, opt2, sched2, half + 1);
  });
}

Deno.test("CyclicLR cycles Adam's and Adamax's beta1 like SGD's momentum", () => {
  for (const name of ["CyclicLR triangular", "CyclicLR exp_range groups"]) {
    const c = fx.cases.find((k) => k.name === name)!;
    const [, lrs, make] = builders[name];
    for (const kind of ["Adam", "Adamax"]) {
      const groups = lrs.map((lr) => ({ params: [zeros([1], { requiresGrad: true })], lr }));
      const opt = (kind === "Adam" ? new Adam(groups) : new Adamax(groups)) as unknown as Opt;
      const sched = make(opt);
      close(momentumOf(opt), c.momentum[0], `${kind} initial beta1`);
      follow(c, opt, sched, 1);
      assert.equal(opt.paramGroups[0].betas![1], 0.999, "beta2 untouched");
      assert.equal(sched.stateDict().use_beta1, true);
    }
  }
});

Deno.test("OneCycleLR cycles Adamax's beta1", () => {
  const opt = new Adamax([zeros([1], { requiresGrad: true })]) as unknown as Opt;
  const sched = new OneCycleLR(opt, 0.1, { totalSteps: 10 });
  assert.equal(opt.paramGroups[0].betas![0], 0.95);
  opt.step();
  sched.step();
  assert.ok(opt.paramGroups[0].betas![0] < 0.95);
});

Deno.test("LambdaLR / MultiplicativeLR save lambdas as nulls and keep their own on load", () => {
  const opt = makeOpt("SGD", [0.1, 0.2]);
  const sched = new LambdaLR(opt, [(e) => 0.5 ** e, (e) => 1 + e]);
  opt.step();
  sched.step();
  const sd = sched.stateDict();
  assert.deepEqual(sd.lr_lambdas, [null, null]);
  const other = new LambdaLR(makeOpt("SGD", [0.1, 0.2]), (e) => 0.5 ** e);
  other.loadStateDict(sd);
  assert.equal(other.lastEpoch, 1);
  other.optimizer.step();
  other.step();
  assert.deepEqual(other.getLastLr(), [0.1 * 0.25, 0.2 * 0.25]);
  const m = new MultiplicativeLR(makeOpt("SGD", [0.1]), () => 0.5);
  assert.deepEqual(m.stateDict().lr_lambdas, [null]);
});

Deno.test("new schedulers: bad arguments name the scheduler and what was expected", () => {
  const opt = makeOpt("SGD", [0.1, 0.2]);
  assert.throws(() => new LambdaLR(opt, [() => 1]), /LambdaLR: expected 2 lrLambdas, but got 1/);
  assert.throws(
    () => new LambdaLR(opt, 3 as unknown as () => number),
    /LambdaLR: lrLambda must be a function/,
  );
  assert.throws(
    () => new MultiplicativeLR(opt, [() => 1, 2 as unknown as () => number]),
    /MultiplicativeLR: lrLambda\[1\] must be a function/,
  );
  assert.throws(() => new ConstantLR(opt, { factor: 1.5 }), /ConstantLR: .*between 0 and 1/);
  assert.throws(
    () => new PolynomialLR(opt, { totalIters: 0 }),
    /PolynomialLR: totalIters must be a positive integer/,
  );
  assert.throws(
    () => new CosineAnnealingWarmRestarts(opt, 0),
    /CosineAnnealingWarmRestarts: expected positive integer t0, got 0/,
  );
  assert.throws(
    () => new CosineAnnealingWarmRestarts(opt, 2, { tMult: 1.5 }),
    /expected integer tMult >= 1, got 1.5/,
  );
  assert.throws(
    () => new CosineAnnealingWarmRestarts(opt, 2).step(-1),
    /CosineAnnealingWarmRestarts.step: expected non-negative epoch, but got -1/,
  );
  assert.throws(
    () => new CyclicLR(opt, [0.1], 1),
    /CyclicLR: expected 2 values for baseLr, got 1/,
  );
  assert.throws(
    () => new CyclicLR(opt, 0.1, 1, { mode: "bogus" as "triangular" }),
    /CyclicLR: mode must be "triangular", "triangular2" or "exp_range" \(got bogus\)/,
  );
  const adagrad = new Adagrad([zeros([1], { requiresGrad: true })]) as unknown as Opt;
  assert.throws(
    () => new CyclicLR(adagrad, 0.1, 1),
    /CyclicLR: optimizer must support momentum \(or betas\)/,
  );
  assert.doesNotThrow(() => new CyclicLR(adagrad, 0.1, 1, { cycleMomentum: false }));
  const other = makeOpt("SGD", [0.1]);
  assert.throws(
    () => new ChainedScheduler([new StepLR(opt, 2), new StepLR(other, 2)]),
    /ChainedScheduler: expects all schedulers to belong to the same optimizer.*index 0 and 1/,
  );
  assert.throws(() => new ChainedScheduler([]), /ChainedScheduler: expects a non-empty array/);
  const constant0 = new ConstantLR(makeOpt("SGD", [0.1]), { factor: 0, totalIters: 1 });
  constant0.optimizer.step();
  assert.throws(() => constant0.step(), /ConstantLR: cannot restore the lr after factor 0/);
});

Deno.test("CyclicLR with a custom scaleFn in iterations mode", () => {
  const opt = makeOpt("SGD", [0.1]);
  const sched = new CyclicLR(opt, 0.0, 1.0, {
    stepSizeUp: 2,
    scaleFn: (x) => 1 / (1 + x),
    scaleMode: "iterations",
    cycleMomentum: false,
  });
  const seen = [sched.getLastLr()[0]];
  for (let i = 0; i < 4; i++) {
    opt.step();
    sched.step();
    seen.push(sched.getLastLr()[0]);
  }
  // step e: triangle height (0, .5, 1, .5, 0) times 1 / (1 + e)
  close(seen, [0, 0.5 / 2, 1 / 3, 0.5 / 4, 0], "lrs");
  assert.equal(sched.stateDict().scale_mode, "iterations");
});

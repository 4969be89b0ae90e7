// LR schedulers against PyTorch 1.13: the lr (and momentum / Adam beta1) after
// construction and after each of 33-45 steps, from tests/fixtures/optim/schedulers.json
// (written by tools/gen_optim_fixtures.py, which builds each case under the same name).
import assert from "node:assert/strict";
import { zeros } from "../src/tensor/creation.ts";
import { Adam, type Optimizer, type OptimizerOptions, SGD } from "../src/optim/mod.ts";
import {
  CosineAnnealingLR,
  ExponentialLR,
  LinearLR,
  MultiStepLR,
  OneCycleLR,
  ReduceLROnPlateau,
  SequentialLR,
  StepLR,
} from "../src/optim/lr_scheduler/mod.ts";

interface Case {
  name: string;
  lr: number[][];
  momentum: number[][];
}
const fx = JSON.parse(
  Deno.readTextFileSync(new URL("./fixtures/optim/schedulers.json", import.meta.url)),
) as { plateauMetrics: number[]; cases: Case[] };

type Opt = Optimizer<OptimizerOptions>;
type Stepper = { step(metric?: number): void; getLastLr(): number[] };

function makeOpt(kind: "SGD" | "Adam", lrs: number[]): Opt {
  const groups = lrs.map((lr) => ({ params: [zeros([1], { requiresGrad: true })], lr }));
  return kind === "SGD"
    ? new SGD(groups, { lr: lrs[0], momentum: 0.9 }) as unknown as Opt
    : new Adam(groups, { lr: lrs[0] }) as unknown as Opt;
}

const plateau = fx.plateauMetrics;
const builders: Record<
  string,
  [kind: "SGD" | "Adam", lrs: number[], (o: Opt) => Stepper, metrics?: number[]]
> = {
  "StepLR": ["SGD", [0.1, 0.05], (o) => new StepLR(o, 7, { gamma: 0.5 })],
  "MultiStepLR": ["SGD", [0.1], (o) => new MultiStepLR(o, [3, 10, 10, 20], { gamma: 0.3 })],
  "ExponentialLR": ["SGD", [0.1, 1.0], (o) => new ExponentialLR(o, 0.9)],
  "CosineAnnealingLR": ["SGD", [0.1], (o) => new CosineAnnealingLR(o, 10)],
  "CosineAnnealingLR etaMin": [
    "SGD",
    [0.1, 0.02],
    (o) => new CosineAnnealingLR(o, 7, { etaMin: 0.001 }),
  ],
  "LinearLR": [
    "SGD",
    [0.1],
    (o) => new LinearLR(o, { startFactor: 0.25, endFactor: 1, totalIters: 8 }),
  ],
  "LinearLR decay": [
    "SGD",
    [0.1],
    (o) => new LinearLR(o, { startFactor: 1, endFactor: 0.1, totalIters: 10 }),
  ],
  "OneCycleLR cos SGD": ["SGD", [0.1], (o) => new OneCycleLR(o, 0.5, { totalSteps: 40 })],
  "OneCycleLR linear threePhase Adam": [
    "Adam",
    [0.01, 0.01],
    (o) =>
      new OneCycleLR(o, [0.1, 0.05], {
        epochs: 5,
        stepsPerEpoch: 8,
        pctStart: 0.25,
        annealStrategy: "linear",
        threeStep: true,
        divFactor: 10,
        finalDivFactor: 100,
        baseMomentum: 0.8,
        maxMomentum: 0.9,
      }),
  ],
  "OneCycleLR no momentum": [
    "SGD",
    [0.1],
    (o) => new OneCycleLR(o, 1.0, { totalSteps: 33, cycleMomentum: false }),
  ],
  "SequentialLR warmup cosine": [
    "SGD",
    [0.1],
    (o) =>
      new SequentialLR(o, [
        new LinearLR(o, { startFactor: 0.1, endFactor: 1, totalIters: 5 }),
        new CosineAnnealingLR(o, 25),
      ], [5]),
  ],
  "SequentialLR three": [
    "SGD",
    [0.1],
    (o) =>
      new SequentialLR(o, [
        new ExponentialLR(o, 0.9),
        new StepLR(o, 3, { gamma: 0.5 }),
        new MultiStepLR(o, [2, 6], { gamma: 0.1 }),
      ], [8, 20]),
  ],
  "ReduceLROnPlateau min rel": [
    "SGD",
    [0.1, 0.01],
    (o) => new ReduceLROnPlateau(o, { patience: 2, minLr: [0.0005, 0] }),
    plateau,
  ],
  "ReduceLROnPlateau max abs cooldown": [
    "SGD",
    [0.1],
    (o) =>
      new ReduceLROnPlateau(o, {
        mode: "max",
        factor: 0.5,
        patience: 1,
        threshold: 0.01,
        thresholdMode: "abs",
        cooldown: 2,
      }),
    plateau.map((m) => -m),
  ],
};

function momentumOf(o: Opt): number[] {
  return o.paramGroups.map((g) => g.betas ? g.betas[0] : g.momentum as number);
}

function close(a: number[], e: number[], what: string): void {
  assert.equal(a.length, e.length, what);
  a.forEach((v, i) =>
    assert.ok(Math.abs(v - e[i]) <= 1e-13 * (1 + Math.abs(e[i])), `${what}[${i}]: ${v} vs ${e[i]}`)
  );
}

for (const c of fx.cases) {
  Deno.test(`lr scheduler fixture: ${c.name} (${c.lr.length - 1} steps)`, () => {
    const [kind, lrs, make, metrics] = builders[c.name];
    const opt = makeOpt(kind, lrs);
    const sched = make(opt);
    close(opt.paramGroups.map((g) => g.lr), c.lr[0], "initial lr");
    close(momentumOf(opt), c.momentum[0], "initial momentum");
    for (let e = 1; e < c.lr.length; e++) {
      opt.step();
      sched.step(metrics?.[e - 1]);
      close(sched.getLastLr(), c.lr[e], `lr after step ${e}`);
      close(momentumOf(opt), c.momentum[e], `momentum after step ${e}`);
    }
  });
}

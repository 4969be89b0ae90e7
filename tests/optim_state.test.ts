// Saving optimizer + scheduler state mid-run and restoring it into fresh objects continues
// the exact trajectory of an uninterrupted run (momentum buffers, Adam moments, step counts,
// scheduler epochs and OneCycle momentum all restored).
import assert from "node:assert/strict";
import { randn, tensor } from "../src/tensor/creation.ts";
import { manualSeed } from "../src/tensor/random.ts";
import { Tensor } from "../src/tensor/tensor.ts";
import {
  Adam,
  AdamW,
  type Optimizer,
  type OptimizerOptions,
  type OptimizerStateDict,
  RMSprop,
  SGD,
} from "../src/optim/mod.ts";
import {
  CosineAnnealingLR,
  LinearLR,
  OneCycleLR,
  ReduceLROnPlateau,
  type Scheduler,
  SequentialLR,
} from "../src/optim/lr_scheduler/mod.ts";

type Opt = Optimizer<OptimizerOptions>;
type Sched = Scheduler & { step(metric?: number): void };
const STEPS = 8, SPLIT = 3;

manualSeed(7);
const init = [randn([3, 2]), randn([4])].map((t) => Array.from(t.dataSync()));
const grads = Array.from({ length: STEPS }, () => [randn([3, 2]), randn([4])]);

function params(): Tensor[] {
  return [
    tensor(init[0], { shape: [3, 2], requiresGrad: true }),
    tensor(init[1], { requiresGrad: true }),
  ];
}

/** A deep copy through host arrays, as a save to disk and load would give. */
async function snapshot(x: unknown): Promise<unknown> {
  if (x instanceof Tensor) return tensor(await x.toArray(), { shape: x.shape });
  if (Array.isArray(x)) return Promise.all(x.map(snapshot));
  if (x && typeof x === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = await snapshot(v);
    return out;
  }
  return x;
}

const setups: [string, (p: Tensor[]) => [Opt, Sched]][] = [
  ["SGD nesterov + OneCycleLR", (p) => {
    const o = new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true }) as unknown as Opt;
    return [o, new OneCycleLR(o, 0.3, { totalSteps: STEPS })];
  }],
  ["Adam amsgrad + OneCycleLR (beta1)", (p) => {
    const o = new Adam(p, { amsgrad: true }) as unknown as Opt;
    return [o, new OneCycleLR(o, 0.01, { totalSteps: STEPS, annealStrategy: "linear" })];
  }],
  ["AdamW + SequentialLR", (p) => {
    const o = new AdamW([{ params: [p[0]] }, { params: [p[1]], lr: 0.01 }]) as unknown as Opt;
    return [
      o,
      new SequentialLR(o, [new LinearLR(o, { totalIters: 2 }), new CosineAnnealingLR(o, 5)], [2]),
    ];
  }],
  ["RMSprop centered momentum + ReduceLROnPlateau", (p) => {
    const o = new RMSprop(p, { centered: true, momentum: 0.5 }) as unknown as Opt;
    return [o, new ReduceLROnPlateau(o, { patience: 0 })];
  }],
];

function train(opt: Opt, sched: Sched, p: Tensor[], from: number, to: number): void {
  for (let s = from; s < to; s++) {
    p.forEach((x, i) => x.grad = grads[s][i].clone());
    opt.step();
    sched.step(sched instanceof ReduceLROnPlateau ? 1 : undefined);
    opt.zeroGrad();
  }
}

for (const [name, setup] of setups) {
  Deno.test(`save/restore mid-run gives the uninterrupted trajectory: ${name}`, async () => {
    const pa = params();
    const [oa, sa] = setup(pa);
    train(oa, sa, pa, 0, STEPS);

    const pb = params();
    const [ob, sb] = setup(pb);
    train(ob, sb, pb, 0, SPLIT);
    const saved = await snapshot({ opt: ob.stateDict(), sched: sb.stateDict() }) as {
      opt: OptimizerStateDict;
      sched: Record<string, unknown>;
    };
    // Fresh parameters holding the values reached so far; fresh optimizer and scheduler.
    const pc = pb.map((x) => tensor(x.dataSync(), { shape: x.shape, requiresGrad: true }));
    const [oc, sc] = setup(pc);
    oc.loadStateDict(saved.opt);
    sc.loadStateDict(saved.sched);
    train(oc, sc, pc, SPLIT, STEPS);

    for (let i = 0; i < pa.length; i++) {
      assert.deepEqual(Array.from(pc[i].dataSync()), Array.from(pa[i].dataSync()), `param ${i}`);
    }
    assert.deepEqual(sc.getLastLr(), sa.getLastLr());
    assert.deepEqual(
      oc.paramGroups.map((g) => [g.lr, g.momentum, g.betas]),
      oa.paramGroups.map((g) => [g.lr, g.momentum, g.betas]),
    );
  });
}

Deno.test("loadStateDict rejects mismatched groups and copies buffers", async () => {
  const p = params();
  const opt = new SGD(p, { lr: 0.1, momentum: 0.9 });
  p.forEach((x, i) => x.grad = grads[0][i].clone());
  opt.step();
  const sd = opt.stateDict();
  const other = new SGD([{ params: [p[0]] }, { params: [p[1]] }], { lr: 0.1 });
  assert.throws(
    () => other.loadStateDict(sd),
    /SGD.loadStateDict: loaded state dict has 1 parameter groups, the optimizer has 2/,
  );
  const single = new SGD([p[0]], { lr: 0.1 });
  assert.throws(
    () => single.loadStateDict(sd),
    /loaded parameter group 0 has 2 parameters, the optimizer's group has 1/,
  );
  const fresh = new SGD(p, { lr: 0.5 });
  fresh.loadStateDict(sd);
  assert.equal(fresh.paramGroups[0].lr, 0.1);
  assert.equal(fresh.paramGroups[0].momentum, 0.9);
  const buf = fresh.state.get(p[0])!.momentum_buffer as Tensor;
  assert.notEqual(buf, sd.state[0].momentum_buffer);
  assert.deepEqual(await buf.toArray(), await (sd.state[0].momentum_buffer as Tensor).toArray());
});

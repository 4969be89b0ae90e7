// Memory soak: a long training run of a small model on webgpu in the idiomatic loop (each step
// inside `scope()`), recording memoryAllocated("webgpu") every 100 steps. Allocation must stay
// flat: the first and last samples should match and the max stay close to them.
//
//   deno run -A bench/memory_soak.ts [--steps 10000] [--every 100]
import { parseArgs } from "node:util";
import * as dt from "../mod.ts";

const args = parseArgs({
  options: {
    steps: { type: "string", default: "10000" },
    every: { type: "string", default: "100" },
  },
});
const STEPS = Number(args.values.steps), EVERY = Number(args.values.every);
await dt.initWebGPU();
const dev = "webgpu";
const { nn, optim } = dt;
// A tiny conv net on 8×8 inputs, batch 8: every layer kind of a real step, little work per step.
const model = new nn.Sequential(
  new nn.Conv2d(3, 4, 3, { padding: 1 }),
  new nn.BatchNorm2d(4),
  new nn.ReLU(),
  new nn.MaxPool2d(2),
  new nn.Flatten(),
  new nn.Linear(64, 10),
).to(dev);
const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
const crit = new nn.CrossEntropyLoss();
const x = dt.randn([8, 3, 8, 8], { device: dev });
const y = dt.randint(0, 10, [8], { device: dev });
const samples: number[] = [];
const t0 = performance.now();
let last = 0;
for (let step = 1; step <= STEPS; step++) {
  const loss = dt.scope(() => {
    opt.zeroGrad();
    const l = crit.call(model.call(x), y);
    l.backward();
    opt.step();
    return l;
  });
  if (step % EVERY === 0) {
    last = await loss.item();
    samples.push(dt.memoryAllocated(dev));
  }
  loss.dispose();
}
const secs = (performance.now() - t0) / 1000;
const first = samples[0], final = samples[samples.length - 1];
console.log(
  `memory soak: ${STEPS} steps in ${secs.toFixed(1)} s (${(1000 * secs / STEPS).toFixed(2)} ` +
    `ms/step), final loss ${last.toFixed(4)}`,
);
console.log(
  `memoryAllocated("webgpu") every ${EVERY} steps: first ${first} B, last ${final} B, ` +
    `max ${Math.max(...samples)} B, min ${Math.min(...samples)} B`,
);
if (final > first) console.log(`WARNING: grew by ${final - first} B over the run`);

/**
 * Fits a small MLP to a noisy 1-D function with MSELoss and Adam: the minimal PyTorch loop.
 *
 *   deno run -A examples/regression.ts [--steps 500] [--device cpu|webgpu]
 */
import { parseArgs } from "node:util";
import * as dt from "../mod.ts";

const { nn, optim } = dt;
const { values: args } = parseArgs({
  options: {
    steps: { type: "string", default: "500" },
    device: { type: "string", default: "cpu" },
  },
});
const device = args.device as dt.Device;
if (device === "webgpu") await dt.initWebGPU();
dt.manualSeed(0);

// y = sin(3x) + 0.5x + noise on [-2, 2].
const x = dt.linspace(-2, 2, 256).unsqueeze(1);
const y = x.mul(3).sin().add(x.mul(0.5)).add(dt.randn([256, 1]).mul(0.05));
const xs = x.to(device), ys = y.to(device);

const model = new nn.Sequential(
  new nn.Linear(1, 64),
  new nn.Tanh(),
  new nn.Linear(64, 64),
  new nn.Tanh(),
  new nn.Linear(64, 1),
).to(device);
const optimizer = new optim.Adam(model.parameters(), { lr: 1e-2 });
const criterion = new nn.MSELoss();
const steps = Number(args.steps);

for (let step = 1; step <= steps; step++) {
  const loss = dt.scope(() => {
    optimizer.zeroGrad();
    const l = criterion.call(model.call(xs), ys);
    l.backward();
    optimizer.step();
    return l;
  });
  if (step % 100 === 0 || step === steps) {
    console.log(`step ${step}: mse ${(await loss.item()).toFixed(5)}`);
  }
  loss.dispose();
}

/**
 * Trains an LSTM to sum a sequence of numbers: a sequence model with nn.LSTM (batchFirst).
 *
 *   deno run -A examples/sequence.ts [--steps 300] [--device cpu|webgpu]
 */
import { parseArgs } from "node:util";
import * as dt from "../mod.ts";

const { nn, optim } = dt;
const { values: args } = parseArgs({
  options: {
    steps: { type: "string", default: "300" },
    device: { type: "string", default: "cpu" },
  },
});
const device = args.device as dt.Device;
if (device === "webgpu") await dt.initWebGPU();
dt.manualSeed(0);

class Summer extends nn.Module<[dt.Tensor], dt.Tensor> {
  lstm = new nn.LSTM(1, 32, { numLayers: 2, batchFirst: true });
  head = new nn.Linear(32, 1);
  override forward(x: dt.Tensor): dt.Tensor {
    const [out] = this.lstm.call(x);
    // The prediction reads the last time step's hidden state.
    return this.head.call(out.select(1, -1));
  }
}

const model = new Summer().to(device);
const optimizer = new optim.Adam(model.parameters(), { lr: 5e-3 });
const criterion = new nn.MSELoss();
const steps = Number(args.steps);
for (let step = 1; step <= steps; step++) {
  const loss = dt.scope(() => {
    const x = dt.rand([32, 10, 1], { device }).sub(0.5);
    const target = x.sum(1);
    optimizer.zeroGrad();
    const l = criterion.call(model.call(x), target);
    l.backward();
    optim.clipGradNorm_(model.parameters(), 1.0);
    optimizer.step();
    return l;
  });
  if (step % 50 === 0 || step === steps) {
    console.log(`step ${step}: mse ${(await loss.item()).toFixed(5)}`);
  }
  loss.dispose();
}

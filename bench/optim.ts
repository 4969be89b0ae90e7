// One Adam step over the parameters of a CIFAR-sized CNN (conv 3→32 3×3, conv 32→64 3×3,
// linear 4096→128, linear 128→10, weights and biases: 545,098 floats), as medians over
// repeated steps: denotorch on cpu and webgpu (when an adapter exists) side by side with
// TensorFlow.js's Adam on its webgpu backend (and its cpu backend as the cpu peer).
//
//   deno run -A bench/optim.ts [--iters 20] [--warmup 3]
//
// Each timed step ends with a one-element readback so queued GPU work is included.
import { parseArgs } from "node:util";
import { randn } from "../src/tensor/creation.ts";
import type { Device } from "../src/tensor/dtype.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import { Adam } from "../src/optim/adam.ts";

const args = parseArgs({
  options: { iters: { type: "string", default: "20" }, warmup: { type: "string", default: "3" } },
});
const ITERS = Number(args.values.iters), WARMUP = Number(args.values.warmup);
const SHAPES: number[][] = [[32, 3, 3, 3], [32], [64, 32, 3, 3], [64], [128, 4096], [128], [
  10,
  128,
], [10]];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function timeSteps(step: () => void, sync: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < WARMUP; i++) step();
  await sync();
  const times: number[] = [];
  for (let i = 0; i < ITERS; i++) {
    const t0 = performance.now();
    step();
    await sync();
    times.push(performance.now() - t0);
  }
  return median(times);
}

async function denotorch(device: Device): Promise<number> {
  const params = SHAPES.map((s) => randn(s, { device, requiresGrad: true }));
  for (const p of params) p.grad = randn(p.shape, { device }).mul(0.01);
  const opt = new Adam(params, { lr: 1e-3 });
  const last: Tensor = params[params.length - 1];
  return await timeSteps(() => opt.step(), () => last.narrow(0, 0, 1).item());
}

async function tfjs(backend: "webgpu" | "cpu"): Promise<number | string> {
  try {
    // NOTE: inline npm: specifiers keep deno.json untouched; the lead may map them there.
    // deno-lint-ignore no-import-prefix
    const tf = await import("npm:@tensorflow/tfjs-core@4.22.0");
    if (backend === "webgpu") {
      // deno-lint-ignore no-import-prefix
      await import("npm:@tensorflow/tfjs-backend-webgpu@4.22.0");
    } else {
      // deno-lint-ignore no-import-prefix
      await import("npm:@tensorflow/tfjs-backend-cpu@4.22.0");
    }
    if (!(await tf.setBackend(backend))) return "unavailable";
    await tf.ready();
    const vars = SHAPES.map((s, i) => tf.variable(tf.randomNormal(s), true, `${backend}_p${i}`));
    const grads = vars.map((v, i) => ({
      name: v.name,
      tensor: tf.mul(tf.randomNormal(SHAPES[i]), 0.01),
    }));
    const opt = tf.train.adam(1e-3);
    const last = vars[vars.length - 1];
    return await timeSteps(
      () => opt.applyGradients(grads),
      () => tf.slice(last, [0], [1]).data(),
    );
  } catch (e) {
    return `unavailable (${(e as Error).message.split("\n")[0]})`;
  }
}

let gpu = false;
try {
  const { initWebGPU } = await import("../src/backend/webgpu/mod.ts");
  await initWebGPU();
  gpu = true;
} catch (e) {
  console.log(`webgpu: not available (${(e as Error).message.split("\n")[0]})`);
}

const fmt = (v: number | string): string => typeof v === "number" ? `${v.toFixed(2)} ms` : v;
const rows: [string, number | string, number | string][] = [];
rows.push(["cpu", await denotorch("cpu"), await tfjs("cpu")]);
if (gpu) rows.push(["webgpu", await denotorch("webgpu"), await tfjs("webgpu")]);
console.log(`Adam step over ${SHAPES.length} CNN tensors, median of ${ITERS} steps`);
console.log("device  denotorch      tfjs           denotorch/tfjs");
for (const [dev, ours, theirs] of rows) {
  const ratio = typeof ours === "number" && typeof theirs === "number"
    ? (ours / theirs).toFixed(2) + "x"
    : "-";
  console.log(`${dev.padEnd(8)}${fmt(ours).padEnd(15)}${fmt(theirs).padEnd(15)}${ratio}`);
}

// One whole training step — forward, cross-entropy, backward, SGD (momentum 0.9) update and the
// loss read back — at batch 64 on 3×32×32 inputs, for two models:
//   cnn:   conv(3→32,3×3,pad 1)-ReLU-maxpool2 → conv(32→64,3×3,pad 1)-ReLU-maxpool2 → flatten
//          → linear(4096→128)-ReLU → linear(128→10)
//   lenet: the PyTorch tutorial LeNet, conv(3→6,5)-ReLU-maxpool2 → conv(6→16,5)-ReLU-maxpool2
//          → flatten → linear 400→120→84→10 with ReLUs
// side by side: denotorch (webgpu), TensorFlow.js (webgpu backend), jax-js (webgpu, jit) and
// PyTorch (CPU, tools/bench_pytorch_step.py through /usr/bin/python3 when torch imports).
// Medians of --iters steps after --warmup steps; ratios > 1 mean denotorch is faster.
//
//   deno run -A bench/train_step.ts [--iters 8] [--warmup 3] [--only denotorch,tfjs,jax,torch]
import { parseArgs } from "node:util";
import * as dt from "../mod.ts";
import { dispatchCount } from "../src/backend/webgpu/encoder.ts";

const args = parseArgs({
  options: {
    iters: { type: "string", default: "8" },
    warmup: { type: "string", default: "3" },
    only: { type: "string", default: "denotorch,tfjs,jax,torch" },
  },
});
const ITERS = Number(args.values.iters), WARMUP = Number(args.values.warmup);
const ONLY = new Set(args.values.only!.split(","));
const BATCH = 64, CLASSES = 10, LR = 0.01, MOMENTUM = 0.9;
type Model = "cnn" | "lenet";
const MODELS: Model[] = ["cnn", "lenet"];
type Result = number | string;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function timeSteps(step: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await step();
  const times: number[] = [];
  for (let i = 0; i < ITERS; i++) {
    const t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
  }
  return median(times);
}

function errText(e: unknown): string {
  return `n/a (${String((e as Error)?.message ?? e).split("\n")[0].slice(0, 60)})`;
}

// ---- denotorch ----

const dispatches = new Map<Model, number>();

function denoModel(m: Model): dt.nn.Sequential {
  const { nn } = dt;
  return m === "cnn"
    ? new nn.Sequential(
      new nn.Conv2d(3, 32, 3, { padding: 1 }),
      new nn.ReLU(),
      new nn.MaxPool2d(2),
      new nn.Conv2d(32, 64, 3, { padding: 1 }),
      new nn.ReLU(),
      new nn.MaxPool2d(2),
      new nn.Flatten(),
      new nn.Linear(4096, 128),
      new nn.ReLU(),
      new nn.Linear(128, CLASSES),
    )
    : new nn.Sequential(
      new nn.Conv2d(3, 6, 5),
      new nn.ReLU(),
      new nn.MaxPool2d(2),
      new nn.Conv2d(6, 16, 5),
      new nn.ReLU(),
      new nn.MaxPool2d(2),
      new nn.Flatten(),
      new nn.Linear(400, 120),
      new nn.ReLU(),
      new nn.Linear(120, 84),
      new nn.ReLU(),
      new nn.Linear(84, CLASSES),
    );
}

async function denotorch(m: Model): Promise<Result> {
  const dev = "webgpu";
  const model = denoModel(m).to(dev);
  const opt = new dt.optim.SGD(model.parameters(), { lr: LR, momentum: MOMENTUM });
  const crit = new dt.nn.CrossEntropyLoss();
  const x = dt.randn([BATCH, 3, 32, 32], { device: dev });
  const y = dt.randint(0, CLASSES, [BATCH], { device: dev });
  const step = async () => {
    const d0 = dispatchCount();
    const loss = dt.scope(() => {
      opt.zeroGrad();
      const l = crit.call(model.call(x), y);
      l.backward();
      opt.step();
      return l;
    });
    const v = await loss.item();
    dispatches.set(m, dispatchCount() - d0);
    loss.dispose();
    return v;
  };
  const ms = await timeSteps(step);
  x.dispose();
  y.dispose();
  return ms;
}

// ---- TensorFlow.js (webgpu) ----

// deno-lint-ignore no-explicit-any
let tfMod: any = null;
// deno-lint-ignore no-explicit-any
async function tfjsInit(): Promise<any> {
  if (tfMod) return tfMod;
  // deno-lint-ignore no-import-prefix -- peers stay out of deno.json (bench-only deps)
  const tf = await import("npm:@tensorflow/tfjs-core@4.22.0");
  // Under Deno the gradient registrations come from tfjs-layers' import side effects.
  // deno-lint-ignore no-import-prefix -- peers stay out of deno.json (bench-only deps)
  await import("npm:@tensorflow/tfjs-layers@4.22.0");
  // deno-lint-ignore no-import-prefix -- peers stay out of deno.json (bench-only deps)
  await import("npm:@tensorflow/tfjs-backend-webgpu@4.22.0");
  if (!(await tf.setBackend("webgpu"))) throw new Error("tf.setBackend('webgpu') failed");
  await tf.ready();
  return tfMod = tf;
}

async function tfjs(m: Model): Promise<Result> {
  const tf = await tfjsInit();
  // NHWC layout (tfjs' native one); weights are variables, the update is tf.train.momentum.
  const v = (shape: number[], name: string) =>
    tf.variable(tf.mul(tf.randomNormal(shape), 0.05), true, `${m}_${name}`);
  const convs = m === "cnn" ? [[3, 3, 32, "same"], [3, 32, 64, "same"]] : [[5, 3, 6, "valid"], [
    5,
    6,
    16,
    "valid",
  ]];
  const fcs = m === "cnn" ? [[4096, 128], [128, CLASSES]] : [[400, 120], [120, 84], [
    84,
    CLASSES,
  ]];
  const cw = convs.map(([k, ci, co], i) => [
    v([k as number, k as number, ci as number, co as number], `c${i}w`),
    v([co as number], `c${i}b`),
  ]);
  const fw = fcs.map(([i, o], j) => [v([i, o], `f${j}w`), v([o], `f${j}b`)]);
  const x = tf.randomNormal([BATCH, 32, 32, 3]);
  const y = tf.oneHot(tf.randomUniform([BATCH], 0, CLASSES, "int32"), CLASSES);
  const opt = tf.train.momentum(LR, MOMENTUM);
  const f = () => {
    let h = x;
    convs.forEach(([, , , pad], i) => {
      h = tf.relu(tf.add(tf.conv2d(h, cw[i][0], 1, pad), cw[i][1]));
      h = tf.maxPool(h, 2, 2, "valid");
    });
    h = tf.reshape(h, [BATCH, -1]);
    fw.forEach(([w, b], j) => {
      h = tf.add(tf.matMul(h, w), b);
      if (j < fw.length - 1) h = tf.relu(h);
    });
    return tf.losses.softmaxCrossEntropy(y, h);
  };
  const step = async () => {
    const loss = opt.minimize(f, true);
    const val = await loss.data();
    loss.dispose();
    return val;
  };
  return await timeSteps(step);
}

// ---- jax-js (webgpu, jit) ----

// deno-lint-ignore no-explicit-any
let jaxMod: any = null;

async function jaxjs(m: Model): Promise<Result> {
  if (!jaxMod) {
    // deno-lint-ignore no-import-prefix -- peers stay out of deno.json (bench-only deps)
    const jax = await import("npm:@jax-js/jax@0.1.25");
    const devs = await jax.init("webgpu");
    if (!devs.includes("webgpu")) throw new Error(`jax-js init gave ${devs.join(", ") || "none"}`);
    jax.defaultDevice("webgpu");
    jaxMod = jax;
  }
  const jax = jaxMod;
  const np = jax.numpy, lax = jax.lax;
  let seed = m === "cnn" ? 100 : 200;
  const normal = (shape: number[]) => jax.random.normal(jax.random.key(seed++), shape).mul(0.05);
  // NCHW activations, OIHW kernels.
  const convs: [number, number, number, "SAME" | "VALID"][] = m === "cnn"
    ? [[3, 32, 3, "SAME"], [32, 64, 3, "SAME"]]
    : [[3, 6, 5, "VALID"], [6, 16, 5, "VALID"]];
  const fcs = m === "cnn" ? [[4096, 128], [128, CLASSES]] : [[400, 120], [120, 84], [
    84,
    CLASSES,
  ]];
  let params = {
    c: convs.map(([ci, co, k]) => ({ w: normal([co, ci, k, k]), b: normal([1, co, 1, 1]) })),
    f: fcs.map(([i, o]) => ({ w: normal([i, o]), b: normal([o]) })),
  };
  let bufs = jax.tree.map((p: { shape: number[] }) => np.zeros(p.shape), jax.tree.ref(params));
  const x = normal([BATCH, 3, 32, 32]);
  const hot = Array.from(
    { length: BATCH },
    (_, i) => Array.from({ length: CLASSES }, (_, c) => (c === (i * 7) % CLASSES ? 1 : 0)),
  );
  const y = np.array(hot);
  // deno-lint-ignore no-explicit-any
  const lossFn = (p: any, xb: any, yb: any) => {
    let h = xb;
    convs.forEach(([, , , pad], i) => {
      h = jax.nn.relu(lax.conv(h, p.c[i].w, [1, 1], pad).add(p.c[i].b));
      const [n, c, hh, ww] = h.shape;
      h = np.max(h.reshape([n, c, hh / 2, 2, ww / 2, 2]), [3, 5]);
    });
    h = h.reshape([BATCH, -1]);
    p.f.forEach((l: { w: unknown; b: unknown }, j: number) => {
      h = np.matmul(h, l.w).add(l.b);
      if (j < p.f.length - 1) h = jax.nn.relu(h);
    });
    return np.mean(np.sum(jax.nn.logSoftmax(h, -1).mul(yb), -1)).mul(-1);
  };
  // deno-lint-ignore no-explicit-any
  const update = (p: any, b: any, xb: any, yb: any) => {
    const [loss, g] = jax.valueAndGrad(lossFn)(jax.tree.ref(p), xb, yb);
    // deno-lint-ignore no-explicit-any
    const nb = jax.tree.map((bb: any, gg: any) => bb.mul(MOMENTUM).add(gg), b, g);
    // deno-lint-ignore no-explicit-any
    const np2 = jax.tree.map((pp: any, bb: any) => pp.sub(bb.mul(LR)), p, jax.tree.ref(nb));
    return [loss, np2, nb];
  };
  let stepFn = update;
  try {
    stepFn = jax.jit(update);
  } catch { /* eager */ }
  const step = async () => {
    const [loss, p2, b2] = stepFn(params, bufs, x.ref, y.ref);
    params = p2;
    bufs = b2;
    return await loss.data();
  };
  return await timeSteps(step);
}

// ---- PyTorch (CPU) ----

async function torchCpu(): Promise<Record<Model, Result>> {
  const py = "/usr/bin/python3";
  const script = new URL("../tools/bench_pytorch_step.py", import.meta.url).pathname;
  try {
    await Deno.stat(py);
  } catch {
    const r = "skipped (no /usr/bin/python3)";
    return { cnn: r, lenet: r };
  }
  const out = await new Deno.Command(py, {
    args: [script, "--iters", String(Math.max(ITERS, 10)), "--warmup", String(WARMUP)],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr).trim().split("\n").at(-1) ?? "";
    const r = `skipped (${err.slice(0, 50)})`;
    console.log(`PyTorch: ${r}; install python3-torch for this column`);
    return { cnn: r, lenet: r };
  }
  const j = JSON.parse(new TextDecoder().decode(out.stdout));
  console.log(`PyTorch ${j.torch} CPU, ${j.threads} threads`);
  return { cnn: j.cnn, lenet: j.lenet };
}

// ---- run ----

const adapter = await navigator.gpu?.requestAdapter();
await dt.initWebGPU();
const cols: [string, (m: Model) => Promise<Result>][] = [];
if (ONLY.has("denotorch")) cols.push(["denotorch", denotorch]);
if (ONLY.has("tfjs")) cols.push(["tfjs-webgpu", tfjs]);
if (ONLY.has("jax")) cols.push(["jax-js", jaxjs]);
const table = new Map<string, Record<Model, Result>>();
for (const [name, fn] of cols) {
  const r = {} as Record<Model, Result>;
  for (const m of MODELS) {
    try {
      r[m] = await fn(m);
    } catch (e) {
      r[m] = errText(e);
    }
  }
  table.set(name, r);
}
if (ONLY.has("torch")) table.set("pytorch-cpu", await torchCpu());

console.log(
  `train step, batch ${BATCH}, SGD momentum; medians of ${ITERS} after ${WARMUP} warm-up; ` +
    `adapter: ${adapter?.info.description ?? "?"}`,
);
const fmt = (v: Result | undefined) =>
  typeof v === "number" ? `${v.toFixed(1)} ms` : String(v ?? "-");
const names = [...table.keys()];
console.log(["model", ...names, ...names.slice(1).map((n) => `${n}/denotorch`)].join(" | "));
for (const m of MODELS) {
  const ours = table.get("denotorch")?.[m];
  const vals = names.map((n) => table.get(n)![m]);
  const ratios = names.slice(1).map((n) => {
    const v = table.get(n)![m];
    return typeof v === "number" && typeof ours === "number" ? `${(v / ours).toFixed(2)}x` : "-";
  });
  console.log([m, ...vals.map(fmt), ...ratios].join(" | "));
}
if (dispatches.size) {
  console.log(
    "denotorch dispatches per step: " +
      [...dispatches].map(([m, n]) => `${m} ${n}`).join(", "),
  );
}

/**
 * Side-by-side op benchmark under one Deno and one WebGPU adapter: denotorch's webgpu backend,
 * TensorFlow.js's WebGPU backend and jax-js (WebGPU). Every timed region includes the readback.
 * Run: XDG_RUNTIME_DIR=/tmp deno run -A bench/ops.ts [--reps 5]
 */
import { parseArgs } from "node:util";
import { initWebGPU } from "../src/backend/webgpu/mod.ts";
import { randn, scope } from "../mod.ts";

const { values } = parseArgs({ args: Deno.args, options: { reps: { type: "string" } } });
const REPS = Number(values.reps ?? 5);

/** A benchmark row: what it measures and how its median time converts to the shown unit. */
interface Row {
  name: string;
  unit: string;
  /** Converts a median in ms to the displayed number. */
  score: (ms: number) => number;
  /** Whether larger scores are better. */
  higher: boolean;
}

/** One framework: runs row `name` once, resolving after the readback. */
type Runner = (name: string) => Promise<void>;

const MATMUL = [256, 512, 1024];
const rows: Row[] = [
  ...MATMUL.map((n): Row => ({
    name: `matmul ${n}`,
    unit: "GFLOP/s",
    score: (ms) => (2 * n ** 3) / (ms * 1e6),
    higher: true,
  })),
  { name: "1000 chained adds [1000]", unit: "µs/op", score: (ms) => ms, higher: false },
  { name: "sum 1M", unit: "ms", score: (ms) => ms, higher: false },
  { name: "softmax [4096,1000]", unit: "ms", score: (ms) => ms, higher: false },
];

async function median(run: () => Promise<void>): Promise<number> {
  await run(); // warm-up: pipeline compilation
  const ts: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    await run();
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  return ts[ts.length >> 1];
}

async function denotorch(): Promise<Runner> {
  await initWebGPU();
  const dev = { device: "webgpu" as const };
  const mats = new Map(MATMUL.map((n) => [n, [randn([n, n], dev), randn([n, n], dev)]]));
  const small = randn([1000], dev), big = randn([1_000_000], dev), sm = randn([4096, 1000], dev);
  return async (name) => {
    await scope(async () => {
      if (name.startsWith("matmul")) {
        const [a, b] = mats.get(Number(name.split(" ")[1]))!;
        await a.matmul(b).toArray();
      } else if (name.startsWith("1000")) {
        let y = small;
        for (let i = 0; i < 1000; i++) y = y.add(small);
        await y.toArray();
      } else if (name.startsWith("sum")) await big.sum().toArray();
      else await sm.softmax(-1).toArray();
    });
  };
}

async function tfjs(): Promise<Runner> {
  // deno-lint-ignore no-import-prefix -- peers stay out of deno.json (bench-only deps)
  const tf = await import("npm:@tensorflow/tfjs-core@4.22.0");
  // Under Deno the gradient registrations come from tfjs-layers' import side effects.
  // deno-lint-ignore no-import-prefix -- peers stay out of deno.json (bench-only deps)
  await import("npm:@tensorflow/tfjs-layers@4.22.0");
  // deno-lint-ignore no-import-prefix -- peers stay out of deno.json (bench-only deps)
  await import("npm:@tensorflow/tfjs-backend-webgpu@4.22.0");
  if (!(await tf.setBackend("webgpu"))) throw new Error("tf.setBackend('webgpu') failed");
  await tf.ready();
  const mats = new Map(MATMUL.map((n) => [n, [tf.randomNormal([n, n]), tf.randomNormal([n, n])]]));
  const small = tf.randomNormal([1000]), big = tf.randomNormal([1_000_000]);
  const sm = tf.randomNormal([4096, 1000]);
  return async (name) => {
    let out;
    if (name.startsWith("matmul")) {
      const [a, b] = mats.get(Number(name.split(" ")[1]))!;
      out = tf.matMul(a, b);
    } else if (name.startsWith("1000")) {
      out = tf.tidy(() => {
        let y = small;
        for (let i = 0; i < 1000; i++) y = tf.add(y, small);
        return y;
      });
    } else if (name.startsWith("sum")) out = tf.sum(big);
    else out = tf.softmax(sm);
    await out.data();
    out.dispose();
  };
}

async function jaxjs(): Promise<Runner> {
  // deno-lint-ignore no-import-prefix -- peers stay out of deno.json (bench-only deps)
  const jax = await import("npm:@jax-js/jax@0.1.25");
  const devs = await jax.init("webgpu");
  if (!devs.includes("webgpu")) throw new Error(`jax-js init gave ${devs.join(", ") || "none"}`);
  jax.defaultDevice("webgpu");
  const np = jax.numpy;
  const key = jax.random.key(0);
  const normal = (shape: number[]) => jax.random.normal(key.ref, shape);
  const mats = new Map(MATMUL.map((n) => [n, [normal([n, n]), normal([n, n])]]));
  const small = normal([1000]), big = normal([1_000_000]), sm = normal([4096, 1000]);
  return async (name) => {
    let out;
    if (name.startsWith("matmul")) {
      const [a, b] = mats.get(Number(name.split(" ")[1]))!;
      out = np.matmul(a.ref, b.ref);
    } else if (name.startsWith("1000")) {
      let y = small.ref;
      for (let i = 0; i < 1000; i++) y = y.add(small.ref);
      out = y;
    } else if (name.startsWith("sum")) out = np.sum(big.ref);
    else out = jax.nn.softmax(sm.ref, -1);
    await out.data();
  };
}

const frameworks: [string, () => Promise<Runner>][] = [
  ["denotorch", denotorch],
  ["tfjs-webgpu", tfjs],
  ["jax-js", jaxjs],
];

const results = new Map<string, Map<string, number | string>>();
for (const [fw, make] of frameworks) {
  const r = new Map<string, number | string>();
  results.set(fw, r);
  let run: Runner;
  try {
    run = await make();
  } catch (e) {
    for (const row of rows) r.set(row.name, `n/a: ${(e as Error).message.slice(0, 60)}`);
    continue;
  }
  for (const row of rows) {
    try {
      const ms = await median(() => run(row.name));
      // For the chain, ms per 1000 ops equals µs per op.
      r.set(row.name, row.score(ms));
    } catch (e) {
      r.set(row.name, `error: ${(e as Error).message.slice(0, 50)}`);
    }
  }
}

const adapter = await navigator.gpu.requestAdapter();
console.log(`adapter: ${adapter?.info.description}; Deno ${Deno.version.deno}; medians of ${REPS}`);
const names = frameworks.map(([n]) => n);
console.log(
  ["op", "unit", ...names, ...names.slice(1).map((n) => `dt/${n}`)].join(" | "),
);
for (const row of rows) {
  const vals = names.map((n) => results.get(n)!.get(row.name)!);
  const fmt = (v: number | string) => (typeof v === "number" ? v.toPrecision(4) : v);
  const ratios = vals.slice(1).map((v) => {
    const mine = vals[0];
    if (typeof v !== "number" || typeof mine !== "number") return "-";
    // Ratio > 1 means denotorch is better, whatever the unit's direction.
    return (row.higher ? mine / v : v / mine).toFixed(2) + "x";
  });
  console.log([row.name, row.unit, ...vals.map(fmt), ...ratios].join(" | "));
}

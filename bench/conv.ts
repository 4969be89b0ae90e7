// Conv2d forward and backward (input and weight gradients): denotorch on cpu and webgpu, side
// by side with TensorFlow.js WebGPU and jax-js (WebGPU) in the same run.
//
//   deno run -A bench/conv.ts [--iters 5] [--skip-cpu]
//
// Prints the median milliseconds per step and the speedup of denotorch-webgpu over the faster
// peer (best peer ms / denotorch ms; > 1 means denotorch is faster). Every timing includes a
// readback of one scalar, so queued GPU work is finished inside the timed region.
import { parseArgs } from "node:util";
import { Conv2d } from "../src/nn/conv.ts";
import { randn } from "../src/tensor/creation.ts";
import { hasBackend } from "../src/backend/registry.ts";
import { scope } from "../src/tensor/memory.ts";
import type { Device } from "../src/tensor/dtype.ts";

const args = parseArgs({
  args: Deno.args,
  options: { iters: { type: "string", default: "5" }, "skip-cpu": { type: "boolean" } },
});
const ITERS = Number(args.values.iters);

const CONFIGS: { name: string; x: [number, number, number, number]; cout: number }[] = [
  { name: "[64,3,32,32] -> 32ch 3x3 p1", x: [64, 3, 32, 32], cout: 32 },
  { name: "[64,32,16,16] -> 64ch 3x3 p1", x: [64, 32, 16, 16], cout: 64 },
];

async function median(fn: () => Promise<void>): Promise<number> {
  await fn(); // warm-up: pipelines, pools
  const ts: number[] = [];
  for (let i = 0; i < ITERS; i++) {
    const t0 = performance.now();
    await fn();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)];
}

async function denotorch(device: Device, c: typeof CONFIGS[number]): Promise<[number, number]> {
  const conv = new Conv2d(c.x[1], c.cout, 3, { padding: 1 }).to(device);
  const x = randn(c.x, { device, requiresGrad: true });
  const fwd = await median(() =>
    scope(async () => {
      await conv.call(x).sum().item();
    })
  );
  const bwd = await median(() =>
    scope(async () => {
      conv.zeroGrad();
      x.grad?.dispose();
      x.grad = null;
      conv.call(x).sum().backward();
      await conv.weight.grad!.sum().add(x.grad!.sum()).item();
    })
  );
  return [fwd, bwd];
}

// deno-lint-ignore no-explicit-any
type TF = any;

async function loadTfjs(): Promise<TF | null> {
  try {
    // deno-lint-ignore no-import-prefix
    const tf = await import("npm:@tensorflow/tfjs-core@4.22.0");
    // deno-lint-ignore no-import-prefix
    await import("npm:@tensorflow/tfjs-backend-webgpu@4.22.0");
    // deno-lint-ignore no-import-prefix
    await import("npm:@tensorflow/tfjs-layers@4.22.0");
    if (!(await tf.setBackend("webgpu"))) return null;
    await tf.ready();
    return tf;
  } catch (e) {
    console.log(`tfjs webgpu unavailable: ${(e as Error).message.split("\n")[0]}`);
    return null;
  }
}

async function tfjs(tf: TF, c: typeof CONFIGS[number]): Promise<[number, number]> {
  const [n, ch, h, w] = c.x;
  const x = tf.randomNormal([n, h, w, ch]); // NHWC: tfjs's native layout
  const f = tf.randomNormal([3, 3, ch, c.cout]);
  const b = tf.zeros([c.cout]);
  const conv = (xi: TF, fi: TF) => tf.add(tf.conv2d(xi, fi, 1, "same"), b);
  const grads = tf.grads((xi: TF, fi: TF) => tf.sum(conv(xi, fi)));
  const fwd = await median(async () => {
    const s = tf.tidy(() => tf.sum(conv(x, f)));
    await s.data();
    s.dispose();
  });
  const bwd = await median(async () => {
    const s = tf.tidy(() => {
      const [dx, df] = grads([x, f]);
      return tf.add(tf.sum(dx), tf.sum(df));
    });
    await s.data();
    s.dispose();
  });
  return [fwd, bwd];
}

async function loadJax(): Promise<TF | null> {
  try {
    // deno-lint-ignore no-import-prefix -- peers stay out of deno.json (bench-only deps)
    const jax = await import("npm:@jax-js/jax@0.1.25");
    const devs = await jax.init("webgpu");
    if (!devs.includes("webgpu")) return null;
    jax.defaultDevice("webgpu");
    return jax;
  } catch (e) {
    console.log(`jax-js webgpu unavailable: ${(e as Error).message.split("\n")[0]}`);
    return null;
  }
}

async function jaxjs(jax: TF, c: typeof CONFIGS[number]): Promise<[number, number]> {
  const np = jax.numpy;
  const key = jax.random.key(0);
  const x = jax.random.normal(key.ref, c.x); // NCHW, like denotorch
  const f = jax.random.normal(key.ref, [c.cout, c.x[1], 3, 3]);
  const b = np.zeros([1, c.cout, 1, 1]);
  const loss = (xi: TF, fi: TF) =>
    np.sum(np.add(jax.lax.conv(xi, fi, [1, 1], [[1, 1], [1, 1]]), b.ref));
  const grads = jax.grad(loss, { argnums: [0, 1] });
  const fwd = await median(async () => {
    await loss(x.ref, f.ref).data();
  });
  const bwd = await median(async () => {
    const [dx, df] = grads(x.ref, f.ref);
    await np.add(np.sum(dx), np.sum(df)).data();
  });
  return [fwd, bwd];
}

let gpu = false;
try {
  const spec = "../src/backend/webgpu/mod.ts";
  const m = await import(spec);
  await m.initWebGPU();
  gpu = hasBackend("webgpu");
} catch (e) {
  console.log(`denotorch webgpu unavailable: ${(e as Error).message.split("\n")[0]}`);
}
const tf = await loadTfjs();
const jx = await loadJax();

const fmt = (v: number | null) => (v === null ? "-" : v.toFixed(1));
console.log(
  `conv2d bench, median of ${ITERS} (ms); fwd = forward, f+b = forward + input/weight grads`,
);
console.log(
  [
    "config",
    "cpu fwd",
    "cpu f+b",
    "webgpu fwd",
    "webgpu f+b",
    "tfjs fwd",
    "tfjs f+b",
    "jax fwd",
    "jax f+b",
    "speedup fwd",
    "speedup f+b",
  ]
    .join(" | "),
);
for (const c of CONFIGS) {
  const cpu = args.values["skip-cpu"] ? null : await denotorch("cpu", c);
  const wg = gpu ? await denotorch("webgpu", c) : null;
  const t = tf ? await tfjs(tf, c) : null;
  const j = jx ? await jaxjs(jx, c) : null;
  const ratio = (i: number) => {
    const best = Math.min(t?.[i] ?? Infinity, j?.[i] ?? Infinity);
    return wg && best < Infinity ? (best / wg[i]).toFixed(2) + "x" : "-";
  };
  console.log(
    [
      c.name,
      fmt(cpu?.[0] ?? null),
      fmt(cpu?.[1] ?? null),
      fmt(wg?.[0] ?? null),
      fmt(wg?.[1] ?? null),
      fmt(t?.[0] ?? null),
      fmt(t?.[1] ?? null),
      fmt(j?.[0] ?? null),
      fmt(j?.[1] ?? null),
      ratio(0),
      ratio(1),
    ].join(" | "),
  );
}

/**
 * Where bench/conv.ts's time goes on this adapter, kernel by kernel:
 * - the forward, input-gradient and weight-gradient kernels of both bench configs, each timed as
 *   10 back-to-back calls and one readback of a tiny tensor, less that readback alone;
 * - the forward rows kernel of [64,3,32,32] → 32 run through raw WebGPU as generated and with
 *   parts removed (the output stores replaced by one store per lane of the sum of all
 *   accumulators, so that nothing is optimised away; then the loads replaced by values computed
 *   from their addresses), which separates multiply-adds, loads and stores;
 * - the transformed-domain products of Winograd F(2×2, 3×3) for [64,32,16,16] → 64: 16 batched
 *   [64,32] @ [32,4096] matmuls (the part of that algorithm that replaces the direct GEMM).
 * Run: XDG_RUNTIME_DIR=/tmp deno run -A bench/conv_breakdown.ts
 */
import { initWebGPU } from "../src/backend/webgpu/mod.ts";
import { genRows } from "../src/backend/webgpu/conv.ts";
import { gpu } from "../src/backend/webgpu/device.ts";
import { convParams } from "../src/ops/conv.ts";
import { backendOf, emptyTensor } from "../src/ops/dispatch.ts";
import { matmul } from "../src/ops/matmul.ts";
import { randn } from "../src/tensor/creation.ts";
import { scope } from "../src/tensor/memory.ts";

await initWebGPU();
const REP = 10;
const tiny = randn([4], { device: "webgpu" });

/** Milliseconds per call of `fn`: the fastest of 5 rounds of REP calls and one tiny readback. */
async function perCall(fn: () => void): Promise<number> {
  const round = async (n: number) => {
    const t0 = performance.now();
    await scope(async () => {
      for (let i = 0; i < n; i++) fn();
      await tiny.sum().item();
    });
    return performance.now() - t0;
  };
  await round(1);
  const floor = Math.min(await round(0), await round(0), await round(0));
  const ts: number[] = [];
  for (let r = 0; r < 5; r++) ts.push(await round(REP));
  return (Math.min(...ts) - floor) / REP;
}

console.log("kernel time per call, ms (fastest of 5 rounds of 10 calls)");
console.log("config | forward | dx | dW");
for (const [shape, cout] of [[[64, 3, 32, 32], 32], [[64, 32, 16, 16], 64]] as const) {
  const [N, C, H, W] = shape;
  const x = randn([...shape], { device: "webgpu" });
  const w = randn([cout, C, 3, 3], { device: "webgpu" });
  const gy = randn([N, cout, H, W], { device: "webgpu" });
  const p = convParams("conv2d", [H, W], [3, 3], { padding: 1 });
  const be = backendOf("conv2d", x);
  const y = emptyTensor([N, cout, H, W], "float32", "webgpu");
  const dx = emptyTensor([...shape], "float32", "webgpu");
  const dw = emptyTensor([cout, C, 3, 3], "float32", "webgpu");
  const f = await perCall(() => be.conv2d!(x, w, null, p, 1, y.storage));
  const d = await perCall(() => be.conv2dBackwardInput!(gy, w, p, 1, dx.storage));
  const g = await perCall(() => be.conv2dBackwardWeight!(x, gy, p, 1, dw.storage));
  console.log(`[${shape}] -> ${cout} | ${f.toFixed(1)} | ${d.toFixed(1)} | ${g.toFixed(1)}`);
}

// The rows forward kernel of [64,3,32,32] -> 32 (block 32 rows x 4 vec4, 4 lane groups), bound
// by hand; the uniform layout mirrors runRows() in src/backend/webgpu/conv.ts.
const { device } = gpu();
const [N, C, H, W, CO] = [64, 3, 32, 32, 32];
const blk = { tm: 32, nv: 4, lp: 4 };
const R = H * W, cols = (8 / blk.lp) * 4 * blk.nv;
const params = new Int32Array(32);
params.set([R, CO, cols / 4, 1, 3, 3, 1, 1, 1, 1, 1, 1, H, W, H, W, H, W, C, 0, 0]);
const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
const uni = device.createBuffer({ size: 128, usage: GPUBufferUsage.UNIFORM | usage });
device.queue.writeBuffer(uni, 0, params);
const bufs = [
  uni,
  ...[N * CO * R, 9 * 4 * cols, N * R * 4, 256].map((n) =>
    device.createBuffer({ size: n * 4, usage })
  ),
];

async function rawMs(code: string): Promise<number> {
  const module = device.createShaderModule({ code });
  const pipe = device.createComputePipeline({
    layout: "auto",
    compute: { module, entryPoint: "main" },
  });
  const entries = bufs.map((buffer, binding) => ({ binding, resource: { buffer } }));
  const bg = device.createBindGroup({ layout: pipe.getBindGroupLayout(0), entries });
  const go = async (count: number) => {
    const t0 = performance.now();
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipe);
    pass.setBindGroup(0, bg);
    for (let k = 0; k < count; k++) pass.dispatchWorkgroups(1, Math.ceil(R / (blk.tm * blk.lp)), N);
    pass.end();
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
    return (performance.now() - t0) / count;
  };
  await go(1);
  return Math.min(await go(5), await go(5), await go(5), await go(5), await go(5));
}

const src = genRows("f", blk);
const accs = [...src.matchAll(/var (acc\d+_\d+)/g)].map((m) => m[1]);
const keepBindings = "if (P.NR == 12345u) { C[0] = B4[0].x + S4[0].x + Bias[0]; }";
const oneStore = src.replace(
  /\n {2}if \(row0 \+ 0u < P\.R\)[\s\S]*$/,
  `\n  let tot = ${accs.join(" + ")};\n  ${keepBindings}\n` +
    `  C[(wid.z * 4096u + wid.y * 8u + lid.x) % 65536u] = tot.x + tot.y + tot.z + tot.w;\n}\n`,
);
const noLoads = oneStore
  .replace(/S4\[ad(\d+) \+ q\]/g, "vec4<f32>(f32(ad$1))")
  .replace(/B4\[br \+ (\d)u \* P\.O4 \+ lc(\d)\]/g, "vec4<f32>(f32(br + $1u + lc$2))");
if (oneStore === src || noLoads === oneStore) throw new Error("the rows kernel changed shape");
console.log("\nrows forward kernel, [64,3,32,32] -> 32, raw WebGPU, ms");
console.log(`as generated: ${(await rawMs(src)).toFixed(1)}`);
console.log(`one store per lane: ${(await rawMs(oneStore)).toFixed(1)}`);
console.log(`one store per lane, no loads: ${(await rawMs(noLoads)).toFixed(1)}`);

const a = randn([16, 64, 32], { device: "webgpu" }),
  b = randn([16, 32, 4096], { device: "webgpu" });
const wino = await perCall(() => matmul(a, b));
console.log(
  `\nWinograd F(2x2,3x3) products of [64,32,16,16] -> 64, [16,64,32] @ [16,32,4096]: ` +
    `${wino.toFixed(1)} ms (${((2 * 16 * 64 * 32 * 4096) / wino / 1e6).toFixed(1)} GFLOP/s)`,
);

/**
 * What bounds kernels on this WebGPU adapter, measured with raw WebGPU (no denotorch code):
 * - the loop limit: how many iterations one invocation's loops run before the driver stops
 *   them (llvmpipe: 65,535 in total per invocation, silently; see loopBudget() in
 *   src/backend/webgpu/device.ts);
 * - the cost of a storage-buffer vec4 load against a fused multiply-add, from three variants
 *   of the register-blocked matmul inner loop (16 rows × 8 columns per invocation, 128
 *   accumulators): no loads, the A loads only (one address per workgroup) and the B loads
 *   only (one vec4 per lane). On llvmpipe (Mesa 22.3) every load is a loop over the SIMD
 *   lanes with a bounds check per component, so loads, not multiply-adds, bound matmul and
 *   convolution there. A fifth variant reads A and B through textureLoad from rgba32float
 *   textures (the sampler's texel fetch, the only other load path) to show it is no way around.
 * Run: XDG_RUNTIME_DIR=/tmp deno run -A bench/adapter_limits.ts [--reps 5]
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({ args: Deno.args, options: { reps: { type: "string" } } });
const REPS = Number(values.reps ?? 5);

const adapter = await navigator.gpu.requestAdapter();
if (!adapter) throw new Error("no WebGPU adapter (install mesa-vulkan-drivers for llvmpipe)");
const device = await adapter.requestDevice();
const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

function pipeline(code: string): GPUComputePipeline {
  const module = device.createShaderModule({ code });
  return device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } });
}

/** Runs `count` dispatches of `pipe` over `bufs` and waits; returns the elapsed ms. */
async function time(
  pipe: GPUComputePipeline,
  bufs: (GPUBuffer | GPUTextureView)[],
  grid: [number, number],
  count: number,
): Promise<number> {
  const entries = bufs.map((b, binding) => ({
    binding,
    resource: b instanceof GPUBuffer ? { buffer: b } : b,
  }));
  const bg = device.createBindGroup({ layout: pipe.getBindGroupLayout(0), entries });
  const t0 = performance.now();
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipe);
  pass.setBindGroup(0, bg);
  for (let i = 0; i < count; i++) pass.dispatchWorkgroups(...grid);
  pass.end();
  device.queue.submit([enc.finish()]);
  await device.queue.onSubmittedWorkDone();
  return performance.now() - t0;
}

async function loopLimit(): Promise<number> {
  const out = device.createBuffer({ size: 4, usage });
  const pipe = pipeline(`
@group(0) @binding(0) var<storage, read_write> O: array<u32>;
@compute @workgroup_size(1)
fn main() {
  var n = 0u;
  for (var i = 0u; i < 100000u; i++) { n += 1u; }
  O[0] = n;
}`);
  await time(pipe, [out], [1, 1], 1);
  const stage = device.createBuffer({
    size: 4,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(out, 0, stage, 0, 4);
  device.queue.submit([enc.finish()]);
  await stage.mapAsync(GPUMapMode.READ);
  const n = new Uint32Array(stage.getMappedRange())[0];
  stage.unmap();
  return n;
}

const N = 1024, RM = 16, RNV = 2, WX = 8;

/**
 * The matmul inner loop; `loadA` / `loadB` choose loads or register-only stand-ins, `tex` reads
 * them from textures (A as [N, N/4] texels, B as [N, N/4]) instead of storage buffers.
 */
function kernel(loadA: boolean, loadB: boolean, tex = false): string {
  const L: string[] = [];
  const p = (s: string) => L.push(s);
  p(`@group(0) @binding(0) var<storage, read_write> C: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> A: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> B: array<vec4<f32>>;
${
    tex
      ? "@group(0) @binding(3) var TA: texture_2d<f32>;\n@group(0) @binding(4) var TB: texture_2d<f32>;"
      : ""
  }
@compute @workgroup_size(${WX})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let row0 = wid.y * ${RM}u;
  let fl = f32(lid.x);
  // Keeps every binding alive whatever the variant reads.
  if (fl < -1.0) { C[0] = A[0] + B[0]; }`);
  if (tex) {
    p(`  if (fl < -1.0) { C[1] = textureLoad(TA, vec2<u32>(0u), 0) + textureLoad(TB, vec2<u32>(0u), 0); }`);
  }
  for (let j = 0; j < RNV; j++) p(`  let c${j} = wid.x * ${WX * RNV}u + lid.x + ${WX * j}u;`);
  for (let i = 0; i < RM; i++) {
    for (let j = 0; j < RNV; j++) p(`  var acc${i}_${j} = vec4<f32>(0.0);`);
  }
  p(`  for (var k = 0u; k < ${N / 4}u; k++) {`);
  p(`    let fk = f32(k);`);
  for (let kk = 0; kk < 4; kk++) {
    for (let j = 0; j < RNV; j++) {
      p(
        loadB && tex
          ? `    let b${kk}_${j} = textureLoad(TB, vec2<u32>(c${j}, k * 4u + ${kk}u), 0);`
          : loadB
          ? `    let b${kk}_${j} = B[(k * 4u + ${kk}u) * ${N / 4}u + c${j}];`
          : `    let b${kk}_${j} = vec4<f32>(fl + fk, fl - fk, fl * ${kk + 1}.0, fk * ${j + 1}.0);`,
      );
    }
  }
  for (let i = 0; i < RM; i++) {
    p(
      loadA && tex
        ? `    let a${i} = textureLoad(TA, vec2<u32>(k, row0 + ${i}u), 0);`
        : loadA
        ? `    let a${i} = A[(row0 + ${i}u) * ${N / 4}u + k];`
        : `    let a${i} = vec4<f32>(fk * ${i + 1}.0, fk + ${i}.0, fk - ${i}.0, fk * 0.5);`,
    );
    for (let j = 0; j < RNV; j++) {
      const e = (c: string, kk: number, acc: string) =>
        `fma(vec4<f32>(a${i}.${c}), b${kk}_${j}, ${acc})`;
      p(`    acc${i}_${j} = ${e("w", 3, e("z", 2, e("y", 1, e("x", 0, `acc${i}_${j}`))))};`);
    }
  }
  p(`  }`);
  for (let i = 0; i < RM; i++) {
    for (let j = 0; j < RNV; j++) p(`  C[(row0 + ${i}u) * ${N / 4}u + c${j}] = acc${i}_${j};`);
  }
  p(`}`);
  return L.join("\n");
}

async function median(
  pipe: GPUComputePipeline,
  bufs: (GPUBuffer | GPUTextureView)[],
): Promise<number> {
  const grid: [number, number] = [N / (4 * RNV * WX), N / RM];
  await time(pipe, bufs, grid, 1); // compile and warm up
  const ts: number[] = [];
  for (let r = 0; r < REPS; r++) ts.push((await time(pipe, bufs, grid, 8)) / 8);
  ts.sort((a, b) => a - b);
  return ts[ts.length >> 1];
}

console.log(`adapter: ${adapter.info.description || adapter.info.vendor || "(unnamed)"}`);
console.log(`loop limit: one invocation ran ${await loopLimit()} of 100000 loop iterations`);
const bufs = [0, 1, 2].map(() => device.createBuffer({ size: N * N * 4, usage }));
const flop = 2 * N ** 3;
const rows: [string, number][] = [];
for (
  const [name, a, b] of [["no loads", false, false], ["A loads", true, false], [
    "B loads",
    false,
    true,
  ], ["A and B loads", true, true]] as const
) {
  const ms = await median(pipeline(kernel(a, b)), bufs);
  rows.push([name, ms]);
  console.log(
    `${name.padEnd(14)} ${ms.toFixed(1).padStart(7)} ms  ${(flop / ms / 1e6).toFixed(1)} GFLOP/s`,
  );
}
const texture = () =>
  device.createTexture({
    size: [N / 4, N],
    format: "rgba32float",
    usage: GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_DST,
  }).createView();
const texMs = await median(pipeline(kernel(true, true, true)), [...bufs, texture(), texture()]);
console.log(
  `${"A and B texels".padEnd(14)} ${texMs.toFixed(1).padStart(7)} ms  ` +
    `${(flop / texMs / 1e6).toFixed(1)} GFLOP/s (textureLoad instead of storage loads)`,
);
// Per 8-lane group and k-step of 4: RM A loads, 4·RNV B loads, 16·RM·RNV vec4 FMAs.
const steps = (N / RM) * (N / (4 * RNV * WX)) * (N / 4);
const per = (ms: number) => (ms * 1e6) / steps; // ns per k-step, both cores together
const base = per(rows[0][1]);
console.log(
  `per k-step: ${base.toFixed(1)} ns of ${16 * RM * RNV} vec4 FMAs; ` +
    `+${((per(rows[1][1]) - base) / RM).toFixed(2)} ns per A load, ` +
    `+${((per(rows[2][1]) - base) / (4 * RNV)).toFixed(2)} ns per B load`,
);

// Runs every benchmark in bench/ in sequence, each as its own subprocess (a fresh WebGPU
// device and heap per bench), passing extra arguments through: `deno task bench`.
//
//   deno run -A bench/run_all.ts [--only ops,train_step]
import { parseArgs } from "node:util";

const BENCHES = [
  "adapter_limits",
  "ops",
  "conv",
  "conv_breakdown",
  "optim",
  "data_pipeline",
  "train_step",
];
const args = parseArgs({ options: { only: { type: "string" } }, strict: false });
const only = typeof args.values.only === "string" ? new Set(args.values.only.split(",")) : null;
const failed: string[] = [];
for (const name of BENCHES) {
  if (only && !only.has(name)) continue;
  const file = new URL(`./${name}.ts`, import.meta.url).pathname;
  console.log(`\n=== bench/${name}.ts ===`);
  const t0 = performance.now();
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", file],
    stdout: "inherit",
    stderr: "inherit",
    env: { XDG_RUNTIME_DIR: Deno.env.get("XDG_RUNTIME_DIR") ?? "/tmp" },
  }).output();
  console.log(`=== ${name}: exit ${code}, ${((performance.now() - t0) / 1000).toFixed(1)} s ===`);
  if (code !== 0) failed.push(name);
}
if (failed.length) {
  console.log(`\nfailed: ${failed.join(", ")}`);
  Deno.exit(1);
}

// Workers must never keep the process alive: each scenario runs in a fresh
// `deno run` subprocess that has to exit by itself.
import { ok } from "node:assert/strict";

const src = new URL("../src/data/", import.meta.url).href;
const fixtures = new URL("./data_fixture_datasets.ts", import.meta.url).href;

async function runScript(body: string): Promise<{ code: number; out: string; ms: number }> {
  const file = await Deno.makeTempFile({ suffix: ".ts" });
  await Deno.writeTextFile(
    file,
    `import { DataLoader } from "${src}dataloader.ts";\nimport { RangeDataset } from "${fixtures}";\n${body}\n`,
  );
  const t0 = performance.now();
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", new URL("../deno.json", import.meta.url).pathname, file],
    stdout: "piped",
    stderr: "piped",
    env: { XDG_RUNTIME_DIR: "/tmp" },
  });
  const child = cmd.spawn();
  // A hung process is killed after 20 s and reported as a failure.
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const res = await child.output();
  clearTimeout(timer);
  await Deno.remove(file);
  const out = new TextDecoder().decode(res.stdout) + new TextDecoder().decode(res.stderr);
  return { code: res.code, out, ms: performance.now() - t0 };
}

Deno.test("DataLoader shutdown: process exits after breaking out of the loop", async () => {
  const r = await runScript(`
    const loader = new DataLoader(new RangeDataset(1000, { delayMs: 1 }), { batchSize: 4, numWorkers: 2 });
    let n = 0;
    for await (const _ of loader) { if (++n === 3) break; }
    console.log("broke after", n);
  `);
  ok(r.code === 0 && r.out.includes("broke after 3"), r.out);
});

Deno.test("DataLoader shutdown: process exits after the loop body throws", async () => {
  const r = await runScript(`
    const loader = new DataLoader(new RangeDataset(1000), { batchSize: 4, numWorkers: 2 });
    try {
      for await (const _ of loader) throw new Error("training failed");
    } catch (e) { console.log("caught", e.message); }
  `);
  ok(r.code === 0 && r.out.includes("caught training failed"), r.out);
});

Deno.test("DataLoader shutdown: process exits after a worker error", async () => {
  const r = await runScript(`
    const loader = new DataLoader(new RangeDataset(100, { failAt: 9 }), { batchSize: 4, numWorkers: 3 });
    try {
      for await (const _ of loader) { /* drain */ }
    } catch (e) { console.log("caught", e.message.split("\\n")[0]); }
  `);
  ok(
    r.code === 0 && r.out.includes("caught DataLoader worker") && r.out.includes("dataset index 9"),
    r.out,
  );
});

Deno.test("DataLoader shutdown: an uncaught worker error exits non-zero instead of hanging", async () => {
  const r = await runScript(`
    const loader = new DataLoader(new RangeDataset(100, { failAt: 0 }), { batchSize: 4, numWorkers: 2 });
    for await (const _ of loader) { /* drain */ }
  `);
  ok(r.code !== 0 && r.out.includes("dataset index 0"), r.out);
});

Deno.test("DataLoader shutdown: persistent workers end with close()", async () => {
  const r = await runScript(`
    const loader = new DataLoader(new RangeDataset(10), { batchSize: 4, numWorkers: 2, persistentWorkers: true });
    for (let e = 0; e < 2; e++) for await (const _ of loader) { /* epoch */ }
    await loader.close();
    console.log("closed");
  `);
  ok(r.code === 0 && r.out.includes("closed"), r.out);
});

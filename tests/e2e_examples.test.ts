// End to end: the examples a newcomer runs, in smoke versions, so the main job cannot rot.
// train_cifar.ts on a small subset of the real CIFAR-10 (cached in data/), then --resume,
// then predict.ts on its checkpoint; plus the regression and LSTM examples.
import { match as assertMatch, ok as assert } from "node:assert/strict";
import { CIFAR10 } from "../src/data/datasets/cifar10.ts";
import type { Image } from "../src/transforms/image.ts";
import { load } from "../src/io/mod.ts";
import type { Tensor } from "../src/tensor/tensor.ts";

const repo = new URL("../", import.meta.url).pathname;
const dataRoot = `${repo}data`;

async function run(args: string[]): Promise<string> {
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...args],
    cwd: repo,
    stdout: "piped",
    stderr: "piped",
    env: { XDG_RUNTIME_DIR: Deno.env.get("XDG_RUNTIME_DIR") ?? "/tmp" },
  });
  const { code, stdout, stderr } = await cmd.output();
  const out = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  assert(code === 0, `deno run ${args.join(" ")} exited with ${code}:\n${out}`);
  return out;
}

Deno.test({
  name: "e2e: train_cifar smoke run, --resume, then predict on its checkpoint",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await CIFAR10.create({ root: dataRoot, train: true, download: true });
    const tmp = await Deno.makeTempDir({ prefix: "denotorch-e2e-" });
    const common = [
      "examples/train_cifar.ts",
      "--subset",
      "320",
      "--batch-size",
      "32",
      "--workers",
      "2",
      "--max-steps",
      "3",
      "--data-dir",
      dataRoot,
      "--log-dir",
      `${tmp}/runs`,
      "--checkpoint-dir",
      `${tmp}/ck`,
    ];
    const first = await run([...common, "--epochs", "2", "--stop-after", "1"]);
    assertMatch(first, /epoch 1\/2: train loss [\d.]+, val loss [\d.]+, val acc [\d.]+%/);
    assert(!/epoch 2\/2: /.test(first), "--stop-after 1 stops after one epoch");
    assert((await Deno.stat(`${tmp}/ck/last.safetensors`)).isFile, "last checkpoint written");
    assert((await Deno.stat(`${tmp}/ck/best.safetensors`)).isFile, "best checkpoint written");
    const events = [...Deno.readDirSync(`${tmp}/runs`)].filter((e) =>
      e.name.startsWith("events.out.tfevents")
    );
    assert(events.length === 1, "one TensorBoard event file");

    const second = await run([...common, "--epochs", "2", "--resume"]);
    assertMatch(second, /resumed from .*last\.safetensors at epoch 1/);
    assertMatch(second, /epoch 2\/2: /);
    assert(!/epoch 1\/2: /.test(second), "the resumed run does not repeat epoch 1");

    // The resumed run ends with the same weights as one that never stopped.
    const uninterrupted = common.map((a) => a === `${tmp}/ck` ? `${tmp}/ck_full` : a);
    await run([...uninterrupted, "--epochs", "2"]);
    const resumed = await load(`${tmp}/ck/last.safetensors`, { mapLocation: "cpu" }) as {
      model: Record<string, Tensor>;
    };
    const full = await load(`${tmp}/ck_full/last.safetensors`, { mapLocation: "cpu" }) as {
      model: Record<string, Tensor>;
    };
    for (const [key, t] of Object.entries(full.model)) {
      const a = t.dataSync(), b = resumed.model[key].dataSync();
      for (let i = 0; i < a.length; i++) {
        assert(
          Math.abs(a[i] - b[i]) <= 1e-6,
          `${key}[${i}]: ${a[i]} (uninterrupted) vs ${b[i]} (resumed)`,
        );
      }
    }

    const test = new CIFAR10({ root: dataRoot, train: false });
    const [img] = test.getItem(0) as [Image, number];
    await Deno.writeFile(`${tmp}/cat.png`, await img.toPng());
    const pred = await run(["examples/predict.ts", `${tmp}/ck/best.safetensors`, `${tmp}/cat.png`]);
    assertMatch(pred, /cat\.png:/);
    const lines = pred.split("\n").filter((l) => /^\s+\w+\s+[\d.]+%$/.test(l));
    assert(lines.length === 5, `predict prints the top-5 classes:\n${pred}`);
    await Deno.remove(tmp, { recursive: true });
  },
});

Deno.test({
  name: "e2e: regression (MSELoss) and sequence (LSTM) examples reduce their loss",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const reg = await run(["examples/regression.ts", "--steps", "200"]);
    const regLoss = [...reg.matchAll(/mse ([\d.]+)/g)].map((m) => Number(m[1]));
    assert(
      regLoss.length >= 2 && regLoss.at(-1)! < regLoss[0],
      `regression loss falls: ${regLoss}`,
    );
    const seq = await run(["examples/sequence.ts", "--steps", "100"]);
    const seqLoss = [...seq.matchAll(/mse ([\d.]+)/g)].map((m) => Number(m[1]));
    assert(seqLoss.length >= 2 && seqLoss.at(-1)! < seqLoss[0], `LSTM loss falls: ${seqLoss}`);
  },
});

/**
 * Classifies image files with a trained CIFAR-10 checkpoint, printing the top-5 classes.
 *
 *   deno run -A examples/predict.ts checkpoints/best.safetensors cat.png [more.jpg | dir/ ...]
 */
import * as dt from "../mod.ts";
import { initWebGPU } from "../mod.ts";
import { buildModel, CIFAR10_CLASSES, CIFAR10_MEAN, CIFAR10_STD } from "./cifar_model.ts";

const { transforms: T } = dt;

const [ckptPath, ...targets] = Deno.args;
if (!ckptPath || !targets.length || ckptPath === "--help") {
  console.log("usage: deno run -A examples/predict.ts CHECKPOINT IMAGE_OR_DIR [...]");
  Deno.exit(ckptPath === "--help" ? 0 : 2);
}

let device: dt.Device = "cpu";
try {
  await initWebGPU();
  device = "webgpu";
} catch {
  // No adapter: the CPU backend serves inference just as well for a handful of images.
}

const ck = await dt.load(ckptPath, { mapLocation: device }) as Record<string, unknown>;
const model = buildModel().to(device);
model.loadStateDict(ck.model as Record<string, dt.Tensor>);
model.eval();

// The validation transforms: resize to the 32×32 the network was trained on, then normalise.
const transform = new T.Compose([
  new T.Resize([32, 32]),
  new T.ToTensor(),
  new T.Normalize(CIFAR10_MEAN, CIFAR10_STD),
]);

const files: string[] = [];
for (const t of targets) {
  const st = await Deno.stat(t);
  if (st.isDirectory) {
    const names: string[] = [];
    for await (const e of Deno.readDir(t)) {
      if (e.isFile && /\.(png|jpe?g)$/i.test(e.name)) names.push(`${t}/${e.name}`);
    }
    files.push(...names.sort());
  } else files.push(t);
}

for (const file of files) {
  const img = await T.Image.fromFile(file, { mode: "RGB" });
  const x = (transform.call(img) as dt.Tensor).unsqueeze(0).to(device);
  const probs = dt.noGrad(() => model.call(x).softmax(1));
  const p = Array.from(await probs.toArray() as Float32Array);
  const top = p.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]).slice(0, 5);
  console.log(`${file}:`);
  for (const [v, i] of top) {
    console.log(`  ${CIFAR10_CLASSES[i].padEnd(11)} ${(v * 100).toFixed(2)}%`);
  }
  x.dispose();
  probs.dispose();
}

// Images/s of the data pipelines, as a table of medians over several runs.
//
//   deno run -A bench/data_pipeline.ts [--runs 3] [--batches 30] [--workers 0,1,2]
//
// 1. CIFAR-10 training pipeline: RandomCrop(32, padding 4) + horizontal flip
//    + ToTensor + Normalize, batch 128, shuffled (downloads CIFAR-10 into
//    data/ on first use).
// 2. ImageFolder of JPEGs (a temporary tree of 320×240 images):
//    RandomResizedCrop(224) + flip + ToTensor + Normalize, batch 32.
//
// "steady" counts from the first batch to the last (worker start-up and the
// first batch excluded); "total" includes start-up.
import { parseArgs } from "node:util";
import { join } from "node:path";
import sharp from "sharp";
import { CIFAR10 } from "../src/data/datasets/cifar10.ts";
import { ImageFolder } from "../src/data/datasets/image_folder.ts";
import { Subset } from "../src/data/dataset.ts";
import { DataLoader } from "../src/data/dataloader.ts";
import type { MapDataset } from "../src/data/dataset.ts";
import * as T from "../src/transforms/mod.ts";
import type { Tensor } from "../src/tensor/tensor.ts";

const args = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "3" },
    batches: { type: "string", default: "30" },
    workers: { type: "string", default: "0,1,2" },
    "jpeg-images": { type: "string", default: "192" },
  },
});
const runs = Number(args.values.runs);
const batches = Number(args.values.batches);
const workerCounts = args.values.workers!.split(",").map(Number);

interface Result {
  steady: number;
  total: number;
  startupMs: number;
}

async function measure(ds: MapDataset, batchSize: number, numWorkers: number): Promise<Result> {
  const loader = new DataLoader<[Tensor, Tensor]>(ds, {
    batchSize,
    shuffle: true,
    numWorkers,
    dropLast: true,
  });
  const t0 = performance.now();
  let first = 0, images = 0, firstImages = 0;
  for await (const [x, y] of loader) {
    images += x.shape[0];
    x.dispose();
    y.dispose();
    if (first === 0) {
      first = performance.now();
      firstImages = images;
    }
  }
  const end = performance.now();
  return {
    steady: (images - firstImages) / ((end - first) / 1000),
    total: images / ((end - t0) / 1000),
    startupMs: first - t0,
  };
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const rows: string[][] = [];
async function bench(name: string, ds: MapDataset, batchSize: number): Promise<void> {
  for (const w of workerCounts) {
    const rs: Result[] = [];
    for (let r = 0; r < runs; r++) rs.push(await measure(ds, batchSize, w));
    rows.push([
      name,
      String(w),
      median(rs.map((r) => r.steady)).toFixed(0),
      median(rs.map((r) => r.total)).toFixed(0),
      median(rs.map((r) => r.startupMs)).toFixed(0),
    ]);
    console.error(`done: ${name} numWorkers=${w}`);
  }
}

const normalize = new T.Normalize([0.4914, 0.4822, 0.4465], [0.247, 0.243, 0.261]);

// 1. CIFAR-10
const cifar = await CIFAR10.create({
  root: new URL("../data/", import.meta.url).pathname,
  download: true,
  transform: new T.Compose([
    new T.RandomCrop(32, { padding: 4 }),
    new T.RandomHorizontalFlip(),
    new T.ToTensor(),
    normalize,
  ]),
});
const nCifar = Math.min(cifar.length, 128 * batches);
await bench(
  `CIFAR-10 crop+flip+norm, batch 128 (${nCifar} imgs)`,
  new Subset(cifar, Array.from({ length: nCifar }, (_, i) => i)),
  128,
);

// 2. ImageFolder JPEGs
const root = await Deno.makeTempDir({ prefix: "bench-jpeg-" });
try {
  const n = Number(args.values["jpeg-images"]);
  for (let i = 0; i < n; i++) {
    const cls = join(root, `class${i % 4}`);
    await Deno.mkdir(cls, { recursive: true });
    // Smooth gradients plus noise: realistic JPEG sizes and decode cost.
    const w = 320, h = 240;
    const px = new Uint8Array(w * h * 3);
    for (let y = 0, k = 0; y < h; y++) {
      for (let x = 0; x < w; x++, k += 3) {
        px[k] = (x + i * 7) & 255;
        px[k + 1] = (y * 2 + i) & 255;
        px[k + 2] = ((x ^ y) + Math.random() * 40) & 255;
      }
    }
    await Deno.writeFile(
      join(cls, `img${i}.jpg`),
      await sharp(px, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 90 })
        .toBuffer(),
    );
  }
  const folder = new ImageFolder({
    root,
    transform: new T.Compose([
      new T.RandomResizedCrop(224),
      new T.RandomHorizontalFlip(),
      new T.ToTensor(),
      new T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    ]),
  });
  await bench(`ImageFolder JPEG 320x240 RandomResizedCrop(224), batch 32 (${n} imgs)`, folder, 32);
} finally {
  await Deno.remove(root, { recursive: true });
}

const head = ["pipeline", "numWorkers", "images/s (steady)", "images/s (total)", "first batch ms"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: string[]): string =>
  "| " + r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ") + " |";
console.log(
  `\nData pipeline throughput (median of ${runs} runs, ${navigator.hardwareConcurrency} CPUs)\n`,
);
console.log(line(head));
console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
for (const r of rows) console.log(line(r));

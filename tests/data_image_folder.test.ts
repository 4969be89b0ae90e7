// ImageFolder on a generated tree, and the CIFAR-10 / ImageFolder pipelines
// through workers matching the main-thread results.
import { deepStrictEqual as eq, ok, rejects, throws } from "node:assert/strict";
import { join } from "node:path";
import { ImageFolder } from "../src/data/datasets/image_folder.ts";
import { DataLoader } from "../src/data/dataloader.ts";
import type { Image } from "../src/transforms/image.ts";
import * as T from "../src/transforms/mod.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import sharp from "sharp";

async function makeTree(): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "imgfolder-" });
  const files: Record<string, [number, number, number]> = {
    "dog/b.png": [10, 20, 30],
    "dog/a.jpg": [200, 100, 0],
    "cat/z.PNG": [1, 2, 3],
    "cat/sub/x.png": [4, 5, 6],
    "cat/notes.txt": [0, 0, 0],
    "bird/only.jpeg": [7, 8, 9],
  };
  for (const [rel, [r, g, b]] of Object.entries(files)) {
    const path = join(root, rel);
    await Deno.mkdir(join(path, ".."), { recursive: true });
    if (rel.endsWith(".txt")) {
      await Deno.writeTextFile(path, "not an image");
      continue;
    }
    const img = sharp({ create: { width: 12, height: 10, channels: 3, background: { r, g, b } } });
    await Deno.writeFile(
      path,
      rel.toLowerCase().endsWith("png") ? await img.png().toBuffer() : await img.jpeg().toBuffer(),
    );
  }
  return root;
}

Deno.test("ImageFolder: classes sorted, samples ordered like torchvision, RGB decode + transforms", async () => {
  const root = await makeTree();
  try {
    const ds = new ImageFolder({ root });
    eq(ds.classes, ["bird", "cat", "dog"]);
    eq(ds.classToIdx, { bird: 0, cat: 1, dog: 2 });
    eq(ds.samples.map(([p, c]) => [p.slice(root.length + 1), c]), [
      ["bird/only.jpeg", 0],
      ["cat/z.PNG", 1],
      ["cat/sub/x.png", 1],
      ["dog/a.jpg", 2],
      ["dog/b.png", 2],
    ]);
    const [img, y] = await ds.getItem(2) as [Image, number];
    eq(y, 1);
    eq([img.height, img.width, img.channels], [10, 12, 3]);
    eq(Array.from(img.data.subarray(0, 3)), [4, 5, 6]);
    const tds = new ImageFolder({
      root,
      transform: new T.Compose([new T.Resize([4, 4]), new T.ToTensor()]),
    });
    const [t] = await tds.getItem(0) as [Tensor, number];
    eq(t.shape, [3, 4, 4]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("ImageFolder: missing root, no classes, empty class, corrupt file named", async () => {
  throws(
    () => new ImageFolder({ root: "/nonexistent/dir" }),
    /cannot read directory \/nonexistent\/dir/,
  );
  const root = await Deno.makeTempDir();
  try {
    throws(() => new ImageFolder({ root }), /couldn't find any class folder/);
    await Deno.mkdir(join(root, "a"));
    await Deno.mkdir(join(root, "b"));
    await Deno.writeFile(join(root, "a", "broken.png"), new Uint8Array([137, 80, 78, 71, 1, 2, 3]));
    throws(() => new ImageFolder({ root }), /no valid file for the classes b/);
    await Deno.writeTextFile(join(root, "b", "x.jpg"), "garbage");
    const ds = new ImageFolder({ root });
    await rejects(ds.getItem(0), /cannot decode .*a\/broken\.png/);
    await rejects(
      (async () => {
        for await (const _ of new DataLoader(ds, { batchSize: 2, numWorkers: 1 })) { /* drain */ }
      })(),
      /dataset index 0.*cannot decode .*broken\.png/s,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("ImageFolder pipeline: workers give the same batches as the main thread", async () => {
  const root = await makeTree();
  try {
    const ds = new ImageFolder({
      root,
      transform: new T.Compose([
        new T.CenterCrop(8),
        new T.ToTensor(),
        new T.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]),
      ]),
    });
    const collect = async (numWorkers: number): Promise<number[][]> => {
      const out: number[][] = [];
      for await (
        const [x, y] of new DataLoader<[Tensor, Tensor]>(ds, { batchSize: 2, numWorkers })
      ) {
        eq(x.shape.slice(1), [3, 8, 8]);
        out.push([...Array.from(y.dataSync()), ...Array.from(x.dataSync())]);
      }
      return out;
    };
    const a = await collect(0);
    eq(a.length, 3);
    eq(await collect(2), a);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test({
  name: "CIFAR10 training pipeline through workers (needs data/ from data_cifar10.test.ts)",
  ignore: !(() => {
    try {
      return Deno.statSync(new URL("../data/cifar-10-batches-bin/test_batch.bin", import.meta.url))
        .size === 30730000;
    } catch {
      return false;
    }
  })(),
  fn: async () => {
    const { CIFAR10 } = await import("../src/data/datasets/cifar10.ts");
    const { Subset } = await import("../src/data/dataset.ts");
    const { Generator } = await import("../src/tensor/random.ts");
    const ds = new Subset(
      new CIFAR10({
        root: new URL("../data/", import.meta.url).pathname,
        train: false,
        transform: new T.Compose([
          new T.RandomCrop(32, { padding: 4 }),
          new T.RandomHorizontalFlip(),
          new T.ToTensor(),
          new T.Normalize([0.4914, 0.4822, 0.4465], [0.247, 0.243, 0.261]),
        ]),
      }),
      Array.from({ length: 300 }, (_, i) => i),
    );
    const run = async (numWorkers: number): Promise<{ labels: number[]; sums: number[] }> => {
      const labels: number[] = [], sums: number[] = [];
      const loader = new DataLoader<[Tensor, Tensor]>(ds, {
        batchSize: 64,
        shuffle: true,
        numWorkers,
        generator: new Generator(11),
      });
      for await (const [x, y] of loader) {
        eq(x.shape.slice(1), [3, 32, 32]);
        labels.push(...Array.from(y.dataSync()));
        sums.push(Array.from(x.dataSync()).reduce((a, b) => a + b, 0));
      }
      return { labels, sums };
    };
    const w2 = await run(2);
    eq(w2.labels.length, 300);
    const again = await run(2);
    eq(again, w2, "same seed, same workers → identical augmented batches");
    const main = await run(0);
    eq(main.labels, w2.labels, "same order as the main thread");
    ok(main.sums.join() !== w2.sums.join(), "augmentations come from per-worker seeds");
  },
});

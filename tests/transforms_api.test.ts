// Transform classes: composition, seeded randomness, type errors, toString,
// worker specs, and the Image codec.
import { deepStrictEqual as eq, ok, rejects, throws } from "node:assert/strict";
import * as T from "../src/transforms/mod.ts";
import { Image } from "../src/transforms/image.ts";
import { Generator } from "../src/tensor/random.ts";
import { tensor } from "../src/tensor/creation.ts";
import { Tensor } from "../src/tensor/tensor.ts";
import { buildFromSpec } from "../src/data/spec.ts";

function ramp(h: number, w: number, c = 3): Image {
  const img = Image.zeros(h, w, c);
  for (let i = 0; i < img.data.length; i++) img.data[i] = (i * 13) & 255;
  return img;
}

Deno.test("ToTensor + Normalize give CHW float32 tensors", () => {
  const img = ramp(4, 5);
  const t = new T.ToTensor().call(img);
  ok(t instanceof Tensor);
  eq(t.shape, [3, 4, 5]);
  eq(t.dtype, "float32");
  const v = t.dataSync();
  eq(
    v[1],
    img.data[3] / 255 === Math.fround(img.data[3] / 255) ? v[1] : Math.fround(img.data[3] / 255),
  );
  eq(v[20], Math.fround(img.data[1] / 255)); // channel 1, pixel 0
  const n = new T.Normalize([0.5, 0.5, 0.5], [0.25, 0.5, 1]).call(t);
  eq(n.shape, [3, 4, 5]);
  eq(n.dataSync()[0], Math.fround((v[0] - 0.5) / 0.25));
  // batched input [N, C, H, W] also works
  const b = new T.Normalize([0.5], [0.5]).call(
    tensor(new Float32Array(2 * 3 * 2 * 2).fill(1), { shape: [2, 3, 2, 2] }),
  );
  eq(Array.from(b.dataSync()), new Array(24).fill(1));
});

Deno.test("Compose applies in order and prints like torchvision", () => {
  const tf = new T.Compose([
    new T.CenterCrop(2),
    new T.ToTensor(),
    new T.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]),
  ]);
  const out = tf.call(ramp(6, 6)) as Tensor;
  eq(out.shape, [3, 2, 2]);
  eq(
    tf.toString(),
    "Compose(\n    CenterCrop(size=(2, 2))\n    ToTensor()\n    Normalize(mean=[0.5, 0.5, 0.5], std=[0.5, 0.5, 0.5])\n)",
  );
  eq(new T.Lambda((x: number) => x * 2).call(21), 42);
});

Deno.test("transforms given the wrong type throw naming the transform and the type", () => {
  const cases: [{ call(x: unknown): unknown }, RegExp][] = [
    [new T.ToTensor() as never, /ToTensor: expected an Image, got Float32Array/],
    [new T.Resize(4) as never, /Resize: expected an Image, got Float32Array/],
    [new T.CenterCrop(4) as never, /CenterCrop: expected an Image, got Float32Array/],
    [new T.RandomCrop(4) as never, /RandomCrop: expected an Image, got Float32Array/],
    [new T.RandomResizedCrop(4) as never, /RandomResizedCrop: expected an Image, got Float32Array/],
    [
      new T.RandomHorizontalFlip() as never,
      /RandomHorizontalFlip: expected an Image, got Float32Array/,
    ],
    [new T.ColorJitter(0.1) as never, /ColorJitter: expected an Image, got Float32Array/],
  ];
  for (const [t, re] of cases) throws(() => t.call(new Float32Array(3)), re);
  throws(
    () => new T.Normalize([0], [1]).call(ramp(2, 2) as never),
    /Normalize: expected a float32 Tensor.*got Image/,
  );
  throws(
    () => new T.Normalize([0, 0], [1, 1]).call(tensor(new Float32Array(12), { shape: [3, 2, 2] })),
    /mean has 2 values but the tensor has 3 channels/,
  );
  throws(() => new T.Normalize([0], [0]), /std evaluated to zero/);
  throws(() => new T.Resize(0), /Resize: size must be a positive integer/);
  throws(() => new T.RandomCrop(4, { padding: -1 }), /padding must be a non-negative integer/);
  throws(() => new T.RandomCrop(40).call(ramp(8, 8)), /larger than the \(padded\) input size/);
  throws(() => new T.ColorJitter(0, 0, 0, 0.7), /hue values should be between/);
});

Deno.test("random transforms: a seed reproduces, different seeds differ", () => {
  const img = ramp(32, 32);
  const run = (seed: number): number[] => {
    const g = new Generator(seed);
    const tf = new T.Compose([
      new T.RandomCrop(32, { padding: 4, generator: g }),
      new T.RandomHorizontalFlip(0.5, { generator: g }),
      new T.ColorJitter(0.4, 0.4, 0.4, 0.1, { generator: g }),
      new T.RandomResizedCrop(16, { generator: g }),
    ]);
    return Array.from(
      { length: 5 },
      () => (tf.call(img) as Image).data.reduce((a, b) => (a * 31 + b) >>> 0, 7),
    );
  };
  eq(run(1), run(1));
  ok(run(1).join() !== run(2).join());
  // Module-level default generator via manualSeed.
  T.manualSeed(3);
  const a = (new T.RandomCrop(24).call(img) as Image).data.slice();
  T.manualSeed(3);
  eq((new T.RandomCrop(24).call(img) as Image).data, a);
  // SeededRandom works as a generator too.
  const s1 = new T.RandomCrop(24, { generator: new T.SeededRandom(9) }).call(img);
  const s2 = new T.RandomCrop(24, { generator: new T.SeededRandom(9) }).call(img);
  eq(s1.data, s2.data);
});

Deno.test("RandomCrop options: padIfNeeded, fill, paddingMode; flips with p=0/1", () => {
  const img = ramp(5, 6);
  const c = new T.RandomCrop([9, 8], { padIfNeeded: true, fill: 7 }).call(img);
  eq([c.height, c.width], [9, 8]);
  const r = new T.RandomCrop(5, { padding: 2, paddingMode: "reflect" }).call(img);
  eq([r.height, r.width], [5, 5]);
  eq(new T.RandomHorizontalFlip(1).call(img).data, T.hflip(img).data);
  eq(new T.RandomHorizontalFlip(0).call(img), img);
  eq(new T.RandomVerticalFlip(1).call(img).data, T.vflip(img).data);
  // Exact parity of padCrop with explicit pad + crop (the fused path).
  eq(
    T.padCrop(img, { left: 4, top: 4, right: 4, bottom: 4 }, 3, 5, 6, 7).data,
    T.crop(T.pad(img, T.parsePadding(4, "t")), 3, 5, 6, 7).data,
  );
});

Deno.test("RandomResizedCrop params stay inside the image and respect the output size", () => {
  const g = new T.SeededRandom(1);
  for (let k = 0; k < 200; k++) {
    const [i, j, h, w] = T.randomResizedCropParams(g, 30, 50, [0.08, 1], [3 / 4, 4 / 3]);
    ok(i >= 0 && j >= 0 && h > 0 && w > 0 && i + h <= 30 && j + w <= 50);
  }
  const out = new T.RandomResizedCrop([10, 12]).call(ramp(30, 50));
  eq([out.height, out.width, out.channels], [10, 12, 3]);
});

Deno.test("built-in transforms rebuild from their worker spec; Lambda refuses", async () => {
  const tf = new T.Compose([
    new T.RandomCrop(32, { padding: 4 }),
    new T.RandomHorizontalFlip(),
    new T.ToTensor(),
    new T.Normalize([0.1, 0.2, 0.3], [1, 2, 3]),
  ]);
  const rebuilt = await buildFromSpec(tf.workerSpec()) as T.Compose;
  eq(rebuilt.toString(), tf.toString());
  throws(
    () => new T.Compose([new T.Lambda((x: unknown) => x)]).workerSpec(),
    /Lambda has no workerSpec\(\)/,
  );
  throws(
    () => new T.Compose([(x: unknown) => x]).workerSpec(),
    /a function cannot be sent to a DataLoader worker/,
  );
});

Deno.test("Image: PNG round trip, corrupt and truncated files named in errors", async () => {
  const img = ramp(7, 9);
  const png = await img.toPng();
  const back = await Image.fromBuffer(png);
  eq(back.data, img.data);
  eq(back.toString(), "Image(7x9x3)");
  const gray = await Image.fromBuffer(await ramp(3, 4, 1).toPng(), { mode: "unchanged" });
  eq(gray.channels, 1);
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/trunc.png`, png.subarray(0, png.length - 30));
    await rejects(Image.fromFile(`${dir}/trunc.png`), /cannot decode .*trunc\.png/);
    await Deno.writeFile(`${dir}/junk.jpg`, new TextEncoder().encode("not an image"));
    await rejects(Image.fromFile(`${dir}/junk.jpg`), /cannot decode .*junk\.jpg/);
    await rejects(Image.fromFile(`${dir}/missing.png`), /cannot read .*missing\.png/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  throws(() => new Image(new Uint8Array(5), 2, 2, 3), /data has 5 bytes, expected 2×2×3 = 12/);
});

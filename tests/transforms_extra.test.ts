// The transforms added beside the originals: random parameter ranges and
// probabilities (statistically), draws that follow torchvision's order,
// errors that name the transform, reprs, worker specs, and Image/tensor
// agreement. Numeric parity with torchvision is in
// transforms_extra_torchvision.test.ts.
import { deepStrictEqual as eq, ok, throws } from "node:assert/strict";
import * as T from "../src/transforms/mod.ts";
import { functional as F } from "../src/transforms/mod.ts";
import { Image } from "../src/transforms/image.ts";
import type { RandomSource } from "../src/transforms/random.ts";
import { applyAugmentOp, posterizeBits } from "../src/transforms/autoaugment.ts";
import { linspaceF32 } from "../src/transforms/numeric.ts";
import { tensor } from "../src/tensor/creation.ts";
import { Tensor } from "../src/tensor/tensor.ts";
import { buildFromSpec } from "../src/data/spec.ts";

function ramp(h: number, w: number, c = 3): Image {
  const img = Image.zeros(h, w, c);
  for (let i = 0; i < img.data.length; i++) img.data[i] = (i * 37 + (i >> 3)) & 255;
  return img;
}

function chw(img: Image): Tensor {
  return F.toTensor(img);
}

/** A random source that replays the given draws, to check what a transform does with each. */
class Script implements RandomSource {
  #values: number[];
  constructor(values: number[]) {
    this.#values = [...values];
  }
  random(): number {
    const v = this.#values.shift();
    if (v === undefined) throw new Error("Script: out of draws");
    return v;
  }
  get left(): number {
    return this.#values.length;
  }
}

/** k successes in n trials are consistent with probability p (5 standard deviations). */
function assertRate(k: number, n: number, p: number, what: string): void {
  const sd = Math.sqrt(n * p * (1 - p));
  ok(Math.abs(k - n * p) <= 5 * sd + 1, `${what}: ${k}/${n} is not consistent with p=${p}`);
}

function sameImage(a: Image, b: Image): boolean {
  return a.height === b.height && a.width === b.width && a.channels === b.channels &&
    a.data.every((v, i) => v === b.data[i]);
}

/** Values in [60, 140) with an uneven histogram, so every tone op changes something. */
function narrow(h: number, w: number): Image {
  const img = Image.zeros(h, w, 3);
  for (let i = 0; i < img.data.length; i++) img.data[i] = 60 + ((i * i * 7 + i) % 80);
  return img;
}

Deno.test("probability-p transforms apply at rate p, never at 0 and always at 1", () => {
  const img = narrow(20, 20);
  const makers: [string, (p: number, g: T.SeededRandom) => { call(x: Image): Image }][] = [
    ["RandomGrayscale", (p, g) => new T.RandomGrayscale(p, { generator: g })],
    ["RandomInvert", (p, g) => new T.RandomInvert(p, { generator: g })],
    ["RandomPosterize", (p, g) => new T.RandomPosterize(2, p, { generator: g })],
    ["RandomSolarize", (p, g) => new T.RandomSolarize(100, p, { generator: g })],
    ["RandomAdjustSharpness", (p, g) => new T.RandomAdjustSharpness(3, p, { generator: g })],
    ["RandomAutocontrast", (p, g) => new T.RandomAutocontrast(p, { generator: g })],
    ["RandomEqualize", (p, g) => new T.RandomEqualize(p, { generator: g })],
    ["RandomPerspective", (p, g) => new T.RandomPerspective(0.9, p, { generator: g })],
    ["RandomApply", (p, g) => new T.RandomApply([T.functional.invert], p, { generator: g })],
  ];
  for (const [name, make] of makers) {
    for (const p of [0, 1, 0.3]) {
      const t = make(p, new T.SeededRandom(17));
      let changed = 0;
      const n = p === 0.3 ? 1500 : 200;
      for (let k = 0; k < n; k++) if (!sameImage(t.call(img), img)) changed++;
      if (p === 0) eq(changed, 0, `${name}(p=0) changed the image`);
      else if (p === 1) eq(changed, n, `${name}(p=1) left the image unchanged`);
      else assertRate(changed, n, p, name);
    }
  }
});

Deno.test("RandomErasing: rate p, region inside the image with area and aspect in range", () => {
  const x = tensor(new Float32Array(3 * 40 * 50).fill(0.5), { shape: [3, 40, 50] });
  const g = new T.SeededRandom(3);
  const t = new T.RandomErasing(0.4, { value: [1, 2, 3], generator: g });
  let erased = 0;
  const n = 1500;
  for (let k = 0; k < n; k++) {
    const out = t.call(x);
    const d = out.dataSync();
    if (out === x) continue;
    erased++;
    // The erased region is one rectangle holding the per-channel values.
    let y0 = 40, y1 = -1, x0 = 50, x1 = -1, count = 0;
    for (let i = 0; i < 40 * 50; i++) {
      if (d[i] !== 1) continue;
      count++;
      const yy = Math.floor(i / 50), xx = i % 50;
      y0 = Math.min(y0, yy), y1 = Math.max(y1, yy), x0 = Math.min(x0, xx), x1 = Math.max(x1, xx);
      eq([d[2000 + i], d[4000 + i]], [2, 3]);
    }
    const h = y1 - y0 + 1, w = x1 - x0 + 1;
    eq(count, h * w);
    ok(h < 40 && w < 50);
  }
  assertRate(erased, n, 0.4, "RandomErasing");
  // The parameters themselves: area fraction within scale (up to rounding), ratio within range.
  const pg = new T.SeededRandom(5);
  for (let k = 0; k < 500; k++) {
    const [i, j, h, w, v] = T.RandomErasing.getParams(
      [3, 64, 64],
      [0.02, 0.33],
      [0.3, 3.3],
      [0],
      pg,
    );
    ok(v !== null && i >= 0 && j >= 0 && i + h <= 64 && j + w <= 64);
    ok(h * w >= 0.02 * 4096 * 0.7 && h * w <= 0.33 * 4096 * 1.3, `area ${h * w}`);
    ok(h / w > 0.3 * 0.7 && h / w < 3.3 * 1.4, `ratio ${h / w}`);
  }
  // "random" fills standard normal noise: mean ≈ 0, variance ≈ 1.
  const [, , h, w, noise] = T.RandomErasing.getParams([3, 64, 64], [0.3, 0.33], [1, 1], null, pg);
  ok(noise instanceof Tensor);
  eq(noise.shape, [3, h, w]);
  const vals = Array.from(noise.dataSync());
  const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
  const variance = vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length;
  ok(Math.abs(mean) < 0.1 && Math.abs(variance - 1) < 0.15, `mean ${mean}, var ${variance}`);
  // No region fits: the image comes back unchanged.
  eq(T.RandomErasing.getParams([1, 2, 2], [0.9, 1], [1, 1], [0], pg)[4], null);
});

Deno.test("RandomErasing inplace writes into the input", () => {
  const x = tensor(new Float32Array(1 * 8 * 8), { shape: [1, 8, 8] });
  const out = new T.RandomErasing(1, { value: 7, inplace: true, scale: [0.1, 0.2] }).call(x);
  ok(out === x);
  ok(x.dataSync().some((v) => v === 7));
  const y = tensor(new Float32Array(64), { shape: [1, 8, 8] });
  const z = new T.RandomErasing(1, { value: 7, scale: [0.1, 0.2] }).call(y);
  ok(z !== y && y.dataSync().every((v) => v === 0));
});

Deno.test("random parameters stay in their ranges and spread over them", () => {
  const g = new T.SeededRandom(11);
  const n = 4000;
  const angles = Array.from({ length: n }, () => T.RandomRotation.getParams([-30, 10], g));
  ok(angles.every((a) => a >= -30 && a <= 10));
  const below = (xs: number[], v: number): number => xs.filter((x) => x < v).length;
  assertRate(below(angles, -20), n, 0.25, "angle quartile");
  assertRate(below(angles, -10), n, 0.5, "angle median");
  const sigmas = Array.from({ length: n }, () => T.GaussianBlur.getParams(0.1, 2, g));
  ok(sigmas.every((s) => s >= 0.1 && s <= 2));
  assertRate(below(sigmas, 1.05), n, 0.5, "sigma median");
  for (let k = 0; k < 1000; k++) {
    const [a, [tx, ty], s, [sx, sy]] = T.RandomAffine.getParams(
      [-5, 5],
      [0.1, 0.3],
      [0.8, 1.2],
      [-4, 4, 10, 20],
      [40, 30],
      g,
    );
    ok(a >= -5 && a <= 5 && s >= 0.8 && s <= 1.2);
    ok(Number.isInteger(tx) && Number.isInteger(ty) && Math.abs(tx) <= 4 && Math.abs(ty) <= 9);
    ok(sx >= -4 && sx <= 4 && sy >= 10 && sy <= 20);
  }
  eq(T.RandomAffine.getParams([0, 0], null, null, null, [40, 30], g), [0, [0, 0], 1, [0, 0]]);
  const seen = new Set<number>();
  for (let k = 0; k < 2000; k++) {
    const [start, end] = T.RandomPerspective.getParams(21, 15, 0.5, g);
    eq(start, [[0, 0], [20, 0], [20, 14], [0, 14]]);
    const [tl, tr, br, bl] = end;
    // distortion 0.5 of half sizes 10 and 7: up to 5 columns and 3 rows inward.
    ok(tl[0] >= 0 && tl[0] <= 5 && tl[1] >= 0 && tl[1] <= 3);
    ok(tr[0] >= 15 && tr[0] <= 20 && tr[1] >= 0 && tr[1] <= 3);
    ok(br[0] >= 15 && br[0] <= 20 && br[1] >= 11 && br[1] <= 14);
    ok(bl[0] >= 0 && bl[0] <= 5 && bl[1] >= 11 && bl[1] <= 14);
    seen.add(tl[0]);
  }
  eq(seen.size, 6, "every offset 0..5 is drawn");
});

Deno.test("random transforms use the drawn parameters exactly as the functional forms", () => {
  const img = ramp(13, 17);
  const x = chw(img);
  const rot = new T.RandomRotation(40, {
    interpolation: "bilinear",
    expand: true,
    generator: new T.SeededRandom(2),
  });
  const angle = T.RandomRotation.getParams([-40, 40], new T.SeededRandom(2));
  eq(rot.call(img).data, F.rotate(img, angle, { interpolation: "bilinear", expand: true }).data);
  // Tensors get torchvision's per-channel fill (so the fill blend applies).
  const rotT = new T.RandomRotation(40, {
    interpolation: "bilinear",
    generator: new T.SeededRandom(2),
  });
  eq(
    rotT.call(x).dataSync(),
    F.rotate(x, angle, { interpolation: "bilinear", fill: [0, 0, 0] }).dataSync(),
  );
  const aff = new T.RandomAffine(10, {
    translate: [0.2, 0.1],
    scale: [0.9, 1.1],
    shear: 5,
    generator: new T.SeededRandom(4),
  });
  const [a, t, s, sh] = T.RandomAffine.getParams(
    [-10, 10],
    [0.2, 0.1],
    [0.9, 1.1],
    [-5, 5],
    [17, 13],
    new T.SeededRandom(4),
  );
  eq(aff.call(img).data, F.affine(img, a, t, s, sh).data);
  const blur = new T.GaussianBlur(5, [0.5, 3], { generator: new T.SeededRandom(6) });
  const sigma = T.GaussianBlur.getParams(0.5, 3, new T.SeededRandom(6));
  eq(blur.call(img).data, F.gaussianBlur(img, 5, sigma).data);
  // RandomPerspective: one draw for p, then the corners.
  const pg = new T.SeededRandom(8);
  const pp = new T.RandomPerspective(0.6, 1, { generator: new T.SeededRandom(8) });
  pg.random();
  const [start, end] = T.RandomPerspective.getParams(17, 13, 0.6, pg);
  eq(pp.call(img).data, F.perspective(img, start, end).data);
});

Deno.test("RandomChoice picks by weight, RandomOrder shuffles, RandomApply draws once", () => {
  const g = new T.SeededRandom(9);
  const counts = [0, 0, 0];
  const choice = new T.RandomChoice<number, number>(
    [(x) => x + 0, (x) => x + 1, (x) => x + 2],
    { p: [1, 3, 6], generator: g },
  );
  const n = 3000;
  for (let k = 0; k < n; k++) counts[choice.call(0)]++;
  assertRate(counts[0], n, 0.1, "weight 1");
  assertRate(counts[1], n, 0.3, "weight 3");
  // Without weights: floor(r * n), like random.choices.
  eq(
    new T.RandomChoice<number, number>([(x) => x, (x) => -x], { generator: new Script([0.49]) })
      .call(5),
    5,
  );
  eq(
    new T.RandomChoice<number, number>([(x) => x, (x) => -x], { generator: new Script([0.5]) })
      .call(5),
    -5,
  );
  const order = new T.RandomOrder<string>(
    [(s) => s + "a", (s) => s + "b", (s) => s + "c"],
    { generator: g },
  );
  const perms = new Map<string, number>();
  for (let k = 0; k < 3000; k++) {
    const s = order.call("");
    perms.set(s, (perms.get(s) ?? 0) + 1);
  }
  eq(perms.size, 6);
  for (const [perm, c] of perms) assertRate(c, 3000, 1 / 6, `order ${perm}`);
  // RandomApply: applied when the draw is at most p (skip when p < draw), all transforms in order.
  const apply = (draw: number): string =>
    new T.RandomApply<string, string>([(s) => s + "1", (s) => s + "2"], 0.5, {
      generator: new Script([draw]),
    }).call("");
  eq(apply(0.5), "12");
  eq(apply(0.51), "");
});

Deno.test("AutoAugment, RandAugment and TrivialAugmentWide follow torchvision's draws", () => {
  const img = ramp(12, 16);
  const n = 10;
  // TrivialAugmentWide: op index, magnitude bin, sign. Draw 5/14 → "Rotate", bin 30 of 31 → 135°,
  // sign draw 0.7 → 1 → negative.
  const ta = new T.TrivialAugmentWide(31, {
    generator: new Script([5 / 14 + 1e-9, 30 / 31 + 1e-9, 0.7]),
  });
  eq(ta.call(img), applyAugmentOp(img, "Rotate", -135, "nearest", null));
  // Unsigned op without magnitudes draws nothing more: "AutoContrast" is index 12.
  const script = new Script([12 / 14 + 1e-9]);
  eq(
    (new T.TrivialAugmentWide(31, { generator: script }).call(img) as Image).data,
    F.autocontrast(img).data,
  );
  eq(script.left, 0);
  // RandAugment: per op an index then (signed ops only) a sign; magnitude fixed at bin 9 of 31.
  const ra = new T.RandAugment(2, 9, 31, {
    generator: new Script([1 / 14 + 1e-9, 0.2, 10 / 14 + 1e-9]),
  });
  const shear = linspaceF32(0, 0.3, 31)[9];
  const want = applyAugmentOp(
    applyAugmentOp(img, "ShearX", shear, "nearest", null),
    "Posterize",
    posterizeBits(31, 4)[9],
    "nearest",
    null,
  );
  eq((ra.call(img) as Image).data, (want as Image).data);
  eq(posterizeBits(31, 4)[9], 7);
  // AutoAugment: sub-policy id, two probabilities, two signs. CIFAR10 policy 1 is
  // (Rotate 0.7 bin 2, TranslateX 0.3 bin 9); 0.5 ≤ 0.7 applies, 0.9 > 0.3 skips; sign 0 → negative.
  const aa = new T.AutoAugment("cifar10", {
    generator: new Script([1 / 25 + 1e-9, 0.5, 0.9, 0.2, 0.9]),
  });
  const angle = linspaceF32(0, 30, n)[2];
  eq((aa.call(img) as Image).data, F.rotate(img, -angle).data);
  // Seeded runs reproduce and differ between seeds.
  const run = (seed: number): number[] => {
    const t = new T.RandAugment(2, 9, 31, { generator: new T.SeededRandom(seed) });
    return Array.from(
      { length: 8 },
      () => (t.call(img) as Image).data.reduce((a, b) => (a * 31 + b) >>> 0, 7),
    );
  };
  eq(run(1), run(1));
  ok(run(1).join() !== run(2).join());
});

Deno.test("tensor and Image paths agree where torchvision's do", () => {
  const img = ramp(9, 11);
  const x = chw(img);
  eq(F.hflip(x).dataSync(), chw(F.hflip(img)).dataSync());
  eq(F.vflip(x).dataSync(), chw(F.vflip(img)).dataSync());
  eq(F.crop(x, 2, 3, 4, 5).dataSync(), chw(F.crop(img, 2, 3, 4, 5)).dataSync());
  eq(
    F.pad(x, [1, 2], { paddingMode: "reflect" }).dataSync(),
    chw(F.pad(img, [1, 2], { paddingMode: "reflect" })).dataSync(),
  );
  const inv = chw(F.invert(img)).dataSync();
  ok(F.invert(x).dataSync().every((v, i) => Math.abs(v - inv[i]) < 1e-7));
  // Nearest quarter turns about the centre are exact on both.
  eq(F.rotate(x, 180).dataSync(), chw(F.rotate(img, 180)).dataSync());
  // toPILImage inverts toTensor.
  eq(F.toPILImage(x).data, img.data);
  const crops = F.tenCrop(x, [4, 6]);
  eq(crops.length, 10);
  eq(crops[5].dataSync(), F.crop(F.hflip(x), 0, 0, 4, 6).dataSync());
  eq(F.getDimensions(x), [3, 9, 11]);
  eq(F.getImageSize(img), [11, 9]);
});

Deno.test("new transforms print like torchvision and rebuild from their worker specs", async () => {
  const cases: [{ toString(): string; workerSpec(): unknown }, string][] = [
    [new T.Pad(4), "Pad(padding=4, fill=0, padding_mode=constant)"],
    [
      new T.Pad([1, 2], { fill: [1, 2, 3], paddingMode: "reflect" }),
      "Pad(padding=[1, 2], fill=[1, 2, 3], padding_mode=reflect)",
    ],
    [new T.FiveCrop(5), "FiveCrop(size=(5, 5))"],
    [new T.TenCrop([4, 6], true), "TenCrop(size=(4, 6), vertical_flip=True)"],
    [new T.Grayscale(3), "Grayscale(num_output_channels=3)"],
    [new T.RandomGrayscale(), "RandomGrayscale(p=0.1)"],
    [
      new T.RandomRotation(30),
      "RandomRotation(degrees=[-30.0, 30.0], interpolation=nearest, expand=False, fill=0)",
    ],
    [
      new T.RandomRotation([-10, 20.5], {
        center: [1, 2],
        expand: true,
        interpolation: "bilinear",
      }),
      "RandomRotation(degrees=[-10.0, 20.5], interpolation=bilinear, expand=True, center=[1, 2], fill=0)",
    ],
    [new T.RandomAffine(10), "RandomAffine(degrees=[-10.0, 10.0])"],
    [
      new T.RandomAffine([0, 0], { translate: [0.1, 0.2], scale: [0.9, 1.1], shear: 5, fill: 3 }),
      "RandomAffine(degrees=[0.0, 0.0], translate=[0.1, 0.2], scale=[0.9, 1.1], shear=[-5.0, 5.0], fill=3)",
    ],
    [new T.RandomPerspective(), "RandomPerspective(p=0.5)"],
    [new T.GaussianBlur(3), "GaussianBlur(kernel_size=(3, 3), sigma=(0.1, 2.0))"],
    [new T.RandomInvert(), "RandomInvert(p=0.5)"],
    [new T.RandomPosterize(4), "RandomPosterize(bits=4,p=0.5)"],
    [new T.RandomSolarize(128), "RandomSolarize(threshold=128,p=0.5)"],
    [new T.RandomAdjustSharpness(2), "RandomAdjustSharpness(sharpness_factor=2,p=0.5)"],
    [new T.RandomAutocontrast(), "RandomAutocontrast(p=0.5)"],
    [new T.RandomEqualize(), "RandomEqualize(p=0.5)"],
    [
      new T.RandomErasing(),
      "RandomErasing(p=0.5, scale=(0.02, 0.33), ratio=(0.3, 3.3), value=0, inplace=False)",
    ],
    [new T.ConvertImageDtype("float64"), "ConvertImageDtype(dtype=float64)"],
    [new T.ToPILImage(), "ToPILImage()"],
    [new T.AutoAugment(), "AutoAugment(policy=AutoAugmentPolicy.IMAGENET, fill=None)"],
    [
      new T.RandAugment(),
      "RandAugment(num_ops=2, magnitude=9, num_magnitude_bins=31, interpolation=InterpolationMode.NEAREST, fill=None)",
    ],
    [
      new T.TrivialAugmentWide(),
      "TrivialAugmentWide(num_magnitude_bins=31, interpolation=InterpolationMode.NEAREST, fill=None)",
    ],
    [
      new T.RandomApply([new T.RandomInvert()], 0.3),
      "RandomApply(\n    p=0.3\n    RandomInvert(p=0.5)\n)",
    ],
    [
      new T.RandomChoice([new T.Grayscale()]),
      "RandomChoice(\n    Grayscale(num_output_channels=1)\n)(p=None)",
    ],
    [
      new T.RandomOrder([new T.Grayscale()]),
      "RandomOrder(\n    Grayscale(num_output_channels=1)\n)",
    ],
    [
      new T.Resize(8, { interpolation: "bicubic" }),
      "Resize(size=8, interpolation=bicubic, max_size=None)",
    ],
  ];
  for (const [t, repr] of cases) {
    eq(t.toString(), repr);
    const rebuilt = await buildFromSpec(t.workerSpec() as never) as { toString(): string };
    eq(rebuilt.toString(), repr);
  }
  eq(T.InterpolationMode.BICUBIC, "bicubic");
  eq(T.AutoAugmentPolicy.SVHN, "svhn");
});

Deno.test("Resize and RandomResizedCrop take the other interpolation modes", () => {
  const img = ramp(20, 30);
  for (const mode of ["nearest", "bicubic", "box", "hamming", "lanczos", "bilinear"] as const) {
    const out = new T.Resize([7, 9], { interpolation: mode }).call(img);
    eq(out.data, F.resize(img, [7, 9], { interpolation: mode }).data);
    eq([out.height, out.width], [7, 9]);
  }
  ok(
    !sameImage(
      F.resize(img, 9, { interpolation: "nearest" }),
      F.resize(img, 9, { interpolation: "bicubic" }),
    ),
  );
  const rrc = new T.RandomResizedCrop(8, {
    interpolation: "nearest",
    generator: new T.SeededRandom(1),
  });
  const [i, j, h, w] = T.randomResizedCropParams(new T.SeededRandom(1), 20, 30, [0.08, 1], [
    3 / 4,
    4 / 3,
  ]);
  eq(rrc.call(img).data, F.resizedCrop(img, i, j, h, w, [8, 8], { interpolation: "nearest" }).data);
});

Deno.test("bad arguments fail at once, naming the transform", () => {
  const img = ramp(5, 5);
  const x = chw(img);
  const cases: [() => unknown, RegExp][] = [
    [
      () => new T.RandomRotation(-5),
      /RandomRotation: if degrees is a single number, it must be non-negative/,
    ],
    [
      () => new T.RandomRotation([1, 2, 3] as never),
      /RandomRotation: degrees must be a number or a sequence of 2/,
    ],
    [
      () => new T.RandomRotation(5, { interpolation: "lanczos" }),
      /RandomRotation: interpolation "lanczos" is not supported/,
    ],
    [
      () => new T.RandomAffine(5, { translate: [0.5, 1.5] }),
      /RandomAffine: translate values must be between 0 and 1/,
    ],
    [() => new T.RandomAffine(5, { scale: [0, 1] }), /RandomAffine: scale values must be positive/],
    [
      () => new T.RandomAffine(5, { shear: [1, 2, 3] }),
      /RandomAffine: shear must be a number or a sequence of 2 or 4/,
    ],
    [
      () => new T.RandomPerspective(1.5),
      /RandomPerspective: distortionScale must be a probability/,
    ],
    [() => new T.Pad(-1), /Pad: padding must be a non-negative integer/],
    [() => new T.Pad(1, { paddingMode: "wrap" as never }), /Pad: paddingMode must be one of/],
    [() => new T.GaussianBlur(4), /GaussianBlur: kernelSize must be odd positive integers/],
    [
      () => new T.GaussianBlur(3, [2, 1]),
      /GaussianBlur: sigma must be a positive number or \[min, max\]/,
    ],
    [() => new T.Grayscale(2), /Grayscale: numOutputChannels must be 1 or 3/],
    [() => new T.RandomInvert(2), /RandomInvert: p must be a probability in \[0, 1\], got 2/],
    [() => new T.RandomPosterize(9), /RandomPosterize: bits must be an integer in \[0, 8\]/],
    [
      () => new T.RandomErasing(0.5, { scale: [0.5, 2] }),
      /RandomErasing: scale must be between 0 and 1/,
    ],
    [
      () => new T.RandomErasing(0.5, { value: "noise" as never }),
      /RandomErasing: value must be a number/,
    ],
    [
      () => new T.RandomErasing(1, { value: [1, 2] }).call(x),
      /RandomErasing: value must have one value or 3/,
    ],
    [
      () => new T.RandomErasing().call(img as never),
      /RandomErasing: expected a Tensor \(apply ToTensor first\), got Image/,
    ],
    [() => new T.RandomApply([1 as never]), /RandomApply: transforms\[0\] is not a transform/],
    [
      () => new T.RandomChoice([F.hflip], { p: [1, 2] }),
      /RandomChoice: p must be 1 non-negative weights/,
    ],
    [
      () => new T.ConvertImageDtype("uint8" as never),
      /ConvertImageDtype: dtype must be float32, float64 or int32/,
    ],
    [
      () => new T.ConvertImageDtype("int32").call(x),
      /convertImageDtype: the cast from float32 to int32 cannot be performed safely/,
    ],
    [
      () => new T.ToPILImage("RGBA").call(x),
      /toPILImage: mode "RGBA" needs 4 channels, the tensor has 3/,
    ],
    [
      () => new T.AutoAugment("coco" as never),
      /AutoAugment: policy must be "imagenet", "cifar10" or "svhn"/,
    ],
    [() => new T.RandAugment(2, 31), /RandAugment: magnitude must be an integer in \[0, 31\)/],
    [
      () => new T.Resize(4, { interpolation: "area" as never }),
      /Resize: interpolation "area" is unknown/,
    ],
    [() => new T.FiveCrop(0), /FiveCrop: size must be a positive integer/],
    [() => new T.FiveCrop(6).call(img), /fiveCrop: crop size 6×6 is bigger than the image 5×5/],
    [
      () => F.rotate(x, 10, { interpolation: "bicubic" }),
      /rotate: interpolation "bicubic" is not supported here/,
    ],
    [() => F.affine(img, 0, [0, 0], 0, 0), /affine: scale must be positive/],
    [
      () => F.rotate(img, 10, { fill: [1, 2] }),
      /rotate: fill has 2 values but the image has 3 channels/,
    ],
    [
      () => F.rotate(x, 10, { fill: [1, 2] }),
      /rotate: fill has 2 values but the image has 3 channels/,
    ],
    [() => F.posterize(x as never, 2), /posterize: torchvision only supports uint8 image tensors/],
    [() => F.equalize(x as never), /equalize: torchvision only supports uint8 image tensors/],
    [() => F.posterize(ramp(3, 3, 4), 2), /posterize: not supported for 4-channel images/],
    [() => F.solarize(x, 2), /solarize: threshold 2 is above the image's bound 1/],
    [() => F.adjustHue(x, 0.7), /adjustHue: hueFactor 0.7 is not in \[-0.5, 0.5\]/],
    [() => F.adjustBrightness(x, -1), /adjustBrightness: brightnessFactor must be non-negative/],
    [
      () => F.pad(x, 5, { paddingMode: "reflect" }),
      /pad: reflect padding .* must be smaller than the image size 5×5/,
    ],
    [() => F.pad(x, 1, { fill: [1, 2, 3] }), /pad: tensors take a single number as fill/],
    [() => F.gaussianBlur(x, 13), /gaussianBlur: reflect padding of 6×6 needs an image larger/],
    [
      () => F.resize(x as never, 4),
      /resize: expected an Image \(tensor resizing is not implemented\), got Tensor/,
    ],
    [
      () => F.rgbToGrayscale(tensor(new Float32Array(8), { shape: [2, 2, 2] })),
      /rgbToGrayscale: expected an image tensor with 1 or 3 channels, got 2/,
    ],
    [
      () => F.hflip(new Float32Array(4) as never),
      /hflip: expected an Image or a Tensor, got Float32Array/,
    ],
    [
      () => F.erase(x, 0, 0, 2, 2, tensor(new Float32Array(2), { shape: [2, 1, 1] })),
      /erase: value of shape \[2, 1, 1\] does not broadcast/,
    ],
    [
      () => F.perspective(img, [[0, 0]], [[0, 0]]),
      /perspective: startpoints and endpoints must have 4 points/,
    ],
  ];
  for (const [fn, re] of cases) throws(fn, re);
  const wrongInput: [{ call(x: unknown): unknown }, string][] = [
    [new T.Pad(1) as never, "Pad"],
    [new T.RandomRotation(1) as never, "RandomRotation"],
    [new T.RandomAffine(1) as never, "RandomAffine"],
    [new T.RandomPerspective() as never, "RandomPerspective"],
    [new T.GaussianBlur(3) as never, "GaussianBlur"],
    [new T.Grayscale() as never, "Grayscale"],
    [new T.RandomEqualize() as never, "RandomEqualize"],
    [new T.TenCrop(2) as never, "TenCrop"],
    [new T.TrivialAugmentWide() as never, "TrivialAugmentWide"],
    [new T.ConvertImageDtype() as never, "ConvertImageDtype"],
  ];
  for (const [t, name] of wrongInput) {
    throws(() => t.call("not an image"), new RegExp(`^TypeError: ${name}: expected .*got string`));
  }
});

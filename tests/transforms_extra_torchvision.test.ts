// The functional transforms vs torchvision 0.14 on odd-sized images and on
// float32 / float64 / int32 (and batched) tensors made from them. Fixtures
// come from tools/gen_transform_extra_fixtures.py (run with /usr/bin/python3).
import { deepStrictEqual as eq, ok } from "node:assert/strict";
import { Image } from "../src/transforms/image.ts";
import { imageToChw } from "../src/transforms/chw.ts";
import * as F from "../src/transforms/functional.ts";
import { gaussianKernel1d } from "../src/transforms/blur.ts";
import { linspaceF32 } from "../src/transforms/numeric.ts";
import { inverseAffineMatrix, perspectiveCoeffs } from "../src/transforms/warp.ts";
import {
  affineGrid,
  affineOutputSize,
  gridSampleImage,
  perspectiveGrid,
  warpInput,
} from "../src/transforms/tensor_warp.ts";
import { applyAugmentOp, posterizeBits } from "../src/transforms/autoaugment.ts";
import { tensor } from "../src/tensor/creation.ts";
import { Tensor } from "../src/tensor/tensor.ts";

const dir = new URL("./fixtures/transforms_extra/", import.meta.url);

interface Encoded {
  kind: "image" | "tensor" | "list" | "values";
  dtype?: "float32" | "float64" | "int32";
  shape?: number[];
  data?: string;
  items?: Encoded[];
  values?: number[];
}

interface Case extends Encoded {
  image: string;
  input: "pil" | "f32" | "f64" | "i32" | "f32b" | "f64b" | "none";
  op: string;
  // deno-lint-ignore no-explicit-any
  args: any[];
}

const fixture = JSON.parse(await Deno.readTextFile(new URL("expected.json", dir))) as {
  cases: Case[];
};
const images = new Map<string, Image>();
for (const name of new Set(fixture.cases.map((c) => c.image).filter((n) => n))) {
  images.set(name, await Image.fromFile(new URL(name, dir), { mode: "unchanged" }));
}

function bytes(s: string): Uint8Array {
  return Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));
}

function input(c: Case): Image | Tensor {
  const img = images.get(c.image)!;
  if (c.input === "pil") return img;
  const shape = [img.channels, img.height, img.width];
  const f32 = imageToChw(img);
  const plane = c.input.startsWith("f32")
    ? f32
    : c.input.startsWith("f64")
    ? Float64Array.from(f32)
    : Int32Array.from(f32, (v) => Math.round(v * 255));
  if (!c.input.endsWith("b")) return tensor(plane, { shape, device: "cpu" });
  // The batch of two the generator builds: the image and its mirror.
  const n = plane.length, [ch, h, w] = shape;
  const both = new (plane.constructor as Float64ArrayConstructor)(2 * n);
  both.set(plane);
  for (let p = 0; p < ch * h; p++) {
    for (let x = 0; x < w; x++) both[n + p * w + x] = plane[p * w + (w - 1 - x)];
  }
  return tensor(both, { shape: [2, ...shape], device: "cpu" });
}

type Out = Image | Tensor | (Image | Tensor)[] | number[];

function run(c: Case): Out {
  const a = c.args;
  if (c.input === "none") {
    switch (c.op) {
      case "linspace":
        return Array.from(linspaceF32(a[0], a[1], a[2]));
      case "kernel1d":
        return Array.from(gaussianKernel1d(a[0], a[1]));
      case "perspectiveCoeffs":
        return perspectiveCoeffs(a[0], a[1]);
      case "affineOutputSize":
        return affineOutputSize(inverseAffineMatrix([0, 0], -a[0], [0, 0], 1, [0, 0]), a[1], a[2]);
      case "posterizeBits":
        return posterizeBits(a[0], a[1]);
    }
    throw new Error(`unknown helper ${c.op}`);
  }
  const x = input(c);
  const t = x as Tensor;
  switch (c.op) {
    case "resize":
      return F.resize(x as Image, a[0], { interpolation: a[1] });
    case "rotate":
      return F.rotate(x, a[0], {
        interpolation: a[1],
        expand: a[2],
        center: a[3],
        fill: a[4],
      });
    case "affine":
      return F.affine(x, a[0], a[1], a[2], a[3], { interpolation: a[4], fill: a[5], center: a[6] });
    case "perspective":
      return F.perspective(x, a[0], a[1], { interpolation: a[2], fill: a[3] });
    case "affineGrid": {
      const m = inverseAffineMatrix([0, 0], -a[0], [0, 0], 1, [0, 0]);
      const g = affineGrid(m, a[1], a[2], a[1], a[2], false);
      const out: number[] = [];
      g.x.forEach((v, i) => out.push(v, g.y[i]));
      return out;
    }
    case "perspectiveCoeffs": {
      const src = warpInput(t, a[2], "perspective");
      const grid = perspectiveGrid(a[0], src.w, src.h, src.dtype === "float64");
      return gridSampleImage(src, grid, a[1], a[2]);
    }
    case "pad":
      return F.pad(x, a[0], { fill: a[1], paddingMode: a[2] });
    case "crop":
      return F.crop(x, a[0], a[1], a[2], a[3]);
    case "centerCrop":
      return F.centerCrop(x, a[0]);
    case "fiveCrop":
      return F.fiveCrop(x, a[0]);
    case "tenCrop":
      return F.tenCrop(x, a[0], a[1]);
    case "hflip":
      return F.hflip(x);
    case "vflip":
      return F.vflip(x);
    case "gamma":
      return F.adjustGamma(x, a[0], a[1]);
    case "sharpness":
      return F.adjustSharpness(x, a[0]);
    case "brightness":
      return F.adjustBrightness(x, a[0]);
    case "contrast":
      return F.adjustContrast(x, a[0]);
    case "saturation":
      return F.adjustSaturation(x, a[0]);
    case "hue":
      return F.adjustHue(x, a[0]);
    case "grayscale":
      return F.rgbToGrayscale(x, a[0]);
    case "invert":
      return F.invert(x);
    case "posterize":
      return F.posterize(x as Image, a[0]);
    case "solarize":
      return F.solarize(x, a[0]);
    case "autocontrast":
      return F.autocontrast(x);
    case "equalize":
      return F.equalize(x as Image);
    case "gaussianBlur":
      return F.gaussianBlur(x, a[0], a[1] ?? undefined);
    case "erase":
      return F.erase(t, a[0], a[1], a[2], a[3], a[4]);
    case "convertImageDtype":
      return F.convertImageDtype(t, a[0]);
    case "toPILImage":
      return F.toPILImage(t);
    case "toPILImageScaled":
      return F.toPILImage(t.mul(1.37).sub(0.2));
    case "autoaugOp":
      return applyAugmentOp(x, a[0], a[1], a[2], a[3]);
  }
  throw new Error(`unknown op ${c.op}`);
}

/**
 * Exact everywhere except `adjustGamma` on float tensors: PyTorch raises to
 * the power with SLEEF's `pow` (1-ulp accurate), which we do not reproduce.
 */
function tolerance(c: Case): number {
  if (c.kind !== "tensor" || c.op !== "gamma") return 0;
  return c.dtype === "float64" ? 1.2e-16 : 6e-8;
}

function compare(c: Case, want: Encoded, got: Out, where: string): void {
  if (want.kind === "list") {
    ok(Array.isArray(got), `${where}: expected a list`);
    const items = got as (Image | Tensor)[];
    eq(items.length, want.items!.length);
    want.items!.forEach((w, i) => compare(c, w, items[i], `${where}[${i}]`));
    return;
  }
  if (want.kind === "values") {
    const g = got as number[];
    eq(g.length, want.values!.length, `${where}: length`);
    const tol = c.op === "perspectiveCoeffs" ? 2e-5 : 0;
    for (let i = 0; i < g.length; i++) {
      const w = want.values![i];
      ok(Math.abs(g[i] - w) <= tol * Math.max(1, Math.abs(w)), `${where}[${i}]: ${g[i]} vs ${w}`);
    }
    return;
  }
  const raw = bytes(want.data!);
  if (want.kind === "image") {
    ok(got instanceof Image, `${where}: expected an Image, got ${got}`);
    eq([got.height, got.width, got.channels], want.shape, `${where}: shape`);
    let diff = 0, maxDiff = 0;
    for (let i = 0; i < raw.length; i++) {
      const d = Math.abs(raw[i] - got.data[i]);
      if (d) diff++;
      maxDiff = Math.max(maxDiff, d);
    }
    eq(maxDiff, 0, `${where}: ${diff} of ${raw.length} values differ, max ${maxDiff}`);
    return;
  }
  ok(got instanceof Tensor, `${where}: expected a Tensor`);
  eq(got.shape, want.shape, `${where}: shape`);
  eq(got.dtype, want.dtype, `${where}: dtype`);
  const expected = want.dtype === "float32"
    ? new Float32Array(raw.buffer)
    : want.dtype === "float64"
    ? new Float64Array(raw.buffer)
    : new Int32Array(raw.buffer);
  const actual = got.dataSync();
  const tol = tolerance(c);
  let bad = 0, worst = 0, first = -1;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(expected[i] - actual[i]);
    if (!(d <= tol)) {
      bad++;
      if (first < 0) first = i;
    }
    if (d > worst) worst = d;
  }
  eq(
    bad,
    0,
    `${where}: ${bad} of ${expected.length} values off by more than ${tol} (max ${worst}; first at ${first}: ${
      actual[first]
    } vs ${expected[first]})`,
  );
}

for (const c of fixture.cases) {
  const name = `torchvision parity: ${c.op}(${JSON.stringify(c.args)}) on ${
    c.image || "-"
  } as ${c.input}`;
  Deno.test(name, () => compare(c, c, run(c), c.op));
}

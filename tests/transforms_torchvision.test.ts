// Transforms vs torchvision 0.14 on the same PNGs. Fixtures come from
// tools/gen_transform_fixtures.py (run with /usr/bin/python3).
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { Image } from "../src/transforms/image.ts";
import { imageToChw, normalizeChw } from "../src/transforms/chw.ts";
import { resizedSize } from "../src/transforms/resize.ts";
import { centerCrop } from "../src/transforms/resize.ts";
import { resizeBilinear } from "../src/transforms/resample.ts";
import {
  crop,
  hflip,
  pad,
  padCrop,
  type PaddingMode,
  type PaddingSpec,
  parsePadding,
  vflip,
} from "../src/transforms/geometry.ts";
import {
  adjustBrightness,
  adjustContrast,
  adjustHue,
  adjustSaturation,
} from "../src/transforms/color.ts";
import type { Size } from "../src/transforms/size.ts";

const dir = new URL("./fixtures/transforms/", import.meta.url);

interface Case {
  image: string;
  op: string;
  // deno-lint-ignore no-explicit-any
  args: any[];
  kind: "image" | "tensor";
  shape: number[];
  data: string;
}

const fixture = JSON.parse(await Deno.readTextFile(new URL("expected.json", dir))) as {
  cases: Case[];
};
const images = new Map<string, Image>();
for (const name of new Set(fixture.cases.map((c) => c.image))) {
  images.set(name, await Image.fromFile(new URL(name, dir), { mode: "unchanged" }));
}

function b64(s: string): Uint8Array {
  return Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));
}

function run(c: Case): Image | Float32Array {
  const img = images.get(c.image)!;
  const a = c.args;
  switch (c.op) {
    case "toTensor":
      return imageToChw(img);
    case "normalize":
      return normalizeChw(
        imageToChw(img),
        img.channels,
        img.height * img.width,
        Float32Array.from(a[0]),
        Float32Array.from(a[1]),
      );
    case "hflip":
      return hflip(img);
    case "vflip":
      return vflip(img);
    case "resize": {
      const [h, w] = resizedSize(img.height, img.width, a[0] as Size);
      return resizeBilinear(img, h, w);
    }
    case "centerCrop": {
      const s = typeof a[0] === "number" ? [a[0], a[0]] : a[0];
      return centerCrop(img, s[0], s[1]);
    }
    case "pad":
      return pad(img, parsePadding(a[0] as PaddingSpec, "pad"), a[2] as PaddingMode, a[1]);
    case "padCrop":
      return padCrop(
        img,
        parsePadding(a[0] as PaddingSpec, "pad"),
        a[2],
        a[3],
        a[4],
        a[5],
        a[1] as PaddingMode,
      );
    case "crop":
      return crop(img, a[0], a[1], a[2], a[3]);
    case "resizedCrop":
      return resizeBilinear(crop(img, a[0], a[1], a[2], a[3]), a[4][0], a[4][1]);
    case "brightness":
      return adjustBrightness(img, a[0]);
    case "contrast":
      return adjustContrast(img, a[0]);
    case "saturation":
      return adjustSaturation(img, a[0]);
    case "hue":
      return adjustHue(img, a[0]);
  }
  throw new Error(`unknown op ${c.op}`);
}

for (const c of fixture.cases) {
  Deno.test(`torchvision parity: ${c.op}(${JSON.stringify(c.args)}) on ${c.image}`, () => {
    const got = run(c);
    const raw = b64(c.data);
    if (c.kind === "tensor") {
      const want = new Float32Array(raw.buffer);
      assertEquals(got instanceof Float32Array, true);
      assertEquals(Array.from(got as Float32Array), Array.from(want));
    } else {
      const im = got as Image;
      assertEquals([im.height, im.width, im.channels], c.shape);
      let diff = 0, maxDiff = 0;
      for (let i = 0; i < raw.length; i++) {
        const d = Math.abs(raw[i] - im.data[i]);
        if (d) diff++;
        if (d > maxDiff) maxDiff = d;
      }
      // Bit-exact: the kernels replicate Pillow's fixed-point and float32 arithmetic.
      assertEquals(maxDiff, 0, `${diff} of ${raw.length} values differ, max ${maxDiff}`);
    }
  });
}

/** Philox4x32-10 random fills, bit-compatible with the CPU backend (src/tensor/philox.ts). */
import type { RandomKind, Storage } from "../backend.ts";
import randomSrc from "../../../kernels/random.wgsl" with { type: "text" };
import { begin, dispatch, U } from "./encoder.ts";
import { kernel, specialise } from "./pipeline_cache.ts";
import { grid } from "./layout.ts";
import { bufOf } from "./storage.ts";

/** Fills `out` with uniform [0, 1) or standard normal draws for (key, counter). */
export function random(
  kind: RandomKind,
  key: [number, number],
  counter: number,
  out: Storage,
): void {
  const n = out.length;
  if (n === 0) return;
  if (out.dtype !== "float32") {
    throw new TypeError(`random: webgpu fills float32 only (got ${out.dtype})`);
  }
  const blocks = Math.ceil(n / 4);
  const base = begin();
  const u = U.u32;
  u[base] = n;
  u[base + 1] = blocks;
  u[base + 2] = counter >>> 0;
  u[base + 3] = Math.floor(counter / 4294967296) >>> 0;
  u[base + 4] = key[0] >>> 0;
  u[base + 5] = key[1] >>> 0;
  const normal = kind === "normal";
  const k = kernel(`random:${normal}`, 1, () => specialise(randomSrc, { NORMAL: normal }));
  const [gx, gy] = grid(kind === "normal" ? "randn" : "rand", Math.ceil(blocks / 256));
  dispatch(normal ? "randn" : "rand", k, [bufOf(out)], gx, gy);
}

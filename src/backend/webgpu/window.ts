/** im2col / col2im for convolutions; col2im gathers per output pixel (no atomics). */
import type { Storage, Strided, WindowParams } from "../backend.ts";
import im2colSrc from "../../../kernels/im2col.wgsl" with { type: "text" };
import col2imSrc from "../../../kernels/col2im.wgsl" with { type: "text" };
import { begin, dispatch, U } from "./encoder.ts";
import { kernel, specialise } from "./pipeline_cache.ts";
import { grid, wgslType } from "./layout.ts";
import { bufOf } from "./storage.ts";

function geometry(base: number, C: number, p: WindowParams): void {
  const u = U.u32;
  u[base + 1] = C;
  u[base + 2] = p.ih;
  u[base + 3] = p.iw;
  u[base + 4] = p.kh;
  u[base + 5] = p.kw;
  u[base + 6] = p.sh;
  u[base + 7] = p.sw;
  u[base + 8] = p.ph;
  u[base + 9] = p.pw;
  u[base + 10] = p.dh;
  u[base + 11] = p.dw;
  u[base + 12] = p.oh;
  u[base + 13] = p.ow;
}

/**
 * x [N, C, H, W] → out [N, C*kh*kw, oh*ow] (any view). When out is pixel-major (stride 1 along
 * C*kh*kw), invocations walk it in memory order so the writes are contiguous.
 */
export function im2col(x: Strided, p: WindowParams, padValue: number, out: Strided): void {
  const [N, C] = x.shape;
  const n = N * C * p.kh * p.kw * p.oh * p.ow;
  if (n === 0) return;
  const base = begin();
  geometry(base, C, p);
  U.u32[base] = n;
  U.u32[base + 14] = x.offset;
  U.f32[base + 15] = padValue;
  for (let i = 0; i < 4; i++) U.u32[base + 16 + i] = x.strides[i];
  U.u32[base + 20] = out.offset;
  for (let i = 0; i < 3; i++) U.u32[base + 21 + i] = out.strides[i];
  const rowsInner = out.strides[1] === 1 && out.strides[2] !== 1;
  const T = wgslType(x.storage.dtype);
  const k = kernel(
    `im2col:${T}:${rowsInner}`,
    2,
    () => specialise(im2colSrc, { T, ROWS_INNER: rowsInner }),
  );
  const [gx, gy] = grid("im2col", Math.ceil(n / 256));
  dispatch("im2col", k, [bufOf(out.storage), bufOf(x.storage)], gx, gy);
}

/** cols [N, C*kh*kw, oh*ow] → out [N, C, H, W], summing overlapping windows. */
export function col2im(cols: Strided, p: WindowParams, out: Storage): void {
  const N = cols.shape[0];
  const C = cols.shape[1] / (p.kh * p.kw);
  const n = N * C * p.ih * p.iw;
  if (n === 0) return;
  const base = begin();
  geometry(base, C, p);
  U.u32[base] = n;
  U.u32[base + 14] = cols.offset;
  for (let i = 0; i < 3; i++) U.u32[base + 16 + i] = cols.strides[i];
  const T = wgslType(cols.storage.dtype);
  const k = kernel(`col2im:${T}`, 2, () => specialise(col2imSrc, { T }));
  const [gx, gy] = grid("col2im", Math.ceil(n / 256));
  dispatch("col2im", k, [bufOf(out), bufOf(cols.storage)], gx, gy);
}

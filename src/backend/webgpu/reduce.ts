/** Reductions over trailing dims: workgroup tree reductions, split in two passes for long rows. */
import type { ReduceOp, Storage, Strided } from "../backend.ts";
import { numelOf } from "../../tensor/shape.ts";
import reduceSrc from "../../../kernels/reduce.wgsl" with { type: "text" };
import type { BufferPool } from "./buffer_pool.ts";
import { begin, dispatch, U } from "./encoder.ts";
import { kernel, specialise } from "./pipeline_cache.ts";
import { checkDims, coalesce, grid, putVec8, wgslType } from "./layout.ts";
import { bufOf } from "./storage.ts";

const OPS: Record<ReduceOp, [number, boolean]> = {
  sum: [0, false],
  prod: [1, false],
  max: [2, false],
  min: [3, false],
  argmax: [2, true],
  argmin: [3, true],
};

/** Rows at most this long are reduced by one invocation each (no barriers). */
const SERIAL_MAX_R = 64;
/** With this many rows there is enough parallelism to give each row to one invocation. */
const SERIAL_MIN_M = 2048;
/** Rows longer than this are split into chunks when there are few rows. */
const SPLIT_CHUNK = 4096;
/** Most chunks per row: each chunk ends in a barrier-heavy tree, so few long chunks win. */
const MAX_SPLIT = 8;

interface Pass {
  src: GPUBuffer;
  srcIdx: GPUBuffer;
  dst: GPUBuffer;
  dstIdx: GPUBuffer;
  M: number;
  R: number;
  G: number;
  chunk: number;
  serial: boolean;
  srcPartial: boolean;
  dstPartial: boolean;
}

function encode(op: ReduceOp, TX: string, TO: string, TC: string, p: Pass, x?: Strided, nRed = 0) {
  const [code, arg] = OPS[op];
  const base = begin();
  const { u32 } = U;
  u32[base] = p.M;
  u32[base + 1] = p.R;
  u32[base + 2] = p.G;
  u32[base + 3] = p.chunk;
  if (x) {
    const nd = x.shape.length;
    const outer = coalesce(x.shape.slice(0, nd - nRed), [x.strides.slice(0, nd - nRed)]);
    const red = coalesce(x.shape.slice(nd - nRed), [x.strides.slice(nd - nRed)]);
    checkDims(op, outer);
    checkDims(op, red);
    if (red.shape.length === 0) {
      red.shape.push(1);
      red.strides[0].push(0);
    }
    u32[base + 4] = outer.shape.length;
    u32[base + 5] = red.shape.length;
    u32[base + 6] = x.offset;
    putVec8(u32, base + 8, outer.shape);
    putVec8(u32, base + 16, outer.strides[0]);
    putVec8(u32, base + 24, red.shape);
    putVec8(u32, base + 32, red.strides[0]);
  }
  const vars = {
    TX,
    TO,
    TC,
    OP: code,
    ARG: arg && !p.dstPartial,
    FLOAT: TC === "f32",
    MAIN: p.serial ? "main_serial" : "main_tree",
    SRC_PARTIAL: p.srcPartial,
    DST_PARTIAL: p.dstPartial,
  };
  const key = `reduce:${op}:${TX}:${TO}:${p.serial}:${p.srcPartial}:${p.dstPartial}`;
  const k = kernel(key, 4, () => specialise(reduceSrc, vars));
  const groups = p.serial ? Math.ceil(p.M / 256) : p.M * p.G;
  const [gx, gy] = grid(op, groups);
  dispatch(op, k, [p.src, p.srcIdx, p.dst, p.dstIdx], gx, gy);
}

/** Reduces x ([...outShape, ...reduced]) over its last `nReduced` dims into contiguous `out`. */
export function reduce(
  op: ReduceOp,
  x: Strided,
  nReduced: number,
  out: Storage,
  pool: BufferPool,
): void {
  const M = out.length;
  const R = numelOf(x.shape.slice(x.shape.length - nReduced));
  if (M === 0) return;
  const TX = wgslType(x.storage.dtype);
  const TC = x.storage.dtype === "float32" ? "f32" : "i32";
  const TO = wgslType(out.dtype);
  const xb = bufOf(x.storage), ob = bufOf(out);
  const serial = R <= SERIAL_MAX_R || (M >= SERIAL_MIN_M && R <= 4 * SPLIT_CHUNK);
  const G = !serial && M < 64 && R > SPLIT_CHUNK
    ? Math.min(Math.ceil(R / SPLIT_CHUNK), MAX_SPLIT)
    : 1;
  if (G === 1) {
    const p: Pass = {
      src: xb,
      srcIdx: xb,
      dst: ob,
      dstIdx: ob,
      M,
      R,
      G: 1,
      chunk: R,
      serial,
      srcPartial: false,
      dstPartial: false,
    };
    encode(op, TX, TO, TC, p, x, nReduced);
    return;
  }
  const chunk = Math.ceil(R / G);
  const g = Math.ceil(R / chunk);
  // Partials are pooled temporaries; kernels recorded later reuse them safely because dispatches
  // in one command stream are ordered.
  const pv = pool.acquire(M * g * 4), pi = pool.acquire(M * g * 4);
  encode(
    op,
    TX,
    TC,
    TC,
    {
      src: xb,
      srcIdx: xb,
      dst: pv,
      dstIdx: pi,
      M,
      R,
      G: g,
      chunk,
      serial: false,
      srcPartial: false,
      dstPartial: true,
    },
    x,
    nReduced,
  );
  encode(op, TC, TO, TC, {
    src: pv,
    srcIdx: pi,
    dst: ob,
    dstIdx: ob,
    M,
    R: g,
    G: 1,
    chunk: g,
    serial: g <= SERIAL_MAX_R,
    srcPartial: true,
    dstPartial: false,
  });
  pool.release(pv);
  pool.release(pi);
}

/**
 * Row sorts (bitonic networks, kernels/sort.wgsl) and binary searches (kernels/searchsorted.wgsl).
 *
 * Rows are padded to P = 2^m. When P fits a tile (2048 elements, 16 KiB of shared memory),
 * one dispatch sorts T / P rows per workgroup straight from the strided input into the outputs.
 * Longer rows run the same network split at the tile size: a local sort of every tile, then per
 * merge stage k > T one global dispatch per step j >= T (one compare-exchange per invocation)
 * and one local dispatch for the steps j < T. No invocation loops over a row, so llvmpipe's
 * per-invocation loop budget (device.ts, loopBudget) never cuts a sort short: the longest loops
 * are the tile's 66 steps of 4 pairs.
 */
import type { Storage, Strided } from "../backend.ts";
import { numelOf } from "../../tensor/shape.ts";
import sortSrc from "../../../kernels/sort.wgsl" with { type: "text" };
import searchSrc from "../../../kernels/searchsorted.wgsl" with { type: "text" };
import type { BufferPool } from "./buffer_pool.ts";
import { begin, dispatch, U } from "./encoder.ts";
import { kernel, specialise } from "./pipeline_cache.ts";
import { checkDims, coalesce, grid, putVec8, wgslType } from "./layout.ts";
import { bufOf } from "./storage.ts";

/** Elements per workgroup tile (must match L in sort.wgsl). */
const TILE = 2048;

interface SortGeom {
  rows: number;
  n: number;
  P: number;
  T: number;
  desc: boolean;
  nOut: number;
  offset: number;
  stride: number;
  oshape: number[];
  ostride: number[];
}

function put(g: SortGeom, k0: number, k1: number, j: number): void {
  const b = begin(), u = U.u32;
  u[b] = g.rows;
  u[b + 1] = g.n;
  u[b + 2] = g.P;
  u[b + 3] = g.T;
  u[b + 4] = k0;
  u[b + 5] = k1;
  u[b + 6] = j;
  u[b + 7] = g.desc ? 1 : 0;
  u[b + 8] = g.nOut;
  u[b + 9] = g.offset;
  u[b + 10] = g.stride;
  putVec8(u, b + 12, g.oshape);
  putVec8(u, b + 20, g.ostride);
}

/** Sorts the last dim of x into contiguous `values` and int32 `indices` (see Backend.sort). */
export function sort(
  x: Strided,
  descending: boolean,
  values: Storage,
  indices: Storage,
  pool: BufferPool,
): void {
  const nd = x.shape.length;
  const n = x.shape[nd - 1];
  const rows = numelOf(x.shape.slice(0, -1));
  if (rows === 0 || n === 0) return;
  const outer = coalesce(x.shape.slice(0, -1), [x.strides.slice(0, -1)]);
  checkDims("sort", outer);
  let P = 1;
  while (P < n) P *= 2;
  // Small inputs get a small tile: fewer idle lanes and padding elements.
  let T = TILE;
  if (P <= TILE) {
    let need = P;
    while (need < rows * P && need < TILE) need *= 2;
    T = need;
  }
  const g: SortGeom = {
    rows,
    n,
    P,
    T,
    desc: descending,
    nOut: outer.shape.length,
    offset: x.offset,
    stride: x.strides[nd - 1],
    oshape: outer.shape,
    ostride: outer.strides[0],
  };
  const TX = wgslType(x.storage.dtype);
  const TC = TX === "f32" ? "f32" : "i32";
  const local = (fromX: boolean, toOut: boolean) =>
    kernel(`sort:local:${TX}:${fromX}:${toOut}`, 5, () =>
      specialise(sortSrc, {
        TX,
        TC,
        FLOAT: TC === "f32",
        FROM_X: fromX,
        TO_OUT: toOut,
        MAIN: "main_local",
      }));
  const xb = bufOf(x.storage), vb = bufOf(values), ib = bufOf(indices);
  const tiles = Math.ceil(rows * P / T);
  const [tx, ty] = grid("sort", tiles);
  if (P <= T) {
    put(g, 2, P, 0);
    dispatch("sort", local(true, true), [xb, vb, ib, vb, ib], tx, ty);
    return;
  }
  // Long rows: (key, index) pairs in pooled temporaries between the dispatches.
  const kb = pool.acquire(rows * P * 4), jb = pool.acquire(rows * P * 4);
  put(g, 2, T, 0);
  dispatch("sort", local(true, false), [xb, kb, jb, vb, ib], tx, ty);
  const glob = kernel(`sort:global:${TX}`, 5, () =>
    specialise(sortSrc, {
      TX,
      TC,
      FLOAT: TC === "f32",
      FROM_X: false,
      TO_OUT: false,
      MAIN: "main_global",
    }));
  const [gx, gy] = grid("sort", Math.ceil(rows * P / 2 / 256));
  for (let k = 2 * T; k <= P; k *= 2) {
    for (let j = k / 2; j >= T; j /= 2) {
      put(g, k, k, j);
      dispatch("sort", glob, [xb, kb, jb, vb, ib], gx, gy);
    }
    put(g, k, k, 0);
    dispatch("sort", local(false, k === P), [xb, kb, jb, vb, ib], tx, ty);
  }
  pool.release(kb);
  pool.release(jb);
}

/** Binary search of every value in its row of `sorted` (see Backend.searchSorted). */
export function searchSorted(sorted: Strided, values: Strided, right: boolean, out: Storage): void {
  const [B, M] = sorted.shape, Q = values.shape[1];
  if (B * Q === 0) return;
  const b = begin(), u = U.u32;
  u[b] = B;
  u[b + 1] = M;
  u[b + 2] = Q;
  u[b + 3] = right ? 1 : 0;
  u[b + 4] = sorted.offset;
  u[b + 5] = sorted.strides[0];
  u[b + 6] = sorted.strides[1];
  u[b + 7] = values.offset;
  u[b + 8] = values.strides[0];
  u[b + 9] = values.strides[1];
  const T = wgslType(sorted.storage.dtype);
  const k = kernel(`searchsorted:${T}`, 3, () => specialise(searchSrc, { T }));
  const [gx, gy] = grid("searchsorted", Math.ceil(B * Q / 256));
  dispatch(
    "searchsorted",
    k,
    [bufOf(sorted.storage), bufOf(values.storage), bufOf(out)],
    gx,
    gy,
  );
}

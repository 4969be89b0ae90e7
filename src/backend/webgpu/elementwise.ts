/** fill / unary / binary / where: one strided elementwise kernel family. */
import type { BinaryOp, Strided, UnaryOp } from "../backend.ts";
import { numelOf } from "../../tensor/shape.ts";
import commonBase from "../../../kernels/elementwise_common.wgsl" with { type: "text" };
import castSrc from "../../../kernels/elementwise_cast.wgsl" with { type: "text" };
import fillSrc from "../../../kernels/fill.wgsl" with { type: "text" };
import unarySrc from "../../../kernels/unary.wgsl" with { type: "text" };
import unaryOpsSrc from "../../../kernels/unary_ops.wgsl" with { type: "text" };
import binarySrc from "../../../kernels/binary.wgsl" with { type: "text" };
import binaryOpsSrc from "../../../kernels/binary_ops.wgsl" with { type: "text" };
import whereSrc from "../../../kernels/where.wgsl" with { type: "text" };
import { begin, dispatch, U } from "./encoder.ts";
import { kernel, specialise } from "./pipeline_cache.ts";
import { checkDims, coalesce, computeKind, grid, isFlat, putVec8, wgslType } from "./layout.ts";
import { bufOf } from "./storage.ts";
import { gpu } from "./device.ts";
import {
  BINARY_BOOL,
  BINARY_INT,
  fuseBinary,
  fuseFill,
  fuseUnary,
  fuseWhere,
  intParam,
  loadFn,
  UNARY_BOOL,
  UNARY_INT,
} from "./fusion.ts";

const commonSrc = commonBase + castSrc;

const f32Bits = new Float32Array(1);
const f32BitsI = new Int32Array(f32Bits.buffer);

/** Writes the shared parameter block; returns the indexing mode (see elementwise_common.wgsl). */
function params(op: string, views: Strided[]): { base: number; mode: number; n: number } {
  const out = views[0];
  const n = numelOf(out.shape);
  const c = coalesce(out.shape, views.map((v) => v.strides));
  checkDims(op, c);
  const base = begin();
  const { u32 } = U;
  u32[base] = n;
  u32[base + 1] = c.shape.length;
  putVec8(u32, base + 8, c.shape);
  for (let k = 0; k < views.length; k++) {
    u32[base + 16 + k] = views[k].offset;
    putVec8(u32, base + 20 + 8 * k, c.strides[k]);
  }
  // Mode 2 (rows × cols grid, no division) for 2-D layouts with enough columns to fill a
  // workgroup row; mode 0 when everything is contiguous; mode 1 otherwise.
  const mode = isFlat(c) ? 0 : c.shape.length === 2 && c.shape[1] >= 64 &&
      c.shape[0] <= gpu().maxGroups
    ? 2
    : 1;
  return { base, mode, n };
}

function run(
  op: string,
  key: string,
  nBuf: number,
  src: () => string,
  views: Strided[],
  base: number,
  mode: number,
): void {
  const k = kernel(key, nBuf, src);
  const n = numelOf(views[0].shape);
  const [x, y] = mode === 2
    ? [Math.ceil(U.u32[base + 9] / 256), U.u32[base + 8]]
    : grid(op, Math.ceil(n / 256));
  dispatch(op, k, views.map((v) => bufOf(v.storage)), x, y);
}

/** out[...] = value. */
export function fill(out: Strided, value: number): void {
  const n = numelOf(out.shape);
  if (n === 0 || fuseFill(out, value)) return;
  const { base, mode } = params("fill", [out]);
  const dt = out.storage.dtype;
  if (dt === "float32") {
    f32Bits[0] = value;
    U.i32[base + 6] = f32BitsI[0];
  } else U.i32[base + 6] = dt === "bool" ? (value ? 1 : 0) : value | 0;
  const TO = wgslType(dt);
  const key = `fill:${TO}:${mode}`;
  run("fill", key, 1, () => specialise(commonSrc + fillSrc, { TO, MODE: mode }), [out], base, mode);
}

/** out = op(x, p0, p1). */
export function unary(op: UnaryOp, x: Strided, out: Strided, p0 = 0, p1 = 0): void {
  const n = numelOf(out.shape);
  if (n === 0 || fuseUnary(op, x, out, p0, p1)) return;
  const { base, mode } = params(op, [out, x]);
  const TA = wgslType(x.storage.dtype), TO = wgslType(out.storage.dtype);
  let kind = computeKind(x.storage.dtype);
  if (kind === "i" && !UNARY_INT.has(op)) kind = "f";
  if (kind === "f") {
    U.f32[base + 4] = p0;
    U.f32[base + 5] = p1;
  } else {
    U.i32[base + 6] = intParam(p0);
    U.i32[base + 7] = intParam(p1);
  }
  const LD = loadFn(TA, kind);
  const res = UNARY_BOOL.has(op) ? "b" : kind;
  const vars = {
    TA,
    TO,
    MODE: mode,
    OP: `u_${op}_${kind}`,
    LD,
    ST: `st_${TO}_${res}`,
    P0: kind === "f" ? "P.p0f" : "P.p0i",
    P1: kind === "f" ? "P.p1f" : "P.p1i",
  };
  const key = `unary:${op}:${TA}:${TO}:${kind}:${mode}`;
  run(op, key, 2, () => specialise(commonSrc + unaryOpsSrc + unarySrc, vars), [out, x], base, mode);
}

/** out = op(a, b); a and b have one dtype and are broadcast to out's shape. */
export function binary(op: BinaryOp, a: Strided, b: Strided, out: Strided): void {
  const n = numelOf(out.shape);
  if (n === 0) return;
  if (a.storage.dtype !== b.storage.dtype) {
    throw new TypeError(
      `${op}: webgpu binary kernels need operands of one dtype (got ${a.storage.dtype} and ${b.storage.dtype})`,
    );
  }
  if (fuseBinary(op, a, b, out)) return;
  const { base, mode } = params(op, [out, a, b]);
  const TA = wgslType(a.storage.dtype), TO = wgslType(out.storage.dtype);
  let kind = computeKind(a.storage.dtype);
  if (kind === "i" && !BINARY_INT.has(op)) kind = "f";
  const LD = loadFn(TA, kind);
  const res = BINARY_BOOL.has(op) ? "b" : kind;
  const vars = { TA, TO, MODE: mode, OP: `b_${op}_${kind}`, LD, ST: `st_${TO}_${res}` };
  const key = `binary:${op}:${TA}:${TO}:${kind}:${mode}`;
  run(
    op,
    key,
    3,
    () => specialise(commonSrc + unaryOpsSrc + binaryOpsSrc + binarySrc, vars),
    [out, a, b],
    base,
    mode,
  );
}

/** out = cond ? a : b. */
export function where(cond: Strided, a: Strided, b: Strided, out: Strided): void {
  const n = numelOf(out.shape);
  if (n === 0) return;
  if (a.storage.dtype !== out.storage.dtype || b.storage.dtype !== out.storage.dtype) {
    throw new TypeError(`where: webgpu kernel needs a, b and out of one dtype`);
  }
  if (fuseWhere(cond, a, b, out)) return;
  const { base, mode } = params("where", [out, a, b, cond]);
  const TO = wgslType(out.storage.dtype);
  const key = `where:${TO}:${mode}`;
  run(
    "where",
    key,
    4,
    () => specialise(commonSrc + whereSrc, { TO, MODE: mode }),
    [out, a, b, cond],
    base,
    mode,
  );
}

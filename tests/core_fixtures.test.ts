/**
 * Every core op against PyTorch 1.13: forward values (float64 and float32), gradients of a
 * weighted sum of the outputs, and gradcheck. Reference data: tests/fixtures/core/ops.json,
 * written by tools/gen_core_fixtures.py (the op keys below mirror its OPS table).
 */
import assert from "node:assert/strict";
import * as dt from "../mod.ts";
import fixture from "./fixtures/core/ops.json" with { type: "json" };
import {
  type OpCase,
  type OpFn,
  type Params as P,
  registerOpCaseTests,
} from "./_support/op_fixtures.ts";

const dims = (p: P) => p.dim as number | number[] | undefined;
const kd = (p: P) => (p.keepdim as boolean | undefined) ?? false;
const num = (v: unknown) => (v === "inf" ? Infinity : v as number);

const OPS: Record<string, OpFn> = {
  add: ([a, b], p) => a.add(b, p.alpha as number | undefined),
  sub: ([a, b], p) => a.sub(b, p.alpha as number | undefined),
  mul: ([a, b]) => a.mul(b),
  div: ([a, b]) => a.div(b),
  pow: ([a, b]) => a.pow(b),
  maximum: ([a, b]) => a.maximum(b),
  minimum: ([a, b]) => a.minimum(b),
  where: ([c, a, b]) => dt.where(c, a, b),
  add_s: ([a], p) => a.add(p.s as number),
  rsub_s: ([a], p) => dt.sub(p.s as number, a),
  mul_s: ([a], p) => a.mul(p.s as number),
  div_s: ([a], p) => a.div(p.s as number),
  rdiv_s: ([a], p) => dt.div(p.s as number, a),
  pow_s: ([a], p) => a.pow(p.s as number),
  rpow_s: ([a], p) => dt.pow(p.s as number, a),
  maximum_s: ([a], p) => a.maximum(p.s as number),
  neg: ([a]) => a.neg(),
  abs: ([a]) => a.abs(),
  exp: ([a]) => a.exp(),
  log: ([a]) => a.log(),
  sqrt: ([a]) => a.sqrt(),
  rsqrt: ([a]) => a.rsqrt(),
  sin: ([a]) => a.sin(),
  cos: ([a]) => a.cos(),
  tanh: ([a]) => a.tanh(),
  sigmoid: ([a]) => a.sigmoid(),
  relu: ([a]) => a.relu(),
  leakyRelu: ([a], p) => a.leakyRelu(p.slope as number | undefined),
  gelu: ([a], p) => a.gelu(p.approximate as "none" | "tanh" | undefined),
  clamp: ([a], p) => a.clamp(p.min as number | undefined, p.max as number | undefined),
  sign: ([a]) => a.sign(),
  erf: ([a]) => a.erf(),
  log1p: ([a]) => a.log1p(),
  expm1: ([a]) => a.expm1(),
  reciprocal: ([a]) => a.reciprocal(),
  floor: ([a]) => a.floor(),
  ceil: ([a]) => a.ceil(),
  round: ([a]) => a.round(),
  square: ([a]) => a.square(),
  eq: ([a, b]) => a.eq(b),
  lt: ([a, b]) => a.lt(b),
  ge: ([a, b]) => a.ge(b),
  sum: ([a], p) => a.sum(dims(p), kd(p)),
  mean: ([a], p) => a.mean(dims(p), kd(p)),
  prod: ([a], p) => a.prod(dims(p), kd(p)),
  amax: ([a], p) => a.amax(dims(p), kd(p)),
  amin: ([a], p) => a.amin(dims(p), kd(p)),
  max: ([a]) => a.max(),
  min: ([a]) => a.min(),
  maxDim: ([a], p) => [...a.max(p.dim as number, kd(p))],
  minDim: ([a], p) => [...a.min(p.dim as number, kd(p))],
  argmax: ([a], p) => a.argmax(p.dim as number | undefined, kd(p)),
  argmin: ([a], p) => a.argmin(p.dim as number | undefined, kd(p)),
  var: ([a], p) => a.var(dims(p), { correction: p.correction as number, keepdim: kd(p) }),
  std: ([a], p) => a.std(dims(p), { correction: p.correction as number, keepdim: kd(p) }),
  logsumexp: ([a], p) => a.logsumexp(p.dim as number | number[], kd(p)),
  softmax: ([a], p) => a.softmax(p.dim as number),
  logSoftmax: ([a], p) => a.logSoftmax(p.dim as number),
  norm: ([a], p) => a.norm(num(p.p), dims(p), kd(p)),
  matmul: ([a, b]) => a.matmul(b),
  mm: ([a, b]) => dt.mm(a, b),
  bmm: ([a, b]) => dt.bmm(a, b),
  reshape: ([a], p) => a.reshape(p.shape as number[]),
  view: ([a], p) => a.view(p.shape as number[]),
  flatten: ([a], p) => a.flatten(p.start as number | undefined, p.end as number | undefined),
  unflatten: ([a], p) => a.unflatten(p.dim as number, p.sizes as number[]),
  squeeze: ([a], p) => a.squeeze(dims(p)),
  unsqueeze: ([a], p) => a.unsqueeze(p.dim as number),
  transpose: ([a], p) => a.transpose(p.d0 as number, p.d1 as number),
  permute: ([a], p) => a.permute(p.dims as number[]),
  expand: ([a], p) => a.expand(p.shape as number[]),
  contiguous: ([a]) => a.contiguous(),
  slice: ([a], p) =>
    a.slice(
      p.dim as number,
      p.start as number | null,
      p.end as number | null,
      (p.step as number) ?? 1,
    ),
  narrow: ([a], p) => a.narrow(p.dim as number, p.start as number, p.length as number),
  select: ([a], p) => a.select(p.dim as number, p.index as number),
  cat: (xs, p) => dt.cat(xs, p.dim as number),
  stack: (xs, p) => dt.stack(xs, p.dim as number),
  split: ([a], p) => a.split(p.size as number | number[], p.dim as number | undefined),
  chunk: ([a], p) => a.chunk(p.chunks as number, p.dim as number | undefined),
  unbind: ([a], p) => a.unbind(p.dim as number | undefined),
  gather: ([a, i], p) => a.gather(p.dim as number, i),
  scatter: ([a, i, s], p) => a.scatter(p.dim as number, i, s),
  scatterAdd: ([a, i, s], p) => a.scatterAdd(p.dim as number, i, s),
  indexSelect: ([a, i], p) => a.indexSelect(p.dim as number, i),
  flip: ([a], p) => a.flip(p.dims as number[]),
  repeat: ([a], p) => a.repeat(p.repeats as number[]),
  toFloat32: ([a]) => a.float(),
  toInt32: ([a]) => a.int(),
  toBool: ([a]) => a.bool(),
  add_: ([a, b], p) => a.mul(1).add_(b, p.alpha as number | undefined),
  sub_: ([a, b]) => a.mul(1).sub_(b),
  mul_: ([a, b]) => a.mul(1).mul_(b),
  div_: ([a, b]) => a.mul(1).div_(b),
  copy_: ([a, b]) => a.mul(1).copy_(b),
  zero_then_add: ([a, b]) => a.mul(1).zero_().add_(b),
};

const cases = (fixture as unknown as { cases: OpCase[] }).cases;

Deno.test("fixture file covers every op key and was made by PyTorch 1.13", () => {
  assert.match((fixture as { torch: string }).torch, /^1\.13/);
  const used = new Set(cases.map((c) => c.op));
  assert.deepEqual([...used].sort(), Object.keys(OPS).sort());
});

registerOpCaseTests("", cases, OPS, { f32Tol: 1e-5 });

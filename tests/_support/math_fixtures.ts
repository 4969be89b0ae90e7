/**
 * Runs the cases of tests/fixtures/core/math.json (written by tools/gen_math_fixtures.py) for
 * one group: float64 values and gradients against PyTorch 1.13, gradcheck, and float32 values.
 */
import assert from "node:assert/strict";
import type * as dt from "../../mod.ts";
import fixture from "../fixtures/core/math.json" with { type: "json" };
import type { Expected } from "../helpers.ts";
import { type OpFn, type Params, registerOpCaseTests } from "./op_fixtures.ts";

export type { OpFn, Params } from "./op_fixtures.ts";

type Raw = number | boolean | string;
interface Enc {
  shape: number[];
  dtype: dt.DType;
  data: Raw[];
}
/** One decoded fixture case. */
export interface MathCase {
  id: string;
  op: string;
  group: string;
  params: Params;
  inputs: { shape: number[]; dtype: dt.DType; data: number[] }[];
  pre: unknown[][][];
  outputs: Expected[];
  grads?: (Expected | null)[];
  gradcheck: boolean;
}

function num(v: Raw): number {
  if (v === "inf") return Infinity;
  if (v === "-inf") return -Infinity;
  if (v === "nan") return NaN;
  return Number(v);
}

function decode(e: Enc): { shape: number[]; dtype: dt.DType; data: number[] } {
  return { shape: e.shape, dtype: e.dtype, data: e.data.map(num) };
}

/** The cases of one group. */
export function casesOf(group: string): MathCase[] {
  const raw = (fixture as unknown as {
    cases: (Omit<MathCase, "inputs" | "outputs" | "grads"> & {
      inputs: Enc[];
      outputs: Enc[];
      grads?: (Enc | null)[];
    })[];
  }).cases;
  return raw.filter((c) => c.group === group).map((c) => ({
    ...c,
    inputs: c.inputs.map(decode),
    outputs: c.outputs.map(decode),
    grads: c.grads?.map((g) => (g ? decode(g) : null)),
  }));
}

/**
 * Registers the fixture tests of `group`: coverage of the op keys, then per op the float64
 * check (values, gradients, gradcheck) and the float32 forward (skipping cases `f32Skip` names:
 * inputs that float32 cannot represent faithfully).
 */
export function registerFixtureTests(
  group: string,
  ops: Record<string, OpFn>,
  f32Skip: (c: MathCase) => boolean = () => false,
): void {
  const cases = casesOf(group);
  Deno.test(`math fixtures (${group}): every op key covered, made by PyTorch 1.13`, () => {
    assert.match((fixture as { torch: string }).torch, /^1\.13/);
    assert.deepEqual([...new Set(cases.map((c) => c.op))].sort(), Object.keys(ops).sort());
  });

  registerOpCaseTests("", cases, ops, { f32Tol: 1e-5, f32Skip });
}

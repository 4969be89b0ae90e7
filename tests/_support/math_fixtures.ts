/**
 * Runs the cases of tests/fixtures/core/math.json (written by tools/gen_math_fixtures.py) for
 * one group: float64 values and gradients against PyTorch 1.13, gradcheck, and float32 values.
 */
import assert from "node:assert/strict";
import * as dt from "../../mod.ts";
import type { Tensor } from "../../mod.ts";
import fixture from "../fixtures/core/math.json" with { type: "json" };
import { applyPre, assertTensor, checkOp, type Expected } from "../helpers.ts";

/** Parameters of a case, as the generator wrote them. */
export type Params = Record<string, unknown>;
/** The denotorch side of one op key. */
export type OpFn = (xs: Tensor[], p: Params) => Tensor | Tensor[];

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
  const run = (c: MathCase, xs: Tensor[]): Tensor[] => {
    const r = ops[c.op](xs.map((x, i) => applyPre(x, c.pre[i])), c.params);
    return Array.isArray(r) ? r : [r];
  };

  Deno.test(`math fixtures (${group}): every op key covered, made by PyTorch 1.13`, () => {
    assert.match((fixture as { torch: string }).torch, /^1\.13/);
    assert.deepEqual([...new Set(cases.map((c) => c.op))].sort(), Object.keys(ops).sort());
  });

  const byOp = new Map<string, MathCase[]>();
  for (const c of cases) byOp.set(c.op, [...(byOp.get(c.op) ?? []), c]);
  for (const [op, list] of byOp) {
    Deno.test(`fixtures: ${op} (${list.length} cases) float64 values, grads, gradcheck`, () => {
      for (const c of list) {
        const hasGrad = Boolean(c.grads);
        checkOp(c.id, {
          inputs: c.inputs.map((inp) => ({
            shape: inp.shape,
            data: inp.data,
            dtype: inp.dtype,
            grad: hasGrad && inp.dtype === "float64",
          })),
          fn: (...xs) => run(c, xs),
          expected: c.outputs,
          grads: c.grads,
          gradcheck: c.gradcheck,
          atol: 1e-9,
          rtol: 1e-8,
        });
      }
    });

    Deno.test(`fixtures: ${op} float32 forward`, () => {
      for (const c of list) {
        if (f32Skip(c)) continue;
        const xs = c.inputs.map((inp) =>
          dt.tensor(inp.data, {
            shape: inp.shape,
            dtype: inp.dtype === "float64" ? "float32" : inp.dtype,
          })
        );
        const outs = run(c, xs);
        outs.forEach((o, i) => {
          const e = c.outputs[i];
          const dtype = e.dtype === "float64" ? "float32" : e.dtype;
          assertTensor(o, { ...e, dtype }, { atol: 1e-5, rtol: 1e-5, msg: `${c.id} (float32)` });
        });
      }
    });
  }
}

/**
 * Runner shared by core_scan, core_linalg and core_shape_extra tests: each registers its op
 * keys; every case of tests/fixtures/core/extra_ops.json (written by
 * tools/gen_extra_ops_fixtures.py with PyTorch 1.13) is checked for float64 values, gradients
 * of a weighted sum of the outputs, gradcheck, and float32 forward values.
 */
import assert from "node:assert/strict";
import * as dt from "../mod.ts";
import type { Tensor } from "../mod.ts";
import fixture from "./fixtures/core/extra_ops.json" with { type: "json" };
import { applyPre, assertTensor, checkOp, type Expected } from "./helpers.ts";

/** Parameters of a case, as the generator wrote them. */
export type P = Record<string, unknown>;
/** An op under test: inputs (views applied) and parameters to outputs. */
export type OpFn = (xs: Tensor[], p: P) => Tensor | Tensor[];

interface Case {
  id: string;
  op: string;
  group: string;
  params: P;
  inputs: { shape: number[]; dtype: dt.DType; data: (number | boolean)[] }[];
  pre: unknown[][][];
  outputs: Expected[];
  grads?: (Expected | null)[];
  gradcheck?: boolean;
}

/** "inf" in a fixture (JSON has no Infinity) as a number. */
export const num = (v: unknown): number => (v === "inf" ? Infinity : v as number);

const cases = (fixture as unknown as { cases: Case[] }).cases;

/** Registers the fixture tests of one group (scan, linalg, shape) for the ops in `ops`. */
export function fixtureTests(group: string, ops: Record<string, OpFn>): void {
  const mine = cases.filter((c) => c.group === group);
  Deno.test(`${group} fixtures cover every op key and were made by PyTorch 1.13`, () => {
    assert.match((fixture as { torch: string }).torch, /^1\.13/);
    assert.deepEqual([...new Set(mine.map((c) => c.op))].sort(), Object.keys(ops).sort());
  });
  const run = (c: Case, inputs: Tensor[]): Tensor[] => {
    const r = ops[c.op](inputs.map((x, i) => applyPre(x, c.pre[i])), c.params);
    return Array.isArray(r) ? r : [r];
  };
  const byOp = new Map<string, Case[]>();
  for (const c of mine) byOp.set(c.op, [...(byOp.get(c.op) ?? []), c]);
  for (const [op, list] of byOp) {
    Deno.test(`${group} fixtures: ${op} (${list.length} cases) float64 values, grads, gradcheck`, () => {
      for (const c of list) {
        const hasGrad = Boolean(c.grads);
        checkOp(c.id, {
          inputs: c.inputs.map((inp) => ({
            shape: inp.shape,
            data: inp.data.map(Number),
            dtype: inp.dtype,
            grad: hasGrad && inp.dtype === "float64",
          })),
          fn: (...xs) => run(c, xs),
          expected: c.outputs,
          grads: c.grads,
          gradcheck: c.gradcheck ?? false,
          atol: 1e-9,
          rtol: 1e-8,
        });
      }
    });
    Deno.test(`${group} fixtures: ${op} float32 forward`, () => {
      for (const c of list) {
        const xs = c.inputs.map((inp) =>
          dt.tensor(inp.data.map(Number), {
            shape: inp.shape,
            dtype: inp.dtype === "float64" ? "float32" : inp.dtype,
          })
        );
        const outs = run(c, xs);
        assert.equal(outs.length, c.outputs.length, `${c.id}: number of outputs`);
        outs.forEach((o, i) => {
          const e = c.outputs[i];
          const dtype = e.dtype === "float64" ? "float32" : e.dtype;
          assertTensor(o, { ...e, dtype }, { atol: 2e-5, rtol: 2e-5, msg: `${c.id} (float32)` });
        });
      }
    });
  }
}

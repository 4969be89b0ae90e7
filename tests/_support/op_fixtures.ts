/**
 * The per-op fixture tests shared by the core, extra-ops and math fixture files (all written by
 * tools/gen_*_fixtures.py through the same case loop): float64 values, gradients of a weighted sum
 * of the outputs and gradcheck, then the float32 forward values.
 */
import assert from "node:assert/strict";
import * as dt from "../../mod.ts";
import type { Tensor } from "../../mod.ts";
import { applyPre, assertTensor, checkOp, type Expected } from "../helpers.ts";

/** Parameters of a case, as the generator wrote them. */
export type Params = Record<string, unknown>;
/** The denotorch side of one op key: inputs (views applied) and parameters to outputs. */
export type OpFn = (xs: Tensor[], p: Params) => Tensor | Tensor[];

/** One fixture case of an op. */
export interface OpCase {
  id: string;
  op: string;
  params: Params;
  inputs: { shape: number[]; dtype: dt.DType; data: (number | boolean)[] }[];
  pre: unknown[][][];
  outputs: Expected[];
  grads?: (Expected | null)[];
  gradcheck?: boolean;
}

/**
 * Registers, per op key of `cases`, the float64 check and the float32 forward (within `f32Tol`,
 * skipping the cases `f32Skip` names). Test names start with `prefix`.
 */
export function registerOpCaseTests<C extends OpCase>(
  prefix: string,
  cases: C[],
  ops: Record<string, OpFn>,
  { f32Tol, f32Skip = () => false }: { f32Tol: number; f32Skip?: (c: C) => boolean },
): void {
  const run = (c: C, xs: Tensor[]): Tensor[] => {
    const r = ops[c.op](xs.map((x, i) => applyPre(x, c.pre[i])), c.params);
    return Array.isArray(r) ? r : [r];
  };
  const byOp = new Map<string, C[]>();
  for (const c of cases) byOp.set(c.op, [...(byOp.get(c.op) ?? []), c]);
  for (const [op, list] of byOp) {
    Deno.test(`${prefix}fixtures: ${op} (${list.length} cases) float64 values, grads, gradcheck`, () => {
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
    Deno.test(`${prefix}fixtures: ${op} float32 forward`, () => {
      for (const c of list) {
        if (f32Skip(c)) continue;
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
          assertTensor(o, { ...e, dtype }, {
            atol: f32Tol,
            rtol: f32Tol,
            msg: `${c.id} (float32)`,
          });
        });
      }
    });
  }
}

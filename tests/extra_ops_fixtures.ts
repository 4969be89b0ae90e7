/**
 * Runner shared by core_scan, core_linalg and core_shape_extra tests: each registers its op
 * keys; every case of tests/fixtures/core/extra_ops.json (written by
 * tools/gen_extra_ops_fixtures.py with PyTorch 1.13) is checked for float64 values, gradients
 * of a weighted sum of the outputs, gradcheck, and float32 forward values.
 */
import assert from "node:assert/strict";
import fixture from "./fixtures/core/extra_ops.json" with { type: "json" };
import { type OpCase, type OpFn, registerOpCaseTests } from "./_support/op_fixtures.ts";

export type { OpFn, Params as P } from "./_support/op_fixtures.ts";

type Case = OpCase & { group: string };

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
  registerOpCaseTests(`${group} `, mine, ops, { f32Tol: 2e-5 });
}

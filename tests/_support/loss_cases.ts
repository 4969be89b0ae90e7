/**
 * The encoded loss cases written by tools/gen_loss*_fixtures.py: tensors as {dtype, shape, data}
 * with non-finite values as strings ("inf", "nan"), how they decode and compare, and the test of
 * a functional loss's cases (value and the gradients of its sum).
 */
import assert from "node:assert/strict";
import { type DType, tensor } from "../../mod.ts";
import type { Tensor } from "../../src/tensor/tensor.ts";

/** One encoded tensor. */
export interface Enc {
  dtype: DType;
  shape: number[];
  data: (number | string)[];
}

/** One case: the functional loss `fn` on `args` with `opts`, its output and input gradients. */
export interface LossCase {
  name: string;
  fn: string;
  opts: Record<string, number | string | boolean>;
  args: Enc[];
  out: Enc;
  grads: (Enc | null)[];
}

/** The cases of tests/fixtures/loss/`file`. */
export function loadLossCases<C = LossCase>(file: string): C[] {
  const url = new URL(`../fixtures/loss/${file}`, import.meta.url);
  return (JSON.parse(Deno.readTextFileSync(url)) as { cases: C[] }).cases;
}

/** A fixture number (non-finite values are stored as Python writes them: "inf", "-inf", "nan"). */
export const num = (v: number | string): number =>
  typeof v === "number" ? v : v === "inf" ? Infinity : v === "-inf" ? -Infinity : Number(v);

/** The tensor an encoded value describes. */
export const dec = (e: Enc, requiresGrad = false): Tensor =>
  tensor(e.data.map(num), { dtype: e.dtype, shape: e.shape, requiresGrad });

/** Asserts |a − e| <= tol·(1 + |e|) elementwise; NaN matches NaN, an infinity only itself. */
export function assertNear(
  actual: ArrayLike<number>,
  expected: (number | string)[],
  tol: number,
  what: string,
): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const e = num(expected[i]), a = actual[i];
    assert.ok(
      Math.abs(a - e) <= tol * (1 + Math.abs(e)) || (Number.isNaN(a) && Number.isNaN(e)) ||
        a === e,
      `${what}[${i}]: got ${a}, expected ${e}`,
    );
  }
}

/**
 * Registers a test per case of tests/fixtures/loss/`file`: `call` on the decoded args (those with
 * a reference gradient require grad) gives PyTorch's value, and the gradients of its sum.
 */
export function lossCaseTests(
  label: string,
  file: string,
  call: (c: LossCase, args: Tensor[]) => Tensor,
): void {
  for (const c of loadLossCases(file)) {
    Deno.test(`${label}: ${c.name}`, async () => {
      const args = c.args.map((a, i) => dec(a, c.grads[i] !== null));
      const out = call(c, args);
      assert.deepEqual(out.shape, c.out.shape, "output shape");
      const tol = c.args[0].dtype === "float64" ? 1e-10 : 1e-5;
      assertNear(await out.toArray(), c.out.data, tol, "value");
      out.sum().backward();
      for (const [i, g] of c.grads.entries()) {
        if (g) assertNear(await args[i].grad!.toArray(), g.data, tol, `grad of arg ${i}`);
      }
    });
  }
}

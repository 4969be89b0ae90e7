/**
 * The encoded loss cases written by tools/gen_loss_extra_fixtures.py and
 * tools/gen_loss_margin_fixtures.py: tensors as {dtype, shape, data} with non-finite values as
 * strings ("inf", "nan").
 */
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
export function loadLossCases(file: string): LossCase[] {
  const url = new URL(`../fixtures/loss/${file}`, import.meta.url);
  return (JSON.parse(Deno.readTextFileSync(url)) as { cases: LossCase[] }).cases;
}

/** A fixture number (non-finite values are stored as Python writes them: "inf", "-inf", "nan"). */
export const num = (v: number | string): number =>
  typeof v === "number" ? v : v === "inf" ? Infinity : v === "-inf" ? -Infinity : Number(v);

/** The tensor an encoded value describes. */
export const dec = (e: Enc, requiresGrad = false): Tensor =>
  tensor(e.data.map(num), { dtype: e.dtype, shape: e.shape, requiresGrad });

// Every functional loss against PyTorch 1.13: forward values and d sum(out) / d input,
// from tests/fixtures/loss/cases.json (written by tools/gen_loss_fixtures.py).
import assert from "node:assert/strict";
import type { Tensor } from "../src/tensor/tensor.ts";
import * as F from "../src/nn/functional/loss.ts";
import { assertNear, dec, type Enc, loadLossCases } from "./_support/loss_cases.ts";

interface Case {
  name: string;
  fn: string;
  opts: Record<string, number | string>;
  input: Enc;
  target: Enc;
  weight?: Enc;
  posWeight?: Enc;
  out: Enc;
  grad?: Enc;
}

const cases = loadLossCases<Case>("cases.json");

type LossFn = (i: Tensor, t: Tensor, o: Record<string, unknown>) => Tensor;
const fns: Record<string, LossFn> = {
  mse_loss: F.mseLoss,
  l1_loss: F.l1Loss,
  smooth_l1_loss: F.smoothL1Loss,
  huber_loss: F.huberLoss,
  nll_loss: F.nllLoss,
  cross_entropy: F.crossEntropy,
  binary_cross_entropy: F.binaryCrossEntropy,
  binary_cross_entropy_with_logits: F.binaryCrossEntropyWithLogits,
};
const optName: Record<string, string> = {
  ignore_index: "ignoreIndex",
  label_smoothing: "labelSmoothing",
};

for (const c of cases) {
  Deno.test(`loss fixture: ${c.name}`, async () => {
    const input = dec(c.input, true);
    const opts: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(c.opts)) opts[optName[k] ?? k] = v;
    if (c.weight) opts.weight = dec(c.weight);
    if (c.posWeight) opts.posWeight = dec(c.posWeight);
    const out = fns[c.fn](input, dec(c.target), opts);
    assert.deepEqual(out.shape, c.out.shape, "output shape");
    const tol = c.input.dtype === "float64" ? 1e-10 : 1e-5;
    assertNear(await out.toArray(), c.out.data, tol, "value");
    for (const v of await out.toArray()) assert.ok(Number.isFinite(v), `${c.name}: finite`);
    if (c.grad) {
      out.sum().backward();
      assertNear(await input.grad!.toArray(), c.grad.data, tol, "grad");
    }
  });
}

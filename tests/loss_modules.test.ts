// Loss modules delegate to the functional forms with their stored options; weights are
// buffers under PyTorch's state-dict keys.
import assert from "node:assert/strict";
import { randn, tensor } from "../src/tensor/creation.ts";
import {
  BCELoss,
  BCEWithLogitsLoss,
  CrossEntropyLoss,
  HuberLoss,
  L1Loss,
  MSELoss,
  NLLLoss,
  SmoothL1Loss,
} from "../src/nn/loss.ts";
import * as F from "../src/nn/functional/loss.ts";

Deno.test("loss modules equal their functional forms", async () => {
  const x = randn([4, 3]), y = randn([4, 3]);
  const t = tensor([0, 2, 1, -100], { dtype: "int32" });
  const w = tensor([0.2, 1, 3]);
  const p = x.sigmoid(), b = y.gt(0).float();
  const pairs: [number, number][] = await Promise.all([
    [new MSELoss().call(x, y), F.mseLoss(x, y)],
    [new L1Loss({ reduction: "sum" }).call(x, y), F.l1Loss(x, y, { reduction: "sum" })],
    [new SmoothL1Loss({ beta: 0.5 }).call(x, y), F.smoothL1Loss(x, y, { beta: 0.5 })],
    [new HuberLoss({ delta: 2 }).call(x, y), F.huberLoss(x, y, { delta: 2 })],
    [
      new NLLLoss({ weight: w }).call(x.logSoftmax(1), t),
      F.nllLoss(x.logSoftmax(1), t, { weight: w }),
    ],
    [
      new CrossEntropyLoss({ weight: w, labelSmoothing: 0.1 }).call(x, t),
      F.crossEntropy(x, t, { weight: w, labelSmoothing: 0.1 }),
    ],
    [new BCELoss().call(p, b), F.binaryCrossEntropy(p, b)],
    [
      new BCEWithLogitsLoss({ posWeight: w }).call(x, b),
      F.binaryCrossEntropyWithLogits(x, b, { posWeight: w }),
    ],
  ].map(async ([a, c]) => [await a.item(), await c.item()] as [number, number]));
  for (const [a, c] of pairs) assert.equal(a, c);
});

Deno.test("loss weights are buffers with PyTorch's keys; modules have no parameters", () => {
  const w = tensor([1, 2]);
  const ce = new CrossEntropyLoss({ weight: w, ignoreIndex: 1 });
  assert.deepEqual(Object.keys(ce.stateDict()), ["weight"]);
  assert.equal(ce.parameters().length, 0);
  const bce = new BCEWithLogitsLoss({ weight: w, posWeight: w });
  assert.deepEqual(Object.keys(bce.stateDict()), ["weight", "pos_weight"]);
  assert.match(ce.toString(), /ignoreIndex=1/);
});

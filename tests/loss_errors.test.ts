// Bad input to the losses fails at once with errors naming the op, shapes and dtypes.
import assert from "node:assert/strict";
import { randn, tensor } from "../src/tensor/creation.ts";
import * as F from "../src/nn/functional/loss.ts";

const idx = (v: number[]) => tensor(v, { dtype: "int32" });

Deno.test("crossEntropy: class index out of range names the op and bounds", () => {
  const x = randn([3, 4]);
  assert.throws(
    () => F.crossEntropy(x, idx([0, 4, 1])),
    /crossEntropy: target 4 is out of bounds for 4 classes/,
  );
  assert.throws(() => F.nllLoss(x, idx([0, -1, 1])), /nllLoss: target -1 is out of bounds/);
  // ignoreIndex is allowed anywhere, also outside 0..C-1
  assert.doesNotThrow(() => F.crossEntropy(x, idx([0, -100, 1])));
  assert.doesNotThrow(() => F.crossEntropy(x, idx([0, 7, 1]), { ignoreIndex: 7 }));
});

Deno.test("crossEntropy: target shape and dtype mismatches", () => {
  const x = randn([3, 4]);
  assert.throws(
    () => F.crossEntropy(x, idx([0, 1])),
    /expected target shape \[3\] for input shape \[3, 4\].*got \[2\]/,
  );
  assert.throws(
    () => F.crossEntropy(x, randn([3])),
    /target shape \[3\] must match input shape \[3, 4\]/,
  );
  assert.throws(() => F.crossEntropy(x, tensor([true, false, true])), /int32.*got bool/);
  assert.throws(() => F.crossEntropy(idx([1, 2]), idx([0])), /floating point input, got int32/);
  assert.throws(
    () => F.crossEntropy(x, idx([0, 1, 2]), { weight: randn([3]) }),
    /weight must be a 1-D tensor of 4 elements.*\[3\]/,
  );
  assert.throws(() => F.crossEntropy(x, idx([0, 1, 2]), { labelSmoothing: 1.5 }), /labelSmoothing/);
});

Deno.test("regression and binary losses: shape, dtype and option errors", () => {
  const x = randn([2, 3]);
  assert.throws(
    () => F.mseLoss(x, randn([3])),
    /mseLoss: target shape \[3\] must match input shape \[2, 3\]/,
  );
  assert.throws(
    () => F.l1Loss(x, randn([2, 3], { dtype: "float64" })),
    /l1Loss: target \(float64 on cpu\)/,
  );
  assert.throws(() => F.smoothL1Loss(x, x, { beta: -1 }), /beta must be non-negative/);
  assert.throws(() => F.huberLoss(x, x, { delta: 0 }), /delta must be positive/);
  assert.throws(() => F.binaryCrossEntropy(x, idx([1, 0, 1])), /floating point target, got int32/);
  assert.throws(() => F.mseLoss(x, x, { reduction: "avg" as F.Reduction }), /reduction must be/);
});

Deno.test("losses on logits of ±1e4 stay finite, also their gradients", async () => {
  const x = tensor([[1e4, -1e4, 0], [-1e4, 1e4, 3]], { requiresGrad: true });
  const ce = F.crossEntropy(x, idx([1, 0]), { labelSmoothing: 0.1 });
  const bce = F.binaryCrossEntropyWithLogits(x, tensor([[0, 1, 1], [1, 0, 0]]));
  ce.add(bce).backward();
  for (const v of [await ce.item(), await bce.item(), ...await x.grad!.toArray()]) {
    assert.ok(Number.isFinite(v), `${v} is finite`);
  }
  // PyTorch 1.13: F.cross_entropy(x, [1, 0], label_smoothing=0.1) = 18999.94921875
  assert.ok(Math.abs((await ce.item()) - 18999.94921875) < 0.05);
});

Deno.test("crossEntropy: all targets ignored gives NaN with mean (as PyTorch)", async () => {
  const out = F.crossEntropy(randn([2, 3]), idx([-100, -100]));
  assert.ok(Number.isNaN(await out.item()));
});

// Gradients of every loss (all reductions and the main options) against central finite
// differences in float64 on the cpu (gradcheck), with respect to input and, for the
// regression and binary losses, target.
import { gradcheck } from "../src/autograd/gradcheck.ts";
import { rand, randn, tensor } from "../src/tensor/creation.ts";
import { manualSeed } from "../src/tensor/random.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import * as F from "../src/nn/functional/loss.ts";

const f64 = { dtype: "float64" as const };
const reductions: F.Reduction[] = ["mean", "sum", "none"];
manualSeed(1);

const leaf = (t: Tensor): Tensor => t.requiresGrad_(true);
const int = (v: number[] | number, shape?: number[]): Tensor =>
  tensor(typeof v === "number" ? [v] : v, {
    dtype: "int32",
    shape: shape ?? (typeof v === "number" ? [] : [v.length]),
  });

for (const reduction of reductions) {
  Deno.test(`gradcheck regression losses (${reduction})`, () => {
    // Offsets keep |input - target| away from the kinks at 0 and beta/delta.
    const x = leaf(tensor([[0.3, -1.7, 2.2], [0.05, 1.4, -0.6]], f64));
    const y = leaf(tensor([[0.1, 0.2, -0.5], [0.9, 1.0, -0.1]], f64));
    gradcheck((a, b) => F.mseLoss(a, b, { reduction }), [x, y]);
    gradcheck((a, b) => F.l1Loss(a, b, { reduction }), [x, y]);
    gradcheck((a, b) => F.smoothL1Loss(a, b, { reduction, beta: 0.7 }), [x, y]);
    gradcheck((a, b) => F.huberLoss(a, b, { reduction, delta: 0.8 }), [x, y]);
  });

  Deno.test(`gradcheck crossEntropy / nllLoss with class indices (${reduction})`, () => {
    const x = leaf(randn([5, 4], f64));
    const t = int([0, 3, -100, 1, 2]);
    const weight = tensor([0.5, 1.5, 1.0, 2.0], f64);
    gradcheck((a) => F.crossEntropy(a, t, { reduction }), [x]);
    gradcheck((a) => F.crossEntropy(a, t, { reduction, weight, labelSmoothing: 0.2 }), [x]);
    gradcheck((a) => F.nllLoss(a.logSoftmax(1), t, { reduction, weight }), [x]);
    const x4 = leaf(randn([2, 3, 2, 2], f64));
    const t4 = int([0, 1, 2, 2, 1, 0, -100, 1], [2, 2, 2]);
    gradcheck((a) => F.crossEntropy(a, t4, { reduction, labelSmoothing: 0.1 }), [x4]);
  });

  Deno.test(`gradcheck crossEntropy with probability targets (${reduction})`, () => {
    const x = leaf(randn([3, 4], f64));
    const p = leaf(randn([3, 4], f64).softmax(1).detach());
    const weight = tensor([0.5, 1.5, 1.0, 2.0], f64);
    gradcheck((a, b) => F.crossEntropy(a, b, { reduction, weight, labelSmoothing: 0.1 }), [x, p]);
  });

  Deno.test(`gradcheck binary cross entropy losses (${reduction})`, () => {
    const p = leaf(rand([2, 3], f64).mul(0.8).add(0.1).detach());
    const y = leaf(rand([2, 3], f64));
    const z = leaf(randn([2, 3], f64).mul(3).detach());
    const weight = rand([2, 3], f64).add(0.5);
    const posWeight = tensor([0.5, 2.0, 3.0], f64);
    gradcheck((a, b) => F.binaryCrossEntropy(a, b, { reduction, weight }), [p, y]);
    gradcheck(
      (a, b) => F.binaryCrossEntropyWithLogits(a, b, { reduction, weight, posWeight }),
      [z, y],
    );
  });
}

Deno.test("gradcheck unbatched crossEntropy", () => {
  const x = leaf(randn([5], f64));
  gradcheck((a) => F.crossEntropy(a, int(2), { labelSmoothing: 0.3 }), [x]);
});

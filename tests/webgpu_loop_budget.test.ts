/**
 * Kernels whose invocations loop over a long dim, at sizes past llvmpipe's per-invocation loop
 * budget (65,535 iterations shared by all loops; longer loops are silently cut short): each
 * must split its work, decline to the composite path, or throw, never return truncated sums.
 * The second half forces a small budget so the splitting paths run on modest shapes.
 */
import { f, hasGpu, type Input, parity } from "./webgpu_helpers.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import * as F from "../src/ops/functional.ts";
import { conv2d } from "../src/ops/conv.ts";
import { maxPool2d } from "../src/ops/pool.ts";
import { batchNorm } from "../src/ops/norm.ts";
import { randn } from "../mod.ts";
import { assertThrowsWith } from "./helpers.ts";

type Case = [string, Input[], (...xs: Tensor[]) => Tensor | Tensor[], number?];

async function run(t: Deno.TestContext, cases: Case[]): Promise<void> {
  for (const [n, inputs, fn, tol] of cases) {
    await t.step(n, () => parity(n, inputs, fn, tol ? { rtol: tol, atol: tol } : {}));
  }
}

Deno.test({
  name: "webgpu loop budget: long loops at llvmpipe's real limit",
  ignore: !hasGpu,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await run(t, [
      ["softmax over 70,000 columns", [f([2, 70_000], 1)], (x) => F.softmax(x, 1)],
      ["logSoftmax over 70,000 columns", [f([2, 70_000], 2)], (x) => F.logSoftmax(x, 1)],
      [
        "matmul K = 70,001 (scalar loads)",
        [f([3, 70_001], 3, -1, 1), f([70_001, 2], 4, -1, 1)],
        (a, b) => a.matmul(b),
        1e-3,
      ],
      [
        "matmul of a transposed view, K = 70,000",
        [f([70_000, 3], 5, -1, 1), f([70_000, 2], 6, -1, 1)],
        (a, b) => a.t().matmul(b),
        1e-3,
      ],
      [
        "matmul K = 270,000 (vec4 loads)",
        [f([2, 270_000], 7, -1, 1, false), f([270_000, 3], 8, -1, 1, false)],
        (a, b) => a.matmul(b),
        1e-3,
      ],
      [
        "maxPool2d with a 260×260 window",
        [f([1, 2, 261, 261], 9)],
        (x) => maxPool2d(x, 260, { stride: 1 }),
      ],
      [
        "batchNorm training over 4.3M values per channel",
        [f([1, 1, 2080, 2080], 10, -1, 1)],
        (x) => batchNorm(x, null, null, { training: true }),
        1e-3,
      ],
    ]);
  },
});

Deno.test({
  name: "webgpu loop budget: forced small budget splits or declines",
  ignore: !hasGpu,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const { setLoopBudget } = await import("../src/backend/webgpu/device.ts");
    setLoopBudget(400);
    try {
      await run(t, [
        ["softmax declines to the composite path", [f([3, 150], 1)], (x) => F.softmax(x, 1)],
        [
          "matmul splits K (vec4 and scalar)",
          [f([5, 2000], 2), f([2000, 7], 3), f([5, 1999], 4), f([1999, 7], 5)],
          (a, b, c, d) => [a.matmul(b), c.matmul(d)],
          1e-3,
        ],
        [
          "conv2d weight gradient split by rows (rows kernels)",
          [f([2, 16, 20, 20], 6), f([24, 16, 3, 3], 7)],
          (x, w) => conv2d(x, w, null, { padding: 1 }),
          1e-3,
        ],
        [
          "conv2d weight gradient split by rows (general kernels)",
          [f([2, 3, 24, 24], 8), f([4, 3, 3, 3], 9)],
          (x, w) => conv2d(x, w, null, { padding: 1, stride: 2 }),
          1e-3,
        ],
        [
          "maxPool2d declines a 20×20 window",
          [f([1, 2, 21, 21], 10)],
          (x) => maxPool2d(x, 20, { stride: 1 }),
        ],
        [
          "batchNorm declines long channels",
          [f([4, 3, 12, 12], 11)],
          (x) => batchNorm(x, null, null, { training: true }),
          1e-3,
        ],
      ]);
      await t.step("conv2d over too many channels for the budget throws", () => {
        const x = randn([1, 256, 5, 5], { device: "webgpu" });
        const w = randn([2, 256, 3, 3], { device: "webgpu" });
        assertThrowsWith(() => conv2d(x, w, null, {}), "conv2d: ", "loop iterations");
      });
    } finally {
      setLoopBudget(null);
    }
  },
});

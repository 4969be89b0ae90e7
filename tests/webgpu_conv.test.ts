/** cpu-vs-webgpu parity of the implicit-GEMM convolution kernels (forward, dx, dW). */
import { f, hasGpu, parity } from "./webgpu_helpers.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import { conv2d } from "../src/ops/conv.ts";
import type { Conv2dOptions } from "../src/ops/conv.ts";
import { type ConvBlock, setConvBlock, setConvRows } from "../src/backend/webgpu/conv.ts";

type Case = [string, number[], number[], boolean, Conv2dOptions, ((x: Tensor) => Tensor)?];

const cases: Case[] = [
  ["3x3 pad 1", [2, 3, 9, 7], [5, 3, 3, 3], true, { padding: 1 }],
  ["pad 0 no bias", [2, 4, 8, 6], [6, 4, 3, 3], false, {}],
  ["stride 2", [2, 3, 11, 9], [4, 3, 3, 3], true, { stride: 2, padding: 1 }],
  ["stride (2,3) pad (1,2)", [1, 2, 10, 13], [3, 2, 3, 4], true, {
    stride: [2, 3],
    padding: [1, 2],
  }],
  ["dilation 2", [2, 3, 12, 10], [4, 3, 3, 3], true, { dilation: 2, padding: 2 }],
  ["groups 2", [2, 4, 7, 7], [6, 2, 3, 3], true, { groups: 2, padding: 1 }],
  ["depthwise", [2, 5, 6, 6], [5, 1, 3, 3], false, { groups: 5, padding: 1 }],
  ["same (even kernel)", [2, 3, 7, 6], [4, 3, 2, 4], true, { padding: "same" }],
  ["batch 1, 1x1", [1, 7, 5, 5], [9, 7, 1, 1], true, {}],
  ["stride 2 dilation 2 groups 3", [3, 6, 13, 11], [9, 2, 3, 2], true, {
    stride: 2,
    dilation: [2, 1],
    padding: [2, 1],
    groups: 3,
  }],
  [
    "non-contiguous input",
    [2, 7, 9, 3],
    [5, 3, 3, 3],
    true,
    { padding: 1 },
    (x) => x.permute(0, 3, 1, 2).slice(3, 0, null, 2),
  ],
  ["split-K weight grad", [5, 3, 32, 30], [4, 3, 3, 3], true, { padding: 1 }],
  ["many channels", [2, 40, 6, 6], [36, 40, 3, 3], true, { padding: 1 }],
  // One group takes the rows kernels (NHWC patch loads, permuted operands): dx for Cin >= 3,
  // dW for Cin >= 8.
  ["rows: odd Cout", [2, 9, 7, 5], [5, 9, 3, 3], true, { padding: 1 }],
  ["rows: stride 2", [2, 10, 11, 9], [7, 10, 3, 3], true, { stride: 2, padding: 1 }],
  ["rows: stride (2,3) dilation 2", [1, 12, 13, 14], [6, 12, 3, 2], false, {
    stride: [2, 3],
    dilation: 2,
    padding: [2, 1],
  }],
  [
    "rows: non-contiguous",
    [2, 9, 10, 8],
    [5, 8, 3, 3],
    true,
    { padding: 1 },
    (x) => x.permute(0, 3, 1, 2).slice(3, 0, null, 2),
  ],
  ["rows: split-K, 40 out", [6, 12, 20, 18], [40, 12, 3, 3], true, { padding: 1 }],
  ["rows: 1x1, 130 out", [2, 16, 5, 5], [130, 16, 1, 1], true, {}],
  // Narrow products: 8 lane groups along the rows (dx of 6 channels, 12 and 20 outputs).
  ["rows: dx of 6 channels, stride 2", [2, 6, 11, 9], [12, 6, 3, 3], true, {
    stride: 2,
    padding: 1,
  }],
  ["rows: 20 out, 100 out", [2, 20, 7, 6], [100, 20, 3, 3], false, { padding: 1 }],
];

function suite(name: string, block: ConvBlock | null, rows = true): void {
  Deno.test({
    name: `webgpu conv2d parity: ${name}`,
    ignore: !hasGpu,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn(t) {
      setConvBlock(block);
      const oldRows = setConvRows(rows);
      try {
        for (const [n, xs, ws, hasBias, opts, view] of cases) {
          const inputs = [f(xs, 1), f(ws, 2)];
          if (hasBias) inputs.push(f([ws[0]], 3));
          await t.step(n, () =>
            parity(
              n,
              inputs,
              (x, w, b) => conv2d(view ? view(x) : x, w, b ?? null, opts),
              { rtol: 3e-4, atol: 3e-4 },
            ));
        }
      } finally {
        setConvBlock(null);
        setConvRows(oldRows);
      }
    },
  });
}

suite("automatic block", null);
suite("block 8x4", { tm: 8, nv: 4 });
suite("block 32x2", { tm: 32, nv: 2 });
suite("general kernels only", null, false);

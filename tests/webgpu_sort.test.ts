/**
 * Sorting and selection on webgpu vs the cpu reference: values, indices and gradients for rows
 * of length 1, 2, 3, 1000 and 70,000 (past llvmpipe's per-invocation loop budget, so the bitonic
 * network must run as several dispatches), many rows, ties, NaN, -0, int32 keys, strided views
 * and empty tensors; searchsorted/bucketize; unique and bincount (async) against the cpu.
 */
import assert from "node:assert/strict";
import { f, hasGpu, type Input, parity, randData } from "./webgpu_helpers.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import * as F from "../src/ops/functional.ts";
import { tensor } from "../src/tensor/creation.ts";
import { webgpu } from "../src/backend/webgpu/mod.ts";
import type { Device } from "../src/tensor/dtype.ts";

/** Floats with many ties (half-integers in [-3, 3]), NaN every 17th and -0 every 13th element. */
function tied(shape: number[], seed = 1, grad = true): Input {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = randData(n, seed, -3, 3).map((v) => Math.round(v * 2) / 2);
  for (let i = 0; i < n; i++) {
    if (i % 17 === 5) d[i] = NaN;
    else if (i % 13 === 3) d[i] = -0;
  }
  return { data: d, shape, dtype: "float32", grad };
}

function intIn(shape: number[], lo: number, hi: number, seed = 3): Input {
  const n = shape.reduce((a, b) => a * b, 1);
  return {
    data: Int32Array.from(randData(n, seed, lo, hi), Math.floor),
    shape,
    dtype: "int32",
  };
}

type Case = [string, Input[], (...xs: Tensor[]) => Tensor | Tensor[]];

const sortBoth = (dim = -1, desc = false) => (x: Tensor) => [...F.sort(x, dim, desc)];

const CASES: Case[] = [
  ["sort length 1", [f([4, 1])], sortBoth()],
  ["sort length 2", [f([5, 2], 2)], sortBoth()],
  ["sort length 3 descending", [f([6, 3], 3)], sortBoth(-1, true)],
  ["sort 1000 with ties, NaN, -0", [tied([3, 1000], 4)], sortBoth()],
  ["sort 1000 descending with ties", [tied([3, 1000], 5)], sortBoth(-1, true)],
  ["sort one row of 70,000 (global passes)", [f([70_000], 6)], sortBoth()],
  ["sort 3 rows of 70,000 with ties, descending", [tied([3, 70_000], 7)], sortBoth(-1, true)],
  ["sort 5000 rows of 3", [f([5000, 3], 8)], sortBoth()],
  ["sort 40 rows of 5000 (many tiles, global passes)", [tied([40, 5000], 9)], sortBoth()],
  ["sort dim 0 of a [7, 5, 3]", [tied([7, 5, 3], 10)], sortBoth(0)],
  ["sort middle dim, descending", [f([4, 9, 3], 11)], sortBoth(1, true)],
  ["sort a transposed view", [tied([6, 33], 12)], (x) => [...F.sort(x.t(), 1)]],
  [
    "sort a stepped view",
    [f([5, 40], 13)],
    (x) => [...F.sort(x.slice(1, 1, undefined, 3), -1, true)],
  ],
  ["sort int32 keys with ties", [intIn([4, 300], -20, 20)], sortBoth()],
  ["sort int32 descending", [intIn([2, 3000], -5, 5, 4)], sortBoth(-1, true)],
  ["sort empty rows", [f([4, 0])], sortBoth()],
  ["sort no rows", [f([0, 5])], sortBoth()],
  ["argsort", [tied([3, 50], 14, false)], (x) => F.argsort(x, -1, true)],
  ["msort", [tied([20, 4], 15)], (x) => F.msort(x)],
  ["topk largest", [tied([5, 100], 16)], (x) => [...F.topk(x, 7)]],
  ["topk smallest along dim 0", [f([30, 4], 17)], (x) => [...F.topk(x, 3, 0, false)]],
  ["topk over 70,000", [f([2, 70_000], 18)], (x) => [...F.topk(x, 5)]],
  ["kthvalue", [tied([6, 25], 19)], (x) => [...F.kthvalue(x, 9)]],
  ["kthvalue keepdim dim 0", [f([11, 3], 20)], (x) => [...F.kthvalue(x, 11, 0, true)]],
  ["median with a dim (NaN rows)", [tied([8, 40], 21)], (x) => [...F.median(x, 1)]],
  ["median even length, keepdim", [f([5, 6], 22)], (x) => [...F.median(x, -1, true)]],
  ["median of everything", [tied([9, 9], 23)], (x) => F.median(x)],
  ["median of everything without NaN", [f([1001], 24)], (x) => F.median(x)],
  ["max/min with a dim", [f([6, 7], 25)], (x) => [...F.max(x, 1), ...F.min(x, 0)]],
];

Deno.test({
  name: "webgpu sort family matches cpu",
  ignore: !hasGpu,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    for (const [name, inputs, fn] of CASES) {
      await t.step(name, () => parity(name, inputs, fn));
    }
  },
});

Deno.test({
  name: "webgpu searchsorted and bucketize match cpu",
  ignore: !hasGpu,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const seq = Float32Array.from([-1, 0, 0, 1.5, 2, 2, 2, 3, NaN]);
    const vals = Float32Array.from([-2, -1, 0, 0.5, 2, 2.5, 3, 4, NaN, -0]);
    const sortedRows = Float32Array.from(randData(4 * 3000, 7), (v) => Math.round(v * 50))
      .map((_, i, a) => a[i]);
    for (let r = 0; r < 4; r++) sortedRows.subarray(r * 3000, (r + 1) * 3000).sort();
    const cases: Case[] = [
      [
        "1-D left",
        [{ data: seq, shape: [9] }, { data: vals, shape: [2, 5] }],
        (s, v) => F.searchsorted(s, v),
      ],
      [
        "1-D right",
        [{ data: seq, shape: [9] }, { data: vals, shape: [10] }],
        (s, v) => F.searchsorted(s, v, { right: true }),
      ],
      [
        "batched rows of 3000, strided values",
        [{ data: sortedRows, shape: [4, 3000] }, f([500, 4], 8, -100, 100, false)],
        (s, v) => F.searchsorted(s, v.t(), { side: "right" }),
      ],
      [
        "int32",
        [intIn([1, 50], 0, 10), intIn([1, 20], -2, 12, 5)],
        (s, v) => F.searchsorted(F.sort(s)[0], v),
      ],
      [
        "bucketize",
        [{ data: Float32Array.from([1, 3, 5, 7, 9]), shape: [5] }, f([40], 9, 0, 10, false)],
        (b, x) => F.bucketize(x, b, { right: true }),
      ],
      [
        "empty values",
        [{ data: seq, shape: [9] }, f([0], 1, 0, 1, false)],
        (s, v) => F.searchsorted(s, v),
      ],
    ];
    for (const [name, inputs, fn] of cases) {
      await t.step(name, () => parity(name, inputs, fn));
    }
  },
});

async function both<T>(fn: (device: Device) => Promise<T>): Promise<[T, T]> {
  return [await fn("cpu"), await fn("webgpu")];
}

async function arrays(r: Tensor | Tensor[]): Promise<{ shape: number[]; data: number[] }[]> {
  const list = Array.isArray(r) ? r : [r];
  return await Promise.all(list.map(async (o) => ({
    shape: o.shape,
    data: Array.from(await o.toArray()),
  })));
}

Deno.test({
  name: "webgpu unique and bincount match cpu",
  ignore: !hasGpu,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const data = Float32Array.from(randData(5000, 31, -20, 20), (v) => Math.round(v));
    // NaN never equals itself, so each NaN stays a unique value on both devices.
    data[7] = data[4000] = NaN;
    data[11] = -0;
    const [c, g] = await both(async (device) =>
      arrays(
        await F.unique(tensor(data, { shape: [50, 100], device }), {
          returnInverse: true,
          returnCounts: true,
        }),
      )
    );
    assert.deepEqual(g, c);
    const [ce, ge] = await both(async (device) =>
      arrays(await F.unique(tensor(new Float32Array(0), { device }), { returnCounts: true }))
    );
    assert.deepEqual(ge, ce);
    const ints = Int32Array.from(randData(3000, 32, 0, 40), Math.floor);
    const w = randData(3000, 33, 0, 1);
    const [cb, gb] = await both(async (device) =>
      arrays([
        await F.bincount(tensor(ints, { device })),
        await F.bincount(tensor(ints, { device }), null, 64),
      ])
    );
    assert.deepEqual(gb, cb);
    const [cw, gw] = await both(async (device) =>
      arrays(await F.bincount(tensor(ints, { device }), tensor(w, { device })))
    );
    assert.deepEqual(gw[0].shape, cw[0].shape);
    gw[0].data.forEach((v, i) => assert.ok(Math.abs(v - cw[0].data[i]) < 1e-3, `bin ${i}`));
    await webgpu.synchronize();
  },
});

Deno.test({
  name: "webgpu sort keeps -0 and orders ties stably",
  ignore: !hasGpu,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const x = tensor([0, -0, NaN, -0, 0, NaN, -1], { device: "webgpu" });
    const [v, i] = F.sort(x);
    const got = Array.from(await v.toArray());
    const want = [-1, 0, -0, -0, 0, NaN, NaN];
    got.forEach((g, k) => assert.ok(Object.is(g, want[k]), `value ${k}: ${g} vs ${want[k]}`));
    assert.deepEqual(Array.from(await i.toArray()), [6, 0, 1, 3, 4, 2, 5]);
    const [, di] = F.sort(x, 0, true);
    assert.deepEqual(Array.from(await di.toArray()), [2, 5, 0, 1, 3, 4, 6]);
  },
});

/**
 * Shape and index ops (roll, tile, repeatInterleave, rot90, movedim, atleast*, meshgrid, take,
 * takeAlongDim, nonzero, tensorSplit, h/v/d splits and stacks, broadcasting, diff) against
 * PyTorch 1.13 fixtures with float64 gradchecks, their errors, and webgpu-vs-cpu parity.
 */
import assert from "node:assert/strict";
import * as dt from "../mod.ts";
import type { Tensor } from "../mod.ts";
import { fixtureTests } from "./extra_ops_fixtures.ts";
import { assertThrowsWith } from "./helpers.ts";
import { bools, f, hasGpu, ints, parity } from "./webgpu_helpers.ts";

type Sections = number | number[];

fixtureTests("shape", {
  roll: ([a], p) => dt.roll(a, p.shifts as number | number[], p.dims as number | number[]),
  tile: ([a], p) => dt.tile(a, p.reps as number[]),
  repeatInterleave: ([a], p) =>
    dt.repeatInterleave(a, p.repeats as number | number[], p.dim as number | undefined),
  rot90: ([a], p) => dt.rot90(a, p.k as number, p.dims as [number, number]),
  flipud: ([a]) => dt.flipud(a),
  fliplr: ([a]) => dt.fliplr(a),
  movedim: ([a], p) => dt.movedim(a, p.src as number | number[], p.dst as number | number[]),
  moveaxis: ([a], p) => dt.moveaxis(a, p.src as number | number[], p.dst as number | number[]),
  swapaxes: ([a], p) => dt.swapaxes(a, p.d0 as number, p.d1 as number),
  atleast1d: ([a]) => dt.atleast1d(a),
  atleast2d: ([a]) => dt.atleast2d(a),
  atleast3d: ([a]) => dt.atleast3d(a),
  meshgrid: (xs, p) => dt.meshgrid(xs, { indexing: p.indexing as "ij" | "xy" }),
  take: ([a, i]) => dt.take(a, i),
  takeAlongDim: ([a, i], p) => dt.takeAlongDim(a, i, p.dim as number | undefined),
  nonzero: ([a]) => dt.nonzero(a),
  nonzeroTuple: ([a]) => dt.nonzero(a, { asTuple: true }),
  argwhere: ([a]) => dt.argwhere(a),
  countNonzero: ([a], p) => dt.countNonzero(a, p.dim as number | number[] | undefined),
  tensorSplit: ([a], p) => dt.tensorSplit(a, p.s as Sections, p.dim as number | undefined),
  hsplit: ([a], p) => dt.hsplit(a, p.s as Sections),
  vsplit: ([a], p) => dt.vsplit(a, p.s as Sections),
  dsplit: ([a], p) => dt.dsplit(a, p.s as Sections),
  hstack: (xs) => dt.hstack(xs),
  vstack: (xs) => dt.vstack(xs),
  dstack: (xs) => dt.dstack(xs),
  columnStack: (xs) => dt.columnStack(xs),
  broadcastTo: ([a], p) => dt.broadcastTo(a, p.shape as number[]),
  broadcastTensors: (xs) => dt.broadcastTensors(...xs),
  diff: ([a], p) => dt.diff(a, { n: p.n as number | undefined, dim: p.dim as number | undefined }),
  diffPrependAppend: ([a, b, c], p) =>
    dt.diff(a, { n: p.n as number | undefined, dim: p.dim as number, prepend: b, append: c }),
});

Deno.test("repeatInterleave: int32 cpu tensor repeats and a scalar tensor", () => {
  const x = dt.tensor([[1, 2], [3, 4]]);
  const r = dt.repeatInterleave(x, dt.tensor([1, 2], { dtype: "int32" }), 0);
  assert.deepEqual(r.shape, [3, 2]);
  assert.deepEqual(Array.from(r.dataSync()), [1, 2, 3, 4, 3, 4]);
  assert.deepEqual(
    Array.from(dt.repeatInterleave(x, dt.tensor([2], { dtype: "int32" })).dataSync()),
    [
      1,
      1,
      2,
      2,
      3,
      3,
      4,
      4,
    ],
  );
});

Deno.test("shape ops: errors name the op and the shapes", () => {
  const x = dt.randn([2, 3]);
  assertThrowsWith(() => dt.roll(x, [1, 2]), "roll", "single");
  assertThrowsWith(() => dt.roll(x, [1, 2], [0]), "roll", "align");
  assertThrowsWith(() => dt.repeatInterleave(x, [1, 2], 1), "repeatInterleave", "[2, 3]");
  assertThrowsWith(() => dt.rot90(x, 1, [0, 0]), "rot90", "differ");
  assertThrowsWith(() => dt.rot90(dt.randn([3]), 1), "rot90", "2 dims");
  assertThrowsWith(() => dt.fliplr(dt.randn([3])), "fliplr", "[3]");
  assertThrowsWith(() => dt.movedim(x, [0, 1], [0]), "movedim", "same");
  assertThrowsWith(() => dt.meshgrid([x]), "meshgrid", "[2, 3]");
  assertThrowsWith(() => dt.take(x, dt.tensor([1])), "take", "int32");
  assertThrowsWith(
    () => dt.takeAlongDim(x, dt.zeros([2], { dtype: "int32" }), 0),
    "takeAlongDim",
    "[2, 3]",
    "[2]",
  );
  assertThrowsWith(() => dt.hsplit(x, 2), "hsplit", "size 3", "divisible");
  assertThrowsWith(() => dt.vsplit(dt.randn([3]), 1), "vsplit", "[3]");
  assertThrowsWith(() => dt.diff(dt.tensor(1)), "diff");
  assertThrowsWith(() => dt.broadcastTensors(x, dt.randn([4])), "broadcastTensors");
});

Deno.test("nonzero: empty results and the async form on cpu", async () => {
  const z = dt.zeros([2, 3]);
  assert.deepEqual(dt.nonzero(z).shape, [0, 2]);
  assert.deepEqual(dt.nonzero(dt.tensor(5)).shape, [1, 0]);
  const r = await dt.nonzeroAsync(dt.tensor([0, 2, 0, 3])) as Tensor;
  assert.deepEqual(Array.from(r.dataSync()), [1, 3]);
});

Deno.test({
  name: "shape ops: webgpu matches cpu (incl. nonzeroAsync with one scalar readback, views)",
  ignore: !hasGpu,
  fn: async () => {
    await parity("roll/tile/rot90 on a transposed view", [f([4, 3], 1)], (x) => [
      dt.roll(x.t(), [1, -2], [0, 1]),
      dt.roll(x, 5),
      dt.tile(x.t(), [2, 1, 2]),
      dt.rot90(x.t(), 1),
      dt.rot90(x, 3, [1, 0]),
    ]);
    await parity("repeatInterleave/movedim/atleast3d", [f([2, 3, 4], 2)], (x) => [
      dt.repeatInterleave(x, 2, 1),
      dt.repeatInterleave(x.select(2, 1), [1, 0, 3], 1),
      dt.movedim(x, [0, 2], [2, 0]).contiguous(),
      dt.atleast3d(x.select(0, 0)).contiguous(),
    ]);
    await parity("take/takeAlongDim", [f([3, 4], 3), ints([3, 2], 0, 4)], (x, i) => [
      dt.take(x.t(), i),
      dt.takeAlongDim(x, i, 1),
    ]);
    await parity("meshgrid/stacks/splits/diff", [f([3], 4), f([2, 3], 5)], (a, b) => [
      ...dt.meshgrid([a, a.slice(0, 0, 2)], { indexing: "xy" }).map((t) => t.contiguous()),
      dt.hstack([b, b.t().t()]),
      dt.vstack([a, b]),
      dt.dstack([b, b]),
      dt.columnStack([a, b.t()]),
      ...dt.tensorSplit(b, 2, 1).map((t) => t.contiguous()),
      dt.diff(b.t(), { n: 2, dim: 0, prepend: b.t() }),
    ]);
    await parity("countNonzero/diff on bool", [bools([4, 5])], (m) => [
      dt.countNonzero(m, 1),
      dt.diff(m),
    ]);
    // nonzero on webgpu: only the count comes back; coordinates are compacted on the device.
    const data = Float32Array.from(
      { length: 3000 },
      (_, i) => (i % 7 === 0 || i % 11 === 3 ? i : 0),
    );
    const cpu = dt.tensor(data, { shape: [30, 100] });
    const gpu = dt.tensor(data, { shape: [30, 100], device: "webgpu" });
    const want = dt.nonzero(cpu);
    const got = await dt.nonzeroAsync(gpu.t()) as Tensor;
    assert.equal(got.device, "webgpu");
    assert.deepEqual(Array.from(await got.toArray()), Array.from(dt.nonzero(cpu.t()).dataSync()));
    const tuple = await dt.nonzeroAsync(gpu, { asTuple: true }) as Tensor[];
    assert.deepEqual(
      Array.from(await tuple[1].toArray()),
      Array.from(want.select(1, 1).dataSync()),
    );
    assertThrowsWith(() => dt.nonzero(gpu), "nonzero", "nonzeroAsync");
  },
});

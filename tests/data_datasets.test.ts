// Dataset wrappers, samplers, randomSplit and default collation.
import { deepStrictEqual as eq, ok, throws } from "node:assert/strict";
import { ConcatDataset, Subset } from "../src/data/dataset.ts";
import { TensorDataset } from "../src/data/tensor_dataset.ts";
import { randomSplit } from "../src/data/random_split.ts";
import {
  BatchSampler,
  RandomSampler,
  SequentialSampler,
  SubsetRandomSampler,
} from "../src/data/samplers.ts";
import { defaultCollate } from "../src/data/collate.ts";
import { DataLoader } from "../src/data/dataloader.ts";
import { tensor } from "../src/tensor/creation.ts";
import { Generator } from "../src/tensor/random.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import { Image } from "../src/transforms/image.ts";

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const list = (n: number) => ({ length: n, getItem: (i: number) => i });

Deno.test("TensorDataset rows, Subset, ConcatDataset", async () => {
  const x = tensor(Float32Array.from(range(12)), { shape: [4, 3] });
  const y = tensor(Int32Array.from([3, 1, 4, 1]), { shape: [4] });
  const ds = new TensorDataset(x, y);
  eq(ds.length, 4);
  const [xr, yr] = ds.getItem(2);
  eq(xr.shape, [3]);
  eq(Array.from(xr.dataSync()), [6, 7, 8]);
  eq(yr.shape, []);
  eq(yr.dtype, "int32");
  eq(Array.from(yr.dataSync()), [4]);
  throws(() => new TensorDataset(x, tensor(new Float32Array(3), { shape: [3] })), /size mismatch/);
  throws(() => ds.getItem(4), /index 4 is out of range/);
  const sub = new Subset(list(10), [9, 2, 5]);
  eq([sub.length, await sub.getItem(0), await sub.getItem(2)], [3, 9, 5]);
  throws(() => new Subset(list(3), [3]), /Subset: index 3 is out of range/);
  const cat = new ConcatDataset([list(3), list(2), list(4)]);
  eq(cat.length, 9);
  eq(range(9).map((i) => cat.getItem(i)), [0, 1, 2, 0, 1, 0, 1, 2, 3]);
  eq(cat.getItem(-1), 3);
  eq(cat.cumulativeSizes, [3, 5, 9]);
  // TensorDataset through workers (values travel in its spec).
  const loader = new DataLoader<[Tensor, Tensor]>(new Subset(ds, [3, 0]), {
    batchSize: 2,
    numWorkers: 1,
  });
  for await (const [bx, by] of loader) {
    eq(bx.shape, [2, 3]);
    eq(Array.from(bx.dataSync()), [9, 10, 11, 0, 1, 2]);
    eq(Array.from(by.dataSync()), [1, 3]);
  }
});

Deno.test("randomSplit: lengths or fractions, disjoint, seeded", () => {
  const [a, b] = randomSplit(list(10), [7, 3], { generator: new Generator(1) });
  eq([a.length, b.length], [7, 3]);
  eq([...a.indices, ...b.indices].sort((p, q) => p - q), range(10));
  const [c] = randomSplit(list(10), [7, 3], { generator: new Generator(1) });
  eq(c.indices, a.indices);
  const parts = randomSplit(list(11), [0.5, 0.3, 0.2]);
  eq(parts.map((p) => p.length), [6, 3, 2]);
  throws(() => randomSplit(list(10), [5, 4]), /does not equal the length/);
});

Deno.test("samplers: sequential, random (each index once, new order per pass), subset, batch", () => {
  eq([...new SequentialSampler(list(4))], [0, 1, 2, 3]);
  const rs = new RandomSampler(list(20), { generator: new Generator(3) });
  const p1 = [...rs], p2 = [...rs];
  eq([...p1].sort((a, b) => a - b), range(20));
  ok(p1.join() !== p2.join());
  const again = new RandomSampler(list(20), { generator: new Generator(3) });
  eq([...again], p1);
  const rep = [...new RandomSampler(list(5), { replacement: true, numSamples: 50 })];
  eq(rep.length, 50);
  ok(rep.every((i) => i >= 0 && i < 5));
  eq([...new RandomSampler(list(3), { numSamples: 7 })].length, 7);
  eq([...new SubsetRandomSampler([4, 8, 15])].sort((a, b) => a - b), [4, 8, 15]);
  const bs = new BatchSampler(new SequentialSampler(list(7)), 3, false);
  eq([...bs], [[0, 1, 2], [3, 4, 5], [6]]);
  eq(bs.length, 3);
  eq(new BatchSampler(new SequentialSampler(list(7)), 3, true).length, 2);
  throws(() => new BatchSampler(new SequentialSampler(list(7)), 0, false), /positive integer/);
});

Deno.test("DataLoader with a custom sampler and batchSampler", async () => {
  const got: number[][] = [];
  for await (
    const b of new DataLoader<Tensor>(list(6), { batchSize: 2, sampler: [5, 4, 3, 2, 1, 0] })
  ) {
    got.push(Array.from(b.dataSync()));
  }
  eq(got, [[5, 4], [3, 2], [1, 0]]);
  const bs = {
    length: 2,
    *[Symbol.iterator]() {
      yield [0, 5];
      yield [2];
    },
  };
  const got2: number[][] = [];
  for await (const b of new DataLoader<Tensor>(list(6), { batchSampler: bs, numWorkers: 0 })) {
    got2.push(Array.from(b.dataSync()));
  }
  eq(got2, [[0, 5], [2]]);
});

Deno.test("defaultCollate: tensors, numbers, booleans, strings, typed arrays, tuples, objects", () => {
  const t = (v: number[]) => tensor(Float32Array.from(v), { shape: [v.length] });
  const b = defaultCollate([
    {
      x: t([1, 2]),
      y: 1,
      f: 0.5,
      ok: true,
      name: "a",
      raw: Uint8Array.of(1, 2),
      pair: [1, t([0])],
    },
    { x: t([3, 4]), y: 2, f: 1, ok: false, name: "b", raw: Uint8Array.of(3, 4), pair: [2, t([1])] },
  ]) as Record<string, unknown>;
  const x = b.x as Tensor;
  eq(x.shape, [2, 2]);
  eq(Array.from(x.dataSync()), [1, 2, 3, 4]);
  eq((b.y as Tensor).dtype, "int32");
  eq((b.f as Tensor).dtype, "float32");
  eq((b.ok as Tensor).dtype, "bool");
  eq(b.name, ["a", "b"]);
  eq((b.raw as Tensor).shape, [2, 2]);
  eq((b.raw as Tensor).dtype, "int32");
  const pair = b.pair as [Tensor, Tensor];
  eq(Array.from(pair[0].dataSync()), [1, 2]);
  eq(pair[1].shape, [2, 1]);
});

Deno.test("defaultCollate: wrong sample types name the sample and its dataset index", () => {
  const t = (n: number) => tensor(new Float32Array(n), { shape: [n] });
  throws(
    () => defaultCollate([[t(2), 1], [t(3), 1]], [10, 11]),
    /sample 1 of the batch \(dataset index 11\) at \[0\]: stack expects each tensor to be equal size/,
  );
  throws(
    () => defaultCollate([[t(2), 1], [t(2), "x"]], [4, 7]),
    /dataset index 7\) at \[1\]: expected a number like sample 0, got string/,
  );
  throws(
    () => defaultCollate([Image.zeros(2, 2), Image.zeros(2, 2)], [0, 1]),
    /cannot collate an Image; add transforms\.ToTensor\(\)/,
  );
  throws(() => defaultCollate([null, null]), /default collate found null/);
  throws(() => defaultCollate([{ a: 1 }, { b: 1 }]), /missing key "a"/);
});

Deno.test("DataLoader reports a collation error naming the index", async () => {
  const ds = { length: 4, getItem: (i: number) => (i === 2 ? "oops" : i) };
  let msg = "";
  try {
    for await (const _ of new DataLoader(ds, { batchSize: 4 })) { /* drain */ }
  } catch (e) {
    msg = (e as Error).message;
  }
  ok(/dataset index 2\).*expected a number like sample 0, got string/.test(msg), msg);
});

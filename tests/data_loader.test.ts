import { deepStrictEqual as eq, ok, rejects } from "node:assert/strict";
import { DataLoader } from "../src/data/dataloader.ts";
import { Generator } from "../src/tensor/random.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import { makePlain, PlainDataset, RangeDataset, StreamDataset } from "./data_fixture_datasets.ts";

type Batch = [Tensor, Tensor] | [Tensor, Tensor, Tensor];

/** Every batch's labels (dim 1 of the tuple) as plain arrays. */
async function labels(loader: DataLoader<Batch>): Promise<number[][]> {
  const out: number[][] = [];
  for await (const b of loader) {
    const [x, y] = b;
    const yv = Array.from(y.dataSync());
    // The tensor part must agree with the label: x[k] = [i, -i].
    eq(Array.from(x.dataSync()), yv.flatMap((i) => [i, i === 0 ? 0 : -i]));
    eq(y.dtype, "int32");
    out.push(yv);
  }
  return out;
}

for (const numWorkers of [0, 2, 4]) {
  Deno.test(`DataLoader: sequential order and batch shapes, numWorkers=${numWorkers}`, async () => {
    const loader = new DataLoader<Batch>(new RangeDataset(23), { batchSize: 5, numWorkers });
    eq(loader.length, 5);
    const got = await labels(loader);
    eq(got.map((b) => b.length), [5, 5, 5, 5, 3]);
    eq(got.flat(), Array.from({ length: 23 }, (_, i) => i));
    let shape: number[] = [];
    for await (const [x] of loader) {
      shape = x.shape;
      break;
    }
    eq(shape, [5, 2]);
  });

  Deno.test(`DataLoader: shuffle visits every sample once per epoch, numWorkers=${numWorkers}`, async () => {
    const loader = new DataLoader<Batch>(new RangeDataset(30), {
      batchSize: 4,
      shuffle: true,
      numWorkers,
      generator: new Generator(7),
    });
    const e1 = (await labels(loader)).flat();
    const e2 = (await labels(loader)).flat();
    const all = Array.from({ length: 30 }, (_, i) => i);
    eq([...e1].sort((a, b) => a - b), all);
    eq([...e2].sort((a, b) => a - b), all);
    ok(e1.join() !== e2.join(), "a new order every epoch");
    ok(e1.join() !== all.join(), "actually shuffled");
  });

  Deno.test(`DataLoader: dropLast, numWorkers=${numWorkers}`, async () => {
    const loader = new DataLoader<Batch>(new RangeDataset(23), {
      batchSize: 5,
      dropLast: true,
      numWorkers,
    });
    eq(loader.length, 4);
    const got = await labels(loader);
    eq(got.length, 4);
    eq(got.flat(), Array.from({ length: 20 }, (_, i) => i));
  });
}

Deno.test("DataLoader: same seed → same batches, with and without workers", async () => {
  const run = async (numWorkers: number): Promise<number[][][]> => {
    const loader = new DataLoader<Batch>(new RangeDataset(40), {
      batchSize: 6,
      shuffle: true,
      numWorkers,
      generator: new Generator(123),
    });
    return [await labels(loader), await labels(loader)];
  };
  const a = await run(0);
  eq(await run(0), a);
  eq(await run(2), a);
  eq(await run(4), a);
  const other = new DataLoader<Batch>(new RangeDataset(40), {
    batchSize: 6,
    shuffle: true,
    generator: new Generator(124),
  });
  ok((await labels(other)).flat().join() !== a[0].flat().join());
});

Deno.test("DataLoader: workers are seeded base + id: augmentations differ per worker and reproduce", async () => {
  const draws = async (): Promise<number[]> => {
    const loader = new DataLoader<Batch>(new RangeDataset(16, { random: true }), {
      batchSize: 2,
      numWorkers: 2,
      generator: new Generator(5),
    });
    const out: number[] = [];
    for await (const b of loader) out.push(...Array.from(b[2]!.dataSync()));
    return out;
  };
  const a = await draws();
  eq(await draws(), a);
  // Batches 0 and 1 went to different workers: their first draws differ.
  ok(a[0] !== a[2]);
  eq(new Set(a).size, a.length);
});

Deno.test("DataLoader: a worker error names the sample index and carries the worker stack", async () => {
  const loader = new DataLoader<Batch>(new RangeDataset(20, { failAt: 13 }), {
    batchSize: 4,
    numWorkers: 2,
  });
  const seen: number[] = [];
  await rejects(
    async () => {
      for await (const [, y] of loader) seen.push(...Array.from(y.dataSync()));
    },
    (e: Error) => {
      ok(e.message.includes("dataset index 13"), e.message);
      ok(e.message.includes("boom at 13"), e.message);
      ok(e.message.includes("data_fixture_datasets.ts"), "worker stack included");
      return true;
    },
  );
  eq(
    seen,
    Array.from({ length: 12 }, (_, i) => i),
    "batches before the failing one arrive in order",
  );
});

Deno.test("DataLoader: a main-thread error names the sample index", async () => {
  const loader = new DataLoader<Batch>(new RangeDataset(8, { failAt: 3 }), { batchSize: 2 });
  await rejects(async () => {
    for await (const _ of loader) { /* drain */ }
  }, /dataset index 3 failed: boom at 3/);
});

Deno.test("DataLoader: workerDataset names a factory for datasets without workerSpec()", async () => {
  const ds = new PlainDataset(10);
  await rejects(async () => {
    for await (const _ of new DataLoader(ds, { numWorkers: 1 })) { /* drain */ }
  }, /workerSpec\(\).*workerDataset/s);
  const loader = new DataLoader<Tensor>(ds, {
    batchSize: 4,
    numWorkers: 2,
    workerDataset: {
      module: new URL("./data_fixture_datasets.ts", import.meta.url).href,
      export: "makePlain",
      args: [10],
    },
  });
  const got: number[] = [];
  for await (const b of loader) got.push(...Array.from(b.dataSync()));
  eq(got, Array.from({ length: 10 }, (_, i) => i * 10));
  void makePlain;
});

Deno.test("DataLoader: iterable dataset, sharded across workers, every sample once", async () => {
  for (const numWorkers of [0, 3]) {
    const loader = new DataLoader<Tensor>(new StreamDataset(25), { batchSize: 4, numWorkers });
    const got: number[] = [];
    for await (const b of loader) got.push(...Array.from(b.dataSync()));
    eq(
      got.sort((a, b) => a - b),
      Array.from({ length: 25 }, (_, i) => i),
      `numWorkers=${numWorkers}`,
    );
  }
});

Deno.test("DataLoader: iterable dataset with persistent workers restarts each epoch", async () => {
  const loader = new DataLoader<Tensor>(new StreamDataset(9), {
    batchSize: 2,
    numWorkers: 2,
    persistentWorkers: true,
  });
  for (let epoch = 0; epoch < 2; epoch++) {
    const got: number[] = [];
    for await (const b of loader) got.push(...Array.from(b.dataSync()));
    eq(got.sort((a, b) => a - b), Array.from({ length: 9 }, (_, i) => i), `epoch ${epoch}`);
  }
  await loader.close();
});

Deno.test("DataLoader: custom collateFn runs on the main thread, with or without workers", async () => {
  for (const numWorkers of [0, 2]) {
    const loader = new DataLoader<number[]>(new RangeDataset(7), {
      batchSize: 3,
      numWorkers,
      collateFn: (samples) => samples.map((s) => (s as [Tensor, number])[1]),
    });
    const got: number[][] = [];
    for await (const b of loader) got.push(b);
    eq(got, [[0, 1, 2], [3, 4, 5], [6]]);
  }
});

Deno.test("DataLoader: batchSize null yields single samples; device option moves batches", async () => {
  const loader = new DataLoader<[Tensor, number]>(new RangeDataset(3), {
    batchSize: null,
    numWorkers: 1,
    device: "cpu",
  });
  const got: number[] = [];
  for await (const [x, i] of loader) {
    eq(x.shape, [2]);
    got.push(i);
  }
  eq(got, [0, 1, 2]);
});

Deno.test("DataLoader: persistent workers survive epochs until close()", async () => {
  const loader = new DataLoader<Batch>(new RangeDataset(9), {
    batchSize: 4,
    numWorkers: 2,
    persistentWorkers: true,
  });
  eq((await labels(loader)).flat(), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  eq((await labels(loader)).flat(), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  await loader.close();
});

Deno.test("DataLoader: bad options fail at construction", () => {
  const ds = new RangeDataset(4);
  for (
    const o of [{ batchSize: 0 }, { numWorkers: -1 }, { prefetchFactor: 0 }, {
      persistentWorkers: true,
    }, {
      shuffle: true,
      sampler: [0, 1],
    }]
  ) {
    let threw = false;
    try {
      // deno-lint-ignore no-explicit-any
      new DataLoader(ds, o as any);
    } catch {
      threw = true;
    }
    ok(threw, JSON.stringify(o));
  }
});

Deno.test({
  name: "DataLoader: device 'webgpu' uploads batches one ahead (skipped without an adapter)",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    const { webgpu } = await import("../src/backend/webgpu/mod.ts");
    if (!(await webgpu.isAvailable())) {
      await t.step({ name: "no WebGPU adapter", ignore: true, fn: () => {} });
      return;
    }
    for (const numWorkers of [0, 2]) {
      const loader = new DataLoader<Batch>(new RangeDataset(10), {
        batchSize: 4,
        numWorkers,
        device: "webgpu",
      });
      const got: number[] = [];
      for await (const [x, y] of loader) {
        eq(x.device, "webgpu");
        eq(y.device, "webgpu");
        got.push(...Array.from(await y.toArray()));
        eq(
          Array.from(await x.toArray()).filter((_, k) => k % 2 === 0),
          Array.from(await y.toArray()),
        );
        x.dispose();
        y.dispose();
      }
      eq(got, Array.from({ length: 10 }, (_, i) => i));
    }
  },
});

// Datasets used by the DataLoader tests. They live in their own module so
// that workers can import them (importing a test file would register tests).
import { tensor } from "../src/tensor/creation.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import { Dataset, IterableDataset } from "../src/data/dataset.ts";
import type { WorkerSpec } from "../src/data/spec.ts";
import { getWorkerInfo } from "../src/data/worker_info.ts";
import { defaultRandom } from "../src/transforms/random.ts";

export interface RangeOptions {
  /** getItem throws for this index. */
  failAt?: number;
  /** Add a random draw (from the default generator) to each sample. */
  random?: boolean;
  /** Simulated async work per sample, in ms. */
  delayMs?: number;
}

/** Sample i = [tensor([i, -i]), i] (plus a random number when asked). */
export class RangeDataset extends Dataset<[Tensor, number] | [Tensor, number, number]> {
  constructor(readonly n: number, readonly options: RangeOptions = {}) {
    super();
  }
  get length(): number {
    return this.n;
  }
  async getItem(i: number): Promise<[Tensor, number] | [Tensor, number, number]> {
    if (this.options.delayMs) await new Promise((r) => setTimeout(r, this.options.delayMs));
    if (i === this.options.failAt) throw new Error(`boom at ${i}`);
    const x = tensor(Float32Array.of(i, -i || 0), { shape: [2] });
    return this.options.random ? [x, i, defaultRandom().random()] : [x, i];
  }
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "RangeDataset",
      construct: true,
      args: [this.n, this.options],
    };
  }
}

/** A dataset without workerSpec(): needs the workerDataset option. */
export class PlainDataset extends Dataset<number> {
  constructor(readonly n: number) {
    super();
  }
  get length(): number {
    return this.n;
  }
  getItem(i: number): number {
    return i * 10;
  }
}

/** Factory named through `workerDataset`. */
export function makePlain(n: number): PlainDataset {
  return new PlainDataset(n);
}

/** Streams 0..n-1, sharded across workers like PyTorch's docs example. */
export class StreamDataset extends IterableDataset<number> {
  constructor(readonly n: number) {
    super();
  }
  async *[Symbol.asyncIterator](): AsyncIterator<number> {
    const info = getWorkerInfo();
    const id = info?.id ?? 0, k = info?.numWorkers ?? 1;
    for (let i = id; i < this.n; i += k) yield i;
  }
  workerSpec(): WorkerSpec {
    return { module: import.meta.url, export: "StreamDataset", construct: true, args: [this.n] };
  }
}

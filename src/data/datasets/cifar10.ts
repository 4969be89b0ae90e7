/**
 * CIFAR-10 in its canonical binary layout (`cifar-10-batches-bin/`).
 *
 * @module
 */

import { join } from "node:path";
import { Image } from "../../transforms/image.ts";
import { applyTransform, type TransformLike } from "../../transforms/compose.ts";
import { checkIndex, Dataset } from "../dataset.ts";
import { specArg, type WorkerSpec } from "../spec.ts";
import { downloadCifar10 } from "./cifar10_download.ts";
import {
  CIFAR10_CLASSES,
  CIFAR10_DIR,
  parseCifarBatch,
  RECORDS_PER_FILE,
  TEST_FILES,
  TRAIN_FILES,
} from "./cifar10_format.ts";

/** Options of {@link CIFAR10}. */
export interface CIFAR10Options {
  /** Directory holding (or to receive) `cifar-10-batches-bin/`. */
  root: string;
  /** Training set (50,000 images, data_batch_1..5) or test set (10,000). Default true. */
  train?: boolean;
  /** Applied to each {@link Image} (e.g. a `Compose` ending in `ToTensor`). */
  transform?: TransformLike;
  /** Applied to each label. */
  targetTransform?: TransformLike;
  /**
   * Fetch and convert the data when missing. Only {@link CIFAR10.create}
   * can download (it is async); the constructor rejects `download: true`.
   */
  download?: boolean;
}

/**
 * The CIFAR-10 data set, like `torchvision.datasets.CIFAR10`: sample `i` is
 * `[transform(image), targetTransform(label)]` with a 32×32 RGB {@link Image}
 * and an integer label in 0..9.
 *
 * Reads the canonical binary files (`data_batch_1.bin` … `data_batch_5.bin`,
 * `test_batch.bin`: 3073-byte records of a label byte then 1024 R, 1024 G and
 * 1024 B bytes). `await CIFAR10.create({ root, download: true })` obtains them
 * first when missing (see `downloadCifar10`).
 */
export class CIFAR10 extends Dataset<[unknown, unknown]> {
  /** Class names, index = label (torchvision's order). */
  readonly classes: readonly string[] = CIFAR10_CLASSES;
  /** Class name → label. */
  readonly classToIdx: Readonly<Record<string, number>> = Object.fromEntries(
    CIFAR10_CLASSES.map((c, i) => [c, i]),
  );
  /** Root directory. */
  readonly root: string;
  /** Training or test split. */
  readonly train: boolean;
  /** Image transform. */
  readonly transform?: TransformLike;
  /** Label transform. */
  readonly targetTransform?: TransformLike;
  /** All pixels, N×32×32×3 (HWC per image), like torchvision's `data`. */
  readonly data: Uint8Array;
  /** All labels. */
  readonly targets: Uint8Array;

  /**
   * Loads the split synchronously from `root/cifar-10-batches-bin/`.
   * @throws Error naming the missing or corrupt file.
   */
  constructor(options: CIFAR10Options) {
    super();
    if (typeof options?.root !== "string") {
      throw new TypeError("CIFAR10: options.root (a directory path) is required");
    }
    if (options.download) {
      throw new Error(
        "CIFAR10: download needs `await CIFAR10.create({ ...options, download: true })`",
      );
    }
    this.root = options.root;
    this.train = options.train ?? true;
    this.transform = options.transform;
    this.targetTransform = options.targetTransform;
    const files = this.train ? TRAIN_FILES : TEST_FILES;
    const n = files.length * RECORDS_PER_FILE;
    this.data = new Uint8Array(n * 3072);
    this.targets = new Uint8Array(n);
    for (const [k, f] of files.entries()) {
      const path = join(this.root, CIFAR10_DIR, f);
      let bytes: Uint8Array;
      try {
        bytes = Deno.readFileSync(path);
      } catch (e) {
        throw new Error(
          `CIFAR10: cannot read ${path} (${(e as Error).message}); ` +
            `the data set is missing — use await CIFAR10.create({ root, download: true })`,
          { cause: e },
        );
      }
      parseCifarBatch(
        bytes,
        path,
        this.data.subarray(k * RECORDS_PER_FILE * 3072),
        this.targets.subarray(k * RECORDS_PER_FILE),
      );
    }
  }

  /** Downloads when asked and missing, then loads. */
  static async create(options: CIFAR10Options): Promise<CIFAR10> {
    if (options.download) await downloadCifar10(options.root);
    return new CIFAR10({ ...options, download: false });
  }

  /** Number of images. */
  get length(): number {
    return this.targets.length;
  }

  /** The raw image `index` (copied, so transforms may keep it). */
  image(index: number): Image {
    checkIndex("CIFAR10", index, this.length);
    return new Image(this.data.slice(index * 3072, (index + 1) * 3072), 32, 32, 3);
  }

  /** `[transform(image), targetTransform(label)]`. */
  getItem(index: number): [unknown, unknown] {
    const img = this.image(index);
    const label = this.targets[index];
    return [
      this.transform ? applyTransform(this.transform, img) : img,
      this.targetTransform ? applyTransform(this.targetTransform, label) : label,
    ];
  }

  /** Rebuild recipe for DataLoader workers (each worker reads the files itself). */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "CIFAR10",
      construct: true,
      args: [{
        root: this.root,
        train: this.train,
        transform: specArg(this.transform, "CIFAR10.transform"),
        targetTransform: specArg(this.targetTransform, "CIFAR10.targetTransform"),
      }],
    };
  }
}

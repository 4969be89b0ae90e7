/**
 * Data loading in the style of `torch.utils.data` and `torchvision.datasets`:
 * datasets, samplers, `DataLoader` (with Web Worker parallel loading and
 * device prefetch), CIFAR-10 and ImageFolder.
 *
 * ```ts
 * import { CIFAR10, DataLoader } from "./mod.ts";
 * import * as T from "../transforms/mod.ts";
 * const train = await CIFAR10.create({
 *   root: "data",
 *   download: true,
 *   transform: new T.Compose([new T.RandomCrop(32, { padding: 4 }), new T.RandomHorizontalFlip(), new T.ToTensor()]),
 * });
 * const loader = new DataLoader(train, { batchSize: 128, shuffle: true, numWorkers: 2 });
 * for await (const [x, y] of loader) { ... }
 * ```
 *
 * @module
 */

export { ConcatDataset, Dataset, IterableDataset, Subset } from "./dataset.ts";
export type { MapDataset } from "./dataset.ts";
export { TensorDataset } from "./tensor_dataset.ts";
export { randomSplit } from "./random_split.ts";
export { BatchSampler, RandomSampler, SequentialSampler, SubsetRandomSampler } from "./samplers.ts";
export type { RandomSamplerOptions, Sampler } from "./samplers.ts";
export { batchToDevice, DataLoader } from "./dataloader.ts";
export type { DataLoaderOptions, IndexSampler } from "./dataloader.ts";
export { defaultCollate } from "./collate.ts";
export { getWorkerInfo } from "./worker_info.ts";
export type { WorkerInfo } from "./worker_info.ts";
export { WorkerError } from "./worker_pool.ts";
export type { WorkerSerializable, WorkerSpec } from "./spec.ts";
export { CIFAR10 } from "./datasets/cifar10.ts";
export { CIFAR10_CLASSES } from "./datasets/cifar10_format.ts";
export type { CIFAR10Options } from "./datasets/cifar10.ts";
export { CIFAR10_NPM_SOURCE, downloadCifar10 } from "./datasets/cifar10_download.ts";
export type { DownloadCifar10Options } from "./datasets/cifar10_download.ts";
export { ImageFolder, IMG_EXTENSIONS } from "./datasets/image_folder.ts";
export type { ImageFolderOptions } from "./datasets/image_folder.ts";

/**
 * denotorch: a PyTorch-style deep-learning toolkit for Deno, with tensors and autograd on
 * WebGPU compute kernels and a CPU reference backend.
 *
 * @example
 * ```ts
 * import * as dt from "@denotorch/core";
 * const x = dt.randn([4, 3], { requiresGrad: true });
 * const y = x.mul(2).sum();
 * y.backward();
 * console.log(await x.grad!.tolist());
 * ```
 * @module
 */
export { Tensor } from "./src/tensor/tensor.ts";
export type { NestedArray, Scalar, ValuesIndices } from "./src/tensor/tensor.ts";
export type { Device, DType, TypedArray } from "./src/tensor/dtype.ts";
export * from "./src/tensor/creation.ts";
export { defaultGenerator, Generator, manualSeed } from "./src/tensor/random.ts";
export type { GeneratorState } from "./src/tensor/random.ts";
export type { Disposable } from "./src/tensor/memory.ts";
export {
  keep,
  maxMemoryAllocated,
  memoryAllocated,
  resetPeakMemoryStats,
  scope,
  setLeakWarnings,
} from "./src/tensor/memory.ts";
export { enableGrad, isGradEnabled, noGrad, setGradEnabled } from "./src/autograd/grad_mode.ts";
export { gradcheck } from "./src/autograd/gradcheck.ts";
export type { GradcheckOptions } from "./src/autograd/gradcheck.ts";
export { AccumulateGrad, Node } from "./src/autograd/node.ts";
export type { BackwardFn } from "./src/autograd/node.ts";
export type { BackwardOptions } from "./src/autograd/engine.ts";
export type { GradHook, RemovableHandle } from "./src/autograd/hooks.ts";
/** Automatic differentiation, like `torch.autograd`: `grad`, `backward`, `gradgradcheck`, hooks' types. */
export * as autograd from "./src/autograd/mod.ts";
export type {
  AdamStepParams,
  Backend,
  BatchNormApplyParams,
  BinaryOp,
  RandomKind,
  ReduceOp,
  SGDStepParams,
  Storage,
  Strided,
  UnaryOp,
  WindowParams,
} from "./src/backend/backend.ts";
export { getDefaultDevice, setDefaultDevice } from "./src/backend/registry.ts";
export * from "./src/ops/functional.ts";
export type { ClampBound, Operand } from "./src/ops/elementwise.ts";
/** Optimizers, learning-rate schedulers and gradient clipping, like `torch.optim`. */
export * as optim from "./src/optim/mod.ts";
/** Datasets, samplers and the worker-parallel `DataLoader`, like `torch.utils.data`, plus CIFAR-10 and ImageFolder. */
export * as data from "./src/data/mod.ts";
/** Image transforms over HWC uint8 images, like `torchvision.transforms`. */
export * as transforms from "./src/transforms/mod.ts";
export {
  deserialize,
  load,
  loadSafetensors,
  save,
  saveSafetensors,
  serialize,
  UnsafePickleError,
} from "./src/io/mod.ts";
export type { Checkpoint, CheckpointValue, LoadOptions, MapLocation } from "./src/io/mod.ts";
/** TensorBoard event-file writer (`SummaryWriter`), like `torch.utils.tensorboard`. */
export * as tensorboard from "./src/tensorboard/mod.ts";
/** Classification, ranking-curve and regression metrics accumulated on the device, like torchmetrics. */
export * as metrics from "./src/metrics/mod.ts";
/** Neural-network modules, layers, losses, `functional` and `init`, like `torch.nn`. */
export * as nn from "./src/nn/mod.ts";
export { initWebGPU, webgpu } from "./src/backend/webgpu/mod.ts";
export type { WebGPUInfo } from "./src/backend/webgpu/mod.ts";
/** Decompositions, solvers and norms, like `torch.linalg`. */
export * as linalg from "./src/linalg/mod.ts";
export type { InfoCheck, LinalgFailure, LinalgKernels } from "./src/backend/linalg_kernels.ts";

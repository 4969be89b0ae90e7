/**
 * `nn.functional`: every layer's computation as a function, like `torch.nn.functional`.
 *
 * @example
 * ```ts
 * import { functional as F } from "./mod.ts";
 * const y = F.relu(F.conv2d(x, w, b, { padding: 1 }));
 * ```
 * @module
 */
export { flatten, linear, unflatten } from "./linear.ts";
export { conv2d } from "../../ops/conv.ts";
export type { Conv2dOptions } from "../../ops/conv.ts";
export { conv1d, convTranspose1d, convTranspose2d } from "../../ops/conv.ts";
export type {
  Conv1dOptions,
  ConvTranspose1dOptions,
  ConvTranspose2dOptions,
  Size1,
} from "../../ops/conv.ts";
export { adaptiveAvgPool2d, avgPool2d, maxPool2d } from "../../ops/pool.ts";
export type { AvgPool2dOptions, MaxPool2dOptions, PoolOptions } from "../../ops/pool.ts";
export { adaptiveMaxPool2d, maxUnpool2d } from "../../ops/pool.ts";
export type { AdaptiveSize, MaxUnpool2dOptions, ReturnIndicesOption } from "../../ops/pool.ts";
export { batchNorm, layerNorm } from "../../ops/norm.ts";
export type { BatchNormOptions, LayerNormOptions } from "../../ops/norm.ts";
export { dropout } from "../../ops/dropout.ts";
export type { DropoutOptions } from "../../ops/dropout.ts";
export { embedding, oneHot } from "../../ops/embedding.ts";
export type { EmbeddingOptions } from "../../ops/embedding.ts";
export { pad } from "../../ops/pad.ts";
export type { PadMode } from "../../ops/pad.ts";
export { fold, unfold } from "../../ops/window.ts";
export type { Size2, WindowOptions } from "../../ops/window.ts";
export { gelu, leakyRelu, relu, sigmoid, tanh } from "../../ops/elementwise.ts";
export { logSoftmax, softmax } from "../../ops/softmax.ts";
export * from "./loss.ts";
export { cosineSimilarity, normalize, pairwiseDistance } from "../../ops/linalg.ts";
export type {
  CosineSimilarityOptions,
  NormalizeOptions,
  PairwiseDistanceOptions,
} from "../../ops/linalg.ts";
export {
  celu,
  elu,
  glu,
  hardshrink,
  hardsigmoid,
  hardswish,
  hardtanh,
  logsigmoid,
  mish,
  prelu,
  relu6,
  selu,
  silu,
  softmin,
  softplus,
  softshrink,
  softsign,
  tanhshrink,
  threshold,
} from "./activation.ts";
export { groupNorm, instanceNorm } from "../../ops/group_norm.ts";
export type { GroupNormOptions, InstanceNormOptions } from "../../ops/group_norm.ts";
export { bilinear, interpolate, pixelShuffle, pixelUnshuffle } from "../../ops/interpolate.ts";
export type { InterpolateMode, InterpolateOptions } from "../../ops/interpolate.ts";
export { multiHeadAttentionForward } from "./attention.ts";
export type { MultiHeadAttentionForwardOptions } from "./attention.ts";
export { adaptiveAvgPool1d, adaptiveMaxPool1d, avgPool1d, maxPool1d } from "../../ops/pool1d.ts";
export type { AvgPool1dOptions, MaxPool1dOptions } from "../../ops/pool1d.ts";
export { lpPool1d, lpPool2d } from "../../ops/lp_pool.ts";
export type { LPPool1dOptions, LPPool2dOptions } from "../../ops/lp_pool.ts";
export { conv3d } from "../../ops/conv3d.ts";
export type { Conv3dOptions } from "../../ops/conv3d.ts";
export type { Size3 } from "../../ops/window.ts";
export { adaptiveAvgPool3d, adaptiveMaxPool3d, avgPool3d, maxPool3d } from "../../ops/pool3d.ts";
export type { AdaptiveSize3, AvgPool3dOptions, MaxPool3dOptions } from "../../ops/pool3d.ts";
export { localResponseNorm } from "../../ops/local_response_norm.ts";
export type { LocalResponseNormOptions } from "../../ops/local_response_norm.ts";
export {
  alphaDropout,
  dropout1d,
  dropout2d,
  dropout3d,
  featureAlphaDropout,
} from "../../ops/dropout.ts";
export { channelShuffle } from "../../ops/channel_shuffle.ts";

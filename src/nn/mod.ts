/**
 * `nn`: modules, layers, `functional` and `init`, like `torch.nn`.
 *
 * @example
 * ```ts
 * import { nn } from "@denotorch/core";
 * const model = new nn.Sequential(
 *   new nn.Conv2d(3, 16, 3, { padding: 1 }),
 *   new nn.ReLU(),
 *   new nn.AdaptiveAvgPool2d(1),
 *   new nn.Flatten(),
 *   new nn.Linear(16, 10),
 * );
 * const logits = model.call(randn([8, 3, 32, 32]));
 * ```
 * @module
 */
export { Module } from "./module.ts";
export type {
  AnyModule,
  ForwardHook,
  ForwardPreHook,
  IncompatibleKeys,
  LoadStateDictOptions,
  RemovableHandle,
  StateDict,
} from "./module.ts";
export { isParameter, Parameter } from "./parameter.ts";
export type { FactoryOptions } from "./parameter.ts";
export { Identity, Linear } from "./linear.ts";
export type { LinearOptions } from "./linear.ts";
export { Conv2d } from "./conv.ts";
export type { Conv2dLayerOptions } from "./conv.ts";
export { Conv1d, ConvTranspose1d, ConvTranspose2d } from "./conv.ts";
export type {
  Conv1dLayerOptions,
  ConvTranspose1dLayerOptions,
  ConvTranspose2dLayerOptions,
} from "./conv.ts";
export { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from "./pooling.ts";
export { AdaptiveMaxPool2d, MaxUnpool2d } from "./pooling.ts";
export type { MaxPoolOutput, MaxUnpool2dLayerOptions } from "./pooling.ts";
export { BatchNorm1d, BatchNorm2d, BatchNormBase } from "./batchnorm.ts";
export type { BatchNormLayerOptions } from "./batchnorm.ts";
export { LayerNorm } from "./normalization.ts";
export type { LayerNormLayerOptions } from "./normalization.ts";
export { Dropout } from "./dropout.ts";
export { GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh } from "./activation.ts";
export {
  CELU,
  ELU,
  GLU,
  Hardshrink,
  Hardsigmoid,
  Hardswish,
  Hardtanh,
  LogSigmoid,
  Mish,
  PReLU,
  ReLU6,
  SELU,
  SiLU,
  Softmax2d,
  Softmin,
  Softplus,
  Softshrink,
  Softsign,
  Tanhshrink,
  Threshold,
} from "./activation.ts";
export type { PReLUOptions } from "./activation.ts";
export { Embedding } from "./embedding.ts";
export type { EmbeddingLayerOptions } from "./embedding.ts";
export { Flatten, Unflatten } from "./flatten.ts";
export { GRU, LSTM } from "./rnn.ts";
export type { LSTMState, RNNOptions } from "./rnn.ts";
export { RNN, RNNBase } from "./rnn.ts";
export type { LSTMOptions, RNNCellParams, RNNLayerOptions, RNNMode } from "./rnn.ts";
export { GRUCell, LSTMCell, RNNCell, RNNCellBase } from "./rnn_cell.ts";
export type { RNNCellLayerOptions, RNNCellOptions } from "./rnn_cell.ts";
export { ModuleDict, ModuleList, Sequential } from "./container.ts";
/** Layer computations as functions, like `torch.nn.functional`. */
export * as functional from "./functional/mod.ts";
/** Weight initialisation, like `torch.nn.init`. */
export * as init from "./init.ts";
export * from "./loss.ts";
export { GroupNorm, InstanceNorm1d, InstanceNorm2d, InstanceNormBase } from "./group_norm.ts";
export type { GroupNormLayerOptions, InstanceNormLayerOptions } from "./group_norm.ts";
export {
  PixelShuffle,
  PixelUnshuffle,
  Upsample,
  UpsamplingBilinear2d,
  UpsamplingNearest2d,
} from "./upsampling.ts";
export type { UpsampleOptions, UpsamplingOptions } from "./upsampling.ts";
export {
  ConstantPad1d,
  ConstantPad2d,
  ReflectionPad1d,
  ReflectionPad2d,
  ReplicationPad1d,
  ReplicationPad2d,
  ZeroPad2d,
} from "./padding.ts";
export type { Padding1d, Padding2d } from "./padding.ts";
export { Bilinear } from "./bilinear.ts";
export type { BilinearOptions } from "./bilinear.ts";
export { Fold, Unfold } from "./fold.ts";
export { MultiheadAttention } from "./attention.ts";
export type { MultiheadAttentionForwardOptions, MultiheadAttentionOptions } from "./attention.ts";
export {
  Transformer,
  TransformerDecoder,
  TransformerDecoderLayer,
  TransformerEncoder,
  TransformerEncoderLayer,
} from "./transformer.ts";
export type {
  TransformerActivation,
  TransformerDecoderLayerForwardOptions,
  TransformerDecoderLike,
  TransformerEncoderForwardOptions,
  TransformerEncoderLayerForwardOptions,
  TransformerEncoderLike,
  TransformerForwardOptions,
  TransformerLayerOptions,
  TransformerOptions,
  TransformerStackOptions,
} from "./transformer.ts";
export { AdaptiveAvgPool1d, AdaptiveMaxPool1d, AvgPool1d, MaxPool1d } from "./pooling_1d.ts";
export { AdaptiveAvgPool3d, AdaptiveMaxPool3d, AvgPool3d, MaxPool3d } from "./pooling_3d.ts";
export { LPPool1d, LPPool2d } from "./lp_pooling.ts";
export { Conv3d } from "./conv.ts";
export type { Conv3dLayerOptions } from "./conv.ts";
export { BatchNorm3d } from "./batchnorm.ts";
export { InstanceNorm3d } from "./group_norm.ts";
export { ConstantPad3d, ReflectionPad3d, ReplicationPad3d } from "./padding.ts";
export type { Padding3d } from "./padding.ts";
export { LocalResponseNorm } from "./normalization.ts";
export { AlphaDropout, Dropout1d, Dropout2d, Dropout3d, FeatureAlphaDropout } from "./dropout.ts";
export { CosineSimilarity, PairwiseDistance } from "./distance.ts";
export { ChannelShuffle } from "./channel_shuffle.ts";
/** Packed sequences, parameter/vector conversion and gradient clipping, like `torch.nn.utils`. */
export * as utils from "./utils/mod.ts";

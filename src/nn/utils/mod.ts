/**
 * `nn.utils`, like `torch.nn.utils`: packed sequences (`rnn`), parameter/vector conversion and
 * gradient clipping (which lives in `optim`, re-exported here under PyTorch's path).
 *
 * @example
 * ```ts
 * import { nn } from "@denotorch/core";
 * const packed = nn.utils.rnn.packPaddedSequence(x, lengths, { enforceSorted: false });
 * nn.utils.clipGradNorm_(model.parameters(), 1.0);
 * ```
 * @module
 */
/** Packed variable-length sequences, like `torch.nn.utils.rnn`. */
export * as rnn from "./rnn.ts";
export { parametersToVector, vectorToParameters } from "./convert_parameters.ts";
export { clipGradNorm_, clipGradNormChecked_, clipGradValue_ } from "../../optim/clip_grad.ts";
export type { ClipGradNormOptions } from "../../optim/clip_grad.ts";

/** Channel shuffle (ShuffleNet): a reshape, a transpose and a copy. */
import { scope } from "../tensor/memory.ts";
import { fmtShape } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { reshape, transpose } from "./view.ts";

/**
 * torch.nn.functional.channel_shuffle: splits the C channels of an [N, C, *] input into
 * `groups` groups and interleaves them, [N, g, C/g, *] → [N, C/g, g, *] → [N, C, *].
 *
 * @example
 * ```ts
 * const y = channelShuffle(randn([1, 6, 4, 4]), 3); // channel order 0, 2, 4, 1, 3, 5
 * ```
 */
export function channelShuffle(x: Tensor, groups: number): Tensor {
  const op = "channelShuffle";
  x.check(op);
  if (!Number.isInteger(groups) || groups < 1) {
    throw new RangeError(`${op}: groups must be a positive integer (got ${groups})`);
  }
  if (x.ndim < 3) {
    throw new RangeError(
      `${op}: expected an input [N, C, *] with more than 2 dims, got ${fmtShape(x.shape)}`,
    );
  }
  const [N, C, ...rest] = x.shape;
  if (C % groups !== 0) {
    throw new RangeError(
      `${op}: the number of channels must be divisible by groups, got ${C} channels and ` +
        `${groups} groups (input ${fmtShape(x.shape)})`,
    );
  }
  return scope(() =>
    reshape(transpose(reshape(x, [N, groups, C / groups, ...rest]), 1, 2), x.shape)
  );
}

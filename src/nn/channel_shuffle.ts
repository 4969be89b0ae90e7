/** The ChannelShuffle layer. */
import type { Tensor } from "../tensor/tensor.ts";
import { channelShuffle } from "../ops/channel_shuffle.ts";
import { Module } from "./module.ts";

/**
 * Splits the C channels of an [N, C, *] input into `groups` groups and interleaves them, like
 * `torch.nn.ChannelShuffle` (ShuffleNet's shuffle between grouped convolutions).
 *
 * @example
 * ```ts
 * const shuffle = new ChannelShuffle(2);
 * const y = shuffle.call(randn([1, 4, 2, 2])); // channels in order 0, 2, 1, 3
 * ```
 */
export class ChannelShuffle extends Module {
  /** Number of channel groups. */
  readonly groups: number;

  /** Creates the layer. */
  constructor(groups: number) {
    super();
    if (!Number.isInteger(groups) || groups < 1) {
      throw new RangeError(`ChannelShuffle: groups must be a positive integer (got ${groups})`);
    }
    this.groups = groups;
  }

  /** Shuffles the channels of `x`. */
  override forward(x: Tensor): Tensor {
    return channelShuffle(x, this.groups);
  }

  /** Configuration. */
  override extraRepr(): string {
    return `groups=${this.groups}`;
  }
}

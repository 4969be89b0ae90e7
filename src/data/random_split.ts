/**
 * `randomSplit`: disjoint random subsets of given sizes.
 *
 * @module
 */

import { type GeneratorLike, randperm, resolveRandom } from "../transforms/random.ts";
import { type MapDataset, Subset } from "./dataset.ts";

/**
 * Splits `dataset` into non-overlapping random {@link Subset}s, like
 * `torch.utils.data.random_split`.
 * @param lengths Sizes summing to `dataset.length`, or fractions summing to 1
 *   (floored, with the remainder handed out one each, round-robin).
 * @param options `generator` fixes the split.
 */
export function randomSplit<T>(
  dataset: MapDataset<T>,
  lengths: readonly number[],
  options: { generator?: GeneratorLike } = {},
): Subset<T>[] {
  const n = dataset.length;
  let sizes = [...lengths];
  const total = sizes.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) < 1e-9 && total !== n) {
    if (sizes.some((f) => f < 0 || f > 1)) {
      throw new RangeError(
        `randomSplit: fractions must lie in [0, 1], got ${JSON.stringify(lengths)}`,
      );
    }
    sizes = sizes.map((f) => Math.floor(n * f));
    let rest = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; rest > 0; i = (i + 1) % sizes.length, rest--) sizes[i]++;
  }
  if (sizes.some((s) => !Number.isInteger(s) || s < 0) || sizes.reduce((a, b) => a + b, 0) !== n) {
    throw new RangeError(
      `randomSplit: sum of input lengths ${
        JSON.stringify(lengths)
      } does not equal the length of the input dataset (${n})`,
    );
  }
  const perm = randperm(resolveRandom(options.generator), n);
  let offset = 0;
  return sizes.map((s) => {
    const sub = new Subset(dataset, perm.subarray(offset, offset + s));
    offset += s;
    return sub;
  });
}

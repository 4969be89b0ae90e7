/** Dropout layer. */
import type { Tensor } from "../tensor/tensor.ts";
import type { Generator } from "../tensor/random.ts";
import { dropout } from "../ops/dropout.ts";
import { Module } from "./module.ts";

/**
 * Zeroes elements with probability `p` during training and scales the rest by 1/(1-p), like
 * `torch.nn.Dropout`; the identity in eval mode. Masks come from the seeded default generator
 * (or the one given), so runs are reproducible with `manualSeed`.
 *
 * @example
 * ```ts
 * const drop = new Dropout(0.2);
 * drop.eval(); // now the identity
 * ```
 */
export class Dropout extends Module {
  /** Probability of zeroing an element. */
  readonly p: number;
  /** Generator for the masks (the default generator when undefined). */
  generator?: Generator;

  /** Creates the layer. */
  constructor(p = 0.5, opts: { generator?: Generator } = {}) {
    super();
    if (!(p >= 0 && p <= 1)) {
      throw new RangeError(`Dropout: probability has to be between 0 and 1, but got ${p}`);
    }
    this.p = p;
    this.generator = opts.generator;
  }

  /** Applies dropout in training mode. */
  override forward(x: Tensor): Tensor {
    return dropout(x, { p: this.p, training: this.training, generator: this.generator });
  }

  /** Configuration. */
  override extraRepr(): string {
    return `p=${this.p}`;
  }
}

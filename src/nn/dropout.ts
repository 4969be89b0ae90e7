/**
 * Dropout layers: Dropout, the channel-wise Dropout1d/2d/3d, AlphaDropout and
 * FeatureAlphaDropout.
 */
import type { Tensor } from "../tensor/tensor.ts";
import type { Generator } from "../tensor/random.ts";
import {
  alphaDropout,
  dropout,
  dropout1d,
  dropout2d,
  dropout3d,
  type DropoutOptions,
  featureAlphaDropout,
} from "../ops/dropout.ts";
import { Module } from "./module.ts";

/** Shared part of the dropout layers (PyTorch's `_DropoutNd`): probability and generator. */
abstract class DropoutBase extends Module {
  /** Probability of zeroing an element (or a channel). */
  readonly p: number;
  /** Generator for the masks (the default generator when undefined). */
  generator?: Generator;

  constructor(p: number, opts: { generator?: Generator }) {
    super();
    if (!(p >= 0 && p <= 1)) {
      throw new RangeError(
        `${new.target.name}: dropout probability has to be between 0 and 1, but got ${p}`,
      );
    }
    this.p = p;
    this.generator = opts.generator;
  }

  /** The functional options for the current mode. */
  protected options(): DropoutOptions {
    return { p: this.p, training: this.training, generator: this.generator };
  }

  /** Configuration. */
  override extraRepr(): string {
    return `p=${this.p}`;
  }
}

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
export class Dropout extends DropoutBase {
  /** Creates the layer. */
  constructor(p = 0.5, opts: { generator?: Generator } = {}) {
    super(p, opts);
  }

  /** Applies dropout in training mode. */
  override forward(x: Tensor): Tensor {
    return dropout(x, this.options());
  }
}

/**
 * Zeroes whole channels of [N, C, L] (or unbatched [C, L]) with probability `p` during
 * training and scales the kept ones by 1/(1-p), like `torch.nn.Dropout1d`; the identity in
 * eval mode.
 *
 * @example
 * ```ts
 * const drop = new Dropout1d(0.2);
 * const y = drop.call(randn([8, 16, 100])); // each [n, c] row zeroed or scaled by 1.25
 * ```
 */
export class Dropout1d extends DropoutBase {
  /** Creates the layer. */
  constructor(p = 0.5, opts: { generator?: Generator } = {}) {
    super(p, opts);
  }

  /** Applies channel dropout in training mode. */
  override forward(x: Tensor): Tensor {
    return dropout1d(x, this.options());
  }
}

/**
 * Zeroes whole channels of [N, C, H, W] with probability `p` during training and scales the
 * kept ones by 1/(1-p), like `torch.nn.Dropout2d`; the identity in eval mode. As in PyTorch
 * 1.13, a 3-D input is read as [N, C, L] (with a warning); use `Dropout1d` for that.
 *
 * @example
 * ```ts
 * const drop = new Dropout2d(0.1);
 * const y = drop.call(randn([8, 16, 5, 5])); // each [n, c] map zeroed or scaled
 * ```
 */
export class Dropout2d extends DropoutBase {
  /** Creates the layer. */
  constructor(p = 0.5, opts: { generator?: Generator } = {}) {
    super(p, opts);
  }

  /** Applies channel dropout in training mode. */
  override forward(x: Tensor): Tensor {
    return dropout2d(x, this.options());
  }
}

/**
 * Zeroes whole channels of [N, C, D, H, W] (or unbatched [C, D, H, W]) with probability `p`
 * during training and scales the kept ones by 1/(1-p), like `torch.nn.Dropout3d`; the
 * identity in eval mode.
 *
 * @example
 * ```ts
 * const drop = new Dropout3d(0.2);
 * const y = drop.call(randn([2, 4, 3, 8, 8]));
 * ```
 */
export class Dropout3d extends DropoutBase {
  /** Creates the layer. */
  constructor(p = 0.5, opts: { generator?: Generator } = {}) {
    super(p, opts);
  }

  /** Applies channel dropout in training mode. */
  override forward(x: Tensor): Tensor {
    return dropout3d(x, this.options());
  }
}

/**
 * Alpha dropout for self-normalising (SELU) networks, like `torch.nn.AlphaDropout`: during
 * training, elements are set with probability `p` to SELU's negative saturation value and an
 * affine map keeps the input's zero mean and unit variance; the identity in eval mode.
 *
 * @example
 * ```ts
 * const net = new Sequential(new Linear(64, 64), new SELU(), new AlphaDropout(0.1));
 * ```
 */
export class AlphaDropout extends DropoutBase {
  /** Creates the layer. */
  constructor(p = 0.5, opts: { generator?: Generator } = {}) {
    super(p, opts);
  }

  /** Applies alpha dropout in training mode. */
  override forward(x: Tensor): Tensor {
    return alphaDropout(x, this.options());
  }
}

/**
 * Alpha dropout of whole channels, like `torch.nn.FeatureAlphaDropout`: one draw per
 * [sample, channel] of an [N, C, *] input; the identity in eval mode.
 *
 * @example
 * ```ts
 * const drop = new FeatureAlphaDropout(0.2);
 * const y = drop.call(randn([8, 16, 4, 4]));
 * ```
 */
export class FeatureAlphaDropout extends DropoutBase {
  /** Creates the layer. */
  constructor(p = 0.5, opts: { generator?: Generator } = {}) {
    super(p, opts);
  }

  /** Applies channel alpha dropout in training mode. */
  override forward(x: Tensor): Tensor {
    return featureAlphaDropout(x, this.options());
  }
}

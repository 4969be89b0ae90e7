/**
 * Interpolation modes, like torchvision's `InterpolationMode`.
 *
 * @module
 */

/**
 * Resampling filters, as torchvision's `InterpolationMode` values. Images
 * accept all of them for resizing and nearest/bilinear/bicubic for warps;
 * tensors accept nearest and bilinear for warps.
 */
export type InterpolationMode = "nearest" | "bilinear" | "bicubic" | "box" | "hamming" | "lanczos";

/** torchvision's `InterpolationMode` enum: `InterpolationMode.BILINEAR === "bilinear"`. */
export const InterpolationMode: {
  readonly NEAREST: "nearest";
  readonly BILINEAR: "bilinear";
  readonly BICUBIC: "bicubic";
  readonly BOX: "box";
  readonly HAMMING: "hamming";
  readonly LANCZOS: "lanczos";
} = Object.freeze({
  NEAREST: "nearest",
  BILINEAR: "bilinear",
  BICUBIC: "bicubic",
  BOX: "box",
  HAMMING: "hamming",
  LANCZOS: "lanczos",
});

const ALL: readonly InterpolationMode[] = Object.values(InterpolationMode);

/** Throws naming `who` unless `mode` is one of `allowed`. */
export function checkInterpolation<M extends InterpolationMode>(
  mode: unknown,
  who: string,
  allowed: readonly M[],
): M {
  if (!allowed.includes(mode as M)) {
    const known = ALL.includes(mode as InterpolationMode);
    throw new RangeError(
      `${who}: interpolation ${JSON.stringify(mode)} is ${
        known ? "not supported here" : "unknown"
      }; expected one of ${allowed.map((m) => `"${m}"`).join(", ")}`,
    );
  }
  return mode as M;
}

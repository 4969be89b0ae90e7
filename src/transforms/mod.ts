/**
 * Image transforms in the style of `torchvision.transforms`: an {@link Image}
 * (HWC uint8) goes through geometric and colour transforms, `ToTensor` turns it
 * into a CHW float32 tensor, `Normalize` standardises it.
 *
 * ```ts
 * import * as T from "./mod.ts";
 * const tf = new T.Compose([
 *   new T.RandomCrop(32, { padding: 4 }),
 *   new T.RandomHorizontalFlip(),
 *   new T.ToTensor(),
 *   new T.Normalize([0.4914, 0.4822, 0.4465], [0.247, 0.243, 0.261]),
 * ]);
 * ```
 *
 * @module
 */

export { Image } from "./image.ts";
export type { DecodeOptions, ImageMode } from "./image.ts";
export { applyTransform, Compose, Lambda } from "./compose.ts";
export type { Transform, TransformLike } from "./compose.ts";
export { Normalize, ToTensor } from "./to_tensor.ts";
export { imageToChw, normalizeChw } from "./chw.ts";
export { CenterCrop, centerCrop, Resize, resizedSize } from "./resize.ts";
export type { ResizeOptions } from "./resize.ts";
export { RandomCrop, RandomResizedCrop, randomResizedCropParams } from "./random_crop.ts";
export type { RandomCropOptions, RandomResizedCropOptions } from "./random_crop.ts";
export { RandomFlip, RandomHorizontalFlip, RandomVerticalFlip } from "./flip.ts";
export type { FlipOptions } from "./flip.ts";
export { ColorJitter } from "./color_jitter.ts";
export type { ColorJitterOptions, JitterRange } from "./color_jitter.ts";
export { adjustBrightness, adjustContrast, adjustHue, adjustSaturation } from "./color.ts";
export { crop, hflip, pad, padCrop, parsePadding, vflip } from "./geometry.ts";
export type { Padding, PaddingMode, PaddingSpec } from "./geometry.ts";
export { resizeBilinear } from "./resample.ts";
export type { Size } from "./size.ts";
export { manualSeed, SeededRandom } from "./random.ts";
export type { GeneratorLike, RandomSource } from "./random.ts";
/** The functional transforms on Images and tensor images, like `torchvision.transforms.functional`. */
export * as functional from "./functional.ts";
export { InterpolationMode } from "./interpolation.ts";
export { resizeImage } from "./resample.ts";
export { FiveCrop, Pad, TenCrop } from "./pad_crop.ts";
export type { PadOptions } from "./pad_crop.ts";
export { RandomAffine, RandomPerspective, RandomRotation } from "./random_affine.ts";
export type {
  AffineParams,
  Corners,
  RandomAffineOptions,
  RandomPerspectiveOptions,
  RandomRotationOptions,
} from "./random_affine.ts";
export {
  GaussianBlur,
  Grayscale,
  RandomAdjustSharpness,
  RandomAutocontrast,
  RandomEqualize,
  RandomGrayscale,
  RandomInvert,
  RandomOp,
  RandomPosterize,
  RandomSolarize,
} from "./color_transforms.ts";
export type { RandomOptions } from "./color_transforms.ts";
export { RandomApply, RandomChoice, RandomOrder } from "./random_apply.ts";
export type { RandomChoiceOptions, RandomTransformsOptions } from "./random_apply.ts";
export { RandomErasing } from "./erasing.ts";
export type { ErasingParams, ErasingValue, RandomErasingOptions } from "./erasing.ts";
export { ConvertImageDtype, ToPILImage } from "./dtype.ts";
export {
  AugmentBase,
  AutoAugment,
  AutoAugmentPolicy,
  RandAugment,
  TrivialAugmentWide,
} from "./autoaugment.ts";
export type { AugmentOp, AutoAugmentOptions } from "./autoaugment.ts";

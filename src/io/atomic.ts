/**
 * Crash-safe file replacement: write a temp file next to the target, fsync it, then rename it
 * over the target. Rename within one directory is atomic on POSIX, so a reader (or a crash)
 * sees either the old complete file or the new complete file, never a torn one.
 */
import { basename, dirname, join } from "node:path";

/** Test seam: replaces the final rename (e.g. to simulate a crash before it). */
export const atomicHooks: { rename: (from: string, to: string) => Promise<void> } = {
  rename: (from, to) => Deno.rename(from, to),
};

/** Writes `bytes` to `path` atomically (temp file in the same directory + rename). */
export async function atomicWriteFile(path: string, bytes: Uint8Array): Promise<void> {
  const dir = dirname(path);
  const tmp = join(
    dir,
    `.${basename(path)}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`,
  );
  let file: Deno.FsFile;
  try {
    file = await Deno.open(tmp, { write: true, createNew: true });
  } catch (e) {
    throw new Error(`save: cannot write to "${dir}": ${(e as Error).message}`, { cause: e });
  }
  try {
    let off = 0;
    while (off < bytes.length) off += await file.write(bytes.subarray(off));
    await file.sync();
  } catch (e) {
    file.close();
    await Deno.remove(tmp).catch(() => {});
    throw new Error(`save: writing "${path}" failed: ${(e as Error).message}`, { cause: e });
  }
  file.close();
  try {
    await atomicHooks.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw new Error(`save: could not move the new file into "${path}": ${(e as Error).message}`, {
      cause: e,
    });
  }
}

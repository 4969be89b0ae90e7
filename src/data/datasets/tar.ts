/**
 * A minimal streaming tar reader (ustar, GNU long names, pax `path`), enough
 * for npm package tarballs. Entries are yielded one at a time so a large
 * archive is never held in memory whole.
 *
 * @module
 */

/** One regular file from the archive. */
export interface TarEntry {
  /** Path inside the archive. */
  name: string;
  /** File contents. */
  data: Uint8Array;
}

/** Reads exact byte counts from a stream of chunks. */
class ByteReader {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #buf: Uint8Array = new Uint8Array(0);
  #pos = 0;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.getReader();
  }

  /** Exactly `n` bytes, or null at a clean end of stream (no bytes at all). */
  async read(n: number): Promise<Uint8Array | null> {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      if (this.#pos === this.#buf.length) {
        const r = await this.#reader.read();
        if (r.done) {
          if (filled === 0) return null;
          throw new Error(`tar: archive is truncated (needed ${n - filled} more bytes)`);
        }
        this.#buf = r.value;
        this.#pos = 0;
      }
      const take = Math.min(n - filled, this.#buf.length - this.#pos);
      out.set(this.#buf.subarray(this.#pos, this.#pos + take), filled);
      this.#pos += take;
      filled += take;
    }
    return out;
  }

  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }
}

const dec = new TextDecoder();

function str(b: Uint8Array, off: number, len: number): string {
  const s = b.subarray(off, off + len);
  const end = s.indexOf(0);
  return dec.decode(end < 0 ? s : s.subarray(0, end));
}

function octal(b: Uint8Array, off: number, len: number): number {
  const s = str(b, off, len).trim();
  return s === "" ? 0 : parseInt(s, 8);
}

function checksumOk(h: Uint8Array): boolean {
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
  return sum === octal(h, 148, 8);
}

/**
 * Yields the regular files of an (uncompressed) tar stream.
 * @throws Error on a bad header checksum or a truncated archive.
 */
export async function* readTar(stream: ReadableStream<Uint8Array>): AsyncGenerator<TarEntry> {
  const r = new ByteReader(stream);
  let longName: string | null = null;
  try {
    while (true) {
      const h = await r.read(512);
      if (h === null || h.every((v) => v === 0)) return;
      if (!checksumOk(h)) throw new Error("tar: corrupt header (checksum mismatch)");
      const size = octal(h, 124, 12);
      const type = String.fromCharCode(h[156] || 48);
      const prefix = str(h, 257, 6) === "ustar" ? str(h, 345, 155) : "";
      let name = longName ?? (prefix ? `${prefix}/${str(h, 0, 100)}` : str(h, 0, 100));
      longName = null;
      const body = size > 0 ? await r.read(size) : new Uint8Array(0);
      if (body === null) throw new Error(`tar: archive is truncated inside ${name}`);
      if (size % 512) await r.read(512 - (size % 512));
      if (type === "L") {
        longName = str(body, 0, body.length);
      } else if (type === "x") {
        // pax extended header: "len key=value\n" records; only the path matters here.
        const m = /\d+ path=([^\n]*)\n/.exec(dec.decode(body));
        if (m) longName = m[1];
      } else if (type === "0" || type === "7") {
        if (name.startsWith("./")) name = name.slice(2);
        yield { name, data: body };
      }
    }
  } finally {
    await r.cancel();
  }
}

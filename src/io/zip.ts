/**
 * A minimal zip reader for PyTorch's `torch.save` archives. It trusts only the central
 * directory (the authoritative index at the end of the file), supports zip64 (large
 * checkpoints) and checks every entry's CRC-32 so corrupted files fail loudly.
 */
import { inflateRawSync } from "node:zlib";
import { crc32 } from "./crc32.ts";

/** One file inside a zip archive, as listed by the central directory. */
export interface ZipEntry {
  /** Path inside the archive. */
  name: string;
  /** 0 = stored, 8 = deflate. */
  method: number;
  /** Size of the stored bytes. */
  compressedSize: number;
  /** Size after decompression. */
  size: number;
  /** CRC-32 of the uncompressed bytes. */
  crc: number;
  /** Offset of the entry's local header. */
  localHeaderOffset: number;
}

/** A parsed zip archive with random access to its entries. */
export interface ZipArchive {
  /** Entries by name, in central-directory order. */
  entries: Map<string, ZipEntry>;
  /** Returns the uncompressed bytes of `name` (CRC checked). */
  read(name: string): Uint8Array;
}

const EOCD_SIG = 0x06054b50;
const EOCD64_LOCATOR_SIG = 0x07064b50;
const EOCD64_SIG = 0x06064b50;
const CDIR_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;

/** Whether `bytes` starts like a zip archive (local file header signature). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 &&
    bytes[3] === 4;
}

function fail(what: string): never {
  throw new Error(`zip: ${what} (the file is truncated or corrupted)`);
}

function u64(dv: DataView, off: number): number {
  const v = dv.getBigUint64(off, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail("64-bit size out of range");
  return Number(v);
}

/** Parses the central directory of a zip archive held in memory. */
export function readZip(bytes: Uint8Array): ZipArchive {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record sits in the last 22 + up to 65535 (comment) bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (dv.getUint32(i, true) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) fail("end of central directory not found");
  let count = dv.getUint16(eocd + 10, true);
  let cdirSize = dv.getUint32(eocd + 12, true);
  let cdirOffset = dv.getUint32(eocd + 16, true);
  // Zip64: the classic fields are saturated and the real values live in the zip64 record.
  if (eocd >= 20 && dv.getUint32(eocd - 20, true) === EOCD64_LOCATOR_SIG) {
    const rec = u64(dv, eocd - 20 + 8);
    if (rec + 56 > bytes.length || dv.getUint32(rec, true) !== EOCD64_SIG) {
      fail("bad zip64 end of central directory");
    }
    count = u64(dv, rec + 32);
    cdirSize = u64(dv, rec + 40);
    cdirOffset = u64(dv, rec + 48);
  }
  if (cdirOffset + cdirSize > bytes.length) fail("central directory past end of file");
  const entries = new Map<string, ZipEntry>();
  const dec = new TextDecoder();
  let p = cdirOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || dv.getUint32(p, true) !== CDIR_SIG) {
      fail("bad central directory entry");
    }
    const method = dv.getUint16(p + 10, true);
    const crc = dv.getUint32(p + 16, true);
    let compressedSize = dv.getUint32(p + 20, true);
    let size = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    let localHeaderOffset = dv.getUint32(p + 42, true);
    const name = dec.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // Zip64 extended information: present fields appear in a fixed order, only if saturated.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = dv.getUint16(e, true);
      const len = dv.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff) size = u64(dv, (q += 8) - 8);
        if (compressedSize === 0xffffffff) compressedSize = u64(dv, (q += 8) - 8);
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = u64(dv, q);
      }
      e += 4 + len;
    }
    entries.set(name, { name, method, compressedSize, size, crc, localHeaderOffset });
    p = extraEnd + commentLen;
  }

  function read(name: string): Uint8Array {
    const en = entries.get(name);
    if (!en) throw new Error(`zip: no entry named "${name}"`);
    const h = en.localHeaderOffset;
    if (h + 30 > bytes.length || dv.getUint32(h, true) !== LOCAL_SIG) {
      fail(`bad local header for "${name}"`);
    }
    const start = h + 30 + dv.getUint16(h + 26, true) + dv.getUint16(h + 28, true);
    if (start + en.compressedSize > bytes.length) fail(`entry "${name}" past end of file`);
    const raw = bytes.subarray(start, start + en.compressedSize);
    let data: Uint8Array;
    if (en.method === 0) data = raw;
    else if (en.method === 8) data = new Uint8Array(inflateRawSync(raw));
    else throw new Error(`zip: entry "${name}" uses unsupported compression method ${en.method}`);
    if (data.length !== en.size) fail(`entry "${name}" has the wrong size`);
    if (crc32(data) !== en.crc) fail(`CRC mismatch in entry "${name}"`);
    return data;
  }

  return { entries, read };
}

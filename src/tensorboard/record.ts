/**
 * TFRecord framing: each record is `uint64 length | uint32 masked_crc32c(length) | data |
 * uint32 masked_crc32c(data)`, all little-endian. TensorBoard event files are a sequence of
 * such records, each holding one serialized `Event`.
 */
import { maskedCrc32c } from "./crc32c.ts";

/** Frames one record. */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length + 4);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(data.length), true);
  dv.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  dv.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/** Frames several records into one buffer (one write per flush). */
export function frameRecords(records: Uint8Array[]): Uint8Array {
  const framed = records.map(frameRecord);
  const out = new Uint8Array(framed.reduce((a, b) => a + b.length, 0));
  let p = 0;
  for (const f of framed) {
    out.set(f, p);
    p += f.length;
  }
  return out;
}

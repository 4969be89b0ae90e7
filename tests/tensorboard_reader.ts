// An independent TensorBoard event-file reader for tests, written from the TFRecord framing and
// protobuf wire-format specs (no protobufjs): it checks both CRCs of every record.
import assert from "node:assert/strict";

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function maskedCrc(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff] ^ (c >>> 8);
  c = (c ^ 0xffffffff) >>> 0;
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** Splits a TFRecord file into its records, verifying lengths and masked CRC32Cs. */
export function readRecords(bytes: Uint8Array): Uint8Array[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Uint8Array[] = [];
  let p = 0;
  while (p < bytes.length) {
    const len = Number(dv.getBigUint64(p, true));
    assert.equal(dv.getUint32(p + 8, true), maskedCrc(bytes.subarray(p, p + 8)), "length crc");
    const data = bytes.subarray(p + 12, p + 12 + len);
    assert.equal(data.length, len, "record truncated");
    assert.equal(dv.getUint32(p + 12 + len, true), maskedCrc(data), "data crc");
    out.push(data);
    p += 16 + len;
  }
  return out;
}

/** One decoded protobuf field value. */
export type Wire = { wt: 0; v: bigint } | { wt: 1; b: Uint8Array } | { wt: 2; b: Uint8Array } | {
  wt: 5;
  b: Uint8Array;
};

/** Decodes one message into field number → values (wire format only). */
export function decode(b: Uint8Array): Map<number, Wire[]> {
  const m = new Map<number, Wire[]>();
  let p = 0;
  const varint = (): bigint => {
    let v = 0n, s = 0n;
    for (;;) {
      const x = b[p++];
      v |= BigInt(x & 0x7f) << s;
      s += 7n;
      if (!(x & 0x80)) return v;
    }
  };
  while (p < b.length) {
    const key = Number(varint());
    const f = key >>> 3, wt = key & 7;
    let w: Wire;
    if (wt === 0) w = { wt, v: varint() };
    else if (wt === 1) w = { wt, b: b.subarray(p, p += 8) };
    else if (wt === 5) w = { wt, b: b.subarray(p, p += 4) };
    else if (wt === 2) {
      const n = Number(varint());
      w = { wt, b: b.subarray(p, p += n) };
    } else throw new Error(`wire type ${wt}`);
    const l = m.get(f) ?? [];
    l.push(w);
    m.set(f, l);
  }
  return m;
}

const f64 = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
const f32 = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);

/** Field accessors over a decoded message. */
export class Msg {
  readonly m: Map<number, Wire[]>;
  constructor(b: Uint8Array) {
    this.m = decode(b);
  }
  has(f: number): boolean {
    return this.m.has(f);
  }
  bytes(f: number): Uint8Array | undefined {
    const w = this.m.get(f)?.at(-1);
    return w && w.wt === 2 ? w.b : undefined;
  }
  str(f: number): string | undefined {
    const b = this.bytes(f);
    return b && new TextDecoder().decode(b);
  }
  msg(f: number): Msg | undefined {
    const b = this.bytes(f);
    return b ? new Msg(b) : undefined;
  }
  msgs(f: number): Msg[] {
    return (this.m.get(f) ?? []).map((w) => new Msg((w as { b: Uint8Array }).b));
  }
  strs(f: number): string[] {
    return (this.m.get(f) ?? []).map((w) => new TextDecoder().decode((w as { b: Uint8Array }).b));
  }
  int(f: number): number | undefined {
    const w = this.m.get(f)?.at(-1);
    return w && w.wt === 0 ? Number(BigInt.asIntN(64, w.v)) : undefined;
  }
  double(f: number): number | undefined {
    const w = this.m.get(f)?.at(-1);
    return w && w.wt === 1 ? f64(w.b) : undefined;
  }
  float(f: number): number | undefined {
    const w = this.m.get(f)?.at(-1);
    return w && w.wt === 5 ? f32(w.b) : undefined;
  }
  /** Packed (or unpacked) repeated doubles. */
  doubles(f: number): number[] {
    const out: number[] = [];
    for (const w of this.m.get(f) ?? []) {
      if (w.wt === 1) out.push(f64(w.b));
      else if (w.wt === 2) {
        for (let i = 0; i < w.b.length; i += 8) out.push(f64(w.b.subarray(i)));
      }
    }
    return out;
  }
  /** Packed (or unpacked) repeated varints. */
  ints(f: number): number[] {
    const out: number[] = [];
    for (const w of this.m.get(f) ?? []) {
      if (w.wt === 0) out.push(Number(w.v));
      else if (w.wt === 2) {
        out.push(...decodeVarints(w.b));
      }
    }
    return out;
  }
}

function decodeVarints(b: Uint8Array): number[] {
  const out: number[] = [];
  let p = 0;
  while (p < b.length) {
    let v = 0n, s = 0n;
    for (;;) {
      const x = b[p++];
      v |= BigInt(x & 0x7f) << s;
      s += 7n;
      if (!(x & 0x80)) break;
    }
    out.push(Number(BigInt.asIntN(64, v)));
  }
  return out;
}

/** An Event, decoded per tensorflow/core/util/event.proto. */
export interface DecodedEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  graphDef?: Uint8Array;
  values: Msg[];
}

/** Reads all events of one event file. */
export function readEvents(path: string): DecodedEvent[] {
  return readRecords(Deno.readFileSync(path)).map((r) => {
    const e = new Msg(r);
    return {
      wallTime: e.double(1)!,
      step: e.int(2) ?? 0,
      fileVersion: e.str(3),
      graphDef: e.bytes(4),
      values: e.msg(5)?.msgs(1) ?? [],
    };
  });
}

/** The event files in a directory (non-recursive). */
export function eventFiles(dir: string): string[] {
  return [...Deno.readDirSync(dir)].filter((e) =>
    e.isFile && e.name.startsWith("events.out.tfevents.")
  )
    .map((e) => `${dir}/${e.name}`);
}

/**
 * A restricted unpickler (protocols 0–5, as far as `torch.save` uses them). It never runs
 * code: every GLOBAL must be in the caller's allow-list, and "calling" one (REDUCE/NEWOBJ)
 * runs the caller's TypeScript handler instead of anything named in the file. A pickle that
 * names any other global (e.g. `os.system`) is refused before anything is built from it.
 */

/** A Python global the allow-list admitted; calling it runs `call` if it has one. */
export class PyGlobal {
  /** `module` and `name` as written in the pickle. */
  constructor(
    readonly module: string,
    readonly name: string,
    readonly call?: (args: unknown[]) => unknown,
  ) {}
  /** `module.name`, as Python prints it. */
  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

/** Options of {@link unpickle}. */
export interface UnpickleOptions {
  /**
   * Allowed globals by qualified name (`"collections.OrderedDict"`); the value is the handler
   * run when the pickle calls it, or `null` for globals that are only referenced.
   */
  globals: Record<string, ((args: unknown[]) => unknown) | null>;
  /** Resolves a persistent id (BINPERSID); torch uses it to reference storages. */
  persistentLoad?: (pid: unknown) => unknown;
}

/** Error raised for pickles that name a global outside the allow-list. */
export class UnsafePickleError extends Error {
  /** The refused `module.name`. */
  readonly global: string;
  /** Builds the error for `global`, listing the `allowed` globals. */
  constructor(global: string, allowed: string[]) {
    super(
      `unpickle: refusing to load global "${global}"; this loader never runs code from a ` +
        `file and only allows: ${allowed.join(", ")}`,
    );
    this.global = global;
    this.name = "UnsafePickleError";
  }
}

/**
 * Decodes a pickle into JS values: None → null, bool, int → number (bigint beyond 2^53),
 * float, str, bytes → Uint8Array, list/tuple/set → array, dict → Map (insertion order kept),
 * allowed globals → {@link PyGlobal} or whatever their handler returns.
 */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions): unknown {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  const allowed = Object.keys(options.globals);
  const stack: unknown[] = [];
  const metastack: unknown[][] = [];
  let cur = stack;
  const memo = new Map<number, unknown>();
  let p = 0;

  const need = (n: number): void => {
    if (p + n > bytes.length) throw new Error("unpickle: unexpected end of data (truncated file)");
  };
  const u8 = (): number => (need(1), bytes[p++]);
  const u16 = (): number => (need(2), p += 2, dv.getUint16(p - 2, true));
  const u32 = (): number => (need(4), p += 4, dv.getUint32(p - 4, true));
  const i32 = (): number => (need(4), p += 4, dv.getInt32(p - 4, true));
  const u64 = (): number => {
    need(8);
    const v = dv.getBigUint64(p, true);
    p += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error("unpickle: length out of range");
    return Number(v);
  };
  const take = (n: number): Uint8Array => (need(n), p += n, bytes.subarray(p - n, p));
  const line = (): string => {
    const end = bytes.indexOf(0x0a, p);
    if (end < 0) throw new Error("unpickle: unexpected end of data (truncated file)");
    const s = latin1(bytes.subarray(p, end));
    p = end + 1;
    return s;
  };
  const pop = (): unknown => {
    if (!cur.length) throw new Error("unpickle: stack underflow (corrupted pickle)");
    return cur.pop();
  };
  const top = (): unknown => {
    if (!cur.length) throw new Error("unpickle: stack underflow (corrupted pickle)");
    return cur[cur.length - 1];
  };
  const popMark = (): unknown[] => {
    const items = cur;
    const prev = metastack.pop();
    if (!prev) throw new Error("unpickle: MARK missing (corrupted pickle)");
    cur = prev;
    return items;
  };
  const findGlobal = (module: string, name: string): PyGlobal => {
    const q = `${module}.${name}`;
    if (!Object.hasOwn(options.globals, q)) throw new UnsafePickleError(q, allowed);
    return new PyGlobal(module, name, options.globals[q] ?? undefined);
  };
  const call = (fn: unknown, args: unknown): unknown => {
    if (!(fn instanceof PyGlobal) || !fn.call) {
      const what = fn instanceof PyGlobal ? fn.qualifiedName : typeof fn;
      throw new Error(`unpickle: cannot call ${what} (not a supported constructor)`);
    }
    if (!Array.isArray(args)) throw new Error("unpickle: call arguments are not a tuple");
    return fn.call(args);
  };
  const setItems = (d: unknown, kv: unknown[]): void => {
    if (!(d instanceof Map)) throw new Error("unpickle: SETITEM on a non-dict");
    for (let i = 0; i + 1 < kv.length; i += 2) d.set(kv[i], kv[i + 1]);
  };
  const appendAll = (l: unknown, items: unknown[]): void => {
    if (!Array.isArray(l)) throw new Error("unpickle: APPEND on a non-list");
    l.push(...items);
  };
  const int = (v: bigint): number | bigint =>
    v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        u8();
        break;
      case 0x95: // FRAME: framing is only a read-ahead hint
        u64();
        break;
      case 0x2e: // STOP
        if (stack.length !== 1 || metastack.length) {
          throw new Error("unpickle: malformed pickle (stack not empty at STOP)");
        }
        return stack[0];
      case 0x28: // MARK
        metastack.push(cur);
        cur = [];
        break;
      case 0x4e: // NONE
        cur.push(null);
        break;
      case 0x88: // NEWTRUE
        cur.push(true);
        break;
      case 0x89: // NEWFALSE
        cur.push(false);
        break;
      case 0x4a: // BININT
        cur.push(i32());
        break;
      case 0x4b: // BININT1
        cur.push(u8());
        break;
      case 0x4d: // BININT2
        cur.push(u16());
        break;
      case 0x8a: // LONG1
        cur.push(int(leInt(take(u8()))));
        break;
      case 0x8b: { // LONG4
        const n = i32();
        if (n < 0) throw new Error("unpickle: negative LONG4 length");
        cur.push(int(leInt(take(n))));
        break;
      }
      case 0x47: // BINFLOAT (big-endian double)
        need(8);
        cur.push(dv.getFloat64(p, false));
        p += 8;
        break;
      case 0x49: { // INT (text)
        const s = line();
        cur.push(s === "01" ? true : s === "00" ? false : int(BigInt(s)));
        break;
      }
      case 0x4c: // LONG (text)
        cur.push(int(BigInt(line().replace(/L$/, ""))));
        break;
      case 0x46: // FLOAT (text)
        cur.push(parseFloat(line()));
        break;
      case 0x58: // BINUNICODE
        cur.push(utf8.decode(take(u32())));
        break;
      case 0x8c: // SHORT_BINUNICODE
        cur.push(utf8.decode(take(u8())));
        break;
      case 0x8d: // BINUNICODE8
        cur.push(utf8.decode(take(u64())));
        break;
      case 0x54: { // BINSTRING (py2 str)
        const n = i32();
        if (n < 0) throw new Error("unpickle: negative BINSTRING length");
        cur.push(latin1(take(n)));
        break;
      }
      case 0x55: // SHORT_BINSTRING
        cur.push(latin1(take(u8())));
        break;
      case 0x42: // BINBYTES
        cur.push(take(u32()).slice());
        break;
      case 0x43: // SHORT_BINBYTES
        cur.push(take(u8()).slice());
        break;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        cur.push(take(u64()).slice());
        break;
      case 0x7d: // EMPTY_DICT
        cur.push(new Map());
        break;
      case 0x5d: // EMPTY_LIST
      case 0x8f: // EMPTY_SET
        cur.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        cur.push([]);
        break;
      case 0x74: // TUPLE
      case 0x6c: // LIST
      case 0x91: { // FROZENSET
        const items = popMark(); // before touching `cur`: popMark switches it
        cur.push(items);
        break;
      }
      case 0x64: { // DICT
        const kv = popMark();
        const d = new Map();
        setItems(d, kv);
        cur.push(d);
        break;
      }
      case 0x85: // TUPLE1
        cur.push([pop()]);
        break;
      case 0x86: { // TUPLE2
        const b = pop();
        cur.push([pop(), b]);
        break;
      }
      case 0x87: { // TUPLE3
        const c = pop();
        const b = pop();
        cur.push([pop(), b, c]);
        break;
      }
      case 0x61: { // APPEND
        const v = pop();
        appendAll(top(), [v]);
        break;
      }
      case 0x65: // APPENDS
      case 0x90: { // ADDITEMS
        const items = popMark();
        appendAll(top(), items);
        break;
      }
      case 0x73: { // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: { // SETITEMS
        const kv = popMark();
        setItems(top(), kv);
        break;
      }
      case 0x63: { // GLOBAL
        const module = line();
        cur.push(findGlobal(module, line()));
        break;
      }
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== "string" || typeof name !== "string") {
          throw new Error("unpickle: STACK_GLOBAL needs two strings");
        }
        cur.push(findGlobal(module, name));
        break;
      }
      case 0x52: { // REDUCE
        const args = pop();
        cur.push(call(pop(), args));
        break;
      }
      case 0x81: { // NEWOBJ
        const args = pop();
        cur.push(call(pop(), args));
        break;
      }
      case 0x92: { // NEWOBJ_EX: kwargs are not supported by any allowed constructor
        pop();
        const args = pop();
        cur.push(call(pop(), args));
        break;
      }
      case 0x62: // BUILD: object state (e.g. a state dict's `_metadata`) carries nothing we need
        pop();
        top();
        break;
      case 0x51: { // BINPERSID
        const pid = pop();
        if (!options.persistentLoad) throw new Error("unpickle: unexpected persistent id");
        cur.push(options.persistentLoad(pid));
        break;
      }
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x70: // PUT
        memo.set(parseInt(line(), 10), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: // LONG_BINGET
      case 0x67: { // GET
        const k = op === 0x68 ? u8() : op === 0x6a ? u32() : parseInt(line(), 10);
        if (!memo.has(k)) throw new Error(`unpickle: memo key ${k} missing (corrupted pickle)`);
        cur.push(memo.get(k));
        break;
      }
      case 0x30: // POP
        if (cur.length) cur.pop();
        else popMark();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        cur.push(top());
        break;
      default:
        throw new Error(
          `unpickle: unsupported or invalid opcode 0x${op.toString(16)} at byte ${p - 1} ` +
            "(corrupted file or an unsupported pickle feature)",
        );
    }
  }
}

/** Reads bytes as a little-endian two's-complement integer (pickle LONG encoding). */
function leInt(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  if (b.length && b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
  return v;
}

function latin1(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

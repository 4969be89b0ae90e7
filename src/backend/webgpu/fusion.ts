/**
 * Elementwise fusion. fill / unary / binary / where do not dispatch at once: they are appended
 * to a pending group that is emitted as ONE generated kernel computing the whole chain in
 * registers, per element of the group's (common) shape.
 *
 * - A group is emitted when any other kernel is encoded (`begin()`), on a copy/readback/submit
 *   (encoder hooks), when an op cannot join (other shape, a read of a storage through a view
 *   other than the one the group wrote, a write to a storage the group touched through another
 *   view), or when a cap is reached (ops, bindings, uniform words).
 * - An operand view that the group already wrote is forwarded from its register, so
 *   intermediates need no load. Stores are emitted only for outputs whose storage is still
 *   referenced (refs > 0) at emit time; storages freed meanwhile are returned to the pool only
 *   after the group is encoded, so no later kernel can be given a buffer the group still uses.
 * - Every register holds the *stored* representation of its value (storage type), so forwarding
 *   is exactly store-then-load and results equal the unfused kernels bit for bit.
 * - Operand layouts (relative to the squeezed group shape) are classified: `c` contiguous
 *   (offset + i), `s` broadcast scalar (offset), `g` general (offset + Σ coord·stride, ≤ 4 dims).
 *   Offsets, strides, shape and scalar parameters live in the uniform slot, so the generated
 *   source (also the pipeline cache key) depends only on op list, dtypes and layout classes.
 * - Debug mode disables fusion, so every op is its own dispatch in its own error scope.
 */
import type { BinaryOp, Storage, Strided, UnaryOp } from "../backend.ts";
import castSrc from "../../../kernels/elementwise_cast.wgsl" with { type: "text" };
import unaryOpsSrc from "../../../kernels/unary_ops.wgsl" with { type: "text" };
import binaryOpsSrc from "../../../kernels/binary_ops.wgsl" with { type: "text" };
import { begin, dispatch, setPendingHooks, U } from "./encoder.ts";
import { kernel } from "./pipeline_cache.ts";
import { computeKind, grid, wgslType } from "./layout.ts";
import { bufOf } from "./storage.ts";
import { gpu, isDebug } from "./device.ts";
import type { BufferPool } from "./buffer_pool.ts";

/** Most ops per generated kernel (bounds compile time and register pressure). */
const MAX_OPS = 48;
/** Uniform words available for offsets, strides and scalars (64 minus an 8-word header). */
const MAX_WORDS = 56;
/** Most dims of a general-strided operand after squeezing. */
const MAX_G_DIMS = 4;

let enabled = Deno.env.get("DENOTORCH_FUSION") !== "0";

/** Turns elementwise fusion on or off (emits any pending group first). */
export function setFusion(on: boolean): void {
  emit();
  enabled = on;
}

/** Whether elementwise fusion is on. */
export function fusionEnabled(): boolean {
  return enabled && !isDebug();
}

/** Unary ops with an exact i32 implementation; the rest compute in f32. */
export const UNARY_INT: ReadonlySet<UnaryOp> = new Set<UnaryOp>([
  "copy",
  "neg",
  "abs",
  "relu",
  "sign",
  "not",
  "add_s",
  "mul_s",
  "clamp",
  "gt_s",
  "lt_s",
]);
/** Unary ops writing bool. */
export const UNARY_BOOL: ReadonlySet<UnaryOp> = new Set<UnaryOp>([
  "not",
  "gt_s",
  "lt_s",
  "isnan",
]);
/** Binary ops with an exact i32 implementation. */
export const BINARY_INT: ReadonlySet<BinaryOp> = new Set<BinaryOp>([
  "add",
  "sub",
  "mul",
  "pow",
  "maximum",
  "minimum",
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
  "and",
  "or",
  "fmod",
]);
/** Binary ops writing bool. */
export const BINARY_BOOL: ReadonlySet<BinaryOp> = new Set<BinaryOp>([
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
  "and",
  "or",
]);
/** Unary ops reading p0 / p1. */
const UNARY_P0 = new Set<UnaryOp>([
  "add_s",
  "mul_s",
  "pow_s",
  "rpow_s",
  "clamp",
  "leaky_relu",
  "gt_s",
  "lt_s",
  "polygamma",
]);

/** Load function converting a storage type to a compute kind. */
export function loadFn(TA: string, kind: "f" | "i"): string {
  return TA === "f32"
    ? "ld_f"
    : kind === "f"
    ? (TA === "i32" ? "ld_i2f" : "ld_b2f")
    : TA === "i32"
    ? "ld_i"
    : "ld_b";
}

/** Clamps ±Infinity to the i32 range and truncates. */
export function intParam(v: number): number {
  if (v === Infinity) return 2147483647;
  if (v === -Infinity) return -2147483648;
  return v | 0;
}

const f32Bits = new Float32Array(1);
const f32BitsU = new Uint32Array(f32Bits.buffer);
function fbits(v: number): number {
  f32Bits[0] = v;
  return f32BitsU[0];
}

/**
 * `c` contiguous, `s` broadcast scalar, `b` one non-zero stride (per-channel / per-row broadcast:
 * offset + ((i / inner) % size) * stride), `g` general.
 */
type Cls = "c" | "s" | "b" | "g";

interface View {
  buf: number;
  cls: Cls;
  /** Word index of the offset (strides follow for class g; stride, inner, size for b). */
  word: number;
  offset: number;
  /** Class b: stride, inner (product of the dims after the broadcast one) and size. */
  b: [number, number, number] | null;
  /** Name of the offset expression once emitted. */
  off: string | null;
  /** Name of the value loaded from memory once emitted. */
  val: string | null;
}

interface Written {
  view: number;
  storage: Storage;
  reg: string;
}

interface Group {
  /** Squeezed shape (no size-1 dims); null while only scalar ops are in the group. */
  shape: number[] | null;
  n: number;
  views: View[];
  viewByKey: Map<string, number>;
  viewKeys: string[];
  bufs: GPUBuffer[];
  bufTypes: string[];
  bufByBuffer: Map<GPUBuffer, number>;
  /** Views (indices) touching each binding. */
  bufViews: number[][];
  /** Binding → the single view the group wrote into it. */
  bufWritten: Map<number, number>;
  /** View → its latest register. */
  written: Map<number, Written>;
  writeOrder: number[];
  words: number[];
  body: string[];
  names: string[];
  nOps: number;
  anyG: boolean;
}

let group: Group | null = null;
const deferred: [BufferPool, GPUBuffer][] = [];

function newGroup(): Group {
  return {
    shape: null,
    n: 1,
    views: [],
    viewByKey: new Map(),
    viewKeys: [],
    bufs: [],
    bufTypes: [],
    bufByBuffer: new Map(),
    bufViews: [],
    bufWritten: new Map(),
    written: new Map(),
    writeOrder: [],
    words: [],
    body: [],
    names: [],
    nOps: 0,
    anyG: false,
  };
}

/** Whether an elementwise group is waiting to be encoded. */
export function fusionPending(): boolean {
  return group !== null;
}

/**
 * Returns `buf` to `pool` now, or after the pending group is encoded when one is waiting (the
 * group may still read or write it). Returns nothing; always takes ownership.
 */
export function releaseBuffer(pool: BufferPool, buf: GPUBuffer): void {
  if (group) deferred.push([pool, buf]);
  else pool.release(buf);
}

/** A fusable operand: its storage and strides over the op's (logical) shape. */
interface Operand {
  storage: Storage;
  strides: readonly number[];
  offset: number;
}

/** Squeezed shape of `shape`: the dims of size > 1, with their positions. */
function squeeze(shape: readonly number[]): [number[], number[]] {
  const s: number[] = [], at: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] !== 1) {
      s.push(shape[d]);
      at.push(d);
    }
  }
  return [s, at];
}

interface Desc {
  buffer: GPUBuffer;
  type: string;
  cls: Cls;
  key: string;
  offset: number;
  strides: number[];
  b: [number, number, number] | null;
}

const bufIds = new WeakMap<GPUBuffer, number>();
let nextBufId = 1;

function describe(x: Operand, sq: number[], at: number[]): Desc | null {
  const buffer = bufOf(x.storage);
  let id = bufIds.get(buffer);
  if (id === undefined) bufIds.set(buffer, id = nextBufId++);
  const strides = at.map((d) => x.strides[d]);
  let cls: Cls = "s", contig = true, expect = 1;
  for (let k = strides.length - 1; k >= 0; k--) {
    if (strides[k] !== 0) cls = "g";
    if (strides[k] !== expect) contig = false;
    expect *= sq[k];
  }
  if (cls === "g" && contig) cls = "c";
  let b: [number, number, number] | null = null;
  if (cls === "g") {
    let k = -1, nz = 0;
    for (let d = 0; d < strides.length; d++) if (strides[d] !== 0) nz++, k = d;
    if (nz === 1) {
      let inner = 1;
      for (let d = k + 1; d < sq.length; d++) inner *= sq[d];
      cls = "b";
      b = [strides[k], inner, sq[k]];
    }
  }
  if (cls === "g" && strides.length > MAX_G_DIMS) return null;
  const key = cls === "g"
    ? `${id}g${x.offset}:${strides.join(",")}`
    : cls === "b"
    ? `${id}b${x.offset}:${b!.join(",")}`
    : `${id}${cls}${x.offset}`;
  return { buffer, type: wgslType(x.storage.dtype), cls, key, offset: x.offset, strides, b };
}

function wordsOf(d: Desc): number {
  return d.cls === "g" ? 1 + d.strides.length : d.cls === "b" ? 4 : 1;
}

/** Checks whether the op (inputs `ins`, output `out`) can join group `g` as it stands. */
function fits(g: Group, ins: Desc[], out: Desc, nScalars: number): boolean {
  if (g.nOps >= MAX_OPS) return false;
  // An op has at most a handful of operands: linear scans beat allocating sets on this hot path.
  let newBufs = 0, newWords = nScalars;
  const n = ins.length + 1;
  for (let i = 0; i < n; i++) {
    const d = i < ins.length ? ins[i] : out;
    let bufSeen = false, keySeen = false;
    for (let j = 0; j < i; j++) {
      const e = ins[j];
      if (e.buffer === d.buffer) bufSeen = true;
      if (e.key === d.key) keySeen = true;
    }
    if (!bufSeen && !g.bufByBuffer.has(d.buffer)) newBufs++;
    if (!keySeen && !g.viewByKey.has(d.key)) newWords += wordsOf(d);
  }
  if (g.bufs.length + newBufs > maxBindings()) return false;
  if (g.words.length + newWords > MAX_WORDS) return false;
  // Hazards: reading a storage the group wrote through another view, or writing a storage the
  // group touched through another view, would need another invocation's element.
  for (const d of ins) {
    const b = g.bufByBuffer.get(d.buffer);
    if (b === undefined) continue;
    const w = g.bufWritten.get(b);
    if (w !== undefined && g.viewKeys[w] !== d.key) return false;
  }
  const b = g.bufByBuffer.get(out.buffer);
  if (b !== undefined) {
    for (const v of g.bufViews[b]) if (g.viewKeys[v] !== out.key) return false;
  }
  return true;
}

let maxBind = 0;
function maxBindings(): number {
  if (!maxBind) maxBind = Math.min(gpu().device.limits.maxStorageBuffersPerShaderStage, 32);
  return maxBind;
}

function viewOf(g: Group, d: Desc): number {
  let v = g.viewByKey.get(d.key);
  if (v !== undefined) return v;
  let b = g.bufByBuffer.get(d.buffer);
  if (b === undefined) {
    b = g.bufs.length;
    g.bufs.push(d.buffer);
    g.bufTypes.push(d.type);
    g.bufByBuffer.set(d.buffer, b);
    g.bufViews.push([]);
  }
  v = g.views.length;
  const word = g.words.length;
  g.words.push(d.offset);
  if (d.cls === "g") {
    for (const s of d.strides) g.words.push(s);
    g.anyG = true;
  }
  if (d.cls === "b") g.words.push(...d.b!);
  g.views.push({ buf: b, cls: d.cls, word, offset: d.offset, b: d.b, off: null, val: null });
  g.viewByKey.set(d.key, v);
  g.viewKeys.push(d.key);
  g.bufViews[b].push(v);
  return v;
}

function wexpr(k: number): string {
  return `P.w[${k >> 2}][${k & 3}]`;
}

function offsetOf(g: Group, v: number, out: string[]): string {
  const view = g.views[v];
  if (view.off) return view.off;
  const name = `o${v}`;
  let e = wexpr(view.word);
  if (view.cls === "c") e += " + i";
  else if (view.cls === "b") {
    e += ` + ((i / ${wexpr(view.word + 2)}) % ${wexpr(view.word + 3)}) * ${wexpr(view.word + 1)}`;
  } else if (view.cls === "g") {
    const nd = g.shape!.length;
    for (let k = 0; k < nd; k++) e += ` + c${k} * ${wexpr(view.word + 1 + k)}`;
  }
  out.push(`  let ${name} = ${e};\n`);
  view.off = name;
  return name;
}

/** The storage-typed value of view `v` at this element: forwarded or loaded. */
function valueOf(g: Group, v: number): string {
  const w = g.written.get(v);
  if (w) return w.reg;
  const view = g.views[v];
  if (view.val) return view.val;
  // Loads are emitted at the top of the kernel (emit()): a view is only loaded before the group
  // writes it (later reads are forwarded), and every store comes last, so hoisting is exact.
  const name = `v${v}`;
  view.val = name;
  return name;
}

/**
 * Appends an op to the pending group. Returns false when the op cannot be fused (the caller
 * dispatches it on its own; a pending group is emitted first by the encoder hook).
 */
function add(
  name: string,
  shape: readonly number[],
  ins: Operand[],
  out: Operand,
  scalars: number[],
  line: (vals: string[], p: string[], reg: string) => string,
): boolean {
  if (!fusionEnabled()) return false;
  let n = 1;
  for (const s of shape) n *= s;
  const [sq, at] = squeeze(shape);
  const scalar = n === 1;
  if (group && !scalar && group.shape) {
    const gs = group.shape;
    let same = gs.length === sq.length;
    for (let k = 0; same && k < sq.length; k++) same = gs[k] === sq[k];
    if (!same) emit();
  }
  const dIns: Desc[] = [];
  for (const x of ins) {
    const d = describe(x, sq, at);
    if (!d) return false;
    dIns.push(d);
  }
  const dOut = describe(out, sq, at);
  if (!dOut || ((dOut.cls === "s" || dOut.cls === "b") && !scalar)) return false;
  if (group && !fits(group, dIns, dOut, scalars.length)) emit();
  if (!group) group = newGroup();
  const g = group;
  if (!scalar && !g.shape) {
    g.shape = sq;
    g.n = n;
  }
  const vals = dIns.map((d) => valueOf(g, viewOf(g, d)));
  const p: string[] = [];
  for (const s of scalars) {
    p.push(wexpr(g.words.length));
    g.words.push(s);
  }
  const ov = viewOf(g, dOut);
  const reg = `r${g.nOps}`;
  g.body.push(`  let ${reg} = ${line(vals, p, reg)};`);
  const prev = g.written.get(ov);
  if (!prev) g.writeOrder.push(ov);
  g.written.set(ov, { view: ov, storage: out.storage, reg });
  g.bufWritten.set(g.views[ov].buf, ov);
  g.names.push(name);
  g.nOps++;
  return true;
}
function discard(): void {
  group = null;
  deferred.length = 0;
}

/** Blocks (of W elements) per invocation in the fast path. */
const FAST_BLOCKS = 4;
const COMP = ["x", "y", "z", "w"];

/** Generated source of the general path: one element per invocation, any layout. */
function generalSource(g: Group, stores: number[]): string {
  const nd = g.shape?.length ?? 0;
  let src = "@compute @workgroup_size(256)\nfn main(@builtin(workgroup_id) wid: vec3<u32>, " +
    "@builtin(local_invocation_id) lid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {\n" +
    "  let i = (wid.y * nwg.x + wid.x) * 256u + lid.x;\n  if (i >= P.n) { return; }\n";
  if (g.anyG) {
    src += "  var rem = i;\n";
    for (let k = nd - 1; k >= 0; k--) {
      src += `  let c${k} = rem % P.sh[${k}];\n`;
      if (k > 0) src += `  rem = rem / P.sh[${k}];\n`;
    }
  }
  const pre: string[] = [];
  for (let v = 0; v < g.views.length; v++) {
    const view = g.views[v];
    if (view.val) pre.push(`  let ${view.val} = B${view.buf}[${offsetOf(g, v, pre)}];\n`);
  }
  const post: string[] = [];
  for (const v of stores) {
    const view = g.views[v];
    const st = `B${view.buf}[${offsetOf(g, v, post)}] = ${g.written.get(v)!.reg};`;
    post.push(view.cls === "s" && g.shape ? `  if (i == 0u) { ${st} }\n` : `  ${st}\n`);
  }
  return src + pre.join("") + g.body.join("\n") + "\n" + post.join("") + "}\n";
}

/**
 * Whether the vec4 fast path applies: no general view, n and every contiguous offset multiples
 * of 4, broadcast views constant over each block of 4 (or a contiguous aligned row), and every
 * buffer a whole number of vec4s.
 */
function vec4Ok(g: Group): boolean {
  if (g.n % 4 !== 0) return false;
  for (const b of g.bufs) if (b.size % 16 !== 0) return false;
  for (const view of g.views) {
    if (view.cls === "c" && view.offset % 4 !== 0) return false;
    if (view.cls === "b" && !bBlock(view) && !bRow(view)) return false;
  }
  return true;
}
/** A b view constant over aligned blocks of 4 elements. */
function bBlock(view: View): boolean {
  return view.b![1] % 4 === 0;
}
/** A b view that is a contiguous row broadcast over leading dims, loadable as vec4. */
function bRow(view: View): boolean {
  const [stride, inner, size] = view.b!;
  return inner === 1 && stride === 1 && size % 4 === 0 && view.offset % 4 === 0;
}

/**
 * Generated source of the fast path (only c, s and b views): each invocation handles
 * FAST_BLOCKS consecutive blocks of W elements (W = 4: vec4 loads and stores), with no index
 * unravelling; b views cost one division and one modulo per block.
 */
function fastSource(g: Group, stores: number[], W: number): string {
  const vec = W === 4;
  const w = (k: number) => wexpr(k);
  let head = `@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let b0 = ((wid.y * nwg.x + wid.x) * 256u + lid.x) * ${FAST_BLOCKS}u;
  let b1 = min(b0 + ${FAST_BLOCKS}u, P._p0);
  for (var blk = b0; blk < b1; blk++) {
`;
  // Per view: the expression of component j of its value.
  const comp: ((j: number) => string)[] = [];
  const load = (v: number): string => {
    const view = g.views[v];
    const B = `B${view.buf}`;
    const name = `v${v}`;
    if (view.cls === "c") {
      comp[v] = vec ? (j) => `${name}.${COMP[j]}` : () => name;
      return `    let ${name} = ${B}[${w(view.word)} + blk];\n`;
    }
    let o: string;
    if (view.cls === "s") o = w(view.word);
    else if (vec && bRow(view)) {
      comp[v] = (j) => `${name}.${COMP[j]}`;
      return `    let ${name} = ${B}[(${w(view.word)} + (blk * 4u) % ${w(view.word + 3)}) / 4u];\n`;
    } else {
      const e = vec ? "blk * 4u" : "blk";
      o = `${w(view.word)} + ((${e} / ${w(view.word + 2)}) % ${w(view.word + 3)}) * ${
        w(view.word + 1)
      }`;
    }
    comp[v] = () => name;
    return vec
      ? `    let ${name}o = ${o};\n    let ${name} = ${B}[${name}o / 4u][${name}o % 4u];\n`
      : `    let ${name} = ${B}[${o}];\n`;
  };
  for (let v = 0; v < g.views.length; v++) if (g.views[v].val) head += load(v);
  const body = g.body.join("\n");
  for (let j = 0; j < W; j++) {
    head += body.replace(/\b([rv])(\d+)\b/g, (_m, t: string, d: string) =>
      t === "r" ? `r${d}_${j}` : comp[Number(d)](j)) + "\n";
  }
  for (const v of stores) {
    const view = g.views[v];
    const B = `B${view.buf}`;
    const r = g.written.get(v)!.reg;
    if (view.cls === "c") {
      const val = vec
        ? `vec4<${g.bufTypes[view.buf]}>(${[0, 1, 2, 3].map((j) => `${r}_${j}`).join(", ")})`
        : `${r}_0`;
      head += `    ${B}[${w(view.word)} + blk] = ${val};\n`;
    } else {
      // A scalar view written by the group's leading scalar ops: element 0 stores it.
      const o = w(view.word);
      const tgt = vec ? `${B}[${o} / 4u][${o} % 4u]` : `${B}[${o}]`;
      head += `    if (blk == 0u) { ${tgt} = ${r}_0; }\n`;
    }
  }
  return head + "  }\n}\n";
}

/**
 * Pipeline-cache key of a group: everything its generated source depends on. Generating the
 * source itself costs ~0.2 ms for a long chain (4 regex-rewritten copies of the body), too much
 * to pay on every cache hit.
 */
function sourceKey(g: Group, stores: number[], W: number, fast: boolean): string {
  let k = `fused:${fast ? "f" : "g"}${W}:${g.shape?.length ?? -1}:${g.anyG ? 1 : 0}|` +
    `${g.bufTypes.join(",")}|`;
  for (const v of g.views) {
    k += `${v.buf}${v.cls}${v.word}${v.val ? "l" : ""}`;
    k += W === 4 && v.cls === "b" && bRow(v) ? "r;" : ";";
  }
  for (const v of stores) k += `|${v}=${g.written.get(v)!.reg}`;
  return k + "|" + g.body.join("\n");
}

/** Encodes the pending group as one kernel dispatch (no-op when none is pending). */
export function emit(): void {
  const g = group;
  if (!g) return;
  group = null;
  try {
    const stores: number[] = [];
    for (const v of g.writeOrder) if (g.written.get(v)!.storage.refs > 0) stores.push(v);
    if (stores.length === 0) return;
    const fast = g.shape !== null && !g.anyG;
    const W = fast && vec4Ok(g) ? 4 : 1;
    const k = kernel(sourceKey(g, stores, W, fast), g.bufs.length, () => {
      let src = "";
      for (let b = 0; b < g.bufs.length; b++) {
        const T = W === 4 ? `vec4<${g.bufTypes[b]}>` : g.bufTypes[b];
        src += `@group(0) @binding(${b + 1}) var<storage, read_write> B${b}: array<${T}>;\n`;
      }
      src += fast ? fastSource(g, stores, W) : generalSource(g, stores);
      return HEADER + castSrc + unaryOpsSrc + binaryOpsSrc + src;
    });
    const base = begin();
    const u32 = U.u32;
    u32[base] = g.n;
    const nb = g.n / W;
    u32[base + 1] = nb;
    const shape = g.shape ?? [];
    for (let d = 0; d < shape.length; d++) u32[base + 4 + d] = shape[d];
    const words = g.words;
    for (let w = 0; w < words.length; w++) u32[base + 8 + w] = words[w];
    if (W === 4) {
      for (const view of g.views) if (view.cls === "c") u32[base + 8 + view.word] /= 4;
    }
    const label = g.nOps === 1
      ? g.names[0]
      : `fused(${g.names.slice(0, 6).join(",")}${g.nOps > 6 ? `,… ${g.nOps} ops` : ""})`;
    const groups = fast ? Math.ceil(nb / (256 * FAST_BLOCKS)) : Math.ceil(g.n / 256);
    const [gx, gy] = grid(label, groups);
    dispatch(label, k, g.bufs, gx, gy);
  } finally {
    for (const [pool, buf] of deferred.splice(0)) pool.release(buf);
  }
}

setPendingHooks({ emit, pending: fusionPending, discard });

const HEADER = `struct Params { n: u32, _p0: u32, _p1: u32, _p2: u32, sh: vec4<u32>,
  w: array<vec4<u32>, 14> }
@group(0) @binding(0) var<uniform> P: Params;
`;

/** Fused fill; false when it must run unfused. */
export function fuseFill(out: Strided, value: number): boolean {
  const dt = out.storage.dtype;
  const TO = wgslType(dt);
  const bits = dt === "float32"
    ? fbits(value)
    : (dt === "bool" ? (value ? 1 : 0) : value | 0) >>> 0;
  return add("fill", out.shape, [], out, [bits], (_v, p) => `bitcast<${TO}>(${p[0]})`);
}

/** Fused unary; false when it must run unfused. */
export function fuseUnary(op: UnaryOp, x: Strided, out: Strided, p0: number, p1: number): boolean {
  const TA = wgslType(x.storage.dtype), TO = wgslType(out.storage.dtype);
  let kind = computeKind(x.storage.dtype);
  if (kind === "i" && !UNARY_INT.has(op)) kind = "f";
  const LD = loadFn(TA, kind);
  const ST = `st_${TO}_${UNARY_BOOL.has(op) ? "b" : kind}`;
  const scalars: number[] = [];
  if (UNARY_P0.has(op)) {
    scalars.push(kind === "f" ? fbits(p0) : intParam(p0) >>> 0);
    if (op === "clamp") scalars.push(kind === "f" ? fbits(p1) : intParam(p1) >>> 0);
  }
  const cast = kind === "f" ? "f32" : "i32";
  const zero = kind === "f" ? "0.0" : "0";
  return add(op, out.shape, [x], out, scalars, (v, p) => {
    const a = p[0] ? `bitcast<${cast}>(${p[0]})` : zero;
    const b = p[1] ? `bitcast<${cast}>(${p[1]})` : zero;
    return `${ST}(u_${op}_${kind}(${LD}(${v[0]}), ${a}, ${b}))`;
  });
}

/** Fused binary; false when it must run unfused. */
export function fuseBinary(op: BinaryOp, a: Strided, b: Strided, out: Strided): boolean {
  const TA = wgslType(a.storage.dtype), TO = wgslType(out.storage.dtype);
  let kind = computeKind(a.storage.dtype);
  if (kind === "i" && !BINARY_INT.has(op)) kind = "f";
  const LD = loadFn(TA, kind);
  const ST = `st_${TO}_${BINARY_BOOL.has(op) ? "b" : kind}`;
  return add(
    op,
    out.shape,
    [a, b],
    out,
    [],
    (v) => `${ST}(b_${op}_${kind}(${LD}(${v[0]}), ${LD}(${v[1]})))`,
  );
}

/** Fused where; false when it must run unfused. */
export function fuseWhere(cond: Strided, a: Strided, b: Strided, out: Strided): boolean {
  const TC = wgslType(cond.storage.dtype);
  const zero = TC === "f32" ? "0.0" : TC === "i32" ? "0" : "0u";
  return add(
    "where",
    out.shape,
    [cond, a, b],
    out,
    [],
    (v) => `select(${v[2]}, ${v[1]}, ${v[0]} != ${zero})`,
  );
}

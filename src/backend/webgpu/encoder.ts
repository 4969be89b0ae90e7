/**
 * Command batching. Ops only record: many dispatches share one command encoder and one compute
 * pass, submitted on readback, on upload, or when the uniform ring is full. Per-dispatch
 * parameters go into a host-side ring of 256-byte slots that is written to the GPU with a single
 * writeBuffer just before the submit, and bound with a dynamic offset, so a dispatch creates no
 * buffers. Bind groups are cached by (layout, buffers), so a steady training loop creates none.
 */
import { beginOp, endOp, gpu, isDebug } from "./device.ts";
import type { Kernel } from "./pipeline_cache.ts";

/** Bytes per uniform slot (WebGPU's minUniformBufferOffsetAlignment is at most 256). */
export const SLOT_BYTES = 256;
const SLOTS = 2048;
const MAX_BIND_GROUPS = 8192;

/** Views on the host copy of the uniform ring; index with the word base `begin()` returns. */
export interface UniformViews {
  /** As unsigned 32-bit words. */
  readonly u32: Uint32Array;
  /** As signed 32-bit words. */
  readonly i32: Int32Array;
  /** As float32 words. */
  readonly f32: Float32Array;
}

const host = new ArrayBuffer(SLOTS * SLOT_BYTES);
/** The host ring: write a dispatch's parameters here after `begin()`. */
export const U: UniformViews = {
  u32: new Uint32Array(host),
  i32: new Int32Array(host),
  f32: new Float32Array(host),
};
let uniformBuf: GPUBuffer | null = null;
let slot = 0;
let encoder: GPUCommandEncoder | null = null;
let pass: GPUComputePassEncoder | null = null;
let bindGroups = new Map<string, GPUBindGroup>();
const ids = new WeakMap<GPUBuffer, number>();
let nextId = 1;
let dispatches = 0;

/** Deferred work (the pending elementwise group of fusion.ts) that must be encoded first. */
export interface PendingHooks {
  /** Encodes the pending work (must tolerate being called when none is pending). */
  emit(): void;
  /** Whether work is pending. */
  pending(): boolean;
  /** Forgets pending work (device reset). */
  discard(): void;
}
let hooks: PendingHooks | null = null;

/** Registers the deferred-work hooks (fusion.ts does at import). */
export function setPendingHooks(h: PendingHooks): void {
  hooks = h;
}

function idOf(b: GPUBuffer): number {
  let id = ids.get(b);
  if (id === undefined) ids.set(b, id = nextId++);
  return id;
}

/**
 * Reserves the next uniform slot (submitting first when the ring is full) and returns its
 * 32-bit word index into `U`. The slot is zeroed.
 */
export function begin(): number {
  // Any kernel encoded now must come after the pending elementwise group.
  hooks?.emit();
  if (slot === SLOTS) flush();
  const base = (slot * SLOT_BYTES) >> 2;
  U.u32.fill(0, base, base + (SLOT_BYTES >> 2));
  return base;
}

/**
 * Records one dispatch of `k` over `buffers` (bindings 1..n) with the slot from `begin()`.
 * `op` names the public op in error messages.
 */
export function dispatch(
  op: string,
  k: Kernel,
  buffers: GPUBuffer[],
  x: number,
  y = 1,
  z = 1,
): void {
  const { device, maxGroups } = gpu();
  // Checked here rather than left to WebGPU validation, which reports it only through an
  // uncapturederror event (outside debug mode the dispatch would be dropped silently).
  if (x > maxGroups || y > maxGroups || z > maxGroups) {
    throw new RangeError(
      `${op}: the webgpu kernel needs a [${x}, ${y}, ${z}] workgroup grid, more than the ` +
        `device's ${maxGroups} per dimension; split the input (e.g. along the batch) into smaller calls`,
    );
  }
  beginOp(op);
  if (!uniformBuf) {
    uniformBuf = device.createBuffer({
      size: SLOTS * SLOT_BYTES,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
  }
  let key = String(k.layoutId);
  for (const b of buffers) key += "," + idOf(b);
  let bg = bindGroups.get(key);
  if (!bg) {
    if (bindGroups.size >= MAX_BIND_GROUPS) bindGroups = new Map();
    const entries: GPUBindGroupEntry[] = [{
      binding: 0,
      resource: { buffer: uniformBuf, size: SLOT_BYTES },
    }];
    for (let i = 0; i < buffers.length; i++) {
      entries.push({ binding: i + 1, resource: { buffer: buffers[i] } });
    }
    bg = device.createBindGroup({ layout: k.layout, entries });
    bindGroups.set(key, bg);
  }
  encoder ??= device.createCommandEncoder();
  pass ??= encoder.beginComputePass();
  pass.setPipeline(k.pipeline);
  pass.setBindGroup(0, bg, [slot * SLOT_BYTES]);
  pass.dispatchWorkgroups(x, y, z);
  slot++;
  dispatches++;
  // In debug mode every op is submitted inside its own error scope, so a validation error is
  // attributed to the op that caused it instead of surfacing at some later submit.
  if (isDebug()) flush();
  endOp();
}

/** Records a buffer-to-buffer copy after the dispatches recorded so far. */
export function copy(src: GPUBuffer, srcOff: number, dst: GPUBuffer, dstOff: number, n: number) {
  hooks?.emit();
  const { device } = gpu();
  if (pass) {
    pass.end();
    pass = null;
  }
  encoder ??= device.createCommandEncoder();
  encoder.copyBufferToBuffer(src, srcOff, dst, dstOff, n);
}

/** Whether commands are recorded but not yet submitted. */
export function hasPending(): boolean {
  return encoder !== null || (hooks?.pending() ?? false);
}

/** Submits everything recorded so far. */
export function flush(): void {
  hooks?.emit();
  if (!encoder) return;
  const { device } = gpu();
  if (pass) {
    pass.end();
    pass = null;
  }
  if (slot > 0 && uniformBuf) device.queue.writeBuffer(uniformBuf, 0, host, 0, slot * SLOT_BYTES);
  device.queue.submit([encoder.finish()]);
  encoder = null;
  slot = 0;
}

/** Number of dispatches recorded since start (for tests and benchmarks). */
export function dispatchCount(): number {
  return dispatches;
}

/** Drops cached bind groups (after buffers were destroyed); `all` also forgets the device. */
export function resetEncoder(all = false): void {
  bindGroups = new Map();
  if (all) {
    hooks?.discard();
    encoder = null;
    pass = null;
    slot = 0;
    uniformBuf = null;
  }
}

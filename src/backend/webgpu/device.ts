/**
 * WebGPU device bring-up: adapter and device with the limits the kernels use, device-loss
 * tracking, and debug-mode error capture that names the op which caused a WebGPU error.
 */

/** What the kernels need from the device, read once at init. */
export interface GpuContext {
  /** The device every kernel runs on. */
  readonly device: GPUDevice;
  /** Whether the adapter is a software fallback (llvmpipe): picks kernel variants. */
  readonly isFallback: boolean;
  /** Human-readable adapter description. */
  readonly description: string;
  /** Largest storage binding in bytes. */
  readonly maxBinding: number;
  /** Largest buffer in bytes. */
  readonly maxBuffer: number;
  /** Most workgroups per dispatch dimension. */
  readonly maxGroups: number;
}

let ctx: GpuContext | null = null;
let lostReason: string | null = null;
let debug = Deno.env.get("DENOTORCH_DEBUG") === "1";
/** Errors WebGPU reported asynchronously, with the op that was running. */
const pendingErrors: Promise<string | null>[] = [];
const uncaptured: string[] = [];
let currentOp = "(no op)";

const NO_ADAPTER = "webgpu: no WebGPU adapter found. Install a GPU driver, or Mesa's Vulkan " +
  "software driver for CPU-only machines (Debian/Ubuntu: `apt-get install mesa-vulkan-drivers " +
  'libvulkan1`), then retry; use device "cpu" meanwhile';

/** Requests the adapter and device once; null when no adapter exists. */
export async function openDevice(): Promise<GpuContext | null> {
  if (ctx && !lostReason) return ctx;
  if (!("gpu" in navigator) || !navigator.gpu) return null;
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) return null;
  const lim = adapter.limits;
  // Request exactly what the kernels use, at the adapter's maximum, so large tensors work.
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBuffersPerShaderStage: Math.min(32, lim.maxStorageBuffersPerShaderStage),
      maxStorageBufferBindingSize: lim.maxStorageBufferBindingSize,
      maxBufferSize: lim.maxBufferSize,
      maxComputeWorkgroupsPerDimension: lim.maxComputeWorkgroupsPerDimension,
      maxComputeWorkgroupStorageSize: lim.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: Math.min(256, lim.maxComputeInvocationsPerWorkgroup),
      maxComputeWorkgroupSizeX: Math.min(256, lim.maxComputeWorkgroupSizeX),
      maxComputeWorkgroupSizeY: Math.min(256, lim.maxComputeWorkgroupSizeY),
    },
  });
  lostReason = null;
  device.lost.then((info) => {
    lostReason = `${info.reason}: ${info.message}`;
  });
  device.addEventListener("uncapturederror", (e) => {
    const err = (e as GPUUncapturedErrorEvent).error;
    uncaptured.push(`${currentOp}: ${err.message}`);
  });
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  ctx = {
    device,
    isFallback: !!info.isFallbackAdapter || /llvmpipe|swiftshader|lavapipe/i.test(info.description),
    description: info.description || info.vendor,
    maxBinding: device.limits.maxStorageBufferBindingSize,
    maxBuffer: device.limits.maxBufferSize,
    maxGroups: device.limits.maxComputeWorkgroupsPerDimension,
  };
  return ctx;
}

/**
 * Most loop iterations one kernel invocation may run on this adapter. llvmpipe (Mesa's gallivm)
 * gives each shader invocation one budget of 65,535 loop back-edges shared by all its loops
 * (LP_MAX_TGSI_LOOP_ITERATIONS, a guard against infinite loops) and silently leaves every loop
 * once it is spent, so a kernel whose loops could run longer must split the work or decline.
 * The margin covers the short loops around a kernel's long one. Real GPUs have no such limit.
 */
export function loopBudget(): number {
  return budgetOverride ?? (gpu().isFallback ? 65_000 : Infinity);
}

let budgetOverride: number | null = null;

/** Overrides the loop budget (tests of the splitting paths); null restores the adapter's. */
export function setLoopBudget(n: number | null): void {
  budgetOverride = n;
}

/** The open device, or a clear error when it was never opened or has been lost. */
export function gpu(): GpuContext {
  if (lostReason) {
    throw new Error(
      `webgpu: the device was lost (${lostReason}); tensors on it are gone. ` +
        "Call `await initWebGPU()` again to open a new device",
    );
  }
  if (!ctx) throw new Error(NO_ADAPTER);
  return ctx;
}

/** The message used when no adapter exists. */
export function noAdapterMessage(): string {
  return NO_ADAPTER;
}

/** Whether debug mode (error scopes around every op) is on. */
export function isDebug(): boolean {
  return debug;
}

/** Turns debug mode on or off. */
export function setDebugMode(on: boolean): void {
  debug = on;
}

/** Names the op now being encoded, so errors reported later can say which op caused them. */
export function beginOp(op: string): void {
  currentOp = op;
  if (debug) gpu().device.pushErrorScope("validation");
}

/** Closes the debug error scope of the op begun last. */
export function endOp(): void {
  if (!debug) return;
  const op = currentOp;
  pendingErrors.push(
    gpu().device.popErrorScope().then((e) => (e ? `${op}: ${e.message}` : null)),
  );
}

/** Throws the first WebGPU error reported since the last check, naming its op. */
export async function throwPendingErrors(): Promise<void> {
  const list = pendingErrors.splice(0);
  const msgs = (await Promise.all(list)).filter((m): m is string => m !== null);
  msgs.push(...uncaptured.splice(0));
  if (msgs.length) {
    throw new Error(`webgpu: ${msgs.length} WebGPU error(s); first in op ${msgs[0]}`);
  }
}

/**
 * The "webgpu" device: `await initWebGPU()` once (or `await webgpu.isAvailable()`), then create
 * tensors with `{ device: "webgpu" }` or `t.to("webgpu")`.
 * @module
 */
import { registerBackend } from "../registry.ts";
import { registerFreer } from "../../tensor/memory.ts";
import { gpu, noAdapterMessage, openDevice, setDebugMode, throwPendingErrors } from "./device.ts";
import { flush, resetEncoder } from "./encoder.ts";
import { resetPipelines } from "./pipeline_cache.ts";
import { resetReadback, stagingReserved } from "./readback.ts";
import { WebGPUBackend } from "./webgpu_backend.ts";
import { setMatmulVariant } from "./matmul.ts";

/** What `initWebGPU()` found. */
export interface WebGPUInfo {
  /** Adapter description (e.g. "llvmpipe (LLVM 15.0.6, 256 bits)"). */
  description: string;
  /** Whether the adapter is a software fallback such as llvmpipe. */
  isFallbackAdapter: boolean;
}

let backend: WebGPUBackend | null = null;
let initPromise: Promise<WebGPUInfo> | null = null;

async function init(): Promise<WebGPUInfo> {
  const ctx = await openDevice();
  if (!ctx) throw new Error(noAdapterMessage());
  if (!backend || backend.pool === undefined || lastDevice !== ctx.device) {
    resetPipelines();
    resetEncoder(true);
    resetReadback(true);
    backend = new WebGPUBackend();
    lastDevice = ctx.device;
    registerBackend(backend);
    const b = backend;
    registerFreer("webgpu", (s) => b.free(s));
  }
  return { description: ctx.description, isFallbackAdapter: ctx.isFallback };
}
let lastDevice: GPUDevice | null = null;

/**
 * Opens the WebGPU device and registers the "webgpu" backend. Safe to call repeatedly.
 * Throws, saying what to install, when no adapter exists.
 */
export function initWebGPU(): Promise<WebGPUInfo> {
  initPromise ??= init().finally(() => {
    initPromise = null;
  });
  return initPromise;
}

/** PyTorch-like controls for the webgpu device (`torch.cuda` analogue). */
export const webgpu: {
  /** Initialises the device if needed; resolves true when a WebGPU adapter works here. */
  isAvailable(): Promise<boolean>;
  /** Same as initWebGPU(). */
  init(): Promise<WebGPUInfo>;
  /** Debug mode: every op runs in its own error scope; errors are thrown naming the op. */
  setDebug(on: boolean): void;
  /** Submits queued work, waits for it, and throws any WebGPU error it caused. */
  synchronize(): Promise<void>;
  /** Bytes held by the buffer pools (live tensors plus cached free buffers). */
  memoryReserved(): number;
  /** Releases cached free buffers back to the driver, like torch.cuda.empty_cache(). */
  emptyCache(): void;
  /**
   * Forces the matmul kernel (benchmarks, tests): "tiled" (workgroup memory) or a row kernel
   * owning `tm` rows × `cols` columns per workgroup; null restores the per-adapter default.
   */
  setMatmulVariant(v: "tiled" | { tm: number; cols: number } | null): void;
} = {
  async isAvailable(): Promise<boolean> {
    try {
      await initWebGPU();
      return true;
    } catch {
      return false;
    }
  },
  init: initWebGPU,
  setDebug(on: boolean): void {
    setDebugMode(on);
  },
  async synchronize(): Promise<void> {
    flush();
    await gpu().device.queue.onSubmittedWorkDone();
    await throwPendingErrors();
  },
  memoryReserved(): number {
    return (backend?.pool.reserved ?? 0) + stagingReserved();
  },
  emptyCache(): void {
    if (!backend) return;
    flush();
    backend.pool.clear();
    resetReadback();
    resetEncoder();
  },
  setMatmulVariant,
};

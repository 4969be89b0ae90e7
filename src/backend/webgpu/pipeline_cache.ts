/**
 * Compute pipelines, created once per kernel + specialisation (dtypes, op, variant) and cached:
 * pipeline creation costs 15–760 ms on llvmpipe, so shapes travel in uniforms, never in the
 * shader source. Every kernel uses one layout family: binding 0 is a uniform slot with a
 * dynamic offset (see encoder.ts), bindings 1..n are read_write storage buffers (read_write even
 * for inputs, so an in-place op may bind one buffer as input and output in the same dispatch).
 */
import { gpu } from "./device.ts";

/** A cached pipeline and the number of storage buffers it binds. */
export interface Kernel {
  /** The compiled pipeline. */
  readonly pipeline: GPUComputePipeline;
  /** The layout its bind groups use. */
  readonly layout: GPUBindGroupLayout;
  /** Number of storage bindings (after the uniform at binding 0). */
  readonly nStorage: number;
  /** Small integer id used in bind-group cache keys. */
  readonly layoutId: number;
  /** Cache key, for error messages. */
  readonly key: string;
}

const pipelines = new Map<string, Kernel>();
const layouts = new Map<number, [GPUBindGroupLayout, GPUPipelineLayout]>();

function layoutFor(nStorage: number): [GPUBindGroupLayout, GPUPipelineLayout] {
  let l = layouts.get(nStorage);
  if (l) return l;
  const { device } = gpu();
  const entries: GPUBindGroupLayoutEntry[] = [{
    binding: 0,
    visibility: GPUShaderStage.COMPUTE,
    buffer: { type: "uniform", hasDynamicOffset: true, minBindingSize: 256 },
  }];
  for (let i = 1; i <= nStorage; i++) {
    entries.push({ binding: i, visibility: GPUShaderStage.COMPUTE, buffer: { type: "storage" } });
  }
  const bgl = device.createBindGroupLayout({ entries });
  l = [bgl, device.createPipelineLayout({ bindGroupLayouts: [bgl] })];
  layouts.set(nStorage, l);
  return l;
}

/** Substitutes `{{NAME}}` placeholders; throws on a missing one so typos fail at once. */
export function specialise(src: string, vars: Record<string, string | number | boolean>): string {
  const out = src.replace(/\{\{(\w+)\}\}/g, (_, k: string) => {
    if (!(k in vars)) throw new Error(`internal: WGSL placeholder {{${k}}} has no value`);
    return String(vars[k]);
  });
  return out;
}

/**
 * The pipeline for `key`, built by `source()` on first use. `nStorage` storage buffers are bound
 * at bindings 1..nStorage.
 */
export function kernel(key: string, nStorage: number, source: () => string): Kernel {
  const hit = pipelines.get(key);
  if (hit) return hit;
  const { device } = gpu();
  const [layout, pipelineLayout] = layoutFor(nStorage);
  const module = device.createShaderModule({ code: source(), label: key });
  const pipeline = device.createComputePipeline({
    layout: pipelineLayout,
    compute: { module, entryPoint: "main" },
    label: key,
  });
  const k: Kernel = { pipeline, layout, nStorage, layoutId: nStorage, key };
  pipelines.set(key, k);
  return k;
}

/** Number of pipelines compiled so far (tests check it stays small). */
export function pipelineCount(): number {
  return pipelines.size;
}

/** Forgets everything (after the device is replaced). */
export function resetPipelines(): void {
  pipelines.clear();
  layouts.clear();
}

/** The interface every metric implements (torchmetrics' update / compute / reset). */
import type { Tensor } from "../tensor/tensor.ts";

/** A stateful metric accumulated over batches. */
export interface Metric<In extends unknown[], Out> {
  /** Adds a batch; enqueues device work only (no readback). */
  update(...inputs: In): void;
  /** Reads the accumulated state back and returns the metric value. */
  compute(): Promise<Out>;
  /** Clears the state (and frees its device memory). */
  reset(): void;
}

/** Adds `delta` into `state` (allocating it on first use) and frees the old state tensor. */
export function accumulate(state: Tensor | null, delta: Tensor): Tensor {
  if (!state) return delta;
  const next = state.add(delta);
  state.dispose();
  delta.dispose();
  return next;
}

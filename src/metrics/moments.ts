/**
 * Input checks of the regression metrics, and running per-column moments (means, centred sums of
 * squares and co-moment of two variables) merged batch by batch with Chan et al.'s pairwise
 * update. Each batch is centred on its own mean on the device, so the state never subtracts two
 * large sums — float32 on WebGPU stays accurate where torchmetrics' Σx² − (Σx)²/n would cancel.
 */
import { Tensor } from "../tensor/tensor.ts";
import type { DType } from "../tensor/dtype.ts";
import { keep, scope } from "../tensor/memory.ts";
import { cat, stack } from "../ops/join.ts";

function fail(op: string, msg: string): never {
  throw new Error(`${op}: ${msg}`);
}

/** The accumulation dtype: float64 on the CPU, float32 where WGSL has no f64. */
export function accDtype(t: Tensor): DType {
  return t.device === "cpu" ? "float64" : "float32";
}

/** Both are numeric tensors of one shape on one device. */
export function checkPair(op: string, preds: Tensor, target: Tensor): void {
  if (!(preds instanceof Tensor) || !(target instanceof Tensor)) {
    fail(op, "preds and target must be tensors");
  }
  if (preds.device !== target.device) {
    fail(op, `preds is on ${preds.device} but target is on ${target.device}`);
  }
  for (const [what, t] of [["preds", preds], ["target", target]] as const) {
    if (t.dtype === "bool") fail(op, `${what} must be float or int32, got bool`);
  }
  if (preds.shape.join() !== target.shape.join()) {
    fail(op, `preds shape [${preds.shape}] must equal target shape [${target.shape}]`);
  }
}

/**
 * Checks `(N)` (one output) or `(N, numOutputs)` inputs, torchmetrics'
 * `_check_data_shape_to_num_outputs`; returns the number of outputs.
 */
export function checkOutputs(op: string, preds: Tensor, numOutputs?: number): number {
  if (preds.ndim > 2 || preds.ndim === 0) {
    fail(op, `expected 1-D (N) or 2-D (N, outputs) inputs, got shape [${preds.shape}]`);
  }
  const d = preds.ndim === 1 ? 1 : preds.shape[1];
  if (numOutputs !== undefined && d !== numOutputs) {
    fail(
      op,
      numOutputs === 1
        ? `numOutputs is 1, so inputs must be (N) or (N, 1), got shape [${preds.shape}]`
        : `expected (N, ${numOutputs}) inputs for numOutputs=${numOutputs}, got [${preds.shape}]`,
    );
  }
  return d;
}

/** Host copy of {@link RunningMoments}' state, one entry per column. */
export interface Moments {
  /** Samples. */
  n: number;
  /** Mean of x. */
  meanX: number[];
  /** Mean of y. */
  meanY: number[];
  /** Σ (x − mean x)². */
  m2x: number[];
  /** Σ (y − mean y)². */
  m2y: number[];
  /** Σ (x − mean x)(y − mean y). */
  cxy: number[];
}

/** Running moments of two (N, d) variables on their device; one (5, d) tensor of state. */
export class RunningMoments {
  #state: Tensor | null = null;
  #n = 0;
  #cols = -1;

  /** Adds a batch (x and y of one shape, (N) or (N, d)); device work only. */
  update(op: string, x: Tensor, y: Tensor): void {
    const cols = x.ndim === 1 ? 1 : x.shape[1];
    if (this.#cols >= 0 && cols !== this.#cols) {
      fail(op, `inputs have ${cols} outputs but earlier batches had ${this.#cols}`);
    }
    const nb = x.shape[0];
    if (nb === 0) return;
    const na = this.#n, n = na + nb;
    const next = scope(() => {
      const dt = accDtype(x);
      const xb = x.detach().to(dt).reshape(nb, cols), yb = y.detach().to(dt).reshape(nb, cols);
      const mx = xb.mean(0), my = yb.mean(0);
      const dx = xb.sub(mx), dy = yb.sub(my);
      const batch = stack([mx, my, dx.square().sum(0), dy.square().sum(0), dx.mul(dy).sum(0)]);
      if (!this.#state) return batch;
      const s = this.#state;
      const delta = batch.narrow(0, 0, 2).sub(s.narrow(0, 0, 2));
      const w = (na * nb) / n;
      return cat([
        s.narrow(0, 0, 2).add(delta.mul(nb / n)),
        s.narrow(0, 2, 2).add(batch.narrow(0, 2, 2)).add(delta.square().mul(w)),
        s.narrow(0, 4, 1).add(batch.narrow(0, 4, 1)).add(
          delta.narrow(0, 0, 1).mul(delta.narrow(0, 1, 1)).mul(w),
        ),
      ]);
    });
    this.#state?.dispose();
    this.#state = keep(next);
    this.#n = n;
    this.#cols = cols;
  }

  /** Reads the moments back (one readback); null before any non-empty update. */
  async read(): Promise<Moments | null> {
    if (!this.#state) return null;
    const v = await this.#state.toArray();
    const d = this.#cols;
    const row = (r: number): number[] => Array.from(v.subarray(r * d, (r + 1) * d));
    return { n: this.#n, meanX: row(0), meanY: row(1), m2x: row(2), m2y: row(3), cxy: row(4) };
  }

  /** Clears the state. */
  reset(): void {
    this.#state?.dispose();
    this.#state = null;
    this.#n = 0;
    this.#cols = -1;
  }
}

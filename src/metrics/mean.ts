/** MeanMetric: a (weighted) running mean of values, accumulated on the values' device. */
import { Tensor } from "../tensor/tensor.ts";
import { keep, scope } from "../tensor/memory.ts";
import { stack } from "../ops/join.ts";
import { fullLike, tensor } from "../tensor/creation.ts";
import { accumulate, type Metric } from "./metric.ts";

/** Averages every value passed to `update` (NaN values propagate, as in torchmetrics' "warn"). */
export class MeanMetric implements Metric<[number | Tensor, (number | Tensor)?], number> {
  #sum: Tensor | null = null;
  #weight: Tensor | null = null;

  /** Adds values (a number or a tensor of any shape) with an optional broadcastable weight. */
  update(value: number | Tensor, weight: number | Tensor = 1): void {
    if (typeof value !== "number" && !(value instanceof Tensor)) {
      throw new TypeError("MeanMetric.update: value must be a number or a tensor");
    }
    const [s, w] = scope(() => {
      const device = value instanceof Tensor ? value.device : "cpu";
      // WGSL has no f64: accumulate in float64 on the CPU only.
      const dtype = device === "cpu" ? "float64" : "float32";
      const v = value instanceof Tensor
        ? value.to(dtype)
        : tensor(new Float64Array([value]), { shape: [], device }).to(dtype);
      const wt = weight instanceof Tensor ? weight.to(dtype).expand(v.shape) : fullLike(v, weight);
      return [v.mul(wt).sum(), wt.sum()];
    });
    this.#sum = keep(accumulate(this.#sum, s));
    this.#weight = keep(accumulate(this.#weight, w));
  }

  /** The weighted mean of everything seen (0/0 gives NaN). */
  async compute(): Promise<number> {
    if (!this.#sum || !this.#weight) {
      throw new Error("MeanMetric.compute: called before any update()");
    }
    const both = stack([this.#sum, this.#weight]);
    const [s, w] = await both.toArray();
    both.dispose();
    return s / w;
  }

  /** Clears the state. */
  reset(): void {
    this.#sum?.dispose();
    this.#weight?.dispose();
    this.#sum = this.#weight = null;
  }
}

/**
 * `TensorDataset`: samples are rows (first-dim slices) of tensors.
 *
 * @module
 */

import { Tensor } from "../tensor/tensor.ts";
import { tensor } from "../tensor/creation.ts";
import type { DType, TypedArray } from "../tensor/dtype.ts";
import { checkIndex, Dataset } from "./dataset.ts";
import type { WorkerSpec } from "./spec.ts";
import { numelOf } from "../tensor/shape.ts";

interface Column {
  data: TypedArray | null;
  rowShape: number[];
  rowSize: number;
  dtype: DType;
  source: Tensor;
}

/**
 * Wraps tensors that share their first dimension; sample `i` is
 * `[t0[i], t1[i], ...]`, like `torch.utils.data.TensorDataset`.
 */
export class TensorDataset extends Dataset<Tensor[]> {
  /** The wrapped tensors. */
  readonly tensors: readonly Tensor[];
  #cols: Column[];

  /**
   * Creates the object.
   * @param tensors At least one tensor; all with the same size of dim 0.
   */
  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0) throw new RangeError("TensorDataset: needs at least one tensor");
    for (const [k, t] of tensors.entries()) {
      if (!(t instanceof Tensor)) {
        throw new TypeError(`TensorDataset: argument ${k} is not a Tensor`);
      }
      if (t.ndim === 0) {
        throw new RangeError(`TensorDataset: tensor ${k} is a scalar; need at least one dim`);
      }
      if (t.shape[0] !== tensors[0].shape[0]) {
        throw new RangeError(
          `TensorDataset: size mismatch between tensors: tensor 0 has ${
            tensors[0].shape[0]
          } rows, tensor ${k} has ${t.shape[0]}`,
        );
      }
    }
    this.tensors = [...tensors];
    // CPU rows are sliced from one host snapshot (taken here, so later in-place
    // changes to the tensors are not seen): much cheaper than an op per sample.
    this.#cols = tensors.map((t) => {
      const rowShape = t.shape.slice(1);
      const rowSize = numelOf(rowShape);
      return {
        data: t.device === "cpu" ? t.dataSync() : null,
        rowShape,
        rowSize,
        dtype: t.dtype,
        source: t,
      };
    });
  }

  /** Number of rows. */
  get length(): number {
    return this.tensors[0].shape[0];
  }

  /** Row `index` of every tensor. */
  getItem(index: number): Tensor[] {
    checkIndex("TensorDataset", index, this.length);
    return this.#cols.map((c) => {
      if (c.data === null) return c.source.select(0, index);
      const row = c.data.slice(index * c.rowSize, (index + 1) * c.rowSize);
      return tensor(row, { shape: c.rowShape, dtype: c.dtype, device: "cpu" });
    });
  }

  /** Rebuild recipe for DataLoader workers: the values travel as typed arrays (copied per worker). */
  workerSpec(): WorkerSpec {
    return {
      module: import.meta.url,
      export: "tensorDatasetFromArrays",
      args: [
        this.#cols.map((c) => ({
          data: c.data ?? c.source.cpu().dataSync(),
          shape: c.source.shape,
          dtype: c.dtype,
        })),
      ],
    };
  }
}

/** Rebuilds a {@link TensorDataset} from typed arrays (used inside workers). */
export function tensorDatasetFromArrays(
  cols: readonly { data: TypedArray; shape: number[]; dtype: DType }[],
): TensorDataset {
  return new TensorDataset(
    ...cols.map((c) => tensor(c.data, { shape: c.shape, dtype: c.dtype, device: "cpu" })),
  );
}

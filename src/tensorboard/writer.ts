/**
 * `SummaryWriter`: PyTorch's TensorBoard writer. `add*` calls only enqueue; values given as
 * tensors are held (a detached handle, so user disposal is safe) and read back together at
 * flush time, so logging a GPU scalar every step never stalls the training loop on a readback.
 * The queue is flushed when it holds `maxQueue` entries, every `flushSecs` seconds, and on
 * `flush()` / `close()`.
 */
import { hostname } from "node:os";
import { join } from "node:path";
import { Tensor } from "../tensor/tensor.ts";
import { keep } from "../tensor/memory.ts";
import { EventFileWriter } from "./event_file.ts";
import { EventQueue, type PendingEvent } from "./event_queue.ts";
import type { SummaryValue } from "./protos.ts";
import {
  type Bins,
  histogramSummary,
  type HParamDict,
  hparamsSummaries,
  imageSummary,
  scalarSummary,
  textSummary,
} from "./summary.ts";
import { type DataFormats, imageDims, toHWC } from "./image.ts";
import {
  graphDefBytes,
  type GraphNode,
  type GraphTracer,
  type TraceableModule,
  traceModules,
} from "./graph.ts";
import { numelOf } from "../tensor/shape.ts";
import { prCurveSummary } from "./pr_curve.ts";

/** Options of {@link SummaryWriter}. */
export interface SummaryWriterOptions {
  /** Directory for event files; default `runs/<Mon>DD_HH-MM-SS_<hostname><comment>`. */
  logDir?: string;
  /** Suffix of the default log dir (ignored when `logDir` is given). */
  comment?: string;
  /** Flush pending events at least this often, in seconds (default 120). */
  flushSecs?: number;
  /** Flush once this many events are pending (default 10). */
  maxQueue?: number;
  /** Appended to every event file name. */
  filenameSuffix?: string;
}

/** Numbers accepted where PyTorch accepts tensors or arrays. */
export type Values = Tensor | ArrayLike<number>;

/** An image given as raw values plus its shape (Uint8Array data is taken as 0–255). */
export interface ImageArray {
  /** Values in the layout named by `dataformats`. */
  data: ArrayLike<number>;
  /** Shape matching `dataformats`. */
  shape: number[];
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** PyTorch's default run directory name. */
export function defaultLogDir(comment = ""): string {
  const d = new Date();
  const p = (n: number): string => String(n).padStart(2, "0");
  const stamp =
    `${MONTHS[d.getMonth()]}${p(d.getDate())}_${p(d.getHours())}-${p(d.getMinutes())}-` +
    p(d.getSeconds());
  return join("runs", `${stamp}_${hostname()}${comment}`);
}

function checkStep(op: string, step?: number): void {
  if (step !== undefined && !Number.isInteger(step)) {
    throw new TypeError(`${op}: globalStep must be an integer, got ${step}`);
  }
}

/** Writes TensorBoard event files, like `torch.utils.tensorboard.SummaryWriter`. */
export class SummaryWriter {
  /** The run directory. */
  readonly logDir: string;
  readonly #opts: Required<Omit<SummaryWriterOptions, "logDir" | "comment">>;
  readonly #file: EventFileWriter;
  readonly #subWriters = new Map<string, EventFileWriter>();
  readonly #queue: EventQueue;
  #closed = false;

  /** Creates the log dir and the event file at once (an unwritable dir fails here). */
  constructor(options: SummaryWriterOptions = {}) {
    this.logDir = options.logDir ?? defaultLogDir(options.comment ?? "");
    this.#opts = {
      flushSecs: options.flushSecs ?? 120,
      maxQueue: options.maxQueue ?? 10,
      filenameSuffix: options.filenameSuffix ?? "",
    };
    this.#file = new EventFileWriter(this.logDir, this.#opts.filenameSuffix);
    this.#queue = new EventQueue(this.#opts.maxQueue, this.#opts.flushSecs);
  }

  /** The run directory (PyTorch's `get_logdir()`). */
  getLogdir(): string {
    return this.logDir;
  }

  #enqueue(p: PendingEvent): void {
    if (this.#closed) {
      p.tensors.forEach((t) => t.dispose());
      throw new Error("SummaryWriter: the writer is closed");
    }
    this.#queue.push(p);
  }

  /** Holds a tensor until flush without keeping the caller's handle alive or in a scope. */
  #hold(t: Tensor): Tensor {
    return keep(t.detach());
  }

  #summaryEvent(
    file: EventFileWriter,
    values: Values[],
    step: number | undefined,
    wallTime: number | undefined,
    build: (arrays: ArrayLike<number>[]) => Promise<SummaryValue[]> | SummaryValue[],
  ): void {
    const tensors: Tensor[] = [];
    const slots = values.map((v) => {
      if (v instanceof Tensor) {
        tensors.push(this.#hold(v));
        return tensors.length - 1;
      }
      return v;
    });
    this.#enqueue({
      file,
      tensors,
      step,
      wallTime: wallTime ?? Date.now() / 1000,
      make: async (read) => ({
        summary: {
          value: await build(slots.map((s) => (typeof s === "number" ? read[s] : s))),
        },
      }),
    });
  }

  /** Logs a scalar (a number or a one-element tensor, read back at flush). */
  addScalar(tag: string, value: number | Tensor, globalStep?: number, walltime?: number): void {
    checkStep("addScalar", globalStep);
    if (value instanceof Tensor && value.numel !== 1) {
      throw new RangeError(
        `addScalar: "${tag}" needs a one-element tensor, got shape [${value.shape}]`,
      );
    }
    const v: Values = value instanceof Tensor ? value : [value];
    if (!(value instanceof Tensor) && typeof value !== "number") {
      throw new TypeError(`addScalar: "${tag}" value must be a number or a tensor`);
    }
    this.#summaryEvent(this.#file, [v], globalStep, walltime, ([a]) => [scalarSummary(tag, a[0])]);
  }

  /**
   * Logs several scalars under one chart: each goes to its own run `logDir/<mainTag>_<tag>`
   * with tag `mainTag`, as PyTorch does.
   */
  addScalars(
    mainTag: string,
    tagScalarDict: Record<string, number | Tensor>,
    globalStep?: number,
    walltime?: number,
  ): void {
    checkStep("addScalars", globalStep);
    const wall = walltime ?? Date.now() / 1000;
    for (const [tag, value] of Object.entries(tagScalarDict)) {
      const dir = join(this.logDir, `${mainTag.replaceAll("/", "_")}_${tag}`);
      let fw = this.#subWriters.get(dir);
      if (!fw) {
        fw = new EventFileWriter(dir, this.#opts.filenameSuffix);
        this.#subWriters.set(dir, fw);
      }
      const v: Values = value instanceof Tensor ? value : [value];
      this.#summaryEvent(fw, [v], globalStep, wall, ([a]) => [scalarSummary(mainTag, a[0])]);
    }
  }

  /** Logs a histogram of `values` (default bins: TensorFlow's exponential buckets). */
  addHistogram(
    tag: string,
    values: Values,
    globalStep?: number,
    bins: Bins = "tensorflow",
    walltime?: number,
  ): void {
    checkStep("addHistogram", globalStep);
    if (!(values instanceof Tensor) && values.length === 0) {
      throw new RangeError(`addHistogram: "${tag}" has no values`);
    }
    this.#summaryEvent(this.#file, [values], globalStep, walltime, ([a]) => [
      histogramSummary(tag, a, bins),
    ]);
  }

  /**
   * Logs an image: float values in [0, 1] (scaled by 255) or integer/uint8 values in 0–255;
   * `dataformats` "CHW" (default), "HWC" or "HW". One-channel images are shown as RGB.
   */
  addImage(
    tag: string,
    img: Tensor | ImageArray,
    globalStep?: number,
    options: { dataformats?: DataFormats; walltime?: number } = {},
  ): void {
    this.#image("addImage", tag, img, globalStep, options.dataformats ?? "CHW", options.walltime);
  }

  /** Logs a batch of images (default "NCHW") tiled 8 per row, like PyTorch's add_images. */
  addImages(
    tag: string,
    imgs: Tensor | ImageArray,
    globalStep?: number,
    options: { dataformats?: DataFormats; walltime?: number } = {},
  ): void {
    const fmt = options.dataformats ?? "NCHW";
    if (!fmt.startsWith("N")) throw new RangeError(`addImages: dataformats must start with N`);
    this.#image("addImages", tag, imgs, globalStep, fmt, options.walltime);
  }

  #image(
    op: string,
    tag: string,
    img: Tensor | ImageArray,
    step: number | undefined,
    fmt: DataFormats,
    walltime?: number,
  ): void {
    checkStep(op, step);
    const shape = [...img.shape];
    imageDims(op, shape, fmt); // validate now, not at flush
    if (!(img instanceof Tensor) && img.data.length !== numelOf(shape)) {
      throw new RangeError(`${op}: ${img.data.length} values do not fill shape [${shape}]`);
    }
    const isFloat = img instanceof Tensor
      ? img.dtype === "float32" || img.dtype === "float64" || img.dtype === "bool"
      : !(img.data instanceof Uint8Array || img.data instanceof Int32Array);
    const values = img instanceof Tensor ? img : img.data;
    this.#summaryEvent(this.#file, [values], step, walltime, async ([a]) => [
      await imageSummary(tag, toHWC(a, shape, fmt, isFloat)),
    ]);
  }

  /** Logs text (rendered as markdown by TensorBoard's text plugin). */
  addText(tag: string, text: string, globalStep?: number, walltime?: number): void {
    checkStep("addText", globalStep);
    this.#summaryEvent(this.#file, [], globalStep, walltime, () => [textSummary(tag, text)]);
  }

  /**
   * Logs a precision-recall curve for the PR Curves tab, like PyTorch's `add_pr_curve`:
   * `labels` are 0/1 ground truth, `predictions` probabilities in [0, 1] (others are dropped),
   * bucketed into `numThresholds` (default 127, at most 127) thresholds.
   */
  addPrCurve(
    tag: string,
    labels: Values,
    predictions: Values,
    globalStep?: number,
    options: { numThresholds?: number; walltime?: number } = {},
  ): void {
    checkStep("addPrCurve", globalStep);
    const numThresholds = options.numThresholds ?? 127;
    if (!Number.isInteger(numThresholds) || numThresholds < 2) {
      throw new RangeError(
        `addPrCurve: numThresholds must be an integer >= 2, got ${numThresholds}`,
      );
    }
    const count = (v: Values): number => (v instanceof Tensor ? v.numel : v.length);
    if (count(labels) !== count(predictions)) {
      throw new RangeError(
        `addPrCurve: "${tag}" has ${count(labels)} labels but ${count(predictions)} predictions`,
      );
    }
    this.#summaryEvent(this.#file, [labels, predictions], globalStep, options.walltime, (
      [l, p],
    ) => [prCurveSummary(tag, l, p, numThresholds)]);
  }

  /**
   * Logs hyperparameters and their final metrics for the HParams tab: like PyTorch, writes
   * the experiment/session summaries and the metrics as scalars to a new run
   * `logDir/<runName>` (default: the current time in seconds).
   */
  addHparams(
    hparamDict: HParamDict,
    metricDict: Record<string, number | Tensor>,
    options: {
      runName?: string;
      globalStep?: number;
      hparamDomainDiscrete?: Record<string, (number | string | boolean)[]>;
    } = {},
  ): void {
    if (
      !hparamDict || typeof hparamDict !== "object" || !metricDict || typeof metricDict !== "object"
    ) {
      throw new TypeError("addHparams: hparamDict and metricDict must be objects");
    }
    const summaries = hparamsSummaries(
      hparamDict,
      Object.keys(metricDict),
      options.hparamDomainDiscrete,
    );
    const dir = join(this.logDir, options.runName ?? String(Date.now() / 1000));
    let fw = this.#subWriters.get(dir);
    if (!fw) {
      fw = new EventFileWriter(dir, this.#opts.filenameSuffix);
      this.#subWriters.set(dir, fw);
    }
    const wall = Date.now() / 1000;
    for (const s of summaries) this.#summaryEvent(fw, [], undefined, wall, () => [s]);
    for (const [k, v] of Object.entries(metricDict)) {
      const val: Values = v instanceof Tensor ? v : [v];
      this.#summaryEvent(fw, [val], options.globalStep, wall, ([a]) => [scalarSummary(k, a[0])]);
    }
  }

  /**
   * Logs a model graph. Pass a node list, or a model plus example inputs; the model is traced
   * with `options.tracer` or the built-in module-level tracer ({@link traceModules}).
   */
  async addGraph<M = TraceableModule>(
    model: GraphNode[] | M,
    inputToModel?: unknown,
    options: { tracer?: GraphTracer<M> } = {},
  ): Promise<void> {
    let nodes: GraphNode[];
    if (Array.isArray(model)) nodes = model as GraphNode[];
    else {
      const inputs = inputToModel === undefined
        ? []
        : Array.isArray(inputToModel)
        ? inputToModel
        : [inputToModel];
      const tracer = options.tracer ??
        ((m: M, i: unknown[]) => traceModules(m as unknown as TraceableModule, i));
      nodes = await tracer(model, inputs);
    }
    const graphDef = graphDefBytes(nodes);
    this.#enqueue({
      file: this.#file,
      tensors: [],
      wallTime: Date.now() / 1000,
      make: () => ({ graphDef }),
    });
  }

  /** Writes everything pending to disk (reads back queued tensors in one batch). */
  flush(): Promise<void> {
    return this.#queue.flush();
  }

  /** Flushes and closes all event files; the writer cannot be used afterwards. */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.#queue.close();
    } finally {
      this.#closed = true;
      this.#file.close();
      for (const fw of this.#subWriters.values()) fw.close();
    }
  }

  /** `await using w = new SummaryWriter()` support. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** TensorBoard logging: `SummaryWriter` and the pieces it is built from. */
export { defaultLogDir, SummaryWriter } from "./writer.ts";
export type { ImageArray, SummaryWriterOptions, Values } from "./writer.ts";
export { traceModules } from "./graph.ts";
export type { GraphNode, GraphTracer, TraceableModule } from "./graph.ts";
export type { Bins } from "./histogram.ts";
export type { DataFormats } from "./image.ts";
export type { HParamDict } from "./summary.ts";

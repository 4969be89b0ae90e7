/**
 * The TensorBoard protobuf messages we write, declared in code (field numbers from
 * tensorflow/core/util/event.proto, framework/summary.proto, tensor.proto, tensor_shape.proto,
 * graph.proto, node_def.proto, attr_value.proto, versions.proto,
 * tensorboard/plugins/hparams/plugin_data.proto, api.proto and pr_curve/plugin_data.proto) and
 * encoded with protobufjs.
 */
import protobuf from "protobufjs";

/** Field declaration shorthand: [type, id, rule?]. */
type F = [string, number, ("repeated" | "packed")?];

function msg(fields: Record<string, F>, nested?: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, [type, id, rule]] of Object.entries(fields)) {
    out[name] = rule === "packed"
      ? { type, id, rule: "repeated", options: { packed: true } }
      : rule
      ? { type, id, rule }
      : { type, id };
  }
  return nested ? { fields: out, nested } : { fields: out };
}

const schema = {
  nested: {
    tb: {
      nested: {
        Event: msg({
          wallTime: ["double", 1],
          step: ["int64", 2],
          fileVersion: ["string", 3],
          graphDef: ["bytes", 4],
          summary: ["Summary", 5],
        }),
        Summary: msg({ value: ["Value", 1, "repeated"] }, {
          Image: msg({
            height: ["int32", 1],
            width: ["int32", 2],
            colorspace: ["int32", 3],
            encodedImageString: ["bytes", 4],
          }),
          Value: msg({
            tag: ["string", 1],
            simpleValue: ["float", 2],
            image: ["Image", 4],
            histo: ["HistogramProto", 5],
            tensor: ["TensorProto", 8],
            metadata: ["SummaryMetadata", 9],
          }),
        }),
        SummaryMetadata: msg({
          pluginData: ["PluginData", 1],
          displayName: ["string", 2],
          summaryDescription: ["string", 3],
          dataClass: ["int32", 4],
        }, {
          PluginData: msg({ pluginName: ["string", 1], content: ["bytes", 2] }),
        }),
        HistogramProto: msg({
          min: ["double", 1],
          max: ["double", 2],
          num: ["double", 3],
          sum: ["double", 4],
          sumSquares: ["double", 5],
          bucketLimit: ["double", 6, "packed"],
          bucket: ["double", 7, "packed"],
        }),
        TensorShapeProto: msg({ dim: ["Dim", 2, "repeated"] }, {
          Dim: msg({ size: ["int64", 1], name: ["string", 2] }),
        }),
        TensorProto: msg({
          dtype: ["int32", 1],
          tensorShape: ["TensorShapeProto", 2],
          floatVal: ["float", 5, "packed"],
          stringVal: ["bytes", 8, "repeated"],
        }),
        AttrValue: {
          oneofs: { value: { oneof: ["list", "s", "i", "f", "b", "shape"] } },
          ...msg({
            list: ["ListValue", 1],
            s: ["bytes", 2],
            i: ["int64", 3],
            f: ["float", 4],
            b: ["bool", 5],
            shape: ["TensorShapeProto", 7],
          }, {
            ListValue: msg({
              s: ["bytes", 2, "repeated"],
              i: ["int64", 3, "packed"],
              shape: ["TensorShapeProto", 7, "repeated"],
            }),
          }),
        },
        NodeDef: {
          fields: {
            ...msg({
              name: ["string", 1],
              op: ["string", 2],
              input: ["string", 3, "repeated"],
              device: ["string", 4],
            }).fields as Record<string, unknown>,
            attr: { keyType: "string", type: "AttrValue", id: 5 },
          },
        },
        VersionDef: msg({ producer: ["int32", 1], minConsumer: ["int32", 2] }),
        GraphDef: msg({ node: ["NodeDef", 1, "repeated"], versions: ["VersionDef", 4] }),
        // tensorboard/plugins/text/plugin_data.proto
        TextPluginData: msg({ version: ["int32", 1] }),
        // tensorboard/plugins/pr_curve/plugin_data.proto
        PrCurvePluginData: msg({ version: ["int32", 1], numThresholds: ["uint32", 2] }),
        // google/protobuf/struct.proto Value, as hparams values
        PbValue: {
          oneofs: { kind: { oneof: ["numberValue", "stringValue", "boolValue"] } },
          ...msg({
            numberValue: ["double", 2],
            stringValue: ["string", 3],
            boolValue: ["bool", 4],
          }),
        },
        // tensorboard/plugins/hparams/api.proto and plugin_data.proto
        HParamsPluginData: {
          oneofs: { data: { oneof: ["experiment", "sessionStartInfo", "sessionEndInfo"] } },
          ...msg({
            version: ["int32", 1],
            experiment: ["Experiment", 2],
            sessionStartInfo: ["SessionStartInfo", 3],
            sessionEndInfo: ["SessionEndInfo", 4],
          }),
        },
        Experiment: msg({
          description: ["string", 1],
          user: ["string", 2],
          timeCreatedSecs: ["double", 3],
          hparamInfos: ["HParamInfo", 4, "repeated"],
          metricInfos: ["MetricInfo", 5, "repeated"],
          name: ["string", 6],
        }),
        PbListValue: msg({ values: ["PbValue", 1, "repeated"] }),
        HParamInfo: msg({
          name: ["string", 1],
          displayName: ["string", 2],
          type: ["int32", 4],
          domainDiscrete: ["PbListValue", 5],
        }),
        MetricName: msg({ group: ["string", 1], tag: ["string", 2] }),
        MetricInfo: msg({ name: ["MetricName", 1], displayName: ["string", 3] }),
        SessionStartInfo: {
          fields: {
            hparams: { keyType: "string", type: "PbValue", id: 1 },
            ...msg({
              modelUri: ["string", 2],
              monitorUrl: ["string", 3],
              groupName: ["string", 4],
              startTimeSecs: ["double", 5],
            }).fields as Record<string, unknown>,
          },
        },
        SessionEndInfo: msg({ status: ["int32", 1], endTimeSecs: ["double", 2] }),
      },
    },
  },
};

const root = protobuf.Root.fromJSON(schema as protobuf.INamespace);

/** A shape as TensorShapeProto. */
export interface TensorShape {
  /** Dimensions, outermost first. */
  dim: { size: number; name?: string }[];
}

/** Summary.Value: exactly one of the payload fields is set. */
export interface SummaryValue {
  /** The tag shown in TensorBoard. */
  tag: string;
  /** A scalar. */
  simpleValue?: number;
  /** An encoded image. */
  image?: { height: number; width: number; colorspace: number; encodedImageString: Uint8Array };
  /** A histogram. */
  histo?: Histogram;
  /** A tensor payload (text summaries). */
  tensor?: {
    dtype: number;
    tensorShape?: TensorShape;
    floatVal?: number[];
    stringVal?: Uint8Array[];
  };
  /** Which plugin renders this value. */
  metadata?: { pluginData?: { pluginName: string; content?: Uint8Array }; displayName?: string };
}

/** HistogramProto. */
export interface Histogram {
  /** Smallest value. */
  min: number;
  /** Largest value. */
  max: number;
  /** Number of values. */
  num: number;
  /** Sum of values. */
  sum: number;
  /** Sum of squared values. */
  sumSquares: number;
  /** Right edge of each bucket. */
  bucketLimit: number[];
  /** Count of each bucket. */
  bucket: number[];
}

/** NodeDef of a GraphDef. */
export interface NodeDefMessage {
  /** Unique, `/`-scoped node name. */
  name: string;
  /** Op type. */
  op: string;
  /** Names of input nodes. */
  input: string[];
  /** Device string (optional). */
  device?: string;
  /** Attributes (TensorBoard reads `_output_shapes`). */
  attr?: Record<string, {
    s?: Uint8Array;
    i?: number;
    f?: number;
    b?: boolean;
    shape?: TensorShape;
    list?: { s?: Uint8Array[]; i?: number[]; shape?: TensorShape[] };
  }>;
}

/** An Event; exactly one of fileVersion / graphDef / summary is set. */
export interface EventMessage {
  /** Seconds since the epoch. */
  wallTime: number;
  /** Global step. */
  step?: number;
  /** "brain.Event:2" in the first record. */
  fileVersion?: string;
  /** A serialized GraphDef. */
  graphDef?: Uint8Array;
  /** Summary values. */
  summary?: { value: SummaryValue[] };
}

function encoder<T>(name: string): (m: T) => Uint8Array {
  const type = root.lookupType(`tb.${name}`);
  return (m: T): Uint8Array => {
    const err = type.verify(m as Record<string, unknown>);
    if (err) throw new Error(`tensorboard: invalid ${name}: ${err}`);
    return type.encode(type.fromObject(m as Record<string, unknown>)).finish();
  };
}

/** Serializes an Event. */
export const encodeEvent: (m: EventMessage) => Uint8Array = encoder<EventMessage>("Event");

/** Serializes a GraphDef. */
export const encodeGraphDef: (
  m: { node: NodeDefMessage[]; versions: { producer: number } },
) => Uint8Array = encoder("GraphDef");

/** Serializes TextPluginData. */
export const encodeTextPluginData: (m: { version?: number }) => Uint8Array = encoder(
  "TextPluginData",
);

/** hparams plugin values (google.protobuf.Value subset). */
export type HParamValue = { numberValue: number } | { stringValue: string } | {
  boolValue: boolean;
};

/** Serializes HParamsPluginData. */
export const encodeHParamsPluginData: (m: {
  version: number;
  experiment?: {
    hparamInfos: { name: string; type: number; domainDiscrete?: { values: HParamValue[] } }[];
    metricInfos: { name: { tag: string; group?: string } }[];
  };
  sessionStartInfo?: {
    hparams: Record<string, HParamValue>;
    groupName?: string;
    startTimeSecs?: number;
  };
  sessionEndInfo?: { status: number; endTimeSecs?: number };
}) => Uint8Array = encoder("HParamsPluginData");

/** Serializes PrCurvePluginData. */
export const encodePrCurvePluginData: (
  m: { version?: number; numThresholds: number },
) => Uint8Array = encoder("PrCurvePluginData");

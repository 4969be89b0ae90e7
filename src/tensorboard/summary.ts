/**
 * Builders for Summary.Value messages, matching what torch.utils.tensorboard.summary
 * produces for each kind (tags, plugin names and plugin payloads included).
 */
import {
  encodeHParamsPluginData,
  encodeTextPluginData,
  type HParamValue,
  type SummaryValue,
} from "./protos.ts";
import { type Bins, makeHistogram } from "./histogram.ts";
import { encodePng, type HWCImage } from "./image.ts";

/** A scalar value (`simple_value`; NaN and ±Infinity are written as such). */
export function scalarSummary(tag: string, value: number): SummaryValue {
  return { tag, simpleValue: value };
}

/** A histogram of `values`. */
export function histogramSummary(tag: string, values: ArrayLike<number>, bins: Bins): SummaryValue {
  return { tag, histo: makeHistogram(values, bins) };
}

/** A PNG image summary. */
export async function imageSummary(tag: string, img: HWCImage): Promise<SummaryValue> {
  return {
    tag,
    image: {
      height: img.height,
      width: img.width,
      colorspace: img.channels,
      encodedImageString: await encodePng(img),
    },
  };
}

/** A text summary: a DT_STRING tensor under `<tag>/text_summary` for the text plugin. */
export function textSummary(tag: string, text: string): SummaryValue {
  return {
    tag: `${tag}/text_summary`,
    metadata: { pluginData: { pluginName: "text", content: encodeTextPluginData({ version: 0 }) } },
    tensor: {
      dtype: 7, // DT_STRING
      tensorShape: { dim: [{ size: 1 }] },
      stringVal: [new TextEncoder().encode(text)],
    },
  };
}

/** Hyperparameter values the hparams plugin can show (null entries are skipped). */
export type HParamDict = Record<string, number | string | boolean | null>;

const HPARAMS_VERSION = 0;

function hparamsValue(
  tag: string,
  data: Parameters<typeof encodeHParamsPluginData>[0],
): SummaryValue {
  return {
    tag,
    metadata: { pluginData: { pluginName: "hparams", content: encodeHParamsPluginData(data) } },
  };
}

function pbValue(name: string, v: unknown): { value: HParamValue; type: number } {
  // api.proto DataType: STRING = 1, BOOL = 2, FLOAT64 = 3. (PyTorch logs bools as numbers
  // because Python's bool is an int; we keep them booleans, which TensorBoard shows better.)
  if (typeof v === "number") return { value: { numberValue: v }, type: 3 };
  if (typeof v === "string") return { value: { stringValue: v }, type: 1 };
  if (typeof v === "boolean") return { value: { boolValue: v }, type: 2 };
  throw new TypeError(
    `addHparams: hyperparameter "${name}" must be a number, string or boolean, got ${typeof v}`,
  );
}

/**
 * The experiment, session-start and session-end summaries PyTorch's `hparams()` writes.
 * `metricNames` are the scalar tags that hold the metrics; `domainDiscrete` optionally lists
 * every value a hyperparameter can take.
 */
export function hparamsSummaries(
  hparams: HParamDict,
  metricNames: string[],
  domainDiscrete: Record<string, (number | string | boolean)[]> = {},
): SummaryValue[] {
  const infos: { name: string; type: number; domainDiscrete?: { values: HParamValue[] } }[] = [];
  const values: Record<string, HParamValue> = {};
  for (const [name, list] of Object.entries(domainDiscrete)) {
    const v = hparams[name];
    if (v === undefined || !Array.isArray(list) || !list.every((d) => typeof d === typeof v)) {
      throw new TypeError(
        `addHparams: hparamDomainDiscrete["${name}"] must be a list of the same type as ` +
          `hparamDict["${name}"]`,
      );
    }
  }
  for (const [name, v] of Object.entries(hparams)) {
    if (v === null || v === undefined) continue;
    const { value, type } = pbValue(name, v);
    values[name] = value;
    const domain = domainDiscrete[name];
    infos.push(
      domain
        ? { name, type, domainDiscrete: { values: domain.map((d) => pbValue(name, d).value) } }
        : { name, type },
    );
  }
  return [
    hparamsValue("_hparams_/experiment", {
      version: HPARAMS_VERSION,
      experiment: {
        hparamInfos: infos,
        metricInfos: metricNames.map((tag) => ({ name: { tag } })),
      },
    }),
    hparamsValue("_hparams_/session_start_info", {
      version: HPARAMS_VERSION,
      sessionStartInfo: { hparams: values },
    }),
    // status 1 = STATUS_SUCCESS
    hparamsValue("_hparams_/session_end_info", {
      version: HPARAMS_VERSION,
      sessionEndInfo: { status: 1 },
    }),
  ];
}

/** Re-export for writer.ts. */
export type { Bins };

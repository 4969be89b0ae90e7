/**
 * Precision-recall curve summaries for TensorBoard's pr_curves plugin, computed like PyTorch's
 * `torch.utils.tensorboard.summary.pr_curve` / `compute_curve`: scores are bucketed into
 * `numThresholds` equal bins of [0, 1], counts are reverse-cumulated, and the (6, T) float
 * tensor holds TP, FP, TN, FN, precision and recall per threshold.
 */
import { encodePrCurvePluginData, type SummaryValue } from "./protos.ts";

/** PyTorch caps the thresholds ("value > 127 breaks protobuf"). */
const MAX_PR_THRESHOLDS = 127;

// compute_curve's floor on denominators, so empty thresholds give precision/recall 0.
const MINIMUM_COUNT = 1e-7;

/** The (6, T) rows [tp, fp, tn, fn, precision, recall], as `compute_curve` with weights 1. */
function computePrCurve(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  numThresholds: number,
): number[][] {
  const T = numThresholds;
  const tpBuckets = new Float64Array(T), fpBuckets = new Float64Array(T);
  // NOTE: numpy scales a float32 array in float32, and that rounding matters: float32 0.7 lies
  // below 0.7, yet 0.7f * 10 rounds up to 7 in float32 (6.99999988 in float64).
  const scale = predictions instanceof Float32Array ? Math.fround : (x: number): number => x;
  for (let i = 0; i < predictions.length; i++) {
    // np.histogram of the integer bucket k over range (0, T - 1) with T bins puts k in bin k
    // and drops k outside the range (scores outside [0, 1], NaN).
    const k = Math.floor(scale(predictions[i] * (T - 1)));
    if (!(k >= 0 && k <= T - 1)) continue;
    tpBuckets[k] += labels[i];
    fpBuckets[k] += 1 - labels[i];
  }
  const tp = new Array<number>(T), fp = new Array<number>(T);
  let accTp = 0, accFp = 0;
  for (let b = T - 1; b >= 0; b--) {
    tp[b] = accTp += tpBuckets[b];
    fp[b] = accFp += fpBuckets[b];
  }
  const tn = fp.map((v) => fp[0] - v), fn = tp.map((v) => tp[0] - v);
  const precision = tp.map((v, b) => v / Math.max(MINIMUM_COUNT, v + fp[b]));
  const recall = tp.map((v, b) => v / Math.max(MINIMUM_COUNT, v + fn[b]));
  return [tp, fp, tn, fn, precision, recall];
}

/** The Summary.Value PyTorch's `add_pr_curve` writes (tag unchanged, DT_FLOAT (6, T) tensor). */
export function prCurveSummary(
  tag: string,
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  numThresholds: number,
): SummaryValue {
  const T = Math.min(numThresholds, MAX_PR_THRESHOLDS);
  const rows = computePrCurve(labels, predictions, T);
  return {
    tag,
    metadata: {
      pluginData: {
        pluginName: "pr_curves",
        // version 0 is proto3's default, which Python's serializer leaves out.
        content: encodePrCurvePluginData({ numThresholds: T }),
      },
    },
    tensor: {
      dtype: 1, // DT_FLOAT
      tensorShape: { dim: [{ size: 6 }, { size: T }] },
      floatVal: rows.flat(),
    },
  };
}

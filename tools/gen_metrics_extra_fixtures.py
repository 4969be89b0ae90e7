#!/usr/bin/python3
"""Reference values for tests/metrics_curves.test.ts, tests/metrics_regression.test.ts and the
pr-curve test in tests/tensorboard_pr_curve.test.ts.

torchmetrics, scikit-learn and tensorboard are not installed here, so the references are plain
torch / numpy ports of the documented code paths (torchmetrics 1.x functional API:
_binary_clf_curve, _binary_roc_compute, _binary_precision_recall_curve_compute, the binned
">= threshold" confusion counts, _binary_auroc_compute with McClish's max_fpr, _reduce_auroc /
_reduce_average_precision, _r2_score_compute, _explained_variance_compute, Pearson, Spearman's
_rank_data, cosine similarity; torch.utils.tensorboard.summary.compute_curve). Curve arithmetic
runs in float64, so values differ from torchmetrics' float32 results by float32 rounding only.

Run: /usr/bin/python3 tools/gen_metrics_extra_fixtures.py
  → tests/fixtures/metrics/curves.json, regression.json, pr_curve.json
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "metrics")
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(7)


def nan_to_none(x):
    """JSON has no NaN: NaN becomes null (the tests map it back)."""
    if isinstance(x, list):
        return [nan_to_none(v) for v in x]
    return None if isinstance(x, float) and math.isnan(x) else x


# ---------------------------------------------------------------- curves (torchmetrics ports)

def binary_clf_curve(preds, target):
    desc = torch.argsort(preds, descending=True)
    preds, target = preds[desc], target[desc]
    distinct = torch.where(preds[1:] - preds[:-1])[0]
    idx = F.pad(distinct, [0, 1], value=target.size(0) - 1)
    tps = torch.cumsum(target.long(), 0)[idx].double()
    fps = (1 + idx - tps).double()
    return fps, tps, preds[idx].double()


def exact_roc(preds, target):
    fps, tps, thr = binary_clf_curve(preds, target)
    fps = torch.cat([torch.zeros(1, dtype=fps.dtype), fps])
    tps = torch.cat([torch.zeros(1, dtype=tps.dtype), tps])
    thr = torch.cat([torch.ones(1, dtype=thr.dtype), thr])
    fpr = torch.zeros_like(thr) if fps[-1] <= 0 else fps / fps[-1]
    tpr = torch.zeros_like(thr) if tps[-1] <= 0 else tps / tps[-1]
    return fpr, tpr, thr


def exact_pr(preds, target):
    fps, tps, thr = binary_clf_curve(preds, target)
    precision = tps / (tps + fps)
    recall = tps / tps[-1]
    precision = torch.cat([precision.flip(0), torch.ones(1, dtype=precision.dtype)])
    recall = torch.cat([recall.flip(0), torch.zeros(1, dtype=recall.dtype)])
    return precision, recall, thr.flip(0)


def safe_divide(a, b):
    a, b = a.double(), b.double()
    return torch.where(b != 0, a / torch.where(b == 0, torch.ones_like(b), b), torch.zeros_like(a))


def binned_state(preds, target, thresholds):
    """(T, 2, 2) confusion counts with preds >= threshold, as torchmetrics' vectorized update."""
    preds_t = (preds.unsqueeze(-1) >= thresholds.unsqueeze(0)).long()
    mapping = preds_t + 2 * target.long().unsqueeze(-1) + 4 * torch.arange(len(thresholds))
    return torch.bincount(mapping.flatten(), minlength=4 * len(thresholds)).reshape(-1, 2, 2)


def binned_roc(state, thresholds):
    tps, fps, fns, tns = state[:, 1, 1], state[:, 0, 1], state[:, 1, 0], state[:, 0, 0]
    return (safe_divide(fps, fps + tns).flip(0), safe_divide(tps, tps + fns).flip(0),
            thresholds.double().flip(0))


def binned_pr(state, thresholds):
    tps, fps, fns = state[:, 1, 1], state[:, 0, 1], state[:, 1, 0]
    precision = torch.cat([safe_divide(tps, tps + fps), torch.ones(1, dtype=torch.float64)])
    recall = torch.cat([safe_divide(tps, tps + fns), torch.zeros(1, dtype=torch.float64)])
    return precision, recall, thresholds.double()


def auc(fpr, tpr, max_fpr=None):
    if max_fpr is None or max_fpr == 1:
        return torch.trapz(tpr, fpr).item()
    max_area = torch.tensor(max_fpr, dtype=torch.float64)
    stop = torch.bucketize(max_area, fpr, out_int32=True, right=True)
    weight = (max_area - fpr[stop - 1]) / (fpr[stop] - fpr[stop - 1])
    interp_tpr = torch.lerp(tpr[stop - 1], tpr[stop], weight)
    tpr = torch.cat([tpr[:stop], interp_tpr.view(1)])
    fpr = torch.cat([fpr[:stop], max_area.view(1)])
    partial = torch.trapz(tpr, fpr)
    min_area = 0.5 * max_area ** 2
    return (0.5 * (1 + (partial - min_area) / (max_area - min_area))).item()


def ap(precision, recall):
    return (-torch.sum((recall[1:] - recall[:-1]) * precision[:-1])).item()


def reduce(scores, average, weights):
    res = torch.tensor(scores, dtype=torch.float64)
    if average == "none":
        return res.tolist()
    idx = ~torch.isnan(res)
    if average == "macro":
        return res[idx].mean().item()
    w = safe_divide(weights[idx], weights[idx].sum())
    return (res[idx] * w).sum().item()


def fmt_binary(preds):
    return preds if bool(((preds >= 0) & (preds <= 1)).all()) else preds.sigmoid()


def fmt_multi(preds):
    return preds if bool(((preds >= 0) & (preds <= 1)).all()) else preds.softmax(1)


def curve_json(fpr_or_p, tpr_or_r, thr, names):
    return {names[0]: nan_to_none(fpr_or_p.tolist()), names[1]: nan_to_none(tpr_or_r.tolist()),
            "thresholds": thr.tolist()}


def class_results(probs, pos, threshold_sets, max_fprs=()):
    """Curves and scores of one binary column for exact mode and each binned threshold set."""
    out = {}
    for key, thr in threshold_sets:
        if thr is None:
            fpr, tpr, rthr = exact_roc(probs, pos)
            p, r, pthr = exact_pr(probs, pos)
        else:
            st = binned_state(probs, pos, thr)
            fpr, tpr, rthr = binned_roc(st, thr)
            p, r, pthr = binned_pr(st, thr)
        out[key] = {
            "roc": curve_json(fpr, tpr, rthr, ("fpr", "tpr")),
            "pr": curve_json(p, r, pthr, ("precision", "recall")),
            "auroc": auc(fpr, tpr),
            "ap": nan_to_none(ap(p, r)),
            "maxFpr": {str(m): auc(fpr, tpr, m) for m in max_fprs} if thr is None else {},
        }
    return out


# denotorch takes float32(i / (n - 1)) as thresholds; torch.linspace agrees for n = 11.
assert torch.equal(torch.linspace(0, 1, 11), torch.tensor([i / 10 for i in range(11)]))


def threshold_sets(n):
    return [("exact", None), ("binned11", torch.linspace(0, 1, 11)),
            ("binnedList", torch.tensor([0.1, 0.5, 0.9]))][:n]


curve_cases = []

# Binary: scores rounded to one decimal (many ties), as probabilities; the same as logits.
bt = torch.randint(0, 2, (40,))
bp = torch.round(torch.rand(40) * 10) / 10
bl = torch.randn(40) * 2
for name, preds, target in [
    ("binary_ties", bp, bt),
    ("binary_logits", bl, bt),
    ("binary_all_negative", bp, torch.zeros(40, dtype=torch.long)),
    ("binary_all_positive", bp, torch.ones(40, dtype=torch.long)),
]:
    probs = fmt_binary(preds)
    maxf = (0.3, 0.5) if "all" not in name else ()
    curve_cases.append({
        "name": name, "task": "binary", "preds": preds.tolist(), "predsShape": list(preds.shape),
        "target": target.tolist(), "targetShape": list(target.shape),
        "results": class_results(probs, target, threshold_sets(3), maxf),
    })

# Multiclass: probabilities rounded to two decimals (ties; class 3 never a target) and logits.
C = 4
mt = torch.randint(0, 3, (30,))
mp = torch.round(torch.softmax(torch.randn(30, C), 1) * 20) / 20
ml = torch.randn(30, C) * 1.5
for name, preds in [("multiclass_ties", mp), ("multiclass_logits", ml)]:
    probs = fmt_multi(preds)
    per = [class_results(probs[:, c], (mt == c).long(), threshold_sets(2)) for c in range(C)]
    support = torch.bincount(mt, minlength=C).double()
    scores = {}
    for mode in ("exact", "binned11"):
        for avg in ("macro", "weighted", "none"):
            scores[f"auroc_{mode}_{avg}"] = reduce([p[mode]["auroc"] for p in per], avg, support)
            aps = [float("nan") if p[mode]["ap"] is None else p[mode]["ap"] for p in per]
            scores[f"ap_{mode}_{avg}"] = nan_to_none(reduce(aps, avg, support))
    curve_cases.append({
        "name": name, "task": "multiclass", "numClasses": C, "preds": preds.reshape(-1).tolist(),
        "predsShape": list(preds.shape), "target": mt.tolist(), "targetShape": list(mt.shape),
        "perClass": per, "scores": scores,
    })

# Multilabel: label 2 has no positives.
L = 3
lt = torch.randint(0, 2, (25, L))
lt[:, 2] = 0
lp = torch.round(torch.rand(25, L) * 10) / 10
per = [class_results(lp[:, c], lt[:, c], threshold_sets(2)) for c in range(L)]
support = lt.sum(0).double()
scores = {}
for mode, thr in (("exact", None), ("binned11", torch.linspace(0, 1, 11))):
    fl_p, fl_t = lp.T.reshape(-1), lt.T.reshape(-1)
    micro = class_results(fl_p, fl_t, [(mode, thr)])[mode]
    scores[f"auroc_{mode}_micro"] = micro["auroc"]
    scores[f"ap_{mode}_micro"] = micro["ap"]
    for avg in ("macro", "weighted", "none"):
        scores[f"auroc_{mode}_{avg}"] = reduce([p[mode]["auroc"] for p in per], avg, support)
        aps = [float("nan") if p[mode]["ap"] is None else p[mode]["ap"] for p in per]
        scores[f"ap_{mode}_{avg}"] = nan_to_none(reduce(aps, avg, support))
curve_cases.append({
    "name": "multilabel_ties", "task": "multilabel", "numLabels": L,
    "preds": lp.reshape(-1).tolist(), "predsShape": list(lp.shape), "target": lt.reshape(-1).tolist(),
    "targetShape": list(lt.shape), "perClass": per, "scores": scores,
})

with open(os.path.join(OUT, "curves.json"), "w") as f:
    json.dump(curve_cases, f)

# ---------------------------------------------------------------- regression


def r2(preds, target, adjusted=0, multioutput="uniform_average"):
    target, preds = target.double(), preds.double()
    sum_obs, sum_sq = target.sum(0), (target * target).sum(0)
    rss = ((target - preds) ** 2).sum(0)
    n = target.shape[0]
    tss = sum_sq - sum_obs * (sum_obs / n)
    cond_rss = ~torch.isclose(rss, torch.zeros_like(rss), atol=1e-4)
    cond_tss = ~torch.isclose(tss, torch.zeros_like(tss), atol=1e-4)
    raw = torch.ones_like(rss)
    cond = cond_rss & cond_tss
    raw[cond] = 1 - rss[cond] / tss[cond]
    raw[cond_rss & ~cond_tss] = 0.0
    if multioutput == "raw_values":
        out = raw
    elif multioutput == "uniform_average":
        out = raw.mean()
    else:
        out = (tss / tss.sum() * raw).sum()
    if adjusted != 0 and adjusted < n - 1:
        out = 1 - (1 - out) * (n - 1) / (n - adjusted - 1)
    return out.tolist()


def explained_variance(preds, target, multioutput="uniform_average"):
    target, preds = target.double(), preds.double()
    n = target.shape[0]
    diff = target - preds
    num = (diff * diff).sum(0) / n - (diff.sum(0) / n) ** 2
    den = (target * target).sum(0) / n - (target.sum(0) / n) ** 2
    scores = torch.ones_like(num)
    valid = (num != 0) & (den != 0)
    scores[valid] = 1 - num[valid] / den[valid]
    scores[(num != 0) & (den == 0)] = 0.0
    if multioutput == "raw_values":
        return scores.tolist()
    if multioutput == "uniform_average":
        return scores.mean().item()
    return (den / den.sum() * scores).sum().item()


def pearson(preds, target):
    x, y = preds.double(), target.double()
    dx, dy = x - x.mean(0), y - y.mean(0)
    r = (dx * dy).sum(0) / ((dx * dx).sum(0) * (dy * dy).sum(0)).sqrt()
    return torch.clamp(r, -1, 1).tolist()


def rank_data(data):
    n = data.numel()
    rank = torch.empty_like(data)
    idx = data.argsort()
    rank[idx[:n]] = torch.arange(1, n + 1, dtype=data.dtype)
    for r in torch.unique(data):
        cond = data == r
        if cond.sum() > 1:
            rank[cond] = rank[cond].mean()
    return rank


def spearman(preds, target, eps=1e-6):
    p, t = preds.double(), target.double()
    if p.ndim == 1:
        p, t = rank_data(p), rank_data(t)
    else:
        p = torch.stack([rank_data(c) for c in p.T]).T
        t = torch.stack([rank_data(c) for c in t.T]).T
    pd, td = p - p.mean(0), t - t.mean(0)
    cov = (pd * td).mean(0)
    r = cov / (torch.sqrt((pd * pd).mean(0)) * torch.sqrt((td * td).mean(0)) + eps)
    return torch.clamp(r, -1, 1).tolist()


def cosine(preds, target):
    p, t = preds.double(), target.double()
    return ((p * t).sum(-1) / (p.norm(dim=-1) * t.norm(dim=-1))).tolist()


def errors(preds, target, dim=None):
    p, t = preds.double(), target.double()
    red = (lambda x: x.sum(0) / x.shape[0]) if dim == 0 else (lambda x: x.sum() / x.numel())
    mse = red((p - t) ** 2)
    return {
        "mse": mse.tolist(), "rmse": mse.sqrt().tolist(), "mae": red((p - t).abs()).tolist(),
        "mape": ((p - t).abs() / t.abs().clamp(min=1.17e-6)).sum().item() / t.numel(),
    }


reg_cases = []
# Single output; targets rounded to one decimal (ties for Spearman) with one exact zero (MAPE eps).
t1 = torch.round(torch.randn(50) * 10) / 10
t1[7] = 0.0
p1 = t1 + torch.randn(50) * 0.5
p1 = torch.round(p1 * 10) / 10
reg_cases.append({
    "name": "single_output", "preds": p1.tolist(), "target": t1.tolist(), "shape": [50],
    "expected": {
        **errors(p1, t1), "r2": r2(p1, t1), "r2_adjusted2": r2(p1, t1, adjusted=2),
        "pearson": pearson(p1, t1), "spearman": spearman(p1, t1),
        "explained_variance": explained_variance(p1, t1),
    },
})
# Three outputs with different scales (variance_weighted differs from uniform_average).
t3 = torch.randn(40, 3) * torch.tensor([1.0, 5.0, 0.2]) + torch.tensor([0.0, 3.0, -1.0])
p3 = t3 + torch.randn(40, 3) * torch.tensor([0.5, 2.0, 0.3])
reg_cases.append({
    "name": "three_outputs", "preds": p3.reshape(-1).tolist(), "target": t3.reshape(-1).tolist(),
    "shape": [40, 3],
    "expected": {
        **{k: v for k, v in errors(p3, t3, dim=0).items() if k != "mape"},
        "mape_all": errors(p3, t3)["mape"],
        **{f"r2_{m}": r2(p3, t3, multioutput=m)
           for m in ("raw_values", "uniform_average", "variance_weighted")},
        **{f"ev_{m}": explained_variance(p3, t3, m)
           for m in ("raw_values", "uniform_average", "variance_weighted")},
        "r2_adjusted3_raw": r2(p3, t3, adjusted=3, multioutput="raw_values"),
        "pearson": pearson(p3, t3), "spearman": spearman(p3, t3),
        "cosine_none": cosine(p3, t3),
        "cosine_sum": sum(cosine(p3, t3)), "cosine_mean": sum(cosine(p3, t3)) / 40,
    },
})
# Constant target (exactly representable): R² and explained variance fall back to 0, or to 1
# when the predictions are exact too; Spearman's eps turns 0/0 into 0.
tc = torch.full((12,), 2.0)
pc = torch.round(torch.randn(12) * 10) / 10
reg_cases.append({
    "name": "constant_target", "preds": pc.tolist(), "target": tc.tolist(), "shape": [12],
    "expected": {
        "r2": r2(pc, tc), "r2_exact": r2(tc, tc), "explained_variance": explained_variance(pc, tc),
        "explained_variance_exact": explained_variance(tc, tc), "spearman": spearman(pc, tc),
    },
})
with open(os.path.join(OUT, "regression.json"), "w") as f:
    json.dump(reg_cases, f)

# ---------------------------------------------------------------- TensorBoard pr curve


def compute_curve(labels, predictions, num_thresholds):
    """torch.utils.tensorboard.summary.compute_curve (weights=None), verbatim arithmetic."""
    _MINIMUM_COUNT = 1e-7
    weights = 1.0
    bucket_indices = np.int32(np.floor(predictions * (num_thresholds - 1)))
    float_labels = labels.astype(np.float64)
    histogram_range = (0, num_thresholds - 1)
    tp_buckets, _ = np.histogram(bucket_indices, bins=num_thresholds, range=histogram_range,
                                 weights=float_labels * weights)
    fp_buckets, _ = np.histogram(bucket_indices, bins=num_thresholds, range=histogram_range,
                                 weights=(1.0 - float_labels) * weights)
    tp = np.cumsum(tp_buckets[::-1])[::-1]
    fp = np.cumsum(fp_buckets[::-1])[::-1]
    tn = fp[0] - fp
    fn = tp[0] - tp
    precision = tp / np.maximum(_MINIMUM_COUNT, tp + fp)
    recall = tp / np.maximum(_MINIMUM_COUNT, tp + fn)
    return np.stack((tp, fp, tn, fn, precision, recall))


labels = torch.randint(0, 2, (100,))
predictions = torch.rand(100)
# Edges, and float32 values just below a bucket edge that float32 scaling rounds up (0.7f * 10).
predictions[:8] = torch.tensor([0.0, 1.0, 0.5, 0.25, 0.75, 0.7, 0.9, 0.45454543828964233])
pr_cases = []
for nt in (127, 11, 200):
    eff = min(nt, 127)  # torch caps num_thresholds at 127
    data = compute_curve(labels.numpy(), predictions.numpy(), eff).astype(np.float32)
    pr_cases.append({"numThresholds": nt, "shape": list(data.shape),
                     "data": data.reshape(-1).tolist()})
with open(os.path.join(OUT, "pr_curve.json"), "w") as f:
    json.dump({"labels": labels.tolist(), "predictions": predictions.tolist(), "cases": pr_cases}, f)

print("wrote", len(curve_cases), "curve cases,", len(reg_cases), "regression cases,",
      len(pr_cases), "pr-curve cases")

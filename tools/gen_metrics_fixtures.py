#!/usr/bin/python3
"""Reference values for tests/metrics_*.test.ts, computed from first principles with plain torch
(torchmetrics is not installed): counts per class, then torchmetrics' averaging rules
(0/0 = 0; macro skips classes with tp + fp + fn == 0, or without support when top_k > 1;
weighted by support).

Run: /usr/bin/python3 tools/gen_metrics_fixtures.py  → tests/fixtures/metrics/classification.json
"""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "metrics")
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(1)


def counts(p1h, t1h):
    tp = (p1h * t1h).sum(0).double()
    fp = (p1h * (1 - t1h)).sum(0).double()
    fn = ((1 - p1h) * t1h).sum(0).double()
    return tp, fp, fn


def sdiv(a, b):
    return torch.where(b == 0, torch.zeros_like(a), a / torch.where(b == 0, torch.ones_like(b), b))


def scores(kind, tp, fp, fn):
    if kind == "precision":
        return sdiv(tp, tp + fp)
    if kind in ("recall", "accuracy"):
        return sdiv(tp, tp + fn)
    return sdiv(2 * tp, 2 * tp + fp + fn)


def reduce(kind, tp, fp, fn, average, top_k):
    if average == "micro":
        return scores(kind, tp.sum(), fp.sum(), fn.sum()).item()
    s = scores(kind, tp, fp, fn)
    if average == "none":
        return s.tolist()
    if average == "weighted":
        w = tp + fn
    else:
        w = torch.ones_like(s)
        w[(tp + fp + fn == 0) if top_k == 1 else (tp + fn == 0)] = 0
    return sdiv((w * s).sum(), w.sum()).item()


def one_hot_topk(preds, k):
    idx = preds.topk(k, dim=1).indices
    return torch.zeros_like(preds).scatter_(1, idx, 1.0)


cases = []
C = 5
# Class 4 never occurs in targets nor predictions (its logits are very low); class 3 is
# predicted but never a target.
logits = torch.randn(40, C)
logits[:, 4] = -10
target = torch.randint(0, 3, (40,))
for name, preds, k in [("logits_top1", logits, 1), ("logits_top2", logits, 2)]:
    p1h = one_hot_topk(preds, k)
    t1h = torch.nn.functional.one_hot(target, C).double()
    tp, fp, fn = counts(p1h.double(), t1h)
    res = {}
    for kind in ("accuracy", "precision", "recall", "f1"):
        for avg in ("micro", "macro", "weighted", "none"):
            res[f"{kind}_{avg}"] = reduce(kind, tp, fp, fn, avg, k)
    conf = torch.zeros(C, C, dtype=torch.int64)
    for t, p in zip(target.tolist(), preds.argmax(1).tolist()):
        conf[t, p] += 1
    cases.append({
        "name": name, "numClasses": C, "topK": k,
        "preds": preds.reshape(-1).tolist(), "predsShape": list(preds.shape),
        "target": target.tolist(), "expected": res, "confusion": conf.tolist(),
    })

# Binary: probabilities and logits.
bt = torch.randint(0, 2, (30,))
bp = torch.rand(30)
for name, preds in [("binary_probs", bp), ("binary_logits", torch.logit(bp) * 3)]:
    prob = preds if bool(((preds >= 0) & (preds <= 1)).all()) else preds.sigmoid()
    lab = (prob > 0.5).long()
    tp = ((lab == 1) & (bt == 1)).sum().item()
    fp = ((lab == 1) & (bt == 0)).sum().item()
    fn = ((lab == 0) & (bt == 1)).sum().item()
    tn = ((lab == 0) & (bt == 0)).sum().item()
    d = lambda a, b: 0.0 if b == 0 else a / b
    cases.append({
        "name": name, "binary": True, "preds": preds.tolist(), "target": bt.tolist(),
        "expected": {
            "accuracy": (tp + tn) / 30, "precision": d(tp, tp + fp), "recall": d(tp, tp + fn),
            "f1": d(2 * tp, 2 * tp + fp + fn),
        },
        "confusion": [[tn, fp], [fn, tp]],
    })

with open(os.path.join(OUT, "classification.json"), "w") as f:
    json.dump(cases, f)
print("wrote", len(cases), "cases")

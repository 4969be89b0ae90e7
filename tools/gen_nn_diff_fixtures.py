#!/usr/bin/python3
"""PyTorch 1.13 reference values for tests/nn_diff.test.ts: the cases a differential sweep of
denotorch's nn layers and functional ops against PyTorch found wrong or left untested.

Each case is either a functional op ("fn": inputs, camelCase options, outputs and the
gradients of sum(output * R)) or a module ("module": constructor arguments, state dict before,
`steps` forward passes, outputs, input and parameter gradients, state dict after), R being
cos(0.7 i + 0.3) over the output's elements. Non-finite numbers are stored as strings.

Covered: Conv2d/Conv1d padding modes x dilation x groups x stride; MaxPool2d / AvgPool2d
ceil_mode, padding, dilation, count_include_pad and divisor_override; adaptive pools with odd
sizes; BatchNorm1d/2d with momentum None, track_running_stats False, affine False and eval;
LayerNorm without affine; Embedding padding_idx < 0 and max_norm (found missing);
F.hardtanh with min_val >= max_val (found rejected); binary_cross_entropy gradients at 0 and 1
(found NaN); binary_cross_entropy_with_logits gradient at logit 0 (found with the wrong sign);
cross_entropy / nll_loss with every target ignored (found NaN gradients), with weights, label
smoothing, probability targets and K-dim inputs.

Run: /usr/bin/python3 tools/gen_nn_diff_fixtures.py   (writes tests/fixtures/nn/diff.json)
"""
import json
import math
import os
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "nn", "diff.json")
torch.set_default_dtype(torch.float64)
torch.manual_seed(0); random.seed(0)
cases = []

def fv(v):
    return v if math.isfinite(v) else ("NaN" if v != v else ("Infinity" if v > 0 else "-Infinity"))

def t2j(t):
    t = t.detach()
    if t.dtype == torch.bool: t = t.double()
    return {"shape": list(t.shape), "values": [fv(float(v)) for v in t.flatten().tolist()],
            "dtype": "int32" if t.dtype in (torch.int64, torch.int32) else "float64"}

def R(shape):
    n = 1
    for s in shape: n *= s
    return torch.cos(torch.arange(n, dtype=torch.float64) * 0.7 + 0.3).reshape(shape)

def outs(o):
    if isinstance(o, torch.Tensor): return [o]
    r = []
    for x in o: r.extend(outs(x))
    return r

def fn(name, f, inputs, opts=None, tsname=None, grad=True):
    """inputs: tensors (float inputs get grads)."""
    ins = [x.clone().requires_grad_(grad and x.is_floating_point()) for x in inputs]
    c = {"kind": "fn", "name": name, "op": tsname or name, "opts": opts or {},
         "inputs": [t2j(x) for x in ins]}
    try:
        o = outs(f(*ins))
    except Exception as e:
        c["error"] = str(e)[:200]; cases.append(c); return
    c["outputs"] = [t2j(x) for x in o]
    fo = [x for x in o if x.is_floating_point() and x.requires_grad]
    if fo:
        s = sum((x * R(x.shape)).sum() for x in fo)
        s.backward()
        c["grads"] = [t2j(x.grad) if x.grad is not None else None for x in ins]
    cases.append(c)

def mod(name, m, tscls, tsargs, inputs, train=True, steps=1, ts_inputs_int=()):
    m.train(train)
    c = {"kind": "module", "name": name, "cls": tscls, "args": tsargs, "train": train,
         "steps": steps, "state": {k: t2j(v) for k, v in m.state_dict().items()},
         "keys": list(m.state_dict().keys()), "repr": repr(m)}
    ins = [x.clone().requires_grad_(x.is_floating_point()) for x in inputs]
    c["inputs"] = [t2j(x) for x in ins]
    try:
        for _ in range(steps - 1):
            with torch.no_grad(): m(*[x.detach() for x in ins])
        o = outs(m(*ins))
    except Exception as e:
        c["error"] = str(e)[:200]; cases.append(c); return
    c["outputs"] = [t2j(x) for x in o]
    fo = [x for x in o if x.is_floating_point() and x.requires_grad]
    if fo:
        sum((x * R(x.shape)).sum() for x in fo).backward()
        c["grads"] = [t2j(x.grad) if x.grad is not None else None for x in ins]
        c["pgrads"] = {k: t2j(p.grad) for k, p in m.named_parameters() if p.grad is not None}
    c["after"] = {k: t2j(v) for k, v in m.state_dict().items()}
    cases.append(c)

rn = lambda *s: torch.randn(*s)

# ---------------- conv ----------------
modes = ["zeros", "reflect", "replicate", "circular"]
for i in range(12):
    g = random.choice([1, 1, 2, 3])
    cin = g * random.randint(1, 2); cout = g * random.randint(1, 3)
    k = (random.randint(1, 3), random.randint(1, 4))
    st = (random.randint(1, 3), random.randint(1, 2))
    dl = (random.randint(1, 2), random.randint(1, 3))
    pm = random.choice(modes)
    pad = random.choice([0, 1, (1, 2), "valid", "same"])
    if pad == "same": st = (1, 1)
    H, W = random.randint(5, 9), random.randint(5, 10)
    bias = random.random() < 0.7
    try:
        m = nn.Conv2d(cin, cout, k, stride=st, padding=pad, dilation=dl, groups=g, bias=bias, padding_mode=pm)
    except Exception as e:
        continue
    mod(f"conv2d_{i}", m, "Conv2d", [cin, cout, list(k), {"stride": list(st), "padding": list(pad) if isinstance(pad, tuple) else pad, "dilation": list(dl), "groups": g, "bias": bias, "paddingMode": pm}], [rn(2, cin, H, W)])
for i in range(6):
    g = random.choice([1, 2]); cin = g * 2; cout = g * random.randint(1, 2)
    k = random.randint(1, 4); st = random.randint(1, 3); dl = random.randint(1, 2)
    pm = random.choice(modes); pad = random.choice([0, 1, 2, "same", "valid"])
    if pad == "same": st = 1
    L = random.randint(6, 11)
    try: m = nn.Conv1d(cin, cout, k, stride=st, padding=pad, dilation=dl, groups=g, padding_mode=pm)
    except Exception: continue
    mod(f"conv1d_{i}", m, "Conv1d", [cin, cout, k, {"stride": st, "padding": pad, "dilation": dl, "groups": g, "paddingMode": pm}], [rn(2, cin, L)])
for i in range(0):
    g = random.choice([1, 2]); cin = g * 2; cout = g * random.randint(1, 2)
    k = (random.randint(1, 3), random.randint(2, 3)); st = (random.randint(1, 3), random.randint(1, 2)); dl = (random.randint(1, 2), 1)
    pad = (random.randint(0, 1), random.randint(0, 1))
    op = (random.randint(0, max(0, max(st[0], dl[0]) - 1)), random.randint(0, max(0, max(st[1], dl[1]) - 1)))
    m = nn.ConvTranspose2d(cin, cout, k, stride=st, padding=pad, output_padding=op, groups=g, dilation=dl, bias=random.random() < .5)
    mod(f"convT2d_{i}", m, "ConvTranspose2d", [cin, cout, list(k), {"stride": list(st), "padding": list(pad), "outputPadding": list(op), "groups": g, "dilation": list(dl), "bias": m.bias is not None}], [rn(2, cin, 4, 5)])
# unbatched conv
m = nn.Conv2d(2, 3, 2); mod("conv2d_unbatched", m, "Conv2d", [2, 3, 2], [rn(2, 5, 5)])
m = nn.Conv1d(2, 3, 2); mod("conv1d_unbatched", m, "Conv1d", [2, 3, 2], [rn(2, 5)])

# ---------------- pooling ----------------
for i in range(12):
    k = (random.randint(1, 4), random.randint(1, 4))
    st = random.choice([None, (random.randint(1, 3), random.randint(1, 3))])
    pad = (random.randint(0, k[0] // 2), random.randint(0, k[1] // 2))
    dl = (random.randint(1, 2), random.randint(1, 2))
    ceil = random.random() < 0.5
    H, W = random.randint(4, 9), random.randint(4, 9)
    m = nn.MaxPool2d(k, stride=st, padding=pad, dilation=dl, ceil_mode=ceil, return_indices=True)
    mod(f"maxpool_{i}", m, "MaxPool2d", [list(k), {"stride": list(st) if st else None, "padding": list(pad), "dilation": list(dl), "ceilMode": ceil, "returnIndices": True}], [rn(2, 2, H, W)])
for i in range(12):
    k = (random.randint(1, 4), random.randint(1, 4))
    st = random.choice([None, (random.randint(1, 3), random.randint(1, 3))])
    pad = (random.randint(0, k[0] // 2), random.randint(0, k[1] // 2))
    ceil = random.random() < 0.5; cip = random.random() < 0.5
    do = random.choice([None, None, random.randint(1, 5)])
    H, W = random.randint(4, 9), random.randint(4, 9)
    m = nn.AvgPool2d(k, stride=st, padding=pad, ceil_mode=ceil, count_include_pad=cip, divisor_override=do)
    mod(f"avgpool_{i}", m, "AvgPool2d", [list(k), {"stride": list(st) if st else None, "padding": list(pad), "ceilMode": ceil, "countIncludePad": cip, "divisorOverride": do}], [rn(2, 2, H, W)])
for i, (osz, hw) in enumerate([((3, 2), (7, 5)), ((5, 4), (3, 3)), ((None, 2), (4, 7)), (1, (5, 6)), ((4, 4), (9, 7))]):
    mod(f"adaptavg_{i}", nn.AdaptiveAvgPool2d(osz), "AdaptiveAvgPool2d", [list(osz) if isinstance(osz, tuple) else osz], [rn(2, 3, *hw)])
    mod(f"adaptmax_{i}", nn.AdaptiveMaxPool2d(osz, return_indices=True), "AdaptiveMaxPool2d", [list(osz) if isinstance(osz, tuple) else osz, {"returnIndices": True}], [rn(2, 3, *hw)])

# ---------------- norms ----------------
for i, (mom, track, aff, train, steps, shape) in enumerate([
        (None, True, True, True, 3, (4, 3)), (None, True, False, True, 2, (4, 3, 5)),
        (0.3, False, True, True, 2, (4, 3)), (0.1, False, False, False, 1, (4, 3, 2)),
        (0.1, True, True, False, 1, (4, 3)), (None, True, True, False, 1, (4, 3, 2)),
        (0.0, True, True, True, 2, (5, 3)), (1.0, True, True, True, 2, (5, 3)),
        (0.1, True, True, True, 1, (1, 3, 4))]):
    cls = nn.BatchNorm1d
    m = cls(3, momentum=mom, track_running_stats=track, affine=aff)
    if aff:
        with torch.no_grad(): m.weight.copy_(rn(3)); m.bias.copy_(rn(3))
    if track:
        with torch.no_grad(): m.running_mean.copy_(rn(3)); m.running_var.copy_(torch.rand(3) + 0.5)
    mod(f"bn1d_{i}", m, "BatchNorm1d", [3, {"momentum": mom, "trackRunningStats": track, "affine": aff}], [rn(*shape)], train=train, steps=steps)
for i, (mom, track, aff, train, steps) in enumerate([(None, True, True, True, 3), (0.2, False, True, False, 1), (0.1, True, False, True, 2)]):
    m = nn.BatchNorm2d(3, momentum=mom, track_running_stats=track, affine=aff, eps=1e-3)
    mod(f"bn2d_{i}", m, "BatchNorm2d", [3, {"momentum": mom, "trackRunningStats": track, "affine": aff, "eps": 1e-3}], [rn(2, 3, 2, 3)], train=train, steps=steps)
# Training on one value per channel is an error in PyTorch.
m = nn.BatchNorm1d(3); mod("bn1d_batch1_err", m, "BatchNorm1d", [3], [rn(1, 3)])
for i, (ns, ea, shape) in enumerate([([4], False, (2, 3, 4)), ([3, 4], True, (2, 3, 4)), ([2, 3, 4], True, (2, 3, 4)), ([5], True, (5,))]):
    m = nn.LayerNorm(ns, elementwise_affine=ea, eps=1e-4)
    if ea:
        with torch.no_grad(): m.weight.copy_(rn(*ns)); m.bias.copy_(rn(*ns))
    mod(f"ln_{i}", m, "LayerNorm", [ns, {"elementwiseAffine": ea, "eps": 1e-4}], [rn(*shape)])
# ---------------- embedding ----------------
idx = torch.tensor([[1, 2, 4], [4, 3, 0]])
m = nn.Embedding(5, 3, padding_idx=-1); mod("emb_padneg", m, "Embedding", [5, 3, {"paddingIdx": -1}], [idx])
m = nn.Embedding(5, 3, max_norm=1.0); mod("emb_maxnorm", m, "Embedding", [5, 3, {"maxNorm": 1.0}], [idx])
m = nn.Embedding(5, 3, max_norm=0.5, norm_type=1.0); mod("emb_maxnorm_l1", m, "Embedding", [5, 3, {"maxNorm": 0.5, "normType": 1.0}], [idx])
w = rn(5, 3)
fn("f_embedding_maxnorm", lambda i, w: F.embedding(i, w, max_norm=1.2), [idx, w], {"maxNorm": 1.2}, "embedding")
fn("f_embedding_pad", lambda i, w: F.embedding(i, w, padding_idx=4), [idx, w], {"paddingIdx": 4}, "embedding")
# ---------------- activations modules ----------------
x = rn(3, 4) * 3
fn("f_hardtanh_eq", lambda x: F.hardtanh(x, 0.5, 0.5), [x], {"minVal": 0.5, "maxVal": 0.5}, "hardtanh")
xk = torch.tensor([-0.5, 0.5, 1.0, -1.0, 0.0])
fn("f_hardtanh_edge", lambda x: F.hardtanh(x, -0.5, 1.0), [xk], {"minVal": -0.5, "maxVal": 1.0}, "hardtanh")

# ---------------- losses ----------------
N, C = 5, 4
logits = rn(N, C) * 2
tgt = torch.tensor([0, 3, 1, 3, 2])
tgt_ign = torch.tensor([0, -100, 1, 3, -100])
tgt_ign2 = torch.tensor([0, 2, 1, 3, 2])
w = torch.rand(C) + 0.2
probs = torch.softmax(rn(N, C), 1)
for red in ["mean", "sum", "none"]:
    for ls in [0.0, 0.2]:
        for wt in [None, w]:
            o = {"reduction": red, "labelSmoothing": ls}
            if wt is not None: o["weight"] = "W"
            fn(f"ce_idx_ign_{red}_{ls}_{wt is not None}", lambda x, t, W=wt, red=red, ls=ls: F.cross_entropy(x, t, weight=W, reduction=red, label_smoothing=ls), [logits, tgt_ign], {**o, "W": t2j(w)}, "crossEntropy")
            fn(f"ce_idx_ign2_{red}_{ls}_{wt is not None}", lambda x, t, W=wt, red=red, ls=ls: F.cross_entropy(x, t, weight=W, reduction=red, label_smoothing=ls, ignore_index=2), [logits, tgt_ign2], {**o, "ignoreIndex": 2, "W": t2j(w)}, "crossEntropy")
            fn(f"ce_prob_{red}_{ls}_{wt is not None}", lambda x, t, W=wt, red=red, ls=ls: F.cross_entropy(x, t, weight=W, reduction=red, label_smoothing=ls), [logits, probs], {**o, "W": t2j(w)}, "crossEntropy")
x4 = rn(2, C, 3, 2); t4 = torch.randint(0, C, (2, 3, 2)); t4[0, 1, 1] = -100
for red in ["mean", "none"]:
    for ls in [0.0, 0.1]:
        fn(f"ce_kdim_{red}_{ls}", lambda x, t, red=red, ls=ls: F.cross_entropy(x, t, weight=w, reduction=red, label_smoothing=ls), [x4, t4], {"reduction": red, "labelSmoothing": ls, "weight": "W", "W": t2j(w)}, "crossEntropy")
fn("ce_kdim_prob", lambda x, t: F.cross_entropy(x, t, label_smoothing=0.3), [x4, torch.softmax(rn(2, C, 3, 2), 1)], {"labelSmoothing": 0.3}, "crossEntropy")
fn("ce_unbatched", lambda x, t: F.cross_entropy(x, t, label_smoothing=0.1), [rn(C), torch.tensor(2)], {"labelSmoothing": 0.1}, "crossEntropy")
fn("ce_unbatched_prob", lambda x, t: F.cross_entropy(x, t), [rn(C), probs[0]], {}, "crossEntropy")
fn("ce_all_ignored", lambda x, t: F.cross_entropy(x, t), [logits, torch.full((N,), -100)], {}, "crossEntropy")
fn("ce_all_ignored_ls", lambda x, t: F.cross_entropy(x, t, label_smoothing=0.1), [logits, torch.full((N,), -100)], {"labelSmoothing": 0.1}, "crossEntropy")
fn("nll_w_ign", lambda x, t: F.nll_loss(x, t, weight=w, ignore_index=1), [torch.log_softmax(logits, 1), tgt], {"weight": "W", "ignoreIndex": 1, "W": t2j(w)}, "nllLoss")
fn("nll_kdim_none", lambda x, t: F.nll_loss(x, t, weight=w, reduction="none"), [x4, t4], {"weight": "W", "reduction": "none", "W": t2j(w)}, "nllLoss")
p01 = torch.sigmoid(rn(N, C)); y01 = (torch.rand(N, C) > 0.5).double()
yb = torch.rand(N, C)
fn("bce_wbcast", lambda x, t: F.binary_cross_entropy(x, t, weight=w), [p01, yb], {"weight": "W", "W": t2j(w)}, "binaryCrossEntropy")
fn("bce_edge", lambda x, t: F.binary_cross_entropy(x, t, reduction="none"), [torch.tensor([0.0, 1.0, 0.0, 1.0, 0.5]), torch.tensor([0.0, 1.0, 1.0, 0.0, 0.3])], {"reduction": "none"}, "binaryCrossEntropy")
fn("bcel_posw_bcast", lambda x, t: F.binary_cross_entropy_with_logits(x, t, pos_weight=w, weight=w[:1]), [logits, yb], {"posWeight": "W", "weight": "W1", "W": t2j(w), "W1": t2j(w[:1])}, "binaryCrossEntropyWithLogits")
fn("bcel_posw_3d", lambda x, t: F.binary_cross_entropy_with_logits(x, t, pos_weight=torch.tensor([[2.0], [0.5], [1.5]]), reduction="sum"), [rn(2, 3, 4), torch.rand(2, 3, 4)], {"posWeight": "W", "reduction": "sum", "W": t2j(torch.tensor([[2.0], [0.5], [1.5]]))}, "binaryCrossEntropyWithLogits")
wr = torch.rand(N, 1)
fn("bcel_wrow", lambda x, t: F.binary_cross_entropy_with_logits(x, t, weight=wr), [logits, yb], {"weight": "W", "W": t2j(wr)}, "binaryCrossEntropyWithLogits")
fn("bce_wrow_mean", lambda x, t: F.binary_cross_entropy(x, t, weight=wr), [p01, yb], {"weight": "W", "W": t2j(wr)}, "binaryCrossEntropy")
fn("bce_edge_sum", lambda x, t: F.binary_cross_entropy(x, t, reduction="sum"), [torch.tensor([0.0, 1.0, 0.5, 0.2]), torch.tensor([0.0, 1.0, 0.3, 0.2])], {"reduction": "sum"}, "binaryCrossEntropy")
fn("bcel_zero_nopw", lambda x, t: F.binary_cross_entropy_with_logits(x, t, reduction="none"), [torch.tensor([0.0, 0.0, -30.0, 30.0]), torch.tensor([0.0, 1.0, 0.5, 0.5])], {"reduction": "none"}, "binaryCrossEntropyWithLogits")
fn("nll_all_ignored", lambda x, t: F.nll_loss(x, t), [logits, torch.full((N,), -100)], {}, "nllLoss")
fn("nll_all_ignored_w", lambda x, t: F.nll_loss(x, t, weight=w), [logits, torch.full((N,), -100)], {"weight": "W", "W": t2j(w)}, "nllLoss")
fn("ce_all_ignored_w", lambda x, t: F.cross_entropy(x, t, weight=w), [logits, torch.full((N,), -100)], {"weight": "W", "W": t2j(w)}, "crossEntropy")
fn("ce_kdim_all_ignored", lambda x, t: F.cross_entropy(x, t), [x4, torch.full((2, 3, 2), -100)], {}, "crossEntropy")
fn("f_hardtanh_inv", lambda x: F.hardtanh(x, 1.0, 0.5), [xk], {"minVal": 1.0, "maxVal": 0.5}, "hardtanh")
fn("bcel_big", lambda x, t: F.binary_cross_entropy_with_logits(x, t, pos_weight=torch.tensor([3.0]), reduction="none"), [torch.tensor([-200.0, 200.0, 0.0, 50.0]), torch.tensor([1.0, 0.0, 0.5, 1.0])], {"posWeight": "W", "reduction": "none", "W": t2j(torch.tensor([3.0]))}, "binaryCrossEntropyWithLogits")
with open(OUT, "w") as f:
    json.dump({"cases": cases}, f)
print(f"{len(cases)} cases -> {os.path.relpath(OUT)}")

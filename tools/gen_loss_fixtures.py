#!/usr/bin/python3
"""Writes the PyTorch 1.13 reference values for tests/loss_fixtures.test.ts.

Run with the Debian PyTorch interpreter:  /usr/bin/python3 tools/gen_loss_fixtures.py
Output: tests/fixtures/loss/cases.json — one entry per (loss, options, inputs) with the
forward value and the gradient of sum(output) with respect to the input.
"""
import json
import os

import torch
import torch.nn.functional as F

from fixture_common import enc

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "loss")
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(0)
cases = []


def add(name, fn, opts, inp, target, weight=None, pos_weight=None, grad=True):
    """Runs torch's loss and records inputs, options, output and input gradient."""
    x = inp.clone().requires_grad_(True)
    kw = dict(opts)
    if weight is not None:
        kw["weight"] = weight
    if pos_weight is not None:
        kw["pos_weight"] = pos_weight
    out = fn(x, target, **kw)
    case = {
        "name": name,
        "fn": fn.__name__,
        "opts": {k: v for k, v in opts.items()},
        "input": enc(inp),
        "target": enc(target),
        "out": enc(out),
    }
    if weight is not None:
        case["weight"] = enc(weight)
    if pos_weight is not None:
        case["posWeight"] = enc(pos_weight)
    if grad:
        out.sum().backward()
        case["grad"] = enc(x.grad)
    cases.append(case)


D = torch.float64
REDS = ["mean", "sum", "none"]

# ---- regression ----
x = torch.randn(4, 5, dtype=D) * 2
y = torch.randn(4, 5, dtype=D) * 2
for r in REDS:
    add(f"mse {r}", F.mse_loss, {"reduction": r}, x, y)
    add(f"l1 {r}", F.l1_loss, {"reduction": r}, x, y)
    for beta in (1.0, 0.5, 0.0):
        add(f"smooth_l1 beta={beta} {r}", F.smooth_l1_loss, {"reduction": r, "beta": beta}, x, y)
    for delta in (1.0, 2.5):
        add(f"huber delta={delta} {r}", F.huber_loss, {"reduction": r, "delta": delta}, x, y)
add("mse float32", F.mse_loss, {}, x.float(), y.float())

# ---- nll / cross entropy with class indices ----
N, C = 6, 4
logits = torch.randn(N, C, dtype=D) * 3
t = torch.randint(0, C, (N,))
t_ign = t.clone()
t_ign[1] = -100
t_ign[4] = -100
t_ign1 = t.clone()
t_ign1[0] = 2
w = torch.rand(C, dtype=D) + 0.5
logp = F.log_softmax(logits, 1)
for r in REDS:
    add(f"nll {r}", F.nll_loss, {"reduction": r}, logp, t)
    add(f"nll weight {r}", F.nll_loss, {"reduction": r}, logp, t, weight=w)
    add(f"nll weight ignore {r}", F.nll_loss, {"reduction": r}, logp, t_ign, weight=w)
    add(f"ce {r}", F.cross_entropy, {"reduction": r}, logits, t)
    add(f"ce weight {r}", F.cross_entropy, {"reduction": r}, logits, t, weight=w)
    add(f"ce ignore {r}", F.cross_entropy, {"reduction": r}, logits, t_ign)
    add(f"ce ignore_index=2 weight {r}", F.cross_entropy, {"reduction": r, "ignore_index": 2},
        logits, t_ign1, weight=w)
    add(f"ce smoothing {r}", F.cross_entropy, {"reduction": r, "label_smoothing": 0.1}, logits, t)
    add(f"ce smoothing ignore {r}", F.cross_entropy, {"reduction": r, "label_smoothing": 0.2},
        logits, t_ign)
    add(f"ce smoothing weight ignore {r}", F.cross_entropy,
        {"reduction": r, "label_smoothing": 0.15}, logits, t_ign, weight=w)
# (N, C, d1, d2)
x4 = torch.randn(2, 3, 2, 3, dtype=D)
t4 = torch.randint(0, 3, (2, 2, 3))
t4[0, 1, 2] = -100
w3 = torch.tensor([0.2, 1.0, 2.0], dtype=D)
for r in REDS:
    add(f"ce 4d {r}", F.cross_entropy, {"reduction": r}, x4, t4)
    add(f"ce 4d weight smoothing {r}", F.cross_entropy, {"reduction": r, "label_smoothing": 0.1},
        x4, t4, weight=w3)
    add(f"nll 4d weight {r}", F.nll_loss, {"reduction": r}, F.log_softmax(x4, 1), t4, weight=w3)
# unbatched (C,)
xu = torch.randn(5, dtype=D)
tu = torch.tensor(3)
add("ce unbatched", F.cross_entropy, {}, xu, tu)
add("ce unbatched weight", F.cross_entropy, {}, xu, tu, weight=torch.rand(5, dtype=D) + 0.1)
add("ce unbatched smoothing", F.cross_entropy, {"label_smoothing": 0.3}, xu, tu)
# probability targets
pt = torch.softmax(torch.randn(N, C, dtype=D), 1)
for r in REDS:
    add(f"ce probs {r}", F.cross_entropy, {"reduction": r}, logits, pt)
    add(f"ce probs weight smoothing {r}", F.cross_entropy,
        {"reduction": r, "label_smoothing": 0.1}, logits, pt, weight=w)
# huge logits stay finite
big = torch.tensor([[1e4, -1e4, 0.0], [-1e4, 1e4, 5.0]], dtype=torch.float32)
add("ce logits 1e4 float32", F.cross_entropy, {}, big, torch.tensor([1, 0]))
add("ce logits 1e4 smoothing", F.cross_entropy, {"label_smoothing": 0.1}, big, torch.tensor([0, 2]))

# ---- binary ----
p = torch.rand(3, 4, dtype=D) * 0.98 + 0.01
yb = (torch.rand(3, 4, dtype=D) > 0.5).to(D)
wb = torch.rand(3, 4, dtype=D) + 0.5
for r in REDS:
    add(f"bce {r}", F.binary_cross_entropy, {"reduction": r}, p, yb)
    add(f"bce weight {r}", F.binary_cross_entropy, {"reduction": r}, p, yb, weight=wb)
add("bce soft target", F.binary_cross_entropy, {}, p, torch.rand(3, 4, dtype=D))
add("bce exact 0 and 1 (log clamped)", F.binary_cross_entropy, {"reduction": "none"},
    torch.tensor([0.0, 1.0, 0.0, 1.0], dtype=D), torch.tensor([1.0, 0.0, 0.0, 1.0], dtype=D),
    grad=False)
z = torch.randn(3, 4, dtype=D) * 3
pw = torch.tensor([0.5, 1.0, 2.0, 3.0], dtype=D)
for r in REDS:
    add(f"bce logits {r}", F.binary_cross_entropy_with_logits, {"reduction": r}, z, yb)
    add(f"bce logits weight pos_weight {r}", F.binary_cross_entropy_with_logits,
        {"reduction": r}, z, yb, weight=wb, pos_weight=pw)
zb = torch.tensor([[1e4, -1e4, 30.0, -30.0]], dtype=torch.float32)
add("bce logits 1e4 float32", F.binary_cross_entropy_with_logits, {"reduction": "none"}, zb,
    torch.tensor([[0.0, 1.0, 0.0, 1.0]]))
add("bce logits 1e4 pos_weight", F.binary_cross_entropy_with_logits, {}, zb,
    torch.tensor([[1.0, 1.0, 0.0, 0.0]]), pos_weight=torch.tensor([2.0, 2.0, 2.0, 2.0]))

with open(os.path.join(OUT, "cases.json"), "w") as f:
    json.dump({"generator": "tools/gen_loss_fixtures.py", "torch": torch.__version__,
               "cases": cases}, f)
print(f"wrote {len(cases)} cases")

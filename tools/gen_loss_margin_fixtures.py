#!/usr/bin/python3
"""Writes the PyTorch 1.13 reference values for tests/loss_margin_extra.test.ts:
triplet_margin_loss, multi_margin_loss, multilabel_soft_margin_loss and multilabel_margin_loss.

Run with the Debian PyTorch interpreter:  /usr/bin/python3 tools/gen_loss_margin_fixtures.py
Output: tests/fixtures/loss/margin_extra_cases.json: one entry per (loss, options, inputs) with
the forward value and the gradient of sum(output) with respect to every differentiable argument.
A `weight` tensor travels as the last argument (the test passes it as the `weight` option).
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


def add(name, fn, opts, args, diff, weight=None):
    """Runs torch's loss on args (plus `weight=` when given, recorded as a last arg); records
    options, output and the gradients of the args whose indices are in `diff`."""
    allargs = list(args) + ([weight] if weight is not None else [])
    xs = [a.clone().requires_grad_(i in diff) for i, a in enumerate(allargs)]
    kw = dict(opts)
    if weight is not None:
        kw["weight"] = xs[-1]
    out = fn(*xs[:len(args)], **kw)
    out.sum().backward()
    cases.append({
        "name": name,
        "fn": fn.__name__,
        "opts": opts,
        "args": [enc(a) for a in allargs],
        "out": enc(out),
        "grads": [enc(x.grad) if x.grad is not None else None for x in xs],
    })


D = torch.float64
REDS = ["mean", "sum", "none"]

# ---- triplet_margin_loss ----
a, p, n = (torch.randn(5, 4, dtype=D) for _ in range(3))
for r in REDS:
    add(f"triplet {r}", F.triplet_margin_loss, {"reduction": r}, (a, p, n), (0, 1, 2))
    add(f"triplet swap {r}", F.triplet_margin_loss, {"reduction": r, "swap": True}, (a, p, n),
        (0, 1, 2))
    add(f"triplet p=1 margin=0.5 {r}", F.triplet_margin_loss,
        {"reduction": r, "p": 1.0, "margin": 0.5}, (a, p, n), (0, 1, 2))
    add(f"triplet p=3 eps=1e-3 margin=2 swap {r}", F.triplet_margin_loss,
        {"reduction": r, "p": 3.0, "eps": 1e-3, "margin": 2.0, "swap": True}, (a, p, n), (0, 1, 2))
    add(f"triplet unbatched {r}", F.triplet_margin_loss, {"reduction": r, "margin": 3.0},
        (a[0], p[0], n[0]), (0, 1, 2))
add("triplet float32", F.triplet_margin_loss, {"margin": 2.0}, (a.float(), p.float(), n.float()),
    (0, 1, 2))

# ---- multi_margin_loss ----
x = torch.randn(4, 5, dtype=D)
y = torch.tensor([0, 3, 4, 3])
w = torch.rand(5, dtype=D) + 0.5
for r in REDS:
    add(f"multi_margin {r}", F.multi_margin_loss, {"reduction": r}, (x, y), (0,))
    add(f"multi_margin p=2 {r}", F.multi_margin_loss, {"reduction": r, "p": 2}, (x, y), (0,))
    add(f"multi_margin margin=0.4 {r}", F.multi_margin_loss, {"reduction": r, "margin": 0.4},
        (x, y), (0,))
    add(f"multi_margin weight {r}", F.multi_margin_loss, {"reduction": r}, (x, y), (0,), weight=w)
    add(f"multi_margin weight p=2 margin=2 {r}", F.multi_margin_loss,
        {"reduction": r, "p": 2, "margin": 2.0}, (x, y), (0,), weight=w)
    add(f"multi_margin unbatched {r}", F.multi_margin_loss, {"reduction": r}, (x[1], y[1]), (0,))
add("multi_margin float32", F.multi_margin_loss, {"p": 2}, (x.float(), y), (0,))

# ---- multilabel_soft_margin_loss ----
xs = torch.randn(4, 5, dtype=D) * 2
ys = (torch.rand(4, 5, dtype=D) > 0.5).to(D)
for r in REDS:
    add(f"multilabel_soft_margin {r}", F.multilabel_soft_margin_loss, {"reduction": r},
        (xs, ys), (0, 1))
    add(f"multilabel_soft_margin weight {r}", F.multilabel_soft_margin_loss, {"reduction": r},
        (xs, ys), (0, 1, 2), weight=w)
    add(f"multilabel_soft_margin unbatched {r}", F.multilabel_soft_margin_loss, {"reduction": r},
        (xs[0], ys[0]), (0,))
add("multilabel_soft_margin soft targets", F.multilabel_soft_margin_loss, {},
    (xs, torch.rand(4, 5, dtype=D)), (0, 1))

# ---- multilabel_margin_loss ----
xm = torch.randn(4, 5, dtype=D)
# Targets end at the first -1; the entries after it are ignored. Row 2 lists every class (no
# loss), row 3 none (no loss).
ym = torch.tensor([[3, 0, -1, 1, 1], [1, -1, 4, 2, 0], [4, 3, 2, 1, 0], [-1, 2, 2, 2, 2]])
for r in REDS:
    add(f"multilabel_margin {r}", F.multilabel_margin_loss, {"reduction": r}, (xm, ym), (0,))
    add(f"multilabel_margin unbatched {r}", F.multilabel_margin_loss, {"reduction": r},
        (xm[0], ym[0]), (0,))
add("multilabel_margin duplicate targets", F.multilabel_margin_loss, {},
    (xm, torch.tensor([[2, 2, -1, 0, 0], [0, 1, 1, -1, 3], [4, -1, 0, 0, 0], [1, 3, 0, 3, -1]])),
    (0,))

with open(os.path.join(OUT, "margin_extra_cases.json"), "w") as f:
    json.dump({"generator": "tools/gen_loss_margin_fixtures.py", "torch": torch.__version__,
               "cases": cases}, f)
print(f"wrote {len(cases)} cases")

#!/usr/bin/python3
"""Writes the PyTorch 1.13 reference values for tests/loss_extra.test.ts: kl_div,
margin_ranking_loss, hinge_embedding_loss, cosine_embedding_loss, soft_margin_loss,
poisson_nll_loss and gaussian_nll_loss.

Run with the Debian PyTorch interpreter:  /usr/bin/python3 tools/gen_loss_extra_fixtures.py
Output: tests/fixtures/loss/extra_cases.json: one entry per (loss, options, inputs) with the
forward value and the gradient of sum(output) with respect to every floating input.
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
CAMEL = {"log_target": "logTarget", "log_input": "logInput"}


def add(name, fn, opts, *args, diff=None):
    """Runs torch's loss on args (tensors); records options, output and the gradients of the
    args in `diff` (default: the inputs, i.e. all but the last arg, which is the target; for
    gaussian_nll_loss input and var)."""
    if diff is None:
        diff = (0, 2) if fn is F.gaussian_nll_loss else tuple(range(len(args) - 1))
    xs = [a.clone().requires_grad_(i in diff) for i, a in enumerate(args)]
    out = fn(*xs, **opts)
    out.sum().backward()
    cases.append({
        "name": name,
        "fn": fn.__name__,
        "opts": {CAMEL.get(k, k): v for k, v in opts.items()},
        "args": [enc(a) for a in args],
        "out": enc(out),
        "grads": [enc(x.grad) if x.grad is not None else None for x in xs],
    })


D = torch.float64
REDS = ["mean", "sum", "none"]

# ---- kl_div ----
N, C = 4, 5
logq = F.log_softmax(torch.randn(N, C, dtype=D), 1)
p = torch.softmax(torch.randn(N, C, dtype=D) * 2, 1)
p0 = p.clone()
p0[0, 1] = 0.0
p0[2, 3] = 0.0
for r in REDS + ["batchmean"]:
    add(f"kl_div {r}", F.kl_div, {"reduction": r}, logq, p)
    add(f"kl_div zero targets {r}", F.kl_div, {"reduction": r}, logq, p0)
    add(f"kl_div log_target {r}", F.kl_div, {"reduction": r, "log_target": True}, logq, p.log())
add("kl_div batchmean 3d", F.kl_div, {"reduction": "batchmean"},
    F.log_softmax(torch.randn(3, 4, 2, dtype=D), 1), torch.softmax(torch.randn(3, 4, 2, dtype=D), 1))
add("kl_div batchmean float32", F.kl_div, {"reduction": "batchmean"}, logq.float(), p.float())

# ---- margin ranking / hinge / cosine / soft margin ----
x1 = torch.randn(6, dtype=D)
x2 = torch.randn(6, dtype=D)
y = torch.tensor([1.0, -1.0, 1.0, 1.0, -1.0, -1.0], dtype=D)
for r in REDS:
    add(f"margin_ranking {r}", F.margin_ranking_loss, {"reduction": r}, x1, x2, y)
    add(f"margin_ranking margin=0.5 {r}", F.margin_ranking_loss, {"reduction": r, "margin": 0.5},
        x1, x2, y)
dist = torch.rand(3, 4, dtype=D) * 2
yh = torch.tensor([[1.0, -1.0, -1.0, 1.0], [-1.0, -1.0, 1.0, 1.0], [1.0, -1.0, 1.0, -1.0]],
                  dtype=D)
for r in REDS:
    add(f"hinge_embedding {r}", F.hinge_embedding_loss, {"reduction": r}, dist, yh)
    add(f"hinge_embedding margin=1.5 {r}", F.hinge_embedding_loss,
        {"reduction": r, "margin": 1.5}, dist, yh)
    add(f"hinge_embedding signed input {r}", F.hinge_embedding_loss, {"reduction": r},
        torch.randn(3, 4, dtype=D), yh)
a = torch.randn(5, 3, dtype=D)
b = torch.randn(5, 3, dtype=D)
yc = torch.tensor([1.0, -1.0, -1.0, 1.0, -1.0], dtype=D)
for r in REDS:
    add(f"cosine_embedding {r}", F.cosine_embedding_loss, {"reduction": r}, a, b, yc)
    add(f"cosine_embedding margin=-0.3 {r}", F.cosine_embedding_loss,
        {"reduction": r, "margin": -0.3}, a, b, yc)
add("cosine_embedding unbatched", F.cosine_embedding_loss, {}, a[0], b[0], torch.tensor(-1.0, dtype=D))
add("cosine_embedding int target", F.cosine_embedding_loss, {"margin": 0.1}, a, b,
    torch.tensor([1, -1, -1, 1, -1]))
s_in = torch.randn(3, 4, dtype=D) * 3
for r in REDS:
    add(f"soft_margin {r}", F.soft_margin_loss, {"reduction": r}, s_in, yh)
add("soft_margin large float32", F.soft_margin_loss, {"reduction": "none"},
    torch.tensor([80.0, -80.0, 0.0, 3.0]), torch.tensor([-1.0, 1.0, 1.0, -1.0]))

# ---- poisson / gaussian NLL ----
log_rate = torch.randn(3, 4, dtype=D)
counts = torch.tensor([[0.0, 1.0, 2.0, 5.0], [3.0, 0.0, 7.0, 1.0], [0.5, 4.0, 2.0, 10.0]],
                      dtype=D)
rate = torch.rand(3, 4, dtype=D) * 3 + 0.1
for r in REDS:
    add(f"poisson_nll {r}", F.poisson_nll_loss, {"reduction": r}, log_rate, counts)
    add(f"poisson_nll full {r}", F.poisson_nll_loss, {"reduction": r, "full": True},
        log_rate, counts)
    add(f"poisson_nll rate full {r}", F.poisson_nll_loss,
        {"reduction": r, "log_input": False, "full": True}, rate, counts)
    add(f"poisson_nll rate eps {r}", F.poisson_nll_loss,
        {"reduction": r, "log_input": False, "eps": 0.1}, rate, counts)
mu = torch.randn(4, 3, dtype=D)
tg = torch.randn(4, 3, dtype=D)
var = torch.rand(4, 3, dtype=D) + 0.2
var_small = var.clone()
var_small[0, 0] = 1e-8
var_small[2, 1] = 0.0
for r in REDS:
    add(f"gaussian_nll {r}", F.gaussian_nll_loss, {"reduction": r}, mu, tg, var)
    add(f"gaussian_nll full {r}", F.gaussian_nll_loss, {"reduction": r, "full": True}, mu, tg, var)
    add(f"gaussian_nll clamped {r}", F.gaussian_nll_loss, {"reduction": r, "eps": 1e-3},
        mu, tg, var_small)
    add(f"gaussian_nll var per row {r}", F.gaussian_nll_loss, {"reduction": r}, mu, tg, var[:, 0])
    add(f"gaussian_nll var (N, 1) {r}", F.gaussian_nll_loss, {"reduction": r}, mu, tg,
        var[:, :1].clone())

with open(os.path.join(OUT, "extra_cases.json"), "w") as f:
    json.dump({"generator": "tools/gen_loss_extra_fixtures.py", "torch": torch.__version__,
               "cases": cases}, f)
print(f"wrote {len(cases)} cases")

#!/usr/bin/python3
"""Writes the PyTorch 1.13 reference values for tests/loss_ctc.test.ts: ctc_loss and
triplet_margin_with_distance_loss.

Run with the Debian PyTorch interpreter:  /usr/bin/python3 tools/gen_loss_ctc_fixtures.py
Output, under tests/fixtures/loss/:
- ctc_cases.json: one entry per (log_probs, targets, lengths, options) with the loss and the
  gradient PyTorch returns for log_probs under the upstream gradient `upstream` (a weight per
  sample for reduction "none", 1 otherwise). NOTE: that gradient is exp(log_probs) - q, not the
  derivative of the loss with respect to log_probs (-q): 1.13 assumes the input came out of
  log_softmax and folds its Jacobian in. The cases with unnormalised log_probs pin that down.
- triplet_distance_cases.json: triplet_margin_with_distance_loss with the default and named
  custom distance functions (the test maps each name to the same function built from
  denotorch ops); the output and the gradients of sum(output).
"""
import json
import os
from functools import partial

import torch
import torch.nn.functional as F

from fixture_common import enc as encode

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "loss")
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(0)
D = torch.float64
REDS = ["mean", "sum", "none"]
# Float32 values as the shortest decimal that reads back the same, which halves the file.
enc = partial(encode, shortest_float32=True)


# ---- ctc_loss ----

ctc = []


def concat(targets, tl):
    """Padded [N, S] targets as the concatenated 1-D form."""
    return torch.cat([targets[n, :l] for n, l in enumerate(tl)])


def add_ctc(name, lp, targets, il, tl, lengths="tensor", **opts):
    """Runs F.ctc_loss; records the loss and log_probs' gradient. `lengths` says how the test
    passes the lengths: "tensor" (int32 tensors) or "array" (number[])."""
    x = lp.clone().requires_grad_(True)
    il_t, tl_t = torch.tensor(il), torch.tensor(tl)
    if lp.dim() == 2:
        il_t, tl_t = il_t.reshape(()), tl_t.reshape(())
    out = F.ctc_loss(x, targets, il_t, tl_t, **opts)
    n = lp.shape[1] if lp.dim() == 3 else 1
    if opts.get("reduction") == "none" and lp.dim() == 3:
        upstream = torch.tensor([0.5 + k for k in range(n)], dtype=lp.dtype)
    else:
        upstream = torch.ones((), dtype=lp.dtype)
    out.backward(upstream)
    ctc.append({
        "name": name,
        "opts": opts,
        "lengths": lengths,
        "logProbs": enc(lp),
        "targets": enc(targets),
        "inputLengths": list(il),
        "targetLengths": list(tl),
        "out": enc(out),
        "upstream": enc(upstream),
        "grad": enc(x.grad),
    })


def logp(T, N, C, dtype=D, scale=1.0):
    return (torch.randn(T, N, C, dtype=D) * scale).log_softmax(2).to(dtype)


# Varying input and target lengths; padding past a target's length holds -1 (never read).
T, N, C = 12, 3, 5
lp = logp(T, N, C)
tg = torch.tensor([[1, 2, 3, 4, -1], [2, 2, -1, -1, -1], [4, 1, 4, -1, -1]])
il, tl = [12, 10, 7], [4, 2, 3]
for r in REDS:
    add_ctc(f"padded {r}", lp, tg, il, tl, reduction=r)
    add_ctc(f"concatenated {r}", lp, concat(tg, tl), il, tl, reduction=r)
    add_ctc(f"padded lengths as arrays {r}", lp, tg, il, tl, lengths="array", reduction=r)
add_ctc("padded wider than the longest target", lp,
        torch.cat([tg, torch.zeros(3, 2, dtype=torch.long)], 1), il, tl)

# Repeated labels need a blank between them: [1, 1, 2, 2] needs 7 frames.
tr = torch.tensor([[1, 1, 2, 2], [3, 3, 3, 0]])
lpr = logp(9, 2, 4)
for r in REDS:
    add_ctc(f"repeated labels {r}", lpr, tr, [9, 7], [4, 3], reduction=r)
add_ctc("repeated labels exactly fitting", lpr, tr, [7, 5], [4, 3], reduction="none")

# Impossible alignments: too few frames for the labels (and their blanks); the second sample
# stays possible so the finite gradient is checked too.
ti = torch.tensor([[1, 1, 1], [2, 3, 1]])
for r in REDS:
    add_ctc(f"impossible {r}", lpr, ti, [4, 8], [3, 3], reduction=r)
    add_ctc(f"impossible zeroInfinity {r}", lpr, ti, [4, 8], [3, 3], reduction=r,
            zero_infinity=True)
add_ctc("impossible concatenated zeroInfinity", lpr, concat(ti, [3, 2]), [3, 9], [3, 2],
        reduction="mean", zero_infinity=True)
add_ctc("possible zeroInfinity", lpr, ti, [9, 8], [3, 3], reduction="sum", zero_infinity=True)

# A zero target length: the loss is -sum log p(blank) over the input frames.
add_ctc("zero target length", lp, tg, il, [4, 0, 3], reduction="none")
add_ctc("zero target length mean", lp, concat(tg, [0, 2, 3]), il, [0, 2, 3])

# Unbatched [T, C]: 1-D targets hold exactly the target length's labels (PyTorch treats them as
# the concatenated form of a batch of one); [1, S] targets are padded.
lpu = logp(10, 1, 6)[:, 0]
tu = torch.tensor([5, 1, 1, 3])
for r in REDS:
    add_ctc(f"unbatched {r}", lpu, tu, [10], [4], reduction=r)
add_ctc("unbatched shorter lengths", lpu, tu[:3], [8], [3], lengths="array", reduction="none")
add_ctc("unbatched padded [1, S] targets", lpu, torch.tensor([[5, 1, 1, 3, -1]]), [9], [4],
        reduction="none")

# Blank not 0.
lpb = logp(8, 3, 5)
tb = torch.tensor([[0, 1, 3], [3, 3, 2], [1, 0, 0]])
for r in REDS:
    add_ctc(f"blank 4 {r}", lpb, tb, [8, 8, 6], [3, 3, 2], reduction=r, blank=4)
add_ctc("blank 2", lpb, torch.tensor([[0, 1, 3], [3, 3, 4], [1, 4, 0]]), [8, 7, 6], [3, 3, 2],
        reduction="none", blank=2)

# Unnormalised log_probs: PyTorch's gradient is exp(lp) - q, whatever exp(lp) sums to.
lpn = torch.randn(7, 2, 4, dtype=D)
add_ctc("unnormalised log_probs", lpn, torch.tensor([[1, 2], [3, 3]]), [7, 6], [2, 2],
        reduction="none")
add_ctc("unnormalised log_probs mean", lpn, torch.tensor([[1, 2], [3, 3]]), [7, 6], [2, 2])

# float32, long sequences (T=50, C=20, S=10 as in PyTorch's docstring example; N=4 keeps the
# file small; the test runs N=16 for webgpu-vs-cpu parity).
g = torch.Generator().manual_seed(1)
lpf = torch.randn(50, 4, 20, generator=g).log_softmax(2)
tf = torch.randint(1, 20, (4, 10), generator=g)
add_ctc("float32 T=50 N=4 C=20 S=10", lpf, tf, [50, 47, 41, 50], [10, 7, 10, 4],
        reduction="none")

for c in ctc:
    # JSON wants camelCase options for the test (blank, reduction, zeroInfinity).
    o = c["opts"]
    if "zero_infinity" in o:
        o["zeroInfinity"] = o.pop("zero_infinity")

with open(os.path.join(OUT, "ctc_cases.json"), "w") as f:
    json.dump({"generator": "tools/gen_loss_ctc_fixtures.py", "torch": torch.__version__,
               "cases": ctc}, f)

# ---- triplet_margin_with_distance_loss ----

triplet = []
DISTANCES = {
    "pairwise": None,  # the default: F.pairwise_distance
    "cosine": lambda x, y: 1.0 - F.cosine_similarity(x, y),
    "l1": lambda x, y: (x - y).abs().sum(-1),
    "squared": lambda x, y: (x - y).pow(2).sum(-1),
}


def add_triplet(name, args, distance, **opts):
    xs = [a.clone().requires_grad_(True) for a in args]
    fn = DISTANCES[distance]
    kw = dict(opts)
    if fn is not None:
        kw["distance_function"] = fn
    out = F.triplet_margin_with_distance_loss(*xs, **kw)
    out.sum().backward()
    triplet.append({
        "name": name,
        "fn": "triplet_margin_with_distance_loss",
        "opts": {**opts, "distance": distance},
        "args": [enc(a) for a in args],
        "out": enc(out),
        "grads": [enc(x.grad) for x in xs],
    })


a, p, n = (torch.randn(6, 4, dtype=D) for _ in range(3))
for r in REDS:
    for dist in DISTANCES:
        add_triplet(f"{dist} {r}", (a, p, n), dist, reduction=r)
        add_triplet(f"{dist} swap margin=0.5 {r}", (a, p, n), dist, reduction=r, swap=True,
                    margin=0.5)
    add_triplet(f"unbatched {r}", (a[0], p[0], n[0]), "pairwise", reduction=r, margin=3.0)
    add_triplet(f"unbatched squared swap {r}", (a[1], p[1], n[1]), "squared", reduction=r,
                swap=True, margin=4.0)
add_triplet("cosine margin=2", (a, p, n), "cosine", margin=2.0)
add_triplet("float32", (a.float(), p.float(), n.float()), "pairwise", margin=2.0, swap=True)

with open(os.path.join(OUT, "triplet_distance_cases.json"), "w") as f:
    json.dump({"generator": "tools/gen_loss_ctc_fixtures.py", "torch": torch.__version__,
               "cases": triplet}, f)
print(f"wrote {len(ctc)} ctc cases and {len(triplet)} triplet cases")

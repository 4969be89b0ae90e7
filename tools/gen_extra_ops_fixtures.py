#!/usr/bin/python3
"""Writes tests/fixtures/core/extra_ops.json: PyTorch 1.13 reference values of the scan,
linear-algebra and shape/index ops added in src/ops/scan.ts, linalg.ts, einsum.ts and
shape_extra.ts.

Run with the Debian PyTorch 1.13 interpreter:  /usr/bin/python3 tools/gen_extra_ops_fixtures.py

The format is that of tools/gen_core_fixtures.py: each case names an op key (implemented in
tests/core_scan.test.ts, core_linalg.test.ts or core_shape_extra.test.ts, by `group`), its
parameters, its inputs (fixed values, optionally seen through a view) and PyTorch's float64
outputs; differentiable cases also store the gradients of  sum_k w[k] * out[k]  (summed over the
floating outputs), w[k] = 0.5 + ((7 * k) % 11) / 10. int64 results are stored as int32, the
stand-in dtype of denotorch.
"""
import json
import os
import random

import torch
import torch.nn.functional as F

from fixture_common import L, apply_pre, numel, values, weighted_grads

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "core")
os.makedirs(OUT, exist_ok=True)
rng = random.Random(4321)


def tup(r):
    return list(r) if isinstance(r, (tuple, list)) else [r]


OPS = {
    # ---- scans ----
    "cumsum": lambda a, p: torch.cumsum(a, p["dim"]),
    "cumprod": lambda a, p: torch.cumprod(a, p["dim"]),
    "cummax": lambda a, p: tuple(torch.cummax(a, p["dim"])),
    "cummin": lambda a, p: tuple(torch.cummin(a, p["dim"])),
    "logcumsumexp": lambda a, p: torch.logcumsumexp(a, p["dim"]),
    # ---- linear algebra ----
    "dot": lambda a, b, p: torch.dot(a, b),
    "vdot": lambda a, b, p: torch.vdot(a, b),
    "mv": lambda a, b, p: torch.mv(a, b),
    "outer": lambda a, b, p: torch.outer(a, b),
    "ger": lambda a, b, p: torch.ger(a, b),
    "addmm": lambda i, a, b, p: torch.addmm(i, a, b, beta=p.get("beta", 1), alpha=p.get("alpha", 1)),
    "addmv": lambda i, a, b, p: torch.addmv(i, a, b, beta=p.get("beta", 1), alpha=p.get("alpha", 1)),
    "addr": lambda i, a, b, p: torch.addr(i, a, b, beta=p.get("beta", 1), alpha=p.get("alpha", 1)),
    "addbmm": lambda i, a, b, p: torch.addbmm(i, a, b, beta=p.get("beta", 1), alpha=p.get("alpha", 1)),
    "baddbmm": lambda i, a, b, p: torch.baddbmm(i, a, b, beta=p.get("beta", 1), alpha=p.get("alpha", 1)),
    "multiDot": lambda *a: torch.linalg.multi_dot(a[:-1]),
    "chainMatmul": lambda *a: torch.chain_matmul(*a[:-1]),
    "einsum": lambda *a: torch.einsum(a[-1]["eq"], *a[:-1]),
    "tensordot": lambda a, b, p: torch.tensordot(a, b, p["dims"]),
    "kron": lambda a, b, p: torch.kron(a, b),
    "trace": lambda a, p: torch.trace(a),
    "tril": lambda a, p: torch.tril(a, p.get("k", 0)),
    "triu": lambda a, p: torch.triu(a, p.get("k", 0)),
    "diag": lambda a, p: torch.diag(a, p.get("k", 0)),
    "diagonal": lambda a, p: torch.diagonal(a, p.get("offset", 0), p.get("d1", 0), p.get("d2", 1)),
    "diagEmbed": lambda a, p: torch.diag_embed(a, p.get("offset", 0), p.get("d1", -2), p.get("d2", -1)),
    "cross": lambda a, b, p: torch.cross(a, b, p.get("dim")),
    "cdist": lambda a, b, p: torch.cdist(a, b, float(p.get("p", 2))),
    "normalize": lambda a, p: F.normalize(a, float(p.get("p", 2)), p.get("dim", 1)),
    "cosineSimilarity": lambda a, b, p: F.cosine_similarity(a, b, p.get("dim", 1)),
    "pairwiseDistance": lambda a, b, p: F.pairwise_distance(a, b, float(p.get("p", 2)), keepdim=p.get("keepdim", False)),
    # ---- shape / index ----
    "roll": lambda a, p: torch.roll(a, p["shifts"], p.get("dims")),
    "tile": lambda a, p: torch.tile(a, p["reps"]),
    "repeatInterleave": lambda a, p: torch.repeat_interleave(
        a, torch.tensor(p["repeats"]) if isinstance(p["repeats"], list) else p["repeats"], p.get("dim")),
    "rot90": lambda a, p: torch.rot90(a, p.get("k", 1), p.get("dims", [0, 1])),
    "flipud": lambda a, p: torch.flipud(a),
    "fliplr": lambda a, p: torch.fliplr(a),
    "movedim": lambda a, p: torch.movedim(a, p["src"], p["dst"]),
    "moveaxis": lambda a, p: torch.moveaxis(a, p["src"], p["dst"]),
    "swapaxes": lambda a, p: torch.swapaxes(a, p["d0"], p["d1"]),
    "atleast1d": lambda a, p: torch.atleast_1d(a),
    "atleast2d": lambda a, p: torch.atleast_2d(a),
    "atleast3d": lambda a, p: torch.atleast_3d(a),
    "meshgrid": lambda *a: tuple(torch.meshgrid(*a[:-1], indexing=a[-1].get("indexing", "ij"))),
    "take": lambda a, i, p: torch.take(a, L(i)),
    "takeAlongDim": lambda a, i, p: torch.take_along_dim(a, L(i), p.get("dim")),
    "nonzero": lambda a, p: torch.nonzero(a),
    "nonzeroTuple": lambda a, p: torch.nonzero(a, as_tuple=True),
    "argwhere": lambda a, p: torch.argwhere(a),
    "countNonzero": lambda a, p: torch.count_nonzero(a, p.get("dim")),
    "tensorSplit": lambda a, p: torch.tensor_split(a, p["s"], p.get("dim", 0)),
    "hsplit": lambda a, p: torch.hsplit(a, p["s"]),
    "vsplit": lambda a, p: torch.vsplit(a, p["s"]),
    "dsplit": lambda a, p: torch.dsplit(a, p["s"]),
    "hstack": lambda *a: torch.hstack(a[:-1]),
    "vstack": lambda *a: torch.vstack(a[:-1]),
    "dstack": lambda *a: torch.dstack(a[:-1]),
    "columnStack": lambda *a: torch.column_stack(a[:-1]),
    "broadcastTo": lambda a, p: torch.broadcast_to(a, p["shape"]),
    "broadcastTensors": lambda *a: tuple(torch.broadcast_tensors(*a[:-1])),
    "diff": lambda a, p: torch.diff(a, p.get("n", 1), p.get("dim", -1)),
    "diffPrependAppend": lambda a, b, c, p: torch.diff(a, p.get("n", 1), p.get("dim", -1), b, c),
}

GROUP = {}
for k in ["cumsum", "cumprod", "cummax", "cummin", "logcumsumexp"]:
    GROUP[k] = "scan"
for k in ["dot", "vdot", "mv", "outer", "ger", "addmm", "addmv", "addr", "addbmm", "baddbmm",
          "multiDot", "chainMatmul", "einsum", "tensordot", "kron", "trace", "tril", "triu", "diag",
          "diagonal", "diagEmbed", "cross", "cdist", "normalize", "cosineSimilarity",
          "pairwiseDistance"]:
    GROUP[k] = "linalg"

CASES = []


def case(op, inputs, params=None, grad=True, pre=None, gradcheck=None):
    """inputs: list of (kind, shape) or (kind, shape, dtype); pre: per-input view transforms."""
    CASES.append({"op": op, "inputs": inputs, "params": params or {}, "grad": grad,
                  "pre": pre or [[] for _ in inputs], "gc": gradcheck})


# ---- scans ----
for op in ["cumsum", "cumprod", "logcumsumexp"]:
    for shape, d in [([3, 4], 0), ([3, 4], 1), ([3, 4], -1), ([2, 3, 4], 1), ([5], 0), ([], 0)]:
        case(op, [("n" if op != "cumprod" else "u", shape)], {"dim": d})
    case(op, [("n", [4, 3])], {"dim": 1}, pre=[[["t", 0, 1]]])
    case(op, [("n", [3, 7])], {"dim": 1}, pre=[[["slice", 1, 0, 7, 2]]])
case("cumsum", [("i:-5:5", [3, 4], "int32")], {"dim": 1}, grad=False)
case("cumsum", [("b", [2, 5], "bool")], {"dim": 1}, grad=False)
case("cumprod", [("i:-3:4", [2, 5], "int32")], {"dim": 1}, grad=False)
# zeros in cumprod: single, repeated, leading, trailing; the gradient is smooth there
Z = [[1.5, 0.0, 2.0, -0.7, 1.2], [0.0, 2.0, 0.0, 1.1, -0.9], [0.8, -1.3, 0.6, 1.7, 0.0],
     [0.0, 0.0, 1.4, 0.5, 2.0]]
case("cumprod", [(Z, [4, 5])], {"dim": 1}, gradcheck=True)
case("cumprod", [(Z, [4, 5])], {"dim": 0}, gradcheck=True)
case("cumprod", [(Z, [5, 4])], {"dim": 0}, pre=[[["t", 0, 1]]], gradcheck=True)
case("cumprod", [([0.0], [1])], {"dim": 0}, gradcheck=True)
for op in ["cummax", "cummin"]:
    for shape, d in [([3, 5], 1), ([4, 3], 0), ([2, 3, 4], -1), ([], 0)]:
        case(op, [("n", shape)], {"dim": d})
    case(op, [("n", [5, 3])], {"dim": 1}, pre=[[["t", 0, 1]]])
    case(op, [([1.0, 3.0, 3.0, 2.0, 3.0, -1.0, -1.0, 4.0], [2, 4])], {"dim": 1})  # ties: latest
    case(op, [([1.0, 3.0, 3.0, 2.0, 3.0, -1.0, -1.0, 4.0], [8])], {"dim": 0})
    case(op, [("i:-4:4", [3, 6], "int32")], {"dim": 1}, grad=False)
case("logcumsumexp", [([-1000.0, 0.0, 1000.0, 5.0, -3.0, 1001.0], [6])], {"dim": 0})
case("logcumsumexp", [([-1000.0, -999.0, 0.5, -2.0], [2, 2])], {"dim": 0})

# ---- linear algebra ----
case("dot", [("n", [5]), ("n", [5])])
case("vdot", [("n", [4]), ("n", [4])])
case("dot", [("n", [10])] * 2, pre=[[["slice", 0, 0, 10, 2]], [["slice", 0, 1, 10, 2]]])
case("mv", [("n", [3, 4]), ("n", [4])])
case("mv", [("n", [4, 3]), ("n", [4])], pre=[[["t", 0, 1]], []])
case("outer", [("n", [3]), ("n", [4])])
case("ger", [("n", [2]), ("n", [3])])
case("addmm", [("n", [2, 4]), ("n", [2, 3]), ("n", [3, 4])])
case("addmm", [("n", [4]), ("n", [2, 3]), ("n", [3, 4])], {"beta": 0.5, "alpha": -2.0})
case("addmm", [("n", [2, 1]), ("n", [3, 2]), ("n", [3, 4])], {"beta": 0.0}, pre=[[], [["t", 0, 1]], []])
case("addmv", [("n", [3]), ("n", [3, 4]), ("n", [4])], {"beta": 2.0, "alpha": 0.5})
case("addr", [("n", [3, 4]), ("n", [3]), ("n", [4])], {"alpha": 1.5})
case("addbmm", [("n", [3, 4]), ("n", [2, 3, 5]), ("n", [2, 5, 4])], {"beta": 0.5})
case("baddbmm", [("n", [2, 3, 4]), ("n", [2, 3, 5]), ("n", [2, 5, 4])], {"alpha": 0.3})
case("baddbmm", [("n", [4]), ("n", [2, 3, 5]), ("n", [2, 5, 4])])
case("multiDot", [("n", [3]), ("n", [3, 4]), ("n", [4, 2]), ("n", [2])])
case("multiDot", [("n", [2, 3]), ("n", [3, 4]), ("n", [4, 5]), ("n", [5, 2])])
case("multiDot", [("n", [6, 2]), ("n", [2, 5]), ("n", [5, 1])])
case("chainMatmul", [("n", [2, 3]), ("n", [3, 4]), ("n", [4, 2])])
EINSUM = [
    ("ij,jk->ik", [[2, 3], [3, 4]]),
    ("ij,jk", [[2, 3], [3, 4]]),
    ("ii->i", [[3, 3]]),
    ("ii", [[4, 4]]),
    ("bij,bjk->bik", [[2, 3, 4], [2, 4, 5]]),
    ("...ij,...jk", [[2, 3, 4], [2, 4, 2]]),
    ("...ij,...jk->...ik", [[2, 1, 3, 4], [3, 4, 2]]),
    ("i,j->ij", [[3], [4]]),
    ("i,i->", [[5], [5]]),
    ("i,i", [[5], [5]]),
    ("ij->ji", [[2, 3]]),
    ("ij->", [[2, 3]]),
    ("ba", [[2, 3]]),
    ("bn,anm,bm->ba", [[2, 3], [4, 3, 5], [2, 5]]),
    ("ij,ij->ij", [[3, 4], [3, 4]]),
    ("iij->j", [[3, 3, 4]]),
    ("...ii->...i", [[2, 3, 3]]),
    ("...ij->ij", [[2, 3, 4]]),
    ("bA,Ab", [[2, 3], [3, 2]]),
    ("ik,jk->ij", [[3, 2], [4, 2]]),
    ("abc,cd,de->abe", [[2, 3, 4], [4, 2], [2, 3]]),
    ("ij,kj->ikj", [[2, 3], [1, 3]]),
]
for eq, shapes in EINSUM:
    case("einsum", [("n", s) for s in shapes], {"eq": eq})
case("einsum", [("n", [4, 3]), ("n", [4, 5])], {"eq": "ij,jk->ik"}, pre=[[["t", 0, 1]], []])
case("tensordot", [("n", [3, 4, 5]), ("n", [4, 5, 2])], {"dims": 2})
case("tensordot", [("n", [3, 4, 5]), ("n", [4, 3, 2])], {"dims": [[1, 0], [0, 1]]})
case("tensordot", [("n", [2, 3]), ("n", [2])], {"dims": 0})
case("kron", [("n", [2, 3]), ("n", [2, 2])])
case("kron", [("n", [3]), ("n", [2, 2])])
case("trace", [("n", [3, 4])])
case("trace", [("i:-5:5", [3, 3], "int32")], grad=False)
for op in ["tril", "triu"]:
    for k in [0, 1, -1, 5]:
        case(op, [("n", [4, 5])], {"k": k})
    case(op, [("n", [2, 3, 3])], {"k": 0})
    case(op, [("n", [5, 4])], {"k": 1}, pre=[[["t", 0, 1]]])
for k in [0, 1, -2]:
    case("diag", [("n", [3])], {"k": k})
    case("diag", [("n", [3, 4])], {"k": k})
case("diagonal", [("n", [3, 4])], {"offset": 1})
case("diagonal", [("n", [2, 3, 4])], {"offset": -1, "d1": 1, "d2": 2})
case("diagonal", [("n", [2, 3, 4])], {"offset": 0, "d1": 2, "d2": 0})
case("diagonal", [("n", [4, 3])], {"offset": 0}, pre=[[["t", 0, 1]]])
case("diagEmbed", [("n", [2, 3])], {})
case("diagEmbed", [("n", [2, 3])], {"offset": 1, "d1": 0, "d2": 2})
case("diagEmbed", [("n", [3])], {"offset": -1})
case("cross", [("n", [4, 3]), ("n", [4, 3])], {"dim": 1})
case("cross", [("n", [3, 2]), ("n", [3, 1])], {})
case("cross", [("n", [2, 3]), ("n", [1, 3])], {"dim": -1})
for p in [2, 1, 3, "inf"]:
    case("cdist", [("n", [3, 4]), ("n", [5, 4])], {"p": p})
case("cdist", [("n", [2, 3, 4]), ("n", [2, 5, 4])], {"p": 2})
case("cdist", [("n", [2, 3, 4]), ("n", [5, 4])], {"p": 1})
case("normalize", [("n", [3, 4])], {})
case("normalize", [("n", [3, 4])], {"p": 1, "dim": 0})
case("normalize", [("n", [2, 3, 4])], {"dim": -1})
case("cosineSimilarity", [("n", [3, 4]), ("n", [3, 4])], {})
case("cosineSimilarity", [("n", [3, 4]), ("n", [4])], {"dim": -1})
case("pairwiseDistance", [("n", [3, 4]), ("n", [3, 4])], {})
case("pairwiseDistance", [("n", [3, 4]), ("n", [3, 4])], {"p": 1, "keepdim": True})
case("pairwiseDistance", [("n", [4]), ("n", [4])], {"p": 3})

# ---- shape / index ----
case("roll", [("n", [3, 4])], {"shifts": 1, "dims": 0})
case("roll", [("n", [3, 4])], {"shifts": [1, -6], "dims": [0, 1]})
case("roll", [("n", [3, 4])], {"shifts": 5})
case("roll", [("n", [4, 3])], {"shifts": 2, "dims": 1}, pre=[[["t", 0, 1]]])
case("tile", [("n", [2, 3])], {"reps": [2]})
case("tile", [("n", [2, 3])], {"reps": [2, 2, 1]})
case("repeatInterleave", [("n", [2, 3])], {"repeats": 2})
case("repeatInterleave", [("n", [2, 3])], {"repeats": 3, "dim": 0})
case("repeatInterleave", [("n", [2, 3])], {"repeats": [2, 0, 1], "dim": 1})
case("repeatInterleave", [("n", [3, 2])], {"repeats": [1, 2, 2], "dim": -1}, pre=[[["t", 0, 1]]])
for k, dims in [(1, [0, 1]), (2, [0, 1]), (3, [0, 1]), (-1, [1, 0]), (0, [0, 1])]:
    case("rot90", [("n", [3, 4])], {"k": k, "dims": dims})
case("rot90", [("n", [2, 3, 4])], {"k": 1, "dims": [1, 2]})
case("flipud", [("n", [3, 4])])
case("fliplr", [("n", [3, 4])])
case("movedim", [("n", [2, 3, 4])], {"src": 0, "dst": 2})
case("movedim", [("n", [2, 3, 4, 5])], {"src": [1, 3], "dst": [0, 1]})
case("moveaxis", [("n", [2, 3, 4])], {"src": -1, "dst": 0})
case("swapaxes", [("n", [2, 3, 4])], {"d0": 0, "d1": 2})
for op in ["atleast1d", "atleast2d", "atleast3d"]:
    for s in [[], [3], [2, 3], [2, 3, 2]]:
        case(op, [("n", s)])
case("meshgrid", [("n", [3]), ("n", [4])], {"indexing": "ij"})
case("meshgrid", [("n", [3]), ("n", [4])], {"indexing": "xy"})
case("meshgrid", [("n", [2]), ("n", [3]), ("n", [2])], {"indexing": "xy"})
case("meshgrid", [("n", [2]), ("n", []), ("n", [3])], {"indexing": "ij"})
case("take", [("n", [3, 4]), ([[0, 5], [-1, 11], [3, 3]], [3, 2], "int32")], gradcheck=True)
case("take", [("n", [4, 3]), ([2, -12, 7], [3], "int32")], pre=[[["t", 0, 1]], []], gradcheck=True)
case("takeAlongDim", [("n", [3, 4]), ("i:0:4", [3, 2], "int32")], {"dim": 1})
case("takeAlongDim", [("n", [3, 4]), ("i:0:3", [2, 1], "int32")], {"dim": 0})
case("takeAlongDim", [("n", [3, 4]), ("i:0:12", [5], "int32")], {})
NZ = [0.0, 1.5, 0.0, -2.0, 0.0, 0.0, 3.0, 0.25, 0.0, -1.0, 0.0, 0.0]
for op in ["nonzero", "nonzeroTuple", "argwhere"]:
    case(op, [(NZ, [3, 4])], grad=False)
    case(op, [(NZ, [2, 3, 2])], grad=False)
    case(op, [(NZ, [12])], grad=False)
case("nonzero", [("i:-1:2", [4, 5], "int32")], grad=False)
case("nonzero", [("b", [3, 3], "bool")], grad=False)
case("nonzero", [([0.0, 0.0], [2])], grad=False)
case("nonzeroTuple", [(NZ, [4, 3])], grad=False, pre=[[["t", 0, 1]]])
case("countNonzero", [(NZ, [3, 4])], {}, grad=False)
case("countNonzero", [(NZ, [3, 4])], {"dim": 0}, grad=False)
case("countNonzero", [(NZ, [2, 3, 2])], {"dim": [0, 2]}, grad=False)
case("tensorSplit", [("n", [7, 2])], {"s": 3})
case("tensorSplit", [("n", [7, 2])], {"s": [1, 5]})
case("tensorSplit", [("n", [2, 7])], {"s": [2, 2, 9], "dim": 1})
case("tensorSplit", [("n", [2, 5])], {"s": 7, "dim": 1})
case("hsplit", [("n", [4, 6])], {"s": 3})
case("hsplit", [("n", [4, 6])], {"s": [1, 4]})
case("hsplit", [("n", [6])], {"s": 2})
case("vsplit", [("n", [6, 2])], {"s": 2})
case("dsplit", [("n", [2, 2, 4])], {"s": [3]})
case("hstack", [("n", [2, 3]), ("n", [2, 2])])
case("hstack", [("n", [3]), ("n", [2]), ("n", [])])
case("vstack", [("n", [3]), ("n", [2, 3])])
case("dstack", [("n", [3]), ("n", [3])])
case("dstack", [("n", [2, 3]), ("n", [2, 3, 2])])
case("columnStack", [("n", [3]), ("n", [3, 2]), ("n", [3])])
case("broadcastTo", [("n", [3, 1])], {"shape": [2, 3, 4]})
case("broadcastTo", [("n", [3, 1])], {"shape": [-1, 2]})
case("broadcastTensors", [("n", [3, 1]), ("n", [4]), ("n", [])])
case("diff", [("n", [3, 5])], {})
case("diff", [("n", [4, 3])], {"n": 2, "dim": 0})
case("diff", [("n", [4])], {"n": 5})
case("diff", [("b", [6], "bool")], {}, grad=False)
case("diff", [("i:-9:9", [2, 5], "int32")], {"dim": 1}, grad=False)
case("diffPrependAppend", [("n", [3, 4]), ("n", [3, 1]), ("n", [3, 2])], {"n": 2, "dim": 1})
case("diffPrependAppend", [("n", [3, 4]), ("n", [2, 4]), ("n", [1, 4])], {"dim": 0})


def encode(t):
    t = t.detach()
    if t.dtype == torch.bool:
        data = [bool(v) for v in t.reshape(-1).tolist()]
        dtype = "bool"
    elif t.dtype in (torch.int32, torch.int64):
        data = t.reshape(-1).tolist()
        dtype = "int32"
    else:
        data = [float("%.15g" % v) for v in t.reshape(-1).tolist()]
        dtype = "float64" if t.dtype == torch.float64 else "float32"
    return {"shape": list(t.shape), "dtype": dtype, "data": data}


out_cases = []
for i, c in enumerate(CASES):
    ins, leaves = [], []
    for spec, pre in zip(c["inputs"], c["pre"]):
        kind, shape = spec[0], spec[1]
        dtype = spec[2] if len(spec) > 2 else "float64"
        data = values(rng, kind, shape)
        tdt = {"float64": torch.float64, "int32": torch.int32, "bool": torch.bool}[dtype]
        leaf = torch.tensor(data, dtype=tdt).reshape(shape)
        if dtype == "float64" and c["grad"]:
            leaf.requires_grad_(True)
        leaves.append((leaf, {"shape": shape, "dtype": dtype, "data": data}))
        ins.append(apply_pre(leaf, pre))
    outs = tup(OPS[c["op"]](*ins, c["params"]))
    gc = c["gc"]
    if gc is None:
        # Explicit input values sit on kinks and ties on purpose: no finite differences there.
        gc = c["grad"] and not any(isinstance(s[0], list) for s in c["inputs"])
    entry = {"id": "%s#%d" % (c["op"], i), "op": c["op"], "group": GROUP.get(c["op"], "shape"),
             "params": c["params"], "inputs": [l[1] for l in leaves], "pre": c["pre"],
             "outputs": [encode(o) for o in outs], "gradcheck": bool(gc and c["grad"])}
    if c["grad"]:
        grads = weighted_grads(outs, [l[0] for l in leaves], encode, tracked_only=True)
        if grads is not None:
            entry["grads"] = grads
    out_cases.append(entry)

with open(os.path.join(OUT, "extra_ops.json"), "w") as f:
    json.dump({"generator": "tools/gen_extra_ops_fixtures.py", "torch": torch.__version__,
               "cases": out_cases}, f, separators=(",", ":"))
print("wrote %d cases" % len(out_cases))

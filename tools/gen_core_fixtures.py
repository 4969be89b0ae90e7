#!/usr/bin/python3
"""Writes tests/fixtures/core/ops.json: reference values of the tensor core ops from PyTorch.

Run with the Debian PyTorch 1.13 interpreter:  /usr/bin/python3 tools/gen_core_fixtures.py

Each case names an op (the same key is implemented in tests/core_fixtures.test.ts), its
parameters, its inputs (fixed values, optionally seen through a view: transposed, sliced with a
step, expanded, permuted) and PyTorch's outputs computed in float64. For differentiable cases it
also stores the gradients of  sum_k w[k] * out[k]  (summed over the outputs) with respect to every
floating input, where w[k] = 0.5 + ((7 * k) % 11) / 10 is computed on both sides.
"""
import json
import os
import random

import torch
import torch.nn.functional as F

from fixture_common import L, apply_pre, numel, values, weighted_grads

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "core")
os.makedirs(OUT, exist_ok=True)
rng = random.Random(1234)


OPS = {
    # binary
    "add": lambda a, b, p: torch.add(a, b, alpha=p.get("alpha", 1)),
    "sub": lambda a, b, p: torch.sub(a, b, alpha=p.get("alpha", 1)),
    "mul": lambda a, b, p: a * b,
    "div": lambda a, b, p: a / b,
    "pow": lambda a, b, p: torch.pow(a, b),
    "maximum": lambda a, b, p: torch.maximum(a, b),
    "minimum": lambda a, b, p: torch.minimum(a, b),
    "where": lambda c, a, b, p: torch.where(c, a, b),
    "add_s": lambda a, p: a + p["s"],
    "rsub_s": lambda a, p: p["s"] - a,
    "mul_s": lambda a, p: a * p["s"],
    "div_s": lambda a, p: a / p["s"],
    "rdiv_s": lambda a, p: p["s"] / a,
    "pow_s": lambda a, p: a ** p["s"],
    "rpow_s": lambda a, p: p["s"] ** a,
    "maximum_s": lambda a, p: torch.maximum(a, torch.tensor(p["s"], dtype=a.dtype)),
    # unary
    "neg": lambda a, p: -a,
    "abs": lambda a, p: a.abs(),
    "exp": lambda a, p: a.exp(),
    "log": lambda a, p: a.log(),
    "sqrt": lambda a, p: a.sqrt(),
    "rsqrt": lambda a, p: a.rsqrt(),
    "sin": lambda a, p: a.sin(),
    "cos": lambda a, p: a.cos(),
    "tanh": lambda a, p: a.tanh(),
    "sigmoid": lambda a, p: a.sigmoid(),
    "relu": lambda a, p: a.relu(),
    "leakyRelu": lambda a, p: F.leaky_relu(a, p.get("slope", 0.01)),
    "gelu": lambda a, p: F.gelu(a, approximate=p.get("approximate", "none")),
    "clamp": lambda a, p: torch.clamp(a, p.get("min"), p.get("max")),
    "sign": lambda a, p: a.sign(),
    "erf": lambda a, p: a.erf(),
    "log1p": lambda a, p: a.log1p(),
    "expm1": lambda a, p: a.expm1(),
    "reciprocal": lambda a, p: a.reciprocal(),
    "floor": lambda a, p: a.floor(),
    "ceil": lambda a, p: a.ceil(),
    "round": lambda a, p: a.round(),
    "square": lambda a, p: a.square(),
    # comparisons
    "eq": lambda a, b, p: a == b,
    "lt": lambda a, b, p: a < b,
    "ge": lambda a, b, p: a >= b,
    # reductions
    "sum": lambda a, p: a.sum() if p.get("dim") is None else a.sum(p["dim"], p.get("keepdim", False)),
    "mean": lambda a, p: a.mean() if p.get("dim") is None else a.mean(p["dim"], p.get("keepdim", False)),
    "prod": lambda a, p: a.prod() if p.get("dim") is None else a.prod(p["dim"], p.get("keepdim", False)),
    "amax": lambda a, p: a.amax(p.get("dim", []), p.get("keepdim", False)),
    "amin": lambda a, p: a.amin(p.get("dim", []), p.get("keepdim", False)),
    "max": lambda a, p: a.max(),
    "min": lambda a, p: a.min(),
    "maxDim": lambda a, p: tuple(a.max(p["dim"], p.get("keepdim", False))),
    "minDim": lambda a, p: tuple(a.min(p["dim"], p.get("keepdim", False))),
    "argmax": lambda a, p: a.argmax(p.get("dim"), p.get("keepdim", False)),
    "argmin": lambda a, p: a.argmin(p.get("dim"), p.get("keepdim", False)),
    "var": lambda a, p: torch.var(a, p.get("dim"), correction=p.get("correction", 1), keepdim=p.get("keepdim", False)),
    "std": lambda a, p: torch.std(a, p.get("dim"), correction=p.get("correction", 1), keepdim=p.get("keepdim", False)),
    "logsumexp": lambda a, p: torch.logsumexp(a, p["dim"], p.get("keepdim", False)),
    "softmax": lambda a, p: torch.softmax(a, p["dim"]),
    "logSoftmax": lambda a, p: torch.log_softmax(a, p["dim"]),
    "norm": lambda a, p: torch.linalg.vector_norm(a, float(p["p"]), p.get("dim"), p.get("keepdim", False)),
    # linear algebra
    "matmul": lambda a, b, p: torch.matmul(a, b),
    "mm": lambda a, b, p: torch.mm(a, b),
    "bmm": lambda a, b, p: torch.bmm(a, b),
    # shape
    "reshape": lambda a, p: a.reshape(p["shape"]),
    "view": lambda a, p: a.view(p["shape"]),
    "flatten": lambda a, p: a.flatten(p.get("start", 0), p.get("end", -1)),
    "unflatten": lambda a, p: a.unflatten(p["dim"], p["sizes"]),
    "squeeze": lambda a, p: a.squeeze() if p.get("dim") is None else a.squeeze(p["dim"]),
    "unsqueeze": lambda a, p: a.unsqueeze(p["dim"]),
    "transpose": lambda a, p: a.transpose(p["d0"], p["d1"]),
    "permute": lambda a, p: a.permute(p["dims"]),
    "expand": lambda a, p: a.expand(p["shape"]),
    "contiguous": lambda a, p: a.contiguous(),
    "slice": lambda a, p: apply_pre(a, [["slice", p["dim"], p.get("start"), p.get("end"), p.get("step", 1)]]),
    "narrow": lambda a, p: a.narrow(p["dim"], p["start"], p["length"]),
    "select": lambda a, p: a.select(p["dim"], p["index"]),
    "cat": lambda *a: torch.cat(a[:-1], a[-1].get("dim", 0)),
    "stack": lambda *a: torch.stack(a[:-1], a[-1].get("dim", 0)),
    "split": lambda a, p: a.split(p["size"], p.get("dim", 0)),
    "chunk": lambda a, p: a.chunk(p["chunks"], p.get("dim", 0)),
    "unbind": lambda a, p: a.unbind(p.get("dim", 0)),
    "gather": lambda a, i, p: torch.gather(a, p["dim"], L(i)),
    "scatter": lambda a, i, s, p: torch.scatter(a, p["dim"], L(i), s),
    "scatterAdd": lambda a, i, s, p: torch.scatter_add(a, p["dim"], L(i), s),
    "indexSelect": lambda a, i, p: torch.index_select(a, p["dim"], L(i)),
    "flip": lambda a, p: a.flip(p["dims"]),
    "repeat": lambda a, p: a.repeat(p["repeats"]),
    "toFloat32": lambda a, p: a.float(),
    "toInt32": lambda a, p: a.int(),
    "toBool": lambda a, p: a.bool(),
    # in-place inside a graph (out-of-place result compared)
    "add_": lambda a, b, p: (a * 1).add_(b, alpha=p.get("alpha", 1)),
    "sub_": lambda a, b, p: (a * 1).sub_(b),
    "mul_": lambda a, b, p: (a * 1).mul_(b),
    "div_": lambda a, b, p: (a * 1).div_(b),
    "copy_": lambda a, b, p: (a * 1).copy_(b),
    "zero_then_add": lambda a, b, p: (a * 1).zero_().add_(b),
}

CASES = []


def case(op, inputs, params=None, grad=True, pre=None):
    """inputs: list of (kind, shape) or (kind, shape, dtype); pre: per-input view transforms."""
    CASES.append({"op": op, "inputs": inputs, "params": params or {}, "grad": grad,
                  "pre": pre or [[] for _ in inputs]})


# ---- binary with broadcasting ----
BIN_SHAPES = [([2, 3], [2, 3]), ([2, 3], [3]), ([2, 1, 4], [3, 1]), ([], [2, 3]), ([4], [])]
for op in ["add", "sub", "mul", "div", "maximum", "minimum"]:
    for sa, sb in BIN_SHAPES:
        case(op, [("n", sa), ("p" if op == "div" else "n", sb)])
case("add", [("n", [2, 3]), ("n", [3])], {"alpha": 2.5})
case("sub", [("n", [2, 3]), ("n", [2, 3])], {"alpha": -0.5})
for sa, sb in [([2, 3], [2, 3]), ([2, 3], [3]), ([3, 1], [1, 4])]:
    case("pow", [("p", sa), ("u", sb)])
case("maximum", [([1.0, 2.0, -3.0, 4.0], [4]), ([1.0, 0.5, -3.0, 5.0], [4])])  # ties split
case("minimum", [([1.0, 2.0, -3.0, 4.0], [4]), ([1.0, 0.5, -3.0, 5.0], [4])])
for sc, sa, sb in [([2, 3], [2, 3], [2, 3]), ([3], [2, 3], [2, 1]), ([2, 1], [], [3])]:
    case("where", [("b", sc, "bool"), ("n", sa), ("n", sb)])
for op, s in [("add_s", 1.5), ("rsub_s", 2.0), ("mul_s", -3.0), ("div_s", 4.0), ("rdiv_s", 2.0),
              ("pow_s", 3.0), ("pow_s", 0.5), ("pow_s", -1.5), ("rpow_s", 2.0), ("maximum_s", 0.3)]:
    case(op, [("p" if op in ("pow_s", "rdiv_s") else "n", [2, 3])], {"s": s})
# non-contiguous operands
case("mul", [("n", [3, 2]), ("n", [2, 3])], pre=[[["t", 0, 1]], []])
case("add", [("n", [5, 3]), ("n", [3, 3])], pre=[[["slice", 0, 0, 5, 2]], [["t", 0, 1]]])
case("div", [("n", [2, 3]), ("p", [3])], pre=[[], [["expand", [2, 3]]]])
case("sub", [("n", [2, 3, 4]), ("n", [4, 2, 3])], pre=[[["permute", [2, 0, 1]]], []])

# ---- unary ----
UNARY = {"neg": "n", "abs": "n", "exp": "n", "log": "p", "sqrt": "p", "rsqrt": "p", "sin": "n",
         "cos": "n", "tanh": "n", "sigmoid": "n", "relu": "n", "sign": "n", "erf": "n",
         "log1p": "p", "expm1": "n", "reciprocal": "p", "square": "n"}
for op, kind in UNARY.items():
    case(op, [(kind, [2, 3])])
    case(op, [(kind, [4, 3])], pre=[[["slice", 0, 1, None, 2], ["t", 0, 1]]])
case("leakyRelu", [("n", [2, 3])])
case("leakyRelu", [("n", [2, 3])], {"slope": 0.2})
case("gelu", [("n", [2, 4])])
case("gelu", [("n", [2, 4])], {"approximate": "tanh"})
case("gelu", [("n", [3, 2])], {"approximate": "tanh"}, pre=[[["t", 0, 1]]])
case("clamp", [("n", [3, 4])], {"min": -0.5, "max": 0.7})
case("clamp", [("n", [3, 4])], {"min": 0.05})
case("clamp", [("n", [3, 4])], {"max": -0.05})
case("relu", [([-1.0, 0.0, 2.0, 0.0], [4])])  # gradient at 0 is 0
case("abs", [([-1.0, 0.0, 2.0], [3])])
case("clamp", [([-1.0, -0.5, 0.0, 0.5, 1.0], [5])], {"min": -0.5, "max": 0.5})  # bounds inclusive
case("erf", [([-3.0, -1.2, 0.0, 0.4, 2.7, 5.0], [6])])
for op in ["floor", "ceil", "round"]:
    case(op, [([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49, -0.51, 3.7], [9])], grad=False)
for op in ["eq", "lt", "ge"]:
    case(op, [([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2, 3]), ([2.0, 2.0, 6.0], [3])], grad=False)

# ---- reductions ----
R_DIMS = [{}, {"dim": 0}, {"dim": -1, "keepdim": True}, {"dim": [0, 2]}, {"dim": [0, 2], "keepdim": True},
          {"dim": 1, "keepdim": False}]
for op in ["sum", "mean", "amax", "amin"]:
    for p in R_DIMS:
        case(op, [("n", [2, 3, 4])], p)
    case(op, [("n", [4, 3])], {"dim": 0}, pre=[[["t", 0, 1]]])
case("sum", [("n", [3])], {"dim": 0}, pre=[[["expand", [2, 3]]]])
case("prod", [("n", [2, 3])], {"dim": 1}, grad=False)
case("prod", [("n", [2, 3])], grad=False)
tie = [1.0, 3.0, 3.0, -2.0, 0.5, -2.0, 3.0, 0.0]
for op in ["amax", "amin", "max", "min"]:
    case(op, [(tie, [2, 4])], {"dim": 1} if op in ("amax", "amin") else {})
    case(op, [(tie, [2, 4])], {} if op in ("amax", "amin") else {})
for op in ["max", "min"]:
    case(op, [("n", [2, 3])])
for op in ["maxDim", "minDim"]:
    for p in [{"dim": 0}, {"dim": 1, "keepdim": True}, {"dim": -1}]:
        case(op, [("n", [3, 4])], p)
    case(op, [("n", [4, 3])], {"dim": 1}, pre=[[["t", 0, 1]]])
for op in ["argmax", "argmin"]:
    for p in [{}, {"dim": 0}, {"dim": 1, "keepdim": True}]:
        case(op, [("n", [3, 4])], p, grad=False)
for op in ["var", "std"]:
    for p in [{}, {"correction": 0}, {"dim": 1}, {"dim": [0, 2], "keepdim": True},
              {"dim": -1, "correction": 2}, {"dim": 0, "correction": 0, "keepdim": True}]:
        case(op, [("n", [3, 4, 5])], p)
for p in [{"dim": 1}, {"dim": [0, 1]}, {"dim": -1, "keepdim": True}]:
    case("logsumexp", [("n", [2, 3, 4])], p)
case("logsumexp", [([100.0, 101.0, 99.0, -1000.0], [4])], {"dim": 0})  # stable for large inputs
for op in ["softmax", "logSoftmax"]:
    for d in [0, 1, -1]:
        case(op, [("n", [2, 3, 4])], {"dim": d})
    case(op, [("n", [4, 3])], {"dim": 1}, pre=[[["t", 0, 1]]])
    case(op, [([1000.0, 0.0, -1000.0, 999.0], [4])], {"dim": 0})
for pn in [1, 2, 3, "inf"]:  # "inf" as a string: JSON has no Infinity
    for p in [{}, {"dim": 1}, {"dim": [0, 2], "keepdim": True}, {"dim": -1, "keepdim": False}]:
        case("norm", [("n", [2, 3, 4])], dict(p, p=pn))

# ---- matmul ----
MM = [([3], [3]), ([3], [3, 4]), ([2, 3], [3]), ([2, 3], [3, 4]), ([2, 2, 3], [3, 4]),
      ([2, 1, 2, 3], [3, 3, 2]), ([3], [2, 3, 4]), ([2, 3, 4], [4]), ([1, 2, 3], [2, 3, 2])]
for sa, sb in MM:
    case("matmul", [("n", sa), ("n", sb)])
case("matmul", [("n", [3, 2]), ("n", [4, 3])], pre=[[["t", 0, 1]], [["t", 0, 1]]])
case("matmul", [("n", [2, 3, 4]), ("n", [2, 2])], pre=[[["slice", 2, 0, 4, 2]], []])
case("matmul", [("n", [3, 4]), ("n", [4, 2])], pre=[[["expand", [2, 3, 4]]], []])
case("mm", [("n", [2, 3]), ("n", [3, 4])])
case("bmm", [("n", [2, 2, 3]), ("n", [2, 3, 4])])
case("bmm", [("n", [2, 3, 2]), ("n", [2, 3, 4])], pre=[[["t", 1, 2]], []])

# ---- shape ----
case("reshape", [("n", [2, 3, 4])], {"shape": [4, -1]})
case("reshape", [("n", [3, 4])], {"shape": [12]}, pre=[[["t", 0, 1]]])
case("view", [("n", [2, 3, 4])], {"shape": [6, 4]})
case("view", [("n", [4, 6])], {"shape": [3, 2, 2]}, pre=[[["slice", 1, 0, 6, 2]]])
case("flatten", [("n", [2, 3, 4])], {})
case("flatten", [("n", [2, 3, 4, 2])], {"start": 1, "end": 2})
case("unflatten", [("n", [2, 6])], {"dim": 1, "sizes": [3, 2]})
case("squeeze", [("n", [2, 1, 3, 1])], {})
case("squeeze", [("n", [2, 1, 3, 1])], {"dim": 1})
case("unsqueeze", [("n", [2, 3])], {"dim": -1})
case("unsqueeze", [("n", [2, 3])], {"dim": 1}, pre=[[["t", 0, 1]]])
case("transpose", [("n", [2, 3, 4])], {"d0": 0, "d1": 2})
case("permute", [("n", [2, 3, 4])], {"dims": [1, 2, 0]})
case("expand", [("n", [3, 1])], {"shape": [2, 3, 4]})
case("expand", [("n", [3, 1])], {"shape": [-1, 5]})
case("contiguous", [("n", [3, 4])], {}, pre=[[["t", 0, 1]]])
case("slice", [("n", [7, 3])], {"dim": 0, "start": 1, "end": 6, "step": 2})
case("slice", [("n", [3, 8])], {"dim": 1, "start": -5, "step": 3})
case("slice", [("n", [3, 8])], {"dim": 1, "start": 2, "end": 100})
case("narrow", [("n", [4, 5])], {"dim": 1, "start": 1, "length": 3})
case("select", [("n", [3, 4])], {"dim": 1, "index": -1})
case("select", [("n", [3, 4, 2])], {"dim": 0, "index": 2})
case("cat", [("n", [2, 3]), ("n", [1, 3]), ("n", [3, 3])], {"dim": 0})
case("cat", [("n", [2, 3]), ("n", [2, 1])], {"dim": -1})
case("cat", [("n", [3, 2]), ("n", [2, 2])], {"dim": 1}, pre=[[["t", 0, 1]], []])
case("stack", [("n", [2, 3]), ("n", [2, 3]), ("n", [2, 3])], {"dim": 1})
case("stack", [("n", [2, 3]), ("n", [2, 3])], {"dim": -1})
case("split", [("n", [5, 2])], {"size": 2})
case("split", [("n", [2, 6])], {"size": [1, 3, 2], "dim": 1})
case("chunk", [("n", [5, 2])], {"chunks": 3})
case("chunk", [("n", [2, 6])], {"chunks": 4, "dim": 1})
case("unbind", [("n", [3, 2])], {})
case("unbind", [("n", [3, 2])], {"dim": 1})
case("gather", [("n", [3, 4]), ("i:0:4", [3, 2], "int32")], {"dim": 1})
case("gather", [("n", [3, 4]), ("i:0:3", [2, 4], "int32")], {"dim": 0})
case("gather", [("n", [2, 3, 4]), ("i:0:3", [2, 5, 2], "int32")], {"dim": 1})
case("gather", [("n", [4, 3]), ("i:0:3", [2, 3], "int32")], {"dim": 0}, pre=[[["t", 0, 1]], []])
case("scatter", [("n", [3, 5]), ([[0, 4, 2], [1, 3, 0]], [2, 3], "int32"), ("n", [2, 3])], {"dim": 1})
case("scatter", [("n", [3, 4]), ([[2, 0, 1, 2]], [1, 4], "int32"), ("n", [1, 4])], {"dim": 0})
case("scatterAdd", [("n", [3, 5]), ("i:0:5", [2, 4], "int32"), ("n", [2, 4])], {"dim": 1})
case("scatterAdd", [("n", [3, 4]), ("i:0:3", [4, 4], "int32"), ("n", [4, 4])], {"dim": 0})
case("indexSelect", [("n", [4, 3]), ([3, 0, 3, 1], [4], "int32")], {"dim": 0})
case("indexSelect", [("n", [2, 5, 2]), ([4, 1], [2], "int32")], {"dim": 1})
case("indexSelect", [("n", [3, 4]), ([0, 2, 2], [3], "int32")], {"dim": 1}, pre=[[["t", 0, 1]], []])
case("flip", [("n", [2, 3, 4])], {"dims": [0, 2]})
case("flip", [("n", [4, 3])], {"dims": [1]}, pre=[[["t", 0, 1]]])
case("repeat", [("n", [2, 3])], {"repeats": [2, 1]})
case("repeat", [("n", [3])], {"repeats": [2, 1, 2]})
case("repeat", [("n", [2, 1, 2])], {"repeats": [1, 3, 2]})

# ---- casts ----
case("toFloat32", [("n", [2, 3])], grad=False)
case("toInt32", [([-2.7, -1.5, -0.2, 0.0, 0.9, 3.99], [6])], grad=False)
case("toBool", [([-2.0, 0.0, 0.1, 0.0], [4])], grad=False)
case("toFloat32", [("i:-5:5", [4], "int32")], grad=False)

# ---- in-place inside graphs ----
case("add_", [("n", [2, 3]), ("n", [3])], {"alpha": 2.0})
case("sub_", [("n", [2, 3]), ("n", [2, 3])])
case("mul_", [("n", [2, 3]), ("n", [2, 3])])
case("div_", [("n", [2, 3]), ("p", [3])])
case("copy_", [("n", [2, 3]), ("n", [3])])
case("zero_then_add", [("n", [2, 3]), ("n", [2, 3])])


def encode(t):
    t = t.detach()
    if t.dtype == torch.bool:
        data = [bool(v) for v in t.reshape(-1).tolist()]
        dtype = "bool"
    elif t.dtype in (torch.int32, torch.int64):
        data = t.reshape(-1).tolist()
        dtype = "int32"
    else:
        data = [float("%.12g" % v) for v in t.reshape(-1).tolist()]
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
    res = OPS[c["op"]](*ins, c["params"])
    outs = list(res) if isinstance(res, (tuple, list)) else [res]
    entry = {"id": "%s#%d" % (c["op"], i), "op": c["op"], "params": c["params"],
             "inputs": [l[1] for l in leaves], "pre": c["pre"],
             "outputs": [encode(o) for o in outs],
             # Explicit input values sit on kinks and ties on purpose: no finite differences there.
             "gradcheck": c["grad"] and not any(isinstance(s[0], list) for s in c["inputs"])}
    if c["grad"]:
        entry["grads"] = weighted_grads(outs, [l[0] for l in leaves], encode)
    out_cases.append(entry)

with open(os.path.join(OUT, "ops.json"), "w") as f:
    json.dump({"generator": "tools/gen_core_fixtures.py", "torch": torch.__version__,
               "cases": out_cases}, f, separators=(",", ":"))
print("wrote %d cases" % len(out_cases))

#!/usr/bin/python3
"""Writes tests/fixtures/core/math.json: PyTorch 1.13 reference values of the elementwise math
ops (src/ops/math.ts) and the extra activations (src/nn/functional/activation.ts).

Run with the Debian PyTorch 1.13 interpreter:  /usr/bin/python3 tools/gen_math_fixtures.py

Same layout as tools/gen_core_fixtures.py: each case names an op (the key is implemented in
tests/core_math.test.ts for group "math" and tests/nn_activation_extra.test.ts for group
"activation"), its parameters, its inputs (sampled or explicit values, optionally seen through a
view) and PyTorch's outputs computed in float64 (or the input dtype for integer and float32
cases). Differentiable cases also store the gradients of  sum_k w[k] * out[k]  with
w[k] = 0.5 + ((7 * k) % 11) / 10. Non-finite numbers are written as the strings "inf", "-inf"
and "nan" (JSON has no literal for them).
"""
import json
import math
import os
import random

import torch
import torch.nn.functional as F

from fixture_common import apply_pre, numel, weighted_grads

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "core")
os.makedirs(OUT, exist_ok=True)
rng = random.Random(4321)
INF, NAN = float("inf"), float("nan")

# Points where some activation has a kink or switches formula; sampled values keep away.
KINKS = [0.0, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0, 2.5, 3.0, -3.0, 6.0]


def distinct(n, draw, ok=lambda v: True):
    out, seen = [], set()
    while len(out) < n:
        v = round(draw(), 3)
        if v not in seen and ok(v):
            seen.add(v)
            out.append(v)
    return out


def values(kind, shape):
    n = numel(shape)
    if isinstance(kind, list):
        return kind
    if kind == "n":  # |x| in [0.1, 2], mixed signs
        return distinct(n, lambda: rng.uniform(0.1, 2.0) * rng.choice([-1, 1]))
    if kind == "p":  # positives
        return distinct(n, lambda: rng.uniform(0.3, 2.5))
    if kind == "u":  # inside (-0.9, 0.9)
        return distinct(n, lambda: rng.uniform(-0.9, 0.9), lambda v: abs(v) > 0.02)
    if kind == "q":  # probabilities inside (0.03, 0.97)
        return distinct(n, lambda: rng.uniform(0.03, 0.97))
    if kind == "w":  # wide, away from every activation kink
        return distinct(n, lambda: rng.uniform(-7.0, 7.0),
                        lambda v: all(abs(v - k) > 0.02 for k in KINKS))
    if kind.startswith("i:"):  # integers in [lo, hi), never 0
        lo, hi = map(int, kind[2:].split(":"))
        return [rng.choice([v for v in range(lo, hi) if v != 0]) for _ in range(n)]
    raise ValueError(kind)


def scalar_or(p, x):
    return p["s"] if "s" in p else x


MATH = {
    "trunc": lambda a, p: torch.trunc(a),
    "frac": lambda a, p: torch.frac(a),
    "fmod": lambda a, b, p: torch.fmod(a, b),
    "fmod_s": lambda a, p: torch.fmod(a, p["s"]),
    "remainder": lambda a, b, p: torch.remainder(a, b),
    "remainder_s": lambda a, p: torch.remainder(a, p["s"]),
    "floorDivide": lambda a, b, p: torch.floor_divide(a, b),
    "lerp": lambda a, b, p: torch.lerp(a, b, p["weight"]),
    "lerpTensor": lambda a, b, w, p: torch.lerp(a, b, w),
    "hypot": lambda a, b, p: torch.hypot(a, b),
    "atan2": lambda a, b, p: torch.atan2(a, b),
    "logit": lambda a, p: torch.logit(a, p.get("eps")),
    "clip": lambda a, p: torch.clip(a, p.get("min"), p.get("max")),
    "xlogy": lambda a, b, p: torch.xlogy(a, b),
    "xlogy_s": lambda b, p: torch.xlogy(p["s"], b),
    "logaddexp": lambda a, b, p: torch.logaddexp(a, b),
    "sinc": lambda a, p: torch.sinc(a),
    "deg2rad": lambda a, p: torch.deg2rad(a),
    "rad2deg": lambda a, p: torch.rad2deg(a),
    "nanToNum": lambda a, p: torch.nan_to_num(a, p.get("nan", 0.0), p.get("posinf"), p.get("neginf")),
    "copysign": lambda a, b, p: torch.copysign(a, b),
    "signbit": lambda a, p: torch.signbit(a),
    "heaviside": lambda a, b, p: torch.heaviside(a, b),
    "erfinv": lambda a, p: torch.erfinv(a),
    "isnan": lambda a, p: torch.isnan(a),
    "isinf": lambda a, p: torch.isinf(a),
    "isfinite": lambda a, p: torch.isfinite(a),
    "isclose": lambda a, b, p: torch.isclose(a, b, p.get("rtol", 1e-5), p.get("atol", 1e-8),
                                             p.get("equalNan", False)),
}

ACTIVATION = {
    "silu": lambda a, p: F.silu(a),
    "mish": lambda a, p: F.mish(a),
    "elu": lambda a, p: F.elu(a, p.get("alpha", 1.0)),
    "celu": lambda a, p: F.celu(a, p.get("alpha", 1.0)),
    "selu": lambda a, p: F.selu(a),
    "softplus": lambda a, p: F.softplus(a, p.get("beta", 1), p.get("threshold", 20)),
    "softsign": lambda a, p: F.softsign(a),
    "hardtanh": lambda a, p: F.hardtanh(a, p.get("minVal", -1.0), p.get("maxVal", 1.0)),
    "relu6": lambda a, p: F.relu6(a),
    "hardsigmoid": lambda a, p: F.hardsigmoid(a),
    "hardswish": lambda a, p: F.hardswish(a),
    "logsigmoid": lambda a, p: F.logsigmoid(a),
    "tanhshrink": lambda a, p: F.tanhshrink(a),
    "softshrink": lambda a, p: F.softshrink(a, p.get("lambd", 0.5)),
    "hardshrink": lambda a, p: F.hardshrink(a, p.get("lambd", 0.5)),
    "threshold": lambda a, p: F.threshold(a, p["threshold"], p["value"]),
    "prelu": lambda a, w, p: F.prelu(a, w),
    "glu": lambda a, p: F.glu(a, p.get("dim", -1)),
    "softmin": lambda a, p: F.softmin(a, p["dim"]),
}

CASES = []


def case(op, inputs, params=None, grad=True, pre=None):
    """inputs: list of (kind, shape) or (kind, shape, dtype); pre: per-input view transforms."""
    group = "math" if op in MATH else "activation"
    CASES.append({"op": op, "group": group, "inputs": inputs, "params": params or {},
                  "grad": grad, "pre": pre or [[] for _ in inputs]})


# ---- rounding and modular division ----
ROUND_EDGE = [-2.5, -1.5, -0.5, -0.0, 0.0, 0.5, 1.5, 2.7, -3.7, INF, -INF, NAN]
case("trunc", [(ROUND_EDGE, [12])], grad=False)
case("trunc", [("n", [2, 3])], grad=False)
case("trunc", [([5, -7, 0], [3], "int32")], grad=False)
case("frac", [(ROUND_EDGE, [12])], grad=False)
case("frac", [("n", [2, 3])])
case("frac", [("n", [4, 3])], pre=[[["t", 0, 1]]])
DIV_A = [5.0, -5.0, 5.0, -5.0, 5.5, -5.5, INF, 1.0, 0.0, -0.0, NAN, 3.0, -5.0, 5.0, 1e17, 0.3, 0.7, -0.0]
DIV_B = [3.0, 3.0, -3.0, -3.0, 2.0, 2.0, 2.0, 0.0, -2.0, 2.0, 1.0, INF, INF, -INF, 3.0, 0.1, 0.1, -2.0]
INT_A = [5, -5, 5, -5, 7, -7, 0, 6, -6, 9]
INT_B = [3, 3, -3, -3, 2, 2, 3, -4, 4, 10]
for op in ["fmod", "remainder", "floorDivide"]:
    case(op, [(DIV_A, [18]), (DIV_B, [18])], grad=False)
    case(op, [(INT_A, [10], "int32"), (INT_B, [10], "int32")], grad=False)
    case(op, [("n", [2, 3]), ("p", [3])], grad=op != "floorDivide")
    case(op, [("n", [3, 1]), ("n", [1, 4])], grad=op != "floorDivide")
    case(op, [("n", [4, 3]), ("p", [4, 3])], grad=op != "floorDivide", pre=[[["t", 0, 1]], [["t", 0, 1]]])
for s in [2.5, -1.5]:
    case("fmod_s", [("n", [2, 3])], {"s": s})
    case("remainder_s", [("n", [2, 3])], {"s": s})

# ---- interpolation and two-argument functions ----
for w in [0.3, 0.7, 1.0, -0.5]:
    case("lerp", [("n", [2, 3]), ("n", [3])], {"weight": w})
case("lerpTensor", [("n", [2, 3]), ("n", [2, 3]), ("u", [2, 3])])
case("lerpTensor", [("n", [2, 1]), ("n", [3]), ([0.2, 0.5, 0.8], [3])])
case("lerpTensor", [("n", [3, 2]), ("n", [2, 3]), ("u", [2, 1])], pre=[[["t", 0, 1]], [], []])
case("hypot", [("n", [2, 3]), ("n", [2, 3])])
case("hypot", [("n", [2, 1]), ("n", [4])])
case("hypot", [([3.0, 1e30, 0.0, INF, NAN, -1e-30, 5.0], [7]), ([4.0, 1e30, 0.0, NAN, -INF, 1e-30, NAN], [7])],
     grad=False)
case("atan2", [("n", [2, 3]), ("n", [2, 3])])
case("atan2", [("n", [3, 1]), ("n", [2])])
case("atan2", [([0.0, 0.0, -0.0, 1.0, -1.0, INF, -INF, INF, 1.0, NAN], [10]),
               ([0.0, -0.0, -1.0, INF, -INF, 1.0, 2.0, -INF, 0.0, 1.0], [10])], grad=False)
case("atan2", [([1, -2, 0], [3], "int32"), ([1, 1, -1], [3], "int32")], grad=False)
case("xlogy", [("n", [2, 3]), ("p", [3])])
case("xlogy", [([0.0, 0.0, 1.0, 2.0, 0.0, -1.0, 0.0, 3.0], [8]), ([0.0, NAN, 0.0, 3.0, INF, NAN, 2.0, INF], [8])],
     grad=False)
case("xlogy", [([0.0, 0.0, 1.5], [3]), ([2.0, 0.5, 0.7], [3])])  # grad of x at x == 0
case("xlogy_s", [("p", [2, 3])], {"s": 2.0})
case("xlogy_s", [("p", [2, 3])], {"s": 0.0})
case("logaddexp", [("n", [2, 3]), ("n", [3])])
case("logaddexp", [([-INF, INF, 1.0, -INF, 1000.0, -1000.0, 5.0, NAN], [8]),
                   ([-INF, INF, 2.0, 1.0, 1000.0, -1001.0, INF, 1.0], [8])], grad=False)
case("logaddexp", [([1.0, -2.0, 3.0], [3]), ([1.0, -2.0, 0.5], [3])])  # ties
case("copysign", [("n", [2, 3]), ("n", [3])])
case("copysign", [([1.0, 2.0, -3.0, 0.0, INF, NAN, -0.0, 4.0], [8]), ([-0.0, 0.0, 2.0, -1.0, -INF, -2.0, 1.0, NAN], [8])],
     grad=False)
case("copysign", [([1, 2, -3], [3], "int32"), ([-1, 1, 0], [3], "int32")], grad=False)
case("heaviside", [([-1.5, 0.0, -0.0, 2.0, NAN, INF, -INF], [7]), ([0.5], [1])], grad=False)
case("heaviside", [([-1.0, 0.0, 2.0, 0.0], [2, 2]), ([0.25, 0.75], [2])], grad=False)

# ---- unary special functions ----
case("logit", [("q", [2, 3])])
case("logit", [("q", [2, 4])], {"eps": 0.1})
case("logit", [([0.0, 1.0, 1.2, -0.1, 0.5, NAN], [6])], grad=False)
case("logit", [([0.0, 1.0, 1.2, -0.1, 0.5, NAN], [6])], {"eps": 1e-3}, grad=False)
case("sinc", [("n", [2, 3])])
case("sinc", [([0.0, 1.0, 0.5, -2.0, INF, NAN, 1e-8, -0.0, 2.5], [9])], grad=False)
case("sinc", [([0.0, 0.25, -1.5], [3])])  # derivative 0 at 0
case("deg2rad", [("n", [2, 3])])
case("deg2rad", [([180, -90, 0], [3], "int32")], grad=False)
case("rad2deg", [("n", [2, 3])])
NTN = [NAN, INF, -INF, 1.5, -0.0, 2.0]
case("nanToNum", [(NTN, [6])], grad=False)
case("nanToNum", [(NTN, [6], "float32")], grad=False)
case("nanToNum", [(NTN, [6])], {"nan": 1.0, "posinf": 2.0, "neginf": -3.0}, grad=False)
case("nanToNum", [("n", [2, 3])])
case("signbit", [([-0.0, 0.0, -1.0, 2.0, NAN, INF, -INF], [7])], grad=False)
case("signbit", [([-3, 0, 4], [3], "int32")], grad=False)
case("erfinv", [("u", [2, 4])])
case("erfinv", [([-1.0, 1.0, 0.0, 1.5, -1.5, NAN, 0.999, -0.9999, 1e-10, 0.5, -0.99, 0.95], [12])], grad=False)
case("clip", [("n", [3, 4])], {"min": -0.5, "max": 0.7})
for op in ["isnan", "isinf", "isfinite"]:
    case(op, [([NAN, INF, -INF, 0.0, -1.5, 3e38], [6])], grad=False)
    case(op, [([1, -2], [2], "int32")], grad=False)

# ---- closeness ----
CA = [1.0, 1.0, 1.0, INF, INF, NAN, NAN, 0.0, 1e-9, 100.0]
CB = [1.0, 1.0 + 1e-6, 1.001, INF, -INF, NAN, 1.0, 1e-9, 0.0, 100.001]
case("isclose", [(CA, [10]), (CB, [10])], grad=False)
case("isclose", [(CA, [10]), (CB, [10])], {"equalNan": True}, grad=False)
case("isclose", [(CA, [10]), (CB, [10])], {"rtol": 0.0, "atol": 0.0}, grad=False)
case("isclose", [(CA, [10]), (CB, [10])], {"rtol": 1e-3, "atol": 1e-8}, grad=False)
case("isclose", [([1, 5, 10], [3], "int32"), ([1, 6, 11], [3], "int32")], {"rtol": 0.1, "atol": 0.0}, grad=False)

# ---- activations ----
for op in ["silu", "mish", "elu", "celu", "selu", "softplus", "softsign", "hardtanh", "relu6",
           "hardsigmoid", "hardswish", "logsigmoid", "tanhshrink", "softshrink", "hardshrink"]:
    case(op, [("w", [3, 4])])
    case(op, [("w", [4, 3])], pre=[[["t", 0, 1]]])
    # Kinks and formula switches: PyTorch's gradient there, without finite differences.
    case(op, [([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 6.0, 20.0, 25.0, -30.0], [11])])
    case(op, [([NAN, INF, -INF, 1000.0, -1000.0], [5])], grad=False)
case("elu", [("w", [2, 3])], {"alpha": 0.5})
case("celu", [("w", [2, 3])], {"alpha": 2.0})
case("softplus", [("w", [2, 4])], {"beta": 2.0, "threshold": 5.0})
case("softplus", [([2.4, 2.5, 2.6, -1.0], [4])], {"beta": 2.0, "threshold": 5.0})
case("hardtanh", [("w", [2, 4])], {"minVal": -2.0, "maxVal": 2.5})
case("softshrink", [("w", [2, 3])], {"lambd": 1.0})
case("hardshrink", [("w", [2, 3])], {"lambd": 1.0})
case("threshold", [("w", [3, 4])], {"threshold": 1.0, "value": -2.0})
case("threshold", [([0.5, 1.0, 1.5, NAN], [4])], {"threshold": 1.0, "value": -2.0}, grad=False)
case("prelu", [("w", [2, 3, 2]), ([0.1, -0.2, 0.3], [3])])
case("prelu", [("w", [2, 3, 2, 2]), ([0.25], [1])])
case("prelu", [("w", [5]), ([0.25], [1])])
case("prelu", [([-1.0, 0.0, 2.0], [1, 3]), ([0.1, 0.2, 0.3], [3])])
case("glu", [("w", [2, 4])])
case("glu", [("w", [2, 6, 3])], {"dim": 1})
case("softmin", [("w", [2, 3, 4])], {"dim": 1})
case("softmin", [("w", [3, 4])], {"dim": -1})


def num(v):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def encode(t):
    t = t.detach()
    if t.dtype == torch.bool:
        data = [bool(v) for v in t.reshape(-1).tolist()]
        dtype = "bool"
    elif t.dtype in (torch.int32, torch.int64):
        data = t.reshape(-1).tolist()
        dtype = "int32"
    else:
        data = [num(v) for v in t.reshape(-1).tolist()]
        dtype = "float64" if t.dtype == torch.float64 else "float32"
    return {"shape": list(t.shape), "dtype": dtype, "data": data}


TORCH_DTYPE = {"float64": torch.float64, "float32": torch.float32, "int32": torch.int32}

out_cases = []
for i, c in enumerate(CASES):
    ins, leaves = [], []
    for spec, pre in zip(c["inputs"], c["pre"]):
        kind, shape = spec[0], spec[1]
        dtype = spec[2] if len(spec) > 2 else "float64"
        data = values(kind, shape)
        leaf = torch.tensor(data, dtype=TORCH_DTYPE[dtype]).reshape(shape)
        if dtype == "float64" and c["grad"]:
            leaf.requires_grad_(True)
        leaves.append((leaf, {"shape": shape, "dtype": dtype,
                              "data": [num(float(v)) if dtype != "int32" else v for v in data]}))
        ins.append(apply_pre(leaf, pre))
    fn = MATH.get(c["op"]) or ACTIVATION[c["op"]]
    res = fn(*ins, c["params"])
    outs = list(res) if isinstance(res, (tuple, list)) else [res]
    entry = {"id": "%s#%d" % (c["op"], i), "op": c["op"], "group": c["group"],
             "params": c["params"], "inputs": [l[1] for l in leaves], "pre": c["pre"],
             "outputs": [encode(o) for o in outs],
             # Explicit values sit on kinks on purpose: no finite differences there.
             "gradcheck": c["grad"] and not any(isinstance(s[0], list) for s in c["inputs"])}
    if c["grad"]:
        entry["grads"] = weighted_grads(outs, [l[0] for l in leaves], encode)
    out_cases.append(entry)

with open(os.path.join(OUT, "math.json"), "w") as f:
    json.dump({"generator": "tools/gen_math_fixtures.py", "torch": torch.__version__,
               "cases": out_cases}, f, separators=(",", ":"), allow_nan=False)
print("wrote %d cases" % len(out_cases))

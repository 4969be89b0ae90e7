#!/usr/bin/python3
"""Writes tests/fixtures/core/special_values.json: PyTorch 1.13's results of everyday ops on
NaN, ±inf and ±0 (and atan2 over every signed-zero / infinity quadrant), which the test runs on
every device. Values are stored as strings ("nan", "inf", "-inf", "-0.0", numbers) so that JSON
keeps NaN and the sign of zero.

Run with the Debian PyTorch 1.13 interpreter:  /usr/bin/python3 tools/gen_special_fixtures.py
"""
import json
import math
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "core")
X = [float("nan"), float("inf"), float("-inf"), -0.0, 0.0, -1.5, 2.5]
A = [-0.0, 0.0, -0.0, 0.0, -0.0, 0.0, -0.0, 0.0, 1.0, -1.0, math.inf, -math.inf, math.inf, 1.0]
B = [-1.0, -1.0, -0.0, -0.0, 0.0, 0.0, 1.0, 1.0, math.inf, -math.inf, math.inf, -math.inf, 1.0, 0.0]
# Small arguments, where closed forms like (1 - e^-2x) / (1 + e^-2x) cancel.
SMALL = [1e-7, -2e-5, 1e-4, 3e-3, 0.05, -0.3]


def s(v):
    if isinstance(v, bool):
        return "1" if v else "0"
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0:
        return "-0.0" if math.copysign(1.0, v) < 0 else "0.0"
    return repr(float(v))


def main():
    x = torch.tensor(X)
    z = torch.zeros(len(X))
    cases = {
        "sign": x.sign(), "abs": x.abs(), "neg": x.neg(), "floor": x.floor(), "ceil": x.ceil(),
        "round": x.round(), "trunc": x.trunc(), "frac": x.frac(), "exp": x.exp(), "log": x.log(),
        "sqrt": x.sqrt(), "rsqrt": x.rsqrt(), "reciprocal": x.reciprocal(), "square": x.square(),
        "pow2": x.pow(2), "sigmoid": x.sigmoid(), "tanh": x.tanh(), "relu": x.relu(),
        "gelu": F.gelu(x), "softplus": F.softplus(x), "relu6": F.relu6(x),
        "hardtanh": F.hardtanh(x), "leakyRelu": F.leaky_relu(x, 0.1), "elu": F.elu(x),
        "silu": F.silu(x), "maximum0": torch.maximum(x, z), "minimum0": torch.minimum(x, z),
        "clampMin0": x.clamp(min=0), "clampMax0": x.clamp(max=0), "mul0": x * 0,
        "fmod1": x.fmod(1.0), "remainder1": x.remainder(1.0), "nanToNum": torch.nan_to_num(x),
        "isnan": x.isnan(), "isinf": x.isinf(), "isfinite": x.isfinite(),
        "eqSelf": x == x, "neSelf": x != x, "lt0": x < 0, "ge0": x >= 0,
        "amax": x.amax().reshape(1), "amin": x.amin().reshape(1),
        "argmax": x.argmax().reshape(1), "argmin": x.argmin().reshape(1),
        "sort": x.sort().values, "cummax": x.cummax(0).values,
        "logsumexp": x.logsumexp(0).reshape(1), "softmaxFinite": x[3:].softmax(0),
        "atan2": torch.atan2(torch.tensor(A), torch.tensor(B)),
        "pow": torch.pow(torch.tensor(A), torch.tensor(B)),
        "powBase1": torch.pow(torch.ones(len(X)), x),
        "powBaseMinus1": torch.pow(-torch.ones(len(X)), x),
    }
    # float64 references: these check accuracy (PyTorch 1.13 float32 elu computes exp(x) - 1 and
    # loses digits near 0 where denotorch uses expm1).
    sm = torch.tensor(SMALL, dtype=torch.float64)
    small = {
        "tanh": sm.tanh(), "log1p": sm.log1p(), "expm1": sm.expm1(), "erf": torch.erf(sm),
        "gelu": F.gelu(sm), "elu": F.elu(sm), "silu": F.silu(sm), "sin": sm.sin(),
        "softplus": F.softplus(sm), "logsigmoid": F.logsigmoid(sm),
    }
    out = {"x": [s(v) for v in X], "a": [s(v) for v in A], "b": [s(v) for v in B],
           "cases": {k: [s(v) for v in t.tolist()] for k, t in cases.items()},
           "small": [s(v) for v in SMALL],
           "smallCases": {k: [s(v) for v in t.tolist()] for k, t in small.items()}}
    with open(os.path.join(OUT, "special_values.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


main()

#!/usr/bin/python3
"""Writes tests/fixtures/core/trig.json: PyTorch 1.13's tan, asin, acos, atan, sinh, cosh,
asinh, acosh, atanh, exp2, log2, log10, erfc, lgamma, digamma, polygamma, i0, sgn and
positive over their domains, small and large arguments, and NaN, ±inf and ±0.

Every input is a float32 value, so float32 and float64 runs see the same numbers. For each op
the file holds PyTorch's float64 results ("f64", the accurate reference both dtypes are tested
against) and its float32 results ("f32", kept to show where PyTorch's own float32 kernels
differ). Values are strings ("nan", "inf", "-inf", "-0.0", numbers) so JSON keeps NaN and -0.

Run with the Debian PyTorch 1.13 interpreter:  /usr/bin/python3 tools/gen_trig_fixtures.py
"""
import json
import math
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "core")
NAN, INF = float("nan"), float("inf")
SPECIAL = [NAN, INF, -INF, -0.0, 0.0]
HALF_PI_F32 = 1.5707963705062866  # float32(π/2): tan there is -2.29e7
ONE_UP = 1.0000001192092896  # the float32 after 1
ONE_DOWN = 0.9999999403953552  # the float32 before 1

INPUTS = {
    "tan": [1e-7, -1e-7, 1e-30, 0.5, -1.0, 1.5, 1.57, HALF_PI_F32, -HALF_PI_F32, 3.0, 10.0,
            100.0],
    "asin": [1e-7, -1e-7, 1e-30, 0.5, -0.5, 0.9, -0.99, 0.999999, 1.0, -1.0, 1.5, -2.0],
    "acos": [1e-7, -1e-7, 0.5, -0.5, 0.9, -0.99, 0.999999, 1.0, -1.0, 1.5, -2.0],
    "atan": [1e-7, -1e-7, 1e-30, 0.5, -3.0, 1e10, -1e30],
    "sinh": [1e-7, -1e-7, 1e-30, 1e-3, 0.05, 0.1, 0.5, -1.0, 3.0, 10.0, -20.0, 88.0, 89.0,
             -89.0, 89.4, 90.0],
    "cosh": [1e-7, -1e-7, 1e-3, 0.1, 0.5, -1.0, 3.0, 10.0, -20.0, 88.0, 89.0, -89.0, 89.4,
             90.0],
    "asinh": [1e-7, -1e-7, 1e-30, 0.05, 0.1, 0.5, -2.0, 100.0, 1e5, -1e20, 1e38],
    "acosh": [1.0, ONE_UP, 1.001, 1.5, 2.0, 10.0, 1e5, 1e38, ONE_DOWN, 0.5, -1.0],
    "atanh": [1e-7, -1e-7, 1e-30, 0.05, 0.1, 0.5, -0.9, 0.999, 1.0, -1.0, 1.5, -2.0],
    "exp2": [1e-7, -1.0, 0.5, 3.3, 10.0, 127.0, 128.0, -126.0, -150.0],
    "log2": [1.0, 2.0, 8.0, 0.5, 3.0, ONE_UP, ONE_DOWN, 1e-30, 1e30, -1.0],
    "log10": [1.0, 10.0, 1000.0, 0.001, 3.0, ONE_UP, ONE_DOWN, 1e-30, 1e30, -1.0],
    "erfc": [1e-7, -1e-7, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 7.0, 9.0, 9.5, 10.0, 27.0, -0.5,
             -1.0, -3.0, -10.0],
    "lgamma": [1.0, 2.0, 1e-7, -1e-7, 0.5, 0.9, 1.1, 1.5, 1.9, 2.1, 2.5, 3.0, 5.0, 8.0, 10.5,
               100.0, 1e5, 1e30, 4e36, -0.5, -1.0, -2.0, -2.5, -3.3, -100.5],
    "digamma": [1.0, 2.0, 0.5, 1e-7, 1.5, 3.0, 10.0, 10.5, 100.0, 1e5, 1e30, -0.5, -1.0, -1.5,
                -2.3, -10.7],
    "polygamma1": [0.5, 1.0, 2.0, 1e-3, 3.5, 10.0, 100.0, -0.5, -1.5, -2.3],
    "polygamma2": [0.5, 1.0, 2.0, 1e-3, 3.5, 10.0, 100.0, -0.5, -1.5, -2.3, -10.5],
    "polygamma3": [0.5, 1.0, 2.0, 0.1, 3.5, 10.0, 100.0, -0.5, -1.5, -2.3, -10.5],
    "i0": [1e-7, 0.5, -1.0, 3.0, 8.0, 10.0, 15.0, 20.0, -30.0, 50.0, 88.0],
    "sgn": [-2.0, 3.0, 1e-30],
    "positive": [-2.0, 3.0, 1e-30],
}


def fn(name):
    if name.startswith("polygamma"):
        n = int(name[len("polygamma"):])
        return lambda t: torch.polygamma(n, t)
    return getattr(torch, name)


def s(v):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0:
        return "-0.0" if math.copysign(1.0, v) < 0 else "0.0"
    return repr(float(v))


def main():
    ops = {}
    for name, xs in INPUTS.items():
        x32 = torch.tensor(xs + SPECIAL, dtype=torch.float32)
        f = fn(name)
        ops[name] = {
            "x": [s(v) for v in x32.tolist()],
            "f64": [s(v) for v in f(x32.double()).tolist()],
            "f32": [s(v) for v in f(x32).tolist()],
        }
    with open(os.path.join(OUT, "trig.json"), "w") as fh:
        json.dump({"ops": ops}, fh, indent=1)
        fh.write("\n")


main()

#!/usr/bin/python3
"""Writes tests/fixtures/core/sort.json: PyTorch 1.13 reference values of the sorting and
selection ops (sort, argsort, msort, topk, kthvalue, median, unique, searchsorted, bucketize,
bincount, max/min with a dim).

Run with the Debian PyTorch 1.13 interpreter:  /usr/bin/python3 tools/gen_sort_fixtures.py

Each case names an op (tests/core_sort.test.ts implements the same keys), its parameters, an
input (fixed values seen through an optional view: "t" transposes the first two dims, "step"
takes every second element of the last dim) and PyTorch's outputs. Numbers are JSON numbers
except NaN, infinities and negative zero, written as the strings "nan", "inf", "-inf", "-0".

PyTorch leaves the order of tied indices unspecified for unstable sorts, topk, kthvalue and
median. For those outputs the case stores `exact`: whether PyTorch's indices equal the stable
choice (the lowest index among ties, what denotorch returns); tests compare indices exactly
only then, and otherwise check that the indices select the expected values.
For median() without a dim and for the value outputs of sort/topk/kthvalue/median(dim) the
case also stores the gradient of sum_k w[k] * values[k], w[k] = 0.5 + ((7 * k) % 11) / 10.
"""
import json
import math
import os
import random

import torch

from fixture_common import weights

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "core")
os.makedirs(OUT, exist_ok=True)
rng = random.Random(4321)


def enc_num(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return v
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0 and math.copysign(1.0, v) < 0:
        return "-0"
    return v


def encode(t):
    return {
        "shape": list(t.shape),
        "dtype": {torch.float64: "float64", torch.float32: "float32", torch.int64: "int32",
                  torch.int32: "int32", torch.bool: "bool"}[t.dtype],
        "data": [enc_num(v) for v in t.reshape(-1).tolist()],
    }


def view(x, v):
    if v == "t":
        return x.transpose(0, 1)
    if v == "step":
        return x[..., ::2]
    return x


def ties_data(shape, levels=4):
    n = 1
    for s in shape:
        n *= s
    return [float(rng.randrange(levels)) - 1.5 for _ in range(n)]


def distinct_data(shape):
    n = 1
    for s in shape:
        n *= s
    out, seen = [], set()
    while len(out) < n:
        v = round(rng.uniform(-3, 3), 3)
        if v not in seen:
            seen.add(v)
            out.append(v)
    return out


def special_data(shape):
    """Ties, NaN, -0, 0 and infinities mixed with small integers."""
    pool = [float("nan"), -0.0, 0.0, float("inf"), float("-inf"), 1.0, -1.0, 2.0, 1.0]
    n = 1
    for s in shape:
        n *= s
    return [rng.choice(pool) for _ in range(n)]


cases = []


def add(op, name, data, shape, dtype, v, params, outputs, grad=None, extra=None):
    c = {"op": op, "name": name, "input": {"data": [enc_num(x) for x in data], "shape": shape,
                                           "dtype": dtype, "view": v},
         "params": params, "outputs": [encode(o) for o in outputs]}
    if grad is not None:
        c["grad"] = encode(grad)
    if extra:
        c.update(extra)
    cases.append(c)


def make(data, shape, dtype):
    tdt = {"float64": torch.float64, "float32": torch.float32, "int32": torch.int64}[dtype]
    return torch.tensor(data, dtype=tdt).reshape(shape)


def values_grad(x, fn):
    """Gradient of sum(w * values) for a float64 input, or None."""
    if x.dtype != torch.float64:
        return None
    xg = x.detach().clone().requires_grad_(True)
    vals = fn(xg)
    if not vals.requires_grad:
        return None
    w = weights(vals.numel()).reshape(vals.shape)
    (vals * w).sum().backward()
    return xg.grad


INPUTS = [
    ("ties 3x7", lambda: ties_data([3, 7]), [3, 7], "float64", None),
    ("distinct 4x5", lambda: distinct_data([4, 5]), [4, 5], "float64", None),
    ("special 3x9", lambda: special_data([3, 9]), [3, 9], "float64", None),
    ("odd 1-D 11", lambda: ties_data([11], 6), [11], "float64", None),
    ("transposed 5x4", lambda: ties_data([5, 4]), [5, 4], "float64", "t"),
    ("stepped 3x10", lambda: distinct_data([3, 10]), [3, 10], "float64", "step"),
    ("3-D 2x3x5", lambda: ties_data([2, 3, 5], 5), [2, 3, 5], "float64", None),
    ("int 3x6", lambda: [rng.randrange(-4, 4) for _ in range(18)], [3, 6], "int32", None),
    ("float32 special 2x8", lambda: special_data([2, 8]), [2, 8], "float32", None),
]


def stable_first(x, dim, descending):
    return torch.sort(x, dim=dim, descending=descending, stable=True)


for label, gen, shape, dtype, v in INPUTS:
    data = gen()
    base = make(data, shape, dtype)
    x = view(base, v)
    nd = x.dim()
    dims = sorted({-1, 0} | ({1} if nd > 2 else set()))
    for dim in dims:
        for desc in (False, True):
            for stable in (False, True):
                vals, idx = torch.sort(x, dim=dim, descending=desc, stable=stable)
                sv, si = stable_first(x, dim, desc)
                g = values_grad(x, lambda t: torch.sort(t, dim=dim, descending=desc, stable=stable)[0])
                add("sort", f"{label} dim={dim} desc={desc} stable={stable}", data, shape, dtype, v,
                    {"dim": dim, "descending": desc, "stable": stable}, [vals, idx], g,
                    {"exact": bool(torch.equal(idx, si))})
        idx = torch.argsort(x, dim=dim, descending=True)
        add("argsort", f"{label} dim={dim} desc", data, shape, dtype, v,
            {"dim": dim, "descending": True}, [idx], None,
            {"exact": bool(torch.equal(idx, stable_first(x, dim, True)[1]))})
        n = x.shape[dim]
        for k in sorted({0, 1, (n + 1) // 2, n}):
            for largest in (True, False):
                vals, idx = torch.topk(x, k, dim=dim, largest=largest)
                si = stable_first(x, dim, largest)[1].narrow(dim, 0, k)
                g = values_grad(x, lambda t: torch.topk(t, k, dim=dim, largest=largest)[0])
                add("topk", f"{label} k={k} dim={dim} largest={largest}", data, shape, dtype, v,
                    {"k": k, "dim": dim, "largest": largest}, [vals, idx], g,
                    {"exact": bool(torch.equal(idx, si))})
        for k in sorted({1, (n + 1) // 2, n}):
            for keepdim in (False, True):
                vals, idx = torch.kthvalue(x, k, dim=dim, keepdim=keepdim)
                si = stable_first(x, dim, False)[1].narrow(dim, k - 1, 1)
                if not keepdim:
                    si = si.squeeze(dim)
                g = values_grad(x, lambda t: torch.kthvalue(t, k, dim=dim, keepdim=keepdim)[0])
                add("kthvalue", f"{label} k={k} dim={dim} keepdim={keepdim}", data, shape, dtype,
                    v, {"k": k, "dim": dim, "keepdim": keepdim}, [vals, idx], g,
                    {"exact": bool(torch.equal(idx, si))})
        for keepdim in (False, True):
            vals, idx = torch.median(x, dim=dim, keepdim=keepdim)
            g = values_grad(x, lambda t: torch.median(t, dim=dim, keepdim=keepdim)[0])
            # Stable choice: the lower median's first occurrence, or a row's first NaN.
            m = (n - 1) // 2
            sv, si = stable_first(x, dim, False)
            nan = torch.isnan(x).sum(dim=dim, keepdim=True) if x.is_floating_point() else None
            pos = torch.full_like(si.narrow(dim, 0, 1), m)
            if nan is not None:
                pos = torch.where(nan > 0, n - nan, pos)
            pick = si.gather(dim, pos)
            if not keepdim:
                pick = pick.squeeze(dim)
            add("median_dim", f"{label} dim={dim} keepdim={keepdim}", data, shape, dtype, v,
                {"dim": dim, "keepdim": keepdim}, [vals, idx], g,
                {"exact": bool(torch.equal(idx, pick))})
        for op in ("max", "min"):
            vals, idx = getattr(torch, op)(x, dim=dim)
            add(f"{op}_dim", f"{label} dim={dim}", data, shape, dtype, v, {"dim": dim},
                [vals, idx])
    add("msort", label, data, shape, dtype, v, {}, [torch.msort(x)],
        values_grad(x, torch.msort))
    add("median", label, data, shape, dtype, v, {}, [torch.median(x)],
        values_grad(x, torch.median))
    if "special" not in label:
        for inv in (False, True):
            for cnt in (False, True):
                outs = torch.unique(x, sorted=True, return_inverse=inv, return_counts=cnt)
                outs = list(outs) if isinstance(outs, tuple) else [outs]
                add("unique", f"{label} inverse={inv} counts={cnt}", data, shape, dtype, v,
                    {"returnInverse": inv, "returnCounts": cnt}, outs)

# unique with -0/0 and infinities (no NaN: PyTorch 1.13's CPU unique merges them unpredictably).
ud = [0.0, -0.0, float("inf"), 1.0, float("-inf"), 1.0, 0.0, 2.0]
ux = torch.tensor(ud, dtype=torch.float64)
outs = torch.unique(ux, return_inverse=True, return_counts=True)
add("unique", "zeros and infinities", ud, [8], "float64", None,
    {"returnInverse": True, "returnCounts": True}, list(outs))
add("unique", "empty", [], [0], "float64", None, {"returnInverse": True, "returnCounts": True},
    list(torch.unique(torch.zeros(0, dtype=torch.float64), return_inverse=True,
                      return_counts=True)))

# searchsorted / bucketize: 1-D and batched sequences, duplicates, NaN, both sides.
seq1 = [-1.0, 0.0, 0.0, 1.5, 2.0, 2.0, 2.0, 3.0, float("nan")]
vals = [-2.0, -1.0, 0.0, 0.5, 2.0, 2.5, 3.0, 4.0, float("nan"), -0.0, float("inf")]
s1 = torch.tensor(seq1, dtype=torch.float64)
v1 = torch.tensor(vals, dtype=torch.float64)
for right in (False, True):
    cases.append({"op": "searchsorted", "name": f"1-D right={right}",
                  "seq": encode(s1), "values": encode(v1.reshape(1, 11)), "params": {"right": right},
                  "outputs": [encode(torch.searchsorted(s1, v1.reshape(1, 11), right=right))]})
    sb = torch.tensor([[0.0, 1.0, 2.0, 3.0], [-5.0, -5.0, 0.0, 10.0], [1.0, 1.0, 1.0, 1.0]],
                      dtype=torch.float64)
    vb = torch.tensor([[0.5, 3.0, -1.0], [-5.0, 10.0, 11.0], [1.0, 0.0, 2.0]], dtype=torch.float64)
    cases.append({"op": "searchsorted", "name": f"batched right={right}", "seq": encode(sb),
                  "values": encode(vb), "params": {"right": right},
                  "outputs": [encode(torch.searchsorted(sb, vb, right=right))]})
    si = torch.tensor([1, 3, 3, 7, 9])
    vi = torch.tensor([[0, 3, 8], [9, 10, 1]])
    cases.append({"op": "searchsorted", "name": f"int right={right}", "seq": encode(si),
                  "values": encode(vi), "params": {"right": right},
                  "outputs": [encode(torch.searchsorted(si, vi, side="right" if right else "left"))]})
    bnd = torch.tensor([1.0, 3.0, 5.0, 7.0, 9.0], dtype=torch.float64)
    bv = torch.tensor([[3.0, 6.0, 9.0], [3.0, 6.0, 9.0], [0.0, 10.0, 5.0]], dtype=torch.float64)
    cases.append({"op": "bucketize", "name": f"right={right}", "seq": encode(bnd),
                  "values": encode(bv), "params": {"right": right},
                  "outputs": [encode(torch.bucketize(bv, bnd, right=right))]})

# bincount: plain, minlength, weights, empty.
bx = torch.tensor([4, 3, 6, 3, 4, 0, 0, 4])
bw = torch.tensor([0.5, 1.0, 0.25, 2.0, -1.0, 3.0, 0.125, 1.0], dtype=torch.float64)
for name, w, ml in [("plain", None, 0), ("minlength 10", None, 10), ("weights", bw, 0),
                    ("weights minlength 9", bw, 9), ("minlength below max", None, 3)]:
    c = {"op": "bincount", "name": name, "x": encode(bx), "params": {"minlength": ml},
         "outputs": [encode(torch.bincount(bx, w, ml))]}
    if w is not None:
        c["weights"] = encode(w)
    cases.append(c)
cases.append({"op": "bincount", "name": "empty minlength 3", "x": encode(torch.zeros(0, dtype=torch.int64)),
              "params": {"minlength": 3},
              "outputs": [encode(torch.bincount(torch.zeros(0, dtype=torch.int64), minlength=3))]})

with open(os.path.join(OUT, "sort.json"), "w") as fh:
    json.dump({"generator": "tools/gen_sort_fixtures.py", "torch": torch.__version__,
               "cases": cases}, fh, separators=(",", ":"))
print(f"wrote {len(cases)} cases")

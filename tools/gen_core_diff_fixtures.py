#!/usr/bin/python3
"""Writes tests/fixtures/core/diff.json: a differential sweep of the tensor core against PyTorch.

Run with the Debian PyTorch 1.13 interpreter:  /usr/bin/python3 tools/gen_core_diff_fixtures.py

Each case names an op key (implemented again in tests/core_diff.test.ts), its parameters and its
inputs (values, dtype and an optional chain of views: transpose, stepped slice, permute, expand).
The expected result is PyTorch's: the output values, shape and dtype (int64 is stored as int32, the
toolkit's stand-in), the rendering (`str`), or that PyTorch raises (`error`). Cases cover type
promotion, broadcasting corners, reductions on views, indexing rules, views, creation ops, matmul
broadcasting, clamp, rounding, integer division signs and the printing of large tensors.
"""
import json
import math
import os
import random

import torch

from fixture_common import numel

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "core")
rng = random.Random(20241)
torch.manual_seed(0)

DT = {"float32": torch.float32, "float64": torch.float64, "int32": torch.int64, "bool": torch.bool}
NAME = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int32",
        torch.int32: "int32", torch.bool: "bool"}


def enc(v):
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
    return v


def rand_values(dtype, n, kind="n"):
    if dtype == "bool":
        return [rng.random() < 0.5 for _ in range(n)]
    if dtype == "int32":
        lo, hi = (-9, 10) if kind != "p" else (1, 10)
        return [rng.randrange(lo, hi) for _ in range(n)]
    if kind == "p":
        return [round(rng.uniform(0.2, 3.0), 3) for _ in range(n)]
    if kind == "ties":
        return [float(rng.randrange(-2, 3)) for _ in range(n)]
    if kind == "z":  # with zeros
        return [0.0 if rng.random() < 0.3 else round(rng.uniform(-2, 2), 2) for _ in range(n)]
    return [round(rng.uniform(-3, 3), 3) for _ in range(n)]


def inp(shape, dtype="float32", kind="n", view=None, data=None):
    """An input: a base tensor of `shape` seen through `view` (a list of steps)."""
    if data is None:
        data = rand_values(dtype, numel(shape), kind)
    return {"shape": shape, "dtype": dtype, "data": [enc(v) for v in data], "view": view or []}


def build(spec):
    dec = {"nan": float("nan"), "inf": float("inf"), "-inf": float("-inf")}
    t = torch.tensor([dec.get(v, v) if isinstance(v, str) else v for v in spec["data"]],
                     dtype=DT[spec["dtype"]])
    t = t.reshape(spec["shape"])
    for step in spec["view"]:
        k = step[0]
        if k == "t":
            t = t.transpose(step[1], step[2])
        elif k == "slice":
            _, d, s, e, st = step
            idx = [slice(None)] * t.dim()
            idx[d] = slice(s, e, st)
            t = t[tuple(idx)]
        elif k == "permute":
            t = t.permute(step[1])
        elif k == "expand":
            t = t.expand(step[1])
    return t


def out_of(r):
    if isinstance(r, (tuple, list)):
        return [out_of(x)[0] for x in r]
    if isinstance(r, str):
        return [{"str": r}]
    if not isinstance(r, torch.Tensor):
        r = torch.tensor(r)
    data = r.detach().reshape(-1).tolist()
    if r.dtype == torch.float32:  # 9 significant digits round-trip a float32
        data = [float(f"{v:.9g}") for v in data]
    return [{"shape": list(r.shape), "dtype": NAME[r.dtype], "data": [enc(v) for v in data]}]


CASES = []

# The toolkit names dtypes without "torch." (int32 stands in for int64); rename the suffixes
# before PyTorch lays them out, so that its line-width decisions use the toolkit's names.
_add_suffixes = torch._tensor_str._add_suffixes


def _toolkit_suffixes(tensor_str, suffixes, indent, force_newline):
    renamed = [s.replace("torch.int64", "int32").replace("torch.", "") for s in suffixes]
    return _add_suffixes(tensor_str, renamed, indent, force_newline)


torch._tensor_str._add_suffixes = _toolkit_suffixes


def case(op, inputs, params=None, fn=None, note=""):
    params = params or {}
    ts = [build(s) for s in inputs]
    c = {"id": f"{len(CASES)}:{op}{(' ' + note) if note else ''}", "op": op,
         "params": {k: enc(v) for k, v in params.items()},
         "inputs": inputs}
    try:
        r = fn(ts, params)
        c["expect"] = out_of(r)
    except Exception as e:  # noqa: BLE001 - PyTorch raising is the expectation
        c["error"] = str(e).split("\n")[0][:200]
    CASES.append(c)


BIN = {
    "add": lambda a, b: torch.add(a, b), "sub": lambda a, b: torch.sub(a, b),
    "mul": lambda a, b: torch.mul(a, b), "div": lambda a, b: torch.div(a, b),
    "floorDivide": lambda a, b: torch.floor_divide(a, b),
    "remainder": lambda a, b: torch.remainder(a, b), "fmod": lambda a, b: torch.fmod(a, b),
    "pow": lambda a, b: torch.pow(a, b), "maximum": torch.maximum, "minimum": torch.minimum,
    "eq": torch.eq, "lt": torch.lt, "ge": torch.ge, "ne": torch.ne,
    "atan2": torch.atan2, "logicalAnd": torch.logical_and, "logicalOr": torch.logical_or,
}


def bin_fn(name):
    return lambda ts, p: BIN[name](*[t if t is not None else None for t in ts])


def scal_fn(name, rev=False):
    def f(ts, p):
        s = p["s"]
        return BIN[name](s, ts[0]) if rev else BIN[name](ts[0], s)
    return f


DTYPES = ["float32", "float64", "int32", "bool"]

# ---- type promotion: tensor-tensor, tensor-scalar, zero-dim tensors -----------------------
for name in ["add", "sub", "mul", "div", "floorDivide", "remainder", "fmod", "pow", "maximum",
             "eq", "lt", "logicalAnd"]:
    for da in DTYPES:
        for db in DTYPES:
            kind_b = "p" if name in ("div", "floorDivide", "remainder", "fmod") else "n"
            if kind_b == "p" and db == "bool" and da != "bool" and name != "div":
                continue  # integer division by False raises ZeroDivisionError: data-dependent
            case(name, [inp([2, 3], da), inp([3], db, kind_b)], fn=bin_fn(name), note=f"{da}-{db}")
            # a zero-dim tensor takes part in promotion like a scalar of its category
            case(name, [inp([2, 3], da), inp([], db, kind_b)], fn=bin_fn(name),
                 note=f"{da}-0d{db}")
        for s in [2, -3, 2.5, True]:
            if name in ("maximum", "logicalAnd"):
                continue  # an extension: PyTorch only takes tensors here
            if name == "sub" and (da == "bool" or isinstance(s, bool)):
                continue
            if name in ("div", "floorDivide", "remainder", "fmod") and s is True:
                continue
            case(name + "_s", [inp([2, 3], da)], {"s": s, "fn": name}, fn=scal_fn(name),
                 note=f"{da}-{s!r}")
            if name in ("sub", "div", "pow", "remainder") and not isinstance(s, bool):
                kb = "p" if name != "pow" else "n"
                if name == "remainder" and da == "bool":
                    continue  # integer remainder by False raises: data-dependent
                if name == "pow" and da in ("int32",):
                    continue
                case(name + "_r", [inp([2, 3], da, kb)], {"s": s, "fn": name},
                     fn=scal_fn(name, True), note=f"{s!r}-{da}")

# two-argument math functions: promotion of int/bool inputs and zero-dim tensors
for name, f in [("atan2", torch.atan2), ("hypot", torch.hypot), ("copysign", torch.copysign),
                ("logaddexp", torch.logaddexp), ("xlogy", torch.xlogy),
                ("heaviside", torch.heaviside)]:
    for da, db in [("float32", "int32"), ("int32", "int32"), ("int32", "bool"),
                   ("float32", "float64"), ("int32", "float64"), ("bool", "bool")]:
        if name in ("hypot", "logaddexp") and "float" not in da + db:
            continue  # an extension: PyTorch has no integer kernels, the toolkit goes float32
        for sb in [[3], []]:
            case(name, [inp([2, 3], da, "p"), inp(sb, db, "p")],
                 fn=lambda ts, p, f=f: f(ts[0], ts[1]), note=f"{da}-{'0d' if not sb else ''}{db}")

# integer division and remainder signs
ia = [7, -7, 7, -7, 0, 5, -5, 9]
ib = [2, 2, -2, -2, 3, -3, 3, -4]
for name in ["floorDivide", "remainder", "fmod", "div"]:
    case(name, [inp([8], "int32", data=ia), inp([8], "int32", data=ib)], fn=bin_fn(name),
         note="signs")
    case(name, [inp([8], "float32", data=[float(v) for v in ia]),
                inp([8], "float32", data=[float(v) + 0.5 for v in ib])], fn=bin_fn(name),
         note="fsigns")
    case(name + "_s", [inp([8], "int32", data=ia)], {"s": -3, "fn": name}, fn=scal_fn(name),
         note="signs")
    case(name + "_s", [inp([8], "float32", data=[v * 0.75 for v in ia])], {"s": -2.5, "fn": name},
         fn=scal_fn(name), note="fsigns")
case("pow", [inp([4], "int32", data=[2, 3, 0, -2]), inp([4], "int32", data=[3, 0, 0, 3])],
     fn=bin_fn("pow"), note="int")
case("pow", [inp([2], "int32", data=[2, 3]), inp([2], "int32", data=[-1, -2])],
     fn=bin_fn("pow"), note="negexp")

# in-place ops that would need a downcast must raise
for name, f in [("add_", lambda t, o: t.add_(o)), ("sub_", lambda t, o: t.sub_(o)),
                ("mul_", lambda t, o: t.mul_(o)), ("div_", lambda t, o: t.div_(o))]:
    for da in DTYPES:
        for db in DTYPES:
            if name == "sub_" and "bool" in (da, db):
                continue
            case(name, [inp([2, 3], da, "p"), inp([3], db, "p")],
                 fn=lambda ts, p, f=f: f(ts[0], ts[1]), note=f"{da}-{db}")
        for s in [2, 2.5]:
            if name == "sub_" and da == "bool":
                continue
            case(name + "scalar", [inp([2, 3], da, "p")], {"s": s},
                 fn=lambda ts, p, f=f: f(ts[0], p["s"]), note=f"{da}-{s}")
    # in-place output cannot be broadcast to a bigger shape
    case(name, [inp([3], "float32", "p"), inp([2, 3], "float32", "p")],
         fn=lambda ts, p, f=f: f(ts[0], ts[1]), note="bcast-self")

# in-place writes through an expanded view (elements sharing memory) raise, except fill_/zero_
for name, f in [("add_", lambda t: t.add_(1.0)), ("mul_", lambda t: t.mul_(2.0)),
                ("fill_", lambda t: t.fill_(1.0)), ("zero_", lambda t: t.zero_()),
                ("copy_", lambda t: t.copy_(torch.ones(3, 4))),
                ("clamp_", lambda t: t.clamp_(0.0, 1.0))]:
    case("overlap", [inp([3, 1], view=[["expand", [3, 4]]])], {"fn": name},
         fn=lambda ts, p, f=f: f(ts[0]), note=name)
    case("overlap", [inp([1, 4], view=[["expand", [1, 4]]])], {"fn": name},
         fn=lambda ts, p, f=f: f(ts[0]), note=f"{name} size-1")

# ---- broadcasting corners -------------------------------------------------------------------
for sa, sb in [([0, 3], [3]), ([0, 3], [1, 3]), ([2, 0], [2, 1]), ([1, 0], [3, 1]), ([], [2, 3]),
               ([3, 1, 2], [4, 1]), ([2, 3], [3, 2]), ([0], [2]), ([2, 1], [0]), ([], [0]),
               ([1], []), ([5, 1, 1], [1, 4, 1])]:
    case("add", [inp(sa), inp(sb)], fn=bin_fn("add"), note=f"{sa}+{sb}")

# ---- reductions -----------------------------------------------------------------------------
RED_VIEWS = [[], [["t", 0, 2]], [["slice", 1, 0, 4, 2]], [["permute", [2, 0, 1]]],
             [["expand", [3, 2, 4]]]]
for vi, view in enumerate(RED_VIEWS):
    base = [3, 1, 4] if vi == 4 else [3, 4, 2] if vi != 1 else [2, 4, 3]
    if vi == 2:
        base = [3, 5, 2]
    for dims in [None, 0, -1, [0, 2], [-1, -3], [1]]:
        for keep in [False, True]:
            for op in ["sum", "mean", "prod", "amax", "amin", "var", "std", "logsumexp"]:
                if dims is None and (keep or op == "logsumexp"):
                    continue
                if op == "prod" and isinstance(dims, list):
                    continue  # an extension: PyTorch 1.13's prod takes a single dim
                p = {"dim": dims, "keepdim": keep}
                kind = "ties" if op in ("amax", "amin") else "n"

                def rf(ts, p, op=op):
                    t = ts[0]
                    if p["dim"] is None:
                        return getattr(t, op)()
                    return getattr(t, op)(p["dim"], keepdim=p["keepdim"])
                case(op, [inp(base, "float32", kind, view)], p, fn=rf, note=f"v{vi}")
            if isinstance(dims, int):
                for op in ["argmax", "argmin", "max_dim", "min_dim", "cumsum", "cumprod",
                           "median_dim"]:
                    if op.startswith("cum") and keep:
                        continue
                    p = {"dim": dims, "keepdim": keep}

                    def af(ts, p, op=op):
                        t = ts[0]
                        if op.startswith("cum"):
                            return getattr(t, op)(p["dim"])
                        if op.endswith("_dim"):
                            return tuple(getattr(t, op[:-4])(p["dim"], keepdim=p["keepdim"]))
                        return getattr(t, op)(p["dim"], keepdim=p["keepdim"])
                    case(op, [inp(base, "float32", "ties" if op[0] != "c" else "z", view)], p,
                         fn=af, note=f"v{vi}")
# argmax/argmin over all, ties; integer and bool reductions
for op in ["argmax", "argmin"]:
    case(op, [inp([2, 3], data=[1.0, 3.0, 3.0, 0.0, 3.0, 0.0])], {"dim": None},
         fn=lambda ts, p, op=op: getattr(ts[0], op)(), note="ties")
    case(op, [inp([3], data=[float("nan"), 1.0, float("nan")])], {"dim": None},
         fn=lambda ts, p, op=op: getattr(ts[0], op)(), note="nan")
for dtype in ["int32", "bool"]:
    for op in ["sum", "prod", "amax", "mean", "cumsum", "cumprod", "argmax"]:
        p = {"dim": 1, "keepdim": False}

        def idf(ts, p, op=op):
            if op.startswith("cum"):
                return getattr(ts[0], op)(1)
            return getattr(ts[0], op)(1)
        case(op, [inp([2, 3], dtype)], p, fn=idf, note=dtype)
        case(op + "_all", [inp([2, 3], dtype)], {},
             fn=lambda ts, p, op=op: getattr(ts[0], op)() if not op.startswith("cum")
             else getattr(ts[0], op)(0), note=dtype)
for corr in [0, 1, 2, 5]:
    for dims in [None, 1, [0, 1]]:
        def vf(ts, p):
            return torch.var(ts[0], p["dim"], correction=p["correction"]), torch.std(
                ts[0], p["dim"], correction=p["correction"])
        case("varstd", [inp([3, 4])], {"dim": dims, "correction": corr}, fn=vf, note=f"c{corr}")
case("varstd", [inp([1, 4])], {"dim": 0, "correction": 1}, fn=lambda ts, p: (
    torch.var(ts[0], 0), torch.std(ts[0], 0)), note="n1")
case("sum", [inp([0, 3])], {"dim": 0, "keepdim": False}, fn=lambda ts, p: ts[0].sum(0), note="empty")
case("prod", [inp([0, 3])], {"dim": 0, "keepdim": False}, fn=lambda ts, p: ts[0].prod(0),
     note="empty")
case("mean", [inp([0, 3])], {"dim": 0, "keepdim": False}, fn=lambda ts, p: ts[0].mean(0),
     note="empty")
case("amax", [inp([0, 3])], {"dim": 0, "keepdim": False}, fn=lambda ts, p: ts[0].amax(0),
     note="empty")
case("amax", [inp([0, 3])], {"dim": 1, "keepdim": False}, fn=lambda ts, p: ts[0].amax(1),
     note="empty1")
case("sum", [inp([2, 3])], {"dim": [0, 0], "keepdim": False}, fn=lambda ts, p: ts[0].sum([0, 0]),
     note="dup")
case("sum", [inp([2, 3])], {"dim": 2, "keepdim": False}, fn=lambda ts, p: ts[0].sum(2), note="oob")
case("sum", [inp([])], {"dim": 0, "keepdim": True}, fn=lambda ts, p: ts[0].sum(0, keepdim=True),
     note="0d")
case("sum", [inp([])], {"dim": -1, "keepdim": False}, fn=lambda ts, p: ts[0].sum(-1), note="0d")
case("cumprod", [inp([5], data=[2.0, 0.0, 3.0, 0.0, 4.0])], {"dim": 0},
     fn=lambda ts, p: ts[0].cumprod(0), note="zeros")
case("prod", [inp([2, 3], data=[0.0, 2.0, 3.0, 4.0, 0.0, 0.0])], {"dim": 1, "keepdim": False},
     fn=lambda ts, p: ts[0].prod(1), note="zeros")

# NaN propagation in reductions and scans (max/min pick the NaN, argmax points at it)
nanrow = [1.0, float("nan"), 3.0, -1.0, 2.0, 0.5]
for op in ["sum", "amax", "amin", "argmax", "argmin", "max_dim", "min_dim", "cumsum", "logsumexp",
           "mean", "prod", "median_dim"]:
    p = {"dim": 1, "keepdim": False}

    def nf(ts, p, op=op):
        if op.endswith("_dim"):
            return tuple(getattr(ts[0], op[:-4])(1))
        return getattr(ts[0], op)(1)
    case(op, [inp([2, 3], data=nanrow)], p, fn=nf, note="nan")
for op in ["cummax", "cummin"]:
    case(op, [inp([2, 3], data=nanrow)], {"dim": 1}, fn=lambda ts, p, op=op: tuple(
        getattr(ts[0], op)(1)), note="nan")
    case(op, [inp([2, 4], data=[1.0, 3.0, 3.0, 2.0, 0.0, 0.0, -1.0, 0.0])], {"dim": -1},
         fn=lambda ts, p, op=op: tuple(getattr(ts[0], op)(-1)), note="ties")

# long float32 accumulations (PyTorch sums pairwise and scans in double on the CPU)
for v, n in [(0.1, 100000), (1.0001, 300000), (-0.37, 65537)]:
    long = [["expand", [n]]]
    for op in ["sum", "mean"]:
        case(op, [inp([1], data=[v], view=long)], {"dim": 0, "keepdim": False},
             fn=lambda ts, p, op=op: getattr(ts[0], op)(0), note=f"long {v}")
    case("cumsum_tail", [inp([1], data=[v], view=long)], {"dim": 0},
         fn=lambda ts, p: ts[0].cumsum(0)[-3:], note=f"long {v}")
    case("varstd", [inp([2], data=[v, 1e4 + v], view=[["expand", [n // 2, 2]], ["t", 0, 1]])],
         {"dim": 1, "correction": 1}, fn=lambda ts, p: (torch.var(ts[0], 1), torch.std(ts[0], 1)),
         note=f"long {v}")

# ---- indexing ---------------------------------------------------------------------------------
for args in [(0, None, None, 1), (1, -3, None, 1), (1, None, -1, 2), (0, -10, 10, 1),
             (1, 1, 4, 3), (-1, 2, 1, 1), (1, 5, 9, 1), (0, 1, 2, 0), (1, None, None, -1)]:
    d, s, e, st = args

    def sf(ts, p):
        idx = [slice(None)] * ts[0].dim()
        idx[p["dim"]] = slice(p["start"], p["end"], p["step"])
        return ts[0][tuple(idx)]
    case("slice", [inp([3, 5])], {"dim": d, "start": s, "end": e, "step": st}, fn=sf)
for d, s, ln in [(0, 1, 2), (1, -2, 2), (-1, 0, 0), (1, 4, 2), (1, -6, 1), (0, 3, 0)]:
    case("narrow", [inp([3, 5])], {"dim": d, "start": s, "length": ln},
         fn=lambda ts, p: ts[0].narrow(p["dim"], p["start"], p["length"]))
for d, i in [(0, -1), (1, -5), (-1, 2), (1, 5), (0, -4), (-3, 0)]:
    case("select", [inp([3, 5])], {"dim": d, "index": i},
         fn=lambda ts, p: ts[0].select(p["dim"], p["index"]))
case("select", [inp([])], {"dim": 0, "index": 0}, fn=lambda ts, p: ts[0].select(0, 0), note="0d")

for d, ishape, ok in [(0, [2, 3], True), (1, [3, 2], True), (-1, [2, 2], True), (-2, [1, 3], True),
                      (1, [4, 2], False), (0, [2], False), (1, [3, 4], True)]:
    hi = 3 if d in (0, -2) else 4
    idx = inp(ishape, "int32", data=[rng.randrange(-hi if ok else 0, hi) for _ in range(numel(ishape))])
    if not ok:
        idx = inp(ishape, "int32", data=[rng.randrange(0, 2) for _ in range(numel(ishape))])
    case("gather", [inp([3, 4]), idx], {"dim": d}, fn=lambda ts, p: torch.gather(ts[0], p["dim"], ts[1]))
    src = inp([3, 4])
    pos_idx = inp(ishape, "int32", data=[abs(v) % hi for v in idx["data"]])
    case("scatterAdd", [inp([3, 4]), pos_idx, src], {"dim": d},
         fn=lambda ts, p: ts[0].scatter_add(p["dim"], ts[1], ts[2]))
    case("scatter", [inp([3, 4]), pos_idx, src], {"dim": d},
         fn=lambda ts, p: ts[0].scatter(p["dim"], ts[1], ts[2]))
    case("scatter_s", [inp([3, 4]), pos_idx], {"dim": d, "s": 1.5},
         fn=lambda ts, p: ts[0].scatter(p["dim"], ts[1], p["s"]))
case("gather", [inp([3, 4]), inp([2, 2], "int32", data=[0, 4, 1, 2])], {"dim": 1},
     fn=lambda ts, p: torch.gather(ts[0], 1, ts[1]), note="oob")
case("gather", [inp([3, 4]), inp([2, 2], "float32", data=[0, 1, 1, 2])], {"dim": 1},
     fn=lambda ts, p: torch.gather(ts[0], 1, ts[1]), note="float index")
case("gather", [inp([3, 4]), inp([2, 2], "int32", data=[0, 1, 1, 2])], {"dim": 2},
     fn=lambda ts, p: torch.gather(ts[0], 2, ts[1]), note="bad dim")
for d, ix in [(0, [2, 0, 2]), (-1, [3, 0]), (1, []), (0, [-1])]:
    case("indexSelect", [inp([3, 4]), inp([len(ix)], "int32", data=ix)], {"dim": d},
         fn=lambda ts, p: torch.index_select(ts[0], p["dim"], ts[1]))
case("indexSelect", [inp([3, 4]), inp([1, 2], "int32", data=[0, 1])], {"dim": 0},
     fn=lambda ts, p: torch.index_select(ts[0], 0, ts[1]), note="2d index")
for ms, v in [([2, 3], 5.0), ([3], -1.0), ([1, 3], 2.0), ([2, 1], float("inf"))]:
    for dtype in ["float32", "int32"]:
        if dtype == "int32" and math.isinf(v):
            continue
        case("maskedFill", [inp([2, 3], dtype), inp(ms, "bool")], {"value": v},
             fn=lambda ts, p: ts[0].masked_fill(ts[1], p["value"]), note=dtype)
case("maskedFill", [inp([2, 3]), inp([2, 3], "int32", data=[1, 0, 1, 0, 1, 0])], {"value": 1.0},
     fn=lambda ts, p: ts[0].masked_fill(ts[1], p["value"]), note="int mask")
case("maskedFill", [inp([3]), inp([2, 3], "bool")], {"value": 1.0},
     fn=lambda ts, p: ts[0].masked_fill(ts[1], p["value"]), note="bcast self")
case("maskedFill", [inp([2, 3], "int32"), inp([2, 3], "bool")], {"value": 1.5},
     fn=lambda ts, p: ts[0].masked_fill(ts[1], p["value"]), note="int float value")
for da, db in [("float32", "float32"), ("int32", "float32"), ("int32", "int32"),
               ("float32", "float64"), ("bool", "int32")]:
    case("where", [inp([2, 3], "bool"), inp([2, 3], da), inp([3], db)], {},
         fn=lambda ts, p: torch.where(ts[0], ts[1], ts[2]), note=f"{da}-{db}")
for da, s in [("float32", 2.5), ("int32", 2), ("int32", 2.5), ("float64", 1.0), ("bool", 1)]:
    case("where_s", [inp([2, 3], "bool"), inp([2, 3], da)], {"s": s},
         fn=lambda ts, p: torch.where(ts[0], ts[1], p["s"]), note=f"{da}-{s}")
case("where", [inp([2, 1], "bool"), inp([3], "float32"), inp([], "float32")], {},
     fn=lambda ts, p: torch.where(ts[0], ts[1], ts[2]), note="bcast")
case("where", [inp([2, 3], "float32", data=[1, 0, 2, 0, 0, 3]), inp([2, 3]), inp([2, 3])], {},
     fn=lambda ts, p: torch.where(ts[0], ts[1], ts[2]), note="float cond")

# ---- views ------------------------------------------------------------------------------------
NC = [["t", 0, 1]]
for shape in [[6, 2], [-1], [3, -1], [2, 3, 2], [12], [5, -1], [-1, -1], [0, -1]]:
    for view in [[], NC]:
        case("reshape", [inp([3, 4], view=view)], {"shape": shape},
             fn=lambda ts, p: ts[0].reshape(p["shape"]), note=str(view != []))
        case("view", [inp([3, 4], view=view)], {"shape": shape},
             fn=lambda ts, p: ts[0].view(p["shape"]), note=str(view != []))
case("view", [inp([3, 4], view=[["t", 0, 1]])], {"shape": [4, 3]},
     fn=lambda ts, p: ts[0].view(p["shape"]), note="nc same")
case("view", [inp([2, 3, 4], view=[["slice", 2, 0, 4, 2]])], {"shape": [6, 2]},
     fn=lambda ts, p: ts[0].view(p["shape"]), note="nc merge ok")
case("view", [inp([2, 3, 4], view=[["permute", [1, 0, 2]]])], {"shape": [3, 2, 2, 2]},
     fn=lambda ts, p: ts[0].view(p["shape"]), note="nc split ok")
case("view", [inp([2, 3, 4], view=[["permute", [1, 0, 2]]])], {"shape": [6, 4]},
     fn=lambda ts, p: ts[0].view(p["shape"]), note="nc merge bad")
case("reshape", [inp([0, 3])], {"shape": [3, -1]}, fn=lambda ts, p: ts[0].reshape(p["shape"]),
     note="empty infer")
for s, e in [(0, -1), (1, 2), (-2, -1), (2, 1), (0, 0)]:
    case("flatten", [inp([2, 3, 2], view=[["permute", [2, 0, 1]]])], {"start": s, "end": e},
         fn=lambda ts, p: ts[0].flatten(p["start"], p["end"]))
case("flatten", [inp([])], {"start": 0, "end": -1}, fn=lambda ts, p: ts[0].flatten(), note="0d")
for d, sizes in [(1, [2, 2]), (-1, [-1, 2]), (0, [1, 3]), (1, [3, 2])]:
    case("unflatten", [inp([3, 4])], {"dim": d, "sizes": sizes},
         fn=lambda ts, p: ts[0].unflatten(p["dim"], p["sizes"]))
for d in [None, 0, -1, 1, [0, 2], -4, 3]:
    case("squeeze", [inp([1, 3, 1])], {"dim": d},
         fn=lambda ts, p: ts[0].squeeze() if p["dim"] is None else
         (ts[0].squeeze(p["dim"]) if not isinstance(p["dim"], list) else
          ts[0].squeeze(p["dim"][0]).squeeze(p["dim"][1] - 1)))
for d in [0, -1, 3, -4, 4, -5]:
    case("unsqueeze", [inp([2, 3, 1])], {"dim": d}, fn=lambda ts, p: ts[0].unsqueeze(p["dim"]))
case("unsqueeze", [inp([])], {"dim": -1}, fn=lambda ts, p: ts[0].unsqueeze(-1), note="0d")
for perm in [[2, 0, 1], [-1, 0, 1], [0, 0, 1], [0, 1]]:
    case("permute", [inp([2, 3, 4])], {"perm": perm}, fn=lambda ts, p: ts[0].permute(p["perm"]))
for a, b in [(0, -1), (-3, 2), (1, 1), (0, 3)]:
    case("transpose", [inp([2, 3, 4])], {"a": a, "b": b},
         fn=lambda ts, p: ts[0].transpose(p["a"], p["b"]))
for shape in [[2, 3, 4], [-1, 4], [3, 1, -1], [2, 0, 4], [4, 4], [1, 4], [-1, -1, -1]]:
    case("expand", [inp([3, 1])], {"shape": shape}, fn=lambda ts, p: ts[0].expand(p["shape"]))
for reps in [[2, 1], [1, 2, 3], [0, 2], [2], [1, 1]]:
    case("repeat", [inp([2, 3], view=NC)], {"reps": reps}, fn=lambda ts, p: ts[0].repeat(p["reps"]))

# joins, splits and other shape ops
for shapes, dtypes, dim in [([[2, 3], [1, 3]], ["float32", "int32"], 0),
                            ([[2, 3], [2, 1]], ["int32", "bool"], -1),
                            ([[2, 3], [0]], ["float32", "float32"], 0),
                            ([[2, 3], [2, 0]], ["float32", "float64"], 1),
                            ([[2, 3], [3, 2]], ["float32", "float32"], 0),
                            ([[2, 3], [2, 3]], ["float32", "float32"], 2),
                            ([[], []], ["float32", "float32"], 0),
                            ([[2, 3], [0]], ["float32", "float64"], 0),
                            ([[0], [0]], ["float32", "int32"], 0)]:
    case("cat", [inp(sh, dt) for sh, dt in zip(shapes, dtypes)], {"dim": dim},
         fn=lambda ts, p: torch.cat(ts, p["dim"]), note=f"{shapes} {dtypes}")
for shapes, dim in [([[2, 3], [2, 3]], -1), ([[2, 3], [2, 3]], 2), ([[2, 3], [2, 3]], -3),
                    ([[2, 3], [3, 2]], 0), ([[], []], 0)]:
    case("stack", [inp(sh) for sh in shapes], {"dim": dim},
         fn=lambda ts, p: torch.stack(ts, p["dim"]), note=f"{shapes}")
for size, dim in [(2, 1), (4, 1), ([1, 4], -1), ([2, 2], -1), (5, 0)]:
    case("split", [inp([3, 5])], {"size": size, "dim": dim},
         fn=lambda ts, p: tuple(ts[0].split(p["size"], p["dim"])), note=f"{size}")
for chunks, dim in [(2, 1), (3, 1), (4, 0), (6, 1), (2, -1)]:
    case("chunk", [inp([3, 5])], {"chunks": chunks, "dim": dim},
         fn=lambda ts, p: tuple(ts[0].chunk(p["chunks"], p["dim"])), note=f"{chunks}")
for shifts, dims in [(1, 0), (-1, 1), (7, 1), ([1, -2], [0, 1]), (2, None)]:
    case("roll", [inp([3, 4], view=NC)], {"shifts": shifts, "dims": dims},
         fn=lambda ts, p: torch.roll(ts[0], p["shifts"], p["dims"]) if p["dims"] is not None
         else torch.roll(ts[0], p["shifts"]), note=f"{shifts}")
for dg in [-1, 0, 2, -5, 5]:
    for op in ["tril", "triu"]:
        case(op, [inp([3, 5])], {"diagonal": dg}, fn=lambda ts, p, op=op: getattr(ts[0], op)(
            p["diagonal"]), note=f"{dg}")
for off, d1, d2 in [(0, 0, 1), (1, 0, 1), (-1, 1, 0), (2, -1, -2), (-4, 0, 1)]:
    case("diagonal", [inp([3, 4])], {"offset": off, "d1": d1, "d2": d2},
         fn=lambda ts, p: torch.diagonal(ts[0], p["offset"], p["d1"], p["d2"]), note=f"{off}")
for shape in [[3, 4], [4], [], [2, 3, 4]]:
    case("t", [inp(shape)], {}, fn=lambda ts, p: ts[0].t(), note=f"{shape}")
for dims in [0, [0, 1], -1, [1, -1]]:
    case("flip", [inp([3, 4], view=NC)], {"dims": dims},
         fn=lambda ts, p: torch.flip(ts[0], [p["dims"]] if isinstance(p["dims"], int)
                                     else p["dims"]), note=f"{dims}")
for reps, dim in [(2, None), (2, 0), ([1, 0, 2], 0), ([1, 2, 1, 0], 1)]:
    case("repeatInterleave", [inp([3, 4])], {"reps": reps, "dim": dim},
         fn=lambda ts, p: torch.repeat_interleave(
             ts[0], torch.tensor(p["reps"]) if isinstance(p["reps"], list) else p["reps"],
             p["dim"]), note=f"{reps},{dim}")
for reps in [[2], [2, 1, 2], [1, 2]]:
    case("tile", [inp([2, 3])], {"reps": reps}, fn=lambda ts, p: ts[0].tile(p["reps"]))
for n, dim in [(1, -1), (2, 0), (1, 1), (3, -1)]:
    case("diff", [inp([3, 4], "int32")], {"n": n, "dim": dim},
         fn=lambda ts, p: torch.diff(ts[0], p["n"], p["dim"]), note=f"{n},{dim}")
case("diff", [inp([3, 4], "bool")], {"n": 1, "dim": -1},
     fn=lambda ts, p: torch.diff(ts[0], 1, -1), note="bool")
case("countNonzero", [inp([3, 4], "float32", "z")], {"dim": [0, 1]},
     fn=lambda ts, p: torch.count_nonzero(ts[0], [0, 1]))
case("countNonzero", [inp([3, 4], "float32", "z")], {"dim": -1},
     fn=lambda ts, p: torch.count_nonzero(ts[0], -1))
for k, dim, largest in [(2, -1, True), (1, 0, False), (3, 1, True), (5, 1, True)]:
    case("topk", [inp([3, 4], "float32", "ties")], {"k": k, "dim": dim, "largest": largest},
         fn=lambda ts, p: tuple(torch.topk(ts[0], p["k"], p["dim"], p["largest"]))[0],
         note="values")
for k, dim in [(1, -1), (2, 0), (4, 1)]:
    case("kthvalue", [inp([3, 4], "float32")], {"k": k, "dim": dim},
         fn=lambda ts, p: tuple(torch.kthvalue(ts[0], p["k"], p["dim"])))

# zero-element and zero-dim corners of views and indexing
for shape, target in [([0, 3], [-1, 0]), ([0, 3], [0, -1]), ([], [-1]), ([], [1, 1]), ([], []),
                      ([1], []), ([2, 0], [0, 5])]:
    case("reshape", [inp(shape)], {"shape": target}, fn=lambda ts, p: ts[0].reshape(p["shape"]),
         note=f"{shape}->{target}")
case("indexSelect", [inp([3, 4]), inp([], "int32", data=[1])], {"dim": 0},
     fn=lambda ts, p: torch.index_select(ts[0], 0, ts[1]), note="0d index")
case("indexSelect", [inp([]), inp([1], "int32", data=[0])], {"dim": 0},
     fn=lambda ts, p: torch.index_select(ts[0], 0, ts[1]), note="0d self")
case("gather", [inp([]), inp([], "int32", data=[0])], {"dim": 0},
     fn=lambda ts, p: torch.gather(ts[0], 0, ts[1]), note="0d")
case("expand", [inp([])], {"shape": [2, 3]}, fn=lambda ts, p: ts[0].expand(p["shape"]), note="0d")
case("squeeze", [inp([])], {"dim": 0}, fn=lambda ts, p: ts[0].squeeze(0), note="0d")
case("permute", [inp([])], {"perm": []}, fn=lambda ts, p: ts[0].permute([]), note="0d")
for dtype in ["int32", "bool"]:
    for op in ["max_dim", "min_dim", "cummax", "cummin", "median_dim"]:
        case(op, [inp([2, 4], dtype)], {"dim": 1, "keepdim": False},
             fn=lambda ts, p, op=op: tuple(getattr(ts[0], op.replace("_dim", ""))(1)),
             note=dtype)
    case("amax", [inp([2, 4], dtype)], {"dim": 1, "keepdim": False},
         fn=lambda ts, p: ts[0].amax(1), note=dtype)

# zero-dim inputs to dim-taking ops (dim 0 and -1 name the tensor itself)
z = [inp([], data=[1.25])]
for key, f in [("cumsum", lambda t: t.cumsum(0)), ("cumprod", lambda t: t.cumprod(-1)),
               ("softmax", lambda t: t.softmax(0)), ("logSoftmax", lambda t: t.log_softmax(-1)),
               ("argmax", lambda t: t.argmax(0)), ("argmax_kd", lambda t: t.argmax(0, True)),
               ("max_dim", lambda t: tuple(t.max(0))), ("min_dim", lambda t: tuple(t.min(-1))),
               ("logsumexp", lambda t: t.logsumexp(0)), ("amax", lambda t: t.amax(0)),
               ("mean", lambda t: t.mean(-1)), ("var", lambda t: t.var(0)),
               ("flip", lambda t: t.flip([0])), ("roll", lambda t: t.roll(1, 0)),
               ("narrow", lambda t: t.narrow(0, 0, 1)), ("transpose", lambda t: t.transpose(0, -1)),
               ("cummax", lambda t: tuple(t.cummax(0))), ("unbind", lambda t: t.unbind(0)),
               ("movedim", lambda t: t.movedim(0, 0)), ("diff", lambda t: t.diff()),
               ("sort", lambda t: tuple(t.sort(0))), ("topk", lambda t: tuple(t.topk(1, 0))),
               ("chunk", lambda t: t.chunk(1, 0)), ("repeatInterleave0", lambda t:
                                                     t.repeat_interleave(2, 0))]:
    case("zd_" + key, z, {}, fn=lambda ts, p, f=f: f(ts[0]), note="0d")

# ---- creation ---------------------------------------------------------------------------------
for args in [(0, 1, 0.1), (0, 1, 0.3), (1, 2.5, 0.5), (-1, 1, 0.25), (0, 10, 3), (10, 0, -3),
             (0, 1.000001, 0.1), (0.5, 3), (5,), (2.5,), (0, -1, 0.3), (1, 1, 1), (0, 0.3, 0.1),
             (-2.5, 2.5, 0.5), (0, 5, 1.5)]:
    case("arange", [], {"args": list(args)}, fn=lambda ts, p: torch.arange(*p["args"]),
         note=str(args))
for s, e, n in [(0, 1, 5), (0, 1, 1), (-1, 1, 0), (1, 0, 4), (0, 10, 11), (0, 1, 7), (3, 3, 3),
                (-5.5, 2.25, 9), (0, 1e-3, 4)]:
    case("linspace", [], {"args": [s, e, n]}, fn=lambda ts, p: torch.linspace(*p["args"]),
         note=f"{s},{e},{n}")
    case("logspace", [], {"args": [s, e, n]}, fn=lambda ts, p: torch.logspace(*p["args"]),
         note=f"{s},{e},{n}")
case("logspace", [], {"args": [0, 3, 4], "base": 2}, fn=lambda ts, p: torch.logspace(0, 3, 4, base=2),
     note="base2")
for args, dtype in [((0, 5, 1.5), "int32"), ((-2.5, 2.5, 1), "int32"), ((0, 3), "float64"),
                    ((0, 1, 0.1), "float64"), ((0, 10, 3), "float32"), ((0, 3), "bool"),
                    ((0.5, 3, 0.7), "int32"), ((-1, 3.5, 1.5), "int32")]:
    case("arange_dtype", [], {"args": list(args), "dtype": dtype},
         fn=lambda ts, p: torch.arange(*p["args"], dtype=DT[p["dtype"]]), note=f"{args} {dtype}")
for args, dtype in [((0, 10, 4), "int32"), ((-1.5, 1.5, 4), "int32"), ((0, 1, 11), "float64"),
                    ((0, 1, 3), "bool")]:
    case("linspace_dtype", [], {"args": list(args), "dtype": dtype},
         fn=lambda ts, p: torch.linspace(*p["args"], dtype=DT[p["dtype"]]), note=f"{args} {dtype}")
for v, dtype in [(2, "bool"), (0, "bool"), (-2.7, "int32"), (1e10, "float32"), (0.1, "float64")]:
    case("full_dtype", [], {"v": v, "dtype": dtype},
         fn=lambda ts, p: torch.full([2, 2], p["v"], dtype=DT[p["dtype"]]), note=f"{v} {dtype}")
for n, m, dtype in [(2, 3, "int32"), (3, 2, "bool"), (2, 2, "float64")]:
    case("eye_dtype", [], {"n": n, "m": m, "dtype": dtype},
         fn=lambda ts, p: torch.eye(p["n"], p["m"], dtype=DT[p["dtype"]]), note=dtype)
for n, m in [(3, 3), (2, 4), (4, 2), (0, 3), (1, 1)]:
    case("eye", [], {"n": n, "m": m}, fn=lambda ts, p: torch.eye(p["n"], p["m"]))
for dtype in DTYPES:
    case("zerosLike", [inp([2, 3], dtype)], {}, fn=lambda ts, p: torch.zeros_like(ts[0]),
         note=dtype)
    case("onesLike", [inp([2, 3], dtype, view=NC)], {}, fn=lambda ts, p: torch.ones_like(ts[0]),
         note=dtype)
    case("fullLike", [inp([2, 3], dtype)], {"v": 2.7}, fn=lambda ts, p: torch.full_like(ts[0], 2.7),
         note=dtype)
    case("full_dtype", [], {"v": 2.7, "dtype": dtype},
         fn=lambda ts, p: torch.full([2, 2], p["v"], dtype=DT[p["dtype"]]), note=dtype)

# ---- matmul -----------------------------------------------------------------------------------
for sa, sb in [([3], [3]), ([3], [3, 4]), ([2, 3], [3]), ([3], [2, 3, 4]), ([2, 4, 3], [3]),
               ([2, 1, 2, 3], [5, 3, 4]), ([1, 2, 3], [4, 3, 2]), ([3], [4]), ([2, 3], [2, 3]),
               ([0, 3], [3, 2]), ([2, 0], [0, 3]), ([2, 3, 4], [2, 4, 1]), ([3, 2, 3], [2, 3, 2])]:
    case("matmul", [inp(sa), inp(sb)], {}, fn=lambda ts, p: torch.matmul(ts[0], ts[1]),
         note=f"{sa}@{sb}")
case("matmul", [inp([2, 3], "int32"), inp([3, 2], "int32")], {},
     fn=lambda ts, p: torch.matmul(ts[0], ts[1]), note="int")
case("matmul", [inp([2, 3], "int32"), inp([3, 2])], {},
     fn=lambda ts, p: torch.matmul(ts[0], ts[1]), note="mixed")
case("matmul", [inp([]), inp([3])], {}, fn=lambda ts, p: torch.matmul(ts[0], ts[1]), note="0d")

# special values through predicates and comparisons
spec = [float("nan"), float("inf"), -float("inf"), 0.0, -0.0, 1.0, -1.5, 3e38]
spec2 = [float("nan"), float("inf"), float("inf"), -0.0, 0.0, 1.0 + 1e-6, -1.5001, float("inf")]
for op in ["isnan", "isinf", "isfinite", "signbit", "logicalNot", "nanToNum", "sign", "abs"]:
    case(op, [inp([8], data=spec)], {}, fn=lambda ts, p, op=op: getattr(
        ts[0], op if op != "logicalNot" else "logical_not").__call__() if op != "nanToNum"
        else torch.nan_to_num(ts[0]), note="special")
for name in ["eq", "ne", "lt", "ge", "maximum", "minimum", "logicalAnd", "logicalOr"]:
    case(name, [inp([8], data=spec), inp([8], data=spec2)], fn=bin_fn(name), note="special")
    case(name, [inp([8], data=spec2), inp([8], data=spec)], fn=bin_fn(name), note="special rev")
for eqn in [False, True]:
    case("isclose", [inp([8], data=spec), inp([8], data=spec2)], {"equalNan": eqn},
         fn=lambda ts, p: torch.isclose(ts[0], ts[1], equal_nan=p["equalNan"]), note=f"{eqn}")
case("isclose", [inp([3], "int32", data=[1, 2, 3]), inp([3], "int32", data=[1, 3, 3])],
     {"equalNan": False}, fn=lambda ts, p: torch.isclose(ts[0], ts[1]), note="int")
for sa, sb in [([3], [3]), ([3], [4]), ([2, 3], [3]), ([3], [2, 3])]:
    case("dot", [inp(sa), inp(sb)], {}, fn=lambda ts, p: torch.dot(ts[0], ts[1]), note=f"{sa}.{sb}")
    case("mv", [inp(sb if len(sb) == 2 else [2, 3]), inp(sa)], {},
         fn=lambda ts, p: torch.mv(ts[0], ts[1]), note=f"{sa}")
case("dot", [inp([3], "int32"), inp([3], "float32")], {}, fn=lambda ts, p: torch.dot(ts[0], ts[1]),
     note="mixed")
case("dot", [inp([3], "int32"), inp([3], "int32")], {}, fn=lambda ts, p: torch.dot(ts[0], ts[1]),
     note="int")
for sa, sb in [([2, 3], [3, 4]), ([2, 3], [4, 3]), ([3], [3, 4]), ([2, 3, 4], [2, 4, 5])]:
    case("mm", [inp(sa), inp(sb)], {}, fn=lambda ts, p: torch.mm(ts[0], ts[1]), note=f"{sa}{sb}")
    case("bmm", [inp([1] + sa if len(sa) == 2 else sa), inp([1] + sb if len(sb) == 2 else sb)], {},
         fn=lambda ts, p: torch.bmm(ts[0], ts[1]), note=f"{sa}{sb}")
case("outer", [inp([3]), inp([2], "int32")], {}, fn=lambda ts, p: torch.outer(ts[0], ts[1]),
     note="mixed")

# ---- clamp, rounding --------------------------------------------------------------------------
for lo, hi in [(-1, 1), (None, 0.5), (-0.5, None), (1, -1), (2, 2)]:
    for dtype in ["float32", "int32"]:
        case("clamp", [inp([2, 3], dtype)], {"min": lo, "max": hi},
             fn=lambda ts, p: torch.clamp(ts[0], p["min"], p["max"]), note=dtype)
case("clamp_t", [inp([2, 3]), inp([3]), inp([2, 1])], {},
     fn=lambda ts, p: torch.clamp(ts[0], ts[1], ts[2]), note="both")
case("clamp_t", [inp([2, 3]), inp([3], data=[1.0, -1.0, 0.0]), inp([3], data=[-1.0, 1.0, 0.5])],
     {}, fn=lambda ts, p: torch.clamp(ts[0], ts[1], ts[2]), note="crossed")
case("clamp_tmin", [inp([2, 3]), inp([2, 1])], {}, fn=lambda ts, p: torch.clamp(ts[0], min=ts[1]))
case("clamp_tmax", [inp([2, 3], "int32"), inp([3])], {},
     fn=lambda ts, p: torch.clamp(ts[0], max=ts[1]), note="int-float")
case("clamp", [inp([3], data=[float("nan"), 1.0, -5.0])], {"min": 0, "max": 2},
     fn=lambda ts, p: torch.clamp(ts[0], 0, 2), note="nan")
halves = [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 0.49999997, -0.0, 1e7 + 0.5, 2.675]
case("round", [inp([len(halves)], "float32", data=halves)], {}, fn=lambda ts, p: torch.round(ts[0]))
case("round", [inp([len(halves)], "float64", data=halves)], {}, fn=lambda ts, p: torch.round(ts[0]),
     note="f64")
case("round", [inp([3], "int32", data=[1, -2, 3])], {}, fn=lambda ts, p: torch.round(ts[0]),
     note="int")
for op in ["floor", "ceil", "trunc", "frac", "sign", "abs", "neg"]:
    case(op, [inp([4], "int32", data=[-3, 0, 2, 5])], {}, fn=lambda ts, p, op=op: getattr(ts[0], op)(),
         note="int")
for op in ["sqrt", "exp", "sigmoid", "reciprocal"]:
    case(op, [inp([3], "int32", "p")], {}, fn=lambda ts, p, op=op: getattr(ts[0], op)(), note="int")

# ---- printing ---------------------------------------------------------------------------------
PRINTS = [
    ([2000], "float32", "n"), ([40, 40], "float32", "n"), ([1001], "int32", "n"),
    ([3, 400], "float32", "n"), ([2, 3, 200], "float32", "n"), ([1000], "float32", "n"),
    ([2, 501], "bool", "n"), ([11, 100], "float64", "n"),
]
for shape, dtype, kind in PRINTS:
    case("str", [inp(shape, dtype, kind)], {}, fn=lambda ts, p: str(ts[0]), note=f"{shape}")
SPECIAL = [
    [1e-5, 1.0, 2.0], [1e9, 1.0], [123456.7, 1.5], [1e-3, 1.0], [0.0, 0.0], [100.0, 1e5],
    [1.0, 2.0, float("nan")], [float("inf"), -1.5], [1e-10], [12345678.0], [1.5e8, 3.0],
    [-0.0, 1.0], [0.1, 0.25, 1000.5], [2.0, 20000.0], [1e-4, 1.5], [99999.5, 0.5],
]
for vals in SPECIAL:
    case("str", [inp([len(vals)], "float32", data=vals)], {}, fn=lambda ts, p: str(ts[0]),
         note=f"{vals}")
big = [rng.uniform(-1, 1) * 10 ** rng.randrange(-6, 7) for _ in range(1500)]
case("str", [inp([1500], "float32", data=big)], {}, fn=lambda ts, p: str(ts[0]), note="big sci")
big2 = [0.0] * 1500
big2[700] = 3.25
case("str", [inp([1500], "float32", data=big2)], {}, fn=lambda ts, p: str(ts[0]),
     note="hidden middle")
case("str", [inp([3, 0], "float32")], {}, fn=lambda ts, p: str(ts[0]), note="empty")
case("str", [inp([], "float32", data=[2.5])], {}, fn=lambda ts, p: str(ts[0]), note="0d")
case("str", [inp([2], "int32", data=[3, -12345])], {}, fn=lambda ts, p: str(ts[0]), note="int")
for shape, dtype in [([0], "int32"), ([2, 0], "float64"), ([0], "bool"), ([2, 30], "float32"),
                     ([25], "int32"), ([30], "float64"), ([4, 3, 12], "float32"), ([1, 1, 1], "bool"),
                     ([2, 1100], "int32"), ([1200, 2], "float32"), ([8, 8, 20], "float64")]:
    case("str", [inp(shape, dtype)], {}, fn=lambda ts, p: str(ts[0]), note=f"{shape} {dtype}")
case("str", [inp([5], "float32", data=[1.03125, -2.5, 0.00005, 1.0, 3.0])], {},
     fn=lambda ts, p: str(ts[0]), note="ties")
case("str", [inp([3], "float32", data=[-0.0, 0.0, -0.0])], {}, fn=lambda ts, p: str(ts[0]),
     note="neg zeros")
case("str", [inp([3], "float32", data=[1e-5, -0.0, 2.0])], {}, fn=lambda ts, p: str(ts[0]),
     note="neg zero sci")

# a randomized printing sweep: shapes around the summarisation threshold, mixed magnitudes
for k in range(40):
    nd = rng.randrange(1, 4)
    shape = [rng.choice([1, 2, 3, 5, 7, 12, 40, 300]) for _ in range(nd)]
    while numel(shape) > 1500:
        shape[rng.randrange(nd)] = 2
    dtype = rng.choice(["float32", "float32", "float64", "int32"])
    scale = 10 ** rng.randrange(-6, 10)
    n = numel(shape)
    if dtype == "int32":
        hi = max(2, min(int(scale), 10**9))
        data = [rng.randrange(-hi, hi) for _ in range(n)]
    else:
        style = rng.choice(["plain", "ints", "special"])
        data = [round(rng.uniform(-1, 1) * scale, 6) if style != "ints" else
                float(rng.randrange(-50, 50)) * (scale if scale >= 1 else 1) for _ in range(n)]
        if style == "special":
            for _ in range(3):
                data[rng.randrange(n)] = rng.choice([float("nan"), float("inf"), -float("inf"),
                                                     0.0])
    case("str", [inp(shape, dtype, data=data)], {}, fn=lambda ts, p: str(ts[0]),
         note=f"random {k} {shape} {dtype}")

# dtype conversions truncate toward zero; bool is "non-zero"
conv = [-2.7, -0.5, 0.0, 0.4, 1.5, 2.9, 1e9, -7.0]
for dtype in ["int32", "bool", "float64", "float32"]:
    case("to", [inp([len(conv)], "float32", data=conv)], {"dtype": dtype},
         fn=lambda ts, p: ts[0].to(DT[p["dtype"]]), note=dtype)
    case("to", [inp([4], "int32", data=[-3, 0, 2, 7])], {"dtype": dtype},
         fn=lambda ts, p: ts[0].to(DT[p["dtype"]]), note=f"int-{dtype}")
case("to", [inp([4], "float32", data=[float("nan"), -0.0, float("inf"), 1e-30])], {"dtype": "bool"},
     fn=lambda ts, p: ts[0].to(torch.bool), note="special-bool")
for op in ["var", "std"]:
    case(op, [inp([2, 3], "int32")], {"dim": 1, "keepdim": False},
         fn=lambda ts, p, op=op: getattr(ts[0], op)(1), note="int")
for ix in [[0, -1, 5], [12], [-13]]:
    case("take", [inp([3, 4], view=NC), inp([len(ix)], "int32", data=ix)], {},
         fn=lambda ts, p: torch.take(ts[0], ts[1]), note=f"{ix}")
for d, ishape in [(1, [3, 2]), (-1, [1, 2]), (0, [2, 4])]:
    case("takeAlongDim", [inp([3, 4]), inp(ishape, "int32", data=[rng.randrange(0, 3)
                                                                   for _ in range(numel(ishape))])],
         {"dim": d}, fn=lambda ts, p: torch.take_along_dim(ts[0], ts[1], p["dim"]), note=f"{d}")

# div's rounding modes: promotion, signs, and PyTorch's ZeroDivisionError for integer divisors
BIN["divTrunc"] = lambda a, b: torch.div(a, b, rounding_mode="trunc")
BIN["divFloor"] = lambda a, b: torch.div(a, b, rounding_mode="floor")
for name in ["divTrunc", "divFloor"]:
    for da in DTYPES:
        for db in ["float32", "float64", "int32"]:
            case(name, [inp([2, 3], da), inp([3], db, "p")], fn=bin_fn(name), note=f"{da}-{db}")
    case(name, [inp([8], "int32", data=ia), inp([8], "int32", data=ib)], fn=bin_fn(name),
         note="signs")
    case(name, [inp([8], "float32", data=[float(v) for v in ia]),
                inp([8], "float32", data=[float(v) + 0.5 for v in ib])], fn=bin_fn(name),
         note="fsigns")
    case(name + "_s", [inp([8], "int32", data=ia)], {"s": -3, "fn": name}, fn=scal_fn(name),
         note="signs")
    case(name, [inp([3], "float32", data=[1.0, -1.0, 0.0]), inp([3], "float32", data=[0.0] * 3)],
         fn=bin_fn(name), note="float zero divisor")
for name in ["floorDivide", "remainder", "fmod", "divTrunc", "divFloor"]:
    case(name, [inp([3], "int32", data=[1, 2, 3]), inp([3], "int32", data=[1, 0, 2])],
         fn=bin_fn(name), note="int zero divisor")
    case(name + "_s", [inp([3], "int32", data=[1, 2, 3])], {"s": 0, "fn": name},
         fn=scal_fn(name), note="int zero divisor")

with open(os.path.join(OUT, "diff.json"), "w") as f:
    json.dump({"torch": torch.__version__, "cases": CASES}, f, separators=(",", ":"), allow_nan=False)
print(f"{len(CASES)} cases")

#!/usr/bin/python3
"""Writes tests/fixtures/core/linalg_decomp.json: PyTorch 1.13 reference values and gradients of
the `linalg` namespace (src/linalg/) and its torch.* forms, checked by
tests/linalg_decomp.test.ts.

Run with the Debian PyTorch 1.13 interpreter:  /usr/bin/python3 tools/gen_linalg_fixtures.py

The format is that of tools/gen_extra_ops_fixtures.py: each case names an op key (implemented in
the test file), its parameters, its inputs (fixed values, optionally seen through a view) and
PyTorch's float64 outputs; differentiable cases also store the gradients of
sum_k w[k] * out[k] (summed over the floating outputs), w[k] = 0.5 + ((7 * k) % 11) / 10.

Decompositions whose factors are only defined up to sign (eigh, svd) are compared through
gauge-invariant functions of them (V*V column-wise squares, U diag(c) Vh), computed identically
here and in the test. Symmetric inputs are built inside the op (x + x^T, x x^T + n I) so that
finite differences and PyTorch's symmetric gradients agree.
"""
import json
import os
import random

import torch

from fixture_common import apply_pre, values, weighted_grads

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "core")
os.makedirs(OUT, exist_ok=True)
rng = random.Random(20240613)
LA = torch.linalg


def eye_like(x):
    return torch.eye(x.shape[-1], dtype=x.dtype)


def sym(x):
    return x + x.mT


def spd(x):
    return x @ x.mT + x.shape[-1] * eye_like(x)


def tri(x, upper):
    return (x.triu() if upper else x.tril()) + 3 * eye_like(x)


def squares(m):
    return m * m


def svd_view(u, s, vh):
    # Sign-invariant functions of the first k singular triplets.
    k = s.shape[-1]
    u, vh = u[..., :k], vh[..., :k, :]
    c = torch.arange(1, k + 1, dtype=s.dtype)
    return (s, squares(u), squares(vh), (u * c) @ vh)


def tup(r):
    return tuple(r) if isinstance(r, (tuple, list)) else (r,)


def num(v):
    return float("inf") if v == "inf" else float("-inf") if v == "-inf" else v


OPS = {
    "inv": lambda a, p: LA.inv(a),
    "invEx": lambda a, p: LA.inv_ex(a).inverse,
    "inverse": lambda a, p: torch.inverse(a),
    "solve": lambda a, b, p: LA.solve(a, b, left=p.get("left", True)),
    "det": lambda a, p: LA.det(a),
    "slogdet": lambda a, p: tuple(LA.slogdet(a)),
    "logdet": lambda a, p: torch.logdet(a),
    "logdetSpd": lambda x, p: torch.logdet(spd(x)),
    "matrixPower": lambda a, p: LA.matrix_power(a, p["n"]),
    "solveTriangular": lambda a, b, p: LA.solve_triangular(
        a + 3 * eye_like(a), b, upper=p["upper"], left=p.get("left", True),
        unitriangular=p.get("unit", False)),
    "cholesky": lambda x, p: LA.cholesky(spd(x), upper=p.get("upper", False)),
    "choleskyEx": lambda x, p: LA.cholesky_ex(spd(x)).L,
    "torchCholesky": lambda x, p: torch.cholesky(spd(x), upper=p.get("upper", False)),
    "choleskySolve": lambda b, x, p: torch.cholesky_solve(b, tri(x, p["upper"]), upper=p["upper"]),
    "choleskyInverse": lambda x, p: torch.cholesky_inverse(tri(x, p["upper"]), upper=p["upper"]),
    "qr": lambda a, p: tup(LA.qr(a, mode=p["mode"])) if p["mode"] != "r" else LA.qr(a, mode="r").R,
    "torchQr": lambda a, p: tuple(torch.qr(a, some=p["some"])),
    "eigh": lambda x, p: (lambda r: (r.eigenvalues, squares(r.eigenvectors)))(
        LA.eigh(sym(x), UPLO=p.get("UPLO", "L"))),
    "eighTriangle": lambda x, p: (lambda r: (r.eigenvalues, squares(r.eigenvectors)))(
        LA.eigh(x, UPLO=p["UPLO"])),
    "eigvalsh": lambda x, p: LA.eigvalsh(sym(x), UPLO=p.get("UPLO", "L")),
    "svd": lambda a, p: svd_view(*LA.svd(a, full_matrices=p["full"])),
    "torchSvd": lambda a, p: (lambda r, k: (r[1], squares(r[0][..., :k]), squares(r[2][..., :k])))(
        torch.svd(a, some=p["some"]), min(a.shape[-2:])),
    "svdvals": lambda a, p: LA.svdvals(a),
    "pinv": lambda a, p: LA.pinv(a),
    "pinvHermitian": lambda x, p: LA.pinv(sym(x), hermitian=True),
    "pinverse": lambda a, p: torch.pinverse(a),
    "lstsq": lambda a, b, p: LA.lstsq(a, b).solution,
    "matrixRank": lambda a, p: LA.matrix_rank(a, hermitian=p.get("hermitian", False)).int(),
    "vectorNorm": lambda x, p: LA.vector_norm(x, num(p.get("ord", 2)), p.get("dim"),
                                              p.get("keepdim", False)),
    "matrixNorm": lambda a, p: LA.matrix_norm(a, num(p.get("ord", "fro")),
                                              tuple(p.get("dim", [-2, -1])), p.get("keepdim", False)),
    "norm": lambda a, p: LA.norm(a, num(p["ord"]) if "ord" in p else None, p.get("dim"),
                                 p.get("keepdim", False)),
    "cond": lambda a, p: LA.cond(a, num(p["p"]) if "p" in p else None),
    "vecdot": lambda x, y, p: LA.vecdot(x, y, dim=p.get("dim", -1)),
    "cross": lambda x, y, p: LA.cross(x, y),
    "diagonal": lambda a, p: LA.diagonal(a, offset=p.get("offset", 0)),
}

CASES = []


def case(op, inputs, params=None, grad=True, pre=None, gradcheck=None):
    CASES.append({"op": op, "inputs": inputs, "params": params or {}, "grad": grad,
                  "pre": pre or [[] for _ in inputs], "gc": gradcheck})


T = [["t", -2, -1]]
# ---- LU family ----
for op in ["inv", "invEx", "inverse", "det"]:
    for shape in [[1, 1], [3, 3], [5, 5], [2, 4, 4], [2, 1, 3, 3]]:
        case(op, [("n", shape)])
    case(op, [("n", [3, 3])], pre=[T])
case("det", [([1.0, 2.0, 2.0, 4.0], [2, 2])], gradcheck=False)  # singular: PyTorch's zero grad
case("det", [([0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 2.0], [3, 3])])  # a row swap
case("slogdet", [("n", [4, 4])])
case("slogdet", [("n", [2, 3, 3])])
case("slogdet", [("n", [3, 3])], pre=[T])
case("slogdet", [([0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, -2.0], [3, 3])])
case("slogdet", [([1.0, 2.0, 2.0, 4.0], [2, 2])], grad=False)
case("logdet", [([2.0, 1.0, 1.0, 3.0], [2, 2])])
case("logdet", [([0.0, 1.0, 1.0, 0.0], [2, 2])], grad=False)  # negative det: NaN
case("logdetSpd", [("n", [2, 3, 3])])
for left in [True, False]:
    case("solve", [("n", [3, 3]), ("n", [3, 2] if left else [2, 3])], {"left": left})
    case("solve", [("n", [2, 1, 3, 3]), ("n", [4, 3, 3])], {"left": left})
    case("solve", [("n", [3, 3]), ("n", [2, 3] if left else [3, 2])], {"left": left}, pre=[T, T])
case("solve", [("n", [4, 4]), ("n", [4])])
case("solve", [("n", [2, 3, 3]), ("n", [2, 3])])
case("solve", [("n", [2, 3, 3]), ("n", [3])])
case("solve", [("n", [3, 3]), ("n", [5, 3, 2])])
for n in [0, 1, 2, 3, 5, -1, -2]:
    case("matrixPower", [("n", [3, 3])], {"n": n}, grad=n != 0)
case("matrixPower", [("n", [2, 2, 2])], {"n": 3})
# ---- triangular and Cholesky ----
for upper in [False, True]:
    for left in [True, False]:
        case("solveTriangular", [("n", [3, 3]), ("n", [3, 2] if left else [2, 3])],
             {"upper": upper, "left": left})
    case("solveTriangular", [("n", [4, 4]), ("n", [4, 2])], {"upper": upper, "unit": True})
    case("solveTriangular", [("n", [2, 1, 3, 3]), ("n", [3, 3, 1])], {"upper": upper})
    case("cholesky", [("n", [4, 4])], {"upper": upper})
    case("cholesky", [("n", [2, 3, 3])], {"upper": upper})
    case("torchCholesky", [("n", [3, 3])], {"upper": upper})
    case("choleskySolve", [("n", [3, 2]), ("n", [3, 3])], {"upper": upper})
    case("choleskySolve", [("n", [2, 3, 1]), ("n", [3, 3])], {"upper": upper})
    case("choleskyInverse", [("n", [3, 3])], {"upper": upper})
case("cholesky", [("n", [1, 1])], {})
case("cholesky", [("n", [3, 3])], {}, pre=[T])
case("choleskyEx", [("n", [3, 3])])
# ---- QR ----
for shape in [[4, 3], [3, 3], [3, 5], [1, 1], [2, 4, 2], [2, 2, 3]]:
    case("qr", [("n", shape)], {"mode": "reduced"})
    case("qr", [("n", shape)], {"mode": "r"}, grad=False)
for shape in [[3, 3], [2, 4], [4, 2]]:
    case("qr", [("n", shape)], {"mode": "complete"}, grad=shape[0] <= shape[1])
case("qr", [("n", [3, 4])], {"mode": "reduced"}, pre=[T])
case("qr", [([0.0, 1.0, 0.0, 2.0, 0.0, 3.0], [3, 2])], {"mode": "reduced"}, grad=False)
case("torchQr", [("n", [4, 3])], {"some": True})
case("torchQr", [("n", [2, 3])], {"some": False})
# ---- symmetric eigen-decomposition ----
for uplo in ["L", "U"]:
    for shape in [[1, 1], [2, 2], [4, 4], [2, 3, 3]]:
        case("eigh", [("n", shape)], {"UPLO": uplo})
        case("eigvalsh", [("n", shape)], {"UPLO": uplo})
    case("eighTriangle", [("n", [3, 3])], {"UPLO": uplo}, gradcheck=False)
case("eigh", [("n", [3, 3])], {}, pre=[T])
# ---- SVD and friends ----
for shape in [[4, 3], [3, 3], [2, 4], [1, 3], [5, 1], [2, 3, 2], [2, 2, 3]]:
    for full in [False, True]:
        case("svd", [("n", shape)], {"full": full})
    case("svdvals", [("n", shape)])
    case("pinv", [("n", shape)])
case("svd", [("n", [3, 4])], {"full": False}, pre=[T])
case("torchSvd", [("n", [4, 3])], {"some": True})
case("torchSvd", [("n", [2, 3])], {"some": False})
case("svdvals", [([1.0, 2.0, 2.0, 4.0, 3.0, 6.0], [3, 2])], grad=False)  # rank 1
case("pinv", [([1.0, 2.0, 2.0, 4.0, 3.0, 6.0], [3, 2])], grad=False)
case("pinvHermitian", [("n", [3, 3])])
case("pinverse", [("n", [3, 4])])
case("lstsq", [("n", [5, 3]), ("n", [5, 2])])
# PyTorch 1.13's lstsq backward fails on a vector B (an IndexError): gradcheck only.
case("lstsq", [("n", [5, 3]), ("n", [5])], grad=False, gradcheck=True)
case("lstsq", [("n", [2, 4, 2]), ("n", [2, 4, 1])])
case("lstsq", [([1.0, 2.0, 2.0, 4.0, 3.0, 6.0], [3, 2]), ("n", [3])], grad=False)
case("matrixRank", [("n", [3, 4])], grad=False)
case("matrixRank", [([1.0, 2.0, 2.0, 4.0, 3.0, 6.0], [3, 2])], grad=False)
case("matrixRank", [([1.0, 2.0, 2.0, 4.0, 0.0, 0.0, 0.0, 0.0, 1.0], [3, 3])], {"hermitian": True},
     grad=False)
case("matrixRank", [("n", [2, 3, 3])], grad=False)
# ---- norms ----
for o in [2, 1, 3, 0.5, "inf", "-inf", 0]:
    case("vectorNorm", [("n", [2, 3])], {"ord": o}, grad=o != 0)
case("vectorNorm", [("n", [2, 3, 4])], {"ord": 2, "dim": [0, 2], "keepdim": True})
case("vectorNorm", [("n", [2, 3])], {"ord": 3, "dim": 1})
for o in ["fro", "nuc", 1, -1, 2, -2, "inf", "-inf"]:
    case("matrixNorm", [("n", [3, 4])], {"ord": o})
    case("matrixNorm", [("n", [2, 3, 3])], {"ord": o, "keepdim": True})
case("matrixNorm", [("n", [3, 2, 4])], {"ord": "nuc", "dim": [0, 2]})
case("matrixNorm", [("n", [3, 2, 4])], {"ord": 1, "dim": [2, 0], "keepdim": True})
case("norm", [("n", [2, 3])], {})
case("norm", [("n", [2, 3, 2])], {})
case("norm", [("n", [4])], {"ord": 3})
case("norm", [("n", [3, 3])], {"ord": "nuc"})
case("norm", [("n", [3, 3])], {"ord": "inf"})
case("norm", [("n", [2, 3, 4])], {"ord": 1, "dim": 1})
case("norm", [("n", [2, 3, 4])], {"ord": -2, "dim": [1, 2]})
for p in [None, 2, -2, "fro", "nuc", 1, -1, "inf", "-inf"]:
    # PyTorch 1.13's cond backward fails for these orders (its in-place masked_fill on the
    # inverse trips the version check): gradcheck only.
    broken = p in ("fro", 1, -1, "inf", "-inf")
    case("cond", [("n", [3, 3])], {} if p is None else {"p": p}, grad=not broken, gradcheck=True)
case("cond", [("n", [3, 5])], {})
case("cond", [([1.0, 2.0, 2.0, 4.0], [2, 2])], {"p": 1}, grad=False)  # singular: inf
case("vecdot", [("n", [2, 3]), ("n", [3])], {})
case("cross", [("n", [2, 3]), ("n", [2, 3])], {})
case("diagonal", [("n", [2, 3, 4])], {"offset": 1})


def encode(t):
    t = t.detach()
    if t.dtype in (torch.int32, torch.int64):
        return {"shape": list(t.shape), "dtype": "int32", "data": t.reshape(-1).tolist()}
    data = [v if v != v or v in (float("inf"), float("-inf")) else float("%.15g" % v)
            for v in t.reshape(-1).tolist()]
    data = ["nan" if v != v else "inf" if v == float("inf") else "-inf" if v == float("-inf")
            else v for v in data]
    return {"shape": list(t.shape), "dtype": "float64", "data": data}


out_cases = []
for i, c in enumerate(CASES):
    ins, leaves = [], []
    for spec, pre in zip(c["inputs"], c["pre"]):
        kind, shape = spec[0], spec[1]
        data = values(rng, kind, shape)
        leaf = torch.tensor(data, dtype=torch.float64).reshape(shape)
        if c["grad"]:
            leaf.requires_grad_(True)
        leaves.append((leaf, {"shape": shape, "data": data}))
        ins.append(apply_pre(leaf, pre))
    outs = tup(OPS[c["op"]](*ins, c["params"]))
    gc = c["gc"]
    if gc is None:
        gc = c["grad"]
    entry = {"id": "%s#%d" % (c["op"], i), "op": c["op"], "params": c["params"],
             "inputs": [l[1] for l in leaves], "pre": c["pre"],
             "outputs": [encode(o) for o in outs], "gradcheck": bool(gc)}
    if c["grad"]:
        entry["grads"] = weighted_grads(outs, [l[0] for l in leaves], encode, tracked_only=True)
    out_cases.append(entry)

with open(os.path.join(OUT, "linalg_decomp.json"), "w") as f:
    json.dump({"generator": "tools/gen_linalg_fixtures.py", "torch": torch.__version__,
               "cases": out_cases}, f, separators=(",", ":"))
print("wrote %d cases" % len(out_cases))

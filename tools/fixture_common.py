"""Helpers shared by the PyTorch fixture generators (tools/gen_*_fixtures.py): input values,
view steps, upstream weights. Run the generators with the Debian PyTorch 1.13 interpreter."""
import torch


def numel(shape):
    n = 1
    for s in shape:
        n *= s
    return n


def values(rng, kind, shape):
    """Fixed input values; every kind keeps away from kinks (0, ties) unless it asks for them."""
    n = numel(shape)
    if isinstance(kind, list):
        return torch.tensor(kind).reshape(-1).tolist()
    if kind == "n":  # distinct, |x| >= 0.1
        out, seen = [], set()
        while len(out) < n:
            v = round(rng.uniform(0.1, 2.0), 3) * rng.choice([-1, 1])
            if v not in seen:
                seen.add(v)
                out.append(v)
        return out
    if kind == "p":  # distinct positives
        out, seen = [], set()
        while len(out) < n:
            v = round(rng.uniform(0.3, 2.5), 3)
            if v not in seen:
                seen.add(v)
                out.append(v)
        return out
    if kind == "u":  # inside (-0.9, 0.9), distinct
        out, seen = [], set()
        while len(out) < n:
            v = round(rng.uniform(-0.9, 0.9), 3)
            if v not in seen and abs(v) > 0.02:
                seen.add(v)
                out.append(v)
        return out
    if kind.startswith("i:"):  # integers in [lo, hi)
        lo, hi = map(int, kind[2:].split(":"))
        return [rng.randrange(lo, hi) for _ in range(n)]
    if kind == "b":
        return [rng.random() < 0.5 for _ in range(n)]
    raise ValueError(kind)


def apply_pre(x, pre):
    for p in pre:
        if p[0] == "t":
            x = x.transpose(p[1], p[2])
        elif p[0] == "permute":
            x = x.permute(*p[1])
        elif p[0] == "slice":
            _, dim, start, end, step = p
            idx = [slice(None)] * x.dim()
            idx[dim] = slice(start, end, step)
            x = x[tuple(idx)]
        elif p[0] == "expand":
            x = x.expand(*p[1])
        else:
            raise ValueError(p)
    return x


def L(v):
    return v.long() if v.dtype in (torch.int32, torch.int64) else v


def weights(n):
    return torch.tensor([0.5 + ((7 * k) % 11) / 10 for k in range(n)], dtype=torch.float64)

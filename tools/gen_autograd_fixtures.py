#!/usr/bin/python3
"""Writes tests/fixtures/core/autograd.json: PyTorch's answers for tensor hooks, retain_grad,
torch.autograd.grad and second derivatives (create_graph=True).

Run with the Debian PyTorch 1.13 interpreter:  /usr/bin/python3 tools/gen_autograd_fixtures.py

"hooks": small scenarios (the same steps are written out in tests/core_autograd_hooks.test.ts)
with the gradients PyTorch leaves in .grad or returns, and the order the hooks ran in.

"second": for each case, a function f of float64 inputs (the same key is implemented in
tests/core_double_backward.test.ts), its value, the gradients g of sum(w * f) (w from
fixture_common.weights) taken with create_graph=True, and the Hessian-vector products: the
gradients of sum(v * g) for a fixed direction v (fixed values too).
"""
import json
import os
import random

import torch
import torch.nn.functional as F

from fixture_common import values, weights

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "core")
os.makedirs(OUT, exist_ok=True)
rng = random.Random(4321)


def t(v):
    return torch.tensor(v, dtype=torch.float32, requires_grad=True)


def lst(x):
    return None if x is None else x.detach().reshape(-1).tolist()


def hooks():
    out = {}

    # Two hooks around retain_grad: hooks run in order, the retained grad is the last result.
    x = t([1.0, 2.0])
    y = x * 2
    order = []
    y.register_hook(lambda g: (order.append("h1"), g * 10)[1])
    y.retain_grad()
    y.register_hook(lambda g: (order.append("h2"), g + 1)[1])
    y.sum().backward()
    out["order_retain"] = {"y_grad": lst(y.grad), "x_grad": lst(x.grad), "order": order}

    # retain_grad before the first register_hook retains the gradient the hooks have not changed
    # (1.13 registers a tensor's hooks on its grad_fn as one group, at the first register_hook).
    x = t([1.0, 2.0])
    y = x * 2
    y.retain_grad()
    y.register_hook(lambda g: g * 5)
    (y * y).sum().backward()
    out["retain_first"] = {"y_grad": lst(y.grad), "x_grad": lst(x.grad)}

    # A leaf's hook runs before accumulation, on every backward.
    x = t([1.0, 2.0])
    x.register_hook(lambda g: g * 3)
    (x * 2).sum().backward()
    first = lst(x.grad)
    (x * x).sum().backward()
    out["leaf_hook"] = {"first": first, "second": lst(x.grad)}

    # autograd.grad captures its inputs' gradients before their hooks (PyTorch 1.13) and runs
    # the hooks and retain_grad of the nodes it passes through.
    x = t([1.0, 2.0])
    x.register_hook(lambda g: g * 3)
    y = x * 2
    y.retain_grad()
    y.register_hook(lambda g: g * 5)
    z = (y * y).sum()
    gy, gx = torch.autograd.grad(z, [y, x])
    out["grad_capture"] = {"gy": lst(gy), "gx": lst(gx), "y_grad": lst(y.grad), "x_grad": lst(x.grad)}

    # A hook on the root sees the seed gradient.
    x = t([1.0, 2.0])
    y = (x * 2).sum()
    y.register_hook(lambda g: g * 7)
    y.backward()
    out["root_hook"] = {"x_grad": lst(x.grad)}

    # retain_grad accumulates like a leaf over retained backward calls; a hook runs each time.
    x = t([1.0, 2.0])
    y = x * 2
    y.retain_grad()
    calls = []
    y.register_hook(lambda g: calls.append(1))
    z = (y * y).sum()
    z.backward(retain_graph=True)
    once = lst(y.grad)
    z.backward()
    out["retain_accumulate"] = {"once": once, "twice": lst(y.grad), "x_grad": lst(x.grad), "calls": len(calls)}

    # A gradient used twice reaches the hook once, summed.
    x = t([1.0, 2.0])
    y = x * 3
    seen = []
    y.register_hook(lambda g: seen.append(lst(g)))
    (y * y + y).sum().backward()
    out["summed_before_hook"] = {"seen": seen, "x_grad": lst(x.grad)}

    # Removing a hook inside another registered on the same tensor: the removed one still runs
    # in this pass (the list was taken before), not in the next.
    x = t([1.0, 2.0])
    y = x * 1
    handles = {}
    y.register_hook(lambda g: handles["b"].remove())
    handles["b"] = y.register_hook(lambda g: g * 2)
    y.sum().backward(retain_graph=True)
    first = lst(x.grad)
    y.sum().backward()
    out["remove_during_backward"] = {"first": first, "second": lst(x.grad)}
    return out


CASES = {
    # The brief's list: tanh, exp, mul, matmul, sum, softmax, log_softmax, mse.
    "tanh": ([[5]], lambda x: torch.tanh(x)),
    "exp": ([[5]], lambda x: torch.exp(x * 0.5)),
    "mul": ([[2, 3], [2, 3]], lambda a, b: a * b * a),
    "matmul": ([[2, 3], [3, 4]], lambda a, b: torch.matmul(a, b) ** 2),
    "sum": ([[3, 4]], lambda x: (x * x).sum(1) ** 2),
    "softmax": ([[2, 5]], lambda x: torch.softmax(x, 1)),
    "log_softmax": ([[2, 5]], lambda x: torch.log_softmax(x, -1)),
    "mse": ([[3, 2], [3, 2]], lambda a, b: F.mse_loss(torch.tanh(a), b)),
    "mlp": (
        [[4, 3], [5, 3], [5], [2, 5]],
        lambda x, w1, b1, w2: F.mse_loss(F.linear(torch.tanh(F.linear(x, w1, b1)), w2),
                                         torch.zeros(4, 2, dtype=torch.float64)),
    ),
    "cross_entropy_log_softmax_nll": (
        [[3, 4]],
        lambda x: F.nll_loss(torch.log_softmax(x, 1), torch.tensor([1, 0, 3])),
    ),
    "sigmoid_div": ([[4], [4]], lambda a, b: torch.sigmoid(a) / (b * b + 1)),
    "sin_cos_sqrt": ([[4]], lambda x: torch.sin(x) * torch.cos(x) + torch.sqrt(x * x + 1)),
    "slice_cat": ([[4, 3]], lambda x: torch.cat([x[1:3], x[0:2] * 2], 1).tanh()),
    "index_select_gather": (
        [[4, 3]],
        lambda x: x.index_select(0, torch.tensor([2, 0, 2])).gather(1, torch.tensor([[1], [0], [2]])) ** 3,
    ),
    "max_dim": ([[3, 4]], lambda x: x.max(1).values ** 3),
    "layer_norm": ([[2, 4]], lambda x: F.layer_norm(x, [4]) * x),
    "cumprod_zeros": ([[[0.5, 0.0, 1.5, -0.7, 0.0, 1.2]]], lambda x: torch.cumprod(x, 0)),
    "logcumsumexp": ([[5]], lambda x: torch.logcumsumexp(x, 0)),
}


def second():
    out = {}
    for name, (shapes, fn) in CASES.items():
        inputs = []
        for s in shapes:
            data = s[0] if s and isinstance(s[0], list) else values(rng, "n", s)
            shape = [len(data)] if s and isinstance(s[0], list) else s
            inputs.append(torch.tensor(data, dtype=torch.float64).reshape(shape).requires_grad_())
        y = fn(*inputs)
        w = weights(y.numel()).reshape(y.shape)
        gs = torch.autograd.grad((y * w).sum(), inputs, create_graph=True)
        vs = [torch.tensor(values(rng, "n", list(x.shape)), dtype=torch.float64).reshape(x.shape) for x in inputs]
        hv = torch.autograd.grad(sum((g * v).sum() for g, v in zip(gs, vs)), inputs, allow_unused=True)
        out[name] = {
            "inputs": [{"shape": list(x.shape), "data": lst(x)} for x in inputs],
            "out": {"shape": list(y.shape), "data": lst(y)},
            "grads": [lst(g) for g in gs],
            "v": [lst(v) for v in vs],
            "hvp": [None if h is None else lst(h) for h in hv],
        }
    return out


with open(os.path.join(OUT, "autograd.json"), "w") as f:
    json.dump({"hooks": hooks(), "second": second()}, f, indent=1)
    f.write("\n")
print("wrote", os.path.join(OUT, "autograd.json"))

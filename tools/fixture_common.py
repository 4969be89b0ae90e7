"""Helpers shared by the PyTorch fixture generators (tools/gen_*_fixtures.py): input values,
view steps, upstream weights; the tensor encodings of the nn, loss and optimizer fixtures; the
record of a module run (outputs, R, gradients); the layer cases, the RNN builder and the
optimizer trajectories; the PNG round trip, image encoding and expected.json of the transform
fixtures. Run the generators with the Debian PyTorch 1.13 interpreter."""
import base64
import json
import os

import numpy as np
import torch
import torch.nn as nn


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


def weighted_grads(outs, leaves, encode, tracked_only=False):
    """Gradients of Σ output·weights for the op fixtures, aligned with `leaves` (None where a
    leaf does not require grad or is unused); None when nothing is differentiable. With
    `tracked_only`, outputs off the graph are left out of the loss."""
    terms = [(o.reshape(-1) * weights(o.numel())).sum() for o in outs
             if o.is_floating_point() and (o.requires_grad or not tracked_only)]
    floats = [leaf for leaf in leaves if leaf.requires_grad]
    if not terms or not floats:
        return None
    it = iter(torch.autograd.grad(sum(terms), floats, allow_unused=True))
    return [(lambda g: None if g is None else encode(g))(next(it)) if leaf.requires_grad else None
            for leaf in leaves]


# ---- nn fixtures: tensors as {shape, values[, int]}, tests/_support/nn.ts reads them ----


def t2j(t):
    t = t.detach()
    j = {"shape": list(t.shape), "values": [float(v) for v in t.flatten().tolist()]}
    if not t.is_floating_point():
        j["int"] = True
    return j


def sd2j(m):
    return {k: t2j(v) for k, v in m.state_dict().items()}


def flat(out):
    """A module's outputs (tensors, nested tuples of tensors) as a list."""
    return [out] if isinstance(out, torch.Tensor) else [o for x in out for o in flat(x)]


def randomise(m):
    """Non-trivial affine parameters, so their gradients are checked through every path."""
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(torch.randn_like(p))


def backprop(module, inputs, outs, enc=t2j):
    """Backpropagates sum(out * R) over the float outputs, R ~ N(0, 1) drawn per output, and
    records the outputs, R (null for integer outputs) and the gradients of every input and
    parameter, encoded with `enc`."""
    rs = [torch.randn_like(o) if o.is_floating_point() else None for o in outs]
    sum((o * r).sum() for o, r in zip(outs, rs) if r is not None).backward()
    return {
        "outputs": [enc(o) for o in outs],
        "r": [enc(r) if r is not None else None for r in rs],
        "input_grads": [enc(x.grad) for x in inputs],
        "param_grads": {k: enc(p.grad) for k, p in module.named_parameters()},
    }


class Fn(nn.Module):
    """A functional form as a parameter-free module."""

    def __init__(self, f):
        super().__init__()
        self.f = f

    def forward(self, *xs):
        return self.f(*xs)


def mod(kind, args=(), opts=None):
    """A case's denotorch module: its name, constructor arguments and camelCase options."""
    return {"module": kind, "args": list(args), **({"opts": opts} if opts is not None else {})}


def fn(name, args=(), opts=None):
    """A case's denotorch functional form: its name, arguments and camelCase options."""
    return {"fn": name, "args": list(args), **({"opts": opts} if opts is not None else {})}


def layer_case(name, module, inputs, spec, train=True, eval_inputs=None):
    """A layer case (tests/_support/layer_cases.ts): `module` with random parameters run on
    `inputs` in `train` mode, its state dict before and after the step, the backprop record and,
    for the shapes `eval_inputs`, random eval-mode inputs and outputs."""
    randomise(module)
    module.train(train)
    inputs = [x.clone().requires_grad_(True) for x in inputs]
    before = sd2j(module)
    outs = flat(module(*inputs))
    c = {
        "name": name,
        **spec,
        "train": train,
        "state_dict": before,
        "inputs": [t2j(x) for x in inputs],
        **backprop(module, inputs, outs),
        "state_after": sd2j(module),
    }
    if eval_inputs is not None:
        module.eval()
        xe = [torch.randn(*s) for s in eval_inputs]
        c["eval_inputs"] = [t2j(x) for x in xe]
        c["eval_outputs"] = [t2j(o) for o in flat(module(*xe))]
    return c


def build_rnn(kind, cfg):
    """nn.LSTM, nn.GRU or nn.RNN from a case's camelCase config."""
    kw = dict(
        num_layers=cfg.get("numLayers", 1),
        bias=cfg.get("bias", True),
        batch_first=cfg.get("batchFirst", False),
        dropout=cfg.get("dropout", 0.0),
        bidirectional=cfg.get("bidirectional", False),
    )
    if kind == "lstm":
        return nn.LSTM(cfg["inputSize"], cfg["hiddenSize"], proj_size=cfg.get("projSize", 0), **kw)
    if kind == "gru":
        return nn.GRU(cfg["inputSize"], cfg["hiddenSize"], **kw)
    return nn.RNN(cfg["inputSize"], cfg["hiddenSize"], nonlinearity=cfg.get("nonlinearity", "tanh"), **kw)


# ---- loss fixtures: tensors as {dtype, shape, data}, tests/_support/loss_cases.ts reads them ----


def enc(t, shortest_float32=False):
    """A tensor as {dtype, shape, data}; non-finite values as strings (JSON has none). With
    `shortest_float32`, float32 values are written as the shortest decimal that reads back as
    the same float32 (halves the file)."""
    t = t.detach()
    dtype = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int32"}[t.dtype]
    vals = t.reshape(-1).tolist()
    if shortest_float32 and t.dtype == torch.float32:
        vals = [float(np.format_float_positional(np.float32(v), unique=True)) for v in vals]
    data = [v if v == v and abs(v) != float("inf") else str(v) for v in vals]
    return {"dtype": dtype, "shape": list(t.shape), "data": data}


# ---- optimizer fixtures: tests/_support/optim_cases.ts reads them ----


def flat_list(t):
    return t.detach().reshape(-1).tolist()


def camel(opts, names):
    """Options with PyTorch's names mapped by `names` to denotorch's, tuples as lists."""
    return {names.get(k, k): (list(v) if isinstance(v, tuple) else v) for k, v in opts.items()}


def state_value(v):
    """An optimizer state value: 0-d tensors and numbers as numbers, tensors as flat lists."""
    if isinstance(v, torch.Tensor):
        return float(v) if v.dim() == 0 else flat_list(v)
    if isinstance(v, (list, tuple)):
        return [state_value(x) for x in v]
    return v


TRAJECTORY_SHAPES = [(3, 2), (4,), (1,)]


def trajectory_inputs(steps):
    """Random float64 initial parameters of TRAJECTORY_SHAPES and `steps` lists of gradients."""
    init = [torch.randn(s, dtype=torch.float64) for s in TRAJECTORY_SHAPES]
    grads = [[torch.randn(s, dtype=torch.float64) for s in TRAJECTORY_SHAPES] for _ in range(steps)]
    return init, grads


def trajectory_fixture(generator, init, grads, cases):
    """An optimizer trajectory file: the generator, the shared inputs and the cases."""
    return {"generator": generator, "torch": torch.__version__,
            "init": [flat_list(p) for p in init], "shapes": TRAJECTORY_SHAPES,
            "grads": [[flat_list(g) for g in gs] for gs in grads], "cases": cases}


def optimizer_case(name, cls, defaults, init, grads, names, groups=None, no_grad=None):
    """The trajectory of `cls` with `defaults` over copies of `init`: one group of all parameters,
    or `groups` as [(param indices, overrides)]; per step the gradients `grads[s]` (none for the
    parameters in `no_grad`), the parameters after each step and the final state. `no_grad=None`
    writes no "noGrad" entry (tools/gen_optim_fixtures.py's format)."""
    params = [p.clone().requires_grad_(True) for p in init]
    spec = groups or [(list(range(len(params))), {})]
    opt = cls([dict(params=[params[i] for i in idx], **o) for idx, o in spec], **defaults)
    after = []
    for step_grads in grads:
        for i, (p, g) in enumerate(zip(params, step_grads)):
            p.grad = None if no_grad and i in no_grad else g.clone()
        opt.step()
        after.append([flat_list(p) for p in params])
    state = {str(k): {sk: float(sv) if sk == "step" else state_value(sv) for sk, sv in v.items()}
             for k, v in opt.state_dict()["state"].items()}
    return {
        "name": name,
        "optimizer": cls.__name__,
        "defaults": camel(defaults, names),
        "groups": [{"params": idx, "options": camel(o, names)} for idx, o in spec],
        **({"noGrad": list(no_grad)} if no_grad is not None else {}),
        "after": after,
        "state": state,
    }


def save_and_reload(out_dir, images):
    """Saves the PIL `images` as PNGs in out_dir and returns them decoded again, so the reference
    runs on exactly what the tests decode."""
    from PIL import Image  # NOTE: here, so the generators without images need no PIL.

    for name, img in images.items():
        img.save(os.path.join(out_dir, name))
    images = {k: Image.open(os.path.join(out_dir, k)) for k in images}
    return {k: v.convert(v.mode) for k, v in images.items()}


def enc_pil_image(img):
    """A PIL image as uint8 HWC (HW1 for greyscale), base64 raw bytes."""
    a = np.asarray(img, dtype=np.uint8)
    if a.ndim == 2:
        a = a[:, :, None]
    return {"kind": "image", "shape": list(a.shape), "data": base64.b64encode(a.tobytes()).decode()}


def write_transform_fixture(out_dir, generator, cases):
    """Writes out_dir/expected.json with the torch and torchvision versions."""
    import torchvision  # NOTE: here, so the generators that do not need it run without it.

    meta = {
        "generator": generator,
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "cases": cases,
    }
    with open(os.path.join(out_dir, "expected.json"), "w") as f:
        json.dump(meta, f, separators=(",", ":"))
    print(f"{len(cases)} cases written to {out_dir}")

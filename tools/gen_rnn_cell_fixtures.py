#!/usr/bin/env python3
"""Reference values for tests/nn_rnn_cells.test.ts: nn.RNNCell (tanh / relu), nn.LSTMCell and
nn.GRUCell, computed with PyTorch 1.13 (CPU, float64).

Each case records the cell's config, its state dict (keys in PyTorch's order), the inputs (one
step's input, or `steps` inputs stacked on dim 0, then the optional initial states), the
outputs of every step flattened (h', or h' and c' for LSTMCell) and the gradients of
sum(out_i * R_i) (R is stored too) with respect to every input and parameter.

Run: /usr/bin/python3 tools/gen_rnn_cell_fixtures.py   (writes tests/fixtures/nn/rnn_cells.json)
"""
import json
import os

import torch
import torch.nn as nn

from fixture_common import backprop, sd2j, t2j

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "nn")
FILE = "rnn_cells.json"
torch.manual_seed(7)
torch.set_default_dtype(torch.float64)


def build(kind, cfg):
    bias = cfg.get("bias", True)
    if kind == "lstm":
        return nn.LSTMCell(cfg["inputSize"], cfg["hiddenSize"], bias=bias)
    if kind == "gru":
        return nn.GRUCell(cfg["inputSize"], cfg["hiddenSize"], bias=bias)
    return nn.RNNCell(cfg["inputSize"], cfg["hiddenSize"], bias=bias,
                      nonlinearity=cfg.get("nonlinearity", "tanh"))


def run(kind, m, x, states, steps):
    """One step (steps = 0) or a loop over dim 0 of x; returns every step's outputs, flat."""
    xs = [x] if steps == 0 else list(x.unbind(0))
    st = None if not states else (tuple(states) if kind == "lstm" else states[0])
    outs = []
    for xt in xs:
        st = m(xt) if st is None else m(xt, st)
        outs.extend(st if kind == "lstm" else [st])
    return outs


def add(cs, name, kind, cfg, x_shape, state_shapes=(), steps=0):
    m = build(kind, cfg)
    inputs = [torch.randn(*s).requires_grad_(True) for s in (x_shape, *state_shapes)]
    before = sd2j(m)
    outs = run(kind, m, inputs[0], inputs[1:], steps)
    cs.append({
        "name": name,
        "kind": kind,
        "config": cfg,
        "steps": steps,
        "keys": list(m.state_dict().keys()),
        "state_dict": before,
        "inputs": [t2j(t) for t in inputs],
        **backprop(m, inputs, outs),
    })


def cases():
    cs = []
    c = dict(inputSize=3, hiddenSize=4)
    for kind, extra in [("rnn", {}), ("rnn", {"nonlinearity": "relu"}), ("lstm", {}), ("gru", {})]:
        tag = kind + ("_relu" if extra else "")
        cfg = {**c, **extra}
        nst = 2 if kind == "lstm" else 1
        add(cs, f"{tag}_batched_state", kind, cfg, (2, 3), [(2, 4)] * nst)
        add(cs, f"{tag}_batched_zero_state", kind, cfg, (5, 3))
        add(cs, f"{tag}_nobias_batched_state", kind, {**cfg, "bias": False}, (2, 3), [(2, 4)] * nst)
        add(cs, f"{tag}_unbatched_state", kind, cfg, (3,), [(4,)] * nst)
        add(cs, f"{tag}_unbatched_zero_state", kind, {**cfg, "bias": False}, (3,))
        add(cs, f"{tag}_3_steps_state", kind, cfg, (3, 2, 3), [(2, 4)] * nst, steps=3)
    return cs


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, FILE)
    with open(path, "w") as f:
        json.dump({"generator": "tools/gen_rnn_cell_fixtures.py", "torch": torch.__version__,
                   "cases": cases()}, f)
    print(f"wrote {path}: {os.path.getsize(path)} bytes")

#!/usr/bin/env python3
"""Reference values for tests/nn_rnn.test.ts: nn.RNN, bidirectional LSTM/GRU and LSTM proj_size,
computed with PyTorch 1.13 (CPU, float64).

Each case records the module's config, its state dict (keys in PyTorch's order), the inputs
(sequence and optional initial states), the outputs (output, h_n[, c_n]) and the gradients of
sum(out_i * R_i) (R is stored too) with respect to every input and parameter. The format is the
one of tools/gen_nn_fixtures.py, so the same comparison code reads both.

Run: /usr/bin/python3 tools/gen_rnn_fixtures.py   (writes tests/fixtures/nn/rnn_variants.json)
"""
import json
import os

import torch

from fixture_common import backprop, build_rnn as build, flat, sd2j, t2j

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "nn")
FILE = "rnn_variants.json"
torch.manual_seed(1)
torch.set_default_dtype(torch.float64)


def x(*shape):
    return torch.randn(*shape)


def case(name, kind, cfg, module, seq, states=(), train=True):
    """`states` are the initial states: () for zeros, (h0,) for RNN/GRU, (h0, c0) for LSTM."""
    module.train(train)
    inputs = [t.clone().requires_grad_(True) for t in (seq, *states)]
    before = sd2j(module)
    if not states:
        out = module(inputs[0])
    elif kind == "lstm":
        out = module(inputs[0], (inputs[1], inputs[2]))
    else:
        out = module(inputs[0], inputs[1])
    return {
        "name": name,
        "kind": kind,
        "config": cfg,
        "train": train,
        "keys": list(module.state_dict().keys()),
        "state_dict": before,
        "inputs": [t2j(t) for t in inputs],
        **backprop(module, inputs, flat(out)),
    }


def add(cs, name, kind, cfg, seq_shape, state_shapes=(), train=True):
    m = build(kind, cfg)
    cs.append(case(name, kind, cfg, m, x(*seq_shape), tuple(x(*s) for s in state_shapes), train))


def cases():
    cs = []
    bi2 = dict(inputSize=3, hiddenSize=4, numLayers=2, bidirectional=True)
    # T=5, B=2; states [numLayers * 2, B, H].
    add(cs, "lstm_bi2_state", "lstm", bi2, (5, 2, 3), [(4, 2, 4), (4, 2, 4)])
    add(cs, "lstm_bi2_bf_zero_state", "lstm", {**bi2, "batchFirst": True}, (2, 5, 3))
    add(cs, "lstm_bi1_nobias_unbatched_state", "lstm",
        dict(inputSize=3, hiddenSize=2, bidirectional=True, bias=False), (4, 3), [(2, 2), (2, 2)])
    add(cs, "gru_bi2_state", "gru", bi2, (5, 2, 3), [(4, 2, 4)])
    add(cs, "gru_bi2_bf_nobias", "gru", {**bi2, "batchFirst": True, "bias": False}, (2, 4, 3), [(4, 2, 4)])
    add(cs, "gru_bi3_unbatched_zero_state", "gru", {**bi2, "numLayers": 3}, (4, 3))
    add(cs, "rnn_tanh1", "rnn", dict(inputSize=3, hiddenSize=4), (5, 2, 3))
    add(cs, "rnn_tanh_bi2_state", "rnn", bi2, (5, 2, 3), [(4, 2, 4)])
    add(cs, "rnn_relu2_bf_nobias_state", "rnn",
        dict(inputSize=3, hiddenSize=4, numLayers=2, nonlinearity="relu", batchFirst=True, bias=False),
        (2, 5, 3), [(2, 2, 4)])
    add(cs, "rnn_relu_bi2_unbatched_state", "rnn", {**bi2, "nonlinearity": "relu"}, (4, 3), [(4, 4)])
    # Inter-layer dropout: eval ignores it; training with p = 1 zeroes every layer's input but
    # the first, which is deterministic and so comparable with PyTorch.
    add(cs, "lstm_bi2_dropout_eval", "lstm", {**bi2, "dropout": 0.5}, (5, 2, 3), train=False)
    add(cs, "gru_bi2_dropout1_train", "gru", {**bi2, "dropout": 1.0}, (5, 2, 3), [(4, 2, 4)])
    # proj_size: h is [.., projSize], c stays [.., hiddenSize]; layer k > 0 reads 2 * projSize.
    add(cs, "lstm_proj_bi2_state", "lstm", {**bi2, "hiddenSize": 5, "projSize": 2}, (4, 2, 3),
        [(4, 2, 2), (4, 2, 5)])
    add(cs, "lstm_proj2_nobias_unbatched", "lstm",
        dict(inputSize=3, hiddenSize=4, projSize=3, numLayers=2, bias=False), (4, 3), [(2, 3), (2, 4)])
    return cs


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, FILE)
    with open(path, "w") as f:
        json.dump({"generator": "tools/gen_rnn_fixtures.py", "torch": torch.__version__, "cases": cases()}, f)
    print(f"wrote {path}: {os.path.getsize(path)} bytes")

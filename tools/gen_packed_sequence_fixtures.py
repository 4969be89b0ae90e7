#!/usr/bin/python3
"""Reference values for tests/nn_packed_sequence.test.ts: torch.nn.utils.rnn (pack_padded_sequence,
pad_packed_sequence, pad_sequence, pack_sequence) and nn.RNN / LSTM / GRU on PackedSequence input,
computed with PyTorch 1.13 (CPU, float64).

pack cases: the padded input, lengths and options; the packed data, batch_sizes, sorted_indices
and unsorted_indices; the result of padding it back; and the gradient of
sum(data * R1) + sum(padded * R2) with respect to the input.
pad_sequence cases: the sequences, options and the padded result, plus pack_sequence's layout.
rnn cases: config, state dict, padded input, lengths, enforce_sorted, initial states; the packed
output data, h_n (and c_n), the output padded back, and the gradients of
sum(data * R0) + sum(h_n * R1) (+ sum(c_n * R2)) with respect to the input, states and every
parameter. The tensor format is tools/gen_nn_fixtures.py's.

Run: /usr/bin/python3 tools/gen_packed_sequence_fixtures.py
(writes tests/fixtures/nn/packed_sequence.json)
"""
import json
import os

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pack_sequence, pad_packed_sequence, pad_sequence

from fixture_common import backprop, build_rnn as build, sd2j, t2j

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "nn")
FILE = "packed_sequence.json"
torch.manual_seed(7)
torch.set_default_dtype(torch.float64)


def ints(t):
    return None if t is None else [int(v) for v in t.tolist()]


def pack_case(name, shape, lengths, batch_first=False, enforce_sorted=True, pad_first=False,
              padding_value=0.0, total_length=None):
    x = torch.randn(*shape).requires_grad_(True)
    p = pack_padded_sequence(x, lengths, batch_first=batch_first, enforce_sorted=enforce_sorted)
    padded, lens = pad_packed_sequence(p, batch_first=pad_first, padding_value=padding_value,
                                       total_length=total_length)
    r1, r2 = torch.randn_like(p.data), torch.randn_like(padded)
    ((p.data * r1).sum() + (padded * r2).sum()).backward()
    return {
        "name": name, "input": t2j(x), "lengths": lengths, "batchFirst": batch_first,
        "enforceSorted": enforce_sorted, "padBatchFirst": pad_first, "paddingValue": padding_value,
        "totalLength": total_length, "data": t2j(p.data), "batch_sizes": ints(p.batch_sizes),
        "sorted_indices": ints(p.sorted_indices), "unsorted_indices": ints(p.unsorted_indices),
        "padded": t2j(padded), "padded_lengths": ints(lens), "r1": t2j(r1), "r2": t2j(r2),
        "input_grad": t2j(x.grad),
    }


def pack_cases():
    return [
        pack_case("sorted TxB", (4, 3, 2), [4, 3, 1]),
        pack_case("sorted, 1 feature dim none", (5, 3), [5, 5, 2]),
        pack_case("unsorted with ties", (5, 6, 2), [2, 5, 2, 3, 5, 1], enforce_sorted=False),
        pack_case("batchFirst unsorted, padded back batchFirst", (4, 6, 3), [3, 6, 1, 6],
                  batch_first=True, enforce_sorted=False, pad_first=True, padding_value=-1.5),
        pack_case("longest shorter than T, totalLength", (6, 3, 2), [4, 2, 2], total_length=7,
                  padding_value=9.0),
        pack_case("batchFirst sorted, trailing dims", (3, 4, 2, 2), [4, 4, 1], batch_first=True),
        pack_case("single sequence", (3, 1, 2), [2], enforce_sorted=False),
    ]


def pad_sequence_cases():
    cs = []
    for name, shapes, bf, pv, es in [
        ("vectors", [(3,), (5,), (1,)], False, 0.0, False),
        ("matrices batchFirst", [(2, 3), (4, 3), (4, 3)], True, -2.0, False),
        ("sorted pack", [(4, 2), (3, 2), (3, 2), (1, 2)], False, 0.5, True),
        ("trailing dims", [(1, 2, 2), (3, 2, 2)], True, 0.0, False),
    ]:
        seqs = [torch.randn(*s) for s in shapes]
        out = pad_sequence(seqs, batch_first=bf, padding_value=pv)
        p = pack_sequence(seqs, enforce_sorted=es)
        cs.append({
            "name": name, "sequences": [t2j(s) for s in seqs], "batchFirst": bf,
            "paddingValue": pv, "enforceSorted": es, "padded": t2j(out), "data": t2j(p.data),
            "batch_sizes": ints(p.batch_sizes), "sorted_indices": ints(p.sorted_indices),
        })
    return cs


def rnn_case(name, kind, cfg, lengths, enforce_sorted=True, states=(), train=False):
    m = build(kind, cfg)
    m.train(train)
    bf = cfg.get("batchFirst", False)
    T, B = max(lengths) + 1, len(lengths)  # one step of padding beyond the longest
    x = torch.randn(*((B, T, cfg["inputSize"]) if bf else (T, B, cfg["inputSize"])))
    st = [torch.randn(*s) for s in states]
    inputs = [t.clone().requires_grad_(True) for t in (x, *st)]
    sd = sd2j(m)
    p = pack_padded_sequence(inputs[0], lengths, batch_first=bf, enforce_sorted=enforce_sorted)
    if not st:
        out, hid = m(p)
    elif kind == "lstm":
        out, hid = m(p, (inputs[1], inputs[2]))
    else:
        out, hid = m(p, inputs[1])
    finals = list(hid) if kind == "lstm" else [hid]
    rec = backprop(m, inputs, [out.data] + finals)
    padded, lens = pad_packed_sequence(out, batch_first=bf)
    return {
        "name": name, "kind": kind, "config": cfg, "train": train, "lengths": lengths,
        "enforceSorted": enforce_sorted, "state_dict": sd, "inputs": [t2j(t) for t in inputs],
        "batch_sizes": ints(out.batch_sizes), "outputs": rec["outputs"], "padded": t2j(padded),
        "r": rec["r"], "input_grads": rec["input_grads"], "param_grads": rec["param_grads"],
    }


def rnn_cases():
    bi2 = dict(inputSize=3, hiddenSize=4, numLayers=2, bidirectional=True)
    return [
        rnn_case("lstm sorted", "lstm", dict(inputSize=3, hiddenSize=4), [5, 3, 2]),
        rnn_case("lstm bi2 unsorted batchFirst state", "lstm", {**bi2, "batchFirst": True},
                 [2, 5, 1, 5], False, [(4, 4, 4), (4, 4, 4)]),
        rnn_case("lstm all full length", "lstm", {**bi2, "numLayers": 1}, [4, 4], True,
                 [(2, 2, 4), (2, 2, 4)]),
        rnn_case("lstm projSize bi2 unsorted state", "lstm", {**bi2, "hiddenSize": 5, "projSize": 2},
                 [3, 4, 1], False, [(4, 3, 2), (4, 3, 5)]),
        rnn_case("gru bi2 unsorted state", "gru", bi2, [3, 1, 4, 4, 2], False, [(4, 5, 4)]),
        rnn_case("gru sorted batchFirst nobias", "gru",
                 dict(inputSize=3, hiddenSize=4, batchFirst=True, bias=False), [4, 2, 2]),
        rnn_case("gru bi2 dropout1 train", "gru", {**bi2, "dropout": 1.0}, [2, 3, 1], False,
                 train=True),
        rnn_case("rnn tanh bi2 unsorted ties", "rnn", bi2, [2, 3, 2, 3], False, [(4, 4, 4)]),
        rnn_case("rnn relu 2 layers sorted state", "rnn",
                 dict(inputSize=3, hiddenSize=4, numLayers=2, nonlinearity="relu"), [4, 3, 1],
                 True, [(2, 3, 4)]),
    ]


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, FILE)
    with open(path, "w") as f:
        json.dump({"generator": "tools/gen_packed_sequence_fixtures.py", "torch": torch.__version__,
                   "pack": pack_cases(), "pad_sequence": pad_sequence_cases(),
                   "rnn": rnn_cases()}, f)
    print(f"wrote {path}: {os.path.getsize(path)} bytes")

#!/usr/bin/env python3
"""Reference values for tests/nn_conv_extra.test.ts, computed with PyTorch 1.13 (CPU, float64).

Covers ConvTranspose2d, Conv1d, ConvTranspose1d, AdaptiveMaxPool2d, MaxPool2d with
return_indices and MaxUnpool2d. Each case records the module kind and config, its state dict,
the input, every output (int64 indices stored as ints), and the gradients of
sum(output * R) over the float outputs with respect to the input and every parameter.

Run: /usr/bin/python3 tools/gen_conv_extra_fixtures.py   (writes tests/fixtures/nn/conv_extra.json)
"""
import json
import os

import torch
import torch.nn as nn

from fixture_common import backprop, flat, sd2j, t2j

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "nn", "conv_extra.json")
torch.manual_seed(0)
torch.set_default_dtype(torch.float64)


def case(name, kind, config, module, shape, call=None):
    x = torch.randn(*shape, requires_grad=True)
    before = sd2j(module)
    rec = backprop(module, [x], flat(call(module, x) if call else module(x)))
    return {
        "name": name,
        "kind": kind,
        "config": config,
        "state_dict": before,
        "input": t2j(x),
        "outputs": rec["outputs"],
        "r": rec["r"],
        "input_grad": rec["input_grads"][0],
        "param_grads": rec["param_grads"],
    }


def conv_t2(name, shape, call=None, **kw):
    return case(name, "ConvTranspose2d", kw, nn.ConvTranspose2d(**kw), shape, call)


def conv1(name, shape, **kw):
    return case(name, "Conv1d", kw, nn.Conv1d(**kw), shape)


def conv_t1(name, shape, **kw):
    return case(name, "ConvTranspose1d", kw, nn.ConvTranspose1d(**kw), shape)


def cases():
    cs = [
        conv_t2("ct2_basic", (2, 3, 5, 4), in_channels=3, out_channels=4, kernel_size=3),
        conv_t2("ct2_stride2_outpad1", (2, 2, 5, 6), in_channels=2, out_channels=3, kernel_size=3,
                stride=2, padding=1, output_padding=1),
        conv_t2("ct2_groups2_rect_nobias", (1, 4, 5, 5), in_channels=4, out_channels=6,
                kernel_size=(3, 2), stride=(2, 1), padding=(1, 0), groups=2, bias=False),
        conv_t2("ct2_dilation2_stride3_outpad", (1, 2, 4, 3), in_channels=2, out_channels=2,
                kernel_size=3, stride=3, padding=2, dilation=2, output_padding=(2, 1)),
        conv_t2("ct2_outpad_below_dilation", (1, 2, 4, 5), in_channels=2, out_channels=3,
                kernel_size=(2, 3), dilation=2, output_padding=1),
        conv_t2("ct2_unbatched", (2, 4, 3), in_channels=2, out_channels=3, kernel_size=2),
        conv_t2("ct2_odd_groups_dil_stride", (2, 6, 3, 5), in_channels=6, out_channels=3,
                kernel_size=(3, 4), stride=(2, 3), padding=(2, 1), dilation=(2, 1),
                output_padding=(1, 2), groups=3),
    ]
    m = nn.ConvTranspose2d(2, 2, 3, stride=2, padding=1)
    c = case("ct2_output_size", "ConvTranspose2d",
             dict(in_channels=2, out_channels=2, kernel_size=3, stride=2, padding=1), m,
             (1, 2, 4, 5), call=lambda mod, t: mod(t, output_size=[8, 9]))
    c["output_size"] = [8, 9]
    cs.append(c)
    cs += [
        conv1("c1_pad1", (2, 3, 9), in_channels=3, out_channels=4, kernel_size=3, padding=1),
        conv1("c1_stride2_dilation2", (2, 2, 11), in_channels=2, out_channels=4, kernel_size=3,
              stride=2, dilation=2, padding=2),
        conv1("c1_groups2_same_even", (1, 4, 7), in_channels=4, out_channels=6, kernel_size=4,
              groups=2, padding="same"),
        conv1("c1_valid_nobias", (2, 2, 8), in_channels=2, out_channels=3, kernel_size=5,
              padding="valid", bias=False),
        conv1("c1_reflect", (1, 2, 6), in_channels=2, out_channels=2, kernel_size=3, padding=1,
              padding_mode="reflect"),
        conv1("c1_circular_same_dil", (1, 2, 9), in_channels=2, out_channels=3, kernel_size=4,
              dilation=2, padding="same", padding_mode="circular"),
        conv1("c1_unbatched", (2, 7), in_channels=2, out_channels=3, kernel_size=3),
        conv_t1("ct1_stride2_outpad1", (2, 3, 5), in_channels=3, out_channels=2, kernel_size=4,
                stride=2, padding=1, output_padding=1),
        conv_t1("ct1_groups2_dil2_nobias", (1, 4, 6), in_channels=4, out_channels=4,
                kernel_size=3, groups=2, dilation=2, bias=False),
    ]
    amp = [
        ("amp_uneven", (3, 2), (2, 2, 7, 5)),
        ("amp_none_h", (None, 3), (1, 2, 5, 7)),
        ("amp_even", (2, 3), (1, 2, 4, 6)),
        ("amp_int", 4, (1, 1, 9, 6)),
        ("amp_unbatched", (2, 2), (3, 5, 5)),
        ("amp_larger_than_input", (5, 4), (1, 2, 3, 3)),
    ]
    for name, size, shape in amp:
        cfg = {"output_size": list(size) if isinstance(size, tuple) else size, "return_indices": True}
        cs.append(case(name, "AdaptiveMaxPool2d", cfg, nn.AdaptiveMaxPool2d(size, return_indices=True), shape))
    cs.append(case("amp_no_indices", "AdaptiveMaxPool2d", {"output_size": [3, 4]},
                   nn.AdaptiveMaxPool2d((3, 4)), (2, 1, 7, 9)))
    mpi = [
        ("mpi_k3_s2_p1", dict(kernel_size=3, stride=2, padding=1), (2, 2, 7, 6)),
        ("mpi_tiled_k2", dict(kernel_size=2), (1, 2, 6, 7)),
        ("mpi_dilation_ceil", dict(kernel_size=(2, 3), stride=1, dilation=2, ceil_mode=True), (1, 1, 6, 7)),
        ("mpi_ceil_s2", dict(kernel_size=3, stride=2, ceil_mode=True), (1, 2, 8, 6)),
        ("mpi_unbatched", dict(kernel_size=2, stride=1), (2, 5, 5)),
    ]
    for name, kw, shape in mpi:
        cs.append(case(name, "MaxPool2d", kw, nn.MaxPool2d(**kw, return_indices=True), shape))

    class PoolUnpool(nn.Module):
        def __init__(self, kw, out_size):
            super().__init__()
            self.pool = nn.MaxPool2d(**kw, return_indices=True)
            self.unpool = nn.MaxUnpool2d(kw["kernel_size"], kw.get("stride"), kw.get("padding", 0))
            self.out_size = out_size

        def forward(self, t):
            y, idx = self.pool(t)
            size = list(t.shape)[-2:] if self.out_size and t.dim() == 3 else list(t.shape) if self.out_size else None
            return self.unpool(y, idx, output_size=size), idx

    for name, kw, shape, out_size in [
        ("unpool_k2", dict(kernel_size=2), (2, 2, 6, 4), False),
        ("unpool_k3_s2_p1_output_size", dict(kernel_size=3, stride=2, padding=1), (1, 2, 7, 6), True),
        ("unpool_unbatched_odd", dict(kernel_size=2), (2, 5, 7), True),
    ]:
        cfg = {**kw, "output_size": out_size}
        cs.append(case(name, "PoolUnpool", cfg, PoolUnpool(kw, out_size), shape))
    return cs


if __name__ == "__main__":
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    data = {"generator": "tools/gen_conv_extra_fixtures.py", "torch": torch.__version__, "cases": cases()}
    with open(OUT, "w") as f:
        json.dump(data, f)
    print(f"wrote {OUT}: {os.path.getsize(OUT)} bytes, {len(data['cases'])} cases")

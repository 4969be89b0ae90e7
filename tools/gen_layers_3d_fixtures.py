#!/usr/bin/env python3
"""Reference values for tests/nn_layers_3d.test.ts and tests/nn_pool1d.test.ts, computed with
PyTorch 1.13 (CPU, float64).

Each case names a denotorch module (`module`, with constructor `args` and camelCase `opts`) or
an `nn.functional` function (`fn`, with `args` and `opts`), and records PyTorch's state dict,
the inputs, every output (int64 indices stored as ints), the gradients of sum(output * R) over
the float outputs for every input and parameter, the state dict after the step (running
statistics) and, where asked, an eval-mode output.

Run: /usr/bin/python3 tools/gen_layers_3d_fixtures.py
  (writes tests/fixtures/nn/layers_3d.json and tests/fixtures/nn/pool1d.json)
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

from fixture_common import Fn, fn, layer_case as case, mod

HERE = os.path.dirname(__file__)
OUT_3D = os.path.join(HERE, "..", "tests", "fixtures", "nn", "layers_3d.json")
OUT_1D = os.path.join(HERE, "..", "tests", "fixtures", "nn", "pool1d.json")
torch.manual_seed(0)
torch.set_default_dtype(torch.float64)


class ShuffleRef(nn.Module):
    """nn.ChannelShuffle's values with a gradient: PyTorch 1.13 has no derivative for
    channel_shuffle, so the gradient reference is the same permutation written as views."""

    def __init__(self, groups):
        super().__init__()
        self.groups = groups

    def forward(self, a):
        n, c = a.shape[:2]
        y = a.reshape(n, self.groups, c // self.groups, *a.shape[2:]).transpose(1, 2).reshape(a.shape)
        assert torch.equal(y, nn.ChannelShuffle(self.groups)(a.detach()))
        return y


def x(*shape):
    return torch.randn(*shape)


def conv3d_cases():
    cs = []
    conv = [
        ("conv3d_basic", (3, 4, 3), {}, {}, (1, 3, 4, 5, 4)),
        ("conv3d_pad1", (2, 3, 3), dict(padding=1), {"padding": 1}, (1, 2, 4, 5, 3)),
        ("conv3d_stride_pad_rect", (2, 4, (3, 2, 3)), dict(stride=(2, 1, 2), padding=(1, 0, 1)),
         {"stride": [2, 1, 2], "padding": [1, 0, 1]}, (2, 2, 5, 4, 5)),
        ("conv3d_dilation", (2, 2, 2), dict(dilation=(2, 1, 2), padding=(1, 1, 0)),
         {"dilation": [2, 1, 2], "padding": [1, 1, 0]}, (1, 2, 6, 4, 5)),
        ("conv3d_groups2_nobias", (4, 6, (2, 3, 1)), dict(groups=2, bias=False),
         {"groups": 2, "bias": False}, (2, 4, 3, 5, 4)),
        ("conv3d_depthwise_stride3", (3, 3, 3), dict(groups=3, stride=3, padding=(2, 1, 1)),
         {"groups": 3, "stride": 3, "padding": [2, 1, 1]}, (1, 3, 5, 6, 4)),
        ("conv3d_same_even", (2, 3, (2, 4, 3)), dict(padding="same"), {"padding": "same"},
         (1, 2, 4, 5, 6)),
        ("conv3d_same_dilated", (1, 2, 3), dict(padding="same", dilation=(2, 1, 3)),
         {"padding": "same", "dilation": [2, 1, 3]}, (2, 1, 5, 3, 7)),
        ("conv3d_valid", (2, 2, (1, 2, 2)), dict(padding="valid"), {"padding": "valid"},
         (1, 2, 3, 3, 3)),
        ("conv3d_unbatched", (2, 3, 2), dict(padding=(0, 1, 0)), {"padding": [0, 1, 0]},
         (2, 3, 4, 3)),
        ("conv3d_reflect", (2, 2, 3), dict(padding=1, padding_mode="reflect"),
         {"padding": 1, "paddingMode": "reflect"}, (1, 2, 3, 4, 5)),
        ("conv3d_replicate_stride", (1, 2, (3, 2, 3)), dict(padding=(1, 2, 1), stride=2,
                                                             padding_mode="replicate"),
         {"padding": [1, 2, 1], "stride": 2, "paddingMode": "replicate"}, (2, 1, 5, 4, 6)),
        ("conv3d_circular_same", (2, 2, (2, 3, 2)), dict(padding="same", padding_mode="circular"),
         {"padding": "same", "paddingMode": "circular"}, (1, 2, 3, 4, 3)),
    ]
    for name, args, kw, opts, shape in conv:
        cs.append(case(name, nn.Conv3d(*args, **kw), [x(*shape)], mod("Conv3d", args, opts)))
    w = torch.linspace(-1, 1, 2 * 2 * 2 * 2 * 3).reshape(2, 2, 2, 2, 3)
    cs.append(case("f_conv3d_weight_input", Fn(lambda a, ww, b: F.conv3d(a, ww, b, stride=(1, 2, 1), padding=1)),
                   [x(1, 2, 3, 5, 4), w, x(2)], fn("conv3d", [], {"stride": [1, 2, 1], "padding": 1})))
    return cs


def pool3d_cases():
    cs = []
    mp = [
        ("maxpool3d_k2", dict(kernel_size=2), {}, (2, 1, 4, 5, 6)),
        ("maxpool3d_k3_s2_p1", dict(kernel_size=3, stride=2, padding=1), {"stride": 2, "padding": 1},
         (1, 2, 5, 7, 6)),
        ("maxpool3d_rect_dilation", dict(kernel_size=(2, 3, 2), stride=1, dilation=(2, 1, 2)),
         {"stride": 1, "dilation": [2, 1, 2]}, (1, 1, 5, 5, 6)),
        ("maxpool3d_ceil", dict(kernel_size=(3, 2, 3), stride=2, ceil_mode=True, padding=(1, 0, 1)),
         {"stride": 2, "ceilMode": True, "padding": [1, 0, 1]}, (2, 1, 6, 5, 8)),
        ("maxpool3d_unbatched", dict(kernel_size=2, stride=(1, 2, 1)), {"stride": [1, 2, 1]},
         (3, 3, 4, 3)),
    ]
    for name, kw, opts, shape in mp:
        k = kw["kernel_size"]
        kk = list(k) if isinstance(k, tuple) else k
        cs.append(case(name, nn.MaxPool3d(**kw, return_indices=True), [x(*shape)],
                       mod("MaxPool3d", [kk], {**opts, "returnIndices": True})))
    cs.append(case("maxpool3d_values_only", nn.MaxPool3d(2, stride=1), [x(1, 2, 3, 4, 3)],
                   mod("MaxPool3d", [2], {"stride": 1})))
    ap = [
        ("avgpool3d_k2", dict(kernel_size=2), {}, (1, 2, 4, 5, 6)),
        ("avgpool3d_pad_include", dict(kernel_size=3, stride=2, padding=1), {"stride": 2, "padding": 1},
         (1, 2, 5, 6, 7)),
        ("avgpool3d_pad_exclude_ceil", dict(kernel_size=(2, 3, 3), stride=2, padding=(1, 1, 0),
                                            ceil_mode=True, count_include_pad=False),
         {"stride": 2, "padding": [1, 1, 0], "ceilMode": True, "countIncludePad": False}, (1, 2, 5, 6, 8)),
        ("avgpool3d_ceil_include", dict(kernel_size=3, stride=2, ceil_mode=True),
         {"stride": 2, "ceilMode": True}, (1, 1, 6, 6, 7)),
        ("avgpool3d_divisor", dict(kernel_size=(2, 2, 3), padding=1, divisor_override=5),
         {"padding": 1, "divisorOverride": 5}, (2, 1, 3, 4, 5)),
        ("avgpool3d_unbatched", dict(kernel_size=(1, 2, 2)), {}, (2, 3, 4, 4)),
    ]
    for name, kw, opts, shape in ap:
        k = kw["kernel_size"]
        kk = list(k) if isinstance(k, tuple) else k
        cs.append(case(name, nn.AvgPool3d(**kw), [x(*shape)], mod("AvgPool3d", [kk], opts)))
    aap = [
        ("adaptiveavgpool3d_uneven", (2, 3, 2), (1, 2, 5, 7, 5)),
        ("adaptiveavgpool3d_even", (2, 2, 3), (1, 2, 4, 6, 9)),
        ("adaptiveavgpool3d_none", (3, None, 2), (1, 2, 7, 3, 5)),
        ("adaptiveavgpool3d_global", 1, (2, 3, 3, 4, 5)),
        ("adaptiveavgpool3d_larger_unbatched", (4, 2, 3), (2, 3, 3, 2)),
    ]
    for name, size, shape in aap:
        s = list(size) if isinstance(size, tuple) else size
        cs.append(case(name, nn.AdaptiveAvgPool3d(size), [x(*shape)], mod("AdaptiveAvgPool3d", [s])))
    amp = [
        ("adaptivemaxpool3d_uneven", (2, 3, 2), (1, 2, 5, 7, 5)),
        ("adaptivemaxpool3d_even", (2, 2, 3), (1, 2, 4, 6, 9)),
        ("adaptivemaxpool3d_none_larger", (None, 4, 2), (1, 2, 3, 3, 5)),
        ("adaptivemaxpool3d_unbatched", 2, (2, 5, 3, 4)),
    ]
    for name, size, shape in amp:
        s = list(size) if isinstance(size, tuple) else size
        cs.append(case(name, nn.AdaptiveMaxPool3d(size, return_indices=True), [x(*shape)],
                       mod("AdaptiveMaxPool3d", [s], {"returnIndices": True})))
    cs.append(case("adaptivemaxpool3d_values_only", nn.AdaptiveMaxPool3d((3, 2, 2)), [x(1, 2, 5, 3, 4)],
                   mod("AdaptiveMaxPool3d", [[3, 2, 2]])))
    return cs


def norm_cases():
    cs = []
    cs.append(case("batchnorm3d_train", nn.BatchNorm3d(3), [x(2, 3, 3, 4, 2)], mod("BatchNorm3d", [3]),
                   eval_inputs=[(1, 3, 2, 3, 2)]))
    cs.append(case("batchnorm3d_momentum_eps", nn.BatchNorm3d(2, eps=1e-3, momentum=0.3), [x(3, 2, 2, 3, 3)],
                   mod("BatchNorm3d", [2], {"eps": 1e-3, "momentum": 0.3}), eval_inputs=[(2, 2, 2, 2, 2)]))
    cs.append(case("batchnorm3d_cumulative_noaffine", nn.BatchNorm3d(2, momentum=None, affine=False),
                   [x(2, 2, 3, 2, 3)], mod("BatchNorm3d", [2], {"momentum": None, "affine": False}),
                   eval_inputs=[(1, 2, 2, 2, 2)]))
    cs.append(case("batchnorm3d_eval", nn.BatchNorm3d(3), [x(2, 3, 2, 3, 2)], mod("BatchNorm3d", [3]),
                   train=False))
    cs.append(case("batchnorm3d_untracked", nn.BatchNorm3d(2, track_running_stats=False), [x(2, 2, 2, 3, 2)],
                   mod("BatchNorm3d", [2], {"trackRunningStats": False}), eval_inputs=[(2, 2, 2, 2, 3)]))
    cs.append(case("instancenorm3d_default", nn.InstanceNorm3d(3), [x(2, 3, 3, 4, 2)], mod("InstanceNorm3d", [3])))
    cs.append(case("instancenorm3d_affine_track", nn.InstanceNorm3d(2, affine=True, track_running_stats=True),
                   [x(3, 2, 2, 3, 3)], mod("InstanceNorm3d", [2], {"affine": True, "trackRunningStats": True}),
                   eval_inputs=[(1, 2, 3, 2, 2)]))
    cs.append(case("instancenorm3d_unbatched", nn.InstanceNorm3d(2, affine=True, momentum=0.2, track_running_stats=True),
                   [x(2, 3, 2, 4)], mod("InstanceNorm3d", [2], {"affine": True, "momentum": 0.2, "trackRunningStats": True}),
                   eval_inputs=[(2, 2, 3, 3)]))
    lrn = [
        ("lrn_3d_input", (3,), {}, (2, 5, 4)),
        ("lrn_4d_even_size", (4,), dict(alpha=0.1, beta=0.6, k=2.0), (2, 6, 3, 3)),
        ("lrn_5d", (3,), dict(alpha=0.05, beta=0.9, k=0.5), (1, 4, 2, 3, 2)),
        ("lrn_size_larger_than_c", (7,), dict(alpha=0.2), (2, 3, 5)),
        ("lrn_size1", (1,), dict(alpha=1.0, beta=0.5), (1, 3, 2, 2)),
    ]
    for name, args, kw, shape in lrn:
        opts = {"alpha": kw["alpha"], "beta": kw.get("beta", 0.75), "k": kw.get("k", 1.0)} if kw else None
        cs.append(case(name, nn.LocalResponseNorm(*args, **kw), [x(*shape)], mod("LocalResponseNorm", args, opts)))
    cs.append(case("f_local_response_norm", Fn(lambda a: F.local_response_norm(a, 2, alpha=0.3)), [x(2, 4, 3)],
                   fn("localResponseNorm", [2], {"alpha": 0.3})))
    return cs


def misc_cases():
    cs = []
    pads = [
        ("constantpad3d", nn.ConstantPad3d((1, 2, 0, 1, 2, 0), 3.5), mod("ConstantPad3d", [[1, 2, 0, 1, 2, 0], 3.5]),
         (1, 2, 2, 3, 3)),
        ("constantpad3d_crop_unbatched", nn.ConstantPad3d((1, -1, 0, 1, -1, 1), -1.0),
         mod("ConstantPad3d", [[1, -1, 0, 1, -1, 1], -1.0]), (2, 3, 3, 4)),
        ("reflectionpad3d", nn.ReflectionPad3d((1, 2, 2, 0, 1, 1)), mod("ReflectionPad3d", [[1, 2, 2, 0, 1, 1]]),
         (1, 2, 3, 4, 3)),
        ("reflectionpad3d_int_unbatched", nn.ReflectionPad3d(1), mod("ReflectionPad3d", [1]), (2, 2, 3, 3)),
        ("replicationpad3d", nn.ReplicationPad3d((0, 2, 1, 1, 3, 0)), mod("ReplicationPad3d", [[0, 2, 1, 1, 3, 0]]),
         (2, 1, 2, 3, 2)),
        ("replicationpad3d_int", nn.ReplicationPad3d(2), mod("ReplicationPad3d", [2]), (1, 1, 2, 2, 3)),
    ]
    for name, m, spec, shape in pads:
        cs.append(case(name, m, [x(*shape)], spec))
    cs.append(case("cosine_similarity_default", nn.CosineSimilarity(), [x(4, 5), x(4, 5)],
                   mod("CosineSimilarity", [], {})))
    cs.append(case("cosine_similarity_dim_broadcast", nn.CosineSimilarity(dim=-1, eps=1e-3), [x(3, 1, 4), x(2, 4)],
                   mod("CosineSimilarity", [], {"dim": -1, "eps": 1e-3})))
    cs.append(case("pairwise_distance_default", nn.PairwiseDistance(), [x(4, 6), x(4, 6)],
                   mod("PairwiseDistance", [], {})))
    cs.append(case("pairwise_distance_p1_keepdim", nn.PairwiseDistance(p=1.0, eps=1e-3, keepdim=True),
                   [x(2, 3, 5), x(3, 5)], mod("PairwiseDistance", [], {"p": 1.0, "eps": 1e-3, "keepdim": True})))
    cs.append(case("pairwise_distance_p3", nn.PairwiseDistance(p=3.0), [x(5, 4), x(5, 4)],
                   mod("PairwiseDistance", [], {"p": 3.0})))
    for name, groups, shape, spec in [
        ("channel_shuffle_2", 2, (2, 4, 2, 3), mod("ChannelShuffle", [2])),
        ("channel_shuffle_3_3d", 3, (2, 6, 5), mod("ChannelShuffle", [3])),
        ("channel_shuffle_5d", 2, (1, 6, 2, 1, 2), mod("ChannelShuffle", [2])),
        ("f_channel_shuffle", 4, (1, 8, 2), fn("channelShuffle", [4])),
    ]:
        cs.append(case(name, ShuffleRef(groups), [x(*shape)], spec))
    # Channel dropout in eval mode is the identity; p = 0 in training too.
    cs.append(case("dropout3d_eval", nn.Dropout3d(0.4), [x(2, 3, 2, 2, 2)], mod("Dropout3d", [0.4]), train=False))
    cs.append(case("alpha_dropout_eval", nn.AlphaDropout(0.3), [x(3, 4)], mod("AlphaDropout", [0.3]), train=False))
    return cs


def pool1d_cases():
    cs = []
    mp = [
        ("maxpool1d_k2", dict(kernel_size=2), {}, (2, 3, 8)),
        ("maxpool1d_k3_s2_p1", dict(kernel_size=3, stride=2, padding=1), {"stride": 2, "padding": 1}, (2, 2, 9)),
        ("maxpool1d_dilation_ceil", dict(kernel_size=3, stride=2, dilation=2, ceil_mode=True),
         {"stride": 2, "dilation": 2, "ceilMode": True}, (1, 2, 12)),
        ("maxpool1d_ceil_pad", dict(kernel_size=4, stride=3, padding=2, ceil_mode=True),
         {"stride": 3, "padding": 2, "ceilMode": True}, (2, 1, 11)),
        ("maxpool1d_unbatched", dict(kernel_size=2, stride=1), {"stride": 1}, (3, 7)),
    ]
    for name, kw, opts, shape in mp:
        cs.append(case(name, nn.MaxPool1d(**kw, return_indices=True), [x(*shape)],
                       mod("MaxPool1d", [kw["kernel_size"]], {**opts, "returnIndices": True})))
    cs.append(case("maxpool1d_values_only", nn.MaxPool1d(3, stride=1, padding=1), [x(2, 2, 6)],
                   mod("MaxPool1d", [3], {"stride": 1, "padding": 1})))
    ap = [
        ("avgpool1d_k2", dict(kernel_size=2), {}, (2, 3, 8)),
        ("avgpool1d_pad_include", dict(kernel_size=3, stride=2, padding=1), {"stride": 2, "padding": 1}, (2, 2, 9)),
        ("avgpool1d_pad_exclude", dict(kernel_size=3, stride=2, padding=1, count_include_pad=False),
         {"stride": 2, "padding": 1, "countIncludePad": False}, (1, 2, 8)),
        ("avgpool1d_ceil", dict(kernel_size=3, stride=2, ceil_mode=True), {"stride": 2, "ceilMode": True}, (1, 2, 10)),
        ("avgpool1d_ceil_pad_exclude", dict(kernel_size=4, stride=3, padding=2, ceil_mode=True, count_include_pad=False),
         {"stride": 3, "padding": 2, "ceilMode": True, "countIncludePad": False}, (2, 1, 11)),
        ("avgpool1d_unbatched", dict(kernel_size=3, stride=1), {"stride": 1}, (2, 7)),
    ]
    for name, kw, opts, shape in ap:
        cs.append(case(name, nn.AvgPool1d(**kw), [x(*shape)], mod("AvgPool1d", [kw["kernel_size"]], opts)))
    for name, size, shape in [
        ("adaptiveavgpool1d_uneven", 3, (2, 3, 10)),
        ("adaptiveavgpool1d_even", 4, (1, 2, 8)),
        ("adaptiveavgpool1d_global", 1, (2, 3, 7)),
        ("adaptiveavgpool1d_larger_unbatched", 5, (2, 3)),
    ]:
        cs.append(case(name, nn.AdaptiveAvgPool1d(size), [x(*shape)], mod("AdaptiveAvgPool1d", [size])))
    for name, size, shape in [
        ("adaptivemaxpool1d_uneven", 3, (2, 3, 10)),
        ("adaptivemaxpool1d_even", 4, (1, 2, 8)),
        ("adaptivemaxpool1d_larger_unbatched", 5, (2, 3)),
    ]:
        cs.append(case(name, nn.AdaptiveMaxPool1d(size, return_indices=True), [x(*shape)],
                       mod("AdaptiveMaxPool1d", [size], {"returnIndices": True})))
    cs.append(case("adaptivemaxpool1d_values_only", nn.AdaptiveMaxPool1d(4), [x(2, 2, 9)],
                   mod("AdaptiveMaxPool1d", [4])))
    # LP pooling: positive inputs keep x^p real for fractional p.
    pos = lambda *s: torch.rand(*s) + 0.2  # noqa: E731
    lp = [
        ("lppool1d_p2", nn.LPPool1d(2, 3), mod("LPPool1d", [2, 3]), (2, 2, 9)),
        ("lppool1d_p1_stride", nn.LPPool1d(1, 2, stride=1), mod("LPPool1d", [1, 2], {"stride": 1}), (1, 3, 6)),
        ("lppool1d_p3_ceil", nn.LPPool1d(3, 3, stride=2, ceil_mode=True),
         mod("LPPool1d", [3, 3], {"stride": 2, "ceilMode": True}), (2, 1, 8)),
        ("lppool1d_frac_unbatched", nn.LPPool1d(1.5, 2), mod("LPPool1d", [1.5, 2]), (3, 7)),
        ("lppool2d_p2", nn.LPPool2d(2, 2), mod("LPPool2d", [2, 2]), (2, 2, 4, 6)),
        ("lppool2d_rect_stride", nn.LPPool2d(3, (2, 3), stride=(1, 2)),
         mod("LPPool2d", [3, [2, 3]], {"stride": [1, 2]}), (1, 2, 5, 7)),
        ("lppool2d_ceil_unbatched", nn.LPPool2d(2.5, 3, stride=2, ceil_mode=True),
         mod("LPPool2d", [2.5, 3], {"stride": 2, "ceilMode": True}), (2, 6, 7)),
    ]
    for name, m, spec, shape in lp:
        cs.append(case(name, m, [pos(*shape)], spec))
    cs.append(case("f_lp_pool2d", Fn(lambda a: F.lp_pool2d(a, 2, (2, 2), stride=1)), [pos(1, 1, 3, 4)],
                   fn("lpPool2d", [2, [2, 2]], {"stride": 1})))
    cs.append(case("f_max_pool1d_indices", Fn(lambda a: F.max_pool1d(a, 3, padding=1, return_indices=True)),
                   [x(2, 2, 7)], fn("maxPool1d", [3], {"padding": 1, "returnIndices": True})))
    cs.append(case("f_avg_pool1d", Fn(lambda a: F.avg_pool1d(a, 2, stride=1, padding=1, count_include_pad=False)),
                   [x(1, 2, 5)], fn("avgPool1d", [2], {"stride": 1, "padding": 1, "countIncludePad": False})))
    return cs


def reprs():
    """PyTorch's own repr lines for the layers, for reference next to ours."""
    return {
        "Conv3d": repr(nn.Conv3d(3, 8, (3, 2, 3), stride=2, padding=1, groups=1, bias=False)),
        "MaxPool3d": repr(nn.MaxPool3d(2)),
        "AvgPool3d": repr(nn.AvgPool3d(3, stride=2, padding=1)),
        "AdaptiveAvgPool3d": repr(nn.AdaptiveAvgPool3d((2, None, 3))),
        "MaxPool1d": repr(nn.MaxPool1d(3, stride=2)),
        "AvgPool1d": repr(nn.AvgPool1d(3)),
        "LPPool1d": repr(nn.LPPool1d(2, 3)),
        "LocalResponseNorm": repr(nn.LocalResponseNorm(5)),
        "Dropout2d": repr(nn.Dropout2d(0.3)),
        "ChannelShuffle": repr(nn.ChannelShuffle(2)),
    }


def state_keys():
    return {
        "Conv3d": list(nn.Conv3d(2, 4, 3).state_dict().keys()),
        "Conv3d_nobias": list(nn.Conv3d(2, 4, 3, bias=False).state_dict().keys()),
        "BatchNorm3d": list(nn.BatchNorm3d(4).state_dict().keys()),
        "BatchNorm3d_untracked": list(nn.BatchNorm3d(4, track_running_stats=False).state_dict().keys()),
        "InstanceNorm3d_affine_track": list(
            nn.InstanceNorm3d(4, affine=True, track_running_stats=True).state_dict().keys()),
        "InstanceNorm3d": list(nn.InstanceNorm3d(4).state_dict().keys()),
    }


if __name__ == "__main__":
    data_3d = {
        "generator": "tools/gen_layers_3d_fixtures.py",
        "torch": torch.__version__,
        "cases": conv3d_cases() + pool3d_cases() + norm_cases() + misc_cases(),
        "reprs": reprs(),
        "state_keys": state_keys(),
    }
    data_1d = {"generator": "tools/gen_layers_3d_fixtures.py", "torch": torch.__version__, "cases": pool1d_cases()}
    for path, data in ((OUT_3D, data_3d), (OUT_1D, data_1d)):
        with open(path, "w") as f:
            json.dump(data, f)
        print(f"wrote {path}: {os.path.getsize(path)} bytes, {len(data['cases'])} cases")

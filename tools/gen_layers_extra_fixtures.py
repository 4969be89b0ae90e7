#!/usr/bin/env python3
"""Reference values for tests/nn_layers_extra.test.ts, computed with PyTorch 1.13 (CPU, float64).

Each case names a denotorch module (`module`, with constructor `args` and camelCase `opts`) or
an `nn.functional` function (`fn`, with `opts`), and records PyTorch's state dict, inputs,
outputs and the gradients of sum(output * R) for the inputs and every parameter, plus the
state dict after the step (running statistics) and, where given, an eval-mode output.

Run: /usr/bin/python3 tools/gen_layers_extra_fixtures.py   (writes tests/fixtures/nn/layers_extra.json)
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

from fixture_common import Fn, fn, layer_case, mod, t2j

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "nn", "layers_extra.json")
torch.manual_seed(0)
torch.set_default_dtype(torch.float64)

# This file's format has one output, one R and one eval input and output per case.
SINGLE = {"outputs": "output", "r": "r", "eval_inputs": "eval_input", "eval_outputs": "eval_output"}


def case(name, module, inputs, spec, train=True, eval_shape=None):
    c = layer_case(name, module, inputs, spec, train, [eval_shape] if eval_shape else None)
    return {SINGLE.get(k, k): (v[0] if k in SINGLE else v) for k, v in c.items()}


def x(*shape):
    return torch.randn(*shape)


def cases():
    cs = []
    # GroupNorm
    cs.append(case("groupnorm_2_6", nn.GroupNorm(2, 6), [x(2, 6, 3, 2)], mod("GroupNorm", [2, 6])))
    cs.append(case("groupnorm_noaffine_eps", nn.GroupNorm(3, 6, eps=1e-3, affine=False), [x(2, 6, 4)],
                   mod("GroupNorm", [3, 6], {"eps": 1e-3, "affine": False})))
    cs.append(case("groupnorm_1group_2d", nn.GroupNorm(1, 4), [x(3, 4)], mod("GroupNorm", [1, 4])))
    cs.append(case("groupnorm_per_channel", nn.GroupNorm(4, 4), [x(2, 4, 3, 3)], mod("GroupNorm", [4, 4])))
    cs.append(case("f_group_norm", Fn(lambda a: F.group_norm(a, 2)), [x(2, 4, 5)], fn("groupNorm", [2])))
    # InstanceNorm
    cs.append(case("instancenorm1d_default", nn.InstanceNorm1d(3), [x(2, 3, 5)], mod("InstanceNorm1d", [3])))
    cs.append(case("instancenorm1d_affine_track", nn.InstanceNorm1d(3, affine=True, track_running_stats=True),
                   [x(2, 3, 5)], mod("InstanceNorm1d", [3], {"affine": True, "trackRunningStats": True}),
                   eval_shape=(2, 3, 4)))
    cs.append(case("instancenorm1d_unbatched_track_mom", nn.InstanceNorm1d(3, momentum=0.3, track_running_stats=True),
                   [x(3, 6)], mod("InstanceNorm1d", [3], {"momentum": 0.3, "trackRunningStats": True}),
                   eval_shape=(3, 4)))
    cs.append(case("instancenorm2d_default", nn.InstanceNorm2d(3), [x(2, 3, 4, 3)], mod("InstanceNorm2d", [3])))
    cs.append(case("instancenorm2d_affine_track_eps", nn.InstanceNorm2d(2, eps=1e-3, momentum=0.2, affine=True, track_running_stats=True),
                   [x(3, 2, 3, 3)], mod("InstanceNorm2d", [2], {"eps": 1e-3, "momentum": 0.2, "affine": True, "trackRunningStats": True}),
                   eval_shape=(1, 2, 2, 3)))
    cs.append(case("instancenorm2d_affine_eval_untracked", nn.InstanceNorm2d(2, affine=True), [x(2, 2, 3, 2)],
                   mod("InstanceNorm2d", [2], {"affine": True}), train=False))
    # interpolate
    interp = [
        ("nearest_size_4d", (1, 2, 3, 4), dict(size=(5, 7)), {"size": [5, 7]}),
        ("nearest_scale2_4d", (2, 1, 3, 2), dict(scale_factor=2), {"scaleFactor": 2}),
        ("nearest_scale_frac_4d", (1, 2, 7, 5), dict(scale_factor=(1.7, 0.6)), {"scaleFactor": [1.7, 0.6]}),
        ("nearest_down_3d", (2, 2, 9), dict(size=4), {"size": 4}),
        ("nearest_scale_3d", (1, 3, 5), dict(scale_factor=2.5), {"scaleFactor": 2.5}),
        ("nearest_recompute", (1, 1, 7, 5), dict(scale_factor=1.7, recompute_scale_factor=True), {"scaleFactor": 1.7, "recomputeScaleFactor": True}),
        ("nearest_5d", (1, 1, 2, 3, 2), dict(size=(3, 4, 5)), {"size": [3, 4, 5]}),
        ("bilinear_size", (1, 2, 3, 4), dict(size=(5, 7), mode="bilinear", align_corners=False), {"size": [5, 7], "mode": "bilinear", "alignCorners": False}),
        ("bilinear_default_align", (1, 1, 4, 3), dict(size=(6, 6), mode="bilinear"), {"size": [6, 6], "mode": "bilinear"}),
        ("bilinear_align", (2, 1, 3, 4), dict(size=(5, 7), mode="bilinear", align_corners=True), {"size": [5, 7], "mode": "bilinear", "alignCorners": True}),
        ("bilinear_scale_frac", (1, 2, 5, 6), dict(scale_factor=(1.5, 0.7), mode="bilinear"), {"scaleFactor": [1.5, 0.7], "mode": "bilinear"}),
        ("bilinear_down", (1, 1, 8, 7), dict(size=(3, 2), mode="bilinear"), {"size": [3, 2], "mode": "bilinear"}),
        ("bilinear_align_scale_to1", (1, 1, 4, 5), dict(size=(1, 3), mode="bilinear", align_corners=True), {"size": [1, 3], "mode": "bilinear", "alignCorners": True}),
        ("bilinear_recompute", (1, 1, 5, 4), dict(scale_factor=1.3, mode="bilinear", recompute_scale_factor=True), {"scaleFactor": 1.3, "mode": "bilinear", "recomputeScaleFactor": True}),
        ("linear_3d", (2, 2, 5), dict(size=8, mode="linear"), {"size": 8, "mode": "linear"}),
        ("linear_3d_align_scale", (1, 2, 4), dict(scale_factor=2.5, mode="linear", align_corners=True), {"scaleFactor": 2.5, "mode": "linear", "alignCorners": True}),
        ("trilinear", (1, 1, 2, 3, 2), dict(size=(3, 4, 3), mode="trilinear"), {"size": [3, 4, 3], "mode": "trilinear"}),
    ]
    for name, shape, kw, opts in interp:
        cs.append(case("interpolate_" + name, Fn(lambda a, kw=kw: F.interpolate(a, **kw)), [x(*shape)], fn("interpolate", [], opts)))
    cs.append(case("upsample_nearest", nn.Upsample(scale_factor=2), [x(1, 2, 3, 3)], mod("Upsample", [], {"scaleFactor": 2})))
    cs.append(case("upsample_bilinear_size", nn.Upsample(size=(4, 5), mode="bilinear"), [x(1, 2, 3, 3)], mod("Upsample", [], {"size": [4, 5], "mode": "bilinear"})))
    cs.append(case("upsample_linear_align", nn.Upsample(scale_factor=3, mode="linear", align_corners=True), [x(2, 1, 3)], mod("Upsample", [], {"scaleFactor": 3, "mode": "linear", "alignCorners": True})))
    cs.append(case("upsampling_nearest2d", nn.UpsamplingNearest2d(size=(5, 3)), [x(1, 2, 2, 2)], mod("UpsamplingNearest2d", [], {"size": [5, 3]})))
    cs.append(case("upsampling_bilinear2d", nn.UpsamplingBilinear2d(scale_factor=2), [x(1, 2, 3, 2)], mod("UpsamplingBilinear2d", [], {"scaleFactor": 2})))
    # pixel shuffle
    cs.append(case("pixel_shuffle_2", nn.PixelShuffle(2), [x(2, 8, 2, 3)], mod("PixelShuffle", [2])))
    cs.append(case("pixel_shuffle_3_batchdims", nn.PixelShuffle(3), [x(2, 1, 9, 2, 2)], mod("PixelShuffle", [3])))
    cs.append(case("pixel_shuffle_unbatched", nn.PixelShuffle(2), [x(4, 2, 2)], mod("PixelShuffle", [2])))
    cs.append(case("pixel_unshuffle_2", nn.PixelUnshuffle(2), [x(2, 2, 4, 6)], mod("PixelUnshuffle", [2])))
    cs.append(case("pixel_unshuffle_3_batchdims", nn.PixelUnshuffle(3), [x(1, 2, 1, 3, 6)], mod("PixelUnshuffle", [3])))
    # padding layers
    pads = [
        ("zeropad2d_int", nn.ZeroPad2d(2), mod("ZeroPad2d", [2]), (1, 2, 3, 3)),
        ("zeropad2d_tuple_crop", nn.ZeroPad2d((1, 0, 2, -1)), mod("ZeroPad2d", [[1, 0, 2, -1]]), (1, 1, 3, 4)),
        ("constantpad1d", nn.ConstantPad1d((2, 1), 3.5), mod("ConstantPad1d", [[2, 1], 3.5]), (2, 2, 4)),
        ("constantpad1d_unbatched", nn.ConstantPad1d(1, -2.0), mod("ConstantPad1d", [1, -2.0]), (3, 4)),
        ("constantpad2d", nn.ConstantPad2d((1, 2, 0, 1), -1.0), mod("ConstantPad2d", [[1, 2, 0, 1], -1.0]), (1, 2, 3, 3)),
        ("reflectionpad1d", nn.ReflectionPad1d(2), mod("ReflectionPad1d", [2]), (2, 2, 4)),
        ("reflectionpad2d", nn.ReflectionPad2d((1, 2, 0, 2)), mod("ReflectionPad2d", [[1, 2, 0, 2]]), (1, 2, 3, 4)),
        ("reflectionpad2d_unbatched", nn.ReflectionPad2d(1), mod("ReflectionPad2d", [1]), (2, 3, 3)),
        ("replicationpad1d", nn.ReplicationPad1d((3, 1)), mod("ReplicationPad1d", [[3, 1]]), (2, 2, 3)),
        ("replicationpad2d", nn.ReplicationPad2d(2), mod("ReplicationPad2d", [2]), (1, 2, 2, 3)),
        ("replicationpad2d_tuple", nn.ReplicationPad2d((0, 1, 2, 0)), mod("ReplicationPad2d", [[0, 1, 2, 0]]), (2, 1, 3, 2)),
    ]
    for name, m, spec, shape in pads:
        cs.append(case(name, m, [x(*shape)], spec))
    # Bilinear
    cs.append(case("bilinear", nn.Bilinear(3, 4, 2), [x(5, 3), x(5, 4)], mod("Bilinear", [3, 4, 2])))
    cs.append(case("bilinear_nobias_3d", nn.Bilinear(3, 2, 4, bias=False), [x(2, 3, 3), x(2, 3, 2)],
                   mod("Bilinear", [3, 2, 4], {"bias": False})))
    cs.append(case("f_bilinear", Fn(lambda a, b: F.bilinear(a, b, torch.linspace(-1, 1, 24).reshape(2, 3, 4))),
                   [x(4, 3), x(4, 4)], fn("bilinear", [])))
    # Fold / Unfold
    cs.append(case("unfold_module", nn.Unfold(2, dilation=2, padding=1, stride=(1, 2)), [x(1, 2, 4, 5)],
                   mod("Unfold", [2], {"dilation": 2, "padding": 1, "stride": [1, 2]})))
    cs.append(case("fold_module", nn.Fold((4, 5), (2, 3), padding=(1, 0), stride=2), [x(2, 12, 6)],
                   mod("Fold", [[4, 5], [2, 3]], {"padding": [1, 0], "stride": 2})))
    return cs


def reprs():
    """PyTorch's own repr lines for the layers, for reference next to ours."""
    return {
        "GroupNorm": repr(nn.GroupNorm(2, 6)),
        "InstanceNorm2d": repr(nn.InstanceNorm2d(3)),
        "Upsample": repr(nn.Upsample(scale_factor=2, mode="bilinear")),
        "PixelShuffle": repr(nn.PixelShuffle(2)),
        "ZeroPad2d": repr(nn.ZeroPad2d(1)),
        "ConstantPad1d": repr(nn.ConstantPad1d(2, 3.5)),
        "Bilinear": repr(nn.Bilinear(3, 4, 2)),
        "Fold": repr(nn.Fold(4, 2)),
    }


def state_keys():
    return {
        "GroupNorm": list(nn.GroupNorm(2, 4).state_dict().keys()),
        "GroupNorm_noaffine": list(nn.GroupNorm(2, 4, affine=False).state_dict().keys()),
        "InstanceNorm1d": list(nn.InstanceNorm1d(4).state_dict().keys()),
        "InstanceNorm1d_affine": list(nn.InstanceNorm1d(4, affine=True).state_dict().keys()),
        "InstanceNorm2d_track": list(nn.InstanceNorm2d(4, track_running_stats=True).state_dict().keys()),
        "InstanceNorm2d_affine_track": list(nn.InstanceNorm2d(4, affine=True, track_running_stats=True).state_dict().keys()),
        "Bilinear": list(nn.Bilinear(3, 4, 2).state_dict().keys()),
        "Bilinear_nobias": list(nn.Bilinear(3, 4, 2, bias=False).state_dict().keys()),
    }


def init_refs():
    """Deterministic init results (no randomness involved)."""
    w = torch.empty(3, 5)
    nn.init.eye_(w)
    d1 = torch.empty(4, 2, 3)
    nn.init.dirac_(d1)
    d2 = torch.empty(6, 2, 3, 2)
    nn.init.dirac_(d2, groups=2)
    d3 = torch.empty(2, 3, 1, 2, 3)
    nn.init.dirac_(d3)
    return {"eye_3x5": t2j(w), "dirac_4_2_3": t2j(d1), "dirac_6_2_3_2_g2": t2j(d2), "dirac_5d": t2j(d3)}


if __name__ == "__main__":
    with open(OUT, "w") as f:
        json.dump({
            "generator": "tools/gen_layers_extra_fixtures.py",
            "torch": torch.__version__,
            "cases": cases(),
            "reprs": reprs(),
            "state_keys": state_keys(),
            "init": init_refs(),
        }, f)
    print("wrote", OUT)

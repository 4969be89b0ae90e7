#!/usr/bin/python3
"""Writes the PyTorch 1.13 reference trajectories for tests/optim_*.test.ts and
tests/lr_scheduler_*.test.ts.

Run with the Debian PyTorch interpreter:  /usr/bin/python3 tools/gen_optim_fixtures.py
Outputs (tests/fixtures/optim/):
  optimizers.json  parameters after each of 6 steps on fixed gradients, and the final state
  schedulers.json  the lr (and momentum / beta1) after construction and after each step
"""
import json
import os

import torch
from torch.optim import SGD, Adam, AdamW, RMSprop
from torch.optim import lr_scheduler as S

from fixture_common import optimizer_case, trajectory_fixture, trajectory_inputs

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "optim")
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(0)
CAMEL = {"weight_decay": "weightDecay"}

init, grads = trajectory_inputs(6)


def run(name, cls, defaults, groups=None):
    """groups: list of (param indices, overrides) or None for one group of all params."""
    return optimizer_case(name, cls, defaults, init, grads, CAMEL, groups)


cases = [
    run("SGD plain", SGD, {"lr": 0.1}),
    run("SGD momentum", SGD, {"lr": 0.1, "momentum": 0.9}),
    run("SGD momentum dampening wd", SGD,
        {"lr": 0.05, "momentum": 0.8, "dampening": 0.3, "weight_decay": 0.01}),
    run("SGD nesterov maximize", SGD,
        {"lr": 0.1, "momentum": 0.9, "nesterov": True, "maximize": True}),
    run("SGD groups", SGD, {"lr": 0.1, "momentum": 0.5},
        [([0], {"lr": 0.01}), ([1, 2], {"momentum": 0.95, "weight_decay": 0.1})]),
    run("Adam default", Adam, {}),
    run("Adam lr wd betas", Adam, {"lr": 0.01, "betas": (0.8, 0.99), "weight_decay": 0.05}),
    run("Adam amsgrad maximize", Adam, {"lr": 0.02, "amsgrad": True, "maximize": True}),
    run("Adam groups", Adam, {"lr": 0.01}, [([0, 1], {"eps": 1e-3}), ([2], {"lr": 0.1})]),
    run("AdamW default", AdamW, {}),
    run("AdamW wd amsgrad", AdamW, {"lr": 0.01, "weight_decay": 0.1, "amsgrad": True}),
    run("RMSprop default", RMSprop, {}),
    run("RMSprop momentum wd", RMSprop,
        {"lr": 0.01, "alpha": 0.9, "momentum": 0.9, "weight_decay": 0.01}),
    run("RMSprop centered momentum", RMSprop,
        {"lr": 0.01, "centered": True, "momentum": 0.5, "eps": 1e-6}),
    run("RMSprop centered maximize", RMSprop, {"lr": 0.005, "centered": True, "maximize": True}),
]
with open(os.path.join(OUT, "optimizers.json"), "w") as f:
    json.dump(trajectory_fixture("tools/gen_optim_fixtures.py", init, grads, cases), f)

# ---- schedulers: each name is rebuilt identically in tests/lr_scheduler_fixtures.test.ts ----


def make_opt(kind, lrs):
    ps = [torch.zeros(1, requires_grad=True) for _ in lrs]
    groups = [{"params": [p], "lr": lr} for p, lr in zip(ps, lrs)]
    if kind == "SGD":
        return SGD(groups, lr=lrs[0], momentum=0.9)
    return Adam(groups, lr=lrs[0])


def trace(name, kind, lrs, build, epochs, metrics=None):
    opt = make_opt(kind, lrs)
    sched = build(opt)
    lr, mom = [], []

    def record():
        lr.append([g["lr"] for g in opt.param_groups])
        mom.append([g["betas"][0] if "betas" in g else g["momentum"] for g in opt.param_groups])

    record()
    for e in range(epochs):
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[e])
        record()
    return {"name": name, "lr": lr, "momentum": mom}


plateau_metrics = [1.0, 0.9, 0.95, 0.95, 0.96, 0.97, 0.89, 0.9, 0.9, 0.9, 0.9, 0.9, 0.5,
                   0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.49999, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5,
                   0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
sched_cases = [
    trace("StepLR", "SGD", [0.1, 0.05], lambda o: S.StepLR(o, 7, gamma=0.5), 35),
    trace("MultiStepLR", "SGD", [0.1], lambda o: S.MultiStepLR(o, [3, 10, 10, 20], 0.3), 35),
    trace("ExponentialLR", "SGD", [0.1, 1.0], lambda o: S.ExponentialLR(o, 0.9), 35),
    trace("CosineAnnealingLR", "SGD", [0.1], lambda o: S.CosineAnnealingLR(o, 10), 45),
    trace("CosineAnnealingLR etaMin", "SGD", [0.1, 0.02],
          lambda o: S.CosineAnnealingLR(o, 7, eta_min=0.001), 40),
    trace("LinearLR", "SGD", [0.1], lambda o: S.LinearLR(o, 0.25, 1.0, 8), 35),
    trace("LinearLR decay", "SGD", [0.1], lambda o: S.LinearLR(o, 1.0, 0.1, 10), 35),
    trace("OneCycleLR cos SGD", "SGD", [0.1], lambda o: S.OneCycleLR(o, 0.5, total_steps=40), 40),
    trace("OneCycleLR linear threePhase Adam", "Adam", [0.01, 0.01],
          lambda o: S.OneCycleLR(o, [0.1, 0.05], epochs=5, steps_per_epoch=8, pct_start=0.25,
                                 anneal_strategy="linear", three_phase=True, div_factor=10.0,
                                 final_div_factor=100.0, base_momentum=0.8,
                                 max_momentum=0.9), 40),
    trace("OneCycleLR no momentum", "SGD", [0.1],
          lambda o: S.OneCycleLR(o, 1.0, total_steps=33, cycle_momentum=False), 33),
    trace("SequentialLR warmup cosine", "SGD", [0.1],
          lambda o: S.SequentialLR(o, [S.LinearLR(o, 0.1, 1.0, 5), S.CosineAnnealingLR(o, 25)],
                                   [5]), 35),
    trace("SequentialLR three", "SGD", [0.1],
          lambda o: S.SequentialLR(o, [S.ExponentialLR(o, 0.9), S.StepLR(o, 3, 0.5),
                                       S.MultiStepLR(o, [2, 6], 0.1)], [8, 20]), 35),
    trace("ReduceLROnPlateau min rel", "SGD", [0.1, 0.01],
          lambda o: S.ReduceLROnPlateau(o, patience=2, min_lr=[0.0005, 0.0]), 35, plateau_metrics),
    trace("ReduceLROnPlateau max abs cooldown", "SGD", [0.1],
          lambda o: S.ReduceLROnPlateau(o, mode="max", factor=0.5, patience=1, threshold=0.01,
                                        threshold_mode="abs", cooldown=2),
          35, [-m for m in plateau_metrics]),
]
with open(os.path.join(OUT, "schedulers.json"), "w") as f:
    json.dump({"generator": "tools/gen_optim_fixtures.py", "torch": torch.__version__,
               "plateauMetrics": plateau_metrics, "cases": sched_cases}, f)
print(f"wrote {len(cases)} optimizer and {len(sched_cases)} scheduler cases")

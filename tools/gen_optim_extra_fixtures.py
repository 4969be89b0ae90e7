#!/usr/bin/python3
"""Writes the PyTorch 1.13 reference values for tests/optim_extra.test.ts and
tests/lr_scheduler_extra.test.ts (Adagrad, Adamax and the schedulers added after the first
set: LambdaLR, MultiplicativeLR, ConstantLR, PolynomialLR, CosineAnnealingWarmRestarts,
CyclicLR, ChainedScheduler).

Run with the Debian PyTorch interpreter:  /usr/bin/python3 tools/gen_optim_extra_fixtures.py
Outputs (tests/fixtures/optim/):
  optimizers_extra.json  parameters after each of 6 steps on fixed gradients, final state
  schedulers_extra.json  lr and momentum after construction and each step, plus the
                         JSON-serialisable part of the final state_dict
"""
import json
import os

import torch
from torch.optim import SGD, Adam, Adagrad, Adamax
from torch.optim import lr_scheduler as S

from fixture_common import optimizer_case, trajectory_fixture, trajectory_inputs

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "optim")
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(1)
CAMEL = {"weight_decay": "weightDecay", "lr_decay": "lrDecay",
         "initial_accumulator_value": "initialAccumulatorValue"}

init, grads = trajectory_inputs(6)


def run(name, cls, defaults, groups=None, no_grad=()):
    """groups: list of (param indices, overrides) or None; no_grad: params never given a grad."""
    return optimizer_case(name, cls, defaults, init, grads, CAMEL, groups, no_grad)


cases = [
    run("Adagrad default", Adagrad, {}),
    run("Adagrad lr_decay wd init eps", Adagrad,
        {"lr": 0.1, "lr_decay": 0.05, "weight_decay": 0.02, "initial_accumulator_value": 0.3,
         "eps": 1e-6}),
    run("Adagrad maximize", Adagrad, {"lr": 0.05, "maximize": True}),
    run("Adagrad groups", Adagrad, {"lr": 0.05, "initial_accumulator_value": 0.1},
        [([0], {"lr": 0.2, "lr_decay": 0.1}),
         ([1, 2], {"weight_decay": 0.1, "initial_accumulator_value": 5.0})]),
    run("Adagrad param without grad", Adagrad, {"lr": 0.1}, no_grad=(2,)),
    run("Adamax default", Adamax, {}),
    run("Adamax lr wd betas eps", Adamax,
        {"lr": 0.01, "betas": (0.8, 0.95), "weight_decay": 0.05, "eps": 1e-3}),
    run("Adamax maximize", Adamax, {"lr": 0.02, "maximize": True}),
    run("Adamax groups", Adamax, {"lr": 0.01}, [([0, 1], {"eps": 0.5}), ([2], {"lr": 0.1})]),
]
with open(os.path.join(OUT, "optimizers_extra.json"), "w") as f:
    json.dump(trajectory_fixture("tools/gen_optim_extra_fixtures.py", init, grads, cases), f)

# ---- schedulers: each name is rebuilt identically in tests/lr_scheduler_extra.test.ts ----


def make_opt(kind, lrs):
    ps = [torch.zeros(1, requires_grad=True) for _ in lrs]
    groups = [{"params": [p], "lr": lr} for p, lr in zip(ps, lrs)]
    if kind == "SGD":
        return SGD(groups, lr=lrs[0], momentum=0.9)
    return Adam(groups, lr=lrs[0])


def jsonable(v):
    """The JSON-serialisable part of a state_dict value (weakrefs, functions dropped)."""
    if isinstance(v, dict):
        return {k: jsonable(x) for k, x in v.items() if jsonable(x) is not ...}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    return ...


def trace(name, kind, lrs, build, steps):
    """steps: a number of plain step() calls, or a list of step arguments (None: no epoch)."""
    opt = make_opt(kind, lrs)
    sched = build(opt)
    lr, mom = [], []

    def record():
        lr.append([g["lr"] for g in opt.param_groups])
        mom.append([g["betas"][0] if "betas" in g else g["momentum"] for g in opt.param_groups])

    record()
    args = [None] * steps if isinstance(steps, int) else steps
    for a in args:
        opt.step()
        if a is None:
            sched.step()
        else:
            sched.step(a)
        record()
    return {"name": name, "epochs": args, "lr": lr, "momentum": mom,
            "state": jsonable(sched.state_dict())}


frac = [e + i / 5 for e in range(12) for i in range(5)]
interleaved = [None] * 7 + [26, None, None, 3.5, None, 0, None, 40.25, None]
sched_cases = [
    trace("LambdaLR two lambdas", "SGD", [0.1, 0.05],
          lambda o: S.LambdaLR(o, [lambda e: 0.95 ** e, lambda e: 1 / (e + 1)]), 30),
    trace("LambdaLR warmup", "SGD", [0.1], lambda o: S.LambdaLR(o, lambda e: min(1.0, (e + 1) / 5)),
          12),
    trace("MultiplicativeLR", "SGD", [0.1], lambda o: S.MultiplicativeLR(o, lambda e: 0.9), 30),
    trace("MultiplicativeLR per group", "SGD", [0.1, 1.0],
          lambda o: S.MultiplicativeLR(o, [lambda e: 0.9, lambda e: 1.0 - 0.01 * e]), 30),
    trace("ConstantLR default", "SGD", [0.1], lambda o: S.ConstantLR(o), 12),
    trace("ConstantLR factor 0.5", "SGD", [0.1, 0.3],
          lambda o: S.ConstantLR(o, factor=0.5, total_iters=4), 12),
    trace("PolynomialLR default", "SGD", [0.1], lambda o: S.PolynomialLR(o), 10),
    trace("PolynomialLR power 2", "SGD", [0.1, 0.02],
          lambda o: S.PolynomialLR(o, total_iters=10, power=2.0), 15),
    trace("PolynomialLR power 0.5", "SGD", [0.5], lambda o: S.PolynomialLR(o, 7, 0.5), 10),
    trace("CosineAnnealingWarmRestarts", "SGD", [0.1],
          lambda o: S.CosineAnnealingWarmRestarts(o, 5), 30),
    trace("CosineAnnealingWarmRestarts tMult etaMin", "SGD", [0.1, 0.2],
          lambda o: S.CosineAnnealingWarmRestarts(o, 3, T_mult=2, eta_min=0.001), 50),
    trace("CosineAnnealingWarmRestarts fractional", "SGD", [0.1],
          lambda o: S.CosineAnnealingWarmRestarts(o, 4, eta_min=0.01), frac),
    trace("CosineAnnealingWarmRestarts fractional tMult", "SGD", [0.1],
          lambda o: S.CosineAnnealingWarmRestarts(o, 2, T_mult=3), frac),
    trace("CosineAnnealingWarmRestarts interleaved", "SGD", [0.1],
          lambda o: S.CosineAnnealingWarmRestarts(o, 4, T_mult=2), interleaved),
    trace("CyclicLR triangular", "SGD", [0.1],
          lambda o: S.CyclicLR(o, 0.01, 0.1, step_size_up=4), 30),
    trace("CyclicLR triangular2 asymmetric", "SGD", [0.1],
          lambda o: S.CyclicLR(o, 0.001, 0.05, step_size_up=3, step_size_down=5,
                               mode="triangular2"), 40),
    trace("CyclicLR exp_range groups", "SGD", [0.1, 0.1],
          lambda o: S.CyclicLR(o, [0.01, 0.002], [0.1, 0.02], step_size_up=5, mode="exp_range",
                               gamma=0.9, base_momentum=[0.7, 0.8],
                               max_momentum=[0.95, 0.9]), 40),
    trace("CyclicLR no momentum", "SGD", [0.1],
          lambda o: S.CyclicLR(o, 0.01, 0.1, step_size_up=3, cycle_momentum=False), 20),
    trace("ChainedScheduler constant exponential", "SGD", [1.0],
          lambda o: S.ChainedScheduler([S.ConstantLR(o, factor=0.1, total_iters=2),
                                        S.ExponentialLR(o, gamma=0.9)]), 12),
    trace("ChainedScheduler three", "SGD", [0.1, 0.5],
          lambda o: S.ChainedScheduler([S.LinearLR(o, 0.5, 1.0, 4), S.StepLR(o, 3, 0.5),
                                        S.MultiplicativeLR(o, lambda e: 0.98)]), 20),
    trace("SequentialLR constant polynomial", "SGD", [0.1],
          lambda o: S.SequentialLR(o, [S.ConstantLR(o, factor=0.2, total_iters=3),
                                       S.PolynomialLR(o, total_iters=8, power=2.0)], [3]), 15),
]
with open(os.path.join(OUT, "schedulers_extra.json"), "w") as f:
    json.dump({"generator": "tools/gen_optim_extra_fixtures.py", "torch": torch.__version__,
               "cases": sched_cases}, f)
print(f"wrote {len(cases)} optimizer and {len(sched_cases)} scheduler cases")

#!/usr/bin/python3
"""Writes the PyTorch 1.13 reference values for tests/optim_nadam_radam.test.ts and
tests/optim_lbfgs.test.ts.

Run with the Debian PyTorch interpreter:  /usr/bin/python3 tools/gen_optim_more_fixtures.py
Outputs (tests/fixtures/optim/):
  optimizers_more.json  NAdam and RAdam: parameters after each of 8 steps on fixed gradients and
                        the final state, in the format of optimizers_extra.json
                        (tools/gen_optim_extra_fixtures.py)
  lbfgs.json            LBFGS on the Rosenbrock function and a small linear regression, with and
                        without the strong-Wolfe line search: the loss step() returns, the
                        parameters after each step and the final state dict (0-d tensors as
                        numbers, lists as lists)
"""
import json
import os

import torch
from torch.optim import LBFGS, NAdam, RAdam

from fixture_common import (camel, flat_list as flat, optimizer_case, state_value, trajectory_fixture,
                            trajectory_inputs)

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "optim")
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(3)
D = torch.float64
CAMEL = {"weight_decay": "weightDecay", "momentum_decay": "momentumDecay", "max_iter": "maxIter",
         "max_eval": "maxEval", "tolerance_grad": "toleranceGrad",
         "tolerance_change": "toleranceChange", "history_size": "historySize",
         "line_search_fn": "lineSearchFn"}

init, grads = trajectory_inputs(8)


def run(name, cls, defaults, groups=None, no_grad=()):
    """groups: list of (param indices, overrides) or None; no_grad: params never given a grad."""
    return optimizer_case(name, cls, defaults, init, grads, CAMEL, groups, no_grad)


cases = [
    run("NAdam default", NAdam, {}),
    run("NAdam lr wd betas momentumDecay", NAdam,
        {"lr": 0.01, "betas": (0.8, 0.95), "weight_decay": 0.05, "eps": 1e-3,
         "momentum_decay": 0.01}),
    run("NAdam groups", NAdam, {"lr": 0.02}, [([0, 1], {"momentum_decay": 0.1}), ([2], {"lr": 0.1})]),
    run("NAdam param without grad", NAdam, {"lr": 0.05}, no_grad=(1,)),
    # beta2 = 0.9 gives rho_inf = 19: the first 5 steps take the unrectified branch (rho_t <= 5).
    run("RAdam default", RAdam, {}),
    run("RAdam beta2 0.9 wd (both branches)", RAdam,
        {"lr": 0.05, "betas": (0.85, 0.9), "weight_decay": 0.1, "eps": 1e-4}),
    run("RAdam groups", RAdam, {"lr": 0.01}, [([0], {"betas": (0.9, 0.8)}), ([1, 2], {"lr": 0.1})]),
]
with open(os.path.join(OUT, "optimizers_more.json"), "w") as f:
    json.dump(trajectory_fixture("tools/gen_optim_more_fixtures.py", init, grads, cases), f)

# ---- LBFGS: each problem is rebuilt identically in tests/optim_lbfgs.test.ts ----

X = torch.randn(20, 3, dtype=D)
Y = X @ torch.tensor([1.5, -2.0, 0.5], dtype=D) + 0.3 + 0.1 * torch.randn(20, dtype=D)


def rosenbrock(params):
    (x,) = params
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def regression(params):
    w, b = params
    return ((X @ w.reshape(-1) + b - Y) ** 2).mean()


PROBLEMS = {
    "rosenbrock": (rosenbrock, [[-1.5, 2.0]], [(2,)]),
    "regression": (regression, [[0.0, 0.0, 0.0], [0.0]], [(1, 3), (1,)]),
}


def lbfgs(name, problem, options, steps):
    fn, start, pshapes = PROBLEMS[problem]
    params = [torch.tensor(v, dtype=D).reshape(s).requires_grad_(True)
              for v, s in zip(start, pshapes)]
    opt = LBFGS(params, **options)

    def closure():
        opt.zero_grad()
        loss = fn(params)
        loss.backward()
        return loss

    losses, after = [], []
    for _ in range(steps):
        losses.append(float(opt.step(closure)))
        after.append([flat(p) for p in params])
    sd = opt.state_dict()
    return {"name": name, "problem": problem, "options": camel(options, CAMEL), "losses": losses,
            "after": after, "state": {k: state_value(v) for k, v in sd["state"][0].items()},
            "param_groups": [camel({k: v for k, v in g.items() if k != "params"}, CAMEL)
                             for g in sd["param_groups"]]}


lbfgs_cases = [
    lbfgs("rosenbrock, no line search, maxIter 10", "rosenbrock", {"lr": 0.5, "max_iter": 10}, 4),
    lbfgs("rosenbrock, strong_wolfe", "rosenbrock", {"line_search_fn": "strong_wolfe"}, 3),
    lbfgs("rosenbrock, strong_wolfe, history 3, maxIter 7", "rosenbrock",
          {"line_search_fn": "strong_wolfe", "history_size": 3, "max_iter": 7}, 4),
    lbfgs("regression, no line search, history 2", "regression",
          {"lr": 0.8, "max_iter": 6, "history_size": 2}, 3),
    lbfgs("regression, strong_wolfe", "regression",
          {"line_search_fn": "strong_wolfe", "max_iter": 5}, 3),
    lbfgs("regression, maxEval 4", "regression", {"max_iter": 10, "max_eval": 4}, 2),
    lbfgs("rosenbrock, toleranceGrad stops at once", "rosenbrock", {"tolerance_grad": 1e3}, 2),
]
with open(os.path.join(OUT, "lbfgs.json"), "w") as f:
    json.dump({"generator": "tools/gen_optim_more_fixtures.py", "torch": torch.__version__,
               "X": flat(X), "Y": flat(Y), "cases": lbfgs_cases}, f)
print(f"wrote {len(cases)} NAdam/RAdam and {len(lbfgs_cases)} LBFGS cases")

"""PyTorch CPU peer of bench/train_step.ts: one SGD-momentum training step (forward,
cross-entropy, backward, update, loss read back) at batch 64 for the small CNN and LeNet.

    python3 tools/bench_pytorch_step.py [--iters 10] [--warmup 3]

Prints one JSON object: {"torch": version, "threads": n, "cnn": ms, "lenet": ms} (medians).
"""
import argparse
import json
import os
import statistics
import time

import torch
from torch import nn


def small_cnn():
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(4096, 128), nn.ReLU(), nn.Linear(128, 10))


def lenet():
    return nn.Sequential(
        nn.Conv2d(3, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10))


def bench(model, iters, warmup):
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    crit = nn.CrossEntropyLoss()
    x = torch.randn(64, 3, 32, 32)
    y = torch.randint(0, 10, (64,))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = crit(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(warmup):
        step()
    times = []
    for _ in range(iters):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    a = ap.parse_args()
    # Same cores as the WebGPU side gets: PyTorch may default to one thread in containers.
    torch.set_num_threads(os.cpu_count() or 1)
    torch.manual_seed(0)
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(),
           "cnn": bench(small_cnn(), a.iters, a.warmup),
           "lenet": bench(lenet(), a.iters, a.warmup)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Reference values for tests/nn_*.test.ts, computed with PyTorch 1.13 (CPU, float64).

Each case records a module's config, its state dict, an input, the output, and the gradients
of sum(output * R) (R is stored too) with respect to the input and every parameter. The
TypeScript tests rebuild the same module, load the state dict and compare.

Run: /usr/bin/python3 tools/gen_nn_fixtures.py   (writes tests/fixtures/nn/*.json)
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

from fixture_common import flat

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "nn")
torch.manual_seed(0)
torch.set_default_dtype(torch.float64)


# NOTE: not fixture_common's t2j: this generator's fixtures store integer tensors
# (num_batches_tracked, index inputs) without its "int" mark.
def t2j(t):
    t = t.detach()
    return {"shape": list(t.shape), "values": [float(v) for v in t.flatten().tolist()]}


def sd2j(m):
    return {k: t2j(v) for k, v in m.state_dict().items()}


def case(name, module, inputs, config, train=True, extra=None, call=None):
    module.train(train)
    inputs = [x.clone().requires_grad_(x.is_floating_point()) for x in inputs]
    before = sd2j(module)
    outs = flat(call(module, *inputs) if call else module(*inputs))
    rs = [torch.randn_like(o) for o in outs]
    loss = sum((o * r).sum() for o, r in zip(outs, rs))
    loss.backward()
    c = {
        "name": name,
        "config": config,
        "train": train,
        "state_dict": before,
        "inputs": [t2j(x) if x.is_floating_point() else {**t2j(x), "int": True} for x in inputs],
        "outputs": [t2j(o) for o in outs],
        "r": [t2j(r) for r in rs],
        "input_grads": [t2j(x.grad) if x.grad is not None else None for x in inputs],
        "param_grads": {k: t2j(p.grad) for k, p in module.named_parameters() if p.grad is not None},
        "state_after": sd2j(module),
    }
    if extra:
        c.update(extra(module))
    return c


def x(*shape):
    return torch.randn(*shape)


def write(fname, cases):
    with open(os.path.join(OUT, fname), "w") as f:
        json.dump({"generator": "tools/gen_nn_fixtures.py", "torch": torch.__version__, "cases": cases}, f)


def layers():
    cs = []
    cs.append(case("linear", nn.Linear(5, 3), [x(4, 5)], {"in": 5, "out": 3}))
    cs.append(case("linear_nobias_3d", nn.Linear(4, 2, bias=False), [x(2, 3, 4)], {"in": 4, "out": 2, "bias": False}))
    convs = [
        ("conv_pad1", dict(in_channels=3, out_channels=4, kernel_size=3, padding=1), (2, 3, 6, 5)),
        ("conv_stride_dil", dict(in_channels=2, out_channels=3, kernel_size=3, stride=2, padding=2, dilation=2), (2, 2, 7, 8)),
        ("conv_groups", dict(in_channels=4, out_channels=6, kernel_size=(3, 2), padding=(1, 0), groups=2, bias=False), (2, 4, 5, 5)),
        ("conv_same_even", dict(in_channels=2, out_channels=3, kernel_size=4, padding="same"), (1, 2, 5, 6)),
        ("conv_valid_rect", dict(in_channels=2, out_channels=2, kernel_size=(2, 3), stride=(1, 2), padding="valid"), (2, 2, 5, 7)),
        ("conv_reflect", dict(in_channels=2, out_channels=3, kernel_size=3, padding=1, padding_mode="reflect"), (1, 2, 5, 4)),
        ("conv_circular", dict(in_channels=2, out_channels=2, kernel_size=3, padding=(1, 2), padding_mode="circular"), (1, 2, 4, 5)),
        ("conv_replicate_stride", dict(in_channels=1, out_channels=2, kernel_size=3, stride=2, padding=1, padding_mode="replicate"), (2, 1, 6, 5)),
        ("conv_unbatched", dict(in_channels=2, out_channels=2, kernel_size=2), (2, 4, 4)),
    ]
    for name, kw, shape in convs:
        cs.append(case(name, nn.Conv2d(**kw), [x(*shape)], kw))
    pools = [
        ("maxpool_s2_p1", nn.MaxPool2d(3, stride=2, padding=1), dict(kernel=3, stride=2, padding=1), (2, 2, 7, 6)),
        ("maxpool_ceil", nn.MaxPool2d(2, ceil_mode=True), dict(kernel=2, ceil=True), (1, 2, 7, 7)),
        ("maxpool_dil", nn.MaxPool2d((2, 3), stride=1, dilation=2), dict(kernel=[2, 3], stride=1, dilation=2), (1, 2, 6, 7)),
        ("avgpool_pad_incl", nn.AvgPool2d(3, stride=2, padding=1), dict(kernel=3, stride=2, padding=1), (2, 2, 7, 6)),
        ("avgpool_pad_excl_ceil", nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False), dict(kernel=3, stride=2, padding=1, ceil=True, countIncludePad=False), (1, 2, 6, 6)),
        ("avgpool_ceil_incl", nn.AvgPool2d(2, ceil_mode=True), dict(kernel=2, ceil=True), (1, 1, 5, 5)),
        ("avgpool_divisor", nn.AvgPool2d(2, divisor_override=3), dict(kernel=2, divisor=3), (1, 2, 4, 4)),
        ("adaptive_uneven", nn.AdaptiveAvgPool2d((3, 2)), dict(out=[3, 2]), (2, 2, 7, 5)),
        ("adaptive_global", nn.AdaptiveAvgPool2d(1), dict(out=1), (2, 3, 4, 5)),
        ("adaptive_even", nn.AdaptiveAvgPool2d((2, 3)), dict(out=[2, 3]), (1, 2, 4, 6)),
    ]
    for name, m, cfg, shape in pools:
        cs.append(case(name, m, [x(*shape)], cfg))
    # Batch norm: a training step (batch stats, running stats updated), then eval on new data.
    def bn_eval(shape):
        def extra(m):
            m.eval()
            xe = x(*shape)
            return {"eval_input": t2j(xe), "eval_output": t2j(m(xe))}
        return extra
    for name, m, cfg, shape in [
        ("bn2d", nn.BatchNorm2d(3), dict(n=3), (4, 3, 3, 2)),
        ("bn2d_noaffine_mom", nn.BatchNorm2d(2, affine=False, momentum=0.3), dict(n=2, affine=False, momentum=0.3), (3, 2, 2, 2)),
        ("bn1d_2d", nn.BatchNorm1d(4), dict(n=4), (5, 4)),
        ("bn1d_3d_cumulative", nn.BatchNorm1d(3, momentum=None), dict(n=3, momentum=None), (4, 3, 2)),
        ("bn2d_notrack", nn.BatchNorm2d(2, track_running_stats=False), dict(n=2, track=False), (3, 2, 2, 2)),
    ]:
        with torch.no_grad():
            if m.affine:
                m.weight.copy_(torch.rand_like(m.weight) + 0.5)
                m.bias.copy_(torch.randn_like(m.bias))
            if m.track_running_stats:
                m.running_mean.copy_(torch.randn_like(m.running_mean) * 0.1)
                m.num_batches_tracked.fill_(2)
        cs.append(case(name, m, [x(*shape)], cfg, extra=bn_eval(shape)))
    ln = nn.LayerNorm([4, 5])
    with torch.no_grad():
        ln.weight.copy_(torch.randn_like(ln.weight))
        ln.bias.copy_(torch.randn_like(ln.bias))
    cs.append(case("layernorm", ln, [x(2, 3, 4, 5)], dict(shape=[4, 5])))
    cs.append(case("layernorm_noaffine", nn.LayerNorm(6, elementwise_affine=False, eps=1e-3), [x(3, 6)], dict(shape=[6], affine=False, eps=1e-3)))
    emb = nn.Embedding(6, 3, padding_idx=1)
    idx = torch.tensor([[0, 1, 2], [5, 1, 0]])
    cs.append(case("embedding_pad", emb, [idx], dict(num=6, dim=3, paddingIdx=1)))
    return cs


def rnns():
    cs = []
    lstm = nn.LSTM(3, 4, num_layers=2)
    cs.append(case("lstm2", lstm, [x(5, 2, 3), x(2, 2, 4), x(2, 2, 4)], dict(input=3, hidden=4, layers=2),
                   call=lambda m, a, h, c: m(a, (h, c))))
    gru = nn.GRU(3, 4, num_layers=2, batch_first=True)
    cs.append(case("gru2_bf", gru, [x(2, 5, 3), x(2, 2, 4)], dict(input=3, hidden=4, layers=2, batchFirst=True)))
    lstm1 = nn.LSTM(2, 3, batch_first=True, bias=False)
    cs.append(case("lstm1_bf_nobias_zero_state", lstm1, [x(2, 4, 2)], dict(input=2, hidden=3, layers=1, batchFirst=True, bias=False)))
    gru1 = nn.GRU(2, 3)
    cs.append(case("gru1_unbatched", gru1, [x(4, 2)], dict(input=2, hidden=3, layers=1)))
    return cs


class Fn(nn.Module):
    def __init__(self, f):
        super().__init__()
        self.f = f

    def forward(self, *a):
        return self.f(*a)


def functional():
    cs = []
    fs = [
        ("relu", lambda t: F.relu(t), {}),
        ("leaky_relu", lambda t: F.leaky_relu(t, 0.2), {"slope": 0.2}),
        ("gelu", lambda t: F.gelu(t), {}),
        ("gelu_tanh", lambda t: F.gelu(t, approximate="tanh"), {}),
        ("sigmoid", torch.sigmoid, {}),
        ("tanh", torch.tanh, {}),
        ("softmax", lambda t: F.softmax(t, dim=1), {"dim": 1}),
        ("log_softmax", lambda t: F.log_softmax(t, dim=-1), {"dim": -1}),
        ("pad_constant", lambda t: F.pad(t, (1, 2, 0, 1), value=0.5), {"pads": [1, 2, 0, 1], "mode": "constant", "value": 0.5}),
        ("pad_constant_neg", lambda t: F.pad(t, (-1, 2, 1, -1)), {"pads": [-1, 2, 1, -1], "mode": "constant"}),
        ("pad_reflect", lambda t: F.pad(t, (2, 1, 1, 2), mode="reflect"), {"pads": [2, 1, 1, 2], "mode": "reflect"}),
        ("pad_replicate", lambda t: F.pad(t, (3, 1, 0, 2), mode="replicate"), {"pads": [3, 1, 0, 2], "mode": "replicate"}),
        ("pad_circular", lambda t: F.pad(t, (1, 3, 2, 1), mode="circular"), {"pads": [1, 3, 2, 1], "mode": "circular"}),
        ("unfold", lambda t: F.unfold(t, (2, 3), padding=1, stride=(2, 1)), {"kernel": [2, 3], "padding": 1, "stride": [2, 1]}),
    ]
    for name, f, cfg in fs:
        cs.append(case(name, Fn(f), [x(2, 3, 4, 5)], cfg))
    cs.append(case("fold", Fn(lambda t: F.fold(t, (4, 5), (2, 2), padding=1, stride=2)), [x(2, 8, 9)], {"out": [4, 5], "kernel": [2, 2], "padding": 1, "stride": 2}))
    return cs


class Net(nn.Module):
    """The model of the state-dict interchange test (float32, like a real checkpoint)."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 8, 3, padding=1, groups=2), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.classifier = nn.Linear(8, 5)

    def forward(self, t):
        return self.classifier(torch.flatten(self.features(t), 1))


def model():
    torch.set_default_dtype(torch.float32)
    net = Net()
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    xt = torch.randn(4, 3, 8, 8)
    net.train()
    loss = net(xt).square().mean()
    loss.backward()
    opt.step()
    net.eval()
    xe = torch.randn(2, 3, 8, 8)
    out = net(xe)
    sd = {k: {**t2j(v), "dtype": str(v.dtype).replace("torch.", "")} for k, v in net.state_dict().items()}
    torch.set_default_dtype(torch.float64)
    return {"state_dict": sd, "input": t2j(xe), "output": t2j(out)}


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write("layers.json", layers())
    write("rnn.json", rnns())
    write("functional.json", functional())
    with open(os.path.join(OUT, "model.json"), "w") as f:
        json.dump({"generator": "tools/gen_nn_fixtures.py", "torch": torch.__version__, **model()}, f)
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"wrote {OUT}: {total} bytes")

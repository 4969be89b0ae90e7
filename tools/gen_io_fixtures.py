#!/usr/bin/python3
"""Writes the PyTorch checkpoint fixtures for tests/io_*.test.ts.

Run with the Debian PyTorch 1.13 interpreter:  /usr/bin/python3 tools/gen_io_fixtures.py
Outputs small .pt/.safetensors files plus expected.json into tests/fixtures/io/.
"""
import json
import os
import pickle
import struct
import zipfile

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "io")
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(0)
expected = {}


def vals(t):
    """Flat list of values (non-finite as strings, for JSON)."""
    t = t.detach()
    if t.dtype in (torch.float16, torch.bfloat16):
        t = t.float()
    out = []
    for v in t.reshape(-1).tolist():
        if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
            out.append(str(v))
        else:
            out.append(v)
    return out


def desc(t):
    return {"shape": list(t.shape), "values": vals(t)}


def save(obj, name):
    torch.save(obj, os.path.join(OUT, name))


# 1. A conv + batchnorm + linear model state dict (running stats updated once).
model = torch.nn.Sequential(
    torch.nn.Conv2d(2, 3, 3), torch.nn.BatchNorm2d(3), torch.nn.ReLU(),
    torch.nn.Flatten(), torch.nn.Linear(12, 4))
model.train()
model(torch.randn(2, 2, 4, 4))
sd = model.state_dict()
save(sd, "conv_bn_linear.pt")
expected["conv_bn_linear"] = {k: desc(v) for k, v in sd.items()}
# Eval-mode output on a fixed input, to check a model rebuilt from the loaded weights.
model.eval()
with torch.no_grad():
    x = torch.linspace(-1, 1, 2 * 2 * 4 * 4).reshape(2, 2, 4, 4)
    expected["conv_bn_linear_forward"] = {"input": desc(x), "output": desc(model(x))}

# 2. A training checkpoint: nested dicts, lists, tuples, scalars, strings, None, bools.
lin = torch.nn.Linear(3, 2)
opt = torch.optim.SGD(lin.parameters(), lr=0.1, momentum=0.9)
lin(torch.randn(4, 3)).sum().backward()
opt.step()
ckpt = {
    "epoch": 3,
    "loss": 0.25,
    "name": "run-1",
    "flags": (True, False, None),
    "big": 2 ** 40,
    "np_loss": np.float64(0.125),
    "np_count": np.int64(5),
    "np_f32": np.float32(1.5),
    "neg": -7,
    "nested": {"list": [1, 2.5, "x", torch.arange(3, dtype=torch.int64)], "tuple": (torch.ones(2), 7)},
    "model": lin.state_dict(),
    "params": list(lin.parameters()),  # nn.Parameter pickles via _rebuild_parameter
    "optimizer": opt.state_dict(),
}
save(ckpt, "checkpoint.pt")
expected["checkpoint"] = {
    "epoch": 3, "loss": 0.25, "name": "run-1", "big": 2 ** 40, "neg": -7,
    "model": {k: desc(v) for k, v in lin.state_dict().items()},
    "momentum_buffer_0": desc(opt.state_dict()["state"][0]["momentum_buffer"]),
    "param_groups": [{k: v for k, v in g.items()} for g in opt.state_dict()["param_groups"]],
}

# 3. Views: transposes, slices with offsets and steps, expanded (stride 0), shared storage.
x = torch.arange(24, dtype=torch.float32).reshape(4, 6)
views = {
    "base": x,
    "transposed": x.t(),
    "sliced": x[1:, ::2],
    "offset": x.view(-1)[5:9],
    "expanded": torch.arange(3, dtype=torch.float32).expand(2, 3),
    "permuted": torch.arange(24.0).reshape(2, 3, 4).permute(2, 0, 1),
}
save(views, "views.pt")
expected["views"] = {k: desc(v) for k, v in views.items()}

# 4. One tensor per storage dtype.
dt = {
    "float32": torch.tensor([1.5, -2.25, float("inf")], dtype=torch.float32),
    "float64": torch.tensor([1e-300, -3.5, float("nan")], dtype=torch.float64),
    "float16": torch.tensor([0.5, -65504.0, 1e-7, 3.140625], dtype=torch.float16),
    "bfloat16": torch.tensor([1.0, -2.5, 3.0e38], dtype=torch.bfloat16),
    "int64": torch.tensor([0, -5, 2 ** 31 - 1, -2 ** 31], dtype=torch.int64),
    "int32": torch.tensor([7, -8], dtype=torch.int32),
    "int16": torch.tensor([-32768, 32767], dtype=torch.int16),
    "int8": torch.tensor([-128, 127], dtype=torch.int8),
    "uint8": torch.tensor([0, 255, 3], dtype=torch.uint8),
    "bool": torch.tensor([True, False, True]),
    "scalar": torch.tensor(2.5),
}
save(dt, "dtypes.pt")
expected["dtypes"] = {k: desc(v) for k, v in dt.items()}

# 5. int64 values outside int32 range must be refused.
save({"big": torch.tensor([2 ** 40])}, "int64_overflow.pt")


# 6. A malicious pickle that would run os.system on an unrestricted loader.
class Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


save({"x": Evil()}, "malicious.pt")

# 7. The same state dict repacked with deflate compression (other zip writers do this).
src = os.path.join(OUT, "conv_bn_linear.pt")
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(
        os.path.join(OUT, "deflated.pt"), "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        # A fixed timestamp keeps the fixture byte-identical across runs.
        info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
        zout.writestr(info, zin.read(item.filename), compress_type=zipfile.ZIP_DEFLATED)


# 8. A safetensors file written by hand from the spec (Python safetensors is not installed).
def write_safetensors(path, tensors, metadata=None):
    codes = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16",
             torch.bfloat16: "BF16", torch.int64: "I64", torch.int32: "I32",
             torch.uint8: "U8", torch.int8: "I8", torch.int16: "I16", torch.bool: "BOOL"}
    header, blobs, off = {}, [], 0
    for k, t in tensors.items():
        t = t.contiguous()
        b = t.view(torch.uint8).numpy().tobytes() if t.dtype != torch.bool else t.numpy().tobytes()
        if t.dtype == torch.bfloat16:
            b = t.view(torch.int16).numpy().tobytes()
        header[k] = {"dtype": codes[t.dtype], "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    if metadata:
        header["__metadata__"] = metadata
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


st = {k: v for k, v in dt.items() if k != "scalar"}
write_safetensors(os.path.join(OUT, "hand.safetensors"), st, {"format": "pt"})

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
print("wrote", sorted(os.listdir(OUT)))

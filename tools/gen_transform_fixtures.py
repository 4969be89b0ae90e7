#!/usr/bin/python3
"""Generates torchvision 0.14 reference outputs for tests/transforms_*.test.ts.

Run with the Debian Python that has PyTorch 1.13 / torchvision 0.14:

    /usr/bin/python3 tools/gen_transform_fixtures.py

Writes small PNG test images and expected.json into tests/fixtures/transforms/.
Each case names an image, an op with its arguments, and the expected output
(uint8 HWC for image results, float32 CHW for tensor results) as base64.
"""
import base64
import os

import numpy as np
import torchvision.transforms.functional as F
from fixture_common import enc_pil_image, save_and_reload, write_transform_fixture
from PIL import Image

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "transforms")


def make_images():
    rng = np.random.RandomState(1234)
    # Noise: every neighbouring pixel differs, so resampling taps are all exercised.
    noise = rng.randint(0, 256, size=(24, 20, 3), dtype=np.uint8)
    # Smooth gradients plus mild noise, wider than tall.
    yy, xx = np.mgrid[0:20, 0:24]
    grad = np.stack([xx * 10, yy * 12, (xx + yy) * 5], axis=-1) + rng.randint(0, 20, size=(20, 24, 3))
    grad = np.clip(grad, 0, 255).astype(np.uint8)
    gray = rng.randint(0, 256, size=(24, 20), dtype=np.uint8)
    return {
        "noise.png": Image.fromarray(noise, "RGB"),
        "gradient.png": Image.fromarray(grad, "RGB"),
        "gray.png": Image.fromarray(gray, "L"),
    }


def enc_tensor(t):
    a = t.detach().numpy().astype(np.float32)
    return {"kind": "tensor", "shape": list(a.shape), "data": base64.b64encode(a.tobytes()).decode()}


def main():
    os.makedirs(OUT, exist_ok=True)
    images = save_and_reload(OUT, make_images())

    mean, std = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
    cases = []

    def add(image, op, args, out):
        enc = enc_pil_image(out) if isinstance(out, Image.Image) else enc_tensor(out)
        cases.append({"image": image, "op": op, "args": args, **enc})

    for name, img in images.items():
        add(name, "toTensor", [], F.to_tensor(img))
        add(name, "hflip", [], F.hflip(img))
        add(name, "vflip", [], F.vflip(img))
        for size in [10, 17, [12, 7], [40, 33], [24, 9], [5, 20], [24, 31], 1]:
            add(name, "resize", [size], F.resize(img, size))
        for size in [10, [15, 8], [30, 26], [25, 21], [24, 20], [7, 7]]:
            add(name, "centerCrop", [size], F.center_crop(img, size))
        pads = [
            (4, 0, "constant"),
            ([2, 3], 0, "edge"),
            ([1, 2, 3, 4], 0, "reflect"),
            ([5, 1, 0, 7], 0, "symmetric"),
            (25, 0, "reflect"),
            (30, 0, "symmetric"),
            (3, 77, "constant"),
        ]
        for padding, fill, mode in pads:
            add(name, "pad", [padding, fill, mode], F.pad(img, padding, fill, mode))
        # RandomCrop(size, padding=4) for fixed offsets = pad then crop.
        for top, left in [(0, 0), (5, 2), (8, 8), (3, 7)]:
            add(name, "padCrop", [4, "constant", top, left, 20, 16],
                F.crop(F.pad(img, 4, 0, "constant"), top, left, 20, 16))
        add(name, "padCrop", [[3, 2], "reflect", 1, 4, 18, 22],
            F.crop(F.pad(img, [3, 2], 0, "reflect"), 1, 4, 18, 22))
        add(name, "crop", [-2, -3, 10, 10], F.crop(img, -2, -3, 10, 10))
        add(name, "resizedCrop", [3, 2, 15, 11, [8, 9]], F.resized_crop(img, 3, 2, 15, 11, [8, 9]))
        if img.mode == "RGB":
            add(name, "normalize", [mean, std], F.normalize(F.to_tensor(img), mean, std))
            for f in [0.5, 1.7]:
                add(name, "brightness", [f], F.adjust_brightness(img, f))
            for f in [0.3, 1.5]:
                add(name, "contrast", [f], F.adjust_contrast(img, f))
            for f in [0.0, 0.6, 1.8]:
                add(name, "saturation", [f], F.adjust_saturation(img, f))
            for f in [0.1, -0.27, 0.5, -0.5]:
                add(name, "hue", [f], F.adjust_hue(img, f))

    write_transform_fixture(OUT, "tools/gen_transform_fixtures.py", cases)


if __name__ == "__main__":
    main()

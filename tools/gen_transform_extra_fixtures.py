#!/usr/bin/python3
"""Generates torchvision 0.14 reference outputs for tests/transforms_extra.test.ts.

Run with the Debian Python that has PyTorch 1.13 / torchvision 0.14:

    /usr/bin/python3 tools/gen_transform_extra_fixtures.py

Writes small odd-sized PNG test images and expected.json into
tests/fixtures/transforms_extra/. Each case names an input (an image decoded
as PIL, or the same image as a float32 / float64 / int32 tensor, optionally
batched), a torchvision.transforms.functional op with its arguments, and the
expected output: uint8 HWC for PIL results, raw little-endian values for
tensors, a list of numbers for helpers (linspace, kernels, coefficients).
"""
import base64
import math
import os

import numpy as np
import torch
import torchvision.transforms.functional as F
import torchvision.transforms.functional_tensor as F_t
from fixture_common import enc_pil_image, save_and_reload, write_transform_fixture
from PIL import Image
from torchvision.transforms import InterpolationMode as IM
from torchvision.transforms import autoaugment

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "transforms_extra")
MODES = {m.value: m for m in IM}


def make_images():
    rng = np.random.RandomState(2024)
    yy, xx = np.mgrid[0:17, 0:23]
    # Structure plus noise: edges for the warps, noise so every tap matters.
    rgb = np.stack([xx * 11, yy * 14, (xx * yy) % 256], axis=-1) + rng.randint(0, 40, size=(17, 23, 3))
    rgb = np.clip(rgb, 0, 255).astype(np.uint8)
    rgb[5:9, 4:12] = [250, 30, 90]
    gray = rng.randint(0, 256, size=(15, 11), dtype=np.uint8)
    # Narrow histogram so autocontrast and equalize have work to do.
    low = (rng.randint(60, 140, size=(9, 13, 3))).astype(np.uint8)
    rgba = rng.randint(0, 256, size=(13, 9, 4), dtype=np.uint8)
    rgba[:, :, 3] = np.linspace(0, 255, 13 * 9).reshape(13, 9).astype(np.uint8)
    return {
        "rgb.png": Image.fromarray(rgb, "RGB"),
        "gray.png": Image.fromarray(gray, "L"),
        "low.png": Image.fromarray(low, "RGB"),
        "rgba.png": Image.fromarray(rgba, "RGBA"),
    }


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode()


def enc(out):
    if isinstance(out, Image.Image):
        return enc_pil_image(out)
    if isinstance(out, torch.Tensor):
        dt = {torch.float32: "float32", torch.float64: "float64", torch.int32: "int32"}[out.dtype]
        a = out.detach().contiguous().numpy()
        return {"kind": "tensor", "dtype": dt, "shape": list(a.shape), "data": b64(a)}
    if isinstance(out, (list, tuple)) and out and isinstance(out[0], (Image.Image, torch.Tensor)):
        return {"kind": "list", "items": [enc(o) for o in out]}
    return {"kind": "values", "values": [float(v) for v in out]}


def as_input(img, kind):
    if kind == "pil":
        return img
    t = F.pil_to_tensor(img)
    if kind.startswith("f32"):
        t = F.to_tensor(img)
    elif kind.startswith("f64"):
        t = F.to_tensor(img).double()
    elif kind.startswith("i32"):
        t = t.int()
    if kind.endswith("b"):
        # A batch of two: the image and its mirror.
        t = torch.stack([t, t.flip(-1)])
    return t


def main():
    os.makedirs(OUT, exist_ok=True)
    images = save_and_reload(OUT, make_images())
    cases = []

    def add(image, kind, op, args, out):
        cases.append({"image": image, "input": kind, "op": op, "args": args, **enc(out)})

    def run(image, kind, op, args, fn):
        add(image, kind, op, args, fn(as_input(images[image], kind)))

    # --- helpers ---------------------------------------------------------
    for start, end, steps in [(0, 0.3, 10), (0, 0.3, 31), (255, 0, 31), (0, 135, 31), (0, 0.99, 31),
                              (-4, 4, 9), (-1.5, 1.5, 4), (0, 150 / 331 * 23, 31), (-3, 3, 17), (2, 7, 33)]:
        add("", "none", "linspace", [start, end, steps], torch.linspace(start, end, steps).tolist())
    for k, s in [(3, 0.8), (5, 1.5), (7, 0.3), (9, 2.0), (15, 3.3)]:
        add("", "none", "kernel1d", [k, s], F_t._get_gaussian_kernel1d(k, s).tolist())
    for start, end in [
        ([[0, 0], [22, 0], [22, 16], [0, 16]], [[3, 2], [20, 1], [21, 14], [1, 15]]),
        ([[0, 0], [10, 0], [10, 14], [0, 14]], [[0, 4], [8, 0], [10, 11], [2, 14]]),
    ]:
        add("", "none", "perspectiveCoeffs", [start, end], F._get_perspective_coeffs(start, end))
    for angle, w, h in [(30, 23, 17), (-45.5, 11, 15), (90, 23, 17), (123.4, 9, 13), (1e-3, 23, 17)]:
        m = F._get_inverse_affine_matrix([0.0, 0.0], -angle, [0.0, 0.0], 1.0, [0.0, 0.0])
        add("", "none", "affineOutputSize", [angle, w, h], list(F_t._compute_affine_output_size(m, w, h)))

    # --- resize: every PIL filter, up and down, odd sizes ------------------
    for name in ["rgb.png", "gray.png", "rgba.png"]:
        for mode in ["nearest", "bilinear", "bicubic", "box", "hamming", "lanczos"]:
            for size in [[7, 5], [40, 33], [9, 31], [1, 3], 12]:
                run(name, "pil", "resize", [size, mode], lambda x: F.resize(x, size, MODES[mode]))

    # --- rotate / affine / perspective on images --------------------------
    fills = {"rgb.png": [10, 200, 77], "gray.png": [99], "low.png": [0, 0, 0], "rgba.png": [1, 2, 3, 200]}
    for name in ["rgb.png", "gray.png", "rgba.png"]:
        f = fills[name]
        for angle in [0, 90, 180, 270, -90, 30, -45.5, 123.4, 400, 1e-3]:
            for mode in ["nearest", "bilinear", "bicubic"]:
                for expand in [False, True]:
                    run(name, "pil", "rotate", [angle, mode, expand, None, None],
                        lambda x: F.rotate(x, angle, MODES[mode], expand))
        for angle, center, fill in [(30, [3, 4], f), (90, [0, 0], None), (-60, [11.5, 8.5], f), (180, [5, 5], 7)]:
            for mode in ["nearest", "bilinear"]:
                run(name, "pil", "rotate", [angle, mode, False, center, fill],
                    lambda x: F.rotate(x, angle, MODES[mode], False, center, fill))
        affines = [
            (0, [3, -2], 1.0, [0, 0], None, None),  # pure translation: Pillow's scale-affine path
            (0, [0, 0], 1.7, [0, 0], None, f),  # pure scale
            (25, [1, 2], 0.8, [10, -5], None, f),
            (-130, [-4, 3], 1.3, [0, 20], [2, 3], None),
            (0, [0, 0], 1.0, [35.2, 0], [0, 0], None),  # AutoAugment's ShearX
            (0, [0, 0], 1.0, [0, -20.1], [0, 0], f),  # and ShearY
            (45, [0, 0], 1.0, [0, 0], None, None),
            (10, [400, 0], 1.0, [0, 0], None, None),  # far translation: Pillow's float path
        ]
        for angle, tr, sc, sh, center, fill in affines:
            for mode in ["nearest", "bilinear", "bicubic"]:
                run(name, "pil", "affine", [angle, tr, sc, sh, mode, fill, center],
                    lambda x: F.affine(x, angle, tr, sc, sh, MODES[mode], fill, center))
        start = [[0, 0], [8, 0], [8, 12], [0, 12]]
        end = [[2, 1], [7, 0], [8, 10], [1, 12]]
        for mode in ["nearest", "bilinear", "bicubic"]:
            for fill in [None, f]:
                run(name, "pil", "perspective", [start, end, mode, fill],
                    lambda x: F.perspective(x, start, end, MODES[mode], fill))

    # --- the same warps on tensors ---------------------------------------
    rotations = [(30, False, None, None), (30, True, None, [0.0]), (-45.5, True, [3, 4], None),
                 (90, False, None, [0.25, 0.5, 0.75]), (123.4, True, None, [1.0]), (1e-3, True, None, None)]
    for kind in ["f32", "f64", "i32", "f32b"]:
        # float64 and batches share the float32 code path; three settings each are enough.
        for angle, expand, center, fill in rotations if kind in ("f32", "i32") else rotations[1:4]:
            if kind == "i32" and fill is not None:
                fill = [v * 200 for v in fill]
            for mode in ["nearest", "bilinear"]:
                run("rgb.png", kind, "rotate", [angle, mode, expand, center, fill],
                    lambda x: F.rotate(x, angle, MODES[mode], expand, center, fill))
        for angle, tr, sc, sh, center, fill in [(25, [1, 2], 0.8, [10, -5], None, [0.0]),
                                                (-130, [-4, 3], 1.3, [0, 20], [2, 3], None),
                                                (0, [0, 0], 1.0, [35.2, 0], [0, 0], [0.5])]:
            if kind == "i32" and fill is not None:
                fill = [v * 200 for v in fill]
            for mode in ["nearest", "bilinear"]:
                run("rgb.png", kind, "affine", [angle, tr, sc, sh, mode, fill, center],
                    lambda x: F.affine(x, angle, tr, sc, sh, MODES[mode], fill, center))
        # torchvision solves for the coefficients in float32 with LAPACK (last bits unreproducible),
        # so the tensor warp is checked with torchvision's own coefficients.
        coeffs = F._get_perspective_coeffs([[0, 0], [22, 0], [22, 16], [0, 16]], [[3, 2], [20, 1], [21, 14], [1, 15]])
        for mode, fill in [("nearest", None), ("bilinear", None), ("nearest", [0.5]), ("bilinear", [0.2, 0.4, 0.6])]:
            if kind == "i32" and fill is not None:
                fill = [v * 200 for v in fill]
            run("rgb.png", kind, "perspectiveCoeffs", [coeffs, mode, fill],
                lambda x: F_t.perspective(x, coeffs, mode, fill))
    add("rgb.png", "f32", "affineGrid", [30, 23, 17], F_t._gen_affine_grid(
        torch.tensor(F._get_inverse_affine_matrix([0.0, 0.0], -30, [0.0, 0.0], 1.0, [0.0, 0.0])).reshape(1, 2, 3),
        23, 17, 23, 17).reshape(-1).tolist())

    # --- pads and crops on tensors ---------------------------------------
    for kind in ["f32", "i32", "f64b"]:
        for padding, fill, mode in [(3, 0.5, "constant"), ([2, 1], 0, "edge"), ([1, 2, 3, 4], 0, "reflect"),
                                    ([5, 0, 2, 7], 0, "symmetric"), ([11], 0, "symmetric"), (2, 7, "constant")]:
            run("gray.png", kind, "pad", [padding, fill, mode], lambda x: F.pad(x, padding, fill, mode))
        run("rgb.png", kind, "crop", [-2, 3, 9, 30], lambda x: F.crop(x, -2, 3, 9, 30))
        for size in [[5, 8], [20, 30], 16]:
            run("rgb.png", kind, "centerCrop", [size], lambda x: F.center_crop(x, size))
        run("rgb.png", kind, "fiveCrop", [[6, 9]], lambda x: F.five_crop(x, [6, 9]))
        run("rgb.png", kind, "tenCrop", [[6, 9], True], lambda x: F.ten_crop(x, [6, 9], True))
        run("rgb.png", kind, "hflip", [], F.hflip)
        run("rgb.png", kind, "vflip", [], F.vflip)
    for name in ["rgb.png", "gray.png"]:
        run(name, "pil", "fiveCrop", [[6, 9]], lambda x: F.five_crop(x, [6, 9]))
        run(name, "pil", "tenCrop", [5, False], lambda x: F.ten_crop(x, 5, False))
        run(name, "pil", "pad", [[2, 1, 0, 3], fills[name], "constant"],
            lambda x: F.pad(x, [2, 1, 0, 3], tuple(fills[name]) if len(fills[name]) > 1 else fills[name][0]))

    # --- colour and tone -------------------------------------------------
    for name in ["rgb.png", "gray.png", "low.png"]:
        for g, gain in [(0.5, 1.0), (2.2, 1.0), (1.0, 1.3), (0.0, 1.0)]:
            run(name, "pil", "gamma", [g, gain], lambda x: F.adjust_gamma(x, g, gain))
        for f in [0.0, 0.5, 2.7]:
            run(name, "pil", "sharpness", [f], lambda x: F.adjust_sharpness(x, f))
        for n in [1, 3]:
            run(name, "pil", "grayscale", [n], lambda x: F.rgb_to_grayscale(x, n))
        run(name, "pil", "invert", [], F.invert)
        for bits in [1, 4, 7, 8]:
            run(name, "pil", "posterize", [bits], lambda x: F.posterize(x, bits))
        for th in [128, 200.5, 0]:
            run(name, "pil", "solarize", [th], lambda x: F.solarize(x, th))
        run(name, "pil", "autocontrast", [], F.autocontrast)
        run(name, "pil", "equalize", [], F.equalize)
        for ks, sigma in [(3, 0.8), ([5, 3], [1.5, 0.7]), (7, None), (9, 2.0)]:
            run(name, "pil", "gaussianBlur", [ks, sigma], lambda x: F.gaussian_blur(x, ks, sigma))
    run("rgba.png", "pil", "gamma", [0.5, 1.0], lambda x: F.adjust_gamma(x, 0.5, 1.0))
    run("rgba.png", "pil", "sharpness", [2.7], lambda x: F.adjust_sharpness(x, 2.7))
    run("rgba.png", "pil", "gaussianBlur", [3, 0.8], lambda x: F.gaussian_blur(x, 3, 0.8))
    for kind in ["f32", "f64", "i32", "f32b"]:
        for name in ["rgb.png", "low.png"]:
            for f in [0.0, 0.6, 1.7]:
                run(name, kind, "brightness", [f], lambda x: F.adjust_brightness(x, f))
                run(name, kind, "contrast", [f], lambda x: F.adjust_contrast(x, f))
                run(name, kind, "saturation", [f], lambda x: F.adjust_saturation(x, f))
                run(name, kind, "sharpness", [f], lambda x: F.adjust_sharpness(x, f))
            for n in [1, 3]:
                run(name, kind, "grayscale", [n], lambda x: F.rgb_to_grayscale(x, n))
            run(name, kind, "invert", [], F.invert)
            run(name, kind, "autocontrast", [], F.autocontrast)
            th = 100 if kind == "i32" else 0.4
            run(name, kind, "solarize", [th], lambda x: F.solarize(x, th))
            for ks, sigma in [(3, 0.8), ([5, 3], [1.5, 0.7])]:
                run(name, kind, "gaussianBlur", [ks, sigma], lambda x: F.gaussian_blur(x, ks, sigma))
            if kind != "i32":
                for h in [0.1, -0.27, 0.5]:
                    run(name, kind, "hue", [h], lambda x: F.adjust_hue(x, h))
                for g, gain in [(0.5, 1.0), (2.2, 1.0), (2.0, 1.3), (0.7, 0.9)]:
                    run(name, kind, "gamma", [g, gain], lambda x: F.adjust_gamma(x, g, gain))
    for kind in ["f32", "f64", "i32"]:
        run("gray.png", kind, "brightness", [1.3], lambda x: F.adjust_brightness(x, 1.3))
        run("gray.png", kind, "contrast", [0.4], lambda x: F.adjust_contrast(x, 0.4))
        run("gray.png", kind, "sharpness", [1.9], lambda x: F.adjust_sharpness(x, 1.9))
        run("gray.png", kind, "erase", [2, 3, 4, 5, [0.3]], lambda x: F.erase(x, 2, 3, 4, 5, torch.tensor([0.3])[:, None, None]))
        run("rgb.png", kind, "erase", [-1, 20, 5, 9, [0.1, 0.2, 0.9]],
            lambda x: F.erase(x, -1, 20, 5, 9, torch.tensor([0.1, 0.2, 0.9])[:, None, None]))
    for kind, dtype in [("f32", "float64"), ("f64", "float32"), ("i32", "float32"), ("i32", "float64"),
                        ("f64", "int32")]:
        tdt = getattr(torch, dtype)
        run("rgb.png", kind, "convertImageDtype", [dtype], lambda x: F.convert_image_dtype(x, tdt))
    for name in ["rgb.png", "gray.png", "rgba.png"]:
        add(name, "f32", "toPILImage", [], F.to_pil_image(F.to_tensor(images[name])))
        t = F.to_tensor(images[name]) * 1.37 - 0.2
        add(name, "f32", "toPILImageScaled", [], F.to_pil_image(t))

    # --- AutoAugment's ops at table magnitudes -----------------------------
    space = autoaugment.TrivialAugmentWide()._augmentation_space(31)
    space.update({k: v for k, v in autoaugment.RandAugment()._augmentation_space(31, (17, 23)).items()
                  if k in ("TranslateX", "TranslateY")})
    for op, (mags, signed) in space.items():
        picks = [0.0] if mags.ndim == 0 else [float(mags[i].item()) for i in (1, 17, 30)]
        for m in picks:
            for sign in ([1, -1] if signed else [1]):
                mag = m * sign
                for name in ["rgb.png", "gray.png"]:
                    if op == "Posterize" and mag == 0:
                        continue
                    run(name, "pil", "autoaugOp", [op, mag, "nearest", None],
                        lambda x: autoaugment._apply_op(x, op, mag, IM.NEAREST, None))
                if op not in ("Posterize", "Equalize") and signed and m == picks[1]:
                    run("rgb.png", "f32", "autoaugOp", [op, mag, "bilinear", [0.0, 0.0, 0.0]],
                        lambda x: autoaugment._apply_op(x, op, mag, IM.BILINEAR, [0.0, 0.0, 0.0]))
    posterize = (8 - (torch.arange(31) / ((31 - 1) / 6)).round().int()).tolist()
    add("", "none", "posterizeBits", [31, 6], posterize)
    posterize = (8 - (torch.arange(10) / ((10 - 1) / 4)).round().int()).tolist()
    add("", "none", "posterizeBits", [10, 4], posterize)

    write_transform_fixture(OUT, "tools/gen_transform_extra_fixtures.py", cases)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Reference values for tests/nn_transformer.test.ts: nn.MultiheadAttention, the transformer
encoder/decoder layers and stacks and nn.Transformer, computed with PyTorch 1.13 (CPU, float64).

Each case records the module kind and its denotorch-style config, its state dict (keys in
PyTorch's order; every parameter is re-drawn at random so biases and norms are not trivial and
stacked layers differ), the float inputs, the masks (bool or float, no gradient), the call
options, the outputs (output and, for attention, the weights) and the gradients of
sum(out_i * R_i) (R is stored too) with respect to every input and parameter. Dropout is 0, so
training and eval agree; gradients are on, so PyTorch takes its standard (not fast) path.

It also writes transformer_state.pt: a float32 nn.Transformer state dict saved with torch.save,
whose input and output are recorded in the JSON, to check loading a real PyTorch file.

Run: /usr/bin/python3 tools/gen_transformer_fixtures.py
(writes tests/fixtures/nn/transformer.json and tests/fixtures/nn/transformer_state.pt)
"""
import json
import math
import os

import torch
import torch.nn as nn

from fixture_common import backprop

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "nn")
FILE = "transformer.json"
PT = "transformer_state.pt"
torch.manual_seed(3)
torch.set_default_dtype(torch.float64)


def t2j(t):
    t = t.detach()
    if t.dtype == torch.bool:
        return {"shape": list(t.shape), "values": [int(v) for v in t.flatten().tolist()], "dtype": "bool"}
    return {"shape": list(t.shape), "values": [num(v) for v in t.flatten().tolist()]}


def num(v):
    """12 significant digits (far below the tests' 1e-9 tolerance, a third smaller than repr);
    infinities (causal masks) as the strings "Infinity" / "-Infinity", which JSON lacks and
    JavaScript's Number() reads."""
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return float(f"{v:.12g}")


def x(*shape):
    """Inputs with 4 decimals, so the stored values are exactly the ones PyTorch used."""
    return torch.randn(*shape).round(decimals=4)


def redraw(module):
    with torch.no_grad():
        for p in module.parameters():
            p.copy_((torch.randn_like(p) * 0.4).round(decimals=4))


def causal(n):
    return nn.Transformer.generate_square_subsequent_mask(n).to(torch.float64)


def bool_mask(*shape, keep_first=True):
    """Random bool mask (True = masked); the first key of every row stays visible so no row is
    entirely masked (that would give NaN, as in PyTorch)."""
    m = torch.rand(*shape) < 0.35
    if keep_first:
        m[..., 0] = False
    return m


def layer_kw(cfg):
    return dict(
        dim_feedforward=cfg["dimFeedforward"],
        dropout=0.0,
        activation=cfg.get("activation", "relu"),
        layer_norm_eps=cfg.get("layerNormEps", 1e-5),
        batch_first=cfg.get("batchFirst", False),
        norm_first=cfg.get("normFirst", False),
    )


def build(kind, cfg):
    if kind == "mha":
        return nn.MultiheadAttention(
            cfg["embedDim"], cfg["numHeads"], dropout=0.0, bias=cfg.get("bias", True),
            add_bias_kv=cfg.get("addBiasKv", False), add_zero_attn=cfg.get("addZeroAttn", False),
            kdim=cfg.get("kdim"), vdim=cfg.get("vdim"), batch_first=cfg.get("batchFirst", False))
    if kind == "enc_layer":
        return nn.TransformerEncoderLayer(cfg["dModel"], cfg["nhead"], **layer_kw(cfg))
    if kind == "dec_layer":
        return nn.TransformerDecoderLayer(cfg["dModel"], cfg["nhead"], **layer_kw(cfg))
    if kind == "encoder":
        layer = nn.TransformerEncoderLayer(cfg["dModel"], cfg["nhead"], **layer_kw(cfg))
        norm = nn.LayerNorm(cfg["dModel"]) if cfg.get("norm") else None
        return nn.TransformerEncoder(layer, cfg["numLayers"], norm)
    if kind == "decoder":
        layer = nn.TransformerDecoderLayer(cfg["dModel"], cfg["nhead"], **layer_kw(cfg))
        norm = nn.LayerNorm(cfg["dModel"]) if cfg.get("norm") else None
        return nn.TransformerDecoder(layer, cfg["numLayers"], norm)
    if kind == "transformer":
        return nn.Transformer(
            d_model=cfg["dModel"], nhead=cfg["nhead"], num_encoder_layers=cfg["numEncoderLayers"],
            num_decoder_layers=cfg["numDecoderLayers"], **layer_kw(cfg))
    raise ValueError(kind)


def run(kind, m, ins, masks, call):
    """Calls the module the way the test does: `ins` are the float inputs (for MHA `qkv` says
    which of query/key/value are the same tensor), `masks` the named masks."""
    if kind == "mha":
        qkv = call["qkv"]
        q, k, v = (ins[0], ins[0], ins[0]) if qkv == "self" else (
            (ins[0], ins[1], ins[1]) if qkv == "kv" else (ins[0], ins[1], ins[2]))
        out, w = m(q, k, v, key_padding_mask=masks.get("keyPaddingMask"),
                   need_weights=call.get("needWeights", True), attn_mask=masks.get("attnMask"),
                   average_attn_weights=call.get("averageAttnWeights", True))
        return [out] if w is None else [out, w]
    if kind == "enc_layer":
        return [m(ins[0], src_mask=masks.get("srcMask"),
                  src_key_padding_mask=masks.get("srcKeyPaddingMask"))]
    if kind == "encoder":
        return [m(ins[0], mask=masks.get("mask"), src_key_padding_mask=masks.get("srcKeyPaddingMask"))]
    if kind in ("dec_layer", "decoder"):
        return [m(ins[0], ins[1], tgt_mask=masks.get("tgtMask"), memory_mask=masks.get("memoryMask"),
                  tgt_key_padding_mask=masks.get("tgtKeyPaddingMask"),
                  memory_key_padding_mask=masks.get("memoryKeyPaddingMask"))]
    return [m(ins[0], ins[1], src_mask=masks.get("srcMask"), tgt_mask=masks.get("tgtMask"),
              memory_mask=masks.get("memoryMask"), src_key_padding_mask=masks.get("srcKeyPaddingMask"),
              tgt_key_padding_mask=masks.get("tgtKeyPaddingMask"),
              memory_key_padding_mask=masks.get("memoryKeyPaddingMask"))]


def case(cs, name, kind, cfg, in_shapes, masks=None, call=None, train=True):
    masks = masks or {}
    call = call or {}
    m = build(kind, cfg)
    redraw(m)
    m.train(train)
    ins = [x(*s).requires_grad_(True) for s in in_shapes]
    before = {k: t2j(v) for k, v in m.state_dict().items()}
    outs = run(kind, m, ins, masks, call)
    cs.append({
        "name": name,
        "kind": kind,
        "config": cfg,
        "call": call,
        "train": train,
        "keys": list(m.state_dict().keys()),
        "state_dict": before,
        "inputs": [t2j(t) for t in ins],
        "masks": {k: t2j(v) for k, v in masks.items()},
        **backprop(m, ins, outs, enc=t2j),
    })


def cases():
    cs = []
    E, H, L, S, N = 8, 2, 4, 5, 3
    mha = dict(embedDim=E, numHeads=H)
    # Self-attention (one packed product), no masks.
    case(cs, "mha_self", "mha", mha, [(L, N, E)], call={"qkv": "self"})
    # batch_first cross-attention with key is value, bool 2-D attn_mask and key_padding_mask.
    case(cs, "mha_bf_cross_bool_masks", "mha", {**mha, "batchFirst": True}, [(N, L, E), (N, S, E)],
         {"attnMask": bool_mask(L, S), "keyPaddingMask": bool_mask(N, S)}, {"qkv": "kv"})
    # kdim/vdim (separate q/k/v weights), per-head weights.
    case(cs, "mha_kdim_vdim_per_head", "mha", {**mha, "kdim": 3, "vdim": 5},
         [(L, N, E), (S, N, 3), (S, N, 5)], call={"qkv": "sep", "averageAttnWeights": False})
    # Float 3-D attn_mask with a bool key_padding_mask; distinct query/key/value tensors.
    case(cs, "mha_float_mask3d_bool_kpm", "mha", mha, [(L, N, E), (S, N, E), (S, N, E)],
         {"attnMask": x(N * H, L, S), "keyPaddingMask": bool_mask(N, S)}, {"qkv": "sep"})
    # A float key_padding_mask alone is added to the logits.
    case(cs, "mha_float_kpm", "mha", mha, [(L, N, E), (S, N, E)],
         {"keyPaddingMask": x(N, S)}, {"qkv": "kv"})
    # PyTorch 1.13 merges a bool attn_mask with a float key_padding_mask by logical_or.
    case(cs, "mha_bool_mask_float_kpm", "mha", mha, [(L, N, E), (S, N, E)],
         {"attnMask": bool_mask(L, S), "keyPaddingMask": torch.where(bool_mask(N, S), -1.5, 0.0)},
         {"qkv": "kv"})
    # add_bias_kv and add_zero_attn widen keys and masks by one position each.
    case(cs, "mha_bias_kv_zero_attn_masks", "mha", {**mha, "addBiasKv": True, "addZeroAttn": True},
         [(L, N, E), (S, N, E)], {"attnMask": bool_mask(L, S), "keyPaddingMask": bool_mask(N, S)},
         {"qkv": "kv", "averageAttnWeights": False})
    # Unbatched input: 3-D [num_heads, L, S] float mask and a 1-D key_padding_mask.
    case(cs, "mha_unbatched_mask3d", "mha", mha, [(L, E), (S, E)],
         {"attnMask": x(H, L, S), "keyPaddingMask": bool_mask(S)}, {"qkv": "kv", "averageAttnWeights": False})
    case(cs, "mha_unbatched_self_causal", "mha", {**mha, "batchFirst": True}, [(L, E)],
         {"attnMask": causal(L)}, {"qkv": "self"})
    # No biases, need_weights=False (output only).
    case(cs, "mha_nobias_noweights", "mha", {**mha, "bias": False}, [(L, N, E), (S, N, E), (S, N, E)],
         call={"qkv": "sep", "needWeights": False})
    # Everything at once: kdim/vdim, batch_first, bias_kv, zero attention, eval mode.
    case(cs, "mha_kdim_bf_bias_kv_zero_eval", "mha",
         {**mha, "numHeads": 4, "kdim": 6, "vdim": 3, "batchFirst": True, "addBiasKv": True,
          "addZeroAttn": True},
         [(N, L, E), (N, S, 6), (N, S, 3)], {"keyPaddingMask": bool_mask(N, S)}, {"qkv": "sep"},
         train=False)

    lay = dict(dModel=E, nhead=H, dimFeedforward=16)
    case(cs, "enc_layer_relu_masks", "enc_layer", lay, [(S, N, E)],
         {"srcMask": causal(S), "srcKeyPaddingMask": bool_mask(N, S)})
    case(cs, "enc_layer_gelu_norm_first_bf", "enc_layer",
         {**lay, "activation": "gelu", "normFirst": True, "batchFirst": True, "layerNormEps": 1e-3},
         [(N, S, E)], {"srcKeyPaddingMask": bool_mask(N, S)})
    case(cs, "enc_layer_unbatched_eval", "enc_layer", lay, [(S, E)], {"srcMask": bool_mask(S, S)},
         train=False)
    case(cs, "dec_layer_masks", "dec_layer", lay, [(L, N, E), (S, N, E)],
         {"tgtMask": causal(L), "memoryMask": bool_mask(L, S), "tgtKeyPaddingMask": bool_mask(N, L),
          "memoryKeyPaddingMask": bool_mask(N, S)})
    case(cs, "dec_layer_gelu_norm_first_bf", "dec_layer",
         {**lay, "activation": "gelu", "normFirst": True, "batchFirst": True},
         [(N, L, E), (N, S, E)], {"tgtMask": causal(L), "memoryKeyPaddingMask": bool_mask(N, S)})
    case(cs, "encoder_2_layers_norm", "encoder", {**lay, "numLayers": 2, "norm": True}, [(S, N, E)],
         {"mask": causal(S), "srcKeyPaddingMask": bool_mask(N, S)})
    case(cs, "encoder_2_layers_bf_norm_first", "encoder",
         {**lay, "numLayers": 2, "batchFirst": True, "normFirst": True}, [(N, S, E)])
    case(cs, "decoder_2_layers_norm", "decoder", {**lay, "numLayers": 2, "norm": True},
         [(L, N, E), (S, N, E)], {"tgtMask": causal(L), "memoryKeyPaddingMask": bool_mask(N, S)})
    tr = dict(dModel=E, nhead=H, numEncoderLayers=2, numDecoderLayers=2, dimFeedforward=6)
    case(cs, "transformer_masks", "transformer", tr, [(S, N, E), (L, N, E)],
         {"srcKeyPaddingMask": bool_mask(N, S), "tgtMask": causal(L),
          "memoryKeyPaddingMask": bool_mask(N, S)})
    case(cs, "transformer_bf_norm_first_gelu", "transformer",
         {**tr, "batchFirst": True, "normFirst": True, "activation": "gelu"}, [(N, S, E), (N, L, E)],
         {"srcMask": bool_mask(S, S), "tgtMask": causal(L), "memoryMask": bool_mask(L, S)})
    case(cs, "transformer_unbatched", "transformer", {**tr, "numEncoderLayers": 1}, [(S, E), (L, E)],
         {"tgtMask": causal(L)})
    return cs


def saved_transformer(path):
    """A float32 nn.Transformer saved with torch.save, and its output on recorded inputs."""
    torch.set_default_dtype(torch.float32)
    cfg = dict(dModel=8, nhead=2, numEncoderLayers=1, numDecoderLayers=1, dimFeedforward=16)
    m = build("transformer", cfg)
    redraw(m)
    m.eval()
    src, tgt = x(5, 2, 8), x(3, 2, 8)
    with torch.no_grad():
        out = m(src, tgt, tgt_mask=nn.Transformer.generate_square_subsequent_mask(3))
    torch.save(m.state_dict(), path)
    torch.set_default_dtype(torch.float64)
    return {"file": PT, "config": cfg, "src": t2j(src), "tgt": t2j(tgt), "output": t2j(out)}


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    saved = saved_transformer(os.path.join(OUT, PT))
    path = os.path.join(OUT, FILE)
    with open(path, "w") as f:
        json.dump({"generator": "tools/gen_transformer_fixtures.py", "torch": torch.__version__,
                   "cases": cases(), "saved": saved}, f)
    print(f"wrote {path}: {os.path.getsize(path)} bytes")

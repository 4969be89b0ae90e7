/**
 * Multi-head attention as a function, like `torch.nn.functional.multi_head_attention_forward`
 * (PyTorch 1.13): in-projection, masks, optional key/value biases and zero attention, scaled
 * dot-product attention per head and the out-projection. Composed from differentiable tensor ops
 * (linear, baddbmm, softmax, dropout), so autograd and every backend run it as they are.
 */
import { zeros } from "../../tensor/creation.ts";
import { isFloating } from "../../tensor/dtype.ts";
import { scope } from "../../tensor/memory.ts";
import { fmtShape } from "../../tensor/shape.ts";
import type { Tensor } from "../../tensor/tensor.ts";
import { cat } from "../../ops/join.ts";
import { pad } from "../../ops/pad.ts";
import { baddbmm } from "../../ops/linalg.ts";
import { softmax } from "../../ops/softmax.ts";
import { dropout } from "../../ops/dropout.ts";
import { linear } from "./linear.ts";

const OP = "multiHeadAttentionForward";

/** Options of `multiHeadAttentionForward` (PyTorch's keyword arguments). */
export interface MultiHeadAttentionForwardOptions {
  /** Apply attention dropout (default true; `dropoutP` is ignored when false). */
  training?: boolean;
  /**
   * Keys to ignore, [N, S] ([S] unbatched): true (bool) marks padding; a float mask is added to
   * the attention logits.
   */
  keyPaddingMask?: Tensor | null;
  /** Also return the attention weights (default true). */
  needWeights?: boolean;
  /**
   * Positions that may not attend, [L, S] or [N·numHeads, L, S]: true (bool) forbids; a float
   * mask is added to the attention logits.
   */
  attnMask?: Tensor | null;
  /** Project query, key and value with q/k/vProjWeight instead of inProjWeight (default false). */
  useSeparateProjWeight?: boolean;
  /** Query projection [E, E] (with useSeparateProjWeight). */
  qProjWeight?: Tensor | null;
  /** Key projection [E, kdim] (with useSeparateProjWeight). */
  kProjWeight?: Tensor | null;
  /** Value projection [E, vdim] (with useSeparateProjWeight). */
  vProjWeight?: Tensor | null;
  /** Already projected keys [N·numHeads, S, E/numHeads], used instead of projecting `key`. */
  staticK?: Tensor | null;
  /** Already projected values [N·numHeads, S, E/numHeads], used instead of projecting `value`. */
  staticV?: Tensor | null;
  /** Average the returned weights over the heads (default true). */
  averageAttnWeights?: boolean;
}

function fail(msg: string): never {
  throw new RangeError(`${OP}: ${msg}`);
}

function checkMask(name: string, m: Tensor, query: Tensor): void {
  m.check(OP);
  if (m.device !== query.device) {
    throw new Error(
      `${OP}: expected ${name} on the query's device (${query.device}), got ${name} on ${m.device}`,
    );
  }
  if (m.dtype !== "bool" && !isFloating(m.dtype)) {
    throw new TypeError(
      `${OP}: only bool and floating types of ${name} are supported, got ${m.dtype}`,
    );
  }
}

/** PyTorch's _mha_shape_check: ranks of the inputs and masks; returns whether it is batched. */
function shapeCheck(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  kpm: Tensor | null,
  attnMask: Tensor | null,
  numHeads: number,
): boolean {
  const shapes = `query ${fmtShape(query.shape)}, key ${fmtShape(key.shape)}, value ${
    fmtShape(value.shape)
  }`;
  if (query.ndim !== 2 && query.ndim !== 3) {
    fail(`expected query to be 2-D (unbatched) or 3-D (batched), got ${shapes}`);
  }
  const batched = query.ndim === 3;
  const kind = batched ? "batched (3-D)" : "unbatched (2-D)";
  if (key.ndim !== query.ndim || value.ndim !== query.ndim) {
    fail(`for ${kind} query, expected key and value to be ${query.ndim}-D, got ${shapes}`);
  }
  if (kpm && kpm.ndim !== query.ndim - 1) {
    fail(
      `for ${kind} query, expected keyPaddingMask to be ${query.ndim - 1}-D, got keyPaddingMask ` +
        fmtShape(kpm.shape),
    );
  }
  if (attnMask) {
    if (attnMask.ndim !== 2 && attnMask.ndim !== 3) {
      fail(`expected attnMask to be 2-D or 3-D, got attnMask ${fmtShape(attnMask.shape)}`);
    }
    const want = [numHeads, query.shape[0], key.shape[0]];
    if (!batched && attnMask.ndim === 3 && attnMask.shape.join() !== want.join()) {
      fail(
        `for unbatched query, expected a 3-D attnMask of shape ${fmtShape(want)} (numHeads, ` +
          `target length, source length), got ${fmtShape(attnMask.shape)}`,
      );
    }
  }
  return batched;
}

/**
 * PyTorch's _in_projection_packed: one product when query, key and value are the same tensor
 * (self-attention), two when only key and value are.
 */
function inProjectionPacked(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  w: Tensor,
  b: Tensor | null,
): Tensor[] {
  const E = q.shape[q.ndim - 1];
  if (w.ndim !== 2 || w.shape[0] !== 3 * E || w.shape[1] !== E) {
    fail(`expected inProjWeight of shape ${fmtShape([3 * E, E])}, got ${fmtShape(w.shape)}`);
  }
  if (b && (b.ndim !== 1 || b.shape[0] !== 3 * E)) {
    fail(`expected inProjBias of shape ${fmtShape([3 * E])}, got ${fmtShape(b.shape)}`);
  }
  for (const [name, t] of [["key", k], ["value", v]] as const) {
    if (t.shape[t.ndim - 1] !== E) {
      fail(
        `with a packed inProjWeight, ${name} must have the query's embedding dimension ${E}, got ` +
          `${name} ${fmtShape(t.shape)} (use separate projection weights for kdim/vdim)`,
      );
    }
  }
  if (k === v) {
    if (q === k) return linear(q, w, b).chunk(3, -1);
    const [wq, wkv] = w.split([E, 2 * E]);
    const [bq, bkv] = b ? b.split([E, 2 * E]) : [null, null];
    return [linear(q, wq, bq), ...linear(k, wkv, bkv).chunk(2, -1)];
  }
  const [wq, wk, wv] = w.chunk(3);
  const [bq, bk, bv] = b ? b.chunk(3) : [null, null, null];
  return [linear(q, wq, bq), linear(k, wk, bk), linear(v, wv, bv)];
}

/** PyTorch's _in_projection: three products with separate weights (kdim/vdim may differ). */
function inProjection(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  ws: (Tensor | null | undefined)[],
  b: Tensor | null,
): Tensor[] {
  const E = q.shape[q.ndim - 1];
  const names = ["qProjWeight", "kProjWeight", "vProjWeight"];
  const ins = [q, k, v];
  if (b && (b.ndim !== 1 || b.shape[0] !== 3 * E)) {
    fail(`expected inProjBias of shape ${fmtShape([3 * E])}, got ${fmtShape(b.shape)}`);
  }
  const bs = b ? b.chunk(3) : [null, null, null];
  return ins.map((x, i) => {
    const w = ws[i];
    if (!w) fail(`useSeparateProjWeight is true but ${names[i]} is missing`);
    const inName = ["query", "key", "value"][i];
    if (w.ndim !== 2 || w.shape[0] !== E) {
      fail(`expected ${names[i]} of shape [${E}, *] (embedDim first), got ${fmtShape(w.shape)}`);
    }
    if (w.shape[1] !== x.shape[x.ndim - 1]) {
      fail(
        `${inName} ${fmtShape(x.shape)} does not match ${names[i]} ${
          fmtShape(w.shape)
        } (expected ${inName} with last dim ${w.shape[1]})`,
      );
    }
    return linear(x, w, bs[i]);
  });
}

/** Checks a static key or value: [N·numHeads, S, headDim]. */
function staticIn(name: string, t: Tensor, bh: number, headDim: number): Tensor {
  if (t.ndim !== 3 || t.shape[0] !== bh || t.shape[2] !== headDim) {
    fail(
      `expected ${name} of shape [${bh}, S, ${headDim}] (batch·numHeads, source length, ` +
        `headDim), got ${fmtShape(t.shape)}`,
    );
  }
  return t;
}

/**
 * Multi-head attention, like `torch.nn.functional.multi_head_attention_forward` (the computation
 * of `nn.MultiheadAttention`). Inputs are sequence-first: query [L, N, E] (or unbatched [L, E]),
 * key [S, N, kdim] and value [S, N, vdim]. With E/numHeads = d per head it computes
 * softmax(q kᵀ / √d + mask) v for every head and projects the concatenated heads with
 * `outProjWeight`. Returns `[output [L, N, E], weights]` where weights are [N, L, S] averaged over
 * heads ([N, numHeads, L, S] with `averageAttnWeights: false`; the batch dim dropped for
 * unbatched input), or null with `needWeights: false`.
 *
 * Masks: a bool mask forbids where true, a float mask is added to the logits. A row whose keys
 * are all masked gives NaN, as in PyTorch.
 *
 * @example
 * ```ts
 * const E = 8, heads = 2;
 * const x = randn([5, 3, E]); // [L, N, E]
 * const [out, w] = multiHeadAttentionForward(
 *   x, x, x, E, heads, randn([3 * E, E]), zeros([3 * E]), null, null, false, 0,
 *   randn([E, E]), zeros([E]),
 * ); // out [5, 3, 8], w [3, 5, 5]
 * ```
 */
export function multiHeadAttentionForward(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  embedDimToCheck: number,
  numHeads: number,
  inProjWeight: Tensor | null,
  inProjBias: Tensor | null,
  biasK: Tensor | null,
  biasV: Tensor | null,
  addZeroAttn: boolean,
  dropoutP: number,
  outProjWeight: Tensor,
  outProjBias: Tensor | null,
  opts: MultiHeadAttentionForwardOptions = {},
): [Tensor, Tensor | null] {
  const {
    training = true,
    needWeights = true,
    useSeparateProjWeight = false,
    averageAttnWeights = true,
  } = opts;
  for (const t of [query, key, value]) t.check(OP);
  const kpm0 = opts.keyPaddingMask ?? null;
  const mask0 = opts.attnMask ?? null;
  if (kpm0) checkMask("keyPaddingMask", kpm0, query);
  if (mask0) checkMask("attnMask", mask0, query);
  const batched = shapeCheck(query, key, value, kpm0, mask0, numHeads);
  return scope(() => {
    // Unbatched input runs as a batch of one; the same tensor stays the same tensor so the
    // in-projection can still take its single-product path.
    const lifted = new Map<Tensor, Tensor>();
    const lift = (t: Tensor): Tensor => {
      if (batched) return t;
      if (!lifted.has(t)) lifted.set(t, t.unsqueeze(1));
      return lifted.get(t)!;
    };
    const q0 = lift(query), k0 = lift(key), v0 = lift(value);
    let kpm = kpm0 && !batched ? kpm0.unsqueeze(0) : kpm0;
    const [tgtLen, bsz, embedDim] = q0.shape;
    if (embedDim !== embedDimToCheck) {
      fail(
        `was expecting embedding dimension of ${embedDimToCheck}, but got query ${
          fmtShape(query.shape)
        }`,
      );
    }
    if (!(Number.isInteger(numHeads) && numHeads > 0) || embedDim % numHeads !== 0) {
      fail(`embedDim ${embedDim} not divisible by numHeads ${numHeads}`);
    }
    const headDim = embedDim / numHeads;
    const kvSame = useSeparateProjWeight
      ? k0.shape.slice(0, 2).join() === v0.shape.slice(0, 2).join()
      : k0.shape.join() === v0.shape.join();
    if (!kvSame || k0.shape[1] !== bsz) {
      fail(
        `key and value must share the source length and the query's batch size${
          useSeparateProjWeight ? "" : " and embedding dimension"
        }, got query ${fmtShape(query.shape)}, key ${fmtShape(key.shape)}, value ${
          fmtShape(value.shape)
        }`,
      );
    }

    let q: Tensor, k: Tensor, v: Tensor;
    if (!useSeparateProjWeight) {
      if (!inProjWeight) fail("useSeparateProjWeight is false but inProjWeight is null");
      [q, k, v] = inProjectionPacked(q0, k0, v0, inProjWeight, inProjBias);
    } else {
      [q, k, v] = inProjection(
        q0,
        k0,
        v0,
        [opts.qProjWeight, opts.kProjWeight, opts.vProjWeight],
        inProjBias,
      );
    }

    let mask = mask0;
    const srcLen0 = k0.shape[0];
    if (mask) {
      const want = mask.ndim === 2 ? [tgtLen, srcLen0] : [bsz * numHeads, tgtLen, srcLen0];
      if (mask.shape.join() !== want.join()) {
        fail(
          `the shape of the ${mask.ndim}-D attnMask is ${fmtShape(mask.shape)}, but should be ${
            fmtShape(want)
          } (${mask.ndim === 3 ? "batch·numHeads, " : ""}target length, source length)`,
        );
      }
      if (mask.ndim === 2) mask = mask.unsqueeze(0);
    }

    // Extra key positions (biasK, zero attention) extend the masks with "attend" entries.
    let extra = 0;
    const widen = () => {
      extra++;
      if (mask) mask = pad(mask, [0, 1]);
      if (kpm) kpm = pad(kpm, [0, 1]);
    };
    if ((biasK === null) !== (biasV === null)) {
      fail("biasK and biasV must be given together");
    }
    if (biasK && biasV) {
      if (opts.staticK || opts.staticV) fail("bias cannot be added to a static key or value");
      k = cat([k, biasK.expand([1, bsz, embedDim])]);
      v = cat([v, biasV.expand([1, bsz, embedDim])]);
      widen();
    }

    // Heads become batch entries: [S, N, E] -> [N·numHeads, S, headDim].
    const bh = bsz * numHeads;
    q = q.reshape([tgtLen, bh, headDim]).transpose(0, 1);
    k = opts.staticK
      ? staticIn("staticK", opts.staticK, bh, headDim)
      : k.reshape([k.shape[0], bh, headDim]).transpose(0, 1);
    v = opts.staticV
      ? staticIn("staticV", opts.staticV, bh, headDim)
      : v.reshape([v.shape[0], bh, headDim]).transpose(0, 1);

    if (addZeroAttn) {
      const z = zeros([bh, 1, headDim], { dtype: k.dtype, device: k.device });
      k = cat([k, z], 1);
      v = cat([v, z], 1);
      widen();
    }
    const srcLen = k.shape[1];

    if (kpm) {
      if (kpm.shape.join() !== [bsz, srcLen].join()) {
        const want = batched ? [bsz, srcLen - extra] : [srcLen - extra];
        fail(
          `expected keyPaddingMask of shape ${fmtShape(want)} (${
            batched ? "batch, " : ""
          }source length), got ${fmtShape(kpm0!.shape)}`,
        );
      }
      const kp = kpm.reshape([bsz, 1, 1, srcLen]).expand([bsz, numHeads, 1, srcLen])
        .reshape([bh, 1, srcLen]);
      if (!mask) mask = kp;
      // NOTE: as in PyTorch 1.13, a float keyPaddingMask merged into a bool attnMask masks
      // wherever it is nonzero (logical or), rather than being added.
      else if (mask.dtype === "bool") mask = mask.logicalOr(kp);
      else if (kp.dtype === "bool") mask = mask.maskedFill(kp, -Infinity);
      // NOTE: PyTorch 1.13 raises for a float keyPaddingMask with a float attnMask; both are
      // additive, so they are added (what later PyTorch versions do).
      else mask = mask.add(kp.to(mask.dtype));
    }
    if (mask) {
      mask = mask.dtype === "bool"
        ? zeros(mask.shape, { dtype: q.dtype, device: q.device }).maskedFill(mask, -Infinity)
        : mask.dtype === q.dtype
        ? mask
        : mask.to(q.dtype);
    }

    const qScaled = q.div(Math.sqrt(headDim));
    const kt = k.transpose(-2, -1);
    let w = mask ? baddbmm(mask, qScaled, kt) : qScaled.bmm(kt);
    w = softmax(w, -1);
    if (training && dropoutP > 0) w = dropout(w, { p: dropoutP });
    const heads = w.bmm(v); // [N·numHeads, L, headDim]
    let out = linear(
      heads.transpose(0, 1).reshape([tgtLen, bsz, embedDim]),
      outProjWeight,
      outProjBias,
    );
    if (!batched) out = out.squeeze(1);
    if (!needWeights) return [out, null];
    let weights = w.reshape([bsz, numHeads, tgtLen, srcLen]);
    if (averageAttnWeights) weights = weights.sum(1).div(numHeads);
    if (!batched) weights = weights.squeeze(0);
    return [out, weights];
  });
}

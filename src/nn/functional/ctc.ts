/**
 * The connectionist temporal classification (CTC) recursion behind `ctcLoss`: argument checks,
 * the alpha-beta (forward-backward) recursion in log space (Graves et al., 2006) and the
 * gradient PyTorch 1.13's CPU kernel returns for log_probs.
 *
 * NOTE: why tensor ops over time steps and no kernel of its own. Each time step depends on
 * the previous one, so a kernel could only parallelise over the batch and the 2S + 1 states —
 * exactly what one elementwise op over [N, 2S + 1] does. Written as a few elementwise ops per
 * step (a three-way log-sum-exp of shifted alphas), the recursion runs unchanged on every
 * backend, needs no new Backend primitive, and on webgpu the fusion pass merges each step's
 * ops into a few dispatches. Forward and backward at T = 50, N = 16, C = 20, S = 10 (the size
 * of the webgpu parity case in tests/loss_ctc.test.ts) took about 35 ms on cpu and 60 ms on
 * webgpu (llvmpipe, pipelines compiled) when this was written. The forward runs without
 * recording; the gradient is recorded as one node with PyTorch's formula, because autograd
 * through the recursion would give the true derivative -q, not the exp(log_probs) - q that
 * 1.13 returns (see ctcGrad).
 */
import { record } from "../../autograd/function.ts";
import { noGrad } from "../../autograd/grad_mode.ts";
import { full, tensor, zeros } from "../../tensor/creation.ts";
import type { Device, DType } from "../../tensor/dtype.ts";
import { scope } from "../../tensor/memory.ts";
import { fmtShape } from "../../tensor/shape.ts";
import { Tensor } from "../../tensor/tensor.ts";
import { maximum, where } from "../../ops/elementwise.ts";

/** Sequence lengths of a CTC batch: an int32 cpu tensor or plain numbers. */
export type CTCLengths = Tensor | readonly number[];

/** What ctcNll hands back to ctcLoss for the reduction. */
export interface CTCResult {
  /** The negative log-likelihood per sample, [N]. */
  nll: Tensor;
  /** The target lengths as numbers (the "mean" reduction divides by them). */
  targetLengths: number[];
  /** Whether logProbs was batched [T, N, C] (else [T, C], and the loss is squeezed). */
  batched: boolean;
}

/** The checked layout of a batch, with every length on the host. */
interface Plan {
  T: number;
  N: number;
  C: number;
  /** States per sample: 2 S + 1, S the longest target. */
  K: number;
  inputLengths: number[];
  targetLengths: number[];
  dtype: DType;
  device: Device;
}

const NEG_INF = -Infinity;

/**
 * Lengths as numbers. They must be on the host: the checks need their values at once, and
 * PyTorch itself copies them to the CPU.
 */
function hostLengths(
  op: string,
  what: string,
  lengths: CTCLengths,
  n: number,
  batched: boolean,
): number[] {
  let values: number[];
  if (lengths instanceof Tensor) {
    lengths.check(op);
    if (lengths.dtype !== "int32") {
      throw new TypeError(`${op}: ${what} must be integral (int32), got ${lengths.dtype}`);
    }
    if (lengths.device !== "cpu") {
      throw new TypeError(
        `${op}: ${what} must be an array or a cpu tensor (their values are read at once), got ` +
          `a ${lengths.device} tensor`,
      );
    }
    const rankOk = batched ? lengths.ndim === 1 : lengths.ndim <= 1;
    if (!rankOk) {
      throw new RangeError(
        `${op}: ${what} must be ${batched ? "a 1-D tensor" : "a 0-d or 1-D tensor"}, got shape ${
          fmtShape(lengths.shape)
        }`,
      );
    }
    values = Array.from(lengths.dataSync());
  } else {
    values = [...lengths];
    const bad = values.findIndex((v) => !Number.isInteger(v));
    if (bad >= 0) {
      throw new TypeError(`${op}: ${what} must be integers, got ${values[bad]} at ${bad}`);
    }
  }
  if (values.length !== n) {
    throw new RangeError(
      `${op}: ${what} must have one entry per batch element (N = ${n}), got ${values.length}`,
    );
  }
  const neg = values.findIndex((v) => v < 0);
  if (neg >= 0) {
    throw new RangeError(`${op}: ${what}[${neg}] = ${values[neg]} must be non-negative`);
  }
  return values;
}

/**
 * Target labels within their lengths must be classes other than the blank. Checked where the
 * values are at hand (cpu); on webgpu a read would stall the queue, and the gather kernel
 * flags an out-of-range label at the next readback instead.
 */
function checkLabels(
  op: string,
  targets: Tensor,
  starts: number[],
  lengths: number[],
  C: number,
  blank: number,
): void {
  if (targets.device !== "cpu") return;
  const v = targets.contiguous().dataSync();
  const at = (i: number) =>
    targets.ndim === 2
      ? `targets[${Math.floor(i / targets.shape[1])}][${i % targets.shape[1]}]`
      : `targets[${i}]`;
  for (const [n, start] of starts.entries()) {
    for (let i = start; i < start + lengths[n]; i++) {
      if (v[i] < 0 || v[i] >= C) {
        throw new RangeError(`${op}: ${at(i)} = ${v[i]} is out of range for ${C} classes`);
      }
      if (v[i] === blank) {
        throw new RangeError(
          `${op}: ${at(i)} is the blank index ${blank}; targets must not contain the blank`,
        );
      }
    }
  }
}

/**
 * The extended label sequences l' (a blank before, between and after the labels), [N, K]
 * int32 on the device: l'[2j + 1] = label j, the blank elsewhere and past each target's end.
 */
function extendedLabels(targets: Tensor, starts: number[], blank: number, plan: Plan): Tensor {
  const { N, K, targetLengths, device } = plan;
  const idx = new Int32Array(N * K), valid = new Uint8Array(N * K);
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < targetLengths[n]; j++) {
      idx[n * K + 2 * j + 1] = starts[n] + j;
      valid[n * K + 2 * j + 1] = 1;
    }
  }
  if (targets.numel === 0) return full([N, K], blank, { dtype: "int32", device });
  const picked = targets.to(device).reshape([-1]).indexSelect(
    0,
    tensor(idx, { dtype: "int32", device }),
  );
  const mask = tensor(valid, { shape: [N, K], dtype: "bool", device });
  return where(mask, picked.reshape([N, K]), blank);
}

/** [T, N, 1] bool: frame t lies within sample n's input (t < inputLengths[n]). */
function liveFrames(plan: Plan): Tensor {
  const { T, N, inputLengths, device } = plan;
  const live = new Uint8Array(T * N);
  for (let t = 0; t < T; t++) for (let n = 0; n < N; n++) live[t * N + n] = +(t < inputLengths[n]);
  return tensor(live, { shape: [T, N, 1], dtype: "bool", device });
}

/** log(Σ exp(x_i)) of a few tensors, as PyTorch's kernel: shifted by the max (0 if -inf). */
function logSumExp(xs: Tensor[]): Tensor {
  const m = xs.slice(1).reduce((acc, x) => maximum(acc, x), xs[0]);
  const shift = where(m.eq(NEG_INF), 0, m);
  return xs.map((x) => x.sub(shift).exp()).reduce((acc, e) => acc.add(e)).log().add(shift);
}

/**
 * Checks ctcLoss's arguments and returns the per-sample negative log-likelihood, with a
 * backward node giving log_probs PyTorch 1.13's gradient.
 */
export function ctcNll(
  op: string,
  logProbs: Tensor,
  targets: Tensor,
  inputLengths: CTCLengths,
  targetLengths: CTCLengths,
  blank: number,
  zeroInfinity: boolean,
): CTCResult {
  if (logProbs.ndim !== 2 && logProbs.ndim !== 3) {
    throw new RangeError(
      `${op}: expected logProbs of shape [T, N, C] or unbatched [T, C], got shape ${
        fmtShape(logProbs.shape)
      }`,
    );
  }
  const batched = logProbs.ndim === 3;
  const [T, N, C] = batched ? logProbs.shape : [logProbs.shape[0], 1, logProbs.shape[1]];
  if (!Number.isInteger(blank) || blank < 0 || blank >= C) {
    throw new RangeError(`${op}: blank must be in the label range [0, ${C}), got ${blank}`);
  }
  targets.check(op);
  if (targets.dtype !== "int32") {
    throw new TypeError(
      `${op}: expected int32 targets (class indices), got ${targets.dtype} of shape ${
        fmtShape(targets.shape)
      }`,
    );
  }
  if (targets.device !== "cpu" && targets.device !== logProbs.device) {
    throw new TypeError(
      `${op}: targets are on ${targets.device} but logProbs are on ${logProbs.device}`,
    );
  }
  const il = hostLengths(op, "inputLengths", inputLengths, N, batched);
  const tl = hostLengths(op, "targetLengths", targetLengths, N, batched);
  const tooLong = il.findIndex((v) => v > T);
  if (tooLong >= 0) {
    throw new RangeError(
      `${op}: inputLengths[${tooLong}] = ${il[tooLong]} exceeds T = ${T} (logProbs of shape ${
        fmtShape(logProbs.shape)
      })`,
    );
  }
  // Where each sample's labels start in the flattened targets.
  const starts: number[] = [];
  if (targets.ndim === 2) {
    const [rows, S] = targets.shape;
    if (rows !== N) {
      throw new RangeError(
        `${op}: padded targets of shape ${fmtShape(targets.shape)} must have N = ${N} rows ` +
          `(logProbs of shape ${fmtShape(logProbs.shape)})`,
      );
    }
    const over = tl.findIndex((v) => v > S);
    if (over >= 0) {
      throw new RangeError(
        `${op}: targetLengths[${over}] = ${tl[over]} exceeds S = ${S} (padded targets of shape ${
          fmtShape(targets.shape)
        })`,
      );
    }
    for (let n = 0; n < N; n++) starts.push(n * S);
  } else if (targets.ndim === 1) {
    const total = tl.reduce((a, b) => a + b, 0);
    if (targets.numel !== total) {
      throw new RangeError(
        `${op}: concatenated targets of shape ${
          fmtShape(targets.shape)
        } must hold sum(targetLengths) = ${total} labels`,
      );
    }
    for (let n = 0, s = 0; n < N; s += tl[n++]) starts.push(s);
  } else {
    throw new RangeError(
      `${op}: expected padded targets [N, S] or concatenated 1-D targets, got shape ${
        fmtShape(targets.shape)
      }`,
    );
  }
  checkLabels(op, targets, starts, tl, C, blank);
  const plan: Plan = {
    T,
    N,
    C,
    K: 2 * Math.max(0, ...tl) + 1,
    inputLengths: il,
    targetLengths: tl,
    dtype: logProbs.dtype,
    device: logProbs.device,
  };
  const lp = batched ? logProbs : logProbs.unsqueeze(1);
  return {
    nll: recurse(lp, targets, starts, blank, zeroInfinity, plan),
    targetLengths: tl,
    batched,
  };
}

/**
 * Runs the alpha recursion and records the backward node. States live in buffers with two
 * columns of -inf on one side, so the s - 1 and s - 2 (beta: s + 1, s + 2) neighbours are
 * plain views and the edges need no special case.
 */
function recurse(
  lp: Tensor,
  targets: Tensor,
  starts: number[],
  blank: number,
  zeroInfinity: boolean,
  plan: Plan,
): Tensor {
  const { T, N, K, inputLengths: il, targetLengths: tl, dtype, device } = plan;
  const fwd = noGrad(() =>
    scope(() => {
      const ext = extendedLabels(targets, starts, blank, plan);
      // lp at each state's label, -inf past each input's end (PyTorch never reads there).
      const lpExt = where(
        liveFrames(plan),
        lp.gather(2, ext.unsqueeze(0).expand([T, N, K]).contiguous()),
        NEG_INF,
      );
      // skips[:, s] (2 <= s < K) is 0 where a path may jump from state s - 2 to s (l'[s] is a
      // label unlike the one before it), else -inf; beta reads the same flags two columns on.
      const skips = full([N, K + 2], NEG_INF, { dtype, device });
      if (K > 2) {
        const differs = ext.narrow(1, 2, K - 2).ne(ext.narrow(1, 0, K - 2));
        const part = skips.narrow(1, 2, K - 2);
        part.copy_(where(differs, 0, part));
      }
      const alpha = full([T, N, K + 2], NEG_INF, { dtype, device });
      if (T > 0) {
        const first = Math.min(2, K);
        alpha.select(0, 0).narrow(1, 2, first).copy_(lpExt.select(0, 0).narrow(1, 0, first));
      }
      const skipA = skips.narrow(1, 0, K);
      for (let t = 1; t < T; t++) {
        scope(() => {
          const prev = alpha.select(0, t - 1);
          const terms = [
            prev.narrow(1, 2, K),
            prev.narrow(1, 1, K),
            prev.narrow(1, 0, K).add(skipA),
          ];
          alpha.select(0, t).narrow(1, 2, K).copy_(logSumExp(terms).add(lpExt.select(0, t)));
        });
      }
      // -log p(l | x) = -logsumexp(alpha[T_n - 1](2 L_n), alpha[T_n - 1](2 L_n - 1)); for
      // L_n = 0 the second reads the -inf column. An empty input reads column 0 (always -inf).
      const ends = new Int32Array(2 * N);
      for (let n = 0; n < N; n++) {
        const row = (Math.max(il[n] - 1, 0) * N + n) * (K + 2);
        ends[n] = il[n] > 0 ? row + 2 + 2 * tl[n] : row;
        ends[N + n] = il[n] > 0 ? row + 1 + 2 * tl[n] : row;
      }
      const last = alpha.reshape([-1]).indexSelect(0, tensor(ends, { dtype: "int32", device }));
      let nll = logSumExp([last.narrow(0, 0, N), last.narrow(0, N, N)]).neg();
      // An empty input aligns only with an empty target (probability 1).
      if (il.some((v, n) => v === 0 && tl[n] === 0)) {
        const empty = Uint8Array.from(il, (v, n) => +(v === 0 && tl[n] === 0));
        nll = where(tensor(empty, { dtype: "bool", device }), 0, nll);
      }
      return { nll, ext, lpExt, skips, alpha };
    })
  );
  const saved = [lp, fwd.ext, fwd.lpExt, fwd.skips, fwd.alpha, fwd.nll];
  const out = record(
    fwd.nll,
    "CtcLossBackward",
    [lp],
    saved,
    (g, [x, ext, lpExt, skips, alpha, nll]) => [
      ctcGrad(g, x, ext, lpExt, skips, alpha, nll, zeroInfinity, plan),
    ],
  );
  for (const t of [fwd.ext, fwd.lpExt, fwd.skips, fwd.alpha]) t.dispose();
  return out;
}

/**
 * PyTorch 1.13's gradient for log_probs (ctc_loss_backward_cpu_template):
 * g_n (exp(lp[t, n, c]) - exp(lcab[t, n, c] + nll_n - lp[t, n, c])), where
 * lcab[t, n, c] = log Σ_{s: l'_s = c} alpha_t(s) beta_t(s). NOTE: the exp(lp) term is
 * log_softmax's Jacobian folded in: the true derivative with respect to log_probs is the
 * second term alone. The two agree once composed with log_softmax, which is what PyTorch
 * assumes the input came from. Frames past an input's end get 0, and with zeroInfinity so does
 * every frame of a sample whose loss is infinite (else those frames are NaN, as in PyTorch).
 */
function ctcGrad(
  g: Tensor,
  lp: Tensor,
  ext: Tensor,
  lpExt: Tensor,
  skips: Tensor,
  alpha: Tensor,
  nll: Tensor,
  zeroInfinity: boolean,
  plan: Plan,
): Tensor {
  const { T, N, C, K, inputLengths: il, targetLengths: tl, dtype, device } = plan;
  // beta starts at T_n - 1 in the last two states: these frames take lp there, not the
  // recursion (which is -inf at and after T_n - 1, as nothing follows the input's end).
  const start = new Uint8Array(T * N * K);
  for (let n = 0; n < N; n++) {
    if (il[n] === 0) continue;
    const row = ((il[n] - 1) * N + n) * K;
    start[row + 2 * tl[n]] = 1;
    if (tl[n] > 0) start[row + 2 * tl[n] - 1] = 1;
  }
  const init = where(tensor(start, { shape: [T, N, K], dtype: "bool", device }), lpExt, NEG_INF);
  const beta = full([T, N, K + 2], NEG_INF, { dtype, device });
  const skipB = skips.narrow(1, 2, K);
  for (let t = T - 1; t >= 0; t--) {
    scope(() => {
      const here = init.select(0, t);
      let b = here;
      if (t < T - 1) {
        const next = beta.select(0, t + 1);
        const terms = [next.narrow(1, 0, K), next.narrow(1, 1, K), next.narrow(1, 2, K).add(skipB)];
        b = maximum(logSumExp(terms).add(lpExt.select(0, t)), here);
      }
      beta.select(0, t).narrow(1, 0, K).copy_(b);
    });
  }
  // lcab: alpha * beta summed per class, shifted by the per-frame max (0 where all -inf).
  const ab = alpha.narrow(2, 2, K).add(beta.narrow(2, 0, K));
  const m = ab.amax(2, true);
  const shift = where(m.eq(NEG_INF), 0, m);
  const index = ext.unsqueeze(0).expand([T, N, K]).contiguous();
  const lcab = zeros([T, N, C], { dtype, device }).scatterAdd(2, index, ab.sub(shift).exp()).log()
    .add(shift);
  const nb = nll.reshape([1, N, 1]);
  const grad = lp.exp().sub(lcab.add(nb).sub(lp).exp()).mul(g.reshape([1, N, 1]));
  let mask = liveFrames(plan);
  if (zeroInfinity) mask = mask.logicalAnd(nb.ne(Infinity));
  return where(mask, grad, 0);
}

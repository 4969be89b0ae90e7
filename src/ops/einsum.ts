/**
 * torch.einsum: parses the subscript string, then reduces the contraction to existing ops.
 * Repeated subscripts within an operand become diagonal views, subscripts no later term needs
 * are summed out early, and operands are contracted left to right: labels shared and still
 * needed are batch dims, shared and not needed are summed by one batched matmul, the rest are
 * kept. Autograd comes from those ops.
 */
import { scope } from "../tensor/memory.ts";
import { fmtShape, numelOf } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { mul } from "./elementwise.ts";
import { diagonal } from "./linalg.ts";
import { matmul } from "./matmul.ts";
import { sum } from "./reduce.ts";
import { expand, permute, reshape } from "./view.ts";

/** A subscript: a letter's char code, or -(k + 1) for the k-th broadcast (ellipsis) dim. */
type Label = number;

/** One parsed term: its labels and whether (and where) it had "...". */
interface Term {
  labels: (Label | "...")[];
}

function labelName(l: Label): string {
  return l >= 0 ? String.fromCharCode(l) : "...";
}

function parseTerm(eq: string, term: string, start: number): Term {
  const labels: (Label | "...")[] = [];
  for (let i = 0; i < term.length; i++) {
    const c = term[i];
    if (c === ".") {
      if (term.slice(i, i + 3) !== "...") {
        throw new SyntaxError(
          `einsum: found "." at index ${
            start + i
          } of "${eq}" that is not part of an ellipsis "..."`,
        );
      }
      if (labels.includes("...")) {
        throw new SyntaxError(`einsum: more than one ellipsis "..." in term "${term}" of "${eq}"`);
      }
      labels.push("...");
      i += 2;
    } else if (/[a-zA-Z]/.test(c)) labels.push(c.charCodeAt(0));
    else {
      throw new SyntaxError(
        `einsum: invalid subscript "${c}" at index ${start + i} of "${eq}"; subscripts must be ` +
          "letters a-z, A-Z (or an ellipsis ...)",
      );
    }
  }
  return { labels };
}

/** Expands "..." into the labels of the trailing `count` of `maxEll` broadcast dims. */
function expandEllipsis(t: Term, count: number, maxEll: number): Label[] {
  const ell = Array.from({ length: count }, (_, k) => -(maxEll - count + k + 1));
  return t.labels.flatMap((l) => (l === "..." ? ell : [l]));
}

interface Operand {
  t: Tensor;
  labels: Label[];
}

/** Sums out the labels of `op` that are not in `keep`. */
function sumOut(op: Operand, keep: Set<Label>): Operand {
  const dims = op.labels.map((l, i) => (keep.has(l) ? -1 : i)).filter((i) => i >= 0);
  if (!dims.length) return op;
  return { t: sum(op.t, dims), labels: op.labels.filter((l) => keep.has(l)) };
}

/** Contracts two operands over the shared labels not in `keep`. */
function contract(a: Operand, b: Operand, keep: Set<Label>, size: Map<Label, number>): Operand {
  const inB = new Set(b.labels), inA = new Set(a.labels);
  const batch = a.labels.filter((l) => inB.has(l) && keep.has(l));
  const summed = a.labels.filter((l) => inB.has(l) && !keep.has(l));
  const left = a.labels.filter((l) => !inB.has(l));
  const right = b.labels.filter((l) => !inA.has(l));
  const sz = (ls: Label[]) => ls.map((l) => size.get(l)!);
  // Brings an operand to the label order `order`, broadcasting size-1 dims to full size.
  const arrange = (op: Operand, order: Label[], shape: number[]): Tensor => {
    const p = permute(op.t, order.map((l) => op.labels.indexOf(l)));
    return p.shape.every((s, i) => s === shape[i]) ? p : expand(p, shape);
  };
  if (!summed.length) {
    // Nothing to sum: a broadcast elementwise product is cheaper than a matmul with K = 1.
    const av = arrange(a, [...batch, ...left], [...sz(batch), ...sz(left)]);
    const bv = arrange(b, [...batch, ...right], [...sz(batch), ...sz(right)]);
    const ones = (n: number) => new Array<number>(n).fill(1);
    const ar = reshape(av, [...sz(batch), ...sz(left), ...ones(right.length)]);
    const br = reshape(bv, [...sz(batch), ...ones(left.length), ...sz(right)]);
    return { t: mul(ar, br), labels: [...batch, ...left, ...right] };
  }
  const nb = numelOf(sz(batch)), nl = numelOf(sz(left));
  const nk = numelOf(sz(summed)), nr = numelOf(sz(right));
  const am = reshape(
    arrange(a, [...batch, ...left, ...summed], [...sz(batch), ...sz(left), ...sz(summed)]),
    [nb, nl, nk],
  );
  const bm = reshape(
    arrange(b, [...batch, ...summed, ...right], [...sz(batch), ...sz(summed), ...sz(right)]),
    [nb, nk, nr],
  );
  const out = reshape(matmul(am, bm), [...sz(batch), ...sz(left), ...sz(right)]);
  return { t: out, labels: [...batch, ...left, ...right] };
}

/**
 * Einstein summation, like `torch.einsum`: `"ij,jk->ik"` (matmul), `"ii->i"` (diagonal), `"ii"`
 * (trace), `"bij,bjk->bik"`, `"...ij,...jk"` (broadcast batches), `"i,j->ij"` (outer). Without
 * "->" the output holds the ellipsis dims, then the subscripts that occur once, in
 * alphabetical order (upper case first). Size-1 dims broadcast against the same subscript.
 * Operands may be passed spread or as one array.
 *
 * @example
 * ```ts
 * const c = einsum("bij,bjk->bik", a, b);
 * ```
 */
export function einsum(equation: string, ...operands: Tensor[] | [Tensor[]]): Tensor {
  const ops: Tensor[] = Array.isArray(operands[0])
    ? (operands[0] as Tensor[])
    : (operands as Tensor[]);
  const eq = equation.replace(/\s+/g, "");
  for (const t of ops) t.check("einsum");
  const parts = eq.split("->");
  if (parts.length > 2) throw new SyntaxError(`einsum: more than one "->" in "${equation}"`);
  const lhs = parts[0].split(",");
  if (lhs.length !== ops.length) {
    throw new RangeError(
      `einsum: "${equation}" has ${lhs.length} input term${lhs.length === 1 ? "" : "s"} but ` +
        `${ops.length} operand${ops.length === 1 ? " was" : "s were"} given`,
    );
  }
  if (!ops.length) throw new RangeError("einsum: expected at least one operand");
  const dtype = ops[0].dtype;
  ops.forEach((t, i) => {
    if (t.dtype !== dtype) {
      throw new TypeError(
        `einsum: expected all operands to have the same dtype, but operand ${i} is ${t.dtype} ` +
          `and operand 0 is ${dtype}`,
      );
    }
  });
  let pos = 0;
  const terms = lhs.map((s) => {
    const t = parseTerm(eq, s, pos);
    pos += s.length + 1;
    return t;
  });
  const ellCounts = terms.map((t, i) => {
    const named = t.labels.filter((l) => l !== "...").length;
    const hasEll = t.labels.includes("...");
    const nd = ops[i].ndim;
    if (hasEll ? named > nd : named !== nd) {
      throw new RangeError(
        `einsum: term "${lhs[i]}" has ${named} subscript${named === 1 ? "" : "s"} but operand ` +
          `${i} has shape ${fmtShape(ops[i].shape)} (${nd} dims)` +
          (hasEll ? "" : " and no ellipsis was given"),
      );
    }
    return hasEll ? nd - named : 0;
  });
  const maxEll = Math.max(0, ...ellCounts);
  const inLabels = terms.map((t, i) => expandEllipsis(t, ellCounts[i], maxEll));

  inLabels.forEach((ls, i) =>
    ls.forEach((l, k) => {
      const first = ls.indexOf(l);
      if (first !== k && ops[i].shape[first] !== ops[i].shape[k]) {
        throw new RangeError(
          `einsum: subscript ${labelName(l)} is repeated in operand ${i} (shape ` +
            `${fmtShape(ops[i].shape)}) but its sizes differ (${ops[i].shape[first]} and ` +
            `${ops[i].shape[k]}), in "${equation}"`,
        );
      }
    })
  );
  // Sizes per label, broadcasting 1 against n as PyTorch does.
  const size = new Map<Label, number>();
  const seenAt = new Map<Label, number>();
  inLabels.forEach((ls, i) =>
    ls.forEach((l, k) => {
      const s = ops[i].shape[k];
      const prev = size.get(l);
      if (prev === undefined || prev === 1) {
        size.set(l, s);
        seenAt.set(l, i);
      } else if (s !== prev && s !== 1) {
        throw new RangeError(
          `einsum: subscript ${labelName(l)} has size ${s} in operand ${i} (shape ` +
            `${fmtShape(ops[i].shape)}) but size ${prev} in operand ${seenAt.get(l)} (shape ` +
            `${fmtShape(ops[seenAt.get(l)!].shape)}), which do not broadcast, in "${equation}"`,
        );
      }
    })
  );

  const ellLabels = Array.from({ length: maxEll }, (_, k) => -(k + 1));
  let outLabels: Label[];
  if (parts.length === 2) {
    const t = parseTerm(eq, parts[1], parts[0].length + 2);
    outLabels = t.labels.flatMap((l) => (l === "..." ? ellLabels : [l]));
    const seen = new Set<Label>();
    for (const l of outLabels) {
      if (l >= 0 && seen.has(l)) {
        throw new SyntaxError(
          `einsum: output subscript ${labelName(l)} appears more than once in "${equation}"`,
        );
      }
      if (l >= 0 && !size.has(l)) {
        throw new SyntaxError(
          `einsum: output subscript ${labelName(l)} does not appear in any input term of ` +
            `"${equation}"`,
        );
      }
      seen.add(l);
    }
  } else {
    const count = new Map<Label, number>();
    inLabels.flat().forEach((l) => count.set(l, (count.get(l) ?? 0) + 1));
    const once = [...count].filter(([l, c]) => l >= 0 && c === 1).map(([l]) => l);
    outLabels = [...ellLabels, ...once.sort((a, b) => a - b)];
  }

  return scope(() => {
    let operandsLeft: Operand[] = ops.map((t, i) => {
      let op: Operand = { t, labels: inLabels[i] };
      // Repeated subscripts within one operand select a diagonal (a view).
      for (;;) {
        const dup = op.labels.findIndex((l, k) => op.labels.indexOf(l) !== k);
        if (dup < 0) break;
        const first = op.labels.indexOf(op.labels[dup]);
        const l = op.labels[dup];
        const labels = op.labels.filter((_, k) => k !== first && k !== dup);
        op = { t: diagonal(op.t, 0, first, dup), labels: [...labels, l] };
      }
      return op;
    });
    const outSet = new Set(outLabels);
    const neededAfter = (k: number): Set<Label> => {
      const s = new Set(outSet);
      for (let j = k; j < operandsLeft.length; j++) operandsLeft[j].labels.forEach((l) => s.add(l));
      return s;
    };
    operandsLeft = operandsLeft.map((op, i) => {
      const keep = new Set(outSet);
      operandsLeft.forEach((o, j) => {
        if (j !== i) o.labels.forEach((l) => keep.add(l));
      });
      return sumOut(op, keep);
    });
    let acc = operandsLeft[0];
    for (let k = 1; k < operandsLeft.length; k++) {
      acc = contract(acc, operandsLeft[k], neededAfter(k + 1), size);
    }
    acc = sumOut(acc, outSet);
    // Output labels the operands never broadcast to full size (ellipsis dims of size 1 kept).
    const order = outLabels.map((l) => acc.labels.indexOf(l));
    let r = order.every((p, i) => p === i) && order.length === acc.labels.length
      ? acc.t
      : permute(acc.t, order);
    const full = outLabels.map((l) => size.get(l)!);
    if (!r.shape.every((s, i) => s === full[i])) r = expand(r, full);
    return r === ops[0] ? reshape(r, r.shape) : r;
  });
}

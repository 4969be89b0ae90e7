/**
 * Variable-length sequences, like `torch.nn.utils.rnn`: `PackedSequence` and the functions that
 * pack, pad and unpack batches of sequences. The layouts are PyTorch's: packed `data` holds
 * time step 0 of every sequence, then step 1 of the sequences still running, ..., sequences in
 * decreasing length order; `batchSizes[t]` counts the sequences running at step t.
 *
 * Every rearrangement is one `indexSelect` with an index computed on the host from the
 * lengths, so it is differentiable and runs on any device; padding comes from one extra row
 * appended before the gather.
 */
import { arange, full, tensor, zerosLike } from "../../tensor/creation.ts";
import type { Device, DType } from "../../tensor/dtype.ts";
import { heldTensors } from "../../tensor/memory.ts";
import { fmtShape } from "../../tensor/shape.ts";
import { Tensor } from "../../tensor/tensor.ts";
import { cat } from "../../ops/join.ts";
import { indexSelect, scatter } from "../../ops/index.ts";

// Host values of index tensors this module made (on any device), so that a webgpu
// PackedSequence never needs a readback to know its own permutation.
const hostValues = new WeakMap<Tensor, Int32Array>();

function indexTensor(values: Int32Array, device: Device): Tensor {
  const t = tensor(values, { dtype: "int32", device });
  hostValues.set(t, values);
  return t;
}

/** The values of an index tensor on the host: recorded ones, or read from a cpu tensor. */
function hostIndices(op: string, what: string, t: Tensor): Int32Array {
  const known = hostValues.get(t);
  if (known) return known;
  if (t.device !== "cpu") {
    throw new TypeError(
      `${op}: ${what} of shape ${fmtShape(t.shape)} is on ${t.device} and was not made by ` +
        `nn.utils.rnn, so its values are not known on the host; pass a cpu tensor`,
    );
  }
  return Int32Array.from(t.dataSync(), Number);
}

/**
 * Holds the data and batch sizes of a packed batch of sequences, like
 * `torch.nn.utils.rnn.PackedSequence`. Build one with {@link packPaddedSequence} or
 * {@link packSequence}; the recurrent layers (`RNN`, `LSTM`, `GRU`) take and return them.
 *
 * `data` is [sum of lengths, *]; `batchSizes` is a cpu int32 tensor (int32 stands in for
 * PyTorch's int64); `sortedIndices` / `unsortedIndices` (int32, on data's device) map between
 * the caller's batch order and the decreasing-length order of `data`, or are null when the
 * batch was already sorted.
 *
 * @example
 * ```ts
 * const packed = packSequence([randn([3, 2]), randn([2, 2]), randn([1, 2])]);
 * // packed.data [6, 2], packed.batchSizes [3, 2, 1]
 * ```
 */
export class PackedSequence {
  /** The packed steps, [sum of lengths, *]. */
  readonly data: Tensor;
  /** How many sequences run at each time step: a 1-D cpu int32 tensor, non-increasing. */
  readonly batchSizes: Tensor;
  /** Batch order → sorted order (`data`'s column j is the caller's sequence sortedIndices[j]). */
  readonly sortedIndices: Tensor | null;
  /** The inverse permutation of `sortedIndices`. */
  readonly unsortedIndices: Tensor | null;

  /**
   * Wraps packed data (e.g. `new PackedSequence(p.data.relu(), p.batchSizes,
   * p.sortedIndices, p.unsortedIndices)`). `unsortedIndices` is derived from `sortedIndices`
   * when omitted. Throws unless `batchSizes` is a non-increasing 1-D cpu tensor of positive
   * counts summing to `data.shape[0]`.
   */
  constructor(
    data: Tensor,
    batchSizes: Tensor,
    sortedIndices: Tensor | null = null,
    unsortedIndices: Tensor | null = null,
  ) {
    if (batchSizes.device !== "cpu" || batchSizes.ndim !== 1) {
      throw new TypeError(
        `PackedSequence: batchSizes should always be a 1-D cpu tensor, got a ${batchSizes.device} ` +
          `tensor of shape ${fmtShape(batchSizes.shape)}`,
      );
    }
    const bs = batchSizes.dataSync();
    let total = 0;
    for (let t = 0; t < bs.length; t++) {
      if (!(Number.isInteger(bs[t]) && bs[t] > 0 && (t === 0 || bs[t] <= bs[t - 1]))) {
        throw new RangeError(
          `PackedSequence: batchSizes must be positive integers in non-increasing order, got ` +
            `[${Array.from(bs).join(", ")}]`,
        );
      }
      total += bs[t];
    }
    if (data.ndim < 1 || data.shape[0] !== total) {
      throw new RangeError(
        `PackedSequence: data of shape ${fmtShape(data.shape)} does not hold the ${total} ` +
          `steps that batchSizes [${Array.from(bs).join(", ")}] count`,
      );
    }
    const named: [string, Tensor | null][] = [
      ["sortedIndices", sortedIndices],
      ["unsortedIndices", unsortedIndices],
    ];
    for (const [what, t] of named) {
      if (t && (t.ndim !== 1 || t.numel !== (bs[0] ?? 0) || t.dtype !== "int32")) {
        throw new RangeError(
          `PackedSequence: ${what} must be a 1-D int32 tensor of batch size ${bs[0]}, got ` +
            `${t.dtype} of shape ${fmtShape(t.shape)}`,
        );
      }
    }
    this.data = data;
    this.batchSizes = batchSizes;
    this.sortedIndices = sortedIndices;
    this.unsortedIndices = unsortedIndices ?? invertPermutation(sortedIndices);
  }

  /** The batch sizes as host numbers. */
  get batchSizesArray(): Int32Array {
    return Int32Array.from(this.batchSizes.dataSync(), Number);
  }

  /**
   * `data` moved to a device or cast to a dtype, with the indices on data's device
   * (`batchSizes` stays on the cpu, as in PyTorch). Returns this when nothing changes.
   */
  to(target: Device | DType): PackedSequence {
    if (target === this.data.device || target === this.data.dtype) return this;
    const data = this.data.to(target);
    const move = (t: Tensor | null): Tensor | null => {
      if (!t || t.device === data.device) return t;
      return indexTensor(hostIndices("PackedSequence.to", "index", t), data.device);
    };
    return new PackedSequence(
      data,
      this.batchSizes,
      move(this.sortedIndices),
      move(this.unsortedIndices),
    );
  }

  /** `data` cast to float64. */
  double(): PackedSequence {
    return this.to("float64");
  }

  /** `data` cast to float32. */
  float(): PackedSequence {
    return this.to("float32");
  }

  /** The tensors a returning `scope` keeps. */
  [heldTensors](): Tensor[] {
    return [this.data, this.batchSizes, this.sortedIndices, this.unsortedIndices].filter(
      (t): t is Tensor => t !== null,
    );
  }
}

/**
 * The inverse of a permutation (`out[perm[i]] = i`), like
 * `torch.nn.utils.rnn.invert_permutation`; null stays null.
 */
export function invertPermutation(permutation: Tensor | null): Tensor | null {
  if (!permutation) return null;
  const known = hostValues.get(permutation) ??
    (permutation.device === "cpu" ? Int32Array.from(permutation.dataSync(), Number) : null);
  if (!known) {
    const n = permutation.numel;
    return scatter(
      zerosLike(permutation),
      0,
      permutation,
      arange(0, n, 1, { dtype: "int32", device: permutation.device }),
    );
  }
  const inv = new Int32Array(known.length);
  known.forEach((p, i) => inv[p] = i);
  return indexTensor(inv, permutation.device);
}

/** Options of {@link packPaddedSequence}. */
export interface PackPaddedOptions {
  /** The input is [B, T, *] instead of [T, B, *] (default false). */
  batchFirst?: boolean;
  /**
   * The lengths must already be in decreasing order (default true); with false the batch is
   * sorted here and the permutation recorded in the result.
   */
  enforceSorted?: boolean;
}

/** Reads `lengths` (numbers, or a 1-D cpu tensor) as host integers. */
function lengthsOf(op: string, lengths: number[] | Tensor): number[] {
  if (lengths instanceof Tensor) {
    if (lengths.device !== "cpu" || lengths.ndim !== 1) {
      throw new TypeError(
        `${op}: 'lengths' argument should be a 1-D cpu tensor or an array of numbers, but got ` +
          `a ${lengths.ndim}-D ${lengths.device} tensor`,
      );
    }
    return Array.from(lengths.dataSync(), Number);
  }
  return [...lengths];
}

/**
 * Packs a padded batch of variable-length sequences, like
 * `torch.nn.utils.rnn.pack_padded_sequence`. `input` is [T, B, *] ([B, T, *] with
 * `batchFirst`); `lengths` (B numbers or a cpu tensor) are the true lengths, each in [1, T].
 * Differentiable with respect to `input`.
 *
 * @example
 * ```ts
 * const x = randn([5, 3, 8]); // T = 5, B = 3
 * const packed = packPaddedSequence(x, [5, 2, 4], { enforceSorted: false });
 * const [out, [h, c]] = new LSTM(8, 16).call(packed); // h, c: each sequence's last step
 * ```
 */
export function packPaddedSequence(
  input: Tensor,
  lengths: number[] | Tensor,
  opts: PackPaddedOptions = {},
): PackedSequence {
  const op = "packPaddedSequence";
  const batchFirst = opts.batchFirst ?? false;
  const lens = lengthsOf(op, lengths);
  if (input.ndim < 2) {
    throw new RangeError(
      `${op}: expected input of at least 2 dims (${
        batchFirst ? "[B, T, *]" : "[T, B, *]"
      }), got input of shape ${fmtShape(input.shape)}`,
    );
  }
  const [T, B] = batchFirst ? [input.shape[1], input.shape[0]] : [input.shape[0], input.shape[1]];
  const shown = `[${lens.join(", ")}]`;
  if (lens.length !== B) {
    throw new RangeError(
      `${op}: expected len(lengths) to be equal to batch_size, but got ${lens.length} ` +
        `(batch_size=${B}) for input of shape ${fmtShape(input.shape)}`,
    );
  }
  if (lens.some((l) => !Number.isInteger(l))) {
    throw new TypeError(`${op}: lengths must be integers, got ${shown}`);
  }
  if (lens.some((l) => l <= 0)) {
    throw new RangeError(
      `${op}: length of all samples has to be greater than 0, but found an element in ` +
        `'lengths' that is <= 0 (lengths ${shown})`,
    );
  }
  if (lens.some((l) => l > T)) {
    throw new RangeError(
      `${op}: lengths must be at most the padded length T=${T} of input of shape ${
        fmtShape(input.shape)
      }, got lengths ${shown}`,
    );
  }
  const enforceSorted = opts.enforceSorted ?? true;
  if (enforceSorted && lens.some((l, i) => i > 0 && l > lens[i - 1])) {
    throw new RangeError(
      `${op}: \`lengths\` array must be sorted in decreasing order when \`enforceSorted\` is ` +
        `true, got ${shown}. You can pass \`enforceSorted: false\` to packPaddedSequence and/or ` +
        `packSequence to sidestep this requirement`,
    );
  }
  // NOTE: a stable sort, as PyTorch's CPU sort: equal lengths keep their batch order.
  const order = lens.map((_, i) => i);
  if (!enforceSorted) order.sort((a, b) => lens[b] - lens[a]);
  const batchSizes = new Int32Array(lens[order[0]]);
  for (const l of lens) for (let t = 0; t < l; t++) batchSizes[t]++;
  const idx = new Int32Array(lens.reduce((a, b) => a + b, 0));
  let k = 0;
  for (let t = 0; t < batchSizes.length; t++) {
    for (let j = 0; j < batchSizes[t]; j++) {
      idx[k++] = batchFirst ? order[j] * T + t : t * B + order[j];
    }
  }
  const rows = input.flatten(0, 1);
  const data = indexSelect(rows, 0, tensor(idx, { dtype: "int32", device: input.device }));
  const sorted = enforceSorted ? null : indexTensor(Int32Array.from(order), input.device);
  return new PackedSequence(data, tensor(batchSizes, { dtype: "int32", device: "cpu" }), sorted);
}

/** Options of {@link padPackedSequence}. */
export interface PadPackedOptions {
  /** Return [B, T, *] instead of [T, B, *] (default false). */
  batchFirst?: boolean;
  /** The value of padded positions (default 0). */
  paddingValue?: number;
  /** Pad to this many steps instead of the longest length (at least the longest length). */
  totalLength?: number;
}

/**
 * Pads a packed batch back to a tensor, like `torch.nn.utils.rnn.pad_packed_sequence`: the
 * inverse of {@link packPaddedSequence}. Returns `[padded, lengths]` with padded
 * [T, B, *] ([B, T, *] with `batchFirst`) in the original batch order and lengths a cpu int32
 * tensor [B]. Differentiable with respect to `sequence.data`.
 */
export function padPackedSequence(
  sequence: PackedSequence,
  opts: PadPackedOptions = {},
): [Tensor, Tensor] {
  const op = "padPackedSequence";
  const bs = sequence.batchSizesArray;
  let T = bs.length;
  if (opts.totalLength !== undefined) {
    if (!(Number.isInteger(opts.totalLength) && opts.totalLength >= T)) {
      throw new RangeError(
        `${op}: expected totalLength to be at least the length of the longest sequence in ` +
          `input, but got totalLength=${opts.totalLength} and max sequence length being ${T}`,
      );
    }
    T = opts.totalLength;
  }
  const B = bs[0];
  const data = sequence.data;
  const unsorted = sequence.unsortedIndices
    ? hostIndices(op, "unsortedIndices", sequence.unsortedIndices)
    : null;
  const sortedLens = new Int32Array(B);
  const offsets: number[] = [];
  let n = 0;
  for (const b of bs) {
    offsets.push(n);
    n += b;
    for (let j = 0; j < b; j++) sortedLens[j]++;
  }
  const idx = new Int32Array(T * B);
  const lens = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    const j = unsorted ? unsorted[b] : b;
    lens[b] = sortedLens[j];
    for (let t = 0; t < T; t++) {
      idx[opts.batchFirst ? b * T + t : t * B + b] = t < sortedLens[j] ? offsets[t] + j : n;
    }
  }
  const rest = data.shape.slice(1);
  const pad = full([1, ...rest], opts.paddingValue ?? 0, {
    dtype: data.dtype,
    device: data.device,
  });
  const rows = indexSelect(
    cat([data, pad], 0),
    0,
    tensor(idx, { dtype: "int32", device: data.device }),
  );
  const padded = rows.reshape(opts.batchFirst ? [B, T, ...rest] : [T, B, ...rest]);
  return [padded, tensor(lens, { dtype: "int32", device: "cpu" })];
}

/** Options of {@link padSequence}. */
export interface PadSequenceOptions {
  /** Return [B, T, *] instead of [T, B, *] (default false). */
  batchFirst?: boolean;
  /** The value of padded positions (default 0). */
  paddingValue?: number;
}

/**
 * Pads a list of sequences [L_i, *] to one tensor [T, B, *] ([B, T, *] with `batchFirst`),
 * T the longest length, like `torch.nn.utils.rnn.pad_sequence`. A tensor is read as the list
 * of its slices along dim 0. Differentiable.
 *
 * @example
 * ```ts
 * const p = padSequence([ones([3, 2]), ones([1, 2])], { batchFirst: true }); // [2, 3, 2]
 * ```
 */
export function padSequence(
  sequences: Tensor[] | Tensor,
  opts: PadSequenceOptions = {},
): Tensor {
  const op = "padSequence";
  const seqs = sequences instanceof Tensor ? sequences.unbind(0) : sequences;
  if (seqs.length === 0) throw new RangeError(`${op}: received an empty list of sequences`);
  const first = seqs[0];
  if (first.ndim < 1) {
    throw new RangeError(
      `${op}: sequences must be at least 1-D [L, *], got sequence 0 of shape []`,
    );
  }
  const rest = first.shape.slice(1);
  seqs.forEach((s, i) => {
    if (s.ndim !== first.ndim || s.shape.slice(1).join() !== rest.join()) {
      throw new RangeError(
        `${op}: every sequence must be [L, ${rest.join(", ") || "*"}] like sequence 0 of shape ${
          fmtShape(first.shape)
        }, got sequence ${i} of shape ${fmtShape(s.shape)}`,
      );
    }
    if (s.dtype !== first.dtype || s.device !== first.device) {
      throw new TypeError(
        `${op}: every sequence must be ${first.dtype} on ${first.device} like sequence 0, got ` +
          `sequence ${i} of ${s.dtype} on ${s.device}`,
      );
    }
  });
  const lens = seqs.map((s) => s.shape[0]);
  const T = Math.max(...lens), B = seqs.length;
  const total = lens.reduce((a, b) => a + b, 0);
  const starts: number[] = [];
  lens.reduce((acc, l) => (starts.push(acc), acc + l), 0);
  const idx = new Int32Array(T * B);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      idx[opts.batchFirst ? b * T + t : t * B + b] = t < lens[b] ? starts[b] + t : total;
    }
  }
  const pad = full([1, ...rest], opts.paddingValue ?? 0, {
    dtype: first.dtype,
    device: first.device,
  });
  const rows = indexSelect(
    cat([...seqs, pad], 0),
    0,
    tensor(idx, { dtype: "int32", device: first.device }),
  );
  return rows.reshape(opts.batchFirst ? [B, T, ...rest] : [T, B, ...rest]);
}

/** Options of {@link unpadSequence}. */
export interface UnpadSequenceOptions {
  /** The padded input is [B, T, *] instead of [T, B, *] (default false). */
  batchFirst?: boolean;
}

/**
 * Splits a padded batch into its sequences, like `torch.nn.utils.rnn.unpad_sequence`: the
 * inverse of {@link padSequence}. Returns B views [L_b, *].
 */
export function unpadSequence(
  padded: Tensor,
  lengths: number[] | Tensor,
  opts: UnpadSequenceOptions = {},
): Tensor[] {
  const op = "unpadSequence";
  const lens = lengthsOf(op, lengths);
  const bDim = opts.batchFirst ? 0 : 1;
  if (padded.ndim < 2 || padded.shape[bDim] !== lens.length) {
    throw new RangeError(
      `${op}: expected padded input with batch size ${lens.length} (the number of lengths) at ` +
        `dim ${bDim}, got shape ${fmtShape(padded.shape)}`,
    );
  }
  const T = padded.shape[1 - bDim];
  return lens.map((l, b) => {
    if (!(Number.isInteger(l) && l >= 0 && l <= T)) {
      throw new RangeError(`${op}: length ${l} of sequence ${b} is not in [0, ${T}]`);
    }
    return padded.select(bDim, b).narrow(0, 0, l);
  });
}

/** Options of {@link packSequence}. */
export interface PackSequenceOptions {
  /** The sequences must already be in decreasing length order (default true). */
  enforceSorted?: boolean;
}

/**
 * Packs a list of sequences [L_i, *], like `torch.nn.utils.rnn.pack_sequence`: padSequence
 * then packPaddedSequence.
 */
export function packSequence(
  sequences: Tensor[],
  opts: PackSequenceOptions = {},
): PackedSequence {
  const lengths = sequences.map((s) => s.shape[0] ?? 0);
  return packPaddedSequence(padSequence(sequences), lengths, {
    enforceSorted: opts.enforceSorted,
  });
}

/**
 * Unpacks a PackedSequence into its sequences [L_b, *] in the original batch order, like
 * `torch.nn.utils.rnn.unpack_sequence`.
 */
export function unpackSequence(packed: PackedSequence): Tensor[] {
  const [padded, lengths] = padPackedSequence(packed, { batchFirst: true });
  return unpadSequence(padded, lengths, { batchFirst: true });
}

/** The CPU backend: plain TypeScript over typed arrays; the reference for every other backend. */
import type {
  Backend,
  BinaryOp,
  RandomKind,
  ReduceOp,
  Storage,
  Strided,
  UnaryOp,
  WindowParams,
} from "../backend.ts";
import { allocArray, type DType, type TypedArray } from "../../tensor/dtype.ts";
import { numelOf } from "../../tensor/shape.ts";
import { registerFreer, trackAlloc } from "../../tensor/memory.ts";
import { philoxBlock, toNormal, toUniform } from "../../tensor/philox.ts";
import { indexer, isDense, offsets } from "./strided.ts";
import { besselI, erf, erfc, lgamma, polygamma, roundHalfEven } from "./math.ts";
import { cpuLinalg } from "./linalg.ts";
import type { LinalgKernels } from "../linalg_kernels.ts";

/** A CPU storage: the typed array itself. */
export interface CpuStorage extends Storage {
  /** The elements. */
  readonly data: TypedArray;
}

/** The typed array behind a CPU storage. */
export function dataOf(s: Storage): TypedArray {
  return (s as CpuStorage).data;
}

const SQRT_2_PI = Math.sqrt(2 / Math.PI);

/** pow with C's special cases (as PyTorch): pow(1, NaN) = 1 and pow(-1, ±inf) = 1, NaN in JS. */
function powC(x: number, y: number): number {
  if (x === 1 || (x === -1 && Math.abs(y) === Infinity)) return 1;
  return Math.pow(x, y);
}

const UNARY: Record<UnaryOp, (x: number, a: number, b: number) => number> = {
  copy: (x) => x,
  neg: (x) => -x,
  abs: Math.abs,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  relu: (x) => (x < 0 ? 0 : x), // NaN passes through and -0 stays -0, as in PyTorch
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), // PyTorch 1.13: ±0 and NaN give +0
  erf,
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  reciprocal: (x) => 1 / x,
  not: (x) => (x === 0 ? 1 : 0), // NOTE: NaN is true, as in PyTorch (JS would call it falsy)
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  gelu_tanh: (x) => 0.5 * x * (1 + Math.tanh(SQRT_2_PI * (x + 0.044715 * x * x * x))),
  log1p: Math.log1p,
  expm1: Math.expm1,
  isnan: (x) => (Number.isNaN(x) ? 1 : 0),
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  exp2: (x) => Math.pow(2, x),
  log2: Math.log2,
  log10: Math.log10,
  erfc,
  lgamma,
  i0: (x) => besselI(0, x),
  i1: (x) => besselI(1, x),
  add_s: (x, a) => x + a,
  mul_s: (x, a) => x * a,
  pow_s: (x, a) => powC(x, a),
  rpow_s: (x, a) => powC(a, x),
  clamp: (x, lo, hi) => (Number.isNaN(x) ? x : Math.min(Math.max(x, lo), hi)),
  leaky_relu: (x, a) => (x > 0 ? x : x * a),
  gt_s: (x, a) => (x > a ? 1 : 0),
  lt_s: (x, a) => (x < a ? 1 : 0),
  polygamma: (x, n) => polygamma(x, n),
};

const BINARY: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: powC,
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  eq: (a, b) => (a === b ? 1 : 0),
  ne: (a, b) => (a !== b ? 1 : 0),
  lt: (a, b) => (a < b ? 1 : 0),
  le: (a, b) => (a <= b ? 1 : 0),
  gt: (a, b) => (a > b ? 1 : 0),
  ge: (a, b) => (a >= b ? 1 : 0),
  and: (a, b) => (a !== 0 && b !== 0 ? 1 : 0), // NaN counts as true, as in PyTorch
  or: (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
  atan2: Math.atan2,
  // JS's % is C's fmod on doubles: exact, with the sign of the dividend.
  fmod: (a, b) => a % b,
};

// int32 division truncates like C; PyTorch's integer ops we expose never divide ints.
function store(dtype: DType, v: number): number {
  return dtype === "bool" ? toBool(v) : v;
}

/** PyTorch's bool conversion: every non-zero value, NaN included, is true. */
function toBool(v: number): number {
  return v !== 0 ? 1 : 0;
}

class CpuBackend implements Backend {
  readonly device = "cpu" as const;

  // A getter, not a field: cpu/linalg.ts imports this module, so its export may not exist yet
  // while this module evaluates.
  get linalg(): LinalgKernels {
    return cpuLinalg;
  }

  alloc(dtype: DType, length: number): Storage {
    const s: CpuStorage = {
      device: "cpu",
      dtype,
      length,
      version: 0,
      refs: 1,
      data: allocArray(dtype, length),
    };
    trackAlloc(s);
    return s;
  }

  fromArray(data: TypedArray, dtype: DType): Storage {
    const s = this.alloc(dtype, data.length);
    const d = dataOf(s);
    if (dtype === "bool") { for (let i = 0; i < data.length; i++) d[i] = toBool(data[i]); }
    else d.set(data);
    return s;
  }

  free(_s: Storage): void {}

  read(s: Storage): Promise<TypedArray> {
    return Promise.resolve(dataOf(s).slice());
  }

  fill(out: Strided, value: number): void {
    const d = dataOf(out.storage);
    const v = store(out.storage.dtype, value);
    const oi = indexer(out);
    const n = numelOf(out.shape);
    for (let i = 0; i < n; i++) d[oi(i)] = v;
  }

  unary(op: UnaryOp, x: Strided, out: Strided, p0 = 0, p1 = 0): void {
    const f = UNARY[op];
    const xd = dataOf(x.storage), od = dataOf(out.storage);
    const n = numelOf(out.shape);
    const boolOut = out.storage.dtype === "bool";
    if (isDense(x) && isDense(out)) {
      const xo = x.offset, oo = out.offset;
      if (boolOut) { for (let i = 0; i < n; i++) od[oo + i] = toBool(f(xd[xo + i], p0, p1)); }
      else for (let i = 0; i < n; i++) od[oo + i] = f(xd[xo + i], p0, p1);
      return;
    }
    const xi = indexer(x), oi = indexer(out);
    for (let i = 0; i < n; i++) {
      const v = f(xd[xi(i)], p0, p1);
      od[oi(i)] = boolOut ? toBool(v) : v;
    }
  }

  binary(op: BinaryOp, a: Strided, b: Strided, out: Strided): void {
    const f = BINARY[op];
    const ad = dataOf(a.storage), bd = dataOf(b.storage), od = dataOf(out.storage);
    const n = numelOf(out.shape);
    // NOTE: bool outputs must stay 0/1 (True + True is True), hence the conversion.
    const g = out.storage.dtype === "bool" ? (x: number, y: number) => toBool(f(x, y)) : f;
    if (isDense(a) && isDense(b) && isDense(out)) {
      const ao = a.offset, bo = b.offset, oo = out.offset;
      for (let i = 0; i < n; i++) od[oo + i] = g(ad[ao + i], bd[bo + i]);
      return;
    }
    const ai = indexer(a), bi = indexer(b), oi = indexer(out);
    for (let i = 0; i < n; i++) od[oi(i)] = g(ad[ai(i)], bd[bi(i)]);
  }

  where(cond: Strided, a: Strided, b: Strided, out: Strided): void {
    const cd = dataOf(cond.storage), ad = dataOf(a.storage), bd = dataOf(b.storage);
    const od = dataOf(out.storage);
    const ci = indexer(cond), ai = indexer(a), bi = indexer(b), oi = indexer(out);
    const n = numelOf(out.shape);
    for (let i = 0; i < n; i++) od[oi(i)] = cd[ci(i)] ? ad[ai(i)] : bd[bi(i)];
  }

  reduce(op: ReduceOp, x: Strided, nReduced: number, out: Storage): void {
    const xd = dataOf(x.storage), od = dataOf(out);
    const r = numelOf(x.shape.slice(x.shape.length - nReduced));
    const m = out.length;
    const xi = indexer(x);
    for (let o = 0; o < m; o++) {
      const base = o * r;
      switch (op) {
        case "sum": {
          let s = 0;
          for (let k = 0; k < r; k++) s += xd[xi(base + k)];
          od[o] = s;
          break;
        }
        case "prod": {
          let s = 1;
          for (let k = 0; k < r; k++) s *= xd[xi(base + k)];
          od[o] = s;
          break;
        }
        case "max":
        case "min":
        case "argmax":
        case "argmin": {
          const isMax = op === "max" || op === "argmax";
          let best = xd[xi(base)], at = 0;
          for (let k = 1; k < r && !Number.isNaN(best); k++) {
            const v = xd[xi(base + k)];
            // NaN propagates and wins, as in PyTorch; ties keep the first index.
            if (Number.isNaN(v) || (isMax ? v > best : v < best)) {
              best = v;
              at = k;
            }
          }
          od[o] = op === "max" || op === "min" ? best : at;
          break;
        }
      }
    }
  }

  matmul(a: Strided, b: Strided, out: Storage): void {
    const [B, M, K] = a.shape, N = b.shape[2];
    const od = dataOf(out);
    const ac = this.#dense(a), bc = this.#dense(b);
    const acc = new Float64Array(N);
    for (let bt = 0; bt < B; bt++) {
      const ao = bt * M * K, bo = bt * K * N, oo = bt * M * N;
      for (let i = 0; i < M; i++) {
        acc.fill(0);
        for (let k = 0; k < K; k++) {
          // NOTE: no skip of zero entries: 0 * inf and 0 * NaN must give NaN, as in BLAS.
          const av = ac[ao + i * K + k];
          const row = bo + k * N;
          for (let j = 0; j < N; j++) acc[j] += av * bc[row + j];
        }
        for (let j = 0; j < N; j++) od[oo + i * N + j] = acc[j];
      }
    }
  }

  #dense(v: Strided): TypedArray {
    const d = dataOf(v.storage);
    const n = numelOf(v.shape);
    if (isDense(v)) return d.subarray(v.offset, v.offset + n);
    const out = allocArray(v.storage.dtype, n);
    const offs = offsets(v);
    for (let i = 0; i < n; i++) out[i] = d[offs[i]];
    return out;
  }

  gather(x: Strided, dim: number, index: Strided, out: Storage): void {
    const xd = dataOf(x.storage), id = dataOf(index.storage), od = dataOf(out);
    // x viewed with index's shape (dim stride kept) gives the base offset of each element.
    const xBase = offsets({ ...x, shape: index.shape });
    const ii = indexer(index);
    const size = x.shape[dim], stride = x.strides[dim];
    for (let i = 0; i < out.length; i++) {
      const k = id[ii(i)];
      if (k < 0 || k >= size) {
        throw new RangeError(
          `gather: index ${k} is out of bounds for dim ${dim} with size ${size}`,
        );
      }
      const coord = Math.floor(i / this.#inner(index.shape, dim)) % index.shape[dim];
      od[i] = xd[xBase[i] - coord * stride + k * stride];
    }
  }

  checkIntDivisor(op: string, divisor: Strided): void {
    const d = dataOf(divisor.storage), di = indexer(divisor);
    const n = numelOf(divisor.shape);
    for (let i = 0; i < n; i++) {
      if (d[di(i)] === 0) {
        throw new RangeError(`${op}: ZeroDivisionError: integer division by zero`);
      }
    }
  }

  #inner(shape: readonly number[], dim: number): number {
    let s = 1;
    for (let d = dim + 1; d < shape.length; d++) s *= shape[d];
    return s;
  }

  scatter(out: Strided, dim: number, index: Strided, src: Strided, accumulate: boolean): void {
    const od = dataOf(out.storage), id = dataOf(index.storage), sd = dataOf(src.storage);
    const oBase = offsets({ ...out, shape: index.shape });
    const ii = indexer(index), si = indexer({ ...src, shape: index.shape });
    const size = out.shape[dim], stride = out.strides[dim];
    const inner = this.#inner(index.shape, dim);
    const n = numelOf(index.shape);
    for (let i = 0; i < n; i++) {
      const k = id[ii(i)];
      if (k < 0 || k >= size) {
        throw new RangeError(
          `scatter: index ${k} is out of bounds for dim ${dim} with size ${size}`,
        );
      }
      const coord = Math.floor(i / inner) % index.shape[dim];
      const o = oBase[i] - coord * stride + k * stride;
      od[o] = accumulate ? od[o] + sd[si(i)] : sd[si(i)];
    }
  }

  im2col(x: Strided, p: WindowParams, padValue: number, out: Strided): void {
    const [N, C, H, W] = x.shape;
    const xd = dataOf(x.storage), od = dataOf(out.storage);
    const [sn, sc, sh, sw] = x.strides;
    const [on, or, ol] = out.strides;
    const L = p.oh * p.ow;
    let o = 0;
    for (let n = 0; n < N; n++) {
      for (let c = 0; c < C; c++) {
        for (let ki = 0; ki < p.kh; ki++) {
          for (let kj = 0; kj < p.kw; kj++) {
            const row = out.offset + n * on + ((c * p.kh + ki) * p.kw + kj) * or;
            for (let y = 0; y < p.oh; y++) {
              const iy = y * p.sh - p.ph + ki * p.dh;
              for (let xx = 0; xx < p.ow; xx++, o++) {
                const ix = xx * p.sw - p.pw + kj * p.dw;
                od[row + (y * p.ow + xx) * ol] = iy >= 0 && iy < H && ix >= 0 && ix < W
                  ? xd[x.offset + n * sn + c * sc + iy * sh + ix * sw]
                  : padValue;
              }
            }
          }
        }
      }
    }
    if (o !== N * C * p.kh * p.kw * L) throw new Error("internal: im2col size mismatch");
  }

  col2im(cols: Strided, p: WindowParams, out: Storage): void {
    const od = dataOf(out);
    od.fill(0);
    const N = cols.shape[0];
    const C = cols.shape[1] / (p.kh * p.kw);
    const H = p.ih, W = p.iw;
    const cd = this.#dense(cols);
    let o = 0;
    for (let n = 0; n < N; n++) {
      for (let c = 0; c < C; c++) {
        const base = (n * C + c) * H * W;
        for (let ki = 0; ki < p.kh; ki++) {
          for (let kj = 0; kj < p.kw; kj++) {
            for (let y = 0; y < p.oh; y++) {
              const iy = y * p.sh - p.ph + ki * p.dh;
              for (let xx = 0; xx < p.ow; xx++, o++) {
                const ix = xx * p.sw - p.pw + kj * p.dw;
                if (iy >= 0 && iy < H && ix >= 0 && ix < W) od[base + iy * W + ix] += cd[o];
              }
            }
          }
        }
      }
    }
  }

  sort(x: Strided, descending: boolean, values: Storage, indices: Storage): void {
    const xd = dataOf(x.storage), vd = dataOf(values), id = dataOf(indices);
    const nd = x.shape.length;
    const n = nd ? x.shape[nd - 1] : 1, stride = nd ? x.strides[nd - 1] : 0;
    if (values.length === 0 || n === 0) return;
    // Row starts: x with its last dim collapsed to one element.
    const starts = offsets({ ...x, shape: [...x.shape.slice(0, -1), 1] });
    const key = new Float64Array(n);
    const order = new Int32Array(n);
    const sign = descending ? -1 : 1;
    // NOTE: a total order (NaN largest, then the index) makes the result stable and equal to
    // the webgpu bitonic network's, whichever sort algorithm runs underneath.
    const cmp = (a: number, b: number): number => {
      const ka = key[a], kb = key[b];
      const na = ka !== ka, nb = kb !== kb;
      if (na || nb) return na && nb ? a - b : (na ? 1 : -1) * sign;
      if (ka === kb) return a - b;
      return ka < kb ? -sign : sign;
    };
    for (let r = 0; r < starts.length; r++) {
      const base = starts[r];
      for (let k = 0; k < n; k++) {
        key[k] = xd[base + k * stride];
        order[k] = k;
      }
      order.sort(cmp);
      const o = r * n;
      for (let k = 0; k < n; k++) {
        vd[o + k] = xd[base + order[k] * stride];
        id[o + k] = order[k];
      }
    }
  }

  searchSorted(sorted: Strided, values: Strided, right: boolean, out: Storage): void {
    const sd = dataOf(sorted.storage), vd = dataOf(values.storage), od = dataOf(out);
    const [B, M] = sorted.shape, Q = values.shape[1];
    const [sb, sm] = sorted.strides, [vb, vq] = values.strides;
    for (let b = 0; b < B; b++) {
      const s0 = sorted.offset + b * sb;
      for (let q = 0; q < Q; q++) {
        const v = vd[values.offset + b * vb + q * vq];
        let lo = 0, hi = M;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          const m = sd[s0 + mid * sm];
          // NOTE: negated comparisons, exactly as PyTorch's cus_lower/upper_bound, so NaN values
          // and NaN entries land where PyTorch puts them.
          if (right ? !(m > v) : !(m >= v)) lo = mid + 1;
          else hi = mid;
        }
        od[b * Q + q] = lo;
      }
    }
  }

  random(kind: RandomKind, key: [number, number], counter: number, out: Storage): void {
    const od = dataOf(out);
    const words = new Uint32Array(4);
    for (let i = 0; i < out.length; i += 4) {
      philoxBlock(key, counter + i / 4, words);
      for (let l = 0; l < 4 && i + l < out.length; l++) {
        od[i + l] = kind === "uniform"
          ? toUniform(words[l])
          : toNormal(words[l & 2], words[(l & 2) + 1], (l & 1) === 1);
      }
    }
  }
}

/** The process-wide CPU backend. */
export const cpuBackend: Backend = new CpuBackend();
registerFreer("cpu", () => {});

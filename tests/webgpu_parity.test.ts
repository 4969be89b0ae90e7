/** cpu-vs-webgpu parity of every backend primitive and public op, forward and backward. */
import { bools, f, hasGpu, type Input, ints, parity } from "./webgpu_helpers.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import * as F from "../src/ops/functional.ts";
import { maxPool2d } from "../src/ops/pool.ts";
import { cat, manualSeed, rand, randn, stack, tensor } from "../mod.ts";

type Case = [string, Input[], (...xs: Tensor[]) => Tensor | Tensor[], number?];

function suite(name: string, cases: Case[]): void {
  Deno.test({
    name: `webgpu parity: ${name}`,
    ignore: !hasGpu,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn(t) {
      for (const [n, inputs, fn, tol] of cases) {
        await t.step(n, () => parity(n, inputs, fn, tol ? { rtol: tol, atol: tol } : {}));
      }
    },
  });
}

// Views every elementwise op is run through: contiguous, transposed, sliced with steps,
// expanded (stride 0), and a 0-d scalar.
const views: [string, number[], (x: Tensor) => Tensor][] = [
  ["contig", [7, 13], (x) => x],
  ["transposed", [7, 13], (x) => x.transpose(0, 1)],
  ["stepped", [9, 14], (x) => x.slice(0, 1, null, 2).slice(1, 0, null, 3)],
  ["expanded", [1, 13], (x) => x.expand(5, 13)],
  ["scalar", [], (x) => x],
  ["empty", [0, 3], (x) => x],
];

const unaryOps: [string, (x: Tensor) => Tensor, number, number][] = [
  ["neg", (x) => x.neg(), -3, 3],
  ["abs", (x) => x.abs(), -3, 3],
  ["exp", (x) => x.exp(), -3, 3],
  ["log", (x) => x.log(), 0.1, 5],
  ["sqrt", (x) => x.sqrt(), 0.1, 5],
  ["rsqrt", (x) => x.rsqrt(), 0.1, 5],
  ["sin", (x) => x.sin(), -3, 3],
  ["cos", (x) => x.cos(), -3, 3],
  ["tanh", (x) => x.tanh(), -12, 12],
  ["sigmoid", (x) => x.sigmoid(), -8, 8],
  ["relu", (x) => x.relu(), -3, 3],
  ["sign", (x) => x.sign(), -3, 3],
  ["erf", (x) => x.erf(), -3, 3],
  ["floor", (x) => x.floor(), -3, 3],
  ["ceil", (x) => x.ceil(), -3, 3],
  ["round", (x) => x.mul(2).round(), -3, 3],
  ["reciprocal", (x) => x.reciprocal(), 0.5, 3],
  ["gelu", (x) => x.gelu(), -3, 3],
  ["gelu_tanh", (x) => x.gelu("tanh"), -3, 3],
  ["log1p", (x) => F.log1p(x), -0.5, 3],
  ["expm1", (x) => F.expm1(x), -2, 2],
  ["square", (x) => x.square(), -3, 3],
  ["add_s", (x) => x.add(1.5), -3, 3],
  ["mul_s", (x) => x.mul(-2.5), -3, 3],
  ["div_s", (x) => x.div(3), -3, 3],
  ["pow_s", (x) => x.pow(3), -2, 2],
  ["pow_frac", (x) => x.pow(1.7), 0.1, 2],
  ["rpow_s", (x) => F.pow(2, x), -2, 2],
  ["clamp", (x) => x.clamp(-0.5, 0.7), -2, 2],
  ["leaky_relu", (x) => x.leakyRelu(0.1), -2, 2],
  ["gt_s", (x) => x.gt(0.3), -2, 2],
  ["lt_s", (x) => x.lt(0.3), -2, 2],
  ["not", (x) => x.logicalNot(), -1, 1],
  ["sub_scalar_left", (x) => F.sub(1, x), -2, 2],
];

suite(
  "unary ops × views",
  unaryOps.flatMap(([op, fn, lo, hi]) =>
    views.map(([v, shape, view]): Case => [`${op} ${v}`, [f(shape, 7, lo, hi)], (x) => fn(view(x))])
  ),
);

const binaryOps: [string, (a: Tensor, b: Tensor) => Tensor][] = [
  ["add", (a, b) => a.add(b)],
  ["add_alpha", (a, b) => a.add(b, 0.5)],
  ["sub", (a, b) => a.sub(b)],
  ["mul", (a, b) => a.mul(b)],
  ["div", (a, b) => a.div(b.abs().add(0.5))],
  ["pow", (a, b) => a.abs().add(0.2).pow(b)],
  ["maximum", (a, b) => a.maximum(b)],
  ["minimum", (a, b) => a.minimum(b)],
  ["eq", (a, b) => a.round().eq(b.round())],
  ["ne", (a, b) => a.round().ne(b.round())],
  ["lt", (a, b) => a.lt(b)],
  ["le", (a, b) => a.round().le(b.round())],
  ["gt", (a, b) => a.gt(b)],
  ["ge", (a, b) => a.round().ge(b.round())],
  ["and", (a, b) => a.gt(0).logicalAnd(b.gt(0))],
  ["or", (a, b) => a.gt(0).logicalOr(b.gt(0))],
];

const pairs: [string, number[], number[], (a: Tensor, b: Tensor) => [Tensor, Tensor]][] = [
  ["same", [6, 11], [6, 11], (a, b) => [a, b]],
  ["broadcast", [5, 1, 3], [4, 3], (a, b) => [a, b]],
  ["transposed", [11, 6], [6, 11], (a, b) => [a.transpose(0, 1), b]],
  ["stepped", [12, 11], [6, 11], (a, b) => [a.slice(0, 0, null, 2), b]],
  ["scalar", [], [3, 4], (a, b) => [a, b]],
  ["empty", [0, 4], [1, 4], (a, b) => [a, b]],
];

suite(
  "binary ops × layouts",
  binaryOps.flatMap(([op, fn]) =>
    pairs.map(([v, sa, sb, prep]): Case => [
      `${op} ${v}`,
      [f(sa, 11), f(sb, 12)],
      (a, b) => fn(...prep(a, b)),
    ])
  ),
);

suite("int32 and bool", [
  ["int add/mul/sub", [ints([5, 7], -50, 50), ints([7], -9, 9, 4)], (a, b) => [
    a.add(b),
    a.mul(b),
    a.sub(b),
    a.neg(),
    a.abs(),
    a.sign(),
    a.add(3),
    a.mul(-2),
  ]],
  ["int compare", [ints([5, 7], -5, 5), ints([7], -5, 5, 4)], (a, b) => [
    a.eq(b),
    a.lt(b),
    a.ge(b),
    a.maximum(b),
    a.minimum(b),
    a.gt(0),
  ]],
  ["int pow/div", [ints([9], 1, 6), ints([9], 0, 4, 8)], (a, b) => [a.pow(b), a.div(b.add(1))]],
  ["int clamp", [ints([20], -100, 100)], (a) => a.clamp(-10, 20)],
  ["int sum/max", [ints([6, 9], -100, 100)], (a) => [a.sum(), a.sum(1), a.amax(0), a.amin(1)]],
  ["casts", [f([4, 9], 3, -5, 5, false)], (a) => [
    a.int(),
    a.bool(),
    a.int().float(),
    a.bool().int(),
    a.gt(0).float(),
    a.transpose(0, 1).int(),
  ]],
  ["bool ops", [bools([6, 5]), bools([5], 9)], (a, b) => [
    a.logicalAnd(b),
    a.logicalOr(b),
    a.logicalNot(),
    a.eq(b),
    a.sum(),
    a.all(),
    a.any(),
    a.int(),
  ]],
  ["where", [bools([4, 1, 6]), f([5, 6], 1), f([4, 5, 1], 2)], (c, a, b) => F.where(c, a, b)],
  ["where scalar", [bools([3, 7]), f([3, 7], 1)], (c, a) => F.where(c, a, 0.5)],
  ["where int", [bools([3, 7]), ints([3, 7], 0, 9)], (c, a) => F.where(c, a, -1)],
  ["masked fill", [f([4, 6]), bools([4, 6])], (a, m) => a.maskedFill(m, -3)],
]);

suite("reductions", [
  ["sum all", [f([13, 17])], (x) => x.sum()],
  ["sum dims", [f([4, 5, 6])], (x) => [x.sum(0), x.sum(1, true), x.sum([0, 2]), x.sum(-1)]],
  ["sum transposed", [f([33, 70])], (x) => [x.t().sum(1), x.t().sum(0)]],
  ["sum stepped", [f([40, 31])], (x) => x.slice(0, 1, null, 3).sum(0)],
  ["sum expanded", [f([1, 31])], (x) => x.expand(20, 31).sum(0)],
  ["sum long row", [f([3, 50000])], (x) => x.sum(1), 1e-3],
  ["sum 1M", [f([1000000], 4, 0, 1)], (x) => x.sum(), 1e-3],
  ["sum many rows", [f([5000, 7])], (x) => x.sum(1)],
  ["mean", [f([6, 7])], (x) => [x.mean(), x.mean(0), x.mean(1, true)]],
  ["prod", [f([5, 6], 3, 0.5, 1.5, false)], (x) => [x.prod(), x.prod(1)]],
  ["amax amin", [f([7, 9])], (x) => [x.amax(1), x.amin(0), x.amax(), x.amin([0, 1])]],
  ["max/min dim", [f([7, 300])], (x) => {
    const a = x.max(1) as [Tensor, Tensor];
    const b = x.min(0, true) as [Tensor, Tensor];
    return [a[0], a[1], b[0], b[1]];
  }],
  ["argmax argmin", [f([7, 5000])], (x) => [x.argmax(1), x.argmin(1), x.argmax(), x.argmin(0)]],
  ["argmax ties", [ints([6, 40], 0, 3)], (x) => [x.float().argmax(1), x.float().argmin(1)]],
  ["max all", [f([70000])], (x) => [x.max() as Tensor, x.argmax()]],
  ["var std", [f([8, 9])], (x) => [x.var(), x.var(1), x.std(0), x.var(1, { correction: 0 })]],
  ["norm", [f([8, 9])], (x) => [x.norm(), x.norm(1, 1), x.norm(3, 0), x.norm(Infinity)]],
  ["softmax", [f([9, 33])], (x) => [x.softmax(1), x.softmax(0), x.logSoftmax(-1)]],
  ["softmax wide", [f([64, 1000], 3, -5, 5)], (x) => x.softmax(-1)],
  ["logsumexp", [f([5, 11])], (x) => [x.logsumexp(1), x.logsumexp([0, 1])]],
  ["empty reduce", [f([0, 4])], (x) => [x.sum(0), x.sum(1), x.sum()]],
  ["scalar reduce", [f([])], (x) => [x.sum(), x.amax(), x.mean()]],
]);

// Chains the webgpu backend fuses into one generated kernel (src/backend/webgpu/fusion.ts).
suite("fused elementwise chains", [
  ["long chain", [f([1000]), f([1000], 2)], (a, b) => {
    let y = a;
    for (let i = 0; i < 120; i++) y = i % 3 === 0 ? y.add(b) : i % 3 === 1 ? y.mul(0.9) : y.sub(a);
    return y;
  }],
  ["mixed dtypes", [f([6, 7]), ints([6, 7], -5, 5), bools([6, 7])], (x, i, b) => {
    const s = x.mul(i).add(i.float().neg());
    const c = x.gt(0).logicalAnd(b);
    return [s.where(c, i.float()), i.add(3).mul(i), c.int().add(i), x.floor().int(), s.relu()];
  }],
  [
    "broadcast",
    [f([5, 1, 4]), f([3, 1]), f([4])],
    (a, b, c) => a.add(b).mul(c).exp().sub(c.sigmoid()),
  ],
  ["views", [f([6, 8]), f([8, 6], 4)], (a, b) => {
    const t = a.add(b.transpose(0, 1)).mul(2);
    return [t, t.transpose(0, 1).add(1).tanh(), a.slice(1, 0, null, 2).add(t.slice(1, 1, null, 2))];
  }],
  ["intermediate read later", [f([9, 9])], (x) => {
    const a = x.mul(3);
    const b = a.exp().add(a);
    return [a, b, b.sum(1), a.add(b).sum()];
  }],
  ["in-place into views", [f([6, 8], 1, -2, 2, false), f([6, 4], 2, -2, 2, false)], (x, y) => {
    const z = x.clone();
    z.slice(1, 0, null, 2).add_(y);
    z.mul_(2);
    z.narrow(0, 1, 2).copy_(y.narrow(1, 0, 1).narrow(0, 0, 2).expand(2, 8));
    z.transpose(0, 1).add_(1);
    return z.add(z.slice(0, 2, 4).sum(0));
  }],
  ["aliasing out = input", [f([7, 5], 1, -2, 2, false), f([5], 2, -2, 2, false)], (x, y) => {
    const z = x.clone();
    const w = z.mul(2);
    z.add_(y);
    z.mul_(z);
    const r = z.sub(w);
    z.fill_(0.5);
    return [r, z.add(w), w];
  }],
  ["scalar ops and fills", [f([33])], (x) => {
    const s = x.sum();
    return [x.add(1).mul(s).div(2), x.clamp(-0.5, 0.5).add(x.pow(2)), s.mul(2).add(1)];
  }],
  ["softmax after chain", [f([16, 50])], (x) => x.mul(2).add(1).softmax(-1).mul(3).logSoftmax(-1)],
]);

// The fused fast path (contiguous / scalar / single-dim broadcast operands; vec4 when n and
// offsets are 4-aligned) and the two-pass sum kernel, at sizes and offsets on both sides of
// every alignment condition.
suite("fast elementwise paths and sums", [
  ["vec4 aligned", [f([8, 16]), f([8, 16], 2)], (a, b) => [a.relu(), a.add(b).mul(b).exp()]],
  ["odd sizes", [f([7, 13]), f([7, 13], 2), f([4099]), f([5])], (a, b, c, d) => {
    return [a.add(b).relu(), c.mul(2).add(1), c.relu().add(c), d.neg().add(d)];
  }],
  ["unaligned offsets", [f([4101]), f([4096], 2)], (x, y) => {
    return [
      x.narrow(0, 1, 4096).add(y),
      x.narrow(0, 4, 4096).mul(y).relu(),
      x.narrow(0, 3, 4098).sub(1),
    ];
  }],
  ["int32 and bool", [ints([8, 12], -9, 9), ints([8, 12], -9, 9, 4), bools([8, 12])], (i, j, b) => {
    const c = i.gt(j).logicalAnd(b);
    return [i.add(j).mul(3), c, c.int().add(i), i.where(c, j), i.narrow(1, 1, 7).add(2)];
  }],
  ["scalar operand", [f([64]), f([3, 5])], (x, y) => {
    const s = x.sum();
    return [x.mul(s).add(1), y.add(s), s.add(x.narrow(0, 4, 32))];
  }],
  [
    "per-channel broadcast",
    [f([4, 6, 4, 4]), f([1, 6, 1, 1], 2), f([1, 6, 1, 1], 3)],
    (x, w, b) => {
      return [x.mul(w).add(b).relu(), x.add(b)];
    },
  ],
  ["per-channel odd", [f([3, 5, 5, 3]), f([1, 5, 1, 1], 2), f([1, 5, 1, 1], 3)], (x, w, b) => {
    return [x.mul(w).add(b), x.sub(w.expand(3, 5, 5, 3).add(b)).relu()];
  }],
  ["row and column broadcast", [f([6, 8]), f([8], 2), f([6, 1], 3), f([6, 7])], (x, r, c, y) => {
    return [x.add(r), x.mul(c).add(r), y.add(c), y.sub(r.narrow(0, 1, 7))];
  }],
  ["sum dims [0,2,3]", [f([4, 6, 5, 5]), f([3, 8, 4, 4], 2), f([6, 4, 5, 6], 3)], (a, b, c) => {
    return [
      a.sum([0, 2, 3]),
      b.sum([0, 2, 3], true),
      b.mean([0, 2, 3]),
      c.transpose(0, 1).sum([0, 2, 3]),
      c.narrow(3, 1, 4).sum([0, 2, 3]),
      c.narrow(3, 1, 4).amax([0, 2, 3]),
      c.argmax(1),
    ];
  }, 1e-4],
  ["sum full and rows", [f([70001]), f([12288], 2), f([3, 5000], 3)], (a, b, c) => {
    return [a.sum(), b.sum(), c.sum(1), c.narrow(1, 1, 4096).sum(1), b.narrow(0, 3, 9000).sum()];
  }, 1e-3],
  ["sum int32 and bool", [ints([5, 300], -9, 9), bools([4, 100])], (i, b) => {
    return [i.sum(1), i.sum(), b.sum(1), i.transpose(0, 1).sum(0)];
  }],
]);

// The flat sum (at most 16 outputs, one contiguous run each): chunk counts on both sides of the
// 64-chunk cap, runs that are not a multiple of the 4-block unroll, vec4 and scalar loads,
// 4-aligned and unaligned offsets, 16 vs 17 outputs (flat vs general two-pass kernel).
suite("flat sums", [
  ["runs around the chunk cap", [f([524300]), f([16, 4100], 2), f([17, 4100], 3)], (a, b, c) => {
    return [
      a.sum(),
      a.narrow(0, 4, 524288).sum(),
      a.narrow(0, 1, 524297).sum(),
      b.sum(1),
      c.sum(1),
      b.narrow(1, 4, 4092).sum(1, true),
    ];
  }, 1e-3],
  ["int32 flat", [ints([3, 70003], -9, 9), bools([2, 9001])], (i, b) => {
    return [i.sum(1), i.sum(), i.narrow(1, 4, 65536).sum(1), b.sum(1), b.sum()];
  }],
]);

suite("matmul", [
  ["mm odd", [f([17, 23]), f([23, 9])], (a, b) => a.matmul(b)],
  ["mm vec4", [f([64, 32]), f([32, 48])], (a, b) => a.matmul(b)],
  ["mm large", [f([300, 260]), f([260, 280])], (a, b) => a.matmul(b), 1e-3],
  ["mm A^T", [f([23, 17]), f([23, 9])], (a, b) => a.t().matmul(b)],
  ["mm B^T", [f([17, 24]), f([12, 24])], (a, b) => a.matmul(b.t())],
  ["mm both T", [f([24, 16]), f([12, 24])], (a, b) => a.t().matmul(b.t())],
  [
    "mm stepped",
    [f([34, 23]), f([23, 18])],
    (a, b) => a.slice(0, 0, null, 2).matmul(b.slice(1, 1, null, 2)),
  ],
  ["bmm", [f([3, 5, 7]), f([3, 7, 4])], (a, b) => a.bmm(b)],
  ["bmm vec4", [f([2, 8, 12]), f([2, 12, 16])], (a, b) => a.bmm(b)],
  ["broadcast batch", [f([2, 1, 5, 6]), f([3, 6, 4])], (a, b) => a.matmul(b)],
  ["batched 2d rhs", [f([4, 5, 8]), f([8, 3])], (a, b) => a.matmul(b)],
  ["vec mat", [f([7]), f([7, 5])], (a, b) => a.matmul(b)],
  ["mat vec", [f([4, 7]), f([7])], (a, b) => a.matmul(b)],
  ["dot", [f([9]), f([9])], (a, b) => a.matmul(b)],
  ["k=0", [f([3, 0]), f([0, 4])], (a, b) => a.matmul(b)],
  ["empty m", [f([0, 5]), f([5, 4])], (a, b) => a.matmul(b)],
]);

suite("index and join", [
  ["gather", [f([5, 7]), ints([5, 4], 0, 7)], (x, i) => x.gather(1, i)],
  ["gather dim0", [f([5, 7]), ints([3, 7], 0, 5)], (x, i) => x.gather(0, i)],
  ["gather transposed", [f([7, 5]), ints([5, 3], 0, 7)], (x, i) => x.t().gather(1, i)],
  ["scatter", [f([5, 7]), ints([5, 1], 0, 7), f([5, 1], 4)], (x, i, s) => x.scatter(1, i, s)],
  [
    "scatterAdd dup",
    [f([4, 6]), ints([4, 9], 0, 6), f([4, 9], 8)],
    (x, i, s) => x.scatterAdd(1, i, s),
  ],
  [
    "scatterAdd int",
    [ints([4, 6], 0, 5), ints([4, 9], 0, 6), ints([4, 9], -5, 5, 9)],
    (x, i, s) => x.scatterAdd(1, i, s),
  ],
  [
    "indexSelect",
    [f([6, 5]), ints([8], 0, 6)],
    (x, i) => [x.indexSelect(0, i), x.indexSelect(1, i.clamp(0, 4))],
  ],
  ["flip", [f([4, 5, 3])], (x) => [x.flip(0), x.flip([1, 2])]],
  ["cat stack", [f([3, 4]), f([2, 4], 2)], (a, b) => [cat([a, b], 0), stack([a, a.mul(2)], 1)]],
  ["split chunk", [f([7, 4])], (x) => [...x.split(3, 0), ...x.chunk(2, 1)]],
  ["repeat", [f([2, 3])], (x) => x.repeat(2, 1, 3)],
  ["views", [f([4, 5, 6])], (x) => [
    x.permute(2, 0, 1).contiguous(),
    x.narrow(1, 1, 3).reshape(4, 18),
    x.select(2, 4),
    x.unsqueeze(1).expand(4, 3, 5, 6).sum(1),
    x.flatten(1).t().clone(),
  ]],
  ["inplace on views", [f([5, 6], 1, -2, 2, false), f([6], 2, -2, 2, false)], (x, y) => {
    const c = x.clone();
    c.add_(y);
    c.t().mul_(2);
    c.slice(0, 0, null, 2).sub_(1);
    c.select(1, 2).fill_(7);
    c.narrow(0, 1, 2).copy_(y.expand(2, 6));
    c.clamp_(-3, 3);
    return c;
  }],
]);

Deno.test({
  name: "webgpu parity: random draws match the cpu bit for bit (uniform) / to float32 (normal)",
  ignore: !hasGpu,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    for (const n of [1, 3, 4, 5, 1001]) {
      manualSeed(1234);
      const a = await rand([n]).toArray();
      const b = await randn([n]).toArray();
      manualSeed(1234);
      const c = await rand([n], { device: "webgpu" }).toArray();
      const d = await randn([n], { device: "webgpu" }).toArray();
      for (let i = 0; i < n; i++) {
        if (a[i] !== c[i]) throw new Error(`rand[${i}] of ${n}: ${c[i]} vs ${a[i]}`);
        if (Math.abs(b[i] - d[i]) > 1e-5 * (1 + Math.abs(b[i]))) {
          throw new Error(`randn[${i}] of ${n}: ${d[i]} vs ${b[i]}`);
        }
      }
    }
    // A counter beyond 2^32 blocks exercises the carry into the high word.
    const { cpuBackend } = await import("../src/backend/cpu/cpu_backend.ts");
    const { backendFor } = await import("../src/backend/registry.ts");
    const g = backendFor("webgpu");
    const sc = cpuBackend.alloc("float32", 10), sg = g.alloc("float32", 10);
    cpuBackend.random("uniform", [7, 9], 2 ** 32 - 1, sc);
    g.random("uniform", [7, 9], 2 ** 32 - 1, sg);
    const want = await cpuBackend.read(sc), got = await g.read(sg);
    if (want.join() !== got.join()) throw new Error(`carry: ${got} vs ${want}`);
  },
});

// NaN must propagate as on the CPU (and in PyTorch): llvmpipe folds `v != v` and compiles
// `a != b` as an ordered compare, so kernels test NaN bits explicitly.
const nanA: Input = {
  data: Float32Array.from([1, NaN, 3, NaN, -0, 0, -2, 5]),
  shape: [8],
  grad: false,
};
const nanB: Input = {
  data: Float32Array.from([1, NaN, NaN, 2, 0, -0, NaN, 5]),
  shape: [8],
  grad: false,
};
const nanImage: Input = {
  data: Float32Array.from([1, NaN, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, NaN]),
  shape: [1, 1, 4, 4],
  grad: false,
};
suite("NaN propagation", [
  ["compare ops", [nanA, nanB], (a, b) => [a.eq(b), a.ne(b), a.lt(b), a.le(b), a.gt(b), a.ge(b)]],
  ["relu, clamp, maximum", [nanA, nanB], (a, b) => [a.relu(), a.clamp(0, 2), a.maximum(b)]],
  ["amax, argmax", [nanA], (a) => [a.amax(), a.argmax()]],
  ["maxPool2d", [nanImage], (x) => maxPool2d(x, 2)],
]);

suite("huge tensors (several dispatch rows)", [
  [
    "add 20M",
    [f([20_000_000], 1, -1, 1, false), f([20_000_000], 2, -1, 1, false)],
    (a, b) => a.add(b),
  ],
  [
    // More than 65,535 row workgroups: the matmul goes in row chunks, one batch at a time.
    "batched matmul with 2.2M rows",
    [f([2, 2_200_000, 2], 3, -1, 1, false), f([2, 2, 3], 4, -1, 1, false)],
    (a, b) => a.matmul(b),
  ],
]);

Deno.test({
  name: "webgpu parity: backend primitives without a public op (atan2, im2col, col2im)",
  ignore: !hasGpu,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { cpuBackend } = await import("../src/backend/cpu/cpu_backend.ts");
    const { backendFor } = await import("../src/backend/registry.ts");
    const { assertClose, randData } = await import("./webgpu_helpers.ts");
    const g = backendFor("webgpu");
    const run = async (
      fn: (
        b: typeof g,
        up: (d: Float32Array) => import("../src/backend/backend.ts").Storage,
      ) => import("../src/backend/backend.ts").Storage,
    ) => {
      const c = await cpuBackend.read(fn(cpuBackend, (d) => cpuBackend.fromArray(d, "float32")));
      const w = await g.read(fn(g, (d) => g.fromArray(d, "float32")));
      return [w, c];
    };
    const at = (
      s: import("../src/backend/backend.ts").Storage,
      shape: number[],
      strides: number[],
      offset = 0,
    ) => ({ storage: s, shape, strides, offset });
    const [w1, c1] = await run((b, up) => {
      const x = up(randData(12, 1)), y = up(randData(12, 2)), o = b.alloc("float32", 12);
      b.binary("atan2", at(x, [3, 4], [4, 1]), at(y, [3, 4], [1, 3]), at(o, [3, 4], [4, 1]));
      return o;
    });
    assertClose("atan2", w1, c1);
    const p = {
      kh: 3,
      kw: 2,
      sh: 2,
      sw: 1,
      ph: 1,
      pw: 0,
      dh: 1,
      dw: 2,
      ih: 7,
      iw: 6,
      oh: 4,
      ow: 4,
    };
    const [w2, c2] = await run((b, up) => {
      const x = up(randData(2 * 3 * 7 * 6, 3)), o = b.alloc("float32", 2 * 3 * 6 * 16);
      b.im2col(at(x, [2, 3, 7, 6], [126, 42, 6, 1]), p, -1, at(o, [2, 18, 16], [288, 16, 1]));
      return o;
    });
    assertClose("im2col", w2, c2);
    const [w2r, c2r] = await run((b, up) => {
      const x = up(randData(2 * 3 * 7 * 6, 3)), o = b.alloc("float32", 2 * 3 * 6 * 16);
      // Pixel-major output ([N, L, C*kh*kw] permuted), as convolution uses it.
      b.im2col(at(x, [2, 3, 7, 6], [126, 42, 6, 1]), p, -1, at(o, [2, 18, 16], [288, 1, 18]));
      return o;
    });
    assertClose("im2col rows", w2r, c2r);
    const [w3, c3] = await run((b, up) => {
      const x = up(randData(2 * 18 * 16, 4)), o = b.alloc("float32", 2 * 3 * 7 * 6);
      b.col2im(at(x, [2, 18, 16], [288, 16, 1]), p, o);
      return o;
    });
    assertClose("col2im", w3, c3);
  },
});

Deno.test({
  name: "webgpu: bad gather index throws at the next readback, naming the op",
  ignore: !hasGpu,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const x = tensor([[1, 2], [3, 4]], { device: "webgpu" });
    const i = tensor([[0, 5], [1, 0]], { dtype: "int32", device: "webgpu" });
    const y = x.gather(1, i);
    let msg = "";
    try {
      await y.toArray();
    } catch (e) {
      msg = (e as Error).message;
    }
    if (!/gather: index 5 is out of bounds/.test(msg)) throw new Error(`got: ${msg}`);
    // The flag is cleared: the next readback works.
    await x.toArray();
  },
});

Deno.test({
  name: "webgpu: float64 is a clear error",
  ignore: !hasGpu,
  fn() {
    let msg = "";
    try {
      tensor([1, 2], { dtype: "float64", device: "webgpu" });
    } catch (e) {
      msg = (e as Error).message;
    }
    if (!/float64 is not supported on webgpu/.test(msg)) throw new Error(`got: ${msg}`);
  },
});

Deno.test({
  name: "webgpu: debug mode turns WebGPU validation errors into thrown errors naming the op",
  ignore: !hasGpu,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { gpu } = await import("../src/backend/webgpu/device.ts");
    const { begin, dispatch } = await import("../src/backend/webgpu/encoder.ts");
    const { kernel } = await import("../src/backend/webgpu/pipeline_cache.ts");
    const { webgpu } = await import("../src/backend/webgpu/mod.ts");
    // A MAP_READ buffer cannot be bound as storage: a validation error WebGPU reports late.
    const bad = gpu().device.createBuffer({ size: 256, usage: GPUBufferUsage.MAP_READ });
    const k = kernel("test:bad", 1, () =>
      "@group(0) @binding(0) var<uniform> P: vec4<u32>;\n" +
      "@group(0) @binding(1) var<storage, read_write> O: array<f32>;\n" +
      "@compute @workgroup_size(1) fn main() { O[0] = f32(P.x); }");
    begin();
    dispatch("deliberately_bad_op", k, [bad], 1);
    let msg = "";
    try {
      await webgpu.synchronize();
    } catch (e) {
      msg = (e as Error).message;
    }
    bad.destroy();
    if (!/deliberately_bad_op/.test(msg)) throw new Error(`no error naming the op; got "${msg}"`);
  },
});

Deno.test({
  name: "webgpu parity: every matmul kernel variant",
  ignore: !hasGpu,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const { webgpu } = await import("../src/backend/webgpu/mod.ts");
    const variants = [
      "tiled" as const,
      ...[[8, 64], [32, 32], [32, 64], [16, 128]].map(([tm, cols]) => ({ tm, cols })),
    ];
    for (const v of variants) {
      webgpu.setMatmulVariant(v);
      const name = typeof v === "string" ? v : `${v.tm}x${v.cols}`;
      try {
        await t.step(
          `${name} odd`,
          () => parity("mm", [f([37, 45]), f([45, 52])], (a, b) => a.matmul(b)),
        );
        await t.step(
          `${name} vec4`,
          () => parity("mm", [f([2, 40, 64]), f([2, 64, 36])], (a, b) => a.matmul(b)),
        );
        await t.step(
          `${name} transposed`,
          () => parity("mm", [f([45, 37]), f([52, 45])], (a, b) => a.t().matmul(b.t())),
        );
        await t.step(
          `${name} tall, K tail`,
          () => parity("mm", [f([300, 30]), f([30, 140])], (a, b) => a.matmul(b)),
        );
      } finally {
        webgpu.setMatmulVariant(null);
      }
    }
  },
});

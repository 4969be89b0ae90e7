/** Autograd engine: accumulation, retained graphs, grad modes, saved tensors, in-place rules. */
import assert from "node:assert/strict";
import * as dt from "../mod.ts";
import { assertClose, assertThrowsWith, checkOp, f64 } from "./helpers.ts";

Deno.test("grads accumulate into .grad over two backward calls; several paths add up", () => {
  const x = f64([1, 2, 3], [3]);
  x.mul(x).sum().backward();
  assertClose(x.grad!, [2, 4, 6]);
  x.mul(3).sum().backward();
  assertClose(x.grad!, [5, 7, 9]);
  const y = f64([2], [1]);
  const z = y.mul(y).add(y.exp()).add(y.mul(4)); // y used three times
  z.backward();
  assertClose(y.grad!, [4 + Math.exp(2) + 4]);
});

Deno.test("broadcast gradients are summed back to each input's shape", () => {
  const a = f64([1, 2, 3], [3, 1]);
  const b = f64([10, 20], [2]);
  a.mul(b).sum().backward();
  assert.deepEqual(a.grad!.shape, [3, 1]);
  assertClose(a.grad!, [30, 30, 30]);
  assertClose(b.grad!, [6, 6]);
});

Deno.test("backward(gradient) for non-scalar outputs; gradient is not consumed", () => {
  const x = f64([1, 2], [2]);
  const g = dt.tensor([0.5, -1], { dtype: "float64" });
  x.exp().backward(g);
  assertClose(x.grad!, [0.5 * Math.E, -Math.exp(2)]);
  assertClose(g, [0.5, -1], { msg: "user gradient untouched" });
});

Deno.test("retainGraph allows a second backward; without it the graph is freed", () => {
  const x = f64([1, 2], [2]);
  const y = x.exp().sum();
  y.backward(undefined, { retainGraph: true });
  y.backward();
  assertClose(x.grad!, [2 * Math.E, 2 * Math.exp(2)]);
  assertThrowsWith(
    () => y.backward(),
    "trying to backward through the graph a second time",
    "retainGraph",
  );
});

Deno.test("gradFn, isLeaf, requiresGrad and detach", () => {
  const x = f64([1, 2], [2]);
  const c = dt.tensor([1, 2]);
  assert.equal(x.isLeaf, true);
  assert.equal(x.gradFn, null);
  assert.equal(c.requiresGrad, false);
  const y = x.mul(c);
  assert.equal(y.isLeaf, false);
  assert.equal(y.requiresGrad, true);
  assert.equal(y.gradFn?.name, "MulBackward");
  assert.equal(x.exp().sum().gradFn?.name, "SumBackward");
  const cc = c.mul(2);
  assert.equal(cc.requiresGrad, false, "no input requires grad: no graph");
  assert.equal(cc.gradFn, null);
  const d = y.detach();
  assert.equal(d.requiresGrad, false);
  assert.equal(d.isLeaf, true);
  assert.equal(d.storage, y.storage, "detach shares storage");
  assert.equal(d.mul(2).requiresGrad, false);
  y.detach_();
  assert.equal(y.gradFn, null);
  assert.equal(y.requiresGrad, false);
});

Deno.test("requiresGrad_ on leaves; integer tensors cannot require grad", () => {
  const x = dt.tensor([1, 2]);
  assert.equal(x.requiresGrad_(), x);
  assert.equal(x.requiresGrad, true);
  x.requiresGrad = false;
  assert.equal(x.requiresGrad, false);
  assertThrowsWith(
    () => dt.tensor([1, 2], { dtype: "int32" }).requiresGrad_(),
    "requiresGrad",
    "int32",
  );
  assertThrowsWith(() => dt.tensor([1], { dtype: "int32", requiresGrad: true }), "int32");
  const y = f64([1], [1]).mul(2);
  assertThrowsWith(() => y.requiresGrad_(false), "leaf", "detach");
});

Deno.test("noGrad / enableGrad (sync): no graph recorded, mode restored even on throw", () => {
  const x = f64([1, 2], [2]);
  const y = dt.noGrad(() => {
    assert.equal(dt.isGradEnabled(), false);
    const inner = dt.enableGrad(() => x.mul(2));
    assert.equal(inner.requiresGrad, true, "enableGrad inside noGrad records");
    return x.mul(2);
  });
  assert.equal(y.requiresGrad, false);
  assert.equal(y.gradFn, null);
  assert.equal(dt.isGradEnabled(), true);
  assert.throws(() =>
    dt.noGrad(() => {
      throw new Error("boom");
    }), /boom/);
  assert.equal(dt.isGradEnabled(), true, "restored after a throw");
  const prev = dt.setGradEnabled(false);
  assert.equal(prev, true);
  assert.equal(x.mul(2).requiresGrad, false);
  dt.setGradEnabled(true);
});

Deno.test("noGrad / enableGrad (async): the mode holds across awaits and is restored", async () => {
  const x = f64([1, 2], [2]);
  const y = await dt.noGrad(async () => {
    await new Promise((r) => setTimeout(r, 1));
    assert.equal(dt.isGradEnabled(), false);
    return x.mul(2);
  });
  assert.equal(y.requiresGrad, false);
  assert.equal(dt.isGradEnabled(), true);
  const z = await dt.noGrad(() =>
    dt.enableGrad(async () => {
      await Promise.resolve();
      return x.mul(2);
    })
  );
  assert.equal(z.requiresGrad, true);
  assert.equal(dt.isGradEnabled(), true);
  await assert.rejects(
    dt.noGrad(async () => {
      await Promise.resolve();
      throw new Error("async boom");
    }),
    /async boom/,
  );
  assert.equal(dt.isGradEnabled(), true);
});

Deno.test("saved tensors are freed after backward (memory drops; second backward throws)", () => {
  const x = f64(Array.from({ length: 1000 }, (_, i) => i / 1000), [1000]);
  const before = dt.memoryAllocated("cpu");
  const y = x.exp(); // saves x and its output
  const s = y.sum();
  y.dispose();
  const withGraph = dt.memoryAllocated("cpu");
  assert.ok(withGraph >= before + 8000, "the graph holds exp's output");
  s.backward();
  const after = dt.memoryAllocated("cpu");
  // The saved output is released; what remains is x.grad (8000 bytes) and s (8 bytes).
  assert.equal(after, before + 8000 + 8);
  assertThrowsWith(() => s.backward(), "backward through the graph a second time");
});

Deno.test("modifying a saved tensor in place makes backward fail with the version error", () => {
  const x = f64([1, 2], [2]);
  const a = x.mul(1);
  const b = a.mul(a); // saves a at version 0
  a.add_(1);
  assertThrowsWith(
    () => b.sum().backward(),
    "MulBackward",
    "modified by an in-place operation",
    "[2]",
  );
  const e = x.exp(); // saves its output
  const s = e.sum();
  e.mul_(2);
  assertThrowsWith(() => s.backward(), "ExpBackward", "version 1", "expected version 0");
});

Deno.test("in-place on a leaf that requires grad fails, but is allowed under noGrad", () => {
  const w = f64([1, 2], [2]);
  assertThrowsWith(() => w.add_(1), "add_", "leaf", "[2]");
  assertThrowsWith(() => w.zero_(), "fill_", "leaf");
  assertThrowsWith(() => w.copy_(dt.zeros([2])), "copy_", "leaf");
  w.mul(w).sum().backward();
  const version = w.storage.version;
  dt.noGrad(() => w.sub_(w.grad!, 0.5));
  assertClose(w, [0, 0]);
  assert.equal(w.storage.version, version + 1, "version counter bumped");
  assert.equal(w.isLeaf, true);
  assert.equal(w.requiresGrad, true);
});

Deno.test("gradcheck in-place ops inside graphs (add_/sub_/mul_/div_/copy_/zero_/fill_)", () => {
  const cases: [string, (a: dt.Tensor, b: dt.Tensor) => dt.Tensor][] = [
    ["add_", (a, b) => a.mul(2).add_(b)],
    ["add_ alpha", (a, b) => a.mul(2).add_(b, -3)],
    ["sub_ (sin saves its input, not its output)", (a, b) => a.sin().sub_(b.sum(0))],
    ["mul_", (a, b) => a.mul(1).mul_(b)],
    ["mul_ scalar", (a) => a.sin().mul_(3)],
    ["div_", (a, b) => a.mul(1).div_(b.exp())],
    ["copy_", (a, b) => a.mul(1).copy_(b.sum(0, true)).mul(a)],
    ["zero_", (a, b) => a.mul(1).zero_().add_(b)],
    ["fill_", (a, b) => a.mul(1).fill_(2).mul(b)],
    ["into a buffer", (a, b) => dt.zeros([2, 3], { dtype: "float64" }).add_(a).mul_(b)],
    ["chained", (a, b) => a.mul(1).add_(b).mul_(b).sub_(a).div_(2)],
  ];
  for (const [name, f] of cases) checkOp(name, { inputs: [[2, 3], [2, 3]], fn: f });
  const a = f64([1, 2], [2]);
  const z = a.mul(3).zero_();
  z.add(1).sum().backward();
  assertClose(a.grad!, [0, 0], { msg: "zero_ sends a zero gradient to the old value" });
});

Deno.test("scope disposes temporaries; backward works after the scope closed", () => {
  const x = f64([1, 2, 3], [3]);
  const before = dt.memoryAllocated("cpu");
  const loss = dt.scope(() => x.exp().mul(x).sum());
  loss.backward();
  assertClose(x.grad!, [1, 2, 3].map((v) => Math.exp(v) * (1 + v)));
  loss.dispose();
  x.grad!.dispose();
  x.grad = null;
  assert.equal(dt.memoryAllocated("cpu"), before);
});

Deno.test("memoryAllocated returns to baseline after training-like steps in a scope", () => {
  const w = dt.randn([8, 4], { dtype: "float64", requiresGrad: true });
  const b = dt.zeros([4], { dtype: "float64", requiresGrad: true });
  const data = dt.randn([16, 8], { dtype: "float64" });
  const target = dt.randn([16, 4], { dtype: "float64" });
  const baseline = dt.memoryAllocated("cpu");
  const losses: number[] = [];
  for (let step = 0; step < 3; step++) {
    const l = dt.scope(() => {
      const h = data.matmul(w).add(b).relu().softmax(1).logSoftmax(-1);
      const loss = h.sub(target).pow(2).mean().add(w.norm());
      loss.backward();
      dt.noGrad(() => {
        w.sub_(w.grad!, 0.1);
        b.sub_(b.grad!, 0.1);
      });
      return Number(loss.dataSync()[0]);
    });
    losses.push(l);
    for (const p of [w, b]) {
      p.grad!.dispose();
      p.grad = null;
    }
    assert.equal(dt.memoryAllocated("cpu"), baseline, `step ${step}`);
  }
  assert.ok(losses[2] < losses[0], `loss decreases: ${losses}`);
});

Deno.test("scope keeps returned tensors and keep()-ed ones; nested and async scopes", async () => {
  const base = dt.memoryAllocated("cpu");
  let kept!: dt.Tensor;
  const { out, list } = dt.scope(() => {
    const t = dt.ones([10]);
    kept = dt.keep(t.mul(2));
    const inner = dt.scope(() => [t.add(1), dt.zeros([5])]);
    return { out: t.add(3), list: inner };
  });
  assert.equal(out.isDisposed, false);
  assert.equal(kept.isDisposed, false);
  assert.equal(list.every((t) => !t.isDisposed), true);
  assertClose(out, new Array(10).fill(4));
  for (const t of [out, kept, ...list]) t.dispose();
  assert.equal(dt.memoryAllocated("cpu"), base);
  let tmp!: dt.Tensor;
  const r = await dt.scope(async () => {
    tmp = dt.ones([4]);
    await Promise.resolve();
    return tmp.mul(5);
  });
  assert.equal(tmp.isDisposed, true);
  assertClose(r, [5, 5, 5, 5]);
  r.dispose();
  assert.throws(() =>
    dt.scope(() => {
      dt.ones([3]);
      throw new Error("inner");
    }), /inner/);
  assert.equal(dt.memoryAllocated("cpu"), base, "a throwing scope still disposes");
});

Deno.test("dispose and `using` release memory; views keep the storage alive", () => {
  const base = dt.memoryAllocated("cpu");
  {
    using t = dt.zeros([256]);
    assert.equal(dt.memoryAllocated("cpu"), base + 1024);
    assert.equal(t.isDisposed, false);
  }
  assert.equal(dt.memoryAllocated("cpu"), base);
  const t = dt.arange(6, undefined, 1, { dtype: "float32" });
  const v = t.view(2, 3);
  t.dispose();
  t.dispose(); // idempotent
  assert.equal(dt.memoryAllocated("cpu"), base + 24, "the view holds the storage");
  assertClose(v, [0, 1, 2, 3, 4, 5]);
  v.dispose();
  assert.equal(dt.memoryAllocated("cpu"), base);
  assertThrowsWith(() => t.add(1), "already disposed", "[6]");
  assert.ok(dt.maxMemoryAllocated("cpu") >= base + 1024);
  dt.resetPeakMemoryStats("cpu");
  assert.equal(dt.maxMemoryAllocated("cpu"), dt.memoryAllocated("cpu"));
});

Deno.test("gradcheck reports a wrong gradient (the checker can fail)", () => {
  const x = f64([0.5, 1.5], [2]);
  // A deliberately wrong backward: a leaf alias fed through detach loses the x dependence.
  const wrong = (t: dt.Tensor) => t.mul(t.detach());
  assert.equal(dt.gradcheck(wrong, [x], { raiseException: false }), false);
  assertThrowsWith(() => dt.gradcheck(wrong, [x]), "gradcheck", "Jacobian mismatch");
  assertThrowsWith(
    () => dt.gradcheck((t) => t.mul(2), [dt.tensor([1], { requiresGrad: true })]),
    "float64",
  );
});

Deno.test("a graph whose outputs are all disposed frees its saved tensors at once", () => {
  const w = dt.randn([64, 64], { requiresGrad: true });
  const x = dt.randn([32, 64]);
  const base = dt.memoryAllocated("cpu");
  for (let i = 0; i < 3; i++) {
    dt.scope(() => {
      x.matmul(w).relu().sigmoid().mul(2).sum(); // built with grad on, never backpropagated
    });
    assert.equal(dt.memoryAllocated("cpu"), base, `step ${i}`);
  }
  // Disposing intermediates (explicitly or by the scope) keeps the graph the output needs.
  const loss = dt.scope(() => {
    const h = x.matmul(w);
    const l = h.relu().sum();
    h.dispose();
    return l;
  });
  loss.backward();
  assert.deepEqual(w.grad!.shape, [64, 64]);
  loss.dispose();
  w.grad!.dispose();
  w.grad = null;
  assert.equal(dt.memoryAllocated("cpu"), base);
});

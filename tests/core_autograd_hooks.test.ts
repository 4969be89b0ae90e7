/**
 * Tensor hooks, retainGrad and the functional autograd.grad / autograd.backward: the scenarios
 * of tools/gen_autograd_fixtures.py against PyTorch 1.13's answers (tests/fixtures/core/
 * autograd.json), error messages, memory, and webgpu-vs-cpu parity.
 */
import assert from "node:assert/strict";
import * as dt from "../mod.ts";
import fixture from "./fixtures/core/autograd.json" with { type: "json" };
import { assertClose, assertThrowsWith, f64 } from "./helpers.ts";
import { f, hasGpu, parity } from "./webgpu_helpers.ts";

const H = fixture.hooks;
const { grad } = dt.autograd;

/** A float32 cpu leaf that requires grad, as the generator's `t()`. */
function t(data: number[]): dt.Tensor {
  return dt.tensor(data, { requiresGrad: true });
}

Deno.test("fixture order_retain: hooks run in order; the retained grad is the hooks' result", () => {
  const x = t([1, 2]);
  const y = x.mul(2);
  const order: string[] = [];
  y.registerHook((g) => {
    order.push("h1");
    return g.mul(10);
  });
  y.retainGrad();
  y.registerHook((g) => {
    order.push("h2");
    return g.add(1);
  });
  y.sum().backward();
  assert.deepEqual(order, H.order_retain.order);
  assertClose(y.grad!, H.order_retain.y_grad);
  assertClose(x.grad!, H.order_retain.x_grad);
  assert.equal(y.retainsGrad, true);
  assert.equal(x.retainsGrad, false, "leaves do not report retainsGrad");
});

Deno.test("fixture retain_first: retainGrad before the first hook keeps the unchanged grad", () => {
  const x = t([1, 2]);
  const y = x.mul(2);
  y.retainGrad();
  y.registerHook((g) => g.mul(5));
  y.mul(y).sum().backward();
  assertClose(y.grad!, H.retain_first.y_grad);
  assertClose(x.grad!, H.retain_first.x_grad);
});

Deno.test("fixture leaf_hook: a leaf's hook runs before accumulation, on every backward", () => {
  const x = t([1, 2]);
  x.registerHook((g) => g.mul(3));
  x.mul(2).sum().backward();
  assertClose(x.grad!, H.leaf_hook.first);
  x.mul(x).sum().backward();
  assertClose(x.grad!, H.leaf_hook.second);
});

Deno.test("fixture grad_capture: grad() takes inputs' grads before their hooks, runs the others", () => {
  const x = t([1, 2]);
  x.registerHook((g) => g.mul(3));
  const y = x.mul(2);
  y.retainGrad();
  y.registerHook((g) => g.mul(5));
  const z = y.mul(y).sum();
  const [gy, gx] = grad(z, [y, x]);
  assertClose(gy, H.grad_capture.gy);
  assertClose(gx, H.grad_capture.gx);
  assertClose(y.grad!, H.grad_capture.y_grad!);
  assert.equal(x.grad, H.grad_capture.x_grad, "grad() leaves the leaf's .grad alone");
});

Deno.test("fixture root_hook: a hook on the root sees the seed gradient", () => {
  const x = t([1, 2]);
  const y = x.mul(2).sum();
  y.registerHook((g) => g.mul(7));
  y.backward();
  assertClose(x.grad!, H.root_hook.x_grad);
});

Deno.test("fixture retain_accumulate: retained grads accumulate; hooks run on each backward", () => {
  const x = t([1, 2]);
  const y = x.mul(2);
  y.retainGrad();
  y.retainGrad(); // twice is once
  let calls = 0;
  y.registerHook(() => void calls++);
  const z = y.mul(y).sum();
  z.backward(undefined, { retainGraph: true });
  assertClose(y.grad!, H.retain_accumulate.once);
  z.backward();
  assertClose(y.grad!, H.retain_accumulate.twice);
  assertClose(x.grad!, H.retain_accumulate.x_grad);
  assert.equal(calls, H.retain_accumulate.calls);
});

Deno.test("fixture summed_before_hook: a tensor used twice reaches its hook once, summed", () => {
  const x = t([1, 2]);
  const y = x.mul(3);
  const seen: number[][] = [];
  y.registerHook((g) => void seen.push(Array.from(g.dataSync())));
  y.mul(y).add(y).sum().backward();
  assert.deepEqual(seen, H.summed_before_hook.seen);
  assertClose(x.grad!, H.summed_before_hook.x_grad);
});

Deno.test("fixture remove_during_backward: a hook removed while hooks run still runs once", () => {
  const x = t([1, 2]);
  const y = x.mul(1);
  let b: dt.RemovableHandle | null = null;
  y.registerHook(() => b!.remove());
  b = y.registerHook((g) => g.mul(2));
  y.sum().backward(undefined, { retainGraph: true });
  assertClose(x.grad!, H.remove_during_backward.first);
  y.sum().backward();
  assertClose(x.grad!, H.remove_during_backward.second);
});

Deno.test("remove() unregisters only its hook and is idempotent; hooks may return nothing", () => {
  const x = t([1, 2]);
  const seen: number[][] = [];
  const h1 = x.registerHook((g) => g.mul(100));
  x.registerHook((g) => void seen.push(Array.from(g.dataSync())));
  h1.remove();
  h1.remove();
  x.mul(3).sum().backward();
  assertClose(x.grad!, [3, 3]);
  assert.deepEqual(seen, [[3, 3]], "the remaining hook saw the unchanged gradient");
});

Deno.test("hooks on a tensor that does not require grad, and retainGrad on one, throw", () => {
  assertThrowsWith(
    () => dt.tensor([1, 2]).registerHook((g) => g),
    "registerHook",
    "cannot register a hook on a tensor that doesn't require gradient",
    "[2]",
  );
  assertThrowsWith(() => dt.tensor([1]).retainGrad(), "retainGrad", "does not require grad");
  const x = t([1]);
  x.retainGrad(); // a leaf: nothing to do
  assert.equal(x.retainsGrad, false);
  x.mul(2).sum().backward();
  assertClose(x.grad!, [2]);
});

Deno.test("a hook's error propagates unchanged; nothing leaks and grad mode is restored", () => {
  const w = dt.randn([8, 4], { dtype: "float64", requiresGrad: true });
  const data = dt.randn([16, 8], { dtype: "float64" });
  const base = dt.memoryAllocated("cpu");
  class HookError extends Error {}
  const err = new HookError("boom in hook");
  assert.throws(
    () =>
      dt.scope(() => {
        const h = data.matmul(w);
        h.registerHook(() => {
          throw err;
        });
        h.tanh().sum().backward();
      }),
    (e) => e === err,
  );
  assert.equal(dt.isGradEnabled(), true);
  assert.equal(w.grad, null, "the leaf was not reached");
  assert.equal(dt.memoryAllocated("cpu"), base);
});

Deno.test("a hook must return a tensor of the gradient's shape, dtype and device, or nothing", () => {
  const x = t([1, 2]);
  const named = (g: dt.Tensor) => g.sum();
  const y1 = x.mul(2);
  y1.registerHook(named);
  assertThrowsWith(
    () => y1.sum().backward(),
    "hook 'named' has changed the size of value",
    "[2]",
    "[]",
  );
  const y2 = x.mul(2);
  y2.registerHook((g) => g.double());
  assertThrowsWith(() => y2.sum().backward(), "changed the type of value", "float32", "float64");
  const y3 = x.mul(2);
  y3.registerHook((() => 5) as unknown as dt.GradHook);
  const e = assertThrowsWith(() => y3.sum().backward(), "returned number", "Tensor or nothing");
  assert.ok(e instanceof TypeError);
  assert.equal(x.grad, null);
});

Deno.test("a hook's replacement flows on: later hooks and the inputs see it", () => {
  const x = f64([1, 2, 3], [3]);
  const y = x.exp();
  y.registerHook((g) => g.mul(y.detach()));
  y.sum().backward();
  assertClose(x.grad!, [1, 2, 3].map((v) => Math.exp(2 * v)), { rtol: 1e-12 });
});

Deno.test("hooks and retained grads with createGraph are recorded (second derivative)", () => {
  const x = f64([1, 2], [2]);
  const y = x.pow(3);
  y.registerHook((g) => g.mul(2));
  y.retainGrad();
  const [g] = grad(y.sum(), x, { createGraph: true });
  assertClose(g, [6, 24], { msg: "2 · 3x²" });
  assertClose(y.grad!, [2, 2], {
    msg: "y's node ran, so its retained grad is set (after the hook)",
  });
  const [h] = grad(g.sum(), x);
  assertClose(h, [12, 24], { msg: "d/dx of 6x²" });
});

Deno.test("a hook's gradient handle is freed after it returns unless kept", () => {
  const x = dt.randn([64], { requiresGrad: true });
  const base = dt.memoryAllocated("cpu");
  let kept: dt.Tensor | null = null;
  let passed: dt.Tensor | null = null;
  dt.scope(() => {
    const y = x.mul(2);
    y.registerHook((g) => {
      passed = g;
    });
    y.registerHook((g) => {
      kept = dt.keep(g);
    });
    y.registerHook((g) => g.mul(3)); // a replacement made inside the hook
    y.sum().backward();
  });
  assert.equal(passed!.isDisposed, true, "the handle passed to a hook is released");
  assert.equal(kept!.isDisposed, false, "keep() holds on to it");
  assertClose(kept!, new Array(64).fill(1), { msg: "the gradient before the replacement" });
  assertClose(x.grad!, new Array(64).fill(6));
  kept!.dispose();
  x.grad!.dispose();
  x.grad = null;
  assert.equal(dt.memoryAllocated("cpu"), base);
});

Deno.test("grad(): gradients without touching .grad; gradOutputs; several outputs add up", () => {
  const x = f64([1, 2], [2]);
  const y = f64([3, 4], [2]);
  const out = x.mul(y);
  const [gx, gy] = grad(out, [x, y], { gradOutputs: dt.tensor([1, 10], { dtype: "float64" }) });
  assertClose(gx, [3, 40]);
  assertClose(gy, [1, 20]);
  assert.equal(x.grad, null);
  assert.equal(y.grad, null);
  const [g2] = grad([x.mul(x), x.sum()], x, {
    gradOutputs: [dt.ones([2], { dtype: "float64" }), null],
  });
  assertClose(g2, [3, 5]);
  // An intermediate as input: the gradient reaching it, and the leaf beyond is not touched.
  const h = x.mul(3);
  const [gh] = grad(h.pow(2).sum(), h);
  assertClose(gh, [6, 12]);
  assert.equal(x.grad, null);
  // The same input twice gets two handles.
  const [a, b] = grad(x.mul(x).sum(), [x, x]);
  assert.notEqual(a, b);
  a.dispose();
  assertClose(b, [2, 4]);
});

Deno.test("grad(): allowUnused, and PyTorch's errors", () => {
  const x = f64([1, 2], [2]);
  const u = f64([1], [1]);
  assertThrowsWith(
    () => grad(x.mul(2).sum(), [x, u]),
    "grad",
    "input 1",
    "appears to not have been used in the graph",
    "allowUnused",
  );
  const [gx, gu] = grad(x.mul(2).sum(), [x, u], { allowUnused: true });
  assertClose(gx!, [2, 2]);
  assert.equal(gu, null);
  assertThrowsWith(
    () => grad(x.mul(2).sum(), [dt.tensor([1])]),
    "one of the differentiated Tensors",
    "does not require grad",
  );
  assertThrowsWith(() => grad(x.mul(2), x), "implicitly created only for scalar outputs", "[2]");
  assertThrowsWith(
    () => grad(x.detach().mul(2).sum(), x),
    "element 0 of tensors",
    "does not require grad and does not have a grad_fn",
  );
  assertThrowsWith(
    () => grad(x.mul(x), x, { gradOutputs: dt.ones([3], { dtype: "float64" }) }),
    "mismatch in shape",
    "[3]",
    "[2]",
  );
  assertThrowsWith(
    () => grad([x.mul(x), x.sum()], x, { gradOutputs: [dt.ones([2], { dtype: "float64" })] }),
    "got 2 tensors and 1 gradOutputs",
  );
});

Deno.test("grad(): the graph is freed unless retainGraph; saved tensors go at once", () => {
  const x = f64(Array.from({ length: 1000 }, (_, i) => i / 1000), [1000]);
  const base = dt.memoryAllocated("cpu");
  const e = x.exp(); // saves its output (8000 bytes)
  const s = e.sum();
  e.dispose();
  const [g1] = grad(s, x, { retainGraph: true });
  assertClose(g1.dataSync().slice(0, 2), [1, Math.exp(0.001)]);
  const [g2] = grad(s, x);
  assertThrowsWith(() => grad(s, x), "backward through the graph a second time");
  for (const t of [g1, g2]) t.dispose();
  assert.equal(dt.memoryAllocated("cpu"), base + 8, "only the scalar output is left");
  s.dispose();
  assert.equal(dt.memoryAllocated("cpu"), base);
});

Deno.test("grad() runs only the nodes between outputs and inputs", () => {
  const x = f64([1, 2], [2]);
  const other = f64([5], [1]);
  let otherHook = 0;
  other.registerHook(() => void otherHook++);
  const loss = x.mul(x).sum().add(other.mul(3).sum());
  const [gx] = grad(loss, x);
  assertClose(gx, [2, 4]);
  assert.equal(otherHook, 0, "the branch to `other` did not run");
  assert.equal(other.grad, null);
});

Deno.test("autograd.backward: several roots in one pass, with gradTensors", () => {
  const x = f64([1, 2], [2]);
  const a = x.mul(x), b = x.sum();
  dt.autograd.backward([a, b], { gradTensors: [dt.tensor([1, 10], { dtype: "float64" }), null] });
  assertClose(x.grad!, [2 + 1, 40 + 1]);
  assertThrowsWith(() => dt.autograd.backward(x.mul(2)), "implicitly created only for scalar");
});

Deno.test({
  name: "webgpu parity: hooks, retainGrad and grad() give the cpu numbers",
  ignore: !hasGpu,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await parity("hooks + retainGrad", [f([4, 3], 1), f([3, 5], 2)], (a, b) => {
      const h = a.matmul(b);
      h.registerHook((g) => g.mul(h.detach().tanh()));
      h.retainGrad();
      h.sigmoid().sum().backward();
      return h.grad!;
    });
    await parity("grad()", [f([4, 3], 3), f([3, 5], 4)], (a, b) => {
      const [ga, gb] = grad(a.matmul(b).softmax(1).log().sum(), [a, b]);
      return [ga, gb];
    });
    const base = dt.memoryAllocated("webgpu");
    const x = dt.randn([32, 16], { device: "webgpu", requiresGrad: true });
    await dt.scope(async () => {
      const y = x.tanh();
      y.registerHook((g) => g.mul(2));
      y.retainGrad();
      y.sum().backward();
      await y.grad!.toArray();
      y.grad!.dispose();
    });
    x.grad!.dispose();
    x.grad = null;
    x.dispose();
    // At most the baseline: the garbage collector may free the parity checks' leftovers meanwhile.
    const after = dt.memoryAllocated("webgpu");
    assert.ok(after <= base, `webgpu memory grew from ${base} to ${after} bytes`);
  },
});

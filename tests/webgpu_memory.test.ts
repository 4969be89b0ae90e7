/** webgpu memory: a training loop returns memoryAllocated to the same level after every step. */
import { hasGpu } from "./webgpu_helpers.ts";
import { webgpu } from "../src/backend/webgpu/mod.ts";
import { memoryAllocated, noGrad, randn, scope, tensor } from "../mod.ts";
import type { Tensor } from "../src/tensor/tensor.ts";

Deno.test({
  name: "webgpu: 2-layer MLP trains with manual SGD; memory returns to baseline every step",
  ignore: !hasGpu,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dev = { device: "webgpu" as const };
    const x = randn([64, 8], dev);
    const yTrue = noGrad(() => scope(() => x.sum(1, true).sin()));
    // Parameters are built inside a scope so their temporaries are freed now, not by the GC.
    const [w1, w2] = scope(() => [randn([8, 32], dev).mul(0.3), randn([32, 1], dev).mul(0.3)]);
    w1.requiresGrad_();
    w2.requiresGrad_();
    const b1 = tensor(new Float32Array(32), { ...dev, shape: [32] }).requiresGrad_();
    const params: Tensor[] = [w1, b1, w2];
    const base = memoryAllocated("webgpu");
    let first = Infinity, last = 0;
    for (let step = 0; step < 300; step++) {
      const loss = await scope(async () => {
        const h = x.matmul(w1).add(b1).relu();
        const err = h.matmul(w2).sub(yTrue);
        const l = err.mul(err).mean();
        l.backward();
        noGrad(() => {
          for (const p of params) {
            p.sub_(p.grad!.mul(0.05));
            p.grad!.dispose();
            p.grad = null;
          }
        });
        return step % 50 === 0 || step === 299 ? await l.item() : NaN;
      });
      if (step === 0) first = loss;
      if (step === 299) last = loss;
      const now = memoryAllocated("webgpu");
      if (now !== base) throw new Error(`step ${step}: memoryAllocated ${now} != ${base}`);
    }
    if (!(last < first * 0.5)) throw new Error(`loss did not fall: ${first} -> ${last}`);
    const reserved = webgpu.memoryReserved();
    webgpu.emptyCache();
    if (webgpu.memoryReserved() > reserved) throw new Error("emptyCache grew the pool");
    for (const t of [x, yTrue, ...params]) t.dispose();
    await webgpu.synchronize();
  },
});

Deno.test({
  name: "webgpu: disposing returns memoryAllocated exactly; using works",
  ignore: !hasGpu,
  sanitizeResources: false,
  sanitizeOps: false,
  fn() {
    const before = memoryAllocated("webgpu");
    {
      using a = randn([100, 3], { device: "webgpu" });
      using b = scope(() => a.mul(2).int());
      if (memoryAllocated("webgpu") !== before + 100 * 3 * 4 * 2) {
        throw new Error(`allocated ${memoryAllocated("webgpu") - before}`);
      }
      void b;
    }
    if (memoryAllocated("webgpu") !== before) throw new Error("leak after using");
  },
});

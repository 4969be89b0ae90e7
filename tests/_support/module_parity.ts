/**
 * webgpu-vs-cpu parity of stateful modules (the recurrent layers and cells): the same weights on
 * both devices, outputs and the gradients of a fixed weighted sum with respect to the inputs and
 * every parameter.
 */
import { tensor } from "../../src/tensor/creation.ts";
import type { Device } from "../../src/tensor/dtype.ts";
import type { Tensor } from "../../src/tensor/tensor.ts";
import type { StateDict } from "../../src/nn/module.ts";
import { assertClose, hasGpu, randData } from "../webgpu_helpers.ts";

/** What a parity run needs of a module (the Module methods, whatever its call signature). */
interface Portable {
  stateDict(): StateDict;
  loadStateDict(sd: StateDict): unknown;
  to(device: Device): unknown;
  parameters(): Tensor[];
}

/** A case: its name, a module factory, the input shape and the initial-state shapes. */
export type ParityCase<M> = [string, () => M, number[], number[][]];

/** Registers one test with a step per case; `run` maps a module and its inputs to outputs. */
export function moduleParityTest<M extends Portable>(
  name: string,
  cases: ParityCase<M>[],
  run: (m: M, ins: Tensor[]) => Tensor[],
): void {
  Deno.test({
    name,
    ignore: !hasGpu,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn(t) {
      for (const [caseName, make, xShape, stShapes] of cases) {
        await t.step(caseName, async () => {
          const ref = make();
          const res: { outs: Float32Array[]; grads: Float32Array[] }[] = [];
          for (const device of ["cpu", "webgpu"] as Device[]) {
            const m = make();
            m.loadStateDict(ref.stateDict());
            m.to(device);
            const ins = [xShape, ...stShapes].map((s, i) =>
              tensor(randData(s.reduce((a, b) => a * b, 1), 3 + i, -1, 1), { shape: s, device })
                .requiresGrad_(true)
            );
            const outs = run(m, ins);
            outs.map((o, k) =>
              o.mul(tensor(randData(o.numel, 50 + k), { shape: o.shape, device })).sum()
            ).reduce((a, b) => a.add(b)).backward();
            const grads = [...ins, ...m.parameters()].map((p) => p.grad!);
            res.push({
              outs: (await Promise.all(outs.map((o) => o.toArray()))) as Float32Array[],
              grads: (await Promise.all(grads.map((g) => g.toArray()))) as Float32Array[],
            });
          }
          const [cpu, gpu] = res;
          cpu.outs.forEach((w, i) =>
            assertClose(`${caseName} out ${i}`, gpu.outs[i], w, 1e-4, 1e-5)
          );
          cpu.grads.forEach((w, i) =>
            assertClose(`${caseName} grad ${i}`, gpu.grads[i], w, 1e-3, 1e-4)
          );
        });
      }
    },
  });
}

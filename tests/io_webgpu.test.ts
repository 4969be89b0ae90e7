// Checkpoints of WebGPU tensors (skipped where no WebGPU adapter exists).
import assert from "node:assert/strict";
import { join } from "node:path";
import { webgpu } from "../src/backend/webgpu/mod.ts";
import { tensor } from "../src/tensor/creation.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import { load, save } from "../src/io/mod.ts";

const ignore = !(await webgpu.isAvailable());

Deno.test({
  name: "save/load: webgpu tensors keep their device; mapLocation moves them",
  ignore,
  async fn() {
    const dir = Deno.makeTempDirSync({ prefix: "io_webgpu_test_" });
    try {
      const path = join(dir, "gpu.safetensors");
      const w = tensor([[1, 2], [3, 4]], { device: "webgpu" });
      const n = tensor(new Int32Array([5]), { shape: [], device: "webgpu" });
      await save({ step: 9, sd: { w, "w.t": w.t(), n } }, path);
      const structure = new TextDecoder().decode(await Deno.readFile(path));
      assert.match(structure, /\\"device\\":\\"webgpu\\"/);
      const back = await load(path);
      const sd = back.sd as Record<string, Tensor>;
      assert.equal(sd.w.device, "webgpu");
      assert.deepEqual(await sd.w.toArray(), new Float32Array([1, 2, 3, 4]));
      assert.deepEqual(await sd["w.t"].toArray(), new Float32Array([1, 3, 2, 4]));
      assert.equal(await sd.n.item(), 5);
      const cpu = (await load(path, { mapLocation: "cpu" })).sd as Record<string, Tensor>;
      assert.equal(cpu.w.device, "cpu");
      assert.deepEqual(await cpu.w.toArray(), new Float32Array([1, 2, 3, 4]));
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

// SummaryWriter with WebGPU tensors (skipped where no WebGPU adapter exists).
import assert from "node:assert/strict";
import { webgpu } from "../src/backend/webgpu/mod.ts";
import { backendFor } from "../src/backend/registry.ts";
import { tensor } from "../src/tensor/creation.ts";
import { SummaryWriter } from "../src/tensorboard/mod.ts";
import { makeHistogram } from "../src/tensorboard/histogram.ts";
import { eventFiles, readEvents } from "./tensorboard_reader.ts";

const ignore = !(await webgpu.isAvailable());

Deno.test({
  name: "SummaryWriter: GPU scalars and histograms are read back in one batch at flush",
  ignore,
  async fn() {
    const dir = Deno.makeTempDirSync({ prefix: "tb_webgpu_test_" });
    try {
      const w = new SummaryWriter({ logDir: dir, maxQueue: 1000 });
      const x = tensor([0.5, 1, 1, 2, -3], { device: "webgpu" });
      for (let step = 0; step < 20; step++) {
        using loss = x.mul(step).sum(); // disposed right away: the writer holds its own handle
        w.addScalar("loss", loss, step);
      }
      w.addHistogram("x", x, 0);
      w.addScalars("cmp", { a: x.sum(), b: 2 }, 1);
      // Count device readbacks during the flush: all 22 tensors share one.
      const backend = backendFor("webgpu");
      const read = backend.read;
      let reads = 0;
      backend.read = (s) => (reads++, read.call(backend, s));
      try {
        await w.close();
      } finally {
        backend.read = read;
      }
      assert.equal(reads, 1);
      const ev = readEvents(eventFiles(dir)[0]);
      assert.equal(ev.length, 22);
      for (let step = 0; step < 20; step++) {
        assert.equal(ev[1 + step].step, step);
        assert.equal(ev[1 + step].values[0].float(2), 1.5 * step);
      }
      assert.deepEqual(
        ev[21].values[0].msg(5)!.doubles(7),
        makeHistogram([0.5, 1, 1, 2, -3]).bucket,
      );
      const a = readEvents(eventFiles(`${dir}/cmp_a`)[0]);
      assert.equal(a[1].values[0].float(2), 1.5);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

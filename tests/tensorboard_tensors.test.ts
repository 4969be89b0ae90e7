// SummaryWriter with Tensor values: queued without readback, read back together at flush,
// safe against the caller disposing its tensors; addGraph via the module-level tracer.
import assert from "node:assert/strict";
import sharp from "sharp";
import { tensor } from "../src/tensor/creation.ts";
import { scope } from "../src/tensor/memory.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import { SummaryWriter, traceModules } from "../src/tensorboard/mod.ts";
import { Module } from "../src/nn/module.ts";
import { Linear } from "../src/nn/linear.ts";
import { makeHistogram } from "../src/tensorboard/histogram.ts";
import { eventFiles, Msg, readEvents } from "./tensorboard_reader.ts";

// Every temp dir lives under one root that is removed when the test module ends.
const tmpRoot = Deno.makeTempDirSync({ prefix: "tb_tensor_test_" });
globalThis.addEventListener("unload", () => Deno.removeSync(tmpRoot, { recursive: true }));
const tmp = (): string => Deno.makeTempDirSync({ dir: tmpRoot });

Deno.test("SummaryWriter: tensor scalars/histograms/images are read back at flush", async () => {
  const dir = tmp();
  const w = new SummaryWriter({ logDir: dir });
  let reads = 0;
  const watch = (t: Tensor): Tensor => {
    const orig = t.toArray.bind(t);
    // Count readbacks of the caller's tensor itself: there must be none.
    t.toArray = () => (reads++, orig());
    return t;
  };
  const loss = watch(tensor([0.75]));
  w.addScalar("loss", loss, 1);
  scope(() => w.addScalar("scoped", tensor(new Float32Array([NaN]), { shape: [] }), 2));
  loss.dispose(); // the writer holds its own handle
  const weights = tensor([0.5, 1, 1, 2, -3]);
  w.addHistogram("w", weights, 3);
  weights.dispose();
  w.addImage("img", tensor(new Float32Array(2 * 3 * 1).fill(1), { shape: [2, 3, 1] }), 4, {
    dataformats: "HWC",
  });
  assert.equal(reads, 0);
  assert.equal(readEvents(eventFiles(dir)[0]).length, 1, "nothing written before flush");
  assert.throws(() => w.addScalar("bad", tensor([1, 2])), /one-element tensor/);
  await w.flush();
  const ev = readEvents(eventFiles(dir)[0]);
  assert.equal(ev.length, 5);
  assert.equal(ev[1].values[0].float(2), 0.75);
  assert.ok(Number.isNaN(ev[2].values[0].float(2)));
  const h = ev[3].values[0].msg(5)!;
  assert.deepEqual(h.doubles(7), makeHistogram([0.5, 1, 1, 2, -3]).bucket);
  const im = ev[4].values[0].msg(4)!;
  const meta = await sharp(im.bytes(4)!).metadata();
  assert.deepEqual([meta.width, meta.height, meta.format], [3, 2, "png"]);
  await w.close();
});

Deno.test("addGraph: module-level tracer over a duck-typed nn-style model", async () => {
  class Linear {
    constructor(readonly w: Tensor) {}
    namedModules(): Iterable<[string, Linear]> {
      return [["", this]];
    }
    forward(x: Tensor): Tensor {
      return x.matmul(this.w);
    }
  }
  class ReLU {
    namedModules(): Iterable<[string, ReLU]> {
      return [["", this]];
    }
    forward(x: Tensor): Tensor {
      return x.relu();
    }
  }
  class Net {
    fc1 = new Linear(tensor([[1, 2, 3], [4, 5, 6]]));
    act = new ReLU();
    fc2 = new Linear(tensor([[1], [2], [3]]));
    namedModules(): Iterable<[string, Linear | ReLU | Net]> {
      return [["", this], ["fc1", this.fc1], ["act", this.act], ["fc2", this.fc2]];
    }
    forward(x: Tensor): Tensor {
      // A functional op between modules: the tracer links fc2 to the previous node.
      return this.fc2.forward(this.act.forward(this.fc1.forward(x)).mul(2));
    }
  }
  const net = new Net();
  const nodes = await traceModules(net, [tensor([[1, 1]])]);
  assert.deepEqual(nodes.map((n) => [n.name, n.op, n.inputs, n.outputShape]), [
    ["input/input.0", "IO Node", [], [1, 2]],
    ["Net/Linear[fc1]", "Linear", ["input/input.0"], [1, 3]],
    ["Net/ReLU[act]", "ReLU", ["Net/Linear[fc1]"], [1, 3]],
    ["Net/Linear[fc2]", "Linear", ["Net/ReLU[act]"], [1, 1]],
    ["output/output.0", "IO Node", ["Net/Linear[fc2]"], [1, 1]],
  ]);
  assert.ok(!Object.hasOwn(net.fc1, "forward"), "forward hooks are removed");
  const dir = tmp();
  const w = new SummaryWriter({ logDir: dir });
  await w.addGraph(net, tensor([[1, 1]]));
  await w.close();
  const ev = readEvents(eventFiles(dir)[0]);
  const g = new Msg(ev[1].graphDef!);
  assert.equal(g.msgs(1).length, 5);
});

Deno.test("addGraph: nn.Module models are traced through forward hooks", async () => {
  class Net extends Module {
    fc1 = new Linear(2, 3);
    fc2 = new Linear(3, 1);
    override forward(x: Tensor): Tensor {
      return this.fc2.call(this.fc1.call(x).relu());
    }
  }
  const net = new Net();
  const nodes = await traceModules(net, [tensor([[1, 2]])]);
  assert.deepEqual(nodes.map((n) => [n.name, n.op, n.inputs, n.outputShape]), [
    ["input/input.0", "IO Node", [], [1, 2]],
    ["Net/Linear[fc1]", "Linear", ["input/input.0"], [1, 3]],
    ["Net/Linear[fc2]", "Linear", ["Net/Linear[fc1]"], [1, 1]],
    ["output/output.0", "IO Node", ["Net/Linear[fc2]"], [1, 1]],
  ]);
  // Hooks are removed afterwards: a second trace gives the same nodes, not doubled ones.
  assert.equal((await traceModules(net, [tensor([[1, 2]])])).length, 4);
  const dir = tmp();
  const w = new SummaryWriter({ logDir: dir });
  await w.addGraph(net, tensor([[1, 2]]));
  await w.close();
  const g = new Msg(readEvents(eventFiles(dir)[0])[1].graphDef!);
  assert.deepEqual(g.msgs(1).map((n) => n.str(1)), nodes.map((n) => n.name));
});

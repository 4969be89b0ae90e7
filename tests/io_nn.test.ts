// Checkpoints with real nn modules: PyTorch weights into Linear, save/load round trips.
import assert from "node:assert/strict";
import { join } from "node:path";
import { BatchNorm2d, Conv2d, Flatten, Linear, ReLU, Sequential } from "../src/nn/mod.ts";
import { tensor } from "../src/tensor/creation.ts";
import type { Tensor } from "../src/tensor/tensor.ts";
import { load, save } from "../src/io/mod.ts";

const fixtures = new URL("./fixtures/io/", import.meta.url);

Deno.test("load: PyTorch Linear weights go straight into loadStateDict", async () => {
  const ckpt = await load(new URL("checkpoint.pt", fixtures));
  const expected = JSON.parse(await Deno.readTextFile(new URL("expected.json", fixtures)));
  const fc = new Linear(3, 2);
  fc.loadStateDict(ckpt.model as Record<string, Tensor>);
  assert.deepEqual(
    await fc.weight.toArray(),
    new Float32Array(expected.checkpoint.model.weight.values),
  );
  assert.deepEqual(
    await fc.bias!.toArray(),
    new Float32Array(expected.checkpoint.model.bias.values),
  );
});

Deno.test("save/load: a module's state dict round-trips and reproduces its outputs", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "io_nn_test_" });
  try {
    const a = new Linear(4, 3);
    const path = join(dir, "ckpt.safetensors");
    await save({ epoch: 2, modelStateDict: a.stateDict() }, path);
    const b = new Linear(4, 3);
    const ck = await load(path);
    b.loadStateDict(ck.modelStateDict as Record<string, Tensor>);
    const x = tensor([[1, 2, 3, 4], [-1, 0, 0.5, 2]]);
    assert.deepEqual(await b.call(x).toArray(), await a.call(x).toArray());
    assert.equal(ck.epoch, 2);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("load: a PyTorch Conv+BatchNorm+Linear state dict reproduces PyTorch's output", async () => {
  const expected = JSON.parse(await Deno.readTextFile(new URL("expected.json", fixtures)));
  const model = new Sequential(
    new Conv2d(2, 3, 3),
    new BatchNorm2d(3),
    new ReLU(),
    new Flatten(),
    new Linear(12, 4),
  );
  const sd = await load<Record<string, Tensor>>(new URL("conv_bn_linear.pt", fixtures));
  assert.equal(sd["1.num_batches_tracked"].dtype, "int32");
  const { missingKeys, unexpectedKeys } = model.loadStateDict(sd);
  assert.deepEqual([missingKeys, unexpectedKeys], [[], []]);
  model.eval();
  const f = expected.conv_bn_linear_forward;
  const x = tensor(new Float32Array(f.input.values), { shape: f.input.shape });
  const y = await model.call(x).toArray();
  f.output.values.forEach((v: number, i: number) => {
    assert.ok(Math.abs(y[i] - v) < 1e-5, `output[${i}] ${y[i]} vs ${v}`);
  });
});

// save/load of checkpoints; files are checked with an independent safetensors reader written
// here from the format spec (u64 LE header size, JSON header, raw little-endian data).
import assert from "node:assert/strict";
import { join } from "node:path";
import { tensor } from "../src/tensor/creation.ts";
import { Tensor } from "../src/tensor/tensor.ts";
import {
  deserialize,
  load,
  loadSafetensors,
  save,
  saveSafetensors,
  serialize,
} from "../src/io/mod.ts";
import { atomicHooks } from "../src/io/atomic.ts";
import { encodeSafetensors } from "../src/io/safetensors.ts";
import { RawTensor } from "../src/io/raw.ts";

type Header = Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;

/** Minimal spec reader: returns header, metadata and a typed view per tensor. */
function specRead(bytes: Uint8Array): {
  header: Header;
  meta: Record<string, string>;
  get(name: string): number[];
} {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const raw = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  const meta = raw.__metadata__ ?? {};
  delete raw.__metadata__;
  const data = bytes.slice(8 + n);
  return {
    header: raw,
    meta,
    get(name) {
      const { dtype, data_offsets: [a, b] } = raw[name];
      const buf = data.slice(a, b).buffer;
      const arr = dtype === "F32"
        ? new Float32Array(buf)
        : dtype === "F64"
        ? new Float64Array(buf)
        : dtype === "I32"
        ? new Int32Array(buf)
        : new Uint8Array(buf);
      return Array.from(arr);
    },
  };
}

// Every temp dir lives under one root that is removed when the test module ends.
const tmpRoot = Deno.makeTempDirSync({ prefix: "io_test_" });
globalThis.addEventListener("unload", () => Deno.removeSync(tmpRoot, { recursive: true }));
const tmp = (): string => Deno.makeTempDirSync({ dir: tmpRoot });

function sampleCheckpoint(): Record<string, unknown> {
  return {
    epoch: 4,
    loss: NaN,
    name: "run",
    done: false,
    none: null,
    modelStateDict: {
      "fc.weight": tensor([[1, 2], [3, 4]]),
      "fc.bias": tensor(new Float64Array([0.5, -1]), { shape: [2] }),
      "bn.num_batches_tracked": tensor(new Int32Array([7]), { shape: [] }),
      "mask": tensor([true, false, true], { dtype: "bool" }),
    },
    optimizerStateDict: {
      state: { 0: { momentum_buffer: tensor([0.25, 0.5]) } },
      param_groups: [{ lr: 0.1, momentum: 0.9, params: [0, 1], betas: [0.9, 0.999] }],
    },
    schedulerStateDict: { last_epoch: 4, $weird: "kept", inf: -Infinity },
  };
}

Deno.test("save: a safetensors file any spec reader can open", async () => {
  const path = join(tmp(), "ckpt.safetensors");
  await save(sampleCheckpoint(), path);
  const f = specRead(await Deno.readFile(path));
  assert.deepEqual(Object.keys(f.header).sort(), [
    "modelStateDict.bn.num_batches_tracked",
    "modelStateDict.fc.bias",
    "modelStateDict.fc.weight",
    "modelStateDict.mask",
    "optimizerStateDict.state.0.momentum_buffer",
  ]);
  assert.deepEqual(f.header["modelStateDict.fc.weight"].shape, [2, 2]);
  assert.equal(f.header["modelStateDict.fc.weight"].dtype, "F32");
  assert.equal(f.header["modelStateDict.fc.bias"].dtype, "F64");
  assert.equal(f.header["modelStateDict.bn.num_batches_tracked"].dtype, "I32");
  assert.deepEqual(f.header["modelStateDict.bn.num_batches_tracked"].shape, []);
  assert.equal(f.header["modelStateDict.mask"].dtype, "BOOL");
  assert.deepEqual(f.get("modelStateDict.fc.weight"), [1, 2, 3, 4]);
  assert.deepEqual(f.get("modelStateDict.fc.bias"), [0.5, -1]);
  assert.deepEqual(f.get("modelStateDict.bn.num_batches_tracked"), [7]);
  assert.deepEqual(f.get("modelStateDict.mask"), [1, 0, 1]);
  assert.deepEqual(f.get("optimizerStateDict.state.0.momentum_buffer"), [0.25, 0.5]);
  // Data offsets tile the data section exactly, and the data section is 8-byte aligned.
  const spans = Object.values(f.header).map((h) => h.data_offsets).sort((a, b) => a[0] - b[0]);
  spans.forEach((s, i) => assert.equal(s[0], i ? spans[i - 1][1] : 0));
  const n = Number(new DataView((await Deno.readFile(path)).buffer).getBigUint64(0, true));
  assert.equal((8 + n) % 8, 0);
  const size: Record<string, number> = { F64: 8, F32: 4, I32: 4, BOOL: 1 };
  for (const [k, h] of Object.entries(f.header)) {
    assert.equal(h.data_offsets[0] % size[h.dtype], 0, `${k} is aligned`);
  }
  const structure = JSON.parse(f.meta["denotorch.structure"]);
  assert.equal(structure.epoch, 4);
  assert.equal(f.meta.format, "pt");
});

Deno.test("save/load: round trip of a training checkpoint", async () => {
  const path = join(tmp(), "ckpt.safetensors");
  await save(sampleCheckpoint(), path);
  const c = await load(path);
  assert.equal(c.epoch, 4);
  assert.ok(Number.isNaN(c.loss));
  assert.equal(c.name, "run");
  assert.equal(c.done, false);
  assert.equal(c.none, null);
  const sd = c.modelStateDict as Record<string, Tensor>;
  assert.deepEqual(Object.keys(sd), ["fc.weight", "fc.bias", "bn.num_batches_tracked", "mask"]);
  assert.ok(sd["fc.weight"] instanceof Tensor);
  assert.deepEqual(sd["fc.weight"].shape, [2, 2]);
  assert.deepEqual(await sd["fc.weight"].toArray(), new Float32Array([1, 2, 3, 4]));
  assert.equal(sd["fc.bias"].dtype, "float64");
  assert.equal(sd["bn.num_batches_tracked"].dtype, "int32");
  assert.deepEqual(sd["bn.num_batches_tracked"].shape, []);
  assert.equal(await sd["bn.num_batches_tracked"].item(), 7);
  assert.equal(sd.mask.dtype, "bool");
  assert.deepEqual(await sd.mask.toArray(), new Uint8Array([1, 0, 1]));
  const opt = c.optimizerStateDict as {
    state: Record<string, { momentum_buffer: Tensor }>;
    param_groups: unknown[];
  };
  assert.deepEqual(await opt.state["0"].momentum_buffer.toArray(), new Float32Array([0.25, 0.5]));
  assert.deepEqual(opt.param_groups, [{
    lr: 0.1,
    momentum: 0.9,
    params: [0, 1],
    betas: [0.9, 0.999],
  }]);
  assert.deepEqual(c.schedulerStateDict, { last_epoch: 4, $weird: "kept", inf: -Infinity });
  assert.equal(sd["fc.weight"].device, "cpu");
});

Deno.test("save: non-contiguous views are written in logical order", async () => {
  const t = tensor([[1, 2, 3], [4, 5, 6]]).t();
  const f = specRead(await serialize({ t }));
  assert.deepEqual(f.header.t.shape, [3, 2]);
  assert.deepEqual(f.get("t"), [1, 4, 2, 5, 3, 6]);
});

Deno.test("save: unsupported values are refused with their path", async () => {
  await assert.rejects(() => serialize({ a: { b: new Map() } }), /Map at "a\.b"/);
  await assert.rejects(() => serialize({ f: () => 1 }), /function at "f"/);
  await assert.rejects(() => serialize({ n: 1n }), /bigint at "n"/);
  const cyc: Record<string, unknown> = {};
  cyc.self = cyc;
  await assert.rejects(() => serialize(cyc), /circular/);
});

Deno.test("load: webgpu-saved checkpoint needs mapLocation when there is no adapter", async () => {
  // Forge the metadata of a checkpoint saved from webgpu (no GPU is initialised here).
  const forged = encodeSafetensors(
    [["w", new RawTensor("float32", [2], new Float32Array([1, 2]))]],
    {
      "denotorch.format": "1",
      "denotorch.structure": JSON.stringify({ w: { $tensor: "w", device: "webgpu" } }),
    },
  );
  assert.throws(() => deserialize(forged), /saved from device "webgpu".*mapLocation: "cpu"/);
  const c = deserialize(forged, { mapLocation: "cpu" }) as Record<string, Tensor>;
  assert.equal(c.w.device, "cpu");
  assert.deepEqual(await c.w.toArray(), new Float32Array([1, 2]));
  const c2 = deserialize(forged, { mapLocation: { webgpu: "cpu" } }) as Record<string, Tensor>;
  assert.equal(c2.w.device, "cpu");
  const c3 = deserialize(forged, { mapLocation: () => "cpu" }) as Record<string, Tensor>;
  assert.equal(c3.w.device, "cpu");
});

Deno.test("save: an interrupted save leaves the previous checkpoint intact", async () => {
  const dir = tmp();
  const path = join(dir, "ckpt.safetensors");
  await save({ epoch: 1, w: tensor([1, 2, 3]) }, path);
  const before = await Deno.readFile(path);
  const rename = atomicHooks.rename;
  atomicHooks.rename = () => Promise.reject(new Error("simulated crash"));
  try {
    await assert.rejects(() => save({ epoch: 2, w: tensor([9, 9, 9]) }, path), /simulated crash/);
  } finally {
    atomicHooks.rename = rename;
  }
  assert.deepEqual(await Deno.readFile(path), before);
  assert.equal((await load(path)).epoch, 1);
  // A temp file left over by a crash (killed mid-write) does not disturb anything.
  await Deno.writeFile(join(dir, ".ckpt.safetensors.123.deadbeef.tmp"), before.subarray(0, 10));
  assert.equal((await load(path)).epoch, 1);
  await save({ epoch: 3 }, path);
  assert.equal((await load(path)).epoch, 3);
  const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  assert.deepEqual(names, [".ckpt.safetensors.123.deadbeef.tmp", "ckpt.safetensors"]);
  await assert.rejects(() => save({}, join(dir, "missing", "x.safetensors")), /cannot write to/);
});

Deno.test("load: truncated or corrupted files fail clearly", async () => {
  const bytes = await serialize({ epoch: 1, w: tensor([1, 2, 3]) });
  assert.throws(
    () => deserialize(bytes.subarray(0, bytes.length - 4)),
    /offsets outside the file|truncated/,
  );
  assert.throws(() => deserialize(bytes.subarray(0, 30)), /truncated or corrupted/);
  assert.throws(() => deserialize(new Uint8Array(3)), /neither a safetensors file nor a PyTorch/);
  const bad = bytes.slice();
  bad[9] = 0x20; // break the JSON
  assert.throws(() => deserialize(bad), /corrupted|not valid JSON/);
  await assert.rejects(() => load(join(tmp(), "nope.safetensors")), /NotFound|No such file/);
});

Deno.test("saveSafetensors/loadSafetensors: flat state dict, read by foreign files too", async () => {
  const dir = tmp();
  const path = join(dir, "sd.safetensors");
  await saveSafetensors({ "a.weight": tensor([1, 2]), "a.bias": tensor([3]) }, path, { note: "x" });
  const f = specRead(await Deno.readFile(path));
  assert.deepEqual(f.meta, { note: "x" });
  const sd = await loadSafetensors(path);
  assert.deepEqual(Object.keys(sd), ["a.weight", "a.bias"]);
  assert.deepEqual(await sd["a.weight"].toArray(), new Float32Array([1, 2]));
  // A safetensors file written by a Python script from the spec, with every dtype.
  const hand = await load<Record<string, Tensor>>(
    new URL("./fixtures/io/hand.safetensors", import.meta.url),
  );
  assert.equal(hand.float16.dtype, "float32");
  assert.deepEqual(
    await hand.float16.toArray(),
    new Float32Array([0.5, -65504, 1.1920928955078125e-7, 3.140625]),
  );
  assert.deepEqual(await hand.int64.toArray(), new Int32Array([0, -5, 2147483647, -2147483648]));
  const expected = JSON.parse(
    await Deno.readTextFile(new URL("./fixtures/io/expected.json", import.meta.url)),
  );
  assert.deepEqual(
    await hand.bfloat16.toArray(),
    new Float32Array(expected.dtypes.bfloat16.values),
  );
  assert.deepEqual(await hand.bool.toArray(), new Uint8Array([1, 0, 1]));
  assert.deepEqual(await hand.uint8.toArray(), new Int32Array([0, 255, 3]));
});

Deno.test("load: PyTorch .pt files give tensors (state dict + checkpoint)", async () => {
  const dir = new URL("./fixtures/io/", import.meta.url);
  const sd = await load<Record<string, Tensor>>(new URL("conv_bn_linear.pt", dir));
  assert.ok(sd["0.weight"] instanceof Tensor);
  assert.deepEqual(sd["0.weight"].shape, [3, 2, 3, 3]);
  assert.equal(sd["1.num_batches_tracked"].dtype, "int32");
  assert.equal(await sd["1.num_batches_tracked"].item(), 1);
  const c = await load(new URL("checkpoint.pt", dir));
  assert.equal(c.epoch, 3);
  assert.throws(
    () => deserialize(Deno.readFileSync(new URL("checkpoint.pt", dir)), { mapLocation: "webgpu" }),
    /no WebGPU device is initialised/,
  );
  await assert.rejects(
    () => load(new URL("malicious.pt", dir)),
    /refusing to load global "posix\.system"/,
  );
});

// Reading PyTorch `torch.save` files (fixtures from tools/gen_io_fixtures.py) at the format
// layer: zip + restricted unpickler + storage/view decoding into RawTensors.
import assert from "node:assert/strict";
import { readTorchZip, type TorchValue } from "../src/io/torch_pt.ts";
import { RawTensor } from "../src/io/raw.ts";
import { unpickle, UnsafePickleError } from "../src/io/pickle.ts";
import { readZip } from "../src/io/zip.ts";

const dir = new URL("./fixtures/io/", import.meta.url);
const read = (name: string): Uint8Array => Deno.readFileSync(new URL(name, dir));
type Desc = { shape: number[]; values: (number | string)[] };
const expected = JSON.parse(Deno.readTextFileSync(new URL("expected.json", dir)));

function num(v: number | string): number {
  return typeof v === "string" ? Number(v === "nan" ? NaN : v === "inf" ? Infinity : -Infinity) : v;
}

function assertTensor(t: TorchValue, d: Desc, what: string): void {
  assert.ok(t instanceof RawTensor, `${what} is a tensor`);
  assert.deepEqual(t.shape, d.shape, `${what} shape`);
  const got = Array.from(t.data);
  assert.equal(got.length, d.values.length, `${what} length`);
  d.values.forEach((v, i) => {
    const e = num(typeof v === "boolean" ? Number(v) : v);
    if (Number.isNaN(e)) assert.ok(Number.isNaN(got[i]), `${what}[${i}] NaN`);
    else assert.equal(got[i], t.dtype === "float32" ? Math.fround(e) : e, `${what}[${i}]`);
  });
}

Deno.test("torch.load: conv + batchnorm + linear state dict", () => {
  const sd = readTorchZip(read("conv_bn_linear.pt")) as Record<string, TorchValue>;
  const exp = expected.conv_bn_linear as Record<string, Desc>;
  assert.deepEqual(Object.keys(sd), Object.keys(exp));
  for (const [k, d] of Object.entries(exp)) assertTensor(sd[k], d, k);
  const nbt = sd["1.num_batches_tracked"] as RawTensor;
  assert.equal(nbt.dtype, "int32");
  assert.deepEqual(nbt.shape, []);
  assert.equal(nbt.data[0], 1);
});

Deno.test("torch.load: deflate-compressed archive", () => {
  const a = readTorchZip(read("deflated.pt")) as Record<string, RawTensor>;
  const b = readTorchZip(read("conv_bn_linear.pt")) as Record<string, RawTensor>;
  for (const k of Object.keys(b)) assert.deepEqual(a[k].data, b[k].data);
});

Deno.test("torch.load: checkpoint dict with nested lists, tuples and scalars", () => {
  const c = readTorchZip(read("checkpoint.pt")) as Record<string, TorchValue>;
  const e = expected.checkpoint;
  assert.equal(c.epoch, 3);
  assert.equal(c.loss, 0.25);
  assert.equal(c.name, "run-1");
  assert.equal(c.big, e.big);
  assert.equal(c.neg, -7);
  assert.equal(c.np_loss, 0.125);
  assert.equal(c.np_count, 5);
  assert.equal(c.np_f32, 1.5);
  assert.deepEqual(c.flags, [true, false, null]);
  const nested = c.nested as Record<string, TorchValue[]>;
  assert.deepEqual(nested.list.slice(0, 3), [1, 2.5, "x"]);
  assertTensor(nested.list[3], { shape: [3], values: [0, 1, 2] }, "nested.list.3");
  assertTensor(nested.tuple[0], { shape: [2], values: [1, 1] }, "nested.tuple.0");
  assert.equal(nested.tuple[1], 7);
  const model = c.model as Record<string, TorchValue>;
  for (const [k, d] of Object.entries(e.model as Record<string, Desc>)) {
    assertTensor(model[k], d, k);
  }
  const params = c.params as TorchValue[];
  assertTensor(params[0], (e.model as Record<string, Desc>).weight, "params.0");
  assertTensor(params[1], (e.model as Record<string, Desc>).bias, "params.1");
  const opt = c.optimizer as {
    state: Record<string, Record<string, TorchValue>>;
    param_groups: unknown;
  };
  assertTensor(opt.state["0"].momentum_buffer, e.momentum_buffer_0, "momentum_buffer");
  assert.deepEqual(opt.param_groups, e.param_groups);
});

Deno.test("torch.load: views with offsets, strides and stride-0 expansion", () => {
  const v = readTorchZip(read("views.pt")) as Record<string, TorchValue>;
  for (const [k, d] of Object.entries(expected.views as Record<string, Desc>)) {
    assertTensor(v[k], d, k);
  }
});

Deno.test("torch.load: every storage dtype converts to ours", () => {
  const v = readTorchZip(read("dtypes.pt")) as Record<string, RawTensor>;
  for (const [k, d] of Object.entries(expected.dtypes as Record<string, Desc>)) {
    assertTensor(v[k], d, k);
  }
  const want: Record<string, string> = {
    float32: "float32",
    float64: "float64",
    float16: "float32",
    bfloat16: "float32",
    int64: "int32",
    int32: "int32",
    int16: "int32",
    int8: "int32",
    uint8: "int32",
    bool: "bool",
    scalar: "float32",
  };
  for (const [k, dt] of Object.entries(want)) assert.equal(v[k].dtype, dt, k);
});

Deno.test("torch.load: int64 out of int32 range is an error naming the tensor", () => {
  assert.throws(() => readTorchZip(read("int64_overflow.pt")), /"big".*1099511627776.*int32/);
});

Deno.test("torch.load: a pickle naming os.system is refused, nothing runs", () => {
  assert.throws(
    () => readTorchZip(read("malicious.pt")),
    (e: unknown) => e instanceof UnsafePickleError && /posix\.system|os\.system/.test(e.message),
  );
});

Deno.test("unpickle: any non-allowed global is refused (GLOBAL and STACK_GLOBAL)", () => {
  // protocol 2: c builtins\neval\n ( S'1' t R .
  const p2 = Uint8Array.from(
    "\x80\x02cbuiltins\neval\nX\x01\x00\x00\x001\x85R.",
    (c) => c.charCodeAt(0),
  );
  assert.throws(() => unpickle(p2, { globals: {} }), /refusing to load global "builtins\.eval"/);
  // protocol 4 style: SHORT_BINUNICODE module, name, STACK_GLOBAL
  const p4 = new Uint8Array([
    0x80,
    4,
    0x8c,
    2,
    ...new TextEncoder().encode("os"),
    0x8c,
    6,
    ...new TextEncoder().encode("system"),
    0x93,
    0x2e,
  ]);
  assert.throws(() => unpickle(p4, { globals: {} }), /"os\.system"/);
});

Deno.test("unpickle: basic values, protocols 2 and 4", () => {
  const hex = (h: string): Uint8Array =>
    new Uint8Array(h.match(/../g)!.map((x) => parseInt(x, 16)));
  // pickle.dumps({'a': [1, -2, 3.5, None, True, False], 'b': ('x', 300, 70000, 2**70, -2**63),
  //               'c': {1: 'one'}, 's': 'h\u00e9llo'[, 'y': b'\x00\xff']}, protocol=2 / 4)
  const p2 = hex(
    "80027d71002858010000006171015d7102284b014afeffffff47400c0000000000004e8889655801000000627103" +
      "2858010000007871044d2c014a701101008a090000000000000000408a0800000000000000807471055801000000" +
      "6371067d71074b0158030000006f6e657108735801000000737109580600000068c3a96c6c6f710a752e",
  );
  const p4 = hex(
    "8004956d000000000000007d94288c0161945d94284b014afeffffff47400c0000000000004e8889658c01629428" +
      "8c0178944d2c014a701101008a090000000000000000408a08000000000000008074948c0163947d944b018c036f" +
      "6e6594738c0173948c0668c3a96c6c6f948c017994430200ff94752e",
  );
  for (const bytes of [p2, p4]) {
    const v = unpickle(bytes, { globals: {} }) as Map<string, unknown>;
    assert.deepEqual(v.get("a"), [1, -2, 3.5, null, true, false]);
    assert.deepEqual(v.get("b"), ["x", 300, 70000, 2n ** 70n, -(2n ** 63n)]);
    assert.deepEqual(v.get("c"), new Map([[1, "one"]]));
    assert.equal(v.get("s"), "h\u00e9llo");
  }
  const v4 = unpickle(p4, { globals: {} }) as Map<string, unknown>;
  assert.deepEqual(v4.get("y"), new Uint8Array([0, 255]));
  assert.throws(() => unpickle(p2.subarray(0, 40), { globals: {} }), /end of data|truncated/);
});

Deno.test("torch.load: truncated or corrupted archives fail clearly", () => {
  const good = read("conv_bn_linear.pt");
  assert.throws(
    () => readTorchZip(good.subarray(0, good.length - 100)),
    /zip: .*truncated or corrupted/,
  );
  const bad = good.slice();
  // Flip a byte inside the first storage's data: the CRC check must catch it.
  const zip = readZip(good);
  const entry = [...zip.entries.values()].find((e) => e.name.endsWith("data/0"))!;
  bad[entry.localHeaderOffset + 30 + entry.name.length + 70] ^= 0xff;
  assert.throws(() => readTorchZip(bad), /CRC mismatch|corrupted/);
});

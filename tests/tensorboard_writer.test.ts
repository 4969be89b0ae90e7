// SummaryWriter output decoded by an independent TFRecord + protobuf reader (CRC checked).
import assert from "node:assert/strict";
import { join } from "node:path";
import { hostname } from "node:os";
import sharp from "sharp";
import { SummaryWriter } from "../src/tensorboard/mod.ts";
import { makeHistogram, tensorflowBins } from "../src/tensorboard/histogram.ts";
import { crc32c } from "../src/tensorboard/crc32c.ts";
import { eventFiles, Msg, readEvents } from "./tensorboard_reader.ts";

// Every temp dir lives under one root that is removed when the test module ends.
const tmpRoot = Deno.makeTempDirSync({ prefix: "tb_test_" });
globalThis.addEventListener("unload", () => Deno.removeSync(tmpRoot, { recursive: true }));
const tmp = (): string => Deno.makeTempDirSync({ dir: tmpRoot });

function only<T>(xs: T[], what: string): T {
  assert.equal(xs.length, 1, what);
  return xs[0];
}

Deno.test("crc32c: known check value", () => {
  assert.equal(crc32c(new TextEncoder().encode("123456789")), 0xe3069283);
});

Deno.test("SummaryWriter: file name, file_version first, scalars with steps/walltime/NaN", async () => {
  const dir = tmp();
  const w = new SummaryWriter({ logDir: dir, filenameSuffix: ".v2" });
  w.addScalar("loss", 0.5, 1, 1000.25);
  w.addScalar("loss", NaN, 2);
  w.addScalar("acc/train", Infinity);
  await w.close();
  const file = only(eventFiles(dir), "one event file");
  assert.match(
    file,
    new RegExp(`events\\.out\\.tfevents\\.\\d{10}\\.${hostname()}\\.${Deno.pid}\\.\\d+\\.v2$`),
  );
  const ev = readEvents(file);
  assert.equal(ev[0].fileVersion, "brain.Event:2");
  assert.equal(ev.length, 4);
  const val = (i: number) => only(ev[i].values, "one value");
  assert.equal(val(1).str(1), "loss");
  assert.equal(val(1).float(2), 0.5);
  assert.equal(ev[1].step, 1);
  assert.equal(ev[1].wallTime, 1000.25);
  assert.ok(Number.isNaN(val(2).float(2)));
  assert.equal(ev[2].step, 2);
  assert.equal(val(3).str(1), "acc/train");
  assert.equal(val(3).float(2), Infinity);
  assert.ok(Math.abs(ev[3].wallTime - Date.now() / 1000) < 60);
});

Deno.test("SummaryWriter: default log dir runs/<Mon>DD_HH-MM-SS_<host><comment>", async () => {
  const cwd = Deno.cwd();
  const dir = tmp();
  Deno.chdir(dir);
  try {
    const w = new SummaryWriter({ comment: "_lr0.1" });
    assert.match(
      w.logDir,
      new RegExp(`^runs/[A-Z][a-z]{2}\\d{2}_\\d{2}-\\d{2}-\\d{2}_${hostname()}_lr0\\.1$`),
    );
    await w.close();
    assert.equal(eventFiles(join(dir, w.logDir)).length, 1);
  } finally {
    Deno.chdir(cwd);
  }
});

Deno.test("SummaryWriter: addScalars writes one sub-run per tag with the main tag", async () => {
  const dir = tmp();
  const w = new SummaryWriter({ logDir: dir });
  w.addScalars("run/loss", { train: 1.5, val: 2.5 }, 7);
  await w.close();
  for (const [tag, v] of [["train", 1.5], ["val", 2.5]] as const) {
    const ev = readEvents(only(eventFiles(join(dir, `run_loss_${tag}`)), tag));
    assert.equal(ev[0].fileVersion, "brain.Event:2");
    const x = only(ev[1].values, "value");
    assert.equal(x.str(1), "run/loss");
    assert.equal(x.float(2), v);
    assert.equal(ev[1].step, 7);
  }
});

Deno.test("histogram: tensorflow bins and trimming match PyTorch's make_histogram", () => {
  const edges = tensorflowBins();
  assert.equal(edges.length, 1549);
  assert.equal(edges[774], 0);
  assert.equal(edges[775], 1e-12);
  const h = makeHistogram([0.5, 1, 1, 2, -3], "tensorflow");
  assert.equal(h.num, 5);
  assert.equal(h.min, -3);
  assert.equal(h.max, 2);
  assert.equal(h.sum, 1.5);
  assert.equal(h.sumSquares, 0.25 + 1 + 1 + 4 + 9);
  assert.equal(h.bucket.length, h.bucketLimit.length);
  assert.equal(h.bucket.reduce((a, b) => a + b), 5);
  assert.equal(h.bucket[0], 0); // one empty bucket left of the first non-empty one
  assert.ok(h.bucket[h.bucket.length - 1] > 0);
  // Each value lies in (previous limit, its bucket's limit]
  const eq = makeHistogram([0, 1, 2, 3, 4], 4);
  assert.deepEqual(eq.bucketLimit, [0, 1, 2, 3, 4]);
  assert.deepEqual(eq.bucket, [0, 1, 1, 1, 2]);
  assert.throws(() => makeHistogram([], "tensorflow"), /no elements/);
});

Deno.test("histogram: equals numpy + PyTorch's make_histogram (values generated with numpy)", () => {
  const values = [-3.7, -0.001, 0, 1e-13, 0.5, 1, 1, 2.2, 1e5, 7.25e-6];
  const h = makeHistogram(values, "tensorflow");
  assert.equal(h.bucket.length, 718);
  assert.equal(h.bucketLimit[0], -3.8315657995195243);
  assert.equal(h.bucketLimit[717], 102894.84091131858);
  const nz = h.bucket.flatMap((c, i) => (c ? [[i, c, h.bucketLimit[i]]] : []));
  assert.deepEqual(nz, [
    [1, 1, -3.48324163592684],
    [87, 1, -0.0009598705768327891],
    [306, 2, 1e-12],
    [472, 1, 7.4333697549399525e-6],
    [589, 1, 0.5177616740489182],
    [596, 2, 1.0089710279437536],
    [605, 1, 2.379100905625872],
    [717, 1, 102894.84091131858],
  ]);
  // np.histogram(values[:8], bins=5)
  const eq = makeHistogram(values.slice(0, 8), 5);
  assert.deepEqual(eq.bucketLimit, [
    -3.7,
    -2.52,
    -1.3399999999999999,
    -0.1599999999999997,
    1.0200000000000005,
    2.2,
  ]);
  assert.deepEqual(eq.bucket, [0, 1, 0, 0, 6, 1]);
});

Deno.test("SummaryWriter: histogram, text and image summaries", async () => {
  const dir = tmp();
  const w = new SummaryWriter({ logDir: dir });
  w.addHistogram("w", new Float32Array([0.5, 1, 1, 2, -3]), 3);
  w.addText("notes", "hello **world**", 4);
  // A 3x2x4 CHW float image and an HW image.
  const chw = new Float32Array(3 * 2 * 4).map((_, i) => i / 23);
  w.addImage("img", { data: chw, shape: [3, 2, 4] }, 5);
  w.addImage("gray", { data: new Uint8Array([0, 128, 255, 7, 8, 9]), shape: [2, 3] }, 6, {
    dataformats: "HW",
  });
  w.addImages(
    "batch",
    { data: new Float32Array(10 * 1 * 2 * 3).fill(0.5), shape: [10, 1, 2, 3] },
    7,
  );
  await w.close();
  const ev = readEvents(only(eventFiles(dir), "file"));
  assert.equal(ev.length, 6);
  const histo = only(ev[1].values, "histo");
  assert.equal(histo.str(1), "w");
  const hp = histo.msg(5)!;
  const ref = makeHistogram([0.5, 1, 1, 2, -3], "tensorflow");
  assert.equal(hp.double(1), -3);
  assert.equal(hp.double(2), 2);
  assert.equal(hp.double(3), 5);
  assert.deepEqual(hp.doubles(6), ref.bucketLimit);
  assert.deepEqual(hp.doubles(7), ref.bucket);

  const text = only(ev[2].values, "text");
  assert.equal(text.str(1), "notes/text_summary");
  assert.equal(text.msg(9)!.msg(1)!.str(1), "text");
  const tp = text.msg(8)!;
  assert.equal(tp.int(1), 7);
  assert.deepEqual(tp.strs(8), ["hello **world**"]);

  const checkImage = async (m: Msg, tag: string, w: number, h: number, px?: number[][]) => {
    assert.equal(m.str(1), tag);
    const im = m.msg(4)!;
    assert.equal(im.int(1), h);
    assert.equal(im.int(2), w);
    assert.equal(im.int(3), 3);
    const png = im.bytes(4)!;
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    assert.equal(info.format, "raw");
    assert.deepEqual([info.width, info.height, info.channels], [w, h, 3]);
    for (const [x, y, r, g, b] of px ?? []) {
      const o = (y * w + x) * 3;
      assert.deepEqual([data[o], data[o + 1], data[o + 2]], [r, g, b], `${tag} pixel ${x},${y}`);
    }
  };
  // pixel (x=1, y=0) of CHW: values i/23 at i = c*8 + 1 → trunc(255 * i / 23)
  const t = (i: number) => Math.trunc((i / 23) * 255);
  await checkImage(only(ev[3].values, "img"), "img", 4, 2, [[1, 0, t(1), t(9), t(17)]]);
  await checkImage(only(ev[4].values, "gray"), "gray", 3, 2, [[2, 0, 255, 255, 255], [
    0,
    1,
    7,
    7,
    7,
  ]]);
  // 10 images → 8 columns, 2 rows, no padding; the empty cells stay black.
  await checkImage(only(ev[5].values, "batch"), "batch", 24, 4, [[0, 0, 127, 127, 127], [
    23,
    3,
    0,
    0,
    0,
  ]]);
});

Deno.test("SummaryWriter: hparams plugin summaries and metrics in a sub-run", async () => {
  const dir = tmp();
  const w = new SummaryWriter({ logDir: dir });
  w.addHparams({ lr: 0.1, opt: "adam", nesterov: true, skipped: null }, { "hparam/acc": 0.9 }, {
    runName: "r1",
    hparamDomainDiscrete: { opt: ["adam", "sgd"] },
  });
  assert.throws(
    () => w.addHparams({ lr: 1 }, {}, { hparamDomainDiscrete: { lr: ["x"] } }),
    /same type/,
  );
  assert.throws(() => w.addHparams({ f: (() => 1) as unknown as number }, {}), /must be a number/);
  await w.close();
  const ev = readEvents(only(eventFiles(join(dir, "r1")), "hparams run"));
  const tags = ev.slice(1).map((e) => only(e.values, "v").str(1));
  assert.deepEqual(tags, [
    "_hparams_/experiment",
    "_hparams_/session_start_info",
    "_hparams_/session_end_info",
    "hparam/acc",
  ]);
  const plugin = (i: number) => {
    const pd = only(ev[i].values, "v").msg(9)!.msg(1)!;
    assert.equal(pd.str(1), "hparams");
    return new Msg(pd.bytes(2)!);
  };
  const exp = plugin(1).msg(2)!;
  const infos = exp.msgs(4).map((m) => [m.str(1), m.int(4)]);
  assert.deepEqual(infos, [["lr", 3], ["opt", 1], ["nesterov", 2]]);
  assert.equal(exp.msgs(5)[0].msg(1)!.str(2), "hparam/acc");
  const domain = exp.msgs(4)[1].msg(5)!.msgs(1).map((v) => v.str(3));
  assert.deepEqual(domain, ["adam", "sgd"]);
  const ssi = plugin(2).msg(3)!;
  const hp = new Map(ssi.msgs(1).map((e) => [e.str(1)!, e.msg(2)!]));
  assert.equal(hp.get("lr")!.double(2), 0.1);
  assert.equal(hp.get("opt")!.str(3), "adam");
  assert.equal(hp.get("nesterov")!.int(4), 1);
  assert.equal(plugin(3).msg(4)!.int(1), 1);
  assert.equal(only(ev[4].values, "metric").float(2), Math.fround(0.9));
});

Deno.test("SummaryWriter: addGraph from a node list writes a GraphDef", async () => {
  const dir = tmp();
  const w = new SummaryWriter({ logDir: dir });
  await w.addGraph([
    { name: "input/input.0", op: "IO Node", inputs: [], outputShape: [2, 3] },
    { name: "Net/Linear[fc]", op: "Linear", inputs: ["input/input.0"], outputShape: [2, 4] },
    { name: "output/output.0", op: "IO Node", inputs: ["Net/Linear[fc]"], outputShape: [2, 4] },
  ]);
  await assert.rejects(
    () => w.addGraph([{ name: "a", op: "x", inputs: ["missing"] }]),
    /unknown "missing"/,
  );
  await w.close();
  const ev = readEvents(only(eventFiles(dir), "file"));
  const g = new Msg(ev[1].graphDef!);
  const nodes = g.msgs(1);
  assert.deepEqual(nodes.map((n) => n.str(1)), [
    "input/input.0",
    "Net/Linear[fc]",
    "output/output.0",
  ]);
  assert.deepEqual(nodes[1].strs(3), ["input/input.0"]);
  assert.equal(nodes[1].str(2), "Linear");
  const attrs = new Map(nodes[1].msgs(5).map((e) => [e.str(1)!, e.msg(2)!]));
  const shape = attrs.get("_output_shapes")!.msg(1)!.msgs(7)[0];
  assert.deepEqual(shape.msgs(2).map((d) => d.int(1)), [2, 4]);
  assert.equal(g.msg(4)!.int(1), 22);
});

Deno.test("SummaryWriter: maxQueue triggers a flush; flushSecs timer; errors", async () => {
  const dir = tmp();
  const w = new SummaryWriter({ logDir: dir, maxQueue: 2, flushSecs: 0.05 });
  w.addScalar("a", 1, 0);
  w.addScalar("a", 2, 1); // reaches maxQueue
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(readEvents(only(eventFiles(dir), "f")).length, 3);
  w.addScalar("a", 3, 2);
  await new Promise((r) => setTimeout(r, 150)); // the timer flushes it
  assert.equal(readEvents(only(eventFiles(dir), "f")).length, 4);
  assert.throws(() => w.addScalar("a", 1, 1.5), /integer/);
  await w.close();
  assert.throws(() => w.addScalar("a", 1), /closed/);
  const file = join(tmp(), "not_a_dir");
  Deno.writeTextFileSync(file, "x");
  assert.throws(
    () => new SummaryWriter({ logDir: join(file, "sub") }),
    /cannot create an event file in log dir/,
  );
});

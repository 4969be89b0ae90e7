/** Index ops: gather, scatter, scatterAdd, indexSelect: values, gradients, strided inputs. */
import * as dt from "../mod.ts";
import { assertClose, assertTensor, checkOp, f64, gradcheckShapes } from "./helpers.ts";

const idx = (data: number[][] | number[]) => dt.tensor(data, { dtype: "int32" });

Deno.test("gather values and gradcheck (dims 0/1/-1, strided input, repeated indices)", () => {
  const x = dt.tensor([[1, 2, 3], [4, 5, 6]]);
  assertTensor(x.gather(1, idx([[2, 0], [1, 1]])), { shape: [2, 2], data: [3, 1, 5, 5] });
  assertTensor(x.gather(0, idx([[1, 0, 1]])), { shape: [1, 3], data: [4, 2, 6] });
  const i1 = idx([[0, 2, 2], [1, 1, 0]]);
  gradcheckShapes("gather 1", (a) => a.gather(1, i1), [[2, 4]]);
  gradcheckShapes("gather -1 transposed", (a) => a.t().gather(-1, i1), [[4, 2]]);
  const i0 = idx([[1, 0, 1, 1]]);
  gradcheckShapes("gather 0", (a) => a.gather(0, i0), [[2, 4]]);
  // Repeated indices accumulate in the gradient.
  const a = f64([1, 2, 3], [3]);
  a.gather(0, idx([2, 2, 0])).sum().backward();
  assertClose(a.grad!, [1, 0, 2]);
});

Deno.test("scatter/scatterAdd values and gradcheck w.r.t. input and src", () => {
  const z = dt.zeros([2, 4]);
  const i = idx([[3, 0], [1, 1]]);
  const src = dt.tensor([[1, 2], [3, 4]]);
  assertTensor(z.scatter(1, i, src), { shape: [2, 4], data: [2, 0, 0, 1, 0, 4, 0, 0] });
  assertTensor(z.scatterAdd(1, i, src), { shape: [2, 4], data: [2, 0, 0, 1, 0, 7, 0, 0] });
  assertTensor(z.scatter(1, i, 9), { shape: [2, 4], data: [9, 0, 0, 9, 0, 9, 0, 0] });
  assertTensor(z, { shape: [2, 4], data: [0, 0, 0, 0, 0, 0, 0, 0] }, { msg: "out of place" });
  const iu = idx([[3, 0], [1, 2]]); // unique per row: scatter's gradient is well defined
  gradcheckShapes("scatter", (x, s) => x.scatter(1, iu, s), [[2, 4], [2, 2]]);
  gradcheckShapes("scatter scalar", (x) => x.scatter(1, iu, 0.5), [[2, 4]]);
  gradcheckShapes("scatterAdd", (x, s) => x.scatterAdd(1, i, s), [[2, 4], [2, 2]]);
  gradcheckShapes(
    "scatterAdd dim 0 strided",
    (x, s) => x.t().scatterAdd(0, idx([[0, 1], [3, 3]]), s),
    [[
      2,
      4,
    ], [2, 2]],
  );
});

Deno.test("scatter: src larger than index gets a gradient of src's shape", () => {
  checkOp("scatter src [2,3] index [1,2]", {
    inputs: [[2, 4], [2, 3]],
    fn: (x, s) => x.scatterAdd(1, idx([[3, 0]]), s),
  });
});

Deno.test("indexSelect values and gradcheck", () => {
  const x = dt.tensor([[1, 2, 3], [4, 5, 6]]);
  assertTensor(x.indexSelect(1, idx([2, 0, 2])), { shape: [2, 3], data: [3, 1, 3, 6, 4, 6] });
  assertTensor(x.indexSelect(0, idx([1])), { shape: [1, 3], data: [4, 5, 6] });
  gradcheckShapes("indexSelect 0", (a) => a.indexSelect(0, idx([3, 0, 3, 1])), [[4, 3]]);
  gradcheckShapes("indexSelect 1 transposed", (a) => a.t().indexSelect(1, idx([2, 2])), [[3, 2]]);
  gradcheckShapes("indexSelect 3-d", (a) => a.indexSelect(1, idx([1, 0])), [[2, 3, 2]]);
});

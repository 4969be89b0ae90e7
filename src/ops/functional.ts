/** The torch.* function namespace: every tensor op as a free function. */
export {
  abs,
  add,
  ceil,
  clamp,
  cos,
  div,
  erf,
  exp,
  expm1,
  floor,
  gelu,
  leakyRelu,
  log,
  log1p,
  logicalNot,
  maximum,
  minimum,
  mul,
  neg,
  pow,
  reciprocal,
  relu,
  round,
  rsqrt,
  sigmoid,
  sign,
  sin,
  sqrt,
  sub,
  tanh,
  where,
} from "./elementwise.ts";
export { all, amax, amin, any, mean, norm, prod, sum } from "./reduce.ts";
export { logSoftmax, logsumexp, softmax } from "./softmax.ts";
export { bmm, matmul, mm } from "./matmul.ts";
export {
  expand,
  flatten,
  narrow,
  permute,
  reshape,
  select,
  slice,
  squeeze,
  transpose,
  unflatten,
  unsqueeze,
} from "./view.ts";
export { cat, chunk, repeat, split, stack, unbind } from "./join.ts";
export { flip, gather, indexSelect, scatter, scatterAdd } from "./index.ts";
export { toAsync } from "./convert.ts";
export {
  argsort,
  bincount,
  bucketize,
  kthvalue,
  max,
  median,
  min,
  msort,
  searchsorted,
  sort,
  topk,
  unique,
} from "./sort.ts";
export type { BucketizeOptions, SearchSortedOptions, SortOptions, UniqueOptions } from "./sort.ts";

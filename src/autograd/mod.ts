/**
 * Automatic differentiation, like `torch.autograd`: the functional `grad` and `backward`,
 * gradient checks, grad modes and graph nodes. `Tensor.backward()`, `registerHook()` and
 * `retainGrad()` are the method forms.
 */
export { backward, grad } from "./grad.ts";
export type { AutogradBackwardOptions, GradOptions } from "./grad.ts";
export { gradcheck, gradgradcheck } from "./gradcheck.ts";
export type { GradcheckOptions, GradgradcheckOptions } from "./gradcheck.ts";
export { enableGrad, isGradEnabled, noGrad, setGradEnabled } from "./grad_mode.ts";
export type { GradHook, RemovableHandle } from "./hooks.ts";
export { AccumulateGrad, Node } from "./node.ts";
export type { BackwardFn } from "./node.ts";
export type { BackwardOptions } from "./engine.ts";

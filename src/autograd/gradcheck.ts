/** Finite-difference gradient checking, like torch.autograd.gradcheck. */
import { dataOf } from "../backend/cpu/cpu_backend.ts";
import { fmtShape } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { randn, tensor } from "../tensor/creation.ts";
import { Generator } from "../tensor/random.ts";
import { enableGrad, noGrad } from "./grad_mode.ts";
import { scope } from "../tensor/memory.ts";
import { grad } from "./grad.ts";

/** Options of gradcheck. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** Throw with details on mismatch instead of returning false (default true). */
  raiseException?: boolean;
}

function outputsOf(r: Tensor | Tensor[]): Tensor[] {
  return Array.isArray(r) ? r : [r];
}

/**
 * Compares the analytical Jacobian (one backward per output element) with central finite
 * differences, for every input that requires grad. Inputs must be float64 CPU tensors.
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor | Tensor[],
  inputs: Tensor[],
  opts: GradcheckOptions = {},
): boolean {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, raiseException = true } = opts;
  const checked = inputs.filter((t) => t.requiresGrad);
  for (const t of checked) {
    if (t.device !== "cpu" || t.dtype !== "float64") {
      throw new TypeError(
        `gradcheck: inputs that require grad must be float64 cpu tensors (got ${t.dtype} on ${t.device})`,
      );
    }
    if (!t.isContiguous()) {
      throw new TypeError(
        "gradcheck: inputs must be contiguous; perturb a contiguous base and view inside fn",
      );
    }
  }
  const outs0 = noGrad(() =>
    scope(() => outputsOf(fn(...inputs)).map((o) => o.detach().contiguous()))
  );
  const outVals = outs0.map((o) => Float64Array.from(dataOf(o.storage)));
  for (const [ii, x] of checked.entries()) {
    const xd = dataOf(x.storage);
    const n = x.numel;
    // numerical[o][k][i]: d out_o[k] / d x[i]
    const numerical = outVals.map((v) =>
      Array.from({ length: v.length }, () => new Float64Array(n))
    );
    for (let i = 0; i < n; i++) {
      const orig = xd[x.offset + i];
      const evalAt = (v: number) => {
        xd[x.offset + i] = v;
        return noGrad(() =>
          scope(() => outputsOf(fn(...inputs)).map((o) => Float64Array.from(o.dataSync())))
        );
      };
      const plus = evalAt(orig + eps);
      const minus = evalAt(orig - eps);
      xd[x.offset + i] = orig;
      plus.forEach((p, o) => {
        for (let k = 0; k < p.length; k++) numerical[o][k][i] = (p[k] - minus[o][k]) / (2 * eps);
      });
    }
    for (let o = 0; o < outVals.length; o++) {
      for (let k = 0; k < outVals[o].length; k++) {
        const analytical = scope(() => {
          for (const t of checked) t.grad = null;
          const outs = outputsOf(fn(...inputs));
          const out = outs[o];
          if (!out.requiresGrad) return new Float64Array(n);
          const g = new Float64Array(out.numel);
          g[k] = 1;
          const gt = tensor(g, { dtype: "float64", device: "cpu", shape: out.shape });
          out.backward(gt);
          return x.grad ? Float64Array.from(x.grad.dataSync()) : new Float64Array(n);
        });
        for (let i = 0; i < n; i++) {
          const a = analytical[i], nu = numerical[o][k][i];
          if (!(Math.abs(a - nu) <= atol + rtol * Math.abs(nu))) {
            const msg =
              `gradcheck: Jacobian mismatch for output ${o} element ${k} with respect to ` +
              `input ${ii} (shape ${
                fmtShape(x.shape)
              }) element ${i}: numerical ${nu}, analytical ${a}`;
            for (const t of checked) t.grad = null;
            if (raiseException) throw new Error(msg);
            return false;
          }
        }
      }
    }
  }
  for (const t of checked) t.grad = null;
  return true;
}

/** Options of gradgradcheck. */
export interface GradgradcheckOptions extends GradcheckOptions {
  /**
   * The gradient of each output that requires grad: float64 cpu tensors, which are checked as
   * inputs too when they require grad (default: seeded random ones that require grad).
   */
  gradOutputs?: Tensor[];
}

/**
 * Checks second derivatives, like `torch.autograd.gradgradcheck`: gradcheck of the map from
 * (inputs, gradOutputs) to the gradients `grad(fn(inputs), inputs, { gradOutputs,
 * createGraph: true })`, so the gradients of the backward pass are compared with finite
 * differences. Inputs must be float64 cpu tensors.
 */
export function gradgradcheck(
  fn: (...inputs: Tensor[]) => Tensor | Tensor[],
  inputs: Tensor[],
  opts: GradgradcheckOptions = {},
): boolean {
  const { gradOutputs, ...checkOpts } = opts;
  const n = inputs.length;
  const differentiable = (...xs: Tensor[]) =>
    outputsOf(fn(...xs.slice(0, n))).filter((o) => o.requiresGrad);
  const gen = new Generator(0);
  const gos = gradOutputs ??
    enableGrad(() =>
      scope(() => differentiable(...inputs).map((o) => o.shape)).map((shape) =>
        randn(shape, { dtype: "float64", device: "cpu", generator: gen, requiresGrad: true })
      )
    );
  // NOTE: gradcheck evaluates fn under noGrad for its finite differences; the first-order
  // gradients need the graph recorded whatever the mode.
  const firstOrder = (...xs: Tensor[]) =>
    enableGrad(() => {
      const outs = differentiable(...xs);
      const wrt = xs.slice(0, n).filter((t) => t.requiresGrad);
      const gs = grad(outs, wrt, {
        gradOutputs: xs.slice(n, n + outs.length),
        createGraph: true,
        allowUnused: true,
      });
      return gs.filter((g): g is Tensor => g !== null);
    });
  try {
    return gradcheck(firstOrder, [...inputs, ...gos], checkOpts);
  } finally {
    if (!gradOutputs) { for (const g of gos) g.dispose(); }
  }
}

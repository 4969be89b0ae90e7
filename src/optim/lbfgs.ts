/**
 * L-BFGS (PyTorch 1.13's `torch.optim.LBFGS`, after minFunc): a quasi-Newton method over all
 * parameters as one flat vector, with an optional strong-Wolfe line search.
 *
 * The algorithm branches on scalars (the loss, gradient norms, curvature), so it needs values
 * on the host. It is written once, as a generator that yields the 0-d tensors whose values it
 * needs next; `step` reads them synchronously (cpu), `stepAsync` awaits them (any device).
 * Vectors, the history and the two-loop recursion stay on the device.
 */
import { enableGrad, noGrad } from "../autograd/grad_mode.ts";
import { zeros } from "../tensor/creation.ts";
import { keep, scope, trackInScope } from "../tensor/memory.ts";
import { cat } from "../ops/join.ts";
import { reciprocal } from "../ops/elementwise.ts";
import { Tensor } from "../tensor/tensor.ts";
import {
  checkLr,
  checkOption,
  Optimizer,
  type OptimizerOptions,
  type ParamGroupInput,
  type ParamsInput,
  type ParamState,
} from "./optimizer.ts";

/** Options of LBFGS (PyTorch's names in camelCase). */
export interface LBFGSOptions extends OptimizerOptions {
  /** Most iterations per `step` (default 20). */
  maxIter: number;
  /** Most closure evaluations per `step` (default maxIter · 5/4, rounded down). */
  maxEval: number;
  /** Stop when the largest gradient entry is at most this (default 1e-7). */
  toleranceGrad: number;
  /** Stop when the loss or the parameters change less than this (default 1e-9). */
  toleranceChange: number;
  /** How many curvature pairs to remember (default 100). */
  historySize: number;
  /** `"strong_wolfe"` for a line search satisfying the strong Wolfe conditions, or null (default). */
  lineSearchFn: "strong_wolfe" | null;
}

/** What the algorithm asks for: 0-d tensors whose values it needs on the host, in order. */
type Run<R> = Generator<Tensor[], R, number[]>;

/** The outcome of a line search: loss, gradient and step length at the chosen point. */
interface LineSearchResult {
  f: number;
  g: Tensor;
  t: number;
  evals: number;
}

/**
 * The minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to `bounds` (the
 * interval between x1 and x2 by default); the middle of the bounds when the cubic has none.
 */
function cubicInterpolate(
  x1: number,
  f1: number,
  g1: number,
  x2: number,
  f2: number,
  g2: number,
  bounds?: [number, number],
): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
  const d2Square = d1 * d1 - g1 * g2;
  if (d2Square >= 0) {
    const d2 = Math.sqrt(d2Square);
    const minPos = x1 <= x2
      ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
      : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return Math.min(Math.max(minPos, lo), hi);
  }
  return (lo + hi) / 2;
}

const GROUPS_ERROR = "LBFGS doesn't support per-parameter options (parameter groups)";

/**
 * Implements L-BFGS, like `torch.optim.LBFGS`. Every `step` needs a closure that clears the
 * gradients, recomputes the loss, calls `backward()` and returns the loss; `step` may evaluate
 * it up to `maxEval` times and returns the first loss. Only one parameter group is supported.
 * The state (PyTorch's keys `func_evals`, `n_iter`, `d`, `t`, `old_dirs`, `old_stps`, `ro`,
 * `H_diag`, `prev_flat_grad`, `prev_loss`, `al`) lives under the first parameter.
 *
 * `step` is synchronous and needs cpu parameters (it reads scalars back); on webgpu use
 * `await stepAsync(closure)`.
 *
 * @example
 * ```ts
 * const opt = new LBFGS(model.parameters(), { lineSearchFn: "strong_wolfe" });
 * const loss = opt.step(() => {
 *   opt.zeroGrad();
 *   const l = criterion.call(model.call(x), y);
 *   l.backward();
 *   return l;
 * });
 * ```
 */
export class LBFGS extends Optimizer<LBFGSOptions> {
  /** Options default to PyTorch's (lr 1, maxIter 20, toleranceGrad 1e-7, historySize 100). */
  constructor(params: ParamsInput<LBFGSOptions>, options: Partial<LBFGSOptions> = {}) {
    const maxIter = options.maxIter ?? 20;
    super(params, {
      lr: 1,
      toleranceGrad: 1e-7,
      toleranceChange: 1e-9,
      historySize: 100,
      lineSearchFn: null,
      ...options,
      maxIter,
      maxEval: options.maxEval ?? Math.floor(maxIter * 5 / 4),
    }, "LBFGS");
  }

  /** Adds the (only) parameter group; a second one is refused, as in PyTorch. */
  override addParamGroup(group: ParamGroupInput<LBFGSOptions>): void {
    if (this.paramGroups.length) throw new RangeError(`LBFGS: ${GROUPS_ERROR}`);
    super.addParamGroup(group);
  }

  /** Checks lr, maxIter, maxEval, the tolerances, historySize and lineSearchFn. */
  protected validate(o: LBFGSOptions): void {
    checkLr("LBFGS", o.lr);
    for (const k of ["maxIter", "maxEval", "historySize"] as const) {
      checkOption(Number.isInteger(o[k]) && o[k] > 0, "LBFGS", `${k} value`, o[k]);
    }
    checkOption(o.toleranceGrad >= 0, "LBFGS", "toleranceGrad value", o.toleranceGrad);
    checkOption(o.toleranceChange >= 0, "LBFGS", "toleranceChange value", o.toleranceChange);
    checkOption(
      o.lineSearchFn === null || o.lineSearchFn === "strong_wolfe",
      "LBFGS",
      "lineSearchFn (only null and 'strong_wolfe' are supported)",
      o.lineSearchFn,
    );
  }

  /** Never called: `step` updates all parameters together. */
  protected updateParam(): void {
    throw new Error("LBFGS: parameters are updated together by step(closure)");
  }

  /** The scalars of the state are host numbers (0-d tensors or floats in PyTorch). */
  protected override isHostScalar(key: string): boolean {
    return ["func_evals", "n_iter", "t", "prev_loss"].includes(key) || super.isHostScalar(key);
  }

  /**
   * Runs up to `maxIter` L-BFGS iterations, re-evaluating `closure` as needed; returns the
   * loss of the first evaluation. Parameters must be on the cpu (see `stepAsync`).
   */
  override step(closure: () => Tensor): Tensor;
  /** The base class's signature: the closure is required and must return the loss tensor. */
  override step<T = undefined>(closure?: () => T): T | undefined;
  override step(closure?: () => unknown): unknown {
    const device = this.paramGroups[0].params[0].device;
    if (device !== "cpu") {
      throw new Error(
        `LBFGS.step: parameters on ${device} need scalars read back, which is asynchronous; ` +
          "use `await opt.stepAsync(closure)`",
      );
    }
    const run = this.iterate(this.checkClosure(closure));
    let next = this.advance(run, []);
    while (!next.done) {
      const values = next.value.map((t) => t.dataSync()[0]);
      next.value.forEach((t) => t.dispose());
      next = this.advance(run, values);
    }
    return this.finish(next.value);
  }

  /**
   * `step` on any device: awaits each scalar the algorithm needs. The closure stays
   * synchronous; grad mode and memory scopes are not held across the awaits.
   */
  async stepAsync(closure: () => Tensor): Promise<Tensor> {
    const run = this.iterate(this.checkClosure(closure));
    let next = this.advance(run, []);
    while (!next.done) {
      const reads = next.value;
      const values = await Promise.all(reads.map((t) => t.item()));
      reads.forEach((t) => t.dispose());
      next = this.advance(run, values as number[]);
    }
    return this.finish(next.value);
  }

  private checkClosure(closure?: () => unknown): () => Tensor {
    if (typeof closure !== "function") {
      throw new TypeError(
        "LBFGS.step: a closure that re-evaluates the model and returns the loss is required",
      );
    }
    return closure as () => Tensor;
  }

  /**
   * Runs the algorithm to its next read without grad and inside a scope: temporaries die at
   * the read; the tensors it holds across reads are `keep()`-ed and freed by the algorithm.
   */
  private advance(run: Run<Tensor>, values: number[]): IteratorResult<Tensor[], Tensor> {
    return noGrad(() => scope(() => run.next(values)));
  }

  /** Hands the returned loss to the caller's scope (the algorithm kept it across reads). */
  private finish(loss: Tensor): Tensor {
    trackInScope(loss);
    this.stepCount++;
    return loss;
  }

  /** Runs the closure with grad enabled, freeing its temporaries; returns the loss. */
  private evaluate(closure: () => Tensor): Tensor {
    const loss: unknown = scope(() => enableGrad(closure));
    if (!(loss instanceof Tensor)) {
      throw new TypeError(
        `LBFGS.step: the closure must return the loss as a Tensor, got ${typeof loss}`,
      );
    }
    return loss;
  }

  /** All gradients as one flat vector (zeros for parameters without one). */
  private flatGrad(): Tensor {
    const ps = this.paramGroups[0].params;
    return cat(
      ps.map((p) =>
        p.grad ? p.grad.reshape([-1]) : zeros([p.numel], { dtype: p.dtype, device: p.device })
      ),
      0,
    );
  }

  /** params += step · update, slice by slice. */
  private addGrad(step: number, update: Tensor): void {
    let offset = 0;
    for (const p of this.paramGroups[0].params) {
      p.add_(update.narrow(0, offset, p.numel).reshape(p.shape), step);
      offset += p.numel;
    }
  }

  /** The loss and flat gradient at x + t·d; the parameters are restored to `x` after. */
  private *directionalEvaluate(
    closure: () => Tensor,
    x: Tensor[],
    t: number,
    d: Tensor,
  ): Run<[number, Tensor, number]> {
    this.addGrad(t, d);
    const loss = this.evaluate(closure);
    const g = keep(this.flatGrad());
    this.paramGroups[0].params.forEach((p, i) => p.copy_(x[i]));
    const [f, gtd] = yield [loss, g.dot(d)];
    return [f, g, gtd];
  }

  /**
   * PyTorch's `_strong_wolfe`: brackets a step length satisfying the strong Wolfe conditions
   * from t, then zooms in by cubic interpolation. `g` (the gradient at x) may be returned; the
   * other gradients it evaluated are freed.
   */
  private *strongWolfe(
    closure: () => Tensor,
    x: Tensor[],
    t: number,
    d: Tensor,
    f: number,
    g: Tensor,
    gtd: number,
    dNorm: number,
    toleranceChange: number,
  ): Run<LineSearchResult> {
    const c1 = 1e-4, c2 = 0.9, maxLs = 25;
    const made: Tensor[] = [];
    let [fNew, gNew, gtdNew] = yield* this.directionalEvaluate(closure, x, t, d);
    made.push(gNew);
    let evals = 1;
    let tPrev = 0, fPrev = f, gPrev = g, gtdPrev = gtd;
    let done = false;
    let lsIter = 0;
    let bracket: number[] = [], bracketF: number[] = [], bracketG: Tensor[] = [];
    let bracketGtd: number[] = [];
    while (lsIter < maxLs) {
      if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
        [bracket, bracketF, bracketG, bracketGtd] = [
          [tPrev, t],
          [fPrev, fNew],
          [gPrev, gNew],
          [gtdPrev, gtdNew],
        ];
        break;
      }
      if (Math.abs(gtdNew) <= -c2 * gtd) {
        [bracket, bracketF, bracketG] = [[t], [fNew], [gNew]];
        done = true;
        break;
      }
      if (gtdNew >= 0) {
        [bracket, bracketF, bracketG, bracketGtd] = [
          [tPrev, t],
          [fPrev, fNew],
          [gPrev, gNew],
          [gtdPrev, gtdNew],
        ];
        break;
      }
      // Interpolate (extrapolate) beyond t, at most 10 t.
      const minStep = t + 0.01 * (t - tPrev);
      const maxStep = t * 10;
      const tmp = t;
      t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
      [tPrev, fPrev, gPrev, gtdPrev] = [tmp, fNew, gNew, gtdNew];
      [fNew, gNew, gtdNew] = yield* this.directionalEvaluate(closure, x, t, d);
      made.push(gNew);
      evals++;
      lsIter++;
    }
    if (lsIter === maxLs) [bracket, bracketF, bracketG] = [[0, t], [f, fNew], [g, gNew]];

    // Zoom: shrink the bracket until a point satisfies the conditions.
    let insufProgress = false;
    let [low, high] = bracketF[0] <= bracketF[bracketF.length - 1] ? [0, 1] : [1, 0];
    while (!done && lsIter < maxLs) {
      if (Math.abs(bracket[1] - bracket[0]) * dNorm < toleranceChange) break;
      t = cubicInterpolate(
        bracket[0],
        bracketF[0],
        bracketGtd[0],
        bracket[1],
        bracketF[1],
        bracketGtd[1],
      );
      // NOTE: a point too close to the bracket's ends makes little progress; after two such
      // points in a row (or one outside), move to 0.1 of the bracket from the nearer end.
      const bMax = Math.max(...bracket), bMin = Math.min(...bracket);
      const eps = 0.1 * (bMax - bMin);
      if (Math.min(bMax - t, t - bMin) < eps) {
        if (insufProgress || t >= bMax || t <= bMin) {
          t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps;
          insufProgress = false;
        } else {
          insufProgress = true;
        }
      } else {
        insufProgress = false;
      }
      [fNew, gNew, gtdNew] = yield* this.directionalEvaluate(closure, x, t, d);
      made.push(gNew);
      evals++;
      lsIter++;
      if (fNew > f + c1 * t * gtd || fNew >= bracketF[low]) {
        [bracket[high], bracketF[high], bracketG[high], bracketGtd[high]] = [t, fNew, gNew, gtdNew];
        [low, high] = bracketF[0] <= bracketF[1] ? [0, 1] : [1, 0];
      } else {
        if (Math.abs(gtdNew) <= -c2 * gtd) {
          done = true;
        } else if (gtdNew * (bracket[high] - bracket[low]) >= 0) {
          [bracket[high], bracketF[high], bracketG[high], bracketGtd[high]] = [
            bracket[low],
            bracketF[low],
            bracketG[low],
            bracketGtd[low],
          ];
        }
        [bracket[low], bracketF[low], bracketG[low], bracketGtd[low]] = [t, fNew, gNew, gtdNew];
      }
    }
    const result = bracketG[low];
    for (const m of made) if (m !== result) m.dispose();
    return { f: bracketF[low], g: result, t: bracket[low], evals };
  }

  /** PyTorch 1.13's `LBFGS.step` as a generator of host reads; returns the first loss. */
  private *iterate(closure: () => Tensor): Run<Tensor> {
    const group = this.paramGroups[0];
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize } = group;
    const params = group.params;
    let state = this.state.get(params[0]);
    if (!state) this.state.set(params[0], state = {});
    const st: ParamState = state;
    st.func_evals = (st.func_evals as number | undefined) ?? 0;
    st.n_iter = (st.n_iter as number | undefined) ?? 0;

    const origLoss = keep(this.evaluate(closure));
    let flatGrad = keep(this.flatGrad());
    let [loss, gMax] = yield [origLoss.detach(), flatGrad.abs().amax()];
    let currentEvals = 1;
    st.func_evals += 1;
    if (gMax <= toleranceGrad) {
      flatGrad.dispose();
      return origLoss;
    }

    let d = st.d as Tensor | undefined;
    let t = st.t as number;
    let oldDirs = (st.old_dirs ?? []) as Tensor[];
    let oldStps = (st.old_stps ?? []) as Tensor[];
    let ro = (st.ro ?? []) as Tensor[];
    let hDiag = (st.H_diag ?? 1) as Tensor | number;
    let prevFlatGrad = st.prev_flat_grad as Tensor | undefined;
    let prevLoss = st.prev_loss as number;
    let optCond = false;
    try {
      let nIter = 0;
      while (nIter < maxIter) {
        nIter++;
        st.n_iter += 1;
        if (st.n_iter === 1) {
          d = keep(flatGrad.neg());
          [oldDirs, oldStps, ro, hDiag] = [[], [], [], 1];
        } else {
          // The curvature pair of the last step; kept only when y·s shows positive curvature.
          const y = keep(flatGrad.sub(prevFlatGrad!)), s = keep(d!.mul(t));
          const ysT = y.dot(s);
          const roNew = keep(reciprocal(ysT)), hNew = keep(ysT.div(y.dot(y)));
          const [ys] = yield [ysT];
          if (ys > 1e-10) {
            if (oldDirs.length === historySize) {
              for (const list of [oldDirs, oldStps, ro]) list.shift()!.dispose();
            }
            oldDirs.push(y);
            oldStps.push(s);
            ro.push(roNew);
            if (hDiag instanceof Tensor) hDiag.dispose();
            hDiag = hNew;
          } else {
            for (const u of [y, s, roNew, hNew]) u.dispose();
          }
          // Two-loop recursion: d = -H·g with the history as the inverse-Hessian estimate.
          const al = (st.al ??= new Array(historySize).fill(null)) as (Tensor | null)[];
          const q = flatGrad.neg();
          for (let i = oldDirs.length - 1; i >= 0; i--) {
            al[i]?.dispose();
            const a = al[i] = keep(oldStps[i].dot(q).mul(ro[i]));
            q.sub_(oldDirs[i].mul(a));
          }
          d!.dispose();
          const r = d = keep(q.mul(hDiag));
          for (let i = 0; i < oldDirs.length; i++) {
            const be = oldDirs[i].dot(r).mul(ro[i]);
            r.add_(oldStps[i].mul(al[i]!.sub(be)));
          }
        }
        if (prevFlatGrad) prevFlatGrad.copy_(flatGrad);
        else prevFlatGrad = keep(flatGrad.clone());
        prevLoss = loss;

        const reads = [flatGrad.dot(d!), d!.abs().amax()];
        if (st.n_iter === 1) reads.push(flatGrad.abs().sum());
        const [gtd, dMax, gSum] = yield reads;
        // The first step is scaled down by the gradient's l1 norm.
        t = st.n_iter === 1 ? Math.min(1, 1 / gSum) * lr : lr;
        if (gtd > -toleranceChange) break;

        let lsFuncEvals = 0;
        if (group.lineSearchFn === "strong_wolfe") {
          const x = params.map((p) => keep(p.clone()));
          const res = yield* this.strongWolfe(
            closure,
            x,
            t,
            d!,
            loss,
            flatGrad,
            gtd,
            dMax,
            toleranceChange,
          );
          x.forEach((p) => p.dispose());
          if (res.g !== flatGrad) flatGrad.dispose();
          [loss, flatGrad, t, lsFuncEvals] = [res.f, res.g, res.t, res.evals];
          this.addGrad(t, d!);
          const [gm] = yield [flatGrad.abs().amax()];
          optCond = gm <= toleranceGrad;
        } else {
          this.addGrad(t, d!);
          if (nIter !== maxIter) {
            // Re-evaluate at the new point (no line search: the step is accepted as is).
            const l = this.evaluate(closure);
            flatGrad.dispose();
            flatGrad = keep(this.flatGrad());
            let gm: number;
            [loss, gm] = yield [l, flatGrad.abs().amax()];
            optCond = gm <= toleranceGrad;
            lsFuncEvals = 1;
          }
        }
        currentEvals += lsFuncEvals;
        st.func_evals += lsFuncEvals;

        if (nIter === maxIter) break;
        if (currentEvals >= maxEval) break;
        if (optCond) break;
        // |d·t|_max: d is fixed since dMax was read, and t >= 0.
        if (dMax * Math.abs(t) <= toleranceChange) break;
        if (Math.abs(loss - prevLoss) < toleranceChange) break;
      }
    } finally {
      flatGrad.dispose();
      Object.assign(st, {
        d,
        t,
        old_dirs: oldDirs,
        old_stps: oldStps,
        ro,
        H_diag: hDiag,
        prev_flat_grad: prevFlatGrad,
        prev_loss: prevLoss,
      });
    }
    return origLoss;
  }
}

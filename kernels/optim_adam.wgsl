// Fused Adam / AdamW update (PyTorch 1.13's single-tensor forms), one invocation per element,
// in place on the parameter and its moment buffers:
//   g = ±g (+ wd·p for Adam); p = p·(1 − lr·wd) for AdamW
//   m = m·β1 + (1 − β1)·g; v = v·β2 + (1 − β2)·g·g; (AMSGrad) vmax = max(vmax, v)
//   p = p + (−stepSize)·m / (√v̂ / √(1 − β2^t) + eps)
struct Params {
  n: u32, poff: u32, goff: u32, moff: u32,
  voff: u32, xoff: u32, flags: u32, lr: f32,
  b1: f32, b2: f32, eps: f32, wd: f32,
  stepSize: f32, bc2: f32, p0: u32, p1: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> Pm: array<f32>;
@group(0) @binding(2) var<storage, read_write> G: array<f32>;
@group(0) @binding(3) var<storage, read_write> M: array<f32>;
@group(0) @binding(4) var<storage, read_write> V: array<f32>;
@group(0) @binding(5) var<storage, read_write> X: array<f32>;

const AMSGRAD: bool = {{AMSGRAD}};

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * 64u + lid.x;
  if (i >= P.n) { return; }
  var p = Pm[P.poff + i];
  var g = G[P.goff + i];
  if ((P.flags & 1u) != 0u) { g = -g; }
  if (P.wd != 0.0) {
    if ((P.flags & 2u) != 0u) { p = p * (1.0 - P.lr * P.wd); } else { g = g + P.wd * p; }
  }
  let m = M[P.moff + i] * P.b1 + (1.0 - P.b1) * g;
  let v = V[P.voff + i] * P.b2 + (1.0 - P.b2) * (g * g);
  M[P.moff + i] = m;
  V[P.voff + i] = v;
  var s = v;
  if (AMSGRAD) {
    s = max(X[P.xoff + i], v);
    X[P.xoff + i] = s;
  }
  let denom = sqrt(s) / P.bc2 + P.eps;
  Pm[P.poff + i] = p + (-P.stepSize) * (m / denom);
}

// Fused SGD update (PyTorch 1.13's _single_tensor_sgd), one invocation per element, in place:
//   d = ±g (+ wd·p); buf = first ? d : buf·m + (1 − dampening)·d; d = nesterov ? d + m·buf : buf
//   p = p + (−lr)·d
struct Params {
  n: u32, poff: u32, goff: u32, boff: u32,
  flags: u32, lr: f32, momentum: f32, damp1: f32,
  wd: f32, p0: u32, p1: u32, p2: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> Pm: array<f32>;
@group(0) @binding(2) var<storage, read_write> G: array<f32>;
@group(0) @binding(3) var<storage, read_write> B: array<f32>;

const MOMENTUM: bool = {{MOMENTUM}};

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * 64u + lid.x;
  if (i >= P.n) { return; }
  let p = Pm[P.poff + i];
  var d = G[P.goff + i];
  if ((P.flags & 1u) != 0u) { d = -d; }
  if (P.wd != 0.0) { d = d + P.wd * p; }
  if (MOMENTUM) {
    var b = d;
    if ((P.flags & 2u) == 0u) { b = B[P.boff + i] * P.momentum + P.damp1 * d; }
    B[P.boff + i] = b;
    if ((P.flags & 4u) != 0u) { d = d + P.momentum * b; } else { d = b; }
  }
  Pm[P.poff + i] = p + (-P.lr) * d;
}

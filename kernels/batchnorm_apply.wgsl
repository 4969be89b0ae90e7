// Per-channel affine pass over an [N, C, S] view into the contiguous out:
//   out = A[c]·(X − M[c]) + D[c]  (+ B[c]·Y when HAS_Y)
// BatchNorm's normalise+affine (training and eval) and its input gradient in one pass. A
// workgroup covers up to 4096 elements of one (n, c) plane, so the channel's coefficients are
// workgroup-uniform and no element index is divided (few, large workgroups: llvmpipe pays per
// workgroup).
struct Params {
  N: u32, C: u32, S: u32, xoff: u32,
  xN: u32, xC: u32, xS: u32, yoff: u32,
  yN: u32, yC: u32, yS: u32, hasD: u32,
  moff: u32, ms: u32, aoff: u32, as_: u32,
  doff: u32, ds: u32, boff: u32, bs: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> X: array<f32>;
@group(0) @binding(2) var<storage, read_write> Y: array<f32>;
@group(0) @binding(3) var<storage, read_write> M: array<f32>;
@group(0) @binding(4) var<storage, read_write> A: array<f32>;
@group(0) @binding(5) var<storage, read_write> D: array<f32>;
@group(0) @binding(6) var<storage, read_write> B: array<f32>;
@group(0) @binding(7) var<storage, read_write> O: array<f32>;

const HAS_Y: bool = {{HAS_Y}};
// Unit inner strides, specialised so llvmpipe emits vector loads instead of gathers.
const X1: bool = {{X1}};
const Y1: bool = {{Y1}};

fn xi(i: u32) -> u32 { if (X1) { return i; } return i * P.xS; }
fn yi(i: u32) -> u32 { if (Y1) { return i; } return i * P.yS; }

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let NC = P.N * P.C;
  let i0 = wid.x * 4096u + lid.x;
  let i1 = min(P.S, wid.x * 4096u + 4096u);
  for (var p = wid.y; p < NC; p += nwg.y) {
    let n = p / P.C;
    let c = p - n * P.C;
    let mu = M[P.moff + c * P.ms];
    let a = A[P.aoff + c * P.as_];
    var d = 0.0;
    if (P.hasD != 0u) { d = D[P.doff + c * P.ds]; }
    var b = 0.0;
    if (HAS_Y) { b = B[P.boff + c * P.bs]; }
    let xb = P.xoff + n * P.xN + c * P.xC;
    let yb = P.yoff + n * P.yN + c * P.yC;
    let ob = p * P.S;
    for (var i = i0; i < i1; i += 64u) {
      var r = a * (X[xb + xi(i)] - mu) + d;
      if (HAS_Y) { r += b * Y[yb + yi(i)]; }
      O[ob + i] = r;
    }
  }
}

// Per-channel statistics of an [N, C, S] view (S = the merged trailing dims), one workgroup per
// channel and a single tree reduction at the end (few barriers: cheap on llvmpipe).
// Forward (BWD = false): O[c] = mean, O[C + c] = biased variance, from sums of (x - K) and
// (x - K)^2 shifted by the channel's first element K (keeps f32 cancellation small).
// Backward (BWD = true): O[c] = Σ g, O[C + c] = Σ g·(x - M[c]).
struct Params {
  N: u32, C: u32, S: u32, xoff: u32,
  xN: u32, xC: u32, xS: u32, goff: u32,
  gN: u32, gC: u32, gS: u32, moff: u32,
  ms: u32, p0: u32, p1: u32, p2: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> X: array<f32>;
@group(0) @binding(2) var<storage, read_write> G: array<f32>;
@group(0) @binding(3) var<storage, read_write> M: array<f32>;
@group(0) @binding(4) var<storage, read_write> O: array<f32>;

const BWD: bool = {{BWD}};
const WG: u32 = 64u;
// Unit inner strides, specialised so llvmpipe emits vector loads instead of gathers.
const X1: bool = {{X1}};
const G1: bool = {{G1}};

fn xi(i: u32) -> u32 { if (X1) { return i; } return i * P.xS; }
fn gi(i: u32) -> u32 { if (G1) { return i; } return i * P.gS; }

var<workgroup> A1: array<f32, 64>;
var<workgroup> A2: array<f32, 64>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let c = wid.y * nwg.x + wid.x;
  let live = c < P.C;
  let cc = min(c, P.C - 1u);
  let xb = P.xoff + cc * P.xC;
  let gb = P.goff + cc * P.gC;
  var k = 0.0;
  if (BWD) { k = M[P.moff + cc * P.ms]; } else { k = X[xb]; }
  var s1 = 0.0;
  var s2 = 0.0;
  if (P.S >= WG) {
    for (var n = 0u; n < P.N; n++) {
      let xr = xb + n * P.xN;
      let gr = gb + n * P.gN;
      for (var i = lid.x; i < P.S; i += WG) {
        let d = X[xr + xi(i)] - k;
        if (BWD) {
          let g = G[gr + gi(i)];
          s1 += g;
          s2 += g * d;
        } else {
          s1 += d;
          s2 += d * d;
        }
      }
    }
  } else {
    let T = P.N * P.S;
    for (var j = lid.x; j < T; j += WG) {
      let n = j / P.S;
      let i = j - n * P.S;
      let d = X[xb + n * P.xN + i * P.xS] - k;
      if (BWD) {
        let g = G[gb + n * P.gN + i * P.gS];
        s1 += g;
        s2 += g * d;
      } else {
        s1 += d;
        s2 += d * d;
      }
    }
  }
  A1[lid.x] = s1;
  A2[lid.x] = s2;
  workgroupBarrier();
  for (var w = WG / 2u; w > 0u; w = w >> 1u) {
    if (lid.x < w) {
      A1[lid.x] = A1[lid.x] + A1[lid.x + w];
      A2[lid.x] = A2[lid.x] + A2[lid.x + w];
    }
    workgroupBarrier();
  }
  if (lid.x == 0u && live) {
    let t1 = A1[0];
    let t2 = A2[0];
    if (BWD) {
      O[c] = t1;
      O[P.C + c] = t2;
    } else {
      let cnt = f32(P.N * P.S);
      let mu = t1 / cnt;
      O[c] = k + mu;
      O[P.C + c] = max(t2 / cnt - mu * mu, 0.0);
    }
  }
}

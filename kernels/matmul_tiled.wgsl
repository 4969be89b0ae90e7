// Shared-memory tiled batched matmul for real GPUs: a 16x16 workgroup computes a 64x64 tile of
// C, each invocation a 4x4 block (rows ty + 16*i, columns tx + 16*j, so neighbouring
// invocations touch neighbouring addresses). A and B are strided views read through their
// strides (transposed operands are never copied); out-of-range elements load as zero.
struct Params {
  M: u32, N: u32, K: u32, offC: u32,
  offA: u32, sAb: u32, sAm: u32, sAk: u32,
  offB: u32, sBb: u32, sBk: u32, sBn: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> C: array<f32>;
@group(0) @binding(2) var<storage, read_write> A: array<f32>;
@group(0) @binding(3) var<storage, read_write> B: array<f32>;

const BK: u32 = 16u;
var<workgroup> As: array<array<f32, 64>, 16>; // [k][m]
var<workgroup> Bs: array<array<f32, 64>, 16>; // [k][n]

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let tx = lid.x;
  let ty = lid.y;
  let t = ty * 16u + tx;
  let m0 = wid.y * 64u;
  let n0 = wid.x * 64u;
  let aBase = P.offA + wid.z * P.sAb;
  let bBase = P.offB + wid.z * P.sBb;
  var acc: array<array<f32, 4>, 4>;
  for (var i = 0u; i < 4u; i++) {
    for (var j = 0u; j < 4u; j++) { acc[i][j] = 0.0; }
  }
  for (var k0 = 0u; k0 < P.K; k0 += BK) {
    for (var l = 0u; l < 4u; l++) {
      let e = t + l * 256u; // 0..1023
      // A tile element (m = e % 64, k = e / 64)
      let am = e % 64u;
      let ak = e / 64u;
      var av = 0.0;
      if (m0 + am < P.M && k0 + ak < P.K) { av = A[aBase + (m0 + am) * P.sAm + (k0 + ak) * P.sAk]; }
      As[ak][am] = av;
      // B tile element (n = e % 64, k = e / 64)
      var bv = 0.0;
      if (n0 + am < P.N && k0 + ak < P.K) { bv = B[bBase + (k0 + ak) * P.sBk + (n0 + am) * P.sBn]; }
      Bs[ak][am] = bv;
    }
    workgroupBarrier();
    for (var k = 0u; k < BK; k++) {
      var a: array<f32, 4>;
      var b: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) { a[i] = As[k][ty + 16u * i]; b[i] = Bs[k][tx + 16u * i]; }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) { acc[i][j] = fma(a[i], b[j], acc[i][j]); }
      }
    }
    workgroupBarrier();
  }
  let cBase = P.offC + wid.z * P.M * P.N;
  for (var i = 0u; i < 4u; i++) {
    let m = m0 + ty + 16u * i;
    if (m >= P.M) { continue; }
    for (var j = 0u; j < 4u; j++) {
      let n = n0 + tx + 16u * j;
      if (n < P.N) { C[cBase + m * P.N + n] = acc[i][j]; }
    }
  }
}

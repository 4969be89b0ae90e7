// Max pooling over [N, C, H, W] views (any strides), one invocation per output element:
// values (contiguous [N, C, oh, ow]) and the int32 index h·W + w of the first maximum (NaN wins,
// as in PyTorch). Padding taps are skipped (they read −∞). Workgroups run along one plane
// (wid.y), so the only per-element division is j / ow, done in f32 (`inv` = 1/ow; 0 when the
// plane is too large for exact f32 indices).
struct Params {
  N: u32, C: u32, H: u32, W: u32,
  sN: u32, sC: u32, sH: u32, sW: u32,
  off: u32, kh: u32, kw: u32, sh: u32,
  sw: u32, ph: u32, pw: u32, dh: u32,
  dw: u32, oh: u32, ow: u32, ohw: u32,
  inv: f32, np: u32, p0: u32, p1: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> X: array<f32>;
@group(0) @binding(2) var<storage, read_write> O: array<f32>;
@group(0) @binding(3) var<storage, read_write> I: array<i32>;

fn is_nan(v: f32) -> bool {
  // Bit test: llvmpipe folds v != v to false.
  return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let j = wid.x * 64u + lid.x;
  if (j >= P.ohw) { return; }
  var oy: u32;
  if (P.inv != 0.0) {
    oy = u32(f32(j) * P.inv);
    let r = i32(j) - i32(oy * P.ow);
    if (r < 0) { oy -= 1u; } else if (r >= i32(P.ow)) { oy += 1u; }
  } else {
    oy = j / P.ow;
  }
  let ox = j - oy * P.ow;
  for (var pl = wid.y; pl < P.np; pl += nwg.y) {
  let o = pl * P.ohw + j;
  let n = pl / P.C;
  let c = pl - n * P.C;
  let base = P.off + n * P.sN + c * P.sC;
  var h0 = i32(oy * P.sh) - i32(P.ph);
  var w0 = i32(ox * P.sw) - i32(P.pw);
  let h1 = min(h0 + i32((P.kh - 1u) * P.dh + 1u), i32(P.H));
  let w1 = min(w0 + i32((P.kw - 1u) * P.dw + 1u), i32(P.W));
  while (h0 < 0) { h0 += i32(P.dh); }
  while (w0 < 0) { w0 += i32(P.dw); }
  var best = bitcast<f32>(0xff800000u);
  var bi = h0 * i32(P.W) + w0;
  for (var h = h0; h < h1; h += i32(P.dh)) {
    let rb = base + u32(h) * P.sH;
    for (var w = w0; w < w1; w += i32(P.dw)) {
      let v = X[rb + u32(w) * P.sW];
      if (v > best || is_nan(v)) {
        best = v;
        bi = h * i32(P.W) + w;
        if (is_nan(v)) { break; }
      }
    }
    if (is_nan(best)) { break; }
  }
  O[o] = best;
  I[o] = bi;
  }
}

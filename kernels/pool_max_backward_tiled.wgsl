// Max-pool input gradient for windows that tile the plane exactly (stride = kernel, no padding
// or dilation, oh·kh = H, ow·kw = W): one invocation per output writes its whole window, g at
// the indexed tap and 0 elsewhere, so every input element is written once. Workgroups run
// along one plane (wid.y); `total` is oh·ow and j / ow is done in f32 (see pool_max.wgsl).
struct Params {
  N: u32, C: u32, H: u32, W: u32,
  gN: u32, gC: u32, gH: u32, gW: u32,
  goff: u32, kh: u32, kw: u32, sh: u32,
  sw: u32, ph: u32, pw: u32, dh: u32,
  dw: u32, oh: u32, ow: u32, total: u32,
  iN: u32, iC: u32, iH: u32, iW: u32,
  ioff: u32, inv: f32, np: u32, p2: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> G: array<f32>;
@group(0) @binding(2) var<storage, read_write> I: array<i32>;
@group(0) @binding(3) var<storage, read_write> O: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let j = wid.x * 64u + lid.x;
  if (j >= P.total) { return; }
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
  let n = pl / P.C;
  let c = pl - n * P.C;
  let g = G[P.goff + n * P.gN + c * P.gC + oy * P.gH + ox * P.gW];
  let idx = I[P.ioff + n * P.iN + c * P.iC + oy * P.iH + ox * P.iW];
  let ob = pl * P.H * P.W;
  for (var ky = 0u; ky < P.kh; ky++) {
    let h = oy * P.kh + ky;
    for (var kx = 0u; kx < P.kw; kx++) {
      let w = ox * P.kw + kx;
      let me = i32(h * P.W + w);
      O[ob + h * P.W + w] = select(0.0, g, idx == me);
    }
  }
  }
}

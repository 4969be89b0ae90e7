// Max-pool input gradient for windows that tile the plane exactly (stride = kernel, no padding
// or dilation, oh·kh = H, ow·kw = W): one invocation per output writes its whole window, g at
// the indexed tap and 0 elsewhere, so every input element is written once.
struct Params {
  N: u32, C: u32, H: u32, W: u32,
  gN: u32, gC: u32, gH: u32, gW: u32,
  goff: u32, kh: u32, kw: u32, sh: u32,
  sw: u32, ph: u32, pw: u32, dh: u32,
  dw: u32, oh: u32, ow: u32, total: u32,
  iN: u32, iC: u32, iH: u32, iW: u32,
  ioff: u32, p0: u32, p1: u32, p2: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> G: array<f32>;
@group(0) @binding(2) var<storage, read_write> I: array<i32>;
@group(0) @binding(3) var<storage, read_write> O: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let o = (wid.y * nwg.x + wid.x) * 64u + lid.x;
  if (o >= P.total) { return; }
  let ox = o % P.ow;
  let t = o / P.ow;
  let oy = t % P.oh;
  let pl = t / P.oh;
  let c = pl % P.C;
  let n = pl / P.C;
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

// Max-pool input gradient as a gather, no atomics: one invocation per input element (h, w)
// visits the windows covering it and sums g where the window's index names it. G and I are
// [N, C, oh, ow] views (any strides); out is contiguous [N, C, H, W].
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
  let e = (wid.y * nwg.x + wid.x) * 64u + lid.x;
  if (e >= P.total) { return; }
  let w = e % P.W;
  let t = e / P.W;
  let h = t % P.H;
  let pl = t / P.H;
  let c = pl % P.C;
  let n = pl / P.C;
  let me = i32(h * P.W + w);
  let gb = P.goff + n * P.gN + c * P.gC;
  let ib = P.ioff + n * P.iN + c * P.iC;
  var acc = 0.0;
  for (var ky = 0u; ky < P.kh; ky++) {
    let ty = i32(h + P.ph) - i32(ky * P.dh);
    if (ty < 0 || (u32(ty) % P.sh) != 0u) { continue; }
    let oy = u32(ty) / P.sh;
    if (oy >= P.oh) { continue; }
    for (var kx = 0u; kx < P.kw; kx++) {
      let tx = i32(w + P.pw) - i32(kx * P.dw);
      if (tx < 0 || (u32(tx) % P.sw) != 0u) { continue; }
      let ox = u32(tx) / P.sw;
      if (ox >= P.ow) { continue; }
      if (I[ib + oy * P.iH + ox * P.iW] == me) { acc += G[gb + oy * P.gH + ox * P.gW]; }
    }
  }
  O[e] = acc;
}

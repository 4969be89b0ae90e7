// col2im as a gather: each output pixel sums the window positions that read it (no atomics,
// deterministic order). cols [N, C*kh*kw, oh*ow] (strided) -> out [N, C, H, W].
struct Params {
  n: u32, C: u32, H: u32, W: u32,
  kh: u32, kw: u32, sh: u32, sw: u32,
  ph: u32, pw: u32, dh: u32, dw: u32,
  oh: u32, ow: u32, coff: u32, _p: u32,
  s0: u32, s1: u32, s2: u32, _q: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> O: array<{{T}}>;
@group(0) @binding(2) var<storage, read_write> X: array<{{T}}>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * 256u + lid.x;
  if (i >= P.n) { return; }
  let ix = i32(i % P.W);
  var t = i / P.W;
  let iy = i32(t % P.H);
  t = t / P.H;
  let c = t % P.C;
  let n = t / P.C;
  var acc = {{T}}(0);
  for (var ki = 0u; ki < P.kh; ki++) {
    let ty = iy + i32(P.ph) - i32(ki * P.dh);
    if (ty < 0 || u32(ty) % P.sh != 0u) { continue; }
    let y = u32(ty) / P.sh;
    if (y >= P.oh) { continue; }
    for (var kj = 0u; kj < P.kw; kj++) {
      let tx = ix + i32(P.pw) - i32(kj * P.dw);
      if (tx < 0 || u32(tx) % P.sw != 0u) { continue; }
      let x = u32(tx) / P.sw;
      if (x >= P.ow) { continue; }
      let row = (c * P.kh + ki) * P.kw + kj;
      acc += X[P.coff + n * P.s0 + row * P.s1 + (y * P.ow + x) * P.s2];
    }
  }
  O[i] = acc;
}

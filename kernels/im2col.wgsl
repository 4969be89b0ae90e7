// im2col: x [N, C, H, W] (strided) -> out [N, C*kh*kw, oh*ow] (strided); padding reads `pad`.
// ROWS_INNER: out is pixel-major ([N, oh*ow, C*kh*kw] permuted), so invocation i walks
// (n, y, x, c, ki, kj) and consecutive invocations write consecutive addresses.
struct Params {
  n: u32, C: u32, H: u32, W: u32,
  kh: u32, kw: u32, sh: u32, sw: u32,
  ph: u32, pw: u32, dh: u32, dw: u32,
  oh: u32, ow: u32, xoff: u32, pad: f32,
  sn: u32, sc: u32, sy: u32, sx: u32,
  ooff: u32, on: u32, orow: u32, opix: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> O: array<{{T}}>;
@group(0) @binding(2) var<storage, read_write> X: array<{{T}}>;

const ROWS_INNER: bool = {{ROWS_INNER}};

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * 256u + lid.x;
  if (i >= P.n) { return; }
  var x: u32;
  var y: u32;
  var kj: u32;
  var ki: u32;
  var c: u32;
  var n: u32;
  if (ROWS_INNER) {
    kj = i % P.kw;
    var t = i / P.kw;
    ki = t % P.kh;
    t = t / P.kh;
    c = t % P.C;
    t = t / P.C;
    x = t % P.ow;
    t = t / P.ow;
    y = t % P.oh;
    n = t / P.oh;
  } else {
    x = i % P.ow;
    var t = i / P.ow;
    y = t % P.oh;
    t = t / P.oh;
    kj = t % P.kw;
    t = t / P.kw;
    ki = t % P.kh;
    t = t / P.kh;
    c = t % P.C;
    n = t / P.C;
  }
  let o = P.ooff + n * P.on + ((c * P.kh + ki) * P.kw + kj) * P.orow + (y * P.ow + x) * P.opix;
  let iy = i32(y * P.sh + ki * P.dh) - i32(P.ph);
  let ix = i32(x * P.sw + kj * P.dw) - i32(P.pw);
  if (iy < 0 || ix < 0 || u32(iy) >= P.H || u32(ix) >= P.W) {
    O[o] = {{T}}(P.pad);
    return;
  }
  O[o] = X[P.xoff + n * P.sn + c * P.sc + u32(iy) * P.sy + u32(ix) * P.sx];
}

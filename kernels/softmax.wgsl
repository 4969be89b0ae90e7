// Row softmax / logSoftmax over the last dim, one invocation per row: max, exp-sum and
// normalise in one dispatch with no barriers (cheap on llvmpipe, where a workgroup's lanes run
// as SIMD loops). X is read through (offset, row stride, column stride); O is contiguous [M, R].
struct Params {
  M: u32,
  R: u32,
  offset: u32,
  rs: u32,
  cs: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> X: array<f32>;
@group(0) @binding(2) var<storage, read_write> O: array<f32>;

const LOG: bool = {{LOG}};

fn neg_inf() -> f32 {
  var bits = 0xff800000u;
  return bitcast<f32>(bits);
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = (wid.y * nwg.x + wid.x) * 64u + lid.x;
  if (row >= P.M) { return; }
  let xb = P.offset + row * P.rs;
  let ob = row * P.R;
  var m = neg_inf();
  var nan = false;
  for (var j = 0u; j < P.R; j++) {
    let v = X[xb + j * P.cs];
    nan = nan || (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;
    m = max(m, v);
  }
  if (nan) {
    var nb = 0x7fc00000u;
    m = bitcast<f32>(nb);
  }
  var s = 0.0;
  for (var j = 0u; j < P.R; j++) {
    let e = exp(X[xb + j * P.cs] - m);
    s += e;
    if (!LOG) { O[ob + j] = e; }
  }
  if (LOG) {
    let c = m + log(s);
    for (var j = 0u; j < P.R; j++) { O[ob + j] = X[xb + j * P.cs] - c; }
  } else {
    let r = 1.0 / s;
    for (var j = 0u; j < P.R; j++) { O[ob + j] = O[ob + j] * r; }
  }
}

// Scalar functions of the binary kernel: b_<op>_<compute type> (f = f32, i = i32 for int32 and
// bool). Ops without an i variant run in f32 and are converted on store.

fn b_nan() -> f32 {
  var bits = 0x7fc00000u;
  return bitcast<f32>(bits);
}
fn b_is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }

fn b_add_f(a: f32, b: f32) -> f32 { return a + b; }
fn b_add_i(a: i32, b: i32) -> i32 { return a + b; }
fn b_sub_f(a: f32, b: f32) -> f32 { return a - b; }
fn b_sub_i(a: i32, b: i32) -> i32 { return a - b; }
fn b_mul_f(a: f32, b: f32) -> f32 { return a * b; }
fn b_mul_i(a: i32, b: i32) -> i32 { return a * b; }
fn b_div_f(a: f32, b: f32) -> f32 { return a / b; }
fn b_pow_f(a: f32, b: f32) -> f32 {
  if (b == 2.0) { return a * a; }
  return pow_f(a, b);
}
// Exact integer power by squaring (wrapping like int64 in PyTorch); a negative exponent gives
// 0 except for bases 1 and -1, as PyTorch's integer pow does (float pow made 0 ** -1 saturate).
fn b_pow_i(a: i32, b: i32) -> i32 {
  if (b < 0) {
    if (a == 1) { return 1; }
    if (a == -1) { return select(1, -1, (b & 1) != 0); }
    return 0;
  }
  var r = 1;
  var base = a;
  var e = b;
  loop {
    if (e == 0) { break; }
    if ((e & 1) != 0) { r = r * base; }
    base = base * base;
    e = e >> 1u;
  }
  return r;
}
// NaN propagates through maximum/minimum, as in PyTorch.
fn b_maximum_f(a: f32, b: f32) -> f32 {
  if (b_is_nan(a) || b_is_nan(b)) { return b_nan(); }
  return max(a, b);
}
fn b_maximum_i(a: i32, b: i32) -> i32 { return max(a, b); }
fn b_minimum_f(a: f32, b: f32) -> f32 {
  if (b_is_nan(a) || b_is_nan(b)) { return b_nan(); }
  return min(a, b);
}
fn b_minimum_i(a: i32, b: i32) -> i32 { return min(a, b); }
fn b_eq_f(a: f32, b: f32) -> bool { return a == b; }
fn b_eq_i(a: i32, b: i32) -> bool { return a == b; }
// Not `a != b`: llvmpipe compiles it as an ordered compare, false when either side is NaN.
fn b_ne_f(a: f32, b: f32) -> bool { return !(a == b); }
fn b_ne_i(a: i32, b: i32) -> bool { return a != b; }
fn b_lt_f(a: f32, b: f32) -> bool { return a < b; }
fn b_lt_i(a: i32, b: i32) -> bool { return a < b; }
fn b_le_f(a: f32, b: f32) -> bool { return a <= b; }
fn b_le_i(a: i32, b: i32) -> bool { return a <= b; }
fn b_gt_f(a: f32, b: f32) -> bool { return a > b; }
fn b_gt_i(a: i32, b: i32) -> bool { return a > b; }
fn b_ge_f(a: f32, b: f32) -> bool { return a >= b; }
fn b_ge_i(a: i32, b: i32) -> bool { return a >= b; }
// NOTE: !(x == 0.0), not x != 0.0: NaN is true, and llvmpipe folds != into an ordered compare.
fn b_and_f(a: f32, b: f32) -> bool { return !(a == 0.0) && !(b == 0.0); }
fn b_and_i(a: i32, b: i32) -> bool { return a != 0 && b != 0; }
fn b_or_f(a: f32, b: f32) -> bool { return !(a == 0.0) || !(b == 0.0); }
fn b_or_i(a: i32, b: i32) -> bool { return a != 0 || b != 0; }
// llvmpipe's atan2 returns 0 for NaN and mishandles a zero y; the IEEE results are patched in
// (NaN bits tested directly, as v != v is folded).
fn b_atan2_f(a: f32, b: f32) -> f32 {
  let nan = (bitcast<u32>(a) & 0x7fffffffu) > 0x7f800000u ||
    (bitcast<u32>(b) & 0x7fffffffu) > 0x7f800000u;
  if (nan) { return bitcast<f32>(0x7fc00000u); }
  if (a == 0.0) {
    // ±0 over +x (or +0) is ±0; over -x (or -0) it is ±π.
    let aNeg = (bitcast<u32>(a) & 0x80000000u) != 0u;
    if (b < 0.0 || bitcast<u32>(b) == 0x80000000u) { return select(3.14159265, -3.14159265, aNeg); }
    return a;
  }
  return atan2(a, b);
}
// NOTE: WGSL defines f32 % as a - b * trunc(a / b): NaN for an infinite divisor, where C's
// fmod returns a, and not exact when the quotient is large (within float32 tolerance here).
fn b_fmod_f(a: f32, b: f32) -> f32 {
  let inf_b = (bitcast<u32>(b) & 0x7fffffffu) == 0x7f800000u;
  let inf_a = (bitcast<u32>(a) & 0x7fffffffu) == 0x7f800000u;
  if (inf_b && !inf_a && !b_is_nan(a)) { return a; }
  return a % b;
}
// Integer remainder by zero is an error in PyTorch; write 0 here, as the CPU backend does.
fn b_fmod_i(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  return a % b;
}

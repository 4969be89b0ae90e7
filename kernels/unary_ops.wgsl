// Scalar functions of the unary kernel. Names: u_<op>_<compute type>, where f = f32 and
// i = i32 (int32 and bool inputs). The host picks the name; ops without an i variant run in f32.

fn f_inf() -> f32 {
  // A runtime value: a constant infinity is a shader-creation error in WGSL.
  var bits = 0x7f800000u;
  return bitcast<f32>(bits);
}
fn f_nan() -> f32 {
  var bits = 0x7fc00000u;
  return bitcast<f32>(bits);
}
fn is_nan(x: f32) -> bool {
  // Bit test instead of x != x, which fast-math compilers may fold to false.
  return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u;
}

// tanh without overflow for large |x| (exp(2x) would be inf/inf).
// llvmpipe compiles with fast-math, which folds the rounding tricks that keep small arguments
// accurate ((1 + x) - 1 becomes x). Near zero, where the closed forms cancel, the functions below
// use their Taylor series instead (truncation error < 1e-10 relative at the switch-over).
fn safe_tanh(x: f32) -> f32 {
  let ax = abs(x);
  if (ax < 0.1) {
    let x2 = x * x;
    return x * (1.0 + x2 * (-0.33333333 + x2 * (0.13333333 + x2 * -0.053968254)));
  }
  let e = exp(-2.0 * ax);
  let t = (1.0 - e) / (1.0 + e);
  return select(t, -t, x < 0.0);
}

// erf: Taylor series below 0.5; above, Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7, relative
// < 3e-7 there).
fn erf_f(x: f32) -> f32 {
  let ax = abs(x);
  if (ax < 0.5) {
    let x2 = x * x;
    let p = 1.0 + x2 * (-0.33333333 + x2 * (0.1 + x2 * (-0.023809524 + x2 * (0.0046296296 +
      x2 * -0.00075757576))));
    return 1.1283791671 * x * p;
  }
  let t = 1.0 / (1.0 + 0.3275911 * ax);
  let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t +
    0.254829592) * t * exp(-ax * ax);
  return select(y, -y, x < 0.0);
}

// pow with C semantics for negative bases and integer exponents (WGSL's pow is undefined there).
fn pow_f(x: f32, y: f32) -> f32 {
  // C: pow(x, ±0) = 1 and pow(1, y) = 1 even for NaN; pow(-1, ±inf) = 1.
  if (y == 0.0 || x == 1.0 || (x == -1.0 && abs(y) == f_inf())) { return 1.0; }
  let ax = abs(x);
  var r: f32;
  if (ax == 0.0) {
    r = select(0.0, f_inf(), y < 0.0);
  } else {
    r = exp2(y * log2(ax));
  }
  if (x < 0.0 || (x == 0.0 && bitcast<u32>(x) != 0u)) {
    if (y != floor(y)) { return f_nan(); }
    if (fract(y * 0.5) != 0.0) { r = -r; }
  }
  return r;
}

fn u_copy_f(x: f32, a: f32, b: f32) -> f32 { return x; }
fn u_copy_i(x: i32, a: i32, b: i32) -> i32 { return x; }
fn u_neg_f(x: f32, a: f32, b: f32) -> f32 { return -x; }
fn u_neg_i(x: i32, a: i32, b: i32) -> i32 { return -x; }
fn u_abs_f(x: f32, a: f32, b: f32) -> f32 { return abs(x); }
fn u_abs_i(x: i32, a: i32, b: i32) -> i32 { return abs(x); }
fn u_exp_f(x: f32, a: f32, b: f32) -> f32 { return exp(x); }
fn u_log_f(x: f32, a: f32, b: f32) -> f32 {
  if (x < 0.0) { return f_nan(); }
  if (x == 0.0) { return -f_inf(); }
  return log(x);
}
fn u_sqrt_f(x: f32, a: f32, b: f32) -> f32 { return select(sqrt(x), f_nan(), x < 0.0); }
fn u_rsqrt_f(x: f32, a: f32, b: f32) -> f32 {
  // 1 / sqrt(-0) is -inf.
  if (x == 0.0) { return select(f_inf(), -f_inf(), bitcast<u32>(x) == 0x80000000u); }
  return select(1.0 / sqrt(x), f_nan(), x < 0.0);
}
fn u_sin_f(x: f32, a: f32, b: f32) -> f32 { return sin(x); }
fn u_cos_f(x: f32, a: f32, b: f32) -> f32 { return cos(x); }
fn u_tanh_f(x: f32, a: f32, b: f32) -> f32 { return safe_tanh(x); }
fn u_sigmoid_f(x: f32, a: f32, b: f32) -> f32 { return 1.0 / (1.0 + exp(-x)); }
// NaN passes through and -0 stays -0, as in PyTorch.
fn u_relu_f(x: f32, a: f32, b: f32) -> f32 { return select(x, 0.0, x < 0.0); }
fn u_relu_i(x: i32, a: i32, b: i32) -> i32 { return max(x, 0); }
// PyTorch 1.13: (0 < x) - (x < 0), so ±0 and NaN give +0.
fn u_sign_f(x: f32, a: f32, b: f32) -> f32 {
  if (x > 0.0) { return 1.0; }
  if (x < 0.0) { return -1.0; }
  return 0.0;
}
fn u_sign_i(x: i32, a: i32, b: i32) -> i32 { return sign(x); }
fn u_erf_f(x: f32, a: f32, b: f32) -> f32 { return erf_f(x); }
fn u_floor_f(x: f32, a: f32, b: f32) -> f32 { return floor(x); }
fn u_ceil_f(x: f32, a: f32, b: f32) -> f32 { return ceil(x); }
// WGSL's round() rounds half to even, as torch.round does.
fn u_round_f(x: f32, a: f32, b: f32) -> f32 { return round(x); }
fn u_reciprocal_f(x: f32, a: f32, b: f32) -> f32 { return 1.0 / x; }
fn u_not_f(x: f32, a: f32, b: f32) -> bool { return x == 0.0; }
fn u_not_i(x: i32, a: i32, b: i32) -> bool { return x == 0; }
fn u_gelu_f(x: f32, a: f32, b: f32) -> f32 { return 0.5 * x * (1.0 + erf_f(x * 0.7071067811865476)); }
fn u_gelu_tanh_f(x: f32, a: f32, b: f32) -> f32 {
  return 0.5 * x * (1.0 + safe_tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)));
}
// log1p/expm1 keep precision near 0 with the classic correction (Goldberg / Kahan).
fn u_log1p_f(x: f32, a: f32, b: f32) -> f32 {
  if (abs(x) < 0.1) {
    return x * (1.0 + x * (-0.5 + x * (0.33333333 + x * (-0.25 + x * (0.2 + x * (-0.16666667 +
      x * (0.14285714 + x * -0.125)))))));
  }
  return u_log_f(1.0 + x, a, b);
}
fn u_expm1_f(x: f32, a: f32, b: f32) -> f32 {
  if (abs(x) < 0.1) {
    return x * (1.0 + x * (0.5 + x * (0.16666667 + x * (0.041666667 + x * (0.0083333333 +
      x * (0.0013888889 + x * 0.00019841270))))));
  }
  return exp(x) - 1.0;
}
fn u_isnan_f(x: f32, a: f32, b: f32) -> bool { return is_nan(x); }
fn u_add_s_f(x: f32, a: f32, b: f32) -> f32 { return x + a; }
fn u_add_s_i(x: i32, a: i32, b: i32) -> i32 { return x + a; }
fn u_mul_s_f(x: f32, a: f32, b: f32) -> f32 { return x * a; }
fn u_mul_s_i(x: i32, a: i32, b: i32) -> i32 { return x * a; }
fn u_pow_s_f(x: f32, a: f32, b: f32) -> f32 {
  // Exact squares and cubes are common (x ** 2); avoid exp2/log2 rounding there.
  if (a == 2.0) { return x * x; }
  if (a == 1.0) { return x; }
  if (a == 3.0) { return x * x * x; }
  if (a == 0.5) { return u_sqrt_f(x, a, b); }
  return pow_f(x, a);
}
fn u_rpow_s_f(x: f32, a: f32, b: f32) -> f32 { return pow_f(a, x); }
fn u_clamp_f(x: f32, lo: f32, hi: f32) -> f32 {
  if (is_nan(x)) { return x; }
  return min(max(x, lo), hi);
}
fn u_clamp_i(x: i32, lo: i32, hi: i32) -> i32 { return min(max(x, lo), hi); }
fn u_leaky_relu_f(x: f32, a: f32, b: f32) -> f32 { return select(x * a, x, x > 0.0); }
fn u_gt_s_f(x: f32, a: f32, b: f32) -> bool { return x > a; }
fn u_gt_s_i(x: i32, a: i32, b: i32) -> bool { return x > a; }
fn u_lt_s_f(x: f32, a: f32, b: f32) -> bool { return x < a; }
fn u_lt_s_i(x: i32, a: i32, b: i32) -> bool { return x < a; }

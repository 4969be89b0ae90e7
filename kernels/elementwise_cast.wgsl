// Loads (storage type → compute type) and stores (compute type → storage type). bool is stored
// as u32 0/1 and computed as i32.
fn ld_f(v: f32) -> f32 { return v; }
fn ld_i(v: i32) -> i32 { return v; }
fn ld_b(v: u32) -> i32 { return i32(v); }
fn ld_i2f(v: i32) -> f32 { return f32(v); }
fn ld_b2f(v: u32) -> f32 { return f32(v); }
fn st_f32_f(v: f32) -> f32 { return v; }
fn st_f32_i(v: i32) -> f32 { return f32(v); }
fn st_f32_b(v: bool) -> f32 { return select(0.0, 1.0, v); }
fn st_i32_f(v: f32) -> i32 { return i32(v); }
fn st_i32_i(v: i32) -> i32 { return v; }
fn st_i32_b(v: bool) -> i32 { return select(0, 1, v); }
// NaN casts to true, as in PyTorch (!(v == 0.0): llvmpipe folds != into an ordered compare).
fn st_u32_f(v: f32) -> u32 { return select(0u, 1u, !(v == 0.0)); }
fn st_u32_i(v: i32) -> u32 { return select(0u, 1u, v != 0); }
fn st_u32_b(v: bool) -> u32 { return select(0u, 1u, v); }

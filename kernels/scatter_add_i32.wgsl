// Integer accumulation: native atomicAdd.
@group(0) @binding(1) var<storage, read_write> O: array<atomic<i32>>;
fn put(o: u32, v: i32) { atomicAdd(&O[o], v); }

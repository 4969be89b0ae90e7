// scatter without accumulation: plain store (duplicate indices: one of the writes wins).
@group(0) @binding(1) var<storage, read_write> O: array<{{T}}>;
fn put(o: u32, v: {{T}}) { O[o] = v; }

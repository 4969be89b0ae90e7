// Float atomic add: WGSL has no atomic<f32>, so compare-exchange on the bits until no other
// invocation raced us.
@group(0) @binding(1) var<storage, read_write> O: array<atomic<u32>>;
fn put(o: u32, v: f32) {
  var old = atomicLoad(&O[o]);
  loop {
    let r = atomicCompareExchangeWeak(&O[o], old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) { break; }
    old = r.old_value;
  }
}

// Optimizer trajectories against PyTorch 1.13: parameters after each of 6 steps on fixed
// gradients, and the final state in PyTorch's state-dict layout, from
// tests/fixtures/optim/optimizers.json (written by tools/gen_optim_fixtures.py).
import { Adam, AdamW, RMSprop, SGD } from "../src/optim/mod.ts";
import { type Ctor, optimizerCaseTests, optimizerFixture } from "./_support/optim_cases.ts";

optimizerCaseTests("optimizer fixture", optimizerFixture("optimizers.json"), {
  SGD: SGD as unknown as Ctor,
  Adam: Adam as unknown as Ctor,
  AdamW: AdamW as unknown as Ctor,
  RMSprop: RMSprop as unknown as Ctor,
});

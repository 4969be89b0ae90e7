// The WebGPU suites skip where no adapter exists (a laptop without Mesa's Vulkan driver); in CI
// the adapter is installed by .ci/run, so its absence must fail the run instead of skipping.
import { ok } from "node:assert/strict";
import { initWebGPU } from "../src/backend/webgpu/mod.ts";

Deno.test({
  name: "webgpu: an adapter is available in CI (so the GPU suites cannot silently skip)",
  ignore: !Deno.env.get("CI"),
  async fn() {
    const info = await initWebGPU();
    ok(info.description.length > 0, "adapter description");
  },
});

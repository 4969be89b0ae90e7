/** Checkpoint I/O: `save`/`load` (safetensors, PyTorch `.pt` reading) and format helpers. */
export { deserialize, load, save, serialize } from "./checkpoint.ts";
export type { Checkpoint, CheckpointValue, LoadOptions, MapLocation } from "./checkpoint.ts";
export { loadSafetensors, saveSafetensors } from "./state_dict.ts";
export { UnsafePickleError } from "./pickle.ts";

/** Which backend serves which device, and the default device. */
import type { Backend } from "./backend.ts";
import type { Device } from "../tensor/dtype.ts";
import { cpuBackend } from "./cpu/cpu_backend.ts";

const backends = new Map<Device, Backend>([["cpu", cpuBackend]]);
let defaultDevice: Device = "cpu";

/** Installs the implementation of a device (done by each backend's init). */
export function registerBackend(b: Backend): void {
  backends.set(b.device, b);
}

/** The backend of `device`, or a clear error when it is not initialised. */
export function backendFor(device: Device): Backend {
  const b = backends.get(device);
  if (b) return b;
  if (device === "webgpu") {
    throw new Error(
      `device "webgpu" is not initialised: call \`await initWebGPU()\` (or ` +
        "`await webgpu.isAvailable()`) once before creating webgpu tensors",
    );
  }
  throw new Error(`unknown device "${device}"; expected "cpu" or "webgpu"`);
}

/** Whether a backend for `device` is installed. */
export function hasBackend(device: Device): boolean {
  return backends.has(device);
}

/** The device new tensors go to when none is given, like torch.set_default_device. */
export function getDefaultDevice(): Device {
  return defaultDevice;
}

/** Sets the default device for creation ops. */
export function setDefaultDevice(device: Device): void {
  if (device !== "cpu" && device !== "webgpu") {
    throw new Error(`setDefaultDevice: unknown device "${device}"; expected "cpu" or "webgpu"`);
  }
  backendFor(device);
  defaultDevice = device;
}

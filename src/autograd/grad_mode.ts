/** Global grad mode, as torch.no_grad / torch.enable_grad. */

let enabled = true;

/** Whether ops currently record the autograd graph. */
export function isGradEnabled(): boolean {
  return enabled;
}

/** Sets grad mode and returns the previous value. */
export function setGradEnabled(on: boolean): boolean {
  const prev = enabled;
  enabled = on;
  return prev;
}

function runWithMode<T>(on: boolean, fn: () => T): T {
  const prev = setGradEnabled(on);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    enabled = prev;
    throw e;
  }
  if (result instanceof Promise) {
    // NOTE: the mode stays set until the promise settles, so an async body sees it throughout.
    return result.finally(() => {
      enabled = prev;
    }) as T;
  }
  enabled = prev;
  return result;
}

/** Runs `fn` (sync or async) without recording gradients, like `with torch.no_grad():`. */
export function noGrad<T>(fn: () => T): T {
  return runWithMode(false, fn);
}

/** Runs `fn` with gradients recorded even inside `noGrad`, like `torch.enable_grad()`. */
export function enableGrad<T>(fn: () => T): T {
  return runWithMode(true, fn);
}

/**
 * Size-bucketed pools of GPU buffers: storage buffers for tensors and MAP_READ staging buffers
 * for readback. Freed buffers are kept for reuse because creating buffers is slow (and on
 * llvmpipe zero-fills them); `emptyCache()` returns the cached ones to the driver.
 */

const MIN_BYTES = 256;

/** Rounds a request up to its bucket: powers of two with quarter steps (≤ 25% waste). */
export function bucketSize(bytes: number): number {
  if (bytes <= MIN_BYTES) return MIN_BYTES;
  const p = 2 ** Math.floor(Math.log2(bytes));
  const q = p / 4;
  return Math.ceil(bytes / q) * q;
}

/** A reusable set of buffers with one usage, keyed by bucket size. */
export class BufferPool {
  readonly #device: GPUDevice;
  readonly #usage: number;
  readonly #limit: number;
  readonly #free = new Map<number, GPUBuffer[]>();
  #reserved = 0;
  #cached = 0;
  #nextId = 1;
  /** Ids of buffers, so bind groups can be cached by the buffers they bind. */
  readonly ids: WeakMap<GPUBuffer, number> = new WeakMap();

  /** A pool creating buffers with `usage`, never larger than `limit` bytes when rounding. */
  constructor(device: GPUDevice, usage: number, limit: number) {
    this.#device = device;
    this.#usage = usage;
    this.#limit = limit;
  }

  /** A buffer of at least `bytes` bytes, from the pool when one is free. */
  acquire(bytes: number): GPUBuffer {
    const size = Math.max(Math.min(bucketSize(bytes), this.#limit), bytes, MIN_BYTES);
    const list = this.#free.get(size);
    const hit = list?.pop();
    if (hit) {
      this.#cached -= size;
      return hit;
    }
    const buf = this.#device.createBuffer({ size, usage: this.#usage });
    this.ids.set(buf, this.#nextId++);
    this.#reserved += size;
    return buf;
  }

  /** Returns a buffer for reuse. */
  release(buf: GPUBuffer): void {
    const size = buf.size;
    let list = this.#free.get(size);
    if (!list) this.#free.set(size, list = []);
    list.push(buf);
    this.#cached += size;
  }

  /** Bytes of all buffers this pool created and has not destroyed. */
  get reserved(): number {
    return this.#reserved;
  }

  /** Bytes sitting free in the pool. */
  get cached(): number {
    return this.#cached;
  }

  /** Destroys every free buffer. */
  clear(): void {
    for (const list of this.#free.values()) {
      for (const b of list) {
        this.#reserved -= b.size;
        b.destroy();
      }
    }
    this.#free.clear();
    this.#cached = 0;
  }
}

/** Random draws made on the host (permutations, shuffles) from a seeded Generator. */
import { philoxBlock } from "./philox.ts";
import { defaultGenerator, type Generator } from "./random.ts";

/** `n` raw 32-bit words from the generator. */
export function randomWords(n: number, gen: Generator = defaultGenerator): Uint32Array {
  const { key, counter } = gen.reserve(n);
  const out = new Uint32Array(Math.ceil(n / 4) * 4);
  const block = new Uint32Array(4);
  for (let i = 0; i < out.length; i += 4) {
    philoxBlock(key, counter + i / 4, block);
    out.set(block, i);
  }
  return out.subarray(0, n);
}

/** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
export function permutation(n: number, gen: Generator = defaultGenerator): Int32Array {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const words = randomWords(n, gen);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor((words[i] / 4294967296) * (i + 1));
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return perm;
}

/**
 * Deterministic randomness. Everything the emulator invents (ids, names, usage numbers, fault
 * decisions) comes from here so that one `seed` reproduces a whole session.
 */

/** A 32-bit hash with a final avalanche, so nearby keys ("…|1", "…|2") give unrelated values. */
export function hash32(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) that depends only on `key`: usage values must not depend on call order. */
export function unit(key: string): number {
  return hash32(key) / 4294967296;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A seeded stream (mulberry32) for things created in order, such as ids. */
export class Rng {
  private s: number;

  constructor(seed: string | number) {
    this.s = hash32(String(seed)) || 1;
  }

  /** Where the stream is (a saved emulator state resumes its ids from here, see persist.ts). */
  position(): number {
    return this.s;
  }

  moveTo(position: number): void {
    this.s = position | 0 || 1;
  }

  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  alnum(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += ALNUM[this.int(ALNUM.length)];
    return out;
  }

  hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += '0123456789abcdef'[this.int(16)];
    return out;
  }
}

/**
 * A set of paths held as UTF-8 byte ranges of buffers that already exist (layer path arenas),
 * with a number per path. Merging layers looks up every path of every layer: as Map<string>
 * keys, each lookup first decoded the path into a new string and hashed it (a quarter of a second
 * for the 128,000 paths of the benchmark image); here a lookup hashes the bytes where they lie.
 * Open addressing with linear probing; keys are never removed.
 */

import { randomInt } from "node:crypto";

const FNV_PRIME = 0x01000193;
/**
 * FNV-1a's start state, random per process: paths come from untrusted layers, and with a fixed
 * start anyone can compute paths that all collide (FNV's whole state is its hash, so one
 * colliding pair of blocks gives any number of colliding concatenations), turning every lookup
 * into a walk over all of them. V8 seeds its string hashes for the same reason.
 */
const SEED = randomInt(2 ** 32) | 0;

/** murmur3's finaliser: every bit of the state reaches the low bits that pick a slot. */
function mix(hash: number): number {
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}

/** Seeded FNV-1a (32 bits) of bytes[start, end): http://www.isthe.com/chongo/tech/comp/fnv/ */
export function hashBytes(bytes: Uint8Array, start: number, end: number, seed = SEED): number {
  let hash = seed;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, FNV_PRIME);
  return mix(hash);
}

/**
 * Hashes a path and, in the same pass, its directory (the bytes before its last "/"): merging
 * compares directories of consecutive entries and looks them up. Results in the fields (no
 * object per call).
 */
export const pathHash = {
  hash: 0,
  /** Bytes before the last "/" (0 for an entry of the root). */
  dirLength: 0,
  dirHash: 0,
  of(bytes: Uint8Array, start: number, end: number): void {
    let hash = SEED;
    let slash = start;
    let dirHash = SEED;
    for (let p = start; p < end; p++) {
      const byte = bytes[p]!;
      if (byte === 0x2f) {
        slash = p;
        dirHash = hash;
      }
      hash = Math.imul(hash ^ byte, FNV_PRIME);
    }
    this.hash = mix(hash);
    this.dirLength = slash - start;
    this.dirHash = mix(dirHash);
  },
};

/**
 * Linear probing at a load of at most one half runs a few slots on average; a run this long
 * means hashes that collide on purpose (PathTable.byBytes).
 */
const MAX_PROBES = 256;

/** bytes[start, end) as Latin-1 text: one character per byte, so equal text means equal bytes. */
function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString("latin1");
}

/** Whether a[aStart, aStart + length) and b[bStart, …) hold the same bytes. */
export function sameBytes(
  a: Uint8Array,
  aStart: number,
  b: Uint8Array,
  bStart: number,
  length: number,
): boolean {
  for (let i = 0; i < length; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}

export class PathTable {
  /** Buffers keys point into, by number (`addBuffer`). */
  private readonly buffers: Uint8Array[] = [];
  /** Key number + 1 per slot; 0: empty. */
  private slots: Int32Array;
  private mask: number;
  private keyBuffer: Int32Array;
  private keyStart: Float64Array;
  private keyLength: Int32Array;
  private keyHash: Int32Array;
  /** One number per key, for the caller (a layer's entry index, a cached answer). */
  values: Int32Array;
  size = 0;
  /**
   * Keys by their bytes (as Latin-1 text, one character a byte), once a probe ran past
   * MAX_PROBES: then the hashes collide far beyond chance (paths built against them), and a Map,
   * whose string hashes V8 seeds itself, bounds every lookup instead.
   */
  private byBytes: Map<string, number> | null = null;

  constructor(expectedKeys = 16) {
    let capacity = 16;
    while (capacity < expectedKeys * 2) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    const keys = capacity >> 1;
    this.keyBuffer = new Int32Array(keys);
    this.keyStart = new Float64Array(keys);
    this.keyLength = new Int32Array(keys);
    this.keyHash = new Int32Array(keys);
    this.values = new Int32Array(keys);
  }

  /** Whether the table gave up hashing for a Map (see byBytes). */
  get collisionFallback(): boolean {
    return this.byBytes !== null;
  }

  /** Registers a buffer keys may point into; returns its number. */
  addBuffer(bytes: Uint8Array): number {
    this.buffers.push(bytes);
    return this.buffers.length - 1;
  }

  /** The key equal to bytes[start, end) (`hash` = hashBytes of them), or -1. */
  find(bytes: Uint8Array, start: number, end: number, hash: number): number {
    if (this.byBytes !== null) return this.byBytes.get(latin1(bytes, start, end)) ?? -1;
    const length = end - start;
    for (let slot = hash & this.mask, probes = 0; ; slot = (slot + 1) & this.mask) {
      if (++probes > MAX_PROBES) {
        this.switchToMap();
        return this.find(bytes, start, end, hash);
      }
      const key = this.slots[slot]! - 1;
      if (key < 0) return -1;
      if (
        this.keyHash[key] === hash &&
        this.keyLength[key] === length &&
        sameBytes(this.buffers[this.keyBuffer[key]!]!, this.keyStart[key]!, bytes, start, length)
      )
        return key;
    }
  }

  /**
   * Adds a key that is not in the table yet: bytes[start, end) of buffer number `buffer`.
   * Returns its number (0, 1, 2 … in order of insertion).
   */
  insert(buffer: number, start: number, end: number, hash: number, value = 0): number {
    if ((this.size + 1) * 2 > this.slots.length) this.grow(this.slots.length * 2);
    const key = this.size++;
    this.keyBuffer[key] = buffer;
    this.keyStart[key] = start;
    this.keyLength[key] = end - start;
    this.keyHash[key] = hash;
    this.values[key] = value;
    this.place(key, hash);
    return key;
  }

  /**
   * Makes room for `keys` keys in all, at once: a merge reserves a layer's entries before adding
   * them, rather than doubling the table (and placing every key again) several times.
   */
  reserve(keys: number): void {
    let capacity = this.slots.length;
    while (keys * 2 > capacity) capacity *= 2;
    if (capacity > this.slots.length) this.grow(capacity);
  }

  /** Adds bytes[start, end) of buffer number `buffer` unless an equal key is there. */
  add(buffer: number, start: number, end: number, hash: number): void {
    if (this.find(this.buffers[buffer]!, start, end, hash) < 0) this.insert(buffer, start, end, hash);
  }

  /** Adds a path given as a string (its UTF-8 bytes, as the layer arenas hold them). */
  addString(path: string): void {
    const bytes = Buffer.from(path, "utf8");
    this.add(this.addBuffer(bytes), 0, bytes.length, hashBytes(bytes, 0, bytes.length));
  }

  /** The key equal to a path given as a string, or -1. */
  findString(path: string): number {
    const bytes = Buffer.from(path, "utf8");
    return this.find(bytes, 0, bytes.length, hashBytes(bytes, 0, bytes.length));
  }

  private place(key: number, hash: number): void {
    if (this.byBytes !== null) {
      this.byBytes.set(this.keyText(key), key);
      return;
    }
    let slot = hash & this.mask;
    for (let probes = 0; this.slots[slot] !== 0; slot = (slot + 1) & this.mask) {
      if (++probes > MAX_PROBES) {
        this.switchToMap(); // places every key, this one included
        return;
      }
    }
    this.slots[slot] = key + 1;
  }

  private keyText(key: number): string {
    const start = this.keyStart[key]!;
    return latin1(this.buffers[this.keyBuffer[key]!]!, start, start + this.keyLength[key]!);
  }

  private switchToMap(): void {
    this.byBytes = new Map();
    for (let key = 0; key < this.size; key++) this.byBytes.set(this.keyText(key), key);
  }

  private grow(capacity: number): void {
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    const keys = capacity >> 1;
    const widen = <T extends Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(keys);
      next.set(old);
      return next;
    };
    this.keyBuffer = widen(this.keyBuffer, (n) => new Int32Array(n));
    this.keyStart = widen(this.keyStart, (n) => new Float64Array(n));
    this.keyLength = widen(this.keyLength, (n) => new Int32Array(n));
    this.keyHash = widen(this.keyHash, (n) => new Int32Array(n));
    this.values = widen(this.values, (n) => new Int32Array(n));
    if (this.byBytes === null) for (let key = 0; key < this.size; key++) this.place(key, this.keyHash[key]!);
  }
}

/**
 * The audit's shared model of an image: every path of every layer interned once into a
 * "slot" (a global tree of paths, parents before children), each layer's entries, whiteouts
 * and opaque directories as slot arrays, and each slot's occurrences across layers. Built in
 * one linear pass over the LayerIndex columns that `readLayers` produced; the metrics
 * (dive-compatible, corrected, bloat, largest) are further linear passes over typed arrays,
 * so an audit costs little on top of reading the image.
 */
import { isAscii } from "node:buffer";
import type { LayerIndex } from "../image/layer-index.ts";
import { PathTable as BytesTable, hashBytes, pathHash, sameBytes } from "../image/path-table.ts";

/** A growable Int32Array (the model has one or more per path; objects would cost 10x). */
export class IntColumn {
  data: Int32Array;
  length = 0;
  constructor(initial = 1024) {
    this.data = new Int32Array(initial);
  }
  push(value: number): number {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = value;
    return this.length++;
  }
  /** The filled part, copied to an exact-size array. */
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** A growable Float64Array (byte offsets into path buffers may pass 2^31). */
class FloatColumn {
  data: Float64Array;
  length = 0;
  constructor(initial = 1024) {
    this.data = new Float64Array(initial);
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
}

const SLASH = 0x2f;

/** A name's bytes (PathTable.nameBytes): one shared object, no allocation per call. */
export interface NameBytes {
  buffer: Uint8Array;
  start: number;
  end: number;
}
const nameBytes: NameBytes = { buffer: new Uint8Array(0), start: 0, end: 0 };

export const ROOT_SLOT = 0;

/**
 * Paths interned as slots; slot 0 is `/`. A slot's parent always has a smaller slot.
 *
 * Paths are keyed by their UTF-8 bytes where the layer indexes hold them (LayerIndex.pathBytes,
 * hashed while the layers were read), as src/image/merge.ts does: interning the 128,000 paths
 * of the benchmark image as strings (decode each, hash it in a Map) was a third of the audit's
 * own time. A slot's path becomes a string only when a result shows it (`path`, `name`).
 */
export class PathTable {
  private readonly keys: BytesTable;
  /** Buffers the slots' bytes lie in, numbered as in `keys`. */
  private readonly buffers: Buffer[] = [];
  /** Bytes in use at the start of each buffer (a layer's arena has room to spare after them). */
  private readonly used: number[] = [];
  /**
   * Per buffer, once a path in it is asked for: its text when it is all ASCII, so that byte
   * offsets are string offsets and a path is a `slice` of it (no decoding call per path);
   * null when it is not.
   */
  private readonly asciiTexts: Array<string | null | undefined> = [];
  /** Per slot: the buffer its bytes lie in, their start and end. */
  private readonly bufferOf: IntColumn;
  private readonly starts: FloatColumn;
  private readonly ends: FloatColumn;
  /** Bytes before the last "/" of each slot's path. */
  private readonly dirLengths: IntColumn;
  private readonly parents: IntColumn;
  private readonly strings: string[] = [];
  private childStart?: Int32Array;
  private childList?: Int32Array;
  /**
   * The directory `intern` last looked up, and its slot: a tar lists a directory's entries
   * together, so most new paths have the previous one's parent, found again by comparing
   * bytes rather than by a probe of the hash table (the model's costly part).
   */
  private readonly lastDir = { buffer: -1, start: 0, length: 0, hash: 0, slot: ROOT_SLOT };

  /** `expectedPaths`: room to make at once (growing rehashes and copies every column). */
  constructor(expectedPaths = 1024) {
    const room = Math.max(16, expectedPaths + 1);
    this.keys = new BytesTable(room);
    this.starts = new FloatColumn(room);
    this.ends = new FloatColumn(room);
    this.dirLengths = new IntColumn(room);
    this.parents = new IntColumn(room);
    this.bufferOf = new IntColumn(room);
    // The root: an empty range (no layer path is empty; "/" itself is never an entry).
    const empty = this.addBuffer(Buffer.alloc(0));
    this.insert(empty, 0, 0, hashBytes(this.buffers[empty]!, 0, 0), 0, -1);
  }

  get size(): number {
    return this.parents.length;
  }

  /**
   * Registers a buffer of paths (a layer's path arena) whose first `used` bytes hold them;
   * returns its number for `intern`.
   */
  addBuffer(bytes: Buffer, used = bytes.length): number {
    this.buffers.push(bytes);
    this.used.push(used);
    return this.keys.addBuffer(bytes);
  }

  /**
   * The slot of the absolute path bytes[start, end) of buffer `buffer`, interning it and its
   * missing ancestors. `hash`, `dirLength`, `dirHash` as pathHash (src/image/path-table.ts)
   * gives them.
   */
  intern(
    buffer: number,
    start: number,
    end: number,
    hash: number,
    dirLength: number,
    dirHash: number,
  ): number {
    const bytes = this.buffers[buffer]!;
    const known = this.keys.find(bytes, start, end, hash);
    if (known >= 0) return known;
    let parent = ROOT_SLOT;
    if (dirLength > 0) {
      const last = this.lastDir;
      if (
        buffer === last.buffer &&
        dirLength === last.length &&
        dirHash === last.hash &&
        sameBytes(bytes, start, bytes, last.start, dirLength)
      ) {
        parent = last.slot;
      } else {
        const dirEnd = start + dirLength;
        parent = this.keys.find(bytes, start, dirEnd, dirHash);
        if (parent < 0) {
          let slash = dirEnd - 1;
          while (slash > start && bytes[slash] !== SLASH) slash--;
          parent = this.intern(buffer, start, dirEnd, dirHash, slash - start, hashBytes(bytes, start, slash));
        }
        last.buffer = buffer;
        last.start = start;
        last.length = dirLength;
        last.hash = dirHash;
        last.slot = parent;
      }
    }
    return this.insert(buffer, start, end, hash, dirLength, parent);
  }

  /** The slot of a path given as a string (whiteouts, opaque directories), interned if new. */
  internString(path: string): number {
    if (path === "/") return ROOT_SLOT;
    const bytes = Buffer.from(path, "utf8");
    pathHash.of(bytes, 0, bytes.length);
    const { hash, dirLength, dirHash } = pathHash;
    return this.intern(this.addBuffer(bytes), 0, bytes.length, hash, dirLength, dirHash);
  }

  private insert(
    buffer: number,
    start: number,
    end: number,
    hash: number,
    dirLength: number,
    parent: number,
  ): number {
    const slot = this.keys.insert(buffer, start, end, hash);
    this.starts.push(start);
    this.ends.push(end);
    this.dirLengths.push(dirLength);
    this.parents.push(parent);
    this.bufferOf.push(buffer);
    this.childStart = undefined;
    return slot;
  }

  lookup(path: string): number | undefined {
    if (path === "/") return ROOT_SLOT;
    const slot = this.keys.findString(path);
    return slot < 0 ? undefined : slot;
  }

  /** A slot's absolute path ("/" for the root). */
  path(slot: number): string {
    if (slot === ROOT_SLOT) return "/";
    let path = this.strings[slot];
    if (path === undefined) {
      path = this.text(slot, this.starts.data[slot]!);
      this.strings[slot] = path;
    }
    return path;
  }

  /** Every path by slot (for tests and small tables: the audit itself asks per slot). */
  get paths(): string[] {
    return Array.from({ length: this.size }, (_, slot) => this.path(slot));
  }

  parent(slot: number): number {
    return this.parents.data[slot]!;
  }

  /** Parent of every slot (-1 for the root), exact length. */
  parentArray(): Int32Array {
    return this.parents.data.subarray(0, this.parents.length);
  }

  /** The last component of a slot's path ("" for the root). */
  name(slot: number): string {
    if (slot === ROOT_SLOT) return "";
    return this.text(slot, this.starts.data[slot]! + this.dirLengths.data[slot]! + 1);
  }

  /**
   * The UTF-8 bytes of a slot's last component, for filters that look at names without making
   * strings: `nameBytes.buffer[nameBytes.start, nameBytes.end)` after the call.
   */
  nameBytes(slot: number): NameBytes {
    nameBytes.buffer = this.buffers[this.bufferOf.data[slot]!]!;
    nameBytes.start = slot === ROOT_SLOT ? 0 : this.starts.data[slot]! + this.dirLengths.data[slot]! + 1;
    nameBytes.end = this.ends.data[slot]!;
    return nameBytes;
  }

  /** The UTF-8 bytes of a slot's whole path, as `nameBytes` gives its name's (same shared object). */
  pathBytes(slot: number): NameBytes {
    nameBytes.buffer = this.buffers[this.bufferOf.data[slot]!]!;
    nameBytes.start = this.starts.data[slot]!;
    nameBytes.end = this.ends.data[slot]!;
    return nameBytes;
  }

  private text(slot: number, from: number): string {
    const buffer = this.bufferOf.data[slot]!;
    let whole = this.asciiTexts[buffer];
    if (whole === undefined) {
      const bytes = this.buffers[buffer]!.subarray(0, this.used[buffer]);
      whole = isAscii(bytes) ? bytes.toString("latin1") : null;
      this.asciiTexts[buffer] = whole;
    }
    const end = this.ends.data[slot]!;
    return whole === null ? this.buffers[buffer]!.toString("utf8", from, end) : whole.slice(from, end);
  }

  /** Children in compressed rows (counting sort by parent), built once after interning. */
  private buildChildren(): void {
    const n = this.size;
    const parents = this.parents.data;
    const start = new Int32Array(n + 1);
    for (let s = 1; s < n; s++) start[parents[s]! + 1]!++;
    for (let s = 0; s < n; s++) start[s + 1]! += start[s]!;
    const fill = start.slice(0, n);
    const list = new Int32Array(Math.max(0, n - 1));
    for (let s = 1; s < n; s++) list[fill[parents[s]!]!++] = s;
    this.childStart = start;
    this.childList = list;
  }

  /**
   * Children rows: the children of slot s are `list[start[s] .. start[s + 1])` (for passes over
   * every slot; `children`/`hasChildren` answer for one).
   */
  childRows(): { start: Int32Array; list: Int32Array } {
    if (!this.childStart) this.buildChildren();
    return { start: this.childStart!, list: this.childList! };
  }

  hasChildren(slot: number): boolean {
    if (!this.childStart) this.buildChildren();
    return this.childStart![slot + 1]! > this.childStart![slot]!;
  }

  children(slot: number): Int32Array {
    if (!this.childStart) this.buildChildren();
    return this.childList!.subarray(this.childStart![slot]!, this.childStart![slot + 1]!);
  }

  /** Calls `visit` for the slot's descendants (and the slot itself when `inclusive`), parents first. */
  forSubtree(slot: number, inclusive: boolean, visit: (slot: number) => void): void {
    if (!this.childStart) this.buildChildren();
    const start = this.childStart!;
    const list = this.childList!;
    const stack: number[] = inclusive ? [slot] : Array.from(this.children(slot));
    while (stack.length > 0) {
      const s = stack.pop()!;
      visit(s);
      for (let c = start[s]!; c < start[s + 1]!; c++) stack.push(list[c]!);
    }
  }
}

/** One layer in slot terms. */
export interface LayerSlots {
  /** Slot of each entry (same order as the LayerIndex). */
  entries: Int32Array;
  /** EntryKind code of each entry (LayerIndex.kindCodes: the passes read columns, not calls). */
  kinds: Uint8Array;
  /** Size of each entry (LayerIndex.sizeColumn). */
  sizes: Float64Array;
  /** Slots removed by `.wh.NAME` entries. */
  whiteouts: Int32Array;
  /** Directories made opaque by `.wh..wh..opq` (slot 0 for the root). */
  opaque: Int32Array;
  /** Entries written again later in the same tar (the later one wins), usually none. */
  superseded: Set<number>;
}

/**
 * Occurrences of explicit entries, newest layer first per slot: `head[slot]` is the topmost
 * occurrence id, `next[id]` the one below, `layer[id]`/`entry[id]` where it is.
 */
export interface Occurrences {
  head: Int32Array;
  next: Int32Array;
  layer: Int32Array;
  entry: Int32Array;
}

export interface ImageModel {
  indexes: readonly LayerIndex[];
  table: PathTable;
  layers: LayerSlots[];
  occurrences: Occurrences;
}

/** Interns every layer bottom-up; the one pass every other audit computation builds on. */
export function buildModel(indexes: readonly LayerIndex[]): ImageModel {
  // Every entry, whiteout and opaque directory may be a new path (most are, in most images).
  let expected = 0;
  for (const index of indexes) expected += index.count + index.whiteouts.length + index.opaqueDirs.length;
  const table = new PathTable(expected);
  const layers: LayerSlots[] = [];
  const occLayer = new IntColumn(expected + 1);
  const occEntry = new IntColumn(expected + 1);
  const occNext = new IntColumn(expected + 1);
  let head: Int32Array = new Int32Array(expected + 1).fill(-1);

  for (let layer = 0; layer < indexes.length; layer++) {
    const index = indexes[layer]!;
    const { bytes, ends, hashes, dirLengths, dirHashes } = index.pathBytes();
    const count = index.count;
    const buffer = table.addBuffer(bytes, count === 0 ? 0 : ends[count - 1]!);
    const entries = new Int32Array(count);
    const superseded = new Set<number>();
    for (let i = 0; i < count; i++) {
      const slot = table.intern(
        buffer,
        i === 0 ? 0 : ends[i - 1]!,
        ends[i]!,
        hashes[i]!,
        dirLengths[i]!,
        dirHashes[i]!,
      );
      entries[i] = slot;
      if (slot >= head.length) head = grown(head, Math.max(head.length * 2, slot + 1), -1);
      const top = head[slot]!;
      if (top >= 0 && occLayer.data[top] === layer) {
        // The same path twice in one tar: extraction keeps the last; drop the earlier occurrence.
        superseded.add(occEntry.data[top]!);
        occEntry.data[top] = i;
        continue;
      }
      const id = occLayer.push(layer);
      occEntry.push(i);
      occNext.push(top);
      head[slot] = id;
    }
    const whiteouts = Int32Array.from(index.whiteouts, (p) => table.internString(p));
    const opaque = Int32Array.from(index.opaqueDirs, (p) => table.internString(p));
    layers.push({
      entries,
      kinds: index.kindCodes(),
      sizes: index.sizeColumn(),
      whiteouts,
      opaque,
      superseded,
    });
  }

  if (head.length < table.size) head = grown(head, table.size, -1);
  return {
    indexes,
    table,
    layers,
    occurrences: {
      head: head.subarray(0, table.size),
      next: occNext.toArray(),
      layer: occLayer.toArray(),
      entry: occEntry.toArray(),
    },
  };
}

function grown(array: Int32Array, length: number, fill: number): Int32Array {
  const next = new Int32Array(length);
  next.set(array);
  if (fill !== 0) next.fill(fill, array.length);
  return next;
}

/**
 * The audit's shared model of an image: every path of every layer interned once into a
 * "slot" (a global tree of paths, parents before children), each layer's entries, whiteouts
 * and opaque directories as slot arrays, and each slot's occurrences across layers. Built in
 * one linear pass over the LayerIndex columns that `readLayers` produced; the metrics
 * (dive-compatible, corrected, bloat, largest) are further linear passes over typed arrays,
 * so an audit costs little on top of reading the image.
 */
import type { LayerIndex } from "../image/layer-index.ts";

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

export const ROOT_SLOT = 0;

/** Paths interned as slots; slot 0 is `/`. A slot's parent always has a smaller slot. */
export class PathTable {
  readonly paths: string[] = ["/"];
  private readonly slots = new Map<string, number>([["/", ROOT_SLOT]]);
  private readonly parents = new IntColumn();
  private childStart?: Int32Array;
  private childList?: Int32Array;

  constructor() {
    this.parents.push(-1);
  }

  get size(): number {
    return this.paths.length;
  }

  /** The directory of the last path interned: tar entries come grouped by directory. */
  private lastParentPath = "/";
  private lastParentSlot = ROOT_SLOT;

  /** The slot of an absolute path, interning it and its missing ancestors. */
  intern(path: string): number {
    const known = this.slots.get(path);
    if (known !== undefined) return known;
    const cut = path.lastIndexOf("/");
    let parent: number;
    if (cut <= 0) parent = ROOT_SLOT;
    else if (cut === this.lastParentPath.length && path.startsWith(this.lastParentPath))
      parent = this.lastParentSlot;
    else {
      const parentPath = path.slice(0, cut);
      parent = this.intern(parentPath);
      this.lastParentPath = parentPath;
      this.lastParentSlot = parent;
    }
    const slot = this.paths.length;
    this.paths.push(path);
    this.parents.push(parent);
    this.slots.set(path, slot);
    this.childStart = undefined;
    return slot;
  }

  lookup(path: string): number | undefined {
    return this.slots.get(path);
  }

  parent(slot: number): number {
    return this.parents.data[slot]!;
  }

  /** Parent of every slot (-1 for the root), exact length. */
  parentArray(): Int32Array {
    return this.parents.data.subarray(0, this.parents.length);
  }

  name(slot: number): string {
    const path = this.paths[slot]!;
    return slot === ROOT_SLOT ? "" : path.slice(path.lastIndexOf("/") + 1);
  }

  /** Children in compressed rows (counting sort by parent), built once after interning. */
  private buildChildren(): void {
    const n = this.paths.length;
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
  const table = new PathTable();
  const layers: LayerSlots[] = [];
  const occLayer = new IntColumn();
  const occEntry = new IntColumn();
  const occNext = new IntColumn();
  let head: Int32Array = new Int32Array(1024).fill(-1);

  for (let layer = 0; layer < indexes.length; layer++) {
    const index = indexes[layer]!;
    const paths = index.paths;
    const count = index.count;
    const entries = new Int32Array(count);
    const superseded = new Set<number>();
    for (let i = 0; i < count; i++) {
      const slot = table.intern(paths[i]!);
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
    const whiteouts = Int32Array.from(index.whiteouts, (p) => table.intern(p));
    const opaque = Int32Array.from(index.opaqueDirs, (p) => table.intern(p));
    layers.push({ entries, whiteouts, opaque, superseded });
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

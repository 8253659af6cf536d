/**
 * Where the space is: the largest files and a `du`-like tree of directory sizes (apparent
 * sizes: the sum of file sizes, as `du -b`), for the final filesystem or for one layer's own
 * entries. Directory totals are summed bottom-up in one pass over the slots (children have
 * larger slot numbers than their parents).
 */
import { EntryKind } from "../image/layer-index.ts";
import type { ImageModel } from "./model.ts";
import type { StackResult } from "./stack.ts";

export interface LargeFile {
  path: string;
  bytes: number;
  /** Layer the file comes from. */
  layer: number;
}

export interface DuNode {
  path: string;
  bytes: number;
  files: number;
  children?: DuNode[];
}

export interface LargestResult {
  files: LargeFile[];
  /** `du` tree from `/`: the largest entries at each level, a few levels deep. */
  tree: DuNode;
}

export interface LargestOptions {
  /** Files to list (default 10). */
  top: number;
  /** Tree depth below `/` (default 3). */
  depth?: number;
  /** Children shown per directory (default 5). */
  width?: number;
  /** Directories smaller than this share of the total are left out of the tree (default 0.01). */
  minShare?: number;
}

/** Keeps the `limit` largest values seen (insertion into a small sorted array). */
class TopN<T> {
  readonly items: Array<{ key: number; value: T }> = [];
  private readonly limit: number;
  constructor(limit: number) {
    this.limit = limit;
  }
  /** Whether `offer(key, …)` would keep something (callers skip making the closure when not). */
  accepts(key: number): boolean {
    if (this.limit <= 0) return false;
    return this.items.length < this.limit || key > this.items[this.items.length - 1]!.key;
  }
  offer(key: number, make: () => T): void {
    if (!this.accepts(key)) return;
    let i = this.items.length;
    while (i > 0 && this.items[i - 1]!.key < key) i--;
    this.items.splice(i, 0, { key, value: make() });
    if (this.items.length > this.limit) this.items.pop();
  }
}

/** Sizes per slot for a set of (slot, bytes) files, with directory totals. */
function duTotals(
  model: ImageModel,
  each: (add: (slot: number, bytes: number) => void) => void,
): { bytes: Float64Array; files: Float64Array } {
  const n = model.table.size;
  const bytes = new Float64Array(n);
  const files = new Float64Array(n);
  each((slot, size) => {
    bytes[slot]! += size;
    files[slot]!++;
  });
  const parents = model.table.parentArray();
  for (let s = n - 1; s > 0; s--) {
    const p = parents[s]!;
    bytes[p]! += bytes[s]!;
    files[p]! += files[s]!;
  }
  return { bytes, files };
}

function duTree(
  model: ImageModel,
  totals: { bytes: Float64Array; files: Float64Array },
  options: LargestOptions,
): DuNode {
  const depth = options.depth ?? 3;
  const width = options.width ?? 5;
  const floor = totals.bytes[0]! * (options.minShare ?? 0.01);
  const { table } = model;
  const build = (slot: number, level: number): DuNode => {
    const node: DuNode = { path: table.path(slot), bytes: totals.bytes[slot]!, files: totals.files[slot]! };
    if (level >= depth) return node;
    const children = Array.from(table.children(slot))
      .filter((c) => totals.bytes[c]! > 0 && totals.bytes[c]! >= floor && table.hasChildren(c))
      .sort((a, b) => totals.bytes[b]! - totals.bytes[a]! || (table.path(a) < table.path(b) ? -1 : 1))
      .slice(0, width);
    if (children.length > 0) node.children = children.map((c) => build(c, level + 1));
    return node;
  };
  return build(0, 0);
}

/** Largest files and the du tree of the final filesystem. */
export function largestSquashed(
  model: ImageModel,
  stack: StackResult,
  options: LargestOptions,
): LargestResult {
  const { layers, table } = model;
  const top = new TopN<LargeFile>(options.top);
  const totals = duTotals(model, (add) => {
    for (let s = 1; s < table.size; s++) {
      const layer = stack.visibleLayer[s]!;
      if (layer < 0) continue;
      const entry = stack.visibleEntry[s]!;
      const { kinds, sizes } = layers[layer]!;
      if (kinds[entry] === EntryKind.dir) continue;
      const size = sizes[entry]!;
      add(s, size);
      if (top.accepts(size)) top.offer(size, () => ({ path: table.path(s), bytes: size, layer }));
    }
  });
  return { files: top.items.map((i) => i.value), tree: duTree(model, totals, options) };
}

/** Largest files and the du tree of one layer's own entries (hidden later or not). */
export function largestInLayer(model: ImageModel, layer: number, options: LargestOptions): LargestResult {
  const index = model.indexes[layer]!;
  const slots = model.layers[layer]!;
  const top = new TopN<LargeFile>(options.top);
  const totals = duTotals(model, (add) => {
    for (let i = 0; i < index.count; i++) {
      if (index.kind(i) === "dir" || slots.superseded.has(i)) continue;
      const size = index.size(i);
      const slot = slots.entries[i]!;
      add(slot, size);
      if (top.accepts(size)) top.offer(size, () => ({ path: model.table.path(slot), bytes: size, layer }));
    }
  });
  return { files: top.items.map((i) => i.value), tree: duTree(model, totals, options) };
}

/**
 * The filesystem a container sees: layers stacked with OCI whiteout semantics
 * (image-spec layer.md "Whiteouts"), computed top-down as go-containerregistry's
 * mutate.Extract does: a layer's whiteouts and opaque markers apply to LOWER layers only, an
 * opaque marker applies before its siblings in the same layer whatever the tar order, and a
 * non-directory in an upper layer hides anything below that path.
 */
import type { LayerEntry, LayerIndex } from "./layer-index.ts";
import { hashBytes, PathTable, sameBytes } from "./path-table.ts";

export interface MergedEntry extends LayerEntry {
  /** Index of the layer that provides this entry (0 = bottom). */
  layer: number;
}

export interface MergedView {
  /** Number of visible entries. */
  count: number;
  /** Visible entries, sorted by path. */
  entries(): IterableIterator<MergedEntry>;
  /** The visible entry at a path, if any. */
  get(path: string): MergedEntry | undefined;
}

const SLASH = 0x2f;

/**
 * Layers are merged on the UTF-8 bytes of their paths (PathTable), not on strings: every path
 * of every layer is looked up, and decoding each into a string to use as a Map key was most of
 * the merge's time. A directory is a prefix of its entries' bytes, so the ancestors of an entry
 * are looked up as shorter ranges of the same bytes. Paths are hashed while layers are read
 * (LayerIndex.pathBytes).
 */
export function mergeLayers(layers: readonly LayerIndex[]): MergedView {
  const merge = new TopDownMerge(
    layers.length,
    layers.reduce((n, l) => n + l.count, 0),
  );
  for (const [position, layer] of layers.entries()) merge.offer(position, layer);
  return merge.view();
}

/**
 * The merge done layer by layer while the image is read: layers may be offered in any order
 * (they finish reading in any order), and each is merged as soon as every layer above it has
 * been, so that little merging is left when the last layer arrives (readLayers reads the top
 * layers first for that reason).
 */
export class TopDownMerge {
  readonly #layers: (LayerIndex | undefined)[];
  /** The next layer to merge (from the top down); -1 when all are merged. */
  #next: number;
  /** Visible entries, keyed by path; value = entry index in its layer (`layerOfKey`). */
  readonly #visible: PathTable;
  readonly #layerOfKey: number[] = [];
  /**
   * Paths removed for lower layers: whiteouts, plus upper non-directories that are not visible
   * themselves (visible ones are found in `visible`, which keeps this set small).
   */
  readonly #removed = new PathTable();
  /** Directories whose lower contents are hidden (the root apart, as `rootOpaque`). */
  readonly #opaque = new PathTable();
  #rootOpaque = false;

  /** `expectedEntries`: a sizing hint (entries of all layers, when known). */
  constructor(layerCount: number, expectedEntries = 16) {
    this.#layers = new Array(layerCount);
    this.#next = layerCount - 1;
    this.#visible = new PathTable(expectedEntries);
  }

  /** Layer `position` (0 = bottom) has been read; an offered position is ignored after. */
  offer(position: number, index: LayerIndex): void {
    if (position < 0 || position >= this.#layers.length || this.#layers[position]) return;
    this.#layers[position] = index;
    while (this.#next >= 0 && this.#layers[this.#next]) this.#mergeLayer(this.#next--);
  }

  /** The merged view; every layer must have been offered. */
  view(): MergedView {
    if (this.#next >= 0) throw new Error(`layer ${this.#next} was not merged`);
    const layers = this.#layers as LayerIndex[];
    const visible = this.#visible;
    const layerOfKey = this.#layerOfKey;
    const materialize = (key: number): MergedEntry => ({
      ...layers[layerOfKey[key]!]!.entry(visible.values[key]!),
      layer: layerOfKey[key]!,
    });
    return {
      count: visible.size,
      *entries() {
        const paths = layerOfKey.map((layer, key) => layers[layer]!.path(visible.values[key]!));
        const order = paths.map((_, key) => key).sort((a, b) => (paths[a]! < paths[b]! ? -1 : 1));
        for (const key of order) yield materialize(key);
      },
      get(path) {
        const key = visible.findString(path);
        return key < 0 ? undefined : materialize(key);
      },
    };
  }

  #mergeLayer(layer: number): void {
    const visible = this.#visible;
    const removed = this.#removed;
    const layerOfKey = this.#layerOfKey;
    const index = this.#layers[layer]!;
    const { bytes, ends, hashes, dirLengths, dirHashes } = index.pathBytes();
    const inVisible = visible.addBuffer(bytes);
    visible.reserve(visible.size + index.count);
    const filtering = layer < this.#layers.length - 1;
    this.#startHiddenDirs(bytes);
    const rootOpaque = this.#rootOpaque;
    const invisibleNonDirs: number[] = [];
    // Entries come grouped by directory: reuse the last directory's answer.
    let lastDirStart = 0;
    let lastDirLength = -1;
    let lastDirHash = 0;
    let lastHidden = false;
    for (let i = 0, start = 0; i < index.count; start = ends[i++]!) {
      const end = ends[i]!;
      const hash = hashes[i]!;
      if (visible.find(bytes, start, end, hash) >= 0) {
        if (layer > 0 && index.kind(i) !== "dir") invisibleNonDirs.push(i);
        continue;
      }
      if (filtering) {
        if (removed.size > 0 && removed.find(bytes, start, end, hash) >= 0) continue;
        const dirLength = dirLengths[i]!;
        const dirHash = dirHashes[i]!;
        if (dirLength <= 0) {
          lastDirLength = -1;
          lastHidden = rootOpaque;
        } else if (
          dirLength !== lastDirLength ||
          dirHash !== lastDirHash ||
          !sameBytes(bytes, start, bytes, lastDirStart, dirLength)
        ) {
          lastDirStart = start;
          lastDirLength = dirLength;
          lastDirHash = dirHash;
          lastHidden = this.#hiddenBelow(bytes, start, dirLength, dirHash, layer);
        }
        if (lastHidden) continue;
      }
      visible.insert(inVisible, start, end, hash, i);
      layerOfKey.push(layer);
    }
    this.#hideForLowerLayers(index, invisibleNonDirs);
  }

  /** This layer's deletions and shadowing apply only to the layers below it. */
  #hideForLowerLayers(index: LayerIndex, invisibleNonDirs: readonly number[]): void {
    const removed = this.#removed;
    for (const path of index.whiteouts) removed.addString(path);
    for (const dir of index.opaqueDirs) {
      if (dir === "/") this.#rootOpaque = true;
      else this.#opaque.addString(dir);
    }
    if (invisibleNonDirs.length === 0) return;
    const { bytes, ends, hashes } = index.pathBytes();
    const inRemoved = removed.addBuffer(bytes);
    for (const i of invisibleNonDirs) {
      const start = i === 0 ? 0 : ends[i - 1]!;
      removed.add(inRemoved, start, ends[i]!, hashes[i]!);
    }
  }

  /**
   * Answers of #hiddenBelow for the layer being merged, by directory (1: hidden), with the
   * layer's path bytes as the table's buffer 0. Made again for each layer, as what hides grows
   * between layers. These are methods, not closures made per layer: V8 optimised the merge
   * again for each layer's new closures ("wrong call target").
   */
  #hiddenKnown = new PathTable();
  readonly #pending: number[] = [];

  #startHiddenDirs(bytes: Uint8Array): void {
    this.#hiddenKnown = new PathTable();
    this.#hiddenKnown.addBuffer(bytes);
  }

  /**
   * Whether anything below a directory is hidden from `layer`: the directory is
   * `bytes[start, start + dirLength)`, a prefix of an entry's path; its ancestors are shorter
   * prefixes. Walks up to the first directory with a known answer, then fills in on the way down.
   */
  #hiddenBelow(bytes: Uint8Array, start: number, dirLength: number, dirHash: number, layer: number): boolean {
    const known = this.#hiddenKnown;
    const pending = this.#pending;
    pending.length = 0;
    let answer = this.#rootOpaque;
    for (let length = dirLength; length > 0; ) {
      const hash = length === dirLength ? dirHash : hashBytes(bytes, start, start + length);
      const key = known.find(bytes, start, start + length, hash);
      if (key >= 0) {
        answer = known.values[key] === 1;
        break;
      }
      pending.push(length, hash);
      if (this.#blocks(bytes, start, start + length, hash, layer)) {
        answer = true;
        break;
      }
      let slash = start + length - 1;
      while (slash > start && bytes[slash] !== SLASH) slash--;
      length = slash - start; // 0: the parent is the root
    }
    for (let p = 0; p < pending.length; p += 2)
      known.insert(0, start, start + pending[p]!, pending[p + 1]!, answer ? 1 : 0);
    return answer;
  }

  /** Whether one directory hides its subtree from `layer`: removed, opaque, or a file above. */
  #blocks(bytes: Uint8Array, start: number, end: number, hash: number, layer: number): boolean {
    return (
      (this.#removed.size > 0 && this.#removed.find(bytes, start, end, hash) >= 0) ||
      (this.#opaque.size > 0 && this.#opaque.find(bytes, start, end, hash) >= 0) ||
      this.#upperNonDir(bytes, start, end, hash, layer)
    );
  }

  /** A non-directory from a layer above replaces the whole subtree below its path. */
  #upperNonDir(bytes: Uint8Array, start: number, end: number, hash: number, layer: number): boolean {
    const key = this.#visible.find(bytes, start, end, hash);
    if (key < 0) return false;
    const owner = this.#layerOfKey[key]!;
    return owner !== layer && this.#layers[owner]!.kind(this.#visible.values[key]!) !== "dir";
  }
}

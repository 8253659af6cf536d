/**
 * The filesystem a container sees: layers stacked with OCI whiteout semantics
 * (image-spec layer.md "Whiteouts"), computed top-down as go-containerregistry's
 * mutate.Extract does: a layer's whiteouts and opaque markers apply to LOWER layers only, an
 * opaque marker applies before its siblings in the same layer whatever the tar order, and a
 * non-directory in an upper layer hides anything below that path.
 */
import type { LayerEntry, LayerIndex } from "./layer-index.ts";

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

const parentOf = (path: string): string => {
  const slash = path.lastIndexOf("/");
  return slash <= 0 ? "/" : path.slice(0, slash);
};

/**
 * Whether anything below a directory is hidden from the current layer, given whether a single
 * directory hides its subtree (`blocks`) and whether the root is opaque. Answers are cached per
 * directory; make one per layer, as what blocks grows between layers.
 */
function hiddenDirs(blocks: (dir: string) => boolean, rootOpaque: boolean): (dir: string) => boolean {
  const known = new Map<string, boolean>();
  return (dir) => {
    // Walk up to the first directory with a known answer, then fill in on the way down.
    const pending: string[] = [];
    let answer: boolean | undefined;
    let current = dir;
    for (;;) {
      answer = known.get(current);
      if (answer !== undefined) break;
      if (current === "/") {
        answer = rootOpaque;
        break;
      }
      if (blocks(current)) {
        answer = true;
        break;
      }
      pending.push(current);
      current = parentOf(current);
    }
    known.set(current, answer);
    for (const d of pending) known.set(d, answer);
    return answer;
  };
}

export function mergeLayers(layers: readonly LayerIndex[]): MergedView {
  // Visible entries as (layer, index) pairs keyed by path.
  const visible = new Map<string, number>();
  const layerOf: number[] = [];
  const indexOf: number[] = [];
  /**
   * Paths removed for lower layers: whiteouts, plus upper non-directories that are not visible
   * themselves (visible ones are found in `visible`, which keeps this set small).
   */
  const removed = new Set<string>();
  /** Directories whose lower contents are hidden ("" for the root). */
  const opaque = new Set<string>();

  for (let layer = layers.length - 1; layer >= 0; layer--) {
    const index = layers[layer]!;
    const filtering = layer < layers.length - 1;
    /** A non-directory from a layer above replaces the whole subtree below its path. */
    const upperNonDir = (path: string) => {
      const slot = visible.get(path);
      return (
        slot !== undefined &&
        layerOf[slot] !== layer &&
        layers[layerOf[slot]!]!.kind(indexOf[slot]!) !== "dir"
      );
    };
    const hiddenBelow = hiddenDirs(
      (dir) => removed.has(dir) || opaque.has(dir) || upperNonDir(dir),
      opaque.has(""),
    );
    const invisibleNonDirs: string[] = [];
    // Entries come grouped by directory: reuse the last directory's answer.
    let lastDir = "";
    let lastHidden = false;
    for (let i = 0; i < index.count; i++) {
      const path = index.path(i);
      if (visible.has(path)) {
        if (layer > 0 && index.kind(i) !== "dir") invisibleNonDirs.push(path);
        continue;
      }
      if (filtering) {
        if (removed.has(path)) continue;
        const slash = path.lastIndexOf("/");
        if (slash <= 0 || slash !== lastDir.length || !path.startsWith(lastDir)) {
          lastDir = slash <= 0 ? "/" : path.slice(0, slash);
          lastHidden = hiddenBelow(lastDir);
        }
        if (lastHidden) continue;
      }
      visible.set(path, layerOf.length);
      layerOf.push(layer);
      indexOf.push(i);
    }
    // This layer's deletions and shadowing apply only to the layers below it.
    for (const path of index.whiteouts) removed.add(path);
    for (const dir of index.opaqueDirs) opaque.add(dir === "/" ? "" : dir);
    for (const path of invisibleNonDirs) removed.add(path);
  }
  const materialize = (slot: number): MergedEntry => ({
    ...layers[layerOf[slot]!]!.entry(indexOf[slot]!),
    layer: layerOf[slot]!,
  });
  const sortedPaths = () => [...visible.keys()].sort();
  return {
    count: visible.size,
    *entries() {
      for (const path of sortedPaths()) yield materialize(visible.get(path)!);
    },
    get(path) {
      const slot = visible.get(path);
      return slot === undefined ? undefined : materialize(slot);
    },
  };
}

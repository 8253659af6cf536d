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

function ancestors(path: string): string[] {
  const out: string[] = [];
  let idx = path.lastIndexOf("/");
  while (idx > 0) {
    out.push(path.slice(0, idx));
    idx = path.lastIndexOf("/", idx - 1);
  }
  return out;
}

/** True when the path or one of its ancestors is in the set. */
function coveredBy(path: string, set: Set<string>): boolean {
  if (set.size === 0) return false;
  if (set.has(path)) return true;
  for (const a of ancestors(path)) if (set.has(a)) return true;
  return false;
}

/** True when an ancestor (not the path itself) is in the set. */
function underAny(path: string, set: Set<string>): boolean {
  if (set.size === 0) return false;
  if (set.has("")) return true; // the root itself is opaque
  for (const a of ancestors(path)) if (set.has(a)) return true;
  return false;
}

export function mergeLayers(layers: readonly LayerIndex[]): MergedView {
  // Visible entries as (layer, index) pairs keyed by path.
  const visible = new Map<string, number>();
  const layerOf: number[] = [];
  const indexOf: number[] = [];
  /** Paths removed for lower layers: whiteouts plus non-directories that shadow a subtree. */
  const removed = new Set<string>();
  /** Directories whose lower contents are hidden. */
  const opaque = new Set<string>();

  for (let layer = layers.length - 1; layer >= 0; layer--) {
    const index = layers[layer]!;
    for (let i = 0; i < index.count; i++) {
      const path = index.paths[i]!;
      if (visible.has(path)) continue;
      if (coveredBy(path, removed) || underAny(path, opaque)) continue;
      visible.set(path, layerOf.length);
      layerOf.push(layer);
      indexOf.push(i);
    }
    // This layer's deletions and shadowing apply only to the layers below it.
    for (const path of index.whiteouts) removed.add(path);
    for (const dir of index.opaqueDirs) opaque.add(dir === "/" ? "" : dir);
    for (let i = 0; i < index.count; i++) {
      if (index.kind(i) !== "dir") removed.add(index.paths[i]!);
    }
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

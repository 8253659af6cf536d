/**
 * The files catalogers read, in one of two scopes (syft's `--scope`):
 * - `squashed`: what the container sees. A captured file counts only when no upper layer hides
 *   it (OCI image-spec layer.md: an entry at the same path, a non-directory at an ancestor, a
 *   `.wh.` whiteout of it or an ancestor, or an opaque marker on an ancestor directory).
 * - `all-layers`: every version of every captured file, in every layer, including ones a later
 *   layer removed or replaced.
 *
 * Visibility is computed for the captured paths only (one scan of each layer's path column),
 * never by materialising the whole merged tree: an image with millions of files costs no more
 * memory than its layer indexes already do. `files.test.ts` checks it against mergeLayers.
 */
import type { LayerIndex } from "../image/layer-index.ts";
import type { Location } from "./types.ts";

export type Scope = "squashed" | "all-layers";

export interface FileRef {
  path: string;
  /** Layer index (0 = bottom); a directory source has one layer. */
  layer: number;
}

export interface FileView {
  readonly scope: Scope;
  /** Captured or extracted files whose path matches, sorted by path then layer. */
  find(predicate: (path: string) => boolean): FileRef[];
  /** Captured content of a file. */
  read(ref: FileRef): Buffer | undefined;
  /** What a capture rule's extract function returned for a file. */
  extracted(ref: FileRef): unknown;
  /** Every captured version of a path, bottom layer first, and the layers that deleted it. */
  history(path: string): Array<{ layer: number; deleted: boolean }>;
  location(ref: FileRef): Location;
}

export interface ViewLayer {
  index: LayerIndex;
  /** diffID of the layer, when it is an image layer. */
  diffId?: string;
}

function ancestors(path: string): string[] {
  const out: string[] = [];
  let cut = path.lastIndexOf("/");
  while (cut > 0) {
    out.push(path.slice(0, cut));
    cut = path.lastIndexOf("/", cut - 1);
  }
  return out;
}

/** For each layer, the captured paths (of any layer) that it hides from the layers below. */
function hiddenByLayer(layers: readonly ViewLayer[], interesting: Set<string>): Array<Set<string>> {
  const ancestorOf = new Map<string, string[]>();
  for (const path of interesting) {
    for (const dir of ancestors(path)) {
      const list = ancestorOf.get(dir);
      if (list) list.push(path);
      else ancestorOf.set(dir, [path]);
    }
  }
  const hideSubtree = (hidden: Set<string>, path: string) => {
    if (interesting.has(path)) hidden.add(path);
    for (const below of ancestorOf.get(path) ?? []) hidden.add(below);
  };
  return layers.map(({ index }) => {
    const hidden = new Set<string>();
    for (let i = 0; i < index.count; i++) {
      const path = index.paths[i]!;
      if (interesting.has(path)) hidden.add(path);
      if (ancestorOf.has(path) && index.kind(i) !== "dir") hideSubtree(hidden, path);
    }
    for (const path of index.whiteouts) hideSubtree(hidden, path);
    for (const dir of index.opaqueDirs) {
      const below = dir === "/" ? [...interesting] : (ancestorOf.get(dir) ?? []);
      for (const path of below) hidden.add(path);
    }
    return hidden;
  });
}

function compareRefs(a: FileRef, b: FileRef): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : a.layer - b.layer;
}

export function fileView(layers: readonly ViewLayer[], scope: Scope): FileView {
  const interesting = new Set<string>();
  for (const { index } of layers) {
    for (const path of index.captured.keys()) interesting.add(path);
    for (const path of index.extracted.keys()) interesting.add(path);
  }
  const hidden = hiddenByLayer(layers, interesting);
  const visibleFrom = (layer: number, path: string) => {
    for (let upper = layer + 1; upper < layers.length; upper++) if (hidden[upper]!.has(path)) return false;
    return true;
  };
  const refs: FileRef[] = [];
  layers.forEach(({ index }, layer) => {
    const paths = new Set([...index.captured.keys(), ...index.extracted.keys()]);
    for (const path of paths) {
      if (scope === "all-layers" || visibleFrom(layer, path)) refs.push({ path, layer });
    }
  });
  refs.sort(compareRefs);
  return {
    scope,
    find: (predicate) => refs.filter((ref) => predicate(ref.path)),
    read: (ref) => layers[ref.layer]?.index.captured.get(ref.path),
    extracted: (ref) => layers[ref.layer]?.index.extracted.get(ref.path),
    history(path) {
      const out: Array<{ layer: number; deleted: boolean }> = [];
      layers.forEach(({ index }, layer) => {
        if (index.captured.has(path) || index.extracted.has(path)) out.push({ layer, deleted: false });
        else if (out.length > 0 && hidden[layer]!.has(path)) out.push({ layer, deleted: true });
      });
      return out;
    },
    location(ref) {
      const diffId = layers[ref.layer]?.diffId;
      return diffId === undefined
        ? { path: ref.path }
        : { path: ref.path, layerDiffId: diffId, layerIndex: ref.layer };
    },
  };
}

/**
 * dive-compatible metrics, computed as dive computes them (wagoodman/dive @d6c6919,
 * dive/filetree/efficiency.go, dive/image/analysis.go; /work/shared/reference/image-analysis.md
 * §1), so a user moving from dive sees the same numbers on the same image:
 *
 *  - Each layer is a tree of its tar entries plus implicit parent nodes. Only LEAF nodes are
 *    visited, children in byte order, depth first. A whiteout `.wh.X` is a node of its own whose
 *    path is X; opaque markers `.wh..wh..opq` are dropped (their directory stays a node).
 *  - A visited node adds `size` to its path's CumulativeSize and keeps the minimum size seen:
 *    a file's tar size; for a whiteout, the size of the subtree it removes when the node below
 *    (the stack of layers 0..k-1) is a directory, else 0. When that node does not exist, dive's
 *    visitor fails and the rest of that layer is not visited.
 *  - efficiency = Σ min / Σ cumulative (1 when Σ cumulative is 0).
 *  - inefficiencies = paths seen in at least 2 layers; wastedBytes = Σ their cumulative sizes
 *    (every copy, the kept one included: dive #684).
 *  - userWastedPercent = wastedBytes / Σ sizes of layers 1..n-1 (the "base" is layer 0 only).
 *    A zero user size gives +Inf or NaN, as Go's float division does.
 *
 * dive's stacked view used for whiteout sizes is emulated exactly: the topmost layer with a node
 * at a path wins (an implicit parent node carries an empty FileInfo: not a directory, size 0),
 * whiteouts remove whole subtrees, opaque markers do nothing.
 */
import type { ImageModel, PathTable } from "./model.ts";

export interface DiveInefficiency {
  path: string;
  /** Number of leaf nodes with this path across layers (dive's `count`). */
  count: number;
  /** Sum of their sizes (dive's `sizeBytes` / "Wasted Space"). */
  cumulativeSize: number;
  /** Smallest size seen. */
  minSize: number;
}

export interface DiveMetrics {
  /** Σ min / Σ cumulative, 0..1. */
  efficiency: number;
  /** Σ cumulative size of the inefficient paths. */
  wastedBytes: number;
  /** wastedBytes / userSizeBytes; Infinity or NaN when the user size is 0 (as in dive). */
  userWastedPercent: number;
  /** Σ of dive's layer sizes (tar entry sizes). */
  sizeBytes: number;
  /** Σ of layer sizes except layer 0. */
  userSizeBytes: number;
  /** Per layer: the sum of its tar entry sizes (dive's layer size). */
  layerSizes: number[];
  /** Sorted by cumulative size, largest first (the order dive prints). */
  inefficiencies: DiveInefficiency[];
  /** Layers whose visit dive aborts (a whiteout of a path dive cannot find below). */
  abortedLayers: number[];
}

interface DiveNode {
  layer: number;
  /** Entry index in that layer, or -1 for an implicit node. */
  entry: number;
}

export function diveMetrics(model: ImageModel): DiveMetrics {
  const { table, indexes, layers, occurrences } = model;
  const n = table.size;
  const cumulative = new Float64Array(n);
  const minimum = new Float64Array(n).fill(-1);
  const counts = new Uint32Array(n);
  const explicitStamp = new Int32Array(n).fill(-1);
  const childStamp = new Int32Array(n).fill(-1);
  /** Per layer: nodes that exist only as implicit parents (or opaque-marked directories). */
  const implicit: Set<number>[] = [];
  const layersWithImplicit: number[] = [];
  /** Layers whose whiteouts removed each slot (dive removes the subtree when stacking). */
  const whiteoutLayers = new Map<number, number[]>();
  const abortedLayers: number[] = [];

  const topNode = (slot: number, top: number, cut: number): DiveNode | undefined => {
    let explicitLayer = -1;
    let explicitEntry = -1;
    for (let id = occurrences.head[slot]!; id >= 0; id = occurrences.next[id]!) {
      const layer = occurrences.layer[id]!;
      if (layer <= top) {
        explicitLayer = layer;
        explicitEntry = occurrences.entry[id]!;
        break;
      }
    }
    for (let i = layersWithImplicit.length - 1; i >= 0; i--) {
      const layer = layersWithImplicit[i]!;
      if (layer > top) continue;
      if (layer <= explicitLayer || layer < cut) break;
      if (implicit[layer]!.has(slot)) return { layer, entry: -1 };
    }
    if (explicitLayer >= 0 && explicitLayer >= cut) return { layer: explicitLayer, entry: explicitEntry };
    return undefined;
  };
  const cutAt = (slot: number, top: number): number => {
    let cut = -1;
    const layers = whiteoutLayers.get(slot);
    if (layers) for (const m of layers) if (m <= top && m > cut) cut = m;
    return cut;
  };
  const { start: childStart, list: childList } = table.childRows();
  const isDirNode = (node: DiveNode) => node.entry >= 0 && indexes[node.layer]!.kind(node.entry) === "dir";
  const nodeSize = (node: DiveNode) => (node.entry >= 0 ? indexes[node.layer]!.size(node.entry) : 0);

  /** Size dive gives a whiteout of `slot` in layer k, or undefined when dive's lookup fails. */
  const whiteoutSize = (slot: number, k: number): number | undefined => {
    // dive stacks layers 0..k-1; for layer 0 that range is empty and it looks in layer 0 itself.
    const top = k === 0 ? 0 : k - 1;
    let cut = -1;
    for (let a = slot; a > 0; a = table.parent(a)) cut = Math.max(cut, cutAt(a, top));
    const node = topNode(slot, top, cut);
    if (!node) return undefined;
    if (!isDirNode(node)) return 0;
    let total = 0;
    // Depth first, as (slot, the cut above it) pairs in two stacks (no array per node).
    const pendingSlots = [slot];
    const pendingCuts = [cut];
    while (pendingSlots.length > 0) {
      const s = pendingSlots.pop()!;
      const parentCut = pendingCuts.pop()!;
      const ownCut = whiteoutLayers.size === 0 ? parentCut : Math.max(parentCut, cutAt(s, top));
      const found = s === slot ? node : topNode(s, top, ownCut);
      if (!found) continue; // not in dive's stacked tree, nor anything below it
      total += nodeSize(found);
      for (let c = childStart[s]!; c < childStart[s + 1]!; c++) {
        pendingSlots.push(childList[c]!);
        pendingCuts.push(ownCut);
      }
    }
    return total;
  };

  const visit = (slot: number, size: number) => {
    cumulative[slot]! += size;
    if (minimum[slot]! < 0 || size < minimum[slot]!) minimum[slot] = size;
    counts[slot]!++;
  };

  const parents = table.parentArray();
  for (let k = 0; k < layers.length; k++) {
    const slots = layers[k]!;
    const { entries, sizes, superseded } = slots;
    const count = entries.length;
    const implicitHere = new Set<number>();
    const markParents = (from: number) => {
      for (let p = from; p > 0 && childStamp[p] !== k; p = parents[p]!) {
        childStamp[p] = k;
        if (explicitStamp[p] !== k) implicitHere.add(p);
      }
    };
    for (let i = 0; i < count; i++) explicitStamp[entries[i]!] = k;
    for (let i = 0; i < count; i++) {
      // Inline the first step of markParents: most parents are already marked.
      const p = parents[entries[i]!]!;
      if (p > 0 && childStamp[p] !== k) markParents(p);
    }
    for (const w of slots.whiteouts) markParents(table.parent(w));
    for (const o of slots.opaque) {
      if (o === 0) continue;
      if (explicitStamp[o] !== k) implicitHere.add(o);
      markParents(table.parent(o));
    }
    implicit[k] = implicitHere;
    if (implicitHere.size > 0) layersWithImplicit.push(k);

    // Whiteout sizes first: a failed lookup ends dive's visit of this layer.
    const whiteoutSizes: Array<number | undefined> = Array.from(slots.whiteouts, (w) => whiteoutSize(w, k));
    const failed = whiteoutSizes.flatMap((size, i) => (size === undefined ? [slots.whiteouts[i]!] : []));
    const stopAt = failed.length > 0 ? firstInDiveOrder(table, failed, true) : undefined;
    if (stopAt !== undefined) abortedLayers.push(k);
    const before = (path: string, whiteout: boolean) =>
      stopAt === undefined || compareDiveOrder(path, whiteout, stopAt, true) < 0;

    const anySuperseded = superseded.size > 0;
    for (let i = 0; i < count; i++) {
      const slot = entries[i]!;
      if (childStamp[slot] === k || (anySuperseded && superseded.has(i))) continue;
      if (stopAt !== undefined && !before(table.path(slot), false)) continue;
      // visit(), inlined: this loop runs once per entry of every layer.
      const size = sizes[i]!;
      cumulative[slot]! += size;
      if (minimum[slot]! < 0 || size < minimum[slot]!) minimum[slot] = size;
      counts[slot]!++;
    }
    for (const o of slots.opaque) {
      // A directory that holds only an opaque marker is an (implicit) leaf of size 0.
      if (o === 0 || explicitStamp[o] === k || childStamp[o] === k) continue;
      if (stopAt !== undefined && !before(table.path(o), false)) continue;
      visit(o, 0);
    }
    slots.whiteouts.forEach((w, i) => {
      const size = whiteoutSizes[i];
      if (size === undefined) return;
      if (stopAt !== undefined && !before(table.path(w), true)) return;
      visit(w, size);
    });
    for (const w of slots.whiteouts) {
      const list = whiteoutLayers.get(w);
      if (list) list.push(k);
      else whiteoutLayers.set(w, [k]);
    }
  }

  let minimumSum = 0;
  let cumulativeSum = 0;
  const inefficiencies: DiveInefficiency[] = [];
  for (let s = 1; s < n; s++) {
    if (counts[s] === 0) continue;
    minimumSum += minimum[s]!;
    cumulativeSum += cumulative[s]!;
    if (counts[s]! >= 2) {
      inefficiencies.push({
        path: table.path(s),
        count: counts[s]!,
        cumulativeSize: cumulative[s]!,
        minSize: minimum[s]!,
      });
    }
  }
  inefficiencies.sort((a, b) => b.cumulativeSize - a.cumulativeSize || (a.path < b.path ? -1 : 1));
  const wastedBytes = inefficiencies.reduce((sum, item) => sum + item.cumulativeSize, 0);
  const layerSizes = indexes.map((index) => index.fileBytes);
  const sizeBytes = layerSizes.reduce((a, b) => a + b, 0);
  const userSizeBytes = sizeBytes - (layerSizes[0] ?? 0);
  return {
    efficiency: cumulativeSum === 0 ? 1 : minimumSum / cumulativeSum,
    wastedBytes,
    userWastedPercent: wastedBytes / userSizeBytes,
    sizeBytes,
    userSizeBytes,
    layerSizes,
    inefficiencies,
    abortedLayers,
  };
}

/** Path components as dive's tree names them (a whiteout's last name keeps its `.wh.`). */
function diveComponents(path: string, whiteout: boolean): Buffer[] {
  const names = path.split("/").filter(Boolean);
  if (whiteout) names[names.length - 1] = `.wh.${names[names.length - 1]}`;
  return names.map((name) => Buffer.from(name));
}

/** Order of two leaves in dive's depth-first walk (children sorted as Go sorts strings: bytes). */
function compareDiveOrder(a: string, aWhiteout: boolean, b: string, bWhiteout: boolean): number {
  const x = diveComponents(a, aWhiteout);
  const y = diveComponents(b, bWhiteout);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const c = Buffer.compare(x[i]!, y[i]!);
    if (c !== 0) return c;
  }
  return x.length - y.length;
}

function firstInDiveOrder(table: PathTable, slots: number[], whiteout: boolean): string {
  let first = table.path(slots[0]!);
  for (const s of slots.slice(1)) {
    const p = table.path(s);
    if (compareDiveOrder(p, whiteout, first, whiteout) < 0) first = p;
  }
  return first;
}

/**
 * Layers stacked bottom-up with OCI whiteout semantics (image-spec layer.md "Whiteouts",
 * the same rules as src/image/merge.ts): a layer's whiteouts, opaque markers and non-directory
 * entries remove what LOWER layers put there, then its entries are added. Every copy of a file
 * that a later layer removes or replaces is recorded as a lost copy: those bytes are in the
 * image (someone pulls them) but no container can see them. This is the corrected waste that
 * dive #684 asks for: all copies minus the one kept, with deleted files and whole deleted or
 * opaqued directories counted in full.
 */
import { EntryKind } from "../image/layer-index.ts";
import { type ImageModel, IntColumn } from "./model.ts";

/** Why a copy is no longer visible. */
export const LOSS_CAUSES = ["overwritten", "deleted", "opaque", "shadowed", "duplicate"] as const;
export type LossCause = (typeof LOSS_CAUSES)[number];

/** Lost copies in columns: `slot` written by `layer` (entry `entry`), lost in layer `by`. */
export interface LostCopies {
  count: number;
  slot: Int32Array;
  layer: Int32Array;
  entry: Int32Array;
  by: Int32Array;
  /** Index into LOSS_CAUSES. */
  cause: Int32Array;
  /** The path the removal named: the whiteout, the opaque directory, or the file itself. */
  root: Int32Array;
  bytes: Float64Array;
}

export interface ChangeCount {
  /** Non-directory entries (files, links, devices). */
  count: number;
  bytes: number;
}

export interface LayerChanges {
  added: ChangeCount;
  /** Entries that replace a visible lower entry; `bytes` are the new copies' sizes. */
  modified: ChangeCount;
  /** Lower entries this layer hides (whiteouts, opaque directories, shadowing, rewrites). */
  removed: ChangeCount;
  /** Bytes of lower copies this layer made invisible (removed or replaced). */
  hiddenBytes: number;
}

export interface StackResult {
  /** Layer that provides each slot in the final filesystem, -1 when not visible. */
  visibleLayer: Int32Array;
  /** Entry index within that layer. */
  visibleEntry: Int32Array;
  changes: LayerChanges[];
  lost: LostCopies;
}

export function stackLayers(model: ImageModel): StackResult {
  const { table, layers } = model;
  const stacker = new Stacker(model);
  const children = table.childRows().start;
  const changes: LayerChanges[] = [];
  const { visibleLayer, visibleEntry } = stacker;

  for (let k = 0; k < layers.length; k++) {
    const slots = layers[k]!;
    const { entries, kinds, sizes, superseded } = slots;
    const count = entries.length;
    const change = stacker.startLayer(k);

    for (const w of slots.whiteouts) stacker.removeUnder(w, true, CAUSE.deleted);
    for (const o of slots.opaque) stacker.removeUnder(o, false, CAUSE.opaque);
    for (let i = 0; i < count; i++) {
      const slot = entries[i]!;
      if (kinds[i] !== DIR && children[slot + 1]! > children[slot]!)
        stacker.removeUnder(slot, false, CAUSE.shadowed);
    }

    const anySuperseded = superseded.size > 0;
    for (let i = 0; i < count; i++) {
      const slot = entries[i]!;
      const isDir = kinds[i] === DIR;
      if (anySuperseded && superseded.has(i)) {
        if (!isDir) {
          // Written twice in one tar: the first copy's bytes are in the layer, never visible.
          visibleLayer[slot] = k;
          visibleEntry[slot] = i;
          stacker.lose(slot, CAUSE.duplicate, slot);
        }
        continue;
      }
      const lowerLayer = visibleLayer[slot]!;
      if (lowerLayer >= 0) {
        const lowerIsDir = layers[lowerLayer]!.kinds[visibleEntry[slot]!] === DIR;
        stacker.lose(slot, CAUSE.overwritten, slot);
        if (!isDir && !lowerIsDir) {
          change.modified.count++;
          change.modified.bytes += sizes[i]!;
        } else if (!isDir) {
          change.added.count++;
          change.added.bytes += sizes[i]!;
        }
      } else if (!isDir) {
        change.added.count++;
        change.added.bytes += sizes[i]!;
      }
      visibleLayer[slot] = k;
      visibleEntry[slot] = i;
    }
    changes.push(change);
  }

  return { visibleLayer, visibleEntry, changes, lost: stacker.lostCopies() };
}

/**
 * The state of the stacking and its two operations, as methods rather than closures made per
 * layer (V8 optimises a closure per instance: new closures per layer were compiled again).
 */
class Stacker {
  readonly visibleLayer: Int32Array;
  readonly visibleEntry: Int32Array;
  private readonly layers: ImageModel["layers"];
  private readonly childStart: Int32Array;
  private readonly childList: Int32Array;
  /** removeUnder's depth-first stack (a subtree never holds more than every slot). */
  private readonly pending: Int32Array;
  private readonly lost = {
    slot: new IntColumn(),
    layer: new IntColumn(),
    entry: new IntColumn(),
    by: new IntColumn(),
    cause: new IntColumn(),
    root: new IntColumn(),
  };
  private lostBytes = new Float64Array(1024);
  private layer = 0;
  private change: LayerChanges = newChanges();

  constructor(model: ImageModel) {
    const n = model.table.size;
    this.visibleLayer = new Int32Array(n).fill(-1);
    this.visibleEntry = new Int32Array(n);
    this.layers = model.layers;
    const rows = model.table.childRows();
    this.childStart = rows.start;
    this.childList = rows.list;
    this.pending = new Int32Array(Math.max(1, n));
  }

  /** Starts layer `k`: the changes it makes are counted in the object returned. */
  startLayer(k: number): LayerChanges {
    this.layer = k;
    this.change = newChanges();
    return this.change;
  }

  /** The visible copy at `slot` is lost to the current layer. */
  lose(slot: number, cause: number, root: number): void {
    const layer = this.visibleLayer[slot]!;
    const entry = this.visibleEntry[slot]!;
    this.visibleLayer[slot] = -1;
    const lower = this.layers[layer]!;
    if (lower.kinds[entry] === DIR) return;
    const bytes = lower.sizes[entry]!;
    const lost = this.lost;
    const at = lost.slot.push(slot);
    lost.layer.push(layer);
    lost.entry.push(entry);
    lost.by.push(this.layer);
    lost.cause.push(cause);
    lost.root.push(root);
    if (at === this.lostBytes.length) {
      const grown = new Float64Array(at * 2);
      grown.set(this.lostBytes);
      this.lostBytes = grown;
    }
    this.lostBytes[at] = bytes;
    const change = this.change;
    change.hiddenBytes += bytes;
    if (cause !== CAUSE.overwritten && cause !== CAUSE.duplicate) {
      change.removed.count++;
      change.removed.bytes += bytes;
    }
  }

  /**
   * Loses every visible copy below `root` (and at it when `inclusive`), in the order
   * PathTable.forSubtree visits them (children pushed in slot order, the last popped first).
   */
  removeUnder(root: number, inclusive: boolean, cause: number): void {
    const { pending, childStart, childList, visibleLayer } = this;
    let top = 0;
    if (inclusive) pending[top++] = root;
    else for (let c = childStart[root]!; c < childStart[root + 1]!; c++) pending[top++] = childList[c]!;
    while (top > 0) {
      const s = pending[--top]!;
      if (visibleLayer[s]! >= 0) this.lose(s, cause, root);
      for (let c = childStart[s]!; c < childStart[s + 1]!; c++) pending[top++] = childList[c]!;
    }
  }

  lostCopies(): LostCopies {
    const lost = this.lost;
    return {
      count: lost.slot.length,
      slot: lost.slot.toArray(),
      layer: lost.layer.toArray(),
      entry: lost.entry.toArray(),
      by: lost.by.toArray(),
      cause: lost.cause.toArray(),
      root: lost.root.toArray(),
      bytes: this.lostBytes.slice(0, lost.slot.length),
    };
  }
}

function newChanges(): LayerChanges {
  return {
    added: { count: 0, bytes: 0 },
    modified: { count: 0, bytes: 0 },
    removed: { count: 0, bytes: 0 },
    hiddenBytes: 0,
  };
}

const DIR = EntryKind.dir;

const CAUSE = {
  overwritten: 0,
  deleted: 1,
  opaque: 2,
  shadowed: 3,
  duplicate: 4,
} as const satisfies Record<LossCause, number>;

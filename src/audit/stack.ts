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
  const n = table.size;
  const visibleLayer = new Int32Array(n).fill(-1);
  const visibleEntry = new Int32Array(n);
  const children = table.childRows().start;
  const lost = {
    slot: new IntColumn(),
    layer: new IntColumn(),
    entry: new IntColumn(),
    by: new IntColumn(),
    cause: new IntColumn(),
    root: new IntColumn(),
  };
  const lostBytes: number[] = [];
  const changes: LayerChanges[] = [];

  for (let k = 0; k < layers.length; k++) {
    const slots = layers[k]!;
    const { entries, kinds, sizes, superseded } = slots;
    const count = entries.length;
    const change: LayerChanges = {
      added: { count: 0, bytes: 0 },
      modified: { count: 0, bytes: 0 },
      removed: { count: 0, bytes: 0 },
      hiddenBytes: 0,
    };
    const lose = (slot: number, cause: number, root: number) => {
      const layer = visibleLayer[slot]!;
      const entry = visibleEntry[slot]!;
      visibleLayer[slot] = -1;
      const lower = layers[layer]!;
      if (lower.kinds[entry] === DIR) return;
      const bytes = lower.sizes[entry]!;
      lost.slot.push(slot);
      lost.layer.push(layer);
      lost.entry.push(entry);
      lost.by.push(k);
      lost.cause.push(cause);
      lost.root.push(root);
      lostBytes.push(bytes);
      change.hiddenBytes += bytes;
      if (cause !== CAUSE.overwritten && cause !== CAUSE.duplicate) {
        change.removed.count++;
        change.removed.bytes += bytes;
      }
    };
    const removeUnder = (root: number, inclusive: boolean, cause: number) => {
      table.forSubtree(root, inclusive, (s) => {
        if (visibleLayer[s]! >= 0) lose(s, cause, root);
      });
    };

    for (const w of slots.whiteouts) removeUnder(w, true, CAUSE.deleted);
    for (const o of slots.opaque) removeUnder(o, false, CAUSE.opaque);
    for (let i = 0; i < count; i++) {
      const slot = entries[i]!;
      if (kinds[i] !== DIR && children[slot + 1]! > children[slot]!) removeUnder(slot, false, CAUSE.shadowed);
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
          lose(slot, CAUSE.duplicate, slot);
        }
        continue;
      }
      const lowerLayer = visibleLayer[slot]!;
      if (lowerLayer >= 0) {
        const lowerIsDir = layers[lowerLayer]!.kinds[visibleEntry[slot]!] === DIR;
        lose(slot, CAUSE.overwritten, slot);
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

  return {
    visibleLayer,
    visibleEntry,
    changes,
    lost: {
      count: lostBytes.length,
      slot: lost.slot.toArray(),
      layer: lost.layer.toArray(),
      entry: lost.entry.toArray(),
      by: lost.by.toArray(),
      cause: lost.cause.toArray(),
      root: lost.root.toArray(),
      bytes: Float64Array.from(lostBytes),
    },
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

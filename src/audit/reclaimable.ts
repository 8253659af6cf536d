/**
 * Corrected waste metrics (reference §1 and §9.5; dive #684, #685): a copy of a file is
 * reclaimable when no container can see it, i.e. a later layer deleted it (whiteout), hid its
 * directory (opaque whiteout, or a file put where the directory was) or wrote the path again.
 * So reclaimable = Σ all copies − the copy kept, with deleted files and removed directory
 * trees counted in full, which is exactly Σ layer file bytes − Σ visible file bytes.
 *
 * The user share uses the real base boundary (base.ts), not dive's "layer 0".
 */
import type { ImageModel } from "./model.ts";
import { LOSS_CAUSES, type LossCause, type StackResult } from "./stack.ts";

export interface CorrectedMetrics {
  /** Bytes in the image that no container can see. */
  reclaimableBytes: number;
  /** Of those, copies written by user layers (what a Dockerfile change can save). */
  userReclaimableBytes: number;
  /** Base-image copies that user layers deleted or replaced: still shipped in the base layers. */
  baseHiddenBytes: number;
  /** Base-image copies its own later layers deleted or replaced. */
  baseWasteBytes: number;
  /** Σ file bytes of all layers (dive's image size). */
  sizeBytes: number;
  /** Σ file bytes of the user layers. */
  userSizeBytes: number;
  /** Bytes of the files a container sees. */
  finalBytes: number;
  /** userReclaimableBytes / userSizeBytes (0 when there are no user bytes). */
  userWastedPercent: number;
  /** finalBytes / sizeBytes: the share of shipped bytes that is visible (1 when empty). */
  efficiency: number;
}

export interface WastePath {
  path: string;
  bytes: number;
  files: number;
}

export type WasteKind = "deleted" | "replaced";

/** Copies from one layer made invisible by one later layer. */
export interface WasteGroup {
  /** Layer holding the lost copies. */
  layer: number;
  /** Layer that deleted or replaced them. */
  by: number;
  kind: WasteKind;
  causes: LossCause[];
  bytes: number;
  files: number;
  /** Largest roots: the deleted path or directory, or the replaced files' directory. */
  paths: WastePath[];
  morePaths: number;
}

export interface ReclaimablePath {
  path: string;
  /** Lost copies of this path. */
  copies: number;
  bytes: number;
  /** Size of the copy a container sees, 0 when the path was deleted. */
  keptBytes: number;
  deleted: boolean;
}

const KIND_OF_CAUSE: Record<LossCause, WasteKind> = {
  overwritten: "replaced",
  duplicate: "replaced",
  deleted: "deleted",
  opaque: "deleted",
  shadowed: "deleted",
};

export function correctedMetrics(
  model: ImageModel,
  stack: StackResult,
  baseLayers: number,
): CorrectedMetrics {
  const { lost } = stack;
  let reclaimableBytes = 0;
  let userReclaimableBytes = 0;
  let baseHiddenBytes = 0;
  let baseWasteBytes = 0;
  for (let i = 0; i < lost.count; i++) {
    const bytes = lost.bytes[i]!;
    reclaimableBytes += bytes;
    if (lost.layer[i]! >= baseLayers) userReclaimableBytes += bytes;
    else if (lost.by[i]! >= baseLayers) baseHiddenBytes += bytes;
    else baseWasteBytes += bytes;
  }
  const sizes = model.indexes.map((index) => index.fileBytes);
  const sizeBytes = sizes.reduce((a, b) => a + b, 0);
  const userSizeBytes = sizes.slice(baseLayers).reduce((a, b) => a + b, 0);
  const finalBytes = sizeBytes - reclaimableBytes;
  return {
    reclaimableBytes,
    userReclaimableBytes,
    baseHiddenBytes,
    baseWasteBytes,
    sizeBytes,
    userSizeBytes,
    finalBytes,
    userWastedPercent: userSizeBytes === 0 ? 0 : userReclaimableBytes / userSizeBytes,
    efficiency: sizeBytes === 0 ? 1 : finalBytes / sizeBytes,
  };
}

/** Bytes of each layer's copies that later layers made invisible. */
export function reclaimableByLayer(model: ImageModel, stack: StackResult): number[] {
  const out = new Array<number>(model.indexes.length).fill(0);
  for (let i = 0; i < stack.lost.count; i++) out[stack.lost.layer[i]!]! += stack.lost.bytes[i]!;
  return out;
}

/** Lost copies grouped by (layer, the layer that lost them, deleted/replaced). */
export function wasteGroups(model: ImageModel, stack: StackResult, limit: number): WasteGroup[] {
  const { lost } = stack;
  const { table } = model;
  interface Acc {
    group: WasteGroup;
    roots: Map<number, WastePath & { first: number }>;
    causes: Set<LossCause>;
  }
  const groups = new Map<number, Acc>();
  const layerCount = model.indexes.length;
  for (let i = 0; i < lost.count; i++) {
    const cause = LOSS_CAUSES[lost.cause[i]!]!;
    const kind = KIND_OF_CAUSE[cause];
    const key = ((lost.layer[i]! * layerCount + lost.by[i]!) << 1) | (kind === "deleted" ? 1 : 0);
    let acc = groups.get(key);
    if (!acc) {
      acc = {
        group: {
          layer: lost.layer[i]!,
          by: lost.by[i]!,
          kind,
          causes: [],
          bytes: 0,
          files: 0,
          paths: [],
          morePaths: 0,
        },
        roots: new Map(),
        causes: new Set(),
      };
      groups.set(key, acc);
    }
    const bytes = lost.bytes[i]!;
    acc.group.bytes += bytes;
    acc.group.files++;
    acc.causes.add(cause);
    // Replaced files are grouped by their directory; deletions by what the layer deleted.
    const root = kind === "replaced" ? table.parent(lost.slot[i]!) : lost.root[i]!;
    let path = acc.roots.get(root);
    if (!path) {
      path = { path: table.path(root), bytes: 0, files: 0, first: lost.slot[i]! };
      acc.roots.set(root, path);
    }
    path.bytes += bytes;
    path.files++;
  }
  const out = [...groups.values()].map(({ group, roots, causes }) => {
    const listed =
      group.kind === "replaced"
        ? // A directory holding a single replaced file is shown as that file.
          [...roots.values()].map(({ first, ...p }) =>
            p.files === 1 ? { ...p, path: table.path(first) } : p,
          )
        : collapseSiblings(table, roots);
    const paths = listed.sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : 1));
    return {
      ...group,
      causes: LOSS_CAUSES.filter((c) => causes.has(c)),
      paths: paths.slice(0, limit),
      morePaths: Math.max(0, paths.length - limit),
    };
  });
  return out.sort((a, b) => b.bytes - a.bytes || a.layer - b.layer || a.by - b.by);
}

/** `rm -rf dir/*` whites out each child: deleted siblings are shown as `dir/*`. */
function collapseSiblings(table: ImageModel["table"], roots: Map<number, WastePath>): WastePath[] {
  const byParent = new Map<number, number[]>();
  for (const slot of roots.keys()) {
    const parent = table.parent(slot);
    const siblings = byParent.get(parent);
    if (siblings) siblings.push(slot);
    else byParent.set(parent, [slot]);
  }
  const out: WastePath[] = [];
  for (const [parent, slots] of byParent) {
    if (slots.length === 1) {
      const { path, bytes, files } = roots.get(slots[0]!)!;
      out.push({ path, bytes, files });
      continue;
    }
    const merged = { path: `${parent === 0 ? "" : table.path(parent)}/*`, bytes: 0, files: 0 };
    for (const s of slots) {
      merged.bytes += roots.get(s)!.bytes;
      merged.files += roots.get(s)!.files;
    }
    out.push(merged);
  }
  return out;
}

/** The paths with the most reclaimable bytes (dive's list, corrected), largest first. */
export function reclaimablePaths(model: ImageModel, stack: StackResult, limit: number): ReclaimablePath[] {
  const { lost, visibleLayer, visibleEntry } = stack;
  const bySlot = new Map<number, { copies: number; bytes: number }>();
  for (let i = 0; i < lost.count; i++) {
    const slot = lost.slot[i]!;
    const acc = bySlot.get(slot) ?? { copies: 0, bytes: 0 };
    acc.copies++;
    acc.bytes += lost.bytes[i]!;
    bySlot.set(slot, acc);
  }
  const rows = [...bySlot.entries()]
    .filter(([, acc]) => acc.bytes > 0)
    .sort((a, b) => b[1].bytes - a[1].bytes || a[0] - b[0])
    .slice(0, limit);
  return rows.map(([slot, acc]) => {
    const layer = visibleLayer[slot]!;
    const deleted = layer < 0;
    return {
      path: model.table.path(slot),
      copies: acc.copies,
      bytes: acc.bytes,
      keptBytes: deleted ? 0 : model.indexes[layer]!.size(visibleEntry[slot]!),
      deleted,
    };
  });
}

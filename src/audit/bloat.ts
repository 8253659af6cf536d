/**
 * Bloat in the final filesystem: every visible file is classified once by the data in
 * classifiers.ts. Directories are classified top-down (slots are ordered parents first), so a
 * file under /usr/share/doc inherits its directory's class without a pattern test of its own;
 * only files in unclassified directories test the name and extension rules.
 */
import { EntryKind } from "../image/layer-index.ts";
import { CLASSIFIERS, type Classifier, type ClassifierCondition } from "./classifiers.ts";
import type { ImageModel } from "./model.ts";
import type { StackResult } from "./stack.ts";

export interface BloatLayerShare {
  layer: number;
  bytes: number;
  files: number;
}

export interface BloatPath {
  /** The directory (or file) that matched. */
  path: string;
  bytes: number;
  files: number;
  layers: BloatLayerShare[];
}

export interface BloatClass {
  id: string;
  category: string;
  title: string;
  fix: string;
  bytes: number;
  files: number;
  layers: BloatLayerShare[];
  /** The largest matched paths, at most `limit`. */
  paths: BloatPath[];
  /** How many more matched paths there are. */
  morePaths: number;
}

export interface BloatResult {
  bytes: number;
  files: number;
  classes: BloatClass[];
  /** Classifiers skipped because their condition does not hold for this image. */
  skipped: Array<{ id: string; reason: string }>;
}

export interface BloatContext {
  env: string[];
  limit: number;
}

const COMPILERS = [
  "gcc",
  "cc",
  "c++",
  "g++",
  "clang",
  "clang++",
  "tcc",
  "x86_64-linux-gnu-gcc",
  "aarch64-linux-gnu-gcc",
];

/** Whether the image meets a classifier's condition, with the reason when it does not. */
function conditionHolds(
  condition: ClassifierCondition,
  model: ImageModel,
  stack: StackResult,
  env: string[],
): string | undefined {
  if (condition === "runtime-image") {
    for (const dir of ["/usr/bin", "/usr/local/bin", "/bin"]) {
      for (const compiler of COMPILERS) {
        const slot = model.table.lookup(`${dir}/${compiler}`);
        if (slot !== undefined && stack.visibleLayer[slot]! >= 0)
          return `a compiler is installed (${dir}/${compiler})`;
      }
    }
    return undefined;
  }
  const set = env.some((e) => /^PYTHONDONTWRITEBYTECODE=./.test(e));
  return set ? undefined : "PYTHONDONTWRITEBYTECODE is not set in the image";
}

interface CompiledDirs {
  exact: Map<string, number>;
  wildcard: Array<{ prefix: string; pattern: RegExp; classifier: number }>;
}

function expandHome(glob: string): string[] {
  return glob.startsWith("~/") ? [`/root/${glob.slice(2)}`, `/home/*/${glob.slice(2)}`] : [glob];
}

function compileDirs(classifiers: readonly Classifier[], active: boolean[]): CompiledDirs {
  const exact = new Map<string, number>();
  const wildcard: CompiledDirs["wildcard"] = [];
  classifiers.forEach((c, i) => {
    if (!active[i]) return;
    for (const glob of (c.dirs ?? []).flatMap(expandHome)) {
      const star = glob.indexOf("*");
      if (star < 0) {
        if (!exact.has(glob)) exact.set(glob, i);
        continue;
      }
      const source = glob
        .split("*")
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join("[^/]+");
      wildcard.push({ prefix: glob.slice(0, star), pattern: new RegExp(`^${source}$`), classifier: i });
    }
  });
  return { exact, wildcard };
}

export function classifyBloat(model: ImageModel, stack: StackResult, context: BloatContext): BloatResult {
  const { table, layers } = model;
  const n = table.size;
  const skipped: BloatResult["skipped"] = [];
  const active = CLASSIFIERS.map((c) => {
    if (!c.when) return true;
    const reason = conditionHolds(c.when, model, stack, context.env);
    if (reason) skipped.push({ id: c.id, reason });
    return reason === undefined;
  });
  const dirs = compileDirs(CLASSIFIERS, active);
  const byName = new Map<string, number>();
  const byExtension = new Map<string, number>();
  const underRules: Array<{ classifier: number; under: Set<string>; names: Set<string>; depth: number }> = [];
  const fileRules: number[] = [];
  CLASSIFIERS.forEach((c, i) => {
    if (!active[i]) return;
    for (const name of c.names ?? []) if (!byName.has(name)) byName.set(name, i);
    for (const ext of c.extensions ?? []) if (!byExtension.has(ext)) byExtension.set(ext, i);
    if (c.namesUnder) {
      const { under, names, depth } = c.namesUnder;
      underRules.push({ classifier: i, under: new Set(under), names: new Set(names), depth });
    }
    if (c.files) fileRules.push(i);
  });
  const allUnderNames = new Set(underRules.flatMap((r) => [...r.names]));

  const classOf = new Int16Array(n).fill(-1);
  const rootOf = new Int32Array(n).fill(-1);
  const matchDirectory = (slot: number, path: string, name: string): number => {
    const exact = dirs.exact.get(path);
    if (exact !== undefined) return exact;
    for (const w of dirs.wildcard) if (path.startsWith(w.prefix) && w.pattern.test(path)) return w.classifier;
    if (allUnderNames.has(name)) {
      for (const rule of underRules) {
        if (rule.names.has(name) && underDirectory(table, slot, rule.under, rule.depth))
          return rule.classifier;
      }
    }
    return -1;
  };
  const matchFile = (name: string): number => {
    const dot = name.lastIndexOf(".");
    if (dot > 0) {
      const ext = byExtension.get(name.slice(dot));
      if (ext !== undefined) return ext;
    }
    for (const i of fileRules) if (CLASSIFIERS[i]!.files!.test(name)) return i;
    return -1;
  };

  const parents = table.parentArray();
  const children = table.childRows().start;
  for (let s = 1; s < n; s++) {
    const parent = parents[s]!;
    const inherited = classOf[parent]!;
    const isDir = children[s + 1]! > children[s]!;
    if (inherited >= 0) {
      const keep = CLASSIFIERS[inherited]!.keep;
      if (isDir || !keep || !keep.test(table.name(s))) {
        classOf[s] = inherited;
        rootOf[s] = rootOf[parent]!;
      }
      continue;
    }
    const name = table.name(s);
    let match = byName.get(name) ?? -1;
    if (match < 0) match = isDir ? matchDirectory(s, table.path(s), name) : matchFile(name);
    if (match >= 0) {
      classOf[s] = match;
      rootOf[s] = s;
    }
  }

  interface Group {
    classifier: number;
    root: number;
    bytes: number;
    files: number;
    layers: Map<number, BloatLayerShare>;
  }
  const groups = new Map<number, Group>();
  for (let s = 1; s < n; s++) {
    const cls = classOf[s]!;
    const layer = stack.visibleLayer[s]!;
    if (cls < 0 || layer < 0) continue;
    const { kinds, sizes } = layers[layer]!;
    const entry = stack.visibleEntry[s]!;
    if (kinds[entry] === EntryKind.dir) continue;
    const size = sizes[entry]!;
    const root = rootOf[s]!;
    let group = groups.get(root);
    if (!group) {
      group = { classifier: cls, root, bytes: 0, files: 0, layers: new Map() };
      groups.set(root, group);
    }
    group.bytes += size;
    group.files++;
    const share = group.layers.get(layer) ?? { layer, bytes: 0, files: 0 };
    share.bytes += size;
    share.files++;
    group.layers.set(layer, share);
  }

  const classes = new Map<number, Group[]>();
  for (const group of groups.values()) {
    const list = classes.get(group.classifier);
    if (list) list.push(group);
    else classes.set(group.classifier, [group]);
  }
  const sortShares = (shares: Iterable<BloatLayerShare>) => [...shares].sort((a, b) => a.layer - b.layer);
  const result: BloatClass[] = [...classes.entries()].map(([i, list]) => {
    const c = CLASSIFIERS[i]!;
    list.sort((a, b) => b.bytes - a.bytes || a.root - b.root);
    const layers = new Map<number, BloatLayerShare>();
    for (const g of list) {
      for (const share of g.layers.values()) {
        const total = layers.get(share.layer) ?? { layer: share.layer, bytes: 0, files: 0 };
        total.bytes += share.bytes;
        total.files += share.files;
        layers.set(share.layer, total);
      }
    }
    return {
      id: c.id,
      category: c.category,
      title: c.title,
      fix: c.fix,
      bytes: list.reduce((sum, g) => sum + g.bytes, 0),
      files: list.reduce((sum, g) => sum + g.files, 0),
      layers: sortShares(layers.values()),
      paths: list.slice(0, context.limit).map((g) => ({
        path: table.path(g.root),
        bytes: g.bytes,
        files: g.files,
        layers: sortShares(g.layers.values()),
      })),
      morePaths: Math.max(0, list.length - context.limit),
    };
  });
  result.sort((a, b) => b.bytes - a.bytes || a.id.localeCompare(b.id));
  return {
    bytes: result.reduce((sum, c) => sum + c.bytes, 0),
    files: result.reduce((sum, c) => sum + c.files, 0),
    classes: result,
    skipped,
  };
}

/** True when an ancestor within `depth` levels is named one of `under` (npm @scope dirs do not count). */
function underDirectory(
  table: ImageModel["table"],
  slot: number,
  under: Set<string>,
  depth: number,
): boolean {
  let levels = 0;
  for (let a = table.parent(slot); a > 0 && levels < depth; a = table.parent(a)) {
    const name = table.name(a);
    if (under.has(name)) return true;
    if (!name.startsWith("@")) levels++;
  }
  return false;
}

/**
 * Bloat in the final filesystem: every visible file is classified once by the data in
 * classifiers.ts. Directories are classified top-down (slots are ordered parents first), so a
 * file under /usr/share/doc inherits its directory's class without a pattern test of its own;
 * only files in unclassified directories test the name and extension rules.
 */
import { EntryKind } from "../image/layer-index.ts";
import { sameBytes } from "../image/path-table.ts";
import { CLASSIFIERS, type Classifier, type ClassifierCondition } from "./classifiers.ts";
import type { ImageModel, NameBytes } from "./model.ts";
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

/** A byte-level matcher's answer when the name must be made a string to decide. */
const NEEDS_TEXT = -2;
const DOT = 0x2e;

/**
 * String keys looked up by UTF-8 bytes, without making the bytes a string: equal bytes are
 * equal strings, and an ASCII key cannot equal the decoding of other bytes (malformed UTF-8
 * decodes to U+FFFD). A non-ASCII key makes every lookup NEEDS_TEXT.
 */
class AsciiKeys {
  private readonly byLength: Array<Array<{ bytes: Buffer; value: number }>> = [];
  /** First bytes of the keys: most lookups stop at the first byte. */
  private readonly firstBytes = new Uint8Array(256);
  private readonly exact: boolean;

  constructor(entries: Iterable<readonly [string, number]>) {
    let exact = true;
    for (const [key, value] of entries) {
      if ([...key].some((c) => c.charCodeAt(0) >= 0x80)) exact = false;
      const bytes = Buffer.from(key, "latin1");
      const sameLength = this.byLength[bytes.length] ?? [];
      sameLength.push({ bytes, value });
      this.byLength[bytes.length] = sameLength;
      if (bytes.length > 0) this.firstBytes[bytes[0]!] = 1;
    }
    this.exact = exact;
  }

  /** The value of the key equal to bytes[start, end), -1 when none, NEEDS_TEXT when unsure. */
  get(bytes: Uint8Array, start: number, end: number): number {
    if (!this.exact) return NEEDS_TEXT;
    if (end > start && this.firstBytes[bytes[start]!] === 0) return -1;
    const candidates = this.byLength[end - start];
    if (candidates === undefined) return -1;
    for (let c = 0; c < candidates.length; c++) {
      const key = candidates[c]!;
      if (sameBytes(bytes, start, key.bytes, 0, key.bytes.length)) return key.value;
    }
    return -1;
  }
}

/**
 * What `byName`, then `byExtension`, then the `files` rules say of a file name, decided on the
 * name's bytes where that is certain: an ASCII name that is no key of `byName` and whose first
 * and last bytes end no `files` pattern (Classifier.filesEnds) is classified by its extension
 * alone. Anything else is NEEDS_TEXT: the caller tests the string, as before. Nearly every file
 * of an image is decided here without a string.
 */
function fileNameMatcher(
  byName: ReadonlyMap<string, number>,
  byExtension: ReadonlyMap<string, number>,
  fileRules: readonly number[],
): (name: NameBytes) => number {
  /** Marks a character that may begin (or end) a match; a non-ASCII one turns the shortcut off. */
  const mark = (table: Uint8Array, code: number) => {
    if (code < 0x80) table[code] = 1;
    else table.fill(1);
  };
  const markAll = (table: Uint8Array, chars: string | undefined) => {
    if (chars === undefined) table.fill(1);
    else for (let c = 0; c < chars.length; c++) mark(table, chars.charCodeAt(c));
  };
  // First and last bytes a `files` match may have.
  const fileFirst = new Uint8Array(256);
  const fileLast = new Uint8Array(256);
  for (const i of fileRules) {
    markAll(fileFirst, CLASSIFIERS[i]!.filesEnds?.first);
    markAll(fileLast, CLASSIFIERS[i]!.filesEnds?.last);
  }
  // ... and any match at all: a name key's first byte, an extension's last byte.
  const anyFirst = Uint8Array.from(fileFirst);
  const anyLast = Uint8Array.from(fileLast);
  for (const key of byName.keys()) mark(anyFirst, key.length > 0 ? key.charCodeAt(0) : 0x80);
  for (const extension of byExtension.keys())
    mark(anyLast, extension.length > 0 ? extension.charCodeAt(extension.length - 1) : 0x80);
  const names = new AsciiKeys(byName);
  const extensions = new AsciiKeys(byExtension);
  return ({ buffer, start, end }) => {
    if (end <= start) return NEEDS_TEXT;
    // Two lookups decide most names. A non-ASCII first or last byte is no ASCII character's.
    if (anyFirst[buffer[start]!] === 0 && anyLast[buffer[end - 1]!] === 0) return -1;
    let dot = -1;
    for (let i = start; i < end; i++) {
      const byte = buffer[i]!;
      if (byte >= 0x80) return NEEDS_TEXT;
      if (byte === DOT) dot = i;
    }
    const named = names.get(buffer, start, end);
    if (named !== -1) return named;
    if (dot > start) {
      const extension = extensions.get(buffer, dot, end);
      if (extension !== -1) return extension;
    }
    if (fileFirst[buffer[start]!] === 1 || fileLast[buffer[end - 1]!] === 1) return NEEDS_TEXT;
    return -1;
  };
}

/**
 * Whether bytes[start, end) may begin with `prefix`: false only when they certainly do not
 * (a non-ASCII prefix is left to the string test).
 */
function mayStartWith(bytes: Uint8Array, start: number, end: number, prefix: string): boolean {
  if (end - start < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    const code = prefix.charCodeAt(i);
    if (code >= 0x80) return true;
    if (bytes[start + i] !== code) return false;
  }
  return true;
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
  // Directories by slot: an exact directory is looked up once, not compared with every path.
  const exactDirOf = new Map<number, number>();
  for (const [path, classifier] of dirs.exact) {
    const slot = table.lookup(path);
    if (slot !== undefined && !exactDirOf.has(slot)) exactDirOf.set(slot, classifier);
  }
  /** The wildcards' distinct prefixes: a directory under none of them matches no wildcard. */
  const wildcardPrefixes = [...new Set(dirs.wildcard.map((w) => w.prefix))];
  const underNames = new AsciiKeys([...allUnderNames].map((name) => [name, 1] as const));
  /** matchDirectory on bytes: the path is made a string only for a wildcard's prefix or an under-rule name. */
  const matchDirectory = (slot: number): number => {
    const exact = exactDirOf.get(slot);
    if (exact !== undefined) return exact;
    const { buffer, start, end } = table.pathBytes(slot);
    let underAPrefix = false;
    for (let p = 0; p < wildcardPrefixes.length && !underAPrefix; p++)
      underAPrefix = mayStartWith(buffer, start, end, wildcardPrefixes[p]!);
    if (underAPrefix) {
      const path = table.path(slot);
      for (const w of dirs.wildcard)
        if (path.startsWith(w.prefix) && w.pattern.test(path)) return w.classifier;
    }
    const named = table.nameBytes(slot);
    if (underNames.get(named.buffer, named.start, named.end) === -1) return -1;
    const name = table.name(slot);
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

  const namedBytes = new AsciiKeys(byName);
  const fileNameMatch = fileNameMatcher(byName, byExtension, fileRules);
  const parents = table.parentArray();
  const children = table.childRows().start;
  const visibleLayer = stack.visibleLayer;
  for (let s = 1; s < n; s++) {
    const isDir = children[s + 1]! > children[s]!;
    // A file nobody sees is never counted, and has no children to pass a class on to.
    if (!isDir && visibleLayer[s]! < 0) continue;
    const parent = parents[s]!;
    const inherited = classOf[parent]!;
    if (inherited >= 0) {
      const keep = CLASSIFIERS[inherited]!.keep;
      if (isDir || !keep || !keep.test(table.name(s))) {
        classOf[s] = inherited;
        rootOf[s] = rootOf[parent]!;
      }
      continue;
    }
    let match: number;
    if (isDir) {
      const name = table.nameBytes(s);
      match = namedBytes.get(name.buffer, name.start, name.end);
      if (match === NEEDS_TEXT) match = byName.get(table.name(s)) ?? -1;
      if (match < 0) match = matchDirectory(s);
    } else {
      match = fileNameMatch(table.nameBytes(s));
      if (match === NEEDS_TEXT) {
        const name = table.name(s);
        match = byName.get(name) ?? -1;
        if (match < 0) match = matchFile(name);
      }
    }
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

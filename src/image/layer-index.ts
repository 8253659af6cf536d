/**
 * One pass over a layer's tar stream: a compact per-file index plus the content of the few
 * files analyses ask for. Layer format: OCI image-spec layer.md
 * (https://github.com/opencontainers/image-spec/blob/main/layer.md): whiteouts `.wh.NAME`
 * delete NAME from lower layers, `.wh..wh..opq` hides the directory's lower contents, and a
 * bare `.wh.` is invalid. Paths are cleaned; `..` components are rejected; links are recorded,
 * never followed.
 */
import { Readable } from "node:stream";
import { DrydockError } from "../errors.ts";
import { pathHash } from "./path-table.ts";
import {
  parseTarFile,
  type TarEntryHandler,
  type TarEntrySink,
  type TarFileRange,
  type TarHeader,
  TarParser,
} from "./tar-parser.ts";

export const EntryKind = {
  file: 0,
  dir: 1,
  symlink: 2,
  hardlink: 3,
  char: 4,
  block: 5,
  fifo: 6,
  other: 7,
} as const;
export type EntryKind = (typeof EntryKind)[keyof typeof EntryKind];
export const ENTRY_KIND_NAMES = [
  "file",
  "dir",
  "symlink",
  "hardlink",
  "char",
  "block",
  "fifo",
  "other",
] as const;
export type EntryKindName = (typeof ENTRY_KIND_NAMES)[number];

const WHITEOUT_PREFIX = ".wh.";
const OPAQUE_MARKER = ".wh..wh..opq";

/** A growable typed array: a million entries cost bytes each, not objects. */
class Column<T extends Float64Array | Int32Array | Uint32Array | Uint8Array> {
  data: T;
  length = 0;
  private readonly make: (n: number) => T;
  constructor(make: (n: number) => T) {
    this.make = make;
    this.data = make(1024);
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
  get(index: number): number {
    return this.data[index]!;
  }
}

export interface LayerEntry {
  path: string;
  kind: EntryKindName;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  linkTarget?: string;
}

/**
 * Every path of a layer as UTF-8 bytes: path i is `bytes[ends[i - 1] ?? 0 .. ends[i]]`, its
 * hash (path-table.ts) `hashes[i]`; its directory is its first `dirLengths[i]` bytes (0: the
 * root), hashed `dirHashes[i]`.
 */
export interface PathBytes {
  bytes: Buffer;
  ends: Float64Array;
  hashes: Int32Array;
  dirLengths: Int32Array;
  dirHashes: Int32Array;
}

/**
 * Paths as UTF-8 bytes in one growing buffer, until someone asks for them as strings. Keeping a
 * hundred thousand path strings alive while layers stream makes V8 run a full mark-compact every
 * few megabytes of promoted objects (40-odd on the benchmark image, a fifth of the CPU time of
 * reading it); bytes in a buffer are invisible to the garbage collector.
 */
class PathArena {
  private bytes = Buffer.allocUnsafe(64 * 1024);
  private used = 0;
  private readonly ends = new Column((n) => new Float64Array(n));
  /**
   * Per path, what merging layers needs (merge.ts, path-table.ts): its hash, the length and hash
   * of its directory. Computed here, while the layer is read, rather than in the merge that
   * follows the reading: the same work, but here it fills the main thread's waits for reads.
   */
  private readonly hashes = new Column((n) => new Int32Array(n));
  private readonly dirLengths = new Column((n) => new Int32Array(n));
  private readonly dirHashes = new Column((n) => new Int32Array(n));

  get length(): number {
    return this.ends.length;
  }

  push(path: string): void {
    // A UTF-8 byte per UTF-16 unit at most 3: grow first, then write.
    const room = path.length * 3;
    if (this.used + room > this.bytes.length) {
      const next = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + room));
      this.bytes.copy(next, 0, 0, this.used);
      this.bytes = next;
    }
    const start = this.used;
    this.used += this.bytes.write(path, this.used, "utf8");
    this.record(start, this.used);
  }

  /**
   * Pushes "/" + `name` without its trailing "/": the path cleanEntryPath makes of a name that
   * is already clean (isCleanRelative), written without making that string.
   */
  pushRooted(name: string): void {
    const room = name.length * 3 + 1;
    if (this.used + room > this.bytes.length) {
      const next = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + room));
      this.bytes.copy(next, 0, 0, this.used);
      this.bytes = next;
    }
    const start = this.used;
    this.bytes[start] = 0x2f;
    let end = start + 1 + this.bytes.write(name, start + 1, "utf8");
    if (this.bytes[end - 1] === 0x2f) end--;
    this.used = end;
    this.record(start, end);
  }

  private record(start: number, end: number): void {
    this.ends.push(end);
    pathHash.of(this.bytes, start, end);
    this.hashes.push(pathHash.hash);
    this.dirLengths.push(pathHash.dirLength);
    this.dirHashes.push(pathHash.dirHash);
  }

  get(index: number): string {
    const start = index === 0 ? 0 : this.ends.get(index - 1);
    return this.bytes.toString("utf8", start, this.ends.get(index));
  }

  /** The UTF-8 bytes of every path, where each ends, and their hashes (see PathBytes). */
  raw(): PathBytes {
    return {
      bytes: this.bytes,
      ends: this.ends.data,
      hashes: this.hashes.data,
      dirLengths: this.dirLengths.data,
      dirHashes: this.dirHashes.data,
    };
  }

  /** Every path as a string, in order. */
  strings(): string[] {
    const out = new Array<string>(this.length);
    for (let i = 0; i < out.length; i++) out[i] = this.get(i);
    return out;
  }
}

/** Per-layer file index in columns; whiteouts and opaque directories kept apart. */
export class LayerIndex {
  /**
   * Paths as bytes, always (merge.ts compares and hashes them without making strings); also as
   * strings once `paths` has been asked for.
   */
  private readonly arena = new PathArena();
  private pathStrings: string[] | null = null;
  private readonly kinds = new Column((n) => new Uint8Array(n));
  private readonly sizes = new Column((n) => new Float64Array(n));
  private readonly modes = new Column((n) => new Uint32Array(n));
  private readonly uids = new Column((n) => new Uint32Array(n));
  private readonly gids = new Column((n) => new Uint32Array(n));
  /** Link targets by entry index (sparse). */
  readonly linkTargets = new Map<number, string>();
  /** Paths removed from lower layers by `.wh.NAME`. */
  readonly whiteouts: string[] = [];
  /** Directories whose lower contents are hidden by `.wh..wh..opq`. */
  readonly opaqueDirs: string[] = [];
  /** Sum of regular file sizes (what dive calls the layer size). */
  fileBytes = 0;
  /** Content of the files an analysis asked for, by path. */
  readonly captured = new Map<string, Buffer>();
  /** What `CaptureRule.extract` functions returned, by path. */
  readonly extracted = new Map<string, unknown>();

  get count(): number {
    return this.kinds.length;
  }

  /** Every entry's path, by entry index (made on first use; later entries are appended). */
  get paths(): string[] {
    if (this.pathStrings === null) this.pathStrings = this.arena.strings();
    return this.pathStrings;
  }

  /** One entry's path (no array of every path is made). */
  path(index: number): string {
    return this.pathStrings === null ? this.arena.get(index) : this.pathStrings[index]!;
  }

  /**
   * Every path as UTF-8 bytes: path i is `bytes[ends[i - 1] ?? 0 .. ends[i]]`. Valid until the
   * next `add` (the buffers grow by replacement).
   */
  pathBytes(): PathBytes {
    return this.arena.raw();
  }

  add(entry: LayerEntry): void {
    const index = this.count;
    this.arena.push(entry.path);
    if (this.pathStrings !== null) this.pathStrings.push(entry.path);
    this.kinds.push(EntryKind[entry.kind]);
    this.sizes.push(entry.size);
    this.modes.push(entry.mode);
    this.uids.push(entry.uid);
    this.gids.push(entry.gid);
    if (entry.linkTarget !== undefined) this.linkTargets.set(index, entry.linkTarget);
    if (entry.kind === "file") this.fileBytes += entry.size;
  }

  /**
   * Adds an entry whose tar name is already clean (isCleanRelative): its path is "/" + name
   * without a trailing "/". The reading of layers goes through here, with no path string or
   * entry object made per file.
   */
  addClean(
    name: string,
    kind: EntryKindName,
    size: number,
    mode: number,
    uid: number,
    gid: number,
    linkTarget: string | null,
  ): void {
    const index = this.count;
    this.arena.pushRooted(name);
    if (this.pathStrings !== null) this.pathStrings.push(this.arena.get(index));
    this.kinds.push(EntryKind[kind]);
    this.sizes.push(size);
    this.modes.push(mode);
    this.uids.push(uid);
    this.gids.push(gid);
    if (linkTarget !== null) this.linkTargets.set(index, linkTarget);
    if (kind === "file") this.fileBytes += size;
  }

  /**
   * Every entry's kind as an EntryKind code, by entry index: the column itself, for passes over
   * every entry that would otherwise call `kind` per entry (read it, never write it).
   */
  kindCodes(): Uint8Array {
    return this.kinds.data.subarray(0, this.count);
  }

  /** Every entry's size, by entry index: the column itself (read it, never write it). */
  sizeColumn(): Float64Array {
    return this.sizes.data.subarray(0, this.count);
  }

  kind(index: number): EntryKindName {
    return ENTRY_KIND_NAMES[this.kinds.get(index)]!;
  }
  size(index: number): number {
    return this.sizes.get(index);
  }

  entry(index: number): LayerEntry {
    const linkTarget = this.linkTargets.get(index);
    return {
      path: this.path(index),
      kind: this.kind(index),
      size: this.sizes.get(index),
      mode: this.modes.get(index),
      uid: this.uids.get(index),
      gid: this.gids.get(index),
      ...(linkTarget === undefined ? {} : { linkTarget }),
    };
  }

  *entries(): IterableIterator<LayerEntry> {
    for (let i = 0; i < this.count; i++) yield this.entry(i);
  }
}

/** What a capture rule may look at besides the path (regular files only). */
export interface CaptureEntryInfo {
  size: number;
  mode: number;
}

/** Which files' content to keep while streaming (e.g. package databases), and how much. */
export interface CaptureRule {
  matches(path: string, entry?: CaptureEntryInfo): boolean;
  /**
   * Optional quick test on the path's UTF-8 bytes (`bytes[start, end)`), made before the path
   * is decoded into a string: false promises that `matches` is false too. When every rule says
   * false, the file's path is never decoded (a rule that looks for a few names among a hundred
   * thousand files saves a string per file).
   */
  mayMatch?(bytes: Uint8Array, start: number, end: number): boolean;
  /** Largest content kept, in bytes; larger files are skipped (recorded, not captured). */
  maxBytes: number;
  /**
   * Instead of keeping the bytes, hand the content stream to this function and keep only what
   * it returns (in `LayerIndex.extracted`; `undefined` keeps nothing). For large files whose
   * useful part is small (a Go binary's build info, a jar's manifests): memory stays bounded
   * by what the function buffers, not by the file. The function must read the content to its
   * end (breaking out of `for await` would destroy the entry stream); whatever it leaves
   * unread is drained for it.
   */
  extract?: (path: string, content: AsyncIterable<Buffer>, size: number) => Promise<unknown>;
}

/**
 * Cleans a tar entry name to an absolute path (`/usr/bin/x`). `..` anywhere is rejected:
 * a layer must never name a file outside its root.
 */
export function cleanEntryPath(name: string, label: string): string {
  // Most names are already clean ("usr/bin/x", "etc/"): one scan, no split and join.
  if (isCleanRelative(name)) return `/${name.endsWith("/") ? name.slice(0, -1) : name}`;
  const parts: string[] = [];
  for (const part of name.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      throw new DrydockError(
        "PATH_TRAVERSAL",
        `${label}: entry "${name}" escapes the layer root (path traversal)`,
      );
    }
    parts.push(part);
  }
  return `/${parts.join("/")}`;
}

/** True for "a/b/c" or "a/b/": no empty, "." or ".." segment, nothing before the first name. */
function isCleanRelative(name: string): boolean {
  const end = name.length > 1 && name.charCodeAt(name.length - 1) === 0x2f ? name.length - 1 : name.length;
  let start = 0;
  for (let i = 0; i <= end; i++) {
    if (i < end && name.charCodeAt(i) !== 0x2f) continue;
    const length = i - start;
    if (length === 0) return false;
    if (
      name.charCodeAt(start) === 0x2e &&
      (length === 1 || (length === 2 && name.charCodeAt(start + 1) === 0x2e))
    )
      return false;
    start = i + 1;
  }
  return true;
}

function kindOf(type: TarHeader["type"]): EntryKindName {
  switch (type) {
    case "file":
    case "contiguous-file":
      return "file";
    case "directory":
      return "dir";
    case "symlink":
      return "symlink";
    case "link":
      return "hardlink";
    case "character-device":
      return "char";
    case "block-device":
      return "block";
    case "fifo":
      return "fifo";
    default:
      return "other";
  }
}

export interface ReadLayerOptions {
  label: string;
  capture?: CaptureRule[];
  /** Largest number of entries accepted in one layer (hostile input bound). */
  maxEntries?: number;
}

export interface ReadLayerTarOptions extends ReadLayerOptions {
  /**
   * Called with each chunk of the stream once it is parsed, for the stream to reuse its memory
   * (decompress.ts: output blocks go back to the zstd worker). The parser then copies what it
   * hands to capture sinks, and keeps no reference to the chunk.
   */
  release?: (chunk: Buffer) => void;
  /**
   * Set when the stream is the tar's skeleton (tar-skeleton.ts: headers and extension records,
   * no entry data; nothing can be captured): the length of the whole tar, asked at its end.
   */
  skeletonOf?: () => number;
}

/** Streams a decompressed layer tar (or its skeleton) into a LayerIndex. */
export async function readLayerTar(tar: Readable, options: ReadLayerTarOptions): Promise<LayerIndex> {
  const index = new LayerIndex();
  const { release, skeletonOf } = options;
  const parser = new TarParser(entryHandler(index, options), options.label, {
    dataOmitted: skeletonOf !== undefined,
  });
  try {
    for await (const chunk of tar) {
      const wait = parser.feed(chunk as Buffer, release !== undefined);
      if (wait) await wait;
      release?.(chunk as Buffer);
    }
    parser.end(skeletonOf?.());
  } catch (error) {
    tar.destroy();
    throw layerError(error, options.label);
  }
  return index;
}

/** An uncompressed layer tar at `start` in an open file, `size` bytes long. */
export type LayerFileRange = TarFileRange;

/**
 * Indexes an uncompressed layer tar in a local file by seeking: headers are read in windows and
 * the data of files nobody captures is passed over, never read (an archive is indexed in about
 * the time of reading its headers, not its bytes). Captured files are read from their range.
 * The layer's digest is therefore NOT checked here (callers decide; see read.ts).
 */
export async function readLayerFile(range: LayerFileRange, options: ReadLayerOptions): Promise<LayerIndex> {
  const index = new LayerIndex();
  const parser = new TarParser(entryHandler(index, options), options.label);
  try {
    await parseTarFile(parser, range);
  } catch (error) {
    throw layerError(error, options.label);
  }
  return index;
}

function layerError(error: unknown, label: string): DrydockError {
  return error instanceof DrydockError
    ? error
    : new DrydockError("CORRUPT_LAYER", `${label}: cannot read layer: ${(error as Error).message}`);
}

/** Records each entry; sends the content of captured files to a collector or an extract function. */
function entryHandler(index: LayerIndex, options: ReadLayerOptions): TarEntryHandler {
  const maxEntries = options.maxEntries ?? 20_000_000;
  const capture = options.capture ?? [];
  return (header) => {
    const recorded = recordEntry(index, header, options.label);
    if (index.count > maxEntries)
      throw new DrydockError("TOO_MANY_FILES", `${options.label}: more than ${maxEntries} entries`);
    if (!recorded || capture.length === 0) return undefined;
    if (header.type !== "file" && header.type !== "contiguous-file") return undefined;
    if (!capture.some((rule) => mayMatchLast(index, rule))) return undefined;
    const path = index.path(index.count - 1);
    const info: CaptureEntryInfo = { size: header.size, mode: header.mode };
    const rule = capture.find((r) => r.matches(path, info));
    if (!rule || info.size > rule.maxBytes) return undefined;
    return rule.extract ? extractSink(index, rule.extract, path, info.size) : collectSink(index, path);
  };
}

/** The rule's `mayMatch` on the bytes of the index's last path (true without one). */
function mayMatchLast(index: LayerIndex, rule: CaptureRule): boolean {
  if (rule.mayMatch === undefined) return true;
  const { bytes, ends } = index.pathBytes();
  const last = index.count - 1;
  return rule.mayMatch(bytes, last === 0 ? 0 : ends[last - 1]!, ends[last]!);
}

/** Keeps the whole content (bounded by the rule's maxBytes). */
function collectSink(index: LayerIndex, path: string): TarEntrySink {
  const pieces: Buffer[] = [];
  return {
    done: false,
    write(piece) {
      pieces.push(piece);
      return undefined;
    },
    end() {
      index.captured.set(path, pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces));
      return undefined;
    },
  };
}

/**
 * Streams the content to an extract function with back-pressure; keeps what it returns. When
 * the function settles before the end, the parser skips the rest of the entry.
 */
function extractSink(
  index: LayerIndex,
  extract: NonNullable<CaptureRule["extract"]>,
  path: string,
  size: number,
): TarEntrySink {
  let resume: (() => void) | null = null;
  const release = () => {
    const waiting = resume;
    resume = null;
    waiting?.();
  };
  const content = new Readable({ highWaterMark: 1 << 20, read: release });
  let settled = false;
  let failure: unknown;
  const result = extract(path, content, size).then(
    (value) => {
      if (value !== undefined) index.extracted.set(path, value);
    },
    (error: unknown) => {
      failure = error;
    },
  );
  const finished = result.then(() => {
    settled = true;
    release();
    content.resume(); // drop whatever the function left unread
  });
  return {
    get done() {
      return settled;
    },
    write(piece) {
      if (settled) return undefined;
      if (content.push(piece)) return undefined;
      return new Promise<void>((resolve) => {
        resume = resolve;
      });
    },
    end() {
      if (!settled && !content.destroyed) content.push(null);
      return finished.then(() => {
        if (failure !== undefined) throw failure;
      });
    },
  };
}

/** Adds the entry to the index; false for whiteouts and the root, which are not entries. */
function recordEntry(index: LayerIndex, header: TarHeader, label: string): boolean {
  // "./usr/bin/x" (a layer made by tar-ing a directory, as debootstrap's base layers are) is
  // the same path as "usr/bin/x": recorded the quick way too.
  const name =
    header.name.charCodeAt(0) === 0x2e && header.name.charCodeAt(1) === 0x2f
      ? header.name.slice(2)
      : header.name;
  if (isCleanRelative(name)) {
    // Most names: recorded from the name itself, unless it is a whiteout (checked below).
    const end = name.charCodeAt(name.length - 1) === 0x2f ? name.length - 1 : name.length;
    if (!name.startsWith(WHITEOUT_PREFIX, name.lastIndexOf("/", end - 1) + 1)) {
      const kind = kindOf(header.type);
      index.addClean(
        name,
        kind,
        kind === "file" ? header.size : 0,
        header.mode,
        header.uid,
        header.gid,
        header.linkname,
      );
      return true;
    }
  }
  const path = cleanEntryPath(header.name, label);
  const slash = path.lastIndexOf("/");
  // Base name and directory are cut out only for whiteouts (a few in a hundred thousand).
  if (path.startsWith(WHITEOUT_PREFIX, slash + 1)) {
    const base = path.slice(slash + 1);
    const dir = slash <= 0 ? "/" : path.slice(0, slash);
    if (base === OPAQUE_MARKER) {
      index.opaqueDirs.push(dir);
      return false;
    }
    const target = base.slice(WHITEOUT_PREFIX.length);
    if (target === "" || target === "." || target === "..") {
      throw new DrydockError("BAD_WHITEOUT", `${label}: invalid whiteout entry "${header.name}"`);
    }
    index.whiteouts.push(dir === "/" ? `/${target}` : `${dir}/${target}`);
    return false;
  }
  if (path === "/") return false;
  const kind = kindOf(header.type);
  index.add({
    path,
    kind,
    size: kind === "file" ? header.size : 0,
    mode: header.mode,
    uid: header.uid,
    gid: header.gid,
    linkTarget: header.linkname ?? undefined,
  });
  return true;
}

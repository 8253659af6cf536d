/**
 * One pass over a layer's tar stream: a compact per-file index plus the content of the few
 * files analyses ask for. Layer format: OCI image-spec layer.md
 * (https://github.com/opencontainers/image-spec/blob/main/layer.md): whiteouts `.wh.NAME`
 * delete NAME from lower layers, `.wh..wh..opq` hides the directory's lower contents, and a
 * bare `.wh.` is invalid. Paths are cleaned; `..` components are rejected; links are recorded,
 * never followed.
 */
import type { Readable } from "node:stream";
import { extract, type Header } from "tar-stream";
import { DrydockError } from "../errors.ts";

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
class Column<T extends Float64Array | Uint32Array | Uint8Array> {
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

/** Per-layer file index in columns; whiteouts and opaque directories kept apart. */
export class LayerIndex {
  readonly paths: string[] = [];
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
    return this.paths.length;
  }

  add(entry: LayerEntry): void {
    const index = this.paths.length;
    this.paths.push(entry.path);
    this.kinds.push(EntryKind[entry.kind]);
    this.sizes.push(entry.size);
    this.modes.push(entry.mode);
    this.uids.push(entry.uid);
    this.gids.push(entry.gid);
    if (entry.linkTarget !== undefined) this.linkTargets.set(index, entry.linkTarget);
    if (entry.kind === "file") this.fileBytes += entry.size;
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
      path: this.paths[index]!,
      kind: this.kind(index),
      size: this.sizes.get(index),
      mode: this.modes.get(index),
      uid: this.uids.get(index),
      gid: this.gids.get(index),
      ...(linkTarget === undefined ? {} : { linkTarget }),
    };
  }

  *entries(): IterableIterator<LayerEntry> {
    for (let i = 0; i < this.paths.length; i++) yield this.entry(i);
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

function kindOf(type: Header["type"]): EntryKindName {
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

/** Streams a decompressed layer tar into a LayerIndex. */
export function readLayerTar(tar: Readable, options: ReadLayerOptions): Promise<LayerIndex> {
  const index = new LayerIndex();
  const maxEntries = options.maxEntries ?? 20_000_000;
  const capture = options.capture ?? [];
  const parser = extract();
  return new Promise<LayerIndex>((resolve, reject) => {
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      const wrapped =
        error instanceof DrydockError
          ? error
          : new DrydockError(
              "CORRUPT_LAYER",
              `${options.label}: cannot read layer: ${(error as Error).message}`,
            );
      tar.destroy();
      parser.destroy();
      reject(wrapped);
    };
    parser.on("entry", (header, stream, next) => {
      try {
        recordEntry(index, header, options.label);
        if (index.count > maxEntries)
          throw new DrydockError("TOO_MANY_FILES", `${options.label}: more than ${maxEntries} entries`);
      } catch (error) {
        stream.resume();
        fail(error);
        return;
      }
      const path = index.paths[index.count - 1];
      const info = { size: header.size ?? 0, mode: header.mode ?? 0 };
      const isFile = header.type === "file" || header.type === "contiguous-file";
      const rule = isFile && path ? capture.find((r) => r.matches(path, info)) : undefined;
      if (rule?.extract && info.size <= rule.maxBytes) {
        extractEntry(rule.extract, path!, stream, info.size).then((result) => {
          if (result !== undefined) index.extracted.set(path!, result);
          next();
        }, fail);
      } else if (rule && (header.size ?? 0) <= rule.maxBytes) {
        const chunks: Buffer[] = [];
        stream.on("data", (c: unknown) => {
          chunks.push(c as Buffer);
        });
        stream.on("end", () => {
          index.captured.set(path!, Buffer.concat(chunks));
          next();
        });
      } else {
        stream.on("end", () => next());
        stream.resume();
      }
      stream.on("error", fail);
    });
    parser.on("finish", () => {
      if (!failed) resolve(index);
    });
    parser.on("error", fail);
    tar.on("error", fail);
    tar.pipe(parser);
  });
}

/** The part of a tar entry stream (a streamx Readable) an extract run needs. */
interface EntryStream extends AsyncIterable<unknown> {
  on(event: "end" | "error", listener: (error?: unknown) => void): unknown;
  resume(): unknown;
}

/** Runs an extract function over an entry's stream and drains whatever it left unread. */
function extractEntry(
  extract: NonNullable<CaptureRule["extract"]>,
  path: string,
  stream: EntryStream,
  size: number,
): Promise<unknown> {
  let ended = false;
  const endedPromise = new Promise<void>((resolve, reject) => {
    stream.on("end", () => {
      ended = true;
      resolve();
    });
    stream.on("error", (error) => reject(error));
  });
  // Awaited below; the early catch only keeps an error before then from being "unhandled".
  endedPromise.catch(() => undefined);
  return extract(path, stream as AsyncIterable<Buffer>, size).then(async (result) => {
    if (!ended) stream.resume();
    await endedPromise;
    return result;
  });
}

function recordEntry(index: LayerIndex, header: Header, label: string): void {
  const path = cleanEntryPath(header.name, label);
  const slash = path.lastIndexOf("/");
  const base = path.slice(slash + 1);
  const dir = slash <= 0 ? "/" : path.slice(0, slash);
  if (base.startsWith(WHITEOUT_PREFIX)) {
    if (base === OPAQUE_MARKER) {
      index.opaqueDirs.push(dir);
      return;
    }
    const target = base.slice(WHITEOUT_PREFIX.length);
    if (target === "" || target === "." || target === "..") {
      throw new DrydockError("BAD_WHITEOUT", `${label}: invalid whiteout entry "${header.name}"`);
    }
    index.whiteouts.push(dir === "/" ? `/${target}` : `${dir}/${target}`);
    return;
  }
  if (path === "/") return;
  const kind = kindOf(header.type);
  index.add({
    path,
    kind,
    size: kind === "file" ? (header.size ?? 0) : 0,
    mode: header.mode ?? 0,
    uid: header.uid ?? 0,
    gid: header.gid ?? 0,
    linkTarget: header.linkname ?? undefined,
  });
}

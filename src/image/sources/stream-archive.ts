/**
 * One pass over an image archive that arrives as a stream: the Docker daemon's
 * `GET /images/{name}/get` body, or a gzip/zstd-compressed `docker save` / OCI archive file.
 * Archive layouts: /work/shared/reference/image-analysis.md §6 (docker save legacy, Docker >= 25
 * OCI-in-tar, containerd image store) and the OCI image layout
 * (https://github.com/opencontainers/image-spec/blob/main/image-layout.md).
 *
 * `docker save` writes manifest.json near the END of the tar, so nothing can be resolved before
 * the layers go by. While the archive streams:
 *  - every member that looks like a layer (`<dir>/layer.tar`, `*.tar[.gz|.zst]`, or a
 *    `blobs/<alg>/<hex>` whose first byte is not `{`) is hashed and, in the same pass,
 *    decompressed by magic bytes and indexed by readLayerTar (with the caller's capture rules);
 *  - small JSON members (manifest.json, index.json, configs, manifests, indexes) are buffered;
 *  - everything else is skipped.
 * At the end the buffered JSON is resolved exactly as resolveFromStore resolves a random-access
 * archive (same code, over an in-memory FileStore), layers are matched to the manifest by path
 * or digest, and each layer's digest is checked. Layer contents are never buffered.
 */
import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { posix } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { extract, type Header } from "tar-stream";
import { DrydockError } from "../../errors.ts";
import { type Compression, DEFAULT_EXPANSION_LIMITS, decompress } from "../decompress.ts";
import type { ImageHandle } from "../handle.ts";
import { type LayerIndex, readLayerTar } from "../layer-index.ts";
import type { LayerData, ReadLayersOptions } from "../read.ts";
import type { Descriptor, ResolvedImage } from "../types.ts";
import { type ResolveOptions, resolveFromStore } from "./archive.ts";
import { blobPath, type FileStore, MAX_JSON_BYTES } from "./store.ts";

export interface StreamArchiveLimits {
  /** Most tar members accepted in the archive (a docker save of 127 layers has ~400). */
  maxMembers: number;
  /** Largest member accepted, in bytes, as its header declares it. */
  maxMemberBytes: number;
  /** Largest JSON document buffered (manifest, index, config). */
  maxJsonBytes: number;
  /** All buffered JSON together. */
  maxTotalJsonBytes: number;
  /** Largest archive after decompression of the outer stream. */
  maxArchiveBytes: number;
}

export const DEFAULT_STREAM_LIMITS: StreamArchiveLimits = {
  maxMembers: 100_000,
  maxMemberBytes: DEFAULT_EXPANSION_LIMITS.maxBytes,
  maxJsonBytes: MAX_JSON_BYTES,
  maxTotalJsonBytes: 64 * 1024 * 1024,
  maxArchiveBytes: 1024 ** 4,
};

export interface StreamArchiveOptions extends ResolveOptions {
  /** Where the stream comes from (a path, or the daemon's image name); used in messages. */
  label: string;
  /** Transport name, e.g. `docker-archive`, `oci-archive`, `docker-daemon`. */
  kind: string;
  limits?: Partial<StreamArchiveLimits>;
  /** Reported as the resolved image's reference (the daemon's image name). */
  reportedReference?: string;
  /** Called with the resolved image of every pass; throws when it is not the image expected. */
  verify?: (resolved: ResolvedImage) => void;
}

/** What one pass learned: the resolved image and the indexed layers. */
export interface ArchiveScan {
  resolved: ResolvedImage;
  /** The image's layers in order; fails here (not in resolve) on a corrupt or mismatched layer. */
  layers(): Promise<LayerData[]>;
}

const TOP_LEVEL_JSON = new Set(["manifest.json", "index.json", "oci-layout"]);
const BLOB_NAME = /^blobs\/([a-z0-9]+)\/[a-zA-Z0-9=_-]+$/;
const LEGACY_LAYER = /^[^/]+\/layer\.tar$/;
const TOP_LEVEL_LAYER = /^[^/]+\.(?:tar|tar\.gz|tgz|tar\.zst)$/;
const HASHES = new Set(["sha256", "sha512"]);

type Role = "json" | "blob" | "layer" | "skip";

function roleOf(name: string): Role {
  if (TOP_LEVEL_JSON.has(name) || /^[^/]+\.json$/.test(name)) return "json";
  if (BLOB_NAME.test(name)) return "blob";
  if (LEGACY_LAYER.test(name) || TOP_LEVEL_LAYER.test(name)) return "layer";
  return "skip";
}

/** Cleans a member name (`./a//b` -> `a/b`); `..` anywhere is hostile and rejected. */
function memberName(raw: string, label: string): string {
  const parts: string[] = [];
  for (const part of raw.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      throw new DrydockError(
        "PATH_TRAVERSAL",
        `${label}: archive member "${raw}" escapes the archive (path traversal)`,
      );
    }
    parts.push(part);
  }
  return parts.join("/");
}

interface LayerResult {
  index: LayerIndex;
  compression: Compression;
  uncompressedBytes: number;
}

interface LayerRecord {
  /** `<alg>:<hex>` of the member's bytes as stored. */
  digest: string;
  size: number;
  result?: LayerResult;
  error?: unknown;
}

interface StoredFile {
  size: number;
  data?: Buffer;
  /** Why `data` is absent when the file is not a layer. */
  skipped?: "too-large" | "not-json";
}

/**
 * The buffered JSON of an archive as a FileStore, so that archive.ts resolves it with the same
 * code as a random-access archive. Every member is known (has/size); only JSON has content.
 */
class MemoryStore implements FileStore {
  readonly label: string;
  readonly files = new Map<string, StoredFile>();
  /** Symlinks and hard links between members, by cleaned name. */
  readonly links = new Map<string, string>();

  constructor(label: string) {
    this.label = label;
  }

  /** Follows member links (docker save links duplicate layers to the first copy). */
  target(name: string): string {
    let current = posix.normalize(name).replace(/^\.?\/+/, "");
    for (let depth = 0; depth < 16 && !this.files.has(current); depth++) {
      const next = this.links.get(current);
      if (next === undefined) break;
      current = next;
    }
    return current;
  }

  has(name: string): boolean {
    return this.files.has(this.target(name));
  }

  size(name: string): number | undefined {
    return this.files.get(this.target(name))?.size;
  }

  open(name: string): Readable {
    const file = this.files.get(this.target(name));
    if (!file?.data) throw this.unreadable(name, file);
    return Readable.from([file.data]);
  }

  async read(name: string, maxBytes = MAX_JSON_BYTES): Promise<Buffer> {
    const file = this.files.get(this.target(name));
    if (!file?.data) throw this.unreadable(name, file);
    if (file.data.length > maxBytes) {
      throw new DrydockError(
        "DOCUMENT_TOO_LARGE",
        `${this.label}: "${name}" is ${file.size} bytes (limit ${maxBytes})`,
      );
    }
    return file.data;
  }

  private unreadable(name: string, file: StoredFile | undefined): DrydockError {
    if (!file) return new DrydockError("MISSING_BLOB", `${this.label}: no "${name}" in the archive`);
    if (file.skipped === "too-large") {
      return new DrydockError(
        "DOCUMENT_TOO_LARGE",
        `${this.label}: "${name}" is ${file.size} bytes (too large for a JSON document)`,
      );
    }
    return new DrydockError("BAD_DOCUMENT", `${this.label}: "${name}" is not a JSON document`);
  }
}

/** Writes with back-pressure; a destroyed destination (its reader failed) is skipped silently. */
function feedChunk(feed: PassThrough, chunk: Buffer): Promise<void> | undefined {
  if (feed.destroyed || feed.writableEnded) return undefined;
  if (feed.write(chunk)) return undefined;
  return new Promise((resolve) => {
    const done = () => {
      feed.off("drain", done);
      feed.off("close", done);
      resolve();
    };
    feed.on("drain", done);
    feed.on("close", done);
  });
}

function drain(stream: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.readableEnded) return resolve();
    stream.on("error", reject);
    stream.on("end", () => resolve());
    stream.resume();
  });
}

async function indexLayerStream(
  source: Readable,
  label: string,
  read: ReadLayersOptions,
): Promise<LayerResult> {
  const decompressed = await decompress(source, label, read.limits ?? DEFAULT_EXPANSION_LIMITS);
  let index: LayerIndex;
  try {
    index = await readLayerTar(decompressed.stream, {
      label,
      capture: read.capture,
      maxEntries: read.maxEntries,
    });
  } catch (error) {
    if (error instanceof DrydockError) throw error;
    throw new DrydockError("CORRUPT_LAYER", `${label}: ${(error as Error).message}`);
  }
  await drain(decompressed.stream);
  return {
    index,
    compression: decompressed.compression,
    uncompressedBytes: decompressed.decompressedBytes(),
  };
}

/** A stream error from tar-stream, zlib or the transport, as a one-line DrydockError. */
function archiveError(error: unknown, source: string): DrydockError {
  if (error instanceof DrydockError) return error;
  const message = (error as Error)?.message ?? String(error);
  const code = (error as NodeJS.ErrnoException)?.code ?? "";
  if (
    /Unexpected end of data/.test(message) ||
    code === "Z_BUF_ERROR" ||
    /unexpected end of file/i.test(message)
  ) {
    return new DrydockError("CORRUPT_ARCHIVE", `${source}: the archive ends early (truncated?)`, {
      cause: error,
    });
  }
  if (/Invalid tar header|Header exceeds max size|Invalid header/.test(message) || code.startsWith("Z_")) {
    return new DrydockError("CORRUPT_ARCHIVE", `${source}: not a valid image archive (${message})`, {
      cause: error,
    });
  }
  return new DrydockError("READ_FAILED", `${source}: reading the archive failed: ${message}`, {
    cause: error,
  });
}

/** State of one pass. */
class Scanner {
  readonly store: MemoryStore;
  readonly layers = new Map<string, LayerRecord>();
  private readonly pending: Promise<void>[] = [];
  private members = 0;
  private jsonBytes = 0;
  private readonly limits: StreamArchiveLimits;
  private readonly source: string;
  private readonly options: StreamArchiveOptions;
  private readonly read: ReadLayersOptions;

  constructor(options: StreamArchiveOptions, read: ReadLayersOptions) {
    this.options = options;
    this.read = read;
    this.limits = { ...DEFAULT_STREAM_LIMITS, ...options.limits };
    this.store = new MemoryStore(options.label);
    this.source = `${options.kind}:${options.label}`;
  }

  async run(input: Readable): Promise<void> {
    let outer: Readable | undefined;
    try {
      const decompressed = await decompress(input, this.source, {
        maxBytes: this.limits.maxArchiveBytes,
        maxRatio: (this.read.limits ?? DEFAULT_EXPANSION_LIMITS).maxRatio,
      });
      outer = decompressed.stream;
      const extractor = extract();
      outer.on("error", (error) => extractor.destroy(error));
      outer.pipe(extractor);
      for await (const entry of extractor) {
        // tar-stream entries are streamx readables: async-iterable chunks of Buffer.
        await this.member(entry.header, entry as unknown as AsyncIterable<Buffer>);
      }
      await Promise.all(this.pending);
    } catch (error) {
      // Layer errors are kept per layer; a size error here is the whole archive's.
      if (error instanceof DrydockError && error.code === "LAYER_TOO_LARGE") {
        throw new DrydockError(
          "ARCHIVE_TOO_LARGE",
          `${this.source}: the archive expands beyond ${this.limits.maxArchiveBytes} bytes`,
        );
      }
      throw archiveError(error, this.source);
    } finally {
      input.destroy();
      outer?.destroy();
    }
  }

  private async member(header: Header, entry: AsyncIterable<Buffer>): Promise<void> {
    if (++this.members > this.limits.maxMembers) {
      throw new DrydockError(
        "TOO_MANY_MEMBERS",
        `${this.source}: more than ${this.limits.maxMembers} members in the archive`,
      );
    }
    const name = memberName(header.name, this.source);
    const size = header.size ?? 0;
    if (size > this.limits.maxMemberBytes) {
      throw new DrydockError(
        "MEMBER_TOO_LARGE",
        `${this.source}: member "${name}" claims ${size} bytes (limit ${this.limits.maxMemberBytes})`,
      );
    }
    if (header.type === "symlink" || header.type === "link") {
      this.link(name, header);
      return skip(entry);
    }
    if (header.type !== "file" && header.type !== "contiguous-file") return skip(entry);
    const role = roleOf(name);
    if (role === "skip") {
      this.store.files.set(name, { size, skipped: "not-json" });
      return skip(entry);
    }
    if (role === "json") return this.json(name, size, entry);
    return this.layerOrJson(name, size, role, entry);
  }

  /** Member links: symlink targets are relative to the link's directory, hard links to the root. */
  private link(name: string, header: Header): void {
    const raw =
      header.type === "symlink" ? posix.join(posix.dirname(name), header.linkname) : header.linkname;
    const normalized = posix.normalize(raw);
    if (header.linkname.startsWith("/") || normalized === ".." || normalized.startsWith("../")) {
      throw new DrydockError(
        "PATH_TRAVERSAL",
        `${this.source}: archive link "${name}" -> "${header.linkname}" points outside the archive`,
      );
    }
    this.store.links.set(name, memberName(raw, this.source));
  }

  private async json(
    name: string,
    size: number,
    entry: AsyncIterable<Buffer>,
    first?: Buffer,
  ): Promise<void> {
    if (size > this.limits.maxJsonBytes || this.jsonBytes + size > this.limits.maxTotalJsonBytes) {
      this.store.files.set(name, { size, skipped: "too-large" });
      return skip(entry);
    }
    this.jsonBytes += size;
    const chunks: Buffer[] = first ? [first] : [];
    for await (const chunk of entry) chunks.push(chunk);
    this.store.files.set(name, { size, data: Buffer.concat(chunks) });
  }

  /** A blob is JSON when its first non-blank byte is `{` or `[`; otherwise it is read as a layer. */
  private async layerOrJson(
    name: string,
    size: number,
    role: Role,
    entry: AsyncIterable<Buffer>,
  ): Promise<void> {
    const iterator = entry[Symbol.asyncIterator]();
    const first = await iterator.next();
    const head: Buffer | undefined = first.done ? undefined : first.value;
    const rest: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => iterator };
    if (role === "blob" && head && looksLikeJson(head)) return this.json(name, size, rest, head);
    const algorithm = BLOB_NAME.exec(name)?.[1] ?? "sha256";
    if (!HASHES.has(algorithm)) {
      this.store.files.set(name, { size, skipped: "not-json" });
      return skip(rest);
    }
    await this.layer(name, size, algorithm, head, rest);
  }

  private async layer(
    name: string,
    size: number,
    algorithm: string,
    head: Buffer | undefined,
    rest: AsyncIterable<Buffer>,
  ): Promise<void> {
    this.store.files.set(name, { size, skipped: "not-json" });
    const hash: Hash = createHash(algorithm);
    const feed = new PassThrough({ highWaterMark: 1 << 20 });
    const record: LayerRecord = { digest: "", size };
    this.layers.set(name, record);
    const label = `${this.source}: ${name}`;
    const indexing = indexLayerStream(feed, label, this.read).then(
      (result) => {
        record.result = result;
      },
      (error: unknown) => {
        record.error = error;
        feed.destroy();
      },
    );
    try {
      if (head) {
        hash.update(head);
        await feedChunk(feed, head);
      }
      for await (const chunk of rest) {
        hash.update(chunk);
        await feedChunk(feed, chunk);
      }
    } catch (error) {
      feed.destroy();
      throw error;
    }
    record.digest = `${algorithm}:${hash.digest("hex")}`;
    if (!feed.destroyed) feed.end();
    // The layer's last buffered bytes are indexed while the next members stream in.
    this.pending.push(indexing);
  }

  /** Resolves the image from the buffered JSON and pairs its layers with what was indexed. */
  async finish(): Promise<ArchiveScan> {
    const { resolved } = await resolveFromStore(this.store, this.options.kind, this.options);
    if (this.options.reportedReference) resolved.reference = this.options.reportedReference;
    this.options.verify?.(resolved);
    const layers = () => Promise.all(resolved.layers.map((ref) => this.layerData(resolved, ref.index)));
    return { resolved, layers };
  }

  private memberFor(descriptor: Descriptor): string {
    const path = descriptor.urls?.[0];
    if (path && !path.includes("://") && this.store.has(path)) return this.store.target(path);
    return this.store.target(blobPath(descriptor.digest));
  }

  private async layerData(resolved: ResolvedImage, position: number): Promise<LayerData> {
    const ref = resolved.layers[position]!;
    const name = this.memberFor(ref.descriptor);
    const label = `${this.source}: layer ${position + 1} (${ref.descriptor.digest.slice(0, 19)})`;
    let record = this.layers.get(name);
    if (!record) record = await this.layerFromJsonBuffer(name, label);
    // The digest first: a tampered blob is reported as such, whatever else is wrong with it.
    if (record.digest !== ref.descriptor.digest.toLowerCase()) {
      throw new DrydockError(
        "DIGEST_MISMATCH",
        `${label}: content does not match its digest (got ${record.digest.slice(0, 19)}…)`,
      );
    }
    if (record.error) throw record.error;
    const result = record.result!;
    return {
      ref,
      index: result.index,
      compression: result.compression,
      compressedSize: record.size,
      uncompressedSize: result.uncompressedBytes,
      digestVerified: true, // checked just above, over every byte of the member
    };
  }

  /** A layer whose tar happened to start like JSON was buffered; index it from memory. */
  private async layerFromJsonBuffer(name: string, label: string): Promise<LayerRecord> {
    const file = this.store.files.get(name);
    if (!file?.data) {
      throw new DrydockError("MISSING_BLOB", `${label}: not in the archive (member "${name}")`);
    }
    const algorithm = BLOB_NAME.exec(name)?.[1] ?? "sha256";
    const record: LayerRecord = {
      digest: `${algorithm}:${createHash(algorithm).update(file.data).digest("hex")}`,
      size: file.size,
    };
    try {
      record.result = await indexLayerStream(Readable.from([file.data]), label, this.read);
    } catch (error) {
      record.error = error;
    }
    this.layers.set(name, record);
    return record;
  }
}

function looksLikeJson(head: Buffer): boolean {
  for (const byte of head) {
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue;
    return byte === 0x7b || byte === 0x5b;
  }
  return false;
}

async function skip(entry: AsyncIterable<Buffer>): Promise<void> {
  for await (const _ of entry) {
    // discard
  }
}

/** Reads an archive stream once: resolves the image and indexes its layers. */
export async function scanArchive(
  input: Readable,
  options: StreamArchiveOptions,
  read: ReadLayersOptions = {},
): Promise<ArchiveScan> {
  const scanner = new Scanner(options, read);
  await scanner.run(input);
  return scanner.finish();
}

interface Pass {
  read: ReadLayersOptions;
  scan: Promise<ArchiveScan>;
}

/** A pass that was read with `done` options serves a request for `wanted`. */
function serves(done: ReadLayersOptions, wanted: ReadLayersOptions): boolean {
  const noCapture = !wanted.capture || wanted.capture.length === 0;
  return (
    (noCapture || done.capture === wanted.capture) &&
    done.limits === wanted.limits &&
    done.maxEntries === wanted.maxEntries
  );
}

/**
 * An ImageHandle over a stream that can be opened again. `resolve()` runs the pass without
 * capture rules and keeps it, so a later `readLayers()` with no capture (or the same options)
 * costs nothing; `readLayers(options)` called first serves a later `resolve()` too. A
 * `readLayers()` whose capture rules differ from every earlier pass reads the stream again
 * (a second `GET /images/{name}/get` for the daemon): capture rules must be known while the
 * layers go by, so callers that need content should call `readLayers(options)` first. The
 * `concurrency` option has no effect: a stream's layers arrive one after the other.
 */
export function streamArchiveHandle(
  open: () => Promise<Readable>,
  options: StreamArchiveOptions,
  onClose?: () => Promise<void> | void,
): ImageHandle {
  const passes: Pass[] = [];
  const openStreams = new Set<Readable>();
  const pass = (read: ReadLayersOptions): Promise<ArchiveScan> => {
    const found = passes.find((p) => serves(p.read, read));
    if (found) return found.scan;
    const entry: Pass = {
      read,
      scan: (async () => {
        const input = await open();
        openStreams.add(input);
        try {
          return await scanArchive(input, options, read);
        } finally {
          openStreams.delete(input);
        }
      })(),
    };
    passes.push(entry);
    // A failed pass is forgotten, so that a later call may try again (e.g. the daemon restarted).
    entry.scan.catch(() => passes.splice(passes.indexOf(entry), 1));
    return entry.scan;
  };
  return {
    resolve: async () => (await (passes[0]?.scan ?? pass({}))).resolved,
    readLayers: async (read = {}) => (await pass(read)).layers(),
    close: async () => {
      for (const stream of openStreams) stream.destroy();
      await onClose?.();
    },
  };
}

/** A gzip- or zstd-compressed `docker save` or OCI archive file, read in one streaming pass. */
export async function compressedArchiveHandle(
  path: string,
  kind: string,
  options: ResolveOptions,
  limits?: Partial<StreamArchiveLimits>,
): Promise<ImageHandle> {
  const open = async () => createReadStream(path, { highWaterMark: 1 << 20 });
  // Nothing is read yet: the first resolve() or readLayers() makes the pass.
  return streamArchiveHandle(open, { ...options, label: path, kind, limits });
}

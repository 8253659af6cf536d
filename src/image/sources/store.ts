/**
 * Named files of an image archive or layout, with random access: an uncompressed tar file
 * (members found by indexTarFile) or a directory (an OCI image layout). Paths never escape
 * the archive or directory.
 */
import { createReadStream, existsSync } from "node:fs";
import { open, stat } from "node:fs/promises";
import { join, posix, resolve, sep } from "node:path";
import type { Readable } from "node:stream";
import { DrydockError } from "../../errors.ts";
import { indexTarFile, type TarMember } from "./tar-index.ts";

/** Largest JSON document (manifest, index, config) read into memory. */
export const MAX_JSON_BYTES = 16 * 1024 * 1024;

/** Where a stream returned by a FileStore reads from: a byte range of a local file. */
export interface FileRange {
  path: string;
  start: number;
  /** Bytes in the range; undefined: to the end of the file. */
  size?: number;
}

const fileRanges = new WeakMap<Readable, FileRange>();

/**
 * The file range behind a stream that `FileStore.open` returned, so that a reader may read the
 * file itself (see read.ts): seek through an uncompressed layer, read a compressed one in a
 * worker or without the digest check, instead of taking the stream as it comes.
 */
export function fileRangeOf(stream: Readable | undefined): FileRange | undefined {
  return stream === undefined ? undefined : fileRanges.get(stream);
}

/** A stream of a file range (what FileStore.open returns; fileRangeOf knows its range). */
export function openFileRange({ path, start, size }: FileRange): Readable {
  return rangeStream(path, start, size);
}

function rangeStream(path: string, start: number, size: number | undefined): Readable {
  const stream =
    size === 0
      ? createReadStream(path, { start: 1, end: 0 })
      : createReadStream(path, {
          start,
          ...(size === undefined ? {} : { end: start + size - 1 }),
          highWaterMark: 1 << 20,
        });
  fileRanges.set(stream, { path, start, size });
  return stream;
}

export interface FileStore {
  label: string;
  has(name: string): boolean;
  size(name: string): number | undefined;
  open(name: string): Readable;
  /** Reads a small file whole (bounded by maxBytes). */
  read(name: string, maxBytes?: number): Promise<Buffer>;
}

function normalize(name: string): string {
  return name.replace(/^\.?\/+/, "").replace(/\/+/g, "/");
}

export class TarFileStore implements FileStore {
  readonly label: string;
  private readonly path: string;
  private readonly members: Map<string, TarMember>;

  private constructor(path: string, members: TarMember[]) {
    this.label = path;
    this.path = path;
    this.members = new Map();
    for (const m of members)
      if (m.type === "file" || m.type === "contiguous-file") this.members.set(normalize(m.name), m);
    // Hard links inside archives (rare, but legal) point at an earlier member's data.
    for (const m of members) {
      if (m.type === "link") {
        const target = this.members.get(normalize(m.linkname));
        if (target) this.members.set(normalize(m.name), target);
      }
    }
    // docker save (<= 24) writes a repeated layer as a symlink `<id>/layer.tar -> ../<id0>/layer.tar`;
    // targets are relative to the link's directory and must stay inside the archive.
    for (const m of members) {
      if (m.type !== "symlink" || m.linkname.startsWith("/")) continue;
      const target = posix.normalize(posix.join(posix.dirname(normalize(m.name)), m.linkname));
      if (target === ".." || target.startsWith("../")) continue;
      const member = this.members.get(target);
      if (member) this.members.set(normalize(m.name), member);
    }
  }

  static async open(path: string): Promise<TarFileStore> {
    return new TarFileStore(path, await indexTarFile(path));
  }

  names(): string[] {
    return [...this.members.keys()];
  }

  has(name: string): boolean {
    return this.members.has(normalize(name));
  }

  size(name: string): number | undefined {
    return this.members.get(normalize(name))?.size;
  }

  open(name: string): Readable {
    const member = this.members.get(normalize(name));
    if (!member) throw new DrydockError("MISSING_BLOB", `${this.label}: no "${name}" in the archive`);
    return rangeStream(this.path, member.offset, member.size);
  }

  async read(name: string, maxBytes = MAX_JSON_BYTES): Promise<Buffer> {
    const member = this.members.get(normalize(name));
    if (!member) throw new DrydockError("MISSING_BLOB", `${this.label}: no "${name}" in the archive`);
    if (member.size > maxBytes) {
      throw new DrydockError(
        "DOCUMENT_TOO_LARGE",
        `${this.label}: "${name}" is ${member.size} bytes (limit ${maxBytes})`,
      );
    }
    const handle = await open(this.path, "r");
    try {
      const buffer = Buffer.alloc(member.size);
      await handle.read(buffer, 0, member.size, member.offset);
      return buffer;
    } finally {
      await handle.close();
    }
  }
}

export class DirectoryStore implements FileStore {
  readonly label: string;
  private readonly root: string;
  private readonly sizes = new Map<string, number>();

  private constructor(root: string) {
    this.root = resolve(root);
    this.label = root;
  }

  static async open(root: string): Promise<DirectoryStore> {
    return new DirectoryStore(root);
  }

  private pathOf(name: string): string {
    const full = resolve(this.root, normalize(name));
    if (full !== this.root && !full.startsWith(this.root + sep)) {
      throw new DrydockError("PATH_TRAVERSAL", `${this.label}: "${name}" is outside the layout`);
    }
    return full;
  }

  has(name: string): boolean {
    return existsSync(this.pathOf(name));
  }

  size(name: string): number | undefined {
    return this.sizes.get(normalize(name));
  }

  async statSize(name: string): Promise<number> {
    const { size } = await stat(this.pathOf(name));
    this.sizes.set(normalize(name), size);
    return size;
  }

  open(name: string): Readable {
    return rangeStream(this.pathOf(name), 0, undefined);
  }

  async read(name: string, maxBytes = MAX_JSON_BYTES): Promise<Buffer> {
    const size = await this.statSize(name).catch(() => {
      throw new DrydockError("MISSING_BLOB", `${this.label}: no "${name}" in the layout`);
    });
    if (size > maxBytes) {
      throw new DrydockError(
        "DOCUMENT_TOO_LARGE",
        `${this.label}: "${name}" is ${size} bytes (limit ${maxBytes})`,
      );
    }
    const handle = await open(this.pathOf(name), "r");
    try {
      const buffer = Buffer.alloc(size);
      await handle.read(buffer, 0, size, 0);
      return buffer;
    } finally {
      await handle.close();
    }
  }
}

export function blobPath(digest: string): string {
  const [algorithm, encoded] = digest.split(":");
  if (!algorithm || !encoded || !/^[a-z0-9+._-]+$/.test(algorithm) || !/^[a-zA-Z0-9=_-]+$/.test(encoded)) {
    throw new DrydockError("BAD_DIGEST", `invalid digest "${digest}"`);
  }
  return join("blobs", algorithm, encoded);
}

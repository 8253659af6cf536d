/**
 * A lean, push-based tar reader for indexing layers: it decodes headers and hands each entry's
 * data to a sink only when someone asked for it; all other data is skipped, so a caller that
 * can seek (an uncompressed layer in a local file) never reads it at all. No object is made per
 * entry beyond its header.
 *
 * Format: POSIX ustar and pax (https://pubs.opengroup.org/onlinepubs/9799919799/utilities/pax.html
 * "ustar Interchange Format", "pax Interchange Format"), GNU long names (`L`, `K`, `N`) and
 * base-256 numbers (GNU tar manual "Basic Tar Format"). Each field is read the way tar-stream 3
 * reads it (the reader this replaced), so indexes do not change: numbers skip leading spaces and
 * NULs, a pax `path`/`linkpath`/`size` overrides the header, global pax records apply through
 * the next local pax header, zero blocks are skipped. One deliberate difference: a type-0 name
 * ending in `/` is a directory, as in Go's archive/tar (tar-stream checks it too late to matter).
 *
 * It reads both image layers (layer-index.ts) and the outer tar of an image archive
 * (sources/tar-index.ts), so that one reading of the format serves both.
 */
import type { FileHandle } from "node:fs/promises";
import { DrydockError } from "../errors.ts";

export const TAR_BLOCK = 512;
/** Largest pax or GNU long-name record read into memory. */
const MAX_LONG_HEADER = 4 * 1024 * 1024;

export type TarEntryType =
  | "file"
  | "link"
  | "symlink"
  | "character-device"
  | "block-device"
  | "directory"
  | "fifo"
  | "contiguous-file";

export interface TarHeader {
  name: string;
  /** null: a type flag drydock does not know (recorded as "other"). */
  type: TarEntryType | null;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  linkname: string | null;
}

const ENTRY_TYPES: Record<number, TarEntryType> = {
  0: "file",
  1: "link",
  2: "symlink",
  3: "character-device",
  4: "block-device",
  5: "directory",
  6: "fifo",
  7: "contiguous-file",
};
/** Type flags of records that modify the next header: `x`, `g`, `K`, `L`, `N` minus '0'. */
const PAX_HEADER = 72;
const PAX_GLOBAL = 55;
const GNU_LONG_LINK = 27;
const GNU_LONG_NAMES = new Set([28, 30]);

/** "ustar\0" (POSIX) and "ustar " + " \0" (GNU) at offsets 257 and 263. */
function headerFormat(block: Buffer, at: number): "ustar" | "gnu" | null {
  const m = at + 257;
  if (block[m] !== 0x75 || block[m + 1] !== 0x73 || block[m + 2] !== 0x74) return null;
  if (block[m + 3] !== 0x61 || block[m + 4] !== 0x72) return null;
  if (block[m + 5] === 0) return "ustar";
  if (block[m + 5] === 0x20 && block[m + 6] === 0x20 && block[m + 7] === 0) return "gnu";
  return null;
}

/** Sum of the header bytes with the checksum field read as spaces. */
function checksum(block: Buffer, at: number): number {
  if ((block.byteOffset + at) % 4 === 0) return checksumByWords(block, at);
  let sum = 8 * 32;
  for (let i = at; i < at + 148; i++) sum += block[i]!;
  for (let i = at + 156; i < at + TAR_BLOCK; i++) sum += block[i]!;
  return sum;
}

/** A 32-bit view of the memory of the last block summed by words (one per chunk, not per header). */
let words: Uint32Array<ArrayBufferLike> = new Uint32Array(0);

/**
 * The same sum four bytes at a time (a quarter of the loop iterations, on every header): the
 * even and odd bytes of each word are added in two 16-bit lanes of two accumulators. 126 words
 * of at most 255 per lane stay below 2^15 per lane, so no lane carries into the next.
 */
function checksumByWords(block: Buffer, at: number): number {
  if (words.buffer !== block.buffer) words = new Uint32Array(block.buffer, 0, block.buffer.byteLength >>> 2);
  const first = (block.byteOffset + at) >>> 2;
  let even = 0;
  let odd = 0;
  // Words 37 and 38 are the checksum field (bytes 148-155).
  for (let w = first; w < first + 37; w++) {
    const word = words[w]!;
    even += word & 0x00ff00ff;
    odd += (word >>> 8) & 0x00ff00ff;
  }
  for (let w = first + 39; w < first + TAR_BLOCK / 4; w++) {
    const word = words[w]!;
    even += word & 0x00ff00ff;
    odd += (word >>> 8) & 0x00ff00ff;
  }
  return 8 * 32 + (even & 0xffff) + (even >>> 16) + (odd & 0xffff) + (odd >>> 16);
}

/**
 * An octal field (leading spaces and NULs skipped) or a base-256 one; NaN when unreadable.
 * Self-contained, as parsePax: tar-skeleton.ts runs it in a zstd worker.
 */
export function readNumber(block: Buffer, start: number, length: number): number {
  const end = start + length;
  const first = block[start]!;
  if (first & 0x80) {
    // Base-256: 0x80 positive, 0xff two's complement negative.
    if (first !== 0x80 && first !== 0xff) return Number.NaN;
    let value = 0;
    for (let i = start + 1; i < end; i++)
      value = value * 256 + (first === 0x80 ? block[i]! : 0xff - block[i]!);
    return first === 0x80 ? value : -value;
  }
  let i = start;
  while (i < end && block[i] === 0x20) i++;
  while (i < end && block[i] === 0) i++;
  if (i === end || block[i] === 0x20) return 0;
  let value = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = block[i]!;
    if (c < 0x30 || c > 0x37) break;
    value = value * 8 + (c - 0x30);
    digits++;
  }
  return digits === 0 ? Number.NaN : value;
}

/** readNumber, 0 when unreadable (mode, uid, gid). */
function numberOr0(block: Buffer, start: number, length: number): number {
  const value = readNumber(block, start, length);
  return Number.isNaN(value) ? 0 : value;
}

function readString(block: Buffer, start: number, length: number): string {
  let end = start;
  const limit = start + length;
  while (end < limit && block[end] !== 0) end++;
  return block.toString("utf8", start, end);
}

/** pax records: "LEN key=value\n". */
export function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) break;
    const length = Number.parseInt(data.toString("utf8", pos, space), 10);
    if (!Number.isFinite(length) || length <= 0 || pos + length > data.length) break;
    const record = data.toString("utf8", space + 1, pos + length - 1);
    const eq = record.indexOf("=");
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    pos += length;
  }
  return out;
}

function longName(data: Buffer): string {
  const nul = data.indexOf(0);
  return data.toString("utf8", 0, nul === -1 ? data.length : nul);
}

/** Receives one entry's data. A returned promise holds the parser until it settles. */
export interface TarEntrySink {
  write(piece: Buffer): Promise<void> | undefined;
  /** After the last piece (at once for an empty entry). */
  end(): Promise<void> | undefined;
  /** True once the sink wants no more data: the rest of the entry is skipped. */
  readonly done: boolean;
}

/**
 * Decides, for each entry, whether its data goes to a sink (or is skipped: undefined).
 * `dataOffset`: where the entry's data starts in the archive.
 */
export type TarEntryHandler = (header: TarHeader, dataOffset: number) => TarEntrySink | undefined;

export interface TarParserOptions {
  /** What the tar is, for error codes and messages: a layer (CORRUPT_LAYER) or an image archive. */
  subject?: "layer" | "archive";
  /**
   * Stop at the end-of-archive marker (two zero blocks) and ignore what follows, as GNU tar
   * does. Off for layers: tar-stream, whose indexes drydock's must match, reads on past it.
   */
  stopAtEndMarker?: boolean;
  /**
   * The stream is a tar skeleton (tar-skeleton.ts): headers and extension records only, the
   * entries' data dropped upstream. Every header is decoded and checked as usual, and each
   * entry's data is counted in `offset` without being read; no entry may have a sink. `end`
   * then needs the length of the whole tar to tell a tar cut short.
   */
  dataOmitted?: boolean;
}

const padding = (size: number) => (TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK;

export class TarParser {
  /** Bytes of the archive consumed so far. */
  offset = 0;
  private skip = 0;
  private sink: TarEntrySink | null = null;
  private sinkRemaining = 0;
  private sinkPadding = 0;
  private long: { type: number; data: Buffer; filled: number } | null = null;
  private readonly partial = Buffer.alloc(TAR_BLOCK);
  private partialLength = 0;
  private pax: Record<string, string> | null = null;
  private paxGlobal: Record<string, string> | null = null;
  private gnuLongName: string | null = null;
  private gnuLongLink: string | null = null;
  private readonly onEntry: TarEntryHandler;
  private readonly label: string;
  private readonly subject: "layer" | "archive";
  private readonly stopAtEndMarker: boolean;
  private readonly dataOmitted: boolean;
  /** Zero blocks in a row just before the current position. */
  private zeroBlocks = 0;
  /** True once the end-of-archive marker was seen (with `stopAtEndMarker`). */
  finished = false;

  constructor(onEntry: TarEntryHandler, label: string, options: TarParserOptions = {}) {
    this.onEntry = onEntry;
    this.label = label;
    this.subject = options.subject ?? "layer";
    this.stopAtEndMarker = options.stopAtEndMarker ?? false;
    this.dataOmitted = options.dataOmitted ?? false;
  }

  /** Bytes the caller may pass over without reading them (unwanted data and padding). */
  get skippable(): number {
    return this.skip;
  }

  /** The caller passed over `count` bytes (at most `skippable`) without reading them. */
  skipped(count: number): void {
    this.skip -= count;
    this.offset += count;
  }

  /**
   * Parses a chunk. Returns a promise when a sink asked to wait; the caller must not feed
   * again before it settles. `copy`: the chunk's memory will be reused, so pieces handed to
   * sinks are copied.
   */
  feed(chunk: Buffer, copy = false): Promise<void> | undefined {
    const length = chunk.length;
    let pos = 0;
    while (pos < length) {
      if (this.finished) {
        this.offset += length - pos;
        return undefined;
      }
      if (this.skip > 0) {
        const n = Math.min(this.skip, length - pos);
        this.skip -= n;
        this.offset += n;
        pos += n;
        continue;
      }
      if (this.sink !== null) {
        const done = this.sink.done;
        const taken = done ? 0 : Math.min(this.sinkRemaining, length - pos);
        const wait = done ? this.abandonSink() : this.feedSink(chunk, pos, taken, copy);
        pos += taken;
        if (wait) return wait.then(() => this.feed(chunk.subarray(pos), copy));
        continue;
      }
      if (this.long !== null) {
        const { data } = this.long;
        const n = Math.min(data.length - this.long.filled, length - pos);
        chunk.copy(data, this.long.filled, pos, pos + n);
        this.long.filled += n;
        this.offset += n;
        pos += n;
        if (this.long.filled === data.length) this.finishLongHeader();
        continue;
      }
      let block: Buffer;
      let at: number;
      if (this.partialLength === 0 && length - pos >= TAR_BLOCK) {
        block = chunk;
        at = pos;
        pos += TAR_BLOCK;
      } else {
        const n = Math.min(TAR_BLOCK - this.partialLength, length - pos);
        chunk.copy(this.partial, this.partialLength, pos, pos + n);
        this.partialLength += n;
        pos += n;
        if (this.partialLength < TAR_BLOCK) continue;
        this.partialLength = 0;
        block = this.partial;
        at = 0;
      }
      const wait = this.header(block, at);
      this.offset += TAR_BLOCK;
      if (wait) return wait.then(() => this.feed(chunk.subarray(pos), copy));
    }
    return undefined;
  }

  /**
   * Throws unless the archive ended between entries. `tarBytes`: with `dataOmitted`, the length
   * of the whole tar, which ends short of the last entry's data when it was cut there.
   */
  end(tarBytes?: number): void {
    const dataCut = this.dataOmitted && tarBytes !== undefined && this.offset > tarBytes;
    if (dataCut || this.skip > 0 || this.sink !== null || this.long !== null || this.partialLength > 0) {
      throw new DrydockError(
        this.subject === "layer" ? "CORRUPT_LAYER" : "CORRUPT_ARCHIVE",
        `${this.label}: the ${this.subject} ends in the middle of an entry (truncated)`,
      );
    }
  }

  /** The sink has what it needs: the rest of the entry is skipped. */
  private abandonSink(): Promise<void> | undefined {
    const sink = this.sink!;
    this.skip = this.sinkRemaining + this.sinkPadding;
    this.sink = null;
    return sink.end();
  }

  /** Hands the sink `taken` bytes of the chunk from `pos`. */
  private feedSink(chunk: Buffer, pos: number, taken: number, copy: boolean): Promise<void> | undefined {
    const sink = this.sink!;
    let wait: Promise<void> | undefined;
    if (taken > 0) {
      const piece = chunk.subarray(pos, pos + taken);
      wait = sink.write(copy ? Buffer.from(piece) : piece);
    }
    this.sinkRemaining -= taken;
    this.offset += taken;
    if (this.sinkRemaining > 0) return wait;
    this.sink = null;
    this.skip = this.sinkPadding;
    return wait ? wait.then(() => sink.end()) : sink.end();
  }

  private corrupt(why: string): DrydockError {
    return new DrydockError(
      this.subject === "layer" ? "CORRUPT_LAYER" : "CORRUPT_ARCHIVE",
      `${this.label}: not a valid tar ${this.subject} (${why} at offset ${this.offset})`,
    );
  }

  private header(block: Buffer, at: number): Promise<void> | undefined {
    const sum = checksum(block, at);
    if (sum === 8 * 32) {
      // A zero block: the end-of-archive marker is two of them.
      if (++this.zeroBlocks === 2 && this.stopAtEndMarker) this.finished = true;
      return undefined;
    }
    this.zeroBlocks = 0;
    if (sum !== readNumber(block, at + 148, 8)) throw this.corrupt("bad header checksum");
    const format = headerFormat(block, at);
    if (format === null) throw this.corrupt("unknown header format");
    const flag = block[at + 156] === 0 ? 0 : block[at + 156]! - 0x30;
    let size = readNumber(block, at + 124, 12);
    if (flag === PAX_HEADER || flag === PAX_GLOBAL || flag === GNU_LONG_LINK || GNU_LONG_NAMES.has(flag)) {
      if (!(size >= 0) || size > MAX_LONG_HEADER) throw this.corrupt(`extended header of ${size} bytes`);
      this.long = { type: flag, data: Buffer.alloc(size), filled: 0 };
      this.skipAfterLong = padding(size);
      if (size === 0) this.finishLongHeader();
      return undefined;
    }
    let name = readString(block, at, 100);
    if (format === "ustar" && block[at + 345] !== 0) name = `${readString(block, at + 345, 155)}/${name}`;
    let linkname = block[at + 157] === 0 ? null : readString(block, at + 157, 100);
    let type = ENTRY_TYPES[flag] ?? null;
    if (flag === 0 && name.endsWith("/")) type = "directory";
    if (this.gnuLongName !== null) {
      name = this.gnuLongName;
      this.gnuLongName = null;
    }
    if (this.gnuLongLink !== null) {
      linkname = this.gnuLongLink;
      this.gnuLongLink = null;
    }
    if (this.pax !== null) {
      if (this.pax.path) name = this.pax.path;
      if (this.pax.linkpath) linkname = this.pax.linkpath;
      if (this.pax.size) size = Number.parseInt(this.pax.size, 10);
      this.pax = null;
    }
    if (!(size >= 0)) throw this.corrupt("invalid size");
    const header: TarHeader = {
      name,
      type,
      size,
      mode: numberOr0(block, at + 100, 8),
      uid: numberOr0(block, at + 108, 8),
      gid: numberOr0(block, at + 116, 8),
      linkname,
    };
    const sink = this.onEntry(header, this.offset + TAR_BLOCK);
    if (this.dataOmitted) {
      if (sink !== undefined) throw new Error("a tar skeleton has no entry data for a sink");
      this.offset += size + padding(size);
      return undefined;
    }
    if (sink === undefined) {
      this.skip = size + padding(size);
      return undefined;
    }
    if (size === 0) return sink.end();
    this.sink = sink;
    this.sinkRemaining = size;
    this.sinkPadding = padding(size);
    return undefined;
  }

  private skipAfterLong = 0;

  private finishLongHeader(): void {
    const { type, data } = this.long!;
    this.long = null;
    this.skip = this.skipAfterLong;
    if (type === PAX_HEADER) {
      const records = parsePax(data);
      this.pax = this.paxGlobal === null ? records : { ...this.paxGlobal, ...records };
    } else if (type === PAX_GLOBAL) this.paxGlobal = parsePax(data);
    else if (type === GNU_LONG_LINK) this.gnuLongLink = longName(data);
    else this.gnuLongName = longName(data);
  }
}

/** A tar stored in an open file: `size` bytes from `start`. */
export interface TarFileRange {
  file: FileHandle;
  start: number;
  size: number;
}

/**
 * Bytes read at a header of a tar in a file. Runs of small files (node_modules) are read in
 * windows that double up to the largest, so that each read brings hundreds of headers; after a
 * jump over a large file the window starts small again, so that little of the next large file
 * is read for nothing. Each read is a round trip to the thread pool.
 */
const MIN_WINDOW = 64 * 1024;
const MAX_WINDOW = 4 * 1024 * 1024;

/**
 * Feeds a tar stored in a file to the parser by seeking: headers are read in windows and data
 * the parser can skip (nobody asked for it) is passed over, never read. Ends with
 * `parser.end()`, so a tar cut short throws.
 */
export async function parseTarFile(parser: TarParser, range: TarFileRange): Promise<void> {
  const window = Buffer.allocUnsafe(Math.min(MAX_WINDOW, Math.max(range.size, 1)));
  let size = MIN_WINDOW;
  let pos = 0;
  while (pos < range.size && !parser.finished) {
    const skip = Math.min(parser.skippable, range.size - pos);
    if (skip > 0) {
      parser.skipped(skip);
      pos += skip;
      continue;
    }
    const want = Math.min(size, window.length, range.size - pos);
    const { bytesRead } = await range.file.read(window, 0, want, range.start + pos);
    if (bytesRead === 0) break;
    // The window is reused: pieces handed to sinks are copied.
    const wait = parser.feed(window.subarray(0, bytesRead), true);
    if (wait) await wait;
    pos += bytesRead;
    // Little left to skip: dense entries, read more at once. A long jump: start small.
    size = parser.skippable < size ? Math.min(size * 2, MAX_WINDOW) : MIN_WINDOW;
  }
  parser.end();
}

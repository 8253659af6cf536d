/**
 * Reads the files of a zip archive (OSV publishes one `all.zip` per ecosystem) one at a time,
 * straight from the file: the central directory is read once, then each wanted entry's local
 * header and data through large read windows, inflated and checked against its CRC-32 and size, so
 * a truncated or corrupted download is rejected rather than half-imported. Stored and deflated
 * entries; ZIP64 sizes, offsets and counts; encrypted entries are refused.
 *
 * Written here rather than through a stream-per-entry library because OSV's archives hold
 * hundreds of thousands of small files: windowed synchronous reads cost microseconds an entry
 * where a stream each costs a hundred.
 *
 * Format: PKWARE APPNOTE.TXT 6.3.10 (4.3.6 layout, 4.3.12 central directory header, 4.3.16 end
 * of central directory, 4.3.14-15 ZIP64 end record and locator, 4.5.3 ZIP64 extra field).
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { crc32, inflateRawSync } from "node:zlib";

export class CorruptArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CorruptArchiveError";
  }
}

export interface ZipFile {
  name: string;
  data: Buffer;
}

interface Entry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** End record (22) plus the longest comment. */
const MAX_TAIL = 22 + 0xffff;

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? buffer : buffer.subarray(0, done);
}

/** The central directory's offset, size and entry count (ZIP64 when the end record says so). */
function locateDirectory(fd: number, size: number, fail: (why: string) => never) {
  if (size < 22) fail("too short to be a zip archive");
  const tailStart = Math.max(0, size - MAX_TAIL);
  const tail = readAt(fd, tailStart, size - tailStart);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
      at = i;
      break;
    }
  }
  if (at < 0) fail("no end of central directory record (not a zip file, or cut short)");
  let count = tail.readUInt16LE(at + 10);
  let dirSize = tail.readUInt32LE(at + 12);
  let dirOffset = tail.readUInt32LE(at + 16);
  let exactCount = true;
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    const locatorAt = tailStart + at - 20;
    const locator = locatorAt >= 0 ? readAt(fd, locatorAt, 20) : Buffer.alloc(0);
    if (locator.length === 20 && locator.readUInt32LE(0) === ZIP64_LOCATOR) {
      const end = readAt(fd, Number(locator.readBigUInt64LE(8)), 56);
      if (end.length < 56 || end.readUInt32LE(0) !== ZIP64_EOCD)
        fail("damaged ZIP64 end of central directory record");
      count = Number(end.readBigUInt64LE(32));
      dirSize = Number(end.readBigUInt64LE(40));
      dirOffset = Number(end.readBigUInt64LE(48));
    } else {
      // No ZIP64 record: writers that leave it out saturate the 16-bit count at 0xffff for
      // larger archives (Info-ZIP and Python read such archives by the directory's size).
      exactCount = false;
    }
  }
  if (dirOffset + dirSize > size) fail("the central directory lies past the end of the file (cut short)");
  return { count, exactCount, dirSize, dirOffset };
}

function readDirectory(fd: number, size: number, fail: (why: string) => never): Entry[] {
  const { count, exactCount, dirSize, dirOffset } = locateDirectory(fd, size, fail);
  const dir = readAt(fd, dirOffset, dirSize);
  const entries: Entry[] = [];
  let at = 0;
  // A saturated count is a lower bound: the directory's size says where the entries end.
  for (let i = 0; i < count || (!exactCount && at < dir.length); i++) {
    if (at + 46 > dir.length || dir.readUInt32LE(at) !== CENTRAL)
      fail(`damaged central directory (entry ${i + 1} of ${exactCount ? count : `at least ${count}`})`);
    const flags = dir.readUInt16LE(at + 8);
    const nameLength = dir.readUInt16LE(at + 28);
    const extraLength = dir.readUInt16LE(at + 30);
    const commentLength = dir.readUInt16LE(at + 32);
    const entry: Entry = {
      name: dir.toString(flags & 0x800 ? "utf8" : "latin1", at + 46, at + 46 + nameLength),
      method: dir.readUInt16LE(at + 10),
      flags,
      crc: dir.readUInt32LE(at + 16),
      compressedSize: dir.readUInt32LE(at + 20),
      size: dir.readUInt32LE(at + 24),
      localOffset: dir.readUInt32LE(at + 42),
    };
    // ZIP64 extended information: the fields set to 0xffffffff, in order.
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = dir.readUInt16LE(extra);
      const length = dir.readUInt16LE(extra + 2);
      if (id === 1) {
        let field = extra + 4;
        const next = () => {
          const v = Number(dir.readBigUInt64LE(field));
          field += 8;
          return v;
        };
        if (entry.size === 0xffffffff) entry.size = next();
        if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
        if (entry.localOffset === 0xffffffff) entry.localOffset = next();
      }
      extra += 4 + length;
    }
    entries.push(entry);
    at = extraEnd + commentLength;
  }
  return entries;
}

/**
 * Reads the archive in large windows: entries sit one after the other, so two small reads per
 * entry (hundreds of thousands of system calls for OSV's archives) become a few large ones.
 */
class WindowReader {
  private window: Buffer = Buffer.alloc(0);
  private start = 0;
  private readonly fd: number;
  private readonly size: number;

  constructor(fd: number, size: number) {
    this.fd = fd;
    this.size = size;
  }

  /** `length` bytes at `position` (fewer at the end of the file). */
  read(position: number, length: number): Buffer {
    const end = Math.min(position + length, this.size);
    if (position < this.start || end > this.start + this.window.length) {
      this.start = position;
      this.window = readAt(this.fd, position, Math.min(Math.max(length, WINDOW), this.size - position));
    }
    return this.window.subarray(position - this.start, end - this.start);
  }
}

const WINDOW = 8 * 1024 * 1024;

function readData(
  reader: WindowReader,
  entry: Entry,
  fileSize: number,
  fail: (why: string) => never,
): Buffer {
  if (entry.flags & 1) fail(`${entry.name}: encrypted entries are not supported`);
  if (entry.method !== 0 && entry.method !== 8)
    fail(`${entry.name}: unsupported compression method ${entry.method}`);
  const header = reader.read(entry.localOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL)
    fail(`${entry.name}: damaged zip entry (no local header)`);
  const start = entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (start + entry.compressedSize > fileSize) fail(`${entry.name}: damaged zip entry (cut short)`);
  const raw = reader.read(start, entry.compressedSize);
  let data: Buffer;
  try {
    data = entry.method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
  } catch (error) {
    fail(`${entry.name}: damaged zip entry (${(error as Error).message})`);
  }
  if (data.length !== entry.size) fail(`${entry.name}: damaged zip entry (size mismatch)`);
  if (crc32(data) >>> 0 !== entry.crc >>> 0) fail(`${entry.name}: damaged zip entry (CRC-32 mismatch)`);
  return data;
}

/**
 * Yields the regular files of the archive whose names `wanted` accepts, in directory order
 * (`label` names the archive in messages: the URL of a download, say). Throws
 * CorruptArchiveError when the archive or one of its files is damaged.
 */
export async function* zipFiles(
  path: string,
  wanted: (name: string) => boolean,
  label = path,
): AsyncGenerator<ZipFile> {
  const fd = openSync(path, "r");
  try {
    const fileSize = fstatSync(fd).size;
    const fail = (why: string): never => {
      throw new CorruptArchiveError(
        `${label}: ${why.includes("damaged zip entry") ? why : `not a readable zip archive (${why})`}`,
      );
    };
    const reader = new WindowReader(fd, fileSize);
    for (const entry of readDirectory(fd, fileSize, fail)) {
      if (entry.name.endsWith("/") || !wanted(entry.name)) continue;
      yield { name: entry.name, data: readData(reader, entry, fileSize, fail) };
    }
  } finally {
    closeSync(fd);
  }
}

/** Whether a file starts like a zip archive (local file header or empty archive). */
export function looksLikeZip(head: Buffer): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5);
}

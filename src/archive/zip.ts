/**
 * Zip archives, read the way the JVM and Info-ZIP read them: the central directory lists the
 * entries, each entry's local header says where its data starts. Stored and deflated entries;
 * ZIP64 sizes, offsets and counts; encrypted entries are refused. Every entry read is checked
 * against its size and CRC-32, so a damaged archive is rejected rather than half-read.
 *
 * The bytes come through `ZipBytes`, so one parser serves a jar held in memory (the SBOM's Java
 * cataloger) and an OSV `all.zip` read from disk in large windows (the vulnerability database).
 *
 * Format: PKWARE APPNOTE.TXT 6.3.10 (4.3.6 layout, 4.3.12 central directory header, 4.3.16 end
 * of central directory, 4.3.14-15 ZIP64 end record and locator, 4.5.3 ZIP64 extra field).
 */
import { crc32, inflateRawSync } from "node:zlib";

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** Random access to an archive's bytes. */
export interface ZipBytes {
  readonly size: number;
  /** `length` bytes at `position`, fewer at the end of the archive. */
  read(position: number, length: number): Buffer;
}

/**
 * The archive is not a zip or is damaged; the message says what is wrong, and starts with
 * `NAME: damaged zip entry` when the damage is in one entry's data.
 */
export class ZipFormatError extends Error {
  constructor(message: string, entry?: string) {
    super(entry === undefined ? message : `${entry}: damaged zip entry (${message})`);
    this.name = "ZipFormatError";
  }
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** End record (22) plus the longest comment. */
const MAX_TAIL = 22 + 0xffff;
const SATURATED32 = 0xffffffff;

export function zipBytesOf(buffer: Buffer): ZipBytes {
  return {
    size: buffer.length,
    read: (position, length) => buffer.subarray(position, position + length),
  };
}

/** The central directory's offset, size and entry count (ZIP64 when the end record says so). */
function locateDirectory(bytes: ZipBytes) {
  if (bytes.size < 22) throw new ZipFormatError("too short to be a zip archive");
  const tailStart = Math.max(0, bytes.size - MAX_TAIL);
  const tail = bytes.read(tailStart, bytes.size - tailStart);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new ZipFormatError("no end of central directory record (not a zip file, or cut short)");
  let count = tail.readUInt16LE(at + 10);
  let dirSize = tail.readUInt32LE(at + 12);
  let dirOffset = tail.readUInt32LE(at + 16);
  let exactCount = true;
  if (count === 0xffff || dirSize === SATURATED32 || dirOffset === SATURATED32) {
    const locatorAt = tailStart + at - 20;
    const locator = locatorAt >= 0 ? bytes.read(locatorAt, 20) : Buffer.alloc(0);
    if (locator.length === 20 && locator.readUInt32LE(0) === ZIP64_LOCATOR) {
      const end = bytes.read(Number(locator.readBigUInt64LE(8)), 56);
      if (end.length < 56 || end.readUInt32LE(0) !== ZIP64_EOCD)
        throw new ZipFormatError("damaged ZIP64 end of central directory record");
      count = Number(end.readBigUInt64LE(32));
      dirSize = Number(end.readBigUInt64LE(40));
      dirOffset = Number(end.readBigUInt64LE(48));
    } else {
      // No ZIP64 record: writers that leave it out saturate the 16-bit count at 0xffff for
      // larger archives (Info-ZIP and Python read such archives by the directory's size).
      exactCount = false;
    }
  }
  if (dirOffset + dirSize > bytes.size)
    throw new ZipFormatError("the central directory lies past the end of the file (cut short)");
  return { count, exactCount, dirSize, dirOffset };
}

/** Replaces the saturated 32-bit fields from the ZIP64 extended information extra field (id 1). */
function applyZip64Extra(entry: ZipEntry, dir: Buffer, extra: number, extraEnd: number): void {
  while (extra + 4 <= extraEnd) {
    const id = dir.readUInt16LE(extra);
    const length = dir.readUInt16LE(extra + 2);
    if (id === 1) {
      let field = extra + 4;
      const next = () => {
        const value = Number(dir.readBigUInt64LE(field));
        field += 8;
        return value;
      };
      if (entry.size === SATURATED32) entry.size = next();
      if (entry.compressedSize === SATURATED32) entry.compressedSize = next();
      if (entry.localOffset === SATURATED32) entry.localOffset = next();
    }
    extra += 4 + length;
  }
}

/** The entries of the central directory, in its order. Throws ZipFormatError. */
export function readZipDirectory(bytes: ZipBytes): ZipEntry[] {
  const { count, exactCount, dirSize, dirOffset } = locateDirectory(bytes);
  const dir = bytes.read(dirOffset, dirSize);
  const entries: ZipEntry[] = [];
  let at = 0;
  // A saturated count is a lower bound: the directory's size says where the entries end.
  for (let i = 0; i < count || (!exactCount && at < dir.length); i++) {
    if (at + 46 > dir.length || dir.readUInt32LE(at) !== CENTRAL)
      throw new ZipFormatError(
        `damaged central directory (entry ${i + 1} of ${exactCount ? count : `at least ${count}`})`,
      );
    const flags = dir.readUInt16LE(at + 8);
    const nameLength = dir.readUInt16LE(at + 28);
    const extraLength = dir.readUInt16LE(at + 30);
    const commentLength = dir.readUInt16LE(at + 32);
    const entry: ZipEntry = {
      // UTF-8 whether or not bit 11 says so, as the JVM reads jars (OSV's names are ASCII).
      name: dir.toString("utf8", at + 46, at + 46 + nameLength),
      method: dir.readUInt16LE(at + 10),
      flags,
      crc: dir.readUInt32LE(at + 16),
      compressedSize: dir.readUInt32LE(at + 20),
      size: dir.readUInt32LE(at + 24),
      localOffset: dir.readUInt32LE(at + 42),
    };
    const extraEnd = at + 46 + nameLength + extraLength;
    applyZip64Extra(entry, dir, at + 46 + nameLength, extraEnd);
    entries.push(entry);
    at = extraEnd + commentLength;
  }
  return entries;
}

/**
 * An entry's content, checked against its size and CRC-32. `maxBytes` bounds what a deflated
 * entry may expand to. Throws ZipFormatError naming the entry.
 */
export function readZipEntry(bytes: ZipBytes, entry: ZipEntry, maxBytes = Number.MAX_SAFE_INTEGER): Buffer {
  const damaged = (why: string): never => {
    throw new ZipFormatError(why, entry.name);
  };
  if (entry.flags & 1) throw new ZipFormatError(`${entry.name}: encrypted entries are not supported`);
  if (entry.method !== 0 && entry.method !== 8)
    throw new ZipFormatError(`${entry.name}: unsupported compression method ${entry.method}`);
  if (entry.size > maxBytes) throw new ZipFormatError(`${entry.name}: larger than ${maxBytes} bytes`);
  const header = bytes.read(entry.localOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL) damaged("no local header");
  const start = entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (start + entry.compressedSize > bytes.size) damaged("cut short");
  const raw = bytes.read(start, entry.compressedSize);
  let data: Buffer;
  try {
    // A stored entry is copied, so that it does not pin the caller's read window in memory.
    data =
      entry.method === 8
        ? inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size) })
        : Buffer.from(raw);
  } catch (error) {
    return damaged((error as Error).message);
  }
  if (data.length !== entry.size) damaged("size mismatch");
  if (crc32(data) >>> 0 !== entry.crc >>> 0) damaged("CRC-32 mismatch");
  return data;
}

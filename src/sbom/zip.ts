/**
 * A small in-memory zip reader (PKWARE APPNOTE.TXT 6.3: end of central directory, central
 * directory headers, local headers; stored and deflated entries; ZIP64 sizes and offsets) for
 * jars read during the layer pass. Entries are listed from the central directory, the way the
 * JVM reads jars.
 */
import { inflateRawSync } from "node:zlib";

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function findEocd(b: Buffer): number {
  const stop = Math.max(0, b.length - 22 - 0xffff);
  for (let at = b.length - 22; at >= stop; at--) if (b.readUInt32LE(at) === EOCD) return at;
  return -1;
}

export function listZip(b: Buffer): ZipEntry[] | undefined {
  if (b.length < 22) return undefined;
  const eocd = findEocd(b);
  if (eocd < 0) return undefined;
  let count = b.readUInt16LE(eocd + 10);
  let offset = b.readUInt32LE(eocd + 16);
  if (
    (count === 0xffff || offset === 0xffffffff) &&
    eocd >= 20 &&
    b.readUInt32LE(eocd - 20) === ZIP64_LOCATOR
  ) {
    const at = Number(b.readBigUInt64LE(eocd - 20 + 8));
    if (at + 56 <= b.length && b.readUInt32LE(at) === ZIP64_EOCD) {
      count = Number(b.readBigUInt64LE(at + 32));
      offset = Number(b.readBigUInt64LE(at + 48));
    }
  }
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > b.length || b.readUInt32LE(at) !== CENTRAL) return entries;
    const nameLength = b.readUInt16LE(at + 28);
    const extraLength = b.readUInt16LE(at + 30);
    const commentLength = b.readUInt16LE(at + 32);
    let compressedSize = b.readUInt32LE(at + 20);
    let size = b.readUInt32LE(at + 24);
    let localOffset = b.readUInt32LE(at + 42);
    const name = b.toString("utf8", at + 46, at + 46 + nameLength);
    // ZIP64 extended information extra field (id 1): the 0xffffffff fields, in order.
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = b.readUInt16LE(extra);
      const length = b.readUInt16LE(extra + 2);
      if (id === 1) {
        let field = extra + 4;
        if (size === 0xffffffff) {
          size = Number(b.readBigUInt64LE(field));
          field += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = Number(b.readBigUInt64LE(field));
          field += 8;
        }
        if (localOffset === 0xffffffff) localOffset = Number(b.readBigUInt64LE(field));
      }
      extra += 4 + length;
    }
    entries.push({ name, method: b.readUInt16LE(at + 10), compressedSize, size, localOffset });
    at = extraEnd + commentLength;
  }
  return entries;
}

/** An entry's content; undefined for unsupported methods, corrupt data or sizes over the limit. */
export function readZipEntry(b: Buffer, entry: ZipEntry, maxBytes: number): Buffer | undefined {
  const at = entry.localOffset;
  if (entry.size > maxBytes || at + 30 > b.length || b.readUInt32LE(at) !== LOCAL) return undefined;
  const start = at + 30 + b.readUInt16LE(at + 26) + b.readUInt16LE(at + 28);
  const data = b.subarray(start, start + entry.compressedSize);
  try {
    if (entry.method === 0) return data;
    if (entry.method === 8) return inflateRawSync(data, { maxOutputLength: Math.max(1, maxBytes) });
  } catch {
    return undefined;
  }
  return undefined;
}

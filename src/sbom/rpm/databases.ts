/**
 * The three rpmdb backends, each yielding header blobs:
 * - SQLite `rpmdb.sqlite` (rpm >= 4.16 default): table `Packages(hnum, blob)`.
 * - BerkeleyDB hash `Packages` (rpm < 4.16; RHEL/CentOS <= 8, Amazon Linux 2): page layout from
 *   libdb's dbinc/db_page.h. Values are the header blobs, stored off-page (HOFFPAGE items
 *   pointing at chains of overflow pages).
 * - NDB `Packages.db` (SUSE): rpm's lib/backend/ndb/rpmpkg.c: a 32-byte header ("RpmP"),
 *   slot pages of 16-byte slots ("Slot", pkgIndex, blkOffset, blkCount), blobs at
 *   blkOffset*16 behind a 16-byte blob header ("BlbS", pkgIndex, checksum, length).
 */
import Database from "better-sqlite3";

export type RpmDbFormat = "sqlite" | "bdb" | "ndb";

export function detectRpmDbFormat(content: Buffer): RpmDbFormat | undefined {
  if (content.subarray(0, 16).toString("latin1") === "SQLite format 3\u0000") return "sqlite";
  if (content.length >= 4 && content.readUInt32LE(0) === NDB_HEADER_MAGIC) return "ndb";
  if (content.length >= 16) {
    const magic = content.readUInt32LE(12);
    if (magic === BDB_HASH_MAGIC || content.readUInt32BE(12) === BDB_HASH_MAGIC) return "bdb";
  }
  return undefined;
}

export function readRpmDb(content: Buffer): Buffer[] {
  switch (detectRpmDbFormat(content)) {
    case "sqlite":
      return readSqlite(content);
    case "bdb":
      return readBerkeleyDb(content);
    case "ndb":
      return readNdb(content);
    default:
      throw new Error("not an rpm database (SQLite, BerkeleyDB hash or NDB)");
  }
}

function readSqlite(content: Buffer): Buffer[] {
  // An in-memory copy cannot be in WAL mode: mark the header as rollback-journal (bytes 18-19)
  // so SQLite reads the pages as they are (rpm checkpoints the WAL when it closes the db).
  const copy = Buffer.from(content);
  if (copy[18] === 2) copy[18] = 1;
  if (copy[19] === 2) copy[19] = 1;
  const db = new Database(copy, { readonly: true });
  try {
    const rows = db.prepare("SELECT blob FROM Packages ORDER BY hnum").all() as Array<{ blob: Buffer }>;
    return rows.map((r) => r.blob);
  } finally {
    db.close();
  }
}

const BDB_HASH_MAGIC = 0x061561;
const BDB_PAGE_HEADER = 26;
const BDB_PAGE = { hashUnsorted: 2, overflow: 7, hashMeta: 8, hash: 13 } as const;
const BDB_HOFFPAGE = 3;

function readBerkeleyDb(content: Buffer): Buffer[] {
  const bigEndian = content.readUInt32LE(12) !== BDB_HASH_MAGIC;
  const u32 = (at: number) => (bigEndian ? content.readUInt32BE(at) : content.readUInt32LE(at));
  const u16 = (at: number) => (bigEndian ? content.readUInt16BE(at) : content.readUInt16LE(at));
  const pageSize = u32(20);
  if (![512, 1024, 2048, 4096, 8192, 16384, 32768, 65536].includes(pageSize)) {
    throw new Error(`BerkeleyDB: unexpected page size ${pageSize}`);
  }
  if (content[25] !== BDB_PAGE.hashMeta) throw new Error("BerkeleyDB: not a hash database");
  const lastPage = Math.min(u32(32), Math.floor(content.length / pageSize) - 1);
  const blobs: Buffer[] = [];
  for (let page = 0; page <= lastPage; page++) {
    const start = page * pageSize;
    const type = content[start + 25];
    if (type !== BDB_PAGE.hash && type !== BDB_PAGE.hashUnsorted) continue;
    const entries = u16(start + 20);
    // Items come in key/value pairs; the index of 2-byte offsets follows the page header.
    for (let item = 1; item < entries; item += 2) {
      const offset = u16(start + BDB_PAGE_HEADER + item * 2);
      const at = start + offset;
      if (content[at] !== BDB_HOFFPAGE) continue;
      blobs.push(readOverflowChain(content, u32(at + 4), pageSize, u32, u16));
    }
  }
  return blobs;
}

function readOverflowChain(
  content: Buffer,
  firstPage: number,
  pageSize: number,
  u32: (at: number) => number,
  u16: (at: number) => number,
): Buffer {
  const parts: Buffer[] = [];
  const seen = new Set<number>();
  for (let page = firstPage; page !== 0; ) {
    if (seen.has(page) || (page + 1) * pageSize > content.length)
      throw new Error("BerkeleyDB: broken overflow chain");
    seen.add(page);
    const start = page * pageSize;
    if (content[start + 25] !== BDB_PAGE.overflow) throw new Error("BerkeleyDB: expected an overflow page");
    const next = u32(start + 16);
    // On overflow pages the "high free offset" field holds the bytes used on the page.
    const used = next === 0 ? u16(start + 22) : pageSize - BDB_PAGE_HEADER;
    parts.push(content.subarray(start + BDB_PAGE_HEADER, start + BDB_PAGE_HEADER + used));
    page = next;
  }
  return Buffer.concat(parts);
}

const NDB_HEADER_MAGIC = 0x506d7052; // "RpmP" little-endian
const NDB_SLOT_MAGIC = 0x746f6c53; // "Slot"
const NDB_BLOB_MAGIC = 0x53626c42; // "BlbS"
const NDB_SLOTS_PER_PAGE = 4096 / 16;

function readNdb(content: Buffer): Buffer[] {
  const version = content.readUInt32LE(4);
  const slotPages = content.readUInt32LE(12);
  if (version !== 0 || slotPages === 0 || slotPages > 2048) throw new Error("NDB: unsupported header");
  const blobs: Buffer[] = [];
  // The header takes the first two slots of the first page.
  for (let slot = 2; slot < slotPages * NDB_SLOTS_PER_PAGE; slot++) {
    const at = slot * 16;
    if (at + 16 > content.length) break;
    if (content.readUInt32LE(at) !== NDB_SLOT_MAGIC) throw new Error("NDB: bad slot magic");
    const pkgIndex = content.readUInt32LE(at + 4);
    if (pkgIndex === 0) continue;
    const blobAt = content.readUInt32LE(at + 8) * 16;
    if (blobAt + 16 > content.length || content.readUInt32LE(blobAt) !== NDB_BLOB_MAGIC) {
      throw new Error(`NDB: no blob for package ${pkgIndex}`);
    }
    if (content.readUInt32LE(blobAt + 4) !== pkgIndex)
      throw new Error(`NDB: blob mismatch for package ${pkgIndex}`);
    const length = content.readUInt32LE(blobAt + 12);
    blobs.push(content.subarray(blobAt + 16, blobAt + 16 + length));
  }
  return blobs;
}

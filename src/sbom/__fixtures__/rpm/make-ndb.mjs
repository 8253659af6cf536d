// Reads header blobs from an rpmdb.sqlite and writes them (1) as an NDB Packages.db, following
// rpm's lib/backend/ndb/rpmpkg.c layout, and (2) as db_load input (db_dump format, key/value lines in hex)
// for a BerkeleyDB hash database. Used by make-fixtures.sh only.
import { writeFileSync } from "node:fs";
import Database from "better-sqlite3";

const [sqlitePath, ndbPath, loadPath] = process.argv.slice(2);
const db = new Database(sqlitePath, { readonly: true });
const rows = db.prepare("SELECT hnum, blob FROM Packages ORDER BY hnum").all();
db.close();

const SLOT_PAGES = 1;
const blocks = [];
let nextBlock = (SLOT_PAGES * 4096) / 16;
const slots = [];
for (const { hnum, blob } of rows) {
  const length = 16 + blob.length + 16; // blob header + blob + tail
  const count = Math.ceil(length / 16);
  const block = Buffer.alloc(count * 16);
  block.writeUInt32LE(0x53626c42, 0); // "BlbS"
  block.writeUInt32LE(hnum, 4);
  block.writeUInt32LE(0, 8); // checksum (not checked by readers)
  block.writeUInt32LE(blob.length, 12);
  blob.copy(block, 16);
  slots.push({ hnum, offset: nextBlock, count });
  blocks.push(block);
  nextBlock += count;
}
const slotPages = Buffer.alloc(SLOT_PAGES * 4096);
slotPages.writeUInt32LE(0x506d7052, 0); // "RpmP"
slotPages.writeUInt32LE(0, 4); // version
slotPages.writeUInt32LE(1, 8); // generation
slotPages.writeUInt32LE(SLOT_PAGES, 12);
slotPages.writeUInt32LE(rows.length + 1, 16); // next package index
for (let i = 2; i < (SLOT_PAGES * 4096) / 16; i++) {
  const slot = slots[i - 2];
  slotPages.writeUInt32LE(0x746f6c53, i * 16); // "Slot"
  if (!slot) continue;
  slotPages.writeUInt32LE(slot.hnum, i * 16 + 4);
  slotPages.writeUInt32LE(slot.offset, i * 16 + 8);
  slotPages.writeUInt32LE(slot.count, i * 16 + 12);
}
writeFileSync(ndbPath, Buffer.concat([slotPages, ...blocks]));

const hex = (buf) => [...buf].map((b) => b.toString(16).padStart(2, "0")).join("");
const key = (n) => {
  const k = Buffer.alloc(4);
  k.writeUInt32LE(n);
  return k;
};
const lines = ["VERSION=3", "format=bytevalue", "type=hash", "HEADER=END"];
for (const { hnum, blob } of rows) lines.push(` ${hex(key(hnum))}`, ` ${hex(blob)}`);
lines.push("DATA=END", "");
writeFileSync(loadPath, lines.join("\n"));

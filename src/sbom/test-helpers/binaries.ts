/** Small synthetic ELF binaries and zip archives for cataloger tests. */
import { makeZip } from "../../archive/test-helpers/zip-writer.ts";

/** A 64-bit little-endian ELF with the given sections (and a section name table). */
export function elfWithSections(sections: Record<string, Buffer>, prefix = Buffer.alloc(0)): Buffer {
  const names = ["", ...Object.keys(sections), ".shstrtab"];
  const shstrtab = Buffer.from(`${names.join("\0")}\0`, "latin1");
  const nameOffsets: number[] = [];
  let at = 0;
  for (const n of names) {
    nameOffsets.push(at);
    at += Buffer.byteLength(n, "latin1") + 1;
  }
  const header = Buffer.alloc(64);
  header.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  const bodies = [prefix, ...Object.values(sections), shstrtab];
  const offsets: number[] = [];
  let offset = 64;
  for (const b of bodies) {
    offsets.push(offset);
    offset += b.length;
  }
  const shoff = offset;
  const sectionHeaders = Buffer.alloc(64 * names.length);
  names.forEach((_, i) => {
    if (i === 0) return;
    const h = i * 64;
    sectionHeaders.writeUInt32LE(nameOffsets[i]!, h);
    sectionHeaders.writeUInt32LE(1, h + 4);
    sectionHeaders.writeBigUInt64LE(BigInt(offsets[i]!), h + 24);
    sectionHeaders.writeBigUInt64LE(BigInt(bodies[i]!.length), h + 32);
  });
  header.writeUInt16LE(2, 16); // ET_EXEC
  header.writeUInt16LE(62, 18); // x86-64
  header.writeBigUInt64LE(BigInt(shoff), 40);
  header.writeUInt16LE(64, 58);
  header.writeUInt16LE(names.length, 60);
  header.writeUInt16LE(names.length - 1, 62);
  return Buffer.concat([header, ...bodies, sectionHeaders]);
}

const varint = (n: number) => {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
};

/** Go >= 1.18 build info blob (16-byte aligned within `padTo`). */
export function goBuildInfoBlob(goVersion: string, modinfo: string): Buffer {
  const header = Buffer.alloc(32);
  Buffer.from("\xff Go buildinf:", "latin1").copy(header);
  header[14] = 8;
  header[15] = 2;
  const sentinel = Buffer.from("3077af0c9274080241e1c107e6d618e6", "hex");
  const mod = Buffer.concat([sentinel, Buffer.from(modinfo), sentinel]).toString("latin1");
  const version = Buffer.from(goVersion);
  const modBytes = Buffer.from(mod, "latin1");
  return Buffer.concat([header, varint(version.length), version, varint(modBytes.length), modBytes]);
}

/** An ELF whose data holds Go build info at a 16-byte aligned offset. */
export function goBinary(goVersion: string, modinfo: string, padding = 0): Buffer {
  const blob = goBuildInfoBlob(goVersion, modinfo);
  // The header is 64 bytes; pad so the blob starts 16-byte aligned after `padding` filler.
  const filler = Buffer.alloc(padding + ((16 - ((64 + padding) % 16)) % 16), 0x90);
  return elfWithSections({ ".go.buildinfo": blob }, filler);
}

/** A zip with stored or deflated entries. */
/** A jar-like zip of `entries` (name → content), deflated or stored. */
export function zip(entries: Record<string, Buffer | string>, deflate = true): Buffer {
  return makeZip(Object.entries(entries).map(([name, data]) => ({ name, data, method: deflate ? 8 : 0 })));
}

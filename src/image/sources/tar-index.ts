/**
 * Random access into an uncompressed tar file: one pass over the 512-byte headers, seeking over
 * file data, gives each member's offset and size. Member data is then read on demand, so an
 * image archive is never read twice nor extracted to disk.
 *
 * Format: POSIX ustar and pax (https://pubs.opengroup.org/onlinepubs/9799919799/utilities/pax.html
 * "ustar Interchange Format" and "pax Extended Header"), plus GNU long names (`L`/`K`) and
 * base-256 sizes, which `docker save` and Go's archive/tar write.
 */
import { type FileHandle, open } from "node:fs/promises";
import { DrydockError } from "../../errors.ts";

const BLOCK = 512;

export interface TarMember {
  name: string;
  /** Offset of the member's data in the file. */
  offset: number;
  size: number;
  type: string;
  linkname: string;
}

function readString(block: Buffer, start: number, length: number): string {
  const end = block.indexOf(0, start);
  return block.toString("utf8", start, end === -1 || end > start + length ? start + length : end);
}

function readNumber(block: Buffer, start: number, length: number): number {
  // Base-256 (GNU/star) when the high bit of the first byte is set.
  if (block[start]! & 0x80) {
    let value = block[start]! & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + block[start + i]!;
    return value;
  }
  const text = readString(block, start, length).trim();
  return text === "" ? 0 : Number.parseInt(text, 8);
}

function checksumOk(block: Buffer): boolean {
  const stored = readNumber(block, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  return sum === stored;
}

/** pax records: "LEN key=value\n". */
function parsePax(data: Buffer): Record<string, string> {
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

export interface TarIndexLimits {
  maxMembers: number;
  /** Largest pax or GNU long-name header read into memory. */
  maxHeaderBytes: number;
}

const DEFAULT_LIMITS: TarIndexLimits = { maxMembers: 1_000_000, maxHeaderBytes: 1 << 20 };

/** Indexes the members of an uncompressed tar file. */
export async function indexTarFile(
  path: string,
  limits: TarIndexLimits = DEFAULT_LIMITS,
): Promise<TarMember[]> {
  const handle = await open(path, "r");
  try {
    const { size: fileSize } = await handle.stat();
    return await indexTar(handle, fileSize, path, limits);
  } finally {
    await handle.close();
  }
}

async function indexTar(
  handle: FileHandle,
  fileSize: number,
  label: string,
  limits: TarIndexLimits,
): Promise<TarMember[]> {
  const members: TarMember[] = [];
  const block = Buffer.alloc(BLOCK);
  let offset = 0;
  let pax: Record<string, string> = {};
  let longName: string | null = null;
  let longLink: string | null = null;
  const corrupt = (why: string) =>
    new DrydockError("CORRUPT_ARCHIVE", `${label}: not a valid tar archive (${why})`);
  while (offset + BLOCK <= fileSize) {
    const { bytesRead } = await handle.read(block, 0, BLOCK, offset);
    if (bytesRead < BLOCK) throw corrupt("truncated header");
    if (block.every((b) => b === 0)) break; // end-of-archive marker
    if (!checksumOk(block)) throw corrupt(`bad header checksum at offset ${offset}`);
    const size = readNumber(block, 124, 12);
    const type = String.fromCharCode(block[156]! || 0x30);
    const dataOffset = offset + BLOCK;
    if (size < 0 || dataOffset + size > fileSize)
      throw corrupt(`member at offset ${offset} runs past the end (truncated?)`);
    const next = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "x" || type === "g" || type === "L" || type === "K") {
      if (size > limits.maxHeaderBytes) throw corrupt(`extended header of ${size} bytes`);
      const data = Buffer.alloc(size);
      await handle.read(data, 0, size, dataOffset);
      if (type === "x") pax = parsePax(data);
      else if (type === "L") longName = data.toString("utf8").replace(/\0+$/, "");
      else if (type === "K") longLink = data.toString("utf8").replace(/\0+$/, "");
      offset = next;
      continue;
    }
    const prefix = readString(block, 345, 155);
    const rawName = readString(block, 0, 100);
    const name = pax.path ?? longName ?? (prefix ? `${prefix}/${rawName}` : rawName);
    const linkname = pax.linkpath ?? longLink ?? readString(block, 157, 100);
    const realSize = pax.size ? Number(pax.size) : size;
    members.push({ name: name.replace(/^\.\//, ""), offset: dataOffset, size: realSize, type, linkname });
    if (members.length > limits.maxMembers) throw corrupt(`more than ${limits.maxMembers} members`);
    pax = {};
    longName = null;
    longLink = null;
    offset = pax.size ? dataOffset + Math.ceil(realSize / BLOCK) * BLOCK : next;
  }
  return members;
}

/**
 * Go build information embedded in every Go binary since 1.13 (runtime/debug.BuildInfo; format
 * from the Go source, src/debug/buildinfo/buildinfo.go): a 32-byte header starting with
 * "\xff Go buildinf:" at a 16-byte aligned offset, then (Go >= 1.18, flag bit 2) the Go version
 * and the module info as varint-length strings; older binaries store two pointers to Go string
 * headers instead, resolved here through the ELF program headers. Found by scanning for the
 * magic, so stripped binaries (no section headers) work too.
 * Module info lines: `path`, `mod`, `dep`, `=>` (replaces the line before), `build key=value`.
 */
import { type ElfFile, offsetOf } from "./elf.ts";

export const GO_BUILDINFO_MAGIC = Buffer.from("\xff Go buildinf:", "latin1");

export interface GoModule {
  path: string;
  version: string;
  sum?: string;
  replace?: { path: string; version: string; sum?: string };
}

export interface GoBuildInfo {
  goVersion: string;
  path?: string;
  main?: GoModule;
  deps: GoModule[];
  settings: Record<string, string>;
}

function readVarint(b: Buffer, at: number): [number, number] | undefined {
  let value = 0;
  let shift = 0;
  for (let i = at; i < b.length && i < at + 10; i++) {
    const byte = b[i]!;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, i + 1];
    shift += 7;
  }
  return undefined;
}

/** Finds the buildinfo header (16-byte aligned, as the linker places it). */
export function findBuildInfoHeader(b: Buffer): number {
  let at = b.indexOf(GO_BUILDINFO_MAGIC);
  while (at >= 0) {
    if (at % 16 === 0 && at + 32 <= b.length) return at;
    at = b.indexOf(GO_BUILDINFO_MAGIC, at + 1);
  }
  return -1;
}

/** The inline (Go >= 1.18) form: strings follow the header. */
export function readInlineBuildInfo(b: Buffer, header: number): [string, string] | undefined {
  const flags = b[header + 15]!;
  if ((flags & 2) === 0) return undefined;
  const version = readVarint(b, header + 32);
  if (!version || version[1] + version[0] > b.length) return undefined;
  const goVersion = b.toString("utf8", version[1], version[1] + version[0]);
  const mod = readVarint(b, version[1] + version[0]);
  if (!mod || mod[1] + mod[0] > b.length) return undefined;
  return [goVersion, b.toString("utf8", mod[1], mod[1] + mod[0])];
}

/** The pointer form (Go < 1.18): two pointers to {data, len} string headers. */
function readPointerBuildInfo(b: Buffer, header: number, elf: ElfFile): [string, string] | undefined {
  const ptrSize = b[header + 14]!;
  const bigEndian = (b[header + 15]! & 1) === 1;
  const readPtr = (at: number) => {
    if (at + ptrSize > b.length) return undefined;
    if (ptrSize === 8) return Number(bigEndian ? b.readBigUInt64BE(at) : b.readBigUInt64LE(at));
    return bigEndian ? b.readUInt32BE(at) : b.readUInt32LE(at);
  };
  const readString = (addr: number | undefined) => {
    if (addr === undefined) return undefined;
    const at = offsetOf(elf, addr);
    if (at === undefined) return undefined;
    const dataAddr = readPtr(at);
    const length = readPtr(at + ptrSize);
    if (dataAddr === undefined || length === undefined) return undefined;
    const data = offsetOf(elf, dataAddr);
    if (data === undefined || data + length > b.length) return undefined;
    return b.toString("utf8", data, data + length);
  };
  const goVersion = readString(readPtr(header + 16));
  const modinfo = readString(readPtr(header + 16 + ptrSize));
  return goVersion === undefined ? undefined : [goVersion, modinfo ?? ""];
}

export function parseModInfo(goVersion: string, raw: string): GoBuildInfo {
  // Module info is wrapped in 16-byte sentinels; strip them when present.
  let text = raw;
  if (text.length >= 33 && text[text.length - 17] === "\n") text = text.slice(16, text.length - 16);
  const info: GoBuildInfo = { goVersion, deps: [], settings: {} };
  let last: GoModule | undefined;
  for (const line of text.split("\n")) {
    const parts = line.split("\t");
    switch (parts[0]) {
      case "path":
        info.path = parts[1];
        break;
      case "mod":
        last = { path: parts[1] ?? "", version: parts[2] ?? "", ...(parts[3] ? { sum: parts[3] } : {}) };
        info.main = last;
        break;
      case "dep":
        last = { path: parts[1] ?? "", version: parts[2] ?? "", ...(parts[3] ? { sum: parts[3] } : {}) };
        info.deps.push(last);
        break;
      case "=>":
        if (last)
          last.replace = {
            path: parts[1] ?? "",
            version: parts[2] ?? "",
            ...(parts[3] ? { sum: parts[3] } : {}),
          };
        break;
      case "build": {
        const setting = parts.slice(1).join("\t");
        const eq = setting.indexOf("=");
        if (eq > 0) info.settings[setting.slice(0, eq)] = setting.slice(eq + 1);
        break;
      }
    }
  }
  return info;
}

export function readGoBuildInfo(b: Buffer, elf: ElfFile | undefined): GoBuildInfo | undefined {
  const header = findBuildInfoHeader(b);
  if (header < 0) return undefined;
  const strings = readInlineBuildInfo(b, header) ?? (elf ? readPointerBuildInfo(b, header, elf) : undefined);
  if (!strings?.[0].startsWith("go")) return undefined;
  return parseModInfo(strings[0], strings[1]);
}

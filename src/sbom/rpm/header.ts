/**
 * rpm header blobs, as stored in every rpmdb backend (rpm's lib/header.c; "Header structure"
 * in https://rpm-software-management.github.io/rpm/manual/format_header.html): a big-endian
 * index count and data length, index entries {tag, type, offset, count} of 16 bytes, then
 * the data store the entries point into.
 */
export const RPMTAG = {
  name: 1000,
  version: 1001,
  release: 1002,
  epoch: 1003,
  summary: 1004,
  size: 1009,
  vendor: 1011,
  license: 1014,
  packager: 1015,
  url: 1020,
  arch: 1022,
  sourceRpm: 1044,
  dirIndexes: 1116,
  baseNames: 1117,
  dirNames: 1118,
  modularityLabel: 5096,
} as const;

const TYPE = {
  int8: 2,
  int16: 3,
  int32: 4,
  int64: 5,
  string: 6,
  bin: 7,
  stringArray: 8,
  i18nString: 9,
} as const;

export type TagValue = string | string[] | number[];

/** Reads the tags we use from one header blob. Throws on a malformed blob. */
export function parseHeaderBlob(blob: Buffer, wanted: ReadonlySet<number>): Map<number, TagValue> {
  if (blob.length < 8) throw new Error("rpm header blob too short");
  const indexCount = blob.readUInt32BE(0);
  const dataLength = blob.readUInt32BE(4);
  const dataStart = 8 + indexCount * 16;
  if (indexCount > 0x10000 || dataStart + dataLength > blob.length)
    throw new Error("rpm header blob truncated");
  const data = blob.subarray(dataStart, dataStart + dataLength);
  const out = new Map<number, TagValue>();
  for (let i = 0; i < indexCount; i++) {
    const at = 8 + i * 16;
    const tag = blob.readUInt32BE(at);
    if (!wanted.has(tag)) continue;
    const type = blob.readUInt32BE(at + 4);
    const offset = blob.readInt32BE(at + 8);
    const count = blob.readUInt32BE(at + 12);
    if (offset < 0 || offset > data.length) throw new Error(`rpm header tag ${tag} points outside the data`);
    out.set(tag, readValue(data, type, offset, count));
  }
  return out;
}

function readStrings(data: Buffer, offset: number, count: number): string[] {
  const out: string[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    const end = data.indexOf(0, at);
    if (end < 0) throw new Error("rpm header string not terminated");
    out.push(data.toString("utf8", at, end));
    at = end + 1;
  }
  return out;
}

function readValue(data: Buffer, type: number, offset: number, count: number): TagValue {
  switch (type) {
    case TYPE.string:
      return readStrings(data, offset, 1)[0]!;
    case TYPE.stringArray:
    case TYPE.i18nString:
      return readStrings(data, offset, count);
    case TYPE.int32: {
      const out: number[] = [];
      for (let i = 0; i < count; i++) out.push(data.readInt32BE(offset + i * 4));
      return out;
    }
    case TYPE.int16: {
      const out: number[] = [];
      for (let i = 0; i < count; i++) out.push(data.readUInt16BE(offset + i * 2));
      return out;
    }
    case TYPE.int8: {
      const out: number[] = [];
      for (let i = 0; i < count; i++) out.push(data.readUInt8(offset + i));
      return out;
    }
    case TYPE.int64: {
      const out: number[] = [];
      for (let i = 0; i < count; i++) out.push(Number(data.readBigUInt64BE(offset + i * 8)));
      return out;
    }
    default:
      return [];
  }
}

export interface RpmHeader {
  name: string;
  version: string;
  release: string;
  epoch?: number;
  arch?: string;
  sourceRpm?: string;
  license?: string;
  vendor?: string;
  size?: number;
  modularityLabel?: string;
  files: string[];
}

const WANTED = new Set<number>(Object.values(RPMTAG));
const str = (v: TagValue | undefined) =>
  typeof v === "string" ? v : Array.isArray(v) && typeof v[0] === "string" ? v[0] : undefined;
const num = (v: TagValue | undefined) => (Array.isArray(v) && typeof v[0] === "number" ? v[0] : undefined);

export function readRpmHeader(blob: Buffer): RpmHeader | undefined {
  const tags = parseHeaderBlob(blob, WANTED);
  const name = str(tags.get(RPMTAG.name));
  const version = str(tags.get(RPMTAG.version));
  if (!name || version === undefined) return undefined;
  const baseNames = (tags.get(RPMTAG.baseNames) as string[] | undefined) ?? [];
  const dirNames = (tags.get(RPMTAG.dirNames) as string[] | undefined) ?? [];
  const dirIndexes = (tags.get(RPMTAG.dirIndexes) as number[] | undefined) ?? [];
  const files = baseNames.map((base, i) => `${dirNames[dirIndexes[i] ?? -1] ?? ""}${base}`);
  const header: RpmHeader = { name, version, release: str(tags.get(RPMTAG.release)) ?? "", files };
  const epoch = num(tags.get(RPMTAG.epoch));
  if (epoch !== undefined) header.epoch = epoch;
  const optional: Array<[keyof RpmHeader, string | undefined]> = [
    ["arch", str(tags.get(RPMTAG.arch))],
    ["sourceRpm", str(tags.get(RPMTAG.sourceRpm))],
    ["license", str(tags.get(RPMTAG.license))],
    ["vendor", str(tags.get(RPMTAG.vendor))],
    ["modularityLabel", str(tags.get(RPMTAG.modularityLabel))],
  ];
  for (const [key, value] of optional) if (value) (header as unknown as Record<string, unknown>)[key] = value;
  const size = num(tags.get(RPMTAG.size));
  if (size !== undefined) header.size = size;
  return header;
}

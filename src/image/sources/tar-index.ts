/**
 * Random access into an uncompressed tar file: one pass over the 512-byte headers, seeking over
 * file data, gives each member's offset and size. Member data is then read on demand, so an
 * image archive is never read twice nor extracted to disk.
 *
 * Format: POSIX ustar and pax (https://pubs.opengroup.org/onlinepubs/9799919799/utilities/pax.html
 * "ustar Interchange Format" and "pax Extended Header"), plus GNU long names (`L`/`K`) and
 * base-256 sizes, which `docker save` and Go's archive/tar write. Headers are decoded by the
 * same parser as image layers (../tar-parser.ts); reading stops at the end-of-archive marker.
 */
import { open } from "node:fs/promises";
import { DrydockError } from "../../errors.ts";
import { parseTarFile, type TarEntryType, TarParser } from "../tar-parser.ts";

export interface TarMember {
  name: string;
  /** Offset of the member's data in the file. */
  offset: number;
  size: number;
  /** null: a type flag the parser does not know. */
  type: TarEntryType | null;
  linkname: string;
}

export interface TarIndexLimits {
  maxMembers: number;
}

const DEFAULT_LIMITS: TarIndexLimits = { maxMembers: 1_000_000 };

/** Indexes the members of an uncompressed tar file. */
export async function indexTarFile(
  path: string,
  limits: TarIndexLimits = DEFAULT_LIMITS,
): Promise<TarMember[]> {
  const members: TarMember[] = [];
  const parser = new TarParser(
    (header, offset) => {
      members.push({
        name: header.name.replace(/^\.\//, ""),
        offset,
        size: header.size,
        type: header.type,
        linkname: header.linkname ?? "",
      });
      if (members.length > limits.maxMembers) {
        throw new DrydockError(
          "CORRUPT_ARCHIVE",
          `${path}: not a valid tar archive (more than ${limits.maxMembers} members)`,
        );
      }
      return undefined; // member data is read on demand, never here
    },
    path,
    { subject: "archive", stopAtEndMarker: true },
  );
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    await parseTarFile(parser, { file, start: 0, size });
  } finally {
    await file.close();
  }
  return members;
}

/**
 * Reads the files of a zip archive (OSV publishes one `all.zip` per ecosystem) one at a time,
 * through yauzl (central directory first, sizes checked against it), and checks each file's
 * CRC-32 so that a truncated or corrupted download is rejected rather than half-imported.
 *
 * Zip format: PKWARE APPNOTE.TXT; yauzl: https://github.com/thejoshwolfe/yauzl
 */
import { crc32 } from "node:zlib";
import yauzl from "yauzl";

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

function openZip(path: string, label: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true, strictFileNames: false }, (error, zip) => {
      if (error || !zip) reject(new CorruptArchiveError(`${label}: not a readable zip archive (${error?.message ?? "no archive"})`));
      else resolve(zip);
    });
  });
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) {
        reject(error ?? new Error("no stream"));
        return;
      }
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", reject);
      stream.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    });
  });
}

/**
 * Yields the regular files of the archive whose names `wanted` accepts, in archive order
 * (`label` names the archive in messages: the URL of a download, say).
 * Throws CorruptArchiveError when the archive or one of its files is damaged.
 */
export async function* zipFiles(
  path: string,
  wanted: (name: string) => boolean,
  label = path,
): AsyncGenerator<ZipFile> {
  const zip = await openZip(path, label);
  const entries: yauzl.Entry[] = [];
  let done = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  zip.on("entry", (entry: yauzl.Entry) => {
    entries.push(entry);
    notify();
  });
  zip.on("end", () => {
    done = true;
    notify();
  });
  zip.on("error", (error: Error) => {
    failure = error;
    notify();
  });
  try {
    zip.readEntry();
    for (;;) {
      if (failure) throw new CorruptArchiveError(`${label}: damaged zip archive (${failure.message})`);
      const entry = entries.shift();
      if (!entry) {
        if (done) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      const name = entry.fileName;
      if (!name.endsWith("/") && wanted(name)) {
        let data: Buffer;
        try {
          data = await readEntry(zip, entry);
        } catch (error) {
          throw new CorruptArchiveError(`${label}: ${name}: damaged zip entry (${(error as Error).message})`);
        }
        if (crc32(data) >>> 0 !== entry.crc32 >>> 0) {
          throw new CorruptArchiveError(`${label}: ${name}: damaged zip entry (CRC-32 mismatch)`);
        }
        yield { name, data };
      }
      zip.readEntry();
    }
  } finally {
    zip.close();
  }
}

/** Whether a file starts like a zip archive (local file header or empty archive). */
export function looksLikeZip(head: Buffer): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5);
}

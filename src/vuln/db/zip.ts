/**
 * Reads the files of a zip archive (OSV publishes one `all.zip` per ecosystem) one at a time,
 * straight from the file: the central directory is read once, then each wanted entry's local
 * header and data through large read windows, inflated and checked against its CRC-32 and size
 * (src/archive/zip.ts), so a truncated or corrupted download is rejected rather than
 * half-imported.
 *
 * Written here rather than through a stream-per-entry library because OSV's archives hold
 * hundreds of thousands of small files: windowed synchronous reads cost microseconds an entry
 * where a stream each costs a hundred.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { readZipDirectory, readZipEntry, type ZipBytes, ZipFormatError } from "../../archive/zip.ts";

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

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? buffer : buffer.subarray(0, done);
}

const WINDOW = 8 * 1024 * 1024;

/**
 * Reads the archive in large windows: entries sit one after the other, so two small reads per
 * entry (hundreds of thousands of system calls for OSV's archives) become a few large ones.
 */
class WindowReader implements ZipBytes {
  private window: Buffer = Buffer.alloc(0);
  private start = 0;
  private readonly fd: number;
  readonly size: number;

  constructor(fd: number, size: number) {
    this.fd = fd;
    this.size = size;
  }

  read(position: number, length: number): Buffer {
    // An offset from a damaged directory may point past the end: nothing there.
    if (position >= this.size) return Buffer.alloc(0);
    const end = Math.min(position + length, this.size);
    if (position < this.start || end > this.start + this.window.length) {
      this.start = position;
      this.window = readAt(this.fd, position, Math.min(Math.max(length, WINDOW), this.size - position));
    }
    return this.window.subarray(position - this.start, end - this.start);
  }
}

/**
 * Yields the regular files of the archive whose names `wanted` accepts, in directory order
 * (`label` names the archive in messages: the URL of a download, say). Throws
 * CorruptArchiveError when the archive or one of its files is damaged.
 */
export async function* zipFiles(
  path: string,
  wanted: (name: string) => boolean,
  label = path,
): AsyncGenerator<ZipFile> {
  const fd = openSync(path, "r");
  try {
    const bytes = new WindowReader(fd, fstatSync(fd).size);
    for (const entry of labelled(label, () => readZipDirectory(bytes))) {
      if (entry.name.endsWith("/") || !wanted(entry.name)) continue;
      yield { name: entry.name, data: labelled(label, () => readZipEntry(bytes, entry)) };
    }
  } finally {
    closeSync(fd);
  }
}

/** Runs `read`, naming the archive in the message of any zip format error. */
function labelled<T>(label: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ZipFormatError)) throw error;
    const why = error.message.includes("damaged zip entry")
      ? error.message
      : `not a readable zip archive (${error.message})`;
    throw new CorruptArchiveError(`${label}: ${why}`);
  }
}

/** Whether a file starts like a zip archive (local file header or empty archive). */
export function looksLikeZip(head: Buffer): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5);
}

import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { type Pack, pack } from "tar-stream";

/** One tar entry for test fixtures. */
export interface FixtureEntry {
  name: string;
  type?: "file" | "directory" | "symlink" | "link";
  content?: string | Buffer;
  linkname?: string;
  mode?: number;
}

/** Runs `fill` on a tar-stream packer and returns the whole tar it wrote (small fixtures only). */
export async function packToBuffer(fill: (p: Pack) => Promise<void>): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on("data", (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((resolve, reject) => {
    p.on("end", resolve);
    p.on("error", reject);
  });
  await fill(p);
  await done;
  return Buffer.concat(chunks);
}

/** Builds a tar in memory with tar-stream (small fixtures only). */
export function makeTar(entries: FixtureEntry[]): Promise<Buffer> {
  return packToBuffer(async (p) => {
    for (const e of entries) {
      const type = e.type ?? (e.name.endsWith("/") ? "directory" : "file");
      const content = e.content === undefined ? undefined : Buffer.from(e.content);
      await new Promise<void>((resolve, reject) => {
        p.entry(
          {
            name: e.name,
            type,
            linkname: e.linkname,
            mode: e.mode ?? (type === "directory" ? 0o755 : 0o644),
            size: content?.length ?? 0,
          },
          type === "file" ? (content ?? Buffer.alloc(0)) : Buffer.alloc(0),
          (err) => (err ? reject(err) : resolve()),
        );
      });
    }
    p.finalize();
  });
}

export async function makeGzipTar(entries: FixtureEntry[]): Promise<Buffer> {
  return gzipSync(await makeTar(entries));
}

export function streamOf(buffer: Buffer, chunkSize = 7919): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= buffer.length) return this.push(null);
      this.push(buffer.subarray(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

/** Fields of a raw tar header; numbers are written in octal, a Buffer as it is (base-256). */
export interface RawHeaderFields {
  name: string;
  typeflag: string;
  size?: number | Buffer;
  uid?: Buffer;
  /** GNU magic ("ustar  \0") instead of POSIX ("ustar\0" "00"). */
  gnu?: boolean;
  prefix?: string;
  mode?: string;
}

/**
 * A raw ustar/GNU header block with a correct checksum, for fields tar-stream cannot write
 * (https://pubs.opengroup.org/onlinepubs/9799919799/utilities/pax.html, "ustar Interchange Format").
 */
export function rawTarHeader(fields: RawHeaderFields): Buffer {
  const block = Buffer.alloc(512);
  block.write(fields.name, 0, 100, "utf8");
  block.write(fields.mode ?? "0000644\0", 100);
  if (Buffer.isBuffer(fields.uid)) fields.uid.copy(block, 108);
  else block.write("0001750\0", 108);
  block.write("0001750\0", 116);
  if (Buffer.isBuffer(fields.size)) fields.size.copy(block, 124);
  else block.write(`${(fields.size ?? 0).toString(8).padStart(11, "0")}\0`, 124);
  block.write("00000000000\0", 136);
  block.write(fields.typeflag, 156);
  if (fields.gnu) block.write("ustar  \0", 257, "latin1");
  else block.write("ustar\u000000", 257, "latin1");
  if (fields.prefix) block.write(fields.prefix, 345, 155, "utf8");
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of block) sum += b;
  block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "latin1");
  return block;
}

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

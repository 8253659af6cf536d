import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { type Header, pack } from "tar-stream";
import { describe, expect, it } from "vitest";
import { parsePax, readNumber, type TarHeader, TarParser } from "./tar-parser.ts";
import { createTarSkeletonScanner } from "./tar-skeleton.ts";
import { rawTarHeader } from "./test-helpers/tar.ts";

/** The skeleton the scanner makes of `tar` fed in `chunkSize` pieces. */
function skeletonOf(tar: Buffer, chunkSize = tar.length): Buffer {
  const kept: Buffer[] = [];
  const scanner = createTarSkeletonScanner(
    (chunk, start, end) => kept.push(Buffer.from(chunk.subarray(start, end))),
    readNumber,
    parsePax,
  );
  for (let at = 0; at < tar.length; at += chunkSize) {
    const piece = tar.subarray(at, Math.min(at + chunkSize, tar.length));
    scanner.scan(piece, 0, piece.length);
  }
  return Buffer.concat(kept);
}

interface Parsed {
  headers: TarHeader[];
  dataOffsets: number[];
}

/** TarParser over the whole tar (dataOmitted false) or over a skeleton whose tar is `tarBytes` long. */
function parse(stream: Buffer, tarBytes?: number, chunkSize = 4096): Parsed {
  const parsed: Parsed = { headers: [], dataOffsets: [] };
  const parser = new TarParser(
    (header, dataOffset) => {
      parsed.headers.push(header);
      parsed.dataOffsets.push(dataOffset);
      return undefined;
    },
    "t",
    { dataOmitted: tarBytes !== undefined },
  );
  for (let at = 0; at < stream.length; at += chunkSize) parser.feed(stream.subarray(at, at + chunkSize));
  parser.end(tarBytes);
  return parsed;
}

/** What the parser reads from the skeleton equals what it reads from the tar, chunked any way. */
function expectSameReading(tar: Buffer): Buffer {
  const expected = parse(tar);
  let skeleton: Buffer = Buffer.alloc(0);
  for (const chunkSize of [1, 100, 511, 512, 513, 4096, tar.length]) {
    skeleton = skeletonOf(tar, chunkSize);
    expect(parse(skeleton, tar.length, 777)).toEqual(expected);
  }
  return skeleton;
}

/** A raw POSIX ustar header block with a correct checksum. */
function rawHeader(name: string, typeflag: string, size: number | Buffer = 0): Buffer {
  return rawTarHeader({ name, typeflag, size });
}

const pad = (data: Buffer) => Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
const paxRecord = (key: string, value: string) => {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (`${length}${body}`.length !== length) length++;
  return `${length}${body}`;
};
const end = Buffer.alloc(1024);

async function packed(
  entries: Array<{ header: Partial<Header> & { name: string }; content?: Buffer }>,
): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on("data", (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve) => p.on("end", () => resolve()));
  for (const e of entries) p.entry(e.header as Header, e.content ?? Buffer.alloc(0));
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

describe("tar skeleton", () => {
  it("keeps headers and pax records only, and the parser reads the same entries and offsets from it", async () => {
    const long = `usr/lib/${"very-long-directory-name/".repeat(8)}file.txt`;
    const tar = await packed([
      { header: { name: "etc/", type: "directory" } },
      { header: { name: "etc/os-release" }, content: Buffer.from("ID=test\n") },
      { header: { name: long }, content: Buffer.alloc(100_000, 7) },
      { header: { name: `lib/${"l".repeat(120)}`, type: "symlink", linkname: `/${"t".repeat(150)}` } },
      { header: { name: "café/naïve" }, content: Buffer.alloc(513, 1) },
      { header: { name: "empty" } },
    ]);
    const skeleton = expectSameReading(tar);
    expect(skeleton.length).toBeLessThan(tar.length / 10);
    expect(skeleton.includes(Buffer.alloc(513, 1))).toBe(false);
  });

  it("skips data by the sizes the parser reads: pax and global pax sizes, base-256, GNU long names", () => {
    const data = (n: number) => pad(Buffer.alloc(n, 0x41));
    const localSize = Buffer.from(paxRecord("size", "1500"));
    const globalSize = Buffer.from(paxRecord("size", "700"));
    const otherPax = Buffer.from(paxRecord("mtime", "1"));
    const longName = Buffer.from(`${"gnu/".repeat(40)}name\0`);
    const base256 = Buffer.from([0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x03, 0xe8]); // 1000
    const tar = Buffer.concat([
      rawHeader("PaxHeader/a", "x", localSize.length),
      pad(localSize),
      rawHeader("a", "0", 0), // the pax size (1500) wins over the header's 0
      data(1500),
      rawHeader("b", "0", base256),
      data(1000),
      rawHeader("././@LongLink", "L", longName.length),
      pad(longName),
      rawHeader("short", "0", 10),
      data(10),
      rawHeader("pax_global_header", "g", globalSize.length),
      pad(globalSize),
      rawHeader("c", "0", 20), // a global record applies only through a local pax header
      data(20),
      rawHeader("PaxHeader/d", "x", otherPax.length),
      pad(otherPax),
      Buffer.alloc(512), // a zero block between a pax header and its entry leaves the records pending
      rawHeader("d", "0", 20),
      data(700),
      rawHeader("unknown-type", "S", 30),
      data(30),
      end,
    ]);
    const names = expectSameReading(tar);
    expect(parse(names, tar.length).headers.map((h) => [h.name, h.size])).toEqual([
      ["a", 1500],
      ["b", 1000],
      [`${"gnu/".repeat(40)}name`, 10],
      ["c", 20],
      ["d", 700],
      ["unknown-type", 30],
    ]);
  });

  it("forgets a tar cut short when reset for the next one (a worker keeps one scanner)", async () => {
    const tar = await packed([{ header: { name: "a" }, content: Buffer.alloc(3000, 1) }]);
    const kept: Buffer[] = [];
    const scanner = createTarSkeletonScanner(
      (chunk, start, end) => kept.push(Buffer.from(chunk.subarray(start, end))),
      readNumber,
      parsePax,
    );
    scanner.scan(tar, 0, 1000);
    scanner.reset();
    kept.length = 0;
    scanner.scan(tar, 0, tar.length);
    expect(Buffer.concat(kept).equals(skeletonOf(tar))).toBe(true);
  });

  const fixtures = join(
    process.env.DRYDOCK_FIXTURES ?? fileURLToPath(new URL("../../../shared/fixtures", import.meta.url)),
    "alpine",
  );
  const rootfs = existsSync(fixtures) ? readdirSync(fixtures).filter((f) => f.endsWith(".tar.gz")) : [];
  it.runIf(rootfs.length > 0)("on the Alpine minirootfs fixtures", () => {
    for (const file of rootfs) {
      const tar = gunzipSync(readFileSync(join(fixtures, file)));
      expect(parse(skeletonOf(tar, 65_536), tar.length)).toEqual(parse(tar));
    }
  });
});

describe("tar skeleton of damaged input: the parser fails as on the whole tar", () => {
  const failure = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return (error as Error).message;
    }
    return "no error";
  };
  const sameFailure = (tar: Buffer) => {
    const expected = failure(() => parse(tar));
    expect(expected).not.toBe("no error");
    for (const chunkSize of [1, 512, tar.length]) {
      expect(failure(() => parse(skeletonOf(tar, chunkSize), tar.length))).toBe(expected);
    }
  };

  it("on a tar cut in an entry's data, in its padding, in a header and in a pax record", async () => {
    const tar = await packed([
      { header: { name: "a" }, content: Buffer.alloc(2000, 1) },
      { header: { name: `b/${"x".repeat(150)}` }, content: Buffer.alloc(10, 1) },
    ]);
    for (const cut of [1500, 2500, 2560 + 300, 2560 + 512 + 100, tar.length - 1024 - 100]) {
      sameFailure(tar.subarray(0, cut));
    }
  });

  it("on a bad checksum, an unknown format, an unreadable size and an oversized pax record", async () => {
    const tar = await packed([
      { header: { name: "a" }, content: Buffer.alloc(600, 1) },
      { header: { name: "b" }, content: Buffer.alloc(10, 1) },
    ]);
    const badChecksum = Buffer.from(tar);
    badChecksum[1536 + 10] = 0x41;
    sameFailure(badChecksum);
    const garbage = Buffer.concat([tar.subarray(0, 1536), Buffer.alloc(2048, 0x41)]);
    sameFailure(garbage);
    const nanSize = Buffer.concat([rawHeader("n", "0", Buffer.from("zzzzzzzzzzz\0")), tar]);
    sameFailure(nanSize);
    const huge = Buffer.concat([rawHeader("PaxHeader/h", "x", 5 * 1024 * 1024), tar]);
    sameFailure(huge);
  });
});

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { extract, type Header, pack } from "tar-stream";
import { describe, expect, it } from "vitest";
import { parseTarFile, type TarEntrySink, type TarHeader, TarParser } from "./tar-parser.ts";
import { rawTarHeader } from "./test-helpers/tar.ts";

/** What tar-stream 3 (the reader TarParser replaced) reports for every entry, in order. */
async function tarStreamHeaders(tar: Buffer): Promise<TarHeader[]> {
  const out: TarHeader[] = [];
  const parser = extract();
  parser.on("entry", (h, stream, next) => {
    out.push({
      name: h.name,
      type: (h.type as TarHeader["type"]) ?? null,
      size: h.size ?? 0,
      mode: h.mode ?? 0,
      uid: h.uid ?? 0,
      gid: h.gid ?? 0,
      linkname: h.linkname ?? null,
    });
    stream.on("end", next);
    stream.resume();
  });
  await new Promise<void>((resolve, reject) => {
    parser.on("finish", resolve);
    parser.on("error", reject);
    Readable.from([tar]).pipe(parser);
  });
  return out;
}

/** A TarParser that records every header, and the contents (latin1) of the entries `wanted` names. */
function recordingParser(wanted: (name: string) => boolean) {
  const headers: TarHeader[] = [];
  const contents: string[] = [];
  const parser = new TarParser((h): TarEntrySink | undefined => {
    headers.push(h);
    if (!wanted(h.name)) return undefined;
    const pieces: Buffer[] = [];
    return {
      done: false,
      write: (piece) => {
        pieces.push(Buffer.from(piece));
        return undefined;
      },
      end: () => {
        contents.push(Buffer.concat(pieces).toString("latin1"));
        return undefined;
      },
    };
  }, "t");
  return { parser, headers, contents };
}

/** TarParser over `tar` cut into `chunkSize` pieces; contents of every entry kept. */
function parse(tar: Buffer, chunkSize = tar.length): { headers: TarHeader[]; contents: string[] } {
  const { parser, headers, contents } = recordingParser(() => true);
  for (let at = 0; at < tar.length; at += chunkSize) {
    expect(parser.feed(tar.subarray(at, at + chunkSize))).toBeUndefined();
  }
  parser.end();
  return { headers, contents };
}

async function packed(
  entries: Array<{ header: Partial<Header> & { name: string }; content?: string | Buffer }>,
): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on("data", (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((resolve) => p.on("end", () => resolve()));
  for (const e of entries) p.entry(e.header as Header, e.content ?? Buffer.alloc(0));
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

const pad = (data: Buffer) => Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
const end = Buffer.alloc(1024);

describe("TarParser reads every header field as tar-stream does", () => {
  it("on ustar, pax and long names, links, devices and odd chunk boundaries", async () => {
    const long = `usr/lib/${"very-long-directory-name/".repeat(8)}file.txt`;
    const tar = await packed([
      { header: { name: "etc/", type: "directory", mode: 0o755 } },
      { header: { name: "etc/os-release", mode: 0o644, uid: 1000, gid: 50 }, content: "ID=test\n" },
      { header: { name: long, mode: 0o600 }, content: "x".repeat(1000) },
      { header: { name: "bin/sh", type: "symlink", linkname: "/bin/busybox" } },
      { header: { name: "bin/ash", type: "link", linkname: "bin/sh" } },
      { header: { name: `lib/${"l".repeat(120)}`, type: "symlink", linkname: `/${"t".repeat(150)}` } },
      { header: { name: "dev/null", type: "character-device", devmajor: 1, devminor: 3 } },
      { header: { name: "run/fifo", type: "fifo" } },
      { header: { name: "café/naïve", mode: 0o4755 }, content: Buffer.alloc(513, 1) },
      { header: { name: "empty", mode: 0o644 }, content: "" },
    ]);
    const expected = await tarStreamHeaders(tar);
    expect(expected).toHaveLength(10);
    for (const chunk of [1, 7, 511, 512, 513, 4096, tar.length]) {
      const { headers, contents } = parse(tar, chunk);
      expect(headers).toEqual(expected);
      expect(contents[1]).toBe("ID=test\n");
      expect(contents[2]).toBe("x".repeat(1000));
    }
  });

  it("on GNU long names, a ustar prefix, base-256 numbers, global pax records and a v7 directory", async () => {
    const longName = Buffer.from(`${"gnu/".repeat(40)}name\0`);
    const longLink = Buffer.from(`${"target/".repeat(30)}end\0`);
    const base256 = Buffer.from([0x80, 0, 0, 0, 0, 0, 0, 0x01]); // uid 1 in base-256
    const globalPax = Buffer.from("19 path=global/one\n");
    const tar = Buffer.concat([
      rawTarHeader({ name: "././@LongLink", typeflag: "L", size: longName.length, gnu: true }),
      pad(longName),
      rawTarHeader({ name: "././@LongLink", typeflag: "K", size: longLink.length, gnu: true }),
      pad(longLink),
      rawTarHeader({ name: "short", typeflag: "2", gnu: true }),
      rawTarHeader({ name: "file", typeflag: "0", prefix: "some/prefix" }),
      rawTarHeader({ name: "big-uid", typeflag: "0", uid: base256, size: 3 }),
      pad(Buffer.from("abc")),
      rawTarHeader({ name: "pax_global_header", typeflag: "g", size: globalPax.length }),
      pad(globalPax),
      rawTarHeader({ name: "after-global", typeflag: "0" }),
      rawTarHeader({ name: "olddir/", typeflag: "\0" }),
      rawTarHeader({ name: "unknown-type", typeflag: "S" }),
      end,
    ]);
    const expected = await tarStreamHeaders(tar);
    expect(expected.map((h) => h.name)).toEqual([
      `${"gnu/".repeat(40)}name`,
      "some/prefix/file",
      "big-uid",
      "after-global",
      "olddir/",
      "unknown-type",
    ]);
    // One deliberate difference: a type-0 name ending in "/" is a directory, as Go's archive/tar
    // (which writes and reads image layers) has it; tar-stream computes the type before that check.
    expected[4]!.type = "directory";
    expect(parse(tar, 100).headers).toEqual(expected);
    expect(parse(tar).headers[0]!.linkname).toBe(`${"target/".repeat(30)}end`);
    expect(parse(tar).headers[2]!.uid).toBe(1);
    expect(parse(tar).headers[4]!.type).toBe("directory");
    expect(parse(tar).headers[5]!.type).toBeNull();
  });

  const fixtures = join(
    process.env.DRYDOCK_FIXTURES ?? fileURLToPath(new URL("../../../shared/fixtures", import.meta.url)),
    "alpine",
  );
  const rootfs = existsSync(fixtures) ? readdirSync(fixtures).filter((f) => f.endsWith(".tar.gz")) : [];
  it.runIf(rootfs.length > 0)("on the Alpine minirootfs fixtures", async () => {
    for (const file of rootfs) {
      const tar = gunzipSync(readFileSync(join(fixtures, file)));
      const expected = await tarStreamHeaders(tar);
      expect(parse(tar, 65_536).headers).toEqual(expected);
    }
  });
});

describe("TarParser on damaged input", () => {
  it("fails on a truncated entry, a bad checksum and a non-tar", async () => {
    const tar = await packed([{ header: { name: "a" }, content: "x".repeat(2000) }]);
    expect(() => parse(tar.subarray(0, 1500))).toThrow(/truncated/);
    const bad = Buffer.from(tar);
    bad[10] = 0x41;
    expect(() => parse(bad)).toThrow(/bad header checksum at offset 0/);
    expect(() => parse(Buffer.alloc(512, 0x41))).toThrow(/not a valid tar layer/);
  });

  it("checks the checksum the same way at every alignment of the header in memory", async () => {
    const tar = await packed([{ header: { name: "dir/file", mode: 0o755, uid: 1000 }, content: "x" }]);
    // Every byte a checksum covers, raised to 0xff (the 16-bit lanes of the word sum at their fullest).
    const heavy = Buffer.from(tar);
    heavy.fill(0xff, 345, 500);
    const sum = [...heavy.subarray(0, 512)].reduce((n, b, i) => n + (i >= 148 && i < 156 ? 32 : b), 0);
    heavy.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "latin1");
    for (const source of [tar, heavy]) {
      const bad = Buffer.from(source);
      bad[300] = bad[300]! ^ 1;
      for (let shift = 0; shift < 8; shift++) {
        // The header at byteOffset `shift` of its memory: words when aligned, bytes otherwise.
        const memory = Buffer.alloc(source.length + 8);
        source.copy(memory, shift);
        const shifted = memory.subarray(shift, shift + source.length);
        expect(parse(shifted).headers[0]).toMatchObject({ mode: 0o755, uid: 1000 });
        bad.copy(memory, shift);
        expect(() => parse(shifted)).toThrow(/bad header checksum at offset 0/);
      }
    }
  });

  it("skips zero blocks and a missing end-of-archive marker", async () => {
    const tar = await packed([{ header: { name: "a" }, content: "1" }]);
    const withoutEnd = tar.subarray(0, 1024);
    expect(parse(withoutEnd).headers.map((h) => h.name)).toEqual(["a"]);
    expect(parse(Buffer.concat([Buffer.alloc(512), tar])).headers.map((h) => h.name)).toEqual(["a"]);
  });

  it("lets a caller pass over skipped data without reading it", async () => {
    const tar = await packed([
      { header: { name: "big" }, content: Buffer.alloc(100_000, 1) },
      { header: { name: "small" }, content: "s" },
    ]);
    const seen: string[] = [];
    const parser = new TarParser((h) => {
      seen.push(h.name);
      return undefined;
    }, "t");
    parser.feed(tar.subarray(0, 512));
    expect(parser.skippable).toBe(100_352);
    parser.skipped(100_352);
    parser.feed(tar.subarray(512 + 100_352));
    parser.end();
    expect(seen).toEqual(["big", "small"]);
  });
});

describe("parseTarFile", () => {
  it("reads a tar in a file like the whole tar in memory: dense runs, short skips and long jumps", async () => {
    // Runs of small files (the windows grow to 4 MiB), files a little larger than a window's
    // remainder (a short skip) and large ones (a jump, after which windows start small again).
    const entries: Array<{ header: { name: string }; content: Buffer }> = [];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      const size = i % 500 === 499 ? 3_000_000 + random(2_000_000) : i % 97 === 0 ? 150_000 : random(4000);
      entries.push({ header: { name: `f${i}` }, content: Buffer.alloc(size, i % 251) });
    }
    const tar = await packed(entries);
    const prefix = Buffer.alloc(1000, 0xee);
    const dir = mkdtempSync(join(tmpdir(), "drydock-tar-"));
    try {
      const path = join(dir, "outer");
      writeFileSync(path, Buffer.concat([prefix, tar, prefix]));
      const wanted = (name: string) => name.endsWith("7");
      const expected = parse(tar);
      const { parser, headers, contents } = recordingParser(wanted);
      const file = await open(path);
      try {
        await parseTarFile(parser, { file, start: prefix.length, size: tar.length });
      } finally {
        await file.close();
      }
      expect(headers).toEqual(expected.headers);
      const expectedContents = expected.headers.flatMap((h, i) =>
        wanted(h.name) ? [expected.contents[i]] : [],
      );
      expect(contents).toEqual(expectedContents);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

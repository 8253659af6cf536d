import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterAll, describe, expect, it } from "vitest";
import { DrydockError } from "../errors.ts";
import { decompress, decompressZstdFile } from "./decompress.ts";
import { parsePax, readNumber } from "./tar-parser.ts";
import { createTarSkeletonScanner } from "./tar-skeleton.ts";
import { makeTar } from "./test-helpers/tar.ts";
import { WorkerZstdDecompress, type ZstdFileOptions, ZstdFileReader } from "./zstd-worker.ts";

const zstd = createRequire(import.meta.url)("zstd-napi") as { compress(b: Buffer): Buffer };

/** Compressible but not trivial: repeated random runs. */
function sample(bytes: number): Buffer {
  const unit = randomBytes(4096);
  const out = Buffer.alloc(bytes);
  for (let at = 0; at < bytes; at += unit.length) unit.copy(out, at, 0, Math.min(unit.length, bytes - at));
  for (let at = 0; at < bytes; at += 100_003) out[at] = at & 0xff;
  return out;
}

function chunks(buffer: Buffer, size: number): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < buffer.length; at += size) yield buffer.subarray(at, at + size);
    })(),
  );
}

async function decompressAll(input: Buffer, chunkSize: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  await pipeline(chunks(input, chunkSize), new WorkerZstdDecompress(), async (source) => {
    for await (const part of source) parts.push(part as Buffer);
  });
  return Buffer.concat(parts);
}

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** Reads `stream` to its end (or error), noting the most ArrayBuffer memory held meanwhile. */
function drainMeasuringMemory(stream: AsyncIterable<unknown>): { done: Promise<void>; peak(): number } {
  const before = process.memoryUsage().arrayBuffers;
  let peak = 0;
  const done = (async () => {
    for await (const _ of stream) peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
  })();
  return { done, peak: () => peak };
}

describe("WorkerZstdDecompress", () => {
  it("decompresses in a worker, whatever the input chunking, several streams at once", async () => {
    const plain = sample(9 * 1024 * 1024 + 123);
    const packed = zstd.compress(plain);
    const results = await Promise.all([
      decompressAll(packed, 7919),
      decompressAll(packed, 3 * 1024 * 1024),
      decompressAll(Buffer.concat([packed, zstd.compress(Buffer.from("second frame"))]), 65_536),
    ]);
    expect(sha(results[0]!)).toBe(sha(plain));
    expect(sha(results[1]!)).toBe(sha(plain));
    expect(results[2]!.subarray(plain.length).toString()).toBe("second frame");
  });

  it("fails on a stream cut inside a frame and on garbage", async () => {
    const packed = zstd.compress(sample(2 * 1024 * 1024));
    await expect(decompressAll(packed.subarray(0, packed.length - 100), 65_536)).rejects.toThrow(
      /middle of compressed data frame/,
    );
    const garbage = Buffer.concat([packed.subarray(0, 4), randomBytes(5000)]);
    await expect(decompressAll(garbage, 4096)).rejects.toThrow();
  });

  it("keeps memory bounded on a decompression bomb: the expansion guard stops it", async () => {
    const bomb = zstd.compress(Buffer.alloc(256 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100_000);
    const { stream } = await decompress(Readable.from([bomb]), "bomb", {
      maxBytes: 16 * 1024 * 1024,
      maxRatio: 1000,
    });
    const drained = drainMeasuringMemory(stream);
    await expect(drained.done).rejects.toThrow(/exceeds 16777216 bytes/);
    expect(drained.peak()).toBeLessThan(64 * 1024 * 1024);
  });

  it("reuses the output blocks a reader gives back", async () => {
    const plain = randomBytes(5 * 1024 * 1024);
    const worker = new WorkerZstdDecompress();
    // One chunk at a time, as decompress()'s expansion guard passes them on.
    const oneByOne = new PassThrough({ highWaterMark: 1 });
    const done = pipeline(chunks(zstd.compress(plain), 100_000), worker, oneByOne);
    const { data, released } = await drainReleasing(oneByOne, (chunk) => worker.release(chunk));
    await done;
    expect(sha(data)).toBe(sha(plain));
    expect(released.some((chunk) => chunk.length === 0)).toBe(true);
  });

  it("a stream destroyed halfway does not hang and leaves the next stream working", async () => {
    // Incompressible, so that half the input fills the 2 MiB blocks sent to the worker.
    const plain = randomBytes(8 * 1024 * 1024);
    const packed = zstd.compress(plain);
    const first = new WorkerZstdDecompress();
    first.write(packed.subarray(0, packed.length >> 1));
    await new Promise((resolve) => first.once("data", resolve));
    first.destroy();
    await new Promise((resolve) => first.once("close", resolve));
    expect(sha(await decompressAll(packed, 1 << 20))).toBe(sha(plain));
  });
});

/** Reads a stream to the end, copying each chunk and then giving it back with `release`. */
async function drainReleasing(
  stream: AsyncIterable<unknown>,
  release: (chunk: Buffer) => void,
): Promise<{ data: Buffer; released: Buffer[] }> {
  const parts: Buffer[] = [];
  const released: Buffer[] = [];
  for await (const chunk of stream) {
    parts.push(Buffer.from(chunk as Buffer));
    release(chunk as Buffer);
    released.push(chunk as Buffer);
  }
  return { data: Buffer.concat(parts), released };
}

const dir = mkdtempSync(join(tmpdir(), "drydock-zstd-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** Writes `blob` into a file between other bytes, as a layer sits inside an oci-archive tar. */
function embedded(blob: Buffer, before = 1536, after = 4096): { path: string; start: number; size: number } {
  const path = join(dir, `blob-${files++}`);
  writeFileSync(path, Buffer.concat([randomBytes(before), blob, randomBytes(after)]));
  return { path, start: before, size: blob.length };
}

/** Reads a ZstdFileReader to the end; with `release`, gives every chunk back once hashed. */
async function readFile(
  range: { path: string; start: number; size: number },
  options: ZstdFileOptions & { release?: boolean } = {},
): Promise<{ sha: string; bytes: number; compressed: number }> {
  const reader = new ZstdFileReader(range, options);
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of reader) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
    if (options.release) reader.release(chunk as Buffer);
  }
  return { sha: hash.digest("hex"), bytes, compressed: reader.compressedBytes };
}

const openDescriptors = () => readdirSync("/proc/self/fd").length;

describe("ZstdFileReader (the worker reads a local file itself)", () => {
  it("decompresses a byte range inside a larger file, several files at once", async () => {
    const plain = sample(9 * 1024 * 1024 + 123);
    const packed = zstd.compress(plain);
    const twoFrames = Buffer.concat([packed, zstd.compress(Buffer.from("second frame"))]);
    const [first, second, third] = await Promise.all([
      readFile(embedded(packed)),
      readFile(embedded(packed, 0, 0), { release: true }),
      readFile(embedded(twoFrames, 777, 1)),
    ]);
    expect(first).toEqual({ sha: sha(plain), bytes: plain.length, compressed: packed.length });
    expect(second.sha).toBe(sha(plain));
    expect(third.sha).toBe(sha(Buffer.concat([plain, Buffer.from("second frame")])));
  });

  it("reuses the blocks a reader gives back: the released chunk is detached, the data intact", async () => {
    const plain = randomBytes(6 * 1024 * 1024);
    const reader = new ZstdFileReader(embedded(zstd.compress(plain)));
    const { data, released } = await drainReleasing(reader, (chunk) => reader.release(chunk));
    expect(sha(data)).toBe(sha(plain));
    // Lent to the worker again: a view kept by mistake reads as empty, never as other data.
    expect(released.some((chunk) => chunk.length === 0)).toBe(true);
  });

  it("hashes what it reads when asked, and fails at the end on a mismatch", async () => {
    const packed = zstd.compress(sample(3 * 1024 * 1024));
    const range = embedded(packed);
    const expected = createHash("sha256").update(packed).digest("hex");
    const seen: string[] = [];
    const check = (hex: string) => {
      seen.push(hex);
      return hex === expected ? undefined : new DrydockError("DIGEST_MISMATCH", "bad");
    };
    await readFile(range, { hash: { algorithm: "sha256", check } });
    expect(seen).toEqual([expected]);
    const lying = { algorithm: "sha256", check: () => new DrydockError("DIGEST_MISMATCH", "lying digest") };
    await expect(readFile(range, { hash: lying })).rejects.toThrow(/lying digest/);
  });

  it("fails on a frame cut short, on a file shorter than the range, and on garbage", async () => {
    const packed = zstd.compress(sample(2 * 1024 * 1024));
    await expect(readFile(embedded(packed.subarray(0, packed.length - 100), 0, 0))).rejects.toThrow(
      /middle of compressed data frame/,
    );
    const short = embedded(packed.subarray(0, packed.length - 100), 0, 0);
    await expect(readFile({ ...short, size: packed.length })).rejects.toThrow(/ends before the blob/);
    const garbage = Buffer.concat([packed.subarray(0, 4), randomBytes(5000)]);
    await expect(readFile(embedded(garbage))).rejects.toThrow();
    await expect(readFile({ path: join(dir, "missing"), start: 0, size: 10 })).rejects.toThrow(/ENOENT/);
  });

  it("keeps memory bounded on a decompression bomb: the expansion guard stops it", async () => {
    const bomb = zstd.compress(Buffer.alloc(256 * 1024 * 1024));
    const { stream } = decompressZstdFile(embedded(bomb), "bomb", {
      maxBytes: 1024 * 1024 ** 3,
      maxRatio: 100,
    });
    const drained = drainMeasuringMemory(stream);
    await expect(drained.done).rejects.toThrow(/expands more than 100x/);
    expect(drained.peak()).toBeLessThan(64 * 1024 * 1024);
  });

  it("sends only the tar's skeleton when asked, and counts the whole tar", async () => {
    const tar = await makeTar([
      { name: "noise", content: randomBytes(3 * 1024 * 1024) },
      ...Array.from({ length: 3000 }, (_, i) => ({ name: `many/file-${i}`, content: sample(700 + i) })),
      { name: `long/${"name/".repeat(40)}end`, content: "x" },
    ]);
    const scanned: Buffer[] = [];
    createTarSkeletonScanner(
      (c, s, e) => scanned.push(Buffer.from(c.subarray(s, e))),
      readNumber,
      parsePax,
    ).scan(tar, 0, tar.length);
    const decompressed = decompressZstdFile(embedded(zstd.compress(tar)), "layer", undefined, {
      skeleton: true,
    });
    const parts: Buffer[] = [];
    for await (const chunk of decompressed.stream) {
      parts.push(Buffer.from(chunk as Buffer));
      decompressed.release?.(chunk as Buffer);
    }
    expect(decompressed.skeleton).toBe(true);
    expect(Buffer.concat(parts).equals(Buffer.concat(scanned))).toBe(true);
    expect(decompressed.decompressedBytes()).toBe(tar.length);
  });

  it("applies the expansion limits to a skeleton while the worker skips a large file's data", async () => {
    /** A tar of one file of `size` zero bytes (no end marker). */
    const zeros = async (size: number) => {
      const header = (await makeTar([{ name: "zeros", content: "" }])).subarray(0, 512);
      header.write(`${size.toString(8).padStart(11, "0")}\0`, 124);
      header.fill(0x20, 148, 156);
      const sum = header.reduce((n, b) => n + b, 0);
      header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "latin1");
      const tar = Buffer.alloc(512 + size);
      header.copy(tar);
      return zstd.compress(tar);
    };
    const skeleton = { skeleton: true };
    const bomb = decompressZstdFile(
      embedded(await zeros(256 << 20)),
      "bomb",
      { maxBytes: 1 << 30, maxRatio: 100 },
      skeleton,
    );
    await expect(drainMeasuringMemory(bomb.stream).done).rejects.toThrow(/expands more than 100x/);
    // The header goes out with the first progress report (64 MiB); only the end tells the size.
    const large = decompressZstdFile(
      embedded(await zeros(100 << 20)),
      "large",
      { maxBytes: 80 << 20, maxRatio: 1e9 },
      skeleton,
    );
    await expect(drainMeasuringMemory(large.stream).done).rejects.toThrow(/exceeds 83886080 bytes/);
  });

  it("a reader destroyed halfway ends its worker, closes the file, and the next read works", async () => {
    const plain = randomBytes(8 * 1024 * 1024);
    const range = embedded(zstd.compress(plain));
    await readFile(range); // the pool has a worker, and the file was closed once read
    const descriptors = openDescriptors();
    const first = new ZstdFileReader(range);
    await new Promise((resolve) => first.once("data", resolve));
    first.destroy();
    await new Promise((resolve) => first.once("close", resolve));
    expect(openDescriptors()).toBeLessThanOrEqual(descriptors);
    expect((await readFile(range)).sha).toBe(sha(plain));
  });
});

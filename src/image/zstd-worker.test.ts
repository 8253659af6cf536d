import { createHash, randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { decompress } from "./decompress.ts";
import { WorkerZstdDecompress } from "./zstd-worker.ts";

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
    const before = process.memoryUsage().arrayBuffers;
    let peak = 0;
    await expect(
      (async () => {
        for await (const _ of stream) peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
      })(),
    ).rejects.toThrow(/exceeds 16777216 bytes/);
    expect(peak).toBeLessThan(64 * 1024 * 1024);
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

/**
 * Baseline for the image-read benchmark: decompress layer blobs to nowhere, `--jobs` at a time
 * (default 2), with Node alone: no digest, no tar parsing. `--codec gzip` is zlib's gunzip with
 * 1 MiB output chunks (about 2.5x faster than the 16 KiB default); `--codec zstd` is Node's
 * built-in zlib zstd when present (Node >= 22.15), else the zstd-napi binding drydock uses.
 *
 *   node bench/image-read/decompress-layers.mjs --codec gzip [--jobs 2] BLOB...
 *
 * Prints the decompressed byte count to stderr (a sanity check for the harness).
 */
import { createReadStream } from "node:fs";
import { createRequire } from "node:module";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import * as zlib from "node:zlib";

const CHUNK = 1 << 20;

function decompressor(codec) {
  if (codec === "gzip") return zlib.createGunzip({ chunkSize: CHUNK });
  if (codec === "zstd") {
    if (zlib.createZstdDecompress) return zlib.createZstdDecompress({ chunkSize: CHUNK });
    const { DecompressStream } = createRequire(import.meta.url)("zstd-napi");
    return new DecompressStream();
  }
  throw new Error(`unknown codec ${codec}`);
}

let total = 0;
/** /dev/null in-process: counts and drops every chunk. */
const discard = () =>
  new Writable({
    highWaterMark: CHUNK,
    write(chunk, _encoding, callback) {
      total += chunk.length;
      callback();
    },
  });

async function main() {
  const args = process.argv.slice(2);
  let codec = "gzip";
  let jobs = 2;
  const files = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--codec") codec = args[++i];
    else if (args[i] === "--jobs") jobs = Number(args[++i]);
    else files.push(args[i]);
  }
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++];
      await pipeline(createReadStream(file, { highWaterMark: CHUNK }), decompressor(codec), discard());
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, worker));
  process.stderr.write(`${JSON.stringify({ files: files.length, bytes: total })}\n`);
}

await main();

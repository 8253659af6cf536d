/**
 * Layer decompression chosen by magic bytes, never by media type alone (a registry or archive
 * may lie): gzip `1f 8b`, zstd `28 b5 2f fd` (RFC 8878 §3.1.1), anything else is read as a
 * plain tar. zstd uses Node's built-in zlib zstd where it exists (Node >= 22.15), else the
 * native zstd-napi binding in a worker thread (zstd-worker.ts), so that layers decompress in
 * parallel as gzip layers do in zlib's thread pool. A zstd blob in a local file is read by the
 * worker itself (`decompressZstdFile`), on every Node version: see ZSTD_FILE_NOTE.
 */
import {
  type Duplex,
  PassThrough,
  pipeline,
  type Readable,
  Transform,
  type TransformCallback,
} from "node:stream";
import * as zlib from "node:zlib";
import { DrydockError } from "../errors.ts";
import {
  WorkerZstdDecompress,
  type ZstdFileOptions,
  type ZstdFileRange,
  ZstdFileReader,
  zstdWorkerAvailable,
} from "./zstd-worker.ts";

export type Compression = "gzip" | "zstd" | "none";

/** 1 MiB output chunks: Node's zlib is ~2.5x faster than with the 16 KiB default. */
const CHUNK_SIZE = 1 << 20;

export function sniffCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return "gzip";
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd)
    return "zstd";
  return "none";
}

type ZlibWithZstd = typeof zlib & { createZstdDecompress?: (options?: { chunkSize?: number }) => Duplex };

export function createDecompressor(kind: Compression): Duplex {
  if (kind === "gzip") return zlib.createGunzip({ chunkSize: CHUNK_SIZE });
  if (kind === "zstd") {
    const builtIn = (zlib as ZlibWithZstd).createZstdDecompress;
    if (builtIn) return builtIn({ chunkSize: CHUNK_SIZE });
    return napiZstdStream();
  }
  return new PassThrough({ highWaterMark: CHUNK_SIZE });
}

function napiZstdStream(): Duplex {
  if (!zstdWorkerAvailable()) {
    throw new DrydockError("ZSTD_UNAVAILABLE", "zstd layers need Node >= 22.15 or the zstd-napi package");
  }
  return new WorkerZstdDecompress();
}

export interface ExpansionLimits {
  /** Largest decompressed size accepted for one layer, in bytes. */
  maxBytes: number;
  /** Largest ratio of decompressed to compressed bytes (decompression bombs). */
  maxRatio: number;
}

export const DEFAULT_EXPANSION_LIMITS: ExpansionLimits = {
  maxBytes: 64 * 1024 ** 3,
  maxRatio: 1000,
};

/** Reads at least `count` bytes (or to the end) without consuming them. */
export async function peek(source: Readable, count: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < count) {
    const chunk: Buffer | null = source.read();
    if (chunk === null) {
      if (source.readableEnded) break;
      const ended = await new Promise<boolean>((resolve, reject) => {
        const onReadable = () => done(false);
        const onEnd = () => done(true);
        const onError = (error: Error) => {
          cleanup();
          reject(error);
        };
        const cleanup = () => {
          source.off("readable", onReadable);
          source.off("end", onEnd);
          source.off("error", onError);
        };
        const done = (value: boolean) => {
          cleanup();
          resolve(value);
        };
        source.once("readable", onReadable);
        source.once("end", onEnd);
        source.once("error", onError);
      });
      if (ended) break;
      continue;
    }
    chunks.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(chunks);
  if (head.length > 0) source.unshift(head);
  return head;
}

/** Compressed input is handed to the decompressor in blocks of this size at least. */
const INPUT_BLOCK = 1 << 20;

/**
 * Counts compressed bytes; with `coalesce`, gathers small chunks into blocks of INPUT_BLOCK
 * bytes. HTTP bodies arrive in 64 KiB pieces and zlib pays a thread-pool round trip for every
 * chunk written to it: reading a 830 MB image from a registry cost 1.6 s of main-thread time in
 * zlib's processChunk alone, against 0.3 s with the same bytes in 1 MiB blocks.
 */
class ByteCounter extends Transform {
  bytes = 0;
  private readonly coalesce: boolean;
  private block: Buffer | null = null;
  private filled = 0;

  constructor(coalesce: boolean) {
    super({ highWaterMark: 1 << 16 });
    this.coalesce = coalesce;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (!this.coalesce || (this.filled === 0 && chunk.length >= INPUT_BLOCK / 4)) {
      callback(null, chunk);
      return;
    }
    let pos = 0;
    while (pos < chunk.length) {
      this.block ??= Buffer.allocUnsafe(INPUT_BLOCK);
      const copied = chunk.copy(this.block, this.filled, pos);
      this.filled += copied;
      pos += copied;
      if (this.filled === INPUT_BLOCK) {
        this.push(this.block);
        this.block = null;
        this.filled = 0;
      }
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.block !== null && this.filled > 0) this.push(this.block.subarray(0, this.filled));
    this.block = null;
    callback();
  }
}

/**
 * Counts decompressed bytes and fails the stream past the expansion limits. Given `decompressed`
 * (a tar skeleton's stream, whose chunks are not the decompressed bytes), it takes the count
 * from there, and `check` applies the limits between chunks.
 */
class ExpansionGuard extends Transform {
  private counted = 0;
  /** Compressed bytes read so far. */
  private readonly compressed: () => number;
  private readonly decompressed: (() => number) | undefined;
  private readonly compression: Compression;
  private readonly limits: ExpansionLimits;
  private readonly label: string;

  constructor(
    compressed: () => number,
    compression: Compression,
    limits: ExpansionLimits,
    label: string,
    decompressed?: () => number,
  ) {
    super({ highWaterMark: 1 << 16 });
    this.compressed = compressed;
    this.decompressed = decompressed;
    this.compression = compression;
    this.limits = limits;
    this.label = label;
  }

  /** Decompressed bytes so far. */
  get bytes(): number {
    return this.decompressed === undefined ? this.counted : this.decompressed();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.counted += chunk.length;
    const error = this.limitError();
    if (error) callback(error);
    else callback(null, chunk);
  }

  /** Fails the stream when the decompressed bytes exceed the limits. */
  check(): void {
    const error = this.limitError();
    if (error) this.destroy(error);
  }

  private limitError(): DrydockError | undefined {
    const bytes = this.bytes;
    if (bytes > this.limits.maxBytes) {
      return new DrydockError(
        "LAYER_TOO_LARGE",
        `${this.label}: decompressed size exceeds ${this.limits.maxBytes} bytes (raise --max-layer-size)`,
      );
    }
    const minimumForRatio = 64 * 1024 * 1024;
    if (
      this.compression !== "none" &&
      bytes > minimumForRatio &&
      bytes > this.compressed() * this.limits.maxRatio
    ) {
      return new DrydockError(
        "DECOMPRESSION_BOMB",
        `${this.label}: expands more than ${this.limits.maxRatio}x its compressed size (possible decompression bomb)`,
      );
    }
    return undefined;
  }
}

export interface DecompressedStream {
  stream: Readable;
  compression: Compression;
  /** Compressed bytes read so far. */
  compressedBytes(): number;
  /** Decompressed bytes produced so far. */
  decompressedBytes(): number;
  /**
   * Present when the stream can reuse the memory of its chunks: a reader that keeps no
   * reference to a chunk (nor a view of it) once parsed gives it back here.
   */
  release?: (chunk: Buffer) => void;
  /**
   * True when the stream is the tar's skeleton (tar-skeleton.ts), not the tar: read it with
   * TarParser's `dataOmitted`; `decompressedBytes()` is the tar's length.
   */
  skeleton?: boolean;
}

/**
 * Sniffs the compression of `source` and returns the decompressed stream (back-pressure kept
 * through stream.pipeline; an error anywhere destroys the whole chain).
 */
export async function decompress(
  source: Readable,
  label: string,
  limits: ExpansionLimits = DEFAULT_EXPANSION_LIMITS,
): Promise<DecompressedStream> {
  const head = await peek(source, 4);
  const compression = sniffCompression(head);
  const counter = new ByteCounter(compression !== "none");
  const guard = new ExpansionGuard(() => counter.bytes, compression, limits, label);
  const decompressor = createDecompressor(compression);
  // The first error anywhere destroys `guard` with it; readers wrap foreign errors with the label.
  pipeline(source, counter, decompressor, guard, () => {});
  return {
    stream: guard,
    compression,
    compressedBytes: () => counter.bytes,
    decompressedBytes: () => guard.bytes,
    release:
      decompressor instanceof WorkerZstdDecompress ? (chunk) => decompressor.release(chunk) : undefined,
  };
}

/**
 * Decompresses a zstd blob stored at `range` of a local file (ZSTD_FILE_NOTE): a worker reads
 * the file itself (ZstdFileReader) rather than a file stream feeding a decompressor. Callers use
 * it whenever `zstdWorkerAvailable()`, on Node 20 and on Node >= 22.15 alike: on Node 24,
 * `inspect` of the benchmark's zstd layout (747 MiB -> 2.3 GB) took 2.74 s wall / 3.00 s CPU
 * this way against 3.21 s / 3.32 s with zlib's built-in zstd (bench/image-read/README.md, "zstd
 * from local files"). With `hash`, the worker hashes the compressed bytes as it reads them and
 * the stream fails at its end when `hash.check` returns an error (a digest mismatch). With
 * `skeleton`, the stream is the tar's skeleton (see DecompressedStream.skeleton).
 */
export function decompressZstdFile(
  range: ZstdFileRange,
  label: string,
  limits: ExpansionLimits = DEFAULT_EXPANSION_LIMITS,
  options: ZstdFileOptions = {},
): DecompressedStream {
  const reader = new ZstdFileReader(range, options);
  const skeleton = options.skeleton === true;
  const decompressed = skeleton ? () => reader.decompressedBytes : undefined;
  const guard = new ExpansionGuard(() => reader.compressedBytes, "zstd", limits, label, decompressed);
  // A skeleton may not grow while the worker skips a large file's data: it reports progress.
  if (skeleton) reader.on("progress", () => guard.check());
  pipeline(reader, guard, () => {});
  return {
    stream: guard,
    compression: "zstd",
    compressedBytes: () => reader.compressedBytes,
    decompressedBytes: () => guard.bytes,
    release: (chunk) => reader.release(chunk),
    skeleton,
  };
}

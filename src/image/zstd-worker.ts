/**
 * zstd decompression beside the main thread, as zlib's gunzip runs in libuv's thread pool.
 * zstd-napi's DecompressStream works synchronously on the thread that calls it, so two zstd
 * layers read "in parallel" took turns on the main thread (3.4x the time of two `zstd -dc`
 * processes on the benchmark image). Here each stream borrows a worker thread from a small
 * pool; the worker drives the native binding (`DCtx.decompressStream`, i.e.
 * ZSTD_decompressStream) and sends back output blocks, transferred rather than copied.
 *
 * Two ways in:
 * - `WorkerZstdDecompress`, a Transform for streams (registry bodies): the main thread copies
 *   the input into blocks and posts them.
 * - `ZstdFileReader`, a Readable for a byte range of a local file: the worker reads the file
 *   itself with positioned reads (and hashes it when asked). The main thread then only takes
 *   output blocks: on the benchmark image it spent ~0.5 s reading, copying and posting input
 *   for two workers, as much as a third of the decompression time. With `skeleton` (a reader
 *   that captures no file), the worker sends only the tar's headers (tar-skeleton.ts).
 *
 * Flow control: the main side sends one input block at a time (the next after an `ack`), and
 * the worker may have at most CREDITS output blocks unconsumed; a credit returns when the
 * readable side takes a block. So memory stays bounded even for a decompression bomb, which the
 * ExpansionGuard downstream then stops.
 */
import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";
import { createRequire } from "node:module";
import { Readable, Transform, type TransformCallback } from "node:stream";
import type { Worker } from "node:worker_threads";
import { workerThreads } from "../builtins.ts";
import { parsePax, readNumber } from "./tar-parser.ts";
import { createTarSkeletonScanner } from "./tar-skeleton.ts";

/**
 * Bytes per message, each way. A message costs the main thread about 0.1-0.2 ms on a busy
 * machine (it wakes the other thread): 2 MiB blocks keep that under 2% of the work.
 */
const INPUT_BLOCK = 2 * 1024 * 1024;
const OUTPUT_BLOCK = 1024 * 1024;
/**
 * Bytes per read when the worker reads a file: small enough to stay in the CPU's cache between
 * the read and the decompressor (128-512 KiB decompress as fast as the zstd CLI).
 */
const FILE_READ_SIZE = 128 * 1024;
/**
 * An output block is sent once it has less room than this left. Calls to decompressStream with
 * less room than a zstd block (128 KiB, RFC 8878 §3.1.1.2.4) are slow: filling every block to
 * the last byte made the workers take 1.25-1.45 s of CPU each on the benchmark's zstd layers,
 * against 0.95-1.05 s this way (as fast as decompressing into one reused buffer).
 */
const MIN_OUTPUT_SPACE = 128 * 1024;
/**
 * Without capture, the worker decompresses into one buffer of this size, reused (it stays in
 * the worker's cache), and sends only the tar's skeleton (tar-skeleton.ts).
 */
const SCRATCH_SIZE = 1024 * 1024;
/**
 * A worker sending a skeleton reports its progress at least every this many bytes of tar, so
 * that the main thread applies the expansion limits while it skips the data of large files.
 */
const PROGRESS_BYTES = 64 * 1024 * 1024;
/** Output blocks a worker may have in flight before it waits for the reader. */
const CREDITS = 4;
/** Credits go back in batches. */
const CREDIT_BATCH = 2;

/**
 * The worker: plain CommonJS, evaluated (no file to find next to compiled or test sources).
 * Its input is either blocks sent by the main thread (`queue`) or a byte range of a file it
 * reads itself with positioned reads (`file`), hashing what it reads when asked to. Its output
 * is the decompressed bytes, or for a file read with `skeleton`, the tar's skeleton made by the
 * scanner of tar-skeleton.ts (its source and the tar functions it needs are put in the text).
 */
const WORKER_SOURCE = `
const createTarSkeletonScanner = (${createTarSkeletonScanner});
const readNumber = (${readNumber});
const parsePax = (${parsePax});
const { parentPort, workerData } = require("node:worker_threads");
const { readSync } = require("node:fs");
const { createHash } = require("node:crypto");
const binding = require(workerData.binding);
const READ_SIZE = workerData.readSize;
const MIN_SPACE = workerData.minSpace;
const SCRATCH_SIZE = workerData.scratchSize;
const PROGRESS_BYTES = workerData.progressBytes;
let dctx = null, queue = [], src = null, srcBuffer = null, ending = false, inFrame = false, empty = [], failed = false;
let file = null, readBuffer = null, filled = 0;
/** Skeleton mode: the scanner, the buffer decompressed into, the skeleton waiting for blocks. */
let scanner = null, skeletonScanner = null, scratch = null, staged = null, stagedStart = 0, stagedEnd = 0;
/** Decompressed bytes, and how many the last message reported. */
let produced = 0, reported = 0;
function post(message, transfer) { parentPort.postMessage(message, transfer); }
const compressedRead = () => (file === null ? 0 : file.position - file.start);
/** Sends the output block being filled (messages cost more than bytes: only full ones, but at a pause). */
function flush() {
  if (filled === 0) return;
  const dst = empty.pop();
  post({ type: "out", chunk: new Uint8Array(dst.buffer, 0, filled), read: compressedRead(), produced }, [dst.buffer]);
  filled = 0;
  reported = produced;
}
function finish(digest) {
  if (inFrame) throw new Error("Stream ended in middle of compressed data frame");
  flush();
  post({ type: "done", digest, produced });
}
function finishFile() {
  finish(file.hash === null ? undefined : file.hash.digest("hex"));
  file = null;
}
/** Reads the file's next piece into src. */
function readFile() {
  const n = readSync(file.fd, readBuffer, 0, Math.min(READ_SIZE, file.left), file.position);
  if (n === 0) throw new Error("the file ends before the blob does (truncated)");
  src = n === READ_SIZE ? readBuffer : readBuffer.subarray(0, n);
  if (file.hash !== null) file.hash.update(src);
  file.position += n;
  file.left -= n;
}
function fail(error) {
  failed = true;
  file = null;
  post({ type: "error", message: String(error && error.message || error) });
}
/** Takes the next input: false when there is none yet, or none left (then "done" is sent). */
function nextSource() {
  if (file !== null) {
    if (file.left === 0) {
      finishFile();
      return false;
    }
    readFile();
    return true;
  }
  if (queue.length === 0) {
    if (ending) {
      ending = false;
      finish(undefined);
    } else flush(); // the main thread has no input for now: send what there is
    return false;
  }
  src = queue.shift();
  srcBuffer = src.buffer;
  return true;
}
function pump() {
  try {
    while (!failed) {
      if (empty.length === 0) return;
      if (src === null && !nextSource()) return;
      const dst = empty[empty.length - 1];
      const out = filled === 0 ? dst : dst.subarray(filled);
      const [ret, made, consumed] = dctx.decompressStream(out, src);
      src = src.subarray(consumed);
      filled += made;
      produced += made;
      if (dst.length - filled < MIN_SPACE) flush();
      if (src.length === 0 && (made < out.length || ret === 0)) {
        inFrame = ret !== 0;
        src = null;
        if (srcBuffer !== null) {
          // The input block goes back to be filled again: no garbage piles up in this thread.
          post({ type: "ack", buffer: srcBuffer }, [srcBuffer]);
          srcBuffer = null;
        }
      }
    }
  } catch (error) {
    fail(error);
  }
}
/** Keeps skeleton bytes (the scanner's) until output blocks take them. */
function stage(chunk, start, end) {
  chunk.copy(staged, stagedEnd, start, end);
  stagedEnd += end - start;
}
/** Copies the staged skeleton into output blocks: false while it waits for one. */
function drainStaged() {
  while (stagedStart < stagedEnd) {
    if (empty.length === 0) return false;
    const dst = empty[empty.length - 1];
    const n = Math.min(dst.length - filled, stagedEnd - stagedStart);
    staged.copy(dst, filled, stagedStart, stagedStart + n);
    filled += n;
    stagedStart += n;
    if (filled === dst.length) flush();
  }
  stagedStart = stagedEnd = 0;
  return true;
}
/**
 * Skeleton mode: decompresses into the scratch buffer and scans it; what the scanner keeps
 * (never more than it scanned) is staged, then copied into output blocks before the next call.
 */
function pumpSkeleton() {
  try {
    while (!failed && file !== null) {
      if (!drainStaged()) return;
      if (src === null) {
        if (file.left === 0) {
          finishFile();
          return;
        }
        readFile();
      }
      const [ret, made, consumed] = dctx.decompressStream(scratch, src);
      src = src.subarray(consumed);
      produced += made;
      if (made > 0) scanner.scan(scratch, 0, made);
      if (src.length === 0 && (made < scratch.length || ret === 0)) {
        inFrame = ret !== 0;
        src = null;
      }
      if (produced - reported >= PROGRESS_BYTES) {
        if (filled > 0) flush();
        else {
          post({ type: "progress", read: compressedRead(), produced });
          reported = produced;
        }
      }
    }
  } catch (error) {
    fail(error);
  }
}
parentPort.on("message", (m) => {
  if (m.type === "start") {
    // One context per worker, reset for each stream: its window buffer is allocated once.
    if (dctx === null) dctx = new binding.DCtx();
    else dctx.reset(binding.ResetDirective.sessionAndParameters);
    queue = []; src = null; srcBuffer = null; ending = false; inFrame = false; failed = false; empty = []; file = null; filled = 0;
    scanner = null; stagedStart = stagedEnd = 0; produced = reported = 0;
    if (m.file) {
      readBuffer ??= Buffer.allocUnsafe(READ_SIZE);
      const { fd, start, size, algorithm, skeleton } = m.file;
      file = { fd, start, position: start, left: size, hash: algorithm ? createHash(algorithm) : null };
      if (skeleton) {
        scratch ??= Buffer.allocUnsafe(SCRATCH_SIZE);
        staged ??= Buffer.allocUnsafe(SCRATCH_SIZE);
        skeletonScanner ??= createTarSkeletonScanner(stage, readNumber, parsePax);
        skeletonScanner.reset();
        scanner = skeletonScanner;
      }
    }
  } else if (m.type === "data") queue.push(Buffer.from(m.chunk.buffer, m.chunk.byteOffset, m.chunk.byteLength));
  else if (m.type === "end") ending = true;
  // "start" and "credit" bring empty output blocks: the worker fills them, never allocates.
  if (m.blocks) for (const b of m.blocks) empty.push(Buffer.from(b));
  if (scanner === null) pump();
  else pumpSkeleton();
});
`;

type FromWorker =
  | { type: "out"; chunk: Uint8Array; read: number; produced: number }
  | { type: "progress"; read: number; produced: number }
  | { type: "ack"; buffer: ArrayBuffer }
  | { type: "done"; digest?: string; produced: number }
  | { type: "error"; message: string };

/**
 * Output blocks are allocated here and lent to the worker: memory freed by a thread goes back
 * to that thread's malloc arena, and blocks made in the workers but freed here left ~100 MB of
 * arenas behind on the benchmark image. Not zero-filled: the worker overwrites what it sends.
 */
function newBlock(): ArrayBuffer {
  return Buffer.allocUnsafeSlow(OUTPUT_BLOCK).buffer as ArrayBuffer;
}

/** Idle workers, kept for the next layer (unreferenced: they never hold the process open). */
const idle: Worker[] = [];
let bindingPath: string | undefined;

/** The zstd-napi binding's file; throws when the package is not installed. */
function bindingFile(): string {
  bindingPath ??= createRequire(import.meta.url).resolve("zstd-napi/binding");
  return bindingPath;
}

/** Whether the zstd-napi binding is installed (it is a dependency, but a native one). */
export function zstdWorkerAvailable(): boolean {
  try {
    bindingFile();
    return true;
  } catch {
    return false;
  }
}

function acquireWorker(): Worker {
  const reused = idle.pop();
  if (reused) {
    reused.ref();
    return reused;
  }
  return new (workerThreads().Worker)(WORKER_SOURCE, {
    eval: true,
    // Throws when zstd-napi is not installed (callers check zstdWorkerAvailable first).
    workerData: {
      binding: bindingFile(),
      readSize: FILE_READ_SIZE,
      minSpace: MIN_OUTPUT_SPACE,
      scratchSize: SCRATCH_SIZE,
      progressBytes: PROGRESS_BYTES,
    },
    // The worker holds a few blocks and no JS objects to speak of: a small heap keeps RSS down.
    resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 16 },
  });
}

function releaseWorker(worker: Worker): void {
  worker.removeAllListeners("message");
  worker.removeAllListeners("error");
  worker.unref();
  if (idle.length < 4) idle.push(worker);
  else void worker.terminate();
}

/** A worker interrupted mid-stream holds state we cannot trust: it is ended, not reused. */
function endWorker(worker: Worker): Promise<void> {
  worker.removeAllListeners("message");
  return worker.terminate().then(
    () => undefined,
    () => undefined,
  );
}

/** Blocks given back by a reader (see `release`) kept for the next credits, at most. */
const SPARE_BLOCKS = CREDITS * 2;

/**
 * The output side both streams share: blocks pushed as they come, credits returned (in
 * batches) when the reader takes them, as blocks the reader gave back when it did (`release`),
 * else new ones. Reusing blocks spares the allocation and, above all, the page faults of fresh
 * memory: without it, reading the benchmark's zstd layers touched ~100,000 more pages (0.4 s
 * of system time).
 */
class OutputCredits {
  private owed = 0;
  private readonly stream: Readable;
  private readonly worker: () => Worker | null;
  /** Output blocks this stream pushed, to recognise them when they are given back. */
  private readonly pushed = new WeakSet<ArrayBuffer>();
  private readonly spare: ArrayBuffer[] = [];

  constructor(stream: Readable, worker: () => Worker | null) {
    this.stream = stream;
    this.worker = worker;
  }

  /** Blocks for the worker to fill. */
  blocks(count: number): ArrayBuffer[] {
    const blocks: ArrayBuffer[] = [];
    for (let i = 0; i < count; i++) {
      blocks.push(this.spare.pop() ?? newBlock());
    }
    return blocks;
  }

  /** Pushes an output block; the credit goes back at once when the reader keeps up. */
  take(chunk: Uint8Array): void {
    this.owed++;
    const { buffer, byteOffset, byteLength } = chunk;
    // A transferred buffer arrives as a new object: it is recognised by that one.
    this.pushed.add(buffer as ArrayBuffer);
    if (this.stream.push(Buffer.from(buffer, byteOffset, byteLength)) && this.owed >= CREDIT_BATCH) {
      this.give();
    }
  }

  /** The reader wants more: return what was taken, in batches unless the worker is stalled. */
  wanted(): void {
    if (this.owed >= CREDIT_BATCH || this.owed === CREDITS) this.give();
  }

  /**
   * The reader is done with a chunk it read and keeps no reference to it (nor to any view of
   * its memory): its block may be lent again. Transferring it detaches every view, so a view
   * kept by mistake would read as empty, never as other data.
   */
  release(chunk: Buffer): void {
    const block = chunk.buffer as ArrayBuffer;
    if (!this.pushed.has(block) || block.byteLength !== OUTPUT_BLOCK) return;
    this.pushed.delete(block);
    if (this.spare.length < SPARE_BLOCKS) this.spare.push(block);
  }

  private give(): void {
    const worker = this.worker();
    if (this.owed === 0 || !worker) return;
    const blocks = this.blocks(this.owed);
    worker.postMessage({ type: "credit", blocks }, blocks);
    this.owed = 0;
  }
}

export class WorkerZstdDecompress extends Transform {
  private worker: Worker | null;
  /** What to do once the worker has taken the block in flight. */
  private pending: (() => void) | null = null;
  private flushed: TransformCallback | null = null;
  private readonly credits: OutputCredits;
  /** Input blocks the worker gave back, to copy the next chunks into. */
  private readonly spare: ArrayBuffer[] = [];

  constructor() {
    // Room for every block the worker may have in flight, so that credits go back in batches.
    super({ readableHighWaterMark: CREDITS * OUTPUT_BLOCK, writableHighWaterMark: INPUT_BLOCK });
    const worker = acquireWorker();
    this.worker = worker;
    this.credits = new OutputCredits(this, () => this.worker);
    worker.on("message", (message: FromWorker) => this.onMessage(message));
    worker.on("error", (error) => this.destroy(error));
    const blocks = this.credits.blocks(CREDITS);
    worker.postMessage({ type: "start", blocks }, blocks);
  }

  private onMessage(message: FromWorker): void {
    // Messages already queued when the stream was destroyed have nobody to go to.
    if (this.worker === null) return;
    switch (message.type) {
      case "out":
        this.credits.take(message.chunk);
        return;
      case "progress":
        return;
      case "ack": {
        if (this.spare.length < 2) this.spare.push(message.buffer);
        const callback = this.pending;
        this.pending = null;
        callback?.();
        return;
      }
      case "done": {
        const worker = this.worker;
        this.worker = null;
        releaseWorker(worker);
        const callback = this.flushed;
        this.flushed = null;
        callback?.();
        return;
      }
      case "error":
        this.destroy(new Error(message.message));
        return;
    }
  }

  /** Input gathered for the next message (a message costs more than copying a block). */
  private gathering: Uint8Array | null = null;
  private gathered = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (!this.worker) {
      callback(new Error("zstd worker is gone"));
      return;
    }
    this.absorb(chunk, 0, callback);
  }

  /**
   * Copies the chunk into blocks the worker can own (the chunk may share memory with other
   * buffers), reusing blocks it gave back; each full block is sent, and the rest of the chunk
   * waits until the worker has taken it.
   */
  private absorb(chunk: Buffer, from: number, callback: TransformCallback): void {
    let pos = from;
    while (pos < chunk.length) {
      if (this.gathering === null) {
        this.gathering = new Uint8Array(this.spare.pop() ?? new ArrayBuffer(INPUT_BLOCK));
        this.gathered = 0;
      }
      const n = Math.min(chunk.length - pos, this.gathering.length - this.gathered);
      this.gathering.set(chunk.subarray(pos, pos + n), this.gathered);
      this.gathered += n;
      pos += n;
      if (this.gathered === this.gathering.length) {
        const rest = pos;
        this.send(() => this.absorb(chunk, rest, callback));
        return;
      }
    }
    callback();
  }

  private send(then: () => void): void {
    const block = this.gathering!;
    this.gathering = null;
    if (!this.worker) return;
    this.pending = then;
    const buffer = block.buffer as ArrayBuffer;
    this.worker.postMessage({ type: "data", chunk: new Uint8Array(buffer, 0, this.gathered) }, [buffer]);
  }

  override _flush(callback: TransformCallback): void {
    const end = () => {
      if (!this.worker) {
        callback();
        return;
      }
      this.flushed = callback;
      this.worker.postMessage({ type: "end" });
    };
    if (this.gathering !== null && this.gathered > 0 && this.worker) this.send(end);
    else end();
  }

  override _read(size: number): void {
    this.credits.wanted();
    super._read(size);
  }

  /** See OutputCredits.release: for a reader that keeps nothing of the chunks it read. */
  release(chunk: Buffer): void {
    this.credits.release(chunk);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const worker = this.worker;
    this.worker = null;
    if (!worker) callback(error);
    else void endWorker(worker).then(() => callback(error));
  }
}

/** A byte range of a local file holding zstd data (a layer blob in an archive or layout). */
export interface ZstdFileRange {
  path: string;
  start: number;
  size: number;
}

export interface ZstdFileOptions {
  /**
   * Hash the compressed bytes with this algorithm as they are read ("sha256", "sha512"); at the
   * end `check(hex)` gets the digest, and the error it returns, if any, fails the stream.
   */
  hash?: { algorithm: string; check(hex: string): Error | undefined };
  /**
   * Send the tar's skeleton (tar-skeleton.ts: headers and extension records, no entry data)
   * instead of the tar, for a reader that needs no file content; `decompressedBytes` still
   * counts the whole tar, and the stream emits "progress" as it grows without output.
   */
  skeleton?: boolean;
}

/**
 * Decompresses a zstd byte range of a local file: the worker reads the file (the main thread
 * opens it and closes it, so a worker ended mid-read leaks no descriptor) and posts output
 * blocks. A range shorter than `size` on disk, or ending inside a frame, fails the stream.
 */
export class ZstdFileReader extends Readable {
  private worker: Worker | null = null;
  private file: FileHandle | null = null;
  private readonly credits: OutputCredits;
  private readonly range: ZstdFileRange;
  private readonly options: ZstdFileOptions;
  /** Compressed bytes the worker had read when it sent its last output block. */
  compressedBytes = 0;
  /** Decompressed bytes when it sent its last message (with `skeleton`, more than pushed). */
  decompressedBytes = 0;

  constructor(range: ZstdFileRange, options: ZstdFileOptions = {}) {
    super({ highWaterMark: CREDITS * OUTPUT_BLOCK });
    this.range = range;
    this.options = options;
    this.credits = new OutputCredits(this, () => this.worker);
  }

  override _construct(callback: (error?: Error | null) => void): void {
    open(this.range.path, "r").then((file) => {
      this.file = file;
      try {
        this.startWorker(file.fd);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    }, callback);
  }

  private startWorker(fd: number): void {
    const worker = acquireWorker();
    this.worker = worker;
    worker.on("message", (message: FromWorker) => this.onMessage(message));
    worker.on("error", (error) => this.destroy(error));
    const blocks = this.credits.blocks(CREDITS);
    const { start, size } = this.range;
    const file = {
      fd,
      start,
      size,
      algorithm: this.options.hash?.algorithm,
      skeleton: this.options.skeleton,
    };
    worker.postMessage({ type: "start", file, blocks }, blocks);
  }

  private onMessage(message: FromWorker): void {
    if (this.worker === null) return;
    switch (message.type) {
      case "out":
        this.compressedBytes = message.read;
        this.decompressedBytes = message.produced;
        this.credits.take(message.chunk);
        return;
      case "progress":
        this.compressedBytes = message.read;
        this.decompressedBytes = message.produced;
        this.emit("progress");
        return;
      case "ack":
        return;
      case "done": {
        const worker = this.worker;
        this.worker = null;
        releaseWorker(worker);
        this.compressedBytes = this.range.size;
        this.decompressedBytes = message.produced;
        // The last stretch of a skeleton's tar may have brought no output: the limits see it.
        if (this.options.skeleton) this.emit("progress");
        const mismatch = message.digest === undefined ? undefined : this.options.hash?.check(message.digest);
        if (mismatch) this.destroy(mismatch);
        else this.push(null);
        return;
      }
      case "error":
        this.destroy(new Error(message.message));
        return;
    }
  }

  override _read(): void {
    this.credits.wanted();
  }

  /** See OutputCredits.release: for a reader that keeps nothing of the chunks it read. */
  release(chunk: Buffer): void {
    this.credits.release(chunk);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const worker = this.worker;
    const file = this.file;
    this.worker = null;
    this.file = null;
    const closeFile = () => (file ? file.close().catch(() => undefined) : Promise.resolve());
    // The descriptor closes only once the worker can no longer read from it.
    void (worker ? endWorker(worker) : Promise.resolve()).then(closeFile).then(() => callback(error));
  }
}

/**
 * zstd decompression on Node < 22.15 (no zlib zstd) that runs beside the main thread, as zlib's
 * gunzip does in libuv's thread pool. zstd-napi's DecompressStream works synchronously on the
 * thread that calls it, so two zstd layers read "in parallel" took turns on the main thread
 * (3.4x the time of two `zstd -dc` processes on the benchmark image). Here each stream borrows
 * a worker thread from a small pool; the worker drives the same native binding
 * (`DCtx.decompressStream`, i.e. ZSTD_decompressStream) and sends back output blocks,
 * transferred rather than copied.
 *
 * Flow control: the main side sends one input block at a time (the next after an `ack`), and
 * the worker may have at most CREDITS output blocks unconsumed; a credit returns when the
 * readable side takes a block. So memory stays bounded even for a decompression bomb, which the
 * ExpansionGuard downstream then stops.
 */
import { createRequire } from "node:module";
import { Transform, type TransformCallback } from "node:stream";
import { Worker } from "node:worker_threads";

/**
 * Bytes per message, each way. A message costs the main thread about 0.1-0.2 ms on a busy
 * machine (it wakes the other thread): 2 MiB blocks keep that under 2% of the work.
 */
const INPUT_BLOCK = 2 * 1024 * 1024;
const OUTPUT_BLOCK = 1024 * 1024;
/** Output blocks a worker may have in flight before it waits for the reader. */
const CREDITS = 4;
/** Credits go back in batches. */
const CREDIT_BATCH = 2;

/** The worker: plain CommonJS, evaluated (no file to find next to compiled or test sources). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const binding = require(workerData.binding);
let dctx = null, queue = [], src = null, srcBuffer = null, ending = false, inFrame = false, empty = [], failed = false;
function post(message, transfer) { parentPort.postMessage(message, transfer); }
function pump() {
  try {
    while (!failed) {
      if (src === null) {
        if (queue.length === 0) {
          if (ending) {
            ending = false;
            if (inFrame) throw new Error("Stream ended in middle of compressed data frame");
            post({ type: "done" });
          }
          return;
        }
        src = queue.shift();
        srcBuffer = src.buffer;
      }
      if (empty.length === 0) return;
      const dst = empty[empty.length - 1];
      const [ret, produced, consumed] = dctx.decompressStream(dst, src);
      src = src.subarray(consumed);
      if (produced > 0) {
        empty.pop();
        post({ type: "out", chunk: new Uint8Array(dst.buffer, 0, produced) }, [dst.buffer]);
      }
      if (src.length === 0 && (produced < dst.length || ret === 0)) {
        inFrame = ret !== 0;
        src = null;
        // The input block goes back to be filled again: no garbage piles up in this thread.
        post({ type: "ack", buffer: srcBuffer }, [srcBuffer]);
        srcBuffer = null;
      }
    }
  } catch (error) {
    failed = true;
    post({ type: "error", message: String(error && error.message || error) });
  }
}
parentPort.on("message", (m) => {
  if (m.type === "start") {
    // One context per worker, reset for each stream: its window buffer is allocated once.
    if (dctx === null) dctx = new binding.DCtx();
    else dctx.reset(binding.ResetDirective.sessionAndParameters);
    queue = []; src = null; ending = false; inFrame = false; failed = false; empty = [];
  } else if (m.type === "data") queue.push(Buffer.from(m.chunk.buffer, m.chunk.byteOffset, m.chunk.byteLength));
  else if (m.type === "end") ending = true;
  // "start" and "credit" bring empty output blocks: the worker fills them, never allocates.
  if (m.blocks) for (const b of m.blocks) empty.push(Buffer.from(b));
  pump();
});
`;

type FromWorker =
  | { type: "out"; chunk: Uint8Array }
  | { type: "ack"; buffer: ArrayBuffer }
  | { type: "done" }
  | { type: "error"; message: string };

/**
 * Output blocks are allocated here and lent to the worker: memory freed by a thread goes back
 * to that thread's malloc arena, and blocks made in the workers but freed here left ~100 MB of
 * arenas behind on the benchmark image.
 */
function emptyBlocks(count: number): ArrayBuffer[] {
  return Array.from({ length: count }, () => new ArrayBuffer(OUTPUT_BLOCK));
}

/** Idle workers, kept for the next layer (unreferenced: they never hold the process open). */
const idle: Worker[] = [];
let bindingPath: string | undefined;

function acquireWorker(): Worker {
  const reused = idle.pop();
  if (reused) {
    reused.ref();
    return reused;
  }
  // Resolving here throws (ZSTD_UNAVAILABLE upstream) when zstd-napi is not installed.
  bindingPath ??= createRequire(import.meta.url).resolve("zstd-napi/binding");
  return new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { binding: bindingPath },
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

export class WorkerZstdDecompress extends Transform {
  private worker: Worker | null;
  /** What to do once the worker has taken the block in flight. */
  private pending: (() => void) | null = null;
  private flushed: TransformCallback | null = null;
  private owedCredits = 0;
  /** Input blocks the worker gave back, to copy the next chunks into. */
  private readonly spare: ArrayBuffer[] = [];

  constructor() {
    // Room for every block the worker may have in flight, so that credits go back in batches.
    super({ readableHighWaterMark: CREDITS * OUTPUT_BLOCK, writableHighWaterMark: INPUT_BLOCK });
    const worker = acquireWorker();
    this.worker = worker;
    worker.on("message", (message: FromWorker) => this.onMessage(message));
    worker.on("error", (error) => this.destroy(error));
    const blocks = emptyBlocks(CREDITS);
    worker.postMessage({ type: "start", blocks }, blocks);
  }

  private onMessage(message: FromWorker): void {
    // Messages already queued when the stream was destroyed have nobody to go to.
    if (this.worker === null) return;
    switch (message.type) {
      case "out": {
        const { buffer, byteOffset, byteLength } = message.chunk;
        this.owedCredits++;
        // Taken at once: the credit goes back (in batches). Else when the reader asks for more.
        if (this.push(Buffer.from(buffer, byteOffset, byteLength)) && this.owedCredits >= CREDIT_BATCH) {
          this.returnCredits();
        }
        return;
      }
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
        if (worker) releaseWorker(worker);
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

  private returnCredits(): void {
    if (this.owedCredits === 0 || !this.worker) return;
    const blocks = emptyBlocks(this.owedCredits);
    this.worker.postMessage({ type: "credit", blocks }, blocks);
    this.owedCredits = 0;
  }

  override _read(size: number): void {
    // The reader wants more: return what was taken, but in batches unless the worker is stalled.
    if (this.owedCredits >= CREDIT_BATCH || this.owedCredits === CREDITS) this.returnCredits();
    super._read(size);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const worker = this.worker;
    this.worker = null;
    if (!worker) {
      callback(error);
      return;
    }
    // A worker interrupted mid-stream holds state we cannot trust: end it rather than reuse it.
    worker.removeAllListeners("message");
    worker.terminate().then(
      () => callback(error),
      () => callback(error),
    );
  }
}

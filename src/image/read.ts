/**
 * The one pass over an image's layers: every layer blob is streamed, decompressed by magic
 * bytes and indexed, several layers at a time, never extracted to disk. Analyses (audit, SBOM
 * catalogers) get the per-layer indexes and the captured file contents from this single pass.
 */
import { open } from "node:fs/promises";
import { availableParallelism } from "node:os";
import type { Readable } from "node:stream";
import { DrydockError } from "../errors.ts";
import {
  type Compression,
  DEFAULT_EXPANSION_LIMITS,
  type DecompressedStream,
  decompress,
  decompressZstdFile,
  type ExpansionLimits,
  sniffCompression,
} from "./decompress.ts";
import { DigestVerifier, digestMismatch, parseDigest } from "./digest.ts";
import { type CaptureRule, type LayerIndex, readLayerFile, readLayerTar } from "./layer-index.ts";
import { type FileRange, fileRangeOf, openFileRange } from "./sources/store.ts";
import type { BlobReader, LayerRef, ResolvedImage } from "./types.ts";
import { zstdWorkerAvailable } from "./zstd-worker.ts";

export interface LayerData {
  ref: LayerRef;
  index: LayerIndex;
  compression: Compression;
  /** Bytes of the blob as stored (compressed). */
  compressedSize: number;
  /** Bytes of the layer tar after decompression. */
  uncompressedSize: number;
  /**
   * True when every byte of the blob was read and matched its digest. False for a layer in a
   * local file read without the check (see `verifyLocalLayers`).
   */
  digestVerified: boolean;
}

export interface ReadLayersOptions {
  capture?: CaptureRule[];
  /** Layers read at once (default: available cores). */
  concurrency?: number;
  /**
   * Called as each layer finishes (in any order), e.g. to merge layers while others are still
   * read (merge.ts TopDownMerge). Sources that read their layers in one stream may not call it.
   */
  onLayer?: (layer: LayerData, layerCount: number) => void;
  limits?: ExpansionLimits;
  /** Largest number of files in one layer. */
  maxEntries?: number;
  /**
   * Check the digests of layers stored in local files (docker-archive, OCI layouts, oci-archive:
   * `--verify-digests`). By default such layers are read from the file without hashing them:
   * uncompressed ones are indexed by seeking over file data (readLayerFile), which reads only
   * headers and captured files; compressed ones are decompressed straight from the file, where
   * gzip's CRC-32 and length trailer (RFC 1952 §2.3.1) and zstd's content checksum, when the
   * frame has one (RFC 8878 §3.1.1), still catch damage. Every other blob is always read whole
   * and verified while it streams: registry and daemon blobs, manifests, indexes and configs.
   *
   * Why this is the default: a digest binds content to a name only where the name comes from
   * someone other than whoever wrote the bytes. A registry blob is fetched by the digest in a
   * manifest the reference resolves to, so it must be checked. A local archive's author can
   * recompute every digest in it (manifest.json, config diff_ids), so checking them there
   * catches only accidental corruption, at the cost of hashing every byte: on the benchmark
   * archive (2.3 GB) 2.7-3.0 s of CPU instead of 0.75-0.8 s for the seeking read, 4-5x the
   * time; on its zstd layout (747 MiB of blobs) the hash is 0.43 s of the main thread's CPU,
   * more than the 1.3x goal leaves (bench/image-read/README.md).
   */
  verifyLocalLayers?: boolean;
}

export async function readLayers(
  image: ResolvedImage,
  blobs: BlobReader,
  options: ReadLayersOptions = {},
): Promise<LayerData[]> {
  const concurrency = Math.max(1, options.concurrency ?? availableParallelism());
  const results: LayerData[] = new Array(image.layers.length);
  // Top layer first: layers merge from the top down, so the merge can follow the reads.
  let next = image.layers.length - 1;
  const worker = async () => {
    while (next >= 0) {
      const ref = image.layers[next--]!;
      const layer = await readOne(image, blobs, ref, options);
      results[ref.index] = layer;
      options.onLayer?.(layer, image.layers.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, image.layers.length) }, worker));
  return results;
}

async function readOne(
  image: ResolvedImage,
  blobs: BlobReader,
  ref: LayerRef,
  options: ReadLayersOptions,
): Promise<LayerData> {
  const label = `${image.source}: layer ${ref.index + 1} (${ref.descriptor.digest.slice(0, 19)})`;
  const blob = await blobs.openBlob(ref.descriptor);
  // Its errors reach the reader through the decompression pipeline while that runs. When the
  // pipeline gave up first (zlib failed on damaged data), the digest check still fails when the
  // file ends, with nobody listening: that must not become an uncaught exception.
  blob.on("error", () => {});
  const limits = options.limits ?? DEFAULT_EXPANSION_LIMITS;
  const verify = options.verifyLocalLayers === true;
  const local = await localBlob(blob);
  if (local?.compression === "none" && !verify) {
    closeBlob(blob);
    return readSeeking(ref, local.range, label, limits, options);
  }
  // Nothing to capture: the tar's headers are all the index needs (a zstd worker sends only those).
  const headersOnly = (options.capture?.length ?? 0) === 0;
  const { decompressed, digestVerified } = await decompressLayer(
    blob,
    local,
    ref,
    label,
    limits,
    verify,
    headersOnly,
  );
  let index: LayerIndex;
  try {
    index = await readLayerTar(decompressed.stream, {
      label,
      capture: options.capture,
      maxEntries: options.maxEntries,
      release: decompressed.release,
      skeletonOf: decompressed.skeleton ? decompressed.decompressedBytes : undefined,
    });
  } catch (error) {
    blob.destroy();
    throw (
      (await localDigestError(blobs, ref, blob, error)) ??
      (error instanceof DrydockError
        ? error
        : new DrydockError("CORRUPT_LAYER", `${label}: ${(error as Error).message}`))
    );
  }
  // Drain what follows the tar's end-of-archive blocks so the digest check sees every byte.
  await drain(decompressed.stream);
  return {
    ref,
    index,
    compression: decompressed.compression,
    compressedSize: decompressed.compressedBytes(),
    uncompressedSize: decompressed.decompressedBytes(),
    // Verified streams fail at their end when the digest does not match: read to the end, verified.
    digestVerified,
  };
}

/**
 * The layer's tar stream: from the blob stream (verified) when the blob is not in a local file
 * or its check is asked for, else from the file, unhashed (a zstd blob by a worker that reads the
 * file, and hashes it when asked).
 */
async function decompressLayer(
  blob: Readable,
  local: LocalBlob | undefined,
  ref: LayerRef,
  label: string,
  limits: ExpansionLimits,
  verify: boolean,
  headersOnly: boolean,
): Promise<{ decompressed: DecompressedStream; digestVerified: boolean }> {
  if (local?.compression === "zstd" && zstdWorkerAvailable()) {
    closeBlob(blob);
    const hash = verify ? digestCheck(ref.descriptor.digest, label) : undefined;
    const decompressed = decompressZstdFile(local.range, label, limits, { hash, skeleton: headersOnly });
    return { decompressed, digestVerified: verify };
  }
  if (local && !verify) {
    closeBlob(blob);
    return {
      decompressed: await decompress(openFileRange(local.range), label, limits),
      digestVerified: false,
    };
  }
  return { decompressed: await decompress(blob, label, limits), digestVerified: true };
}

/** An uncompressed layer in a local file, indexed by seeking over file data. */
async function readSeeking(
  ref: LayerRef,
  range: Required<FileRange>,
  label: string,
  limits: ExpansionLimits,
  options: ReadLayersOptions,
): Promise<LayerData> {
  if (range.size > limits.maxBytes) {
    throw new DrydockError(
      "LAYER_TOO_LARGE",
      `${label}: decompressed size exceeds ${limits.maxBytes} bytes (raise --max-layer-size)`,
    );
  }
  const file = await open(range.path, "r");
  try {
    const index = await readLayerFile(
      { file, start: range.start, size: range.size },
      { label, capture: options.capture, maxEntries: options.maxEntries },
    );
    return {
      ref,
      index,
      compression: "none",
      compressedSize: range.size,
      uncompressedSize: range.size,
      digestVerified: false,
    };
  } finally {
    await file.close();
  }
}

/** The digest check a worker runs over the bytes it reads (see decompressZstdFile). */
function digestCheck(
  digest: string,
  label: string,
): { algorithm: string; check(hex: string): Error | undefined } {
  const { algorithm, hex } = parseDigest(digest, label);
  return {
    algorithm,
    check: (actual) => (actual === hex ? undefined : digestMismatch(label, algorithm, actual)),
  };
}

/**
 * The file range behind a blob stream from a local archive or layout (a FileStore stream,
 * possibly behind a DigestVerifier), with its size and its compression sniffed from the file.
 * Undefined for anything else (registry and daemon blobs).
 */
interface LocalBlob {
  range: Required<FileRange>;
  compression: Compression;
}

async function localBlob(blob: Readable): Promise<LocalBlob | undefined> {
  const range = fileRangeOf(sourceOf(blob));
  if (!range) return undefined;
  const file = await open(range.path, "r");
  try {
    const size = range.size ?? (await file.stat()).size - range.start;
    const head = Buffer.alloc(4);
    const { bytesRead } = await file.read(head, 0, Math.min(4, size), range.start);
    return { range: { ...range, size }, compression: sniffCompression(head.subarray(0, bytesRead)) };
  } finally {
    await file.close();
  }
}

function sourceOf(blob: Readable): Readable | undefined {
  return blob instanceof DigestVerifier ? blob.upstream : blob;
}

/** The blob is read from its file instead: its stream (and the file stream behind it) closed. */
function closeBlob(blob: Readable): void {
  blob.destroy();
  sourceOf(blob)?.destroy();
}

/**
 * A blob in a local file that failed to decompress or parse before its end, where the digest is
 * checked: when its bytes do not match its digest, that is the error to report (the file is
 * damaged), not whatever zlib or the tar parser tripped on. Reading it again costs little on
 * this path; a registry blob is not downloaded again.
 */
async function localDigestError(
  blobs: BlobReader,
  ref: LayerRef,
  blob: Readable,
  error: unknown,
): Promise<DrydockError | undefined> {
  // Only damage can explain an error the bytes gave (zlib's, a corrupt tar): limits hit by a
  // well-formed layer (too many files, too large) are reported as they are, without a re-read.
  if (error instanceof DrydockError && error.code !== "CORRUPT_LAYER") return undefined;
  if (!fileRangeOf(sourceOf(blob))) return undefined;
  try {
    await drain(await blobs.openBlob(ref.descriptor));
    return undefined;
  } catch (recheck) {
    return recheck instanceof DrydockError && recheck.code === "DIGEST_MISMATCH" ? recheck : undefined;
  }
}

function drain(
  stream: NodeJS.ReadableStream & { readableEnded?: boolean; destroyed?: boolean },
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.readableEnded) return resolve();
    stream.on("error", reject);
    stream.on("end", () => resolve());
    stream.resume();
  });
}

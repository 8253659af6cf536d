/**
 * The one pass over an image's layers: every layer blob is streamed, decompressed by magic
 * bytes and indexed, several layers at a time, never extracted to disk. Analyses (audit, SBOM
 * catalogers) get the per-layer indexes and the captured file contents from this single pass.
 */
import { availableParallelism } from "node:os";
import { DrydockError } from "../errors.ts";
import {
  type Compression,
  DEFAULT_EXPANSION_LIMITS,
  decompress,
  type ExpansionLimits,
} from "./decompress.ts";
import { type CaptureRule, type LayerIndex, readLayerTar } from "./layer-index.ts";
import type { BlobReader, LayerRef, ResolvedImage } from "./types.ts";

export interface LayerData {
  ref: LayerRef;
  index: LayerIndex;
  compression: Compression;
  /** Bytes of the blob as stored (compressed). */
  compressedSize: number;
  /** Bytes of the layer tar after decompression. */
  uncompressedSize: number;
}

export interface ReadLayersOptions {
  capture?: CaptureRule[];
  /** Layers read at once (default: available cores). */
  concurrency?: number;
  limits?: ExpansionLimits;
  /** Largest number of files in one layer. */
  maxEntries?: number;
}

export async function readLayers(
  image: ResolvedImage,
  blobs: BlobReader,
  options: ReadLayersOptions = {},
): Promise<LayerData[]> {
  const concurrency = Math.max(1, options.concurrency ?? availableParallelism());
  const results: LayerData[] = new Array(image.layers.length);
  let next = 0;
  const worker = async () => {
    while (next < image.layers.length) {
      const ref = image.layers[next++]!;
      results[ref.index] = await readOne(image, blobs, ref, options);
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
  const decompressed = await decompress(blob, label, options.limits ?? DEFAULT_EXPANSION_LIMITS);
  let index: LayerIndex;
  try {
    index = await readLayerTar(decompressed.stream, {
      label,
      capture: options.capture,
      maxEntries: options.maxEntries,
    });
  } catch (error) {
    blob.destroy();
    if (error instanceof DrydockError) throw error;
    throw new DrydockError("CORRUPT_LAYER", `${label}: ${(error as Error).message}`);
  }
  // Drain what follows the tar's end-of-archive blocks so the digest check sees every byte.
  await drain(decompressed.stream);
  return {
    ref,
    index,
    compression: decompressed.compression,
    compressedSize: decompressed.compressedBytes(),
    uncompressedSize: decompressed.decompressedBytes(),
  };
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

/**
 * `drydock inspect`: what an image is (reference, digests, platform, config) and what each
 * layer holds, from one pass over the layers. Field names are documented in the README.
 */
import type { ImageHandle } from "./handle.ts";
import type { CaptureRule } from "./layer-index.ts";
import { TopDownMerge } from "./merge.ts";
import type { ReadLayersOptions } from "./read.ts";
import { type HealthConfig, type Platform, platformString } from "./types.ts";

export interface InspectLayer {
  index: number;
  digest: string;
  diffId: string;
  mediaType: string;
  compression: string;
  /** Size of the blob as stored or transferred. */
  compressedSize: number;
  /** Size of the layer tar. */
  uncompressedSize: number;
  /**
   * Every byte was read and matched `digest`. False for a layer in a local archive or layout
   * read without the check: indexed by seeking, or decompressed straight from the file
   * (`--verify-digests` checks those too; see ReadLayersOptions.verifyLocalLayers).
   */
  digestVerified: boolean;
  /** Entries in the layer (files, directories, links), whiteouts excluded. */
  files: number;
  whiteouts: number;
  createdBy?: string;
  created?: string;
  comment?: string;
}

export interface InspectHistory {
  created?: string;
  createdBy?: string;
  comment?: string;
  emptyLayer: boolean;
  /** The layer this entry produced, when it produced one. */
  layer?: number;
}

export interface InspectResult {
  source: string;
  reference?: string;
  digest?: string;
  indexDigest?: string;
  mediaType: string;
  platform: string;
  configDigest: string;
  created?: string;
  author?: string;
  config: {
    user?: string;
    entrypoint?: string[];
    cmd?: string[];
    env: string[];
    workingDir?: string;
    exposedPorts: string[];
    labels: Record<string, string>;
    healthcheck?: HealthConfig;
    stopSignal?: string;
  };
  layers: InspectLayer[];
  history: InspectHistory[];
  baseImage?: { name?: string; digest?: string };
  totals: { layers: number; compressedSize: number; uncompressedSize: number; files: number };
}

export interface InspectOptions extends ReadLayersOptions {
  capture?: CaptureRule[];
}

export async function inspectImage(
  handle: ImageHandle,
  options: InspectOptions = {},
): Promise<InspectResult> {
  // Each layer is merged as soon as the layers above it are: little is left after the last read.
  let merge: TopDownMerge | undefined;
  const layers = await handle.readLayers({
    ...options,
    onLayer: (layer, layerCount) => {
      merge ??= new TopDownMerge(layerCount);
      merge.offer(layer.ref.index, layer.index);
      options.onLayer?.(layer, layerCount);
    },
  });
  const image = await handle.resolve();
  const container = image.config.config ?? {};
  const history: InspectHistory[] = [];
  let layerCursor = 0;
  const aligned = (image.config.history ?? []).filter((h) => !h.empty_layer).length === image.layers.length;
  for (const h of image.config.history ?? []) {
    const entry: InspectHistory = {
      created: h.created,
      createdBy: h.created_by,
      comment: h.comment,
      emptyLayer: Boolean(h.empty_layer),
    };
    if (!h.empty_layer && aligned) entry.layer = layerCursor++;
    history.push(entry);
  }
  const annotations = image.manifest.annotations ?? {};
  const baseName = annotations["org.opencontainers.image.base.name"];
  const baseDigest = annotations["org.opencontainers.image.base.digest"];
  // Sources that read all layers in one stream do not report them one by one.
  merge ??= new TopDownMerge(layers.length);
  for (const layer of layers) merge.offer(layer.ref.index, layer.index);
  const merged = merge.view();
  return {
    source: image.source,
    reference: image.reference,
    digest: image.manifestDigest,
    indexDigest: image.indexDigest,
    mediaType: image.mediaType,
    platform: platformString(image.platform as Platform),
    configDigest: image.configDigest,
    created: image.config.created,
    author: image.config.author,
    config: {
      user: container.User || undefined,
      entrypoint: container.Entrypoint ?? undefined,
      cmd: container.Cmd ?? undefined,
      env: container.Env ?? [],
      workingDir: container.WorkingDir || undefined,
      exposedPorts: Object.keys(container.ExposedPorts ?? {}).sort(),
      labels: container.Labels ?? {},
      healthcheck: container.Healthcheck,
      stopSignal: container.StopSignal,
    },
    layers: layers.map((l) => ({
      index: l.ref.index,
      digest: l.ref.descriptor.digest,
      diffId: l.ref.diffId,
      mediaType: l.ref.descriptor.mediaType,
      compression: l.compression,
      compressedSize: l.compressedSize,
      uncompressedSize: l.uncompressedSize,
      digestVerified: l.digestVerified,
      files: l.index.count,
      whiteouts: l.index.whiteouts.length + l.index.opaqueDirs.length,
      createdBy: l.ref.history?.created_by,
      created: l.ref.history?.created,
      comment: l.ref.history?.comment,
    })),
    history,
    ...(baseName || baseDigest ? { baseImage: { name: baseName, digest: baseDigest } } : {}),
    totals: {
      layers: layers.length,
      compressedSize: layers.reduce((n, l) => n + l.compressedSize, 0),
      uncompressedSize: layers.reduce((n, l) => n + l.uncompressedSize, 0),
      files: merged.count,
    },
  };
}

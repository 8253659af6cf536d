/**
 * Test helpers: layers from crafted tar entries (through the real tar reader), and a whole
 * in-memory image handle with a config whose history matches the layers.
 */
import type { ImageHandle } from "../../image/handle.ts";
import { type LayerIndex, readLayerTar } from "../../image/layer-index.ts";
import type { LayerData } from "../../image/read.ts";
import { type FixtureEntry, makeTar, streamOf } from "../../image/test-helpers/tar.ts";
import type { HistoryEntry, ImageConfig, ResolvedImage } from "../../image/types.ts";

export type { FixtureEntry } from "../../image/test-helpers/tar.ts";

/** `"x".repeat(n)` as file content: sizes are what the tests reason about. */
export const bytes = (n: number): string => "x".repeat(n);

export async function layerIndex(entries: FixtureEntry[]): Promise<LayerIndex> {
  return readLayerTar(streamOf(await makeTar(entries)), { label: "test layer" });
}

export interface FakeImageOptions {
  /** Full history (empty-layer entries included); default: one entry per layer. */
  history?: HistoryEntry[];
  env?: string[];
  annotations?: Record<string, string>;
  diffIds?: string[];
}

/** An ImageHandle over crafted layers; `readLayers` honours capture rules like the real one. */
export async function fakeImage(
  layers: FixtureEntry[][],
  options: FakeImageOptions = {},
): Promise<ImageHandle> {
  const tars = await Promise.all(layers.map((entries) => makeTar(entries)));
  const diffIds = options.diffIds ?? tars.map((_, i) => `sha256:${String(i).padStart(64, "0")}`);
  const history =
    options.history ?? layers.map((_, i) => ({ created_by: `/bin/sh -c echo layer ${i}` }) as HistoryEntry);
  const config: ImageConfig = {
    architecture: "amd64",
    os: "linux",
    config: { Env: options.env ?? ["PATH=/usr/bin:/bin"] },
    rootfs: { type: "layers", diff_ids: diffIds },
    history,
  };
  const nonEmpty = history.filter((h) => !h.empty_layer);
  const aligned = nonEmpty.length === layers.length;
  const resolved: ResolvedImage = {
    source: "test:image",
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    manifest: {
      schemaVersion: 2,
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: "sha256:c", size: 1 },
      layers: tars.map((tar, i) => ({
        mediaType: "application/vnd.oci.image.layer.v1.tar",
        digest: diffIds[i]!,
        size: tar.length,
      })),
      ...(options.annotations ? { annotations: options.annotations } : {}),
    },
    config,
    configDigest: "sha256:c",
    platform: { os: "linux", architecture: "amd64" },
    layers: tars.map((tar, i) => ({
      index: i,
      descriptor: {
        mediaType: "application/vnd.oci.image.layer.v1.tar",
        digest: diffIds[i]!,
        size: tar.length,
      },
      diffId: diffIds[i]!,
      ...(aligned ? { history: nonEmpty[i] } : {}),
    })),
  };
  return {
    resolve: async () => resolved,
    readLayers: async (readOptions = {}) =>
      Promise.all(
        tars.map(async (tar, i): Promise<LayerData> => {
          const index = await readLayerTar(streamOf(tar), {
            label: `layer ${i}`,
            capture: readOptions.capture,
          });
          return {
            ref: resolved.layers[i]!,
            index,
            compression: "none",
            compressedSize: tar.length,
            uncompressedSize: tar.length,
            digestVerified: false,
          };
        }),
      ),
  };
}

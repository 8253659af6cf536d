import { type LayerData, type ReadLayersOptions, readLayers } from "./read.ts";
import type { BlobReader, ResolvedImage } from "./types.ts";

/**
 * An opened image. Random-access sources (archives, layouts, registries) resolve metadata first
 * and read layers on demand; streaming sources (the Docker daemon, compressed archives) learn
 * both in one pass, so `resolve()` may read the layers too (and caches them).
 */
export interface ImageHandle {
  resolve(): Promise<ResolvedImage>;
  readLayers(options?: ReadLayersOptions): Promise<LayerData[]>;
  /** Releases connections or files, if any. */
  close?(): Promise<void>;
}

/**
 * A handle over a resolved image whose blobs can be opened by digest. `defaults` apply where
 * the caller's read options leave a setting out (e.g. `verifyLocalLayers` chosen when opening).
 */
export function randomAccessHandle(
  resolved: ResolvedImage,
  blobs: BlobReader,
  defaults: Pick<ReadLayersOptions, "verifyLocalLayers"> = {},
): ImageHandle {
  return {
    resolve: async () => resolved,
    readLayers: (options = {}) =>
      readLayers(resolved, blobs, {
        ...options,
        verifyLocalLayers: options.verifyLocalLayers ?? defaults.verifyLocalLayers,
      }),
  };
}

import type { DaemonOptions } from "./daemon/provider.ts";
import type { ImageHandle } from "./handle.ts";
import type { ImageReference } from "./reference.ts";
import type { RegistryOptions } from "./registry/client.ts";
import type { Platform } from "./types.ts";

export interface ProviderOptions {
  reference?: string;
  platform?: Platform;
  hostPlatform: Platform;
}

/**
 * Sources that need a network or a daemon. The defaults are the real implementations; tests
 * and callers may substitute their own (e.g. registry credentials, a DOCKER_HOST).
 */
export interface ImageSourceProviders {
  registry(reference: ImageReference, options: ProviderOptions): Promise<ImageHandle>;
  daemon(reference: string, options: ProviderOptions): Promise<ImageHandle>;
  compressedArchive(path: string, kind: string, options: ProviderOptions): Promise<ImageHandle>;
  /**
   * For the local sources openImage reads itself (docker-archive, oci, oci-archive): check the
   * digests of their layers, hashing every byte, rather than read them from the file unhashed
   * (seeking through uncompressed ones) (`--verify-digests`; see
   * ReadLayersOptions.verifyLocalLayers). The sources above always stream every byte and verify it.
   */
  verifyLocalLayers?: boolean;
}

/** What the CLI passes to the real providers (credentials, TLS, timeouts). */
export interface DefaultProviderOptions {
  registry?: RegistryOptions;
  /** DOCKER_HOST (as `host`) and timeouts for the Docker daemon. */
  daemon?: DaemonOptions;
  /** See ImageSourceProviders.verifyLocalLayers. */
  verifyLocalLayers?: boolean;
}

/**
 * The real providers. Each source's modules (HTTP client, credentials, zod schemas, tar-stream)
 * are imported on first use: reading a local archive never loads them (about 0.1 s of start-up).
 */
export function defaultProviders(options: DefaultProviderOptions = {}): ImageSourceProviders {
  let registry: Promise<ImageSourceProviders["registry"]> | undefined;
  let daemon: Promise<ImageSourceProviders["daemon"]> | undefined;
  return {
    registry: async (reference, providerOptions) => {
      registry ??= import("./registry/provider.ts").then((m) => m.registryProvider(options.registry));
      return (await registry)(reference, providerOptions);
    },
    daemon: async (reference, providerOptions) => {
      daemon ??= import("./daemon/provider.ts").then((m) => m.daemonProvider(options.daemon));
      return (await daemon)(reference, providerOptions);
    },
    compressedArchive: async (path, kind, providerOptions) => {
      const { compressedArchiveHandle } = await import("./sources/stream-archive.ts");
      return compressedArchiveHandle(path, kind, providerOptions);
    },
    verifyLocalLayers: options.verifyLocalLayers,
  };
}

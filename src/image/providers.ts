import { type DaemonOptions, daemonProvider } from "./daemon/provider.ts";
import type { ImageHandle } from "./handle.ts";
import type { ImageReference } from "./reference.ts";
import type { RegistryOptions } from "./registry/client.ts";
import { registryProvider } from "./registry/provider.ts";
import { compressedArchiveHandle } from "./sources/stream-archive.ts";
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
   * digests of uncompressed layers by reading them whole, rather than seek over their file data
   * (`--verify-digests`; see ReadLayersOptions.verifyLocalLayers). The sources above always
   * stream every byte and verify it.
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

export function defaultProviders(options: DefaultProviderOptions = {}): ImageSourceProviders {
  return {
    registry: registryProvider(options.registry),
    daemon: daemonProvider(options.daemon),
    compressedArchive: (path, kind, providerOptions) => compressedArchiveHandle(path, kind, providerOptions),
    verifyLocalLayers: options.verifyLocalLayers,
  };
}

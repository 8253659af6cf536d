/**
 * Images from the local Docker daemon (the `docker-daemon:` transport, and the first try for a
 * bare reference): inspect over the Engine API, then stream `GET /images/{name}/get` straight
 * into the one-pass archive reader. No temp file, no docker CLI.
 *
 * openImage falls back to the registry on exactly two codes: DAEMON_UNAVAILABLE (no socket,
 * connection refused, unsupported DOCKER_HOST) and IMAGE_NOT_FOUND (404, or the daemon's copy
 * is for another platform than the one asked for).
 *
 * One export serves resolve() and readLayers() (see streamArchiveHandle); a readLayers() with
 * capture rules that no earlier pass used sends a second `GET /images/{name}/get`, so callers
 * that want file contents should call readLayers(options) before resolve().
 */
import { DrydockError } from "../../errors.ts";
import type { ImageHandle } from "../handle.ts";
import type { ImageSourceProviders, ProviderOptions } from "../providers.ts";
import { platformMatches } from "../sources/resolve-common.ts";
import { type StreamArchiveLimits, streamArchiveHandle } from "../sources/stream-archive.ts";
import { type Platform, platformString, type ResolvedImage } from "../types.ts";
import { DockerEngineClient, type EngineImage, type EngineTimeouts } from "./client.ts";
import { parseDockerHost } from "./host.ts";

export interface DaemonOptions extends Partial<EngineTimeouts> {
  /** The DOCKER_HOST value; default unix:///var/run/docker.sock. */
  host?: string;
  limits?: Partial<StreamArchiveLimits>;
}

function enginePlatform(image: EngineImage): Platform | undefined {
  if (!image.Os || !image.Architecture) return undefined;
  return {
    os: image.Os,
    architecture: image.Architecture,
    ...(image.Variant ? { variant: image.Variant } : {}),
  };
}

/**
 * The archive the daemon sent must be the image inspected: a tag moved between the two
 * requests (or between two passes) would otherwise mix two images. The image ID is the config
 * digest (graph-driver store) or the manifest / index digest (containerd store).
 */
function checkSameImage(image: EngineImage, reference: string) {
  return (resolved: ResolvedImage): void => {
    const ids = [resolved.configDigest, resolved.manifestDigest, resolved.indexDigest];
    if (!ids.includes(image.Id)) {
      throw new DrydockError(
        "IMAGE_CHANGED",
        `docker-daemon:${reference}: the daemon sent ${resolved.configDigest.slice(0, 19)}… but the image is ${image.Id.slice(0, 19)}… (was it re-tagged while being read?)`,
      );
    }
  };
}

/** Opens `reference` in the daemon: fails fast (inspect) and reads nothing until asked. */
export async function openDaemonImage(
  reference: string,
  options: ProviderOptions,
  daemon: DaemonOptions = {},
): Promise<ImageHandle> {
  const client = new DockerEngineClient(parseDockerHost(daemon.host), daemon);
  const image = await client.inspectImage(reference);
  const platform = enginePlatform(image);
  if (options.platform && platform && !platformMatches(platform, options.platform)) {
    throw new DrydockError(
      "IMAGE_NOT_FOUND",
      `the Docker daemon's ${reference} is ${platformString(platform)}, not ${platformString(options.platform)}`,
    );
  }
  return streamArchiveHandle(
    () => client.exportImage(reference),
    {
      label: reference,
      kind: "docker-daemon",
      hostPlatform: options.hostPlatform,
      platform: options.platform ?? platform,
      reportedReference: reference,
      limits: daemon.limits,
      verify: checkSameImage(image, reference),
    },
    () => client.close(),
  );
}

/** The `daemon` entry of ImageSourceProviders, bound to a DOCKER_HOST and timeouts. */
export function daemonProvider(daemon: DaemonOptions = {}): ImageSourceProviders["daemon"] {
  return (reference, options) => openDaemonImage(reference, options, daemon);
}

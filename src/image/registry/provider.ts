/**
 * Images from a registry: reference -> manifest (an index is resolved to one platform, nested
 * indexes followed) -> config -> a ResolvedImage whose layers stream from the registry.
 * Manifests and the config are verified against the digests that name them (image-spec
 * descriptor.md), layers while they are read.
 */
import { DrydockError } from "../../errors.ts";
import { type ImageHandle, randomAccessHandle } from "../handle.ts";
import type { ProviderOptions } from "../providers.ts";
import { formatReference, type ImageReference, manifestReference, parseReference } from "../reference.ts";
import { configSchema, indexSchema, manifestSchema, parseDocument } from "../schemas.ts";
import { choosePlatform, layerRefs } from "../sources/resolve-common.ts";
import {
  type Descriptor,
  type ImageConfig,
  type ImageIndex,
  type ImageManifest,
  INDEX_MEDIA_TYPES,
  MANIFEST_MEDIA_TYPES,
  type Platform,
  type ResolvedImage,
} from "../types.ts";
import { type FetchedManifest, RegistryClient, type RegistryOptions } from "./client.ts";

const MAX_INDEX_DEPTH = 4;

/** The `registry` entry of ImageSourceProviders, with the caller's credentials and TLS options. */
export function registryProvider(
  options: RegistryOptions = {},
): (reference: ImageReference, providerOptions: ProviderOptions) => Promise<ImageHandle> {
  return async (reference, providerOptions) => {
    const client = new RegistryClient(reference.registry, options);
    try {
      const resolved = await resolveRegistryImage(client, reference, providerOptions);
      return {
        ...randomAccessHandle(resolved, client.blobReader(reference.repository)),
        close: () => client.close(),
      };
    } catch (error) {
      await client.close();
      throw error;
    }
  };
}

/** Resolves a reference to one platform's image (no layer is read). */
export async function resolveRegistryImage(
  client: RegistryClient,
  reference: ImageReference,
  options: Pick<ProviderOptions, "platform" | "hostPlatform">,
): Promise<ResolvedImage> {
  const label = formatReference(reference);
  const { repository } = reference;
  let fetched = await client.getManifest(repository, manifestReference(reference));
  let indexDigest: string | undefined;
  for (let depth = 0; INDEX_MEDIA_TYPES.includes(fetched.mediaType); depth++) {
    if (depth >= MAX_INDEX_DEPTH)
      throw new DrydockError("BAD_DOCUMENT", `${label}: image indexes nested too deep`);
    const index = parseDocument(indexSchema, fetched.bytes, `${label}: image index`) as ImageIndex;
    const chosen = choosePlatform(index.manifests, options, label);
    indexDigest = fetched.digest;
    fetched = await fetchChild(client, repository, chosen, label);
  }
  if (!MANIFEST_MEDIA_TYPES.includes(fetched.mediaType)) {
    throw new DrydockError(
      "UNSUPPORTED_MEDIA_TYPE",
      `${label}: unsupported manifest type ${fetched.mediaType}`,
    );
  }
  const manifest = parseDocument(manifestSchema, fetched.bytes, `${label}: manifest`) as ImageManifest;
  const configBytes = await client.getBlob(repository, manifest.config);
  const config = parseDocument(configSchema, configBytes, `${label}: image config`) as ImageConfig;
  return {
    source: `registry:${label}`,
    reference: label,
    manifestDigest: fetched.digest,
    indexDigest,
    mediaType: manifest.mediaType ?? fetched.mediaType,
    manifest,
    config,
    configDigest: manifest.config.digest,
    platform: platformOf(config),
    layers: layerRefs(manifest.layers, config, label),
  };
}

/** A manifest named by an index entry: fetched by digest, and its size must match too. */
async function fetchChild(
  client: RegistryClient,
  repository: string,
  descriptor: Descriptor,
  label: string,
): Promise<FetchedManifest> {
  const child = await client.getManifest(repository, descriptor.digest);
  if (child.bytes.length !== descriptor.size) {
    throw new DrydockError(
      "BAD_DOCUMENT",
      `${label}: manifest ${descriptor.digest} has ${child.bytes.length} bytes, the index says ${descriptor.size}`,
    );
  }
  return child;
}

function platformOf(config: ImageConfig): Platform {
  if (!config.os || !config.architecture) return { os: "unknown", architecture: "unknown" };
  return {
    os: config.os,
    architecture: config.architecture,
    ...(config.variant ? { variant: config.variant } : {}),
  };
}

export interface RegistryPlatformEntry {
  platform: Platform;
  digest: string;
  mediaType: string;
  size: number;
}

export interface RegistryPlatforms {
  /** The canonical reference asked for. */
  reference: string;
  /** Digest of what the reference names (an index, or a single manifest). */
  digest: string;
  mediaType: string;
  /** One entry per image; a single-platform image gives one, from its config. */
  manifests: RegistryPlatformEntry[];
}

/** What platforms a reference offers (for `drydock inspect --platforms`); attestations left out. */
export async function listRegistryPlatforms(
  reference: ImageReference | string,
  options: RegistryOptions = {},
): Promise<RegistryPlatforms> {
  const ref = typeof reference === "string" ? parseReference(reference) : reference;
  const label = formatReference(ref);
  const client = new RegistryClient(ref.registry, options);
  try {
    const top = await client.getManifest(ref.repository, manifestReference(ref));
    const manifests = INDEX_MEDIA_TYPES.includes(top.mediaType)
      ? await indexEntries(client, ref.repository, top, label, 0)
      : [await singleEntry(client, ref.repository, top, label)];
    return { reference: label, digest: top.digest, mediaType: top.mediaType, manifests };
  } finally {
    await client.close();
  }
}

async function indexEntries(
  client: RegistryClient,
  repository: string,
  fetched: FetchedManifest,
  label: string,
  depth: number,
): Promise<RegistryPlatformEntry[]> {
  if (depth >= MAX_INDEX_DEPTH)
    throw new DrydockError("BAD_DOCUMENT", `${label}: image indexes nested too deep`);
  const index = parseDocument(indexSchema, fetched.bytes, `${label}: image index`) as ImageIndex;
  const entries: RegistryPlatformEntry[] = [];
  for (const descriptor of index.manifests) {
    if (descriptor.platform?.os === "unknown") continue; // attestation manifests
    if (INDEX_MEDIA_TYPES.includes(descriptor.mediaType)) {
      const nested = await fetchChild(client, repository, descriptor, label);
      entries.push(...(await indexEntries(client, repository, nested, label, depth + 1)));
    } else if (descriptor.platform) {
      entries.push({
        platform: descriptor.platform,
        digest: descriptor.digest,
        mediaType: descriptor.mediaType,
        size: descriptor.size,
      });
    } else {
      entries.push(
        await singleEntry(client, repository, await fetchChild(client, repository, descriptor, label), label),
      );
    }
  }
  return entries;
}

/** A manifest without an index: its platform comes from its config. */
async function singleEntry(
  client: RegistryClient,
  repository: string,
  fetched: FetchedManifest,
  label: string,
): Promise<RegistryPlatformEntry> {
  const manifest = parseDocument(manifestSchema, fetched.bytes, `${label}: manifest`) as ImageManifest;
  const config = parseDocument(
    configSchema,
    await client.getBlob(repository, manifest.config),
    `${label}: image config`,
  );
  return {
    platform: platformOf(config as ImageConfig),
    digest: fetched.digest,
    mediaType: fetched.mediaType,
    size: fetched.bytes.length,
  };
}

/**
 * Resolves an image inside a `docker save` archive or an OCI image layout (directory or tar):
 *  - Docker <= 24 legacy archive: manifest.json -> <id>.json config, <dir>/layer.tar layers
 *  - Docker >= 25: an OCI layout plus a compatible manifest.json (moby PR #44598)
 *  - containerd image store: index.json -> nested index -> manifest, gzip layers
 *  - OCI image layout (image-spec image-layout.md): oci-layout, index.json, blobs/<alg>/<hex>
 * The OCI path is preferred when index.json exists (it yields manifest digests); the legacy
 * manifest.json is used otherwise.
 */
import { DrydockError } from "../../errors.ts";
import { DigestVerifier, digestOf, verifyBuffer } from "../digest.ts";
import { parseReference } from "../reference.ts";
import {
  configSchema,
  dockerArchiveManifestSchema,
  indexSchema,
  manifestSchema,
  parseDocument,
} from "../schemas.ts";
import {
  type BlobReader,
  type Descriptor,
  type ImageConfig,
  type ImageIndex,
  type ImageManifest,
  INDEX_MEDIA_TYPES,
  MANIFEST_MEDIA_TYPES,
  MEDIA_TYPES,
  type Platform,
  type ResolvedImage,
} from "../types.ts";
import { choosePlatform, layerRefs } from "./resolve-common.ts";
import { blobPath, type FileStore } from "./store.ts";

/** Layers in a legacy `docker save` are uncompressed Docker layer tars. */
const LEGACY_LAYER_MEDIA_TYPE = "application/vnd.docker.image.rootfs.diff.tar";

export interface ResolveOptions {
  /** Image wanted in a multi-image archive: a tag (`app:1`) or a full reference. */
  reference?: string;
  platform?: Platform;
  /** The host's platform, default when `platform` is not given. */
  hostPlatform: Platform;
}

export interface StoreImage {
  resolved: ResolvedImage;
  blobs: BlobReader;
}

export async function resolveFromStore(
  store: FileStore,
  kind: string,
  options: ResolveOptions,
): Promise<StoreImage> {
  const blobs = storeBlobReader(store);
  if (store.has("index.json")) {
    return { resolved: await resolveOci(store, kind, options), blobs };
  }
  if (store.has("manifest.json")) {
    return { resolved: await resolveDockerManifest(store, kind, options), blobs: legacyBlobReader(store) };
  }
  throw new DrydockError(
    "UNKNOWN_ARCHIVE",
    `${store.label}: not an image archive or OCI layout (no index.json or manifest.json)`,
  );
}

/** Blobs by digest under blobs/<alg>/<hex>, verified while streaming. */
function storeBlobReader(store: FileStore): BlobReader {
  return {
    async openBlob(descriptor: Descriptor) {
      const name = blobPath(descriptor.digest);
      if (!store.has(name))
        throw new DrydockError("MISSING_BLOB", `${store.label}: blob ${descriptor.digest} is missing`);
      const verifier = new DigestVerifier(
        descriptor.digest,
        `${store.label}: blob ${descriptor.digest.slice(0, 19)}`,
      );
      const stream = store.open(name);
      stream.on("error", (e) => verifier.destroy(e));
      return stream.pipe(verifier);
    },
  };
}

/** Legacy archives name layers by path; the descriptor's `urls[0]` carries that path. */
function legacyBlobReader(store: FileStore): BlobReader {
  const byDigest = storeBlobReader(store);
  return {
    async openBlob(descriptor: Descriptor) {
      const path = descriptor.urls?.[0];
      if (!path) return byDigest.openBlob(descriptor);
      const verifier = new DigestVerifier(descriptor.digest, `${store.label}: ${path}`);
      const stream = store.open(path);
      stream.on("error", (e) => verifier.destroy(e));
      return stream.pipe(verifier);
    },
  };
}

async function readJson<T>(
  store: FileStore,
  name: string,
  schema: Parameters<typeof parseDocument<T>>[0],
  what: string,
): Promise<T> {
  return parseDocument(schema, await store.read(name), `${store.label}: ${what}`);
}

async function readBlobJson<T>(
  store: FileStore,
  descriptor: Descriptor,
  schema: Parameters<typeof parseDocument<T>>[0],
  what: string,
): Promise<{ value: T; raw: Buffer }> {
  const name = blobPath(descriptor.digest);
  if (!store.has(name))
    throw new DrydockError("MISSING_BLOB", `${store.label}: ${what} ${descriptor.digest} is missing`);
  const raw = await store.read(name);
  verifyBuffer(raw, descriptor.digest, `${store.label}: ${what}`);
  return { value: parseDocument(schema, raw, `${store.label}: ${what}`), raw };
}

function matchesReference(descriptor: Descriptor, wanted: string): boolean {
  const annotations = descriptor.annotations ?? {};
  const refName = annotations["org.opencontainers.image.ref.name"];
  const fullName = annotations["io.containerd.image.name"];
  if (refName === wanted || fullName === wanted) return true;
  try {
    const want = parseReference(wanted);
    if (fullName) {
      const have = parseReference(fullName);
      if (have.registry === want.registry && have.repository === want.repository && have.tag === want.tag)
        return true;
    }
    if (refName && refName === want.tag && !wanted.includes("/") && !wanted.includes(":")) return true;
  } catch {
    return false;
  }
  return false;
}

function describeRef(descriptor: Descriptor): string {
  const a = descriptor.annotations ?? {};
  return a["io.containerd.image.name"] ?? a["org.opencontainers.image.ref.name"] ?? descriptor.digest;
}

async function resolveOci(store: FileStore, kind: string, options: ResolveOptions): Promise<ResolvedImage> {
  const index = (await readJson(store, "index.json", indexSchema, "index.json")) as ImageIndex;
  let candidates = index.manifests;
  if (options.reference) {
    candidates = candidates.filter((d) => matchesReference(d, options.reference!));
    if (candidates.length === 0) {
      const known = index.manifests.map(describeRef).join(", ");
      throw new DrydockError(
        "IMAGE_NOT_FOUND",
        `${store.label}: no image "${options.reference}" (it has: ${known})`,
      );
    }
  } else {
    const distinct = new Set(candidates.map((d) => d.digest));
    if (distinct.size > 1 && candidates.some((d) => !d.platform)) {
      const known = candidates.map(describeRef).join(", ");
      throw new DrydockError(
        "AMBIGUOUS_IMAGE",
        `${store.label}: holds several images (${known}): name one, e.g. ${kind}:${store.label}:NAME`,
      );
    }
  }
  // Only platforms whose manifests are present count (containerd exports list all, hold one).
  const present = candidates.filter((d) => store.has(blobPath(d.digest)));
  let descriptor = candidates.length === 1 || !candidates[0]?.platform ? candidates[0] : undefined;
  let indexDigest: string | undefined;
  if (!descriptor)
    descriptor = choosePlatform(present.length > 0 ? present : candidates, options, store.label);
  // Follow nested indexes (containerd store exports, multi-platform pushes).
  for (let depth = 0; INDEX_MEDIA_TYPES.includes(descriptor!.mediaType); depth++) {
    if (depth > 4) throw new DrydockError("BAD_DOCUMENT", `${store.label}: indexes nested too deep`);
    const nested = (await readBlobJson(store, descriptor!, indexSchema, "image index")).value as ImageIndex;
    indexDigest = descriptor!.digest;
    const available = nested.manifests.filter((d) => store.has(blobPath(d.digest)));
    descriptor = choosePlatform(available.length > 0 ? available : nested.manifests, options, store.label);
  }
  if (!MANIFEST_MEDIA_TYPES.includes(descriptor!.mediaType)) {
    throw new DrydockError(
      "UNSUPPORTED_MEDIA_TYPE",
      `${store.label}: unsupported manifest type ${descriptor!.mediaType}`,
    );
  }
  const manifest = (await readBlobJson(store, descriptor!, manifestSchema, "manifest"))
    .value as ImageManifest;
  const config = (await readBlobJson(store, manifest.config, configSchema, "image config"))
    .value as ImageConfig;
  const reference =
    options.reference ?? describeRefOrUndefined(descriptor!) ?? describeRefOrUndefined(candidates[0]!);
  return {
    source: `${kind}:${store.label}`,
    reference,
    manifestDigest: descriptor!.digest,
    indexDigest,
    mediaType: manifest.mediaType ?? descriptor!.mediaType,
    manifest,
    config,
    configDigest: manifest.config.digest,
    platform: platformOf(config, descriptor!.platform),
    layers: layerRefs(manifest.layers, config, store.label),
  };
}

function describeRefOrUndefined(d: Descriptor): string | undefined {
  const a = d.annotations ?? {};
  return a["io.containerd.image.name"] ?? a["org.opencontainers.image.ref.name"];
}

function platformOf(config: ImageConfig, fallback?: Platform): Platform {
  if (config.os && config.architecture) {
    return {
      os: config.os,
      architecture: config.architecture,
      ...(config.variant ? { variant: config.variant } : {}),
    };
  }
  return fallback ?? { os: "unknown", architecture: "unknown" };
}

/** Legacy `docker save`: manifest.json lists config and layer paths. */
async function resolveDockerManifest(
  store: FileStore,
  kind: string,
  options: ResolveOptions,
): Promise<ResolvedImage> {
  const entries = await readJson(store, "manifest.json", dockerArchiveManifestSchema, "manifest.json");
  let entry = entries[0]!;
  if (options.reference) {
    const want = safeCanonical(options.reference);
    const found = entries.find((e) =>
      (e.RepoTags ?? []).some((t) => t === options.reference || safeCanonical(t) === want),
    );
    if (!found) {
      const known = entries.flatMap((e) => e.RepoTags ?? []).join(", ") || "untagged images";
      throw new DrydockError(
        "IMAGE_NOT_FOUND",
        `${store.label}: no image "${options.reference}" (it has: ${known})`,
      );
    }
    entry = found;
  } else if (entries.length > 1) {
    const known = entries.flatMap((e) => e.RepoTags ?? []).join(", ");
    throw new DrydockError(
      "AMBIGUOUS_IMAGE",
      `${store.label}: holds ${entries.length} images (${known}): name one, e.g. ${kind}:${store.label}:NAME`,
    );
  }
  const configRaw = await store.read(entry.Config);
  const config = parseDocument(configSchema, configRaw, `${store.label}: image config`) as ImageConfig;
  const configDigest = configDigestFromName(entry.Config, configRaw);
  if (config.rootfs.diff_ids.length !== entry.Layers.length) {
    throw new DrydockError(
      "BAD_DOCUMENT",
      `${store.label}: manifest.json lists ${entry.Layers.length} layers but the config has ${config.rootfs.diff_ids.length}`,
    );
  }
  const layers: Descriptor[] = entry.Layers.map((path, i) => {
    const blob = /^blobs\/([a-z0-9]+)\/([a-f0-9]+)$/.exec(path);
    const digest = blob ? `${blob[1]}:${blob[2]}` : config.rootfs.diff_ids[i]!;
    return { mediaType: LEGACY_LAYER_MEDIA_TYPE, digest, size: store.size(path) ?? 0, urls: [path] };
  });
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.dockerManifest,
    config: { mediaType: MEDIA_TYPES.dockerConfig, digest: configDigest, size: configRaw.length },
    layers,
  };
  return {
    source: `${kind}:${store.label}`,
    reference: options.reference ?? entry.RepoTags?.[0],
    mediaType: MEDIA_TYPES.dockerManifest,
    manifest,
    config,
    configDigest,
    platform: platformOf(config),
    layers: layerRefs(layers, config, store.label),
  };
}

function safeCanonical(ref: string): string {
  try {
    const r = parseReference(ref);
    return `${r.registry}/${r.repository}:${r.tag ?? ""}`;
  } catch {
    return ref;
  }
}

function configDigestFromName(name: string, raw: Buffer): string {
  const m = /([a-f0-9]{64})(?:\.json)?$/.exec(name);
  if (!m) return digestOf(raw);
  const digest = `sha256:${m[1]}`;
  verifyBuffer(raw, digest, `config ${name}`);
  return digest;
}

/**
 * Image archives in the layouts readers must accept, built in memory for tests (small images
 * only: every layer is a Buffer). Shapes, per /work/shared/reference/image-analysis.md §6:
 *  - legacy:     docker save of Docker <= 24 (`<v1id>/layer.tar`, `<config>.json`, manifest.json,
 *                repositories; a repeated layer is a symlink to its first copy)
 *  - docker25:   docker save of Docker >= 25 with the graph-driver store (moby PR #44598): an OCI
 *                layout (oci-layout, index.json, blobs/sha256/…, uncompressed layers, the v1 layer
 *                configs as extra blobs) plus manifest.json with LayerSources, and repositories
 *  - containerd: docker save with the containerd image store: gzip layers, index.json -> nested
 *                image index -> manifest (+ attestation manifest), manifest.json without
 *                LayerSources, no repositories
 *  - oci:        a plain OCI image layout (what `skopeo copy … oci-archive:` writes)
 * Members are written sorted by name, as moby's archive.Tar and containerd's exporter do.
 */
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { Pack } from "tar-stream";
import { compress as zstdCompress } from "zstd-napi";
import { MEDIA_TYPES, type Platform } from "../types.ts";
import { packToBuffer } from "./tar.ts";

export interface ArchiveImage {
  /** The config document, byte for byte (its digest is the image ID). */
  config: Buffer;
  /** Uncompressed layer tars, bottom first. */
  layers: Buffer[];
  /** Familiar names, e.g. `alpine:3.20`, `127.0.0.1:5000/app:1`. */
  repoTags: string[];
  /** For multi-platform OCI layouts: the index entry's platform. */
  platform?: Platform;
}

export type ArchiveShape = "legacy" | "docker25" | "containerd" | "oci";
export type LayerCompression = "none" | "gzip" | "zstd";

export interface ArchiveMember {
  name: string;
  type: "file" | "directory" | "symlink";
  data?: Buffer;
  linkname?: string;
  mode?: number;
}

export interface ArchiveOptions {
  /** Layer compression for the `oci` shape (containerd is always gzip, the others none). */
  layerCompression?: LayerCompression;
  /** containerd: add a BuildKit attestation manifest (platform unknown/unknown). Default true. */
  attestation?: boolean;
  /** containerd: platforms listed in the nested index whose content is absent (a pulled image). */
  absentPlatforms?: Platform[];
  /** `oci`: put platforms in index.json (a multi-platform layout without a nested index). */
  indexPlatforms?: boolean;
}

export const sha256 = (data: Uint8Array): string =>
  `sha256:${createHash("sha256").update(data).digest("hex")}`;
const hexOf = (digest: string): string => digest.slice("sha256:".length);
const blob = (digest: string): string => `blobs/sha256/${hexOf(digest)}`;
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
/** What Go's json.Encoder writes (moby's manifest.json and repositories): a trailing newline. */
const encoded = (value: unknown): Buffer => Buffer.from(`${JSON.stringify(value)}\n`);

export interface ConfigOptions {
  architecture?: string;
  os?: string;
  variant?: string;
  env?: string[];
  cmd?: string[];
  /** One `created_by` per layer; empty-layer entries may be added with `emptyHistory`. */
  history?: string[];
  emptyHistory?: string[];
}

/** A config whose rootfs.diff_ids match the given uncompressed layers. */
export function makeConfig(layers: Buffer[], options: ConfigOptions = {}): Buffer {
  const history = [
    ...layers.map((_, i) => ({
      created: "2024-01-01T00:00:00Z",
      created_by: options.history?.[i] ?? `layer ${i}`,
    })),
    ...(options.emptyHistory ?? []).map((created_by) => ({
      created: "2024-01-01T00:00:00Z",
      created_by,
      empty_layer: true,
    })),
  ];
  return json({
    architecture: options.architecture ?? "amd64",
    os: options.os ?? "linux",
    ...(options.variant ? { variant: options.variant } : {}),
    config: { Env: options.env ?? ["PATH=/usr/bin:/bin"], Cmd: options.cmd ?? ["/bin/sh"] },
    rootfs: { type: "layers", diff_ids: layers.map(sha256) },
    history,
  });
}

/** `docker.io/library/alpine:3.20` for `alpine:3.20` (what containerd annotations hold). */
function fullName(tag: string): string {
  const slash = tag.indexOf("/");
  const first = slash === -1 ? "" : tag.slice(0, slash);
  const hasDomain = first.includes(".") || first.includes(":") || first === "localhost";
  if (hasDomain) return tag;
  return slash === -1 ? `docker.io/library/${tag}` : `docker.io/${tag}`;
}

function splitTag(tag: string): { name: string; tag: string } {
  const colon = tag.lastIndexOf(":");
  if (colon > tag.lastIndexOf("/")) return { name: tag.slice(0, colon), tag: tag.slice(colon + 1) };
  return { name: tag, tag: "latest" };
}

function compressLayer(data: Buffer, compression: LayerCompression): Buffer {
  if (compression === "gzip") return gzipSync(data);
  if (compression === "zstd") return zstdCompress(data);
  return data;
}

const LAYER_TYPES: Record<LayerCompression, string> = {
  none: MEDIA_TYPES.ociLayer,
  gzip: MEDIA_TYPES.ociLayerGzip,
  zstd: MEDIA_TYPES.ociLayerZstd,
};

/** The chain ID of the first n+1 layers (image-spec config.md "Layer ChainID"). */
function chainIds(diffIds: string[]): string[] {
  const out: string[] = [];
  for (const id of diffIds) {
    const previous = out[out.length - 1];
    out.push(previous ? sha256(Buffer.from(`${previous} ${id}`)) : id);
  }
  return out;
}

class Members {
  readonly byName = new Map<string, ArchiveMember>();
  file(name: string, data: Buffer, mode = 0o644): void {
    if (!this.byName.has(name)) this.byName.set(name, { name, type: "file", data, mode });
  }
  dir(name: string): void {
    if (!this.byName.has(name)) this.byName.set(name, { name, type: "directory", mode: 0o755 });
  }
  symlink(name: string, linkname: string): void {
    this.byName.set(name, { name, type: "symlink", linkname, mode: 0o777 });
  }
  sorted(): ArchiveMember[] {
    return [...this.byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

function legacyMembers(images: ArchiveImage[]): ArchiveMember[] {
  const members = new Members();
  const manifest: unknown[] = [];
  const repositories: Record<string, Record<string, string>> = {};
  const firstCopy = new Map<string, string>();
  for (const image of images) {
    const configDigest = sha256(image.config);
    const diffIds = image.layers.map(sha256);
    const chains = chainIds(diffIds);
    const paths: string[] = [];
    let parent = "";
    image.layers.forEach((layer, i) => {
      const top = i === image.layers.length - 1;
      // Like moby's v1.CreateID: the chain, the parent, and for the top layer the image itself.
      const v1Id = hexOf(sha256(Buffer.from(`${chains[i]} ${parent} ${top ? configDigest : ""}`)));
      const path = `${v1Id}/layer.tar`;
      members.dir(`${v1Id}/`);
      members.file(`${v1Id}/VERSION`, Buffer.from("1.0"));
      members.file(`${v1Id}/json`, json({ id: v1Id, ...(parent ? { parent } : {}), os: "linux" }));
      const first = firstCopy.get(diffIds[i]!);
      if (first && first !== path) members.symlink(path, `../${first}`);
      else {
        members.file(path, layer);
        firstCopy.set(diffIds[i]!, path);
      }
      paths.push(path);
      parent = v1Id;
    });
    members.file(`${hexOf(configDigest)}.json`, image.config);
    manifest.push({
      Config: `${hexOf(configDigest)}.json`,
      RepoTags: image.repoTags.length ? image.repoTags : null,
      Layers: paths,
    });
    for (const tag of image.repoTags) {
      const { name, tag: t } = splitTag(tag);
      repositories[name] = { ...repositories[name], [t]: parent };
    }
  }
  members.file("manifest.json", encoded(manifest));
  if (Object.keys(repositories).length > 0) members.file("repositories", encoded(repositories));
  return members.sorted();
}

interface BuiltManifest {
  manifest: Buffer;
  digest: string;
  layerDescriptors: { mediaType: string; digest: string; size: number }[];
}

/** Writes config, layers and manifest blobs; returns the manifest. */
function manifestBlobs(
  members: Members,
  image: ArchiveImage,
  compression: LayerCompression,
  mode: number,
): BuiltManifest {
  const configDigest = sha256(image.config);
  members.file(blob(configDigest), image.config, mode);
  const layerDescriptors = image.layers.map((layer) => {
    const stored = compressLayer(layer, compression);
    const digest = sha256(stored);
    members.file(blob(digest), stored, mode);
    return { mediaType: LAYER_TYPES[compression], digest, size: stored.length };
  });
  const manifest = json({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: { mediaType: MEDIA_TYPES.ociConfig, digest: configDigest, size: image.config.length },
    layers: layerDescriptors,
  });
  const digest = sha256(manifest);
  members.file(blob(digest), manifest, mode);
  return { manifest, digest, layerDescriptors };
}

function refAnnotations(tag: string): Record<string, string> {
  return {
    "io.containerd.image.name": fullName(tag),
    "org.opencontainers.image.ref.name": splitTag(tag).tag,
  };
}

function docker25Members(images: ArchiveImage[]): ArchiveMember[] {
  const members = new Members();
  members.dir("blobs/");
  members.dir("blobs/sha256/");
  const manifest: unknown[] = [];
  const index: unknown[] = [];
  const repositories: Record<string, Record<string, string>> = {};
  for (const image of images) {
    const built = manifestBlobs(members, image, "none", 0o644);
    // The v1 layer configs stay in the archive as blobs nobody references.
    image.layers.forEach((layer, i) => {
      const v1Config = json({ id: i, layer: sha256(layer), os: "linux" });
      members.file(blob(sha256(v1Config)), v1Config);
    });
    const descriptor = {
      mediaType: MEDIA_TYPES.ociManifest,
      digest: built.digest,
      size: built.manifest.length,
    };
    if (image.repoTags.length === 0) index.push(descriptor);
    for (const tag of image.repoTags) index.push({ ...descriptor, annotations: refAnnotations(tag) });
    const layerSources: Record<string, unknown> = {};
    for (const d of built.layerDescriptors)
      layerSources[d.digest] = { mediaType: d.mediaType, size: d.size, digest: d.digest };
    manifest.push({
      Config: blob(sha256(image.config)),
      RepoTags: image.repoTags.length ? image.repoTags : null,
      Layers: built.layerDescriptors.map((d) => blob(d.digest)),
      LayerSources: layerSources,
    });
    const top = hexOf(built.layerDescriptors[built.layerDescriptors.length - 1]!.digest);
    for (const tag of image.repoTags) {
      const { name, tag: t } = splitTag(tag);
      repositories[name] = { ...repositories[name], [t]: top };
    }
  }
  members.file("index.json", json({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: index }));
  members.file("manifest.json", encoded(manifest));
  members.file("oci-layout", Buffer.from('{"imageLayoutVersion": "1.0.0"}'));
  if (Object.keys(repositories).length > 0) members.file("repositories", encoded(repositories));
  return members.sorted();
}

function platformOfConfig(config: Buffer): Platform {
  const parsed = JSON.parse(config.toString("utf8")) as {
    architecture: string;
    os: string;
    variant?: string;
  };
  return {
    architecture: parsed.architecture,
    os: parsed.os,
    ...(parsed.variant ? { variant: parsed.variant } : {}),
  };
}

/** BuildKit's provenance/SBOM attachment: a manifest of in-toto JSON layers. */
function attestationManifest(members: Members): { digest: string; size: number } {
  const statement = json({
    _type: "https://in-toto.io/Statement/v0.1",
    predicateType: "https://spdx.dev/Document",
    subject: [],
  });
  const config = json({
    architecture: "unknown",
    os: "unknown",
    config: {},
    rootfs: { type: "layers", diff_ids: [sha256(statement)] },
  });
  members.file(blob(sha256(statement)), statement, 0o444);
  members.file(blob(sha256(config)), config, 0o444);
  const manifest = json({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: { mediaType: MEDIA_TYPES.ociConfig, digest: sha256(config), size: config.length },
    layers: [
      {
        mediaType: "application/vnd.in-toto+json",
        digest: sha256(statement),
        size: statement.length,
        annotations: { "in-toto.io/predicate-type": "https://spdx.dev/Document" },
      },
    ],
  });
  members.file(blob(sha256(manifest)), manifest, 0o444);
  return { digest: sha256(manifest), size: manifest.length };
}

function containerdMembers(images: ArchiveImage[], options: ArchiveOptions): ArchiveMember[] {
  const members = new Members();
  members.dir("blobs/");
  members.dir("blobs/sha256/");
  const manifest: unknown[] = [];
  const index: unknown[] = [];
  for (const image of images) {
    // containerd's exporter writes blobs read-only.
    const built = manifestBlobs(members, image, "gzip", 0o444);
    const entries: unknown[] = [
      {
        mediaType: MEDIA_TYPES.ociManifest,
        digest: built.digest,
        size: built.manifest.length,
        platform: platformOfConfig(image.config),
      },
    ];
    for (const platform of options.absentPlatforms ?? []) {
      const fake = sha256(json({ absent: platform }));
      entries.push({ mediaType: MEDIA_TYPES.ociManifest, digest: fake, size: 1234, platform });
    }
    if (options.attestation ?? true) {
      const attestation = attestationManifest(members);
      entries.push({
        mediaType: MEDIA_TYPES.ociManifest,
        ...attestation,
        annotations: {
          "vnd.docker.reference.digest": built.digest,
          "vnd.docker.reference.type": "attestation-manifest",
        },
        platform: { architecture: "unknown", os: "unknown" },
      });
    }
    const nested = json({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: entries });
    members.file(blob(sha256(nested)), nested, 0o444);
    const descriptor = { mediaType: MEDIA_TYPES.ociIndex, digest: sha256(nested), size: nested.length };
    if (image.repoTags.length === 0) index.push(descriptor);
    for (const tag of image.repoTags) index.push({ ...descriptor, annotations: refAnnotations(tag) });
    manifest.push({
      Config: blob(sha256(image.config)),
      RepoTags: image.repoTags,
      Layers: built.layerDescriptors.map((d) => blob(d.digest)),
    });
  }
  members.file("index.json", json({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: index }));
  members.file("manifest.json", json(manifest));
  members.file("oci-layout", Buffer.from('{"imageLayoutVersion":"1.0.0"}'), 0o444);
  return members.sorted();
}

function ociMembers(images: ArchiveImage[], options: ArchiveOptions): ArchiveMember[] {
  const members = new Members();
  members.dir("blobs/");
  members.dir("blobs/sha256/");
  const index: unknown[] = [];
  for (const image of images) {
    const built = manifestBlobs(members, image, options.layerCompression ?? "gzip", 0o644);
    const descriptor = {
      mediaType: MEDIA_TYPES.ociManifest,
      digest: built.digest,
      size: built.manifest.length,
      ...(options.indexPlatforms ? { platform: image.platform ?? platformOfConfig(image.config) } : {}),
    };
    if (image.repoTags.length === 0) index.push(descriptor);
    for (const tag of image.repoTags) {
      index.push({ ...descriptor, annotations: { "org.opencontainers.image.ref.name": splitTag(tag).tag } });
    }
  }
  members.file("index.json", json({ schemaVersion: 2, manifests: index }));
  members.file("oci-layout", Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
  return members.sorted();
}

/** The members of an archive of `images` in the given shape, sorted by name. */
export function archiveMembers(
  shape: ArchiveShape,
  images: ArchiveImage[],
  options: ArchiveOptions = {},
): ArchiveMember[] {
  switch (shape) {
    case "legacy":
      return legacyMembers(images);
    case "docker25":
      return docker25Members(images);
    case "containerd":
      return containerdMembers(images, options);
    case "oci":
      return ociMembers(images, options);
  }
}

/** Adds members to a tar-stream pack, one after the other, then finalizes it. */
export async function addMembers(tar: Pack, members: ArchiveMember[]): Promise<void> {
  for (const m of members) {
    await new Promise<void>((resolve, reject) => {
      tar.entry(
        {
          name: m.name,
          type: m.type,
          linkname: m.linkname,
          mode: m.mode ?? 0o644,
          size: m.type === "file" ? (m.data?.length ?? 0) : 0,
          mtime: new Date(0),
        },
        m.type === "file" ? (m.data ?? Buffer.alloc(0)) : Buffer.alloc(0),
        (err) => (err ? reject(err) : resolve()),
      );
    });
  }
  tar.finalize();
}

/** Writes members as a tar (in memory). */
export function packMembers(members: ArchiveMember[]): Promise<Buffer> {
  return packToBuffer((p) => addMembers(p, members));
}

export async function buildArchive(
  shape: ArchiveShape,
  images: ArchiveImage[],
  options: ArchiveOptions = {},
): Promise<Buffer> {
  return packMembers(archiveMembers(shape, images, options));
}

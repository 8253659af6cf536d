/**
 * Builds an OCI image layout (image-spec image-layout.md) holding one multi-platform image from
 * rootfs tarballs, e.g. the Alpine minirootfs fixtures: each `.tar.gz` is used as-is as a gzip
 * layer blob (its diffID is the sha256 of the gunzipped tar), and the config, manifest and index
 * JSON are written here. `skopeo copy --all oci:DIR:TAG docker://...` pushes it unchanged.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, mkdir, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { type Descriptor, MEDIA_TYPES, type Platform } from "../../../src/image/types.ts";

export interface LayoutImageSpec {
  platform: Platform;
  /** A gzip-compressed rootfs tar, used unchanged as the single layer. */
  layerTarGz: string;
}

export interface LayoutImage {
  platform: Platform;
  manifest: Descriptor;
  config: Descriptor;
  layer: Descriptor;
  diffId: string;
}

export interface OciLayout {
  dir: string;
  tag: string;
  /** The image index that index.json points at (by `org.opencontainers.image.ref.name` = tag). */
  index: Descriptor;
  images: LayoutImage[];
}

/** Where the Alpine fixture of an architecture is, by Alpine's arch name. */
export const ALPINE_ARCHES: Array<{ platform: Platform; alpineArch: string }> = [
  { platform: { os: "linux", architecture: "amd64" }, alpineArch: "x86_64" },
  { platform: { os: "linux", architecture: "arm64", variant: "v8" }, alpineArch: "aarch64" },
  { platform: { os: "linux", architecture: "arm", variant: "v7" }, alpineArch: "armv7" },
];

const CREATED = "2024-09-06T00:00:00Z";

function sha256(data: Buffer | string): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

async function sha256OfStream(path: string, gunzip: boolean): Promise<string> {
  const hash = createHash("sha256");
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  if (gunzip) await pipeline(source, createGunzip(), hash);
  else await pipeline(source, hash);
  return `sha256:${hash.digest("hex")}`;
}

async function writeBlob(
  dir: string,
  data: Buffer,
  mediaType: string,
  extra: Partial<Descriptor> = {},
): Promise<Descriptor> {
  const digest = sha256(data);
  await writeFile(join(dir, "blobs", "sha256", digest.slice("sha256:".length)), data);
  return { mediaType, digest, size: data.length, ...extra };
}

export async function buildOciLayout(dir: string, tag: string, specs: LayoutImageSpec[]): Promise<OciLayout> {
  await mkdir(join(dir, "blobs", "sha256"), { recursive: true });
  await writeFile(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  const images: LayoutImage[] = [];
  for (const spec of specs) {
    const digest = await sha256OfStream(spec.layerTarGz, false);
    const diffId = await sha256OfStream(spec.layerTarGz, true);
    await copyFile(spec.layerTarGz, join(dir, "blobs", "sha256", digest.slice("sha256:".length)));
    const layer: Descriptor = {
      mediaType: MEDIA_TYPES.ociLayerGzip,
      digest,
      size: (await stat(spec.layerTarGz)).size,
    };
    const { os, architecture, variant } = spec.platform;
    const config = {
      created: CREATED,
      architecture,
      os,
      ...(variant ? { variant } : {}),
      config: {
        Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
        Cmd: ["/bin/sh"],
      },
      rootfs: { type: "layers", diff_ids: [diffId] },
      history: [{ created: CREATED, created_by: `ADD ${basename(spec.layerTarGz)} /` }],
    };
    const configDescriptor = await writeBlob(dir, Buffer.from(JSON.stringify(config)), MEDIA_TYPES.ociConfig);
    const manifest = {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      config: configDescriptor,
      layers: [layer],
    };
    const manifestDescriptor = await writeBlob(
      dir,
      Buffer.from(JSON.stringify(manifest)),
      MEDIA_TYPES.ociManifest,
    );
    images.push({
      platform: spec.platform,
      manifest: manifestDescriptor,
      config: configDescriptor,
      layer,
      diffId,
    });
  }
  const index = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociIndex,
    manifests: images.map((image) => ({ ...image.manifest, platform: image.platform })),
  };
  const indexDescriptor = await writeBlob(dir, Buffer.from(JSON.stringify(index)), MEDIA_TYPES.ociIndex);
  const top = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociIndex,
    manifests: [{ ...indexDescriptor, annotations: { "org.opencontainers.image.ref.name": tag } }],
  };
  await writeFile(join(dir, "index.json"), JSON.stringify(top));
  return { dir, tag, index: indexDescriptor, images };
}

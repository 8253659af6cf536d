/**
 * `docker save` shapes that the Docker 20.10 engine of the test machine cannot write, made from
 * the legacy archive it does write. Layouts exactly as /work/shared/reference/image-analysis.md §6
 * describes them (and as moby's image/tarexport/save.go and containerd's
 * images/archive/exporter.go write them):
 *  - docker25:   Docker >= 25 with the graph-driver store: an OCI layout (oci-layout, index.json
 *                with io.containerd.image.name / org.opencontainers.image.ref.name annotations,
 *                blobs/sha256/<hex>) whose layers stay uncompressed, plus a compatible
 *                manifest.json (Config/Layers pointing at blobs/sha256/…, LayerSources) and
 *                `repositories`.
 *  - containerd: Docker with the containerd image store: gzip layers, index.json -> nested image
 *                index (the image's platform, plus an attestation manifest and, optionally,
 *                platforms whose content is absent) -> manifest; manifest.json without
 *                LayerSources; no `repositories`.
 * The config blob is kept byte for byte, so every shape has the image ID of the original.
 */
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { pack } from "tar-stream";
import { TarFileStore } from "../../../src/image/sources/store.ts";
import {
  type ArchiveImage,
  type ArchiveMember,
  type ArchiveOptions,
  addMembers,
  archiveMembers,
} from "../../../src/image/test-helpers/archives.ts";

export type ConvertedShape = "docker25" | "containerd";

interface LegacyManifestEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

/** Every image of a legacy `docker save` archive (`docker save a b` holds two). */
export async function readLegacyArchive(path: string): Promise<ArchiveImage[]> {
  const store = await TarFileStore.open(path);
  if (store.has("index.json"))
    throw new Error(`${path}: not a legacy docker save archive (it has index.json)`);
  const entries = JSON.parse((await store.read("manifest.json")).toString("utf8")) as LegacyManifestEntry[];
  const images: ArchiveImage[] = [];
  for (const entry of entries) {
    if (!entry.Layers.every((layer) => layer.endsWith("/layer.tar"))) {
      throw new Error(`${path}: layer paths are not <id>/layer.tar: not the legacy shape`);
    }
    const config = await store.read(entry.Config);
    const layers: Buffer[] = [];
    for (const layer of entry.Layers) layers.push(await store.read(layer, Number.MAX_SAFE_INTEGER));
    images.push({ config, layers, repoTags: entry.RepoTags ?? [] });
  }
  return images;
}

/** Streams archive members into a tar file. */
export async function writeArchive(members: ArchiveMember[], path: string): Promise<void> {
  const tar = pack();
  const written = pipeline(tar, createWriteStream(path));
  await addMembers(tar, members);
  await written;
}

/**
 * Converts a legacy `docker save` archive to the Docker >= 25 or containerd-store shape. The
 * containerd shape lists an absent linux/arm64 manifest by default, as an export of a pulled
 * multi-platform image does.
 */
export async function convertLegacyArchive(
  input: string,
  output: string,
  shape: ConvertedShape,
  options: ArchiveOptions = {},
): Promise<ArchiveImage[]> {
  const images = await readLegacyArchive(input);
  const defaults: ArchiveOptions =
    shape === "containerd"
      ? { attestation: true, absentPlatforms: [{ os: "linux", architecture: "arm64", variant: "v8" }] }
      : {};
  await writeArchive(archiveMembers(shape, images, { ...defaults, ...options }), output);
  return images;
}

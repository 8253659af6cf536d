/**
 * Test helpers: runs catalogers over files given in memory, through the same capture rules and
 * layer reading the image path uses (a tar made in memory, read by readLayerTar).
 */
import { Readable } from "node:stream";
import { pack } from "tar-stream";
import { type CaptureRule, type LayerIndex, readLayerTar } from "../image/layer-index.ts";
import { DISTRO_CAPTURE, detectDistro } from "./distro.ts";
import { fileView, type Scope } from "./files.ts";
import type { Cataloger, Package } from "./types.ts";

export type FileSpec = string | Buffer | { content: string | Buffer; mode?: number } | { whiteout: true };

/** A layer tar with the given files (parents are implied, as in real layers). */
export async function layerTar(files: Record<string, FileSpec>): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  tar.on("data", (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((resolve) => tar.on("end", resolve));
  for (const [path, spec] of Object.entries(files)) {
    const name = path.replace(/^\//, "");
    if (typeof spec === "object" && !Buffer.isBuffer(spec) && "whiteout" in spec) {
      const cut = name.lastIndexOf("/");
      tar.entry({ name: `${name.slice(0, cut + 1)}.wh.${name.slice(cut + 1)}` }, Buffer.alloc(0));
      continue;
    }
    const { content, mode } =
      typeof spec === "string" || Buffer.isBuffer(spec)
        ? { content: spec, mode: 0o644 }
        : { mode: 0o644, ...spec };
    tar.entry({ name, mode }, typeof content === "string" ? Buffer.from(content) : content);
  }
  tar.finalize();
  await done;
  return Buffer.concat(chunks);
}

export async function layerIndex(
  files: Record<string, FileSpec>,
  capture: CaptureRule[],
): Promise<LayerIndex> {
  return readLayerTar(Readable.from([await layerTar(files)]), { label: "test", capture });
}

/** Runs one cataloger over layers of files (bottom first), with distro detection. */
export async function catalogLayers(
  cataloger: Cataloger,
  layers: Array<Record<string, FileSpec>>,
  scope: Scope = "squashed",
): Promise<Package[]> {
  const capture = [...DISTRO_CAPTURE, ...cataloger.capture];
  const indexes = await Promise.all(layers.map((files) => layerIndex(files, capture)));
  const viewLayers = indexes.map((index, i) => ({ index, diffId: `sha256:${String(i).padStart(64, "0")}` }));
  const distro = detectDistro(fileView(viewLayers, "squashed"));
  return cataloger.catalog({ files: fileView(viewLayers, scope), ...(distro ? { distro } : {}) });
}

export function catalogFiles(cataloger: Cataloger, files: Record<string, FileSpec>): Promise<Package[]> {
  return catalogLayers(cataloger, [files]);
}

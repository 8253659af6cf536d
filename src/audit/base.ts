/**
 * Where the base image ends: the layers a Dockerfile's author did not write. dive takes layer
 * 0 alone; that misjudges every base with more than one layer. In order (the first that works
 * wins, and the result says which):
 *
 *  1. annotation   `org.opencontainers.image.base.name` / `.digest` on the manifest (OCI
 *                  image-spec annotations.md; also read from config labels): the named image is
 *                  opened and its layer diffIDs compared with ours
 *  2. base-image   `--base IMAGE`: the layers whose diffIDs it shares with the image
 *  3. dockerfile   the history entries before the first one matched to the Dockerfile's final
 *                  stage (see history.ts)
 *  4. history      trivy's GuessBaseImageIndex heuristic: after skipping the trailing
 *                  empty-layer entries, the last `CMD` entry that made no layer ends the base
 *  5. first-layer  dive's rule: layer 0 only
 */
import { errorMessage } from "../errors.ts";
import type { ImageHandle } from "../image/handle.ts";
import type { ResolvedImage } from "../image/types.ts";
import type { HistoryStep } from "./history.ts";

export type BaseMethod = "annotation" | "base-image" | "dockerfile" | "history" | "first-layer";

export interface BaseBoundary {
  method: BaseMethod;
  /** Number of bottom layers that belong to the base image (layers 0..layers-1). */
  layers: number;
  /** The base image named by an annotation or `--base`. */
  name?: string;
  digest?: string;
  /** How the boundary was found, for people. */
  detail: string;
  /** Methods tried before and why they did not apply. */
  notes: string[];
}

export interface BaseOptions {
  /** `--base IMAGE`: an image reference or path, opened with `openBase`. */
  base?: string;
  /** Opens an image by reference (the CLI passes openImage: daemon, then registry). */
  openBase?: (reference: string) => Promise<ImageHandle>;
  /** First history index matched to the Dockerfile's final stage. */
  dockerfileFirstMatch?: number;
}

export const BASE_NAME_ANNOTATION = "org.opencontainers.image.base.name";
export const BASE_DIGEST_ANNOTATION = "org.opencontainers.image.base.digest";

export async function findBaseBoundary(
  image: ResolvedImage,
  history: HistoryStep[],
  options: BaseOptions,
): Promise<BaseBoundary> {
  const notes: string[] = [];
  const layerCount = image.layers.length;
  const annotations = { ...(image.config.config?.Labels ?? {}), ...(image.manifest.annotations ?? {}) };
  const name = annotations[BASE_NAME_ANNOTATION];
  const digest = annotations[BASE_DIGEST_ANNOTATION];

  if (name || digest) {
    const reference = name && digest ? `${name}@${digest}` : (name ?? digest!);
    const shared = await sharedWith(image, reference, options, notes, "annotation");
    if (shared !== undefined) {
      return {
        method: "annotation",
        layers: shared,
        ...(name ? { name } : {}),
        ...(digest ? { digest } : {}),
        detail: `${BASE_NAME_ANNOTATION} names ${reference}: ${shared} shared layer${plural(shared)}`,
        notes,
      };
    }
  }
  if (options.base) {
    const shared = await sharedWith(image, options.base, options, notes, "--base");
    if (shared !== undefined) {
      return {
        method: "base-image",
        layers: shared,
        name: options.base,
        detail: `--base ${options.base}: ${shared} shared layer${plural(shared)} (same diffIDs)`,
        notes,
      };
    }
  }
  if (options.dockerfileFirstMatch !== undefined) {
    const layers = layersBefore(history, options.dockerfileFirstMatch);
    return {
      method: "dockerfile",
      layers,
      detail: `history entries before the first Dockerfile line: ${layers} layer${plural(layers)}`,
      notes,
    };
  }
  const cmd = guessBaseHistoryIndex(history);
  if (cmd !== undefined && history.every((h) => h.layer !== undefined || h.emptyLayer)) {
    const layers = layersBefore(history, cmd);
    if (layers > 0 && layers <= layerCount) {
      return {
        method: "history",
        layers,
        detail: `history: the base image's CMD (entry ${cmd + 1}) ends the base: ${layers} layer${plural(layers)}`,
        notes,
      };
    }
  }
  notes.push("history: no base-image CMD entry found");
  const layers = Math.min(1, layerCount);
  return { method: "first-layer", layers, detail: "dive's rule: layer 1 is the base", notes };
}

async function sharedWith(
  image: ResolvedImage,
  reference: string,
  options: BaseOptions,
  notes: string[],
  what: string,
): Promise<number | undefined> {
  if (!options.openBase) {
    notes.push(`${what}: ${reference} was not opened (no image source available)`);
    return undefined;
  }
  let handle: ImageHandle | undefined;
  try {
    handle = await options.openBase(reference);
    const base = await handle.resolve();
    const ours = image.config.rootfs.diff_ids;
    const theirs = base.config.rootfs.diff_ids;
    let shared = 0;
    while (shared < ours.length && shared < theirs.length && ours[shared] === theirs[shared]) shared++;
    if (shared === 0) {
      notes.push(`${what}: ${reference} shares no layer with this image`);
      return undefined;
    }
    if (shared < theirs.length) {
      notes.push(`${what}: ${reference} has ${theirs.length} layers, this image shares the first ${shared}`);
    }
    return shared;
  } catch (error) {
    notes.push(`${what}: cannot open ${reference}: ${errorMessage(error)}`);
    return undefined;
  } finally {
    await handle?.close?.();
  }
}

/** Number of layers made by history entries before `index`. */
function layersBefore(history: HistoryStep[], index: number): number {
  return history.slice(0, index).filter((h) => !h.emptyLayer).length;
}

/**
 * trivy's GuessBaseImageIndex (pkg/fanal/image/image.go): skip the image's own trailing
 * empty-layer entries (its CMD, ENTRYPOINT…), then the next empty-layer CMD from the end is the
 * base image's last instruction.
 */
export function guessBaseHistoryIndex(history: HistoryStep[]): number | undefined {
  let sawLayer = false;
  for (let i = history.length - 1; i >= 0; i--) {
    const h = history[i]!;
    if (!sawLayer) {
      if (h.emptyLayer) continue;
      sawLayer = true;
    }
    if (!h.emptyLayer) continue;
    if (h.keyword === "CMD") return i;
  }
  return undefined;
}

function plural(n: number): string {
  return n === 1 ? "" : "s";
}
